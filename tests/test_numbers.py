"""How the course writes numbers and units (coursekit.numbers): one module, checked against hand-written text."""
from __future__ import annotations

import math

import pytest

from coursekit import facts, numbers


@pytest.mark.parametrize("x, text", [(180.16, "180.16"), (150000, "150,000"), (2.5e7, "2.5 × 10^7"),
                                     (0.0005, "5 × 10^-4"), (0, "0"), (-1234.5, "-1,234.5")])
def test_number(x, text):
    assert numbers.number(x) == text
    assert facts.format_number(x) == text                     # the older name is the same function


@pytest.mark.parametrize("size_m, text", [(0.74e-9, "0.74 nm"), (12.6e-9, "12.6 nm"), (2e-6, "2 µm")])
def test_length(size_m, text):
    assert numbers.length(size_m) == text


@pytest.mark.parametrize("mass_da, text", [(180.16, "180.16 Da"), (5808, "5.81 kDa"), (150_000, "150 kDa"),
                                           (4.03e6, "4 MDa"), (6.02214076e11, "1 pg")])
def test_mass(mass_da, text):
    assert numbers.mass(mass_da) == text


def test_one_dalton_is_one_gram_per_mole():
    assert pytest.approx(1.0) == numbers.GRAMS_PER_DALTON * numbers.AVOGADRO_PER_MOL


@pytest.mark.parametrize("ratio, text", [(3.21, "3.2"), (832.6, "830"), (20270, "20,000"), (5.9e12, "5.9 × 10^12")])
def test_ratio(ratio, text):
    assert numbers.ratio(ratio) == text


@pytest.mark.parametrize("n, words", [(6.97e8, "697 million"), (3.99e13, "39.9 trillion"), (1.75e9, "1.75 billion"),
                                      (12345, "12,345")])
def test_in_words(n, words):
    assert numbers.in_words(n) == words


@pytest.mark.parametrize("x, text", [(10, "10 nM"), (3.333, "3.33 nM"), (1000, "1,000 nM"), (333.33, "333 nM")])
def test_concentration(x, text):
    assert numbers.concentration_nm(x) == text


@pytest.mark.parametrize("x, text", [(2.5e7, "2.5 × 10^7"), (1234.4, "1,234"), (0.25, "0.25"), (3, "3")])
def test_cell_count(x, text):
    assert numbers.cell_count(x) == text


@pytest.mark.parametrize("value, text", [(1, "1"), (1000, "1,000"), (1e6, "10⁶"), (1e12, "10¹²"), (500, ""),
                                         (0, "0"), (1e-3, "10⁻³")])
def test_decade_label(value, text):
    assert numbers.decade_label(value) == text


def test_years_and_ticks():
    assert numbers.year(1982) == "1982" and numbers.tick_number(0.1) == "0.1" and numbers.tick_number(1e4) == "10,000"
    assert numbers.power_of_ten(17) == "10¹⁷"


@pytest.mark.parametrize("call, message", [
    (lambda: numbers.mass(0), "mass_da = 0 Da is outside the allowed range 1 to 1 × 10^18 Da"),
    (lambda: numbers.length(1.0), "size_m = 1 m is outside the allowed range"),
    (lambda: numbers.ratio(0.5), "ratio = 0.5 is outside the allowed range 1 to"),
    (lambda: numbers.length(math.nan), "size_m = not a number m"),
])
def test_values_that_cannot_be_written_get_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message.replace("^", r"\^")):
        call()
