"""Browser half of the benchmark: every explorer of every notebook, in JupyterLab/Chromium, as a learner uses it.

JupyterLab runs with its default notebook windowing ("full"), as learners have it: only the cells near the
viewport are shown, so the notebook is scrolled from top to bottom to meet each explorer (see `each_explorer`).
The page is driven with the browser tests' helpers (tools/labpage.py): open the notebook, Run All, then scroll,
opening every "Go deeper" section met (they are stored collapsed, and JupyterLab does not show the cells of a
collapsed section, so their explorers cannot be used or timed until it is opened). Then, per explorer:

- commit: the learner picks a prediction and how sure, presses **Commit my prediction**; timed from the click to
  the frame painted after the revealed figure is in the page and decoded ("Predict again" in between, untimed);
- change: after the reveal, one control change: a slider key press (every slider in turn), or for an explorer
  without sliders a dropdown choice, or else a click on one of its own buttons; timed from the key press (or
  click, or choice) to the frame painted after the last output the update changed (images decoded).

An explorer with no such measurement gets a note that says why (no prediction, no figure, no control).

Before the notebooks and again after them, the platform's floor: the same slider change on two reference widgets
that compute nothing (FLOOR_CODE), in the same lab and browser. It is what any widget on this machine pays (key
press, server, kernel, messages back, paint), so an explorer's own cost is its time beyond the floor's figure swap;
measured at both ends, it also shows how much the machine's speed moved during the run.
"""
from __future__ import annotations

import math
import os
import re
import statistics
import subprocess
import time
from pathlib import Path

from tools.labpage import (CHROME_ARGS, COMMIT, LOOP_BUTTONS, PANEL, box_title, choose_prediction,
                           open_and_run_all, wait_idle)
from tools.labserver import delete_sessions, running_lab

ROOT = Path(__file__).resolve().parents[1]
ARGS = CHROME_ARGS  # tools/bench_lite.py launches Chromium with the same flags

# One record per timed action. A record is armed by the action (Python sets `mode` first); every mutation of the
# explorer box after it schedules a stamp taken in the frame after the box's images are decoded; the record's tPaint
# is the latest stamp: the paint that shows the last thing the update changed. `outputs` counts mutations outside the
# control that was used (the kernel's answer, not the slider's own readout).
PROBE = r"""(box) => {
  const L = window.__bench = {mode: null, records: []};
  const arm = (control) => { const r = {mode: L.mode, t0: performance.now(), control, mutations: 0, outputs: 0,
                                        pending: 0, tLast: performance.now()}; L.records.push(r); return r; };
  box.addEventListener('keydown', (ev) => {
    if (L.mode === 'change') arm(ev.target.closest('.widget-slider') || ev.target); }, true);
  box.addEventListener('change', (ev) => {
    if (L.mode === 'change' && ev.target.tagName === 'SELECT') arm(ev.target); }, true);
  box.addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (!b) return;
    if (L.mode === 'commit' && b.textContent.includes('Commit my prediction')) arm(b);
    else if (L.mode === 'change') arm(b);
  }, true);
  const stamp = (r, figureOnly) => {
    const imgs = [...box.querySelectorAll(figureOnly ? 'img.coursekit-figure' : 'img')];
    r.pending += 1;
    Promise.all(imgs.map(i => i.decode().catch(() => null))).then(() =>
      requestAnimationFrame(() => setTimeout(() => {
        r.tPaint = Math.max(r.tPaint || 0, performance.now()); r.pending -= 1; })));
  };
  new MutationObserver((mutations) => {
    const r = L.records[L.records.length - 1];
    if (!r) return;
    r.mutations += 1;
    r.tLast = performance.now();
    if (mutations.some(m => !(r.control && r.control.contains(m.target)))) r.outputs += 1;
    if (r.mode === 'commit') {          // the first mutation that leaves the revealed figure in the page
      if (r.figure || !box.querySelector('img.coursekit-figure')) return;
      r.figure = true;
      stamp(r, true);
    } else {
      stamp(r, false);
    }
  }).observe(box, {childList: true, subtree: true, attributes: true, characterData: true});
}"""

# Done when the record has its paint stamp, no stamp is pending, the kernel answered (an output changed) and the box
# has been quiet for 150 ms; for a commit, when the figure's paint is stamped.
DONE = r"""() => { const L = window.__bench, r = L.records[L.records.length - 1];
  if (!r) return false;
  if (r.mode === 'commit') return !!r.tPaint;
  return !!r.tPaint && r.pending === 0 && r.outputs > 0 && performance.now() - r.tLast > 150; }"""


COMMIT_WAIT_MS = 15_000  # a Commit that paints no figure in this time counts as a miss (noted, not timed)
CHANGE_WAIT_MS = 5_000   # a change that changes no output in this time (e.g. a choice that only arms a Check button)


def _stats(values: list[float]) -> dict:
    """Median and p95 (nearest rank: never below the median; the largest of fewer than 20 values) of a non-empty
    list of times."""
    values = sorted(values)
    return {"median_ms": round(statistics.median(values), 1),
            "p95_ms": round(values[math.ceil(0.95 * len(values)) - 1], 1), "n": len(values)}


def _visible(locator) -> bool:
    return bool(locator.count()) and locator.first.is_visible()


def _last_record(page) -> dict:
    return page.evaluate("window.__bench.records[window.__bench.records.length - 1] || {}")


def _wait_done(page, timeout_ms: int) -> dict | None:
    """The last record once its paint is stamped; None if the page did not get there within the timeout."""
    try:
        page.wait_for_function(DONE, timeout=timeout_ms, polling=20)
    except Exception:
        return None
    wait_idle(page)
    return _last_record(page)


def _set_mode(box, mode: str | None) -> None:
    box.evaluate("(b, mode) => { window.__bench.mode = mode; }", mode)


NEXT_STEP = r"""(b) => [...b.querySelectorAll('button')].some(x => x.offsetParent !== null &&
    /Predict again|Skip: show the numbers/.test(x.textContent))"""


def _to_revealed(page, box) -> None:
    """After a Commit: wait for the loop's next step (Predict again, or the read-the-graph step first), and skip the
    reading (it is not timed here) so the explorer ends revealed, its controls unlocked."""
    page.wait_for_function(NEXT_STEP, arg=box.element_handle(), timeout=COMMIT_WAIT_MS)
    skip = box.get_by_role("button", name="Skip: show the numbers")
    if _visible(skip):
        skip.click(timeout=10_000)
        box.get_by_role("button", name="Predict again").wait_for(state="visible", timeout=COMMIT_WAIT_MS)
    wait_idle(page)


def _problem(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:160]


def measure_commits(page, box, n: int) -> tuple[dict | None, str]:
    """Predict -> Commit n times ("Predict again" between, untimed). Returns (stats or None, note)."""
    commit = box.get_by_role("button", name=COMMIT)
    if not _visible(commit):
        return None, "no prediction (no Commit button)"
    times, misses, errors = [], 0, []
    for i in range(n):
        try:
            if not _visible(commit):           # revealed: ask the question again (untimed)
                _set_mode(box, None)
                box.get_by_role("button", name="Predict again").click(timeout=10_000)
                commit.wait_for(state="visible", timeout=COMMIT_WAIT_MS)
                wait_idle(page)
                page.wait_for_timeout(150)
            choose_prediction(box, i)
            wait_idle(page)
            page.wait_for_timeout(100)
            _set_mode(box, "commit")
            commit.click(timeout=10_000)
            record = _wait_done(page, COMMIT_WAIT_MS)
            _set_mode(box, None)
            if record is None:
                misses += 1
            else:
                times.append(record["tPaint"] - record["t0"])
            _to_revealed(page, box)
        except Exception as exc:  # a step the page did not take in time: noted, and the next round starts afresh
            _set_mode(box, None)
            errors.append(_problem(exc))
        page.wait_for_timeout(150)
    wait = f"{COMMIT_WAIT_MS / 1000:g} s"
    notes = ([f"{misses} of {n} commits painted no figure within {wait}"] if misses else []) + \
        ([f"{len(errors)} of {n} rounds failed: {errors[0]}"] if errors else [])
    if not times:
        return None, "; ".join([f"Commit revealed no figure in {n} tries (no img.coursekit-figure within {wait})",
                                *notes])
    return _stats(times), "; ".join(notes)


def _slider_key(handle, presses: int) -> str:
    now, low, high = (handle.get_attribute(a) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    if now is not None and now == high:
        return "ArrowLeft"
    if now is not None and now == low:
        return "ArrowRight"
    return "ArrowRight" if presses % 2 == 0 else "ArrowLeft"


def _own_buttons(box) -> list:
    """The explorer's own visible, enabled buttons (the predict-commit loop's are left alone)."""
    return [b for b in box.locator("button.widget-button:not([disabled])").all()
            if b.is_visible() and b.inner_text().strip() not in LOOP_BUTTONS]


def measure_changes(page, box, n: int) -> tuple[dict | None, str, str]:
    """n control changes after the reveal. Returns (stats or None, what was changed, note)."""
    handles = box.locator(".noUi-handle")
    selects = box.locator("select:not([disabled])")
    if handles.count():
        kind = f"slider ({handles.count()})"
    elif selects.count():
        kind = f"dropdown ({selects.count()})"
    elif _own_buttons(box):
        kind = f"button ({len(_own_buttons(box))})"
    else:
        return None, "—", "no control to change"
    times, misses, errors, presses = [], 0, [], [0] * max(1, handles.count())
    for i in range(n):
        try:
            _set_mode(box, "change")
            if handles.count():
                k = i % handles.count()
                handle = handles.nth(k)
                key = _slider_key(handle, presses[k])
                presses[k] += 1
                handle.focus()
                handle.press(key)
            elif selects.count():
                select = selects.nth(i % selects.count())
                options = select.locator("option").all_inner_texts()
                current = select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
                others = [o for o in options if o != current]
                if not others:
                    continue
                select.select_option(label=others[i % len(others)], timeout=10_000)
            else:
                buttons = _own_buttons(box)      # a click may hide or disable a button: look again each time
                if not buttons:
                    break
                buttons[i % len(buttons)].click(timeout=10_000)
            record = _wait_done(page, CHANGE_WAIT_MS)
            if record is None:
                misses += 1
            else:
                times.append(record["tPaint"] - record["t0"])
        except Exception as exc:  # noted; the next change starts afresh
            errors.append(_problem(exc))
        _set_mode(box, None)
        page.wait_for_timeout(100)
    wait = f"{CHANGE_WAIT_MS / 1000:g} s"
    notes = ([f"{misses} of {n} changes changed no output within {wait}"] if misses else []) + \
        ([f"{len(errors)} of {n} changes failed: {errors[0]}"] if errors else [])
    if not times:
        return None, kind, "; ".join([f"no output changed after {n} changes ({wait} each)", *notes])
    return _stats(times), kind, "; ".join(notes)


def _match(explorers: list[dict], title: str, used: set[int]) -> int | None:
    """The kernel-side entry for the explorer titled `title` in the page (by title; else the next unused one)."""
    for j, e in enumerate(explorers):
        if j not in used and e["explorer"] == title:
            return j
    return next((j for j in range(len(explorers)) if j not in used), None)


SCROLLER = f"{PANEL} .jp-WindowedPanel-outer"   # the notebook's scrolling element


def _shown_titles(page) -> list[str]:
    """Titles of the explorer boxes shown now (under windowing, only the cells near the viewport are shown)."""
    return [box_title(b, "") for b in page.locator(f"{PANEL} .coursekit-explorer").filter(visible=True).all()]


def _box(page, title: str):
    exact = re.compile(rf"^\s*{re.escape(title)}\s*$")
    return page.locator(f"{PANEL} .coursekit-explorer").filter(visible=True).filter(
        has=page.locator("h3", has_text=exact)).first


def each_explorer(page, opened: list[str]):
    """Yield (title, box) for every explorer of the open notebook, top to bottom, once per title.

    The notebook is scrolled a screen at a time from the top. JupyterLab's default windowing shows only the cells
    near the viewport (the others are detached, or kept hidden), so a box is looked for where it is shown. A
    collapsed "Go deeper" section met on the way is opened (its button's text is appended to `opened`). The scroll
    position is put back after each yield, so no box is scrolled past unseen.
    """
    scroller = page.locator(SCROLLER)
    scroller.evaluate("s => { s.scrollTop = 0; }")
    page.wait_for_timeout(300)
    seen: set[str] = set()
    while True:
        for title in _shown_titles(page):
            if title and title not in seen:
                seen.add(title)
                top = scroller.evaluate("s => s.scrollTop")
                yield title, _box(page, title)
                scroller.evaluate("(s, top) => { s.scrollTop = top; }", top)
                page.wait_for_timeout(300)
        hidden = page.locator(f"{PANEL} .jp-showHiddenCellsButton").filter(visible=True)
        if hidden.count():              # open it where it is (a click scrolls it into view), then look again
            top = scroller.evaluate("s => s.scrollTop")
            opened.append(hidden.first.inner_text().strip())
            hidden.first.click()
            scroller.evaluate("(s, top) => { s.scrollTop = top; }", top)
            page.wait_for_timeout(300)
            continue
        at_end = scroller.evaluate("""s => { const before = s.scrollTop;
            s.scrollTop = before + 0.8 * s.clientHeight; return s.scrollTop === before; }""")
        if at_end:
            return
        page.wait_for_timeout(300)


def measure_notebook(page, lab: tuple[str, str], result: dict, commits: int, changes: int) -> None:
    """Open, Run All, open every Go deeper section; time every explorer box; write into result['explorers']."""
    nb = result["notebook"]
    load_before = os.getloadavg()
    open_and_run_all(page, lab, nb)
    wait_idle(page)
    page.wait_for_timeout(500)
    explorers, used, notes, opened = result["explorers"], set[int](), list[str](), list[str]()
    for title, box in each_explorer(page, opened):
        t0 = time.perf_counter()
        try:
            box.scroll_into_view_if_needed()
            box.evaluate(PROBE)
            committed, commit_note = measure_commits(page, box, commits)
            changed, kind, change_note = measure_changes(page, box, changes)
        except Exception as exc:  # one explorer the page would not drive: noted, the others are still timed
            committed, changed, kind = None, None, "—"
            commit_note, change_note = f"not measured: {_problem(exc)}", ""
        j = _match(explorers, title, used)
        print(f"  {nb} / {title}: commit {committed or commit_note}; {kind} {changed or change_note} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
        if j is None:
            notes.append(f"the page has an explorer the kernel probe did not see: {title!r}")
            continue
        used.add(j)
        entry: dict = {"control": kind, "notes": [x for x in (commit_note, change_note) if x]}
        if changed:
            entry.update(changed)
        if committed:
            entry["commit"] = committed
        if explorers[j]["explorer"] != title:
            entry["notes"].append(f"shown in the page as {title!r}")
        explorers[j]["browser"] = entry
    for j, e in enumerate(explorers):
        if j not in used:
            e["browser"] = {"control": "—", "notes": ["not found in the page"]}
    result["browser_note"] = "; ".join([f"{len(opened)} Go deeper sections opened", *notes])
    result["load_browser"] = [round(x, 2) for x in load_before] + [round(x, 2) for x in os.getloadavg()]


# The platform's own floor, measured in the same JupyterLab and Chromium as the explorers: two reference widgets that
# compute nothing when their slider moves. One changes a line of text; the other swaps in a course figure (the size
# ladder, about as large as an explorer's figure) that was drawn and encoded before the first change. What an
# explorer takes beyond the figure swap is its own work: its model, its drawing, its encoding, its other outputs.
FLOOR_NOTEBOOK = "_bench_floor.ipynb"
FLOOR_TITLES = {"text": "Floor: a slider that changes a line of text",
                "figure": "Floor: a slider that swaps a figure drawn beforehand"}
FLOOR_CODE = f"""\
import ipywidgets as widgets
from IPython.display import display
from coursekit.display import img_tag
from coursekit.figures.biologics import LadderFigure
from coursekit.models import biologics as model

keys = [item.key for item in model.ladder_items()]
ladder = LadderFigure(model.ladder_items(), values_for="highlighted")
figures = [img_tag(ladder.update((keys[0], key)), "size ladder") for key in keys[1:]]   # every picture drawn now
texts = [f"<b>step {{n}}</b>: {{key}}" for n, key in enumerate(keys[1:])]

def reference(title, values):
    slider = widgets.IntSlider(value=0, min=0, max=len(values) - 1, description="step", continuous_update=False)
    shown = widgets.HTML(values[0])
    slider.observe(lambda change: setattr(shown, "value", values[change["new"]]), names="value")
    box = widgets.VBox([widgets.HTML(f"<h3>{{title}}</h3>"), slider, shown])
    box.add_class("coursekit-explorer")
    return box

display(reference({FLOOR_TITLES["text"]!r}, texts), reference({FLOOR_TITLES["figure"]!r}, figures))
"""


def floor_notebook():
    """The notebook holding the two reference widgets (written beside the course's notebooks for the bench)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def measure_floor(page, lab: tuple[str, str], changes: int) -> dict:
    """Slider change -> paint for the two reference widgets: {"text": stats, "figure": stats} (None if not measured),
    and "notes". A page that cannot be driven is noted, not raised: the explorers' figures still stand."""
    floor: dict = {"notes": []}
    titles = {title: kind for kind, title in FLOOR_TITLES.items()}
    try:
        open_and_run_all(page, lab, FLOOR_NOTEBOOK)
        wait_idle(page)
        page.wait_for_timeout(500)
        for title, box in each_explorer(page, []):
            if title not in titles:
                continue
            box.scroll_into_view_if_needed()
            box.evaluate(PROBE)
            stats, _kind, note = measure_changes(page, box, changes)
            floor[titles[title]] = stats
            if note:
                floor["notes"].append(f"{title}: {note}")
            print(f"  floor / {title}: {stats or note}", flush=True)
    except Exception as exc:  # noted in the report
        floor["notes"].append(f"the floor's notebook could not be driven: {_problem(exc)}")
    for kind, title in FLOOR_TITLES.items():
        if kind not in floor:
            floor[kind] = None
            floor["notes"].append(f"{title}: not found in the page")
    return floor


def measure_browser(results: list[dict], commits: int = 20, changes: int = 20, windowing: str = "full") -> dict:
    """Add a 'browser' entry to each explorer of each notebook result (see the module docstring).

    windowing: the notebook's windowingMode; "full" is JupyterLab's default, what learners get from `make lab`,
    Binder and a hub; "none" keeps every cell in the page (as the browser tests run).

    Returns the platform's floor (see `measure_floor`) in the same lab and browser, measured before the notebooks and
    after them: {"start": floor, "end": floor}."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or subprocess.run(
        [str(ROOT / "tools" / "ensure_chromium.sh")], capture_output=True, text=True, check=True).stdout.strip()
    with running_lab({FLOOR_NOTEBOOK: floor_notebook()}, windowing=windowing) as lab, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        floor = {}
        runs: list[str | dict] = ["start", *results, "end"]
        for run in runs:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            try:
                if isinstance(run, str):
                    floor[run] = measure_floor(page, lab, changes)
                else:
                    measure_notebook(page, lab, run, commits, changes)
            finally:
                page.close()
                delete_sessions(*lab)
        browser.close()
    return floor
