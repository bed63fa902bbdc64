"""The start notebook's warm-up model: how many aspirin molecules weigh as much as one antibody."""
from __future__ import annotations

from .. import facts
from .validation import check_range

MAX_MOLECULES = 2000


def aspirin_mass_da(n_molecules: int) -> float:
    """Total mass in daltons of n aspirin molecules."""
    n = check_range("n_molecules", n_molecules, 1, MAX_MOLECULES, "molecules")
    return n * facts.value("aspirin_mw_da")


def aspirin_per_antibody() -> float:
    """How many aspirin molecules weigh as much as one IgG antibody (nominal masses)."""
    return facts.value("igg_mw_da") / facts.value("aspirin_mw_da")
