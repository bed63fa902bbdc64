"""Notebook 01: size-ladder, host and product-class models; their figures; the three explorers."""
import html
import math
import re
from pathlib import Path

import pytest
from conftest import MPL

from coursekit import facts
from coursekit.paths import DATA_DIR, QUESTIONS_DIR
from coursekit.figures.biologics import LadderFigure, factory_diagram, host_growth_chart, size_ladder
from coursekit.models import biologics as model
from coursekit.widgets import biologics as w
from explorer_helpers import revealed

ROOT = Path(__file__).resolve().parents[1]


# ---- models: hand calculations and published values ------------------------------------------------------
def test_ladder_uses_the_fact_sheet_values():
    items = {i.key: i for i in model.ladder_items()}
    assert items["aspirin"].mass_da == pytest.approx(180.16)
    assert items["insulin"].mass_da == pytest.approx(5808)
    assert items["igg"].mass_da == pytest.approx(150_000)
    assert items["igg"].size_m == pytest.approx(12.6e-9)          # 2 x R_h 6.3 nm
    assert items["hbsag"].size_m == pytest.approx(22e-9)
    assert items["ecoli"].mass_da * model.GRAMS_PER_DALTON == pytest.approx(1e-12)   # ~1 pg (BioNumbers)
    assert items["cho"].size_m == pytest.approx(15e-6)
    assert [i.key for i in model.ladder_items()] == ["aspirin", "insulin", "igg", "hbsag", "influenza", "ecoli",
                                                     "yeast", "cho"]


def test_sphere_mass_by_hand():
    # A 1 um sphere of density 1 g/mL: pi/6 um^3 = 0.5236 fL = 0.5236 pg = 0.5236e-12 g x 6.022e23 Da/g.
    assert model.sphere_mass_da(1e-6, 1.0) == pytest.approx(0.5236e-12 * 6.02214076e23, rel=1e-3)
    # Kunert & Reinhart 2016 compute ~2 ng for a 15-16 um CHO cell at specific gravity 1.
    cho_g = model.sphere_mass_da(15.5e-6, 1.0) * model.GRAMS_PER_DALTON
    assert cho_g == pytest.approx(1.95e-9, rel=0.01)
    # HBsAg particle: 22 nm at 1.20 g/mL -> ~4.0 MDa (literature gives a few MDa).
    assert model.ladder_item("hbsag").mass_da == pytest.approx(4.03e6, rel=0.01)


def test_aspirin_diameter_fact_matches_its_derivation():
    volume_nm3 = 180.16 / (1.40 * 6.02214076e23) * 1e21       # cm^3 -> nm^3
    assert (6 * volume_nm3 / math.pi) ** (1 / 3) == pytest.approx(facts.value("bio_aspirin_diameter_nm"), abs=0.01)
    r_min_nm = 0.066 * 5808 ** (1 / 3)                         # Erickson 2009 minimal sphere
    assert 2 * r_min_nm == pytest.approx(facts.value("bio_insulin_diameter_nm"), abs=0.05)


def test_compare_aspirin_with_antibody_and_cell():
    c = model.compare("aspirin", "igg")
    assert c.mass_ratio == pytest.approx(150_000 / 180.16)      # 832.6
    assert c.size_ratio == pytest.approx(12.6 / 0.74)
    assert c.larger.key == c.heavier.key == "igg"
    far = model.compare("cho", "aspirin")                        # order does not matter
    assert far.size_orders == pytest.approx(math.log10(15e-6 / 0.74e-9))   # ~4.3, as the fact sheet says
    assert far.larger.key == "cho"
    same = model.compare("igg", "igg")
    assert same.size_ratio == same.mass_ratio == 1


@pytest.mark.parametrize("call, param", [
    (lambda: model.compare("aspirin", "dna_origami"), "item_b"),
    (lambda: model.compare("elephant", "igg"), "item_a"),
    (lambda: model.sphere_mass_da(-1e-6, 1.0), "diameter_m"),
    (lambda: model.sphere_mass_da(1e-6, 5.0), "density_g_per_ml"),
    (lambda: model.sphere_mass_da(float("nan"), 1.0), "diameter_m"),
    (lambda: model.doublings_in("cho", -3), "hours"),
    (lambda: model.doublings_in("cho", 10_000), "hours"),
    (lambda: model.host("pichia"), "host"),
    (lambda: model.judge_host("a vaccine", "cho"), "need"),
    (lambda: model.check_sorting({"aspirin": "herbal"}), "category"),
    (lambda: model.check_sorting({"unobtainium": "vaccine"}), "product"),
])
def test_models_reject_bad_input_naming_the_parameter(call, param):
    with pytest.raises(ValueError, match=param):
        call()


def test_range_message_states_the_allowed_range():
    with pytest.raises(ValueError, match=r"hours = -3 h is outside the allowed range 0 to 336 h"):
        model.doublings_in("ecoli", -3)


def test_hosts_doubling_times_and_doublings_per_day():
    hosts = {h.key: h for h in model.hosts()}
    assert hosts["ecoli"].doubling_time_h == pytest.approx(20 / 60)
    assert hosts["yeast"].doubling_time_h == pytest.approx(1.5)
    assert hosts["cho"].doubling_time_h == pytest.approx(23)
    assert hosts["ecoli"].doublings_per_day == pytest.approx(72)       # 24 h / 20 min
    assert model.doublings_in("yeast", 24) == pytest.approx(16)        # 24 h / 90 min
    assert hosts["cho"].human_like_glycans and not hosts["yeast"].human_like_glycans
    assert hosts["yeast"].titer_g_per_l is None and "no representative" in hosts["yeast"].titer_text
    assert (hosts["ecoli"].product_year, hosts["yeast"].product_year, hosts["cho"].product_year) == (1982, 1986, 1987)


@pytest.mark.parametrize("need, host, rating", [
    ("glycosylated_antibody", "cho", "good"), ("glycosylated_antibody", "yeast", "poor"),
    ("glycosylated_antibody", "ecoli", "poor"), ("unglycosylated_protein", "ecoli", "good"),
    ("unglycosylated_protein", "yeast", "possible"), ("unglycosylated_protein", "cho", "possible"),
])
def test_judge_host(need, host, rating):
    verdict = model.judge_host(need, host)
    assert verdict.rating == rating and verdict.correct == (rating == "good")
    assert len(verdict.reason) > 40


def test_products_cover_the_brief_and_fill_numbers_from_facts():
    products = {p.key: p for p in model.products()}
    assert len(products) == 10
    expected = {"aspirin": "small_molecule", "semaglutide": "peptide", "humulin": "protein_biologic",
                "adalimumab": "protein_biologic", "alteplase": "protein_biologic", "filgrastim": "protein_biologic",
                "hbv_vaccine": "vaccine", "factor_viii": "blood_product"}
    assert {k: products[k].category for k in expected} == expected
    assert set(p.category for p in products.values()) == set(model.CATEGORIES)
    assert "31 amino acids" in products["semaglutide"].reason and "more than 40" in products["semaglutide"].reason
    assert "148 kDa" in products["adalimumab"].reason and "1982" in products["humulin"].reason
    assert not any("{" in p.reason for p in products.values())


def test_check_sorting_and_score():
    results = model.check_sorting({"aspirin": "small_molecule", "semaglutide": "protein_biologic"})
    by_key = {r.product.key: r for r in results}
    assert by_key["aspirin"].correct is True and by_key["semaglutide"].correct is False
    assert by_key["humulin"].correct is None
    assert model.score(results) == (1, 10)


def test_data_tables_only_reference_existing_facts():
    import csv
    known = facts.all_facts()
    for name, columns in (("biologics_size_ladder.csv", ("size_key", "mass_key", "density_key")),
                          ("biologics_hosts.csv", ("doubling_key", "titer_key", "product_year_key"))):
        with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for col in columns:
                    assert not row[col] or row[col] in known, f"{name}: {row[col]} is not in facts.csv"


# ---- figures --------------------------------------------------------------------------------------------
def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_size_ladder_structure():
    items = model.ladder_items()
    fig = size_ladder(items, highlight=("aspirin", "igg"))
    ax_size, ax_mass = fig.axes
    assert ax_size.get_xscale() == ax_mass.get_xscale() == "log"
    assert ax_size.get_xlabel() == "size (log scale)" and ax_mass.get_xlabel().startswith("mass (daltons")
    texts = _texts(fig)
    for expected in ("0.74 nm", "12.6 nm", "15 µm", "180.16 Da", "150 kDa", "1 pg", "≈1.8 ng", "▶ IgG antibody",
                     "▶ aspirin", "CHO cell"):
        assert expected in texts
    assert any("hydrodynamic diameter" in t for t in texts)           # the size measure is stated
    rings = [c for c in ax_size.collections if c.get_gid() == "highlight"][0]
    assert rings.get_offsets().ravel().tolist() == pytest.approx([0.74e-9, 0, 12.6e-9, 2])
    assert len(ax_size.collections) == 6                     # stems + 4 kinds (marker + colour) + highlight rings


def test_highlight_ladder_moves_rings_and_hides_other_values():
    items = model.ladder_items()
    ladder = LadderFigure(items, values_for="highlighted")
    fig = ladder.update(("aspirin", "igg"))
    assert ladder.update(("yeast", "cho")) is fig                      # the same figure, redrawn in place
    visible = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]
    assert "4 µm" in visible and "15 µm" in visible and "0.74 nm" not in visible
    assert "▶ CHO cell" in visible and "aspirin" in visible
    ring = [c for c in fig.axes[1].collections if c.get_gid() == "highlight"][0]
    assert len(ring.get_offsets()) == 2
    with pytest.raises(ValueError, match="highlight"):
        ladder.update(("unicorn",))
    with pytest.raises(ValueError, match="values_for"):
        LadderFigure(items, values_for="some")


def test_factory_diagram_structure():
    fig = factory_diagram()
    texts = " ".join(_texts(fig))
    for step in ("1. Gene", "2. Engineered", "3. The cells make", "4. Purification", "5. Purified", "discarded"):
        assert step in texts
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(boxes) == 6 and len(arrows) == 5
    assert any(b.get_hatch() == "xx" for b in boxes)                   # the discarded cells are hatched, not only grey
    assert "CHO cells" in " ".join(_texts(factory_diagram("CHO cells")))
    with pytest.raises(ValueError, match="host_label"):
        factory_diagram("  ")


def test_host_growth_chart_structure():
    fig = host_growth_chart(model.hosts(), chosen="cho")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [p.get_width() for p in ax.patches] == pytest.approx([1 / 3, 1.5, 23])
    assert [p.get_hatch() for p in ax.patches] == [None, None, "//"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["E. coli", "yeast", "▶ CHO"]
    assert "20 min  (72 doublings a day*)" in _texts(fig) and "23 h  (about 1 doubling a day*)" in _texts(fig)
    assert any(t.startswith("* with unlimited growth") for t in _texts(fig))


@pytest.mark.mpl_image_compare(**MPL)
def test_size_ladder_image():
    return size_ladder(model.ladder_items(), highlight=("aspirin", "igg"))


@pytest.mark.mpl_image_compare(**MPL)
def test_factory_diagram_image():
    return factory_diagram()


@pytest.mark.mpl_image_compare(**MPL)
def test_host_growth_chart_image():
    return host_growth_chart(model.hosts(), chosen="cho")


# ---- widgets: what a learner sees after a change or click --------------------------------------------------
def test_size_comparer_updates_summary_and_figure():
    e = revealed(w.size_comparer(), item_a="aspirin", item_b="igg")
    assert "IgG antibody (12.6 nm) is 17 times larger than aspirin (0.74 nm)" in e.summary_text
    assert "IgG antibody (150 kDa) is 830 times heavier than aspirin (180.16 Da)" in e.summary_text
    first = e.figure.value
    e.controls["item_b"].value = "cho"
    assert "CHO cell (15 µm) is 20,000 times larger than aspirin" in e.summary_text
    assert "5.9 × 10^12 times heavier" in e.summary_text and "4.3 orders of magnitude" in e.summary_text
    assert "estimate from its size and density" in e.summary_text
    assert e.figure.value != first and "CHO cell highlighted" in e.figure_alt.replace("and CHO cell", "CHO cell")
    e.controls["item_a"].value = "cho"
    assert "You picked CHO cell twice" in e.summary_text


def test_size_comparer_shows_a_message_for_bad_input_and_keeps_working():
    e = revealed(w.size_comparer(), item_a="aspirin", item_b="igg")
    e.controls["item_b"].options = list(e.controls["item_b"].options) + [("DNA origami", "dna_origami")]
    e.controls["item_b"].value = "dna_origami"
    assert "item_b = 'dna_origami' is not one of the allowed values" in html.unescape(e.message_text)
    assert "aspirin" in e.summary_text                              # last good result kept
    e.controls["item_b"].value = "insulin"
    assert e.message_text == "" and "insulin" in e.summary_text


def test_host_comparer_feedback_after_choice_and_check():
    h = w.host_comparer()
    assert "E. coli" in h.table.value and "high-mannose" in h.table.value and "alteplase" in h.table.value
    assert 'role="status"' in h.live.value and "Pick a host" in h.status_text
    assert h.status_text.startswith("You need a glycosylated antibody")
    h.need.value = "unglycosylated_protein"                           # a new need shows before any host is picked
    assert h.status_text.startswith("You need a small protein without sugars") and "Pick a host" in h.status_text
    h.need.value = "glycosylated_antibody"
    assert h.state.answer == w.HostAnswer("glycosylated_antibody", None) and h.state.result is None
    h.click_check()
    assert h.state.hint == "Pick a host first, then press Check." and h.state.attempts == 0
    assert "Pick a host first" in h.message_text and 'role="alert"' in h.message.value
    h.choose("yeast")
    assert h.state.answer.host == "yeast" and h.state.hint == "" and h.message_text == ""
    assert "You picked yeast" in h.status_text and "yeast is marked" in h.figure_alt
    h.click_check()
    assert h.state.result.rating == "poor" and h.state.latest.correct is False
    assert h.status_text.startswith("✗ Not a good choice.") and "human-like" in h.status_text
    h.choose("cho")
    assert h.state.result is None                                     # a new choice clears the old verdict
    h.click_check()
    assert h.verdict.rating == "good" and h.state.attempts == 2
    assert h.state.first.answer.host == "yeast" and h.state.latest.answer.host == "cho"   # first attempt kept
    assert h.status_text.startswith("✓ Good choice.") and "23 h" in h.status_text
    h.need.value = "unglycosylated_protein"
    assert h.state.result is None and "You need a small protein without sugars" in h.status_text
    h.click_check()
    assert h.state.result.rating == "possible" and h.status_text.startswith("~ Possible")
    h.choose("ecoli")
    h.click_check()
    assert h.state.result.rating == "good" and h.status_text.startswith("✓ Good choice.")
    assert "1982" in h.status_text


def test_host_comparer_shows_a_message_for_bad_input_and_keeps_working():
    h = w.host_comparer()
    h.need.options = list(h.need.options) + [("a gene therapy", "gene_therapy")]
    h.need.value = "gene_therapy"
    h.choose("cho")
    h.click_check()
    assert "need = 'gene_therapy' is not one of the allowed values" in h.state.message
    assert "need = 'gene_therapy' is not one of the allowed values" in h.message_text
    assert h.state.attempts == 0 and h.state.result is None
    h.need.value = "glycosylated_antibody"
    h.click_check()
    assert h.message_text == "" and h.state.message == "" and h.status_text.startswith("✓ Good choice.")


def test_classifier_progress_check_feedback_and_reset():
    c = w.classifier()
    assert "0 of 10 products sorted" in c.status_text and c.state.result is None
    c.choose("aspirin", "small_molecule")
    assert c.state.answer["aspirin"] == "small_molecule"
    assert "1 of 10 products sorted" in c.status_text              # every change shows visible text
    c.choose("semaglutide", "protein_biologic")
    c.choose("factor_viii", "blood_product")
    c.click_check()
    assert c.score == (2, 10) and c.state.latest.correct is False and c.state.attempts == 1
    marks = {r.product.key: r.correct for r in c.state.result}
    assert marks["aspirin"] is True and marks["semaglutide"] is False and marks["humulin"] is None
    assert "2 of 10 right (3 sorted)" in c.status_text
    text = c.results_text
    assert "✓ Aspirin : small-molecule drug." in text
    assert "✗ Semaglutide (Ozempic) : you chose protein biologic; it is a peptide drug" in text
    assert "more than 40 amino acids" in text and "Humulin (human insulin) : not sorted yet" in text
    c.choose("semaglutide", "peptide")
    assert c.state.result is None and c.results_text == "" and "3 of 10 products sorted" in c.status_text
    c.click_check()
    assert c.state.first.answer["semaglutide"] == "protein_biologic"            # the first attempt is kept
    assert c.state.latest.answer["semaglutide"] == "peptide" and c.score == (3, 10)
    c.reset_button.click()
    assert "0 of 10 products sorted" in c.status_text and all(v is None for v in c.assignments().values())
    assert c.state.attempts == 2 and c.state.first.number == 1 and c.state.result is None


def test_classifier_all_right():
    c = w.classifier()
    for p in model.products():
        c.choose(p.key, p.category)
    c.click_check()
    assert c.score == (10, 10) and c.state.latest.correct is True
    assert "10 of 10 right" in c.status_text and "✗" not in c.results_text


def test_classifier_shows_a_message_for_bad_input_and_keeps_working():
    c = w.classifier()
    dd = c.dropdowns["aspirin"]
    dd.options = list(dd.options) + [("herbal remedy", "herbal")]
    dd.value = "herbal"
    c.click_check()
    assert "category = 'herbal' is not one of the allowed values" in c.state.message
    assert "category = 'herbal' is not one of the allowed values" in c.message_text
    dd.value = "small_molecule"
    c.click_check()
    assert c.message_text == "" and "1 of 10 right" in c.status_text and c.score == (1, 10)


def test_custom_widgets_follow_the_conventions():
    for widget in (w.host_comparer(), w.classifier()):
        assert "coursekit-explorer" in widget._dom_classes
        assert 'role="status"' in widget.live.value
        assert repr(widget).startswith("▶ Run this cell (Shift+Enter) to show the ")


# ---- notebook, bank and instructor guide -------------------------------------------------------------
def test_instructor_answer_key_matches_the_bank():
    from coursekit import questions
    from coursekit.models.assessment import key_text
    bank = questions.load_bank(QUESTIONS_DIR / "01_what_biologics_are.json")
    guide = (ROOT / "instructors/01_what_biologics_are.md").read_text()
    key = guide.split("## Answer key", 1)[1]
    for qid, q in bank.items():
        assert re.search(rf"- `{qid}`: \*\*{re.escape(key_text(q))}\*\* \(.+\)", key), qid


def test_notebook_shows_the_nuance_and_every_seed_sentence():
    import nbformat
    nb = nbformat.read(ROOT / "notebooks/01_what_biologics_are.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert text.count("> **Nuance.**") >= 1 and "### Where the law draws the line" in text
    for phrase in ("derived from, or produced by, living organisms", "small-molecule drugs, such as aspirin",
                   "proteins, sugars, or nucleic acids", "biological factories",
                   "monoclonal antibodies used to\n> treat cancer and autoimmune disorders",
                   "23 March 2020", "more than 40 amino acids", "cells and\ntissues"):
        assert phrase in text, phrase
