"""The capstone audit of notebook 05: new cases classified on three axes with a two-tier justification, the
concept map the learner builds, and the own-words rubric. Pure data and grading (no widgets, no drawing).

The data live in ``capstone.json`` (cases with their sources, the misconceptions each wrong justification stands
for, the concept map's slots and labels, the rubric and the model answer).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import DATA_DIR

AXES = ("agent", "stem", "biologic")
CONFIDENCE = {"guess": "Guessing", "fairly_sure": "Fairly sure", "sure": "Sure"}
PARTS = ("core", "more")    # the audit's core cases, and the further cases of its "Go deeper" section


@dataclass(frozen=True)
class Justification:
    """One candidate one-line justification; a wrong one names the misconception it stands for."""

    text: str
    misconception: str | None

    @property
    def correct(self) -> bool:
        return self.misconception is None


@dataclass(frozen=True)
class Source:
    claim: str
    source: str


@dataclass(frozen=True)
class Case:
    """A product or claim the course never showed before 05, with its key on three axes."""

    id: str
    name: str
    kind: str           # label, paper, advertisement, press_release
    composed: bool      # True for an advertisement or claim written for the course (marked as such)
    excerpt: str
    how_made: str
    key: dict           # axis -> option key
    why: dict           # axis -> one or two sentences
    key_line: str
    justifications: tuple[Justification, ...]
    sources: tuple[Source, ...]
    part: str = "core"  # core: audited on the core path; more: in the "Go deeper: more cases" section

    def justification_order(self) -> list[int]:
        """Display order of the justifications: shuffled, fixed per case (stable stored outputs)."""
        order = list(range(len(self.justifications)))
        random.Random(f"capstone:{self.id}").shuffle(order)
        return order


@dataclass(frozen=True)
class AuditResult:
    """The grading of one committed answer."""

    case_id: str
    answer: dict                # axis -> chosen option key
    axis_right: dict            # axis -> bool
    justification: Justification
    confidence: str

    @property
    def justification_right(self) -> bool:
        return self.justification.correct

    @property
    def all_right(self) -> bool:
        return all(self.axis_right.values()) and self.justification_right

    @property
    def points(self) -> int:
        """One point per axis and one for the justification (0 to 4)."""
        return sum(self.axis_right.values()) + int(self.justification_right)

    @property
    def sure_and_wrong(self) -> bool:
        return self.confidence == "sure" and not self.all_right


@dataclass(frozen=True)
class MapSlot:
    """A box or an arrow of the concept map, with the label that belongs there and why."""

    id: str
    kind: str                   # box or arrow
    answer: str                 # label id
    explain: str
    source: str | None = None   # arrows: the box they start from
    target: str | None = None   # arrows: the box they point to


def data_path() -> Path:
    """Where capstone.json lives: the course data folder inside the package."""
    return DATA_DIR / "capstone.json"


@lru_cache(maxsize=4)
def _raw(path: str | None = None) -> dict:
    p = Path(path) if path else data_path()
    return json.loads(p.read_text(encoding="utf-8"))


def axes(path: str | None = None) -> dict:
    """axis -> {question, options: {key: text}}."""
    return _raw(path)["axes"]


def misconceptions(path: str | None = None) -> dict:
    """misconception id -> the belief in a learner's words."""
    return _raw(path)["misconceptions"]


def cases(path: str | None = None, part: str | None = None) -> list[Case]:
    """Every case (or only those of one part: "core" or "more"), in the order the audit shows them; checks the data
    as it loads."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part = {part!r} must be one of {PARTS} (or None for every case)")
    raw = _raw(path)
    out = []
    for c in raw["cases"]:
        case = Case(
            id=c["id"], name=c["name"], kind=c["kind"], composed=bool(c["composed"]), excerpt=c["excerpt"],
            how_made=c["how_made"], key=dict(c["key"]), why=dict(c["why"]), key_line=c["key_line"],
            justifications=tuple(Justification(j["text"], j["misconception"]) for j in c["justifications"]),
            sources=tuple(Source(s["claim"], s["source"]) for s in c["sources"]), part=c.get("part", "core"))
        if case.part not in PARTS:
            raise ValueError(f"case {case.id}: part = {case.part!r} must be one of {PARTS}")
        for axis in AXES:
            if case.key.get(axis) not in raw["axes"][axis]["options"]:
                raise ValueError(f"case {case.id}: key for {axis} = {case.key.get(axis)!r} is not an option")
        if sum(j.correct for j in case.justifications) != 1:
            raise ValueError(f"case {case.id}: exactly one justification must be right")
        for j in case.justifications:
            if j.misconception is not None and j.misconception not in raw["misconceptions"]:
                raise ValueError(f"case {case.id}: unknown misconception {j.misconception!r}")
        out.append(case)
    return [c for c in out if part is None or c.part == part]


def case(case_id: str, path: str | None = None) -> Case:
    for c in cases(path):
        if c.id == case_id:
            return c
    raise ValueError(f"case_id = {case_id!r} is not one of {[c.id for c in cases(path)]}")


def missing_parts(agent: str | None, stem: str | None, biologic: str | None, justification: int | None,
                  confidence: str | None) -> list[str]:
    """What the learner has not chosen yet, in words (empty when the answer is complete)."""
    names = {"agent": "what the final agent is", "stem": "the role of stem cells", "biologic": "biologic or not",
             "justification": "a justification", "confidence": "how sure you are"}
    given = {"agent": agent, "stem": stem, "biologic": biologic, "justification": justification,
             "confidence": confidence}
    return [names[k] for k, v in given.items() if v is None]


def grade(case: Case, agent: str, stem: str, biologic: str, justification: int, confidence: str,
          path: str | None = None) -> AuditResult:
    """Grade a complete answer; raises ValueError naming the part whose value is not an allowed option."""
    options = axes(path)
    answer = {"agent": agent, "stem": stem, "biologic": biologic}
    for axis, value in answer.items():
        allowed = list(options[axis]["options"])
        if value not in allowed:
            raise ValueError(f"{axis} = {value!r} must be one of {allowed}")
    if not isinstance(justification, int) or not 0 <= justification < len(case.justifications):
        raise ValueError(f"justification = {justification!r} must be an index from 0 to "
                         f"{len(case.justifications) - 1}")
    if confidence not in CONFIDENCE:
        raise ValueError(f"confidence = {confidence!r} must be one of {list(CONFIDENCE)}")
    return AuditResult(case.id, answer, {axis: answer[axis] == case.key[axis] for axis in AXES},
                       case.justifications[justification], confidence)


def summary(results: list[AuditResult]) -> dict:
    """Counts for the end of the audit: per axis right, justifications right, all right, sure and wrong."""
    return {"cases": len(results),
            "axis_right": {axis: sum(r.axis_right[axis] for r in results) for axis in AXES},
            "justification_right": sum(r.justification_right for r in results),
            "all_right": sum(r.all_right for r in results),
            "points": sum(r.points for r in results), "possible": 4 * len(results),
            "sure_and_wrong": [r.case_id for r in results if r.sure_and_wrong],
            "misconceptions": sorted({r.justification.misconception for r in results
                                      if r.justification.misconception})}


# -- concept map --------------------------------------------------------------------------------------
def map_labels(path: str | None = None) -> dict:
    """label id -> {text, kind}."""
    return _raw(path)["concept_map"]["labels"]


def map_slots(path: str | None = None) -> list[MapSlot]:
    return [MapSlot(**s) for s in _raw(path)["concept_map"]["slots"]]


def check_placement(slot_id: str, label_id: str, path: str | None = None) -> tuple[bool, str]:
    """Is this label right on this slot? Returns (right, feedback in words)."""
    slots = {s.id: s for s in map_slots(path)}
    labels = map_labels(path)
    if slot_id not in slots:
        raise ValueError(f"slot_id = {slot_id!r} must be one of {list(slots)}")
    if label_id not in labels:
        raise ValueError(f"label_id = {label_id!r} must be one of {list(labels)}")
    slot = slots[slot_id]
    if labels[label_id]["kind"] != slot.kind:
        names, needs = ("a link", "a thing") if slot.kind == "box" else ("a thing", "a link")
        return False, f"That label names {names}; this place needs {needs}."
    if label_id == slot.answer:
        return True, slot.explain
    hint = _raw(path)["concept_map"].get("hints", {}).get(slot_id, "Think about what this place connects.")
    return False, hint


def unplaced(placements: dict, path: str | None = None) -> list[str]:
    """Slots with no label yet."""
    return [s.id for s in map_slots(path) if not placements.get(s.id)]


# -- own words -----------------------------------------------------------------------------------------
def rubric(path: str | None = None) -> list[dict]:
    """The rubric criteria [{id, text, look_for}] the learner checks their paragraph against."""
    return _raw(path)["own_words"]["rubric"]


def model_answer(path: str | None = None) -> str:
    return _raw(path)["own_words"]["model_answer"]


def prompt(path: str | None = None) -> str:
    """The own-words question."""
    return _raw(path)["own_words"]["prompt"]
