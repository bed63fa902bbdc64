"""Loads the sourced numbers in coursekit/data/facts.csv: one place for every figure the course quotes.

Each row has key, value, unit, low, high, source, confidence and a description. The loader validates the
file (every row has a unit and a source, the value lies in its range) and remembers which facts a kernel
session used, so a notebook's "Sources" cell can list exactly the numbers it showed.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import numbers
from .paths import FACTS_CSV
from .tables import Row, read_table
from .numbers import number as format_number  # noqa: F401  (kept: the name older code and notes use)

COLUMNS = ("key", "value", "unit", "low", "high", "source", "confidence", "description")
CONFIDENCE_LEVELS = {"H": "high", "M": "medium", "L": "low", "D": "derived"}

_used: list[str] = []


@dataclass(frozen=True)
class Fact:
    """One sourced number with its unit, plausible range, source and confidence."""

    key: str
    value: float
    unit: str
    low: float
    high: float
    source: str
    confidence: str
    description: str

    def __str__(self) -> str:
        return f"{self.format(self.value)} {self.unit}".strip()

    def format(self, x: float) -> str:
        """A number in this fact's unit as a person writes it (years without a thousands separator)."""
        return numbers.year(x) if self.unit.startswith("year") else numbers.number(x)


def _parse_row(row: Row) -> Fact:
    key = row["key"]
    if not key.replace("_", "").isalnum() or key.lower() != key:
        raise row.error(f"key {key!r} must be lower_snake_case")
    value, low, high = (row.number(c) for c in ("value", "low", "high"))
    if not low <= value <= high:
        raise row.error(f"fact {key!r} value {value} lies outside its range [{low}, {high}]")
    confidence = row.choice("confidence", CONFIDENCE_LEVELS)
    return Fact(key, value, row["unit"], low, high, row["source"], confidence, row["description"])


def load_facts(path: Path | str = FACTS_CSV) -> dict[str, Fact]:
    """Read and validate a facts file; raise ValueError naming the row that is wrong."""
    rows = read_table(Path(path), COLUMNS, unique="key")
    return {fact.key: fact for fact in map(_parse_row, rows)}


@lru_cache(maxsize=1)
def all_facts() -> dict[str, Fact]:
    """The course's facts, loaded once per kernel."""
    return load_facts(FACTS_CSV)


def get(key: str) -> Fact:
    """The fact with this key (and remember that this session used it, for the Sources cell)."""
    facts = all_facts()
    if key not in facts:
        raise KeyError(f"no fact {key!r} in {FACTS_CSV.name}")
    if key not in _used:
        _used.append(key)
    return facts[key]


def value(key: str) -> float:
    """The number of the fact with this key."""
    return get(key).value


def used_keys() -> list[str]:
    """Keys of the facts this kernel session has used so far, in first-use order."""
    return list(_used)


def sources_markdown(keys: list[str] | None = None) -> str:
    """A Markdown table of the given facts (default: all used so far) with unit, range, confidence and source."""
    keys = used_keys() if keys is None else keys
    if not keys:
        return "_No sourced numbers were used in this notebook._"
    lines = ["| Number | Value | Range | Confidence | Source |", "|---|---|---|---|---|"]
    for key in keys:
        f = all_facts()[key]
        span = f"{f.format(f.low)}–{f.format(f.high)}" if f.low != f.high else "—"
        lines.append(f"| {f.description} | {f} | {span} | {CONFIDENCE_LEVELS[f.confidence]} | "
                     f"{f.source.replace('|', '/')} |")
    return "\n".join(lines)
