"""Build course notebooks from the template in DESIGN.md (used by authors in scripts; the .ipynb is the product).

    from nbbuild import Notebook
    nb = Notebook("01_what_biologics_are.ipynb")
    nb.header(objectives=[...], needs="...")      # title, badge, navigation, objectives, time, setup cell
    nb.md("## 1. Section ..."); nb.code("coursekit.figures...")
    nb.footer(key_points=[...])                    # key points, sources, navigation
    nb.write()                                     # then `make outputs` executes and stores outputs
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))
from coursekit import course  # noqa: E402

SETUP_SOURCE = "import coursekit\ncoursekit.setup()"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class Notebook:
    """A notebook under construction, cell by cell, following the course template."""

    def __init__(self, file: str):
        self.file = file
        self.entry = next(n for n in course.notebooks() if n.file == file)
        self.cells: list = []

    def md(self, text: str) -> "Notebook":
        self.cells.append(nbformat.v4.new_markdown_cell(text.strip("\n")))
        return self

    def code(self, source: str, hidden: bool = False, tags: tuple[str, ...] = ()) -> "Notebook":
        cell = nbformat.v4.new_code_cell(source.strip("\n"))
        if hidden:
            cell.metadata["jupyter"] = {"source_hidden": True}
        if tags:
            cell.metadata["tags"] = list(tags)
        self.cells.append(cell)
        return self

    def header(self, objectives: list[str], needs: str = "nothing but this page") -> "Notebook":
        e = self.entry
        self.md(f"# {e.number} · {e.title}\n\n"
                f"*In this notebook you will learn to {e.goal}.*\n\n"
                f"{course.binder_badge(e.file)} {course.navigation(e.file)}")
        bullets = "\n".join(f"- {o}" for o in objectives)
        self.md(f"## Learning objectives\n\nBy the end of this notebook you will be able to:\n\n{bullets}\n\n"
                f"**Time:** about {e.minutes} minutes. **You need:** {needs}. "
                "Run each code cell in order with **Shift+Enter** (or use *Run → Run All Cells*).")
        self.code(SETUP_SOURCE, hidden=True)
        return self

    def figure(self, source: str, caption: str) -> "Notebook":
        """A code cell that shows one figure, followed by its visible caption cell."""
        self.code(source)
        n = sum(1 for c in self.cells if c.cell_type == "markdown" and c.source.startswith("**Figure ")) + 1
        self.md(f"**Figure {n}.** {caption}")
        return self

    def footer(self, key_points: list[str], extra_fact_keys: list[str] | None = None) -> "Notebook":
        bullets = "\n".join(f"- {k}" for k in key_points)
        self.md(f"## Key points\n\n{bullets}")
        self.md("## Sources\n\nEvery number this notebook showed, with its range, confidence and source "
                "(from `assets/data/facts.csv`):")
        self.code("coursekit.sources(" + (repr(extra_fact_keys) if extra_fact_keys else "") + ")")
        self.md(course.navigation(self.file))
        return self

    def write(self) -> Path:
        nb = nbformat.v4.new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = KERNELSPEC
        nb.metadata["language_info"] = {"name": "python"}
        path = ROOT / "notebooks" / self.file
        nbformat.validate(nb)
        nbformat.write(nb, path)
        return path
