"""Loads and validates the check-question banks in coursekit/data/questions/<notebook>.json."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .paths import QUESTIONS_DIR


@dataclass(frozen=True)
class Option:
    """One answer option with the feedback a learner sees on choosing it."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """A single-choice check question: exactly one correct option, feedback on every option."""

    notebook: str
    id: str
    prompt: str
    options: tuple[Option, ...]

    @property
    def correct_option(self) -> Option:
        return next(o for o in self.options if o.correct)


def _parse_question(raw: dict, notebook: str, where: str) -> Question:
    for field in ("id", "prompt", "options"):
        if field not in raw:
            raise ValueError(f"{where}: a question has no {field!r}")
    qid = raw["id"]
    options = []
    for i, o in enumerate(raw["options"]):
        if not str(o.get("text", "")).strip() or not str(o.get("feedback", "")).strip():
            raise ValueError(f"{where}: question {qid!r} option {i} needs both text and feedback")
        options.append(Option(str(o["text"]), bool(o.get("correct", False)), str(o["feedback"])))
    if not 2 <= len(options) <= 6:
        raise ValueError(f"{where}: question {qid!r} has {len(options)} options; allowed 2 to 6")
    n_correct = sum(o.correct for o in options)
    if n_correct != 1:
        raise ValueError(f"{where}: question {qid!r} has {n_correct} correct options; exactly 1 is required")
    if len({o.text for o in options}) != len(options):
        raise ValueError(f"{where}: question {qid!r} repeats an option text")
    return Question(notebook, str(qid), str(raw["prompt"]), tuple(options))


def load_bank(path: Path | str) -> dict[str, Question]:
    """Read one bank file; raise ValueError naming the question that is malformed."""
    path = Path(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    notebook = raw.get("notebook")
    if notebook != path.stem:
        raise ValueError(f"{path.name}: 'notebook' is {notebook!r}, expected {path.stem!r}")
    bank: dict[str, Question] = {}
    for item in raw.get("questions", []):
        q = _parse_question(item, notebook, path.name)
        if q.id in bank:
            raise ValueError(f"{path.name}: duplicate question id {q.id!r}")
        bank[q.id] = q
    if not bank:
        raise ValueError(f"{path.name}: no questions")
    return bank


def question(notebook: str, question_id: str) -> Question:
    """The question with this id from the notebook's bank."""
    bank = load_bank(QUESTIONS_DIR / f"{notebook}.json")
    if question_id not in bank:
        raise KeyError(f"no question {question_id!r} in {notebook}.json; have {sorted(bank)}")
    return bank[question_id]


def all_banks() -> dict[str, dict[str, Question]]:
    """Every bank in the course, by notebook name."""
    return {p.stem: load_bank(p) for p in sorted(QUESTIONS_DIR.glob("*.json"))}
