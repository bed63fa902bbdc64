"""The end of the course: "At the start you said …; now you say …", and the learner's own misconception profile."""
from __future__ import annotations

import ipywidgets as widgets

from .. import progress, questions
from ..models import diagnosis
from ..display import escape
from .base import CourseBox


def _item_name(ref: str, banks) -> str:
    notebook, qid = ref.split("/", 1)
    q = banks.get(notebook, {}).get(qid)
    prompt = q.prompt if q else qid
    prompt = prompt if len(prompt) <= 70 else prompt[:67].rstrip() + "…"
    return f"notebook {notebook[:2]}, “{prompt}”"


class BeforeAfterProfile(CourseBox):
    """Reads the progress file: the opening answer against the last, ticked beliefs then and now, and the profile."""

    def __init__(self):
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read your saved answers again")
        self.refresh_count = 0
        self.refresh_button.on_click(self._on_refresh)
        self.lines: list[diagnosis.ProfileLine] = []
        self.comparison: diagnosis.BeforeAfter | None = None
        super().__init__("Before and after: what you said, what you say now", what="your before/after and "
                         "misconception profile", body=[self.refresh_button], prompt_label="")
        self.refresh()

    def _on_refresh(self, _button=None) -> None:
        """Refresh button: read the file again and say so (the text changes even if no answer did)."""
        self.refresh_count += 1
        self.refresh()

    def refresh(self) -> None:
        """Read the progress file again and paint the comparison and the profile (announced, role=status)."""
        result = progress.load()
        banks = questions.all_banks()
        self.comparison = c = diagnosis.before_after(result.data)
        self.lines = diagnosis.profile(result.data, banks)
        parts = []
        if result.status == "corrupt":
            parts.append("<p>⚠ Your progress file could not be read, so a copy was kept and a fresh one started: "
                         "answers given before that are not shown here.</p>")
        if c.start is None:
            parts.append("<p><b>At the start:</b> you have not answered the opening question of notebook 00 on this "
                         "computer. Answer it there (it takes a minute), then press <b>Refresh</b>.</p>")
        else:
            sure = f" ({escape(c.start_confidence.lower())})" if c.start_confidence else ""
            parts.append(f"<p><b>At the start you said:</b> “{escape(c.start)}”{sure}.</p>")
        if c.now is None:
            parts.append("<p><b>Now:</b> answer the course question again above, then press <b>Refresh</b>.</p>")
        else:
            verdict = " That is the course's answer." if c.now_correct else ""
            same = " (the same as at the start)" if c.start == c.now else ""
            parts.append(f"<p><b>Now you say:</b> “{escape(c.now)}”{same}.{verdict}</p>")
        if c.beliefs_start is not None and c.beliefs_now is not None:
            dropped = [b for b in c.beliefs_start if b not in c.beliefs_now]
            kept = [b for b in c.beliefs_start if b in c.beliefs_now]
            added = [b for b in c.beliefs_now if b not in c.beliefs_start]
            rows = "".join(f"<li>{escape(label)}: {escape(b)}</li>" for label, group in
                           (("Ticked at the start, not now", dropped), ("Ticked then and now", kept),
                            ("Ticked now, not at the start", added)) for b in group)
            rows = rows or "<li>You ticked none, then and now.</li>"
            parts.append(f"<p><b>The statements of notebook 00:</b></p><ul>{rows}</ul>")
        if self.lines:
            items = []
            for line in self.lines:
                where = "; ".join(_item_name(r, banks) for r in line.shown_in[:2])
                sure = " You were sure." if line.sure else ""
                if line.resolved:
                    assert line.resolved_by is not None  # a resolved line names the item that resolved it
                    status = f"✓ Since answered right ({escape(_item_name(line.resolved_by, banks))})."
                else:
                    status = "Still to work on: your latest answer on it was not right yet."
                items.append(f"<li>“{escape(line.belief)}” First shown in {escape(where)}.{sure} "
                             f"<b>{status}</b></li>")
            solved = sum(line.resolved for line in self.lines)
            parts.append(f"<p><b>Your misconception profile.</b> Your first answers showed {len(self.lines)} common "
                         f"belief{'s' if len(self.lines) != 1 else ''}; you have since answered {solved} of them "
                         f"right.</p><ul>{''.join(items)}</ul>")
        else:
            parts.append("<p><b>Your misconception profile:</b> none of your first answers so far showed one of the "
                         "beliefs this course tracks.</p>")
        if self.refresh_count:
            parts.append(f"<p>Read again from your progress file ({self.refresh_count}×).</p>")
        self.announce("".join(parts), "info")


def before_after() -> BeforeAfterProfile:
    """The before/after and misconception profile for the end of notebook 05 (one line in the notebook)."""
    return BeforeAfterProfile()
