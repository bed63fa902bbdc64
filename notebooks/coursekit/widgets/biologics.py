"""Notebook 01 explorers: size comparer, host-factory comparer and product classifier."""
from __future__ import annotations


import ipywidgets as widgets

from ..display import escape, img_tag
from ..figures.biologics import highlight_ladder, host_growth_chart, size_ladder
from ..models import biologics as model
from .explorer import Explorer, View
from .markup import alert_box, img_alt, plain, status_box

BOX_LAYOUT = dict(border="1px solid #BBB", padding="8px", margin="8px 0")


def _status(body: str, kind: str = "info") -> str:
    return status_box(body, kind)


def _alert(text: str) -> str:
    return alert_box(text, "The widget still works: try another choice.")


def _header(title: str, prompt: str) -> widgets.HTML:
    return widgets.HTML(f"<h3 style='margin:4px 0;font-size:1.1em'>{escape(title)}</h3>"
                        f"<p style='margin:2px 0'><b>Predict first, then try:</b> {escape(prompt)}</p>")


# ---- size comparer ------------------------------------------------------------------------------------
def _size_view(item_a: str, item_b: str, cache: dict) -> View:
    c = model.compare(item_a, item_b)
    if "figure" not in cache:   # one figure per explorer; each update only moves the highlights (fast redraw)
        cache["items"] = model.ladder_items()
        cache["figure"] = size_ladder(cache["items"], highlight=(item_a, item_b), values_for="highlighted")
    fig = highlight_ladder(cache["figure"], cache["items"], (item_a, item_b))
    a, b = c.first, c.second
    if a.key == b.key:
        summary = [f"You picked {a.label} twice: same size ({model.format_length(a.size_m)}) and same mass "
                   f"({model.format_mass(a.mass_da)}). Pick two different items."]
        alt = f"Size ladder with {a.label} highlighted."
    else:
        small = b if c.larger is a else a
        light = b if c.heavier is a else a
        summary = [
            f"Size: {c.larger.label} ({model.format_length(c.larger.size_m)}) is {model.format_ratio(c.size_ratio)} "
            f"times larger than {small.label} ({model.format_length(small.size_m)}), "
            f"{c.size_orders:.1f} orders of magnitude.",
            f"Mass: {c.heavier.label} ({model.format_mass(c.heavier.mass_da)}) is {model.format_ratio(c.mass_ratio)} "
            f"times heavier than {light.label} ({model.format_mass(light.mass_da)}), "
            f"{c.mass_orders:.1f} orders of magnitude.",
            "Mass grows much faster than size: for objects of the same shape and density, with size cubed, because "
            "mass fills a volume. The ladder mixes size measures and shapes, so its ratios follow that rule only "
            "roughly.",
        ]
        alt = (f"Size ladder from aspirin to a CHO cell with {a.label} and {b.label} highlighted: "
               f"{c.larger.label} is {model.format_ratio(c.size_ratio)} times larger and "
               f"{model.format_ratio(c.mass_ratio)} times heavier.")
    flags = tuple(f"The mass of {i.label} is an estimate from its size and density (marked ≈)."
                  for i in (a, b) if i.mass_estimated and not (i is b and a.key == b.key))
    return View(summary=summary, figure=fig, alt=alt, flags=flags)


def size_comparer(item_a: str = "aspirin", item_b: str = "igg") -> Explorer:
    """Pick any two items of the ladder: how many times larger and heavier, both placed on the ladder."""
    options = [(i.label, i.key) for i in model.ladder_items()]
    cache: dict = {}
    controls = {"item_a": widgets.Dropdown(options=options, value=item_a, description="compare"),
                "item_b": widgets.Dropdown(options=options, value=item_b, description="with")}
    return Explorer("Size comparer: from aspirin to a CHO cell",
                    "how many times heavier is one antibody than one aspirin molecule: 10, 1,000 or 1,000,000? "
                    "And how many times larger?", controls, lambda **values: _size_view(**values, cache=cache))


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


class HostFactoryComparer(widgets.VBox):
    """E. coli, yeast and CHO side by side; the learner picks a factory for a need and gets feedback on why."""

    def __init__(self, need: str = "glycosylated_antibody"):
        self.hosts = model.hosts()
        self.header = _header("Host-factory comparer: which cells should make your protein?",
                              "you need a glycosylated antibody. Which factory will you choose, and why? "
                              "Read the table, pick a host, then press Check.")
        self.table = widgets.HTML(host_table_html(self.hosts))
        self.need = widgets.Dropdown(options=[(text, key) for key, text in model.NEEDS.items()], value=need,
                                     description="you need", style={"description_width": "initial"},
                                     layout=widgets.Layout(width="auto"))
        self.host = widgets.ToggleButtons(options=[(h.label, h.key) for h in self.hosts], value=None,
                                          description="your factory", style={"description_width": "initial"},
                                          tooltips=[f"{h.label}: doubles every {h.doubling_time_text}"
                                                    for h in self.hosts])
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check",
                                           tooltip="Check your choice of host")
        self.message = widgets.HTML("")
        self.status = widgets.HTML("")
        self.figure = widgets.HTML("")
        self.verdict: model.HostVerdict | None = None
        self.need.observe(self._on_need, names="value")
        self.host.observe(self._on_host, names="value")
        self.check_button.on_click(self._on_check)
        super().__init__([self.header, self.table, self.need, self.host, self.check_button, self.message,
                          self.status, self.figure], layout=widgets.Layout(**BOX_LAYOUT))
        self.add_class("coursekit-explorer")
        self._draw()
        self.status.value = _status("Pick a host above, then press <b>Check</b>.")

    # -- what a learner sees
    @property
    def status_text(self) -> str:
        return plain(self.status.value)

    @property
    def message_text(self) -> str:
        return plain(self.message.value)

    @property
    def figure_alt(self) -> str:
        return img_alt(self.figure.value)

    def __repr__(self) -> str:
        return f"HostFactoryComparer({self.status_text})"

    # -- behaviour
    def _draw(self) -> None:
        chosen = self.host.value
        fig = host_growth_chart(self.hosts, chosen=chosen)
        times = ", ".join(f"{h.label} {h.doubling_time_text}" for h in self.hosts)
        pick = f" {model.host(chosen).label} is marked." if chosen else ""
        self.figure.value = img_tag(fig, f"Bar chart of doubling times on a log scale: {times}.{pick}")

    def _on_need(self, _change=None) -> None:
        self.verdict = None
        self.message.value = ""
        self.status.value = _status(f"New need: {escape(model.NEEDS.get(self.need.value, self.need.value))}. "
                                    "Pick a host and press <b>Check</b>.")

    def _on_host(self, _change=None) -> None:
        self.verdict = None
        self.message.value = ""
        if self.host.value is None:
            self.status.value = _status("Pick a host above, then press <b>Check</b>.")
        else:
            label = next((h.label for h in self.hosts if h.key == self.host.value), self.host.value)
            self.status.value = _status(f"You picked <b>{escape(label)}</b>. Press <b>Check</b> to see whether it "
                                        "is a good factory for this need.")
        try:
            self._draw()
        except ValueError as exc:
            self.message.value = _alert(str(exc))

    def _on_check(self, _button=None) -> None:
        if self.host.value is None:
            self.status.value = _status("Pick a host first, then press <b>Check</b>.")
            return
        try:
            verdict = model.judge_host(self.need.value, self.host.value)
        except ValueError as exc:
            self.message.value = _alert(str(exc))
            return
        self.message.value = ""
        self.verdict = verdict
        mark, kind = {"good": ("✓ Good choice.", "right"), "possible": ("~ Possible, but not the best.", "maybe"),
                      "poor": ("✗ Not a good choice.", "wrong")}[verdict.rating]
        self.status.value = _status(f"<b>{mark}</b> {escape(verdict.reason)}", kind)

    # -- for tests and instructors
    def choose(self, host_key: str) -> None:
        self.host.value = host_key

    def click_check(self) -> None:
        self.check_button.click()


def host_comparer(need: str = "glycosylated_antibody") -> HostFactoryComparer:
    """E. coli, yeast and CHO side by side, with the 'which factory for a glycosylated antibody?' question."""
    return HostFactoryComparer(need)


# ---- product classifier --------------------------------------------------------------------------------
CHOOSE = "— choose —"


class ProductClassifier(widgets.VBox):
    """Sort real products into small-molecule drug, peptide, protein biologic, vaccine or blood product."""

    def __init__(self):
        self.products = model.products()
        self.header = _header("Classifier: sort real products",
                              "which of these are biologics? Choose a class for each product, then press Check. "
                              "Watch out for the peptide and the blood product.")
        # "" rather than None for "not chosen": a Dropdown treats value None as "nothing selected" in the browser
        options = [(CHOOSE, "")] + [(text, key) for key, text in model.CATEGORIES.items()]
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        rows = []
        for p in self.products:
            # the product's name is the drop-down's own label, so a screen reader says what is being sorted
            dd = widgets.Dropdown(options=options, value="", description=p.label,
                                  style={"description_width": "270px"}, layout=widgets.Layout(width="460px"))
            dd.add_class("coursekit-left-label")
            dd.observe(self._on_change, names="value")
            self.dropdowns[p.key] = dd
            rows.append(dd)
        self.check_button = widgets.Button(description="Check my sorting", button_style="primary", icon="check")
        self.reset_button = widgets.Button(description="Start again", icon="refresh")
        self.check_button.on_click(self._on_check)
        self.reset_button.on_click(self._on_reset)
        self.message = widgets.HTML("")
        self.status = widgets.HTML("")
        self.results = widgets.HTML("")
        self.last_results: list[model.SortResult] = []
        super().__init__([self.header, *rows, widgets.HBox([self.check_button, self.reset_button]), self.message,
                          self.status, self.results], layout=widgets.Layout(**BOX_LAYOUT))
        self.add_class("coursekit-explorer")
        self._show_progress()

    # -- what a learner sees
    @property
    def status_text(self) -> str:
        return plain(self.status.value)

    @property
    def results_text(self) -> str:
        return plain(self.results.value)

    @property
    def message_text(self) -> str:
        return plain(self.message.value)

    @property
    def score(self) -> tuple[int, int]:
        return model.score(self.last_results)

    def __repr__(self) -> str:
        return f"ProductClassifier({self.status_text})"

    # -- behaviour
    def assignments(self) -> dict[str, str | None]:
        return {key: (dd.value or None) for key, dd in self.dropdowns.items()}

    def _show_progress(self) -> None:
        done = sum(v is not None for v in self.assignments().values())
        total = len(self.products)
        hint = "Press <b>Check my sorting</b> when you are ready (unsorted ones are simply skipped)."
        self.status.value = _status(f"{done} of {total} products sorted. {hint}")

    def _on_change(self, _change=None) -> None:
        self.message.value = ""
        self.results.value = ""
        self._show_progress()

    def _on_check(self, _button=None) -> None:
        try:
            results = model.check_sorting(self.assignments())
        except ValueError as exc:
            self.message.value = _alert(str(exc))
            return
        self.message.value = ""
        self.last_results = results
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
                chosen = escape(model.CATEGORIES[r.chosen])
                items.append(f"<li>✗ <b>{label}</b>: you chose {chosen}; it is a <b>{answer}</b>. "
                             f"{escape(r.product.reason)}</li>")
        kind = "right" if right == total else "info"
        self.status.value = _status(f"<b>{right} of {total} right</b> ({sorted_n} sorted). Read why below; change "
                                    "any choice and check again.", kind)
        self.results.value = f"<ul style='margin:4px 0'>{''.join(items)}</ul>"

    def _on_reset(self, _button=None) -> None:
        """Clear every choice (one status update, not one per dropdown)."""
        for dd in self.dropdowns.values():
            dd.unobserve(self._on_change, names="value")
            dd.value = ""
            dd.observe(self._on_change, names="value")
        self.last_results = []
        self.message.value = ""
        self.results.value = ""
        self._show_progress()

    # -- for tests and instructors
    def choose(self, product: str, category: str | None) -> None:
        self.dropdowns[product].value = category or ""

    def click_check(self) -> None:
        self.check_button.click()


def classifier() -> ProductClassifier:
    """The product classifier with its real products from the fact sheet."""
    return ProductClassifier()


# ---- one-line helpers for the notebook -----------------------------------------------------------------
def ladder_figure():
    """The full size ladder (every size and mass written), ready to display with its alt text."""
    from ..display import show_figure
    items = model.ladder_items()
    steps = ", ".join(f"{i.label} {model.format_length(i.size_m)} and {model.format_mass(i.mass_da)}" for i in items)
    return show_figure(size_ladder(items), alt=f"Log-scale size ladder, size on the left and mass on the right: {steps}.")


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
            f"(×{model.format_ratio(c.size_ratio)}) and {c.mass_orders:.1f} in mass (×{model.format_ratio(c.mass_ratio)}).\n"
            f"From aspirin to one IgG antibody: ×{model.format_ratio(ab.size_ratio)} in size, "
            f"×{model.format_ratio(ab.mass_ratio)} in mass.")


class PlainText(str):
    """Text shown as-is in a notebook (no quotes)."""

    def __repr__(self) -> str:
        return str(self)


def scale_facts() -> PlainText:
    """The ladder's span, for a notebook cell."""
    return PlainText(ladder_span())
