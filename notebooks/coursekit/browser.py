"""The course in the learner's browser (the JupyterLite edition, Python running in Pyodide).

There, the home folder lives in memory and is wiped when the kernel restarts; only ``/drive`` (the site's files, kept
in the browser's own storage) survives a restart and a page reload. So the progress file goes to
``/drive/progress/progress.json`` (``progress.progress_path``), visible in the file list as ``progress/``.

The site serves a clean copy of every notebook; the learner's edited copy is kept in the browser and shadows it.
``reset_notebooks`` deletes the learner's copies, so the clean ones show again after a reload (answers are kept).
"""
from __future__ import annotations

import sys
from pathlib import Path

DRIVE = Path("/drive")          # where JupyterLite mounts the site's files in the kernel (persisted in the browser)
PROGRESS_FOLDER = "progress"    # inside DRIVE


def in_browser() -> bool:
    """True when Python runs in the learner's browser (Pyodide, e.g. the course's JupyterLite edition)."""
    return sys.platform == "emscripten"


def drive() -> Path | None:
    """The persistent folder in the browser (``/drive``), or None outside the browser or if it is not mounted."""
    return DRIVE if in_browser() and DRIVE.is_dir() else None


def reset_notebooks(folder: Path | None = None) -> list[str]:
    """Delete the learner's copies of the course notebooks in the browser; return the names deleted.

    The site then serves its clean copies again (after a page reload); the progress folder is not touched.
    Outside the browser this does nothing and returns [] (use git or a fresh download there).
    """
    from . import course  # same layer; imported late

    root = drive()
    if root is None and folder is None:
        return []
    if folder is not None:
        folder = Path(folder)
    else:
        assert root is not None  # checked above
        folder = root / "notebooks"
    deleted = []
    for entry in course.notebooks():
        path = folder / entry.file
        if path.exists():
            path.unlink()
            deleted.append(entry.file)
    return deleted
