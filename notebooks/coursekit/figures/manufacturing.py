"""Figures for the manufacturing divide: the two production lines, bioreactor curves, cell doses, batch sizes."""
from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from .. import facts, style, numbers
from ._canvas import LiveFigure, half_decade_ceiling, nice_ceiling

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


class BioreactorFigure(LiveFigure):
    """Viable cell density (left) and antibody titer (right) over a fed-batch run, harvest marked on both.

    Built once (axes, titles, labels); `update(...)` moves the curves, harvest marks and notes in place: the
    fed-batch explorer redraws it on every change. Each y axis ends at a round value above its curve
    (`nice_ceiling`) and the x axis at the harvest day, so most changes leave the axes as they are: the learner sees
    the curves move against a scale that stays put, and only the curves are drawn again.
    """

    PANELS = ((0.08, "host cells (viable cell density)", "million cells per mL", style.ROLE_COLOURS["biologic"], "-",
               "o", None),
              (0.59, "antibody made (titer)", "grams per litre", style.ROLE_COLOURS["highlight"], "--", "s",
               (0.04, 0.92)))

    def __init__(self) -> None:
        with style.context():
            self.figure = Figure(figsize=(7.6, 2.6))
            self.panels = []
            for left, title, ylabel, colour, dash, marker, where in self.PANELS:
                ax = self.figure.add_axes((left, 0.2, 0.38, 0.66))
                curve, = ax.plot([], [], color=colour, linestyle=dash)
                harvest, = ax.plot([], [], marker=marker, color=colour, markersize=6)
                ax.text(0.5, 1.04, title, transform=ax.transAxes, ha="center", fontsize=10.5)
                if where is None:   # below the plateau's end point
                    note = ax.text(0, 0, "", ha="right", va="top", fontsize=9)
                else:               # top left, clear of a rising curve
                    note = ax.text(*where, "", transform=ax.transAxes, ha="left", va="top", fontsize=9)
                ax.set_xlabel("day of the run")
                ax.set_ylabel(ylabel)
                self.panels.append((ax, curve, harvest, note, where))
        self.axis_ends: list[tuple[float, float] | None] = [None] * len(self.panels)   # (harvest day, y top)
        self.redraw_only(*(artist for panel in self.panels for artist in panel[1:4]))

    def update(self, days, vcd_cells_per_ml, titer_g_per_l) -> Figure:
        if self.unchanged(days, vcd_cells_per_ml, titer_g_per_l):   # e.g. the bioreactor volume: same curves
            return self.figure
        days = np.asarray(days)
        end = float(days[-1])
        vcd_million = np.asarray(vcd_cells_per_ml) / 1e6
        titer = np.asarray(titer_g_per_l)
        notes = (f"{vcd_million[-1]:.1f} million/mL\nall thrown away", f"harvest: {titer[-1]:.2f} g/L")
        for i, ((ax, curve, harvest, note, where), values, text) in enumerate(zip(self.panels, (vcd_million, titer),
                                                                               notes)):
            curve.set_data(days, values)
            harvest.set_data([end], [values[-1]])
            note.set_text(text)
            if where is None:
                note.set_position((end * 0.97, values[-1] * 0.93))
            ends = (end, nice_ceiling(max(float(values.max()), 1e-9) * 1.15))
            if ends != self.axis_ends[i]:   # the axes only when they change: then the whole figure is drawn again
                self.axis_ends[i] = ends
                top = ends[1]
                ax.set_xlim(0, end * 1.03)
                ax.set_ylim(0, top)
                ax.set_xticks(list(range(0, int(end) + 1, 7 if end > 10 else 2)))
                ax.set_yticks(MaxNLocator(4).tick_values(0, top)[:-1])
        return self.figure


def bioreactor_curves(days, vcd_cells_per_ml, titer_g_per_l) -> Figure:
    """Viable cell density (left) and antibody titer (right) over a fed-batch run, harvest marked on both."""
    return BioreactorFigure().update(days, vcd_cells_per_ml, titer_g_per_l)


class CellDoseFigure(LiveFigure):
    """Log-scale bars: cells you start with, cells to grow, the dose, and (where one is published) the minimum.

    One figure per set of bars (with or without a published minimum), built once; `update(...)` changes the bar
    lengths and the numbers in place (the dose calculator redraws it on every change). The decade axis ends in
    half-decade steps, so it changes, and the whole figure is drawn again, only when a bar outgrows it.
    """

    LABELS = ("cells you start with", "cells to manufacture", "dose the patient gets", "published minimum")
    COLOURS = (style.ROLE_COLOURS["neutral"], style.ROLE_COLOURS["cell_therapy"], style.ROLE_COLOURS["cell_therapy"],
               style.ROLE_COLOURS["discarded"])
    HATCHES = ("//", "", "..", "xx")

    def __init__(self) -> None:
        self._by_count: dict[int, tuple[Figure, Axes, list, list, np.ndarray]] = {}
        self._axes_shown: dict[int, tuple[float, float, str]] = {}   # per figure: (low, high, cell name)
        self.figure = Figure()

    def _build(self, n: int) -> tuple[Figure, Axes, list, list, np.ndarray]:
        with style.context():
            fig = Figure(figsize=(7.2, 2.4))
            ax = fig.add_axes((0.27, 0.22, 0.58, 0.70))
            y = np.arange(n)[::-1]
            bars = ax.barh(y, [1.0] * n, color=list(self.COLOURS[:n]), edgecolor="black", linewidth=0.6)
            for bar, hatch in zip(bars, self.HATCHES[:n]):
                bar.set_hatch(hatch)
            ax.set_yticks(y, list(self.LABELS[:n]))
            ax.set_xscale("log")
            ax.xaxis.set_minor_locator(NullLocator())
            texts = [ax.text(1.0, yy, "", va="center", fontsize=9) for yy in y]
        # the axis moves in half-decade steps: most changes redraw only the bars and their numbers
        self.redraw_only(*bars, *texts, figure=fig)
        return fig, ax, list(bars), texts, y

    def update(self, starting_cells: float, cells_to_manufacture: float, dose_cells: float,
               minimum_dose_cells: float | None, cell_name: str) -> Figure:
        values = [starting_cells, cells_to_manufacture, dose_cells]
        if minimum_dose_cells is not None:
            values.append(minimum_dose_cells)
        if len(values) not in self._by_count:
            self._by_count[len(values)] = self._build(len(values))
        fig, ax, bars, texts, y = self._by_count[len(values)]
        for bar, v in zip(bars, values):
            bar.set_width(v)
        axis = (10 ** np.floor(np.log10(min(values)) - 0.5), half_decade_ceiling(max(values) * 3), cell_name)
        if axis != self._axes_shown.get(len(values)):   # the axis only when it changes
            self._axes_shown[len(values)] = axis
            with style.context():
                _decade_axis(ax, axis[0], axis[1], lambda d: f"10$^{{{int(round(np.log10(d)))}}}$")
                ax.set_xlabel(f"number of {cell_name} (log scale)")
        for text, yy, v in zip(texts, y, values):
            text.set_position((v * 1.15, yy))
            text.set_text(numbers.in_words(v))
        self.figure = fig
        return fig


def cell_dose_bars(starting_cells: float, cells_to_manufacture: float, dose_cells: float,
                   minimum_dose_cells: float | None, cell_name: str) -> Figure:
    """Log-scale bars: cells you start with, cells to grow, the dose, and the published minimum for this patient."""
    return CellDoseFigure().update(starting_cells, cells_to_manufacture, dose_cells, minimum_dose_cells, cell_name)


class BatchFigure(LiveFigure):
    """Log-scale bars: patients treated for a year by one bioreactor run vs by one autologous cell batch.

    Built once; `update(...)` changes the run's bar, the decade axis and the numbers in place.
    """

    def __init__(self) -> None:
        with style.context():
            ax = self.start((7.0, 1.9), (0.30, 0.30, 0.58, 0.62))
            self.bars = ax.barh([1, 0], [1.0, 1.0], color=[style.ROLE_COLOURS["biologic"],
                                                           style.ROLE_COLOURS["cell_therapy"]],
                                edgecolor="black", linewidth=0.6)
            self.bars[1].set_hatch("..")
            ax.set_yticks([1, 0], ["one bioreactor run\n(antibody)", "one autologous\ncell batch"])
            ax.set_xscale("log")
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("patients treated for a year, per batch (log scale)")
            self.texts = [ax.text(1.0, yy, "", va="center", fontsize=10) for yy in (1, 0)]
        self.axes = ax
        self.high: float | None = None
        self.redraw_only(*self.bars, *self.texts)

    def update(self, patients_per_run: float, patients_per_autologous_batch: float = 1.0) -> Figure:
        if self.unchanged(patients_per_run, patients_per_autologous_batch):   # the patients slider leaves it
            return self.figure
        values = [max(patients_per_run, 0.1), patients_per_autologous_batch]
        for bar, v in zip(self.bars, values):
            bar.set_width(v)
        high = half_decade_ceiling(max(values) * 8)   # round steps: most changes leave the axis as it is
        if high != self.high:   # the axis only when it changes
            self.high = high
            with style.context():
                _decade_axis(self.axes, 0.5, self.high, numbers.whole)
        for text, yy, v in zip(self.texts, (1, 0), (patients_per_run, patients_per_autologous_batch)):
            text.set_position((v * 1.2, yy))
            text.set_text(numbers.whole(v))
        return self.figure


def batch_comparison_bars(patients_per_run: float, patients_per_autologous_batch: float = 1.0) -> Figure:
    """Log-scale bars: patients treated for a year by one bioreactor run vs by one autologous cell batch."""
    return BatchFigure().update(patients_per_run, patients_per_autologous_batch)
