"""The single-choice "Check your understanding" widget: radio options, Check, feedback on every option, Try again."""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..display import escape
from .markup import plain, status_box

# Long answer options wrap onto several lines instead of running into the option below.
# Radio buttons get a 20 px target inside a 24 px row (WCAG 2.2 target size), in every course widget.
_CSS = ("<style>.coursekit-check .widget-radio-box label{white-space:normal;height:auto;line-height:1.35;"
        "margin:2px 0 6px 0;align-items:flex-start}.coursekit-check .widget-radio-box input{margin-top:3px}"
        ".widget-radio-box input[type=radio]{width:20px;height:20px;min-width:20px}"
        ".widget-radio-box label{min-height:24px}</style>")
from ..questions import Question

AnswerCallback = Callable[[Question, str, bool], None]


def _status(html_body: str, kind: str) -> str:
    """Feedback markup: announced by screen readers (role=status), marked by words and symbols, not colour alone."""
    return status_box(html_body, kind)


class CheckQuestion(widgets.VBox):
    """A check question from a bank; learner choices are read as option indices, never evaluated or rendered."""

    def __init__(self, question: Question):
        self.question = question
        self.attempts = 0
        self.correct: bool | None = None
        self.prompt = widgets.HTML(f"{_CSS}<b>Check your understanding.</b> {escape(question.prompt)}")
        self.choices = widgets.RadioButtons(
            options=[(o.text, i) for i, o in enumerate(question.options)], value=None,
            layout=widgets.Layout(width="auto"), style={"description_width": "0px"})
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check",
                                           tooltip="Check your answer")
        self.retry_button = widgets.Button(description="Try again", icon="refresh",
                                           tooltip="Clear your answer and choose again",
                                           layout=widgets.Layout(display="none"))
        self.feedback = widgets.HTML("")
        self._answer_callbacks = widgets.CallbackDispatcher()
        self.check_button.on_click(self._on_check)
        self.retry_button.on_click(self._on_retry)
        super().__init__([self.prompt, self.choices,
                          widgets.HBox([self.check_button, self.retry_button]), self.feedback],
                         layout=widgets.Layout(border="1px solid #BBB", padding="8px", margin="8px 0"))
        self.add_class("coursekit-check")

    # -- what a learner sees -------------------------------------------------------------------
    @property
    def feedback_text(self) -> str:
        """The feedback as plain text (for tests and the plain-text view)."""
        return plain(self.feedback.value)

    def __repr__(self) -> str:
        state = "not answered yet" if self.correct is None else ("answered correctly" if self.correct
                                                                  else "answered, not yet correct")
        return f"CheckQuestion({self.question.notebook}/{self.question.id}: {state})"

    # -- behaviour -------------------------------------------------------------------------------
    def _on_check(self, _button=None) -> None:
        index = self.choices.value
        if index is None:
            self.feedback.value = _status("Pick one of the answers first, then press <b>Check</b>.", "info")
            return
        option = self.question.options[index]
        self.attempts += 1
        self.correct = option.correct
        if option.correct:
            others = "".join(f"<li><i>{escape(o.text)}</i>: {escape(o.feedback)}</li>"
                             for o in self.question.options if not o.correct)
            body = (f"<b>✓ Correct.</b> {escape(option.feedback)}"
                    f"<details><summary>Why the other answers are wrong</summary><ul>{others}</ul></details>")
            self.feedback.value = _status(body, "right")
        else:
            self.feedback.value = _status(f"<b>✗ Not quite.</b> {escape(option.feedback)} "
                                          "Press <b>Try again</b> to choose another answer.", "wrong")
        self.choices.disabled = True
        self.check_button.disabled = True
        self.retry_button.layout.display = ""  # shown; not None, which the browser edition never receives
        for callback in list(self._answer_callbacks.callbacks):
            try:
                callback(self.question, option.text, option.correct)
            except Exception as exc:  # a failing progress store must never break the question
                self.feedback.value += _status(f"(Your answer could not be saved: {escape(exc)})", "info")

    def on_answer(self, callback: AnswerCallback, remove: bool = False) -> None:
        """Call ``callback(question, chosen_option_text, correct)`` after every Check (e.g. to save progress)."""
        self._answer_callbacks.register_callback(callback, remove=remove)

    def _on_retry(self, _button=None) -> None:
        self.choices.disabled = False
        self.check_button.disabled = False
        self.choices.value = None
        self.feedback.value = ""
        self.retry_button.layout.display = "none"

    # -- for tests and instructors ---------------------------------------------------------------
    def choose(self, option_text: str) -> None:
        """Select the option with this text (what a click on the radio button does)."""
        texts = [o.text for o in self.question.options]
        self.choices.value = texts.index(option_text)

    def click_check(self) -> None:
        self.check_button.click()

    def click_retry(self) -> None:
        self.retry_button.click()
