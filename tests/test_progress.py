"""Saved progress: atomic writes, corrupted files, two writers at once, the hook, and the table (Binder download)."""
import base64
import json
import multiprocessing
import os
import re
from pathlib import Path

import pytest

from coursekit import check, progress
from coursekit.widgets import quiz
from coursekit.widgets.progress import ProgressTable, progress_table


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    """Every test writes to its own tmp file, never to the real home; no Binder variables; clean hooks."""
    path = tmp_path / "ck" / "progress.json"
    monkeypatch.setenv("COURSEKIT_PROGRESS", str(path))
    monkeypatch.delenv("BINDER_SERVICE_HOST", raising=False)
    monkeypatch.delenv("BINDER_REQUEST", raising=False)
    monkeypatch.setattr(progress, "home_writable", lambda: True)
    saved_hooks = list(quiz.ANSWER_HOOKS)
    quiz.ANSWER_HOOKS.clear()
    progress.clear_session_state()
    yield path
    quiz.ANSWER_HOOKS[:] = saved_hooks
    progress.clear_session_state()


def test_path_comes_from_the_environment_variable(private_progress, monkeypatch):
    assert progress.progress_path() == private_progress
    monkeypatch.delenv("COURSEKIT_PROGRESS")
    assert progress.progress_path() == Path.home() / ".coursekit" / "progress.json"


def test_record_then_load_round_trip_keeps_only_the_latest_answer(private_progress):
    assert progress.load().status == "missing"
    progress.record("00_start_here", "practice", "Enter", False)
    progress.record("00_start_here", "practice", "Shift+Enter", True)
    data = json.loads(private_progress.read_text())
    assert data["answers"]["00_start_here"]["practice"]["answer"] == "Shift+Enter"
    assert data["answers"]["00_start_here"]["practice"]["correct"] is True
    row = next(r for r in progress.summary(progress.load().data) if r.notebook == "00_start_here")
    assert (row.checks, row.answered, row.correct) == (2, 1, 1)


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
    assert progress.load().data["answers"]["00_start_here"]["practice"]["correct"] is False


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
    assert answers["nb_b"]["q059"]["answer"] == "answer 59"


def test_install_is_idempotent_and_a_check_click_is_saved(private_progress):
    progress.install()
    progress.install()
    assert quiz.ANSWER_HOOKS.count(progress._hook) == 1
    w = check("00_start_here", "opening")
    w.choose("Only vaccines are made from stem cells.")
    w.click_check()
    saved = progress.load().data["answers"]["00_start_here"]["opening"]
    assert saved["answer"] == "Only vaccines are made from stem cells." and saved["correct"] is False
    assert "could not be saved" not in w.feedback_text


def test_setup_installs_the_hook():
    import coursekit
    coursekit.setup()
    assert progress._hook in quiz.ANSWER_HOOKS


def test_unwritable_folder_keeps_answers_in_memory(private_progress, monkeypatch):
    def denied(*_a, **_k):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(progress, "_locked", denied)
    assert progress.record("05_review", "law_nuance", "As a medical device", False) == "memory"
    assert progress.load().data["answers"]["05_review"]["law_nuance"]["correct"] is False
    assert any("kept only while" in n for n in progress.last_notices())


# ---- the table widget ---------------------------------------------------------------------------
def test_table_counts_answers_and_has_a_fixed_text_form(private_progress):
    progress.record("00_start_here", "practice", "Shift+Enter", True)
    progress.record("00_start_here", "opening", "Yes: biologics are made from stem cells.", False)
    t = progress_table()
    assert repr(t) == "ProgressTable(your saved answers: run this cell to see them)"
    assert "00 Start here 2 of 2 1" in t.table_text
    assert "Saved in" in t.notice_text and t.download.value == ""
    assert 'role="status"' in t.table.value


def test_table_refreshes_after_a_check_in_the_same_kernel(private_progress):
    progress.install()
    t = ProgressTable()
    assert "00 Start here 0 of 2 0" in t.table_text and "No answers saved yet" in t.notice_text
    w = check("00_start_here", "practice")
    w.choose("Shift+Enter")
    w.click_check()
    assert "00 Start here 1 of 2 1" in t.table_text


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
    assert data["answers"]["05_review"]["opening_again"]["answer"].startswith("Answer with <script>")
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
