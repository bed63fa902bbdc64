"""The learner's view of every lesson, set in its text twin (lessons/<stem>.md) so it survives every rebuild.

    python -m tools.learner_view           # rewrite lessons/*.md: hide code, collapse "Go deeper" sections
    python -m tools.learner_view --check   # exit 1 if a lesson is not in that state (also a test)

- Every code cell's source is hidden (``jupyter.source_hidden``): learners see outputs, and can still open the code
  with the blue bar or the "..." placeholder. JupyterLab shows a hidden cell's first line, so each code cell starts
  with a comment for learners ("# Check your understanding"), never with an import.
- A markdown cell whose heading starts with "Go deeper" is stored collapsed: JupyterLab 4 and Notebook 7 read
  ``jp-MarkdownHeadingCollapsed`` (the key JupyterLab writes when you collapse a heading); ``heading_collapsed`` is the
  classic notebook's collapsible-headings key. Everything below such a heading, up to the next heading of the same or
  a higher level, is hidden until the learner opens it. No other cell is collapsed.
Run it after editing a lesson, then build the notebook (``python -m tools.notebook_text build``).
"""
from __future__ import annotations

import re
import sys

import jupytext

from tools.notebook_text import FORMAT, LESSONS, read_text, stems

LABELS = (  # (what the source contains, the comment JupyterLab shows in place of hidden code)
    ("import coursekit", "# Set-up: run this cell first"),
    ("check(", "# Check your understanding"),
    ("poll(", "# Your answer"),
    ("sources(", "# Sources of the numbers"),
    ("sources_markdown(", "# Sources of the products"),
    ("glossary(", "# Glossary"),
    ("table(", "# Table"),
    ("scale_facts(", "# Numbers"),
    ("worked_example(", "# Worked example"),
    ("progress_table(", "# Your saved answers"),
    ("figure(", "# Figure"),
    ("print(", "# Run me"),
)
OTHER_LABEL = "# Explorer"
DEEPER = re.compile(r"^#{1,6}\s+Go deeper\b", re.I)
COLLAPSED_KEYS = ("jp-MarkdownHeadingCollapsed", "heading_collapsed")


def is_deeper_heading(cell) -> bool:
    """A markdown cell that opens a "Go deeper" section (its first line is the heading)."""
    return cell.cell_type == "markdown" and bool(DEEPER.match(cell.source.lstrip()))


def label(source: str) -> str:
    """The comment line a hidden code cell starts with: JupyterLab shows a collapsed cell's first line, and a learner
    should read "# Check your understanding", not an import."""
    return next((text for key, text in LABELS if key in source), OTHER_LABEL)


def problems(nb, stem: str) -> list[str]:
    """Where a notebook (or its text twin) differs from the learner's view."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get("source_hidden"):
            found.append(f"{stem} cell {i}: code source is not hidden: {cell.source[:50]!r}")
        if cell.cell_type == "code" and not cell.source.startswith("# "):
            found.append(f"{stem} cell {i}: hidden code does not start with a comment for learners: "
                         f"{cell.source[:50]!r}")
        collapsed = all(cell.metadata.get(k) is True for k in COLLAPSED_KEYS)
        if is_deeper_heading(cell) and not collapsed:
            found.append(f"{stem} cell {i}: 'Go deeper' heading is not collapsed: {cell.source.splitlines()[0]!r}")
        inner = [line for line in cell.source.splitlines()[1:] if re.match(r"#{1,2}\s", line)]
        if cell.cell_type == "markdown" and inner:
            found.append(f"{stem} cell {i}: heading {inner[0]!r} inside a cell: start a new cell (+++) before it, "
                         "or a collapsed section above would not end there")
        if not is_deeper_heading(cell) and any(k in cell.metadata for k in COLLAPSED_KEYS):
            found.append(f"{stem} cell {i}: collapsed, but it is not a 'Go deeper' heading")
    return found


def apply(nb) -> None:
    """Hide every code cell's source and collapse every "Go deeper" heading, in place."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            first, _, rest = cell.source.partition("\n")
            if first in {text for _, text in LABELS} | {OTHER_LABEL}:   # a label this tool wrote: keep it right
                cell.source = label(rest) + "\n" + rest
            elif not cell.source.startswith("# "):
                cell.source = label(cell.source) + "\n" + cell.source
        elif is_deeper_heading(cell):
            for key in COLLAPSED_KEYS:
                cell.metadata[key] = True
        else:
            for key in COLLAPSED_KEYS:
                cell.metadata.pop(key, None)


def main(argv: list[str]) -> int:
    chosen = [a for a in argv if not a.startswith("--")] or stems()
    if "--check" in argv:
        found = [p for stem in chosen for p in problems(read_text(stem), stem)]
        print("\n".join(found) or f"{len(chosen)} lessons: code hidden, 'Go deeper' collapsed")
        return 1 if found else 0
    for stem in chosen:
        nb = read_text(stem)
        apply(nb)
        jupytext.write(nb, LESSONS / f"{stem}.md", fmt=FORMAT)
        print(f"lessons/{stem}.md: code hidden, 'Go deeper' collapsed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
