"""A learner's before/after and misconception profile, read from saved progress. Data in, data out; no widgets.

- Before/after: the opening belief poll of notebook 00 (first answer, kept for good) against the same question at the
  end of notebook 05 (latest answer); likewise the ticked statements of the 00 belief inventory against 05's.
- Profile: every misconception that a *first* attempt showed (the diagnosis), and whether it has since been answered
  right: the learner's most recent answer to an item that tests that misconception was right.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import questions

OPENING = ("00_start_here", "opening")
OPENING_AGAIN = ("05_review", "opening_again")
BELIEFS = ("00_start_here", "beliefs")
BELIEFS_AGAIN = ("05_review", "beliefs_again")


def _entry(data: dict, notebook: str, item_id: str) -> dict | None:
    entry = data.get("answers", {}).get(notebook, {}).get(item_id)
    return entry if isinstance(entry, dict) and isinstance(entry.get("first"), dict) else None


def _shown(attempt: dict) -> list[str]:
    details = attempt.get("details") or {}
    found = details.get("misconceptions", [])
    return [m for m in found if isinstance(m, str)] if isinstance(found, list) else []


@dataclass(frozen=True)
class BeforeAfter:
    """What the learner said at the start, and what they say now (None: not answered yet)."""

    start: str | None
    start_confidence: str | None
    now: str | None
    now_correct: bool | None
    beliefs_start: tuple[str, ...] | None     # statements ticked in 00 (None: poll not answered)
    beliefs_now: tuple[str, ...] | None       # statements ticked in 05 (latest)


def _ticks(answer: str) -> tuple[str, ...]:
    return () if answer in ("", "(none ticked)") else tuple(a.strip() for a in answer.split("; "))


def before_after(data: dict) -> BeforeAfter:
    first = _entry(data, *OPENING)
    last = _entry(data, *OPENING_AGAIN)
    b0, b5 = _entry(data, *BELIEFS), _entry(data, *BELIEFS_AGAIN)
    return BeforeAfter(first["first"]["answer"] if first else None,
                       first["first"].get("confidence") if first else None,
                       last["latest"]["answer"] if last else None,
                       last["latest"].get("correct") if last else None,
                       _ticks(b0["first"]["answer"]) if b0 else None,
                       _ticks(b5["latest"]["answer"]) if b5 else None)


@dataclass(frozen=True)
class ProfileLine:
    """One misconception the learner's first attempts showed."""

    id: str
    belief: str
    shown_in: tuple[str, ...]        # "notebook/item" of the first attempts that showed it
    sure: bool                       # at least one of those first attempts was given as "Sure"
    resolved: bool                   # the most recent answer to an item that tests it was right
    resolved_by: str | None          # "notebook/item" of that answer


def profile(data: dict, banks: dict[str, dict[str, questions.Question]] | None = None) -> list[ProfileLine]:
    """The misconceptions the first attempts showed, in course order, each with whether it is since answered right."""
    banks = questions.all_banks() if banks is None else banks
    known = questions.misconceptions()
    tests: dict[str, list[tuple[str, str]]] = {}        # misconception -> items that can show it
    for notebook, bank in banks.items():
        for qid, q in bank.items():
            for m in q.diagnosed():
                tests.setdefault(m, []).append((notebook, qid))
    shown: dict[str, list[tuple[str, str, dict]]] = {}
    for notebook in banks:
        for qid, entry in sorted(data.get("answers", {}).get(notebook, {}).items()):
            if not isinstance(entry, dict) or not isinstance(entry.get("first"), dict):
                continue
            for m in _shown(entry["first"]):
                shown.setdefault(m, []).append((notebook, qid, entry["first"]))
    lines = []
    for m, firsts in shown.items():
        latest = None  # (time, notebook/item, correct) of the most recent graded answer to an item that tests m
        for notebook, qid in tests.get(m, []):
            entry = _entry(data, notebook, qid)
            if entry is None or entry["latest"].get("correct") is None:
                continue
            stamp = str(entry["latest"].get("time", ""))
            if latest is None or stamp >= latest[0]:
                latest = (stamp, f"{notebook}/{qid}", entry["latest"]["correct"])
        resolved = bool(latest and latest[2])
        resolved_by = None
        if resolved:
            assert latest is not None
            resolved_by = latest[1]
        lines.append(ProfileLine(m, known[m].belief if m in known else m,
                                 tuple(f"{n}/{q}" for n, q, _ in firsts),
                                 any(str(a.get("confidence") or "").lower() == "sure" for _, _, a in firsts),
                                 resolved, resolved_by))
    order = list(known)
    return sorted(lines, key=lambda line: order.index(line.id) if line.id in order else len(order))
