"""The blank drawing area every box-and-arrow diagram of the course starts from, and the figures explorers redraw."""
from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from math import cos, radians, sin
from typing import Any

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def diagram(width_in: float, height_in: float, xlim: tuple[float, float],
            ylim: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure filled by one axes without frame or ticks, in data units xlim x ylim; call inside style.context()."""
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_axis_off()
    return fig, ax


NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is at least x (x > 0).

    An explorer's axis that ends there moves in round steps, not with every change of the data: the learner sees a
    curve grow against a scale that stays put, and the figure keeps its axes, so it redraws only the data.
    """
    if not (x > 0 and np.isfinite(x)):
        raise ValueError(f"nice_ceiling: x must be a positive finite number, got {x!r}")
    power = 10.0 ** np.floor(np.log10(x))
    for step in NICE_STEPS:
        if step * power >= x * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)  # pragma: no cover  (10 × power >= x always)


def half_decade_ceiling(x: float) -> float:
    """The smallest power of ten or 10^k × √10 (about 3.16) at least x (x > 0): where a log axis ends, in round
    steps of half a decade."""
    if not (x > 0 and np.isfinite(x)):
        raise ValueError(f"half_decade_ceiling: x must be a positive finite number, got {x!r}")
    return float(10.0 ** (np.ceil(2 * np.log10(x) - 1e-12) / 2))


class LiveFigure:
    """A figure that owns its artists: built once, then `update(...)` changes them in place and returns the Figure.

    An explorer keeps one LiveFigure and hands each `update(...)` result to its View: redrawing moves artists
    instead of building axes, ticks and texts again (about twice as fast), and every artist is a typed attribute
    of the owner, not something hung on the matplotlib Figure.

    A LiveFigure whose axes, ticks and labels stay put while its data move can also name its moving artists with
    `redraw_only(...)`: the picture of everything else is then kept and each redraw paints just those (see
    `BlitCanvas`); the picture is the same. With `redraw_only()` a figure whose inputs did not change (see
    `unchanged`) is not drawn again at all, and the explorer sends the page nothing new.
    """

    figure: Figure
    _inputs: tuple | None = None

    def unchanged(self, *inputs: Any) -> bool:
        """True if `update` was last called with equal inputs (arrays compared by value): then it can return the
        figure as it is, without touching an artist. Remembers these inputs for the next call."""
        same = self._inputs is not None and same_inputs(self._inputs, inputs)
        self._inputs = inputs
        return same

    def start(self, size_in: tuple[float, float], rect: tuple[float, float, float, float]) -> Axes:
        """Create `self.figure` (size in inches) and its first axes at rect; call inside style.context()."""
        self.figure = Figure(figsize=size_in)
        return self.figure.add_axes(rect)

    def redraw_only(self, *moving: Artist, figure: Figure | None = None, by_parts: bool = False) -> BlitCanvas:
        """Redraw only these artists over a kept picture of the rest (of `figure`, by default `self.figure`).

        by_parts=True suits moving artists (patches and texts) that change a few at a time: only the parts of the
        picture the changed ones cover are then painted again.
        """
        return BlitCanvas(figure or self.figure, moving, by_parts)

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
    Its renderer keeps the glyph bitmap of each text it drew (see `GlyphCachingRenderer`).

    With `by_parts`, a redraw after a change to some of the moving artists paints only the parts of the picture
    those covered before the change and cover now (a few pixels wider): there, the kept picture with every
    moving artist that reaches into them drawn on top; elsewhere the last picture stays as it was.
    """

    PAD_PX = 3   # around an artist's extent: antialiasing and glyphs that reach past their text's box

    def __init__(self, figure: Figure, moving: Sequence[Artist], by_parts: bool = False):
        super().__init__(figure)
        self.moving = list(moving)
        axes = [a.axes for a in self.moving if a.axes is not None]
        # spines are drawn over data, but not at all on axes without a frame
        spines = [s for ax in dict.fromkeys(axes) if ax.axison and ax.get_frame_on() for s in ax.spines.values()]
        self.layer = self.moving + [s for s in spines if s not in self.moving]
        self.by_parts = by_parts
        self._extents: list[Bbox | None] = []   # the pixels each artist of the layer covered when last drawn
        self._background: np.ndarray | None = None   # the kept picture, without the moving artists
        self._scratch: np.ndarray | None = None      # by_parts: the last picture, then the parts painted again
        self._key: Hashable = None
        self._still: list[Artist] = []
        self._order: dict[int, int] = {}
        self._drawn_on: Any = None
        self._drawing = self._drawn_elsewhere = False
        self.mpl_connect("draw_event", self._noticed_draw)   # savefig draws too: then start afresh
        self.full_draws = self.quick_draws = self.unchanged_draws = self.part_draws = 0
        self.version = 0   # counts the pictures drawn: display.figure_png encodes each one once

    def get_renderer(self) -> RendererAgg:
        """FigureCanvasAgg's renderer (a new one when the figure's size or dpi changed), keeping text bitmaps."""
        width, height = self.figure.bbox.size
        key = (width, height, self.figure.dpi)
        if getattr(self, "_renderer_key", None) != key:
            self.renderer = GlyphCachingRenderer(width, height, self.figure.dpi)
            self._renderer_key = key
        return self.renderer

    def still_key(self) -> Hashable:
        """What the kept picture depends on besides its artists: size, axes positions, limits, scales and ticks."""
        fig = self.figure
        parts: list[Hashable] = [tuple(fig.get_size_inches()), fig.dpi]
        for ax in fig.axes:
            parts.append((tuple(ax.get_position().bounds), tuple(ax.viewLim.bounds), ax.axison,
                          ax.xaxis.get_scale(), ax.yaxis.get_scale()))
            if not ax.axison:   # no ticks drawn: their positions and labels do not show
                continue
            for axis in (ax.xaxis, ax.yaxis):
                locs = tuple(float(x) for x in axis.get_majorticklocs())
                parts.append((locs, tuple(axis.get_major_formatter().format_ticks(list(locs)))))
        return tuple(parts)

    def _noticed_draw(self, _event: Any) -> None:
        if not self._drawing:
            self._drawn_elsewhere = True

    def draw(self) -> None:
        key = self.still_key()
        renderer = self.get_renderer()
        still = (self._background is not None and key == self._key and not self._drawn_elsewhere
                 and not any(a.stale for a in self._still))
        kept = still and renderer is self._drawn_on   # the buffer holds the last picture, drawn over the kept one
        if kept and not any(a.stale for a in self.layer):
            self.unchanged_draws += 1   # nothing moved since the last draw: the buffer holds this picture
            return
        if kept and self.by_parts:
            self._repaint_parts(renderer)
            self.part_draws += 1
        else:
            if still and self._background is not None:
                np.copyto(self._pixels(renderer), self._background)
                self.quick_draws += 1
            else:
                self._draw_still(key)
                renderer = self.get_renderer()
            self._paint(self.layer, renderer)
            if self.by_parts:
                self._extents = [self._extent(a, renderer) for a in self.layer]
        self._drawn_on = renderer
        self.version += 1

    def _paint(self, artists: Sequence[Artist], renderer: Any) -> None:
        for artist in sorted(artists, key=self._draw_order):
            if artist.get_visible():
                artist.draw(renderer)
            artist.stale = False

    def _repaint_parts(self, renderer: Any) -> None:
        """Paint again only the pixels the changed artists of the layer covered and cover now: there, the kept
        picture with every artist of the layer that reaches into them on top (in order); elsewhere the last picture.

        Everything happens inside the box around those parts and those artists, with numpy copies into buffers
        kept from one redraw to the next (a fresh copy of the whole picture costs more than the painting)."""
        parts = []
        for i, artist in enumerate(self.layer):
            if artist.stale:
                now = self._extent(artist, renderer)
                parts += [e for e in (self._extents[i], now) if e is not None]
                self._extents[i] = now
        again = [(a, e) for a, e in zip(self.layer, self._extents)
                 if e is not None and any(e.overlaps(p) for p in parts)]
        pixels, kept = self._pixels(renderer), self._background
        assert kept is not None   # by_parts repaints only over a kept picture
        if self._scratch is None or self._scratch.shape != pixels.shape:
            self._scratch = np.empty_like(pixels)
        box = self._rows_cols(Bbox.union(parts + [e for _, e in again]), pixels) if parts else None
        if box is not None:
            self._scratch[box] = pixels[box]                 # the last picture
            pixels[box] = kept[box]
        self._paint([a for a, _ in again], renderer)
        for artist in self.layer:
            artist.stale = False
        if box is not None:
            for part in parts:                               # the fresh pixels, in the parts only
                where = self._rows_cols(part, pixels)
                self._scratch[where] = pixels[where]
            pixels[box] = self._scratch[box]

    @staticmethod
    def _pixels(renderer: Any) -> np.ndarray:
        """The renderer's picture itself (not a copy): rows from the top, RGBA."""
        return np.asarray(renderer.buffer_rgba())

    @staticmethod
    def _rows_cols(extent: Bbox, pixels: np.ndarray) -> tuple[slice, slice]:
        """The rows and columns of pixels a box in display units (y upwards, whole pixels) covers."""
        x0, y0, x1, y1 = (int(v) for v in extent.extents)
        height = pixels.shape[0]
        return slice(max(height - y1, 0), max(height - y0, 0)), slice(max(x0, 0), max(x1, 0))

    def _extent(self, artist: Artist, renderer: Any) -> Bbox | None:
        """The whole pixels a patch or text covers, padded for antialiasing and its line width (the whole figure for
        any other artist); None if it is not drawn."""
        if not artist.get_visible():
            return None
        if isinstance(artist, Text) and (box := artist.get_bbox_patch()) is not None:
            artist.update_bbox_position_size(renderer)   # as drawing does: the box around the text
            artist = box
        if isinstance(artist, Text):
            line_px = 0.0
        elif isinstance(artist, Patch):
            line_px = artist.get_linewidth() * self.figure.dpi / 72
        else:
            return self.figure.bbox.frozen()
        if isinstance(artist, Patch):
            # the points of its path in pixels: a curve stays inside its control points, so they bound it without
            # solving for the curves' extremes (which cost more than painting a rounded box); and a spine's own
            # get_window_extent would lay out its axis' ticks again (and so mark them changed)
            path = artist.get_path()
            points = np.asarray(path.vertices)
            if path.codes is not None:
                codes = np.asarray(path.codes)
                points = points[(codes != Path.CLOSEPOLY) & (codes != Path.STOP)]
            if not len(points):
                return None
            pixels = artist.get_transform().transform(points)
            extent = Bbox([pixels.min(axis=0), pixels.max(axis=0)])
        else:
            extent = artist.get_window_extent(renderer)
        x0, y0, x1, y1 = extent.padded(self.PAD_PX + line_px).extents
        width, height = self.figure.bbox.size
        return Bbox.from_extents(max(np.floor(x0), 0), max(np.floor(y0), 0), min(np.ceil(x1), width),
                                 min(np.ceil(y1), height))

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
        self._drawing = True
        try:
            super().draw()
        finally:
            self._drawing = self._drawn_elsewhere = False
            for artist in self.layer:
                artist.set_animated(False)
        self._background = self._pixels(self.get_renderer()).copy()
        self._key = key
        everything = self.figure.findobj()
        self._order = {id(a): i for i, a in enumerate(everything)}
        self._still = [a for a in everything if id(a) not in layer and not a.get_children()]
        for artist in self._still:
            artist.stale = False   # from now on, a change to any of them means the kept picture is out of date
        self.full_draws += 1


def same_inputs(a: Any, b: Any) -> bool:
    """Equal as a figure's inputs: numpy arrays by shape, type and values (NaN equal to NaN), dataclasses field by
    field, tuples and lists item by item, anything else with ==."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(same_inputs(getattr(a, f.name), getattr(b, f.name))
                                          for f in dataclasses.fields(a))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same_inputs(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and bool(a == b)


class GlyphCachingRenderer(RendererAgg):
    """An Agg renderer that lays out and rasterises each plain text once: the same string in the same font is then
    painted from the kept bitmap, exactly as RendererAgg.draw_text paints it (a third of a full draw of a small
    chart is laying out tick labels and titles that did not change)."""

    MAX_TEXTS = 2000   # then start afresh: tick labels of ever new numbers must not pile up

    def __init__(self, width: float, height: float, dpi: float):
        super().__init__(width, height, dpi)
        self._glyphs: dict[Hashable, tuple[np.ndarray, float, float, float]] = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        rc = matplotlib.rcParams
        key = (s, prop, gc.get_antialiased(), get_hinting_flag(), rc["text.hinting_factor"],
               rc["text.kerning_factor"])
        glyphs = self._glyphs.get(key)
        if glyphs is None:   # as RendererAgg.draw_text does, keeping what it paints
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()
            glyphs = (np.array(font.get_image()), font.get_descent() / 64.0, xo / 64.0, yo / 64.0)
            if len(self._glyphs) >= self.MAX_TEXTS:
                self._glyphs.clear()
            self._glyphs[(s, prop.copy()) + key[2:]] = glyphs   # a copy: the text may change its font later
        image, descent, xo, yo = glyphs
        x = round(x + xo + descent * sin(radians(angle)))
        y = round(y + yo + descent * cos(radians(angle)))
        self._renderer.draw_text_image(image, x, y + 1, angle, gc)
