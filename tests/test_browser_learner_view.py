"""What a learner sees on opening a notebook in JupyterLab 4 (headless Chromium): no code, "Go deeper" sections
collapsed until opened, and, after Run All, the collapsed sections' cells have run too.
Screenshots: test-artifacts/screenshots/learner_view_*.png (look at them)."""
from __future__ import annotations

import os
import urllib.parse

import nbformat
import pytest
from playwright.sync_api import Page, expect

from jupyterlab_page import NB_DIR, PANEL, open_and_run_all, screenshot
from tools.labserver import delete_sessions, running_lab

pytestmark = pytest.mark.browser
NB = "01_what_biologics_are.ipynb"


@pytest.fixture(scope="module")
def lab():
    with running_lab() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_kernel(lab):
    yield
    delete_sessions(*lab)


def _open(page: Page, lab, nb: str) -> None:
    base, token = lab
    page.goto(f"{base}/lab/workspaces/lv-{os.urandom(4).hex()}/tree/notebooks/{urllib.parse.quote(nb)}?token={token}")
    expect(page.locator(f"{PANEL} .jp-MarkdownCell").first).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1500)


def _deeper_headings(nb: str) -> list[str]:
    cells = nbformat.read(NB_DIR / nb, as_version=4).cells
    return [c.source.splitlines()[0].lstrip("# ").strip() for c in cells
            if c.cell_type == "markdown" and c.metadata.get("jp-MarkdownHeadingCollapsed")]


def test_opened_notebook_shows_no_code_and_collapsed_go_deeper_sections(page: Page, lab):
    _open(page, lab, NB)
    panel = page.locator(PANEL)
    screenshot(page, "learner_view_01_opened.png")
    # Every code cell shows the collapsed-input placeholder, never an editor with code.
    code = panel.locator(".jp-CodeCell")
    assert code.count() >= 1
    editors = panel.locator(".jp-CodeCell .jp-InputArea-editor:visible")
    assert editors.count() == 0, f"{editors.count()} code editors are visible"
    assert panel.locator(".jp-CodeCell .jp-InputPlaceholder").count() >= 1
    # Each "Go deeper" heading is visible, with JupyterLab's "N cells hidden" button; what is under it is not.
    headings = _deeper_headings(NB)
    assert len(headings) >= 2
    for title in headings:
        expect(panel.get_by_role("heading", name=title, exact=True)).to_be_visible()
    hidden_buttons = panel.locator(".jp-showHiddenCellsButton")
    assert hidden_buttons.count() == len(headings)
    ladder = panel.locator(".jp-RenderedMarkdown", has_text="A size ladder from aspirin to a CHO cell")
    assert ladder.count() == 0 or not ladder.first.is_visible(), "Go deeper content is visible"
    expect(panel.get_by_role("heading", name="2. Living cells as biological factories", exact=True)).to_be_visible()
    # Opening one section shows its content.
    hidden_buttons.nth(headings.index("Go deeper: how big is a biologic?")).click()
    page.wait_for_timeout(800)
    expect(ladder.first).to_be_visible()
    screenshot(page, "learner_view_01_one_section_opened.png")


def test_run_all_runs_the_cells_inside_collapsed_sections(page: Page, lab):
    open_and_run_all(page, lab, NB)
    panel = page.locator(PANEL)
    for _ in range(20):
        buttons = panel.locator(".jp-showHiddenCellsButton")
        if not buttons.count():
            break
        buttons.first.click()
        page.wait_for_timeout(300)
    prompts = panel.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    assert prompts and all(p.strip().startswith("[") and "[ ]" not in p for p in prompts if p.strip()), prompts
    expect(panel.locator(".coursekit-explorer").first).to_be_visible()
    screenshot(page, "learner_view_01_after_run_all_expanded.png")
