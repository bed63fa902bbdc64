"""The review notebook's sorting challenge: one real product at a time, two questions, feedback, a final score."""
from __future__ import annotations


import ipywidgets as widgets

from ..display import FigureOutput, escape, img_tag, show_figure
from ..figures.review import concept_map, short_name
from ..figures.review import sorting_grid as sorting_grid_figure
from ..models import review
from .markup import plain, status_box


def _box(body: str, kind: str, role: str = "status") -> str:
    return status_box(body, kind, role=role)


class SortingChallenge(widgets.VBox):
    """Sort each product: purified product or living cells? made from, used with, or no stem cells?

    Learner choices are option keys from fixed lists; nothing a learner does is evaluated or rendered as markup.
    """

    def __init__(self, products: list[review.Product] | tuple[review.Product, ...] | None = None):
        self.products = list(review.products() if products is None else products)
        self.index = 0
        self.results: list[review.ItemResult] = []
        self.header = widgets.HTML(
            "<h3 style='margin:4px 0;font-size:1.1em'>Sorting challenge: real products</h3>"
            "<p style='margin:2px 0'><b>Predict first, then try:</b> for each product, decide what the patient "
            "receives and whether stem cells are involved, then press <b>Check</b>.</p>")
        self.counter = widgets.HTML("")
        self.card = widgets.HTML("")
        self.form_choice = widgets.RadioButtons(
            options=[(text, key) for key, text in review.FORM_CHOICES.items()], value=None,
            description="What is given?", layout=widgets.Layout(width="auto"), style={"description_width": "initial"})
        self.stem_choice = widgets.RadioButtons(
            options=[(text, key) for key, text in review.STEM_CHOICES.items()], value=None,
            description="Stem cells?", layout=widgets.Layout(width="auto"), style={"description_width": "initial"})
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check",
                                           tooltip="Check both answers for this product")
        self.next_button = widgets.Button(description="Next product", icon="arrow-right",
                                          tooltip="Go on to the next product", layout=widgets.Layout(display="none"))
        self.restart_button = widgets.Button(description="Start again", icon="refresh",
                                             tooltip="Clear every answer and start with the first product",
                                             layout=widgets.Layout(display="none"))
        self.message = widgets.HTML("")
        self.feedback = widgets.HTML("")
        self.score = widgets.HTML("")
        self.figure = widgets.HTML("")
        self.check_button.on_click(self._on_check)
        self.next_button.on_click(self._on_next)
        self.restart_button.on_click(self._on_restart)
        self.question_box = widgets.VBox([self.card, self.form_choice, self.stem_choice])
        super().__init__([self.header, self.counter, self.question_box,
                          widgets.HBox([self.check_button, self.next_button, self.restart_button]),
                          self.message, self.feedback, self.score, self.figure],
                         layout=widgets.Layout(border="1px solid #BBB", padding="8px", margin="8px 0"))
        self.add_class("coursekit-explorer")
        self._show_product()

    # -- what a learner sees -------------------------------------------------------------------
    @property
    def current(self) -> review.Product | None:
        return self.products[self.index] if self.index < len(self.products) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.products)

    @property
    def counter_text(self) -> str:
        return plain(self.counter.value)

    @property
    def card_text(self) -> str:
        return plain(self.card.value)

    @property
    def message_text(self) -> str:
        return plain(self.message.value)

    @property
    def feedback_text(self) -> str:
        return plain(self.feedback.value)

    @property
    def score_text(self) -> str:
        return plain(self.score.value)

    @property
    def points(self) -> tuple[int, int]:
        return review.total_score(self.results)

    def __repr__(self) -> str:
        return f"SortingChallenge({len(self.products)} products; {len(self.results)} checked)"

    # -- behaviour -------------------------------------------------------------------------------
    def _show_product(self) -> None:
        p = self.current
        got, possible = self.points
        if p is None:
            return
        so_far = f" · score so far: {got} of {possible} points" if possible else ""
        self.counter.value = f"<p style='margin:2px 0'>Product {self.index + 1} of {len(self.products)}{so_far}</p>"
        self.card.value = (f"<div style='font-size:1.05em;margin:4px 0'><b>{escape(p.name)}</b>: "
                           f"{escape(p.description)}</div>")
        for choice in (self.form_choice, self.stem_choice):
            choice.value = None
            choice.disabled = False
        self.check_button.disabled = False
        self.next_button.layout.display = "none"
        self.message.value = ""
        self.feedback.value = ""

    def _on_check(self, _button=None) -> None:
        p = self.current
        if p is None:
            return
        try:
            result = review.score_item(p.id, self.form_choice.value, self.stem_choice.value)
        except ValueError:
            missing = [c.description for c in (self.form_choice, self.stem_choice) if c.value is None]
            self.message.value = _box("<b>⚠ Choose an answer to both questions first.</b> Not answered yet: "
                                      + escape(" and ".join(f"“{m}”" for m in missing)), "info", role="alert")
            return
        self.message.value = ""
        self.results.append(result)
        lines = result.feedback_lines()
        kind = "right" if result.points == review.POINTS_PER_PRODUCT else "wrong"
        self.feedback.value = _box(f"<b>{escape(lines[0])}</b><br>" + "<br>".join(escape(x) for x in lines[1:]),
                                   kind)
        for choice in (self.form_choice, self.stem_choice):
            choice.disabled = True
        self.check_button.disabled = True
        got, possible = self.points
        self.counter.value = (f"<p style='margin:2px 0'>Product {self.index + 1} of {len(self.products)} · "
                              f"score so far: {got} of {possible} points</p>")
        last = self.index == len(self.products) - 1
        self.next_button.description = "See your score" if last else "Next product"
        self.next_button.layout.display = ""  # shown (None never reaches the browser edition)

    def _on_next(self, _button=None) -> None:
        if self.check_button.disabled is False and not self.finished:
            return  # the current product has not been checked yet
        self.index += 1
        if self.finished:
            self._show_score()
        else:
            self._show_product()

    def _show_score(self) -> None:
        got, possible = self.points
        fully = sum(1 for r in self.results if r.points == review.POINTS_PER_PRODUCT)
        missed_tricky = [r for r in self.results if r.product.tricky and r.points < review.POINTS_PER_PRODUCT]
        tricky_all = [r for r in self.results if r.product.tricky]
        self.question_box.layout.display = "none"
        self.check_button.layout.display = "none"
        self.next_button.layout.display = "none"
        self.restart_button.layout.display = ""  # shown (None never reaches the browser edition)
        self.counter.value = f"<p style='margin:2px 0'>All {len(self.products)} products sorted.</p>"
        self.feedback.value = ""
        items = "".join(f"<li><b>{escape(r.product.name)}</b> ({'✓' if r.points == 2 else '✗'}): "
                        f"{escape(r.product.explanation)}</li>" for r in tricky_all)
        missed = (f"You missed {len(missed_tricky)} of the {len(tricky_all)} tricky cases; they are explained below."
                  if missed_tricky else "You got every tricky case right.")
        self.score.value = _box(
            f"<b>Your score: {got} of {possible} points.</b> You sorted {fully} of {len(self.results)} products "
            f"fully right. {escape(missed)}"
            f"<details open><summary>The tricky cases explained</summary><ul>{items}</ul></details>", "info")
        marks = {r.product.id: r.points == review.POINTS_PER_PRODUCT for r in self.results}
        fig = sorting_grid_figure(review.sorting_grid(self.products), marks)
        self.figure.value = img_tag(fig, "Where every product belongs: a grid of purified product or living cells "
                                         "against made from, used with, or no stem cells; ✓ marks products you "
                                         "sorted fully right, ✗ the others. The cell 'purified product made from "
                                         "stem cells' is empty.")

    def _on_restart(self, _button=None) -> None:
        self.index = 0
        self.results = []
        self.score.value = ""
        self.figure.value = ""
        self.question_box.layout.display = ""  # shown (None never reaches the browser edition)
        self.check_button.layout.display = ""  # shown (None never reaches the browser edition)
        self.restart_button.layout.display = "none"
        self._show_product()

    # -- for tests and instructors ---------------------------------------------------------------
    def choose(self, form: str | None, stem_cells: str | None) -> None:
        """Select answers by key (what clicking the radio buttons does)."""
        self.form_choice.value = form
        self.stem_choice.value = stem_cells

    def click_check(self) -> None:
        self.check_button.click()

    def click_next(self) -> None:
        self.next_button.click()

    def click_restart(self) -> None:
        self.restart_button.click()


def sorting_challenge() -> SortingChallenge:
    """The capstone challenge: sort real products by what they are and how stem cells are involved."""
    return SortingChallenge()


_ROWS = {"purified": "Purified products", "living_cells": "Living cells"}
_COLUMNS = {"made_from": "made from stem cells", "used_with": "used with stem cells", "none": "with no stem cells"}


def answer_grid_figure() -> FigureOutput:
    """Figure: every product of the challenge in its cell of the answer grid, alt text written from the same data."""
    grid = review.sorting_grid()
    cells = []
    for (form, stem), products in grid.items():
        names = ", ".join(short_name(p) for p in products)
        cells.append(f"{_ROWS[form]} {_COLUMNS[stem]}: {names}." if products
                     else f"{_ROWS[form]} {_COLUMNS[stem]}: none (this cell is empty).")
    return show_figure(sorting_grid_figure(grid), alt=(
        "Answer key as a grid. Rows: purified product, living cells. Columns: made from stem cells, used with "
        "stem cells, no stem cells. " + " ".join(cells)))


def concept_map_figure() -> FigureOutput:
    """Figure: the concept map tying the four section notebooks together."""
    return show_figure(concept_map(), alt=(
        "Concept map. Top: the course question and its answer. Four boxes: 01 biologics, large molecules made by "
        "engineered bacteria, yeast or mammalian cells; 02 stem cells, which self-renew and differentiate; 03 the "
        "manufacturing divide, where a biologic is a purified molecule and a cell therapy is the living cell; "
        "04 where they meet, iPSC disease models and growth factors. Arrows: biologics and stem cells are often "
        "confused; biologic product = the molecule; therapy = the living cell; iPSCs become disease models; "
        "growth factors are biologics."))
