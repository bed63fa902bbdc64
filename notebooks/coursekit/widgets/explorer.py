"""The one explorer pattern every notebook uses: controls -> model -> summary + figure, errors shown kindly."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..display import escape, img_tag
from .markup import alert_box, img_alt, plain


@dataclass
class View:
    """What an explorer shows after an update: summary lines (plain text), an optional figure and its alt text."""

    summary: list[str]
    figure: Figure | None = None
    alt: str = ""
    flags: tuple[str, ...] = ()  # warnings worth a learner's attention, shown with a ⚠ symbol

    def __post_init__(self):
        if self.figure is not None and not self.alt.strip():
            raise ValueError("alt: an explorer figure needs a text alternative")


class Explorer(widgets.VBox):
    """Controls on top; "Predict first, then try" prompt; a live summary and figure below.

    `update(**control_values)` returns a View. A ValueError from the model is shown as a message in the
    widget (never a traceback); the last good summary and figure stay, and the next valid change clears it.
    """

    def __init__(self, title: str, prompt: str, controls: Mapping[str, widgets.ValueWidget],
                 update: Callable[..., View], columns: int = 2, description_width: str = "initial"):
        self.title, self.prompt, self.controls, self._update = title, prompt, dict(controls), update
        self.update_count = 0
        self.last_view: View | None = None
        self.header = widgets.HTML(
            f"<h3 style='margin:4px 0;font-size:1.1em'>{escape(title)}</h3>"
            f"<p style='margin:2px 0'><b>Predict first, then try:</b> {escape(prompt)}</p>")
        for control in self.controls.values():
            if "continuous_update" in control.traits():
                control.continuous_update = False  # one model run per change, not per pixel dragged
            # "initial" fits each label; a fixed width (e.g. "250px") lines up the sliders of a one-column explorer
            control.style.description_width = description_width
            if control.layout.width is None:  # share the row: long descriptions must not squeeze the slider track
                control.layout.width = f"{96 // columns}%"
            control.observe(self._on_change, names="value")
        boxes = list(self.controls.values())
        rows = [widgets.HBox(boxes[i:i + columns]) for i in range(0, len(boxes), columns)]
        self.message = widgets.HTML("")
        self.summary = widgets.HTML("")
        self.figure = widgets.HTML("")
        super().__init__([self.header, *rows, self.message, self.summary, self.figure],
                         layout=widgets.Layout(border="1px solid #BBB", padding="8px", margin="8px 0"))
        self.add_class("coursekit-explorer")
        self.refresh()

    # -- what a learner sees -------------------------------------------------------------------
    @property
    def summary_text(self) -> str:
        return plain(self.summary.value)

    @property
    def message_text(self) -> str:
        return plain(self.message.value)

    @property
    def figure_alt(self) -> str:
        return img_alt(self.figure.value)

    def __repr__(self) -> str:
        from .base import run_hint

        return run_hint(f"the explorer “{self.title}”")

    # -- behaviour -------------------------------------------------------------------------------
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> None:
        """Run the model with the current control values and redraw."""
        try:
            view = self._update(**self.values())
        except ValueError as exc:
            self.message.value = alert_box(str(exc))
            return
        self.update_count += 1
        self.last_view = view
        self.message.value = ""
        lines = "".join(f"<li>{escape(line)}</li>" for line in view.summary)
        flags = "".join(f"<li><b>⚠ {escape(flag)}</b></li>" for flag in view.flags)
        self.summary.value = (f'<div role="status" aria-live="polite" class="coursekit-summary">'
                              f"<ul style='margin:4px 0'>{lines}{flags}</ul></div>")
        if view.figure is not None:
            self.figure.value = img_tag(view.figure, view.alt)

    def _on_change(self, _change=None) -> None:
        self.refresh()
