"""Class report: a folder of learners' progress files -> one HTML page of figures to project, plus PNGs.

    make class-report DIR=/srv/shared/progress                 # writes class-report/index.html
    python -m tools.class_report DIR [--out class-report] [--names]

Per item: how many learners chose each answer at their first attempt and now; the misconceptions most held at
first. Anonymous by default (--names adds a per-learner table from the file names). Files that cannot be counted
are skipped with a line saying which and why. Learners' files are only read; the report is written elsewhere.
"""
from __future__ import annotations

import argparse
import base64
import html
import sys
import time
from pathlib import Path

from coursekit import classview
from coursekit.display import figure_png
from coursekit.figures import class_view as figures

ROOT = Path(__file__).resolve().parents[1]


def rendered(view: classview.ClassView) -> list[tuple[str, bytes, str, int]]:
    """Every class-view figure as (name, PNG bytes, alt text, width in pixels), rendered once."""
    out = []
    for name, fig, alt in figures.figures(view):
        out.append((name, figure_png(fig), alt, int(fig.get_size_inches()[0] * fig.dpi)))
    return out


def page(view: classview.ClassView, folder: Path, names: bool,
         pictures: list[tuple[str, bytes, str, int]] | None = None) -> str:
    """The report as one self-contained HTML page (figures inline, no scripts, nothing fetched)."""
    where = str(folder) if names else folder.name
    rows = [f"<h1>Class view: {view.learners} learner{'s' if view.learners != 1 else ''}</h1>",
            f"<p>From the progress files in <code>{html.escape(where)}</code>, {time.strftime('%Y-%m-%d %H:%M')}. "
            "Hatched bars: first answers; solid bars: answers now."
            f"{'' if names else ' Learners are not named.'}</p>"]
    if view.skipped:
        rows.append(f"<h2>Files not counted ({len(view.skipped)})</h2><ul>")
        for s in view.skipped:
            who = html.escape(str(s.path.relative_to(folder))) if names else "a file"
            rows.append(f"<li>{who}: {html.escape(s.reason)}</li>")
        rows.append("</ul>" + ("" if names else "<p>(File names are in the terminal output.)</p>"))
    current = None
    for name, png, alt, width in rendered(view) if pictures is None else pictures:
        notebook = name.split("__")[0] if "__" in name else None
        if notebook and notebook != current:
            rows.append(f"<h2>{html.escape(notebook)}</h2>")
            current = notebook
        data = base64.b64encode(png).decode("ascii")
        rows.append(f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
                    f'style="max-width:100%;width:{width}px"/></figure>')
    if view.per_learner is not None:
        rows.append("<h2>Per learner</h2><table><tr><th>file</th><th>answered</th><th>right at first try</th>"
                    "<th>right now</th></tr>")
        for who, (answered, first, now) in sorted(view.per_learner.items()):
            rows.append(f"<tr><td>{html.escape(who)}</td><td>{answered}</td><td>{first}</td><td>{now}</td></tr>")
        rows.append("</table>")
    style = ("body{font-family:sans-serif;max-width:1150px;margin:1em auto;font-size:18px;line-height:1.4}"
             "figure{margin:1.5em 0}td,th{padding:.2em .8em;text-align:left}")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Class view</title>"
            f"<style>{style}</style></head><body><main>{''.join(rows)}</main></body></html>\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder with the learners' progress files (*.json, any depth)")
    parser.add_argument("--out", type=Path, default=ROOT / "class-report", help="where the report goes")
    parser.add_argument("--names", action="store_true", help="name files in the report (default: anonymous)")
    args = parser.parse_args(argv)
    folder, out = args.folder.resolve(), args.out.resolve()
    if out == folder or folder in out.parents:
        print(f"error: --out {out} is inside the learners' folder {folder}; write the report elsewhere",
              file=sys.stderr)
        return 2
    try:
        view = classview.collect(folder, names=args.names)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for s in view.skipped:
        print(s.line())
    out.mkdir(parents=True, exist_ok=True)
    pictures = rendered(view)
    (out / "index.html").write_text(page(view, folder, args.names, pictures), encoding="utf-8")
    for name, png, _alt, _width in pictures:
        (out / f"{name}.png").write_bytes(png)
    print(f"{view.learners} learner file(s) counted, {len(view.skipped)} skipped, {len(view.items)} item(s): "
          f"{out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
