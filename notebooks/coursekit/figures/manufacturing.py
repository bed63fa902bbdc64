"""Figures for the manufacturing divide: the two production lines, bioreactor curves, cell doses, batch sizes."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from .. import facts, style, numbers

# Each step: (name, what happens, what is kept, what is thrown away). The last step is what reaches the patient.
BIOLOGIC_STEPS = (
    ("Cell bank", "frozen vials of engineered CHO cells", "a few vials thawed to start", None),
    ("Bioreactor", "cells grow and secrete the antibody", "the liquid with the antibody", None),
    ("Harvest", "centrifuge and filter the culture", "the clarified liquid", "ALL host cells"),
    ("Purification", "chromatography, virus removal", "pure antibody molecules",
     "host proteins, DNA, medium"),
    ("Vial", "antibody in a buffered solution", "the formulated protein", None),
)
CELL_STEPS = (
    ("Donor or patient", "the cells come from a person", "the patient's or a donor's cells", None),
    ("Collection", "apheresis, marrow or cord blood", "the wanted cells", "plasma, red cells, other cells"),
    ("Processing, expansion", "select, modify, multiply the cells", "living, functional cells",
     "unwanted cells, spent medium"),
    ("Release testing", "count, viability ({viability}), sterility", "a batch that passes",
     "test samples,\na failed batch"),
    ("Bag for infusion", "cells in solution, often frozen", "the living cells", None),
)


def _step_box(ax, y: float, step: tuple, colour: str, height: float) -> None:
    name, what, kept, thrown = step
    ax.add_patch(FancyBboxPatch((0.02, y - height / 2), 0.64, height, boxstyle="round,pad=0.005,rounding_size=0.02",
                                facecolor="white", edgecolor=colour, linewidth=1.6))
    ax.text(0.04, y + height * 0.22, name, fontsize=10, fontweight="bold", va="center", color="black")
    ax.text(0.04, y - height * 0.05, what, fontsize=8.5, va="center", color="#333333")
    ax.text(0.04, y - height * 0.30, f"kept: {kept}", fontsize=8.5, va="center", color=style.text_colour(colour))
    if thrown:
        ax.text(0.69, y, "thrown away:\n" + thrown.replace(", ", ",\n"), fontsize=8.5, va="center",
                color="#555555", style="italic")


def _decade_axis(ax, low: float, high: float, label) -> None:
    """A log x axis with one labelled tick per decade and no minor ticks (fast to draw, easy to read)."""
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    decades = [10.0 ** k for k in range(int(np.ceil(np.log10(low))), int(np.floor(np.log10(high))) + 1)]
    ax.xaxis.set_major_locator(FixedLocator(decades))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(decades, [label(d) for d in decades])


def manufacturing_lines() -> Figure:
    """Two production lines side by side: what is kept, what is thrown away, and what reaches the patient."""
    columns = (
        ("Protein biologic (antibody)", BIOLOGIC_STEPS, style.ROLE_COLOURS["biologic"],
         "antibody MOLECULES (no cells at all)", "by injection"),
        ("Cell therapy (e.g. stem cells)", CELL_STEPS, style.ROLE_COLOURS["cell_therapy"],
         "LIVING CELLS (the cells are the medicine)", "by infusion into a vein"),
    )
    n = len(BIOLOGIC_STEPS) + 1
    with style.context():
        fig = Figure(figsize=(8.4, 6.2))
        for i, (title, steps, colour, reaches, route) in enumerate(columns):
            ax = fig.add_axes((0.01 + i * 0.5, 0.01, 0.48, 0.87))
            ax.set_xlim(0, 1)
            ax.set_ylim(0, n)
            ax.axis("off")
            ax.set_title(title, fontsize=12, fontweight="bold", color=style.text_colour(colour), loc="left")
            height = 0.78
            release = facts.value("mfg_viability_release_min_fraction")
            for j, step in enumerate(steps):
                y = n - 0.5 - j
                step = (step[0], step[1].format(viability=f"at least {release:.0%}"), *step[2:])
                _step_box(ax, y, step, colour, height)
                ax.add_patch(FancyArrowPatch((0.34, y - height / 2), (0.34, y - 1 + height / 2),
                                             arrowstyle="-|>", mutation_scale=12, color=colour, linewidth=1.4))
            y = 0.5
            ax.add_patch(FancyBboxPatch((0.02, y - height / 2), 0.96, height,
                                        boxstyle="round,pad=0.005,rounding_size=0.02",
                                        facecolor="#FBEFF6", edgecolor=style.ROLE_COLOURS["highlight"],
                                        linewidth=3.0))
            ax.text(0.04, y + height * 0.22, "★ Reaches the patient:", fontsize=10, fontweight="bold", va="center")
            ax.text(0.04, y - height * 0.05, reaches, fontsize=10, va="center", fontweight="bold",
                    color=style.text_colour(colour))
            ax.text(0.04, y - height * 0.30, route, fontsize=8.5, va="center", style="italic")
        fig.text(0.5, 0.975, "Each box: a step and what is kept.  Grey italic notes: what is thrown away there.",
                 ha="center", va="top", fontsize=9.5, color="#444444")
    return fig


def bioreactor_curves(days, vcd_cells_per_ml, titer_g_per_l) -> Figure:
    """Viable cell density (left) and antibody titer (right) over a fed-batch run, harvest marked on both.

    Kept lean for a fast explorer: fixed ticks, titles as plain text, no grid (two axes in about 30 ms).
    """
    days = np.asarray(days)
    end = float(days[-1])
    vcd_million = np.asarray(vcd_cells_per_ml) / 1e6
    titer = np.asarray(titer_g_per_l)
    week_ticks = list(range(0, int(end) + 1, 7 if end > 10 else 2))
    panels = (
        (0.08, vcd_million, "host cells (viable cell density)", "million cells per mL",
         style.ROLE_COLOURS["biologic"], "-", "o", f"{vcd_million[-1]:.1f} million/mL\nall thrown away", None),
        (0.59, titer, "antibody made (titer)", "grams per litre", style.ROLE_COLOURS["highlight"], "--", "s",
         f"harvest: {titer[-1]:.2f} g/L", (0.04, 0.92)),
    )
    with style.context():
        fig = Figure(figsize=(7.6, 2.6))
        for left, values, title, ylabel, colour, dash, marker, note, where in panels:
            ax = fig.add_axes((left, 0.2, 0.38, 0.66))
            top = max(float(values.max()), 1e-9) * 1.15
            ax.plot(days, values, color=colour, linestyle=dash)
            ax.plot([end], [values[-1]], marker=marker, color=colour, markersize=6)
            ax.text(0.5, 1.04, title, transform=ax.transAxes, ha="center", fontsize=10.5)
            if where is None:   # below the plateau's end point
                ax.text(end * 0.97, values[-1] * 0.93, note, ha="right", va="top", fontsize=9)
            else:               # top left, clear of a rising curve
                ax.text(*where, note, transform=ax.transAxes, ha="left", va="top", fontsize=9)
            ax.set_xlabel("day of the run")
            ax.set_ylabel(ylabel)
            ax.set_xlim(0, end * 1.03)
            ax.set_ylim(0, top)
            ax.set_xticks(week_ticks)
            ax.set_yticks(MaxNLocator(4).tick_values(0, top)[:-1] if top > 0 else [0])
    return fig


def cell_dose_bars(starting_cells: float, cells_to_manufacture: float, dose_cells: float,
                   minimum_dose_cells: float | None, cell_name: str) -> Figure:
    """Log-scale bars: cells you start with, cells to grow, the dose, and the published minimum for this patient."""
    labels = ["cells you start with", "cells to manufacture", "dose the patient gets"]
    values = [starting_cells, cells_to_manufacture, dose_cells]
    colours = [style.ROLE_COLOURS["neutral"], style.ROLE_COLOURS["cell_therapy"], style.ROLE_COLOURS["cell_therapy"]]
    hatches = ["//", "", ".."]
    if minimum_dose_cells is not None:
        labels.append("published minimum")
        values.append(minimum_dose_cells)
        colours.append(style.ROLE_COLOURS["discarded"])
        hatches.append("xx")
    with style.context():
        fig = Figure(figsize=(7.2, 2.4))
        ax = fig.add_axes((0.27, 0.22, 0.58, 0.70))
        y = np.arange(len(values))[::-1]
        bars = ax.barh(y, values, color=colours, edgecolor="black", linewidth=0.6)
        for bar, hatch in zip(bars, hatches):
            bar.set_hatch(hatch)
        ax.set_yticks(y, labels)
        low = 10 ** np.floor(np.log10(min(values)) - 0.5)
        _decade_axis(ax, low, max(values) * 3, lambda d: f"10$^{{{int(round(np.log10(d)))}}}$")
        ax.set_xlabel(f"number of {cell_name} (log scale)")
        for yy, v in zip(y, values):
            ax.text(v * 1.15, yy, numbers.in_words(v), va="center", fontsize=9)
    return fig


def batch_comparison_bars(patients_per_run: float, patients_per_autologous_batch: float = 1.0) -> Figure:
    """Log-scale bars: patients treated for a year by one bioreactor run vs by one autologous cell batch."""
    with style.context():
        fig = Figure(figsize=(7.0, 1.9))
        ax = fig.add_axes((0.30, 0.30, 0.58, 0.62))
        values = [max(patients_per_run, 0.1), patients_per_autologous_batch]
        bars = ax.barh([1, 0], values, color=[style.ROLE_COLOURS["biologic"], style.ROLE_COLOURS["cell_therapy"]],
                       edgecolor="black", linewidth=0.6)
        bars[1].set_hatch("..")
        ax.set_yticks([1, 0], ["one bioreactor run\n(antibody)", "one autologous\ncell batch"])
        _decade_axis(ax, 0.5, max(values) * 8, numbers.whole)
        ax.set_xlabel("patients treated for a year, per batch (log scale)")
        for yy, v in zip([1, 0], [patients_per_run, patients_per_autologous_batch]):
            ax.text(v * 1.2, yy, numbers.whole(v), va="center", fontsize=10)
    return fig
