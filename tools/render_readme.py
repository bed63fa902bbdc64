"""Regenerate the launch badges and course map in README.md from course.json (the one place the repository is set)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from coursekit import course  # noqa: E402

START, END = "<!-- generated:launch -->", "<!-- /generated:launch -->"


def launch_block() -> str:
    """Badges for the whole course and for each notebook, and the course map, as Markdown."""
    rows = ["| Notebook | What you will be able to do | Core minutes | Go deeper (optional; + minutes) | Launch |",
            "|---|---|---|---|---|"]
    for n in course.notebooks():
        rows.append(f"| [{n.number} {n.title}](notebooks/{n.file}) | {n.goal[0].upper()}{n.goal[1:]} | "
                    f"{n.minutes} | {course.deeper_cell(n)} | "
                    f"{course.binder_badge(n.file)} {course.lite_link(n.file)} |")
    rows.append(f"| **Total** | | **{course.core_total()}** | **+{course.deeper_total()}** | |")
    return "\n".join([START, f"Launch the whole course: {course.binder_badge('00_start_here.ipynb')} "
                      f"{course.lite_link()}", "",
                      *rows, END])


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + launch_block() + tail


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(render(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md launch block regenerated from course.json")
