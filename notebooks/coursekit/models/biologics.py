"""Notebook 01 models: sizes and masses from aspirin to a CHO cell, expression hosts, and product classes.

Every number comes from coursekit/data/facts.csv (through coursekit.facts); the item, host and product tables
in coursekit/data/biologics_*.csv only say which facts to use and hold the explanatory text.
"""
from __future__ import annotations

import math
import string
from dataclasses import dataclass
from functools import cache

from .. import facts
from ..paths import DATA_DIR
from ..numbers import GRAMS_PER_DALTON
from ..tables import Row, read_table
from .validation import check_choice, check_range

LADDER_CSV = DATA_DIR / "biologics_size_ladder.csv"
HOSTS_CSV = DATA_DIR / "biologics_hosts.csv"
PRODUCTS_CSV = DATA_DIR / "biologics_products.csv"

LENGTH_UNITS_M = {"nm": 1e-9, "um": 1e-6}
MASS_UNITS_DA = {"Da": 1.0, "pg": 1e-12 / GRAMS_PER_DALTON, "ng": 1e-9 / GRAMS_PER_DALTON}
TIME_UNITS_H = {"min": 1 / 60, "h": 1.0}

# Physical limits for the generic helpers (far wider than anything in the course, narrow enough to catch typos).
MIN_DIAMETER_M, MAX_DIAMETER_M = 1e-11, 1e-2
MIN_DENSITY, MAX_DENSITY = 0.5, 2.0   # g/mL: every biological material lies well inside this


LADDER_COLUMNS = ("item", "label", "kind", "size_key", "size_factor", "size_unit", "size_measure", "mass_method",
                  "mass_key", "mass_unit", "density_key")
HOST_COLUMNS = ("host", "label", "organism", "doubling_key", "doubling_unit", "glycosylation", "human_like_glycans",
                "titer_key", "titer_note", "product", "product_year_key", "origin", "source")
PRODUCT_COLUMNS = ("product", "label", "category", "made_in", "reason", "source")
_TABLES = {LADDER_CSV: (LADDER_COLUMNS, ("item", "label", "kind", "size_key", "size_factor", "size_unit",
                                         "size_measure", "mass_method")),
           HOSTS_CSV: (HOST_COLUMNS, tuple(c for c in HOST_COLUMNS if c != "titer_key")),
           PRODUCTS_CSV: (PRODUCT_COLUMNS, PRODUCT_COLUMNS)}


@cache
def _rows(path) -> tuple[Row, ...]:
    columns, required = _TABLES[path]
    return tuple(read_table(path, columns, required=required, unique=columns[0]))


# ---- sizes and masses ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SizeItem:
    """One rung of the size ladder: a characteristic size (metres) and a mass (daltons)."""

    key: str
    label: str
    kind: str            # "small molecule", "protein", "particle" or "cell"
    size_m: float
    mass_da: float
    size_measure: str    # which size this is (the fact sheet warns that measures differ)
    mass_estimated: bool  # True when the mass is estimated from size and density


def sphere_mass_da(diameter_m: float, density_g_per_ml: float) -> float:
    """Mass in daltons of a sphere of this diameter and density (m = density x pi/6 x d^3)."""
    d = check_range("diameter_m", diameter_m, MIN_DIAMETER_M, MAX_DIAMETER_M, "m")
    rho = check_range("density_g_per_ml", density_g_per_ml, MIN_DENSITY, MAX_DENSITY, "g/mL")
    volume_ml = math.pi / 6 * d**3 * 1e6           # 1 m^3 = 10^6 mL
    return rho * volume_ml / GRAMS_PER_DALTON


def _ladder_item(row: Row) -> SizeItem:
    size_m = facts.value(row["size_key"]) * row.number("size_factor") * LENGTH_UNITS_M[row.choice("size_unit",
                                                                                                   LENGTH_UNITS_M)]
    if row.choice("mass_method", ("fact", "sphere")) == "fact":
        mass_da = facts.value(row["mass_key"]) * MASS_UNITS_DA[row.choice("mass_unit", MASS_UNITS_DA)]
    else:
        mass_da = sphere_mass_da(size_m, facts.value(row["density_key"]))
    return SizeItem(row["item"], row["label"], row["kind"], size_m, mass_da, row["size_measure"],
                    row["mass_method"] == "sphere")


def ladder_items() -> list[SizeItem]:
    """The size ladder from aspirin to a CHO cell, smallest first."""
    return sorted((_ladder_item(r) for r in _rows(LADDER_CSV)), key=lambda i: i.size_m)


def ladder_keys() -> list[str]:
    return [r["item"] for r in _rows(LADDER_CSV)]


def ladder_item(key: str) -> SizeItem:
    """One ladder item by key (e.g. 'igg')."""
    check_choice("item", key, ladder_keys())
    return _ladder_item(next(r for r in _rows(LADDER_CSV) if r["item"] == key))


@dataclass(frozen=True)
class Comparison:
    """How two ladder items compare: ratios are bigger/smaller, so always >= 1."""

    first: SizeItem
    second: SizeItem
    size_ratio: float
    mass_ratio: float
    larger: SizeItem
    heavier: SizeItem

    @property
    def size_orders(self) -> float:
        """Orders of magnitude between the two sizes (log10 of the ratio)."""
        return math.log10(self.size_ratio)

    @property
    def mass_orders(self) -> float:
        return math.log10(self.mass_ratio)


def compare(item_a: str, item_b: str) -> Comparison:
    """Compare two ladder items: how many times larger and how many times heavier the bigger one is."""
    check_choice("item_a", item_a, ladder_keys())
    check_choice("item_b", item_b, ladder_keys())
    a, b = ladder_item(item_a), ladder_item(item_b)
    larger = a if a.size_m >= b.size_m else b
    heavier = a if a.mass_da >= b.mass_da else b
    return Comparison(a, b, max(a.size_m, b.size_m) / min(a.size_m, b.size_m),
                      max(a.mass_da, b.mass_da) / min(a.mass_da, b.mass_da), larger, heavier)


# ---- expression hosts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Host:
    """An expression host ("biological factory") with its sourced properties."""

    key: str
    label: str
    organism: str
    doubling_time_h: float
    doubling_time_text: str
    glycosylation: str
    human_like_glycans: bool
    titer_g_per_l: float | None
    titer_note: str
    product: str
    product_year: int
    origin: str

    @property
    def doublings_per_day(self) -> float:
        return doublings_in(self.key, 24)

    @property
    def titer_text(self) -> str:
        if self.titer_g_per_l is None:
            return self.titer_note
        return f"{self.titer_g_per_l:g} g/L ({self.titer_note})"


def host_keys() -> list[str]:
    return [r["host"] for r in _rows(HOSTS_CSV)]


def _host(row: Row) -> Host:
    t = facts.value(row["doubling_key"])
    titer_key = row.optional("titer_key")
    titer = facts.value(titer_key) if titer_key else None
    unit = row.choice("doubling_unit", TIME_UNITS_H)
    return Host(row["host"], row["label"], row["organism"], t * TIME_UNITS_H[unit],
                f"{t:g} {unit}", row["glycosylation"], row.yes_no("human_like_glycans"),
                titer, row["titer_note"], row["product"], int(facts.value(row["product_year_key"])), row["origin"])


def hosts() -> list[Host]:
    """E. coli, yeast and CHO, fastest-growing first."""
    return [_host(r) for r in _rows(HOSTS_CSV)]


def host(key: str) -> Host:
    check_choice("host", key, host_keys())
    return _host(next(r for r in _rows(HOSTS_CSV) if r["host"] == key))


def doublings_in(host_key: str, hours: float) -> float:
    """How many times a host's cell number doubles in this many hours of unlimited growth."""
    h = check_range("hours", hours, 0, 24 * 14, "h")
    return h / host(host_key).doubling_time_h


NEEDS = {
    "glycosylated_antibody": "a glycosylated antibody (it needs human-like sugars to work well)",
    "unglycosylated_protein": "a small protein without sugars, such as insulin",
}


@dataclass(frozen=True)
class HostVerdict:
    """Feedback on choosing a host for a product need: 'good', 'possible' or 'poor', and why."""

    rating: str
    reason: str

    @property
    def correct(self) -> bool:
        return self.rating == "good"


def judge_host(need: str, host_key: str) -> HostVerdict:
    """Is this host a sensible factory for this need? The reasoning uses the host table's sourced properties."""
    check_choice("need", need, list(NEEDS))
    h = host(host_key)
    if need == "glycosylated_antibody":
        if h.human_like_glycans:
            return HostVerdict("good", f"{h.label} cells add complex, human-like sugars and fold large proteins "
                                       "properly; most therapeutic proteins made in mammalian cells come from CHO. "
                                       "They grow slowly "
                                       f"(doubling every {h.doubling_time_text}), but quality matters more here.")
        sugars = ("it adds no sugars at all" if h.glycosylation.startswith("none")
                  else f"its sugars are {h.glycosylation}")
        return HostVerdict("poor", f"{h.label} grows fast, but {sugars}. "
                                   "An antibody without human-like sugars may not work or may be recognised as "
                                   "foreign. Pick a host that adds human-like sugars.")
    # an unglycosylated protein such as insulin
    if h.key == "ecoli":
        return HostVerdict("good", f"No sugars are needed, so fast, cheap E. coli (doubling every "
                                   f"{h.doubling_time_text}) is a good factory: Humulin insulin has been made "
                                   f"this way since {h.product_year}.")
    if h.human_like_glycans:
        return HostVerdict("possible", f"{h.label} cells could make it, but they double only every "
                                       f"{h.doubling_time_text} and need costly medium; their human-like "
                                       "glycosylation is not needed for a protein without sugars.")
    return HostVerdict("possible", f"Yeast can make such proteins (some insulins are made in yeast) and grows "
                                   f"fast (doubling every {h.doubling_time_text}); E. coli is the classic, "
                                   "even faster choice.")


# ---- product classes ---------------------------------------------------------------------------------
CATEGORIES = {
    "small_molecule": "small-molecule drug",
    "peptide": "peptide drug",
    "protein_biologic": "protein biologic",
    "vaccine": "vaccine",
    "blood_product": "blood product",
}


class _FactFormatter(string.Formatter):
    """Fills '{fact_key:.0f}' in a text with the fact's value ('_kda' suffix: value / 1000)."""

    def get_value(self, key, args, kwargs):
        if str(key).endswith("_kda"):
            return facts.value(str(key)[:-4]) / 1000
        return facts.value(str(key))


@dataclass(frozen=True)
class Product:
    key: str
    label: str
    category: str
    made_in: str
    reason: str
    source: str


def products() -> list[Product]:
    """The classifier's real products, with the sourced reason for each one's class."""
    fmt = _FactFormatter()
    return [Product(r["product"], r["label"], r["category"], r["made_in"], fmt.format(r["reason"]), r["source"])
            for r in _rows(PRODUCTS_CSV)]


@dataclass(frozen=True)
class SortResult:
    product: Product
    chosen: str | None
    correct: bool | None   # None when not sorted yet


def check_sorting(assignments: dict[str, str | None]) -> list[SortResult]:
    """Mark a learner's sorting: for each product the chosen class, right or wrong, and the reason."""
    catalogue = {p.key: p for p in products()}
    for key, category in assignments.items():
        check_choice("product", key, list(catalogue))
        if category is not None:
            check_choice("category", category, list(CATEGORIES))
    results = []
    for key, product in catalogue.items():
        chosen = assignments.get(key)
        results.append(SortResult(product, chosen, None if chosen is None else chosen == product.category))
    return results


def score(results: list[SortResult]) -> tuple[int, int]:
    """(number right, number of products)."""
    return sum(r.correct is True for r in results), len(results)
