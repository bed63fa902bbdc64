"""Print an nbgitpuller link that opens the course on a JupyterHub (each learner gets an up-to-date copy).

    python tools/hub_link.py https://hub.example.org                        # opens 00_start_here.ipynb
    python tools/hub_link.py https://hub.example.org 03_manufacturing_divide.ipynb
    make hub-link HUB=https://hub.example.org [NOTEBOOK=05_review.ipynb]

The hub needs the nbgitpuller server extension (pip install nbgitpuller on the hub's user image).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from coursekit import course  # noqa: E402


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2 or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    files = [n.file for n in course.notebooks()]
    notebook = argv[1] if len(argv) == 2 else files[0]
    if not notebook.endswith(".ipynb"):
        notebook += ".ipynb"
    if notebook not in files:
        print(f"error: NOTEBOOK = {notebook!r} is not a course notebook; choose one of: {', '.join(files)}",
              file=sys.stderr)
        return 2
    try:
        print(course.nbgitpuller_url(argv[0], notebook))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
