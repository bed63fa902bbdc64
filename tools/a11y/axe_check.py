"""Run axe-core (pinned in tools/a11y/package.json) on any page open in Playwright, and split its violations
into the course's own content and the surrounding application (JupyterLab, or an export's page chrome).

    from tools.a11y.axe_check import run_axe
    violations = run_axe(page, own=".jp-OutputArea-output, .jp-RenderedMarkdown")

From the shell, on any URL or HTML file (headless Chromium):
    .venv/bin/python tools/a11y/axe_check.py _build/html/index.html [--own "main"]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")  # impacts the course's own content must never have


def ensure_installed() -> Path:
    """Install the pinned axe-core with `npm ci` (from package-lock.json) if it is not there yet."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install axe-core (tools/a11y/package.json): install Node.js")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE,
                              capture_output=True, text=True)
        if done.returncode != 0 or not AXE_JS.exists():
            raise RuntimeError(f"`npm ci` in {HERE} failed:\n{done.stdout}\n{done.stderr}")
    return AXE_JS


@dataclass
class Violation:
    """One axe rule broken at one place."""

    rule: str
    impact: str
    help: str
    target: str
    html: str
    ours: bool  # inside the course's own content (the `own` selector), not the application around it
    why: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = "course content" if self.ours else "application"
        return f"[{self.impact}] {self.rule} ({where}): {self.help} at {self.target}: {self.html[:160]}"


_RUN = """async ([own, tags]) => {
    const options = {resultTypes: ['violations']};
    if (tags) options.runOnly = {type: 'tag', values: tags};
    const result = await axe.run(document, options);
    const out = [];
    for (const v of result.violations) for (const n of v.nodes) {
        let el = null;
        try { el = document.querySelector(n.target[n.target.length - 1]); } catch (e) {}
        out.push({rule: v.id, impact: n.impact || v.impact || 'minor', help: v.help,
                  target: n.target.join(' >> '), html: n.html,
                  ours: !!(own && el && el.closest(own)),
                  why: (n.any || []).concat(n.all || [], n.none || []).map(c => c.message)});
    }
    return out;
}"""

# WCAG 2.x A and AA plus axe's best practices: what "WCAG AA" promises, and a little more.
DEFAULT_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe(page, own: str | None = None, tags: list[str] | None = DEFAULT_TAGS) -> list[Violation]:
    """Inject axe-core into the page (once) and return every violation, marked `ours` if inside `own`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=ensure_installed().read_text(encoding="utf-8"))
    return [Violation(**v) for v in page.evaluate(_RUN, [own, tags])]


def blocking(violations: list[Violation], ours: bool = True) -> list[Violation]:
    """The serious and critical violations, from the course's content (ours=True) or the application."""
    return [v for v in violations if v.ours == ours and v.impact in BLOCKING]


def main(argv: list[str]) -> int:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", help="URLs or HTML files")
    parser.add_argument("--own", default="body", help="CSS selector of the course's own content (default: body)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    failed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--headless"])
        page = browser.new_page()
        for target in args.pages:
            url = target if "://" in target else Path(target).resolve().as_uri()
            page.goto(url)
            found = run_axe(page, own=args.own)
            bad = blocking(found)
            failed += bool(bad)
            print(f"{target}: {len(found)} violation(s), {len(bad)} serious/critical in {args.own!r}")
            for v in found:
                print("   ", v)
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
