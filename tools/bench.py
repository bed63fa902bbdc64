"""Benchmark every notebook and explorer; report, never fail (budgets are read from the output).

    python tools/bench.py [--browser] [--out bench/results]

Per notebook: Run All wall time in a fresh kernel (after the kernel is up), the kernel's peak RSS, file size.
Per explorer (every widget with the coursekit-explorer class): time of one update in the kernel (control change
-> model -> redraw, observers run synchronously), median and p95 over >= 20 changes of its controls.
With --browser: per explorer in JupyterLab/Chromium, Commit -> revealed figure painted and, after the reveal, a
control change -> new output painted (tools/bench_browser.py); before and after them, the platform's floor, the same
change on two reference widgets that compute nothing (a line of text; a figure drawn beforehand). The load average
is recorded at start and end (the machine may be shared: read the numbers with it).
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
BUDGETS = {"kernel_update_median_ms": 40, "browser_paint_median_ms": 60, "browser_paint_p95_ms": 150,
           "browser_commit_median_ms": 100, "browser_commit_p95_ms": 150,
           "run_all_s": 3.0, "peak_rss_mb": 250, "notebook_mb": 1.0}

# Runs inside the kernel after Run All: change every control of every explorer >= 20 times, timing each change.
KERNEL_PROBE = r'''
def __coursekit_bench(n_changes=20):
    import html, json, math, re, statistics, time
    import ipywidgets
    from ipywidgets.widgets import widget as _w
    instances = getattr(_w, "_instances", None) or ipywidgets.Widget.widgets
    def p95(values):   # nearest rank: never below the median, the largest of fewer than 20 values
        return round(sorted(values)[math.ceil(0.95 * len(values)) - 1], 1)
    def descendants(w):
        for c in getattr(w, "children", ()) or ():
            yield c
            yield from descendants(c)
    def next_values(c):
        if isinstance(c, ipywidgets.Button):
            return None
        if hasattr(c, "options") and c.options:
            opts = [o[1] if isinstance(o, tuple) else o for o in c.options]
            return opts
        if hasattr(c, "min") and hasattr(c, "max") and hasattr(c, "step") and c.step:
            lo, hi, st, v0 = c.min, c.max, c.step, c.value
            vals, v = [], v0
            for i in range(n_changes):
                v = v + st if v + st <= hi else lo
                vals.append(v)
            return vals
        return []
    results = []
    for w in list(instances.values()):
        if "coursekit-explorer" not in getattr(w, "_dom_classes", ()):
            continue
        heading = next((re.search(r"<h3[^>]*>(.*?)</h3>", c.value) for c in descendants(w)
                        if isinstance(c, ipywidgets.HTML) and "<h3" in c.value), None)
        name = getattr(w, "title", None) or (html.unescape(heading.group(1)) if heading else type(w).__name__)
        times = []
        commit_times = []
        if getattr(w, "item", None) is not None and hasattr(w, "commit"):
            # predict -> Commit (the reveal), then the controls are live; the loop's own buttons are not timed below
            for i in range(n_changes):
                if w.stage != "predict":
                    w.predict_again()
                w.predict(w.item.choices[i % len(w.item.choices)].id, "sure")
                t0 = time.perf_counter()
                w.commit()
                commit_times.append((time.perf_counter() - t0) * 1000)
                if w.stage == "read":
                    w.skip_reading()
            controls = list(w.controls.values())
        else:
            controls = [c for c in descendants(w) if isinstance(c, (ipywidgets.ValueWidget, ipywidgets.Button))
                        and not getattr(c, "disabled", False)
                        and not isinstance(c, (ipywidgets.HTML, ipywidgets.Label))]
        rounds = 0
        while len(times) < n_changes and rounds < 50:
            rounds += 1
            for c in controls:
                if getattr(c, "disabled", False):
                    continue
                vals = next_values(c)
                t0 = time.perf_counter()
                if vals is None:
                    c.click()
                elif vals:
                    current = c.value
                    nxt = next((x for x in vals if x != current), None)
                    if nxt is None:
                        continue
                    if isinstance(vals, list) and hasattr(c, "options"):
                        i = vals.index(current) if current in vals else -1
                        nxt = vals[(i + 1) % len(vals)]
                    else:
                        nxt = vals[len(times) % len(vals)]
                    c.value = nxt
                else:
                    continue
                times.append((time.perf_counter() - t0) * 1000)
        if times:
            entry = {"explorer": name, "changes": len(times), "median_ms": round(statistics.median(times), 1),
                     "p95_ms": p95(times)}
            if commit_times:
                entry["commit_median_ms"] = round(statistics.median(commit_times), 1)
                entry["commit_p95_ms"] = p95(commit_times)
            results.append(entry)
    import resource
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return json.dumps({"explorers": results, "peak_rss_mb": peak_rss_mb})
print(__coursekit_bench())
'''


def _run(client, code: str, timeout: float = 300) -> str:
    """Execute code in the kernel; return its stdout; raise on error."""
    out, errors = [], []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"].get("text", ""))
        elif msg["msg_type"] == "error":
            errors.append(msg["content"]["evalue"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=hook)
    if reply["content"]["status"] != "ok" or errors:
        raise RuntimeError(f"cell failed: {errors or reply['content'].get('evalue')}")
    return "".join(out)


def bench_notebook(path: Path) -> dict:
    """Run All in a fresh kernel (cwd notebooks/), then probe every explorer."""
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, COURSEKIT_PROGRESS=str(Path(tempfile.mkdtemp(prefix="bench-")) / "progress.json"))
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(path.parent), env=env)
    try:
        t0 = time.perf_counter()
        for cell in nb.cells:
            if cell.cell_type == "code":
                _run(kc, cell.source)
        run_all_s = time.perf_counter() - t0
        probe = json.loads(_run(kc, KERNEL_PROBE).strip().splitlines()[-1])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {"notebook": path.name, "run_all_s": round(run_all_s, 2), "peak_rss_mb": probe["peak_rss_mb"],
            "size_mb": round(path.stat().st_size / 1e6, 3), "explorers": probe["explorers"]}


def cpu_reference_ms() -> float:
    """A fixed pure-Python loop (best of 3, ms): how fast this machine is right now, to compare runs with.

    The load average says how many processes wanted a core; on a shared virtual machine the host can also slow a
    core down without any local process showing it. A slower reference means every number in the run is slower.
    """
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - t0)
    return round(best * 1000, 1)


def make_test_seconds() -> float | None:
    """Wall time of the last `make test` on this machine (written by the Makefile), if there was one."""
    f = ROOT / "test-artifacts" / "make_test_seconds.txt"
    return float(f.read_text()) if f.exists() else None


def _cell(value, budget: str | None = None) -> str:
    """A table cell: the value, marked ✗ when it is over its budget; — when there is no value."""
    if value is None:
        return "—"
    return f"{value} ✗" if budget is not None and value > BUDGETS[budget] else str(value)


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def _floor_lines(floor: dict | None) -> list[str]:
    """The platform's floor (see tools/bench_browser.measure_floor), measured at the start and the end of the browser
    run, in words; nothing when it was not measured."""
    if not floor:
        return []
    def said(kind):
        return "; ".join(f"median {s['median_ms']} ms, p95 {s['p95_ms']} ms at the {when}" if s else
                         f"not measured at the {when}"
                         for when, s in ((w, floor.get(w, {}).get(kind)) for w in ("start", "end")))
    notes = [f" Note ({when}): {n}." for when in ("start", "end") for n in floor.get(when, {}).get("notes", [])]
    return ["", "Platform floor (reference widgets in the same lab and browser, no computation when the slider moves): "
            f"a line of text changed: {said('text')}. A figure drawn beforehand swapped in: {said('figure')}. "
            "An explorer's time beyond the figure swap (the mean of start and end) is its own work." + "".join(notes)]


def floor_swap_ms(floor: dict | None) -> float | None:
    """The floor's figure swap, median ms: the mean of its start and end measurements (None if neither was made)."""
    medians = [s["median_ms"] for s in ((floor or {}).get(w, {}).get("figure") for w in ("start", "end")) if s]
    return sum(medians) / len(medians) if medians else None


def table(results: list[dict], load: dict | None = None, floor: dict | None = None) -> str:
    secs = make_test_seconds()
    lines = [f"Budgets: {BUDGETS}", ""]
    if load:
        lines += [f"Load average (1 / 5 / 15 min, {os.cpu_count()} cores): at start {_load(load['start'])}; "
                  f"at end {_load(load['end'])}. CPU reference (a fixed Python loop, best of 3): "
                  f"{load['cpu_ms_start']} ms at start, {load['cpu_ms_end']} ms at end.", ""]
    lines += [f"make test (last run on this machine): {f'{secs:.0f} s' if secs is not None else 'not run yet'}", "",
              "| notebook | Run All (s) | peak RSS (MB) | file (MB) |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['notebook']} | {r['run_all_s']} | {r['peak_rss_mb']} | {r['size_mb']} |")
    lines += ["", "Kernel: one control change (model, figure, widget state) and one Commit, timed in the kernel. "
              f"Browser (JupyterLab, Chromium, notebook windowing '{(load or {}).get('windowing', 'not run')}'): "
              "Commit clicked -> revealed figure decoded and painted; after the reveal, one control change "
              "(key press, choice or click) -> the last output it changed painted. "
              "✗ = over budget.", "",
              "| notebook | explorer | kernel changes | kernel median (ms) | kernel p95 (ms) "
              "| kernel commit median (ms) | browser: control changed | browser median (ms) | browser p95 (ms) "
              "| browser median beyond the floor's figure swap (ms) "
              "| browser commit→figure median (ms) | browser commit→figure p95 (ms) | notes |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    swap = floor_swap_ms(floor)
    for r in results:
        for e in r["explorers"]:
            b = e.get("browser", {})
            c = b.get("commit", {})
            notes = "; ".join(b.get("notes", [])) or ""
            beyond = round(b["median_ms"] - swap, 1) if swap is not None and b.get("median_ms") is not None else "—"
            lines.append(f"| {r['notebook']} | {e['explorer']} | {e['changes']} | {e['median_ms']} | {e['p95_ms']} | "
                         f"{e.get('commit_median_ms', '—')} | {b.get('control', '—')} | "
                         f"{_cell(b.get('median_ms'), 'browser_paint_median_ms')} | "
                         f"{_cell(b.get('p95_ms'), 'browser_paint_p95_ms')} | {beyond} | "
                         f"{_cell(c.get('median_ms'), 'browser_commit_median_ms')} | "
                         f"{_cell(c.get('p95_ms'), 'browser_commit_p95_ms')} | {notes} |")
    lines += _floor_lines(floor)
    browser_notes = [f"- {r['notebook']}: {r['browser_note']}; load average during its browser run "
                     f"{_load(r['load_browser'][:3])} -> {_load(r['load_browser'][3:])}"
                     for r in results if r.get("browser_note")]
    if browser_notes:
        lines += ["", "Browser runs:", *browser_notes]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--browser", action="store_true", help="also measure change-to-paint in Chromium")
    parser.add_argument("--commits", type=int, default=20, help="browser: Commit presses per explorer")
    parser.add_argument("--changes", type=int, default=20, help="browser: control changes per explorer")
    parser.add_argument("--windowing", choices=["full", "none"], default="full",
                        help="browser: JupyterLab's notebook windowing mode; full (its default, what learners get) "
                             "keeps only the cells near the viewport in the page, none keeps every cell")
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args()
    paths = [Path(p).resolve() for p in args.notebooks] or sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
    load = {"start": os.getloadavg(), "cpu_ms_start": cpu_reference_ms()}
    results, floor = [], None
    for path in paths:
        print(f"benchmarking {path.name} ...", file=sys.stderr, flush=True)
        results.append(bench_notebook(path))
    if args.browser:
        from tools.bench_browser import measure_browser
        floor = measure_browser(results, commits=args.commits, changes=args.changes, windowing=args.windowing)
        load["windowing"] = args.windowing
    load.update(end=os.getloadavg(), cpu_ms_end=cpu_reference_ms())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps({"budgets": BUDGETS, "make_test_s": make_test_seconds(),
                                                "load_average": load, "cpu_count": os.cpu_count(),
                                                "results": results, "browser_floor": floor}, indent=1))
    text = table(results, load, floor)
    (out / "bench.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
