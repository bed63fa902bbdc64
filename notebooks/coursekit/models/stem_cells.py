"""Stem cells: the division model (self-renewal vs differentiation) and the potency of each stem-cell type.

Division model (Klein & Simons 2011): every stem cell divides once per generation and, independently, either
renews symmetrically (2 stem cells, probability p_ss), divides asymmetrically (1 stem + 1 differentiating cell,
p_a) or differentiates symmetrically (2 differentiating cells, p_dd), with p_ss + p_a + p_dd = 1.
Expected stem cells after one division: 2 p_ss + p_a = 1 + p_ss - p_dd.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import facts
from .validation import check_choice, check_range

MAX_GENERATIONS = 60
MAX_START_STEM_CELLS = 10_000
# The stochastic run stops following a pool that grows past this size (the expected curve goes on):
# a real tissue runs out of room long before, and the counts stay far from integer overflow.
POOL_CAP_CELLS = 1_000_000
MAX_SEED = 1_000_000
WEEKS_PER_YEAR = 365.25 / 7  # calendar conversion, not a sourced number

STEADY_STATE, EXPANSION, EXHAUSTION = "steady state", "expansion", "exhaustion"
_BALANCE_TOLERANCE = 1e-9  # slider steps such as 0.3 - 0.2 are not exact in binary floating point


# -- division model ------------------------------------------------------------------------------------------
def fate_probabilities(p_ss: float, p_dd: float) -> tuple[float, float, float]:
    """(p_ss, p_a, p_dd): the three fate probabilities, p_a = 1 - p_ss - p_dd; ValueError if they cannot sum to 1."""
    p_ss = check_range("p_ss", p_ss, 0, 1, "(probability of symmetric renewal)")
    p_dd = check_range("p_dd", p_dd, 0, 1, "(probability of symmetric differentiation)")
    total = p_ss + p_dd
    if total > 1 + _BALANCE_TOLERANCE:
        raise ValueError(
            f"p_ss + p_dd = {total:.2f} is outside the allowed range 0 to 1: the three fates must add up to one, "
            f"so the asymmetric share p_a = 1 - p_ss - p_dd would be {1 - total:.2f}, a negative probability. "
            "Lower one of the two sliders.")
    p_a = max(0.0, 1.0 - total)
    return p_ss, p_a, p_dd


def stem_cells_per_division(p_ss: float, p_dd: float) -> float:
    """Expected stem cells left by one dividing stem cell: 2 p_ss + p_a = 1 + p_ss - p_dd."""
    p_ss, p_a, p_dd = fate_probabilities(p_ss, p_dd)
    return 2 * p_ss + p_a


def differentiated_cells_per_division(p_ss: float, p_dd: float) -> float:
    """Expected differentiating cells made by one dividing stem cell: p_a + 2 p_dd = 1 - p_ss + p_dd."""
    p_ss, p_a, p_dd = fate_probabilities(p_ss, p_dd)
    return p_a + 2 * p_dd


def regime(p_ss: float, p_dd: float) -> str:
    """'steady state' if renewal and differentiation balance (p_ss = p_dd), else 'expansion' or 'exhaustion'."""
    p_ss, _, p_dd = fate_probabilities(p_ss, p_dd)
    imbalance = p_ss - p_dd
    if abs(imbalance) <= _BALANCE_TOLERANCE:
        return STEADY_STATE
    return EXPANSION if imbalance > 0 else EXHAUSTION


def divisions_to_double_or_halve(p_ss: float, p_dd: float) -> float:
    """Divisions for the expected pool to double (expansion) or halve (exhaustion): ln 2 / |ln(1 + p_ss - p_dd)|.

    math.inf in steady state; 0 when p_dd = 1 (the whole pool differentiates in a single division).
    """
    factor = stem_cells_per_division(p_ss, p_dd)
    if regime(p_ss, p_dd) == STEADY_STATE:
        return math.inf
    if factor == 0:
        return 0.0
    return math.log(2) / abs(math.log(factor))


def _check_run(generations: int, start_stem_cells: int) -> tuple[int, int]:
    g = check_range("generations", generations, 1, MAX_GENERATIONS, "divisions")
    s = check_range("start_stem_cells", start_stem_cells, 1, MAX_START_STEM_CELLS, "cells")
    if not (g.is_integer() and s.is_integer()):
        raise ValueError(f"generations and start_stem_cells must be whole numbers; got {generations!r}, "
                         f"{start_stem_cells!r}")
    return int(g), int(s)


@dataclass(frozen=True)
class PoolRun:
    """Stem cells alive and differentiating cells made so far, at generations 0..n (index = generation)."""

    stem_cells: np.ndarray
    differentiated_cells: np.ndarray
    extinct_at: int | None = None   # first generation with no stem cells left (stochastic runs only)
    capped_at: int | None = None    # generation at which the pool passed POOL_CAP_CELLS and the run stopped

    @property
    def generations(self) -> np.ndarray:
        return np.arange(len(self.stem_cells))


def expected_pool(p_ss: float, p_dd: float, generations: int, start_stem_cells: int) -> PoolRun:
    """The mean (expected) pool: S_n = S_0 m^n with m = 1 + p_ss - p_dd; differentiated cells summed over divisions."""
    m = stem_cells_per_division(p_ss, p_dd)
    d = differentiated_cells_per_division(p_ss, p_dd)
    g, s0 = _check_run(generations, start_stem_cells)
    stem = s0 * m ** np.arange(g + 1, dtype=float)
    differentiated = np.concatenate(([0.0], np.cumsum(stem[:-1] * d)))
    return PoolRun(stem, differentiated)


def simulate_pool(p_ss: float, p_dd: float, generations: int, start_stem_cells: int, seed: int = 1) -> PoolRun:
    """One seeded random run: each generation, one multinomial draw splits the dividing stem cells among the 3 fates.

    The run stops early when the pool dies out (extinct_at) or passes POOL_CAP_CELLS (capped_at); arrays then
    hold only the generations simulated.
    """
    # Rounded, so a run depends on the settings, not on float noise (0.3 and 0.30000000000000004 give one run).
    fates = np.round(np.array(fate_probabilities(p_ss, p_dd)), 9)
    g, s0 = _check_run(generations, start_stem_cells)
    seed_value = check_range("seed", seed, 0, MAX_SEED, "(random run number)")
    rng = np.random.default_rng(int(seed_value))
    stem = [s0]
    differentiated = [0]
    extinct_at = capped_at = None
    for n in range(1, g + 1):
        renew, asymmetric, differentiate = rng.multinomial(stem[-1], fates)
        stem.append(int(2 * renew + asymmetric))
        differentiated.append(differentiated[-1] + int(asymmetric + 2 * differentiate))
        if stem[-1] == 0:
            extinct_at = n
            break
        if stem[-1] > POOL_CAP_CELLS:
            capped_at = n
            break
    return PoolRun(np.array(stem, dtype=float), np.array(differentiated, dtype=float), extinct_at, capped_at)


def hsc_years(divisions: float) -> float:
    """Years that this many divisions take for a human blood stem cell (one division per ~40 weeks, Catlin 2011)."""
    n = check_range("divisions", divisions, 0, 1e6, "divisions")
    return n * facts.value("stem_hsc_division_interval_weeks") / WEEKS_PER_YEAR


# -- potency -------------------------------------------------------------------------------------------------
# Levels from the widest to the narrowest (Stem Cell Res Ther 2018 Table 1; PMC4133289).
POTENCY_LEVELS: dict[str, str] = {
    "totipotent": "every cell type, including the placenta and other extra-embryonic tissue",
    "pluripotent": "every cell type of the body (all three germ layers), but not the placenta",
    "multipotent": "many cell types, all within one family (lineage)",
    "unipotent": "one cell type only",
    "not a stem cell": "no other cell type: a specialised (differentiated) cell",
}

# Cell types a learner can check, with the germ layer or origin they come from.
TARGET_CELL_TYPES: dict[str, str] = {
    "placenta": "extra-embryonic",
    "neurons": "ectoderm",
    "skin": "ectoderm",
    "heart muscle": "mesoderm",
    "skeletal muscle": "mesoderm",
    "bone, cartilage, fat": "mesoderm",
    "blood cells": "mesoderm",
    "gut lining, liver": "endoderm",
}
_BODY = tuple(t for t in TARGET_CELL_TYPES if t != "placenta")


@dataclass(frozen=True)
class StemCellType:
    """One kind of cell on the potency hierarchy: where it sits and which target cell types it can make."""

    name: str
    short: str          # label on the hierarchy figure
    level: str          # a key of POTENCY_LEVELS
    can_become: tuple[str, ...]
    where_found: str
    note: str = ""      # a nuance worth a learner's attention


STEM_CELL_TYPES: dict[str, StemCellType] = {s.name: s for s in (
    StemCellType("zygote (fertilised egg)", "zygote", "totipotent", tuple(TARGET_CELL_TYPES),
                 "the fertilised egg and the first cells of the early embryo"),
    StemCellType("embryonic stem cell (ESC)", "ESC", "pluripotent", _BODY,
                 "the inner cell mass of a blastocyst, an embryo a few days old",
                 "Nuance: “any cell type” means any cell of the body. ESCs are pluripotent, not totipotent; "
                 "human ESCs can still form some placenta-like trophoblast in a dish, so the line is fuzzy."),
    StemCellType("induced pluripotent stem cell (iPSC)", "iPSC", "pluripotent", _BODY,
                 "made in the lab from an adult cell (for example skin or blood) with four factors; no embryo",
                 "Made from an adult cell, yet as versatile as an ESC."),
    StemCellType("hematopoietic (blood) stem cell (HSC)", "HSC", "multipotent", ("blood cells",),
                 "bone marrow (also umbilical-cord blood and, after mobilisation, the bloodstream)",
                 "Makes every kind of blood cell, and nothing else: this is what a bone-marrow transplant gives."),
    StemCellType("mesenchymal stromal/stem cell (MSC)", "MSC", "multipotent", ("bone, cartilage, fat",),
                 "bone marrow stroma and other connective tissue",
                 "Nuance: most sources call MSCs multipotent, one review table “oligopotent”, and whether they "
                 "are true stem cells (“stromal” or “stem”) is debated."),
    StemCellType("muscle satellite cell", "satellite cell", "unipotent", ("skeletal muscle",),
                 "under the membrane of skeletal muscle fibres"),
    StemCellType("skin fibroblast (not a stem cell)", "fibroblast", "not a stem cell", (),
                 "the skin’s connective tissue",
                 "A specialised cell: it makes more fibroblasts but no other cell type, until the four "
                 "reprogramming factors turn it into an iPSC."),
)}


def stem_cell_type(name: str) -> StemCellType:
    """The cell type with this name (ValueError listing the allowed names otherwise)."""
    check_choice("cell_type", name, list(STEM_CELL_TYPES))
    return STEM_CELL_TYPES[name]


def reach(name: str) -> dict[str, bool]:
    """For each target cell type: can this cell type give rise to it?"""
    cell = stem_cell_type(name)
    return {target: target in cell.can_become for target in TARGET_CELL_TYPES}
