"""First attempts are kept through later attempts and a kernel restart; the table shows first try and now; the end of
05 shows what the learner said at the start and the misconceptions their first attempts showed."""
import json
import time

import pytest

from coursekit import check, progress, questions
from coursekit.models import diagnosis
from coursekit.widgets.profile import before_after
from coursekit.widgets.progress import ProgressTable


pytestmark = pytest.mark.usefixtures("private_progress")   # tests/conftest.py: a private progress file


def answer(notebook, qid, *, text=None, reason=None, ticks=None, typed=None, sure="Sure", right=False):
    """Answer an item through its widget, as a learner does (right=True picks the right option(s))."""
    w = check(notebook, qid)
    item = w.question
    if item.type in ("single", "two_tier", "poll"):
        w.choose(item.correct_option.text if right else text)
    if item.type == "two_tier":
        w.choose_reason(item.correct_reason.text if right else reason)
    if item.type in ("multi", "poll_multi"):
        w.tick(*([o.text for o in item.options if o.correct] if right else ticks))
    if item.type == "numeric":
        w.type_answer(typed)
    w.set_confidence(sure)
    w.click_check()
    return w


def wrong_text(notebook, qid):
    return next(o.text for o in questions.question(notebook, qid).options if not o.correct)


def test_the_first_attempt_survives_later_attempts_and_try_again(private_progress):
    w = answer("02_stem_cells", "ipsc_origin", text=wrong_text("02_stem_cells", "ipsc_origin"))
    first = progress.entry("02_stem_cells", "ipsc_origin")["first"]
    for _ in range(3):
        w.click_retry()
        w.choose(w.question.correct_option.text)
        w.set_confidence("Sure")
        w.click_check()
    saved = progress.entry("02_stem_cells", "ipsc_origin")
    assert saved["attempts"] == 4 and saved["first"] == first
    assert saved["first"]["correct"] is False and saved["latest"]["correct"] is True
    assert saved["first"]["details"]["misconceptions"] and saved["first"]["confidence"] == "Sure"
    # a second widget (the cell run again) adds attempts, never replaces the first
    answer("02_stem_cells", "ipsc_origin", right=True)
    assert progress.entry("02_stem_cells", "ipsc_origin")["first"] == first


def test_first_attempts_survive_a_kernel_restart(private_progress):
    """Answer in one Jupyter kernel, restart it, answer again and read the store in the new kernel."""
    from jupyter_client.manager import start_new_kernel

    env_code = f"import os; os.environ['COURSEKIT_PROGRESS'] = {str(private_progress)!r}\n"
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        def run(code):
            reply = kc.execute_interactive(env_code + code, timeout=60, output_hook=lambda msg: None)
            assert reply["content"]["status"] == "ok", reply["content"]

        run("import coursekit\nw = coursekit.check('00_start_here', 'opening')\n"
            "w.choose(w.question.options[1].text); w.set_confidence('Sure'); w.click_check()")
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=60)
        run("import coursekit\nw = coursekit.check('00_start_here', 'opening')\n"
            "w.choose(w.question.options[2].text); w.set_confidence('Guessing'); w.click_check()")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    saved = json.loads(private_progress.read_text())["answers"]["00_start_here"]["opening"]
    options = questions.question("00_start_here", "opening").options
    assert saved["attempts"] == 2
    assert saved["first"]["answer"] == options[1].text and saved["first"]["confidence"] == "Sure"
    assert saved["latest"]["answer"] == options[2].text


def test_progress_table_shows_first_try_and_now_apart(private_progress):
    answer("01_what_biologics_are", "definition", text=wrong_text("01_what_biologics_are", "definition"))
    w = check("01_what_biologics_are", "definition")
    w.choose(w.question.correct_option.text)
    w.set_confidence("Sure")
    w.click_check()
    answer("01_what_biologics_are", "factory", right=True)
    answer("00_start_here", "opening", text=questions.question("00_start_here", "opening").options[0].text)
    t = ProgressTable()
    n01 = sum(q.graded for q in questions.all_banks()["01_what_biologics_are"].values())
    n00 = sum(q.graded for q in questions.all_banks()["00_start_here"].values())
    assert "Right at the first try" in t.table_text and "Right now" in t.table_text
    assert f"01 What biologics are and how they are classified 2 of {n01} 1 2" in t.table_text
    assert f"00 Start here 0 of {n00} 0 0" in t.table_text      # the poll is not a graded check


def test_before_after_shows_what_the_learner_said_at_the_start(private_progress):
    opening = questions.question("00_start_here", "opening")
    start = next(o.text for o in opening.options if o.misconception == "factory_cells_are_stem_cells")
    answer("00_start_here", "opening", text=start, sure="Sure")
    answer("00_start_here", "beliefs", ticks=["Every biologic is a protein.",
                                              "A bone-marrow transplant gives the patient living stem cells."])
    time.sleep(1.1)  # later answers carry a later time stamp (seconds)
    answer("05_review", "opening_again", right=True)
    answer("05_review", "beliefs_again", right=True)
    w = before_after()
    text = w.status_text
    assert f"At the start you said: “{start}” (sure)." in text
    now = questions.question("05_review", "opening_again").correct_option.text
    assert f"Now you say: “{now}”. That is the course's answer." in text
    assert "Ticked at the start, not now: Every biologic is a protein." in text
    assert "Ticked then and now: A bone-marrow transplant gives the patient living stem cells." in text
    assert 'role="status"' in w.live.value and repr(w).startswith("▶ Run this cell")


def test_before_after_asks_for_the_missing_answers(private_progress):
    text = before_after().status_text
    assert "you have not answered the opening question of notebook 00" in text
    assert "answer the course question again above" in text


def test_profile_lists_misconceptions_first_attempts_showed_and_which_are_since_right(private_progress):
    # a first attempt that shows "factory cells are stem cells", later answered right on another item
    answer("01_what_biologics_are", "factory",
           text=next(o.text for o in questions.question("01_what_biologics_are", "factory").options
                     if o.misconception == "factory_cells_are_stem_cells"))
    # a first attempt that shows "clinics sell approved therapies", not yet answered right
    answer("02_stem_cells", "clinic_cord",
           text=next(o.text for o in questions.question("02_stem_cells", "clinic_cord").options
                     if o.misconception == "clinics_sell_approved_therapies"), sure="Fairly sure")
    time.sleep(1.1)
    answer("03_manufacturing_divide", "final_agent", right=True)
    lines = {line.id: line for line in diagnosis.profile(progress.load().data)}
    assert lines["factory_cells_are_stem_cells"].resolved
    assert lines["factory_cells_are_stem_cells"].resolved_by == "03_manufacturing_divide/final_agent"
    assert lines["factory_cells_are_stem_cells"].sure
    assert not lines["clinics_sell_approved_therapies"].resolved
    text = before_after().status_text
    assert "Your first answers showed 2 common beliefs; you have since answered 1 of them right." in text
    assert "“The cells that make biologics, such as CHO cells, are stem cells.”" in text
    assert "✓ Since answered right (notebook 03" in text and "Still to work on" in text


def test_a_corrupted_progress_file_is_kept_aside_and_said_so(private_progress):
    answer("00_start_here", "opening", text=questions.question("00_start_here", "opening").options[0].text)
    private_progress.write_text("{ not json")
    w = before_after()
    assert "could not be read" in w.status_text
    backups = list(private_progress.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{ not json"     # nothing recorded is lost
    answer("00_start_here", "opening", text=questions.question("00_start_here", "opening").options[1].text)
    assert progress.entry("00_start_here", "opening")["attempts"] == 1


def test_refresh_reads_the_file_again_and_changes_the_visible_text(private_progress):
    w = before_after()
    before = w.status_text
    answer("00_start_here", "opening", text=questions.question("00_start_here", "opening").options[0].text)
    w.refresh_button.click()
    assert w.status_text != before and "At the start you said" in w.status_text and "(1×)" in w.status_text
    w.refresh_button.click()
    assert "(2×)" in w.status_text
