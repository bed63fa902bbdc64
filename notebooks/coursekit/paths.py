"""Where the course's data lives: inside this package (``coursekit/data``), found with ``importlib.resources``.

The same code serves every way the course runs: imported from the notebooks folder (Binder, hubs, a laptop, where
the kernel's working directory is ``notebooks/``), installed with ``pip install .``, or shipped as a wheel into
JupyterLite. Nothing here knows about the repository around the package.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_data = files(__package__).joinpath("data")
if not isinstance(_data, Path):  # pragma: no cover - only a zipped install would do this
    raise RuntimeError("coursekit must be installed as files on disk (not zipped): its data files are read in place")

DATA_DIR: Path = _data
QUESTIONS_DIR = DATA_DIR / "questions"
FACTS_CSV = DATA_DIR / "facts.csv"
COURSE_JSON = DATA_DIR / "course.json"
SOURCES_JSON = DATA_DIR / "sources.json"
MISCONCEPTIONS_CSV = DATA_DIR / "misconceptions.csv"
