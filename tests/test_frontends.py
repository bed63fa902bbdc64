"""Every front end a learner may meet besides JupyterLab, in headless Chromium with the course's shipped settings:

- Notebook 7 (`jupyter notebook`, many hubs' default): a course notebook runs clean, and arrow keys move a focused
  slider (the shipped overrides take ArrowLeft/ArrowRight away from the heading shortcuts);
- Voila's app mode as a server extension (Binder's `urlpath=voila/render/...`): 00 renders with no code in view and
  tells the learner everything has run; slider keys and a check answer (saved to the progress file) work. Without
  the shipped synchronous contents manager this route hangs on every notebook with a Markdown image.
"""
from __future__ import annotations

import json
import re
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

from jupyterlab_page import PANEL, output_problems, screenshot
from tools import jupyter_settings
from tools.labserver import PROGRESS_FILES, delete_sessions, running_lab

pytestmark = pytest.mark.browser

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
# A slider whose kernel-side value is echoed into a label (proves the key press reached the kernel) and one check.
SLIDER_NOTEBOOK = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_markdown_cell("# Keys\n\n![Launch on Binder](https://mybinder.org/badge_logo.svg)"),
    nbformat.v4.new_code_cell(
        "import ipywidgets\n"
        "slider = ipywidgets.IntSlider(value=5, min=0, max=10, description='value')\n"
        "echo = ipywidgets.Label('kernel sees 5')\n"
        "slider.observe(lambda change: setattr(echo, 'value', f\"kernel sees {change['new']}\"), 'value')\n"
        "ipywidgets.VBox([slider, echo])"),
    nbformat.v4.new_code_cell("import coursekit\ncoursekit.check('01_what_biologics_are', 'definition')"),
], metadata=KERNEL)
EXTRA = {"zz_keys.ipynb": SLIDER_NOTEBOOK}


def test_the_shipped_settings_are_installed_in_this_environment():
    """make installs jupyter-config/ into .venv (as Binder's postBuild does into the image); the tests rely on it."""
    assert jupyter_settings.missing(Path(sys.prefix)) == [], "run `make` (or python -m tools.jupyter_settings install)"


def _kernel_idle(base: str, token: str, path_end: str, timeout_s: float = 90) -> None:
    """Wait until the server reports a kernel session for the notebook, idle."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout_s:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}") as r:
            sessions = [s for s in json.load(r) if s["path"].endswith(path_end)]
        if sessions and sessions[0]["kernel"]["execution_state"] == "idle":
            return
        time.sleep(0.3)
    raise AssertionError(f"no idle kernel for {path_end} within {timeout_s} s")


def _press_arrows_on_first_slider(page: Page, scope) -> tuple[float, float]:
    """Focus the slider, press Right, Right, Left, Right; the kernel must see value + 2 (its echo label says so)."""
    handle = scope.locator(".noUi-handle").first
    expect(handle).to_be_visible(timeout=60_000)
    before = float(handle.get_attribute("aria-valuenow"))
    handle.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowRight"):
        page.keyboard.press(key)
    expect(scope.get_by_text(f"kernel sees {before + 2:g}", exact=True)).to_be_visible(timeout=15_000)
    return before, float(handle.get_attribute("aria-valuenow"))


def _answer_check(scope) -> None:
    """Answer the first graded check (answer and confidence, as tests/test_browser.py does) and see its feedback."""
    from test_browser import answer_item

    checks = scope.locator(".coursekit-check")
    for i in range(checks.count()):
        box = checks.nth(i)
        button = answer_item(box)
        if button != "Check":       # a belief poll: not graded, look for the next item
            continue
        box.get_by_role("button", name=button).click()
        expect(box.locator(".coursekit-feedback")).to_contain_text(re.compile("Correct|Not quite|Half right"),
                                                                   timeout=15_000)
        return
    raise AssertionError("no graded check on the page")


# ------------------------------------------------------------------------------------------------ Notebook 7
@pytest.fixture(scope="module")
def notebook7():
    with running_lab(EXTRA, app="notebook") as server:
        yield server


def _open_notebook7(page: Page, server, nb: str) -> None:
    base, token = server
    page.goto(f"{base}/notebooks/notebooks/{nb}?token={token}")
    expect(page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")).to_be_visible(timeout=90_000)
    _kernel_idle(base, token, nb)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(f"""() => ![...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
            .some(p => p.textContent.includes('*'))""", timeout=300_000)
    _kernel_idle(base, token, nb)


def test_notebook7_runs_the_start_notebook_clean(page: Page, notebook7):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _open_notebook7(page, notebook7, "00_start_here.ipynb")
        screenshot(page, "notebook7_00_start_here.png")
        assert output_problems(page, "00_start_here.ipynb") == []
        assert page.locator(f"{PANEL} .jp-OutputArea .jupyter-widgets").count() > 0
        assert not errors, errors
    finally:
        delete_sessions(*notebook7)


def test_notebook7_arrow_keys_move_a_focused_slider_and_a_check_is_saved(page: Page, notebook7):
    try:
        _open_notebook7(page, notebook7, "zz_keys.ipynb")
        panel = page.locator(PANEL)
        assert _press_arrows_on_first_slider(page, panel) == (5, 7)
        _answer_check(panel)
        saved = json.loads(PROGRESS_FILES[notebook7[0]].read_text())["answers"]["01_what_biologics_are"]
        assert saved["definition"]["attempts"] == 1
    finally:
        delete_sessions(*notebook7)


# ------------------------------------------------------------------------------------------------ Voila
@pytest.fixture(scope="module")
def voila_server():
    """JupyterLab's server with Voila as a server extension: the route Binder's urlpath=voila/render/... takes."""
    with running_lab(EXTRA) as server:
        yield server


def _open_voila(page: Page, server, nb: str) -> float:
    base, token = server
    t0 = time.perf_counter()
    page.goto(f"{base}/voila/render/notebooks/{nb}?token={token}", timeout=120_000)
    # Voila streams cells as they run; done = its "Executing n of m" spinner is gone and widgets are drawn
    page.wait_for_function("() => !document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display === 'none'", timeout=120_000)
    expect(page.locator(".jupyter-widgets").first).to_be_visible(timeout=60_000)
    return time.perf_counter() - t0


def test_voila_app_mode_shows_00_without_code_and_says_everything_has_run(page: Page, voila_server):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        seconds = _open_voila(page, voila_server, "00_start_here.ipynb")
        print(f"\n[voila] 00_start_here rendered in {seconds:.1f} s")
        page.screenshot(path=str(Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots" /
                                 "voila_00_start_here.png"), full_page=True)
        text = page.locator("body").inner_text()
        assert "Start here" in text
        assert "You are in the app view" in text and "Skip the steps about running cells" in text
        assert "import coursekit" not in text and "coursekit.setup()" not in text     # no code in view
        assert page.locator(".cm-content, .CodeMirror").count() == 0
        assert page.locator(".jupyter-widgets-error-widget").count() == 0   # (00's help text names the message)
        assert page.locator(".coursekit-check").count() >= 1
        assert not [e for e in errors if "mathjax" not in e.lower()], errors   # (MathJax is fetched from a CDN)
    finally:
        delete_sessions(*voila_server)


def test_voila_slider_keys_and_a_check_answer_work_and_are_saved(page: Page, voila_server):
    try:
        _open_voila(page, voila_server, "zz_keys.ipynb")
        body = page.locator("body")
        assert _press_arrows_on_first_slider(page, body) == (5, 7)
        _answer_check(body)
        saved = json.loads(PROGRESS_FILES[voila_server[0]].read_text())["answers"]["01_what_biologics_are"]
        assert saved["definition"]["attempts"] == 1
    finally:
        delete_sessions(*voila_server)
