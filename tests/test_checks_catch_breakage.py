"""Each notebook check fails on a notebook broken on purpose (so a green run means something)."""
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import nbhygiene

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "notebooks" / "00_start_here.ipynb"


def _broken(tmp_path, mutate) -> Path:
    nb = nbformat.read(START, as_version=4)
    mutate(nb)
    path = tmp_path / "notebooks" / START.name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    for other in ("01_what_biologics_are.ipynb",):   # link targets of the navigation
        (path.parent / other).write_text("{}")
    (path.parent / "05_review.ipynb").write_text("{}")
    for n in ("02_stem_cells", "03_manufacturing_divide", "04_stem_cells_in_drug_discovery"):
        (path.parent / f"{n}.ipynb").write_text("{}")
    return path


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _figure_cell():
    cell = nbformat.v4.new_code_cell("fig")
    cell.execution_count = 99
    cell.outputs = [nbformat.v4.new_output("display_data",
                                           data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    return cell


BREAKAGES = {
    "error output": (lambda nb: _code(nb)[1].outputs.append(nbformat.v4.new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])), "stores an error"),
    "out of order": (lambda nb: setattr(_code(nb)[1], "execution_count", 7), "not executed in order"),
    "JavaScript output": (lambda nb: _code(nb)[1].outputs.append(nbformat.v4.new_output(
        "display_data", data={"application/javascript": "alert(1)"})), "JavaScript output"),
    "wrong kernel": (lambda nb: nb.metadata["kernelspec"].update(name="python3.11-venv"), "kernelspec"),
    "setup visible": (lambda nb: _code(nb)[0].metadata.pop("jupyter"), "collapsed 'import coursekit' setup"),
    "no key points": (lambda nb: nb.cells.__setitem__(
        next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Key points")),
        nbformat.v4.new_markdown_cell("## Summary\n\nNothing.")), "Key points"),
    "figure without caption": (lambda nb: nb.cells.insert(5, _figure_cell()), "caption cell"),
    "broken link": (lambda nb: nb.cells[-1].__setitem__("source", nb.cells[-1].source + " [x](06_gone.ipynb)"),
                    "06_gone.ipynb does not resolve"),
    "widget without state": (lambda nb: nb.metadata.pop("widgets"), "no saved widget state"),
}


@pytest.mark.parametrize("what", list(BREAKAGES))
def test_hygiene_check_catches(tmp_path, what):
    mutate, expected = BREAKAGES[what]
    problems = "\n".join(nbhygiene.check_notebook(_broken(tmp_path, mutate)))
    assert expected in problems, problems


def test_hygiene_check_catches_an_oversized_notebook(tmp_path):
    path = _broken(tmp_path, lambda nb: _code(nb)[1].outputs.append(
        nbformat.v4.new_output("stream", name="stdout", text="x" * 1_100_000)))
    assert any("under 1 MB" in p for p in nbhygiene.check_notebook(path))


def test_prose_number_check_catches_an_unsourced_number():
    allowed = nbhygiene.allowed_numbers()
    assert nbhygiene.check_prose_numbers(["An IgG weighs 150 kDa; aspirin 180.16 Da."], "t", allowed, set()) == []
    problems = nbhygiene.check_prose_numbers(["An IgG weighs 151 kDa."], "t", allowed, set())
    assert problems and "'151'" in problems[0]
    assert nbhygiene.prose_numbers("2.5 × 10⁷ cells") == [("2.5 × 10⁷", 2.5e7)]
    assert nbhygiene.prose_numbers("CD34+ cells, Oct3/4, [link](https://x.org/2020)") == []


@pytest.fixture()
def course_copy(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    return tmp_path


def _nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", str(path), "--nbval-current-env", "-q",
                           "-p", "no:cacheprovider", "--nbval-sanitize-with", str(ROOT / "tests/nbval_sanitize.cfg"),
                           "-c", "/dev/null", "--rootdir", str(path.parent)],
                          capture_output=True, text=True, timeout=300)


def test_nbval_fails_when_a_stored_output_no_longer_matches(course_copy):
    path = course_copy / "notebooks" / START.name
    nb = nbformat.read(path, as_version=4)
    hello = next(c for c in nb.cells if c.cell_type == "code" and "print(" in c.source)
    hello.outputs[0]["text"] = hello.outputs[0]["text"].replace("This cell ran", "This cell ran twice")
    nbformat.write(nb, path)
    result = _nbval(path)
    assert result.returncode != 0 and "This cell ran twice" in result.stdout, result.stdout[-2000:]


def test_nbval_fails_when_a_model_changes_a_printed_number(course_copy):
    facts_csv = course_copy / "notebooks" / "coursekit" / "data" / "facts.csv"
    facts_csv.write_text(facts_csv.read_text().replace("aspirin_mw_da,180.16,", "aspirin_mw_da,180.157,"))
    result = _nbval(course_copy / "notebooks" / START.name)
    assert result.returncode != 0, result.stdout[-2000:]
