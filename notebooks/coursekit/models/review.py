"""The review notebook's sorting challenge: real products, two questions each, scored against sourced answers.

For every product in coursekit/data/review_products.csv a learner answers
1. what is given to the patient (or sold): a purified product, or living cells?
2. are stem cells involved: is it made from stem cells, used with them (a tool to grow, steer or collect stem
   cells), or neither?
Each right part scores one point.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import DATA_DIR
from ..tables import Row, read_table
from .validation import check_choice

PRODUCTS_CSV = DATA_DIR / "review_products.csv"
COLUMNS = ("id", "name", "description", "form", "stem_cells", "tricky", "explanation", "source")

FORM_CHOICES = {
    "purified": "A purified product (molecules or virus particles, no living cells)",
    "living_cells": "Living cells",
}
STEM_CHOICES = {
    "made_from": "Made from stem cells",
    "used_with": "Not made from them, but used with stem cells",
    "none": "No stem cells involved",
}
POINTS_PER_PRODUCT = 2


@dataclass(frozen=True)
class Product:
    """A real product with the sourced answers to the two sorting questions."""

    id: str
    name: str
    description: str
    form: str
    stem_cells: str
    tricky: bool
    explanation: str
    source: str


@dataclass(frozen=True)
class ItemResult:
    """The score for one product: which parts were right, and the feedback a learner reads."""

    product: Product
    form_answer: str
    stem_answer: str

    @property
    def form_correct(self) -> bool:
        return self.form_answer == self.product.form

    @property
    def stem_correct(self) -> bool:
        return self.stem_answer == self.product.stem_cells

    @property
    def points(self) -> int:
        return int(self.form_correct) + int(self.stem_correct)

    @property
    def verdict(self) -> str:
        if self.points == POINTS_PER_PRODUCT:
            return "✓ Both right."
        if self.points == 0:
            return "✗ Both answers need another look."
        return "½ One of two right."

    def feedback_lines(self) -> list[str]:
        """What the learner reads after checking: each part marked, the right answers, and why."""
        p = self.product
        form = ("✓" if self.form_correct else "✗") + f" Product: {FORM_CHOICES[p.form]}."
        stem = ("✓" if self.stem_correct else "✗") + f" Stem cells: {STEM_CHOICES[p.stem_cells]}."
        return [f"{self.verdict} {p.name}", form, stem, f"Why: {p.explanation}"]


def _parse(row: Row) -> Product:
    return Product(row["id"], row["name"], row["description"], row.choice("form", FORM_CHOICES),
                   row.choice("stem_cells", STEM_CHOICES), row.yes_no("tricky"), row["explanation"], row["source"])


def load_products(path: Path | str = PRODUCTS_CSV) -> list[Product]:
    """Read and validate the product list; raise ValueError naming the row that is wrong."""
    return [_parse(row) for row in read_table(Path(path), COLUMNS, unique="id")]


@lru_cache(maxsize=1)
def products() -> tuple[Product, ...]:
    """The course's product list, loaded once per kernel."""
    return tuple(load_products())


def product(product_id: str) -> Product:
    by_id = {p.id: p for p in products()}
    check_choice("product_id", product_id, list(by_id))
    return by_id[product_id]


def score_item(product_id: str, form: str | None, stem_cells: str | None) -> ItemResult:
    """Score one product's two answers (ValueError if an answer is missing or not an allowed choice)."""
    p = product(product_id)
    check_choice("form", form, list(FORM_CHOICES))
    check_choice("stem_cells", stem_cells, list(STEM_CHOICES))
    return ItemResult(p, form, stem_cells)


def total_score(results: list[ItemResult]) -> tuple[int, int]:
    """(points scored, points possible) over the checked products."""
    return sum(r.points for r in results), POINTS_PER_PRODUCT * len(results)


def sorting_grid(items: list[Product] | tuple[Product, ...] | None = None) -> dict[tuple[str, str], list[Product]]:
    """The answer key as a grid: (form, stem_cells) -> products in that cell (every cell present, maybe empty)."""
    items = products() if items is None else items
    grid = {(f, s): [] for f in FORM_CHOICES for s in STEM_CHOICES}
    for p in items:
        grid[(p.form, p.stem_cells)].append(p)
    return grid


def sources_markdown() -> str:
    """A Markdown table of the products and where each answer comes from."""
    lines = ["| Product | Purified or living cells? | Stem cells? | Source |", "|---|---|---|---|"]
    for p in products():
        lines.append(f"| {p.name} | {FORM_CHOICES[p.form]} | {STEM_CHOICES[p.stem_cells]} | "
                     f"{p.source.replace('|', '/')} |")
    return "\n".join(lines)
