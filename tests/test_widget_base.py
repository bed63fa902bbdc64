"""The shared course box and exercise pattern: state, painted view, messages, callbacks, plain-text form."""
from __future__ import annotations

import json

import ipywidgets as widgets
import pytest

from coursekit.widgets.base import CourseBox, run_hint
from coursekit.widgets.exercise import Attempt, Exercise


class Parity(Exercise[int, bool]):
    """A tiny exercise: choose a number; the "model" says whether it is even (and rejects 13)."""

    def __init__(self, **options):
        self.number = widgets.Dropdown(options=[("— choose —", 0), ("1", 1), ("2", 2), ("13", 13)], value=0)
        super().__init__("Parity", "is it even?", what="the parity exercise", inputs=[self.number], **options)
        self.watch(self.number)
        self.start()

    def read_answer(self) -> int:
        return self.number.value

    def missing(self, answer: int) -> str:
        return "" if answer else "Choose a number first."

    def grade(self, answer: int) -> bool:
        if answer == 13:
            raise ValueError("number = 13 is unlucky; allowed: 1 or 2")
        return answer % 2 == 0

    def is_correct(self, result: bool) -> bool:
        return result

    def clear_answer(self) -> None:
        self.number.value = 0

    def paint(self) -> None:
        r = self.state.result
        self.announce("" if r is None else ("<b>✓ Even.</b>" if r else "<b>✗ Odd.</b>"), "right" if r else "wrong")


def test_course_box_has_header_frame_message_and_live_region():
    box = CourseBox("Title <x>", "a prompt & more", what="the thing", body=[widgets.HTML("body")])
    assert box.children[0] is box.header and "<h3" in box.header.value and "Title &lt;x&gt;" in box.header.value
    assert "Predict first, then try:" in box.header.value and "a prompt &amp; more" in box.header.value
    assert box.children[-2:] == (box.message, box.live) and box.layout.border == "1px solid #BBB"
    assert "coursekit-explorer" in box._dom_classes
    box.show_message("x = 3 is outside the allowed range 0 to 1")
    assert 'role="alert"' in box.message.value and "That setting cannot be used: x = 3 is outside" in box.message_text
    box.show_message(None)
    assert box.message.value == "" and box.message_text == ""
    box.announce("<b>Done</b>", "right")
    assert 'role="status"' in box.live.value and 'aria-live="polite"' in box.live.value
    assert box.status_text == "Done"


def test_plain_text_form_invites_the_reader_to_run_the_cell():
    box = CourseBox("T", what="the size comparer")
    assert repr(box) == "▶ Run this cell (Shift+Enter) to show the size comparer"
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == repr(box) and "application/vnd.jupyter.widget-view+json" in bundle
    assert len(run_hint("x" * 300)) <= 110                 # ipywidgets would cut it mid-word otherwise
    with pytest.raises(ValueError, match="what"):
        CourseBox("T", what=" ")


def test_exercise_grades_keeps_first_attempt_and_clears_verdict_on_change():
    ex = Parity()
    assert ex.state.answer == 0 and ex.state.result is None and ex.status_text == ""
    ex.click_check()
    assert ex.state.hint == "Choose a number first." and "Choose a number first." in ex.message_text
    assert ex.state.attempts == 0
    ex.number.value = 1
    assert ex.state.hint == "" and ex.message_text == ""
    ex.click_check()
    assert ex.state.result is False and ex.status_text == "✗ Odd." and ex.state.latest.correct is False
    ex.number.value = 2
    assert ex.state.result is None and ex.status_text == ""      # the old verdict no longer matches
    ex.click_check()
    assert ex.state.result is True and ex.state.attempts == 2
    assert (ex.state.first.answer, ex.state.first.number) == (1, 1) and ex.state.latest.answer == 2
    ex.click_again()
    assert ex.number.value == 0 and ex.state.result is None and ex.state.first.answer == 1


def test_exercise_shows_grading_errors_as_a_message_and_keeps_working():
    ex = Parity()
    ex.number.value = 13
    ex.click_check()
    assert ex.state.message == "number = 13 is unlucky; allowed: 1 or 2" and ex.state.attempts == 0
    assert "That choice cannot be graded: number = 13 is unlucky" in ex.message_text
    assert 'role="alert"' in ex.message.value
    ex.number.value = 2
    assert ex.message_text == ""
    ex.click_check()
    assert ex.state.result is True


def test_exercise_shows_a_bug_in_grading_as_a_message_not_a_traceback(monkeypatch):
    ex = Parity()
    monkeypatch.setattr(ex, "grade", lambda answer: 1 / 0)
    ex.number.value = 2
    ex.click_check()
    assert "ZeroDivisionError: division by zero" in ex.message_text and "tell your instructor" in ex.message_text


def test_on_answer_callbacks_are_per_widget_and_a_failing_one_breaks_nothing():
    a, b = Parity(), Parity()
    seen = []
    a.on_answer(lambda widget, attempt: seen.append((widget, attempt)))
    a.number.value = 2
    a.click_check()
    b.number.value = 1
    b.click_check()
    assert len(seen) == 1 and seen[0][0] is a and isinstance(seen[0][1], Attempt)
    assert seen[0][1].answer == 2 and seen[0][1].correct is True and seen[0][1].number == 1

    def full_disk(widget, attempt):
        raise OSError("No space left on device")
    a.on_answer(full_disk)
    a.click_check()
    assert a.state.result is True and a.status_text == "✓ Even."        # graded and shown all the same
    assert "Your answer could not be saved: No space left on device" in a.message_text
    a.on_answer(full_disk, remove=True)
    a.click_check()
    assert a.message_text == "" and len(seen) == 3


def test_lock_after_check_disables_choices_until_try_again():
    ex = Parity(lock_after_check=True, again_label="Try again")
    assert ex.again_button.layout.display == "none"
    ex.number.value = 1
    ex.click_check()
    assert ex.number.disabled and ex.check_button.disabled and ex.again_button.layout.display == ""
    ex.click_again()
    assert not ex.number.disabled and not ex.check_button.disabled and ex.again_button.layout.display == "none"
    assert ex.number.value == 0 and ex.state.first.answer == 1


def test_state_is_plain_data():
    ex = Parity()
    ex.number.value = 2
    ex.click_check()
    attempt = ex.state.latest
    assert json.loads(json.dumps({"answer": attempt.answer, "correct": attempt.correct})) == {"answer": 2,
                                                                                               "correct": True}
