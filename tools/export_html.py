"""Static HTML copy of the course (`make html`): every notebook with its stored outputs, an index page, no network.

    .venv/bin/python tools/export_html.py [OUT_DIR]        # default _build/html

Each notebook in notebooks/ is exported with nbconvert (not re-executed) through the template in
tools/html/templates/course_static, which loads everything from the page's own static/ folder:
- the Jupyter widgets embed bundle (@jupyter-widgets/html-manager dist/embed.js, built-in widgets only, no require.js),
  which draws the explorers and check questions from the widget state saved in each notebook's metadata;
- MathJax 3 (es5/tex-svg-full.js: one file, SVG output, no fonts to fetch) for the formulas in notebook 04.
Both come from the npm registry, pinned in tools/html/package.json + package-lock.json and installed with `npm ci`
into tools/html/node_modules (ensure_assets()). Links between notebooks (NN_x.ipynb) become NN_x.html and the Binder
badge image is replaced by a local copy, so a page fetches nothing from the internet. export(offline=False) gives
nbconvert's stock CDN-loading pages; tests/test_static_html.py uses it to show its offline check catches them.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
HTML_TOOLS = ROOT / "tools" / "html"
NODE_MODULES = HTML_TOOLS / "node_modules"
DEFAULT_OUT = ROOT / "_build" / "html"
TEMPLATE = "course_static"
WIDGETS_DIST = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
MATHJAX_FILE = NODE_MODULES / "mathjax" / "es5" / "tex-svg-full.js"
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"   # coursekit.course.BADGE_IMAGE
LOCAL_BADGE = "static/binder-badge.svg"
# A Markdown or HTML link to a course notebook: ](01_x.ipynb#anchor) or href="01_x.ipynb".
NOTEBOOK_LINK = re.compile(r"""(\]\(\s*<?|href=["'])(\d\d_[\w-]+)\.ipynb(?=[#)"'>\s])""")
# What a page may load that does not come from the page's own folder (attributes src/href of loading elements,
# CSS url(), JS import()). Plain <a href="https://..."> links are fine: nothing is fetched until clicked.
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|link|iframe|source|video|audio)\b[^>]*?\b(?:src|href)=["']((?:https?:)?//[^"']+)["']"""
    r"""|url\(\s*["']?((?:https?:)?//[^)"']+)|import\(\s*["']((?:https?:)?//[^"']+)""", re.I)


def notebook_paths() -> list[Path]:
    """The course notebooks, in order (notebooks/0*.ipynb)."""
    return sorted(NOTEBOOKS_DIR.glob("0[0-9]_*.ipynb"))


def ensure_assets() -> None:
    """Install the pinned npm packages (tools/html/package-lock.json) with `npm ci` if missing or out of date."""
    stamp = NODE_MODULES / ".package-lock.json"   # npm writes it on every install
    lock = HTML_TOOLS / "package-lock.json"
    if WIDGETS_DIST.joinpath("embed.js").exists() and MATHJAX_FILE.exists() and stamp.exists() \
            and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("make html needs npm (Node.js) to install tools/html/package-lock.json: "
                           "install Node.js 18+ (e.g. `sudo apt-get install npm`)")
    print("Installing the static page scripts: npm ci in tools/html", file=sys.stderr)
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=HTML_TOOLS, check=True)
    missing = [p for p in (WIDGETS_DIST / "embed.js", MATHJAX_FILE) if not p.exists()]
    if missing:
        raise RuntimeError(f"npm ci did not provide {missing}: check tools/html/package.json")


def copy_static(out: Path) -> None:
    """Copy the widget embed bundle (with its icon fonts), MathJax and the course's CSS/badge into out/static."""
    static = out / "static"
    widgets = static / "widgets"
    widgets.mkdir(parents=True, exist_ok=True)
    for f in WIDGETS_DIST.iterdir():
        # embed.js + the fonts it loads relative to itself; not the require.js (AMD) variants or source maps
        if f.is_file() and not f.name.endswith(".map") and "amd" not in f.name:
            shutil.copy2(f, widgets / f.name)
    (static / "mathjax").mkdir(exist_ok=True)
    shutil.copy2(MATHJAX_FILE, static / "mathjax" / MATHJAX_FILE.name)
    shutil.copy2(NODE_MODULES / "mathjax" / "LICENSE", static / "mathjax" / "LICENSE")
    shutil.copy2(HTML_TOOLS / "course.css", static / "course.css")
    shutil.copy2(HTML_TOOLS / "binder-badge.svg", static / "binder-badge.svg")


def rewrite_links(text: str, offline: bool = True) -> str:
    """Notebook links -> page links (NN_x.ipynb -> NN_x.html); the Binder badge image -> a local copy."""
    text = NOTEBOOK_LINK.sub(r"\1\2.html", text)
    return text.replace(BADGE_IMAGE, LOCAL_BADGE) if offline else text


def external_loads(html: str) -> list[str]:
    """Addresses outside the page's folder that a page would fetch while loading (empty for an offline page)."""
    return sorted({next(g for g in m.groups() if g) for m in EXTERNAL_LOAD.finditer(html)})


def exporter(offline: bool = True) -> HTMLExporter:
    """nbconvert's HTML exporter: the course's offline template, or (offline=False) nbconvert's stock CDN one."""
    if not offline:
        return HTMLExporter(template_name="lab")
    return HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(HTML_TOOLS / "templates")],
                        widget_renderer_url="static/widgets/embed.js")


def export_notebook(nb_path: Path, out: Path, html_exporter: HTMLExporter, offline: bool = True) -> Path:
    """Export one notebook with its stored outputs (not re-executed) to out/<stem>.html."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, offline)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("text/html", "text/markdown"):   # e.g. a course map printed by coursekit
                if mime in data:
                    data[mime] = rewrite_links(data[mime], offline)
    widget_state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model in widget_state.get("state", {}).values():   # HTML widgets link notebooks too (progress table)
        values = model.get("state", {})
        for key, value in values.items():
            if isinstance(value, str) and ".ipynb" in value:
                values[key] = rewrite_links(value, offline)
    body, _ = html_exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
    target = out / f"{nb_path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def course_title_and_map() -> tuple[str, str]:
    """The course title and its map (Markdown table linking the pages) from course.json via coursekit.course
    (which loads no matplotlib or ipywidgets)."""
    from coursekit import course

    return course.config()["title"], rewrite_links(course.course_map_markdown())


def write_index(out: Path, pages: list[Path]) -> Path:
    """index.html: course title, course map and a link to every exported page."""
    title, course_map = course_title_and_map()
    mapped = set(re.findall(r"\]\(([\w-]+\.html)\)", course_map))
    others = "".join(f'<li><a href="{p.name}">{p.stem}</a></li>' for p in pages if p.name not in mapped)
    esc = title.replace("&", "&amp;").replace("<", "&lt;")
    html = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc}</title>
<link rel="stylesheet" href="static/course.css">
</head>
<body class="course-index">
<main>
<h1>{esc}</h1>
<p>A static copy of the course for reading: each page shows a notebook with the figures, captions and controls saved
when it was last run. Moving a control here changes nothing; to use the explorers and check questions, launch the
notebook on Binder (the badge at the top of each page) or run the course on your own computer.</p>
<h2>Course map</h2>
{markdown2html(course_map)}
{f'<h2>More pages</h2><ul>{others}</ul>' if others else ''}
</main>
</body>
</html>
"""
    target = out / "index.html"
    target.write_text(html, encoding="utf-8")
    return target


def export(out: Path | str = DEFAULT_OUT, notebooks: list[Path] | None = None, offline: bool = True) -> list[Path]:
    """Export the notebooks (default: all) and the index into out; return the written pages (index last)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("[0-9][0-9]_*.html"), out / "index.html"]:   # pages of notebooks since removed
        stale.unlink(missing_ok=True)
    if offline:
        ensure_assets()
        copy_static(out)
    html_exporter = exporter(offline)
    pages = [export_notebook(p, out, html_exporter, offline) for p in (notebooks or notebook_paths())]
    return pages + [write_index(out, pages)]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    pages = export(out)
    problems = {p.name: external_loads(p.read_text(encoding="utf-8")) for p in pages}
    problems = {k: v for k, v in problems.items() if v}
    for page in pages:
        print(page.relative_to(ROOT) if page.is_relative_to(ROOT) else page)
    if problems:
        print(f"These pages would fetch from the network: {problems}", file=sys.stderr)
        return 1
    print(f"{len(pages)} pages in {out}: open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
