"""The check-item widget family: single choice, two-tier, multi-select, numeric entry, and the ungraded belief poll.

Every item is an ``Exercise`` (widgets/exercise.py): native radio buttons, tick boxes, a text box and buttons, so the
keyboard alone works (Tab, arrows, Space, Enter); feedback goes to the course box's live region, announced by screen
readers (role=status); problems with an answer (an empty or non-numeric entry, a number out of range) go to the
message area (role=alert) and record nothing. Every item asks how sure the learner is. After every graded attempt
the widget calls its ``on_answer`` callbacks as ``callback(widget, attempt)``; ``coursekit.check`` registers the
progress store there (``save_attempt``), which keeps the first attempt for good. Learner input is read as indices or
parsed as a number: never evaluated or rendered.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from .. import progress
from .. import questions as bank
from ..display import escape
from ..models import assessment
from ..questions import CONFIDENCE, Question
from .exercise import Attempt, Exercise

# Long options wrap instead of running into the next one; 20 px radio and tick targets in 24 px rows (WCAG 2.2).
_CSS = ("<style>.coursekit-check .widget-radio-box label{white-space:normal;height:auto;line-height:1.35;"
        "margin:2px 0 6px 0;align-items:flex-start}.coursekit-check .widget-radio-box input{margin-top:3px}"
        ".widget-radio-box input[type=radio],.coursekit-check input[type=checkbox]"
        "{width:20px;height:20px;min-width:20px}"
        ".widget-radio-box label{min-height:24px}.coursekit-check .widget-checkbox{height:auto;width:auto}"
        ".coursekit-check .widget-checkbox label{white-space:normal;height:auto;line-height:1.35;min-height:24px}"
        ".coursekit-confidence .widget-radio-box{flex-direction:row;flex-wrap:wrap;gap:4px 18px}"
        ".coursekit-confidence .widget-label{font-weight:bold}</style>")



@dataclass(frozen=True)
class ItemAnswer:
    """What the learner has chosen so far: option indices (display order), reason, ticks or typed text, confidence."""

    choice: int | None = None
    reason: int | None = None
    ticks: frozenset[int] = frozenset()
    text: str = ""
    confidence: str | None = None


def _what(q: Question) -> str:
    prompt = q.prompt if len(q.prompt) <= 60 else q.prompt[:57].rstrip() + "…"
    return f"the question “{prompt}”"


def _radio(labels) -> widgets.RadioButtons:
    return widgets.RadioButtons(options=[(t, i) for i, t in enumerate(labels)], value=None,
                                layout=widgets.Layout(width="auto"), style={"description_width": "0px"})


class CheckItem(Exercise[ItemAnswer, assessment.Verdict]):
    """The common part of every item: prompt, answer controls (subclass), confidence, Check / Try again."""

    check_label = "Check"
    again_label: str | None = "Try again"

    def __init__(self, question: Question, inputs: list[widgets.Widget]):
        self.question = question
        # one control (a labelled radio group) keeps the stored widget state small
        self.confidence = widgets.RadioButtons(options=list(CONFIDENCE), value=None, description="How sure are you?",
                                               layout=widgets.Layout(width="auto"),
                                               style={"description_width": "initial"})
        self.confidence.add_class("coursekit-confidence")
        confidence_box = self.confidence
        label = "Your view today:" if not question.graded else "Check your understanding."
        super().__init__(None, question.prompt, what=_what(question), inputs=[*inputs, confidence_box],
                         check_label=self.check_label, again_label=self.again_label, lock_after_check=True,
                         key=f"{question.notebook}/{question.id}", prompt_label=label, css_class="coursekit-check",
                         header_extra=_CSS)
        self.watch(*self._controls(), self.confidence)
        self.start()

    # -- subclass parts ---------------------------------------------------------------------------------
    def _controls(self) -> list[widgets.ValueWidget]:
        raise NotImplementedError

    def _missing_choice(self, a: ItemAnswer) -> str:
        return "" if a.choice is not None else "Pick one of the answers first, then press Check."

    def missing(self, answer: ItemAnswer) -> str:
        return self._missing_choice(answer) or (
            "" if answer.confidence else "Say how sure you are (under the answers), then press Check.")

    def is_correct(self, result: assessment.Verdict) -> bool | None:
        return result.correct

    # -- painting -------------------------------------------------------------------------------------------
    def paint(self) -> None:
        s = self.state
        if s.checked and s.latest is not None:
            self.announce(*self._feedback(s.latest.result))
        elif s.notice == "cleared":
            self.announce("Cleared: choose again. Your first answer is kept for your profile.", "info")
        else:
            self.announce("")

    def _belief_note(self, v: assessment.Verdict) -> str:
        """For a wrong answer: the common belief behind it, so the learner can name it (and see it in 05)."""
        known = bank.misconceptions()
        beliefs = [known[m].belief for m in v.misconceptions if m in known]
        if not beliefs:
            return ""
        sure = self.state.latest is not None and self.state.latest.answer.confidence == CONFIDENCE[-1]
        lead = "You were sure, so this is worth a second look: " if sure else ""
        return (f"<p style='margin:4px 0 0 0'>{lead}this answer matches a common belief, "
                f"<i>“{escape(beliefs[0])}”</i></p>")

    def _first_note(self) -> str:
        s = self.state
        if s.first is None or s.latest is None or s.latest.number == 1:
            return ""
        return (f"<p style='margin:4px 0 0 0'>Your first answer, kept for your profile: "
                f"<i>{escape(s.first.result.answer_text)}</i>.</p>")

    def _feedback(self, v: assessment.Verdict) -> tuple[str, str]:
        why = "".join(f"<p style='margin:2px 0'>{('<i>' + escape(t) + '</i>: ') if t else ''}{escape(fb)}</p>"
                      for t, fb in v.feedback if fb)
        if v.correct:
            return f"<b>✓ Correct.</b>{why}{self._others()}{self._first_note()}", "right"
        return (f"<b>✗ Not quite.</b>{why}{self._belief_note(v)}"
                f"<p style='margin:4px 0 0 0'>Press <b>Try again</b> to answer again.</p>", "wrong")

    def _others(self) -> str:
        return ""

    # -- for tests and instructors ----------------------------------------------------------------------------
    @property
    def feedback_text(self) -> str:
        return self.status_text

    @property
    def correct(self) -> bool | None:
        return self.state.latest.correct if self.state.latest is not None else None

    @property
    def attempts(self) -> int:
        return self.state.attempts

    def set_confidence(self, level: str = "Fairly sure") -> None:
        self.confidence.value = level

    def click_retry(self) -> None:
        self.click_again()

    @property
    def retry_button(self) -> widgets.Button:
        return self.again_button


class SingleItem(CheckItem):
    """One right option among 2 to 6."""

    def __init__(self, question: Question):
        self.choices = _radio([o.text for o in question.options])
        super().__init__(question, [self.choices])

    def _controls(self):
        return [self.choices]

    def read_answer(self) -> ItemAnswer:
        return ItemAnswer(choice=self.choices.value, confidence=self.confidence.value)

    def grade(self, a: ItemAnswer) -> assessment.Verdict:
        assert a.choice is not None  # _missing_choice is checked before grading
        return assessment.grade_single(self.question, a.choice)

    def clear_answer(self) -> None:
        self.choices.value = None

    def _others(self) -> str:
        others = "".join(f"<li><i>{escape(o.text)}</i>: {escape(o.feedback)}</li>"
                         for o in self.question.options if not o.correct)
        return f"<details><summary>Why the other answers are wrong</summary><ul>{others}</ul></details>"

    def choose(self, option_text: str) -> None:
        """Select the option with this text (what a click on the radio button does)."""
        self.choices.value = [o.text for o in self.question.options].index(option_text)


class TwoTierItem(CheckItem):
    """An answer, then the reason for it; right only when both are right."""

    def __init__(self, question: Question):
        self.choices = _radio([o.text for o in question.options])
        self.reason_label = widgets.HTML(f"<b>{escape(question.reason_prompt)}</b>")
        self.reasons = _radio([o.text for o in question.reasons])
        super().__init__(question, [self.choices, self.reason_label, self.reasons])

    def _controls(self):
        return [self.choices, self.reasons]

    def read_answer(self) -> ItemAnswer:
        return ItemAnswer(choice=self.choices.value, reason=self.reasons.value, confidence=self.confidence.value)

    def _missing_choice(self, a: ItemAnswer) -> str:
        if a.choice is None:
            return "Pick an answer first, then its reason, then press Check."
        return "" if a.reason is not None else "Now pick the reason for your answer, then press Check."

    def grade(self, a: ItemAnswer) -> assessment.Verdict:
        assert a.choice is not None and a.reason is not None  # _missing_choice is checked before grading
        return assessment.grade_two_tier(self.question, a.choice, a.reason)

    def clear_answer(self) -> None:
        self.choices.value = None
        self.reasons.value = None

    def _feedback(self, v: assessment.Verdict) -> tuple[str, str]:
        if v.correct or v.tiers[0] == v.tiers[1]:
            return super()._feedback(v)
        part = "your answer is right, but not the reason" if v.tiers[0] else "your reason is sound, but not the answer"
        why = "".join(f"<p style='margin:2px 0'><i>{escape(t)}</i>: {escape(fb)}</p>" for t, fb in v.feedback)
        return (f"<b>✗ Half right:</b> {escape(part)}.{why}{self._belief_note(v)}"
                f"<p style='margin:4px 0 0 0'>Press <b>Try again</b> to answer again.</p>", "wrong")

    def choose(self, option_text: str) -> None:
        self.choices.value = [o.text for o in self.question.options].index(option_text)

    def choose_reason(self, reason_text: str) -> None:
        self.reasons.value = [o.text for o in self.question.reasons].index(reason_text)


class _TickItem(CheckItem):
    def __init__(self, question: Question, inputs_before: Sequence[widgets.Widget] = ()):
        self.boxes = [widgets.Checkbox(value=False, description=o.text, indent=False,
                                       layout=widgets.Layout(width="auto")) for o in question.options]
        super().__init__(question, [*inputs_before, widgets.VBox(self.boxes)])

    def _controls(self):
        return self.boxes

    def read_answer(self) -> ItemAnswer:
        return ItemAnswer(ticks=frozenset(i for i, b in enumerate(self.boxes) if b.value),
                          confidence=self.confidence.value)

    def clear_answer(self) -> None:
        for b in self.boxes:
            b.value = False

    def tick(self, *texts: str) -> None:
        """Tick exactly these options (what clicks on the tick boxes do)."""
        labels = [o.text for o in self.question.options]
        unknown = [t for t in texts if t not in labels]
        if unknown:
            raise KeyError(f"no option {unknown[0]!r}")
        for b, label in zip(self.boxes, labels):
            b.value = label in texts


class MultiItem(_TickItem):
    """Tick every right option; right only when the ticks match exactly."""

    def _missing_choice(self, a: ItemAnswer) -> str:
        return "" if a.ticks else "Tick every answer you think is right, then press Check."

    def grade(self, a: ItemAnswer) -> assessment.Verdict:
        return assessment.grade_multi(self.question, a.ticks)

    def _feedback(self, v: assessment.Verdict) -> tuple[str, str]:
        rows = "".join(f"<li>{escape(t)}. {escape(fb)}</li>" for t, fb in v.feedback)
        if v.correct:
            return f"<b>✓ Correct: you ticked exactly the right ones.</b><ul>{rows}</ul>{self._first_note()}", "right"
        latest = self.state.latest
        assert latest is not None  # feedback follows a graded attempt
        ticks = latest.answer.ticks
        wrongly = [o for i, o in enumerate(self.question.options) if i in ticks and not o.correct]
        missed = sum(1 for i, o in enumerate(self.question.options) if i not in ticks and o.correct)
        if self.state.attempts >= 2:
            detail = f"<ul>{rows}</ul>"
        else:
            detail = "".join(f"<p style='margin:2px 0'><i>{escape(o.text)}</i>: {escape(o.feedback)}</p>"
                             for o in wrongly)
            if missed:
                detail += (f"<p style='margin:2px 0'>You left out {missed} right answer{'s' if missed > 1 else ''}."
                           "</p>")
        return (f"<b>✗ Not quite.</b>{detail}{self._belief_note(v)}"
                f"<p style='margin:4px 0 0 0'>Press <b>Try again</b> to answer again.</p>", "wrong")


class NumericItem(CheckItem):
    """Type a number in the item's unit; right within the tolerance of the answer computed from sourced facts."""

    def __init__(self, question: Question):
        self.entry = widgets.Text(value="", placeholder="a number, e.g. 2.5 or 3.8e8", continuous_update=True,
                                  layout=widgets.Layout(width="16em"), description="Your answer:",
                                  style={"description_width": "initial"})
        self.unit = widgets.HTML(f"<span style='line-height:28px'>{escape(question.unit)} "
                                 f"(answers {escape(assessment.tolerance_text(question))} count as right)</span>")
        super().__init__(question, [widgets.HBox([self.entry, self.unit])])

    def _controls(self):
        return [self.entry]

    def read_answer(self) -> ItemAnswer:
        return ItemAnswer(text=self.entry.value, confidence=self.confidence.value)

    def _missing_choice(self, a: ItemAnswer) -> str:
        return "" if a.text.strip() else "Type your answer in the box first (a number, without the unit)."

    def grade(self, a: ItemAnswer) -> assessment.Verdict:
        return assessment.grade_numeric(self.question, a.text)

    def show_message(self, text, after="Your typed answer is still in the box; nothing was recorded.",
                     heading="That answer cannot be checked:") -> None:
        super().show_message(text, after="Your typed answer is still in the box; nothing was recorded.",
                             heading="That answer cannot be checked:")

    def clear_answer(self) -> None:
        self.entry.value = ""

    def _feedback(self, v: assessment.Verdict) -> tuple[str, str]:
        from ..facts import format_number

        if v.correct:
            assert v.expected is not None
            return (f"<b>✓ Correct.</b> You answered {escape(v.answer_text)}; the course's model gives "
                    f"{escape(format_number(v.expected))} {escape(self.question.unit)}. {escape(v.feedback[0][1])}"
                    f"{self._first_note()}", "right")
        reveal = ""
        if self.state.attempts >= 2:
            assert v.expected is not None
            reveal = (f"<p style='margin:4px 0 0 0'>The course's model gives {escape(format_number(v.expected))} "
                      f"{escape(self.question.unit)}.</p>")
        return (f"<b>✗ Not quite.</b> You answered {escape(v.answer_text)}. {escape(v.feedback[0][1])}"
                f"{self._belief_note(v)}{reveal}"
                "<p style='margin:4px 0 0 0'>Press <b>Try again</b> to answer again.</p>",
                "wrong")

    def type_answer(self, text: str) -> None:
        self.entry.value = text


class BeliefPoll(_TickItem):
    """An ungraded poll: the learner's view is stored (first answer kept), never marked right or wrong."""

    check_label = "Record my answer"
    again_label = None

    def __init__(self, question: Question):
        self.multiple = question.type == "poll_multi"
        if self.multiple:
            super().__init__(question)
        else:
            self.choices = _radio([o.text for o in question.options])
            self.boxes = []
            CheckItem.__init__(self, question, [self.choices])

    def _controls(self):
        return self.boxes if self.multiple else [self.choices]

    def read_answer(self) -> ItemAnswer:
        if self.multiple:
            return super().read_answer()
        return ItemAnswer(choice=self.choices.value, confidence=self.confidence.value)

    def _missing_choice(self, a: ItemAnswer) -> str:
        if self.multiple:
            return ""  # ticking nothing is an answer: "I believe none of these"
        return "" if a.choice is not None else "Pick the answer closest to what you think, then press the button."

    def grade(self, a: ItemAnswer) -> assessment.Verdict:
        if self.multiple:
            if not a.ticks:
                return assessment.Verdict(None, "(none ticked)", (), ())
            return assessment.grade_poll(self.question, a.ticks)
        assert a.choice is not None  # _missing_choice is checked before grading
        return assessment.grade_poll(self.question, {a.choice})

    def choose(self, option_text: str) -> None:
        self.choices.value = [o.text for o in self.question.options].index(option_text)

    def _feedback(self, v: assessment.Verdict) -> tuple[str, str]:
        latest = self.state.latest
        assert latest is not None and latest.answer.confidence is not None  # feedback follows a recorded answer
        return (f"<b>Recorded.</b> Your answer: <i>{escape(v.answer_text)}</i> "
                f"({escape(latest.answer.confidence.lower())}). There is no right or wrong answer here: "
                "notebook 05 shows this answer next to your last one.", "info")


def save_attempt(widget: CheckItem, attempt: Attempt) -> None:
    """The on_answer callback coursekit.check registers: the attempt goes to the progress store (first kept)."""
    q, verdict = widget.question, attempt.result
    details = {"misconceptions": list(verdict.misconceptions), "type": q.type}
    if verdict.value is not None:
        details["value"] = verdict.value
    progress.record(q.notebook, q.id, verdict.answer_text, verdict.correct, kind="check" if q.graded else "poll",
                    confidence=attempt.answer.confidence, details=details)


_KINDS = {"single": SingleItem, "two_tier": TwoTierItem, "multi": MultiItem, "numeric": NumericItem,
          "poll": BeliefPoll, "poll_multi": BeliefPoll}


def item_widget(question: Question) -> CheckItem:
    """The widget for any item type."""
    return _KINDS[question.type](question)


# The old name: coursekit.check(...) and older tests build a CheckQuestion.
CheckQuestion = item_widget
