"""The browser edition's first visit, cold and warm: bytes transferred, opening -> kernel ready,
-> first widget painted.

    python -m tools.bench_lite [--site _build/lite]      (make bench runs it after building the site if missing)

Serves the site on 127.0.0.1 (every other host unresolvable), opens its front door (which opens the start notebook)
in a fresh Chromium profile (cold: empty cache and storage), waits for the kernel, runs all cells and waits until
the first widget is painted; then does the same again in the same profile (warm: cache and storage kept).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_IDLE = """() => { const t = (document.querySelector('#jp-main-statusbar') || {}).textContent || '';
    return /\\|\\s*Idle/.test(t) && !/No Kernel/.test(t); }"""
TARGETS = {"cold_kernel_s": 20, "warm_kernel_s": 8}   # issue 16, on this machine


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}

    def log_message(self, *args):
        pass


def _visit(context, url: str) -> dict:
    sizes: list[int] = []

    def finished(request):
        try:
            s = request.sizes()
            sizes.append(s["responseBodySize"] + s["responseHeadersSize"])
        except Exception:  # a request of a closed page
            pass

    context.on("requestfinished", finished)
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function(KERNEL_IDLE, timeout=600_000)
    t_kernel = time.perf_counter() - t0
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # The stored outputs already show (dead) widgets: wait for a cell that ran in this kernel and shows a live one.
    page.wait_for_function(f"""() => [...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
        .some(p => p.textContent.includes('*'))""", timeout=600_000, polling=20)
    page.wait_for_function(f"""() => new Promise(ok => {{
        const cell = [...document.querySelectorAll('{PANEL} .jp-CodeCell')].find(c =>
            /\\[\\d+\\]/.test((c.querySelector('.jp-InputPrompt') || {{}}).textContent || '') &&
            [...c.querySelectorAll('.jp-OutputArea .jupyter-widgets')].some(w => w.offsetHeight));
        if (!cell) return ok(false);
        requestAnimationFrame(() => setTimeout(() => ok(true)));   // after the frame that shows it
    }})""", timeout=600_000, polling=50)
    t_widget = time.perf_counter() - t0
    page.wait_for_timeout(1000)
    context.remove_listener("requestfinished", finished)
    page.close()
    return {"bytes": sum(sizes), "requests": len(sizes), "kernel_ready_s": round(t_kernel, 1),
            "first_widget_painted_s": round(t_widget, 1)}


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tools.bench_browser import ARGS

    chromium = os.environ.get("CHROMIUM") or subprocess.run(
        [str(ROOT / "tools" / "ensure_chromium.sh")], capture_output=True, text=True, check=True).stdout.strip()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                *ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            cold = _visit(context, url)
            warm = _visit(context, url)
            browser.close()
    finally:
        server.shutdown()
    site_mb = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
    return {"site_mb": round(site_mb, 1), "cold": cold, "warm": warm, "targets": TARGETS}


def table(r: dict) -> str:
    lines = [f"Browser edition (_build/lite, {r['site_mb']} MB on disk; targets: cold kernel <= "
             f"{TARGETS['cold_kernel_s']} s, warm <= {TARGETS['warm_kernel_s']} s)", "",
             "| visit | transferred (MB) | requests | open -> kernel ready (s) | open -> first widget painted (s) |",
             "|---|---|---|---|---|"]
    for name in ("cold", "warm"):
        v = r[name]
        lines.append(f"| {name} | {v['bytes'] / 1e6:.1f} | {v['requests']} | {v['kernel_ready_s']} | "
                     f"{v['first_widget_painted_s']} |")
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
