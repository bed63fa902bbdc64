"""The blank drawing area every box-and-arrow diagram of the course starts from."""
from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure


def diagram(width_in: float, height_in: float, xlim: tuple[float, float],
            ylim: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure filled by one axes without frame or ticks, in data units xlim x ylim; call inside style.context()."""
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_axis_off()
    return fig, ax


class LiveFigure:
    """A figure that owns its artists: built once, then `update(...)` changes them in place and returns the Figure.

    An explorer keeps one LiveFigure and hands each `update(...)` result to its View: redrawing moves artists
    instead of building axes, ticks and texts again (about twice as fast), and every artist is a typed attribute
    of the owner, not something hung on the matplotlib Figure.
    """

    figure: Figure

    def start(self, size_in: tuple[float, float], rect: tuple[float, float, float, float]) -> Axes:
        """Create `self.figure` (size in inches) and its first axes at rect; call inside style.context()."""
        self.figure = Figure(figsize=size_in)
        return self.figure.add_axes(rect)

    def update(self, *args: Any, **kwargs: Any) -> Figure:
        raise NotImplementedError
