"""Explorers for notebook 04: a screening plate, a dose-response window, and a heart-muscle differentiation recipe."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import ipywidgets as widgets

from IPython.display import Markdown

from .. import facts
from ..numbers import concentration_nm as _fmt_nm
from ..display import FigureOutput, escape, show_figure
from ..figures.discovery import DoseFigure, PlateFigure, disease_in_a_dish, screening_plate
from ..models import discovery
from .base import PlainText
from .exercise import Exercise
from .explorer import Answer, Explorer, View
from .markup import status_box


CONTROL_LAYOUT = dict(width="540px")  # one control per row: long descriptions leave room for the slider
DESCRIPTION_WIDTH = "250px"


def _own_row(control: type[widgets.ValueWidget], description: str, **options) -> widgets.ValueWidget:
    """A control on a row of its own (540 px: a long description still leaves the slider a long track)."""
    return control(description=description, layout=widgets.Layout(**CONTROL_LAYOUT), **options)


# ---- Static figures and small tables for the notebook ------------------------------------------------------
PIPELINE_ALT = (
    "Seven boxes joined by arrows: 1 patient with a disease-causing mutation, 2 skin or blood sample, "
    "3 iPSCs, 4 disease cells (heart muscle or neurons with the mutation), 5 screening plate with one "
    "candidate per well, 6 hits, 7 candidate biologic, made later in CHO or E. coli. Steps 1 to 4 use stem "
    "cells as a research tool; the drug contains no cells.")


def pipeline_figure() -> FigureOutput:
    """Figure: the "disease in a dish" pipeline from patient to candidate biologic."""
    return show_figure(disease_in_a_dish(), alt=PIPELINE_ALT)


def cipa_table() -> Markdown:
    """How often heart-muscle cells from stem cells flagged the CiPA reference drugs, by risk group."""
    rows = ["| Torsade risk of the drug | Reference drugs | Flagged by stem-cell heart cells | Share flagged |",
            "|---|---|---|---|"]
    for group in ("high", "intermediate", "low"):
        n = int(facts.value(f"disc_cipa_{group}_risk_drugs_count"))
        flagged = int(facts.value(f"disc_cipa_flagged_{group}_risk_count"))
        rows.append(f"| {group} | {n} | {flagged} | {flagged / n:.0%} |")
    total = int(facts.value("disc_cipa_reference_drugs_count"))
    rows.append(f"| **all** | **{total}** | | |")
    return Markdown("\n".join(rows))


def z_prime_worked_example(separation: float = 100.0, noise_sd: float = 6.0) -> Markdown:
    """The Z'-factor of the default simulator settings, worked by hand."""
    neg = discovery.NEGATIVE_CONTROL_MEAN
    z = discovery.expected_z_prime(separation, noise_sd)
    return Markdown(
        f"Negative controls average {neg:g} signal units and positive controls {neg + separation:g}, each with a "
        f"standard deviation of {noise_sd:g}:\n\n"
        f"Z′ = 1 − 3 × ({noise_sd:g} + {noise_sd:g}) / |{neg + separation:g} − {neg:g}| = "
        f"1 − {3 * 2 * noise_sd:g} / {separation:g} = **{z:.2f}**, which is **{discovery.z_prime_category(z)}**.")


def plate_figure(n_wells: int = 1536) -> FigureOutput:
    """Figure: one simulated plate with the explorer's default signal and noise."""
    plate = discovery.simulate_plate(n_wells, 10_000, 100, 6)
    edge = discovery.PLATE_GEOMETRY[n_wells][2]
    return show_figure(screening_plate(plate), alt=(
        f"Heat map of a {n_wells}-well plate: negative controls in the {edge} left-hand columns (pale), positive "
        f"controls in the {edge} right-hand columns (dark blue), candidates in between, mostly pale; "
        f"{plate.n_hits} hit wells circled. Beside it, histograms: the candidates overlap the negative controls, "
        "the positive controls sit far to the right, and the hit threshold lies just above the negative controls. "
        f"Z′ = {plate.z_prime_measured:.2f}."))


# ---- Screening plate ----------------------------------------------------------------------------------------
def _plate_view(n_wells: int, n_candidates: int, separation: float, noise_sd: float,
                figure: PlateFigure | None = None) -> View:
    """Model + figure for one setting; the explorer's own `figure` is redrawn in place."""
    figure = PlateFigure() if figure is None else figure
    plate = discovery.simulate_plate(n_wells, n_candidates, separation, noise_sd)
    run = discovery.campaign(n_candidates, n_wells, separation, noise_sd)
    category = discovery.z_prime_category(round(plate.z_prime_measured, 2))
    hit_rate_pct = discovery.facts.value("disc_hts_primary_hit_rate_fraction") * 100
    control_wells = discovery.control_wells_per_plate(n_wells)
    summary = [
        f"Z′ = {plate.z_prime_measured:.2f} from the control wells of this plate "
        f"(your settings should give {plate.z_prime_expected:.2f}): {category}.",
        f"Each {n_wells}-well plate spends {control_wells} wells (the edge columns) on controls, leaving "
        f"{run.sample_wells_per_plate:,} for candidates.",
        f"Screening {n_candidates:,} candidates once needs {run.plates:,} plate{'s' if run.plates != 1 else ''} "
        f"({run.control_wells:,} control wells in all).",
        f"Plate 1 ({plate.n_samples:,} candidates): {plate.n_hits} "
        f"{'well called a hit' if plate.n_hits == 1 else 'wells called hits'} (signal above "
        f"{plate.threshold:.0f}, the negative-control mean + 3 SD); {plate.n_true_hits} of them "
        "truly active.",
        f"Whole campaign, if {hit_rate_pct:g} % of candidates are truly active (an illustrative, low-confidence "
        f"figure): about {run.expected_actives:,.0f} actives; this assay would find about "
        f"{run.expected_true_hits:,.0f} of them, plus about {run.expected_false_hits:,.0f} false hits.",
    ]
    flags = []
    if plate.z_prime_measured < 0:
        flags.append("Z′ below 0: the control signals overlap, so a hit cannot be told from noise. "
                     "Fix the assay before screening.")
    elif plate.z_prime_measured < discovery.facts.value("disc_zprime_excellent_min"):
        flags.append("Z′ below 0.5: most screening labs would improve this assay before running a campaign.")
    alt = (f"Heat map of a {n_wells}-well plate with negative controls on the left edge and positive controls on "
           f"the right; {plate.n_hits} hit wells circled. Beside it, histograms of control and candidate signals "
           f"with the hit threshold at {plate.threshold:.0f}; Z′ = {plate.z_prime_measured:.2f}.")
    return View(summary=summary, figure=figure.update(plate), alt=alt, flags=tuple(flags))


def screening_plate_explorer() -> Explorer:
    """Plate format, number of candidates, control separation and noise -> the plate, Z′, hits and plates needed."""
    formats = discovery.plate_formats()
    controls = {
        "n_wells": widgets.Dropdown(options=[(f"{n:,} wells", n) for n in formats], value=formats[1],
                                    description="plate format", layout=widgets.Layout(width="400px")),
        "n_candidates": _own_row(widgets.IntSlider, "candidates to screen", value=10_000, min=100, max=50_000,
                                 step=100, readout_format=",d"),
        "separation": _own_row(widgets.FloatSlider, "control separation (signal units)", value=100, min=5, max=200,
                               step=5, readout_format=".0f"),
        "noise_sd": _own_row(widgets.FloatSlider, "well-to-well noise (SD, signal units)", value=6, min=0.5, max=40,
                             step=0.5, readout_format=".1f"),
    }
    return Explorer("Screening plate simulator",
                    "change the noise, the control separation and the plate format.", controls,
                    partial(_plate_view, figure=PlateFigure()), columns=1, description_width=DESCRIPTION_WIDTH,
                    prediction=("04_stem_cells_in_drug_discovery", "double_noise"),
                    answers={"expected_z_prime": _expected_z_prime})


def _expected_z_prime(separation: float, noise_sd: float, **_values) -> Answer:
    """The Z′-factor these control settings give (the expected value; one plate's measured Z′ scatters around it)."""
    z = discovery.expected_z_prime(separation, noise_sd)
    return Answer(z, f"Z′ = {z:.2f}, {discovery.z_prime_category(round(z, 2))}")


# ---- Dose-response ------------------------------------------------------------------------------------------
def _dose_view(ec50_nm: float, tc50_nm: float, hill_slope: float, top_pct: float, bottom_pct: float,
               figure: DoseFigure | None = None) -> View:
    """Model + figure for one setting; the explorer's own `figure` is redrawn in place."""
    figure = DoseFigure() if figure is None else figure
    curves = discovery.dose_response(ec50_nm, tc50_nm, hill_slope, top_pct, bottom_pct)
    w = curves.window
    summary = [
        f"EC50 on disease-model cells: {_fmt_nm(w.ec50_nm)}; TC50 on healthy cells: {_fmt_nm(w.tc50_nm)}. "
        f"Toxic / effective concentration (TC50 / EC50): {w.ratio_tc50_ec50:,.3g}-fold.",
        f"90 % of the full effect needs {_fmt_nm(w.ec90_nm)}; 10 % of healthy cells are lost at "
        f"{_fmt_nm(w.tc10_nm)}.",
    ]
    if w.has_window:
        summary.append(f"Window: {w.window_fold:,.3g}-fold, from {_fmt_nm(w.ec90_nm)} to {_fmt_nm(w.tc10_nm)}: "
                       "near-full effect with little harm to healthy cells.")
    else:
        summary.append("No window: before the effect reaches 90 %, more than 10 % of healthy cells are already "
                       "lost.")
    summary.append(f"The candidate rescues at most {top_pct:g} % of the disease phenotype (top), "
                   f"{bottom_pct:g} % without drug (bottom).")
    flags = ("Partial rescue: even a high dose fixes less than half of the disease phenotype.",) \
        if top_pct - bottom_pct < 50 else ()
    alt = (f"Two S-shaped curves on a log concentration axis: effect on disease cells rises with EC50 "
           f"{_fmt_nm(w.ec50_nm)}; healthy cells alive falls with TC50 {_fmt_nm(w.tc50_nm)}. "
           + (f"A shaded window spans {_fmt_nm(w.ec90_nm)} to {_fmt_nm(w.tc10_nm)}." if w.has_window
              else "No shaded window: the curves overlap."))
    read_alt = ("Two S-shaped curves on a log concentration axis with a tick at every power of ten: the effect on "
                "disease cells rises, the share of healthy cells alive falls. "
                + ("A shaded band marks the window between them." if w.has_window
                   else "No shaded window: the curves overlap."))
    return View(summary=summary, figure=figure.update(curves), alt=alt, flags=flags, read_alt=read_alt)


def dose_response_explorer() -> Explorer:
    """Hill curves of one candidate on disease-model and healthy cells, and the window between them."""
    controls = {
        "ec50_nm": _own_row(widgets.FloatLogSlider, "EC50 on disease cells (nM)", value=10, base=10, min=-1, max=4,
                            step=0.1, readout_format=",.3r"),
        "tc50_nm": _own_row(widgets.FloatLogSlider, "TC50 on healthy cells (nM)", value=1000, base=10, min=0, max=5,
                            step=0.1, readout_format=",.3r"),
        "hill_slope": _own_row(widgets.FloatSlider, "Hill slope (both curves)", value=1.0, min=0.5, max=3.0, step=0.1,
                               readout_format=".1f"),
        "top_pct": _own_row(widgets.FloatSlider, "top (% rescue, most the drug can do)", value=100, min=10, max=100,
                            step=5, readout_format=".0f"),
        "bottom_pct": _own_row(widgets.FloatSlider, "bottom (% rescue without drug)", value=0, min=0, max=50, step=5,
                               readout_format=".0f"),
    }
    return Explorer("Dose-response: effect versus toxicity",
                    "move EC50, TC50 and the Hill slope, and watch the window.", controls,
                    partial(_dose_view, figure=DoseFigure()), columns=1, description_width=DESCRIPTION_WIDTH,
                    prediction=("04_stem_cells_in_drug_discovery", "window_width"),
                    answers={"window_fold": _window_fold, "tc10_nm": _tc10_nm})


def _window_fold(ec50_nm: float, tc50_nm: float, hill_slope: float, **_values) -> Answer:
    """How many-fold the window from EC90 (disease cells) to TC10 (healthy cells) spans; below 1, no window."""
    w = discovery.safety_window(ec50_nm, tc50_nm, hill_slope)
    if not w.has_window:
        return Answer(w.window_fold, "no window: the effect reaches 90 % only after more than 10 % of healthy "
                                     "cells are lost")
    return Answer(w.window_fold, f"a {w.window_fold:,.3g}-fold window (TC10 ÷ EC90)")


def _tc10_nm(ec50_nm: float, tc50_nm: float, hill_slope: float, **_values) -> Answer:
    """The concentration at which 10 % of healthy cells are lost (the window's right edge)."""
    w = discovery.safety_window(ec50_nm, tc50_nm, hill_slope)
    return Answer(w.tc10_nm, _fmt_nm(w.tc10_nm))


# ---- Differentiation recipe ---------------------------------------------------------------------------------
_CLASS_CHOICES = [(label, key) for key, label in discovery.CLASSES.items()]  # blank until the learner chooses


@dataclass(frozen=True)
class RecipeAnswer:
    """The learner's recipe: the signals ticked, and the class given to each signal (None: not chosen)."""

    picked: frozenset[str]
    classes: dict[str, str | None]


class RecipeBuilder(Exercise[RecipeAnswer, list]):
    """Pick the signals that turn iPSCs into heart muscle, classify each as protein biologic or small molecule."""

    def __init__(self):
        self.signals = discovery.differentiation_signals()
        self.picks: dict[str, widgets.Checkbox] = {}
        self.classes: dict[str, widgets.Dropdown] = {}
        rows = []
        for s in self.signals:
            pick = widgets.Checkbox(value=False, description=s.name, indent=False,
                                    layout=widgets.Layout(width="190px"))
            cls = widgets.Dropdown(options=_CLASS_CHOICES, value=None, layout=widgets.Layout(width="240px"),
                                   description="is a", style={"description_width": "30px"})
            self.picks[s.name], self.classes[s.name] = pick, cls
            rows.append(widgets.HBox([pick, cls]))
        half = (len(rows) + 1) // 2
        grid = widgets.HBox([widgets.VBox(rows[:half]), widgets.VBox(rows[half:])])
        self.feedback = widgets.HTML("")
        super().__init__("Differentiation recipe: heart muscle from iPSCs",
                         "tick the signals a lab uses to turn iPSCs into heart muscle, and say for each whether it "
                         "is a protein (a biologic) or a small molecule. Then press Check my recipe.",
                         what="the differentiation-recipe exercise (heart muscle from iPSCs)",
                         inputs=[grid], check_label="Check my recipe", after=[self.feedback],
                         key="04_stem_cells_in_drug_discovery/recipe")
        self.reset_button = self.again_button
        self.progress = self.live
        self.watch(*self.picks.values(), *self.classes.values())
        self.start()

    # -- the exercise ----------------------------------------------------------------------------
    def read_answer(self) -> RecipeAnswer:
        return RecipeAnswer(frozenset(name for name, box in self.picks.items() if box.value),
                            {name: dd.value for name, dd in self.classes.items()})

    def grade(self, answer: RecipeAnswer) -> list[discovery.SignalVerdict]:
        return discovery.grade_recipe(set(answer.picked), answer.classes)

    def is_correct(self, result: list[discovery.SignalVerdict]) -> bool:
        return all(v.pick_right and v.class_right for v in result)

    def clear_answer(self) -> None:
        for box in self.picks.values():
            box.value = False
        for dd in self.classes.values():
            dd.value = None

    def paint(self) -> None:
        answer = self.state.answer or self.read_answer()
        picked = [s.name for s in self.signals if s.name in answer.picked]
        classified = sum(1 for v in answer.classes.values() if v)
        recipe = ", ".join(picked) if picked else "nothing yet"
        cleared = " Cleared: build your recipe again." if self.state.notice == "cleared" else ""
        self.announce(f"Your heart recipe so far ({len(picked)} signal{'s' if len(picked) != 1 else ''}): "
                      f"{escape(recipe)}. Classified: {classified} of {len(self.signals)}.{cleared}")
        verdicts = self.state.result
        self.feedback.value = "" if verdicts is None else status_box(_recipe_feedback(verdicts), "info")

    # -- what a learner sees -------------------------------------------------------------------
    progress_text = PlainText("live")
    feedback_text = PlainText("feedback")

    def picked(self) -> set[str]:
        return set(self.read_answer().picked)

    def guesses(self) -> dict[str, str | None]:
        return self.read_answer().classes


def _recipe_feedback(verdicts: list[discovery.SignalVerdict]) -> str:
    """The verdict on a recipe, one line per signal (markup, escaped)."""
    n_heart = sum(v.signal.heart_recipe for v in verdicts)
    found = sum(v.picked and v.signal.heart_recipe for v in verdicts)
    wrong_picks = sum(v.picked and not v.signal.heart_recipe for v in verdicts)
    classified = [v for v in verdicts if v.class_right is not None]
    right_classes = sum(bool(v.class_right) for v in classified)
    items = []
    for v in verdicts:
        s = v.signal
        if v.picked and s.heart_recipe:
            pick = "✓ in the heart recipe, rightly picked."
        elif v.picked:
            pick = "✗ not in the two heart recipes shown here."
        elif s.heart_recipe:
            pick = "✗ missed: it is used to make heart muscle."
        else:
            pick = "✓ rightly left out."
        true_class = discovery.CLASSES[s.molecular_class]
        if v.class_right is None:
            cls = f"Class: {true_class} (you did not choose)."
        elif v.class_right:
            cls = f"✓ {true_class}."
        else:
            cls = f"✗ it is a {true_class}, not a {discovery.CLASSES[str(v.guessed_class)]}."
        items.append(f"<li><b>{escape(s.name)}</b>: {escape(pick)} {escape(cls)} "
                     f"{escape(s.what_it_does)} <i>({escape(s.source)})</i></li>")
    verdict = (f"You found {found} of {n_heart} heart signals"
               + (f" and added {wrong_picks} that steer other cell types" if wrong_picks else "")
               + f"; you classified {right_classes} of {len(classified)} correctly.")
    return f"<b>{escape(verdict)}</b><ul style='margin:4px 0'>{''.join(items)}</ul>"


def recipe_builder() -> RecipeBuilder:
    """The differentiation-recipe exercise."""
    return RecipeBuilder()
