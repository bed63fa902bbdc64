"""Notebook 02 explorers: the stem-cell division simulator and the potency explorer."""
from __future__ import annotations

import math
from functools import partial

import ipywidgets as widgets

from .. import facts
from ..numbers import cell_count as _cells
from ..display import FigureOutput, show_figure
from ..figures.stem_cells import (PoolFigure, PotencyFigure, blood_lineage_tree, potency_hierarchy,
                                  reprogramming_diagram)
from ..models import stem_cells as model
from .explorer import Answer, Explorer, View

DEFAULT_P_SS = 0.25   # illustrative balanced setting (p_SS = p_DD), fact sheet section 7 widget defaults
DEFAULT_P_DD = 0.25
DEFAULT_GENERATIONS = 30
START_CHOICES = (10, 100, 1000)


def _divisions(n: int) -> str:
    return f"{n} division" if n == 1 else f"{n} divisions"


def division_view(p_ss: float, p_dd: float, generations: int, start_stem_cells: int, seed: int,
                  figure: PoolFigure | None = None) -> View:
    """Run the expected and one seeded random pool, and say what they show (the explorer's `figure` is redrawn in
    place)."""
    figure = PoolFigure() if figure is None else figure
    p_ss, p_a, p_dd = model.fate_probabilities(p_ss, p_dd)
    expected = model.expected_pool(p_ss, p_dd, generations, start_stem_cells)
    run = model.simulate_pool(p_ss, p_dd, generations, start_stem_cells, seed)
    kind = model.regime(p_ss, p_dd)
    factor = model.stem_cells_per_division(p_ss, p_dd)
    lines = [f"Fates: p_SS = {p_ss:.2f} (2 stem cells), p_A = {p_a:.2f} (1 stem + 1 differentiating), "
             f"p_DD = {p_dd:.2f} (2 differentiating). Together: {p_ss + p_a + p_dd:.2f}.",
             f"Each division leaves on average 1 + p_SS − p_DD = {factor:.2f} stem cells."]
    if kind == model.STEADY_STATE:
        lines.append(f"Regime: {kind}. Renewal balances differentiation, so the expected pool stays at "
                     f"{start_stem_cells:,} stem cells while it keeps making differentiated cells.")
    else:
        t = model.divisions_to_double_or_halve(p_ss, p_dd)
        verb = "doubles" if kind == model.EXPANSION else "halves"
        if t == 0:
            lines.append(f"Regime: {kind}. Every division makes two differentiating cells: the whole pool "
                         "is used up in a single division.")
        else:
            years = model.hsc_years(t)
            weeks = facts.value("stem_hsc_division_interval_weeks")
            lines.append(f"Regime: {kind}. The expected pool {verb} every {t:.1f} divisions "
                         f"(ln 2 / |ln {factor:.2f}|); for a human blood stem cell dividing about once every "
                         f"{weeks:.0f} weeks, that is about {years:.1f} years.")
    n = len(expected.stem_cells) - 1
    lines.append(f"After {n} divisions, expected: {_cells(expected.stem_cells[-1])} stem cells and "
                 f"{_cells(expected.differentiated_cells[-1])} differentiated cells made.")
    last = len(run.stem_cells) - 1
    if run.extinct_at is not None:
        lines.append(f"Random run no. {seed}: the pool died out after {_divisions(run.extinct_at)}, having made "
                     f"{_cells(run.differentiated_cells[-1])} differentiated cells.")
    elif run.capped_at is not None:
        lines.append(f"Random run no. {seed}: over a million stem cells after {_divisions(run.capped_at)}; "
                     "the simulation stops following it there.")
    else:
        lines.append(f"Random run no. {seed}: {_cells(run.stem_cells[-1])} stem cells and "
                     f"{_cells(run.differentiated_cells[-1])} differentiated cells after {_divisions(last)}.")
    flags = []
    if kind == model.STEADY_STATE and run.extinct_at is not None:
        flags.append("Balanced on average, yet this pool died out by chance: small pools drift.")
    elif kind == model.EXHAUSTION:
        flags.append("Exhaustion: the tissue loses its repair system as the stem cells run out.")
    elif kind == model.EXPANSION:
        flags.append("Expansion: the pool grows without limit, faster than any tissue has room for.")
    alt = (f"Two charts over {n} divisions. Left, stem-cell pool on a log scale: the expected pool goes from "
           f"{start_stem_cells:,} to {_cells(expected.stem_cells[-1])}; random run no. {seed} shown as dots. "
           f"Right, differentiated cells made so far. Regime: {kind}.")
    read_alt = (f"Chart over {n} divisions, cells on a log scale with a gridline at every power of ten: a line for "
                f"the expected stem-cell pool starting at {start_stem_cells:,} cells, dots for random run no. {seed}, "
                "and a dashed line for the differentiated cells made. Regime: {kind}.").replace("{kind}", kind)
    return View(summary=lines, figure=figure.update(expected, run, kind), alt=alt, flags=tuple(flags),
                read_alt=read_alt)


def division_simulator() -> Explorer:
    """Sliders for the three division fates; the pool's mean and one seeded random run; the regime named."""
    # One control per row with a fixed label column: every slider keeps a full-width track (a long label in a
    # shared row left the p_DD track about 60 px wide for 21 steps).
    row = widgets.Layout(width="560px")

    def slider(value: float, description: str) -> widgets.FloatSlider:
        return widgets.FloatSlider(value=value, min=0.0, max=1.0, step=0.05, description=description,
                                   readout_format=".2f", continuous_update=False, layout=row)

    controls = {
        "p_ss": slider(DEFAULT_P_SS, "p_SS (renew: 2 stem)"),
        "p_dd": slider(DEFAULT_P_DD, "p_DD (differentiate: 2 specialised)"),
        "generations": widgets.IntSlider(value=DEFAULT_GENERATIONS, min=5, max=model.MAX_GENERATIONS, step=5,
                                         description="divisions", continuous_update=False, layout=row),
        "start_stem_cells": widgets.Dropdown(options=list(START_CHOICES), value=100,
                                             description="stem cells at the start",
                                             layout=widgets.Layout(width="400px")),
        "seed": widgets.IntSlider(value=1, min=1, max=10, description="random run no.",
                                  continuous_update=False, layout=row),
    }
    return Explorer(
        "Stem-cell division simulator",
        "move p_SS and p_DD (p_A, the asymmetric share, is whatever is left: 1 − p_SS − p_DD).",
        controls, partial(division_view, figure=PoolFigure()), columns=1, description_width="250px",
        prediction=("02_stem_cells", "divisions_to_double"),
        answers={"divisions_to_double": _divisions_to_double, "final_expected_pool": _final_expected_pool})


def _divisions_to_double(p_ss: float, p_dd: float, **_values) -> Answer:
    """Divisions for the expected pool to double, or "never" when it does not grow."""
    if model.regime(p_ss, p_dd) != model.EXPANSION:
        return Answer("never", "never: with these settings the expected pool does not grow")
    t = model.divisions_to_double_or_halve(p_ss, p_dd)
    return Answer(t, f"{t:.1f} divisions")


def _final_expected_pool(p_ss: float, p_dd: float, generations: int, start_stem_cells: int, **_values) -> Answer:
    """The expected stem-cell pool after the last division."""
    pool = float(model.expected_pool(p_ss, p_dd, generations, start_stem_cells).stem_cells[-1])
    return Answer(pool, f"{_cells(pool)} stem cells")


def potency_view(cell_type: str, target: str, figure: PotencyFigure | None = None) -> View:
    """What one cell type can and cannot become, where it sits on the potency hierarchy, and the chosen target."""
    cell = model.stem_cell_type(cell_type)
    reach = model.reach(cell_type)
    yes = [t for t, ok in reach.items() if ok]
    no = [t for t, ok in reach.items() if not ok]
    verdict = _can_become(cell_type, target)
    lines = [f"{cell.name} → {target}: {verdict.shown}.",
             f"{cell.name}: {cell.level}, meaning {model.POTENCY_LEVELS[cell.level]}.",
             f"Found in: {cell.where_found}.",
             f"Can become: {'; '.join(yes) if yes else 'none of the listed cell types'} "
             f"({len(yes)} of {len(reach)}).",
             f"Cannot become: {'; '.join(no) if no else 'nothing listed: it can make them all'}."]
    flags = (cell.note,) if cell.note else ()
    alt = (f"Potency ladder with the {cell.short} highlighted at the {cell.level} level; beside it, the cell "
           f"types it can become ({'; '.join(yes) or 'none'}) and cannot become ({'; '.join(no) or 'none'}).")
    figure = PotencyFigure() if figure is None else figure  # the figure depends only on the cell type
    return View(summary=lines, figure=figure.update(cell.name), alt=alt, flags=flags)


def _can_become(cell_type: str, target: str) -> Answer:
    """yes (in the cell's own reach), reprogram (only via an iPSC) or no (not even a pluripotent cell makes it)."""
    if target not in model.TARGET_CELL_TYPES:
        raise ValueError(f"target = {target!r} is not one of {list(model.TARGET_CELL_TYPES)}")
    if model.reach(cell_type)[target]:
        return Answer("yes", "yes, directly: it is within this cell's own reach")
    ipsc = next(name for name, c in model.STEM_CELL_TYPES.items() if c.short == "iPSC")
    if model.reach(ipsc)[target]:
        return Answer("reprogram", "not by itself; reprogrammed into an iPSC first, yes")
    return Answer("no", "no: not even a pluripotent cell (ESC or iPSC) normally makes it")


def potency_explorer() -> Explorer:
    """Pick a cell type and a target cell type: can the one become the other, directly, via an iPSC, or not?"""
    choice = widgets.Dropdown(options=list(model.STEM_CELL_TYPES), value="embryonic stem cell (ESC)",
                              description="cell type", layout=widgets.Layout(width="460px"))
    target = widgets.Dropdown(options=list(model.TARGET_CELL_TYPES), value="heart muscle",
                              description="can it become", layout=widgets.Layout(width="460px"))
    return Explorer(
        "Potency explorer: what can this cell become?",
        "pick a cell type and a target cell type.",
        {"cell_type": choice, "target": target}, partial(potency_view, figure=PotencyFigure()), columns=1,
        prediction=("02_stem_cells", "can_it_become"),
        answers={"can_become": lambda cell_type, target: _can_become(cell_type, target)})


def lineage_figure() -> FigureOutput:
    """Figure: the blood-lineage tree from the HSC to the mature blood cells it replaces."""
    per_day = facts.value("stem_blood_cells_made_per_day")
    return show_figure(blood_lineage_tree(), alt=(
        "Blood-lineage tree. A hematopoietic stem cell, which also renews itself, gives a multipotent progenitor, "
        "which splits into a myeloid progenitor (making red blood cells, platelets, granulocytes and monocytes) and "
        "a lymphoid progenitor (making T cells, B cells and NK cells). A note says the marrow makes more than "
        f"10 to the {math.log10(per_day):.0f} new blood cells a day."))


def potency_ladder_figure() -> FigureOutput:
    """Figure: the potency hierarchy with ESC, iPSC, HSC and tissue stem cells placed on it."""
    return show_figure(potency_hierarchy(), alt=(
        "Potency ladder with five rows from top to bottom: totipotent (zygote), pluripotent (ESC and iPSC), "
        "multipotent (HSC and MSC), unipotent (muscle satellite cell) and specialised (skin fibroblast). A downward "
        "arrow says differentiation narrows the potential; a dashed arrow from the fibroblast up to the iPSC says "
        "reprogramming with four factors makes an iPSC."))


def reprogramming_figure() -> FigureOutput:
    """Figure: adult cell + four factors -> iPSC -> heart muscle or neurons."""
    return show_figure(reprogramming_diagram(), alt=(
        "Reprogramming diagram: an adult skin fibroblast or blood cell plus four factors (OCT4, SOX2, KLF4, c-MYC) "
        "becomes an iPSC, pluripotent, with no embryo used; the iPSC then differentiates into heart muscle cells or "
        "neurons."))


__all__ = ["division_simulator", "potency_explorer", "division_view", "potency_view", "lineage_figure",
           "potency_ladder_figure", "reprogramming_figure"]
