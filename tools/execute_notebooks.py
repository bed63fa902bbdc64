"""Re-execute notebooks in place: each in a fresh kernel, top to bottom, widget state saved, no timing metadata.

    python -m tools.execute_notebooks                  # every notebook
    python -m tools.execute_notebooks notebooks/01_*.ipynb
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def execute(path: Path) -> float:
    """Execute one notebook in place; return its wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    # Stored outputs must not depend on this machine's saved answers or paths: run the kernels with an empty,
    # throw-away home folder, so the progress store is the default ~/.coursekit/progress.json, empty.
    import matplotlib
    os.environ.setdefault("MPLCONFIGDIR", matplotlib.get_configdir())  # keep the font cache: no rebuild
    os.environ["HOME"] = tempfile.mkdtemp(prefix="coursekit-outputs-home-")
    os.environ.pop("COURSEKIT_PROGRESS", None)
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        print(f"executing {path.name} ...", end=" ", flush=True)
        print(f"{execute(path.resolve()):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
