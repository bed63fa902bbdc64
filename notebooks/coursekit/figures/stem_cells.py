"""Stem-cell figures: potency hierarchy, what one cell type can become, reprogramming, blood lineages, pool growth."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import blended_transform_factory

from .. import facts, style, numbers
from ._canvas import LiveFigure, diagram, half_decade_ceiling
from ..models import stem_cells as model

GREY = style.ROLE_COLOURS["discarded"]
STEM = style.ROLE_COLOURS["stem_cell"]
HIGHLIGHT = style.ROLE_COLOURS["highlight"]
DARK = style.OKABE_ITO["black"]

# Row of each potency level on the ladder (top = widest potential).
_LEVEL_Y = {level: len(model.POTENCY_LEVELS) - 1 - i for i, level in enumerate(model.POTENCY_LEVELS)}
_LEVEL_TITLE = {"totipotent": "Totipotent", "pluripotent": "Pluripotent", "multipotent": "Multipotent",
                "unipotent": "Unipotent", "not a stem cell": "Specialised"}
_LEVEL_SHORT = {"totipotent": "all cells + placenta", "pluripotent": "all body cells, no placenta",
                "multipotent": "one family of cells", "unipotent": "one cell type",
                "not a stem cell": "no other type"}
# Slot (left, middle, right) of each cell type's box on the ladder, and the x of each slot per layout.
_CELL_SLOT = {"zygote": 1, "ESC": 0, "iPSC": 2, "HSC": 0, "MSC": 2, "satellite cell": 1, "fibroblast": 2}
_SLOT_X = {"full": (0.48, 0.6, 0.72), "compact": (0.5, 0.68, 0.86)}


def _box(colour: str, highlighted: bool = False) -> dict:
    return dict(boxstyle="round,pad=0.35", facecolor=colour if highlighted else "white",
                edgecolor=DARK if highlighted else colour, linewidth=2.5 if highlighted else 1.5)


def _style_cell(text: Text, cell: model.StemCellType, chosen: bool) -> None:
    """A cell type's box on the ladder: ▶ and bold in the highlight colour when chosen."""
    colour = GREY if cell.level == "not a stem cell" else STEM
    text.set_text(f"▶ {cell.short}" if chosen else cell.short)
    text.set_fontweight("bold" if chosen else "normal")
    text.set_color(style.ink_on(HIGHLIGHT) if chosen else DARK)
    text.set_bbox(_box(HIGHLIGHT if chosen else colour, chosen))


def _style_target(text: Text, target: str, yes: bool) -> None:
    """A target cell type in the potency list: filled and bold when the chosen cell type can become it."""
    origin = model.TARGET_CELL_TYPES[target]
    text.set_text(f"✓ yes:  {target} ({origin})" if yes else f"✗ no:   {target} ({origin})")
    text.set_fontweight("bold" if yes else "normal")
    text.set_color(style.ink_on(STEM) if yes else "#555555")
    text.set_bbox(dict(boxstyle="round,pad=0.25", facecolor=STEM if yes else "white",
                       edgecolor=STEM if yes else "#BBBBBB"))


def _draw_ladder(ax, highlight: str | None, full: bool = True) -> None:
    """The potency ladder on ax (x 0..1, one row per level), each cell type placed on its level."""
    n = len(model.POTENCY_LEVELS)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, n - 0.5)
    ax.set_axis_off()
    for level, y in _LEVEL_Y.items():
        if y % 2 == 0:
            ax.axhspan(y - 0.5, y + 0.5, color="#F2F2F2", zorder=0, gid="decorative")  # background band
        ax.text(0.01, y + 0.1 if full else y, _LEVEL_TITLE[level], fontsize=10.5, fontweight="bold",
                va="bottom" if full else "center")
        if full:
            ax.text(0.01, y + 0.05, _LEVEL_SHORT[level], fontsize=9, va="top", color="#333333")
    for cell in model.STEM_CELL_TYPES.values():
        x = _SLOT_X["full" if full else "compact"][_CELL_SLOT[cell.short]]
        _style_cell(ax.text(x, _LEVEL_Y[cell.level], "", ha="center", va="center", fontsize=10,
                            gid=f"cell:{cell.name}"), cell, chosen=cell.name == highlight)
    if full:
        top, bottom = _LEVEL_Y["totipotent"], _LEVEL_Y["unipotent"]
        ax.annotate("", xy=(0.35, bottom), xytext=(0.35, top),
                    arrowprops=dict(arrowstyle="-|>", color=DARK, lw=1.5))
        ax.text(0.37, (top + bottom) / 2, "differentiation:\npotential\nnarrows", ha="left", va="center",
                fontsize=9, style="italic")
        right = _SLOT_X["full"][2] + 0.055
        ax.annotate("", xy=(right, _LEVEL_Y["pluripotent"]), xytext=(right, _LEVEL_Y["not a stem cell"]),
                    arrowprops=dict(arrowstyle="-|>", color=style.OKABE_ITO["blue"], lw=1.5, ls="--",
                                    connectionstyle="arc3,rad=0.35"))
        ax.text(0.835, (_LEVEL_Y["pluripotent"] + _LEVEL_Y["not a stem cell"]) / 2,
                "reprogramming\nwith four factors\n(makes an iPSC)", ha="left", va="center", fontsize=9,
                color=style.OKABE_ITO["blue"])


def potency_hierarchy(highlight: str | None = None) -> Figure:
    """The potency ladder (totipotent -> specialised) with zygote, ESC, iPSC, HSC, MSC, satellite cell, fibroblast."""
    if highlight is not None:
        model.stem_cell_type(highlight)
    with style.context():
        fig = Figure(figsize=(7.0, 3.9))
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
        _draw_ladder(ax, highlight)
    return fig


def potency_reach(cell_type: str) -> Figure:
    """One cell type highlighted on the ladder, beside the list of cell types it can and cannot become."""
    cell = model.stem_cell_type(cell_type)
    reach = model.reach(cell_type)
    with style.context():
        fig = Figure(figsize=(7.6, 3.4))
        ladder = fig.add_axes((0.0, 0.02, 0.5, 0.96))
        _draw_ladder(ladder, cell.name, full=False)
        ax = fig.add_axes((0.52, 0.02, 0.47, 0.96))
        ax.set_axis_off()
        n = len(reach)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, n + 0.4)
        ax.text(0.0, n, f"What can the {cell.short} become?", fontsize=10.5, fontweight="bold", va="center",
                gid="reach:title")
        for i, (target, yes) in enumerate(reach.items()):
            _style_target(ax.text(0.0, n - 1 - i, "", fontsize=10, va="center", gid=f"reach:{target}"), target, yes)
    return fig


def _node(ax, x: float, y: float, text: str, colour: str, filled: bool = False, size: float = 10) -> None:
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color=style.ink_on(colour) if filled else DARK,
            fontweight="bold" if filled else "normal",
            bbox=dict(boxstyle="round,pad=0.4", facecolor=colour if filled else "white", edgecolor=colour,
                      linewidth=1.6))


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], colour: str = DARK, **kw) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.5, **kw))


def reprogramming_diagram() -> Figure:
    """Adult skin or blood cell -> four factors -> iPSC -> heart muscle cells or neurons."""
    mouse, human = facts.value("stem_mouse_ipsc_year"), facts.value("stem_human_ipsc_year")
    with style.context():
        fig, ax = diagram(7.6, 3.0, (0, 10), (0, 4))
        _node(ax, 1.15, 2.3, "adult cell\n(skin fibroblast\nor blood cell)", GREY)
        ax.text(3.35, 2.95, "+ four factors", ha="center", fontsize=10, fontweight="bold")
        ax.text(3.35, 1.65, "OCT4, SOX2,\nKLF4, c-MYC", ha="center", va="top", fontsize=9,
                color=style.OKABE_ITO["blue"])
        _arrow(ax, (2.4, 2.3), (4.3, 2.3), style.OKABE_ITO["blue"])
        _node(ax, 5.45, 2.3, "iPSC\n(pluripotent)\nno embryo used", STEM, filled=True)
        _arrow(ax, (6.5, 2.55), (7.75, 3.05))
        _arrow(ax, (6.5, 2.05), (7.75, 1.55))
        ax.text(7.1, 2.3, "differentiate", fontsize=9, ha="center", va="center", style="italic")
        _node(ax, 8.8, 3.2, "heart muscle\ncells", style.ROLE_COLOURS["cell_therapy"])
        _node(ax, 8.8, 1.4, "neurons", style.ROLE_COLOURS["biologic"])
        ax.text(5.0, 0.25,
                f"Yamanaka's lab: mouse cells {mouse:.0f}, human cells {human:.0f} (human also Thomson's lab)",
                ha="center", fontsize=9, color="#333333")
    return fig


# Blood lineage: (label, x, y, parent)
_LINEAGE = (
    ("HSC\n(stem cell)", 0.9, 2.5, None),
    ("multipotent\nprogenitor", 2.9, 2.5, 0),
    ("myeloid\nprogenitor", 5.0, 3.6, 1),
    ("lymphoid\nprogenitor", 5.0, 1.15, 1),
    ("red blood cells", 8.3, 4.75, 2),
    ("platelets", 8.3, 4.05, 2),
    ("granulocytes", 8.3, 3.35, 2),
    ("monocytes", 8.3, 2.65, 2),
    ("T cells", 8.3, 1.8, 3),
    ("B cells", 8.3, 1.1, 3),
    ("NK cells", 8.3, 0.4, 3),
)


def blood_lineage_tree() -> Figure:
    """From the HSC (which also renews itself) through progenitors to the mature blood cells it replaces."""
    per_day = facts.value("stem_blood_cells_made_per_day")
    with style.context():
        fig, ax = diagram(7.6, 3.8, (0, 10), (-0.3, 5.7))
        for _label, x, y, parent in _LINEAGE:
            if parent is not None:
                _, px, py, _ = _LINEAGE[parent]
                start = (px + (0.75 if parent == 0 else 0.85), py)
                _arrow(ax, start, (x - (0.95 if x > 8 else 0.85), y), "#555555")
        for i, (label, x, y, _) in enumerate(_LINEAGE):
            if i == 0:
                _node(ax, x, y, label, STEM, filled=True)
            elif x < 8:
                _node(ax, x, y, label, STEM, size=9.5)
            else:
                _node(ax, x, y, label, style.ROLE_COLOURS["cell_therapy"], size=9.5)
        ax.annotate("self-renews", xy=(0.6, 3.0), xytext=(0.25, 3.9), fontsize=9, style="italic",
                    arrowprops=dict(arrowstyle="-|>", color=STEM, lw=1.5, connectionstyle="arc3,rad=-0.5"))
        exponent = int(np.log10(per_day))
        ax.text(0.15, 0.25, f"in the bone marrow:\nmore than $10^{{{exponent}}}$ new\nblood cells a day", fontsize=9,
                va="bottom", color="#333333")
        ax.text(5.0, 5.3, "progenitors (multiply, then commit)", ha="center", fontsize=9, style="italic")
        ax.text(8.3, 5.3, "mature cells", ha="center", fontsize=9, style="italic")
    return fig


def _cell_count_label(value: float, _pos=None) -> str:
    """Tick label without mathtext (which is slow to lay out): 1, 10, 1,000, then 10⁶ and up."""
    return numbers.decade_label(value)


class PoolFigure(LiveFigure):
    """Stem-cell pool and differentiated cells made, over divisions: the mean (lines) and one random run (dots).

    Built once (axes, locators, labels, the marks a run may need); `update(...)` moves curves, limits, labels and
    marks in place, so the division simulator redraws without building a figure per change.
    """

    def __init__(self) -> None:
        stem_colour, diff_colour = style.OKABE_ITO["bluish_green"], style.OKABE_ITO["vermillion"]
        with style.context():
            ax = self.start((7.0, 3.2), (0.125, 0.15, 0.62, 0.72))
            self.curves = []
            for colour, marker in ((stem_colour, "o"), (diff_colour, "^")):
                mean_line, = ax.plot([], [], color=colour, ls="-" if marker == "o" else "--")
                run_marks, = ax.plot([], [], color=colour, ls="none", marker=marker, markersize=4)
                self.curves.append((mean_line, run_marks))
            ax.set_yscale("log")
            # Few ticks keep a redraw fast (each tick is several artists): decades only, no minor ticks.
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(_cell_count_label))
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True, steps=[1, 2, 5, 10]))
            ax.set_xlabel("divisions (generations)")
            ax.set_ylabel("cells (log scale)")
            trans = blended_transform_factory(ax.transData, ax.transAxes)
            self.extinct_mark, = ax.plot([], [], marker="X", color=stem_colour, markersize=9, transform=trans,
                                         clip_on=False, ls="none")
            self.extinct_text = ax.text(0, 0.1, "", transform=trans, fontsize=8.5)
            self.capped_text = ax.text(0.97, 0.05, "", transform=ax.transAxes, fontsize=8.5, ha="right",
                                       va="bottom")
            # Direct labels at the right end of each curve (cheaper to draw than a legend, and easier to read).
            label_at = blended_transform_factory(ax.transAxes, ax.transData)
            self.end_labels = [ax.text(1.02, 1.0, "", transform=label_at, color=style.text_colour(colour),
                                       fontsize=9.5, fontweight="bold", va="center", ha="left", clip_on=False)
                               for colour in (stem_colour, diff_colour)]
            ax.text(1.02, 1.0, "lines: expected (mean)\nmarks: one random run", transform=ax.transAxes,
                    fontsize=8.5, va="bottom", ha="left", color="#333333")
            self.title = ax.set_title("", fontsize=11, fontweight="bold", loc="left", y=1.0, pad=4)
        self.axes = ax
        self.axis_ends: tuple[int, float] | None = None   # (divisions shown, top of the y axis)
        self.redraw_only(*(artist for pair in self.curves for artist in pair), self.extinct_mark, self.extinct_text,
                         self.capped_text, *self.end_labels, self.title)

    def update(self, expected: model.PoolRun, simulated: model.PoolRun, regime: str) -> Figure:
        ax = self.axes
        for (mean_line, run_marks), mean, run in zip(self.curves, (expected.stem_cells, expected.differentiated_cells),
                                                     (simulated.stem_cells, simulated.differentiated_cells)):
            g = np.arange(len(mean))
            keep = mean > 0
            mean_line.set_data(g[keep], mean[keep])
            g = np.arange(len(run))
            keep = run > 0
            run_marks.set_data(g[keep], run[keep])
        # Below half a cell the mean is an average over many runs, not a pool one could see: keep it off the axis.
        # The y axis always reaches ten times above the million cells where a random run stops, and grows in
        # half-decade steps only for pools beyond that: moving a fate slider then tilts the curves against a scale
        # that stays put (and only the curves are drawn again).
        top = max(expected.stem_cells.max(), simulated.stem_cells.max(), expected.differentiated_cells.max(),
                  simulated.differentiated_cells.max())
        axis_ends = (len(expected.stem_cells) - 1, max(half_decade_ceiling(max(float(top), 0.5) * 2),
                                                       10.0 * model.POOL_CAP_CELLS))
        if axis_ends != self.axis_ends:
            self.axis_ends = axis_ends
            ax.set_xlim(0, axis_ends[0])
            ax.set_ylim(0.5, axis_ends[1])
        self.title.set_text(f"Regime: {regime}")
        extinct = simulated.extinct_at
        self.extinct_mark.set_visible(extinct is not None)
        self.extinct_text.set_visible(extinct is not None)
        self.extinct_mark.set_data([] if extinct is None else [extinct], [] if extinct is None else [0.04])
        self.extinct_text.set_text("" if extinct is None else "random run:\nstem cells\nall gone")
        if extinct is not None:
            self.extinct_text.set_x(extinct)
            self.extinct_text.set_horizontalalignment("left" if extinct < len(expected.stem_cells) / 2 else "right")
        self.capped_text.set_visible(simulated.capped_at is not None)
        self.capped_text.set_text("" if simulated.capped_at is None else "random run stopped:\npool passed a million")
        low, high = np.log10(0.5), np.log10(axis_ends[1])
        ends = []
        for mean, run, text in ((expected.stem_cells, simulated.stem_cells, "stem cells"),
                                (expected.differentiated_cells, simulated.differentiated_cells,
                                 "differentiated\ncells (total)")):
            last = mean[-1] if mean[-1] > 0 else run[-1]
            y = np.log10(last) if last >= 0.5 else low
            ends.append([min(max(y, low + 0.06 * (high - low)), high - 0.12 * (high - low)),   # clear of the key
                         text if last >= 0.5 else (f"{text}: none" if mean[-1] == 0 else f"{text} → 0")])
        gap = 0.16 * (high - low)
        if abs(ends[0][0] - ends[1][0]) < gap:
            upper, lower = sorted(ends, key=lambda e: e[0], reverse=True)
            middle = (upper[0] + lower[0]) / 2
            upper[0], lower[0] = middle + gap / 2, middle - gap / 2
        for label, (y, text) in zip(self.end_labels, ends):
            label.set_position((1.02, 10 ** y))
            label.set_text(text)
        return self.figure


def pool_growth(expected: model.PoolRun, simulated: model.PoolRun, regime: str) -> Figure:
    """Stem-cell pool and differentiated cells made, over divisions: the mean (lines) and one random run (dots)."""
    return PoolFigure().update(expected, simulated, regime)


class PotencyFigure(LiveFigure):
    """The potency-reach figure, built once: choosing another cell type restyles, in place, the ladder's boxes and
    the list of what it can become, and only the parts of the picture where they changed are painted again (the
    target control leaves the figure as it is)."""

    def __init__(self) -> None:
        first = next(iter(model.STEM_CELL_TYPES))
        self.figure = potency_reach(first)
        texts = {t.get_gid(): t for t in self.figure.findobj(Text) if t.get_gid()}
        self.cells = {name: texts[f"cell:{name}"] for name in model.STEM_CELL_TYPES}
        self.targets = {target: texts[f"reach:{target}"] for target in model.TARGET_CELL_TYPES}
        self.title = texts["reach:title"]
        self.chosen, self.reach = first, model.reach(first)   # what the figure shows now
        self.redraw_only(*self.cells.values(), *self.targets.values(), self.title, by_parts=True)

    def update(self, cell_type: str) -> Figure:
        chosen = model.stem_cell_type(cell_type)
        if chosen.name == self.chosen:
            return self.figure
        for name in (self.chosen, chosen.name):   # only the two boxes that change
            _style_cell(self.cells[name], model.STEM_CELL_TYPES[name], chosen=name == chosen.name)
        reach = model.reach(chosen.name)
        for target, yes in reach.items():
            if yes != self.reach[target]:
                _style_target(self.targets[target], target, yes)
        self.chosen, self.reach = chosen.name, reach
        self.title.set_text(f"What can the {chosen.short} become?")
        return self.figure
