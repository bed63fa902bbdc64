"""The facts file: valid, sourced, in range; the loader rejects every kind of bad row."""
import csv

import pytest

from coursekit import facts


def test_every_fact_has_unit_source_and_lies_in_range():
    loaded = facts.load_facts()
    assert len(loaded) >= 2
    for f in loaded.values():
        assert f.unit and f.source and f.description
        assert f.low <= f.value <= f.high


def test_known_values_match_the_fact_sheet():
    # Hand-checked against shared/reference/facts.md section 1.
    assert facts.value("aspirin_mw_da") == pytest.approx(180.16)
    assert facts.value("igg_mw_da") == pytest.approx(150_000)


def _write(tmp_path, rows):
    path = tmp_path / "facts.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(facts.COLUMNS)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("row, message", [
    (["x_kg", "5", "", "1", "10", "src", "H", "d"], "facts.csv line 2: column .unit. is empty"),
    (["x_kg", "5", "kg", "1", "10", "", "H", "d"], "column .source. is empty"),
    (["x_kg", "50", "kg", "1", "10", "src", "H", "d"], "outside its range"),
    (["x_kg", "five", "kg", "1", "10", "src", "H", "d"], "not a number"),
    (["x_kg", "5", "kg", "1", "10", "src", "Q", "d"], "confidence"),
    (["X-kg", "5", "kg", "1", "10", "src", "H", "d"], "lower_snake_case"),
])
def test_loader_rejects_bad_rows(tmp_path, row, message):
    with pytest.raises(ValueError, match=message):
        facts.load_facts(_write(tmp_path, [row]))


def test_loader_rejects_duplicate_keys(tmp_path):
    row = ["x_kg", "5", "kg", "1", "10", "src", "H", "d"]
    with pytest.raises(ValueError, match="duplicate"):
        facts.load_facts(_write(tmp_path, [row, row]))


def test_sources_table_lists_used_facts_with_their_source():
    facts.get("igg_mw_da")
    table = facts.sources_markdown(["igg_mw_da"])
    assert "150,000 Da" in table and "AAT Bioquest" in table and "144,000–150,000" in table


def test_years_are_written_without_a_thousands_separator():
    year = facts.Fact("y", 1982, "year", 1982, 1982, "src", "H", "d")
    assert str(year) == "1982 year"
    assert str(facts.Fact("m", 150000, "Da", 1, 200000, "src", "H", "d")) == "150,000 Da"
