"""A notebook's explorers rebuilt headless in the test process, to say what the browser should show.

The browser test replays every action it takes in JupyterLab (slider step, dropdown choice, button click) on the
mirror, and compares the announced texts (elements with role="status") of the page with the mirror's: the visible
output must be what the models compute for the same inputs, not merely different from before.
"""
from __future__ import annotations

import ast
import html
import math
import os
import re
import tempfile
from pathlib import Path

import ipywidgets
import nbformat

EXPLORER_CLASS = "coursekit-explorer"


def _run_cell(source: str, namespace: dict):
    """Execute a cell like IPython: statements, then the value of a final expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if not isinstance(last, ast.Expr):
        return None
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _descendants(child)


def _shown(widget, ancestors) -> bool:
    return all(getattr(w.layout, "display", None) != "none" and getattr(w.layout, "visibility", None) != "hidden"
               for w in (*ancestors, widget) if hasattr(w, "layout"))


def _walk_with_ancestors(widget, ancestors=()):
    yield widget, ancestors
    for child in getattr(widget, "children", ()) or ():
        yield from _walk_with_ancestors(child, (*ancestors, widget))


def squash(text: str) -> str:
    """Text compared without any whitespace (DOM textContent and widget markup space things differently)."""
    return re.sub(r"\s+", "", text)


def status_texts(widget) -> list[str]:
    """The announced texts (role="status"/"alert" markup) of a widget tree, as a reader gets them."""
    texts = []
    for w in _descendants(widget):
        value = getattr(w, "value", None)
        if isinstance(w, ipywidgets.HTML) and isinstance(value, str) and re.search(r'role="(status|alert)"', value):
            texts.append(squash(html.unescape(re.sub(r"<[^>]+>", "", value))))
    return texts


class NotebookMirror:
    """Every explorer a notebook displays, built headless in display order."""

    def __init__(self, notebook: Path, progress_file: Path | None = None):
        # Share the lab's progress file, so progress tables agree with what the learner's kernel saved.
        os.environ["COURSEKIT_PROGRESS"] = str(progress_file or Path(tempfile.mkdtemp(prefix="mirror-")) / "p.json")
        nb = nbformat.read(notebook, as_version=4)
        namespace: dict = {}
        self.explorers = []
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            value = _run_cell(cell.source, namespace)
            if isinstance(value, ipywidgets.Widget):
                self.explorers += [w for w in _descendants(value) if EXPLORER_CLASS in w._dom_classes]

    # -- replaying browser actions -----------------------------------------------------------------
    @staticmethod
    def sliders(explorer):
        return [w for w in _descendants(explorer) if isinstance(w, (ipywidgets.IntSlider, ipywidgets.FloatSlider,
                                                                      ipywidgets.FloatLogSlider,
                                                                      ipywidgets.SelectionSlider))]

    @staticmethod
    def dropdowns(explorer):
        return [w for w in _descendants(explorer) if isinstance(w, ipywidgets.Dropdown)]

    @staticmethod
    def step_slider(slider, direction: int) -> None:
        if isinstance(slider, ipywidgets.SelectionSlider):
            i = min(max(slider.index + direction, 0), len(slider.options) - 1)
            slider.index = i
        elif isinstance(slider, ipywidgets.FloatLogSlider):  # the handle moves the exponent by one step
            exponent = math.log(slider.value, slider.base) + direction * slider.step
            slider.value = slider.base ** min(max(round(exponent / slider.step) * slider.step, slider.min), slider.max)
        else:  # the browser snaps to the grid min + k * step, computed in floating point as here
            k = round((slider.value - slider.min) / slider.step) + direction
            slider.value = min(max(slider.min + k * slider.step, slider.min), slider.max)

    @staticmethod
    def choose(dropdown, label: str) -> None:
        dropdown.label = label.replace("\xa0", " ")  # the browser shows spaces in options as no-break spaces

    @staticmethod
    def click(explorer, description: str, nth: int) -> None:
        """Click the nth visible, enabled button with this description (as the browser saw them)."""
        buttons = [w for w, anc in _walk_with_ancestors(explorer)
                   if isinstance(w, ipywidgets.Button) and not w.disabled and _shown(w, anc)
                   and w.description.strip() == description.strip()]
        buttons[nth].click()
