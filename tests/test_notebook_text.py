"""Every notebook has a reviewable text twin (lessons/<stem>.md) and the two never drift apart."""
import difflib
import shutil

import nbformat
import pytest

from tools import notebook_text

STEMS = notebook_text.stems()


def test_every_course_notebook_has_a_text_twin():
    notebooks = sorted(p.stem for p in notebook_text.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert notebooks and notebooks == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_and_text_agree(stem):
    assert notebook_text.drift(stem) == [], "edit lessons/*.md, then run `make outputs`"


@pytest.fixture()
def private_copy(tmp_path, monkeypatch):
    """The lessons and notebooks copied to a temporary folder, with the tool pointed at them."""
    shutil.copytree(notebook_text.LESSONS, tmp_path / "lessons")
    shutil.copytree(notebook_text.NOTEBOOKS, tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns("coursekit", ".ipynb_checkpoints"))
    monkeypatch.setattr(notebook_text, "LESSONS", tmp_path / "lessons")
    monkeypatch.setattr(notebook_text, "NOTEBOOKS", tmp_path / "notebooks")
    return tmp_path


def test_a_one_word_change_is_a_one_line_text_diff_and_is_caught_as_drift(private_copy):
    stem = "01_what_biologics_are"
    md = private_copy / "lessons" / f"{stem}.md"
    before = md.read_text(encoding="utf-8")
    after = before.replace("diverse group", "varied group", 1)
    assert after != before
    md.write_text(after, encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 2                                    # one line out, one line in
    problems = notebook_text.drift(stem)
    assert len(problems) == 1 and "source differs" in problems[0]


def test_a_prose_only_build_keeps_outputs_and_a_code_change_drops_them(private_copy):
    stem = "00_start_here"
    md = private_copy / "lessons" / f"{stem}.md"
    md.write_text(md.read_text(encoding="utf-8").replace("## Why this course?", "## Why this course, then?"),
                  encoding="utf-8")
    path, stale = notebook_text.build(stem)
    nb = nbformat.read(path, as_version=4)
    assert not stale and all(c.execution_count for c in nb.cells if c.cell_type == "code")
    assert "widgets" in nb.metadata and notebook_text.drift(stem) == []
    md.write_text(md.read_text(encoding="utf-8").replace('print("Hello!', 'print("Hi!'), encoding="utf-8")
    path, stale = notebook_text.build(stem)
    nb = nbformat.read(path, as_version=4)
    assert stale and all(not c.outputs for c in nb.cells if c.cell_type == "code")
