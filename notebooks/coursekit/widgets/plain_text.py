"""The plain-text form of a course widget: what GitHub, nbviewer and a notebook that has not run yet show.

ipywidgets stores ``repr(widget)`` as the output's text/plain. A Python repr such as ``CheckQuestion(...)`` means
nothing to a learner, so every course widget's repr says what to do instead (the shared widget base, widgets/base.py,
gives the same text to the widgets built on it).
"""
from __future__ import annotations

RUN_HINT = "▶ Run this cell (Shift+Enter) to show "


def run_hint(what: str) -> str:
    """'▶ Run this cell (Shift+Enter) to show the size comparer' for a widget that shows ``what``."""
    return RUN_HINT + what
