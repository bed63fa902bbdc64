"""coursekit: the course's own Python package. Notebooks call it in one-liners.

Layers (a lower one never imports a higher one; tests/test_layers.py checks the import graph):
coursekit/data -> paths, facts, questions, course, glossary, progress -> models -> figures -> widgets -> this
module's notebook API (setup, check, sources). Importing ``coursekit`` or a model loads no widget, IPython or
matplotlib: the notebook API imports what it needs when it is called.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from IPython.display import Markdown

    from .widgets.quiz import CheckItem

__all__ = ["setup", "check", "show_figure", "sources", "class_view"]


def setup() -> None:
    """Set up a notebook: course figure style, fast inline figures; say so if the front end needs a word.

    Prints nothing in JupyterLab or Notebook 7 with matching widget versions (the usual case, and the stored
    outputs). In Voila's app mode it says that every cell has already run; if the widget front end cannot draw
    this kernel's ipywidgets (a hub whose versions drifted) it says what is wrong and where the fix is.
    """
    from . import frontend, style

    style.apply()
    notes = []
    if frontend.in_voila():
        notes.append(frontend.voila_note())
    mismatch = frontend.widget_mismatch()
    if mismatch:
        notes.append(mismatch)
    if notes:
        from IPython.display import Markdown, display

        for note in notes:
            display(Markdown(f"**Note:** {note}"))


def check(notebook: str, question_id: str) -> CheckItem:
    """A check item (or belief poll) from the notebook's bank in coursekit/data/questions; every attempt is saved,
    the first one kept for good."""
    from .questions import question
    from .widgets.quiz import item_widget, save_attempt

    widget = item_widget(question(notebook, question_id))
    widget.on_answer(save_attempt)
    return widget


def show_figure(*args, **kwargs):
    """Show a figure as an image with alt text (see coursekit.display.show_figure)."""
    from .display import show_figure as _show

    return _show(*args, **kwargs)


def sources(notebook: str | list[str] | None = None) -> Markdown:
    """The Sources table: every sourced number this notebook used, plus those its prose quotes, and notes on sources.

    ``coursekit.sources("03_manufacturing_divide")`` reads the quoted keys and notes from coursekit/data/sources.json,
    so the learner's Sources cell holds no list. A list of keys is still accepted (older notebooks).
    """
    from IPython.display import Markdown

    from . import facts

    keys = facts.used_keys()
    if isinstance(notebook, str):
        extra, notes = facts.notebook_sources(notebook)
    else:
        extra, notes = list(notebook or []), []
    for key in extra:
        facts.get(key)
        if key not in keys:
            keys.append(key)
    text = facts.sources_markdown(keys)
    if notes:
        text += "\n\n**Notes on the sources**\n\n" + "\n".join(f"- {note}" for note in notes)
    return Markdown(text)


def class_view(folder: str, names: bool = False) -> None:
    """For instructors: show the class view of a folder of learners' progress files (figures to project).

    Per item, how many chose each answer first and now, and the misconceptions most held at first. Anonymous unless
    names=True; files that cannot be counted are listed with the reason; learners' files are only read.
    """
    from IPython.display import HTML, display

    from . import classview
    from .display import escape, show_figure
    from .figures import class_view as class_figures

    view = classview.collect(folder, names=names)
    lines = [f"<p><strong>{view.learners}</strong> learner file(s) counted.</p>"]
    lines += [f"<p>{escape(s.line() if names else 'skipped a file: ' + s.reason)}</p>" for s in view.skipped]
    display(HTML("".join(lines)))
    for _name, fig, alt in class_figures.figures(view):
        display(show_figure(fig, alt))
