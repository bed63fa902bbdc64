"""Loads and validates the explorers' prediction items in coursekit/data/predictions/<notebook>.json.

A prediction item holds the question an explorer asks before it shows anything, the learner's input (a choice among
3-4 ranges, or a bounded number with its unit and tolerance), feedback for every choice, and the fact keys behind the
answer. The answer itself is never in the data: the explorer computes it with the model, for the settings on screen,
and the data only says which range (or which named outcome) each choice stands for.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .paths import DATA_DIR

PREDICTIONS_DIR = DATA_DIR / "predictions"
CONFIDENCE = {"guessing": "guessing", "fairly_sure": "fairly sure", "sure": "sure"}  # key -> what the learner reads


@dataclass(frozen=True)
class Choice:
    """One predicted range [low, high) of the model's answer (None = unbounded), or a named outcome (match)."""

    id: str
    text: str
    feedback: str       # shown when the model's answer lies elsewhere: why someone would think this, what it shows
    right: str          # shown when the model's answer lies in this choice
    low: float | None = None
    high: float | None = None
    match: str | None = None

    def contains(self, value: float | str) -> bool:
        if self.match is not None:
            return value == self.match
        if isinstance(value, str):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


@dataclass(frozen=True)
class NumberInput:
    """A bounded number typed by the learner, right within an absolute or a factor tolerance of the model."""

    min: float
    max: float
    absolute: float | None = None
    factor: float | None = None

    def close(self, guess: float, value: float) -> bool:
        if self.absolute is not None:
            return abs(guess - value) <= self.absolute + 1e-9
        if guess <= 0 or value <= 0:
            return guess == value
        assert self.factor is not None  # a number input has either an absolute or a factor tolerance
        return abs(math.log(guess / value)) <= math.log(self.factor) + 1e-9

    def side(self, guess: float, value: float) -> str:
        """'close', 'low' or 'high': where the guess sits against the model's value."""
        if self.close(guess, value):
            return "close"
        return "low" if guess < value else "high"


@dataclass(frozen=True)
class Reading:
    """A "read the graph" step: after Commit the figure is shown, the numbers only after this reading."""

    question: str
    answer: str
    unit: str
    number: NumberInput
    feedback: dict[str, str]   # close / low / high


@dataclass(frozen=True)
class Prediction:
    """One explorer's prediction item."""

    notebook: str
    id: str
    explorer: str
    question: str
    answer: str                # the name of the model quantity the explorer computes
    unit: str
    facts: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    number: NumberInput | None = None
    number_feedback: dict[str, str] | None = None
    settings: dict | None = None
    read: Reading | None = None
    after: str = ""

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise ValueError(f"choice = {choice_id!r} is not one of {[c.id for c in self.choices]}")

    def matching_choice(self, value: float | str) -> Choice | None:
        """The choice the model's answer falls in (None if no range holds it)."""
        return next((c for c in self.choices if c.contains(value)), None)


def _number(raw: dict, where: str) -> NumberInput:
    try:
        low, high = float(raw["min"]), float(raw["max"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{where}: a number input needs numeric 'min' and 'max'") from None
    if not low < high:
        raise ValueError(f"{where}: min {low:g} must be below max {high:g}")
    tol = raw.get("tolerance") or {}
    if set(tol) == {"absolute"} and float(tol["absolute"]) >= 0:
        return NumberInput(low, high, absolute=float(tol["absolute"]))
    if set(tol) == {"factor"} and float(tol["factor"]) > 1:
        return NumberInput(low, high, factor=float(tol["factor"]))
    raise ValueError(f"{where}: tolerance must be {{'absolute': >= 0}} or {{'factor': > 1}}, not {tol!r}")


def _feedback(raw, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or any(not str(raw.get(k, "")).strip() for k in ("close", "low", "high")):
        raise ValueError(f"{where}: numeric feedback needs 'close', 'low' and 'high' texts")
    return {k: str(raw[k]) for k in ("close", "low", "high")}


def _choice(raw: dict, where: str) -> Choice:
    for key in ("id", "text", "feedback", "right"):
        if not str(raw.get(key, "")).strip():
            raise ValueError(f"{where}: a choice has no {key!r}")
    if "answer" in raw or "correct" in raw:
        raise ValueError(f"{where}: choice {raw['id']!r} types an answer; the model computes it")
    match = raw.get("match")
    low, high = raw.get("low"), raw.get("high")
    if match is None and low is None and high is None:
        raise ValueError(f"{where}: choice {raw['id']!r} needs a range (low/high) or a named outcome (match)")
    if low is not None and high is not None and not float(low) < float(high):
        raise ValueError(f"{where}: choice {raw['id']!r}: low {low} must be below high {high}")
    return Choice(str(raw["id"]), str(raw["text"]), str(raw["feedback"]), str(raw["right"]),
                  None if low is None else float(low), None if high is None else float(high),
                  None if match is None else str(match))


def _parse(raw: dict, notebook: str, where: str) -> Prediction:
    for key in ("id", "explorer", "question", "answer", "unit", "facts"):
        if key not in raw:
            raise ValueError(f"{where}: a prediction has no {key!r}")
    pid = str(raw["id"])
    where = f"{where} / {pid}"
    choices = tuple(_choice(c, where) for c in raw.get("choices", []))
    number = _number(raw["number"], where) if "number" in raw else None
    if bool(choices) == bool(number):
        raise ValueError(f"{where}: give either 'choices' (3 or 4) or a 'number' input, not both or neither")
    if choices:
        if not 3 <= len(choices) <= 4:
            raise ValueError(f"{where}: {len(choices)} choices; allowed 3 or 4")
        if len({c.id for c in choices}) != len(choices) or len({c.text for c in choices}) != len(choices):
            raise ValueError(f"{where}: choice ids and texts must be unique")
        ranges = sorted((c for c in choices if c.match is None), key=lambda c: -math.inf if c.low is None else c.low)
        for a, b in zip(ranges, ranges[1:]):
            if a.high is None or b.low is None or a.high > b.low:
                raise ValueError(f"{where}: the ranges of {a.id!r} and {b.id!r} overlap")
    read = None
    if "read" in raw:
        r = raw["read"]
        for key in ("question", "answer", "unit", "number", "feedback"):
            if key not in r:
                raise ValueError(f"{where}: the read-the-graph step has no {key!r}")
        read = Reading(str(r["question"]), str(r["answer"]), str(r["unit"]), _number(r["number"], where + " read"),
                       _feedback(r["feedback"], where + " read"))
    return Prediction(notebook, pid, str(raw["explorer"]), str(raw["question"]), str(raw["answer"]), str(raw["unit"]),
                      tuple(str(k) for k in raw["facts"]), choices, number,
                      _feedback(raw["feedback"], where) if number else None, raw.get("settings"), read,
                      str(raw.get("after", "")))


def load_file(path: Path | str) -> dict[str, Prediction]:
    """Read one predictions file; raise ValueError naming the item that is malformed."""
    path = Path(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("notebook") != path.stem:
        raise ValueError(f"{path.name}: 'notebook' is {raw.get('notebook')!r}, expected {path.stem!r}")
    items = [_parse(p, path.stem, path.name) for p in raw.get("predictions", [])]
    ids = [p.id for p in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: repeated prediction ids")
    return {p.id: p for p in items}


def prediction(notebook: str, prediction_id: str) -> Prediction:
    """One prediction item (ValueError naming the file and the allowed ids otherwise)."""
    items = load_file(PREDICTIONS_DIR / f"{notebook}.json")
    if prediction_id not in items:
        raise ValueError(f"prediction = {prediction_id!r} is not in {notebook}.json; allowed: {sorted(items)}")
    return items[prediction_id]
