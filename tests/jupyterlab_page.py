"""JupyterLab in a real browser, shared by the browser tests: find Chromium, open a notebook, Run All,
take a full-notebook screenshot, list what a learner would see as broken.

Moved here unchanged from tests/test_browser.py so tests/test_accessibility.py can reuse them. Opening a notebook,
Run All and opening the "Go deeper" sections live in tools/labpage.py (the benchmark drives the page the same way).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import ipywidgets
import pytest
from playwright.sync_api import Page

from tools.labpage import CHROME_ARGS, PANEL, expand_go_deeper, open_and_run_all  # noqa: F401 (shared with tools)

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SHOTS = ROOT / "test-artifacts" / "screenshots"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))
WIDGET_NAMES = sorted(n for n in dir(ipywidgets) if isinstance(getattr(ipywidgets, n), type)
                      and issubclass(getattr(ipywidgets, n), ipywidgets.DOMWidget))
# A widget the manager failed to render falls back to its text/plain repr: ipywidgets' own classes, or ours.
# A course widget's text/plain is "▶ Run this cell (Shift+Enter) to show …" (coursekit.widgets.base.CourseBox).
_NAMES = "|".join([*WIDGET_NAMES, "Explorer", "CheckQuestion", r"[A-Z]\w+Table"])
WIDGET_AS_TEXT = re.compile(r"^\s*(▶ Run this cell|(" + _NAMES + r")\()")


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("No Chromium found: run `make test` (it installs one) or set CHROMIUM=/path/to/chromium")


def screenshot(page: Page, name: str) -> None:
    """Full-notebook screenshot: grow the viewport to the notebook's scroll height first."""
    vp = page.viewport_size
    assert vp is not None, "the browser page has a fixed viewport (tests/conftest.py)"
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
