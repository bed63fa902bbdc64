"""Explorers for the manufacturing divide: fed-batch bioreactor, cell-therapy dose, one-to-many vs one-to-one."""
from __future__ import annotations

from functools import partial

import ipywidgets as widgets

from .. import facts
from ..figures.manufacturing import BatchFigure, BioreactorFigure, CellDoseFigure, bioreactor_curves
from ..numbers import in_words as cells_in_words
from ..models import manufacturing as model
from .explorer import Answer, Explorer, View

MILLION = 1e6


def bioreactor_options() -> list[tuple[str, float]]:
    """Bioreactor sizes the explorers offer, all sourced: single-use and stainless-steel working volumes."""
    single, steel = facts.get("mfg_single_use_bioreactor_l"), facts.get("mfg_stainless_bioreactor_l")
    return [(f"{single.value:,.0f} L single-use", single.value),
            (f"{single.high:,.0f} L single-use (largest)", single.high),
            (f"{steel.low:,.0f} L stainless steel", steel.low),
            (f"{steel.value:,.0f} L stainless steel", steel.value),
            (f"{steel.high:,.0f} L stainless steel", steel.high)]


# ---- fed-batch bioreactor ----------------------------------------------------------------------------------
def _fed_batch_view(seeding_million_per_ml: float, growth_rate_per_h: float, peak_million_per_ml: float,
                    qp_pg_per_cell_day: float, run_length_days: int, volume_l: float,
                    figure: BioreactorFigure | None = None) -> View:
    """Model + figure for one setting; the explorer's own `figure` is redrawn in place."""
    figure = BioreactorFigure() if figure is None else figure
    r = model.simulate_fed_batch(seeding_vcd_cells_per_ml=seeding_million_per_ml * MILLION,
                                 growth_rate_per_h=growth_rate_per_h,
                                 peak_vcd_cells_per_ml=peak_million_per_ml * MILLION,
                                 qp_pg_per_cell_day=qp_pg_per_cell_day, run_length_days=run_length_days,
                                 volume_l=volume_l)
    titer_range = facts.get("mfg_titer_average_g_per_l")
    summary = [
        f"Harvest on day {run_length_days}: titer {r.titer_g_per_l:.2f} g/L "
        f"(= qP {qp_pg_per_cell_day:g} pg/cell/day × IVCD {r.ivcd_cell_days_per_ml / MILLION:,.0f} million "
        "cell-days per mL).",
        f"In {volume_l:,.0f} L: {r.harvest_g / 1000:,.2f} kg of antibody; after purification "
        f"({r.recovery_fraction:.0%} recovered): {r.purified_g / 1000:,.2f} kg.",
        f"That is {r.doses:,} doses of {r.dose_mg:g} mg (adalimumab), a year of treatment for "
        f"{r.patient_years:,.0f} patients at one dose every {r.dose_interval_days:g} days.",
        f"Host cells thrown away at harvest: {cells_in_words(r.host_cells_discarded)} cells. "
        "Not one of them reaches a patient.",
    ]
    flags = []
    if r.titer_g_per_l > titer_range.high:
        flags.append(f"A titer above {titer_range.high:g} g/L is beyond what commercial processes report "
                     f"(range {titer_range.low:g}–{titer_range.high:g} g/L, average {titer_range.value:g} g/L).")
    fig = figure.update(r.days, r.vcd_cells_per_ml, r.titer_curve_g_per_l)
    alt = (f"Two line charts over {run_length_days} days. Left: viable CHO cells rise in an S-shaped curve from "
           f"{seeding_million_per_ml:g} to {r.vcd_cells_per_ml[-1] / MILLION:.1f} million cells per mL. Right: "
           f"antibody titer climbs to {r.titer_g_per_l:.2f} g/L at harvest.")
    read_alt = (f"Two line charts over {run_length_days} days. Left: viable CHO cells rise in an S-shaped curve "
                "and level off on a plateau. Right: the antibody titer climbs until harvest.")
    return View(summary=summary, figure=fig, alt=alt, flags=tuple(flags), read_alt=read_alt)


def _run(seeding_million_per_ml: float, growth_rate_per_h: float, peak_million_per_ml: float,
         qp_pg_per_cell_day: float, run_length_days: int, volume_l: float) -> model.FedBatchResult:
    return model.simulate_fed_batch(seeding_vcd_cells_per_ml=seeding_million_per_ml * MILLION,
                                    growth_rate_per_h=growth_rate_per_h,
                                    peak_vcd_cells_per_ml=peak_million_per_ml * MILLION,
                                    qp_pg_per_cell_day=qp_pg_per_cell_day, run_length_days=run_length_days,
                                    volume_l=volume_l)


def _titer_vs_usual_qp(**values) -> Answer:
    """Harvest titer of this run over the same run with cells of the usual (sourced) productivity."""
    usual_qp = facts.value("mfg_qp_pg_per_cell_day")
    r, usual = _run(**values), _run(**{**values, "qp_pg_per_cell_day": usual_qp})
    ratio = r.titer_g_per_l / usual.titer_g_per_l
    return Answer(ratio, f"{ratio:.2f} times the usual run's titer ({r.titer_g_per_l:.2f} g/L against "
                         f"{usual.titer_g_per_l:.2f} g/L with cells making {usual_qp:g} pg a day)")


def _plateau_day(**values) -> Answer:
    """The day the viable cells first reach 90 % of their final density (where the S-curve levels off)."""
    r = _run(**values)
    day = float(r.days[int((r.vcd_cells_per_ml >= 0.9 * r.vcd_cells_per_ml[-1]).argmax())])
    return Answer(day, f"day {day:.0f} (the cells reach 90 % of their final density)")


def fed_batch_explorer() -> Explorer:
    """Fed-batch CHO bioreactor: growth and antibody over time, grams harvested, doses, cells discarded."""
    f = facts.value
    controls = {
        "seeding_million_per_ml": widgets.FloatSlider(
            value=f("mfg_seeding_vcd_cells_per_ml") / MILLION, min=0.1, max=2.0, step=0.1,
            description="seeding density (million cells/mL)"),
        "growth_rate_per_h": widgets.FloatSlider(
            value=f("mfg_cho_growth_rate_per_h"), min=0.01, max=0.06, step=0.001, readout_format=".3f",
            description="growth rate μ (per hour)"),
        "peak_million_per_ml": widgets.FloatSlider(
            value=f("mfg_peak_vcd_cells_per_ml") / MILLION, min=5, max=f("mfg_peak_vcd_high_cells_per_ml") / MILLION,
            step=1, description="peak density (million cells/mL)"),
        "qp_pg_per_cell_day": widgets.FloatSlider(
            value=f("mfg_qp_pg_per_cell_day"), min=5, max=f("mfg_qp_high_pg_per_cell_day"), step=1,
            description="productivity qP (pg/cell/day)"),
        "run_length_days": widgets.IntSlider(
            value=int(f("mfg_run_length_days")), min=5, max=21, description="run length (days)"),
        "volume_l": widgets.Dropdown(options=bioreactor_options(), value=f("mfg_single_use_bioreactor_l"),
                                     description="bioreactor"),
    }
    return Explorer("Fed-batch bioreactor: CHO cells making an antibody",
                    "change the cells and the run, and follow the antibody and the host cells.",
                    controls, partial(_fed_batch_view, figure=BioreactorFigure()),
                    prediction=("03_manufacturing_divide", "double_qp"),
                    answers={"titer_vs_usual_qp": _titer_vs_usual_qp, "plateau_day": _plateau_day})


# ---- cell-therapy dose calculator --------------------------------------------------------------------------
def _cell_dose_view(product: str, weight_kg: float, dose_million_per_kg: float, viability_fraction: float,
                    starting_million_cells: float, doubling_time_days: float,
                    figure: CellDoseFigure | None = None) -> View:
    """Model + figure for one setting; the explorer's own `figure` is redrawn in place."""
    figure = CellDoseFigure() if figure is None else figure
    r = model.cell_dose(weight_kg, dose_million_per_kg * MILLION, viability_fraction,
                        starting_million_cells * MILLION, doubling_time_days, product)
    p = model.PRODUCTS[product]
    summary = [
        f"Dose: {dose_million_per_kg:.3g} million {p.cell_name}/kg × {weight_kg:g} kg = "
        f"{cells_in_words(r.dose_cells)} {p.cell_name}.",
        (f"Cells to manufacture (dose ÷ {viability_fraction:.0%} viable): {cells_in_words(r.cells_to_manufacture)}."
         if p.counts_viable else
         f"Cells to provide: {cells_in_words(r.cells_to_manufacture)} (this minimum counts all {p.cell_name} when the "
         f"unit is frozen, living or not; viability, here {viability_fraction:.0%}, is checked separately)."),
    ]
    if r.fold_expansion <= 1:
        summary.append(f"The {cells_in_words(r.starting_cells)} starting cells already suffice: no expansion "
                       f"needed (only {r.fold_expansion:.0%} of them are needed).")
    else:
        summary.append(f"From {cells_in_words(r.starting_cells)} starting cells: {r.fold_expansion:,.1f}-fold "
                       f"expansion = {r.doublings:.1f} doublings ≈ {r.days_in_culture:.1f} days in culture at "
                       f"{doubling_time_days:g} days per doubling (an average that already includes the slow start).")
    summary.append("All of it is for this one patient: a living-cell batch is one precise dose.")
    minimum = p.minimum_per_kg()
    fig = figure.update(r.starting_cells, r.cells_to_manufacture, r.dose_cells,
                        None if minimum is None else minimum * weight_kg, p.cell_name)
    alt = (f"Bar chart on a log scale: {cells_in_words(r.starting_cells)} starting cells, "
           f"{cells_in_words(r.cells_to_manufacture)} cells to manufacture, {cells_in_words(r.dose_cells)} "
           "in the dose" + ("" if minimum is None else f", published minimum {cells_in_words(minimum * weight_kg)}")
           + ".")
    return View(summary=summary, figure=fig, alt=alt, flags=r.flags)


def cell_dose_explorer() -> Explorer:
    """Cell-therapy dose calculator: cells to make, fold expansion, doublings, days; flags published limits."""
    f = facts.value
    controls = {
        "product": widgets.Dropdown(options=[(p.label, key) for key, p in model.PRODUCTS.items()], value="cord",
                                    description="kind of product"),
        "weight_kg": widgets.FloatSlider(value=f("mfg_example_weight_kg"), min=3, max=150, step=1,
                                         description="patient weight (kg)"),
        "dose_million_per_kg": widgets.FloatLogSlider(value=f("mfg_cord_tnc_min_per_kg") / MILLION, base=10,
                                                      min=-1, max=2.5, step=0.01, readout_format=".3g",
                                                      description="dose (million cells per kg)"),
        "viability_fraction": widgets.FloatSlider(value=f("mfg_cd34_postthaw_viability_fraction"), min=0.3,
                                                  max=1.0, step=0.01, readout_format=".0%",
                                                  description="viable cells in the batch"),
        "starting_million_cells": widgets.FloatLogSlider(value=f("mfg_cord_unit_tnc_cells") / MILLION, base=10,
                                                         min=-1, max=5, step=0.01, readout_format=".3g",
                                                         description="starting cells (millions)"),
        "doubling_time_days": widgets.FloatSlider(value=f("mfg_tcell_doubling_time_days"), min=0.5, max=7,
                                                  step=0.1, description="doubling time (days)"),
    }
    return Explorer("Cell-therapy dose calculator: one patient, one batch",
                    "change the patient, the dose and the product, and count the cells one batch needs.",
                    controls, partial(_cell_dose_view, figure=CellDoseFigure()),
                    prediction=("03_manufacturing_divide", "cord_unit_enough"),
                    answers={"fold_expansion": _fold_expansion})


def _fold_expansion(product: str, weight_kg: float, dose_million_per_kg: float, viability_fraction: float,
                    starting_million_cells: float, doubling_time_days: float) -> Answer:
    """Cells to manufacture over the starting cells (below 1: the starting cells suffice)."""
    r = model.cell_dose(weight_kg, dose_million_per_kg * MILLION, viability_fraction,
                        starting_million_cells * MILLION, doubling_time_days, product)
    if r.fold_expansion <= 1:
        return Answer(r.fold_expansion, f"enough: only {r.fold_expansion:.0%} of the starting cells are needed")
    return Answer(r.fold_expansion, f"{r.fold_expansion:,.1f} times the starting cells "
                                    f"({r.doublings:.1f} doublings in culture)")


# ---- one-to-many versus one-to-one -------------------------------------------------------------------------
def _batch_view(volume_l: float, titer_g_per_l: float, patients: float, figure: BatchFigure | None = None) -> View:
    """Model + figure for one setting; the explorer's own `figure` is redrawn in place."""
    figure = BatchFigure() if figure is None else figure
    c = model.compare_batches(volume_l, titer_g_per_l, round(patients))
    dose = facts.value("mfg_adalimumab_dose_mg")
    summary = [
        f"One {volume_l:,.0f} L run at {titer_g_per_l:.2f} g/L gives {c.doses_per_run:,} doses of {dose:g} mg "
        f"after purification: a year of treatment for {c.patients_per_run:,.0f} patients (one to many).",
        f"To treat {c.patients:,} patients for a year: {c.bioreactor_runs_needed:,} bioreactor run(s), versus "
        f"{c.autologous_batches_needed:,} autologous cell batches, one per patient (one to one).",
        "An autologous batch is made from one person's own cells and can only go back to that person.",
    ]
    fig = figure.update(c.patients_per_run)
    alt = (f"Two bars on a log scale: one bioreactor run treats {c.patients_per_run:,.0f} patients for a year; "
           "one autologous cell batch treats 1 patient.")
    return View(summary=summary, figure=fig, alt=alt)


def one_to_many_explorer() -> Explorer:
    """Compare batches: one bioreactor run serves thousands of patients, one autologous batch serves one."""
    titer = facts.get("mfg_titer_average_g_per_l")
    controls = {
        "volume_l": widgets.Dropdown(options=bioreactor_options(), value=facts.value("mfg_single_use_bioreactor_l"),
                                     description="bioreactor"),
        "titer_g_per_l": widgets.FloatSlider(value=titer.value, min=titer.low, max=titer.high, step=0.01,
                                             readout_format=".2f", description="titer (g/L)"),
        "patients": widgets.FloatLogSlider(value=1e4, base=10, min=0, max=6, step=0.1, readout_format=",.0f",
                                           description="patients to treat for a year"),
    }
    # One control per row, labels in a fixed column: three in a row left the patients slider with no track.
    controls["volume_l"].layout.width = "460px"
    for name in ("titer_g_per_l", "patients"):
        controls[name].layout.width = "560px"
    return Explorer("One to many vs one to one: patients per batch",
                    "change the bioreactor, the titer and the number of patients.",
                    controls, partial(_batch_view, figure=BatchFigure()), columns=1, description_width="250px",
                    prediction=("03_manufacturing_divide", "batches_per_run"),
                    answers={"patients_per_run": _patients_per_run})


def _patients_per_run(volume_l: float, titer_g_per_l: float, patients: float) -> Answer:
    """Patients one bioreactor run treats for a year: as many autologous batches as it would take to match."""
    c = model.compare_batches(volume_l, titer_g_per_l, round(patients))
    return Answer(c.patients_per_run, f"{c.patients_per_run:,.0f} cell batches (one run treats "
                                      f"{c.patients_per_run:,.0f} patients for a year)")


# ---- static figures and the printed comparison, as one-line notebook calls ---------------------------------
def manufacturing_lines_figure():
    """Figure: the two production lines, for a notebook cell."""
    from ..display import show_figure
    from ..figures.manufacturing import manufacturing_lines
    release = facts.value("mfg_viability_release_min_fraction")
    return show_figure(manufacturing_lines(), alt=(
        "Two flow charts side by side. Left, protein biologic: cell bank, bioreactor, harvest (all host cells "
        "thrown away), purification (host proteins, DNA and medium thrown away), vial; what reaches the patient "
        "is antibody molecules with no cells. Right, cell therapy: donor or patient, collection, processing and "
        f"expansion, release testing (viability at least {release:.0%}), bag for infusion; what reaches the "
        "patient is living cells."))


def default_bioreactor_figure():
    """Figure: growth and antibody curves of the default (sourced) fed-batch run, for a notebook cell."""
    from ..display import show_figure
    r = model.simulate_fed_batch()
    return show_figure(bioreactor_curves(r.days, r.vcd_cells_per_ml, r.titer_curve_g_per_l), alt=(
        f"Two line charts over {r.days[-1]:.0f} days. Left: viable CHO cells rise in an S-shaped curve from "
        f"{r.vcd_cells_per_ml[0] / MILLION:g} to {r.vcd_cells_per_ml[-1] / MILLION:.1f} million per mL and level "
        f"off. Right: antibody titer rises slowly at first, then steadily, to {r.titer_g_per_l:.2f} g/L at harvest."))


def comparison_table():
    """Markdown table: one bioreactor run versus one autologous batch, numbers from the two models."""
    from IPython.display import Markdown
    r = model.simulate_fed_batch()
    weight, per_kg = facts.value("mfg_example_weight_kg"), facts.value("mfg_cd34_dose_optimal_per_kg")
    viability = facts.value("mfg_viability_release_min_fraction")
    # an autologous graft is collected, not grown: start from exactly what must be collected (no expansion)
    c = model.cell_dose(weight, per_kg, viability, per_kg * weight / viability,
                        facts.value("mfg_tcell_doubling_time_days"), "cd34")
    rows = [
        ("", f"One {r.volume_l:,.0f} L bioreactor run (antibody)", "One autologous stem-cell graft (CD34+ cells)"),
        ("Starts from", "a vial from the cell bank (CHO cells)", "the patient's own blood stem cells"),
        ("Made or collected", f"made: {r.purified_g / 1000:,.2f} kg of purified antibody",
         f"collected, not grown: {cells_in_words(c.cells_to_manufacture)} CD34+ stem cells, so that "
         f"{cells_in_words(c.dose_cells)} are alive if only {c.viability_fraction:.0%} are viable"),
        ("Thrown away", f"{cells_in_words(r.host_cells_discarded)} host cells",
         "cells that are not wanted or fail tests"),
        ("Reaches the patient", "antibody molecules, no cells", "the living cells themselves"),
        ("Doses", f"{r.doses:,} doses of {r.dose_mg:g} mg",
         f"1 dose of {cells_in_words(c.dose_cells)} CD34+ cells ({cells_in_words(c.dose_per_kg)}/kg × "
         f"{c.weight_kg:g} kg)"),
        ("Patients treated", f"{r.patient_years:,.0f} for a whole year", "1"),
    ]
    lines = [f"| {' | '.join(rows[0])} |", "|---|---|---|"] + [f"| **{a}** | {b} | {c_} |" for a, b, c_ in rows[1:]]
    average = facts.value("mfg_titer_average_g_per_l")
    lines += ["", f"*Why these doses differ from the explorer's:* the bioreactor column is the simulated run of "
                  f"section 2, which reaches {r.titer_g_per_l:.2f} g/L at harvest; the one-to-many explorer starts at "
                  f"the average titer commercial processes report, {average:g} g/L, so the same {r.volume_l:,.0f} L "
                  "gives fewer doses there."]
    return Markdown("\n".join(lines))
