"""Showing figures and text in a notebook: every figure as an <img> with alt text, every text escaped."""
from __future__ import annotations

import base64
import html
import struct
import zlib

import numpy as np

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes, deterministically (no metadata), quickly (RGB, unfiltered rows, light
    compression in bands: see `_zlib_stream`; a third of the time of PIL's PNG encoder, which tries five filters on
    every row, and less again for a redrawn figure; same pixels).

    A canvas that counts the pictures it draws (`version`, see figures._canvas.BlitCanvas) gets each picture
    encoded once: an explorer figure that did not change is not encoded again (and its <img> is the same markup,
    so the page is sent nothing).
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    version = getattr(canvas, "version", None)
    cached = getattr(canvas, "coursekit_png", None)
    if version is not None and cached is not None and cached[0] == version:
        return cached[1]
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)   # 8-bit RGB, not interlaced
    bands = None
    if version is not None:   # a redrawn figure: keep its compressed bands on the canvas for the next picture
        bands = canvas.__dict__.setdefault("coursekit_bands", {})
    png = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", _zlib_stream(rgba, bands))
           + _chunk(b"IEND", b""))
    if version is not None:
        canvas.coursekit_png = (version, png)  # type: ignore[attr-defined]  # kept on the canvas that drew it
    return png


BAND_ROWS = 32   # rows compressed together, independently of the others
_LAST_BLOCK = zlib.compressobj(3, zlib.DEFLATED, -15).flush()   # an empty final deflate block: ends the stream
_ADLER_BASE = 65521


def _zlib_stream(rgba: np.ndarray, kept: dict | None = None) -> bytes:
    """The zlib stream of a PNG's rows (filter type 0, then RGB: course figures sit on white, no alpha needed).

    The rows are compressed band by band, each band on its own (a full flush after each, as parallel compressors
    do), so the same pixels always give the same bytes. A band whose pixels equal those `kept` from the last
    picture reuses its compressed bytes: an explorer's redraw that changes a few bands of a figure has only those
    converted and compressed again.
    """
    height, width = rgba.shape[:2]
    parts, adler = [], 1
    for start in range(0, height, BAND_ROWS):
        pixels = rgba[start:start + BAND_ROWS]
        key = pixels.tobytes()
        old = kept.get(start) if kept is not None else None
        if old is not None and old[0] == key:
            _, data, band_adler, size = old
        else:
            rows = np.empty((len(pixels), 1 + 3 * width), np.uint8)
            rows[:, 0] = 0
            np.copyto(rows[:, 1:].reshape(len(pixels), width, 3), pixels[..., :3])
            packer = zlib.compressobj(3, zlib.DEFLATED, -15)
            data = packer.compress(rows.data) + packer.flush(zlib.Z_FULL_FLUSH)   # ends on a byte, not the last block
            band_adler, size = zlib.adler32(rows.data), rows.size
            if kept is not None:
                kept[start] = (key, data, band_adler, size)
        parts.append(data)
        adler = _adler32_combine(adler, band_adler, size)
    return b"\x78\x5e" + b"".join(parts) + _LAST_BLOCK + struct.pack(">I", adler)


def _adler32_combine(adler1: int, adler2: int, length2: int) -> int:
    """The Adler-32 of two byte strings joined, from their own checksums and the second one's length (zlib's
    adler32_combine, which Python's zlib module does not expose)."""
    rem = length2 % _ADLER_BASE
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (adler2 & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + _ADLER_BASE - rem
    return (sum1 % _ADLER_BASE) | ((sum2 % _ADLER_BASE) << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def img_tag(fig: Figure, alt: str) -> str:
    """An <img> element with the figure inline as PNG and its text alternative.

    Its width and aspect ratio are given, so the page keeps the figure's room while a new picture loads: an explorer
    replaces its <img> on every change, and without them the page closed the gap for a frame and opened it again
    (what was below jumped, and the notebook was laid out twice)."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%;width:{width}px;height:auto;aspect-ratio:{width}/{height}" '
            f'class="coursekit-figure"/>')


class FigureOutput:
    """A figure for display: HTML <img> with alt text, PNG for other front ends, the alt text as plain text."""

    def __init__(self, fig: Figure, alt: str):
        if not alt.strip():
            raise ValueError("alt: every figure needs a text alternative that says what it shows")
        self.fig, self.alt = fig, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = figure_png(self.fig)
        return {
            "text/html": img_tag(self.fig, self.alt),
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": f"[Figure] {self.alt}",
        }

    def __repr__(self) -> str:
        return f"[Figure] {self.alt}"


def show_figure(fig: Figure, alt: str) -> FigureOutput:
    """Return the figure wrapped for display; end a notebook cell with it (no pyplot state is kept)."""
    return FigureOutput(fig, alt)


def escape(text: str) -> str:
    """HTML-escape text that goes into a widget (course text only; learner input is never rendered)."""
    return html.escape(str(text), quote=True)
