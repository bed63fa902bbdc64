"""Showing figures and text in a notebook: every figure as an <img> with alt text, every text escaped."""
from __future__ import annotations

import base64
import html
import io

import numpy as np
from PIL import Image

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes, deterministically (no metadata), quickly (RGB, light compression).

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
    # contiguous, and Image.fromarray copied it pixel by pixel: a third of the encoding time); same PNG bytes.
    rgb = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    rgb.save(buffer, format="png", compress_level=3)
    png = buffer.getvalue()
    if version is not None:
        canvas.coursekit_png = (version, png)  # type: ignore[attr-defined]  # kept on the canvas that drew it
    return png


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
