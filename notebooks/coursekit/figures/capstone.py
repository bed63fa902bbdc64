"""The concept map the learner builds in notebook 05, drawn from their own placements."""
from __future__ import annotations

import textwrap

from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from .. import style
from ..models import capstone
from ._canvas import LiveFigure, diagram

# Where each box sits (centre x, centre y), where each arrow starts and ends, where its label goes; axes units 0..1.
BOX_CENTRES = {"box_1": (0.13, 0.76), "box_2": (0.5, 0.76), "box_3": (0.87, 0.76),
               "box_4": (0.13, 0.24), "box_5": (0.5, 0.24), "box_6": (0.87, 0.24)}
BOX_W, BOX_H = 0.22, 0.2
ARROWS = {  # slot: (start, end, arc bend, label position)
    "arrow_a": ((0.24, 0.76), (0.39, 0.76), 0.0, (0.315, 0.76)),
    "arrow_b": ((0.61, 0.76), (0.76, 0.76), 0.0, (0.685, 0.76)),
    "arrow_c": ((0.24, 0.24), (0.39, 0.24), 0.0, (0.315, 0.24)),
    "arrow_d": ((0.56, 0.34), (0.56, 0.66), 0.0, (0.64, 0.5)),
    "arrow_e": ((0.44, 0.66), (0.18, 0.34), 0.0, (0.3, 0.5)),
    "arrow_f": ((0.13, 0.14), (0.87, 0.14), 0.12, (0.5, 0.0)),
    "arrow_g": ((0.87, 0.34), (0.87, 0.66), 0.0, (0.87, 0.5)),
}


def _mark(right: bool | None) -> str:
    """A tick or a cross after a checked placement; nothing for one not placed yet."""
    return "" if right is None else (" ✓" if right else " ✗")


def slot_number(slot_id: str) -> str:
    """The name a learner sees for a slot: box 1 to 6, arrow A to G."""
    kind, mark = slot_id.split("_")
    return f"Box {mark}" if kind == "box" else f"Arrow {mark.upper()}"


def learner_map(placements: dict[str, str | None], marks: dict[str, bool] | None = None) -> Figure:
    """The map with the learner's labels where they put them, '?' where nothing is placed yet.

    marks (slot -> right?) adds a tick or a cross next to checked placements; without it nothing is judged.
    """
    return LearnerMap().update(placements, marks)


class LearnerMap(LiveFigure):
    """The learner's concept map, built once with every box and arrow empty; `update(placements, marks)` fills in
    the labels, marks and line styles of the slots that changed, and only their part of the picture is painted
    again (see `BlitCanvas`, by_parts)."""

    BOX_COLOUR, ARROW_COLOUR = style.OKABE_ITO["blue"], "#333333"

    def __init__(self) -> None:
        self.labels = capstone.map_labels()
        self.boxes: dict[str, tuple[FancyBboxPatch, Text, Text]] = {}
        self.arrows: dict[str, tuple[FancyArrowPatch, Text]] = {}
        self.shown: dict[str, tuple[str | None, bool | None]] = {}   # slot: the label and mark it shows
        with style.context():
            self.figure, ax = diagram(9.0, 5.6, (0, 1), (-0.09, 0.9))
            for sid, (cx, cy) in BOX_CENTRES.items():
                box = FancyBboxPatch((cx - BOX_W / 2, cy - BOX_H / 2), BOX_W, BOX_H,
                                     boxstyle="round,pad=0.01,rounding_size=0.02", edgecolor=self.BOX_COLOUR,
                                     linewidth=1.6)
                ax.add_patch(box)
                title = ax.text(cx - BOX_W / 2 + 0.01, cy + BOX_H / 2 - 0.01, "", ha="left", va="top", fontsize=8,
                                color="#444444")
                content = ax.text(cx, cy - 0.015, "", ha="center", va="center", linespacing=1.2)
                self.boxes[sid] = (box, title, content)
            for sid, (start, end, bend, (x, y)) in ARROWS.items():
                arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, linewidth=1.4,
                                        color=self.ARROW_COLOUR, connectionstyle=f"arc3,rad={bend}", shrinkA=2,
                                        shrinkB=2)
                ax.add_patch(arrow)
                text = ax.text(x, y, "", ha="center", va="center", fontsize=8, style="italic", linespacing=1.15,
                               bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
                self.arrows[sid] = (arrow, text)
        moving = [a for artists in (*self.boxes.values(), *self.arrows.values()) for a in artists]
        self.redraw_only(*moving, by_parts=True)

    def update(self, placements: dict[str, str | None], marks: dict[str, bool] | None = None) -> Figure:
        marks = marks or {}
        slots = {sid: (placements.get(sid) or None, marks.get(sid)) for sid in (*self.boxes, *self.arrows)}
        changed = {sid: shown for sid, shown in slots.items() if self.shown.get(sid, ()) != shown}
        self.shown = slots
        for sid, (label, mark) in changed.items():   # a changed artist is drawn again: leave the others alone
            if sid in self.boxes:
                box, title, content = self.boxes[sid]
                box.set_facecolor(to_rgba(self.BOX_COLOUR, 0.12) if label else "white")
                box.set_linestyle("solid" if label else "dashed")
                title.set_text(slot_number(sid) + _mark(mark))
                content.set_text("\n".join(textwrap.wrap(self.labels[label]["text"], 22)) if label else "?")
                content.set_fontsize(9 if label else 14)
                content.set_fontweight("normal" if label else "bold")
            else:
                arrow, text = self.arrows[sid]
                arrow.set_linestyle("solid" if label else "dashed")
                words = "\n".join(textwrap.wrap(self.labels[label]["text"], 18)) if label else "?"
                text.set_text(slot_number(sid) + _mark(mark) + ":\n" + words)
        return self.figure


def alt_text(placements: dict[str, str | None]) -> str:
    """What the learner's map shows, in words (the figure's text alternative)."""
    labels = capstone.map_labels()
    parts = []
    for slot in capstone.map_slots():
        text = labels[placements[slot.id]]["text"] if placements.get(slot.id) else "empty"
        if slot.kind == "box":
            parts.append(f"{slot_number(slot.id)}: {text}")
        else:
            parts.append(f"{slot_number(slot.id)} from {slot_number(str(slot.source))} to "
                         f"{slot_number(str(slot.target))}: "
                         f"{text}")
    return "Your concept map. " + "; ".join(parts) + "."
