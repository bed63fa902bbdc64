"""Notebook 01 figures: the size ladder, the "biological factory" diagram and the host growth chart."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from .. import style, numbers
from ._canvas import LiveFigure, diagram
from ..models.biologics import Host, SizeItem

KIND_STYLE = {  # colour and marker together, so no meaning rests on colour alone
    "small molecule": (style.ROLE_COLOURS["small_molecule"], "o"),
    "protein": (style.ROLE_COLOURS["biologic"], "D"),
    "particle": (style.ROLE_COLOURS["neutral"], "s"),
    "cell": (style.ROLE_COLOURS["discarded"], "^"),
}
SIZE_TICKS = {1e-9: "1 nm", 1e-7: "100 nm", 1e-5: "10 µm"}
MASS_TICKS = {10.0**e: numbers.power_of_ten(e) for e in (2, 5, 8, 11, 14, 17)}  # no mathtext: faster
HIGHLIGHT = style.ROLE_COLOURS["highlight"]


def size_ladder(items: Sequence[SizeItem], highlight: Sequence[str] = (), values_for: str = "all") -> Figure:
    """Log-scale ladder: each item's size (left panel) and mass (right panel); highlighted items are ringed.

    values_for="all" writes every item's size and mass; "size" only the sizes (the masses are left to read off the
    axis); "highlighted" only the highlighted items' (an explorer
    redraws that faster, and its summary gives the numbers).
    """
    return LadderFigure(items, values_for).update(highlight)


class LadderFigure(LiveFigure):
    """The size ladder, built once; `update(highlight)` moves the rings and bold labels (no new axes: fast)."""

    def __init__(self, items: Sequence[SizeItem], values_for: str = "all"):
        if values_for not in ("all", "highlighted", "size"):
            raise ValueError(f"values_for = {values_for!r} is not one of the allowed values: all, highlighted, size")
        self.items, self.values_for = list(items), values_for
        self.rings: list[PathCollection] = []
        self.labels: dict[str, Text] = {}
        self.values: dict[str, list[Text]] = {i.key: [] for i in items}
        with style.context():
            fig = Figure(figsize=(8.0, 3.9))
            ax_size = fig.add_axes((0.235, 0.25, 0.35, 0.66))
            ax_mass = fig.add_axes((0.625, 0.25, 0.35, 0.66), sharey=ax_size)
            rows = range(len(items))
            for ax, values, ticks, lim in ((ax_size, [i.size_m for i in items], SIZE_TICKS, (2e-10, 1e-3)),
                                           (ax_mass, [i.mass_da for i in items], MASS_TICKS, (10, 1e19))):
                ax.set_xscale("log")
                ax.set_xlim(*lim)
                ax.set_xticks(list(ticks), list(ticks.values()))
                ax.set_xticks([], minor=True)
                ax.grid(axis="x", color="#DDD", linewidth=0.8)
                ax.tick_params(axis="y", left=False, labelleft=False)
                ax.hlines(list(rows), lim[0], values, color="#BBB", linewidth=1.2, gid="decorative")  # guides
                for kind, (colour, marker) in KIND_STYLE.items():
                    idx = [n for n, i in enumerate(items) if i.kind == kind]
                    if idx:
                        ax.scatter([values[n] for n in idx], idx, color=colour, marker=marker, s=46, zorder=3,
                                   edgecolor="black", linewidth=0.6, label=kind)
                ring = ax.scatter([], [], s=230, facecolor="none", edgecolor=HIGHLIGHT, linewidth=2.2, zorder=4)
                ring.set_gid("highlight")
                self.rings.append(ring)
            for n, item in enumerate(items):
                self.labels[item.key] = ax_size.text(-0.03, n, item.label, transform=ax_size.get_yaxis_transform(),
                                                     ha="right", va="center", fontsize=10, gid=f"label:{item.key}")
                self.values[item.key].append(ax_size.text(item.size_m * 2.0, n, numbers.length(item.size_m),
                                                          va="center", fontsize=9.5, gid=f"value:{item.key}"))
                approx = "≈" if item.mass_estimated else ""
                self.values[item.key].append(ax_mass.text(item.mass_da * 8.0, n, approx + numbers.mass(item.mass_da),
                                                          va="center", fontsize=9.5, gid=f"value:{item.key}"))
            ax_size.set_ylim(-0.6, len(items) - 0.4)
            ax_size.set_xlabel("size (log scale)")
            ax_mass.set_xlabel("mass (daltons, log scale)")
            fig.text(0.235, 0.93, "How big?", fontsize=11)
            fig.text(0.625, 0.93, "How heavy?", fontsize=11)
            ax_mass.legend(loc="lower right", fontsize=8.5, frameon=False, handletextpad=0.2, borderaxespad=0.1)
            fig.text(0.01, 0.015, "Size: sphere estimates for molecules (IgG: hydrodynamic diameter), "
                     "electron-microscope diameter for particles,\ndiameter for cells (E. coli: length). ≈ mass "
                     "estimated from size × density. Each gridline step: ×100 in size, ×1,000 in mass.",
                     fontsize=8.5, color="#333")
        self.figure = fig
        # ticks, grid, dots, legend and footnote stay put: each update repaints only the rings, labels and values
        self.redraw_only(*self.rings, *self.labels.values(), *(t for ts in self.values.values() for t in ts))

    def update(self, highlight: Sequence[str] = ()) -> Figure:
        """Ring and bold-label the highlighted items (keys of the ladder's items)."""
        unknown = [k for k in highlight if k not in self.labels]
        if unknown:
            raise ValueError(f"highlight: {unknown} not on the ladder; allowed: {', '.join(sorted(self.labels))}")
        if self.unchanged(tuple(highlight)):
            return self.figure
        rows = [n for n, i in enumerate(self.items) if i.key in highlight]
        for ring, values in zip(self.rings, ([i.size_m for i in self.items], [i.mass_da for i in self.items])):
            ring.set_offsets([(values[n], n) for n in rows] if rows else np.empty((0, 2)))
        for item in self.items:
            on = item.key in highlight
            size_text, mass_text = self.values[item.key]
            size_text.set_visible(self.values_for in ("all", "size") or on)
            mass_text.set_visible(self.values_for == "all" or on)  # "size": masses are dots to read, not numbers
            self.labels[item.key].set_text(("▶ " if on else "") + item.label)
            self.labels[item.key].set_fontweight("bold" if on else "normal")
        return self.figure


def _box(ax, x, y, w, h, text, colour, hatch=None, weight="normal"):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.05", facecolor=colour,
                                edgecolor="black", linewidth=1.0, hatch=hatch, alpha=0.9))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=9.5, weight=weight,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))


def _arrow(ax, start, end, dashed=False):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, linewidth=1.6,
                                 linestyle="--" if dashed else "-", color="black"))


def factory_diagram(host_label: str = "E. coli, yeast\nor CHO cells") -> Figure:
    """Gene -> engineered host cell -> protein -> purification -> vial; the host cells go to waste."""
    if not host_label.strip():
        raise ValueError("host_label: give the host's name, e.g. 'CHO cells'")
    with style.context():
        fig, ax = diagram(8.0, 3.3, (0, 10), (0, 4.1))
        w, h, y = 1.62, 1.45, 2.3
        xs = [0.1, 2.1, 4.1, 6.1, 8.1]
        neutral, product = style.ROLE_COLOURS["neutral"], style.ROLE_COLOURS["biologic"]
        texts = ["1. Gene\n(the DNA recipe\nfor the protein)", f"2. Engineered\nhost cells:\n{host_label}",
                 "3. The cells make\nthe protein (CHO\nsecretes it; E. coli\noften keeps it in)",
                 "4. Purification:\nprotein separated\nfrom the cells",
                 "5. Purified\nprotein in a vial:\nthe medicine"]
        colours = [neutral, neutral, product, product, product]
        for x, text, colour in zip(xs, texts, colours):
            _box(ax, x, y, w, h, text, colour, weight="bold" if text.startswith("5") else "normal")
        for a, b in zip(xs, xs[1:]):
            _arrow(ax, (a + w + 0.02, y + h / 2), (b - 0.02, y + h / 2))
        _box(ax, 5.55, 0.2, 2.7, 1.2, "Host cells and their debris\nremoved and discarded:\nno living cell in the vial",
             style.ROLE_COLOURS["discarded"], hatch="xx")
        _arrow(ax, (xs[3] + w / 2, y - 0.02), (xs[3] + w / 2, 1.42), dashed=True)
        ax.text(0.1, 0.75, "A biologic is made BY living cells,\nbut the cells are not the product.",
                fontsize=10, style="italic")
    return fig


def host_growth_chart(host_list: Sequence[Host], chosen: str | None = None) -> Figure:
    """Doubling time of each expression host (log scale); the chosen host is hatched and ringed."""
    with style.context():
        fig = Figure(figsize=(6.8, 2.6))
        ax = fig.add_axes((0.13, 0.33, 0.62, 0.6))
        hours = [h.doubling_time_h for h in host_list]
        names = [("▶ " if h.key == chosen else "") + h.label for h in host_list]
        bars = ax.barh(names, hours, color=style.ROLE_COLOURS["neutral"], edgecolor="black")
        ax.set_xscale("log")
        ax.set_xlim(0.1, 100)
        ax.set_xticks([0.1, 1, 10, 100], ["6 min", "1 h", "10 h", "100 h"])
        ax.minorticks_off()
        ax.invert_yaxis()
        ax.set_xlabel("time for the cell number to double (log scale)")
        for bar, host in zip(bars, host_list):
            per_day = host.doublings_per_day
            per_day_text = "about 1 doubling" if per_day < 1.5 else f"{numbers.ratio(per_day)} doublings"
            ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2,
                    f"{host.doubling_time_text}  ({per_day_text} a day*)", va="center", fontsize=9.5)
            if host.key == chosen:
                bar.set_hatch("//")
                bar.set_edgecolor(HIGHLIGHT)
                bar.set_linewidth(2.5)
        for label, host in zip(ax.get_yticklabels(), host_list):
            if host.key == chosen:
                label.set_fontweight("bold")
        fig.text(0.01, 0.015, "* with unlimited growth: a real culture slows down as nutrients run out and the "
                 "cells crowd.", fontsize=8.5, color="#333")
    return fig
