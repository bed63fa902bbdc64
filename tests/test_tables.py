"""The one CSV table reader: every kind of mistake an author can make gets a message naming file and line."""
from __future__ import annotations

import pytest

from coursekit.tables import read_table

COLUMNS = ("id", "kind", "flag", "size", "note")


def _table(tmp_path, text):
    path = tmp_path / "things.csv"
    path.write_text("id,kind,flag,size,note\n" + text, encoding="utf-8")
    return path


def test_rows_are_stripped_cells_with_their_place(tmp_path):
    rows = read_table(_table(tmp_path, "a, big ,yes,1.5,\nb,small,no,2,hello\n"), COLUMNS, required=("id",),
                      unique="id")
    assert [dict(r) for r in rows] == [{"id": "a", "kind": "big", "flag": "yes", "size": "1.5", "note": ""},
                                       {"id": "b", "kind": "small", "flag": "no", "size": "2", "note": "hello"}]
    assert rows[1].where == "things.csv line 3"
    assert rows[0].yes_no("flag") is True and rows[1].number("size") == 2.0 and rows[0].optional("note") is None
    assert rows[0].choice("kind", ("big", "small")) == "big"


@pytest.mark.parametrize("text, columns, message", [
    ("a,big,yes,1,n\n", ("id", "kind"), r"things.csv: columns must be \('id', 'kind'\)"),
    ("a,big,yes,1,\n", COLUMNS, "things.csv line 2: column 'note' is empty"),
    ("a,big,yes,1,n\na,big,no,2,n\n", COLUMNS, "things.csv line 3: duplicate id 'a'"),
    ("a,big,yes,1,n,extra\n", COLUMNS, "things.csv line 2: 5 cells expected"),
    ("a,big,yes\n", COLUMNS, "things.csv line 2: 5 cells expected"),
])
def test_table_mistakes_are_named(tmp_path, text, columns, message):
    with pytest.raises(ValueError, match=message):
        read_table(_table(tmp_path, text), columns, unique="id")


@pytest.mark.parametrize("call, message", [
    (lambda r: r.yes_no("flag"), r"line 2: flag 'maybe' is not one of \['yes', 'no'\]"),
    (lambda r: r.number("size"), "line 2: size 'ten' is not a number"),
    (lambda r: r.choice("kind", {"big": 1}), r"kind 'huge' is not one of \['big'\]"),
])
def test_cell_mistakes_are_named(tmp_path, call, message):
    row = read_table(_table(tmp_path, "a,huge,maybe,ten,n\n"), COLUMNS)[0]
    with pytest.raises(ValueError, match=message):
        call(row)


def test_every_course_table_reads_cleanly():
    from coursekit import facts, glossary
    from coursekit.models import biologics, discovery
    assert len(facts.load_facts()) > 50 and len(glossary.load_glossary()) > 10
    assert len(biologics.ladder_items()) >= 8 and len(biologics.hosts()) == 3 and len(biologics.products()) == 10
    assert len(discovery.differentiation_signals()) == 12
