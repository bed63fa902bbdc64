"""Notebook hygiene and template checks, as functions that return a list of problems (empty = fine).

Used by tests/test_notebooks.py on every course notebook, and by tests/test_checks_catch_breakage.py on
notebooks broken on purpose, to prove each check can fail.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import nbformat

from coursekit.paths import FACTS_CSV

ROOT = Path(__file__).resolve().parents[1]
MAX_BYTES = 1_000_000
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
JS_MIME = ("application/javascript", "text/javascript", "application/x-javascript")
FIGURE_MARKERS = ("image/png", "image/svg+xml")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _md(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _bullets_after(heading: str, text: str) -> list[str]:
    body = text.split(heading, 1)[1]
    return [line for line in body.splitlines() if re.match(r"^\s*[-*] ", line)]


def check_execution(nb, name: str) -> list[str]:
    """Executed in order in one fresh kernel, no errors, no JavaScript, no broken widgets, kernelspec python3."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    if counts != list(range(1, len(code) + 1)):
        problems.append(f"{name}: code cells not executed in order in one fresh kernel: {counts}")
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"{name}: cell {i} stores an error ({out.ename})")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"{name}: cell {i} writes to stderr: {out.text[:120]!r}")
            data = out.get("data", {})
            if any(m in data for m in JS_MIME):
                problems.append(f"{name}: cell {i} has a JavaScript output")
            text = json.dumps(out)
            if "Error displaying widget" in text or "Traceback (most recent call last)" in text:
                problems.append(f"{name}: cell {i} stores a traceback or a broken widget")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{name}: kernelspec name is not python3")
    has_widgets = any(WIDGET_VIEW in o.get("data", {}) for c in code for o in c.outputs)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    if has_widgets:
        shown = {o["data"][WIDGET_VIEW]["model_id"]
                 for c in code for o in c.outputs if WIDGET_VIEW in o.get("data", {})}
        missing = shown - set(state)
        if missing:
            problems.append(f"{name}: {len(missing)} widget view(s) have no saved widget state")
    return problems


def check_template(nb, name: str, notebooks_dir: Path) -> list[str]:
    """The notebook template: title, objectives, time, hidden setup, figures with captions, key points, sources, nav."""
    problems = []
    md = _md(nb)
    if not nb.cells or nb.cells[0].cell_type != "markdown" or not nb.cells[0].source.startswith("# "):
        problems.append(f"{name}: first cell is not a '# ' title")
    elif "mybinder.org" not in nb.cells[0].source:
        problems.append(f"{name}: title cell has no Binder badge")
    objectives = next((m for m in md if m.startswith("## Learning objectives")), None)
    if objectives is None:
        problems.append(f"{name}: no '## Learning objectives' cell")
    else:
        n = len(_bullets_after("## Learning objectives", objectives))
        if not 3 <= n <= 5:
            problems.append(f"{name}: {n} learning objectives (3 to 5 expected)")
        if not re.search(r"\*\*Time:\*\* about \d+ minutes", objectives):
            problems.append(f"{name}: objectives cell does not state the time")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or "import coursekit" not in code[0].source or \
            not code[0].metadata.get("jupyter", {}).get("source_hidden"):
        problems.append(f"{name}: first code cell is not the collapsed 'import coursekit' setup cell")
    key = next((m for m in md if m.startswith("## Key points")), None)
    if key is None or not 3 <= len(_bullets_after("## Key points", key)) <= 5:
        problems.append(f"{name}: no '## Key points' cell with 3 to 5 bullets")
    if not any(m.startswith("## Sources") for m in md):
        problems.append(f"{name}: no '## Sources' cell")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if any(any(k in o.get("data", {}) for k in FIGURE_MARKERS) for o in cell.outputs):
            nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            if nxt is None or nxt.cell_type != "markdown" or not nxt.source.startswith("**Figure "):
                problems.append(f"{name}: figure in cell {i} is not followed by a '**Figure N.**' caption cell")
            for o in cell.outputs:
                plain = "".join(o.get("data", {}).get("text/plain", ""))
                if "image/png" in o.get("data", {}) and not plain.startswith("[Figure] "):
                    problems.append(f"{name}: figure in cell {i} has no alt text (use coursekit.show_figure)")
    last = nb.cells[-1].source if nb.cells else ""
    for where, text in (("first", nb.cells[0].source if nb.cells else ""), ("last", last)):
        if "Course map" not in text:
            problems.append(f"{name}: {where} cell has no navigation")
    for text in md:
        for target in LINK.findall(text):
            if target.startswith(("http://", "https://", "#", "mailto:")):
                continue
            file = target.split("#", 1)[0]
            if not (notebooks_dir / file).exists():
                problems.append(f"{name}: link to {target} does not resolve")
    return problems


def check_size(path: Path) -> list[str]:
    size = path.stat().st_size
    return [f"{path.name}: {size / 1e6:.2f} MB (keep each notebook under 1 MB)"] if size > MAX_BYTES else []


# ---- numbers in prose -----------------------------------------------------------------------------
NUMBER = re.compile(r"(?<![\w.^/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*[×x]\s*10\^?([⁰¹²³⁴⁵⁶⁷⁸⁹⁻\-\d]+))?")
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def allowed_numbers(facts_csv: Path = FACTS_CSV) -> set[float]:
    """Numbers prose may quote: each fact's value, low and high, also in unit-prefix and percent multiples."""
    allowed = set()
    with facts_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for col in ("value", "low", "high"):
                x = float(row[col])
                for scale in (1, 1e-9, 1e-6, 1e-3, 1e-2, 1e2, 1e3, 1e6, 1e9, 1 / 60, 60, 1 / 24, 24):
                    allowed.add(round(x * scale, 9))
    return allowed


def prose_numbers(text: str) -> list[tuple[str, float]]:
    """Numbers quoted in Markdown text, ignoring links, code, headings' section numbers and list numbering."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)          # link targets
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    found = []
    for m in NUMBER.finditer(text):
        mantissa = float(m.group(1).replace(",", ""))
        value = mantissa * 10 ** int(m.group(2).translate(SUPERSCRIPTS)) if m.group(2) else mantissa
        found.append((m.group(0), value))
    return found


def check_prose_numbers(texts: list[str], name: str, allowed: set[float], minutes: set[int]) -> list[str]:
    problems = []
    for text in texts:
        for token, value in prose_numbers(text):
            if float(value).is_integer() and (0 <= value <= 12 or value in minutes):
                continue
            if any(abs(value - a) <= 1e-9 * max(1.0, abs(a)) for a in allowed):
                continue
            problems.append(f"{name}: the number {token!r} in the prose is not a fact in facts.csv")
    return problems


def notebook_prose(nb) -> list[str]:
    """Markdown cells minus the title cell (links) and the generated course map."""
    return [c.source for c in nb.cells[1:] if c.cell_type == "markdown" and not c.source.startswith("## Course map")]


def check_notebook(path: Path) -> list[str]:
    """Every check on one notebook file."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        problems.append(f"{path.name}: invalid nbformat: {exc.message}")
    problems += check_size(path)
    problems += check_execution(nb, path.name)
    problems += check_template(nb, path.name, path.parent)
    return problems
