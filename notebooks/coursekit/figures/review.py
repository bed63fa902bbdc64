"""Review figures: the answer-key grid of the sorting challenge and the concept map of the four sections."""
from __future__ import annotations

from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import style
from ._canvas import diagram
from ..models.review import FORM_CHOICES, STEM_CHOICES, Product

_FORM_LABELS = {"purified": "Purified\nproduct\n(no living\ncells)", "living_cells": "Living\ncells"}


def short_name(p: Product) -> str:
    """The product's name without the bracketed brand or note: "Humulin (human insulin)" -> "Humulin"."""
    return p.name.split(" (")[0]
_STEM_LABELS = {"made_from": "Made from\nstem cells", "used_with": "Used with\nstem cells",
                "none": "No stem cells\ninvolved"}


def sorting_grid(grid: dict[tuple[str, str], list[Product]], marks: dict[str, bool] | None = None) -> Figure:
    """A 2 x 3 table: rows = purified product / living cells, columns = stem-cell involvement, names in cells.

    `marks` (product id -> answered right?) adds ✓ or ✗ after each name, so a learner's own sorting can be shown.
    """
    forms, stems = list(FORM_CHOICES), list(STEM_CHOICES)
    with style.context():
        fig = Figure(figsize=(8.0, 4.6))
        ax = fig.add_axes((0.14, 0.02, 0.85, 0.86))
        ax.set_xlim(0, len(stems))
        ax.set_ylim(0, len(forms))
        ax.invert_yaxis()
        ax.axis("off")
        fills = {"purified": style.ROLE_COLOURS["biologic"], "living_cells": style.ROLE_COLOURS["cell_therapy"]}
        edges = {"purified": "solid", "living_cells": "dashed"}  # not colour alone: row labels and edge style
        for r, form in enumerate(forms):
            fig.text(0.125, 0.88 - (r + 0.5) * 0.86 / len(forms), _FORM_LABELS[form], ha="right", va="center",
                     fontsize=11, fontweight="bold")
            for c, stem in enumerate(stems):
                names = grid.get((form, stem), [])
                ax.add_patch(FancyBboxPatch((c + 0.04, r + 0.04), 0.92, 0.92, boxstyle="round,pad=0,rounding_size=0.05",
                                            facecolor=to_rgba(fills[form], 0.13 if names else 0.04),
                                            edgecolor=fills[form], linestyle=edges[form], linewidth=1.4))
                if names:
                    text = "\n".join(short_name(p) if marks is None or p.id not in marks
                                     else f"{short_name(p)} {'✓' if marks[p.id] else '✗'}" for p in names)
                    size = 10.5 if len(names) <= 5 else 10
                    ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=size, linespacing=1.25)
                else:
                    empty = ("(empty: none of these\npurified products is\nmade from stem cells)"
                             if (form, stem) == ("purified", "made_from") else "(empty)")
                    ax.text(c + 0.5, r + 0.5, empty, ha="center", va="center", fontsize=10,
                            style="italic", color="#555555")
        for c, stem in enumerate(stems):
            fig.text(0.14 + (c + 0.5) * 0.85 / len(stems), 0.945, _STEM_LABELS[stem], ha="center", va="center",
                     fontsize=11, fontweight="bold")
    return fig


def _box(ax, xy, width, height, title, body, colour, linestyle="solid"):
    ax.add_patch(FancyBboxPatch(xy, width, height, boxstyle="round,pad=0.02,rounding_size=0.03",
                                facecolor=to_rgba(colour, 0.15), edgecolor=colour, linewidth=1.8, linestyle=linestyle))
    x, y = xy
    ax.text(x + width / 2, y + height - 0.035, title, ha="center", va="top", fontsize=11, fontweight="bold")
    ax.text(x + width / 2, y + height - 0.115, body, ha="center", va="top", fontsize=9.5, linespacing=1.3)


def _arrow(ax, start, end, label, at=0.5, offset=(0.0, 0.0), both=False):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="<|-|>" if both else "-|>", mutation_scale=14,
                                 linewidth=1.4, color="#333333", shrinkA=2, shrinkB=2))
    x = start[0] + at * (end[0] - start[0]) + offset[0]
    y = start[1] + at * (end[1] - start[1]) + offset[1]
    ax.text(x, y, label, ha="center", va="center", fontsize=9, style="italic", linespacing=1.15,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))


def concept_map() -> Figure:
    """Four boxes, one per section notebook, under the course question, joined by labelled arrows."""
    with style.context():
        fig, ax = diagram(8.0, 5.2, (0, 1), (0, 1))
        w, h, left, right, top, bottom = 0.34, 0.27, 0.03, 0.63, 0.55, 0.03
        ax.text(0.5, 0.935, "Are biologics made from stem cells?  Usually not: a biologic is a purified molecule,\n"
                "a stem-cell therapy is the living cell, and the two fields meet in research.",
                ha="center", va="center", fontsize=11, fontweight="bold", linespacing=1.3)
        _box(ax, (left, top), w, h, "01 Biologics",
             "large molecules (proteins, sugars,\nnucleic acids) made by engineered\n"
             "bacteria, yeast or mammalian cells",
             style.ROLE_COLOURS["biologic"])
        _box(ax, (right, top), w, h, "02 Stem cells",
             "self-renew and differentiate;\nembryonic, adult (somatic), iPSC;\nHSCs in bone-marrow transplants",
             style.ROLE_COLOURS["stem_cell"], linestyle="dashed")
        _box(ax, (left, bottom), w, h, "03 The manufacturing divide",
             "biologic: host cells discarded,\nthe molecule purified; cell therapy:\nthe living cell is the medicine",
             style.ROLE_COLOURS["cell_therapy"], linestyle="dotted")
        _box(ax, (right, bottom), w, h, "04 Where they meet",
             "iPSC disease models screen drug\ncandidates; growth factors that\nsteer stem cells are biologics",
             style.ROLE_COLOURS["highlight"], linestyle="dashdot")
        mid_top = top + h / 2
        _arrow(ax, (left + w, mid_top), (right, mid_top), "often confused:\nboth grow cells", offset=(0, 0.055),
               both=True)
        _arrow(ax, (left + w / 2, top), (left + w / 2, bottom + h), "product =\nthe molecule")
        _arrow(ax, (right + w / 2, top), (right + w / 2, bottom + h), "iPSCs become\ndisease models")
        _arrow(ax, (right, top + 0.03), (left + w, bottom + h - 0.03), "therapy =\nthe living cell", at=0.8)
        _arrow(ax, (right, bottom + h - 0.03), (left + w, top + 0.03), "growth factors\nare biologics", at=0.2)
    return fig
