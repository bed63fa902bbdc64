"""Every explorer makes the learner predict first: nothing of the result before Commit, feedback for the chosen
prediction, the answer computed by the model, predictions saved (first kept), bad input met with a message."""
from __future__ import annotations

import json
import math
import re

import ipywidgets
import pytest

from explorer_helpers import FACTORIES, revealed
from coursekit import facts, predictions, progress
from coursekit.models import discovery as disc
from coursekit.models import manufacturing as mfg
from coursekit.models import stem_cells as stem
from coursekit.widgets.explorer import Explorer, View, parse_number

ITEMS = {p.explorer: p for f in sorted(predictions.PREDICTIONS_DIR.glob("*.json"))
         for p in predictions.load_file(f).values()}


@pytest.fixture(autouse=True)
def own_progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_PROGRESS", str(tmp_path / "progress.json"))
    progress.clear_session_state()


def _tree_markup(widget) -> str:
    """Every piece of markup and text a widget tree holds (what the front end can show)."""
    parts = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, (ipywidgets.HTML, ipywidgets.Text)):
            parts.append(w.value)
        parts.append(getattr(w, "description", "") or "")
        stack.extend(getattr(w, "children", ()) or ())
    return "\n".join(parts)


# ---- the data ----------------------------------------------------------------------------------------------
def test_every_explorer_has_one_prediction_item_and_every_item_an_explorer():
    assert set(ITEMS) == set(FACTORIES)
    assert len(ITEMS) == sum(len(predictions.load_file(f)) for f in predictions.PREDICTIONS_DIR.glob("*.json"))


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_prediction_item_is_complete_and_sourced(name):
    item = ITEMS[name]
    assert 3 <= len(item.choices) <= 4 or item.number is not None
    for c in item.choices:
        assert len(c.feedback) > 60 and len(c.right) > 20
    for key in item.facts:
        facts.get(key)                       # every fact key behind the answer exists in facts.csv
    raw = json.dumps(json.loads((predictions.PREDICTIONS_DIR / f"{item.notebook}.json").read_text()))
    assert '"answer": ' in raw and '"correct"' not in raw  # answers are names of model quantities, never values


@pytest.mark.parametrize("bad, message", [
    ({"choices": [{"id": "a", "text": "a", "feedback": "f", "right": "r", "low": 0, "high": 2},
                  {"id": "b", "text": "b", "feedback": "f", "right": "r", "low": 1, "high": 3},
                  {"id": "c", "text": "c", "feedback": "f", "right": "r", "low": 3, "high": None}]}, "overlap"),
    ({"choices": [{"id": "a", "text": "a", "feedback": "f", "right": "r", "low": 0, "high": 1, "correct": True},
                  {"id": "b", "text": "b", "feedback": "f", "right": "r", "low": 1, "high": 2},
                  {"id": "c", "text": "c", "feedback": "f", "right": "r", "low": 2, "high": 3}]}, "types an answer"),
    ({"choices": [{"id": "a", "text": "a", "feedback": "", "right": "r", "low": 0, "high": 1},
                  {"id": "b", "text": "b", "feedback": "f", "right": "r", "low": 1, "high": 2},
                  {"id": "c", "text": "c", "feedback": "f", "right": "r", "low": 2, "high": 3}]}, "feedback"),
    ({"number": {"min": 5, "max": 1, "tolerance": {"absolute": 1}},
      "feedback": {"close": "c", "low": "l", "high": "h"}}, "min 5 must be below max 1"),
    ({"number": {"min": 0, "max": 9, "tolerance": {"factor": 0.5}},
      "feedback": {"close": "c", "low": "l", "high": "h"}}, "tolerance"),
    ({}, "either 'choices'"),
])
def test_malformed_prediction_files_are_refused(tmp_path, bad, message):
    item = {"id": "x", "explorer": "e", "question": "q?", "answer": "a", "unit": "u", "facts": [], **bad}
    path = tmp_path / "nb.json"
    path.write_text(json.dumps({"notebook": "nb", "predictions": [item]}))
    with pytest.raises(ValueError, match=message):
        predictions.load_file(path)


# ---- before Commit: the question, the controls, the prediction input, and nothing of the result -------------
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_nothing_of_the_result_before_commit(name):
    e = FACTORIES[name]()
    item = e.item
    assert e.stage == "predict" and e.last_view is None
    assert e.summary.value == "" and e.figure.value == "" and "<img" not in _tree_markup(e)
    assert item.question in e.header.value.replace("&#x27;", "'").replace("&quot;", '"') or \
        item.question[:40] in e.header.value
    answer = e.answers[item.answer](**e.values())
    markup = _tree_markup(e)
    assert answer.shown not in markup
    for c in item.choices:                     # no feedback, no verdict on the page yet
        assert c.feedback[:40] not in markup and c.right[:40] not in markup
    assert all(c.disabled for c in e.controls.values())
    assert "Commit" in e.commit_button.description and e.again_button.layout.display == "none"
    assert repr(e).startswith("▶ Run this cell")           # stored text/plain gives nothing away
    assert 'role="status"' in e.status.value and "results stay hidden until you commit" in e.status_text


# ---- the answer is the model's, for the settings on screen ----------------------------------------------------
def _hand_values():
    f = facts.value
    ipsc_answer = "reprogram"
    return {
        "practice_slider": (f("igg_mw_da") / f("aspirin_mw_da"), "about 833 aspirin molecules"),
        "size_comparer": (None, "7.1 × 10^9 times heavier"),
        "division_simulator": (math.log(2) / math.log(1.1), "7.3 divisions"),
        "potency_explorer": (ipsc_answer, "reprogrammed into an iPSC first"),
        "fed_batch_explorer": (2.0, "2.00 times the usual run's titer (7.10 g/L against 3.55 g/L"),
        "cell_dose_explorer": (f("mfg_cord_tnc_min_per_kg") * 70 / f("mfg_cord_unit_tnc_cells"),
                               "2.5 times the starting cells (1.3 doublings"),
        "one_to_many_explorer": (2000 * 2.56 * 0.7 * 1000 / 40 / (365 / 14), "3,437 cell batches"),
        "screening_plate_explorer": (1 - 3 * (12 + 12) / 100, "Z′ = 0.28, marginal"),
        "dose_response_explorer": ((1000 / 9) / (10 * 9), "a 1.23-fold window"),
    }


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_reveal_shows_the_model_answer_and_the_feedback_for_each_choice(name):
    value, shown = _hand_values()[name]
    for choice in ITEMS[name].choices:
        e = FACTORIES[name]()
        e.predict(choice.id, "fairly_sure")
        e.commit()
        answer = e.last_answer
        if isinstance(value, str):
            assert answer.value == value
        elif value is not None:
            assert answer.value == pytest.approx(value, rel=1e-3)
        assert shown in answer.shown
        text = e.status_text
        assert f"You predicted {choice.text} (fairly sure)" in text and f"the model gives {answer.shown}" in text
        right = choice.contains(answer.value)
        assert e.prediction_correct is right
        assert (choice.right if right else choice.feedback) in text
        assert (choice.feedback if right else choice.right) not in text
        assert e.figure_shown
        if e.item.read is None:
            assert e.summary_text and not any(c.disabled for c in e.controls.values())
        else:                                     # read the graph: figure without numbers, then the numbers
            assert e.stage == "read" and e.summary.value == ""
            reading = e.answers[e.item.read.answer](**e.values())
            assert reading.shown not in e.figure_alt and all(c.disabled for c in e.controls.values())


def test_the_initial_question_is_answered_by_exactly_one_choice():
    for name, f in FACTORIES.items():
        e = f()
        answer = e.answers[e.item.answer](**e.values())
        assert sum(c.contains(answer.value) for c in e.item.choices) == 1, name


@pytest.mark.parametrize("name", [n for n in sorted(FACTORIES) if ITEMS[n].read is not None])
def test_read_the_graph_before_the_numbers(name):
    e = FACTORIES[name]()
    e.predict(e.item.choices[0].id, "sure")
    e.commit()
    read = e.item.read
    truth = e.answers[read.answer](**e.values())
    e.read_value("")
    assert "Type a number" in e.message_text and e.stage == "read" and e.summary.value == ""
    e.read_value("lots")
    assert "is not a number" in e.message_text and e.reading.value == "lots"
    e.read_value(read.number.max * 10)
    assert "outside the allowed range" in e.message_text and e.stage == "read"
    e.read_value(truth.value)
    assert e.stage == "revealed" and e.reading_correct is True and e.summary_text
    assert f"the model's value is {truth.shown}" in e.status_text and read.feedback["close"] in e.status_text
    assert e.figure_alt == e.last_view.alt                      # the full alt text, numbers included, now
    saved = progress.entry(e.item.notebook, f"{e.item.id}.read")
    assert saved["kind"] == "prediction" and saved["first"]["correct"] is True


def test_a_misreading_gets_the_feedback_for_its_side():
    e = FACTORIES["dose_response_explorer"]()
    e.predict("narrow", "sure")
    e.commit()
    e.read_value(1000)                                          # TC10 is 111 nM: 1,000 is too high
    assert e.reading_correct is False and e.item.read.feedback["high"] in e.status_text


# ---- saved: first prediction kept, latest added; a failing store never breaks the explorer -----------------
def test_predictions_are_saved_first_kept_latest_added():
    e = FACTORIES["division_simulator"]()
    e.predict("about_30", "sure")
    e.commit()
    e.skip_reading()
    e.controls["p_ss"].value, e.controls["p_dd"].value = 0.2, 0.3
    e.predict_again()
    assert e.stage == "predict" and e.summary.value == "" and e.figure.value == ""
    assert e.guess.value is None and e.confidence.value is None and e.controls["p_ss"].disabled
    e.predict("never", "guessing")
    e.commit()
    assert e.prediction_correct is True and "never" in e.last_answer.shown
    saved = progress.entry("02_stem_cells", "divisions_to_double")
    assert saved["kind"] == "prediction" and saved["attempts"] == 2
    assert saved["first"]["answer"] == "about 30" and saved["first"]["confidence"] == "sure"
    assert saved["first"]["correct"] is False and saved["first"]["details"]["model"] == "7.3 divisions"
    assert saved["latest"]["answer"] == "never: the pool stays the same" and saved["latest"]["correct"] is True
    assert saved["latest"]["details"]["settings"]["p_dd"] == 0.3


def test_a_failing_store_never_breaks_the_explorer(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(progress, "record", broken)
    e = FACTORIES["practice_slider"]()
    e.predict("about_1000", "sure")
    e.commit()
    assert e.stage == "revealed" and e.figure_shown and "833" in e.summary_text
    assert "could not be saved: disk full" in e.status_text


# ---- bad input: a clear message, nothing lost --------------------------------------------------------------
def test_commit_before_choosing_asks_for_a_choice_and_keeps_what_was_chosen():
    e = FACTORIES["screening_plate_explorer"]()
    e.commit()
    assert "Choose one of the predictions first" in e.message_text and e.stage == "predict"
    assert 'role="alert"' in e.message.value and e.figure.value == ""
    e.guess.value = "marginal"
    assert e.message_text == ""                      # a new choice clears the message
    e.commit()
    assert "Say how sure you are" in e.message_text and e.guess.value == "marginal" and e.stage == "predict"
    e.confidence.value = "sure"
    e.commit()
    assert e.stage == "revealed" and e.prediction_correct is True


@pytest.mark.parametrize("typed, message", [("", "Type a number from 1 to 60 divisions first."),
                                            ("seven", "is not a number"), ("7 divisions", "without the unit"),
                                            ("61", "61 is outside the allowed range"), ("nan", "ordinary number")])
def test_parse_number_messages(typed, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_number(typed, 1, 60, "divisions")
    assert parse_number(" 1,745 ", 0, 1e6, "cells") == 1745


def test_a_numeric_prediction_is_checked_with_its_tolerance(tmp_path, monkeypatch):
    item = {"id": "n", "explorer": "t", "question": "How much?", "answer": "total", "unit": "units", "facts": [],
            "number": {"min": 0, "max": 100, "tolerance": {"absolute": 2}},
            "feedback": {"close": "Close enough.", "low": "Too low.", "high": "Too high."}}
    (tmp_path / "nb.json").write_text(json.dumps({"notebook": "nb", "predictions": [item]}))
    monkeypatch.setattr(predictions, "PREDICTIONS_DIR", tmp_path)
    slider = ipywidgets.IntSlider(value=40, min=0, max=50, description="a")
    from coursekit.widgets.explorer import Answer
    e = Explorer("t", "p", {"a": slider}, lambda a: View([f"total {a + 1}"]), prediction=("nb", "n"),
                 answers={"total": lambda a: Answer(a + 1, f"{a + 1} units")})
    e.guess.value = "abc"
    e.confidence.value = "sure"
    e.commit()
    assert "is not a number" in e.message_text and e.guess.value == "abc" and e.stage == "predict"
    e.guess.value = "140"
    e.commit()
    assert "outside the allowed range" in e.message_text
    e.guess.value = "30"
    e.commit()
    assert "You predicted 30 units (sure)" in e.status_text and "the model gives 41 units" in e.status_text
    assert "Too low." in e.status_text and e.prediction_correct is False and e.summary_text == "total 41"
    slider.value = 10
    assert e.summary_text == "total 11"                    # controls are live after the reveal
    e.predict_again()
    e.guess.value = "12"
    e.confidence.value = "guessing"
    e.commit()
    assert "Close enough." in e.status_text and e.prediction_correct is True


def test_predict_again_refuses_settings_the_model_rejects_and_loses_nothing():
    e = revealed(FACTORIES["division_simulator"]())
    e.controls["p_ss"].value = 0.7
    e.controls["p_dd"].value = 0.5                          # p_ss + p_dd > 1
    shown = e.summary.value
    e.predict_again()
    assert "p_ss + p_dd = 1.20 is outside the allowed range" in e.message_text
    assert e.stage == "revealed" and e.summary.value == shown and not e.controls["p_ss"].disabled


# ---- accessibility and layout ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_inputs_are_labelled_and_the_reveal_is_announced(name):
    e = FACTORIES[name]()
    assert e.guess.description.startswith("Your prediction") and e.confidence.description == "How sure are you?"
    assert [o[0] for o in e.confidence.options] == ["guessing", "fairly sure", "sure"]
    e.predict(e.item.choices[0].id, "sure")
    e.commit()
    assert re.search(r'role="status" aria-live="polite"', e.status.value)
    if e.item.read is not None:
        assert e.reading.description.startswith("Your reading (")


def test_sliders_keep_a_full_track():
    """The p_DD slider (02) had a 60 px track, the 'patients to treat' slider (03) none: one control per row now."""
    for name, wide in (("division_simulator", ("p_ss", "p_dd", "generations", "seed")),
                       ("one_to_many_explorer", ("titer_g_per_l", "patients"))):
        e = FACTORIES[name]()
        for key in wide:
            c = e.controls[key]
            assert c.layout.width == "560px" and c.style.description_width == "250px"   # 310 px of track
        rows = [child for child in e.children if isinstance(child, ipywidgets.HBox)
                and any(c in e.controls.values() for c in child.children)]
        assert all(len(r.children) == 1 for r in rows)


def test_model_answers_match_the_models_for_other_settings():
    """Predict again at other settings: the answers are the models' (not the first question's)."""
    e = revealed(FACTORIES["dose_response_explorer"](), hill_slope=2.0)
    assert e.answers["window_fold"](**e.values()).value == pytest.approx(
        disc.safety_window(10, 1000, 2).window_fold)
    f = revealed(FACTORIES["one_to_many_explorer"](), volume_l=15000)
    assert f.answers["patients_per_run"](**f.values()).value == pytest.approx(
        mfg.compare_batches(15000, 2.56, 10000).patients_per_run)
    g = revealed(FACTORIES["potency_explorer"](), cell_type="embryonic stem cell (ESC)", target="placenta")
    assert g.answers["can_become"](**g.values()).value == "no"
    g.controls["target"].value = "heart muscle"
    assert g.answers["can_become"](**g.values()).value == "yes" and "heart muscle: yes" in g.summary_text
    h = revealed(FACTORIES["division_simulator"](), p_ss=0.25, p_dd=0.25)
    assert h.answers["divisions_to_double"](**h.values()).value == "never"
    assert h.answers["final_expected_pool"](**h.values()).value == pytest.approx(100)
    assert stem.regime(0.25, 0.25) == stem.STEADY_STATE


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_a_control_change_reaches_the_page_as_one_widget_update(name):
    """Summary and figure are one HTML widget: a change is one message and one repaint in the page, not two."""
    e = revealed(FACTORIES[name]())
    changes = []
    stack = [e]
    while stack:
        w = stack.pop()
        if isinstance(w, ipywidgets.HTML):
            w.observe(lambda change, w=w: changes.append(w), names="value")
        stack.extend(getattr(w, "children", ()) or ())
    control = next(c for c in e.controls.values() if not isinstance(c, ipywidgets.Dropdown) or len(c.options) > 1)
    before = e.result.value
    if isinstance(control, ipywidgets.Dropdown):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.value = next(v for v in values if v != control.value)
    elif isinstance(control, ipywidgets.FloatLogSlider):
        control.value = control.value * 10 ** control.step
    else:
        control.value = control.value + control.step if control.value + control.step <= control.max \
            else control.value - control.step
    assert e.result.value == e.summary.value + e.figure.value
    assert e.result.value != before and changes == [e.result], [type(w).__name__ for w in changes]
