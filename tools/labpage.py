"""Driving a course notebook in JupyterLab/Chromium, shared by the browser tests and the benchmark.

Open a notebook and Run All, open the "Go deeper" sections (stored collapsed, so their cells are hidden until a
learner opens them), and make a prediction in an explorer the way a learner does (a choice, then how sure).
tests/jupyterlab_page.py re-exports these for the tests; tools/bench_browser.py times the same actions.
"""
from __future__ import annotations

import os
import time
import urllib.parse

from playwright.sync_api import Page, expect

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"
COMMIT = "Commit my prediction"
LOOP_BUTTONS = (COMMIT, "Predict again", "Check my reading", "Skip: show the numbers")


def open_and_run_all(page: Page, lab: tuple[str, str], nb: str) -> float:
    """Open notebooks/nb in JupyterLab, Run > Run All Cells, wait until done; return run seconds."""
    base, token = lab
    page.goto(f"{base}/lab/workspaces/e2e-{os.urandom(4).hex()}/tree/notebooks/{urllib.parse.quote(nb)}?token={token}")
    page.wait_for_function("""() => {
        const t = (document.querySelector('#jp-main-statusbar') || {}).textContent || '';
        return /\\|\\s*Idle/.test(t) && !/No Kernel/.test(t); }""", timeout=90_000)
    idle = page.locator(IDLE)
    expect(idle).to_be_visible()
    t0 = time.perf_counter()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(f"""() => ![...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
            .some(p => p.textContent.includes('*'))""", timeout=300_000)
    expect(idle).to_be_visible(timeout=60_000)
    return time.perf_counter() - t0


def wait_idle(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until the notebook's kernel is idle (nothing it was asked to do is still running)."""
    expect(page.locator(IDLE)).to_be_visible(timeout=timeout_ms)


def expand_go_deeper(page: Page) -> int:
    """Open every collapsed "Go deeper" section (JupyterLab's "N cells hidden" buttons); return how many were opened."""
    panel = page.locator(PANEL)
    opened = 0
    for _ in range(40):
        buttons = panel.locator(".jp-showHiddenCellsButton")
        if not buttons.count():
            break
        buttons.first.click()
        opened += 1
        page.wait_for_timeout(300)
    return opened


def box_title(box, fallback: str) -> str:
    """The title a learner reads at the top of a course widget (its h3), or fallback."""
    return box.locator("h3").first.inner_text().strip() if box.locator("h3").count() else fallback


def choose_prediction(box, choice: int = 0) -> str:
    """Pick prediction number `choice` (wrapping round) and the last confidence ("sure"), by clicking their labels as
    a learner does; return the chosen prediction's text."""
    groups = box.locator(".coursekit-prediction .widget-radio-box")
    labels = groups.nth(0).locator("label")
    label = labels.nth(choice % max(1, labels.count()))
    text = label.inner_text()
    label.click()
    groups.nth(1).locator("label").last.click()
    return text
