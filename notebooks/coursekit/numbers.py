"""How the course writes numbers and units: one place, used by facts, models, figures and widgets alike.

The lowest layer of coursekit (imports nothing of the course). Every function returns plain text a learner
reads: thousands separators, no trailing zeros, "× 10^n" or superscripts for huge numbers, the unit a biologist
would use. A value that cannot be written raises ValueError naming the parameter and the allowed range.
"""
from __future__ import annotations

import math

AVOGADRO_PER_MOL = 6.02214076e23          # exact by the SI definition (2019)
GRAMS_PER_DALTON = 1 / AVOGADRO_PER_MOL  # 1 Da = 1 g/mol per molecule
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _require(name: str, value: float, low: float, high: float, unit: str = "") -> float:
    unit_text = f" {unit}" if unit else ""
    x = float(value)
    if math.isnan(x) or not low <= x <= high:
        shown = "not a number" if math.isnan(x) else number(x)
        raise ValueError(f"{name} = {shown}{unit_text} is outside the allowed range "
                         f"{number(low)} to {number(high)}{unit_text}")
    return x


def number(x: float) -> str:
    """A number written as a person would: thousands separators, no trailing zeros, scientific when huge."""
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 1e6 or abs(x) < 1e-3:
        exponent = math.floor(math.log10(abs(x)))
        mantissa = x / 10**exponent
        return f"{mantissa:.3g} × 10^{exponent}"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}"


def year(x: float) -> str:
    """A year without a thousands separator: '1982'."""
    return str(int(x)) if float(x).is_integer() else number(x)


def whole(x: float) -> str:
    """A count rounded to a whole number, with thousands separators: '89,600'."""
    return f"{x:,.0f}"


def power_of_ten(exponent: int) -> str:
    """10 to a whole power with a superscript exponent ('10⁶'), for tick labels (no mathtext: fast to draw)."""
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


def length(size_m: float) -> str:
    """A length as a biologist writes it: '0.74 nm', '12.6 nm', '2 µm'."""
    _require("size_m", size_m, 1e-11, 1e-2, "m")
    if size_m < 1e-6:
        return f"{size_m / 1e-9:.3g} nm"
    return f"{size_m / 1e-6:.3g} µm"


def mass(mass_da: float) -> str:
    """A mass in the unit a biologist would use: Da/kDa/MDa for molecules and particles, fg/pg/ng for cells."""
    _require("mass_da", mass_da, 1, 1e18, "Da")
    if mass_da < 1e3:
        return f"{mass_da:.5g} Da"
    if mass_da < 1e6:
        return f"{mass_da / 1e3:.3g} kDa"
    if mass_da < 1e8:
        return f"{mass_da / 1e6:.2g} MDa"
    grams = mass_da * GRAMS_PER_DALTON
    for unit, scale in (("fg", 1e-15), ("pg", 1e-12), ("ng", 1e-9)):
        if grams < scale * 1e3:
            return f"{grams / scale:.2g} {unit}"
    return f"{grams / 1e-6:.2g} µg"


def ratio(r: float) -> str:
    """A 'times' ratio written readably: '3.2', '830', '12,000', '3.4 × 10^13'."""
    _require("ratio", r, 1, 1e30)
    if r < 10:
        return f"{r:.2g}"
    if r < 1e6:
        return f"{float(f'{r:.2g}'):,.0f}"
    exponent = math.floor(math.log10(r))
    return f"{r / 10**exponent:.2g} × 10^{exponent}"


def in_words(n: float) -> str:
    """A large count as a biologist would say it: '697 million', '1.9 billion', '40 trillion'."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if n >= size:
            return f"{n / size:.3g} {word}"
    return whole(n)


def cell_count(x: float) -> str:
    """A simulated cell count: whole cells for runs, one or two significant figures for small means."""
    if x >= 1e6:
        return number(round(x, -3))
    if x >= 10 or float(x).is_integer():
        return whole(x)
    return f"{x:.2g}"


def concentration_nm(x_nm: float) -> str:
    """A concentration in nM written plainly (3 significant figures, thousands separators): '10 nM', '1,000 nM'."""
    rounded = float(f"{x_nm:.3g}")
    return f"{rounded:,.0f} nM" if rounded >= 100 else f"{rounded:g} nM"


def tick_number(x: float) -> str:
    """A tick label for a decade (1, 10, 1,000 or 0.1), without math text."""
    return f"{x:,.0f}" if x >= 1 else f"{x:g}"


def decade_label(value: float) -> str:
    """Tick label of a log axis of counts: 1, 10, 1,000, then 10⁶ and up; '' between decades."""
    if value <= 0:
        return "0"
    exponent = round(math.log10(value))
    if abs(value - 10.0 ** exponent) > 1e-9 * value:
        return ""
    if 0 <= exponent < 6:
        return whole(value)
    return power_of_ten(exponent)
