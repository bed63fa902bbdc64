"""The browser edition's first visit, cold and warm: bytes transferred, opening -> kernel ready,
-> first widget painted.

    python -m tools.bench_lite [--site _build/lite]      (make bench runs it after building the site if missing)

Serves the site on 127.0.0.1 as a static host does (tools/serve_lite.py), every other host unresolvable. Cold: a
new browser profile (empty cache and storage) opens the site's front door (which opens the start notebook), waits
for the kernel, runs all cells and waits until the first widget is painted. Warm: the browser is closed and started
again on the same profile (disk cache and storage kept, as when a learner comes back) and does the same. Both are
measured against two hosts: one that sends `Cache-Control: max-age=600` and ETags as GitHub Pages does (a warm visit
within ten minutes asks nothing), and one with `max-age=0` (the browser asks again for every file and gets 304s
without bodies: hosts such as Netlify, and GitHub Pages after ten minutes). The profile is a real on-disk one:
Playwright's default incognito context keeps its cache in memory and does not keep the 10 MB pyodide.asm.wasm,
which a learner's browser does. Bytes are what the server sent (bodies), responses what it answered (304s among
them); the 1-minute load average is recorded before and after each visit, as this 2-core machine often runs other
work, and so is the CPU time Chromium used from its start to the first widget (which that other work inflates far
less than the wall-clock times).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.serve_lite import StaticHostHandler, serve

ROOT = Path(__file__).resolve().parents[1]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_IDLE = """() => { const t = (document.querySelector('#jp-main-statusbar') || {}).textContent || '';
    return /\\|\\s*Idle/.test(t) && !/No Kernel/.test(t); }"""
TARGETS = {"cold_kernel_s": 20, "warm_kernel_s": 8}   # issue 16, on this machine
# The two hosts (Cache-Control max-age, s): GitHub Pages' ten minutes, and one that makes the browser ask every time.
HOSTS = {"max-age=600 (GitHub Pages)": 600, "max-age=0 (asks every time)": 0}


class _Served:
    """What the host answered during one visit: responses by status, body bytes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.body_bytes = 0


def _counting_handler(served: _Served) -> type[StaticHostHandler]:
    class Counting(StaticHostHandler):
        def send_response(self, code, message=None):
            with served.lock:
                served.statuses[int(code)] = served.statuses.get(int(code), 0) + 1
            super().send_response(code, message)

        def copyfile(self, source, outputfile):
            start = source.tell()
            super().copyfile(source, outputfile)
            with served.lock:
                served.body_bytes += source.tell() - start
    return Counting


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _chromium_cpu_s(profile: Path) -> float | None:
    """CPU seconds (user + system, reaped children included) used so far by the Chromium started on profile and
    every process under it: a figure the other work on the machine inflates far less than wall time. Linux /proc
    only (None elsewhere)."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    table: dict[int, tuple[int, int, bytes]] = {}
    for d in proc.iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat, cmdline = (d / "stat").read_text(), (d / "cmdline").read_bytes()
        except OSError:      # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()       # from field 3 (state) on: ppid 4, utime 14 ... cstime 17
        table[int(d.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]), cmdline)
    mark = f"--user-data-dir={profile}".encode()
    tree = {pid for pid, (_, _, cmdline) in table.items() if mark in cmdline}
    grew = True
    while grew:
        more = {pid for pid, (ppid, _, _) in table.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    return round(sum(table[pid][1] for pid in tree) / os.sysconf("SC_CLK_TCK"), 1) if tree else None


def _visit(playwright, chromium: str, profile: Path, url: str, served: _Served) -> dict:
    """Start the browser on profile, open url, time kernel ready and first widget painted; close the browser."""
    from tools.bench_browser import ARGS

    with served.lock:
        served.statuses, served.body_bytes = {}, 0
    load_before = _load()
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=chromium, viewport={"width": 1280, "height": 900},
        args=[*ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
    page = context.pages[0] if context.pages else context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#jp-main-statusbar", timeout=600_000)
    t_front = time.perf_counter() - t0
    page.wait_for_function(KERNEL_IDLE, timeout=600_000, polling=50)
    t_kernel = time.perf_counter() - t0
    # The stored outputs may already show (dead) widgets: mark them, Run All, and wait for a widget this kernel made
    # (Run All replaces every output) to be laid out and painted. Cells whose code is collapsed show no prompt.
    page.evaluate(f"""() => document.querySelectorAll('{PANEL} .jp-OutputArea .jupyter-widgets')
        .forEach(w => w.setAttribute('data-bench-stored', ''))""")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(f"""() => [...document.querySelectorAll(
        '{PANEL} .jp-OutputArea .jupyter-widgets:not([data-bench-stored])')].some(w => w.offsetHeight)""",
                           timeout=600_000, polling=50)
    # ... and painted: the frame after it was laid out. (wait_for_function does not await a returned Promise: it
    # counts as truthy at once, which is why this is a separate evaluate.)
    page.evaluate("() => new Promise(ok => requestAnimationFrame(() => setTimeout(ok)))")
    t_widget = time.perf_counter() - t0
    cpu = _chromium_cpu_s(profile)
    page.wait_for_timeout(1000)
    load_after = _load()
    context.close()
    with served.lock:
        statuses, body = dict(served.statuses), served.body_bytes
    return {"bytes": body, "responses": sum(statuses.values()), "not_modified": statuses.get(304, 0),
            "front_end_s": round(t_front, 1), "kernel_ready_s": round(t_kernel, 1),
            "first_widget_painted_s": round(t_widget, 1), "chromium_cpu_s": cpu,
            "load_1min": [load_before, load_after]}


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or subprocess.run(
        [str(ROOT / "tools" / "ensure_chromium.sh")], capture_output=True, text=True, check=True).stdout.strip()
    visits = []
    with sync_playwright() as p:
        for host, max_age in HOSTS.items():
            served = _Served()
            with serve(site, max_age=max_age, handler=_counting_handler(served)) as base, \
                    tempfile.TemporaryDirectory(prefix="bench-lite-profile-") as profile:
                for name in ("cold", "warm"):
                    visit = _visit(p, chromium, Path(profile), base + "/", served)
                    visits.append({"visit": name, "host": host, **visit})
                    print(f"[bench lite] {name}, {host}: {visit}", flush=True)
    site_mb = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
    return {"site_mb": round(site_mb, 1), "cpus": os.cpu_count(), "visits": visits, "targets": TARGETS}


def table(r: dict) -> str:
    lines = [f"Browser edition (_build/lite, {r['site_mb']} MB on disk; targets: cold kernel <= "
             f"{TARGETS['cold_kernel_s']} s, warm <= {TARGETS['warm_kernel_s']} s; {r['cpus']} CPUs; load average: "
             "1 minute, before / after the visit)", "",
             "| visit | host's caching | transferred (MB) | responses (304) | open -> JupyterLab shown (s) | "
             "open -> kernel ready (s) | open -> first widget painted (s) | Chromium CPU until then (s) | "
             "load average |",
             "|---|---|---|---|---|---|---|---|---|"]
    for v in r["visits"]:
        lines.append(f"| {v['visit']} | {v['host']} | {v['bytes'] / 1e6:.1f} | {v['responses']} "
                     f"({v['not_modified']}) | {v['front_end_s']} | {v['kernel_ready_s']} | "
                     f"{v['first_widget_painted_s']} | {v['chromium_cpu_s']} | "
                     f"{v['load_1min'][0]} / {v['load_1min'][1]} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=ROOT / "_build" / "lite")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    if not (args.site / "index.html").exists():
        print(f"{args.site} has no site: run `make lite` first", file=sys.stderr)
        return 2
    result = measure(args.site)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "lite.json").write_text(json.dumps(result, indent=1))
    text = table(result)
    (args.out / "lite.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
