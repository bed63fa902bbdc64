"""The course's look: Okabe-Ito colour-blind-safe palette, readable sizes, fast inline figures."""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class _NoFontCacheNote(logging.Filter):
    """Drops matplotlib's "building the font cache" note, which a learner would see as a red warning above an
    explorer: in the browser edition the kernel's home folder is in memory, so every new kernel builds the cache
    again (a second or so), and the note says nothing a learner can act on. Other font warnings still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "building the font cache" not in record.getMessage()


_font_log = logging.getLogger("matplotlib.font_manager")   # before matplotlib builds its font list on first use
if not any(isinstance(f, _NoFontCacheNote) for f in _font_log.filters):
    _font_log.addFilter(_NoFontCacheNote())

import matplotlib  # noqa: E402
from cycler import cycler  # noqa: E402

matplotlib.use("Agg")  # figures are rendered to PNG by coursekit itself; no GUI backend is ever needed

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
# Colours dark enough for text on white as they are (contrast >= 4.5:1, WCAG AA): blue, black.
# Vermillion (3.9:1) and bluish green (3.4:1) pass for lines and shapes (3:1) but not for small text:
# write text in their darker twins from text_colour().
TEXT_SAFE = ("blue", "black")
_TEXT_TWIN = {"#D55E00": "#B34700", "#009E73": "#007A5A", "#E69F00": "#8A5A00", "#56B4E9": "#1F6E9C",
              "#CC79A7": "#9C3D78"}


def text_colour(colour: str) -> str:
    """The colour to write text in for a role colour: itself if it reaches 4.5:1 on white, else a darker twin."""
    return _TEXT_TWIN.get(colour.upper(), colour)


def ink_on(fill: str) -> str:
    """Black or white, whichever contrasts more with a filled box (black on every Okabe-Ito fill but blue)."""
    from matplotlib.colors import to_rgb

    def lum(c):
        return sum(w * (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
                   for w, v in zip((0.2126, 0.7152, 0.0722), to_rgb(c)))
    return "black" if (lum(fill) + 0.05) / 0.05 >= 1.05 / (lum(fill) + 0.05) else "white"


# Roles used across the course, so one concept keeps one colour (and always a label or hatch besides).
ROLE_COLOURS = {
    "biologic": OKABE_ITO["blue"],
    "cell_therapy": OKABE_ITO["vermillion"],
    "small_molecule": OKABE_ITO["orange"],
    "stem_cell": OKABE_ITO["bluish_green"],
    "discarded": "#7F7F7F",
    "highlight": OKABE_ITO["reddish_purple"],
    "neutral": OKABE_ITO["sky_blue"],
}

COURSE_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=[OKABE_ITO[k] for k in
                                     ("blue", "vermillion", "bluish_green", "orange", "reddish_purple",
                                      "sky_blue", "black")]),
    "lines.linewidth": 2.0,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "svg.hashsalt": "coursekit",
}


@contextlib.contextmanager
def context() -> Iterator[None]:
    """Draw with the course style; figure functions wrap their construction in this."""
    with matplotlib.rc_context(COURSE_RC):
        yield


def apply() -> None:
    """Make the course style the default in this kernel and make inline figures quick to redraw."""
    matplotlib.rcParams.update(COURSE_RC)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there in a notebook
        return
    shell = get_ipython()
    if shell is not None:
        # bbox_inches=None skips a second layout pass per redraw (measured ~90 -> 72 ms slider-to-paint).
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': None}")
