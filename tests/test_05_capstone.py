"""Notebook 05's capstone: the case data and its sources, the audit, the concept-map builder, the own-words paragraph.

Widgets are driven headless as a learner would (set values, click) and checked on what the learner reads, on what
is saved in the progress store, and on what is *not* on screen before the learner acts (no part of the key).
"""
import json
import re

import ipywidgets as widgets
import nbformat
import pytest
from conftest import MPL, NOTEBOOKS_DIR

from coursekit import progress
from coursekit.figures import capstone as capstone_figures
from coursekit.models import capstone
from coursekit.widgets.capstone import CaseAudit, ConceptMapBuilder, OwnWords
from coursekit.widgets.markup import plain

CASES = capstone.cases()


@pytest.fixture(autouse=True)
def own_progress_file(tmp_path, monkeypatch):
    """Every test saves into its own progress file."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    progress.clear_session_state()
    yield path
    progress.clear_session_state()


def all_text(widget) -> str:
    """Every piece of text a widget tree holds (HTML values, labels, options), as a learner could read it."""
    parts = []
    if isinstance(widget, widgets.HTML):
        parts.append(plain(widget.value))
    for name in ("description", "placeholder"):
        if isinstance(getattr(widget, name, None), str):
            parts.append(getattr(widget, name))
    if isinstance(widget, widgets.Textarea):
        parts.append(widget.value)
    if hasattr(widget, "options") and not isinstance(widget, widgets.Box):
        parts.extend(str(o[0] if isinstance(o, tuple) else o) for o in widget.options)
    for child in getattr(widget, "children", ()):
        parts.append(all_text(child))
    return " ".join(parts)


def right_justification(case):
    return next(j.text for j in case.justifications if j.correct)


def commit_key(w: CaseAudit, confidence="fairly_sure"):
    c = w.current
    assert c is not None
    w.answer(c.key["agent"], c.key["stem"], c.key["biologic"], right_justification(c), confidence)
    w.click_commit()


# ---- the cases -----------------------------------------------------------------------------------
def test_at_least_eight_new_cases_with_sources():
    assert len(CASES) >= 8
    for case in CASES:
        assert case.sources and all(s.claim and s.source for s in case.sources), case.id
        assert case.excerpt and case.how_made and case.key_line
        if case.composed:  # a composed advert or claim says so where the learner reads it, and in its sources
            assert case.excerpt.startswith("COMPOSED EXAMPLE")
            assert any("Composed for this course" in s.source for s in case.sources)
        else:  # a real product: at least one primary source (a label, a regulator's page, a paper with a DOI)
            assert any(re.search(r"fda\.gov|europa\.eu|label|doi:|prescribing information|summary of product",
                                 s.source, re.I) for s in case.sources), case.id


def test_no_case_was_named_in_an_earlier_notebook():
    earlier = " ".join(c.source for name in sorted(NOTEBOOKS_DIR.glob("0[0-4]_*.ipynb"))
                       for c in nbformat.read(name, as_version=4).cells)
    for case in (c for c in CASES if not c.composed):   # composed adverts and claims name no real product
        brand = re.split(r"[ (]", case.name)[0]
        assert brand.lower() not in earlier.lower(), f"{case.name} is already named before 05"


# Vendor, blog, aggregator and staging sites, and the internal fact sheet a learner cannot open (as in issue 18).
WEAK_SOURCES = ("benchchem", "biologyinsights", "bioprocesstools", "goodrx", "thefreedictionary", "platformsh",
                "//staging.", "//develop-", "news-medical", "cbcspecialtyservices", "healthday", "drugs.com",
                "fact sheet", "facts.md")


def test_no_case_rests_on_a_weak_source():
    for case in CASES:
        for source in case.sources:
            assert not any(bad in source.source.lower() for bad in WEAK_SOURCES), (case.id, source.source)


def test_the_cases_cover_every_answer_on_every_axis():
    axes = capstone.axes()
    for axis in capstone.AXES:
        assert {c.key[axis] for c in CASES} == set(axes[axis]["options"]), axis


def test_the_cases_carry_the_facts_from_their_sources():
    by_id = {c.id: c for c in CASES}
    assert by_id["nuwiq"].key == {"agent": "not_cells", "stem": "not_involved", "biologic": "yes"}
    assert "HEK 293F" in by_id["nuwiq"].how_made
    assert by_id["zolgensma"].key["agent"] == "not_cells"
    assert "human embryonic kidney cells" in by_id["zolgensma"].excerpt
    assert "cell-free in vitro transcription" in by_id["comirnaty"].excerpt
    assert by_id["zynteglo"].key == {"agent": "living_cells", "stem": "product", "biologic": "yes"}
    assert by_id["bemdaneprocel"].key["stem"] == "starting_material"
    assert by_id["heparin"].key["biologic"] == "no" and "porcine intestinal mucosa" in by_id["heparin"].excerpt
    assert by_id["provenge"].key == {"agent": "living_cells", "stem": "not_involved", "biologic": "yes"}
    assert by_id["exosome_ad"].composed and by_id["exosome_ad"].key["agent"] == "not_cells"


def test_two_tier_items_follow_the_rules():
    names = capstone.misconceptions()
    for case in CASES:
        assert 3 <= len(case.justifications) <= 4
        assert sum(j.correct for j in case.justifications) == 1
        assert all(j.misconception in names for j in case.justifications if not j.correct)
        texts = [j.text for j in case.justifications]
        assert not any(re.search(r"all of the above|none of the above", t, re.I) for t in texts)
        order = case.justification_order()
        assert sorted(order) == list(range(len(texts))) and order == case.justification_order()
    right_first = sum(c.justification_order()[0] == next(i for i, j in enumerate(c.justifications) if j.correct)
                      for c in CASES)
    assert right_first < len(CASES)  # the shuffle moves the right reason off the top for most cases


def test_the_core_audit_spans_every_answer_of_every_axis_and_the_more_part_holds_the_rest():
    core, more = capstone.cases(part="core"), capstone.cases(part="more")
    assert [c.id for c in CASES] == [c.id for c in CASES if c in core or c in more]      # data order, nothing lost
    assert not set(c.id for c in core) & set(c.id for c in more) and len(core) + len(more) == len(CASES)
    axes = capstone.axes()
    for axis in capstone.AXES:  # a test-wise "always the same answer" fails on the core path too
        assert {c.key[axis] for c in core} == set(axes[axis]["options"]), axis
    assert any(c.kind == "advertisement" for c in core)   # the red-flags objective is on the core path
    w = CaseAudit(core, save=False)
    assert len(w.cases) == 6 and f"of {len(core)}" in w.counter.value


def test_a_part_that_does_not_exist_is_named_with_the_allowed_ones(tmp_path):
    with pytest.raises(ValueError, match=r"part = 'all' must be one of \('core', 'more'\)"):
        capstone.cases(part="all")
    raw = json.loads(capstone.data_path().read_text(encoding="utf-8"))
    raw["cases"][0]["part"] = "extra"
    bad = tmp_path / "capstone.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="part = 'extra'"):
        capstone.cases(str(bad))


def test_bad_data_and_bad_answers_get_clear_messages(tmp_path):
    raw = json.loads(capstone.data_path().read_text(encoding="utf-8"))
    raw["cases"][0]["key"]["stem"] = "made_of"
    bad = tmp_path / "capstone.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="key for stem"):
        capstone.cases(str(bad))
    case = CASES[0]
    with pytest.raises(ValueError, match="agent = 'alive'"):
        capstone.grade(case, "alive", "product", "yes", 0, "sure")
    with pytest.raises(ValueError, match="confidence"):
        capstone.grade(case, "living_cells", "product", "yes", 0, "certain")
    with pytest.raises(ValueError, match="justification"):
        capstone.grade(case, "living_cells", "product", "yes", 9, "sure")


def test_grading_counts_axes_and_reason():
    case = next(c for c in CASES if c.id == "bemdaneprocel")
    belief = "made_from_stem_cells_is_stem_cell_product"
    wrong = next(i for i, j in enumerate(case.justifications) if j.misconception == belief)
    r = capstone.grade(case, "living_cells", "product", "yes", wrong, "sure")
    assert r.axis_right == {"agent": True, "stem": False, "biologic": True}
    assert r.points == 2 and not r.all_right and r.sure_and_wrong
    s = capstone.summary([r])
    assert s["misconceptions"] == [belief] and s["sure_and_wrong"] == ["bemdaneprocel"]


# ---- the audit ------------------------------------------------------------------------------------
def test_nothing_of_the_key_is_on_screen_before_the_learner_acts():
    w = CaseAudit()
    text = all_text(w)
    for case in CASES:
        assert case.key_line not in text
        for why in case.why.values():
            assert why not in text
    assert w.key.value == "" and w.live.value == "" and w.summary.value == ""
    assert "The key" not in text and "✓" not in text and "✗" not in text
    assert w.card_text.startswith(CASES[0].name)


def test_commit_needs_every_part_and_loses_nothing(own_progress_file):
    w = CaseAudit()
    c = w.current
    w.answer(c.key["agent"], None, c.key["biologic"], None, None)
    w.click_commit()
    assert "Still to choose: the role of stem cells, a justification, how sure you are" in w.message_text
    assert w.live.value == "" and not w.results and progress.entry("05_review", f"audit_{c.id}") is None
    assert w.axis_choices["agent"].value == c.key["agent"]          # what was chosen is still chosen
    commit_key(w)
    assert w.message_text == "" and c.id in w.results


def test_feedback_is_for_the_committed_case_only():
    w = CaseAudit()
    c = w.current
    wrong = next(j for j in c.justifications if not j.correct)
    w.answer("living_cells", "product", c.key["biologic"], wrong.text, "sure")
    w.click_commit()
    fb = w.feedback_text
    assert c.key_line in fb and "The key:" in fb
    assert capstone.misconceptions()[wrong.misconception] in fb
    assert "You said you were sure" in fb
    for other in CASES[1:]:
        assert other.key_line not in all_text(w)
    assert w.commit_button.disabled and all(x.disabled for x in w.axis_choices.values())
    assert w.key.value == ""


def test_first_attempt_is_saved_with_confidence_and_misconception(own_progress_file):
    w = CaseAudit()
    c = w.current
    wrong = next(j for j in c.justifications if not j.correct)
    w.answer(c.key["agent"], c.key["stem"], c.key["biologic"], wrong.text, "sure")
    w.click_commit()
    entry = progress.entry("05_review", f"audit_{c.id}")
    assert entry["kind"] == "activity" and entry["attempts"] == 1
    first = entry["first"]
    assert first["correct"] is False and first["confidence"] == "sure"
    assert first["details"]["misconception"] == wrong.misconception and first["details"]["after_key"] is False
    w.click_commit()                                        # a second press does not add an attempt
    assert progress.entry("05_review", f"audit_{c.id}")["attempts"] == 1


def test_the_key_appears_on_request_and_marks_later_answers():
    w = CaseAudit()
    commit_key(w)
    w.click_next()
    assert w.key.value == ""
    w.click_key()
    for case in CASES:
        assert case.key_line in w.key_text
    assert w.key_button.layout.display == "none"
    commit_key(w)
    assert progress.entry("05_review", f"audit_{CASES[1].id}")["first"]["details"]["after_key"] is True


def test_finishing_shows_the_summary_and_the_key():
    w = CaseAudit()
    for n in range(len(CASES)):
        if n == 2:   # one confident mistake
            c = w.current
            w.answer("not_cells" if c.key["agent"] == "living_cells" else "living_cells", c.key["stem"],
                     c.key["biologic"], right_justification(c), "sure")
            w.click_commit()
        else:
            commit_key(w)
        w.click_next()
    assert w.finished and w.question_box.layout.display == "none"
    n = len(CASES)
    assert f"{4 * n - 1} of {4 * n} points" in w.summary_text and f"{n - 1} of {n} cases fully right" in w.summary_text
    assert f"Sure but not right: {CASES[2].name}" in w.summary_text
    assert all(c.key_line in w.key_text for c in CASES)


def test_case_text_is_escaped():
    case = capstone.Case("x", "<b>X</b>", "label", False, "<script>alert(1)</script>", "made",
                         {"agent": "not_cells", "stem": "not_involved", "biologic": "yes"},
                         {"agent": "a", "stem": "s", "biologic": "b"}, "line",
                         (capstone.Justification("<i>r</i>", None),
                          capstone.Justification("w", "biologics_contain_cells")),
                         (capstone.Source("c", "s"),))
    w = CaseAudit([case], save=False)
    assert "<script>" not in w.card.value and "&lt;script&gt;" in w.card.value


# ---- the concept map ---------------------------------------------------------------------------------
def test_each_placement_gets_its_own_feedback_and_the_map_is_redrawn():
    m = ConceptMapBuilder()
    assert "Box 1: empty" in m.figure_alt and all(m.feedback_text(s.id) == "" for s in m.slots)
    m.place("box_1", "stem")
    assert m.feedback_text("box_1").startswith("✗") and "Box 1: Stem cells" in m.figure_alt
    m.place("box_1", "factory")
    assert m.feedback_text("box_1").startswith("✓") and "None of them is a stem cell" in m.feedback_text("box_1")
    assert m.feedback_text("box_2") == ""
    m.place("arrow_a", "make")
    assert "Arrow A from Box 1 to Box 2: make it, then are removed" in m.figure_alt


def test_an_unplaced_label_gets_a_clear_message_and_nothing_is_lost():
    m = ConceptMapBuilder()
    m.place("box_1", "factory")
    m.place("arrow_c", "differentiate")
    m.click_finish()
    assert "Not finished yet: 11 place(s) still have no label" in m.message_text and "Arrow A" in m.message_text
    assert m.placements["box_1"] == "factory" and m.placements["arrow_c"] == "differentiate"
    assert progress.entry("05_review", "concept_map") is None


def test_a_complete_map_is_scored_and_saved():
    m = ConceptMapBuilder()
    for slot in m.slots:
        m.place(slot.id, slot.answer)
    m.place("arrow_f", "model")                       # one wrong
    m.click_finish()
    assert f"{len(m.slots) - 1} of {len(m.slots)} places match" in m.status_text
    assert progress.entry("05_review", "concept_map")["first"]["details"]["right"] == len(m.slots) - 1


def test_placement_model_rejects_unknown_slots_and_labels():
    with pytest.raises(ValueError, match="slot_id"):
        capstone.check_placement("box_9", "factory")
    with pytest.raises(ValueError, match="label_id"):
        capstone.check_placement("box_1", "nothing")
    right, text = capstone.check_placement("box_1", "make")
    assert not right and "needs a thing" in text


def test_learner_map_draws_their_labels():
    placements = {s.id: s.answer for s in capstone.map_slots()}
    placements["box_3"] = None
    fig = capstone_figures.learner_map(placements)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "Living-cell therapy" in texts and "?" in texts and "Biologic in US law" not in texts
    arrows = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == 7


@pytest.mark.mpl_image_compare(**MPL)
def test_learner_map_image():
    placements = {s.id: s.answer for s in capstone.map_slots()}
    placements["box_3"] = None
    return capstone_figures.learner_map(placements, {"box_1": True, "arrow_a": False})


# ---- own words --------------------------------------------------------------------------------------
def test_empty_paragraph_gets_a_clear_message_and_nothing_is_saved():
    w = OwnWords()
    w.write("   \n  ")
    w.click_submit()
    assert "The box is empty" in w.message_text
    assert progress.entry("05_review", "own_words") is None and w.model.value == ""


def test_rubric_is_visible_first_and_the_model_answer_only_after_submitting():
    w = OwnWords()
    for r in capstone.rubric():
        assert r["text"] in plain(w.rubric_view.value)
    assert capstone.model_answer() not in all_text(w) and w.self_check_box.layout.display == "none"
    w.write("Usually not. " * 10)
    w.click_submit()
    assert w.self_check_box.layout.display == "" and w.model.value == ""
    w.tick("final_agent", "legal")
    w.click_self_check()
    assert "You ticked 2 of 4 rubric points" in w.model_text and capstone.model_answer() in w.model_text
    assert progress.entry("05_review", "own_words")["latest"]["details"]["self_check"] == ["final_agent", "legal"]


def test_paragraph_is_saved_restored_downloadable_and_never_rendered():
    text = "Usually not <script>alert('x')</script> & <b>bold</b>: a biologic is a purified molecule."
    w = OwnWords()
    w.write(text)
    w.click_submit()
    entry = progress.entry("05_review", "own_words")
    assert entry["first"]["answer"] == text and entry["kind"] == "text" and entry["first"]["correct"] is None
    assert w.download_text == text
    html_values = [c.value for c in w.children if isinstance(c, widgets.HTML)]
    assert not any("<script>" in v or "<b>bold</b>" in v for v in html_values)
    again = OwnWords()                                  # a new kernel, the same progress file
    assert again.text.value == text and "back in the box" in again.status_text


def test_a_corrupted_progress_file_gets_a_message_and_loses_nothing(own_progress_file):
    own_progress_file.write_text("{ this is not json")
    w = OwnWords()                                      # reading the file at start-up finds it broken
    assert "could not be read" in w.message_text and "a fresh one was started" in w.message_text
    assert w.text.value == ""
    w.write("A biologic is a purified molecule made by factory cells.")
    w.click_submit()
    assert "✓ Saved" in w.status_text
    assert progress.entry("05_review", "own_words")["latest"]["answer"].startswith("A biologic is")
    backups = list(own_progress_file.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{ this is not json"   # the old file is kept


def test_the_audit_reports_a_corrupted_progress_file_and_still_saves(own_progress_file):
    own_progress_file.write_text("\x00\x01 garbage")
    w = CaseAudit()
    commit_key(w)
    assert "could not be read" in w.message_text and w.current.key_line in w.feedback_text
    assert progress.entry("05_review", f"audit_{w.current.id}")["first"]["correct"] is True


# ---- the notebook -----------------------------------------------------------------------------------
def test_notebook_05_shows_no_key_and_no_old_spoilers_after_run_all():
    raw = (NOTEBOOKS_DIR / "05_review.ipynb").read_text(encoding="utf-8")  # prose, outputs and widget state
    nb = nbformat.reads(raw, as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    for case in CASES:
        assert case.key_line not in raw
        for text in (*case.why.values(), *(s.source for s in case.sources)):
            assert json.dumps(text)[1:-1] not in raw, text
    for slot in capstone.map_slots():
        assert json.dumps(slot.explain)[1:-1] not in raw
    assert json.dumps(capstone.model_answer())[1:-1] not in raw
    assert "answer_grid_figure" not in json.dumps(nb.cells) and "No sourced numbers" not in outputs
    assert "sorting_challenge" not in json.dumps(nb.cells)
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for call in ('case_audit("core")', 'case_audit("more")', "concept_map_builder()", "own_words()"):
        assert call in sources
