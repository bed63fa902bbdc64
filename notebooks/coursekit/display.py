"""Showing figures and text in a notebook: every figure as an <img> with alt text, every text escaped."""
from __future__ import annotations

import base64
import html
import struct
import zlib

import numpy as np
from PIL import Image

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes, deterministically (no metadata), quickly (RGB, unfiltered rows, light
    compression: about half the time of PIL's PNG encoder, which tries five filters on every row; same pixels).

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
    rgba = canvas.buffer_rgba()
    height, width = np.asarray(rgba).shape[:2]
    # course figures sit on white: no alpha channel needed. PIL drops it in C (a numpy [..., :3] view is not
    # contiguous: copying it takes as long as compressing)
    rgb = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    rows = np.zeros((height, 1 + 3 * width), np.uint8)   # each row: filter type 0 (none), then its pixels
    rows[:, 1:] = np.frombuffer(rgb.tobytes(), np.uint8).reshape(height, 3 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)   # 8-bit RGB, not interlaced
    png = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.data, 3))
           + _chunk(b"IEND", b""))
    if version is not None:
        canvas.coursekit_png = (version, png)  # type: ignore[attr-defined]  # kept on the canvas that drew it
    return png


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def img_tag(fig: Figure, alt: str) -> str:
    """An <img> element with the figure inline as PNG and its text alternative."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    width, _ = fig.get_size_inches() * fig.dpi
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%;width:{int(width)}px" class="coursekit-figure"/>')


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
