"""The start notebook's practice slider."""
from __future__ import annotations

from functools import partial

import ipywidgets as widgets

from ..figures.practice import MassBars
from ..models import practice
from .. import facts
from .explorer import Answer, Explorer, View


def _view(n_molecules: int, figure: MassBars | None = None) -> View:
    """Model + figure for one setting; the explorer's own `figure` is redrawn in place."""
    figure = MassBars() if figure is None else figure
    total = practice.aspirin_mass_da(n_molecules)
    antibody = facts.value("igg_mw_da")
    ratio = practice.aspirin_per_antibody()
    if total < antibody:
        verdict = f"Still lighter than one antibody: you need about {ratio:,.0f} aspirin molecules."
    else:
        verdict = f"Now heavier than one antibody, which weighs as much as about {ratio:,.0f} aspirin molecules."
    return View(summary=[f"{n_molecules:,} aspirin molecules weigh {total:,.0f} Da.", verdict],
                figure=figure.update(total, antibody),
                alt=f"Bar chart: {n_molecules} aspirin molecules weigh {total / 1000:,.0f} kDa; "
                    f"one antibody weighs {antibody / 1000:,.0f} kDa.")


def practice_slider() -> Explorer:
    """A first slider to practise with: add aspirin molecules until they outweigh one antibody."""
    slider = widgets.IntSlider(value=100, min=10, max=practice.MAX_MOLECULES, step=10,
                               description="aspirin molecules", continuous_update=False)
    return Explorer("Practice: aspirin vs an antibody",
                    "add aspirin molecules until they outweigh one antibody.",
                    {"n_molecules": slider}, partial(_view, figure=MassBars()), columns=1,
                    prediction=("00_start_here", "aspirin_per_antibody"),
                    answers={"aspirin_per_antibody": _aspirin_per_antibody})


def _aspirin_per_antibody(**_values) -> Answer:
    """How many aspirin molecules weigh as much as one antibody (it does not depend on the slider)."""
    ratio = practice.aspirin_per_antibody()
    return Answer(ratio, f"about {ratio:,.0f} aspirin molecules")
