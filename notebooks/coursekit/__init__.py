"""coursekit: the course's own Python package. Notebooks call it in one-liners.

Layers (a lower one never imports a higher one):
assets/data -> facts / questions -> models -> figures -> widgets -> notebooks.
"""
from __future__ import annotations

from IPython.display import Markdown

from . import facts, style
from .display import show_figure
from .questions import question
from .widgets.quiz import CheckQuestion

__all__ = ["setup", "check", "show_figure", "sources", "facts", "style"]


def setup() -> None:
    """Set up a notebook: course figure style, fast inline figures."""
    style.apply()
    from . import progress  # every check question's latest answer is saved (coursekit/progress.py)
    progress.install()


def check(notebook: str, question_id: str) -> CheckQuestion:
    """A "Check your understanding" question from the notebook's bank in assets/data/questions."""
    return CheckQuestion(question(notebook, question_id))


def sources(extra_keys: list[str] | None = None) -> Markdown:
    """The Sources table: every sourced number this notebook used (plus extra keys quoted in the prose)."""
    keys = facts.used_keys()
    for key in extra_keys or []:
        facts.get(key)
        if key not in keys:
            keys.append(key)
    return Markdown(facts.sources_markdown(keys))
