"""The glossary's "Taught in" and each lesson's "Terms you will meet", computed from where each term first appears;
and instructors/glossary.md, written from coursekit/data/glossary.csv (the review notebook shows the same table).

    python -m tools.render_glossary            # rewrite instructors/glossary.md
    python -m tools.render_glossary --check    # exit 1 if the page, the "notebook" column or a Terms cell is stale
    python -m tools.render_glossary --taught   # set glossary.csv's "notebook" column and every lesson's Terms cell
                                               # from first appearances (then build the notebooks)

A term *first appears* in the first markdown cell, notebooks in course order, whose teaching prose contains it
(case-insensitive, whole words, also its plural and the forms in the "also" column). Teaching prose leaves out the
title cell, the Terms cell, the objectives, the course map, key points and the reference sections (Sources, Getting
help, Glossary, What to read next), which name terms without explaining them.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from coursekit import glossary  # noqa: E402

OUTPUT = ROOT / "instructors" / "glossary.md"
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
NOT_TEACHING = ("learning objectives", "course map", "key points", "sources", "getting help", "glossary",
                "what to read next")
TERMS_MARK = "**Terms you will meet**"
GLOSSARY_LINK = "05_review.ipynb#Glossary"


def _pattern(form: str) -> re.Pattern:
    """A whole-word, case-insensitive match of a term and its plural (cell, cells; therapy, therapies)."""
    form = form.replace("′", "'").replace("’", "'")
    stem, plural = (re.escape(form[:-1]), r"(?:y|ies)") if form.endswith("y") else (re.escape(form), r"(?:s|es)?")
    return re.compile(r"(?<![\w-])" + stem + plural + r"(?![\w-])", re.I)


def teaching_cells(path: Path) -> list[tuple[int, str]]:
    """(index, text) of the markdown cells of a notebook that teach (see the module docstring)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells, section = [], ""
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown" or i == 0:
            continue
        text = "".join(cell["source"]).replace("′", "'").replace("’", "'")
        heading = re.match(r"#{1,2}\s+(?:\d+\.\s*)?(.*)", text)
        if heading:
            section = heading.group(1).strip().lower()
        if text.startswith(TERMS_MARK) or section.startswith(NOT_TEACHING) or "| Notebook | What you will" in text:
            continue
        cells.append((i, text))
    return cells


def first_appearances() -> dict[str, tuple[str, int] | None]:
    """{term: (notebook stem, cell index)} of each glossary term's first appearance in teaching prose (None: never)."""
    from coursekit import course

    prose = [(n.stem, i, text) for n in course.notebooks() for i, text in teaching_cells(NOTEBOOKS / n.file)]
    found = {}
    for term in glossary.load_glossary():
        patterns = [_pattern(f) for f in term.forms]
        found[term.term] = next(((stem, i) for stem, i, text in prose if any(p.search(text) for p in patterns)), None)
    return found


def terms_cell(stem: str, taught: dict[str, tuple[str, int] | None]) -> str:
    """The "Terms you will meet" cell of a notebook: the glossary terms it teaches first, in order of appearance."""
    here = sorted((where[1], term) for term, where in taught.items() if where and where[0] == stem)
    if not here:
        return (f"{TERMS_MARK}: no new ones; every term of the course is in the [glossary]({GLOSSARY_LINK}).")
    names = ", ".join(f"*{term}*" for _, term in here)
    return (f"{TERMS_MARK} (each is explained where it first appears, and all are in the "
            f"[glossary]({GLOSSARY_LINK})): {names}.")


def set_taught_in() -> None:
    """Rewrite glossary.csv's "notebook" column and every lesson's Terms cell from first appearances."""
    from coursekit import course

    taught = first_appearances()
    missing = [t for t, where in taught.items() if where is None]
    if missing:
        raise ValueError(f"glossary terms that no notebook uses: {missing}")
    rows = list(csv.DictReader(glossary.GLOSSARY_CSV.open(newline="", encoding="utf-8")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=glossary.COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        where = taught[row["term"]]
        assert where is not None  # every term's first appearance was checked above
        row["notebook"] = where[0]
        writer.writerow({c: row.get(c, "") for c in glossary.COLUMNS})
    glossary.GLOSSARY_CSV.write_text(out.getvalue(), encoding="utf-8")
    for n in course.notebooks():
        lesson = LESSONS / f"{n.stem}.md"
        text = lesson.read_text(encoding="utf-8")
        new = terms_cell(n.stem, taught)

        def replacement(_: re.Match[str], new: str = new) -> str:
            return new

        text, count = re.subn(re.escape(TERMS_MARK) + r"[^\n]*(?:\n(?!\n)[^\n]*)*", replacement, text, count=1)
        if not count:   # first time: a cell of its own right after the title cell
            head, rest = text.split("\n+++\n", 1)
            text = head + "\n+++\n\n" + new + "\n\n+++\n" + rest
        lesson.write_text(text, encoding="utf-8")


def stale_taught_in() -> list[str]:
    """Where glossary.csv's "notebook" column or a notebook's Terms cell disagrees with first appearances."""
    from coursekit import course

    taught = first_appearances()
    problems = []
    for t in glossary.load_glossary():
        where = taught[t.term]
        if not where or where[0] != t.notebook:
            problems.append(f"{t.term}: taught in {t.notebook} by glossary.csv, but first appears in "
                            f"{where[0] if where else 'no notebook'}")
    for n in course.notebooks():
        nb = json.loads((NOTEBOOKS / n.file).read_text(encoding="utf-8"))
        cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        if terms_cell(n.stem, taught) not in cells:
            problems.append(f"{n.file}: its Terms cell is not {terms_cell(n.stem, taught)!r}")
    return problems


def render() -> str:
    """The instructor guide's glossary page, links pointing at the notebooks folder."""
    return ("# Glossary\n\n"
            "<!-- Generated by tools/render_glossary.py from coursekit/data/glossary.csv: "
            "edit the CSV, not this file. -->\n\n"
            "The course's terms with one-line definitions, and the notebook that teaches each one. Learners see the "
            "same table at the end of [05 Review](../notebooks/05_review.ipynb). Back to the "
            "[instructor guide](README.md).\n\n"
            + glossary.glossary_markdown(link_prefix="../notebooks/") + "\n")


def main(argv: list[str]) -> int:
    if "--taught" in argv:
        set_taught_in()
        print("glossary.csv 'notebook' column and the lessons' Terms cells set from first appearances")
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        problems = stale_taught_in()
        if current != text:
            problems.append(f"{OUTPUT.name} is out of date: run python -m tools.render_glossary")
        print("\n".join(problems), file=sys.stderr)
        return 1 if problems else 0
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
