"""Saved progress: every answer a learner gives (checks, predictions, polls), first attempt and latest, in a small
JSON file outside the repository.

Where: ``~/.coursekit/progress.json``, or the path in the environment variable ``COURSEKIT_PROGRESS`` (an instructor
can point it at a shared or persistent disk). In the browser edition (JupyterLite) the home folder is wiped with
every kernel restart, so there it is ``/drive/progress/progress.json``, kept in the browser's storage
(``coursekit.browser``). No widgets here; ``coursekit.widgets.progress`` shows the table.

Format (version 2): ``{"version": 2, "answers": {notebook: {item_id: entry}}}`` where an entry is
``{"kind": "check", "attempts": 3, "first": attempt, "latest": attempt}`` and an attempt is
``{"answer": "...", "correct": true | false | null, "confidence": "sure" | null, "time": "2026-11-30T21:00:00",
"details": {...}}`` (``correct`` is null for ungraded items such as a belief poll; ``details`` holds what an item
type needs, e.g. the misconception a wrong option stands for). The first attempt is the diagnosis and is never
overwritten. Version-1 files (latest answer only) are read as if that answer were the first and the latest.

Safety rules the tests check:
- writes are atomic (a temporary file in the same folder, then ``os.replace``);
- read-modify-write happens under an exclusive ``fcntl`` lock on ``progress.json.lock``, so two notebooks open at
  once never lose each other's answers (where ``fcntl.flock`` does not exist, as in Pyodide, there is no lock and
  no lock file);
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

from collections.abc import Callable

from . import browser

try:  # fcntl exists on Linux and macOS (Binder, hubs, laptops); Windows falls back to a lock file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
# In Pyodide (JupyterLite) fcntl is an empty module: one browser tab runs one kernel, so no lock is needed there.
_flock = getattr(fcntl, "flock", None)

ENV_VAR = "COURSEKIT_PROGRESS"
FORMAT_VERSION = 2
KINDS = ("check", "prediction", "poll", "text", "activity")
_memory: dict = {}          # answers kept in memory when the file cannot be written
_notices: list[str] = []    # things the learner should be told (a corrupted file was set aside, ...)
_listeners: list[Callable[[str, str, dict], None]] = []  # called as fn(notebook, item_id, entry) after a save


def progress_path() -> Path:
    """The progress file: $COURSEKIT_PROGRESS if set, else /drive/progress/progress.json in the browser edition
    (the only folder there that survives a kernel restart and a page reload), else ~/.coursekit/progress.json."""
    custom = os.environ.get(ENV_VAR, "").strip()
    if custom:
        return Path(custom).expanduser()
    drive = browser.drive()
    if drive is not None:
        return drive / browser.PROGRESS_FOLDER / "progress.json"
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


def _valid_attempt(attempt) -> bool:
    return (isinstance(attempt, dict) and isinstance(attempt.get("answer"), str)
            and (attempt.get("correct") is None or isinstance(attempt.get("correct"), bool)))


def _upgrade_entry(entry):
    """A version-1 entry (latest answer only) as a version-2 entry; None if the entry is not valid in either."""
    if isinstance(entry, dict) and "first" in entry:
        ok = (_valid_attempt(entry["first"]) and _valid_attempt(entry.get("latest"))
              and isinstance(entry.get("attempts"), int) and entry["attempts"] >= 1)
        return entry if ok else None
    if isinstance(entry, dict) and isinstance(entry.get("correct"), bool) and isinstance(entry.get("answer"), str):
        attempt = {"answer": entry["answer"], "correct": entry["correct"], "confidence": None,
                   "time": entry.get("time", ""), "details": {}}
        return {"kind": "check", "attempts": 1, "first": attempt, "latest": dict(attempt)}
    return None


def _normalised(data):
    """The data as version 2, or None if it is not a progress file of any version."""
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return None
    answers: dict[str, dict] = {}
    for notebook, items in data["answers"].items():
        if not isinstance(items, dict):
            return None
        answers[notebook] = {}
        for item_id, entry in items.items():
            upgraded = _upgrade_entry(entry)
            if upgraded is None:
                return None
            answers[notebook][item_id] = upgraded
    return {"version": FORMAT_VERSION, "answers": answers}


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
    data = _normalised(data)
    if data is not None:
        return LoadResult(data=data)
    backup = None
    if repair:
        backup = _set_aside(path)
        _notices.append(f"Your progress file {path} could not be read, so a copy was kept as {backup.name} "
                        "and a fresh one was started.")
    return LoadResult(status="corrupt", backup=backup)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock around read-modify-write, shared by every kernel on this machine (none without flock)."""
    if _flock is None:  # Pyodide (one kernel per browser tab), Windows: no lock, and no lock file left behind
        yield
        return
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+") as lock:
        _flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            _flock(lock.fileno(), fcntl.LOCK_UN)


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


def _merged(previous: dict | None, attempt: dict, kind: str) -> dict:
    """The entry after one more attempt: the first attempt kept as it was, the latest replaced."""
    if previous is None:
        return {"kind": kind, "attempts": 1, "first": attempt, "latest": dict(attempt)}
    return {"kind": previous.get("kind", kind), "attempts": previous["attempts"] + 1,
            "first": previous["first"], "latest": attempt}


def record(notebook: str, item_id: str, answer: str, correct: bool | None, path: Path | None = None, *,
           kind: str = "check", confidence: str | None = None, details: dict | None = None) -> str:
    """Save one attempt at an item (first attempt kept, latest replaced); return "file" or "memory" (where kept).

    ``correct`` is None for ungraded items (a belief poll, a paragraph). Never raises for a corrupted file (it is
    set aside); a folder that cannot be written keeps the answers in memory for this kernel and says so.
    """
    if kind not in KINDS:
        raise ValueError(f"kind = {kind!r} must be one of {KINDS}")
    path = progress_path() if path is None else Path(path)
    attempt = {"answer": str(answer), "correct": None if correct is None else bool(correct),
               "confidence": None if confidence is None else str(confidence),
               "time": time.strftime("%Y-%m-%dT%H:%M:%S"), "details": dict(details or {})}
    where = "file"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            data = _read(path, repair=True).data
            items = data.setdefault("answers", {}).setdefault(notebook, {})
            previous = items.get(item_id) or _memory.get(notebook, {}).get(item_id)
            entry = items[item_id] = _merged(previous, attempt, kind)
            data["version"] = FORMAT_VERSION
            _write_atomic(path, data)
    except PermissionError:
        previous = _memory.get(notebook, {}).get(item_id)
        if previous is None:
            previous = _read(path, repair=False).data.get("answers", {}).get(notebook, {}).get(item_id)
        entry = _memory.setdefault(notebook, {})[item_id] = _merged(previous, attempt, kind)
        message = (f"Your answers cannot be saved in {path.parent} (no permission to write there); "
                   "they are kept only while this notebook's kernel runs.")
        if message not in _notices:
            _notices.append(message)
        where = "memory"
    for listener in list(_listeners):
        with contextlib.suppress(Exception):  # a listener (a progress table on screen) must never lose an answer
            listener(notebook, item_id, entry)
    return where


def entry(notebook: str, item_id: str, path: Path | None = None) -> dict | None:
    """The saved entry of one item ({kind, attempts, first, latest}), or None if never answered."""
    return load(path).data.get("answers", {}).get(notebook, {}).get(item_id)


def add_listener(callback: Callable[[str, str, dict], None]) -> None:
    """Call ``callback(notebook, item_id, entry)`` after every saved attempt in this kernel (idempotent)."""
    if callback not in _listeners:
        _listeners.append(callback)


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
    correct: int       # right now (latest attempt)
    first_try: int = 0  # right at the first attempt


def summary(data: dict) -> list[NotebookProgress]:
    """Per notebook of the course map: how many checks there are, how many were answered, how many right."""
    from . import course, questions  # data loaders at the same layer; imported late to keep startup quick

    rows = []
    answers = data.get("answers", {})
    for entry in course.notebooks():
        bank_file = questions.QUESTIONS_DIR / f"{entry.stem}.json"
        try:
            ids = ({qid for qid, q in questions.load_bank(bank_file).items() if q.graded}
                   if bank_file.exists() else set())
        except ValueError:
            ids = set()
        mine = {qid: a for qid, a in answers.get(entry.stem, {}).items()
                if a.get("kind", "check") == "check" and (not ids or qid in ids)}
        rows.append(NotebookProgress(entry.stem, entry.title, len(ids), len(mine),
                                     sum(1 for a in mine.values() if a["latest"].get("correct") is True),
                                     sum(1 for a in mine.values() if a["first"].get("correct") is True)))
    return rows


def normalised(data) -> dict | None:
    """Parsed JSON as version-2 progress data, or None if it is not a progress file (the class view reads with it)."""
    return _normalised(data)
