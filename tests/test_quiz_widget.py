"""The check-item widgets, driven headless as a learner would: choose, say how sure, Check, read what is announced."""
import json

import pytest

from coursekit import check, progress, questions
from coursekit.widgets import quiz


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    path = tmp_path / "ck" / "progress.json"
    monkeypatch.setenv("COURSEKIT_PROGRESS", str(path))
    progress.clear_session_state()
    yield path
    progress.clear_session_state()


def q(notebook, qid):
    return questions.question(notebook, qid)


def test_every_item_builds_its_widget_with_confidence_and_a_run_hint():
    for bank in questions.all_banks().values():
        for item in bank.values():
            w = quiz.item_widget(item)
            assert repr(w).startswith("▶ Run this cell (Shift+Enter) to show the question")
            assert w.confidence.options == ("Guessing", "Fairly sure", "Sure")
            assert "coursekit-check" in w._dom_classes


def test_right_answer_shows_why_and_explains_the_others():
    w = check("00_start_here", "practice")
    w.choose("Shift+Enter")
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is True
    assert "✓ Correct." in w.feedback_text and "runs the cell" in w.feedback_text
    assert "Why the other answers are wrong" in w.feedback_text and "saves the notebook" in w.feedback_text
    assert 'role="status"' in w.live.value
    assert w.choices.disabled and w.check_button.disabled and w.confidence.disabled


def test_wrong_answer_names_the_belief_and_try_again_keeps_the_first():
    w = check("00_start_here", "practice")
    w.choose("Enter (Return)")
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is False
    assert "✗ Not quite." in w.feedback_text and "new line" in w.feedback_text
    assert "You were sure" in w.feedback_text and "Enter runs a code cell" in w.feedback_text
    assert w.retry_button.layout.display == ""  # shown (None would never reach a JupyterLite page)
    w.click_retry()
    assert w.choices.value is None and not w.choices.disabled and "first answer is kept" in w.feedback_text
    w.choose("Shift+Enter")
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is True and w.attempts == 2
    assert w.state.first.answer.choice is not None and w.state.first.correct is False
    assert "Your first answer, kept for your profile: Enter (Return)" in w.feedback_text


def test_check_needs_an_answer_and_a_confidence_and_records_nothing_before(private_progress):
    w = check("01_what_biologics_are", "definition")
    w.click_check()
    assert "Pick one of the answers first" in w.message_text and w.correct is None
    w.choose(w.question.correct_option.text)
    w.click_check()
    assert "how sure you are" in w.message_text and w.attempts == 0
    assert not private_progress.exists()


def test_two_tier_is_right_only_with_the_right_reason():
    w = check("03_manufacturing_divide", "viability")
    right, reason = w.question.correct_option.text, w.question.correct_reason.text
    wrong_reason = next(o.text for o in w.question.reasons if not o.correct)
    w.choose(right)
    w.set_confidence("Fairly sure")
    w.click_check()
    assert "pick the reason" in w.message_text
    w.choose_reason(wrong_reason)
    w.click_check()
    assert w.correct is False and "Half right: your answer is right, but not the reason" in w.feedback_text
    w.click_retry()
    w.choose(right)
    w.choose_reason(reason)
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is True and w.state.latest.result.tiers == (True, True)


def test_multi_select_needs_exactly_the_right_ticks():
    w = check("04_stem_cells_in_drug_discovery", "signals")
    rights = [o.text for o in w.question.options if o.correct]
    w.set_confidence("Sure")
    w.click_check()
    assert "Tick every answer" in w.message_text
    w.tick(rights[0], "CHIR99021, which switches Wnt signalling on")
    w.click_check()
    assert w.correct is False
    assert "small synthetic molecule" in w.feedback_text and "You left out 2 right answers" in w.feedback_text
    assert "signals_all_biologic" in w.state.latest.result.misconceptions
    w.click_retry()
    w.tick(*rights)
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is True and "exactly the right ones" in w.feedback_text


def test_numeric_entry_bad_input_gets_a_clear_message_and_records_nothing(private_progress):
    w = check("03_manufacturing_divide", "cd34_collect")
    w.set_confidence("Fairly sure")
    w.click_check()
    assert "Type your answer in the box first" in w.message_text
    for typed, words in (("three hundred million", "is not a number"), ("1e20", "outside the possible range"),
                         ("-5", "outside the possible range")):
        w.type_answer(typed)
        w.click_check()
        assert words in w.message_text and "nothing was recorded" in w.message_text, typed
        assert w.entry.value == typed and w.attempts == 0 and not private_progress.exists()
    assert 'role="alert"' in w.message.value


def test_numeric_entry_grades_within_tolerance_names_a_trap_and_shows_the_model_value():
    w = check("03_manufacturing_divide", "cd34_collect")
    w.type_answer("3.5e8")              # the dose, without dividing by viability
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is False and "divide by 92 %" in w.feedback_text
    assert "only the number of cells counts" in w.feedback_text
    assert "3.8 × 10^8" not in w.feedback_text          # the answer is not given away after one try
    w.click_retry()
    w.type_answer("3.8 x 10^8")
    w.set_confidence("Sure")
    w.click_check()
    assert w.correct is True and "the course's model gives 3.8 × 10^8 cells" in w.feedback_text


def test_belief_poll_records_without_right_or_wrong_and_has_no_try_again(private_progress):
    w = check("00_start_here", "opening")
    assert w.check_button.description == "Record my answer" and w.again_button not in w.buttons.children
    w.choose(w.question.options[0].text)
    w.set_confidence("Sure")
    w.click_check()
    assert "Recorded." in w.feedback_text and "no right or wrong" in w.feedback_text
    assert "Correct" not in w.feedback_text and "Not quite" not in w.feedback_text
    assert w.choices.disabled and w.check_button.disabled
    saved = progress.entry("00_start_here", "opening")
    assert saved["kind"] == "poll" and saved["first"]["correct"] is None
    assert saved["first"]["answer"] == w.question.options[0].text and saved["first"]["confidence"] == "Sure"


def test_belief_inventory_accepts_no_ticks_as_an_answer():
    w = check("00_start_here", "beliefs")
    w.set_confidence("Guessing")
    w.click_check()
    assert "(none ticked)" in w.feedback_text
    assert progress.entry("00_start_here", "beliefs")["first"]["answer"] == "(none ticked)"


def test_a_failing_store_does_not_break_the_item(monkeypatch):
    def full(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(progress, "record", full)
    w = check("00_start_here", "practice")
    w.choose("Ctrl+S")
    w.set_confidence("Guessing")
    w.click_check()
    assert "could not be saved" in w.message_text and "disk full" in w.message_text
    assert "✗ Not quite." in w.feedback_text


def test_course_text_is_escaped_not_rendered(tmp_path, monkeypatch):
    bank = {"notebook": "zz_test", "objectives": [{"id": "o", "text": "x"}],
            "questions": [{"id": "q", "type": "single", "objectives": ["o"], "prompt": "<script>alert(1)</script>?",
                           "options": [{"text": "<b>a</b>", "correct": True,
                                        "feedback": "<img src=x onerror=alert(1)> yes"},
                                       {"text": "b", "correct": False, "feedback": "no, because of reasons",
                                        "misconception": "biologics_contain_cells"}]}]}
    (tmp_path / "zz_test.json").write_text(json.dumps(bank))
    monkeypatch.setattr(questions, "QUESTIONS_DIR", tmp_path)
    w = check("zz_test", "q")
    assert "<script>" not in w.header.value and "&lt;script&gt;" in w.header.value
    w.choose("<b>a</b>")
    w.set_confidence("Sure")
    w.click_check()
    assert "<img src=x" not in w.live.value


def test_numeric_typed_text_is_never_rendered_as_markup():
    w = check("03_manufacturing_divide", "cd34_collect")
    w.type_answer("<img src=x onerror=alert(1)>")
    w.set_confidence("Sure")
    w.click_check()
    assert "<img" not in w.message.value and "&lt;img" in w.message.value
