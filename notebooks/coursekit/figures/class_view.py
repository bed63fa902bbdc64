"""Class-view figures an instructor projects: first vs current answers per item, misconceptions held at first.

Large type (readable from the back of a room), Okabe-Ito colours, and meaning never in colour alone: first answers
are hatched, current answers solid, the right answer is labelled "(right answer)" and every bar carries its count.
"""
from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from .. import style
from ..classview import ClassView, ItemSummary, MisconceptionCount

FIRST_COLOUR = style.OKABE_ITO["orange"]
NOW_COLOUR = style.OKABE_ITO["blue"]
FONT = 13


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def answer_labels(item: ItemSummary) -> list[str]:
    """The y-axis labels: each answer wrapped, the right one marked in words (not only by colour)."""
    return [_wrap(a, 38) + ("\n(right answer)" if a in item.correct else "") for a in item.answers]


def item_figure(item: ItemSummary) -> Figure:
    """Grouped horizontal bars per answer: how many learners chose it first (hatched) and now (solid)."""
    n = len(item.answers)
    with style.context():
        fig = Figure(figsize=(11.0, 1.6 + 0.85 * n))
        ax = fig.add_axes((0.36, 0.9 / (1.6 + 0.85 * n) + 0.02, 0.6, 1 - 2.1 / (1.6 + 0.85 * n)))
        ys = list(range(n))[::-1]
        height = 0.38
        first = [item.first.get(a, 0) for a in item.answers]
        latest = [item.latest.get(a, 0) for a in item.answers]
        bars_first = ax.barh([y + height / 2 for y in ys], first, height, color=FIRST_COLOUR, hatch="//",
                             edgecolor="black", linewidth=0.8, label="first answer")
        bars_now = ax.barh([y - height / 2 for y in ys], latest, height, color=NOW_COLOUR, edgecolor="black",
                           linewidth=0.8, label="answer now")
        top = max(first + latest + [1])
        for bars, values in ((bars_first, first), (bars_now, latest)):
            for bar, v in zip(bars, values):
                ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, str(v), va="center",
                        fontsize=FONT)
        ax.set_yticks(ys)
        ax.set_yticklabels(answer_labels(item), fontsize=FONT - 1)
        for tick, answer in zip(ax.get_yticklabels(), item.answers):
            if answer in item.correct:
                tick.set_fontweight("bold")
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(f"learners (of {item.learners} who answered)", fontsize=FONT)
        ax.tick_params(axis="x", labelsize=FONT - 1)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=FONT - 1, frameon=False)
        title = _wrap(f"{item.notebook[:2]} · {item.prompt}", 95)
        if item.graded:
            title += (f"\nright at first try: {item.first_right} of {item.learners}"
                      f" · right now: {item.latest_right} of {item.learners}")
        elif item.kind == "poll":
            title += "\n(a poll: no right or wrong answer)"
        fig.suptitle(title, fontsize=FONT + 1, x=0.02, ha="left", va="top", y=0.99)
    return fig


def item_alt(item: ItemSummary) -> str:
    """Alt text: the counts the figure shows, in words."""
    parts = [f"{a}{' (right answer)' if a in item.correct else ''}: {item.first.get(a, 0)} first, "
             f"{item.latest.get(a, 0)} now" for a in item.answers]
    return f"Answers of {item.learners} learners to '{item.prompt}': " + "; ".join(parts) + "."


def misconceptions_figure(counts: list[MisconceptionCount], learners: int, top: int = 8) -> Figure:
    """The misconceptions most held at first (hatched) and how many still hold them now (solid)."""
    shown = counts[:top]
    n = max(len(shown), 1)
    with style.context():
        fig = Figure(figsize=(11.0, 1.8 + 0.85 * n))
        ax = fig.add_axes((0.42, 0.9 / (1.8 + 0.85 * n) + 0.02, 0.54, 1 - 2.1 / (1.8 + 0.85 * n)))
        if not shown:
            ax.text(0.5, 0.5, "No misconception showed in any first answer.", ha="center", va="center",
                    fontsize=FONT, transform=ax.transAxes)
            ax.set_axis_off()
        else:
            ys = list(range(len(shown)))[::-1]
            height = 0.38
            at_first = [c.at_first for c in shown]
            now = [c.still_now for c in shown]
            b1 = ax.barh([y + height / 2 for y in ys], at_first, height, color=FIRST_COLOUR, hatch="//",
                         edgecolor="black", linewidth=0.8, label="at first")
            b2 = ax.barh([y - height / 2 for y in ys], now, height, color=NOW_COLOUR, edgecolor="black",
                         linewidth=0.8, label="still now")
            top_value = max(at_first + [1])
            for bars, values in ((b1, at_first), (b2, now)):
                for bar, v in zip(bars, values):
                    ax.text(bar.get_width() + top_value * 0.01, bar.get_y() + bar.get_height() / 2, str(v),
                            va="center", fontsize=FONT)
            ax.set_yticks(ys)
            ax.set_yticklabels([_wrap(c.belief, 46) for c in shown], fontsize=FONT - 2)
            ax.set_xlim(0, top_value * 1.15)
            ax.set_xlabel(f"learners (of {learners})", fontsize=FONT)
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=FONT - 1, frameon=False)
        fig.suptitle("Beliefs the room's first answers showed", fontsize=FONT + 2, x=0.02, ha="left", y=0.99,
                     va="top")
    return fig


def misconceptions_alt(counts: list[MisconceptionCount], learners: int, top: int = 8) -> str:
    if not counts:
        return "No misconception showed in any first answer."
    return (f"Of {learners} learners: " + "; ".join(f"'{c.belief}': {c.at_first} at first, {c.still_now} still now"
                                                   for c in counts[:top]) + ".")


def figures(view: ClassView) -> list[tuple[str, Figure, str]]:
    """Every class-view figure in teaching order as (name, figure, alt text): misconceptions first, then items."""
    out = [("misconceptions", misconceptions_figure(view.misconceptions, view.learners),
            misconceptions_alt(view.misconceptions, view.learners))]
    for item in view.items:
        out.append((f"{item.notebook}__{item.item_id}", item_figure(item), item_alt(item)))
    return out
