"""Progress in the browser edition (Pyodide): saved under /drive without file locks, surviving a kernel restart;
the table says where answers are kept, offers the download and a reset of the notebooks to clean copies.

Pyodide is imitated: sys.platform = "emscripten", an empty fcntl module (as Pyodide has), /drive a temporary folder.
"""
import base64
import json
import subprocess
import sys
import textwrap

import pytest

from coursekit import browser, course, progress
from coursekit.widgets.progress import ProgressTable


@pytest.fixture
def in_browser(tmp_path, monkeypatch, progress_sandbox):
    """sys.platform as in Pyodide, /drive = tmp_path/drive holding the course notebooks, no COURSEKIT_PROGRESS."""
    drive = tmp_path / "drive"
    (drive / "notebooks").mkdir(parents=True)
    monkeypatch.setattr(browser, "DRIVE", drive)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.delenv("COURSEKIT_PROGRESS", raising=False)
    return drive


# A fresh Python that looks like a Pyodide kernel: fcntl is an empty module, sys.platform is emscripten.
KERNEL = textwrap.dedent("""
    import sys, types, json
    sys.modules["fcntl"] = types.ModuleType("fcntl")
    sys.platform = "emscripten"
    from pathlib import Path
    from coursekit import browser, progress
    browser.DRIVE = Path(sys.argv[1])
    action = sys.argv[2]
    if action == "answer":
        print(progress.record("01_what_biologics_are", "definition", sys.argv[3], sys.argv[3] == "right"))
    print(json.dumps({"path": str(progress.progress_path()), "flock": progress._flock is not None,
                      "entry": progress.entry("01_what_biologics_are", "definition")}))
""")


def _kernel(drive, *args):
    out = subprocess.run([sys.executable, "-c", KERNEL, str(drive), *args], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    return out[0] if len(out) > 1 else None, json.loads(out[-1])


def test_pyodide_like_kernel_saves_under_drive_without_a_lock_and_a_restart_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSEKIT_PROGRESS", raising=False)   # the kernels inherit this process's environment
    drive = tmp_path / "drive"
    drive.mkdir()
    where, state = _kernel(drive, "answer", "wrong")
    assert where == "file" and not state["flock"]
    assert state["path"] == str(drive / "progress" / "progress.json")
    assert sorted(p.name for p in (drive / "progress").iterdir()) == ["progress.json"]  # no .lock, no temp file
    # kernel restart = a new process: the home folder is gone in Pyodide, /drive is not
    _, state = _kernel(drive, "answer", "right")
    assert state["entry"]["attempts"] == 2
    assert state["entry"]["first"]["answer"] == "wrong" and state["entry"]["first"]["correct"] is False
    assert state["entry"]["latest"]["answer"] == "right" and state["entry"]["latest"]["correct"] is True
    _, state = _kernel(drive, "read")  # a page reload: a third kernel reads the same file
    assert state["entry"]["attempts"] == 2


def test_progress_path_in_the_browser(in_browser, monkeypatch, tmp_path):
    assert progress.progress_path() == in_browser / "progress" / "progress.json"
    monkeypatch.setenv("COURSEKIT_PROGRESS", str(tmp_path / "mine.json"))   # an instructor's choice still wins
    assert progress.progress_path() == tmp_path / "mine.json"
    monkeypatch.delenv("COURSEKIT_PROGRESS")
    monkeypatch.setattr(browser, "DRIVE", tmp_path / "not-mounted")           # no /drive: the home folder
    assert progress.progress_path().parts[-2:] == (".coursekit", "progress.json")


def test_outside_the_browser_nothing_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "DRIVE", tmp_path)
    monkeypatch.delenv("COURSEKIT_PROGRESS", raising=False)
    assert not browser.in_browser() and browser.drive() is None
    assert progress.progress_path().parts[-2:] == (".coursekit", "progress.json")
    assert browser.reset_notebooks() == []
    assert progress._flock is not None  # Linux: answers are saved under an flock


def test_table_in_the_browser_says_where_answers_are_kept_and_offers_the_download(in_browser):
    progress.record("00_start_here", "opening", "Usually not", True)
    t = ProgressTable()
    assert "Saved in this browser only (the file progress/progress.json)" in t.notice_text
    assert "thrown away" not in t.notice_text
    data = json.loads(base64.b64decode(t.download_href.split(",", 1)[1]))
    assert data["answers"]["00_start_here"]["opening"]["latest"]["answer"] == "Usually not"
    assert t.reset_button in t.children


def test_reset_deletes_the_learners_notebook_copies_and_keeps_the_answers(in_browser):
    progress.record("01_what_biologics_are", "definition", "x", False)
    nbs = in_browser / "notebooks"
    for entry in course.notebooks()[:3]:
        (nbs / entry.file).write_text("{}")
    (nbs / "my_own_notes.ipynb").write_text("{}")
    t = ProgressTable()
    t.reset_button.click()
    assert "Deleted your copies of 3 notebook(s)" in t.reset_result.value and "Reload the page" in t.reset_result.value
    assert sorted(p.name for p in nbs.iterdir()) == ["my_own_notes.ipynb"]   # the learner's own file stays
    assert progress.entry("01_what_biologics_are", "definition")["latest"]["answer"] == "x"
    t.reset_button.click()
    assert "already the clean copy" in t.reset_result.value


def test_outside_the_browser_the_table_has_no_reset(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_PROGRESS", str(tmp_path / "p.json"))
    monkeypatch.setattr(progress, "home_writable", lambda: True)
    monkeypatch.delenv("BINDER_SERVICE_HOST", raising=False)
    monkeypatch.delenv("BINDER_REQUEST", raising=False)
    t = ProgressTable()
    assert t.reset_button not in t.children and t.download.value == ""
