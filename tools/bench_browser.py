"""Browser half of the benchmark: key press or click -> new output painted, per explorer, in JupyterLab/Chromium."""
from __future__ import annotations

import os
import statistics
import subprocess
import urllib.parse
from pathlib import Path

from tools.labserver import delete_sessions, running_lab

ROOT = Path(__file__).resolve().parents[1]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Every mutation of the explorer box after the input event re-arms a "painted" timestamp taken after the next
# frame; read after things settle, it is the paint that followed the last change the update made.
PROBE = r"""(box) => {
  const L = window.__lat = {events: []};
  const arm = () => { const r = {t0: performance.now(), mutations: 0}; L.events.push(r); };
  box.addEventListener('keydown', arm, true);
  box.addEventListener('click', arm, true);
  box.addEventListener('change', () => {       // a dropdown chosen without a click (keyboard or script)
    const last = L.events[L.events.length - 1];
    if (!last || performance.now() - last.t0 > 100) arm(); }, true);
  new MutationObserver(() => {
    const r = L.events[L.events.length - 1];
    if (!r) return;
    r.mutations += 1;
    requestAnimationFrame(() => setTimeout(() => { r.tPaint = performance.now(); }));
  }).observe(box, {childList: true, subtree: true, attributes: true, characterData: true});
}"""


# Commit -> revealed figure painted: armed by a click on the Commit button, stamped after the frame that follows the
# first mutation leaving a figure <img> in the explorer box.
COMMIT_PROBE = r"""(box) => {
  const L = window.__commit = {events: []};
  box.addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (b && b.textContent.includes('Commit my prediction')) L.events.push({t0: performance.now()}); }, true);
  new MutationObserver(() => {
    const r = L.events[L.events.length - 1];
    if (!r || r.armed || !box.querySelector('img.coursekit-figure')) return;
    r.armed = true;
    requestAnimationFrame(() => setTimeout(() => { r.tPaint = performance.now(); }));
  }).observe(box, {childList: true, subtree: true, attributes: true, characterData: true});
}"""


def _visible_button(box, name: str):
    button = box.get_by_role("button", name=name)
    return button if button.count() and button.first.is_visible() else None


def _measure_commit(page, box, n: int) -> dict | None:
    """Predict -> Commit n times (Predict again in between); Commit -> figure painted, per commit."""
    commit = _visible_button(box, "Commit my prediction")
    if commit is None:
        return None
    box.evaluate(COMMIT_PROBE)
    groups = box.locator(".coursekit-prediction .widget-radio-box")
    for i in range(n):
        again = _visible_button(box, "Predict again")
        if again is not None:
            again.click()
            page.wait_for_timeout(800)   # Predict again draws the next reveal ahead (not part of Commit)
        groups.nth(0).locator("label").nth(i % max(1, groups.nth(0).locator("label").count())).click()
        groups.nth(1).locator("label").last.click()
        page.wait_for_timeout(150)
        box.get_by_role("button", name="Commit my prediction").click()
        page.wait_for_timeout(600)
        skip = _visible_button(box, "Skip: show the numbers")
        if skip is not None:
            skip.click()
            page.wait_for_timeout(400)
    events = [e for e in page.evaluate("window.__commit.events") if e.get("tPaint")]
    return _stats([e["tPaint"] - e["t0"] for e in events]) if events else None


def _stats(values: list[float]) -> dict:
    values = sorted(values)
    return {"median_ms": round(statistics.median(values), 1),
            "p95_ms": round(values[max(0, int(0.95 * len(values)) - 1)], 1), "n": len(values)}


def _measure_box(page, box, n: int) -> dict | None:
    box.evaluate(PROBE)
    handle, select = box.locator(".noUi-handle").first, box.locator("select").first
    button = box.locator("button.widget-button:not([disabled])").first
    for i in range(n):
        if handle.count():
            handle.focus()
            handle.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        elif select.count():
            options = select.locator("option").all_inner_texts()
            select.select_option(label=options[(i + 1) % len(options)])
        elif button.count() and button.is_visible():
            button.click()
        else:
            return None
        page.wait_for_timeout(600)  # let the update finish and paint: isolated updates, not a queue
    events = [e for e in page.evaluate("window.__lat.events") if e.get("tPaint")]
    return _stats([e["tPaint"] - e["t0"] for e in events]) if events else None


def measure_browser(results: list[dict], changes: int = 12) -> None:
    """Add a 'browser' entry (median/p95 change-to-paint) to each explorer of each notebook result."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or subprocess.run(
        [str(ROOT / "tools" / "ensure_chromium.sh")], capture_output=True, text=True, check=True).stdout.strip()
    with running_lab() as (base, token), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for result in results:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            nb = result["notebook"]
            page.goto(f"{base}/lab/workspaces/bench-{os.urandom(4).hex()}/tree/notebooks/"
                      f"{urllib.parse.quote(nb)}?token={token}")
            page.wait_for_function("""() => { const t = (document.querySelector('#jp-main-statusbar') || {})
                .textContent || ''; return /\\|\\s*Idle/.test(t) && !/No Kernel/.test(t); }""", timeout=90_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            page.wait_for_function(f"""() => ![...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
                .some(p => p.textContent.includes('*'))""", timeout=300_000)
            page.wait_for_timeout(1000)
            boxes = page.locator(f"{PANEL} .coursekit-explorer")
            measured = []
            for i in range(boxes.count()):
                box = boxes.nth(i)
                box.scroll_into_view_if_needed()
                committed = _measure_commit(page, box, 8)
                m = _measure_box(page, box, changes)
                if m is not None and committed is not None:
                    m["commit"] = committed
                measured.append(m)
            explorers = result["explorers"]
            for e, m in zip(explorers, measured):
                if m:
                    e["browser"] = m
            if len(measured) != len(explorers):
                result["browser_note"] = f"{len(measured)} explorer boxes in the page, {len(explorers)} in the kernel"
            page.close()
            delete_sessions(base, token)
        browser.close()
