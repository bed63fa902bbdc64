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

from jupyterlab_page import (NB_DIR, NOTEBOOKS, PANEL, open_and_run_all, output_problems,
                             screenshot)
from explorer_mirror import NotebookMirror, squash, status_texts
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
            problems.append(_changes(page, box, lambda: (handle.focus(), handle.press(key)), what))
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
            problems.append(_changes(page, box, lambda: select.select_option(label=other), what))
            mirror.choose(dropdown, other)
            problems.append(_agrees_with_model(page, box, explorer, what))
        buttons = box.locator("button.widget-button:not([disabled])")
        for i in range(buttons.count()):
            button = buttons.nth(i)
            if not button.is_visible():
                continue
            label = button.inner_text().strip()
            if label in skip_buttons:
                continue
            nth = button.evaluate("""(el) => [...el.closest('.coursekit-explorer')
                .querySelectorAll('button.widget-button:not([disabled])')]
                .filter(b => b.offsetParent !== null && b.innerText.trim() === el.innerText.trim()).indexOf(el)""")
            n_controls += 1
            what = f"{nb} / {title}: button {label!r}"
            problems.append(_changes(page, box, button.click, what))
            mirror.click(explorer, label, nth)
            problems.append(_agrees_with_model(page, box, explorer, what))
    return n_controls, [p for p in problems if p]


def answer_every_check(page: Page, nb: str) -> tuple[int, list[str]]:
    """Choose an answer and press Check on every question; the feedback must appear, Try again must clear it."""
    checks = page.locator(f"{PANEL} .coursekit-check")
    problems = []
    for i in range(checks.count()):
        box = checks.nth(i)
        box.locator(".widget-radio-box label").first.click()
        box.get_by_role("button", name="Check").click()
        feedback = box.locator(".coursekit-feedback")
        try:
            expect(feedback).to_contain_text(re.compile("Correct|Not quite"), timeout=15_000)
        except AssertionError:
            problems.append(f"{nb}: check question {i} showed no feedback")
            continue
        retry = box.get_by_role("button", name="Try again")
        try:
            expect(retry).to_be_visible(timeout=15_000)
            retry.click()
            expect(feedback).to_have_count(0, timeout=15_000)
        except AssertionError:
            problems.append(f"{nb}: check question {i}: Try again did not appear or did not clear the feedback")
    return checks.count(), problems


# ---------------------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_notebook_runs_and_every_control_answers(page: Page, lab, nb):
    page_errors = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    seconds = open_and_run_all(page, lab, nb)
    print(f"\n[{nb}] run-all {seconds:.2f} s")
    screenshot(page, nb.replace(".ipynb", ".png"))
    problems = output_problems(page, nb)
    assert not problems, "\n".join(problems)
    n_controls, problems = exercise_explorers(page, nb, PROGRESS_FILES[lab[0]])
    n_checks, check_problems = answer_every_check(page, nb)
    page.locator(f"{PANEL} .coursekit-check").last.get_by_role("button", name="Check").click()  # leave one answered
    page.wait_for_timeout(500)
    screenshot(page, nb.replace(".ipynb", "_after_interaction.png"))
    print(f"[{nb}] {n_controls} explorer controls exercised, {n_checks} check questions answered")
    assert not problems + check_problems, "\n".join(problems + check_problems)
    assert n_checks >= 1
    assert not page_errors, f"{nb}: JavaScript errors: {page_errors}"


def test_browser_checks_catch_a_notebook_broken_on_purpose(page: Page, lab):
    open_and_run_all(page, lab, "zz_broken_on_purpose.ipynb")
    problems = "\n".join(output_problems(page, "zz_broken_on_purpose.ipynb"))
    assert "ZeroDivisionError" in problems
    assert "not every cell ran" in problems
    assert "widget shown as text: VBox(" in problems
