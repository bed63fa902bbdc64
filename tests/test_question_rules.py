"""Issue 13's rules for the check items, measured on the real banks, and shown to catch a bank that breaks them."""
import copy
import json
import math
import re
from pathlib import Path

import nbformat
import pytest

from coursekit import course, questions
from coursekit.models import assessment
from coursekit.paths import QUESTIONS_DIR

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
STEMS = [n.stem for n in course.notebooks()]
CALL = re.compile(r'coursekit\.check\("([^"]+)", "([^"]+)"\)')


# ---- the figures the issue asks for -----------------------------------------------------------------------
def test_course_figures_meet_the_issue():
    f = questions.course_figures()
    print(f"\n{f}\nlongest {f.longest_share:.0%}, positions {f.position_shares}, new cases {f.new_case_share:.0%}")
    assert f.items >= 40
    assert f.by_type["numeric"] >= 5 and f.by_type["two_tier"] >= 3 and f.by_type["multi"] >= 1
    assert f.longest_share <= 0.25
    assert all(0.15 <= share <= 0.35 for share in f.position_shares.values()) and len(f.position_shares) == 4
    assert f.wrong_options == f.wrong_options_tagged > 0
    assert f.new_case_share >= 1 / 3
    assert questions.check_course(f) == []


def test_course_figures_are_measured_not_assumed():
    """Hand-count one bank and compare with course_figures."""
    bank = questions.all_banks()["04_stem_cells_in_drug_discovery"]
    f = questions.course_figures({"04": bank})
    raw = json.loads((QUESTIONS_DIR / "04_stem_cells_in_drug_discovery.json").read_text(encoding="utf-8"))
    assert f.items == sum(q["type"] not in ("poll", "poll_multi") for q in raw["questions"])
    wrong = sum(1 for q in raw["questions"] for k in ("options", "reasons") for o in q.get(k, []) if not o["correct"])
    assert f.wrong_options == wrong
    assert sum(f.positions.values()) == sum(1 for q in bank.values() if q.type in ("single", "two_tier")
                                            for tier in (q.options, q.reasons) if len(tier) == 4)


def test_check_course_names_each_broken_rule():
    f = questions.course_figures()
    broken = questions.CourseFigures(items=30, polls=0, by_type={**f.by_type, "numeric": 2, "two_tier": 1},
                                     single_correct_items=10, longest_correct=4,
                                     positions={"A": 10, "B": 0, "C": 0, "D": 0},
                                     wrong_options=20, wrong_options_tagged=19, new_case=5, confidence_items=30)
    problems = " | ".join(questions.check_course(broken))
    for words in ("30 graded items", "2 numeric", "1 two-tier", "single longest in 4 of 10", "position B holds 0%",
                  "1 wrong options name no misconception", "5 of 30 items"):
        assert words in problems, words


def test_shuffle_is_fixed_per_item_and_spreads_answers():
    a = questions.all_banks()
    b = questions.all_banks()
    shown_a, shown_b = a["02_stem_cells"]["balance"].options, b["02_stem_cells"]["balance"].options
    assert [o.text for o in shown_a] == [o.text for o in shown_b]
    raw = json.loads((QUESTIONS_DIR / "02_stem_cells.json").read_text(encoding="utf-8"))
    authored = next(q for q in raw["questions"] if q["id"] == "balance")
    assert authored["options"][0]["correct"]                      # authored right-first ...
    shown = a["02_stem_cells"]["balance"].options
    assert [o.text for o in shown] != [o["text"] for o in authored["options"]] or shown[0].correct
    assert {o.text for o in shown} == {o["text"] for o in authored["options"]}


# ---- the loader rejects a bad item (each rule) --------------------------------------------------------------
def _bank(tmp_path, item, name="zz_test"):
    good = {"id": "q", "type": "single", "prompt": "p?", "objectives": ["zz.o"],
            "options": [{"text": "right", "correct": True, "feedback": "because"},
                        {"text": "wrong", "correct": False, "feedback": "because not",
                         "misconception": "biologics_contain_cells"}]}
    good.update(item)
    path = tmp_path / f"{name}.json"
    objectives = [{"id": "zz.o", "text": "Do it"}]
    path.write_text(json.dumps({"notebook": name, "objectives": objectives, "questions": [good]}))
    return path


RIGHT = {"text": "a", "correct": True, "feedback": "f"}


def wrong(text="b", misconception="biologics_contain_cells", feedback="f"):
    option = {"text": text, "correct": False, "feedback": feedback}
    return {**option, "misconception": misconception} if misconception else option


NUMERIC = {"type": "numeric", "unit": "cells", "answer": 3, "tolerance": {"relative": 0.1}, "range": [0, 10],
           "right": "r", "wrong": "w"}


@pytest.mark.parametrize("item, message", [
    ({"options": [RIGHT, wrong(misconception=None)]}, "names no misconception"),
    ({"options": [RIGHT, wrong(misconception="no_such_belief")]}, "not in misconceptions.csv"),
    ({"options": [RIGHT, wrong("All of the above")]}, "all/none of the above"),
    ({"options": [RIGHT, wrong("None of these")]}, "all/none of the above"),
    ({"options": [{**RIGHT, "feedback": ""}, wrong()]}, "needs feedback"),
    ({"options": [RIGHT, {**RIGHT, "text": "b"}]}, "exactly 1 correct"),
    ({"type": "quiz"}, "type 'quiz'"),
    ({"objectives": ["zz.other"]}, "objectives"),
    ({"level": "hard"}, "level 'hard'"),
    ({**NUMERIC, "answer": {"fact": "no_such_fact"}}, "no_such_fact"),
    ({**NUMERIC, "tolerance": {"relative": 0}}, "tolerance"),
    ({**NUMERIC, "unit": ""}, "needs 'unit'"),
    ({"type": "poll", "options": [{"text": "a", "correct": True, "feedback": ""}, {"text": "b", "feedback": ""}]},
     "a poll has no right answer"),
    ({"type": "two_tier", "reason_prompt": "Why?", "reasons": [wrong("r1"), wrong("r2")]}, "reason tier"),
    ({"type": "multi"}, "multi-select"),
])
def test_loader_rejects_a_bad_item(tmp_path, item, message):
    with pytest.raises((ValueError, KeyError), match=message):
        questions.load_bank(_bank(tmp_path, item))


def test_loader_accepts_the_minimal_good_item(tmp_path):
    assert list(questions.load_bank(_bank(tmp_path, {}))) == ["q"]


def test_retrieval_must_name_the_previous_notebook(tmp_path):
    path = _bank(tmp_path, {"retrieval_of": "01_what_biologics_are"}, name="03_manufacturing_divide")
    with pytest.raises(ValueError, match="must be the notebook before"):
        questions.load_bank(path)


# ---- every numeric answer is computed from sourced facts and models ------------------------------------------
NUMERIC_ITEMS = [q for bank in questions.all_banks().values() for q in bank.values() if q.type == "numeric"]


@pytest.mark.parametrize("q", NUMERIC_ITEMS, ids=lambda q: q.id)
def test_numeric_answers_are_computed_inside_their_range_and_traps_are_told_apart(q):
    answer = float(assessment.numeric_answer(q.answer))
    assert math.isfinite(answer) and q.range[0] <= answer <= q.range[1]
    assert "fact" in json.dumps(q.answer) or "model" in json.dumps(q.answer)   # derived, never typed
    assert assessment.grade_numeric(q, repr(answer)).correct
    for trap in q.traps:
        value = float(assessment.numeric_answer(trap.answer))
        verdict = assessment.grade_numeric(q, repr(value))
        assert verdict.correct is False and verdict.misconceptions == (trap.misconception,), (q.id, value)


def test_numeric_answers_against_hand_calculations():
    bank = questions.all_banks()
    doses = assessment.numeric_answer(bank["03_manufacturing_divide"]["doses_per_run"].answer)
    assert doses == pytest.approx(2.56 * 2000 * 0.7 * 1000 / 40)          # g/L x L x recovery, mg / 40 mg
    cells = assessment.numeric_answer(bank["03_manufacturing_divide"]["cd34_collect"].answer)
    assert cells == pytest.approx(5e6 * 70 / 0.92)
    fold = assessment.numeric_answer(bank["03_manufacturing_divide"]["cord_fold"].answer)
    assert fold == pytest.approx(2.5e7 * 70 / 6.97e8)   # the cord minimum counts nucleated cells, dead or alive
    days = assessment.numeric_answer(bank["03_manufacturing_divide"]["cord_days"].answer)
    assert days == pytest.approx(math.log2(fold) * 2.8)
    assert assessment.numeric_answer(bank["02_stem_cells"]["imbalance_doublings"].answer) == pytest.approx(
        math.log(2) / math.log(1.1))
    assert assessment.numeric_answer(bank["02_stem_cells"]["hsc_years"].answer) == pytest.approx(
        math.log(2) / math.log(1.1) * 40 * 7 / 365.25)


@pytest.mark.parametrize("text, value", [("2.5", 2.5), ("2,000", 2000), ("3.8e8", 3.8e8), ("3.8 x 10^8", 3.8e8),
                                         ("3.8 × 10⁸", 3.8e8), ("3.8×10^-2", 0.038), (" 7 ", 7)])
def test_typed_numbers_are_read_as_learners_write_them(text, value):
    assert assessment.parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, message", [("", "empty"), ("seven", "not a number"), ("3.8e8 cells", "not a number"),
                                           ("inf", "finite"), ("1e400", "finite")])
def test_bad_typed_numbers_get_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        assessment.parse_number(text)


# ---- levels: new cases, retrieval openers, objectives ------------------------------------------------------
def _cells(stem):
    return nbformat.read(NB_DIR / f"{stem}.ipynb", as_version=4).cells


def _section_above(cells, qid):
    """Markdown of the section that holds the check call: from its '## ' heading down to the call."""
    at = next(i for i, c in enumerate(cells) if c.cell_type == "code" and f'"{qid}")' in c.source)
    start = max((i for i in range(at) if cells[i].cell_type == "markdown" and re.match(r"#{1,2} ", cells[i].source)),
                default=0)
    return "\n".join(c.source for c in cells[start:at] if c.cell_type == "markdown")


NEW_CASES = [(nb, q) for nb, bank in questions.all_banks().items() for q in bank.values() if q.new_case]


@pytest.mark.parametrize("nb, q", NEW_CASES, ids=lambda x: getattr(x, "id", x))
def test_a_new_case_is_not_shown_in_the_section_above_its_item(nb, q):
    above = _section_above(_cells(nb), q.id)
    asked = " ".join([q.prompt, *(o.text for o in q.options)]).lower()
    assert q.new_case.lower() in asked, f"{q.id}: new_case {q.new_case!r} must be what the item asks about"
    assert q.new_case.lower() not in above.lower(), f"{nb}/{q.id}: {q.new_case!r} already appears in the section above"


@pytest.mark.parametrize("stem", STEMS[2:])
def test_notebooks_02_to_05_open_with_a_retrieval_item_about_the_previous_one(stem):
    calls = [m.group(2) for c in _cells(stem) if c.cell_type == "code" for m in CALL.finditer(c.source)]
    first = questions.question(stem, calls[0])
    assert first.retrieval_of == STEMS[STEMS.index(stem) - 1], f"{stem} opens with {calls[0]}"
    heading = next(i for i, c in enumerate(_cells(stem)) if c.cell_type == "markdown" and c.source.startswith("## 1"))
    call_at = next(i for i, c in enumerate(_cells(stem)) if calls[0] in c.source and c.cell_type == "code")
    assert call_at < heading, f"{stem}: the retrieval item must come before section 1"


def _objective_bullets(stem):
    cell = next(c.source for c in _cells(stem) if c.cell_type == "markdown" and "## Learning objectives" in c.source)
    bullets: list[str] = []
    for line in cell.splitlines():
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets and line.strip():     # a bullet continued on the next line
            bullets[-1] += " " + line.strip()
    # a "Go deeper" objective is marked in the notebook: "*Go deeper:* compare ..." is the objective "Compare ..."
    return [b[len("*Go deeper:* "):][:1].upper() + b[len("*Go deeper:* ") + 1:] if b.startswith("*Go deeper:* ") else b
            for b in bullets]


@pytest.mark.parametrize("stem", STEMS)
def test_every_learning_objective_is_in_the_bank_and_assessed(stem):
    b = questions.read_bank(QUESTIONS_DIR / f"{stem}.json")
    assert sorted(b.objectives.values()) == sorted(_objective_bullets(stem)), \
        "bank objectives differ from the notebook's"
    by_items = {o for q in b.questions.values() if q.graded or q.type.startswith("poll") for o in q.objectives}
    by_activities = {a["objective"] for a in b.activities}
    assert set(b.objectives) <= by_items | by_activities, set(b.objectives) - by_items - by_activities


def test_the_coverage_check_can_fail(tmp_path):
    raw = json.loads((QUESTIONS_DIR / "03_manufacturing_divide.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["questions"] = [q for q in broken["questions"] if "03.dose" not in q["objectives"]]
    (tmp_path / "03_manufacturing_divide.json").write_text(json.dumps(broken))
    b = questions.read_bank(tmp_path / "03_manufacturing_divide.json")
    covered = {o for q in b.questions.values() for o in q.objectives} | {a["objective"] for a in b.activities}
    assert "03.dose" not in covered


# ---- the misconception list ---------------------------------------------------------------------------------
def test_misconception_list_covers_the_nine_the_issue_names():
    known = questions.misconceptions()
    for needed in ("biologics_contain_cells", "factory_cells_are_stem_cells", "all_biologics_are_proteins",
                   "made_from_stem_cells_is_stem_cell_product", "clinics_sell_approved_therapies",
                   "made_by_living_things_means_biologic", "vaccines_from_fetal_stem_cells",
                   "every_cell_therapy_is_stem_cell_therapy", "adult_stem_cells_become_anything"):
        assert needed in known and known[needed].why_wrong and known[needed].confronted_in
    used = set().union(*(q.diagnosed() for bank in questions.all_banks().values() for q in bank.values()))
    assert {m for m in known if m.startswith(("biologics_contain", "factory_cells", "adult_stem"))} <= used
