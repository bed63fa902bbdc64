"""Loads and validates the check-question banks (data/questions/<notebook>.json) and the misconception list.

Item types: ``single`` (one right option), ``two_tier`` (an answer, then the reason), ``multi`` (tick every right
option), ``numeric`` (a number with unit and tolerance), and the ungraded ``poll`` / ``poll_multi`` (a belief, stored,
never marked right or wrong). Every graded item carries a confidence choice in the widget.

Rules the loader enforces on every item (a ValueError names the bank, the item and the rule):
- every wrong option names the misconception it stands for (an id in misconceptions.csv), and feedback says why;
- no "all of the above" / "none of the above" options, no repeated option texts;
- options are authored right-first and shown in a shuffled order fixed per item (its ``shuffle`` seed), so stored
  notebook outputs never change and the right answer falls on every position across the course;
- objectives are the bank's own objective ids; ``retrieval_of`` names the previous notebook of the course.
Course-wide figures (the right option is the single longest in at most a quarter of the items, display positions
A-D balanced, numbers of item types) are computed by ``course_figures`` and enforced by ``check_course``.
"""
from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .paths import MISCONCEPTIONS_CSV, QUESTIONS_DIR

GRADED_TYPES = ("single", "two_tier", "multi", "numeric")
POLL_TYPES = ("poll", "poll_multi")
TYPES = GRADED_TYPES + POLL_TYPES
LEVELS = ("recall", "apply", "transfer")
CONFIDENCE = ("Guessing", "Fairly sure", "Sure")
_ABOVE = re.compile(r"\b(all|none|both|neither)\s+of\s+(the\s+)?(above|these|them|the\s+options|the\s+answers)\b", re.I)
LETTERS = "ABCDEFGH"

# Course-wide limits (issue 13): measured by course_figures, enforced by check_course and tests/test_question_rules.py.
MIN_ITEMS, MIN_NUMERIC, MIN_TWO_TIER = 40, 5, 3
MAX_LONGEST_SHARE = 0.25
POSITION_SHARE = (0.15, 0.35)
MIN_NEW_CASE_SHARE = 1 / 3


@dataclass(frozen=True)
class Misconception:
    """A belief the course confronts: the learner's words, why it is wrong, where the course shows it."""

    id: str
    belief: str
    why_wrong: str
    confronted_in: str


@cache
def _misconceptions(path: Path) -> dict[str, Misconception]:
    rows: dict[str, Misconception] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            mid = (row.get("id") or "").strip()
            if not re.fullmatch(r"[a-z][a-z0-9_]*", mid):
                raise ValueError(f"{Path(path).name} line {line}: id {mid!r} must be lower_snake_case")
            if mid in rows:
                raise ValueError(f"{Path(path).name} line {line}: duplicate id {mid!r}")
            for column in ("belief", "why_wrong", "confronted_in"):
                if not (row.get(column) or "").strip():
                    raise ValueError(f"{Path(path).name} line {line}: misconception {mid!r} has no {column}")
            rows[mid] = Misconception(mid, row["belief"].strip(), row["why_wrong"].strip(),
                                      row["confronted_in"].strip())
    return rows


def misconceptions(path: Path | str | None = None) -> dict[str, Misconception]:
    """Every misconception the course confronts, by id."""
    return _misconceptions(Path(path) if path else MISCONCEPTIONS_CSV)


@dataclass(frozen=True)
class Option:
    """One answer option with the feedback a learner sees on choosing it, and the misconception it stands for."""

    text: str
    correct: bool
    feedback: str
    misconception: str | None = None            # the belief behind choosing this option when it is wrong
    misconception_if_missed: str | None = None  # multi-select: the belief behind leaving a right option out


@dataclass(frozen=True)
class Trap:
    """A numeric answer that a known wrong line of reasoning gives (forgot viability, forgot the unit...)."""

    answer: object             # an answer spec, evaluated by coursekit.models.assessment
    relative: float | None
    absolute: float | None
    misconception: str
    feedback: str


@dataclass(frozen=True)
class Question:
    """A check item from a bank. ``options`` and ``reasons`` are in display order (already shuffled)."""

    notebook: str
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    reasons: tuple[Option, ...] = ()
    reason_prompt: str = ""
    objectives: tuple[str, ...] = ()
    level: str = "recall"
    new_case: str | None = None
    retrieval_of: str | None = None
    unit: str = ""
    answer: object = None               # numeric: an answer spec ({"fact": key} / {"model": ...} / {"product": [...]})
    tolerance: dict = field(default_factory=dict)
    range: tuple[float, float] | None = None
    right: str = ""
    wrong: str = ""
    traps: tuple[Trap, ...] = ()

    @property
    def graded(self) -> bool:
        return self.type in GRADED_TYPES

    @property
    def correct_option(self) -> Option:
        """The right option (single and two-tier items: the answer tier)."""
        return next(o for o in self.options if o.correct)

    @property
    def correct_reason(self) -> Option:
        return next(o for o in self.reasons if o.correct)

    @property
    def key(self) -> str:
        """The answer as the instructor guide's answer key writes it (bold part of the key line)."""
        if self.type == "single":
            return self.correct_option.text
        if self.type == "two_tier":
            return f"{self.correct_option.text}, because: {self.correct_reason.text}"
        if self.type == "multi":
            return "; ".join(o.text for o in self.options if o.correct)
        if self.type == "numeric":
            return f"numeric, in {self.unit}"
        return "poll, no right answer"

    def diagnosed(self) -> set[str]:
        """Every misconception this item can show."""
        ids = {o.misconception for o in (*self.options, *self.reasons) if o.misconception}
        ids |= {o.misconception_if_missed for o in self.options if o.misconception_if_missed}
        return ids | {t.misconception for t in self.traps}


def display_order(notebook: str, qid: str, seed: int, n: int, tier: str = "") -> list[int]:
    """Authored option indices in the order shown: a shuffle fixed by the item's seed (the same on every run)."""
    order = list(range(n))
    random.Random(f"{notebook}:{qid}{tier}:{seed}").shuffle(order)
    return order


def _options(raw_options, where: str, *, graded: bool, poll: bool, known: dict) -> list[Option]:
    if not isinstance(raw_options, list):
        raise ValueError(f"{where}: options must be a list")
    options = []
    for i, o in enumerate(raw_options):
        text = str(o.get("text", "")).strip()
        feedback = str(o.get("feedback", "")).strip()
        if not text:
            raise ValueError(f"{where}: option {i} needs text")
        if graded and not feedback:
            raise ValueError(f"{where}: option {i} ({text!r}) needs feedback that says why")
        if _ABOVE.search(text):
            raise ValueError(f"{where}: option {text!r} is an 'all/none of the above' option; write a real answer")
        if poll and "correct" in o:
            raise ValueError(f"{where}: a poll has no right answer; remove 'correct' from option {text!r}")
        correct = bool(o.get("correct", False))
        mid, missed = o.get("misconception"), o.get("misconception_if_missed")
        for m in (mid, missed):
            if m is not None and m not in known:
                raise ValueError(f"{where}: option {text!r} names misconception {m!r}, not in misconceptions.csv")
        if graded and not correct and not mid:
            raise ValueError(f"{where}: wrong option {text!r} names no misconception; every wrong option must")
        options.append(Option(text, correct, feedback, mid, missed))
    if len({o.text for o in options}) != len(options):
        raise ValueError(f"{where}: an option text is repeated")
    return options


def _spec_ok(spec, where: str) -> None:
    """An answer spec: a number, {"fact": key}, {"model": "module.function", "kwargs": {...}, "attr": name}, or
    {"product": [spec, ...]}. Model names are checked when the answer is computed (coursekit.models.assessment)."""
    from . import facts  # same layer: the sourced numbers

    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return
    if isinstance(spec, str):  # a choice passed to a model (a product key)
        return
    if isinstance(spec, dict) and set(spec) == {"fact"}:
        facts.get(spec["fact"])  # KeyError names an unknown fact
        return
    if isinstance(spec, dict) and set(spec) == {"product"} and isinstance(spec["product"], list) and spec["product"]:
        for s in spec["product"]:
            _spec_ok(s, where)
        return
    if isinstance(spec, dict) and "model" in spec and set(spec) <= {"model", "kwargs", "attr"}:
        if not re.fullmatch(r"[a-z_]+\.[a-z_]+", str(spec["model"])):
            raise ValueError(f"{where}: model {spec['model']!r} must be written module.function")
        for s in spec.get("kwargs", {}).values():
            _spec_ok(s, where)
        return
    raise ValueError(f"{where}: answer {spec!r} is not a number, a fact, a model call or a product")


def _parse_question(raw: dict, notebook: str, where: str, known: dict, objective_ids: set[str],
                    notebooks: list[str] | None) -> Question:
    for name in ("id", "type", "prompt"):
        if name not in raw:
            raise ValueError(f"{where}: an item has no {name!r}")
    qid, kind = str(raw["id"]), raw["type"]
    where = f"{where}: item {qid!r}"
    if kind not in TYPES:
        raise ValueError(f"{where}: type {kind!r} is not one of {list(TYPES)}")
    level = raw.get("level", "recall")
    if level not in LEVELS:
        raise ValueError(f"{where}: level {level!r} is not one of {list(LEVELS)}")
    objectives = tuple(raw.get("objectives", ()))
    if not objectives or not set(objectives) <= objective_ids:
        raise ValueError(f"{where}: objectives {list(objectives)} must be a non-empty list of the bank's objective "
                         f"ids {sorted(objective_ids)}")
    retrieval = raw.get("retrieval_of")
    if retrieval is not None and notebooks is not None:
        i = notebooks.index(notebook) if notebook in notebooks else -1
        if i < 1 or notebooks[i - 1] != retrieval:
            raise ValueError(f"{where}: retrieval_of {retrieval!r} must be the notebook before {notebook!r}")
    common = dict(notebook=notebook, id=qid, type=kind, prompt=str(raw["prompt"]), objectives=objectives,
                  level=level, new_case=raw.get("new_case"), retrieval_of=retrieval)
    graded, poll = kind in GRADED_TYPES, kind in POLL_TYPES
    if kind == "numeric":
        for name in ("unit", "answer", "tolerance", "range", "right", "wrong"):
            if not raw.get(name) and raw.get(name) != 0:
                raise ValueError(f"{where}: a numeric item needs {name!r}")
        tol = raw["tolerance"]
        if set(tol) not in ({"relative"}, {"absolute"}) or not float(next(iter(tol.values()))) > 0:
            raise ValueError(f"{where}: tolerance must be {{'relative': r}} or {{'absolute': a}} with a value above 0")
        low, high = (float(x) for x in raw["range"])
        if not low < high:
            raise ValueError(f"{where}: range {raw['range']} must be [low, high] with low < high")
        _spec_ok(raw["answer"], where)
        traps = []
        for t in raw.get("traps", []):
            _spec_ok(t.get("answer"), where)
            if t.get("misconception") not in known:
                raise ValueError(f"{where}: trap names misconception {t.get('misconception')!r}, not in the list")
            if not str(t.get("feedback", "")).strip():
                raise ValueError(f"{where}: every trap needs feedback")
            traps.append(Trap(t["answer"], t.get("relative"), t.get("absolute"), t["misconception"], t["feedback"]))
        return Question(**common, unit=str(raw["unit"]), answer=raw["answer"], tolerance=dict(tol),
                        range=(low, high), right=str(raw["right"]), wrong=str(raw["wrong"]), traps=tuple(traps))
    authored = _options(raw.get("options"), where, graded=graded, poll=poll, known=known)
    n_correct = sum(o.correct for o in authored)
    if kind in ("single", "two_tier"):
        if not 2 <= len(authored) <= 6 or n_correct != 1:
            raise ValueError(f"{where}: needs 2 to 6 options with exactly 1 correct; has {len(authored)} options, "
                             f"{n_correct} correct")
    elif kind == "multi":
        if not 3 <= len(authored) <= 10 or not 1 <= n_correct < len(authored):
            raise ValueError(f"{where}: a multi-select item needs 3 to 10 options, at least one right and one wrong; "
                             f"has {len(authored)} options, {n_correct} correct")
    elif not 2 <= len(authored) <= 12:
        raise ValueError(f"{where}: a poll needs 2 to 12 options")
    seed = int(raw.get("shuffle", 0))
    options = [authored[i] for i in display_order(notebook, qid, seed, len(authored))]
    reasons: list[Option] = []
    if kind == "two_tier":
        authored_reasons = _options(raw.get("reasons"), where + " reasons", graded=True, poll=False, known=known)
        if not 2 <= len(authored_reasons) <= 6 or sum(o.correct for o in authored_reasons) != 1:
            raise ValueError(f"{where}: the reason tier needs 2 to 6 reasons with exactly 1 correct")
        if not str(raw.get("reason_prompt", "")).strip():
            raise ValueError(f"{where}: a two-tier item needs a reason_prompt")
        order = display_order(notebook, qid, int(raw.get("reason_shuffle", 0)), len(authored_reasons), "/reason")
        reasons = [authored_reasons[i] for i in order]
    return Question(**common, options=tuple(options), reasons=tuple(reasons),
                    reason_prompt=str(raw.get("reason_prompt", "")))


@dataclass(frozen=True)
class Bank:
    """One notebook's bank: its learning objectives, graded activities (not items) and items."""

    notebook: str
    objectives: dict[str, str]
    activities: tuple[dict, ...]
    questions: dict[str, Question]


def _course_stems() -> list[str] | None:
    try:
        from . import course
        return [n.stem for n in course.notebooks()]
    except Exception:  # a bank read outside the course (tests with a tmp folder)
        return None


def read_bank(path: Path | str) -> Bank:
    """Read one bank file with its objectives; raise ValueError naming the bank, item and rule that fails."""
    path = Path(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    notebook = raw.get("notebook")
    if notebook != path.stem:
        raise ValueError(f"{path.name}: 'notebook' is {notebook!r}, expected {path.stem!r}")
    objectives = {}
    for o in raw.get("objectives", []):
        if not o.get("id") or not o.get("text") or o["id"] in objectives:
            raise ValueError(f"{path.name}: every objective needs a unique id and its text")
        objectives[o["id"]] = o["text"]
    if not objectives:
        raise ValueError(f"{path.name}: no learning objectives")
    activities = tuple(raw.get("activities", []))
    for a in activities:
        if a.get("objective") not in objectives or not str(a.get("activity", "")).strip():
            raise ValueError(f"{path.name}: activity {a!r} must name one of the bank's objectives and the activity")
    known = misconceptions()
    stems = _course_stems()
    bank: dict[str, Question] = {}
    for item in raw.get("questions", []):
        q = _parse_question(item, notebook, path.name, known, set(objectives), stems)
        if q.id in bank:
            raise ValueError(f"{path.name}: duplicate question id {q.id!r}")
        bank[q.id] = q
    if not bank:
        raise ValueError(f"{path.name}: no questions")
    return Bank(notebook, objectives, activities, bank)


def load_bank(path: Path | str) -> dict[str, Question]:
    """The items of one bank file, by id."""
    return read_bank(path).questions


def question(notebook: str, question_id: str) -> Question:
    """The question with this id from the notebook's bank."""
    bank = load_bank(QUESTIONS_DIR / f"{notebook}.json")
    if question_id not in bank:
        raise KeyError(f"no question {question_id!r} in {notebook}.json; have {sorted(bank)}")
    return bank[question_id]


def all_bank_files(folder: Path | None = None) -> dict[str, Bank]:
    folder = QUESTIONS_DIR if folder is None else Path(folder)
    return {p.stem: read_bank(p) for p in sorted(folder.glob("*.json"))}


def all_banks() -> dict[str, dict[str, Question]]:
    """Every bank in the course, by notebook name."""
    return {stem: b.questions for stem, b in all_bank_files().items()}


# ---- course-wide figures -------------------------------------------------------------------------------------
def _single_longest(options: tuple[Option, ...]) -> bool:
    lengths = sorted((len(o.text) for o in options), reverse=True)
    right = len(next(o for o in options if o.correct).text)
    return right == lengths[0] and (len(lengths) < 2 or lengths[1] < right)


@dataclass(frozen=True)
class CourseFigures:
    """What issue 13 asks of the banks, measured."""

    items: int                  # graded items (polls excluded)
    polls: int
    by_type: dict[str, int]
    single_correct_items: int   # items whose answer is one option (single, two-tier)
    longest_correct: int        # ... whose right option is the single longest (in either tier)
    positions: dict[str, int]   # display letter of the right option, over every 4-option tier
    wrong_options: int
    wrong_options_tagged: int
    new_case: int               # items on a scenario or product not shown in the cell above
    confidence_items: int       # items that ask for confidence (every item: the widget family always does)

    @property
    def longest_share(self) -> float:
        return self.longest_correct / self.single_correct_items if self.single_correct_items else 0.0

    @property
    def position_shares(self) -> dict[str, float]:
        total = sum(self.positions.values())
        return {k: v / total for k, v in self.positions.items()} if total else {}

    @property
    def new_case_share(self) -> float:
        return self.new_case / self.items if self.items else 0.0


def course_figures(banks: dict[str, dict[str, Question]] | None = None) -> CourseFigures:
    """Count items, cues and positions over the whole course (polls counted apart, never graded)."""
    banks = all_banks() if banks is None else banks
    items = [q for bank in banks.values() for q in bank.values()]
    graded = [q for q in items if q.graded]
    by_type = {t: sum(q.type == t for q in items) for t in TYPES}
    one = [q for q in graded if q.type in ("single", "two_tier")]
    longest = sum(_single_longest(q.options) or (q.type == "two_tier" and _single_longest(q.reasons)) for q in one)
    positions = {letter: 0 for letter in LETTERS[:4]}
    for q in one:
        for tier in (q.options, q.reasons):
            if len(tier) == 4:
                positions[LETTERS[[o.correct for o in tier].index(True)]] += 1
    wrong = [o for q in graded for o in (*q.options, *q.reasons) if not o.correct]
    return CourseFigures(len(graded), len(items) - len(graded), by_type, len(one), longest, positions, len(wrong),
                         sum(1 for o in wrong if o.misconception), sum(1 for q in graded if q.new_case),
                         len(items))


def check_course(figures: CourseFigures | None = None) -> list[str]:
    """Every course-wide rule the figures break (empty: all hold)."""
    f = course_figures() if figures is None else figures
    problems = []
    if f.items < MIN_ITEMS:
        problems.append(f"{f.items} graded items; at least {MIN_ITEMS} are needed")
    if f.by_type["numeric"] < MIN_NUMERIC:
        problems.append(f"{f.by_type['numeric']} numeric items; at least {MIN_NUMERIC}")
    if f.by_type["two_tier"] < MIN_TWO_TIER:
        problems.append(f"{f.by_type['two_tier']} two-tier items; at least {MIN_TWO_TIER}")
    if f.longest_share > MAX_LONGEST_SHARE:
        problems.append(f"the right option is the single longest in {f.longest_correct} of {f.single_correct_items} "
                        f"items ({f.longest_share:.0%}); at most {MAX_LONGEST_SHARE:.0%} allowed")
    low, high = POSITION_SHARE
    for letter, share in f.position_shares.items():
        if not low <= share <= high:
            problems.append(f"position {letter} holds {share:.0%} of the right answers of 4-option items; "
                            f"allowed {low:.0%} to {high:.0%}")
    if f.wrong_options_tagged != f.wrong_options:
        problems.append(f"{f.wrong_options - f.wrong_options_tagged} wrong options name no misconception")
    if f.new_case_share < MIN_NEW_CASE_SHARE:
        problems.append(f"{f.new_case} of {f.items} items ({f.new_case_share:.0%}) ask about a case not shown above; "
                        f"at least a third needed")
    return problems
