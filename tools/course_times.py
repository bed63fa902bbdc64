"""The course's time model: minutes per notebook and per track (core, go deeper), computed from the stored notebooks.

    python -m tools.course_times            # print the table (notebook, core, deeper, all)
    python -m tools.course_times --json     # the same as JSON
    python -m tools.course_times --write    # write the model's minutes into course.json, every lesson's "Time:" line
                                            # and the course map in lessons/00_start_here.md (then build the notebooks
                                            # and run python -m tools.render_readme)

The model (documented in docs/AUTHORING.md and instructors/schedules.md):

- prose: words in markdown cells at WORDS_PER_MINUTE (150, the low end of 150-200 for technical text);
- a check question: its words (prompt and options, and the feedback of one option, from the question bank) at the
  same rate, plus CHECK_DECIDE_MIN to choose (CHECK_MIN when the item is not found in a bank); an explorer or
  other interactive widget: EXPLORER_MIN;
  a static figure: FIGURE_MIN; any other output (a table, printed numbers): OUTPUT_MIN;
- a cell whose metadata holds ``course: {minutes: N}`` takes N minutes (long tasks: writing, a ten-product sort);
- reference blocks (navigation, the course-map table under "Notebooks and times", Sources, Getting help, Glossary,
  What to read next, the progress table under "Your saved progress" / "Your progress") are looked up, not read: 0.

A cell belongs to the **deeper** track when it lies under a heading that starts with "Go deeper" (until the next
heading of the same or a higher level, which is what JupyterLab collapses); every other cell is **core**.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

WORDS_PER_MINUTE = 150
CHECK_MIN = 1.5          # a check whose bank item cannot be read
CHECK_DECIDE_MIN = 0.5   # choosing an answer, on top of reading the item and one feedback
EXPLORER_MIN = 3.0
FIGURE_MIN = 0.5
OUTPUT_MIN = 0.5
FORMULA_WORDS = 10
DEEPER_PREFIX = "go deeper"
REFERENCE_HEADINGS = ("sources", "getting help", "glossary", "what to read next", "notebooks and times",
                      "your saved progress", "your progress")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.M)
_WORD = re.compile(r"[^\W_][\w'’.,+−-]*", re.U)


def prose_words(markdown: str) -> int:
    """Words a learner reads in a markdown cell: link targets, badges, HTML comments and formulas do not count."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " formula " * FORMULA_WORDS, text, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)          # images and badges
    text = re.sub(r"\]\([^)]*\)", "]", text)                   # keep link text, drop the address
    text = re.sub(r"<[^>]+>", " ", text)                       # inline HTML tags
    return len(_WORD.findall(text))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _is_navigation(markdown: str) -> bool:
    """The previous | course map | next line (top or bottom of a notebook)."""
    return ("Course map](" in markdown and len(markdown.strip().splitlines()) <= 2
            and not markdown.lstrip().startswith("#"))


def _strings(value, skip=("id", "feedback", "misconception", "objectives", "level", "type", "kind")) -> list[str]:
    """Every string a learner reads in a question item (not its feedback, ids or tags)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip and not isinstance(v, bool) for s in _strings(v, skip)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, skip)]
    return []


def _feedbacks(value) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "feedback" and isinstance(v, str)] + \
            [s for k, v in value.items() if k != "feedback" for s in _feedbacks(v)]
    if isinstance(value, list):
        return [s for v in value for s in _feedbacks(v)]
    return []


def check_minutes(source: str) -> float:
    """Minutes for a check question: read the item and one feedback at WORDS_PER_MINUTE, plus the choice."""
    call = re.search(r'check\(\s*"([^"]+)"\s*,\s*"([^"]+)"', source)
    if not call:
        return CHECK_MIN
    from coursekit.paths import QUESTIONS_DIR

    bank = Path(QUESTIONS_DIR) / f"{call.group(1)}.json"
    if not bank.exists():
        return CHECK_MIN
    raw = json.loads(bank.read_text(encoding="utf-8"))
    items = raw.get("questions", raw.get("items", [])) if isinstance(raw, dict) else raw
    assert items is not None  # a bank lists its questions
    item = next((q for q in items if isinstance(q, dict) and q.get("id") == call.group(2)), None)
    if item is None:
        return CHECK_MIN
    words: float = sum(prose_words(s) for s in _strings(item))
    feedback = [prose_words(s) for s in _feedbacks(item)]
    if feedback:
        words += sum(feedback) / len(feedback)
    return words / WORDS_PER_MINUTE + CHECK_DECIDE_MIN


def code_cell_minutes(cell: dict) -> tuple[float, str]:
    """Minutes and kind of a code cell, read from its stored outputs."""
    override = cell.get("metadata", {}).get("course", {}).get("minutes")
    if override is not None:
        return float(override), "task"
    mimes: set[str] = set()
    for out in cell.get("outputs", []):
        mimes.update(out.get("data", {}).keys())
        if out.get("output_type") == "stream":
            mimes.add("text/plain")
    source = _source(cell)
    if "check(" in source or "poll(" in source:
        return check_minutes(source), "check"
    if WIDGET_MIME in mimes:
        return EXPLORER_MIN, "explorer"
    if any(m.startswith("image/") for m in mimes):
        return FIGURE_MIN, "figure"
    if mimes:
        return OUTPUT_MIN, "output"
    return 0.0, "none"


@dataclass
class CellTime:
    index: int
    track: str          # core | deeper | reference
    kind: str           # prose | check | explorer | figure | output | task | none
    minutes: float
    heading: str


@dataclass
class NotebookTime:
    file: str
    cells: list[CellTime] = field(default_factory=list)

    def minutes(self, track: str | None = None) -> float:
        return sum(c.minutes for c in self.cells if track is None or c.track == track)

    @property
    def core(self) -> float:
        return self.minutes("core")

    @property
    def deeper(self) -> float:
        return self.minutes("deeper")

    @property
    def total(self) -> float:
        return self.core + self.deeper

    def count(self, kind: str, track: str | None = None) -> int:
        return sum(1 for c in self.cells if c.kind == kind and (track is None or c.track == track))

    def words(self, track: str | None = None) -> int:
        return round(sum(c.minutes for c in self.cells if c.kind == "prose"
                         and (track is None or c.track == track)) * WORDS_PER_MINUTE)


def notebook_time(path: Path | str) -> NotebookTime:
    """Walk a stored notebook cell by cell and give each cell its track and minutes."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    result = NotebookTime(path.name)
    stack: list[tuple[int, str]] = []          # open headings (level, text)
    for i, cell in enumerate(nb["cells"]):
        source = _source(cell)
        if cell["cell_type"] == "markdown":
            for hashes, text in _HEADING.findall(source)[:1]:
                level = len(hashes)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, text.strip()))
        texts = [t.lower() for _, t in stack]
        if any(t.startswith(DEEPER_PREFIX) for t in texts):
            track = "deeper"
        elif any(t.lstrip("0123456789. ").startswith(REFERENCE_HEADINGS) for t in texts):
            track = "reference"
        else:
            track = "core"
        heading = stack[-1][1] if stack else ""
        override = cell.get("metadata", {}).get("course", {}).get("minutes")
        if cell["cell_type"] == "markdown":
            if _is_navigation(source):
                result.cells.append(CellTime(i, "reference", "prose", 0.0, heading))
                continue
            minutes, kind = prose_words(source) / WORDS_PER_MINUTE, "prose"
            if override is not None:
                minutes, kind = float(override), "task"
        elif cell["cell_type"] == "code":
            minutes, kind = code_cell_minutes(cell)
        else:
            minutes, kind = 0.0, "none"
        if track == "reference":
            minutes = 0.0
        result.cells.append(CellTime(i, track, kind, minutes, heading))
    return result


def course_times(notebooks_dir: Path = NOTEBOOKS) -> list[NotebookTime]:
    """The model's minutes for every notebook of the course map, in course order."""
    from coursekit import course

    return [notebook_time(notebooks_dir / n.file) for n in course.notebooks()]


def deeper_titles(path: Path | str) -> list[str]:
    """Titles of a notebook's "Go deeper" sections, in order ("How big is a biologic?")."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    titles = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for _, text in _HEADING.findall(_source(cell))[:1]:
                if text.lower().startswith(DEEPER_PREFIX):
                    title = text[len(DEEPER_PREFIX):].lstrip(" :").strip()
                    titles.append(title[:1].upper() + title[1:])
    return titles


def stated_minutes(minutes: float) -> int:
    """The whole minutes a notebook states for a model estimate (never 0 for a track that exists)."""
    return max(1, round(minutes)) if minutes > 0 else 0


TIME_LINE = re.compile(r"\*\*Time:\*\* about \d+ minutes[^.]*\.")


def time_line(core: int, deeper: int) -> str:
    """The "Time:" sentence under a notebook's learning objectives."""
    if not deeper:
        return f"**Time:** about {core} minutes."
    return f"**Time:** about {core} minutes, plus about {deeper} minutes if you open the *Go deeper* sections."


GUIDE_TIMING = re.compile(r"^## Timing \(.*\)$", re.M)


def guide_timing(core: int, deeper: int) -> str:
    """The "Timing" heading of an instructor guide."""
    return f"## Timing (core {core} minutes" + (f", Go deeper {deeper} more)" if deeper else ")")


def write(times: list[NotebookTime]) -> None:
    """Put the model's minutes into course.json, the lessons' "Time:" lines and the course map in lesson 00."""
    from coursekit import course
    from coursekit.paths import COURSE_JSON

    lessons = ROOT / "lessons"
    config = json.loads(Path(COURSE_JSON).read_text(encoding="utf-8"))
    for entry, t in zip(config["notebooks"], times):
        assert entry["file"] == t.file
        entry["minutes"] = stated_minutes(t.core)
        entry["deeper_minutes"] = stated_minutes(t.deeper)
        entry["deeper"] = deeper_titles(NOTEBOOKS / t.file)
        lesson = lessons / t.file.replace(".ipynb", ".md")
        text = lesson.read_text(encoding="utf-8")
        text, n = TIME_LINE.subn(time_line(entry["minutes"], entry["deeper_minutes"]), text, count=1)
        if n != 1:
            raise ValueError(f"{lesson.name}: no '**Time:** about N minutes' sentence to update")
        lesson.write_text(text, encoding="utf-8")
    lines = ["{"] + [f'  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},' for k, v in config.items()
                     if k != "notebooks"] + ['  "notebooks": [']
    for i, e in enumerate(config["notebooks"]):
        head = {k: e[k] for k in ("file", "title", "minutes", "deeper_minutes")}
        lines.append("    {" + json.dumps(head, ensure_ascii=False)[1:-1] + ",")
        lines.append(f'     "deeper": {json.dumps(e["deeper"], ensure_ascii=False)},')
        lines.append(f'     "goal": {json.dumps(e["goal"], ensure_ascii=False)}' + "}"
                     + ("," if i < len(times) - 1 else ""))
    lines += ["  ]", "}"]
    Path(COURSE_JSON).write_text("\n".join(lines) + "\n", encoding="utf-8")
    course.config.cache_clear()
    for e in config["notebooks"]:
        guide = ROOT / "instructors" / e["file"].replace(".ipynb", ".md")
        if guide.exists():
            text = guide.read_text(encoding="utf-8")
            text = GUIDE_TIMING.sub(guide_timing(e["minutes"], e["deeper_minutes"]), text, count=1)
            guide.write_text(text, encoding="utf-8")
    start = lessons / "00_start_here.md"
    text = start.read_text(encoding="utf-8")
    table = re.compile(r"\| Notebook \| What you will be able to do \|.*?\n\| \*\*Total\*\*[^\n]*", re.S)
    text, n = table.subn(lambda _: course.course_map_markdown(), text, count=1)
    if n != 1:
        raise ValueError("lessons/00_start_here.md: no course map table to update")
    start.write_text(text, encoding="utf-8")


def summary(times: list[NotebookTime]) -> dict:
    """Minutes per notebook and track, and the course totals (one decimal)."""
    rows = {t.file: {"core": round(t.core, 1), "deeper": round(t.deeper, 1), "total": round(t.total, 1),
                     "checks": t.count("check"), "explorers": t.count("explorer"), "words": t.words()}
            for t in times}
    return {"notebooks": rows,
            "core": round(sum(t.core for t in times), 1),
            "deeper": round(sum(t.deeper for t in times), 1),
            "total": round(sum(t.total for t in times), 1)}


def main(argv: list[str]) -> int:
    times = course_times()
    data = summary(times)
    if "--write" in argv:
        write(times)
        print("wrote course.json, the lessons' Time lines and the course map: now build the notebooks "
              "(python -m tools.notebook_text build) and python -m tools.render_readme")
    if "--json" in argv:
        print(json.dumps(data, indent=1))
        return 0
    print(f"{'notebook':40s} {'core':>6s} {'deeper':>7s} {'all':>6s}  words checks explorers")
    for name, r in data["notebooks"].items():
        print(f"{name:40s} {r['core']:6.1f} {r['deeper']:7.1f} {r['total']:6.1f}  {r['words']:5d} {r['checks']:6d} "
              f"{r['explorers']:9d}")
    print(f"{'course':40s} {data['core']:6.1f} {data['deeper']:7.1f} {data['total']:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
