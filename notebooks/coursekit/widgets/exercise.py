"""The one exercise pattern: choices -> grade with a model function -> feedback -> again.

An `Exercise` is a `CourseBox` with answer controls, a Check button and a Start again / Try again button. The
subclass says how to read the answer from its controls, which model function grades it, and how to paint the
state; the base keeps the state (current answer, first and latest attempt), shows grading errors as a message
(never a traceback), and calls the widget's own `on_answer` callbacks after every graded attempt.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import ipywidgets as widgets

from .base import CourseBox

A = TypeVar("A")  # what the learner answered (read from the controls)
R = TypeVar("R")  # what the model said about it


@dataclass(frozen=True)
class Attempt(Generic[A, R]):
    """One graded answer: what was chosen, the model's verdict, whether it was right (None: not a right/wrong item)."""

    answer: A
    result: R
    correct: bool | None
    number: int      # 1 for the first attempt
    at: float        # time.time() when it was graded


@dataclass
class ExerciseState(Generic[A, R]):
    """Everything an exercise shows; the view is painted from this and tests read it."""

    answer: A | None = None                 # the current choices
    first: Attempt[A, R] | None = None      # kept for good: what the learner first answered
    latest: Attempt[A, R] | None = None
    attempts: int = 0
    checked: bool = False                   # the feedback on screen belongs to the current choices
    message: str = ""                       # plain text of an alert (grading error); "" when all is well
    hint: str = ""                          # what to do before Check can grade ("Pick a host first")
    notice: str = ""                        # a one-off remark after an action ("Cleared: ...")
    save_error: str = ""                    # an on_answer callback failed (the answer was graded, not saved)

    @property
    def result(self) -> R | None:
        """The verdict on screen, or None when the current choices have not been checked."""
        return self.latest.result if self.checked and self.latest is not None else None


class Exercise(CourseBox, Generic[A, R]):
    """Choices -> Check -> model verdict -> feedback -> change and check again (or Try again).

    Subclasses implement `read_answer`, `grade`, `paint`, and usually `missing`, `is_correct`, `clear_answer`.
    With `lock_after_check`, the controls lock after Check and a "Try again" button unlocks them (a check
    question); otherwise the controls stay live, and changing one clears the old verdict (a sorting exercise).
    """

    def __init__(self, title: str | None, prompt: str = "", *, what: str, inputs: Sequence[widgets.Widget] = (),
                 check_label: str = "Check", again_label: str | None = "Start again", lock_after_check: bool = False,
                 after: Sequence[widgets.Widget] = (), key: str = "", **box_options: Any):
        self.key = key  # e.g. "01_what_biologics_are/classifier", for a progress store
        self.state: ExerciseState[A, R] = ExerciseState()
        self.lock_after_check = lock_after_check
        self._answer_handlers = widgets.CallbackDispatcher()
        self._quiet = False
        self._watched: list[widgets.ValueWidget] = []
        self.check_button = widgets.Button(description=check_label, button_style="primary", icon="check",
                                           tooltip=check_label)
        self.again_button = widgets.Button(description=again_label or "", icon="refresh", tooltip=again_label or "",
                                           layout=widgets.Layout(display="none" if lock_after_check else None))
        self.check_button.on_click(lambda _b: self.check())
        self.again_button.on_click(lambda _b: self.again())
        # again_label=None: no such button (the controls themselves are the way to answer again)
        self.buttons = widgets.HBox([self.check_button, self.again_button] if again_label else [self.check_button])
        super().__init__(title, prompt, what=what, body=[*inputs, self.buttons], after=after, **box_options)

    # -- what a subclass provides --------------------------------------------------------------------
    def read_answer(self) -> A:
        """The learner's current choices, read from the controls."""
        raise NotImplementedError

    def missing(self, answer: A) -> str:
        """What the learner must choose before Check can grade ("" when the answer can be graded)."""
        return ""

    def grade(self, answer: A) -> R:
        """Call the model function; a ValueError's message is shown to the learner."""
        raise NotImplementedError

    def is_correct(self, result: R) -> bool | None:
        return None

    def clear_answer(self) -> None:
        """Put every control back to "not chosen" (called with change events muted)."""

    def paint(self) -> None:
        """Paint the live region and the subclass's own parts from `self.state`."""
        raise NotImplementedError

    # -- wiring -----------------------------------------------------------------------------------------
    def watch(self, *controls: widgets.ValueWidget) -> None:
        """Every change of these controls is a new answer: the old verdict goes, the view is repainted."""
        for control in controls:
            control.observe(self._on_input, names="value")
            self._watched.append(control)

    def on_answer(self, callback: Callable[[Exercise, Attempt], Any], remove: bool = False) -> None:
        """Register (or remove) callback(widget, attempt), called after every graded attempt.

        A failing callback (a progress store on a full disk) never breaks the exercise: the learner is told
        the answer could not be saved, and the feedback stays.
        """
        self._answer_handlers.register_callback(callback, remove=remove)

    def start(self) -> None:
        """Paint the first view; call at the end of a subclass's __init__."""
        self.state.answer = self.read_answer()
        self.render()

    # -- behaviour ------------------------------------------------------------------------------------------
    def render(self) -> None:
        s = self.state
        if s.message:
            self.show_message(s.message, heading="That choice cannot be graded:")
        elif s.save_error:
            self.show_message(s.save_error, heading="Your answer could not be saved:",
                              after="Your feedback is still shown below.")
        else:
            self.show_hint(s.hint)
        locked = self.lock_after_check and s.checked
        for control in self._watched:
            control.disabled = locked
        self.check_button.disabled = locked
        if self.lock_after_check:
            self.again_button.layout.display = "" if s.checked else "none"
        self.paint()

    def _on_input(self, _change=None) -> None:
        if self._quiet:
            return
        s = self.state
        s.answer = self.read_answer()
        s.checked, s.message, s.hint, s.notice, s.save_error = False, "", "", "", ""
        self.render()

    def check(self) -> None:
        """Grade the current choices with the model and show the verdict (what the Check button does)."""
        s = self.state
        s.answer = self.read_answer()
        s.notice, s.save_error = "", ""
        s.hint = self.missing(s.answer)
        if s.hint:
            s.message, s.checked = "", False
            self.render()
            return
        try:
            result = self.grade(s.answer)
        except ValueError as exc:
            s.message, s.checked = str(exc), False
            self.render()
            return
        except Exception as exc:  # a bug in the course code: say so in the widget, never as a traceback
            s.message = f"the course code failed ({type(exc).__name__}: {exc}). Please tell your instructor."
            s.checked = False
            self.render()
            return
        s.message = ""
        s.attempts += 1
        attempt: Attempt[A, R] = Attempt(s.answer, result, self.is_correct(result), s.attempts, time.time())
        if s.first is None:
            s.first = attempt
        s.latest, s.checked = attempt, True
        for callback in list(self._answer_handlers.callbacks):
            try:
                callback(self, attempt)
            except Exception as exc:  # a failing store must never break the exercise
                s.save_error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
        self.render()

    def again(self) -> None:
        """Clear the choices and start again (first attempt and attempt count are kept)."""
        self._quiet = True
        try:
            self.clear_answer()
        finally:
            self._quiet = False
        s = self.state
        s.answer = self.read_answer()
        s.checked, s.message, s.hint, s.save_error = False, "", "", ""
        s.notice = "cleared"
        self.render()

    # -- for tests and instructors ------------------------------------------------------------------------
    def click_check(self) -> None:
        self.check_button.click()

    def click_again(self) -> None:
        self.again_button.click()
