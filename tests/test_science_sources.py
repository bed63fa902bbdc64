"""Issue 18: numbers the science review corrected, held against their sources and against what the learner sees.

Licence years, the size-ladder gridline step, the Hill slope notebook 04's dose-response explorer draws, the
cord-blood dose count, and a source check that keeps vendor, blog, aggregator and staging-site sources (and the
internal fact sheet, which a learner cannot open) out of every data file the course shows.
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from coursekit import facts
from coursekit.models import biologics, manufacturing
from coursekit.paths import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"


def lesson(stem: str) -> str:
    return (LESSONS / f"{stem}.md").read_text(encoding="utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


# ---- licence years ------------------------------------------------------------------------------------------
def test_hepatitis_b_vaccine_licence_years_and_dates():
    recombivax, engerix = facts.get("bio_hbv_vaccine_licence_year"), facts.get("bio_engerix_b_licence_year")
    assert (recombivax.value, recombivax.low, recombivax.high) == (1986, 1986, 1986)
    assert (engerix.value, engerix.low, engerix.high) == (1989, 1989, 1989)
    assert "RECOMBIVAX HB" in recombivax.source and "23 Jul 1986" in recombivax.source
    assert "1986-07-23" in recombivax.source          # the FDA NDC marketing start date
    assert "ENGERIX-B" in engerix.source and "28 Aug 1989" in engerix.source


def test_the_classifier_dates_engerix_b_to_1989_not_1986():
    engerix = next(p for p in biologics.products() if p.label.startswith("Engerix-B"))
    assert "licensed in the US since 1989" in engerix.reason
    assert "1986" not in engerix.reason


def test_the_host_table_pairs_1986_with_recombivax_hb_only():
    yeast = biologics.host("yeast")
    rows = {r["host"]: r for r in csv.DictReader((DATA_DIR / "biologics_hosts.csv").open(encoding="utf-8"))}
    assert facts.value(rows["yeast"]["product_year_key"]) == 1986
    assert "Recombivax HB" in rows["yeast"]["product"] and "Engerix" not in rows["yeast"]["product"]
    assert yeast.key == "yeast"


# ---- Figure 1 of notebook 01: gridline steps ------------------------------------------------------------------
def _step(ticks) -> float:
    ratios = {round(b / a, 6) for a, b in zip(ticks, ticks[1:])}
    assert len(ratios) == 1, f"gridlines are not evenly spaced on the log scale: {ticks}"
    return ratios.pop()


def test_size_ladder_gridline_steps_match_the_prose():
    from coursekit.figures.biologics import size_ladder
    fig = size_ladder(biologics.ladder_items())
    size_ax, mass_ax = fig.axes[:2]
    size_step, mass_step = _step(list(size_ax.get_xticks())), _step(list(mass_ax.get_xticks()))
    assert (size_step, mass_step) == (100, 1000)
    words = {100: "a hundred times", 1000: "a thousand times"}
    prose = flat(lesson("01_what_biologics_are"))
    assert f"each gridline is {words[size_step]} (size) or {words[mass_step]} (mass) the one before" in prose
    footnote = " ".join(t.get_text() for t in fig.texts)
    assert "×100 in size" in footnote and "×1,000 in mass" in footnote


# ---- notebook 04's dose-response explorer: the Hill slope it draws is the slope its slider shows -------------
@pytest.mark.parametrize("slope", [1.0, 2.0, 3.0])
def test_the_dose_response_explorer_draws_the_hill_slope_its_slider_states(slope):
    from coursekit.models import discovery
    from coursekit.numbers import concentration_nm
    from coursekit.widgets import discovery as disc
    from matplotlib.patches import Rectangle
    explorer = disc.dose_response_explorer()
    explorer.predict(explorer.item.choices[0].id, "sure")
    explorer.commit()
    if explorer.stage == "read":
        explorer.skip_reading()
    slider = explorer.controls["hill_slope"]
    slider.value = slope
    assert explorer.values()["hill_slope"] == slope and f"{slider.value:{slider.readout_format}}" == f"{slope:.1f}"
    ax = explorer.last_view.figure.axes[0]
    effect, _viability, ec50_marker = ax.lines[:3]          # drawn in this order by DoseFigure
    window = next(p for p in ax.patches if isinstance(p, Rectangle))
    assert window.get_visible(), "EC50 10 nM and TC50 1,000 nM leave a window at slopes 1 to 3"
    ec50 = ec50_marker.get_xdata()[0]
    ec90 = window.get_x()
    drawn = math.log(9) / math.log(ec90 / ec50)     # EC90 = EC50 * 9^(1/slope)
    x, y = effect.get_data()
    at_ten_ec50 = np.interp(math.log10(10 * ec50), np.log10(x), y)
    assert at_ten_ec50 == pytest.approx(100 / (1 + 10 ** -drawn), abs=0.5)
    assert drawn == pytest.approx(slope)
    # the text alternative names the window the figure draws, for this slope
    w = discovery.safety_window(**{k: explorer.values()[k] for k in ("ec50_nm", "tc50_nm", "hill_slope")})
    assert ec90 == pytest.approx(w.ec90_nm) and window.get_x() + window.get_width() == pytest.approx(w.tc10_nm)
    assert f"spans {concentration_nm(w.ec90_nm)} to {concentration_nm(w.tc10_nm)}" in explorer.figure_alt


def test_the_explorer_starts_at_the_slope_the_text_names():
    from coursekit.widgets import discovery as disc
    explorer = disc.dose_response_explorer()
    start = explorer.controls["hill_slope"].value
    assert start == 1.0
    text = flat(lesson("04_stem_cells_in_drug_discovery"))
    assert "with the hill slope at 1," in text.lower()
    # the static slope-2 figure left notebook 04 (it gave the explorer's answer away): no other slope on the page
    assert "dose_figure()" not in lesson("04_stem_cells_in_drug_discovery")


# ---- cord blood: a nucleated-cell count, not a viable-cell dose -----------------------------------------------
def test_cord_blood_dose_counts_all_nucleated_cells_and_car_t_counts_viable_cells():
    tnc = facts.value("mfg_cord_tnc_min_per_kg")
    cord = manufacturing.cell_dose(70, tnc, 0.8, 6.97e8, 2.8, "cord")
    assert cord.dose_cells == pytest.approx(70 * 2.5e7)
    assert cord.cells_to_manufacture == pytest.approx(70 * 2.5e7)        # no division by viability
    cart = manufacturing.cell_dose(20, 1e6, 0.8, 1e7, 2.8, "cart")
    assert cart.cells_to_manufacture == pytest.approx(20 * 1e6 / 0.8)     # viable CAR-T cells per kg (label)


# ---- sources: primary, not vendor, blog, aggregator, staging site or the internal fact sheet --------------------
DENY = ("benchchem", "biologyinsights", "bioprocesstools", "futureengineers", "goodrx", "xcessbio", "yaohaibio",
        "thefreedictionary", "platformsh", "//staging.", "//develop-", "prolifecell", "pipeline-evidence", "vativorx",
        "ro.co/", "laboratorynotes", "news-medical", "cbcspecialtyservices", "healthday", "pharmacytimes",
        "wiki.sensus", "aatbio", "aat bioquest", "metrionbiosciences", "fujifilmcdi", "googleweblight", "zloadr",
        "drugs.com")
INTERNAL = ("fact sheet", "facts.md")

SOURCE_COLUMNS = {
    "facts.csv": "source",
    "biologics_products.csv": "source",
    "biologics_hosts.csv": "source",
    "04_stem_cells_in_drug_discovery/discovery_signals.csv": "source",
}


def weak_sources(path: Path, column: str) -> list[str]:
    problems = []
    with path.open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            text = (row[column] or "").lower()
            for bad in DENY + INTERNAL:
                if bad in text:
                    problems.append(f"{path.name} line {n}: source cites {bad!r}")
            if not text.strip():
                problems.append(f"{path.name} line {n}: no source")
    return problems


@pytest.mark.parametrize("name", sorted(SOURCE_COLUMNS))
def test_every_source_is_primary_or_beside_a_primary_one(name):
    assert weak_sources(DATA_DIR / name, SOURCE_COLUMNS[name]) == []


def test_the_source_check_catches_a_vendor_page(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text("key,source\nx,\"Insulin MW (benchchem.com product page)\"\ny,\"fact sheet section 2\"\n",
                    encoding="utf-8")
    problems = weak_sources(path, "source")
    assert len(problems) == 2 and "benchchem" in problems[0] and "fact sheet" in problems[1]


def test_learner_prose_never_points_at_the_internal_fact_sheet():
    for path in sorted(LESSONS.glob("*.md")):
        assert "fact sheet" not in path.read_text(encoding="utf-8").lower(), path.name
    for bank in sorted((DATA_DIR / "questions").glob("*.json")):
        assert "fact sheet" not in json.dumps(json.loads(bank.read_text(encoding="utf-8"))).lower(), bank.name
