"""Markup every course widget shares: announced status boxes, alerts, and the plain text a learner reads."""
from __future__ import annotations

import html
import re

from ..display import escape

# Left-border colours of feedback boxes; each box also says in words and symbols what it means (✓ ✗ ⚠).
FEEDBACK_COLOURS = {"right": "#006644", "wrong": "#A33B00", "info": "#1F3A5F", "maybe": "#7A5B00"}


def plain(markup: str) -> str:
    """The text a learner reads in a piece of widget markup (tags dropped, entities decoded, spaces folded)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def status_box(body_html: str, kind: str = "info", role: str = "status", css_class: str = "coursekit-feedback") -> str:
    """A feedback box that screen readers announce (role=status, aria-live); body_html must be escaped already."""
    return (f'<div role="{role}" aria-live="polite" class="{css_class} coursekit-{kind}" '
            f'style="border-left:4px solid {FEEDBACK_COLOURS[kind]};padding:4px 10px;color:#111;">{body_html}</div>')


def alert_box(message: str, after: str = "The last valid result is still shown below.",
              heading: str = "That setting cannot be used:") -> str:
    """The friendly message shown instead of a traceback when a model rejects a setting."""
    return status_box(f"<b>⚠ {escape(heading)}</b> {escape(message)} {escape(after)}", "wrong",
                      role="alert", css_class="coursekit-alert")


def img_alt(markup: str) -> str:
    """The alt text of the first <img> in a piece of markup."""
    match = re.search(r'alt="([^"]*)"', markup)
    return html.unescape(match.group(1)) if match else ""
