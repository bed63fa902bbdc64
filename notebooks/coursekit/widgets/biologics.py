"""Notebook 01 explorers: size comparer, host-factory comparer and product classifier."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import ipywidgets as widgets

from .. import numbers
from ..display import escape, img_tag
from ..figures.biologics import LadderFigure, host_growth_chart, size_ladder
from ..models import biologics as model
from .explorer import Explorer, View
from .base import PlainText
from .exercise import Exercise
from .markup import img_alt

# ---- size comparer ------------------------------------------------------------------------------------
def _size_view(item_a: str, item_b: str, ladder: LadderFigure) -> View:
    c = model.compare(item_a, item_b)
    fig = ladder.update((item_a, item_b))   # one figure per explorer; each update only moves the highlights
    a, b = c.first, c.second
    if a.key == b.key:
        summary = [f"You picked {a.label} twice: same size ({numbers.length(a.size_m)}) and same mass "
                   f"({numbers.mass(a.mass_da)}). Pick two different items."]
        alt = f"Size ladder with {a.label} highlighted."
    else:
        small = b if c.larger is a else a
        light = b if c.heavier is a else a
        summary = [
            f"Size: {c.larger.label} ({numbers.length(c.larger.size_m)}) is {numbers.ratio(c.size_ratio)} "
            f"times larger than {small.label} ({numbers.length(small.size_m)}), "
            f"{c.size_orders:.1f} orders of magnitude.",
            f"Mass: {c.heavier.label} ({numbers.mass(c.heavier.mass_da)}) is {numbers.ratio(c.mass_ratio)} "
            f"times heavier than {light.label} ({numbers.mass(light.mass_da)}), "
            f"{c.mass_orders:.1f} orders of magnitude.",
            "Mass grows much faster than size: roughly with size cubed, because mass fills a volume.",
        ]
        alt = (f"Size ladder from aspirin to a CHO cell with {a.label} and {b.label} highlighted: "
               f"{c.larger.label} is {numbers.ratio(c.size_ratio)} times larger and "
               f"{numbers.ratio(c.mass_ratio)} times heavier.")
    flags = tuple(f"The mass of {i.label} is an estimate from its size and density (marked ≈)."
                  for i in (a, b) if i.mass_estimated and not (i is b and a.key == b.key))
    return View(summary=summary, figure=fig, alt=alt, flags=flags)


def size_comparer(item_a: str = "aspirin", item_b: str = "igg") -> Explorer:
    """Pick any two items of the ladder: how many times larger and heavier, both placed on the ladder."""
    options = [(i.label, i.key) for i in model.ladder_items()]
    ladder = LadderFigure(model.ladder_items(), values_for="highlighted")
    controls = {"item_a": widgets.Dropdown(options=options, value=item_a, description="compare"),
                "item_b": widgets.Dropdown(options=options, value=item_b, description="with")}
    return Explorer("Size comparer: from aspirin to a CHO cell",
                    "how many times heavier is one antibody than one aspirin molecule: 10, 1,000 or 1,000,000? "
                    "And how many times larger?", controls, partial(_size_view, ladder=ladder))


# ---- host-factory comparer ------------------------------------------------------------------------------
def host_table_html(host_list: list[model.Host]) -> str:
    """The three hosts side by side as an HTML table (course text only, escaped)."""
    rows = [
        ("What it is", [h.origin for h in host_list]),
        ("Doubling time", [h.doubling_time_text for h in host_list]),
        ("Glycosylation (sugars added to proteins)", [h.glycosylation for h in host_list]),
        ("Typical titer (product per litre of culture)", [h.titer_text for h in host_list]),
        ("An approved product made in it", [f"{h.product}, {h.product_year}" for h in host_list]),
    ]
    head = "".join(f"<th style='text-align:left;padding:3px 8px'>{escape(h.label)}</th>" for h in host_list)
    body = "".join(
        f"<tr><th scope='row' style='text-align:left;padding:3px 8px'>{escape(name)}</th>"
        + "".join(f"<td style='padding:3px 8px;vertical-align:top'>{escape(v)}</td>" for v in values) + "</tr>"
        for name, values in rows)
    return (f"<table style='border-collapse:collapse;font-size:0.95em'><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


@dataclass(frozen=True)
class HostAnswer:
    """What the learner chose in the host comparer: the product need and a host (None: not chosen yet)."""

    need: str
    host: str | None


class HostFactoryComparer(Exercise[HostAnswer, model.HostVerdict]):
    """E. coli, yeast and CHO side by side; the learner picks a factory for a need and gets feedback on why."""

    def __init__(self, need: str = "glycosylated_antibody"):
        self.hosts = model.hosts()
        self.table = widgets.HTML(host_table_html(self.hosts))
        self.need = widgets.Dropdown(options=[(text, key) for key, text in model.NEEDS.items()], value=need,
                                     description="you need", style={"description_width": "initial"},
                                     layout=widgets.Layout(width="auto"))
        self.host = widgets.ToggleButtons(options=[(h.label, h.key) for h in self.hosts], value=None,
                                          description="your factory", style={"description_width": "initial"},
                                          tooltips=[f"{h.label}: doubles every {h.doubling_time_text}"
                                                    for h in self.hosts])
        self.figure = widgets.HTML("")
        self._drawn: object = ()  # the host the figure marks (a sentinel until the first drawing)
        super().__init__("Host-factory comparer: which cells should make your protein?",
                         "you need a glycosylated antibody. Which factory will you choose, and why? "
                         "Read the table, pick a host, then press Check.",
                         what="the host-factory comparer (E. coli, yeast or CHO cells?)",
                         inputs=[self.table, self.need, self.host], again_label=None, after=[self.figure],
                         key="01_what_biologics_are/host_comparer")
        self.check_button.tooltip = "Check your choice of host"
        self.watch(self.need, self.host)
        self.start()

    # -- the exercise
    def read_answer(self) -> HostAnswer:
        return HostAnswer(self.need.value, self.host.value)

    def missing(self, answer: HostAnswer) -> str:
        return "" if answer.host else "Pick a host first, then press Check."

    def grade(self, answer: HostAnswer) -> model.HostVerdict:
        return model.judge_host(answer.need, str(answer.host))

    def is_correct(self, result: model.HostVerdict) -> bool:
        return result.correct

    def paint(self) -> None:
        s = self.state
        answer = s.answer
        if s.result is not None:
            verdict = s.result
            mark, kind = {"good": ("✓ Good choice.", "right"),
                          "possible": ("~ Possible, but not the best.", "maybe"),
                          "poor": ("✗ Not a good choice.", "wrong")}[verdict.rating]
            self.announce(f"<b>{mark}</b> {escape(verdict.reason)}", kind)
        elif answer is None or answer.host is None:
            self.announce("Pick a host above, then press <b>Check</b>.")
        else:
            need = model.NEEDS.get(answer.need, answer.need)
            self.announce(f"You need {escape(need)}. You picked <b>{escape(self._label(answer.host))}</b>. "
                          "Press <b>Check</b> to see whether it is a good factory for this need.")
        chosen = answer.host if answer else None
        if chosen != self._drawn:
            self._drawn = chosen
            fig = host_growth_chart(self.hosts, chosen=chosen)
            times = ", ".join(f"{h.label} {h.doubling_time_text}" for h in self.hosts)
            pick = f" {self._label(chosen)} is marked." if chosen else ""
            self.figure.value = img_tag(fig, f"Bar chart of doubling times on a log scale: {times}.{pick}")

    def _label(self, key: str) -> str:
        return next((h.label for h in self.hosts if h.key == key), key)

    # -- what a learner sees
    @property
    def verdict(self) -> model.HostVerdict | None:
        return self.state.result

    @property
    def figure_alt(self) -> str:
        return img_alt(self.figure.value)

    # -- for tests and instructors
    def choose(self, host_key: str) -> None:
        self.host.value = host_key


def host_comparer(need: str = "glycosylated_antibody") -> HostFactoryComparer:
    """E. coli, yeast and CHO side by side, with the 'which factory for a glycosylated antibody?' question."""
    return HostFactoryComparer(need)


# ---- product classifier --------------------------------------------------------------------------------
CHOOSE = "— choose —"


class ProductClassifier(Exercise[dict, list]):
    """Sort real products into small-molecule drug, peptide, protein biologic, vaccine or blood product."""

    def __init__(self):
        self.products = model.products()
        # "" rather than None for "not chosen": a Dropdown treats value None as "nothing selected" in the browser
        options = [(CHOOSE, "")] + [(text, key) for key, text in model.CATEGORIES.items()]
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        for p in self.products:
            # the product's name is the drop-down's own label, so a screen reader says what is being sorted
            dd = widgets.Dropdown(options=options, value="", description=p.label,
                                  style={"description_width": "270px"}, layout=widgets.Layout(width="460px"))
            dd.add_class("coursekit-left-label")
            self.dropdowns[p.key] = dd
        self.results = widgets.HTML("")
        super().__init__("Classifier: sort real products",
                         "which of these are biologics? Choose a class for each product, then press Check. "
                         "Watch out for the peptide and the blood product.",
                         what="the product classifier (which of these are biologics?)",
                         inputs=list(self.dropdowns.values()), check_label="Check my sorting",
                         after=[self.results], key="01_what_biologics_are/classifier")
        self.reset_button = self.again_button
        self.watch(*self.dropdowns.values())
        self.start()

    # -- the exercise
    def read_answer(self) -> dict[str, str | None]:
        return {key: (dd.value or None) for key, dd in self.dropdowns.items()}

    def grade(self, answer: dict[str, str | None]) -> list[model.SortResult]:
        return model.check_sorting(answer)

    def is_correct(self, result: list[model.SortResult]) -> bool:
        right, total = model.score(result)
        return right == total

    def clear_answer(self) -> None:
        for dd in self.dropdowns.values():
            dd.value = ""

    def paint(self) -> None:
        results = self.state.result
        if results is None:
            done = sum(v is not None for v in (self.state.answer or {}).values())
            self.announce(f"{done} of {len(self.products)} products sorted. Press <b>Check my sorting</b> when you "
                          "are ready (unsorted ones are simply skipped).")
            self.results.value = ""
            return
        right, total = model.score(results)
        sorted_n = sum(r.correct is not None for r in results)
        items = []
        for r in results:
            label, answer = escape(r.product.label), escape(model.CATEGORIES[r.product.category])
            if r.correct is None:
                items.append(f"<li>… <b>{label}</b>: not sorted yet.</li>")
            elif r.correct:
                items.append(f"<li>✓ <b>{label}</b>: {answer}. {escape(r.product.reason)}</li>")
            else:
                chosen = escape(model.CATEGORIES[str(r.chosen)])
                items.append(f"<li>✗ <b>{label}</b>: you chose {chosen}; it is a <b>{answer}</b>. "
                             f"{escape(r.product.reason)}</li>")
        self.announce(f"<b>{right} of {total} right</b> ({sorted_n} sorted). Read why below; change any choice and "
                      "check again.", "right" if right == total else "info")
        self.results.value = f"<ul style='margin:4px 0'>{''.join(items)}</ul>"

    # -- what a learner sees
    results_text = PlainText("results")

    @property
    def last_results(self) -> list[model.SortResult]:
        return self.state.result or []

    @property
    def score(self) -> tuple[int, int]:
        return model.score(self.last_results)

    def assignments(self) -> dict[str, str | None]:
        return self.read_answer()

    # -- for tests and instructors
    def choose(self, product: str, category: str | None) -> None:
        self.dropdowns[product].value = category or ""


def classifier() -> ProductClassifier:
    """The product classifier with its real products from the fact sheet."""
    return ProductClassifier()


# ---- one-line helpers for the notebook -----------------------------------------------------------------
def ladder_figure():
    """The full size ladder (every size and mass written), ready to display with its alt text."""
    from ..display import show_figure
    items = model.ladder_items()
    steps = ", ".join(f"{i.label} {numbers.length(i.size_m)} and {numbers.mass(i.mass_da)}" for i in items)
    return show_figure(size_ladder(items),
                       alt=f"Log-scale size ladder, size on the left and mass on the right: {steps}.")


def factory_figure():
    """The biological-factory diagram, ready to display with its alt text."""
    from ..display import show_figure
    from ..figures.biologics import factory_diagram
    return show_figure(factory_diagram(), alt="Diagram: 1 gene, 2 engineered host cells (E. coli, yeast or CHO), "
                       "3 the cells make the protein, 4 purification, 5 purified protein in a vial. From step 4 a "
                       "dashed arrow leads to a grey box: host cells and debris removed and discarded, no living "
                       "cell in the vial.")


def ladder_span() -> str:
    """Plain text: how many orders of magnitude separate aspirin from a CHO cell in size and in mass."""
    c = model.compare("aspirin", "cho")
    ab = model.compare("aspirin", "igg")
    return (f"From aspirin to a CHO cell: {c.size_orders:.1f} orders of magnitude in size "
            f"(×{numbers.ratio(c.size_ratio)}) and {c.mass_orders:.1f} in mass (×{numbers.ratio(c.mass_ratio)}).\n"
            f"From aspirin to one IgG antibody: ×{numbers.ratio(ab.size_ratio)} in size, "
            f"×{numbers.ratio(ab.mass_ratio)} in mass.")


class PlainText(str):
    """Text shown as-is in a notebook (no quotes)."""

    def __repr__(self) -> str:
        return str(self)


def scale_facts() -> PlainText:
    """The ladder's span, for a notebook cell."""
    return PlainText(ladder_span())
