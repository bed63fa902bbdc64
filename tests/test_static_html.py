"""The static HTML copy of the course (`make html`, tools/export_html.py) read in headless Chromium with the network
blocked: every page and the index load with no JavaScript error and no attempt to reach the internet, every image
has alt text and loads, every link leads to a page (and anchor) of the export, every widget snapshot shows controls
(not `VBox(...)` text), and the formulas are typeset (no raw `$$`). Screenshots: test-artifacts/static-html/.

The same checks run on pages broken on purpose (nbconvert's stock CDN export; a notebook with an image without alt
text, dead links, a widget shown as text, a JavaScript error and no MathJax) and must report each problem.
"""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import ipywidgets
import nbformat
import pytest

from tools import export_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "static-html"
WIDGET_NAMES = sorted(n for n in dir(ipywidgets) if isinstance(getattr(ipywidgets, n), type)
                      and issubclass(getattr(ipywidgets, n), ipywidgets.DOMWidget))
# A widget that did not render shows its text/plain repr: ipywidgets' own classes, or the course's.
_NAMES = "|".join([*WIDGET_NAMES, "Explorer", "CheckQuestion", r"[A-Z]\w+Table"])
WIDGET_AS_TEXT = re.compile(r"^\s*(▶ Run this cell|(" + _NAMES + r")\()", re.M)
WIDGET_VIEW = "<script type=\"application/vnd.jupyter.widget-view+json\">"
# ipywidgets 8 sliders are noUiSlider handles
CONTROLS = "input, select, button, textarea, [role=slider], .noUi-handle"
# nbconvert writes this alt text on an image that has none: for a reader it is no text alternative at all.
NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"
PAGES = [p.stem + ".html" for p in export_html.notebook_paths()] + ["index.html"]


# ---------------------------------------------------------------------------------------------- reading a page
def offline_context(browser):
    """A browser context in which every request that is not a local file is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.external_requests = []

    def handle(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            context.external_requests.append(url)
            route.abort()

    context.route("**/*", handle)
    return context


def read_page(context, path: Path, widget_timeout_ms: int = 15_000, screenshot: bool = True) -> dict:
    """Open one exported page, wait for widgets and MathJax, and return what the checks need."""
    html = path.read_text(encoding="utf-8")
    n_views = html.count(WIDGET_VIEW)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"uncaught {e}"))
    page.on("console", lambda m: errors.append(f"console.error: {m.text}") if m.type == "error" else None)
    before = len(context.external_requests)
    page.goto(path.as_uri(), wait_until="load")
    try:  # the embed script renders each widget view into a .widget-subarea beside its <script>
        page.wait_for_function("n => document.querySelectorAll('.widget-subarea .jupyter-widgets').length > 0"
                               " || n === 0", arg=n_views, timeout=widget_timeout_ms)
        page.wait_for_function("n => document.querySelectorAll('.widget-subarea').length >= n",
                               arg=n_views, timeout=widget_timeout_ms)
    except Exception:
        pass
    page.evaluate("""async () => { const s = window.MathJax && window.MathJax.startup;
                                   if (s && s.promise) await s.promise; }""")
    page.wait_for_timeout(200)  # late console errors (a font or image that fails to load)
    report = page.evaluate("""(controls) => ({
        url: location.href,
        title: document.title,
        ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
        images: [...document.querySelectorAll('img')].map(i => ({
            alt: (i.getAttribute('alt') || '').trim(), src: (i.getAttribute('src') || '').slice(0, 80),
            loaded: i.complete && i.naturalWidth > 0})),
        links: [...document.querySelectorAll('a[href]')].map(a => ({href: a.getAttribute('href'), abs: a.href,
            text: a.textContent.trim().slice(0, 60)})),
        subareas: [...document.querySelectorAll('.widget-subarea')].map(s => ({
            widgets: s.querySelectorAll('.jupyter-widgets').length,
            controls: s.querySelectorAll(controls).length,
            text: s.innerText.trim().slice(0, 80)})),
        sliders: document.querySelectorAll('.widget-slider').length,
        dropdowns: document.querySelectorAll('.widget-dropdown').length,
        outputs: [...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText),
        math: document.querySelectorAll('mjx-container').length,
        text: document.body.innerText,
    })""", CONTROLS)
    if screenshot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"), full_page=True)
    page.close()
    report.update(path=path, n_views=n_views, errors=errors,
                  external=context.external_requests[before:], static_external=export_html.external_loads(html))
    return report


def page_problems(report: dict, reports: dict[Path, dict], out: Path) -> list[str]:
    """Everything a reader of this static page would find broken, as readable messages."""
    name = report["path"].name
    problems = [f"{name}: JavaScript error: {e[:300]}" for e in report["errors"]]
    problems += [f"{name}: tried to fetch from the network: {u}" for u in report["external"]]
    problems += [f"{name}: loads from outside the export: {u}" for u in report["static_external"]]
    for img in report["images"]:
        if not img["alt"] or img["alt"] == NBCONVERT_PLACEHOLDER_ALT:
            problems.append(f"{name}: image without alt text: {img['src']}...")
        if not img["loaded"]:
            problems.append(f"{name}: image did not load: {img['src']}...")
    for link in report["links"]:
        problems += [f"{name}: {p}" for p in link_problems(link, out, reports)]
    if len(report["subareas"]) < report["n_views"]:
        problems.append(f"{name}: {report['n_views'] - len(report['subareas'])} of {report['n_views']} widget "
                        "snapshots not drawn (no widget state, or the widgets embed script did not load)")
    for area in report["subareas"]:
        if not area["widgets"] or not area["controls"]:
            problems.append(f"{name}: widget snapshot without controls: {area['text']!r}")
    for text in report["outputs"]:
        if WIDGET_AS_TEXT.search(text):
            problems.append(f"{name}: widget shown as text: {text.strip()[:100]!r}")
    for marker in ("Error displaying widget", "model not found"):   # the widget manager's error text
        if any(marker in text for text in report["outputs"]):
            problems.append(f"{name}: {marker!r} in an output")
    if "$$" in report["text"]:
        at = report["text"].index("$$")
        problems.append(f"{name}: formula not typeset (raw $$ left): {report['text'][at:at + 80]!r}")
    return problems


def link_problems(link: dict, out: Path, reports: dict[Path, dict]) -> list[str]:
    """A link must be external (http/https/mailto, not followed) or lead to a file, and anchor, of the export."""
    href, url = link["href"], urllib.parse.urlparse(link["abs"])
    if url.scheme in ("http", "https", "mailto"):
        return []
    if url.scheme != "file":
        return [f"link {href!r} ({link['text']!r}): unexpected scheme {url.scheme!r}"]
    target = Path(urllib.parse.unquote(url.path))
    if not target.is_relative_to(out) or not target.is_file():
        return [f"link {href!r} ({link['text']!r}) leads to no page of the export"]
    if url.fragment:
        ids = reports[target]["ids"] if target in reports else None
        if ids is None:
            return [f"link {href!r}: anchor into a page that was not read"]
        if url.fragment not in ids and urllib.parse.unquote(url.fragment) not in ids:
            return [f"link {href!r} ({link['text']!r}): no anchor #{url.fragment} in {target.name}"]
    return []


def read_export(browser, out: Path, pages: list[Path], **kwargs) -> tuple[dict[Path, dict], list[str]]:
    """Read every page offline and return the reports and all problems found."""
    context = offline_context(browser)
    try:
        reports = {p: read_page(context, p, **kwargs) for p in pages}
    finally:
        context.close()
    return reports, [msg for r in reports.values() for msg in page_problems(r, reports, out)]


# ---------------------------------------------------------------------------------------------- the course
@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A fresh export of every notebook (stored outputs, not re-executed) and the index, like `make html`."""
    out = tmp_path_factory.mktemp("html")
    pages = export_html.export(out)   # runs `npm ci` in tools/html first if the bundle is missing
    return out, pages


@pytest.fixture(scope="module")
def course_reports(browser, exported):
    out, pages = exported
    return read_export(browser, out, pages)


def test_export_writes_every_page(exported):
    out, pages = exported
    assert sorted(p.name for p in pages) == sorted(PAGES)
    for static in ("widgets/embed.js", "mathjax/tex-svg-full.js", "binder-badge.svg", "course.css"):
        assert (out / "static" / static).is_file(), f"static/{static} missing from the export"


def test_every_page_reads_offline(course_reports):
    reports, problems = course_reports
    assert not problems, "Static pages broken for a reader:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", PAGES[:-1])
def test_widget_snapshots_show_controls(course_reports, name):
    reports, _ = course_reports
    report = next(r for r in reports.values() if r["path"].name == name)
    assert report["n_views"] > 0, f"{name} stores no widget outputs (run `make outputs`)"
    assert len(report["subareas"]) == report["n_views"], f"{name}: not every widget snapshot was drawn"
    assert all(a["controls"] for a in report["subareas"]), f"{name}: a widget snapshot shows no controls"
    assert report["sliders"] + report["dropdowns"] > 0 or name.startswith("05"), \
        f"{name}: explorer sliders/dropdowns not drawn"


def test_formulas_are_typeset(course_reports):
    reports, _ = course_reports
    report = next(r for r in reports.values() if r["path"].name.startswith("04_"))
    assert report["math"] >= 2, f"04: {report['math']} formulas typeset by MathJax, expected the 2 display formulas"
    assert "$$" not in report["text"]


def test_index_links_every_notebook(course_reports):
    reports, _ = course_reports
    index = next(r for r in reports.values() if r["path"].name == "index.html")
    course = export_html.course_title_and_map()[0]
    assert course in index["text"]
    linked = {urllib.parse.urlparse(link["abs"]).path.rsplit("/", 1)[-1] for link in index["links"]}
    assert set(PAGES[:-1]) <= linked, f"index.html does not link {set(PAGES[:-1]) - linked}"
    # ...and every notebook page links back to the index and on to the next notebook
    for name, nxt in zip(PAGES[:-2], PAGES[1:-1]):
        page = next(r for r in reports.values() if r["path"].name == name)
        targets = {link["href"].split("#")[0] for link in page["links"]}
        assert {"index.html", nxt} <= targets, f"{name} lacks a link to index.html or to {nxt}"


# ---------------------------------------------------------------------------------------------- broken on purpose
def test_offline_check_catches_cdn_export(browser, tmp_path):
    """nbconvert's stock export loads require.js, the widgets embed script and MathJax from CDNs: all caught."""
    nb = next(p for p in export_html.notebook_paths() if p.name.startswith("04_"))
    page = export_html.export_notebook(nb, tmp_path, export_html.exporter(offline=False), offline=False)
    reports, problems = read_export(browser, tmp_path, [page], widget_timeout_ms=1500, screenshot=False)
    fetched = reports[page]["external"]
    assert any("require" in u for u in fetched) and any("mathjax" in u for u in fetched), fetched
    assert any("badge_logo.svg" in u for u in fetched), fetched
    text = "\n".join(problems)
    assert "tried to fetch from the network" in text and "loads from outside the export" in text
    assert "widget snapshots not drawn" in text and "raw $$ left" in text


BROKEN_NOTEBOOK = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_markdown_cell("# Broken on purpose\n\n[a page that does not exist](99_missing.ipynb) "
                                  "[an anchor that does not exist](index.html#No-such-heading)\n\n"
                                  "$$x^2$$\n\n"
                                  '<img src="static/binder-badge.svg">'),
    nbformat.v4.new_code_cell("w", execution_count=1, outputs=[nbformat.v4.new_output(
        "display_data", data={"text/plain": "VBox(children=(IntSlider(value=3),))"})]),
    nbformat.v4.new_code_cell("js", execution_count=2, outputs=[nbformat.v4.new_output(
        "display_data", data={"application/javascript": "throw new Error('broken on purpose')"})]),
])


def test_checks_catch_broken_page(browser, tmp_path):
    """Missing alt text, dead links and anchors, a widget as text, a JS error, no MathJax: each one reported."""
    export_html.ensure_assets()
    export_html.copy_static(tmp_path)
    (tmp_path / "static" / "mathjax" / "tex-svg-full.js").unlink()   # MathJax missing: formula left raw
    (tmp_path / "index.html").write_text('<html lang="en"><title>i</title><h1 id="Top">i</h1></html>')
    nb_path = tmp_path / "zz_broken.ipynb"
    nbformat.write(BROKEN_NOTEBOOK, nb_path)
    page = export_html.export_notebook(nb_path, tmp_path, export_html.exporter())
    index = tmp_path / "index.html"
    _, problems = read_export(browser, tmp_path, [page, index], widget_timeout_ms=500, screenshot=False)
    text = "\n".join(problems)
    for expected in ("image without alt text", "'99_missing.html' (", "no anchor #No-such-heading",
                     "widget shown as text: 'VBox(", "JavaScript error", "broken on purpose", "raw $$ left"):
        assert expected in text, f"{expected!r} not reported; got:\n{text}"
    assert "tried to fetch" not in text

