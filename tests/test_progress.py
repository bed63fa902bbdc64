"""Saved progress: first and latest attempts, atomic writes, corrupted files, two writers at once, the per-widget
answer callback, and the table (Binder download)."""
import base64
import json
import multiprocessing
import os
import re
from pathlib import Path

import pytest

from coursekit import check, progress
from coursekit.widgets.progress import ProgressTable, progress_table


pytestmark = pytest.mark.usefixtures("private_progress")   # tests/conftest.py: a private progress file


def test_path_comes_from_the_environment_variable(private_progress, monkeypatch):
    assert progress.progress_path() == private_progress
    monkeypatch.delenv("COURSEKIT_PROGRESS")
    assert progress.progress_path() == Path.home() / ".coursekit" / "progress.json"


def test_the_first_attempt_is_kept_and_the_latest_replaced(private_progress):
    assert progress.load().status == "missing"
    progress.record("00_start_here", "practice", "Enter", False, confidence="sure")
    progress.record("00_start_here", "practice", "Ctrl+Enter", False)
    progress.record("00_start_here", "practice", "Shift+Enter", True, confidence="fairly sure")
    saved = json.loads(private_progress.read_text())["answers"]["00_start_here"]["practice"]
    assert saved["first"]["answer"] == "Enter" and saved["first"]["correct"] is False
    assert saved["first"]["confidence"] == "sure"
    assert saved["latest"]["answer"] == "Shift+Enter" and saved["latest"]["correct"] is True
    assert saved["attempts"] == 3 and saved["kind"] == "check"
    row = next(r for r in progress.summary(progress.load().data) if r.notebook == "00_start_here")
    assert (row.checks, row.answered, row.correct, row.first_try) == (1, 1, 1, 0)   # the opening poll is not a check


def test_first_attempt_survives_a_kernel_restart(private_progress):
    progress.record("02_stem_cells", "potency", "Adult stem cells can become anything", False)
    progress.clear_session_state()          # what a new kernel starts with: nothing in memory
    progress.record("02_stem_cells", "potency", "Blood stem cells make blood cells", True)
    saved = progress.entry("02_stem_cells", "potency")
    assert saved["first"]["answer"] == "Adult stem cells can become anything"
    assert saved["latest"]["correct"] is True and saved["attempts"] == 2


def test_a_version_1_file_is_read_as_first_and_latest(private_progress):
    private_progress.parent.mkdir(parents=True)
    private_progress.write_text(json.dumps({"version": 1, "answers": {"00_start_here": {
        "practice": {"answer": "Enter", "correct": False, "time": "2026-01-01T10:00:00"}}}}))
    result = progress.load()
    assert result.status == "ok"
    entry = result.data["answers"]["00_start_here"]["practice"]
    assert entry["first"]["answer"] == entry["latest"]["answer"] == "Enter" and entry["attempts"] == 1
    progress.record("00_start_here", "practice", "Shift+Enter", True)
    entry = progress.entry("00_start_here", "practice")
    assert entry["first"]["answer"] == "Enter" and entry["latest"]["answer"] == "Shift+Enter"
    assert json.loads(private_progress.read_text())["version"] == 2


def test_ungraded_items_and_unknown_kinds(private_progress):
    progress.record("00_start_here", "belief", "Yes, biologics are made from stem cells", None, kind="poll")
    assert progress.entry("00_start_here", "belief")["first"]["correct"] is None
    with pytest.raises(ValueError, match="kind"):
        progress.record("00_start_here", "x", "y", True, kind="essay")


def test_without_flock_the_store_still_saves(private_progress, monkeypatch):
    monkeypatch.setattr(progress, "_flock", None)   # Pyodide: fcntl exists but has no flock
    progress.record("01_what_biologics_are", "definition", "a", True)
    assert progress.entry("01_what_biologics_are", "definition")["latest"]["answer"] == "a"


def test_writes_are_atomic_a_failed_write_leaves_the_old_file_intact(private_progress, monkeypatch):
    progress.record("00_start_here", "practice", "Shift+Enter", True)
    before = private_progress.read_text()

    def crash(*_args, **_kwargs):
        raise OSError("disk full while writing")

    monkeypatch.setattr(progress.json, "dump", crash)
    with pytest.raises(OSError, match="disk full"):
        progress.record("00_start_here", "opening", "Yes", False)
    assert private_progress.read_text() == before                      # untouched
    leftovers = [p.name for p in private_progress.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []                                            # temp file cleaned up


def test_write_goes_through_os_replace(private_progress, monkeypatch):
    calls = []
    real_replace = os.replace
    monkeypatch.setattr(progress.os, "replace", lambda a, b: (calls.append((a, b)), real_replace(a, b)))
    progress.record("05_review", "opening_again", "x", True)
    assert len(calls) == 1 and Path(calls[0][1]) == private_progress and str(calls[0][0]).endswith(".tmp")


@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", '{"answers": {"00_start_here": 5}}', "\x00\xff"])
def test_corrupted_file_is_kept_aside_and_the_store_starts_afresh(private_progress, content):
    private_progress.parent.mkdir(parents=True)
    private_progress.write_text(content, encoding="latin-1")
    result = progress.load()
    assert result.status == "corrupt" and result.data["answers"] == {}
    backups = list(private_progress.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="latin-1") == content
    assert any("could not be read" in n for n in progress.last_notices())
    progress.record("00_start_here", "practice", "Shift+Enter", True)   # works afterwards
    assert progress.load().status == "ok"


def test_empty_file_is_not_an_error(private_progress):
    private_progress.parent.mkdir(parents=True)
    private_progress.write_text("  \n")
    assert progress.load().status == "empty"
    progress.record("00_start_here", "practice", "Enter", False)
    assert progress.load().data["answers"]["00_start_here"]["practice"]["latest"]["correct"] is False


def _writer(path: str, notebook: str, n: int) -> None:
    os.environ["COURSEKIT_PROGRESS"] = path
    for i in range(n):
        progress.record(notebook, f"q{i:03d}", f"answer {i}", i % 2 == 0)


def test_two_processes_writing_at_once_lose_no_answer(private_progress):
    n = 60
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_writer, args=(str(private_progress), nb, n)) for nb in ("nb_a", "nb_b")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    answers = json.loads(private_progress.read_text())["answers"]
    assert len(answers["nb_a"]) == n and len(answers["nb_b"]) == n
    assert answers["nb_b"]["q059"]["latest"]["answer"] == "answer 59"


def test_a_check_from_the_notebook_api_saves_each_click(private_progress):
    w = check("00_start_here", "practice")
    w.choose("Ctrl+S")
    w.set_confidence("Sure")
    w.click_check()
    saved = progress.entry("00_start_here", "practice")
    assert saved["latest"]["answer"] == "Ctrl+S" and saved["latest"]["confidence"] == "Sure"
    assert saved["latest"]["correct"] is False and saved["latest"]["details"]["misconceptions"] == ["ui_save_runs"]
    assert "could not be saved" not in w.message_text


def test_unwritable_folder_keeps_answers_in_memory(private_progress, monkeypatch):
    def denied(*_a, **_k):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(progress, "_locked", denied)
    assert progress.record("05_review", "law_nuance", "As a medical device", False) == "memory"
    assert progress.load().data["answers"]["05_review"]["law_nuance"]["latest"]["correct"] is False
    progress.record("05_review", "law_nuance", "As a biologic", True)
    kept = progress.load().data["answers"]["05_review"]["law_nuance"]
    assert kept["first"]["answer"] == "As a medical device" and kept["attempts"] == 2
    assert any("kept only while" in n for n in progress.last_notices())


# ---- the table widget ---------------------------------------------------------------------------
def test_table_counts_answers_and_has_a_fixed_text_form(private_progress):
    progress.record("00_start_here", "practice", "Shift+Enter", True)
    progress.record("00_start_here", "opening", "Yes: the cells that make biologics are stem cells.", None, kind="poll")
    t = progress_table()
    assert repr(t) == "▶ Run this cell (Shift+Enter) to show your saved answers"
    assert "00 Start here 1 of 1 1 1 ✓" in t.table_text      # the poll is stored but not counted
    assert "Saved in" in t.notice_text and t.download.value == ""
    assert 'role="status"' in t.table.value


def test_table_refreshes_after_a_check_in_the_same_kernel(private_progress):
    t = ProgressTable()
    assert "00 Start here 0 of 1 0 0" in t.table_text and "No answers saved yet" in t.notice_text
    w = check("00_start_here", "practice")
    w.choose("Enter (Return)")
    w.set_confidence("Sure")
    w.click_check()
    assert "00 Start here 1 of 1 0 0" in t.table_text
    w.click_retry()
    w.choose("Shift+Enter")
    w.set_confidence("Sure")
    w.click_check()
    assert "00 Start here 1 of 1 0 1 ✓" in t.table_text        # first try wrong, right now


def test_table_says_so_when_the_file_was_corrupted(private_progress):
    private_progress.parent.mkdir(parents=True)
    private_progress.write_text("{{{")
    t = ProgressTable()
    assert "could not be read" in t.notice_text and "corrupt-" in t.notice_text
    assert t.status == "corrupt"
    assert t.notice_text.count("could not be read") == 1


def test_on_binder_the_table_warns_and_offers_a_download(private_progress, monkeypatch):
    progress.record("05_review", "opening_again", 'Answer with <script>alert("x")</script> & "quotes"', True)
    monkeypatch.setenv("BINDER_SERVICE_HOST", "10.0.0.1")
    t = ProgressTable()
    assert "thrown away" in t.notice_text and "Download your progress" in t.download.value
    assert "<script>" not in t.download.value
    href = t.download_href
    assert href.startswith("data:application/json;base64,")
    data = json.loads(base64.b64decode(href.split(",", 1)[1]))
    assert data["answers"]["05_review"]["opening_again"]["latest"]["answer"].startswith("Answer with <script>")
    assert re.search(r'download="coursekit-progress.json"', t.download.value)


def test_home_not_writable_counts_as_binder(monkeypatch):
    monkeypatch.setattr(progress, "home_writable", lambda: False)
    assert progress.on_binder()
    monkeypatch.setattr(progress, "home_writable", lambda: True)
    assert not progress.on_binder()
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/x/y/main")
    assert progress.on_binder()


def test_refresh_button_rereads_the_file_and_changes_visible_text(private_progress):
    t = ProgressTable()
    before = t.notice_text
    progress.record("02_stem_cells", "any", "x", True)   # written by another notebook's kernel
    t.refresh_button.click()
    assert t.notice_text != before and "(1×)" in t.notice_text
    t.refresh_button.click()
    assert "(2×)" in t.notice_text
