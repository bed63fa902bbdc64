"""The progress table: notebook, checks answered, correct; on Binder and in the browser edition a download of the
progress file, and in the browser edition a reset of the notebooks to clean copies (answers kept)."""
from __future__ import annotations

import base64
import json
import re
import weakref

import ipywidgets as widgets

from .. import browser, progress
from ..display import escape
from .markup import plain

_live_tables: weakref.WeakSet[ProgressTable] = weakref.WeakSet()


def _refresh_live_tables(_notebook=None, _item_id=None, _entry=None) -> None:
    """Store listener: after an answer is saved in this kernel, every progress table on screen shows the new counts."""
    for table in list(_live_tables):
        table.refresh()


def download_link(data: dict) -> str:
    """An <a download> link whose data: URI holds the progress JSON (base64, so nothing in it can be markup)."""
    payload = base64.b64encode(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    href = "data:application/json;base64," + payload.decode("ascii")
    return (f'<a download="coursekit-progress.json" href="{escape(href)}" '
            'style="font-weight:bold">⬇ Download your progress (coursekit-progress.json)</a>')


class ProgressTable(widgets.VBox):
    """Your saved answers, notebook by notebook. Its text form is fixed, so stored notebook outputs never depend
    on the machine that ran them; the counts live only in the widget."""

    def __init__(self):
        self.rows: list[progress.NotebookProgress] = []
        self.status = "ok"
        self.header = widgets.HTML("<h3 style='margin:4px 0;font-size:1.1em'>Your progress</h3>")
        self.table = widgets.HTML("")
        self.notice = widgets.HTML("")
        self.download = widgets.HTML("")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read your saved answers again")
        self.refresh_count = 0
        self.refresh_button.on_click(self._on_refresh)
        children = [self.header, self.table, self.notice, self.download, self.refresh_button]
        self.reset_button = widgets.Button(description="Clean copies of the notebooks", icon="undo",
                                           tooltip="Your edited notebooks are deleted from this browser; "
                                                   "your answers are kept", layout=widgets.Layout(width="auto"))
        self.reset_result = widgets.HTML("")
        self.reset_button.on_click(self._on_reset)
        if browser.in_browser():  # the browser edition keeps edited notebooks in the browser: offer clean ones
            children += [self.reset_button, self.reset_result]
        super().__init__(children, layout=widgets.Layout(border="1px solid #BBB", padding="8px", margin="8px 0"))
        self.add_class("coursekit-explorer")
        _live_tables.add(self)
        progress.add_listener(_refresh_live_tables)
        self.refresh()

    def __repr__(self) -> str:
        from .base import run_hint

        return run_hint("your saved answers")

    # -- what a learner sees -------------------------------------------------------------------
    @property
    def table_text(self) -> str:
        return plain(self.table.value)

    @property
    def notice_text(self) -> str:
        return plain(self.notice.value)

    # -- behaviour -------------------------------------------------------------------------------
    def _on_refresh(self, _button=None) -> None:
        """Refresh button: read the file again and say so (the visible text changes even if the counts do not)."""
        self.refresh_count += 1
        self.refresh()

    def _on_reset(self, _button=None) -> None:
        """Delete the learner's notebook copies kept in the browser; the site's clean ones show after a reload."""
        deleted = browser.reset_notebooks()
        if deleted:
            text = (f"Deleted your copies of {len(deleted)} notebook(s). Reload the page now (if the browser asks, "
                    "leave without saving): the clean copies open. Your answers are kept.")
        else:
            text = "Every notebook is already the clean copy. Your answers are kept."
        self.reset_result.value = f"<p role='status' style='margin:2px 0'>{escape(text)}</p>"

    def refresh(self) -> None:
        """Read the progress file again and redraw the table, the notices and (on Binder) the download link."""
        path = progress.progress_path()
        result = progress.load()
        self.status = result.status
        self.rows = progress.summary(result.data)
        cell = "<td style='padding:2px 8px'>"
        body = "".join(
            f"<tr><td style='text-align:left;padding:2px 8px'>{escape(r.notebook[:2])} {escape(r.title)}</td>"
            f"{cell}{r.answered} of {r.checks}</td>{cell}{r.first_try}</td>"
            f"{cell}{r.correct}{' ✓' if r.checks and r.correct == r.checks else ''}</td></tr>"
            for r in self.rows)
        total_checks = sum(r.checks for r in self.rows)
        total_answered = sum(r.answered for r in self.rows)
        total_first = sum(r.first_try for r in self.rows)
        total_correct = sum(r.correct for r in self.rows)
        head = "<th style='padding:2px 8px'>"
        self.table.value = (
            '<div role="status" aria-live="polite" class="coursekit-summary">'
            "<table style='border-collapse:collapse'><thead><tr>"
            f"<th style='text-align:left;padding:2px 8px'>Notebook</th>{head}Checks answered</th>"
            f"{head}Right at the first try</th>{head}Right now</th></tr></thead><tbody>"
            f"{body}<tr style='border-top:1px solid #888'><td style='text-align:left;padding:2px 8px'><b>Total</b></td>"
            f"{cell}<b>{total_answered} of {total_checks}</b></td>{cell}<b>{total_first}</b></td>"
            f"{cell}<b>{total_correct}</b></td></tr></tbody></table>"
            "<p style='margin:4px 0;font-size:0.9em'>The first try is your diagnosis and never changes; "
            "<i>right now</i> counts your latest answer, after any <b>Try again</b>. Belief polls are not counted.</p>"
            "</div>")
        lines = []
        if result.status == "corrupt":
            kept = f" A copy was kept as {result.backup.name}." if result.backup else ""
            lines.append(f"⚠ Your progress file could not be read, so the table starts afresh.{kept}")
        lines += [f"⚠ {n}" for n in progress.last_notices()
                  if not (result.status == "corrupt" and "could not be read" in n)]
        if result.status in ("missing", "empty") and not total_answered:
            lines.append("No answers saved yet: every check question you answer is recorded here.")
        binder = progress.on_binder()
        if binder:
            lines.append("⚠ You are on Binder (or a computer where your home folder cannot be written): this "
                         "session, with your saved answers, is thrown away when you close it or after about ten "
                         "minutes without activity. Download your progress to keep it.")
        elif browser.in_browser():
            lines.append(f"Saved in this browser only (the file {_shown_path(path)}): it stays through a reload or a "
                         "kernel restart, but not if you clear the browser's data or use another browser or "
                         "computer. Download your progress to keep a copy.")
        else:
            lines.append(f"Saved in {_shown_path(path)} (your first and your latest answer to each question are kept).")
        if self.refresh_count:
            lines.append(f"Table read again from your progress file ({self.refresh_count}×).")
        self.notice.value = "".join(f"<p style='margin:2px 0'>{escape(line)}</p>" for line in lines)
        self.download.value = download_link(result.data) if binder or browser.in_browser() else ""

    @property
    def download_href(self) -> str:
        match = re.search(r'href="([^"]*)"', self.download.value)
        return match.group(1) if match else ""


def progress_table() -> ProgressTable:
    """The learner's progress across the course, read from the progress file."""
    return ProgressTable()


def _shown_path(path) -> str:
    """The progress file as a learner would type it: ~/... inside the home folder."""
    from pathlib import Path
    path, home = Path(path), Path.home()
    drive = browser.drive()
    if drive is not None and path.is_relative_to(drive):
        return path.relative_to(drive).as_posix()  # as the browser edition's file list shows it
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return str(path)
