"""Saved progress: every check question's latest answer, kept in a small JSON file outside the repository.

Where: ``~/.coursekit/progress.json``, or the path in the environment variable ``COURSEKIT_PROGRESS`` (an instructor
can point it at a shared or persistent disk). No widgets here; ``coursekit.widgets.progress`` shows the table.

Safety rules the tests check:
- writes are atomic (a temporary file in the same folder, then ``os.replace``);
- read-modify-write happens under an exclusive ``fcntl`` lock on ``progress.json.lock``, so two notebooks open at
  once never lose each other's answers;
- a missing, empty or corrupted file never breaks a notebook: a corrupted one is kept as
  ``progress.json.corrupt-<timestamp>``, the store starts afresh and ``last_notice()`` says so;
- if the file cannot be written at all (read-only home), answers are kept in memory for this session.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:  # fcntl exists on Linux and macOS (Binder, hubs, laptops); Windows falls back to a lock file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = "COURSEKIT_PROGRESS"
FORMAT_VERSION = 1
_memory: dict = {}          # answers kept in memory when the file cannot be written
_notices: list[str] = []    # things the learner should be told (a corrupted file was set aside, ...)


def progress_path() -> Path:
    """The progress file: $COURSEKIT_PROGRESS if set, else ~/.coursekit/progress.json."""
    custom = os.environ.get(ENV_VAR, "").strip()
    if custom:
        return Path(custom).expanduser()
    return Path.home() / ".coursekit" / "progress.json"


def home_writable() -> bool:
    """Whether the learner's home folder accepts new files."""
    home = Path.home()
    return home.is_dir() and os.access(home, os.W_OK)


def on_binder() -> bool:
    """True on mybinder.org (or anywhere the home is not writable): the session and its files are thrown away."""
    return bool(os.environ.get("BINDER_SERVICE_HOST") or os.environ.get("BINDER_REQUEST")) or not home_writable()


def empty_progress() -> dict:
    return {"version": FORMAT_VERSION, "answers": {}}


@dataclass
class LoadResult:
    """What reading the progress file found: the data, and a status of ok / missing / empty / corrupt."""

    data: dict = field(default_factory=empty_progress)
    status: str = "ok"
    backup: Path | None = None


def _valid(data) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return False
    for notebook in data["answers"].values():
        if not isinstance(notebook, dict):
            return False
        for entry in notebook.values():
            if not isinstance(entry, dict) or not isinstance(entry.get("correct"), bool):
                return False
    return True


def _set_aside(path: Path) -> Path:
    """Keep a copy of a corrupted file as progress.json.corrupt-<timestamp> and remove the original."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, backup)
    return backup


def _read(path: Path, repair: bool) -> LoadResult:
    """Read the file; with repair=True (only under the lock) set a corrupted file aside."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadResult(status="missing")
    if not raw.strip():
        return LoadResult(status="empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
        data = None
    if _valid(data):
        return LoadResult(data=data)
    backup = None
    if repair:
        backup = _set_aside(path)
        _notices.append(f"Your progress file {path} could not be read, so a copy was kept as {backup.name} "
                        "and a fresh one was started.")
    return LoadResult(status="corrupt", backup=backup)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock around read-modify-write, shared by every kernel on this machine."""
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _write_atomic(path: Path, data: dict) -> None:
    """Write JSON to a temporary file in the same folder, flush it to disk, then swap it in with os.replace."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def load(path: Path | None = None) -> LoadResult:
    """The saved progress (never raises for a missing, empty or corrupted file); a corrupted file is set aside."""
    path = progress_path() if path is None else Path(path)
    result = _read(path, repair=False)
    if result.status == "corrupt":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(path):
                result = _read(path, repair=True)
        except OSError:
            pass  # read-only: report it as corrupt without a backup
    if _memory:
        merged = json.loads(json.dumps(result.data))
        for notebook, answers in _memory.items():
            merged["answers"].setdefault(notebook, {}).update(answers)
        result.data = merged
    return result


def record(notebook: str, question_id: str, answer: str, correct: bool, path: Path | None = None) -> str:
    """Save the learner's latest answer to one question; return "file" or "memory" (where it was kept)."""
    path = progress_path() if path is None else Path(path)
    entry = {"answer": str(answer), "correct": bool(correct), "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            data = _read(path, repair=True).data
            data.setdefault("answers", {}).setdefault(notebook, {})[question_id] = entry
            data["version"] = FORMAT_VERSION
            _write_atomic(path, data)
    except PermissionError:
        _memory.setdefault(notebook, {})[question_id] = entry
        message = (f"Your answers cannot be saved in {path.parent} (no permission to write there); "
                   "they are kept only while this notebook's kernel runs.")
        if message not in _notices:
            _notices.append(message)
        return "memory"
    return "file"


def last_notices() -> list[str]:
    """Messages for the learner about the progress file (set-aside corrupt file, read-only folder)."""
    return list(_notices)


def clear_session_state() -> None:
    """Forget in-memory answers and notices (tests use this)."""
    _memory.clear()
    _notices.clear()


@dataclass(frozen=True)
class NotebookProgress:
    """One row of the progress table."""

    notebook: str      # file stem, e.g. "01_what_biologics_are"
    title: str
    checks: int        # questions in the notebook's bank (0 if it has none yet)
    answered: int
    correct: int


def summary(data: dict) -> list[NotebookProgress]:
    """Per notebook of the course map: how many checks there are, how many were answered, how many right."""
    from . import course, questions  # data loaders at the same layer; imported late to keep startup quick

    rows = []
    answers = data.get("answers", {})
    for entry in course.notebooks():
        bank_file = questions.QUESTIONS_DIR / f"{entry.stem}.json"
        try:
            ids = set(questions.load_bank(bank_file)) if bank_file.exists() else set()
        except ValueError:
            ids = set()
        mine = {qid: a for qid, a in answers.get(entry.stem, {}).items() if not ids or qid in ids}
        rows.append(NotebookProgress(entry.stem, entry.title, len(ids), len(mine),
                                     sum(1 for a in mine.values() if a.get("correct") is True)))
    return rows


def _hook(question, chosen_text: str, correct: bool) -> None:
    """The answer hook the check-question widget calls after every Check."""
    record(question.notebook, question.id, chosen_text, correct)


def install() -> None:
    """Register the progress hook with the check-question widget, once per kernel (idempotent)."""
    from .widgets.quiz import ANSWER_HOOKS  # the store itself needs no widgets; only the hook-up does

    if not any(getattr(h, "__qualname__", "") == "_hook" and getattr(h, "__module__", "") == __name__
               for h in ANSWER_HOOKS):
        ANSWER_HOOKS.append(_hook)
