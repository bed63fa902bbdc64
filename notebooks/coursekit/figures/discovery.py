"""Figures for drug discovery with stem-cell disease models: the pipeline, a screening plate, dose-response curves."""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FixedFormatter, FixedLocator, MaxNLocator, NullLocator

from .. import style, numbers
from ._canvas import LiveFigure, diagram
from ..models.discovery import NEGATIVE, POSITIVE, SAMPLE, DoseResponse, PlateResult

# ---- "Disease in a dish" --------------------------------------------------------------------------------------
PIPELINE_STEPS = (
    ("Patient", "carries a disease-\ncausing mutation", "stem_cell"),
    ("Skin or blood\nsample", "ordinary adult cells", "stem_cell"),
    ("iPSCs", "reprogrammed to a\nstem-cell state", "stem_cell"),
    ("Disease cells", "heart muscle or neurons\nwith the mutation", "stem_cell"),
    ("Screening plate", "disease cells + one\ncandidate per well", "neutral"),
    ("Hits", "wells where the\ndisease signal improves", "highlight"),
    ("Candidate\nbiologic", "a protein drug, made\nlater in CHO or E. coli", "biologic"),
)


def disease_in_a_dish() -> Figure:
    """The pipeline from patient to candidate biologic, in two rows of boxes joined by numbered arrows."""
    with style.context():
        fig, ax = diagram(8.0, 3.9, (0, 8), (0, 3.9))
        w, h = 1.65, 1.2
        top_y, bottom_y = 2.45, 0.55
        xs_top = [0.25 + i * 1.95 for i in range(4)]
        xs_bottom = [xs_top[3] - i * 1.95 for i in range(3)]  # steps 5-7 run right to left under the top row
        centres = [(x, top_y) for x in xs_top] + [(x, bottom_y) for x in xs_bottom]
        for i, ((title, detail, role), (x, y)) in enumerate(zip(PIPELINE_STEPS, centres), start=1):
            colour = style.ROLE_COLOURS[role]
            ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                                        facecolor=colour + "33", edgecolor=style.text_colour(colour),
                                        linewidth=3.5 if role == "biologic" else 2))
            ax.text(x + w / 2, y + h - 0.12, f"{i}. {title}", ha="center", va="top", fontsize=10.5,
                    fontweight="bold", color="#111")
            ax.text(x + w / 2, y + 0.1, detail, ha="center", va="bottom", fontsize=8.5, color="#222")
        arrow: dict[str, Any] = dict(arrowstyle="-|>", mutation_scale=16, linewidth=1.8, color="#333")
        for (x0, y0), (x1, y1) in zip(centres[:3], centres[1:4]):
            ax.add_patch(FancyArrowPatch((x0 + w + 0.03, y0 + h / 2), (x1 - 0.03, y1 + h / 2), **arrow))
        x3, y3 = centres[3]
        x4, y4 = centres[4]
        ax.add_patch(FancyArrowPatch((x3 + w / 2, y3 - 0.03), (x4 + w / 2, y4 + h + 0.03), **arrow))
        for (x0, y0), (x1, y1) in zip(centres[4:6], centres[5:7]):
            ax.add_patch(FancyArrowPatch((x0 - 0.03, y0 + h / 2), (x1 + w + 0.03, y1 + h / 2), **arrow))
        ax.text(0.25, bottom_y + h / 2, "Steps 1-4 use stem\ncells as a research\ntool. The drug\n"
                                        "itself (step 7)\ncontains no cells.",
                ha="left", va="center", fontsize=9.5, style="italic", color="#111")
    return fig


def _fixed_ticks(axis, positions, labels=None) -> None:
    """Few fixed ticks and no minor ticks: tick layout is most of a small figure's drawing time."""
    axis.set_major_locator(FixedLocator(list(positions)))
    if labels is not None:
        axis.set_major_formatter(FixedFormatter(list(labels)))
    axis.set_minor_locator(NullLocator())


# ---- Screening plate ----------------------------------------------------------------------------------------
PLATE_CMAP = ListedColormap(np.linspace((0.95, 0.95, 0.95, 1), (0.0, 0.27, 0.55, 1), 64), name="plate_blues")
PLATE_CMAP.set_bad("#FFFFFF")


HIT_MARKER_SIZE = {96: 60, 384: 22, 1536: 7}


class PlateFigure(LiveFigure):
    """The screening-plate figure, built once; `update(plate)` redraws it in place (what the explorer does).

    The histogram's axes follow the assay's settings, not one plate's random wells: its signal axis spans the
    controls' expected signals ± 5 SD in round steps, and its share axis ends in steps of 25 %. A change of noise or
    separation then mostly leaves the axes as they are: the learner sees the distributions widen or move against a
    scale that stays put, and only the plate and the data are drawn again.
    """

    def __init__(self) -> None:
        with style.context():
            ax = self.start((7.6, 3.4), (0.04, 0.17, 0.56, 0.67))
            fig = self.figure
            # the wells arrive coloured (update: PLATE_CMAP, well by well), so the image itself has no colour map
            self.image = ax.imshow(np.ones((2, 2, 3)), aspect="auto", interpolation="nearest")
            self.hits = ax.scatter([], [], s=7, facecolors="none", edgecolors=style.OKABE_ITO["vermillion"],
                                   linewidths=1.4, marker="o")
            self.neg_edge = ax.axvline(0, color="#333", linewidth=1)
            self.pos_edge = ax.axvline(0, color="#333", linewidth=1)
            ax.set_xticks([])
            ax.set_yticks([])
            self.neg_mark = ax.text(0, 0, "−", ha="center", va="bottom", fontsize=11, fontweight="bold",
                                    clip_on=False)
            self.pos_mark = ax.text(0, 0, "+", ha="center", va="bottom", fontsize=11, fontweight="bold",
                                    clip_on=False)
            ax.set_xlabel("− negative controls | candidates | + positive controls\n"
                          "darker blue = stronger signal; circles = hits", fontsize=9)
            self.plate_title = ax.set_title("", fontsize=11, pad=16)

            hx = fig.add_axes((0.71, 0.18, 0.27, 0.66))
            self.stairs = {}
            for role, colour, filled in ((NEGATIVE, style.OKABE_ITO["orange"], True),
                                         (POSITIVE, style.OKABE_ITO["bluish_green"], True),
                                         (SAMPLE, style.OKABE_ITO["blue"], False)):
                # translucent fill, solid dark outline (3:1 on white, like the labels' colours)
                self.stairs[role] = hx.stairs([0.0], [0.0, 1.0], fill=filled,
                                              facecolor=to_rgba(colour, 0.5 if filled else 0),
                                              edgecolor=style.text_colour(colour), linewidth=1.6)
            # direct labels instead of a legend: cheaper to draw, and no colour matching needed
            self.neg_label = hx.text(0, 0, "− ctrl", ha="center", va="bottom", fontsize=8.5, color="#8A5A00")
            self.pos_label = hx.text(0, 0, "+ ctrl", ha="center", va="bottom", fontsize=8.5, color="#006B4F")
            self.threshold = hx.axvline(0, color=style.OKABE_ITO["vermillion"], linestyle="--", linewidth=1.5)
            self.threshold_label = hx.text(0, 0, " hit threshold", ha="left", va="top", fontsize=8.5,
                                           color=style.text_colour(style.OKABE_ITO["vermillion"]))
            hx.set_xlabel("signal (blue line: candidates)", fontsize=9)
            hx.set_ylabel("share of wells", fontsize=9)
            hx.tick_params(labelsize=8)
            self.z_title = hx.set_title("", fontsize=11)
        self.plate_axes, self.hist_axes = ax, hx
        self.hist_axes_shown: tuple | None = None   # (signal axis limits, share axis top, its tick)
        # the heat map is drawn over the kept picture, so the lines drawn on it are redrawn with it
        self.redraw_only(self.image, self.hits, self.neg_edge, self.pos_edge, self.neg_mark, self.pos_mark,
                         *self.stairs.values(), self.neg_label,
                         self.pos_label, self.threshold, self.threshold_label, self.z_title)

    def update(self, plate: PlateResult) -> Figure:
        if self.unchanged(plate):   # e.g. more candidates than one plate holds: plate 1 looks the same
            return self.figure
        rows, cols = plate.signal.shape
        finite = plate.signal[np.isfinite(plate.signal)]
        vmin, vmax = (float(v) for v in np.percentile(finite, [1, 99]))
        # coloured here, well by well (at most 1536 wells; every colour is opaque, so RGB), and matplotlib only
        # scales the picture up; left to it, it scaled the signal and its mask up to the screen's pixels and coloured
        # every pixel
        wells = PLATE_CMAP(Normalize(vmin, vmax)(np.ma.masked_invalid(plate.signal)), bytes=True)
        self.image.set_data(wells[..., :3])
        self.image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        self.plate_axes.set_xlim(-0.5, cols - 0.5)
        self.plate_axes.set_ylim(rows - 0.5, -0.5)
        hit_r, hit_c = np.nonzero(plate.hit)
        self.hits.set_offsets(np.column_stack([hit_c, hit_r]) if hit_r.size else np.empty((0, 2)))
        self.hits.set_sizes([HIT_MARKER_SIZE[plate.n_wells]])
        ncc = int((plate.role[0] == NEGATIVE).sum())
        self.neg_edge.set_xdata([ncc - 0.5] * 2)
        self.pos_edge.set_xdata([cols - ncc - 0.5] * 2)
        self.neg_mark.set_position(((ncc - 1) / 2, -0.5))
        self.pos_mark.set_position((cols - 1 - (ncc - 1) / 2, -0.5))
        self.plate_title.set_text(f"{plate.n_wells}-well plate ({rows} x {cols})")

        hx = self.hist_axes
        neg_mean, pos_mean = plate.control_means
        spread = 5 * plate.noise_sd   # beyond 5 SD: hardly one well in a million
        grid = 10.0 ** np.floor(np.log10(pos_mean - neg_mean + 2 * spread)) / 2   # e.g. 50 for a span of 100-999
        low, high = np.floor((neg_mean - spread) / grid) * grid, np.ceil((pos_mean + spread) / grid) * grid
        edges = np.linspace(low, high, 31)
        peaks = {}
        for role in (NEGATIVE, POSITIVE, SAMPLE):
            values = plate.signal[plate.role == role]
            counts, _ = np.histogram(values, bins=edges)
            share = counts / max(1, values.size)
            peaks[role] = (float(np.median(values)) if values.size else float(edges[0]), float(share.max()))
            self.stairs[role].set_data(share, edges)
        peak = max(max(p for _, p in peaks.values()), 1e-9)
        top = np.ceil(peak * 1.45 * 4) / 4   # in steps of 25 %, with head room for the direct labels
        share_tick = min(top, 1.0)
        axes_now = (float(low), float(high), top, share_tick)
        if axes_now != self.hist_axes_shown:   # the axes only when they change
            self.hist_axes_shown = axes_now
            hx.set_xlim(low, high)
            hx.set_ylim(0, top)
            ticks = [t for t in MaxNLocator(4, steps=[1, 2, 5, 10]).tick_values(low, high) if low <= t <= high]
            _fixed_ticks(hx.xaxis, ticks, [f"{t:g}" for t in ticks])
            _fixed_ticks(hx.yaxis, [0, share_tick], ["0", f"{share_tick:.0%}"])
        self.neg_label.set_position((peaks[NEGATIVE][0], peak * 1.08))
        self.pos_label.set_position((peaks[POSITIVE][0], peak * 1.08))
        self.threshold.set_xdata([plate.threshold] * 2)
        self.threshold_label.set_position((plate.threshold, top * 0.99))
        self.z_title.set_text(f"Z′ = {plate.z_prime_measured:.2f}")
        return self.figure


# ---- Dose-response ------------------------------------------------------------------------------------------
class DoseFigure(LiveFigure):
    """The dose-response figure's axes, curves and hand-made legend, built once; `update(curves)` redraws them."""

    def __init__(self) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Rectangle

        with style.context():
            ax = self.start((7.2, 3.5), (0.1, 0.15, 0.6, 0.75))
            fig = self.figure
            ax.set_xscale("log")
            ax.set_xlim(0.1, 1e5)
            # light fill (curves stay 3:1 over it) with a solid outline that marks the window's edges (3.4:1)
            self.window = Rectangle((1, 0), 1, 1, transform=ax.get_xaxis_transform(), facecolor=to_rgba(
                style.OKABE_ITO["bluish_green"], 0.12), edgecolor=style.OKABE_ITO["bluish_green"], linewidth=1.2)
            ax.add_patch(self.window)
            self.effect, = ax.plot([], [], color=style.ROLE_COLOURS["biologic"])
            self.viability, = ax.plot([], [], color=style.OKABE_ITO["vermillion"], linestyle="--")
            self.ec50, = ax.plot([], [], "o", color=style.ROLE_COLOURS["biologic"], markersize=7)
            self.tc50, = ax.plot([], [], "s", color=style.OKABE_ITO["vermillion"], markersize=7)
            self.ec50_label = ax.annotate("EC50", (1, 50), xytext=(-8, 6), textcoords="offset points", ha="right",
                                          fontsize=9, color=style.ROLE_COLOURS["biologic"])
            self.tc50_label = ax.annotate("TC50", (1, 50), xytext=(8, 6), textcoords="offset points", ha="left",
                                          fontsize=9, color=style.text_colour(style.OKABE_ITO["vermillion"]))
            _fixed_ticks(ax.yaxis, [0, 50, 100])
            ax.set_ylim(-3, 105)
            ax.set_xlabel("candidate concentration (nM, log scale)")
            ax.set_ylabel("% (effect or cells alive)")
            # a hand-made legend in the right margin (a matplotlib legend costs more to draw than the curves)
            entries: tuple[tuple[float, dict[str, Any], str], ...] = (
                       (0.80, dict(color=style.ROLE_COLOURS["biologic"]), "effect on\ndisease cells"),
                       (0.62, dict(color=style.OKABE_ITO["vermillion"], linestyle="--"), "healthy cells\nalive"),
                       (0.44, dict(color=style.OKABE_ITO["bluish_green"], alpha=0.35, linewidth=9),
                        "window: ≥90 %\neffect, ≤10 %\nharm"))
            for y, line_style, label in entries:
                fig.add_artist(Line2D([0.73, 0.78], [y, y], transform=fig.transFigure, linewidth=line_style.pop(
                    "linewidth", 2), **line_style))
                fig.text(0.795, y, label, va="center", ha="left", fontsize=9)
        self.axes = ax
        # the axes, ticks and legend never move: a redraw paints the curves, marks, labels and window only
        self.redraw_only(self.window, self.effect, self.viability, self.ec50, self.tc50, self.ec50_label,
                         self.tc50_label)

    def update(self, curves: DoseResponse) -> Figure:
        w = curves.window
        x = curves.concentration_nm
        self.effect.set_data(x, curves.effect_pct)
        self.viability.set_data(x, curves.viability_pct)
        half_effect = curves.bottom_pct + (curves.top_pct - curves.bottom_pct) / 2
        self.ec50.set_data([w.ec50_nm], [half_effect])
        self.tc50.set_data([w.tc50_nm], [50])
        self.ec50_label.xy = (w.ec50_nm, half_effect)
        self.tc50_label.xy = (w.tc50_nm, 50)
        self.window.set_visible(w.has_window)
        if w.has_window:
            self.window.set_x(w.ec90_nm)
            self.window.set_width(w.tc10_nm - w.ec90_nm)
        self.axes.set_xlim(x[0], x[-1])
        decades = np.arange(np.ceil(np.log10(x[0]) - 1e-9), np.floor(np.log10(x[-1]) + 1e-9) + 1)
        decades = decades[::2] if decades.size > 6 else decades
        _fixed_ticks(self.axes.xaxis, 10.0 ** decades, [numbers.tick_number(10.0 ** d) for d in decades])
        return self.figure


# ---- One-off figures (a static cell in the notebook) ------------------------------------------------------
def screening_plate(plate: PlateResult) -> Figure:
    """Heat map of one plate (one image, no per-well patches) beside the signal distributions and hit threshold."""
    return PlateFigure().update(plate)


def dose_response_curves(curves: DoseResponse) -> Figure:
    """Effect on disease-model cells and viability of healthy cells against concentration (log scale)."""
    return DoseFigure().update(curves)
