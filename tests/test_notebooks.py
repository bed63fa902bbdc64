"""Every course notebook: valid, executed in order, clean outputs, the DESIGN.md template, sourced numbers."""
import json
import re
from pathlib import Path

import nbformat
import pytest

import nbhygiene
from coursekit import course, questions
from coursekit.paths import QUESTIONS_DIR

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_course_map_lists_exactly_the_notebooks_that_exist():
    assert [n.file for n in course.notebooks()] == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_hygiene_and_template(name):
    problems = nbhygiene.check_notebook(NB_DIR / name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_numbers_in_prose_are_sourced_facts(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    minutes = {n.minutes for n in course.notebooks()} | {n.deeper_minutes for n in course.notebooks()}
    problems = nbhygiene.check_prose_numbers(nbhygiene.notebook_prose(nb), name, nbhygiene.allowed_numbers(), minutes)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("bank", sorted(p.name for p in QUESTIONS_DIR.glob("*.json")))
def test_numbers_in_question_banks_are_sourced_facts(bank):
    raw = json.loads((QUESTIONS_DIR / bank).read_text())
    texts = [q[k] for q in raw["questions"] for k in ("prompt", "reason_prompt", "right", "wrong") if k in q]
    texts += [o[k] for q in raw["questions"] for part in ("options", "reasons") for o in q.get(part, [])
              for k in ("text", "feedback")]
    texts += [t["feedback"] for q in raw["questions"] for t in q.get("traps", [])]
    texts += [o["text"] for o in raw.get("objectives", [])]
    problems = nbhygiene.check_prose_numbers(texts, bank, nbhygiene.allowed_numbers(), set())
    assert not problems, "\n".join(problems)


def test_numbers_in_the_misconception_list_are_sourced_facts():
    import csv

    from coursekit.paths import MISCONCEPTIONS_CSV
    with MISCONCEPTIONS_CSV.open(newline="", encoding="utf-8") as handle:
        texts = [row[k] for row in csv.DictReader(handle) for k in ("belief", "why_wrong")]
    problems = nbhygiene.check_prose_numbers(texts, "misconceptions.csv", nbhygiene.allowed_numbers(), set())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_check_question_used_exists_and_every_section_has_checks(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    calls = re.findall(r'coursekit\.check\("([^"]+)", "([^"]+)"\)', "\n".join(c.source for c in nb.cells))
    stem = name.removesuffix(".ipynb")
    assert calls, f"{name} asks no check question"
    bank = questions.all_banks()[stem]
    assert {nb_ for nb_, _ in calls} == {stem}
    assert {q for _, q in calls} == set(bank), f"{name}: bank questions not shown: {set(bank) - {q for _, q in calls}}"
    if stem not in ("00_start_here", "05_review"):
        assert len(calls) >= 2


def test_start_notebook_course_map_is_generated_from_course_json():
    nb = nbformat.read(NB_DIR / "00_start_here.ipynb", as_version=4)
    assert any(c.source.startswith("## Course map") for c in nb.cells if c.cell_type == "markdown")
    assert any(course.course_map_markdown() in c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_navigation_matches_course_order(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    nav = course.navigation(name)
    assert nav in nb.cells[0].source and nav in nb.cells[-1].source
    assert course.binder_badge(name) + " " + course.lite_link(name) in nb.cells[0].source
