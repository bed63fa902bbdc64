"""Each course notebook has an editable, reviewable text twin: lessons/<stem>.md (MyST Markdown, via jupytext).

People edit and review the text; the executed notebooks/<stem>.ipynb is built from it and stays committed as the
nbval regression baseline (stored outputs are what learners see).

    python -m tools.notebook_text build [stem ...]   # lessons/*.md -> notebooks/*.ipynb (outputs kept if code same)
    python -m tools.notebook_text check              # exit 1 if any pair drifted (also a test)
    python -m tools.notebook_text text [stem ...]    # notebooks/*.ipynb -> lessons/*.md (after editing in Jupyter)

`make outputs` runs `build` and then executes every notebook in a fresh kernel.
"""
from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
FORMAT = "md:myst"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def stems() -> list[str]:
    """Every lesson that has a text twin, in course order."""
    return sorted(p.stem for p in LESSONS.glob("[0-9][0-9]_*.md"))


def _cell_key(cell) -> tuple:
    """What must agree between a notebook and its text: type, source and metadata (not outputs, not timing)."""
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "scrolled")}
    return cell.cell_type, cell.source, repr(sorted(metadata.items()))


def read_text(stem: str) -> nbformat.NotebookNode:
    return jupytext.read(LESSONS / f"{stem}.md", fmt=FORMAT)


def build(stem: str) -> tuple[Path, bool]:
    """Write notebooks/<stem>.ipynb from lessons/<stem>.md; return (path, whether it must be executed again).

    When the code cells are exactly the ones of the stored notebook (only prose changed), their stored outputs and
    the saved widget state are kept, so a wording fix needs no re-execution. Otherwise the notebook is written
    without outputs and `make outputs` executes it.
    """
    text_nb = read_text(stem)
    path = NOTEBOOKS / f"{stem}.ipynb"
    nb = nbformat.v4.new_notebook(cells=text_nb.cells)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"   # stable ids: rebuilding never changes them
    old = nbformat.read(path, as_version=4) if path.exists() else None

    def code_cells(notebook):
        return [(c.source, repr(sorted(c.metadata.items()))) for c in notebook.cells if c.cell_type == "code"]

    stale = old is None or code_cells(old) != code_cells(nb) or any(
        c.cell_type == "code" and c.execution_count is None for c in old.cells)
    if not stale:
        stored = iter(c for c in old.cells if c.cell_type == "code")
        for cell in nb.cells:
            if cell.cell_type == "code":
                previous = next(stored)
                cell.outputs, cell.execution_count = previous.outputs, previous.execution_count
        nb.metadata.update({k: v for k, v in old.metadata.items() if k == "widgets"})
        nb.metadata["language_info"] = old.metadata.get("language_info", nb.metadata["language_info"])
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path, stale


def to_text(stem: str) -> Path:
    """Write lessons/<stem>.md from notebooks/<stem>.ipynb (outputs are not part of the text)."""
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    nb.metadata = nbformat.NotebookNode({"kernelspec": KERNELSPEC})
    LESSONS.mkdir(exist_ok=True)
    path = LESSONS / f"{stem}.md"
    jupytext.write(nb, path, fmt=FORMAT)
    return path


def drift(stem: str) -> list[str]:
    """How notebooks/<stem>.ipynb differs from lessons/<stem>.md, cell by cell (empty when they agree)."""
    ipynb = NOTEBOOKS / f"{stem}.ipynb"
    if not ipynb.exists():
        return [f"{ipynb.name} is missing: run `make outputs`"]
    text_cells = [_cell_key(c) for c in read_text(stem).cells]
    nb_cells = [_cell_key(c) for c in nbformat.read(ipynb, as_version=4).cells]
    problems = []
    if len(text_cells) != len(nb_cells):
        problems.append(f"{stem}: {len(text_cells)} cells in lessons/{stem}.md, {len(nb_cells)} in the notebook")
    for i, (t, n) in enumerate(zip(text_cells, nb_cells)):
        if t != n:
            what = "type" if t[0] != n[0] else ("source" if t[1] != n[1] else "metadata")
            problems.append(f"{stem} cell {i}: {what} differs: {t[1][:60]!r} (text) vs {n[1][:60]!r} (notebook)")
    return problems


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "check", "text"):
        print(__doc__)
        return 2
    command, chosen = argv[0], [Path(a).stem for a in argv[1:]]
    if command == "text":
        for stem in chosen or sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
            print("wrote", to_text(stem).relative_to(ROOT))
        return 0
    if command == "build":
        for stem in chosen or stems():
            path, stale = build(stem)
            print("built", path.relative_to(ROOT),
                  "(code changed: execute it)" if stale else "(prose only: outputs kept)")
        return 0
    problems = [p for stem in stems() for p in drift(stem)]
    print("\n".join(problems) or f"{len(stems())} notebooks agree with their lessons/*.md text")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
