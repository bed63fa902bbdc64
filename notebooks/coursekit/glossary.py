"""The course glossary: one-line definitions in coursekit/data/glossary.csv, shown in the review notebook and the
instructor guide (tools/render_glossary.py writes instructors/glossary.md from the same file)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import DATA_DIR
from .tables import read_table

GLOSSARY_CSV = DATA_DIR / "glossary.csv"
COLUMNS = ("term", "definition", "notebook")


@dataclass(frozen=True)
class Term:
    """A glossary entry and the notebook that teaches it."""

    term: str
    definition: str
    notebook: str


def load_glossary(path: Path | str = GLOSSARY_CSV) -> list[Term]:
    """Read and validate the glossary, sorted alphabetically; ValueError names the row that is wrong."""
    from . import course  # the notebook column must name a notebook of the course map

    path = Path(path)
    stems = {n.stem for n in course.notebooks()}
    terms: list[Term] = []
    for row in read_table(path, COLUMNS, required=("term", "definition")):
        row.choice("notebook", sorted(stems))
        terms.append(Term(row["term"], row["definition"], row["notebook"]))
    seen = [t.term.lower() for t in terms]
    if len(set(seen)) != len(seen):
        raise ValueError(f"{path.name}: a term is listed twice")
    return sorted(terms, key=lambda t: t.term.lower())


def glossary_markdown(link_prefix: str = "") -> str:
    """The glossary as a Markdown table: term, definition, and a link to the notebook that teaches it."""
    from . import course

    titles = {n.stem: n for n in course.notebooks()}
    lines = ["| Term | Meaning | Taught in |", "|---|---|---|"]
    for t in load_glossary():
        n = titles[t.notebook]
        definition = t.definition.replace("|", "/")
        lines.append(f"| **{t.term}** | {definition} | [{n.number} {n.title}]({link_prefix}{n.file}) |")
    return "\n".join(lines)


def glossary():
    """The glossary for display in a notebook."""
    from IPython.display import Markdown

    return Markdown(glossary_markdown())
