"""Real-browser tests: JupyterLab on 127.0.0.1, every notebook opened in headless Chromium, Run All, then
no tracebacks, every widget rendered as a widget, every explorer control moved and every button clicked with
the visible output changing. Screenshots are kept in test-artifacts/screenshots/.

Built on shared/reference/browser_test_example.py (its pitfalls and fixes are kept).
"""
from __future__ import annotations

import os
import re
import time
import urllib.parse
from pathlib import Path

import ipywidgets
import nbformat
import pytest
from playwright.sync_api import Page, expect

from labserver import delete_sessions, running_lab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SHOTS = ROOT / "test-artifacts" / "screenshots"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDGET_NAMES = sorted(n for n in dir(ipywidgets) if isinstance(getattr(ipywidgets, n), type)
                      and issubclass(getattr(ipywidgets, n), ipywidgets.DOMWidget))
# A widget the manager failed to render falls back to its text/plain repr: ipywidgets' own classes, or ours.
WIDGET_AS_TEXT = re.compile(r"^\s*(%s|Explorer|CheckQuestion|[A-Z]\w+Table)\(" % "|".join(WIDGET_NAMES))
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("No Chromium found: run `make test` (it installs one) or set CHROMIUM=/path/to/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROME_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


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
def open_and_run_all(page: Page, lab, nb: str) -> float:
    """Open notebooks/nb in JupyterLab, Run > Run All Cells, wait until done; return run seconds."""
    base, token = lab
    page.goto(f"{base}/lab/workspaces/e2e-{os.urandom(4).hex()}/tree/notebooks/{urllib.parse.quote(nb)}?token={token}")
    page.wait_for_function("""() => {
        const t = (document.querySelector('#jp-main-statusbar') || {}).textContent || '';
        return /\\|\\s*Idle/.test(t) && !/No Kernel/.test(t); }""", timeout=90_000)
    idle = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")
    expect(idle).to_be_visible()
    t0 = time.perf_counter()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(f"""() => ![...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
            .some(p => p.textContent.includes('*'))""", timeout=300_000)
    expect(idle).to_be_visible(timeout=60_000)
    return time.perf_counter() - t0


def screenshot(page: Page, name: str) -> None:
    """Full-notebook screenshot: grow the viewport to the notebook's scroll height first."""
    vp = page.viewport_size
    extra = page.evaluate(f"""() => {{ const s = document.querySelector('{PANEL} .jp-WindowedPanel-outer');
        return s ? s.scrollHeight - s.clientHeight : 0; }}""")
    page.set_viewport_size({"width": vp["width"], "height": min(vp["height"] + extra + 40, 16000)})
    page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer').forEach(s => { s.scrollTop = 0; })")
    page.wait_for_timeout(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.set_viewport_size(vp)


def output_problems(page: Page, nb: str) -> list[str]:
    """What a learner would see as broken after Run All: tracebacks, cells not run, widgets not rendered."""
    panel = page.locator(PANEL)
    problems = []
    stderr = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    problems += [f"{nb}: error output: {t[:300]}" for t in stderr.all_inner_texts()
                 if "Traceback" in t or re.search(r"^\w+(Error|Exception)\b", t, re.M)]
    # A collapsed (source_hidden) cell shows a placeholder instead of its prompt; a failure there breaks later cells.
    prompts = panel.locator(".jp-CodeCell").evaluate_all("""cells => cells.map(c => {
        const p = [...c.querySelectorAll('.jp-InputPrompt')].map(e => e.textContent.trim()).filter(Boolean);
        return p[0] || (c.querySelector('.jp-Placeholder, .jp-InputPlaceholder') ? 'collapsed' : ''); })""")
    if not all(re.fullmatch(r"\[\d+\]:", p) or p == "collapsed" for p in prompts):
        problems.append(f"{nb}: not every cell ran: {prompts}")
    texts = panel.locator('.jp-OutputArea-output[data-mime-type="text/plain"]').all_inner_texts()
    problems += [f"{nb}: widget shown as text: {t[:80]}" for t in texts if WIDGET_AS_TEXT.match(t)]
    if panel.locator(".jp-OutputArea-output").get_by_text("Error displaying widget").count():
        problems.append(f"{nb}: 'Error displaying widget'")
    if panel.locator(".jupyter-widgets-error-widget").count():
        problems.append(f"{nb}: broken widget(s)")
    views = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]')
    unrendered = sum(1 for i in range(views.count()) if views.nth(i).locator(".jupyter-widgets").count() == 0)
    if unrendered:
        problems.append(f"{nb}: {unrendered} widget output(s) rendered nothing")
    return problems


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


def exercise_explorers(page: Page, nb: str) -> tuple[int, list[str]]:
    """Move every slider, change every dropdown, click every button of every explorer; return (controls, problems)."""
    boxes = page.locator(f"{PANEL} .coursekit-explorer")
    problems, n_controls = [], 0
    for b in range(boxes.count()):
        box = boxes.nth(b)
        title = box.locator("h4").first.inner_text() if box.locator("h4").count() else f"explorer {b}"
        handles = box.locator(".noUi-handle")
        for i in range(handles.count()):
            handle = handles.nth(i)
            key = "ArrowLeft" if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax") \
                else "ArrowRight"
            n_controls += 1
            problems.append(_changes(page, box, lambda: (handle.focus(), handle.press(key)),
                                     f"{nb} / {title}: slider {i}"))
        selects = box.locator("select")
        for i in range(selects.count()):
            select = selects.nth(i)
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
            other = next((o for o in options if o != current), None)
            if other is None:
                continue
            n_controls += 1
            problems.append(_changes(page, box, lambda: select.select_option(label=other),
                                     f"{nb} / {title}: dropdown {i}"))
        buttons = box.locator("button.widget-button:not([disabled])")
        for i in range(buttons.count()):
            button = buttons.nth(i)
            if not button.is_visible():
                continue
            n_controls += 1
            problems.append(_changes(page, box, button.click, f"{nb} / {title}: button {button.inner_text()!r}"))
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
    n_controls, problems = exercise_explorers(page, nb)
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
