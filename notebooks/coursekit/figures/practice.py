"""Warm-up figure: the mass of n aspirin molecules beside one antibody."""
from __future__ import annotations

from matplotlib.figure import Figure

from .. import style
from ._canvas import LiveFigure


class MassBars(LiveFigure):
    """The two bars, built once; `update(...)` changes their lengths, labels and the axis in place (the explorer's
    slider redraws it without building axes, ticks and texts again)."""

    def __init__(self) -> None:
        with style.context():
            ax = self.start((6.0, 1.9), (0.30, 0.30, 0.65, 0.6))
            labels = ["your aspirin\nmolecules", "one antibody\n(IgG)"]
            self.bars = ax.barh(labels, [1.0, 1.0], color=[style.ROLE_COLOURS["small_molecule"],
                                                           style.ROLE_COLOURS["biologic"]], edgecolor="black",
                                linewidth=0.8)  # the outline keeps the pale orange bar visible (3:1)
            self.bars[0].set_hatch("//")
            ax.set_xlabel("mass (kDa, thousands of daltons)")
            self.values = [ax.text(0, bar.get_y() + bar.get_height() / 2, "", va="center") for bar in self.bars]
        self.axes = ax
        self.redraw_only(*self.bars, *self.values)  # the axis stays put until the aspirin outweighs the antibody

    def update(self, aspirin_total_da: float, antibody_da: float) -> Figure:
        values_kda = [aspirin_total_da / 1000, antibody_da / 1000]
        self.axes.set_xlim(0, max(values_kda) * 1.15)
        for bar, text, v in zip(self.bars, self.values, values_kda):
            bar.set_width(v)
            text.set_x(v)
            text.set_text(f" {v:,.0f} kDa")
        return self.figure


def mass_bars(aspirin_total_da: float, antibody_da: float) -> Figure:
    """Two horizontal bars: n aspirin molecules vs one IgG antibody, in kilodaltons."""
    return MassBars().update(aspirin_total_da, antibody_da)
