"""The class view on a generated room: 60 learners' progress files plus every kind of bad file.

The generator knows what each learner answered first and now, so every count the class view shows is checked
against it; bad files must be skipped with the reason; learners' files must be byte-for-byte untouched.
"""
from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path

import pytest

from coursekit import classview, questions
from coursekit.figures import class_view as figures
from tools import class_report

LEARNERS = 60
TAGS = ["biologics_contain_cells", "factory_cells_are_stem_cells", "all_biologics_are_proteins"]


def _attempt(answer: str, correct: bool | None, tag: str | None) -> dict:
    return {"answer": answer, "correct": correct, "confidence": "sure", "time": "2026-12-01T10:00:00",
            "details": {"misconception": tag} if tag else {}}


def make_room(folder: Path, n: int = LEARNERS, seed: int = 7) -> dict:
    """Write n learners' progress files (v2, real bank items) into folder; return what each answered."""
    rng = random.Random(seed)
    banks = questions.all_banks()
    truth: dict = {"first": Counter(), "latest": Counter(), "tags_first": Counter(), "tags_still": Counter(),
                   "first_right": Counter(), "latest_right": Counter(), "learners": Counter()}
    for i in range(n):
        answers: dict = {}
        held_first, held_still = set(), set()
        for notebook, bank in banks.items():
            for qid, q in bank.items():
                if sum(o.correct for o in q.options) != 1:   # one-answer items (single choice, two-tier) only
                    continue
                if rng.random() < 0.15:   # not everyone answers everything
                    continue
                options = list(q.options)
                wrong = [o for o in options if not o.correct]
                first = rng.choice(options)
                latest = q.correct_option if rng.random() < 0.75 else rng.choice(options)
                tag_of = {o.text: TAGS[j % len(TAGS)] for j, o in enumerate(wrong)}
                f_tag, l_tag = tag_of.get(first.text), tag_of.get(latest.text)
                answers.setdefault(notebook, {})[qid] = {
                    "kind": "check", "attempts": 1 if first == latest else 2,
                    "first": _attempt(first.text, first.correct, f_tag),
                    "latest": _attempt(latest.text, latest.correct, l_tag)}
                key = (notebook, qid)
                truth["first"][key + (first.text,)] += 1
                truth["latest"][key + (latest.text,)] += 1
                truth["first_right"][key] += first.correct
                truth["latest_right"][key] += latest.correct
                truth["learners"][key] += 1
                if f_tag:
                    held_first.add(f_tag)
                    if l_tag == f_tag:
                        held_still.add(f_tag)
        truth["tags_first"].update(held_first)
        truth["tags_still"].update(held_still)
        sub = folder / f"learner_{i:02d}_name{i}"
        sub.mkdir(parents=True)
        (sub / "progress.json").write_text(json.dumps({"version": 2, "answers": answers}), encoding="utf-8")
    return truth


BAD_FILES = {
    "empty.json": (b"", "empty file"),
    "blank.json": (b"  \n", "empty file"),
    "cut_off.json": (b'{"version": 2, "answers": {"01_what', "not valid JSON"),
    "garbage.json": (bytes(range(256)) * 4, "not text"),
    "package.json": (json.dumps({"name": "left-pad", "version": "1.3.0"}).encode(), "not a course progress file"),
    "notebook.json": (json.dumps({"cells": [], "nbformat": 4}).encode(), "not a course progress file"),
    "bad_entry.json": (json.dumps({"version": 2, "answers": {"01": {"q": {"first": 3}}}}).encode(),
                       "not a course progress file"),
    "future.json": (json.dumps({"version": 9, "answers": {}}).encode(), "newer than this course"),
    "nothing_yet.json": (json.dumps({"version": 2, "answers": {}}).encode(), "no answers yet"),
}


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """One generated room for the module (the tests only read it; one test checks nothing was written)."""
    folder = tmp_path_factory.mktemp("room") / "handed-in"
    truth = make_room(folder)
    bad = folder / "bad"
    bad.mkdir()
    for name, (content, _reason) in BAD_FILES.items():
        (bad / name).write_bytes(content)
    # a learner who handed in the same file twice (e.g. "progress (1).json" from a second download)
    (bad / "progress (1).json").write_bytes((folder / "learner_03_name3" / "progress.json").read_bytes())
    (folder / "progress.json.lock").write_text("")           # store side files are not progress files: ignored
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "x.json").write_text("{}")  # hidden folders are ignored
    return folder, truth


def snapshot(folder: Path) -> dict:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_counts_equal_what_the_learners_answered(room):
    folder, truth = room
    view = classview.collect(folder)
    assert view.learners == LEARNERS
    assert len(view.items) == len(truth["learners"])
    for item in view.items:
        key = (item.notebook, item.item_id)
        assert item.learners == truth["learners"][key]
        assert item.first_right == truth["first_right"][key] and item.latest_right == truth["latest_right"][key]
        for answer in item.answers:
            assert item.first[answer] == truth["first"][key + (answer,)], (key, answer)
            assert item.latest[answer] == truth["latest"][key + (answer,)], (key, answer)
        bank = questions.question(item.notebook, item.item_id)
        assert item.answers[:len(bank.options)] == [o.text for o in bank.options]   # bars in the bank's order
        assert item.correct == {bank.correct_option.text}
        assert sum(item.first.values()) == sum(item.latest.values()) == item.learners


def test_misconceptions_most_held_at_first_come_first(room):
    folder, truth = room
    view = classview.collect(folder)
    got = {m.id: (m.at_first, m.still_now) for m in view.misconceptions}
    assert got == {t: (truth["tags_first"][t], truth["tags_still"][t]) for t in truth["tags_first"]}
    firsts = [m.at_first for m in view.misconceptions]
    assert firsts == sorted(firsts, reverse=True)
    beliefs = classview.misconception_beliefs()
    for m in view.misconceptions:   # the learner's words when the list has the id, else the id made readable
        assert m.belief == beliefs.get(m.id, m.id.replace("_", " "))


def test_every_bad_file_is_skipped_with_which_and_why(room):
    folder, _ = room
    view = classview.collect(folder)
    reasons = {s.path.name: s.reason for s in view.skipped}
    for name, (_content, why) in BAD_FILES.items():
        assert why in reasons.get(name, ""), (name, reasons.get(name))
    copies = [s for s in view.skipped if "same answers as" in s.reason]   # one of the two copies, naming the other
    assert len(copies) == 1
    skipped, kept = copies[0].path.relative_to(folder).as_posix(), copies[0].reason
    assert {skipped, "learner_03_name3/progress.json", "bad/progress (1).json"} == {
        "learner_03_name3/progress.json", "bad/progress (1).json"} and skipped not in kept
    assert len(view.skipped) == len(BAD_FILES) + 1            # the lock file and hidden folder are not mentioned
    assert all(s.line().startswith(f"skipped {s.path}: ") for s in view.skipped)


@pytest.fixture(scope="module")
def report(room):
    """`make class-report` run once on the room (anonymous), with the room's files snapshotted around it."""
    import contextlib
    import io

    folder, _ = room
    out = folder.parent / "report"
    before = snapshot(folder)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = class_report.main([str(folder), "--out", str(out)])
    return status, out, printed.getvalue(), before


def test_learners_files_are_never_written(room, report):
    folder, _ = room
    status, _out, _printed, before = report
    classview.collect(folder)
    assert status == 0
    assert snapshot(folder) == before                          # same files, same bytes, same modification times


def test_report_is_anonymous_unless_names_are_asked_for(room, report):
    folder, _ = room
    status, out, printed, _ = report
    assert status == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Class view: 60 learners</h1>" in page
    assert "learner_03" not in page and "name3" not in page and "garbage.json" not in page
    # the instructor's terminal says which files were skipped
    assert "garbage.json: not text" in printed and "60 learner file(s) counted, 10 skipped" in printed
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 1 + len(classview.collect(folder).items)
    view = classview.collect(folder, names=True)
    named = class_report.page(view, folder, True, pictures=[])   # the same page builder, figures left out
    assert "learner_03_name3" in named and "bad/garbage.json" in named


def test_report_refuses_to_write_into_the_learners_folder(room, capsys):
    folder, _ = room
    assert class_report.main([str(folder), "--out", str(folder / "report")]) == 2
    assert "inside the learners' folder" in capsys.readouterr().err
    assert not (folder / "report").exists()
    assert class_report.main([str(folder / "missing")]) == 2


def test_a_version_1_file_is_counted(tmp_path):
    q = next(iter(questions.all_banks()["01_what_biologics_are"].values()))
    (tmp_path / "old.json").write_text(json.dumps({"answers": {"01_what_biologics_are": {
        q.id: {"answer": q.correct_option.text, "correct": True, "time": "2026-01-01T00:00:00"}}}}))
    view = classview.collect(tmp_path)
    assert view.learners == 1 and view.items[0].first_right == view.items[0].latest_right == 1


def test_an_item_figure_shows_first_and_now_counts_and_names_the_right_answer(room):
    folder, _ = room
    item = classview.collect(folder).items[0]
    fig = figures.item_figure(item)
    ax = fig.axes[0]
    bars = ax.patches
    n = len(item.answers)
    assert [round(b.get_width()) for b in bars[:n]] == [item.first[a] for a in item.answers]
    assert [round(b.get_width()) for b in bars[n:2 * n]] == [item.latest[a] for a in item.answers]
    assert all(b.get_hatch() == "//" for b in bars[:n]) and not any(b.get_hatch() for b in bars[n:2 * n])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    right = [lab for lab in labels if lab.endswith("(right answer)")]
    assert len(right) == 1
    assert f"right at first try: {item.first_right} of {item.learners}" in fig._suptitle.get_text()
    assert str(item.first[item.answers[0]]) in figures.item_alt(item)


def test_many_distinct_answers_are_pooled_keeping_the_right_one(tmp_path):
    """A numeric item answered 30 different ways: at most MAX_BARS bars, the right answer kept, totals unchanged."""
    answers = {}
    for i in range(30):
        a = str(100 + i)
        answers[f"l{i}.json"] = {"version": 2, "answers": {"03_manufacturing_divide": {"dose": {
            "kind": "check", "attempts": 1, "first": _attempt(a, a == "129", None),
            "latest": _attempt("129", True, None)}}}}
    for name, data in answers.items():
        (tmp_path / name).write_text(json.dumps(data))
    item = classview.collect(tmp_path).items[0]
    assert len(item.answers) <= classview.MAX_BARS and "129" in item.answers and item.answers[-1] == classview.OTHER
    assert sum(item.first.values()) == 30 and item.latest["129"] == 30


def test_an_empty_folder_gives_an_empty_view_not_an_error(tmp_path):
    view = classview.collect(tmp_path)
    assert view.learners == 0 and view.items == [] and view.skipped == []
    fig = figures.misconceptions_figure(view.misconceptions, 0)
    assert "No misconception" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_a_path_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        classview.collect(tmp_path / "nope")
    if os.geteuid() != 0:   # root reads anything; elsewhere an unreadable file is skipped with the reason
        (tmp_path / "locked.json").write_text("{}")
        os.chmod(tmp_path / "locked.json", 0)
        assert "cannot be read" in classview.collect(tmp_path).skipped[0].reason


def test_the_notebook_api_shows_the_counts_and_the_figures(room, monkeypatch):
    """coursekit.class_view(folder) in an instructor's notebook: a summary line, skipped files anonymously, figures."""
    import IPython.display

    import coursekit

    folder, _ = room
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    coursekit.class_view(str(folder))
    summary = shown[0].data
    assert "<strong>60</strong> learner file(s) counted" in summary
    assert "skipped a file: empty file" in summary and "garbage.json" not in summary and "name3" not in summary
    figures_shown = shown[1:]
    assert len(figures_shown) == 1 + len(classview.collect(folder).items)
    bundle = figures_shown[0]._repr_mimebundle_()          # the misconceptions figure, with its alt text
    assert "image/png" in bundle and bundle["text/plain"].startswith("[Figure] Of 60 learners")
