"""Warm-up figure: the mass of n aspirin molecules beside one antibody."""
from __future__ import annotations

from matplotlib.figure import Figure

from .. import style


def mass_bars(aspirin_total_da: float, antibody_da: float) -> Figure:
    """Two horizontal bars: n aspirin molecules vs one IgG antibody, in kilodaltons."""
    with style.context():
        fig = Figure(figsize=(6.0, 1.9))
        ax = fig.add_axes((0.30, 0.30, 0.65, 0.6))
        labels = ["your aspirin\nmolecules", "one antibody\n(IgG)"]
        values_kda = [aspirin_total_da / 1000, antibody_da / 1000]
        bars = ax.barh(labels, values_kda, color=[style.ROLE_COLOURS["small_molecule"],
                                                  style.ROLE_COLOURS["biologic"]], edgecolor="black",
                       linewidth=0.8)  # the outline keeps the pale orange bar visible (3:1)
        bars[0].set_hatch("//")
        ax.set_xlabel("mass (kDa, thousands of daltons)")
        ax.set_xlim(0, max(values_kda) * 1.15)
        for bar, v in zip(bars, values_kda):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v:,.0f} kDa", va="center")
    return fig
