"""coursekit is an installable package that carries its data: a wheel runs notebook 01 with no repository around."""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source")   # build from a copy: setuptools leaves build/ beside the sources
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "notebooks" / "coursekit", source / "notebooks" / "coursekit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(out), str(source)], check=True, timeout=300, capture_output=True)
    [built] = out.glob("coursekit-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = ROOT / "notebooks" / "coursekit" / "data"
    expected = {"coursekit/data/" + p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert expected and expected <= names
    assert "coursekit/models/biologics.py" in names and not any(n.startswith("tests/") for n in names)


@pytest.mark.slow
def test_notebook_01_runs_from_the_installed_wheel_in_a_folder_with_no_repository(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, timeout=300, capture_output=True)
    work = tmp_path / "empty-folder"
    work.mkdir()
    nb = nbformat.read(ROOT / "notebooks" / "01_what_biologics_are.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("import coursekit; print(coursekit.__file__)"))
    env_before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(site)     # the kernel inherits it: site comes before the editable install
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(work)}}).execute()
    finally:
        if env_before is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = env_before
    assert nb.cells[0].outputs[0]["text"].strip().startswith(str(site))
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert list(work.iterdir()) == []          # nothing was written into the learner's folder
