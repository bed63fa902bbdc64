"""The check-question widget and question banks, driven headless as a learner would."""
import json

import pytest

from coursekit import check, questions
from coursekit.widgets import quiz


def test_every_bank_is_valid_and_every_option_has_feedback():
    banks = questions.all_banks()
    assert "00_start_here" in banks
    for bank in banks.values():
        for q in bank.values():
            assert sum(o.correct for o in q.options) == 1
            assert all(len(o.feedback) > 20 for o in q.options), q.id


def test_right_answer_shows_why_and_explains_the_others():
    w = check("00_start_here", "practice")
    w.choose("Shift+Enter")
    w.click_check()
    assert w.correct is True
    assert "✓ Correct." in w.feedback_text and "runs the cell" in w.feedback_text
    assert "Why the other answers are wrong" in w.feedback_text and "saves the notebook" in w.feedback_text
    assert 'role="status"' in w.feedback.value
    assert w.choices.disabled and w.check_button.disabled


def test_wrong_answer_explains_and_try_again_resets():
    w = check("00_start_here", "practice")
    w.choose("Enter")
    w.click_check()
    assert w.correct is False
    assert "✗ Not quite." in w.feedback_text and "new line" in w.feedback_text
    assert w.retry_button.layout.display == ""  # shown (None would never reach a JupyterLite page)
    w.click_retry()
    assert w.choices.value is None and w.feedback.value == "" and not w.choices.disabled
    w.choose("Shift+Enter")
    w.click_check()
    assert w.correct is True and w.attempts == 2


def test_check_without_a_choice_asks_for_one():
    w = check("00_start_here", "opening")
    w.click_check()
    assert "Pick one of the answers first" in w.feedback_text and w.correct is None


def test_answer_callbacks_receive_each_answer_and_a_failing_one_does_not_break_the_widget():
    seen = []

    def record(question, text, correct):
        seen.append((question.id, text, correct))

    def broken(question, text, correct):
        raise OSError("disk full")

    w = quiz.CheckQuestion(questions.question("00_start_here", "practice"))
    w.on_answer(record)
    w.on_answer(broken)
    w.choose("Ctrl+S")
    w.click_check()
    assert seen == [("practice", "Ctrl+S", False)]
    assert "could not be saved: disk full" in w.feedback_text


def test_course_text_is_escaped_not_rendered(tmp_path, monkeypatch):
    bank = {"notebook": "zz_test", "questions": [{"id": "q", "prompt": "<script>alert(1)</script>?",
            "options": [{"text": "<b>a</b>", "correct": True, "feedback": "<img src=x onerror=alert(1)> yes"},
                        {"text": "b", "correct": False, "feedback": "no, because of reasons"}]}]}
    (tmp_path / "zz_test.json").write_text(json.dumps(bank))
    monkeypatch.setattr(questions, "QUESTIONS_DIR", tmp_path)
    w = check("zz_test", "q")
    assert "<script>" not in w.prompt.value and "&lt;script&gt;" in w.prompt.value
    w.choose("<b>a</b>")
    w.click_check()
    assert "<img src=x" not in w.feedback.value


@pytest.mark.parametrize("options, message", [
    ([{"text": "a", "correct": True, "feedback": "f"}, {"text": "b", "correct": True, "feedback": "f"}], "2 correct"),
    ([{"text": "a", "correct": False, "feedback": "f"}, {"text": "b", "feedback": "f"}], "0 correct"),
    ([{"text": "a", "correct": True, "feedback": ""}, {"text": "b", "feedback": "f"}], "feedback"),
    ([{"text": "a", "correct": True, "feedback": "f"}], "allowed 2 to 6"),
])
def test_malformed_banks_are_rejected(tmp_path, options, message):
    path = tmp_path / "zz_bad.json"
    path.write_text(json.dumps({"notebook": "zz_bad", "questions": [{"id": "q", "prompt": "p", "options": options}]}))
    with pytest.raises(ValueError, match=message):
        questions.load_bank(path)
