"""Real-browser tests: JupyterLab on 127.0.0.1, every notebook opened in headless Chromium, Run All, then
no tracebacks, every widget rendered as a widget, every explorer control moved and every button clicked with
the visible output changing. Screenshots are kept in test-artifacts/screenshots/.

Built on shared/reference/browser_test_example.py (its pitfalls and fixes are kept).
"""
from __future__ import annotations

import re
import time

import nbformat
import pytest
from playwright.sync_api import Page, expect

from jupyterlab_page import (NB_DIR, NOTEBOOKS, PANEL, expand_go_deeper, open_and_run_all, output_problems,
                             screenshot)
from explorer_mirror import NotebookMirror, squash, status_texts
from tools.labpage import COMMIT, LOOP_BUTTONS, choose_prediction
from tools.labserver import PROGRESS_FILES, delete_sessions, running_lab

pytestmark = pytest.mark.browser


BROKEN_NOTEBOOK = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(description='fine')"),
    nbformat.v4.new_code_cell("from IPython.display import display\n"
                              "display({'text/plain': 'VBox(children=(IntSlider(value=3),))'}, raw=True)"),
    nbformat.v4.new_code_cell("1 / 0"),
    nbformat.v4.new_code_cell("print('never reached')"),
], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture(scope="session")
def lab():
    """JupyterLab on a copy of the course (and one notebook broken on purpose), isolated config."""
    with running_lab({"zz_broken_on_purpose.ipynb": BROKEN_NOTEBOOK}) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_kernel(lab):
    """Delete server sessions after each test so the next one starts a fresh kernel."""
    yield
    delete_sessions(*lab)


# ---------------------------------------------------------------------------------------------- helpers
def _changes(page: Page, box, action, what: str, timeout_ms: int = 15_000) -> str | None:
    """Do action; return None if the box's visible text changed within the timeout, else a problem."""
    before = box.inner_text()
    action()
    try:
        page.wait_for_function("([el, before]) => el.innerText !== before", arg=[box.element_handle(), before],
                               timeout=timeout_ms)
        return None
    except Exception:
        return f"{what}: the visible output did not change"


def _dom_status(box) -> str:
    texts = box.locator('[role="status"], [role="alert"]').evaluate_all("els => els.map(e => e.textContent)")
    return "".join(squash(t) for t in texts)


def _agrees_with_model(page: Page, box, explorer, what: str, timeout_ms: int = 10_000) -> str | None:
    """None once the page's announced texts equal the mirror's (what the models compute), else a problem."""
    expected = "".join(status_texts(explorer))
    deadline = time.perf_counter() + timeout_ms / 1000
    while time.perf_counter() < deadline:
        if _dom_status(box) == expected:
            return None
        page.wait_for_timeout(100)
    return f"{what}: the page shows {_dom_status(box)[:200]!r}, the model says {expected[:200]!r}"


def predict_commit_reveal(page: Page, box, explorer, what: str) -> list[str | None]:
    """Predict -> Commit -> (read the graph) -> reveal, in the page and on the mirror; nothing of the result may be
    on the page before Commit, and the revealed answer must be the model's."""
    problems: list[str | None] = []
    if box.locator("img.coursekit-figure").count() or box.locator(".coursekit-summary").count():
        problems.append(f"{what}: a result is on the page before the learner committed")
    commit = box.get_by_role("button", name=COMMIT)
    problems.append(_changes(page, box, commit.click, f"{what}: Commit before choosing"))   # asks for a choice
    explorer.commit()
    problems.append(_agrees_with_model(page, box, explorer, f"{what}: Commit before choosing"))
    choose_prediction(box, 0)                              # the first prediction, "sure"
    explorer.predict(explorer.item.choices[0].id, "sure")
    commit.click()
    explorer.commit()
    try:
        expect(box.locator("img.coursekit-figure")).to_have_count(1, timeout=15_000)
    except AssertionError:
        problems.append(f"{what}: no figure after Commit")
    problems.append(_agrees_with_model(page, box, explorer, f"{what}: after Commit"))
    shown = explorer.last_answer.shown
    if squash(f"the model gives {shown}") not in _dom_status(box):
        problems.append(f"{what}: the page does not say the model gives {shown!r}")
    if explorer.stage == "read":
        truth = explorer.answers[explorer.item.read.answer](**explorer.values())
        typed = f"{truth.value:.3g}"
        box.get_by_label(re.compile("Your reading")).fill(typed)
        box.get_by_role("button", name="Check my reading").click()
        explorer.read_value(typed)
        problems.append(_agrees_with_model(page, box, explorer, f"{what}: after reading the graph"))
        if box.locator(".coursekit-summary").count() != 1:
            problems.append(f"{what}: no numbers after the reading")
    return problems


def exercise_explorers(page: Page, nb: str, progress_file=None, skip_buttons=()) -> tuple[int, list[str]]:
    """Move every slider, change every dropdown, click every button of every explorer; after each action the
    visible output must change, and must equal what the same explorer built headless (the models) shows.
    Buttons labelled as in skip_buttons are left alone (the browser edition's own, which the mirror lacks)."""
    mirror = NotebookMirror(NB_DIR / nb, progress_file)
    boxes = page.locator(f"{PANEL} .coursekit-explorer")
    if boxes.count() != len(mirror.explorers):
        return 0, [f"{nb}: {boxes.count()} explorers in the page, {len(mirror.explorers)} built by the notebook"]
    problems, n_controls = [], 0
    for b, explorer in enumerate(mirror.explorers):
        box = boxes.nth(b)
        title = box.locator("h3").first.inner_text() if box.locator("h3").count() else f"explorer {b}"
        problems.append(_agrees_with_model(page, box, explorer, f"{nb} / {title}: after Run All"))
        if getattr(explorer, "item", None) is not None:      # an explorer with a prediction: predict first
            n_controls += 1
            problems += predict_commit_reveal(page, box, explorer, f"{nb} / {title}")
        handles, sliders = box.locator(".noUi-handle"), mirror.sliders(explorer)
        if handles.count() != len(sliders):
            problems.append(f"{nb} / {title}: {handles.count()} slider handles, {len(sliders)} sliders in the model")
            continue
        for i, slider in enumerate(sliders):
            handle = handles.nth(i)
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            key, direction = ("ArrowLeft", -1) if at_max else ("ArrowRight", 1)
            n_controls += 1
            what = f"{nb} / {title}: slider {i}"
            def press(handle=handle, key=key):
                handle.focus()
                handle.press(key)
            problems.append(_changes(page, box, press, what))
            mirror.step_slider(slider, direction)
            problems.append(_agrees_with_model(page, box, explorer, what))
        selects, dropdowns = box.locator("select"), mirror.dropdowns(explorer)
        for i, dropdown in enumerate(dropdowns):
            select = selects.nth(i)
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
            other = next((o for o in options if o != current), None)
            if other is None:
                continue
            n_controls += 1
            what = f"{nb} / {title}: dropdown {i}"
            def pick(select=select, other=other):
                select.select_option(label=other)
            problems.append(_changes(page, box, pick, what))
            mirror.choose(dropdown, other)
            problems.append(_agrees_with_model(page, box, explorer, what))
        buttons = box.locator("button.widget-button:not([disabled])")
        for i in range(buttons.count()):
            button = buttons.nth(i)
            if not button.is_visible():
                continue
            label = button.inner_text().strip()
            # the predict-commit loop is driven above and below
            if label in LOOP_BUTTONS or label in skip_buttons:
                continue
            nth = button.evaluate("""(el) => [...el.closest('.coursekit-explorer')
                .querySelectorAll('button.widget-button:not([disabled])')]
                .filter(b => b.offsetParent !== null && b.innerText.trim() === el.innerText.trim()).indexOf(el)""")
            n_controls += 1
            what = f"{nb} / {title}: button {label!r}"
            problems.append(_changes(page, box, button.click, what))
            mirror.click(explorer, label, nth)
            problems.append(_agrees_with_model(page, box, explorer, what))
        if getattr(explorer, "item", None) is not None:      # Predict again hides the result and asks anew
            n_controls += 1
            what = f"{nb} / {title}: Predict again"
            problems.append(_changes(page, box, box.get_by_role("button", name="Predict again").click, what))
            explorer.predict_again()
            problems.append(_agrees_with_model(page, box, explorer, what))
            if box.locator("img.coursekit-figure").count():
                problems.append(f"{what}: the figure is still on the page")
    return n_controls, [p for p in problems if p]


def answer_item(box) -> str:
    """Answer one check item the way a learner does (any item type); return the button name that submits it."""
    for group in box.locator(".widget-radio:not(.coursekit-confidence)").all():
        group.locator(".widget-radio-box label").first.click()
    if box.locator(".widget-checkbox input").count():
        box.locator(".widget-checkbox input").first.check()
    if box.locator("input[type=text]").count():
        box.locator("input[type=text]").first.fill("5")        # a number inside every numeric item's range
    box.locator(".coursekit-confidence .widget-radio-box label").first.click()
    return "Record my answer" if box.get_by_role("button", name="Record my answer").count() else "Check"


def answer_every_check(page: Page, nb: str) -> tuple[int, list[str]]:
    """Answer every item (and its confidence) and submit; feedback must be announced; Try again must clear it
    (belief polls: "Recorded", no Try again)."""
    checks = page.locator(f"{PANEL} .coursekit-check")
    problems = []
    for i in range(checks.count()):
        box = checks.nth(i)
        button = answer_item(box)
        box.get_by_role("button", name=button).click()
        feedback = box.locator(".coursekit-feedback")
        expected = "Recorded" if button != "Check" else "Correct|Not quite|Half right"
        try:
            expect(feedback).to_contain_text(re.compile(expected), timeout=15_000)
        except AssertionError:
            problems.append(f"{nb}: check question {i} showed no feedback")
            continue
        if button != "Check":
            if box.get_by_role("button", name="Try again").is_visible():
                problems.append(f"{nb}: belief poll {i} offers Try again")
            continue
        retry = box.get_by_role("button", name="Try again")
        try:
            expect(retry).to_be_visible(timeout=15_000)
            retry.click()
            expect(feedback).not_to_contain_text(re.compile(expected), timeout=15_000)
        except AssertionError:
            problems.append(f"{nb}: check question {i}: Try again did not appear or did not clear the feedback")
    return checks.count(), problems


def drive_notebook(page: Page, nb: str, shot_prefix: str = "", progress_file=None,
                   skip_buttons=()) -> tuple[int, int, list[str]]:
    """Everything a browser test does to a notebook after Run All, in JupyterLab and in the browser edition alike:
    a screenshot as the learner sees it (Go deeper sections collapsed), every Go deeper section opened, then no
    broken output, every explorer driven (exercise_explorers) and every check answered (answer_every_check).
    Returns (explorer controls, check questions, problems); broken output stops before the drive."""
    screenshot(page, shot_prefix + nb.replace(".ipynb", ".png"))
    print(f"[{nb}] {expand_go_deeper(page)} Go deeper sections opened")
    problems = output_problems(page, nb)
    if problems:
        return 0, 0, problems
    n_controls, problems = exercise_explorers(page, nb, progress_file, skip_buttons)
    n_checks, check_problems = answer_every_check(page, nb)
    return n_controls, n_checks, problems + check_problems


# ---------------------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_notebook_runs_and_every_control_answers(page: Page, lab, nb):
    page_errors = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    seconds = open_and_run_all(page, lab, nb)
    print(f"\n[{nb}] run-all {seconds:.2f} s")
    n_controls, n_checks, problems = drive_notebook(page, nb, progress_file=PROGRESS_FILES[lab[0]])
    page.locator(f"{PANEL} .coursekit-check").first.get_by_role("button", name="Check").click()  # leave one answered
    page.wait_for_timeout(500)
    screenshot(page, nb.replace(".ipynb", "_after_interaction.png"))
    print(f"[{nb}] {n_controls} explorer controls exercised, {n_checks} check questions answered")
    assert not problems, "\n".join(problems)
    assert n_checks >= 1
    assert not page_errors, f"{nb}: JavaScript errors: {page_errors}"


def test_browser_checks_catch_a_notebook_broken_on_purpose(page: Page, lab):
    open_and_run_all(page, lab, "zz_broken_on_purpose.ipynb")
    problems = "\n".join(output_problems(page, "zz_broken_on_purpose.ipynb"))
    assert "ZeroDivisionError" in problems
    assert "not every cell ran" in problems
    assert "widget shown as text: VBox(" in problems
