"""Grading check items: numbers in (the learner's choices or typed number), verdicts out. No widgets here.

A numeric item's answer is never typed into a bank when it can be derived: the bank names a sourced fact, a model
function of this package with its arguments, or a product of these, and ``numeric_answer`` computes it.
"""
from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass

from .. import facts
from ..questions import Question

_MODEL_MODULES = ("biologics", "discovery", "manufacturing", "practice", "review", "stem_cells")


def numeric_answer(spec) -> float | str:
    """Evaluate an answer spec: a number, {"fact": key}, {"model": "module.function", "kwargs", "attr"},
    {"product": [...]}; strings pass through (a choice such as a product key given to a model)."""
    if isinstance(spec, bool):
        raise ValueError(f"answer spec {spec!r} is not a number")
    if isinstance(spec, (int, float, str)):
        return spec
    if "fact" in spec:
        return facts.value(spec["fact"])
    if "product" in spec:
        return math.prod(float(numeric_answer(s)) for s in spec["product"])
    module_name, function_name = spec["model"].split(".")
    if module_name not in _MODEL_MODULES:
        raise ValueError(f"model {spec['model']!r}: module must be one of {list(_MODEL_MODULES)}")
    module = importlib.import_module(f"{__package__}.{module_name}")
    function = getattr(module, function_name)
    result = function(**{k: numeric_answer(v) for k, v in spec.get("kwargs", {}).items()})
    return float(getattr(result, spec["attr"]) if spec.get("attr") else result)


# ---- reading a typed number ------------------------------------------------------------------------------------
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_TIMES_TEN = re.compile(r"^\s*([-+]?\d*\.?\d+)\s*(?:[x×*·]|times)\s*10\s*(?:\^|\*\*)?\s*([-+]?\d+)\s*$", re.I)


def parse_number(text: str) -> float:
    """A number as a learner types it: 2.7, 2,000, 3.8e8, 3.8 x 10^8, 3.8 × 10⁸. ValueError says what is wrong."""
    raw = (text or "").strip()
    if not raw:
        raise ValueError("The answer box is empty: type a number, for example 2.5 or 3.8e8.")
    cleaned = raw.translate(_SUPERSCRIPT).replace("\u2009", "").replace(" ", " ")
    cleaned = re.sub(r"(?<=\d),(?=\d{3}\b)", "", cleaned)  # thousands separators
    m = _TIMES_TEN.match(cleaned)
    try:
        value = float(m.group(1)) * 10 ** int(m.group(2)) if m else float(cleaned.replace(" ", ""))
    except (ValueError, OverflowError):
        raise ValueError(f"“{raw}” is not a number. Type digits only, for example 2.5, 2,000 or 3.8e8 "
                         "(3.8 × 10^8); leave the unit out.") from None
    if not math.isfinite(value):
        raise ValueError(f"“{raw}” is not a finite number; type an ordinary number such as 2.5.")
    return value


def _close(value: float, target: float, relative: float | None, absolute: float | None) -> bool:
    if absolute is not None:
        return abs(value - target) <= absolute
    return abs(value - target) <= (relative or 0.0) * abs(target)


@dataclass(frozen=True)
class Verdict:
    """The grade of one attempt: right or not (None for a poll), what to show, the misconceptions it shows."""

    correct: bool | None
    answer_text: str                       # what the learner answered, as stored and shown back
    feedback: tuple[tuple[str, str], ...]  # (what was chosen, why) pairs for the chosen options
    misconceptions: tuple[str, ...]        # beliefs this attempt showed (empty when right)
    value: float | None = None             # numeric: the number read
    expected: float | None = None          # numeric: the computed answer (shown only after a right answer)
    tiers: tuple[bool, ...] = ()           # two-tier: (answer right, reason right)


def grade_single(q: Question, index: int) -> Verdict:
    option = q.options[index]
    return Verdict(option.correct, option.text, ((option.text, option.feedback),),
                   () if option.correct or not option.misconception else (option.misconception,))


def grade_two_tier(q: Question, answer_index: int, reason_index: int) -> Verdict:
    a, r = q.options[answer_index], q.reasons[reason_index]
    shown = tuple(m for o in (a, r) if not o.correct and (m := o.misconception))
    return Verdict(a.correct and r.correct, f"{a.text} | because: {r.text}",
                   ((a.text, a.feedback), (r.text, r.feedback)), tuple(dict.fromkeys(shown)),
                   tiers=(a.correct, r.correct))


def grade_multi(q: Question, chosen: frozenset[int] | set[int]) -> Verdict:
    if not chosen:
        raise ValueError("Tick at least one statement before you press Check.")
    wrong: list[str] = []
    for i, o in enumerate(q.options):
        if (i in chosen) != o.correct:
            m = o.misconception if i in chosen else o.misconception_if_missed
            if m:
                wrong.append(m)
    right = all((i in chosen) == o.correct for i, o in enumerate(q.options))
    feedback = tuple((("✓ ticked" if i in chosen else "not ticked") + ": " + o.text, o.feedback)
                     for i, o in enumerate(q.options))
    text = "; ".join(q.options[i].text for i in sorted(chosen))
    return Verdict(right, text, feedback, tuple(dict.fromkeys(wrong)))


def grade_poll(q: Question, chosen: frozenset[int] | set[int]) -> Verdict:
    if not chosen:
        raise ValueError("Choose an answer first (there is no wrong answer here).")
    picked = [q.options[i] for i in sorted(chosen)]
    return Verdict(None, "; ".join(o.text for o in picked), tuple((o.text, "") for o in picked),
                   tuple(dict.fromkeys(o.misconception for o in picked if o.misconception)))


def grade_numeric(q: Question, text: str) -> Verdict:
    """Grade a typed number against the computed answer; bad input raises ValueError and records nothing."""
    value = parse_number(text)
    assert q.range is not None  # a numeric question has a range
    low, high = q.range
    if not low <= value <= high:
        raise ValueError(f"{facts.format_number(value)} {q.unit} is outside the possible range for this question "
                         f"({facts.format_number(low)} to {facts.format_number(high)} {q.unit}). Check the number "
                         "and its unit.")
    expected = float(numeric_answer(q.answer))
    tol = q.tolerance
    if _close(value, expected, tol.get("relative"), tol.get("absolute")):
        return Verdict(True, f"{facts.format_number(value)} {q.unit}", (("", q.right),), (), value, expected)
    for trap in q.traps:
        target = float(numeric_answer(trap.answer))
        if _close(value, target, trap.relative, trap.absolute):
            return Verdict(False, f"{facts.format_number(value)} {q.unit}", (("", trap.feedback),),
                           (trap.misconception,), value, expected)
    return Verdict(False, f"{facts.format_number(value)} {q.unit}", (("", q.wrong),), (), value, expected)


def key_text(q: Question) -> str:
    """The answer as the instructor guide's answer key writes it (the bold part of the key line)."""
    if q.type == "numeric":
        return f"{facts.format_number(float(numeric_answer(q.answer)))} {q.unit} ({tolerance_text(q)})"
    return q.key


def tolerance_text(q: Question) -> str:
    """How close an answer must be, in words ("within 10 %", "within 0.5 divisions")."""
    if "absolute" in q.tolerance:
        return f"within {facts.format_number(q.tolerance['absolute'])} {q.unit}"
    return f"within {q.tolerance['relative']:.0%}"
