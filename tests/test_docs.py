"""The maintainer's guide stays true: every notebook has a row, every file it names exists; licences are present."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "AUTHORING.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "notebooks" / "coursekit"
PATH = re.compile(r"`([\w./-]+\.(?:py|md|csv|json|ipynb))`")


def _table_rows() -> dict[str, str]:
    section = GUIDE.split("## Each notebook and its files", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "lessons/" in line]
    return {re.search(r"lessons/(\w+)\.md", row).group(1): row for row in rows}  # type: ignore[union-attr]


def test_every_notebook_has_a_row_in_the_guide():
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(_table_rows()) == notebooks


def test_every_file_the_guide_names_exists():
    missing = []
    for name in sorted(set(PATH.findall(GUIDE))):
        if "<" in name or name.startswith("."):
            continue
        candidates = [ROOT / name, ROOT / "notebooks" / name, PACKAGE / name, PACKAGE / "data" / name,
                      ROOT / "docs" / name]
        if not any(c.exists() for c in candidates):
            missing.append(name)
    assert not missing, f"docs/AUTHORING.md names files that do not exist: {missing}"


def test_the_guide_check_can_fail():
    assert PATH.findall("see `models/nowhere.py` and `data/none.csv`") == ["models/nowhere.py", "data/none.csv"]
    assert not (PACKAGE / "models/nowhere.py").exists()


def test_code_and_text_licences_are_present():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    text = (ROOT / "LICENSE-text.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text
    assert (ROOT / "CONTRIBUTING.md").exists()
