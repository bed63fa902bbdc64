"""The course box every course widget is: header, frame, message area, live region, and a plain-text stand-in.

A course widget keeps what it shows in a small state object (a dataclass) and paints its view from it; tests read
the state, the browser test reads what is painted. Where the widget has not run (GitHub, nbviewer, an unrun
notebook) a reader sees the text/plain form instead: "▶ Run this cell (Shift+Enter) to show <what>".
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import ipywidgets as widgets

from ..display import escape
from .markup import alert_box, plain, status_box

FRAME = {"border": "1px solid #BBB", "padding": "8px", "margin": "8px 0"}
RUN_HINT = "▶ Run this cell (Shift+Enter) to show "
_REPR_MAX = 110  # ipywidgets cuts the text/plain form of a widget after 110 characters


def header_html(title: str | None, prompt: str = "", prompt_label: str = "Predict first, then try:") -> str:
    """The course box header: an h3 title and a one-line prompt (course text, escaped here)."""
    parts = []
    if title:
        parts.append(f"<h3 style='margin:4px 0;font-size:1.1em'>{escape(title)}</h3>")
    if prompt:
        label = f"<b>{escape(prompt_label)}</b> " if prompt_label else ""
        parts.append(f"<p style='margin:2px 0'>{label}{escape(prompt)}</p>")
    return "".join(parts)


class PlainText:
    """A read-only attribute: the text a learner reads in one HTML child of a widget (for tests, plain views).

    `status_text = PlainText("live")` on a widget class gives `widget.status_text == plain(widget.live.value)`.
    """

    def __init__(self, child: str):
        self.child = child

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> PlainText: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> PlainText | str:
        return self if obj is None else plain(getattr(obj, self.child).value)


def run_hint(what: str) -> str:
    """The text/plain form of a course widget: what a reader of an unrun notebook sees instead of the widget."""
    text = RUN_HINT + what.strip().rstrip(".")
    return text if len(text) <= _REPR_MAX else text[:_REPR_MAX - 1].rstrip() + "…"


class CourseBox(widgets.VBox):
    """The shared frame: header (h3 + prompt), the widget's own body, a message area, a live region, extras.

    - `message`: alerts (bad input, a grading error), painted with `markup.alert_box`; empty when all is well.
    - `live`: results and feedback, announced to screen readers (role=status, aria-live=polite).
    - `what`: the short noun phrase for the plain-text form ("the size comparer").
    Subclasses keep their state in a dataclass and paint `message`/`live` from it with `show_message`/`announce`.
    """

    def __init__(self, title: str | None, prompt: str = "", *, what: str, body: Sequence[widgets.Widget] = (),
                 after: Sequence[widgets.Widget] = (), prompt_label: str = "Predict first, then try:",
                 css_class: str = "coursekit-explorer", header_extra: str = ""):
        if not what.strip():
            raise ValueError("what: a course widget needs a short description for its plain-text form")
        self.title, self.prompt, self.what = title, prompt, what
        self.header = widgets.HTML(header_extra + header_html(title, prompt, prompt_label))
        self.message = widgets.HTML("")
        self.live = widgets.HTML("")
        super().__init__([self.header, *body, self.message, self.live, *after], layout=widgets.Layout(**FRAME))
        self.add_class(css_class)

    # -- painting --------------------------------------------------------------------------------
    def show_message(self, text: str | None, after: str = "The widget still works: try another choice.",
                     heading: str = "That setting cannot be used:") -> None:
        """An alert in the message area (plain text, escaped here); None or "" clears it."""
        self.message.value = alert_box(text, after, heading=heading) if text else ""

    def show_hint(self, text: str | None) -> None:
        """A request before the widget can act ("Pick a host first"), announced as an alert; None clears it."""
        self.message.value = (status_box(f"<b>⚠ {escape(text)}</b>", "info", role="alert",
                                         css_class="coursekit-alert") if text else "")

    def announce(self, body_html: str, kind: str = "info") -> None:
        """Put markup (already escaped) in the live region; screen readers read it out. "" empties the region."""
        self.live.value = status_box(body_html, kind) if body_html else ""

    # -- what a learner sees, as plain text (for tests and the plain-text view) ---------------------
    message_text = PlainText("message")
    status_text = PlainText("live")

    def __repr__(self) -> str:
        return run_hint(self.what)
