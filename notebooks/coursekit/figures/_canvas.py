"""The blank drawing area every box-and-arrow diagram of the course starts from, and the figures explorers redraw."""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
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

    A LiveFigure whose axes, ticks and labels stay put while its data move can also name its moving artists with
    `redraw_only(...)`: the picture of everything else is then kept and each redraw paints just those (see
    `BlitCanvas`); the picture is the same.
    """

    figure: Figure

    def start(self, size_in: tuple[float, float], rect: tuple[float, float, float, float]) -> Axes:
        """Create `self.figure` (size in inches) and its first axes at rect; call inside style.context()."""
        self.figure = Figure(figsize=size_in)
        return self.figure.add_axes(rect)

    def redraw_only(self, *moving: Artist, figure: Figure | None = None) -> BlitCanvas:
        """Redraw only these artists over a kept picture of the rest (of `figure`, by default `self.figure`)."""
        return BlitCanvas(figure or self.figure, moving)

    def update(self, *args: Any, **kwargs: Any) -> Figure:
        raise NotImplementedError


class BlitCanvas(FigureCanvasAgg):
    """An Agg canvas that keeps a picture of a figure without its moving artists and paints only those on top.

    `draw()` (what `display.figure_png` calls) draws everything the usual way when the kept picture may be out of
    date, and keeps a copy of it without the moving artists; otherwise it restores that copy and draws the moving
    artists (and the spines of their axes, which are drawn over data) in the figure's own order. The picture is out
    of date when the figure's size, an axes' position, limits, scales, tick positions or tick labels changed, or when
    any other artist changed since (matplotlib marks a changed artist "stale"). Ticks and text, most of a small
    figure's drawing time, are then drawn only when they change. Saving (`savefig`) always draws everything.
    """

    def __init__(self, figure: Figure, moving: Sequence[Artist]):
        super().__init__(figure)
        self.moving = list(moving)
        axes = [a.axes for a in self.moving if a.axes is not None]
        spines = [s for ax in dict.fromkeys(axes) for s in ax.spines.values()]
        self.layer = self.moving + [s for s in spines if s not in self.moving]
        self._background: Any = None
        self._key: Hashable = None
        self._still: list[Artist] = []
        self._order: dict[int, int] = {}
        self.full_draws = self.quick_draws = 0

    def still_key(self) -> Hashable:
        """What the kept picture depends on besides its artists: size, axes positions, limits, scales and ticks."""
        fig = self.figure
        parts: list[Hashable] = [tuple(fig.get_size_inches()), fig.dpi]
        for ax in fig.axes:
            parts.append((tuple(ax.get_position().bounds), tuple(ax.viewLim.bounds)))
            for axis in (ax.xaxis, ax.yaxis):
                locs = tuple(float(x) for x in axis.get_majorticklocs())
                parts.append((axis.get_scale(), locs, tuple(axis.get_major_formatter().format_ticks(list(locs)))))
        return tuple(parts)

    def draw(self) -> None:
        key = self.still_key()
        if self._background is None or key != self._key or any(a.stale for a in self._still):
            self._draw_still(key)
        else:
            self.restore_region(self._background)
            self.quick_draws += 1
        renderer = self.get_renderer()
        for artist in sorted(self.layer, key=self._draw_order):
            if artist.get_visible():
                artist.draw(renderer)

    def _draw_order(self, artist: Artist) -> tuple[int, float, int]:
        """The order a full draw paints in: axes by axes (figure-level artists last), then zorder, then as added."""
        axes = self.figure.axes
        where = axes.index(artist.axes) if artist.axes in axes else len(axes)
        return where, artist.get_zorder(), self._order.get(id(artist), 0)

    def _draw_still(self, key: Hashable) -> None:
        """Draw everything but the moving layer, keep a copy, and note which artists it shows."""
        layer = {id(a) for a in self.layer}
        for artist in self.layer:
            artist.set_animated(True)   # left out of an ordinary draw, drawn again by savefig
        try:
            super().draw()
        finally:
            for artist in self.layer:
                artist.set_animated(False)
        self._background = self.copy_from_bbox(self.figure.bbox)
        self._key = key
        everything = self.figure.findobj()
        self._order = {id(a): i for i, a in enumerate(everything)}
        self._still = [a for a in everything if id(a) not in layer and not a.get_children()]
        for artist in self._still:
            artist.stale = False   # from now on, a change to any of them means the kept picture is out of date
        self.full_draws += 1
