"""The one reader for the course's CSV tables: columns, empty cells, allowed values, yes/no, numbers, duplicates.

Every error is a ValueError that names the file and the line ("facts.csv line 7: ..."), so an author who edits a
table in a spreadsheet can find the cell. Works with a `pathlib.Path` or an `importlib.resources` file.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol


class TextFile(Protocol):
    """A file that can be read as text: a pathlib.Path or an importlib.resources Traversable."""

    @property
    def name(self) -> str: ...

    def read_text(self, encoding: str | None = None) -> str: ...


class Row(Mapping[str, str]):
    """One row of a table: cells as stripped strings, plus `where` ("file.csv line 3") for messages."""

    def __init__(self, cells: dict[str, str], where: str):
        self._cells, self.where = cells, where

    def __getitem__(self, column: str) -> str:
        return self._cells[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def __repr__(self) -> str:
        return f"Row({self.where}: {self._cells})"

    def error(self, message: str) -> ValueError:
        return ValueError(f"{self.where}: {message}")

    def choice(self, column: str, allowed: Sequence[str] | Mapping[str, object]) -> str:
        """The cell, which must be one of the allowed values."""
        value = self[column]
        if value not in allowed:
            raise self.error(f"{column} {value!r} is not one of {list(allowed)}")
        return value

    def yes_no(self, column: str) -> bool:
        """A yes/no cell as a bool."""
        return self.choice(column, ("yes", "no")) == "yes"

    def number(self, column: str) -> float:
        """A cell that must hold a number."""
        try:
            return float(self[column])
        except ValueError:
            raise self.error(f"{column} {self[column]!r} is not a number") from None

    def optional(self, column: str) -> str | None:
        """The cell, or None when it is empty."""
        return self[column] or None


def read_table(source: TextFile, columns: Sequence[str], *, required: Sequence[str] | None = None,
               unique: str | None = None) -> list[Row]:
    """Read a CSV table whose header must be exactly `columns`.

    required: columns that may not be empty (default: all of them; pass () to allow empty cells anywhere).
    unique: a column whose values may not repeat (an id or key).
    """
    name = source.name
    reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"), newline=""))
    if tuple(reader.fieldnames or ()) != tuple(columns):
        raise ValueError(f"{name}: columns must be {tuple(columns)}, found {reader.fieldnames}")
    needed = tuple(columns) if required is None else tuple(required)
    rows: list[Row] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        if None in raw or any(v is None for v in raw.values()):
            raise ValueError(f"{name} line {line}: {len(columns)} cells expected (check for a stray comma)")
        row = Row({column: (raw[column] or "").strip() for column in columns}, f"{name} line {line}")
        for column in needed:
            if not row[column]:
                raise row.error(f"column {column!r} is empty")
        if unique is not None:
            if row[unique] in seen:
                raise row.error(f"duplicate {unique} {row[unique]!r}")
            seen.add(row[unique])
        rows.append(row)
    return rows
