"""The browser edition (`make lite`, JupyterLite + Pyodide) in a real browser, with nothing but the site reachable.

_build/lite/ is served on 127.0.0.1 as a static host serves it (tools/serve_lite.py), built first by make if missing
or out of date (LITE_SITE=<folder> tests another as it is).
Chromium resolves no host name but 127.0.0.1 and every request to another address is aborted and recorded. Each
notebook is opened in a fresh browser profile, run (Run All), every explorer and check driven as in
tests/test_browser.py (the page must show what the models compute), and then: no error output, no page error, no
request outside the site. One check answered in 00 must still be in the progress table after a page reload (a new
kernel: the answer was kept in the browser's storage under /drive). Screenshots: test-artifacts/screenshots/lite_*.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jupyterlab_page import CHROME_ARGS, NOTEBOOKS, PANEL, chromium_path, expand_go_deeper, screenshot
from test_browser import answer_item, drive_notebook
from tools.serve_lite import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.lite]

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("LITE_SITE", ROOT / "_build" / "lite"))
RESET_LABEL = "Clean copies of the notebooks"     # the browser edition's own button (coursekit.widgets.progress)
KERNEL_IDLE = """() => { const t = (document.querySelector('#jp-main-statusbar') || {}).textContent || '';
    return /\\|\\s*Idle/.test(t) && !/No Kernel/.test(t); }"""
# The loaded 2-core machine can take a minute to start Pyodide; a learner's laptop takes about 10 s.
KERNEL_TIMEOUT_MS = 300_000


@pytest.fixture(scope="module")
def site() -> Path:
    """The site under test: LITE_SITE as it is, or _build/lite built (again) by make when missing or older than
    what goes into it (Makefile: LITE_SOURCES); a no-op when make test has just done so."""
    if "LITE_SITE" in os.environ:
        if not (SITE / "index.html").exists():
            pytest.fail(f"LITE_SITE={SITE} has no index.html")
        return SITE
    subprocess.run(["make", "--no-print-directory", "_build/lite/index.html"], cwd=ROOT, check=True)
    return SITE


@pytest.fixture(scope="module")
def lite_url(site):
    with serve(site) as url:      # as a static host serves it (tools/serve_lite.py)
        yield url


@pytest.fixture(scope="module")
def offline_browser(playwright):
    """Chromium that resolves no host name but 127.0.0.1 (service workers and web workers included)."""
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=[
        *CHROME_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
    yield browser
    browser.close()


class Visit:
    """A fresh browser profile on the site: requests outside it are aborted and recorded, page errors recorded."""

    def __init__(self, browser, base_url: str):
        self.base = base_url
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._guard)
        self.context.on("request", self._seen)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _inside(self, url: str) -> bool:
        return url.startswith((self.base + "/", "data:", "blob:"))

    def _seen(self, request) -> None:
        if not self._inside(request.url):
            self.outside.append(request.url)

    def _guard(self, route) -> None:
        if self._inside(route.request.url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, nb: str) -> float:
        """Open notebooks/nb; return seconds until the kernel is idle."""
        t0 = time.perf_counter()
        self.page.goto(f"{self.base}/lab/index.html?path=notebooks/{nb}")
        self.wait_idle()
        return time.perf_counter() - t0

    def wait_idle(self) -> None:
        self.page.wait_for_function(KERNEL_IDLE, timeout=KERNEL_TIMEOUT_MS)
        expect(self.page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")).to_be_visible(
            timeout=KERNEL_TIMEOUT_MS)

    def run_all(self) -> float:
        t0 = time.perf_counter()
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        self.page.wait_for_function(f"""() => ![...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
            .some(p => p.textContent.includes('*'))""", timeout=KERNEL_TIMEOUT_MS)
        self.wait_idle()
        return time.perf_counter() - t0

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(offline_browser, lite_url):
    v = Visit(offline_browser, lite_url)
    yield v
    v.close()


# ---------------------------------------------------------------------------------------------- the site itself
def test_site_is_self_contained(site):
    """Pyodide is self-hosted and every package file matches the site's lock; no PyPI or CDN fallback; the two
    notebook shortcuts that swallow a slider's arrow keys are off; the notebooks embed nothing from other hosts."""
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js" and kernel["disablePyPIFallback"] is True
    pyodide = site / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["version"].startswith("0.27.")
    for name, entry in lock["packages"].items():
        data = (pyodide / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    assert {"coursekit", "ipywidgets", "comm", "numpy", "matplotlib"} <= set(lock["packages"])
    # the kernel's own packages load in one step at start (no one-by-one piplite installs): each one is in the lock
    preloaded = kernel["loadPyodideOptions"]["packages"]
    assert {"piplite", "ipykernel", "pyodide_kernel", "ipython", "comm"} <= set(preloaded)
    assert {re.sub(r"[-_.]+", "-", p) for p in preloaded} <= set(lock["packages"])
    # ahead-of-time bytecode (tools/build_lite.add_bytecode): unchecked-hash .pyc of CPython 3.12 (Pyodide 0.27's
    # bytecode); IPython and the standard library as bytecode only, coursekit with its sources beside
    magic_unchecked = (3531).to_bytes(2, "little") + b"\r\n" + (1).to_bytes(4, "little")
    for package, pyc, source_kept in [
            ("ipython", "IPython/core/interactiveshell.pyc", False),
            ("coursekit", "coursekit/widgets/__pycache__/explorer.cpython-312.pyc", True)]:
        with zipfile.ZipFile(pyodide / lock["packages"][package]["file_name"]) as z:
            assert z.read(pyc)[:8] == magic_unchecked, pyc
            source = pyc.replace("__pycache__/", "").replace(".cpython-312.pyc", ".pyc")[:-1]
            assert (source in z.namelist()) is source_kept, source
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as z:
        assert z.read("json/decoder.pyc")[:8] == magic_unchecked and "json/decoder.py" not in z.namelist()
    shortcuts = config["settingsOverrides"]["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    assert {(s["command"], s["keys"][0]) for s in shortcuts if s.get("disabled")} == {
        ("notebook:move-cursor-heading-below-or-expand", "ArrowRight"),
        ("notebook:move-cursor-heading-above-or-collapse", "ArrowLeft")}
    for nb in NOTEBOOKS:
        text = (site / "files" / "notebooks" / nb).read_text()
        assert not re.search(r"!\[[^\]]*\]\(https?://", text), f"{nb}: an image from another host"
        assert "<img src=\"http" not in text, nb
    assert "notebooks/00_start_here.ipynb" in (site / "index.html").read_text()


# ---------------------------------------------------------------------------------------------- every notebook
@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_notebook_runs_offline_in_the_browser_and_every_control_answers(visit, nb):
    seconds_open = visit.open(nb)
    seconds_run = visit.run_all()
    print(f"\n[lite {nb}] open -> kernel idle {seconds_open:.1f} s, run all {seconds_run:.1f} s")
    # no red text for a learner after Run All (matplotlib's font-cache note in every new kernel was one)
    stderr = visit.page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, f"{nb}: stderr shown: {stderr.all_inner_texts()[:3]}"
    n_controls, n_checks, problems = drive_notebook(visit.page, nb, "lite_", skip_buttons=(RESET_LABEL,))
    screenshot(visit.page, "lite_" + nb.replace(".ipynb", "_after_interaction.png"))
    print(f"[lite {nb}] {n_controls} explorer controls, {n_checks} checks")
    assert not problems, "\n".join(problems)
    assert n_checks >= 1
    assert not visit.errors, f"{nb}: page errors: {visit.errors}"
    assert not visit.outside, f"{nb}: requests outside the site: {visit.outside[:10]}"


def _progress_box(page: Page):
    return page.locator(f"{PANEL} .coursekit-explorer", has_text="Your progress").first


def _progress_row(page: Page, number: str) -> str:
    table = _progress_box(page).locator(".coursekit-summary")
    expect(table).to_be_visible(timeout=60_000)
    row = table.locator("tr", has_text=re.compile(rf"^\s*{number} "))
    return re.sub(r"\s+", " ", row.first.inner_text()).strip()


def test_an_answer_survives_a_page_reload(visit):
    """Answer the warm-up check of 00, reload the page (a new kernel), run all: the progress table still counts it,
    read from /drive/progress/progress.json in the browser's storage."""
    visit.open("00_start_here.ipynb")
    visit.run_all()
    assert re.search(r"0 of \d+", _progress_row(visit.page, "00"))
    assert expand_go_deeper(visit.page) == 1               # 00's warm-up check sits in its one Go deeper cell
    check = visit.page.locator(f"{PANEL} .coursekit-check", has_text="A warm-up to practise the buttons")
    assert answer_item(check) == "Check"                  # an answer and how sure, as a learner gives them
    check.get_by_role("button", name="Check").click()
    expect(check.locator(".coursekit-feedback")).to_contain_text(re.compile("Correct|Not quite|Half right"),
                                                                 timeout=60_000)
    notice = _progress_box(visit.page)
    expect(notice.locator(".coursekit-summary")).to_contain_text("1 of", timeout=60_000)
    expect(notice).to_contain_text("Saved in this browser only (the file progress/progress.json)")
    expect(notice.locator("a[download]")).to_have_attribute("href", re.compile("^data:application/json;base64,"))
    visit.page.wait_for_timeout(2000)  # the file reaches the browser's storage
    visit.page.on("dialog", lambda d: d.accept())   # "leave the page?" for the edited notebook: leave
    visit.page.goto("about:blank")
    try:
        visit.open("00_start_here.ipynb")           # the page again: a new kernel, the same browser storage
    except Exception:
        screenshot(visit.page, "lite_00_reload_failed.png")
        raise
    visit.run_all()
    row = _progress_row(visit.page, "00")
    assert re.search(r"\b1 of \d+", row), f"after a reload the progress table shows {row!r}"
    screenshot(visit.page, "lite_00_after_reload.png")
    assert not visit.errors, f"page errors: {visit.errors}"
    assert not visit.outside, f"requests outside the site: {visit.outside[:10]}"
