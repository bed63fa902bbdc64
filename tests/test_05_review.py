"""Review notebook: product data, scoring model, sorting-challenge widget, figures, glossary."""
import time

import pytest
from conftest import MPL

from coursekit import glossary
from coursekit.figures.review import concept_map, short_name, sorting_grid
from coursekit.models import review
from coursekit.widgets.review import SortingChallenge, sorting_challenge


# ---- data and model ---------------------------------------------------------------------------
def test_products_match_the_fact_sheet():
    by_id = {p.id: p for p in review.products()}
    assert 14 <= len(by_id) <= 18
    # fact sheet §5 and §11: which products are made from stem cells, and which are living cells
    assert {i for i, p in by_id.items() if p.stem_cells == "made_from"} == {"hemacord", "omisirge", "casgevy"}
    assert {i for i, p in by_id.items() if p.form == "living_cells"} == {"hemacord", "omisirge", "casgevy",
                                                                          "kymriah", "lantidra"}
    assert by_id["kymriah"].stem_cells == "none" and "T cells" in by_id["kymriah"].explanation
    assert by_id["mmr_ii"].stem_cells == "none" and "fibroblasts" in by_id["mmr_ii"].explanation
    assert by_id["varivax"].form == "purified" and "MRC-5" in by_id["varivax"].explanation
    assert by_id["semaglutide"].tricky and "peptide" in by_id["semaglutide"].explanation
    assert by_id["chir99021"].stem_cells == "used_with" and "small molecule" in by_id["chir99021"].explanation
    assert all(p.source for p in by_id.values())


def test_no_purified_product_is_made_from_stem_cells():
    grid = review.sorting_grid()
    assert grid[("purified", "made_from")] == []
    assert sum(len(v) for v in grid.values()) == len(review.products())


def test_scoring_by_hand():
    assert review.score_item("kymriah", "living_cells", "none").points == 2
    half = review.score_item("kymriah", "living_cells", "made_from")      # the classic CAR-T mistake
    assert (half.form_correct, half.stem_correct, half.points) == (True, False, 1)
    assert half.verdict.startswith("½")
    zero = review.score_item("humulin", "living_cells", "made_from")
    assert zero.points == 0 and "E. coli" in zero.feedback_lines()[-1]
    assert review.total_score([half, zero]) == (1, 4)


@pytest.mark.parametrize("args, param", [
    (("aspirin", None, "none"), "form"),
    (("aspirin", "purified", None), "stem_cells"),
    (("aspirin", "crystals", "none"), "form"),
    (("aspirin", "purified", "maybe"), "stem_cells"),
    (("insulin_from_stem_cells", "purified", "none"), "product_id"),
])
def test_bad_answers_raise_valueerror_naming_the_parameter(args, param):
    with pytest.raises(ValueError, match=param):
        review.score_item(*args)


def test_malformed_product_file_is_rejected(tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text("id,name,description,form,stem_cells,tricky,explanation,source\n"
                   "x,X,d,gas,none,no,e,s\n")
    with pytest.raises(ValueError, match="form 'gas'"):
        review.load_products(bad)


# ---- widget -------------------------------------------------------------------------------------
def _answer_all(w, right=True):
    while not w.finished:
        p = w.current
        w.choose(p.form if right else ("living_cells" if p.form == "purified" else "purified"), p.stem_cells)
        w.click_check()
        w.click_next()


def test_challenge_feedback_per_item_and_counter():
    w = sorting_challenge()
    assert w.counter_text.startswith(f"Product 1 of {len(review.products())}")
    first = w.current
    assert first.name in w.card_text
    w.choose("living_cells", "made_from")
    w.click_check()
    assert "✗" in w.feedback_text and "Why:" in w.feedback_text and 'role="status"' in w.feedback.value
    assert w.form_choice.disabled and w.next_button.layout.display == ""
    w.click_next()
    assert w.current is not first and w.counter_text.startswith("Product 2 of")
    assert w.feedback_text == "" and w.form_choice.value is None


def test_check_without_answers_shows_a_message_and_keeps_working():
    w = SortingChallenge()
    w.choose("purified", None)
    w.click_check()
    assert "Choose an answer to both questions first" in w.message_text and "“Stem cells?”" in w.message_text
    assert "What is given?" not in w.message_text
    assert w.results == [] and not w.check_button.disabled
    w.click_next()                                  # next does nothing before a check
    assert w.index == 0
    w.choose(w.current.form, w.current.stem_cells)
    w.click_check()
    assert w.message_text == "" and "✓ Both right" in w.feedback_text


def test_final_score_explains_tricky_cases_and_restart_clears():
    w = SortingChallenge()
    _answer_all(w, right=False)
    n = len(review.products())
    assert w.points == (n, 2 * n)
    assert f"Your score: {n} of {2 * n} points" in w.score_text
    assert "Kymriah" in w.score_text and "T cells" in w.score_text and "tricky cases" in w.score_text
    assert "✗" in w.figure.value or "data:image/png" in w.figure.value
    assert w.question_box.layout.display == "none" and w.restart_button.layout.display == ""
    w.click_restart()
    assert w.index == 0 and w.results == [] and w.score_text == "" and w.counter_text.startswith("Product 1")


def test_perfect_run_and_repr():
    w = SortingChallenge()
    _answer_all(w)
    n = len(review.products())
    assert w.points == (2 * n, 2 * n) and "every tricky case right" in w.score_text
    assert repr(w) == f"SortingChallenge({n} products; {n} checked)"


def test_product_text_is_escaped(tmp_path):
    p = review.Product("x", "<b>X</b>", "<script>alert(1)</script>", "purified", "none", False, "e", "s")
    w = SortingChallenge([p])
    assert "<script>" not in w.card.value and "&lt;script&gt;" in w.card.value


# ---- figures ------------------------------------------------------------------------------------
def test_sorting_grid_structure():
    fig = sorting_grid(review.sorting_grid())
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 6 and len(texts) == 6
    assert any(t.startswith("(empty: none of these") for t in texts)
    assert any("Kymriah" in t and "Lantidra" in t for t in texts)
    marked = sorting_grid(review.sorting_grid(), {"kymriah": True, "lantidra": False})
    assert any("Kymriah ✓" in t and "Lantidra ✗" in t for t in (x.get_text() for x in marked.axes[0].texts))
    assert short_name(review.product("humulin")) == "Humulin"


def test_concept_map_structure():
    fig = concept_map()
    texts = [t.get_text() for t in fig.axes[0].texts]
    for title in ("01 Biologics", "02 Stem cells", "03 The manufacturing divide", "04 Where they meet"):
        assert title in texts
    arrows = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == 5


@pytest.mark.mpl_image_compare(**MPL)
def test_sorting_grid_image():
    return sorting_grid(review.sorting_grid())


@pytest.mark.mpl_image_compare(**MPL)
def test_concept_map_image():
    return concept_map()


# ---- glossary -----------------------------------------------------------------------------------
REQUIRED_TERMS = {"biologic", "small molecule", "monoclonal antibody", "host cell", "bioreactor", "titer",
                  "self-renewal", "differentiation", "potency", "iPSC", "HSC", "autologous", "allogeneic",
                  "Z'-factor", "EC50", "CHO cell", "cell therapy", "viability"}


def test_glossary_has_the_course_terms_and_renders():
    terms = {t.term for t in glossary.load_glossary()}
    assert REQUIRED_TERMS <= terms and len(terms) >= 25
    md = glossary.glossary_markdown()
    assert md.startswith("| Term | Meaning | Taught in |")
    assert "| **EC50** |" in md and "(04_stem_cells_in_drug_discovery.ipynb)" in md


def test_glossary_rejects_unknown_notebook(tmp_path):
    bad = tmp_path / "g.csv"
    bad.write_text("term,definition,notebook\nx,y,07_nowhere\n")
    with pytest.raises(ValueError, match="07_nowhere"):
        glossary.load_glossary(bad)


def test_answer_grid_alt_text_is_written_from_the_product_data():
    from coursekit.models import review as review_model
    from coursekit.widgets.review import answer_grid_figure
    alt = answer_grid_figure().alt
    assert "Purified products made from stem cells: none (this cell is empty)." in alt
    for product in review_model.products():   # every product named, in its own row and column
        assert product.name.split(" (")[0] in alt
    assert "Living cells made from stem cells: Hemacord" in alt
