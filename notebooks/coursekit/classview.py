"""The class view: what a room of learners answered, read from a folder of their progress files.

An instructor collects the learners' ``progress.json`` files in one folder (a hub's shared folder set with
``COURSEKIT_PROGRESS``, or files learners downloaded from JupyterLite or Binder and handed in) and gets, per item,
how many chose each answer at their **first** attempt and how many choose it **now** (latest attempt), and the
misconceptions most held at first. Learners are anonymous by default: nothing here reports who answered what
unless ``names=True``.

Files are only ever read (opened read-only, never locked, never repaired or moved). A file that is empty, not JSON,
not a course progress file, from a newer format, too large, unreadable, or a copy of another file is skipped with a
line saying which and why. No widgets or figures here: ``coursekit.figures.class_view`` draws, ``tools.class_report``
writes the report.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import course, progress
from .paths import DATA_DIR

MAX_FILE_BYTES = 5_000_000   # a real progress file is a few kB; anything this big is not one
MAX_BARS = 8                 # answers shown per item; rarer ones are pooled as "other answers"
OTHER = "other answers"
SHOWN_KINDS = ("poll", "check", "prediction")  # free text ("text") and activities are not counted as answers


@dataclass(frozen=True)
class Skipped:
    """A file the class view did not count, and why (shown to the instructor, never to the room)."""

    path: Path
    reason: str

    def line(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass
class ItemSummary:
    """One item (check, poll or prediction): counts of first and current answers over the learners who answered."""

    notebook: str
    item_id: str
    kind: str
    prompt: str
    answers: list[str]                      # bar order: the bank's options, then other answers seen
    correct: set[str]                       # the right answer(s); empty for a poll
    first: Counter = field(default_factory=Counter)
    latest: Counter = field(default_factory=Counter)
    learners: int = 0
    first_right: int = 0
    latest_right: int = 0

    @property
    def graded(self) -> bool:
        return self.kind == "check" and bool(self.correct or self.first_right or self.latest_right)


@dataclass(frozen=True)
class MisconceptionCount:
    """How many learners showed a misconception at their first attempt, and how many still show it now."""

    id: str
    belief: str
    at_first: int
    still_now: int


@dataclass
class ClassView:
    """Everything the class view shows, for `learners` readable files."""

    learners: int
    items: list[ItemSummary]
    misconceptions: list[MisconceptionCount]
    skipped: list[Skipped]
    per_learner: dict[str, tuple[int, int, int]] | None = None   # names=True only: name -> (answered, first, now)


def read_progress_file(path: Path) -> dict:
    """A learner's progress as version-2 data; raise ValueError saying why the file cannot be counted.

    Reads only: the file is opened read-only and never repaired, moved or locked (unlike the learner's own store).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"too large for a progress file ({size / 1e6:.1f} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise ValueError("empty file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not text (corrupted or not a progress file)") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON (corrupted or cut off: {exc.msg} at line {exc.lineno})") from None
    if isinstance(data, dict) and isinstance(data.get("version"), int) and data["version"] > progress.FORMAT_VERSION:
        raise ValueError(f"progress format version {data['version']} is newer than this course "
                         f"(reads up to {progress.FORMAT_VERSION}); update the course")
    normalised = progress.normalised(data)
    if normalised is None:
        raise ValueError("not a course progress file (no 'answers' of the course's format)")
    return normalised


def _bank_item(notebook: str, item_id: str):
    """The bank's question for an item, or None (a poll, a prediction, or an item from another course version)."""
    from . import questions

    try:
        return questions.question(notebook, item_id)
    except Exception:  # unknown notebook or item, or a bank of another version: fall back to the answers seen
        return None


def misconception_beliefs() -> dict[str, str]:
    """Misconception id -> the belief in a learner's words (coursekit/data/misconceptions.csv, if present)."""
    path = DATA_DIR / "misconceptions.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row.get("belief", row["id"]) for row in csv.DictReader(handle) if row.get("id")}


def _tags(attempt: dict) -> set[str]:
    """Misconception ids an attempt shows (details.misconception: one id, or a list for multi-select items)."""
    details = attempt.get("details") or {}
    found: set[str] = set()
    for key in ("misconception", "misconceptions"):
        value = details.get(key)
        if isinstance(value, str) and value:
            found.add(value)
        elif isinstance(value, list):
            found.update(v for v in value if isinstance(v, str) and v)
    return found


def _notebook_order() -> dict[str, int]:
    return {n.stem: i for i, n in enumerate(course.notebooks())}


def collect(folder: Path | str, names: bool = False) -> ClassView:
    """Read every ``*.json`` file under folder (recursively) and summarise the class; never writes anything."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder = {str(folder)!r} is not a folder of progress files")
    skipped: list[Skipped] = []
    seen: dict[str, Path] = {}
    learners: list[tuple[str, dict]] = []
    for path in sorted(p for p in folder.rglob("*.json") if not any(part.startswith(".") for part in
                                                                   p.relative_to(folder).parts)):
        if not path.is_file():
            continue
        try:
            data = read_progress_file(path)
        except ValueError as exc:
            skipped.append(Skipped(path, str(exc)))
            continue
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        if digest in seen:
            skipped.append(Skipped(path, f"same answers as {seen[digest].relative_to(folder)} "
                                         "(a second copy of one learner's file)"))
            continue
        if not any(data["answers"].values()):
            skipped.append(Skipped(path, "a progress file with no answers yet"))
            continue
        seen[digest] = path
        learners.append((path.stem if path.stem != "progress" else path.parent.name, data))

    items: dict[tuple[str, str], ItemSummary] = {}
    beliefs = misconception_beliefs()
    first_tags: Counter = Counter()
    still_tags: Counter = Counter()
    per_learner: dict[str, tuple[int, int, int]] = {}
    for name, data in learners:
        mine_first: set[str] = set()
        mine_now: set[str] = set()
        answered = first_ok = now_ok = 0
        for notebook, entries in data["answers"].items():
            for item_id, entry in entries.items():
                kind = entry.get("kind", "check")
                if kind not in SHOWN_KINDS:
                    continue
                key = (notebook, item_id)
                if key not in items:
                    question = _bank_item(notebook, item_id)
                    options = [o.text for o in question.options] if question is not None else []
                    correct = {o.text for o in question.options if o.correct} if question is not None else set()
                    items[key] = ItemSummary(notebook, item_id, kind, question.prompt if question else item_id,
                                             options, correct)
                summary = items[key]
                first, latest = entry["first"], entry["latest"]
                summary.learners += 1
                summary.first[first["answer"]] += 1
                summary.latest[latest["answer"]] += 1
                summary.first_right += first.get("correct") is True
                summary.latest_right += latest.get("correct") is True
                if first.get("correct") is True:
                    summary.correct.add(first["answer"])
                if latest.get("correct") is True:
                    summary.correct.add(latest["answer"])
                answered += 1
                first_ok += first.get("correct") is True
                now_ok += latest.get("correct") is True
                mine_first |= _tags(first)
                mine_now |= _tags(latest) & _tags(first)
        first_tags.update(mine_first)
        still_tags.update(mine_now)
        per_learner[name] = (answered, first_ok, now_ok)

    order = _notebook_order()
    ordered = sorted(items.values(), key=lambda s: (order.get(s.notebook, len(order)), s.notebook))
    for summary in ordered:
        seen_answers = [a for a, _ in (summary.first + summary.latest).most_common() if a not in summary.answers]
        summary.answers = summary.answers + seen_answers
        if len(summary.answers) > MAX_BARS:
            keep = set(summary.answers[:MAX_BARS - 1]) | summary.correct
            summary.answers = [a for a in summary.answers if a in keep] + [OTHER]
            for counter in (summary.first, summary.latest):
                other = sum(n for a, n in counter.items() if a not in keep)
                for a in [a for a in counter if a not in keep]:
                    del counter[a]
                if other:
                    counter[OTHER] = other
    misconceptions = [MisconceptionCount(mid, beliefs.get(mid, mid.replace("_", " ")), n, still_tags[mid])
                      for mid, n in sorted(first_tags.items(), key=lambda kv: (-kv[1], kv[0]))]
    return ClassView(len(learners), ordered, misconceptions, skipped, per_learner if names else None)
