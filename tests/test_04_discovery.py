"""Notebook 04: screening-plate model (Z'-factor, plates, hits), Hill dose-response, differentiation signals."""
import math
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import MPL

from coursekit import questions
from coursekit.figures import discovery as figs
from coursekit.models import discovery as m
from coursekit.widgets import discovery as w
from explorer_helpers import revealed

ROOT = Path(__file__).resolve().parents[1]


# ---- Z'-factor (Zhang, Chung & Oldenburg 1999) ---------------------------------------------------------------
def test_z_prime_by_hand():
    assert m.z_prime(200, 5, 100, 5) == pytest.approx(0.7)          # 1 - 3 x 10 / 100
    assert m.z_prime(0, 1, 10, 1) == pytest.approx(0.4)             # order of the means does not matter
    assert m.z_prime(100, 0, 0, 0) == 1.0                            # no noise: the ideal assay
    assert m.z_prime(12, 1, 0, 1) == pytest.approx(0.5)             # 3 x 2 = half the gap: the excellent line


@pytest.mark.parametrize("z, category", [(1.0, "ideal"), (0.7, "excellent"), (0.5, "excellent"),
                                         (0.49, "marginal"), (0.0, "a yes/no assay"),
                                         (-0.3, "screening essentially impossible")])
def test_z_prime_categories_follow_zhang_1999(z, category):
    assert m.z_prime_category(z) == category


def test_z_prime_rejects_bad_input():
    with pytest.raises(ValueError, match="mean_positive and mean_negative must differ"):
        m.z_prime(5, 1, 5, 1)
    with pytest.raises(ValueError, match="sd_positive"):
        m.z_prime(10, -1, 0, 1)
    with pytest.raises(ValueError, match="z = 1.5"):
        m.z_prime_category(1.5)


def test_expected_z_prime_is_one_minus_six_sd_over_separation():
    assert m.expected_z_prime(100, 6) == pytest.approx(1 - 36 / 100)
    with pytest.raises(ValueError, match="control_separation"):
        m.expected_z_prime(0, 5)
    with pytest.raises(ValueError, match="noise_sd = -1"):
        m.expected_z_prime(100, -1)


# ---- Plates ---------------------------------------------------------------------------------------------------
def test_plate_formats_are_the_sourced_ones():
    assert m.plate_formats() == [96, 384, 1536]


@pytest.mark.parametrize("n_wells, controls, samples", [(96, 16, 80), (384, 64, 320), (1536, 256, 1280)])
def test_control_and_sample_wells(n_wells, controls, samples):
    assert m.control_wells_per_plate(n_wells) == controls
    assert m.sample_wells_per_plate(n_wells) == samples


@pytest.mark.parametrize("n, n_wells, plates", [(10_000, 96, 125), (10_000, 384, 32), (10_000, 1536, 8),
                                                (320, 384, 1), (321, 384, 2), (1, 1536, 1)])
def test_plates_needed_by_hand(n, n_wells, plates):
    assert m.plates_needed(n, n_wells) == plates                     # ceil(n / sample wells)


@pytest.mark.parametrize("kwargs, param", [(dict(n_wells=100), "n_wells"), (dict(n_candidates=0), "n_candidates"),
                                           (dict(separation=0), "control_separation"),
                                           (dict(noise_sd=-2), "noise_sd"),
                                           (dict(hit_rate_fraction=1.5), "hit_rate_fraction")])
def test_simulate_plate_rejects_bad_input(kwargs, param):
    with pytest.raises(ValueError, match=param):
        m.simulate_plate(**kwargs)


def test_simulated_plate_layout_and_statistics():
    p = m.simulate_plate(1536, 10_000, 100, 6)
    assert p.signal.shape == (32, 48)
    assert (p.role[:, :4] == m.NEGATIVE).all() and (p.role[:, -4:] == m.POSITIVE).all()
    assert p.n_samples == 1280
    assert not (p.hit & (p.role != m.SAMPLE)).any()                 # only candidates can be hits
    assert p.z_prime_expected == pytest.approx(0.64)
    assert abs(p.z_prime_measured - 0.64) < 0.1                      # estimated from 128 wells per control
    neg = p.signal[p.role == m.NEGATIVE]
    assert p.threshold == pytest.approx(neg.mean() + 3 * neg.std(ddof=1))
    again = m.simulate_plate(1536, 10_000, 100, 6)                   # seeded: same plate every run
    assert np.array_equal(np.nan_to_num(p.signal), np.nan_to_num(again.signal))


def test_partly_filled_plate_leaves_wells_empty():
    p = m.simulate_plate(96, 50, 100, 6)
    assert p.n_samples == 50
    assert int(np.isnan(p.signal).sum()) == 30                       # 80 candidate wells, 50 used


def test_noise_free_plate_is_ideal_and_calls_exactly_the_actives():
    p = m.simulate_plate(1536, 10_000, 100, 0, hit_rate_fraction=0.05)
    assert p.z_prime_measured == 1.0 and m.z_prime_category(p.z_prime_measured) == "ideal"
    assert np.array_equal(p.hit, p.active) and p.n_hits > 0


def test_campaign_expectations():
    c = m.campaign(10_000, 384, 100, 6, hit_rate_fraction=0.005)
    assert c.plates == 32 and c.control_wells == 32 * 64
    assert c.expected_actives == pytest.approx(50)
    assert c.expected_true_hits == pytest.approx(50, rel=1e-3)       # weakest active is 5 SD above the mean
    one_sided_3sd = 0.5 * math.erfc(3 / math.sqrt(2))                # 0.135 % of inactive wells pass mean + 3 SD
    assert c.expected_false_hits == pytest.approx(9950 * one_sided_3sd)
    noisy = m.campaign(10_000, 384, 100, 40, hit_rate_fraction=0.005)
    assert noisy.expected_true_hits < 20                             # a noisy assay misses most actives


# ---- Hill equation ---------------------------------------------------------------------------------------------
def test_hill_response_by_hand():
    assert m.hill_response(10, 0, 100, 10, 1) == pytest.approx(50)   # at the EC50: half-way
    assert m.hill_response(90, 0, 100, 10, 1) == pytest.approx(90)   # 100 / (1 + 10/90)
    assert m.hill_response(20, 10, 90, 10, 2) == pytest.approx(10 + 80 / (1 + 0.25))
    assert m.hill_response(0, 5, 95, 10, 1) == pytest.approx(5)      # no drug: the bottom


def test_concentration_for_fraction_by_hand():
    assert m.concentration_for_fraction(0.9, 10, 1) == pytest.approx(90)    # EC90 = EC50 x 9
    assert m.concentration_for_fraction(0.9, 10, 2) == pytest.approx(30)    # EC90 = EC50 x 9^(1/2)
    assert m.concentration_for_fraction(0.1, 1000, 1) == pytest.approx(1000 / 9)


def test_safety_window_by_hand():
    sw = m.safety_window(10, 1000, 1)
    assert sw.ratio_tc50_ec50 == pytest.approx(100)
    assert sw.window_fold == pytest.approx((1000 / 9) / 90) and sw.has_window
    assert not m.safety_window(10, 50, 1).has_window                  # 5-fold apart is not enough at slope 1
    assert m.safety_window(10, 50, 3).has_window                      # ... but is at a steep slope


@pytest.mark.parametrize("kwargs, param", [(dict(ec50_nm=0), "ec50_nm"), (dict(tc50_nm=1e9), "tc50_nm"),
                                           (dict(hill_slope=0), "hill_slope"), (dict(top_pct=120), "top_pct"),
                                           (dict(top_pct=20, bottom_pct=30), "top_pct"),
                                           (dict(bottom_pct=-1), "bottom_pct")])
def test_dose_response_rejects_bad_input(kwargs, param):
    with pytest.raises(ValueError, match=param):
        m.dose_response(**kwargs)


def test_dose_response_curves_run_between_bottom_and_top():
    c = m.dose_response(10, 1000, 1, top_pct=80, bottom_pct=10)
    assert c.effect_pct[0] == pytest.approx(10, abs=0.1) and c.effect_pct[-1] == pytest.approx(80, abs=0.1)
    assert c.viability_pct[0] == pytest.approx(100, abs=0.1) and c.viability_pct[-1] < 1
    assert np.all(np.diff(c.effect_pct) > 0) and np.all(np.diff(c.viability_pct) < 0)


# ---- Differentiation signals -----------------------------------------------------------------------------------
def test_signals_table():
    signals = {s.name: s for s in m.differentiation_signals()}
    assert signals["CHIR99021"].molecular_class == "small_molecule" and signals["CHIR99021"].heart_recipe
    assert {n for n, s in signals.items() if s.heart_recipe and s.molecular_class == "protein"} == {
        "Activin A", "BMP4", "FGF2 (bFGF)", "VEGF", "DKK1"}
    assert all(s.source for s in signals.values())


def test_grade_recipe():
    verdicts = {v.signal.name: v for v in m.grade_recipe({"CHIR99021", "Noggin"},
                                                         {"CHIR99021": "protein", "BMP4": "protein"})}
    assert verdicts["CHIR99021"].pick_right and verdicts["CHIR99021"].class_right is False
    assert not verdicts["Noggin"].pick_right and verdicts["Noggin"].class_right is None
    assert not verdicts["BMP4"].pick_right and verdicts["BMP4"].class_right
    assert verdicts["SCF"].pick_right                                  # rightly left out
    with pytest.raises(ValueError, match="picked"):
        m.grade_recipe({"aspirin"}, {})
    with pytest.raises(ValueError, match="guessed class"):
        m.grade_recipe(set(), {"BMP4": "cell"})


# ---- Figures -----------------------------------------------------------------------------------------------------
def test_pipeline_structure():
    fig = figs.disease_in_a_dish()
    texts = [t.get_text() for t in fig.axes[0].texts]
    titles = [t for t in texts if re.match(r"\d\. ", t)]
    assert [t.split(". ", 1)[0] for t in titles] == [str(i) for i in range(1, 8)]
    assert titles[0] == "1. Patient" and titles[-1].startswith("7. Candidate")
    assert len(fig.axes[0].patches) == 7 + 6                           # 7 boxes, 6 arrows


def test_screening_plate_structure_is_one_image():
    p = m.simulate_plate(1536, 10_000, 100, 6)
    fig = figs.screening_plate(p)
    plate_ax, hist_ax = fig.axes
    assert len(plate_ax.images) == 1 and plate_ax.images[0].get_array().shape[:2] == (32, 48)
    assert len(plate_ax.patches) == 0                                  # no per-well patches
    assert len(plate_ax.collections[0].get_offsets()) == p.n_hits
    assert plate_ax.get_title() == "1536-well plate (32 x 48)"
    assert hist_ax.get_title() == f"Z′ = {p.z_prime_measured:.2f}"
    assert len(hist_ax.patches) == 3                                   # three step histograms


def test_screening_plate_colours_each_well_from_its_signal_and_leaves_empty_wells_white():
    p = m.simulate_plate(96, 10, 100, 6)                               # 10 candidates: most sample wells empty
    wells = figs.PlateFigure().update(p).axes[0].images[0].get_array()
    empty = p.role == m.EMPTY
    assert empty.sum() == p.role.size - 16 - 10 and (wells[empty] == 255).all()   # 8 x 2 control wells
    # the colour map runs from pale grey to dark blue: a stronger signal is a darker well
    filled = ~empty
    darkness = 3 * 255 - wells[..., :3].astype(int).sum(axis=-1)
    order = np.argsort(p.signal[filled])
    assert (np.diff(darkness[filled][order]) >= 0).all()
    assert darkness[p.role == m.POSITIVE].min() > darkness[p.role == m.NEGATIVE].max()


def test_screening_plate_redraws_in_place():
    owner = figs.PlateFigure()
    fig = owner.update(m.simulate_plate(1536, 10_000, 100, 6))
    p96 = m.simulate_plate(96, 10_000, 100, 6)
    again = owner.update(p96)
    assert again is fig is owner.figure and fig.axes[0].images[0].get_array().shape[:2] == (8, 12)
    assert owner.image is fig.axes[0].images[0] and len(owner.hits.get_offsets()) == p96.n_hits
    assert fig.axes[0].get_title() == "96-well plate (8 x 12)" and len(fig.axes) == 2


def test_dose_response_structure():
    c = m.dose_response(10, 1000, 2)
    owner = figs.DoseFigure()
    fig = owner.update(c)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    effect, viability = ax.lines[0], ax.lines[1]
    assert np.allclose(effect.get_ydata(), c.effect_pct) and np.allclose(viability.get_ydata(), c.viability_pct)
    window = owner.window
    assert window.get_visible() and window.get_x() == pytest.approx(30)
    assert window.get_width() == pytest.approx(1000 / 3 - 30)
    assert owner.update(m.dose_response(10, 20, 1)) is fig            # redrawn in place
    assert not window.get_visible()                                   # no window: the band disappears


@pytest.mark.mpl_image_compare(**MPL)
def test_disease_in_a_dish_image():
    return figs.disease_in_a_dish()


@pytest.mark.mpl_image_compare(**MPL)
def test_screening_plate_image():
    return figs.screening_plate(m.simulate_plate(384, 10_000, 100, 6))


@pytest.mark.mpl_image_compare(**MPL)
def test_dose_response_image():
    return figs.dose_response_curves(m.dose_response(10, 1000, 2))


# ---- Widgets -----------------------------------------------------------------------------------------------------
def test_screening_explorer_defaults_and_changes():
    e = revealed(w.screening_plate_explorer(), noise_sd=6)
    text = e.summary_text
    assert "Z′ = 0.63" in text and "should give 0.64" in text and "excellent" in text
    assert "Each 384-well plate spends 64 wells (the edge columns)" in text and "needs 32 plates" in text
    first = e.figure.value
    e.controls["n_wells"].value = 1536
    assert "needs 8 plates" in e.summary_text and "1,280 for candidates" in e.summary_text
    assert e.figure.value != first and "1536-well plate" in e.figure_alt
    e.controls["noise_sd"].value = 40                                  # Z' = 1 - 240/100 = -1.4
    assert "should give -1.40" in e.summary_text and "screening essentially impossible" in e.summary_text
    assert "Z′ below 0" in e.summary_text
    e.controls["n_candidates"].value = 100
    assert "needs 1 plate " in e.summary_text and "Plate 1 (100 candidates)" in e.summary_text


def test_screening_explorer_shows_a_message_for_bad_input_and_keeps_working():
    e = revealed(w.screening_plate_explorer(), noise_sd=6)
    e.controls["separation"].min = 0                                   # an instructor widening a slider
    e.controls["separation"].value = 0
    assert "control_separation = 0 signal units is outside the allowed range" in e.message_text
    assert "Z′ = 0.63" in e.summary_text                               # last good result kept
    e.controls["separation"].value = 50
    assert e.message_text == "" and "should give 0.28" in e.summary_text and "marginal" in e.summary_text


def test_dose_explorer_defaults_and_changes():
    d = revealed(w.dose_response_explorer())
    assert "TC50 / EC50): 100-fold" in d.summary_text
    assert "Window: 1.23-fold, from 90 nM to 111 nM" in d.summary_text
    d.controls["hill_slope"].value = 2
    assert "Window: 11.1-fold, from 30 nM to 333 nM" in d.summary_text
    d.controls["tc50_nm"].value = 10 ** 1.3                            # TC50 = 20 nM, only 2-fold above EC50
    assert "No window" in d.summary_text and "No shaded window" in d.figure_alt
    d.controls["top_pct"].value = 40
    assert "Partial rescue" in d.summary_text


def test_dose_explorer_message_for_top_below_bottom():
    d = revealed(w.dose_response_explorer())
    d.controls["top_pct"].value = 30
    d.controls["bottom_pct"].value = 40
    assert "top_pct = 30 % must be greater than bottom_pct = 40 %" in d.message_text
    d.controls["bottom_pct"].value = 0
    assert d.message_text == "" and "at most 30 %" in d.summary_text


def test_recipe_builder_per_item_feedback():
    r = w.recipe_builder()
    assert "nothing yet" in r.progress_text and r.feedback_text == ""
    r.picks["CHIR99021"].value = True
    assert "(1 signal): CHIR99021" in r.progress_text
    r.classes["CHIR99021"].value = "protein"
    assert "Classified: 1 of 12" in r.progress_text
    r.check_button.click()
    assert r.state.latest.answer.picked == {"CHIR99021"} and r.state.latest.correct is False
    chir = next(v for v in r.state.result if v.signal.name == "CHIR99021")
    assert chir.pick_right and chir.class_right is False
    assert "You found 1 of 7 heart signals; you classified 0 of 1 correctly" in r.feedback_text
    assert "it is a small molecule (a chemical), not a protein (a biologic)" in r.feedback_text
    assert "BMP4 : ✗ missed" in r.feedback_text and "Noggin : ✓ rightly left out" in r.feedback_text
    r.picks["Noggin"].value = True                                      # a change clears the old verdict
    assert r.state.result is None and r.feedback_text == "" and "(2 signals)" in r.progress_text


def test_recipe_builder_perfect_answer_and_reset():
    r = w.recipe_builder()
    for s in r.signals:
        r.picks[s.name].value = s.heart_recipe
        r.classes[s.name].value = s.molecular_class
    r.check_button.click()
    assert r.state.latest.correct is True and r.state.first is r.state.latest
    assert "You found 7 of 7 heart signals; you classified 12 of 12 correctly" in r.feedback_text
    assert "added" not in r.feedback_text
    r.reset_button.click()
    assert "nothing yet" in r.progress_text and "Cleared" in r.progress_text and r.feedback_text == ""
    assert all(box.value is False for box in r.picks.values())
    assert r.state.answer.picked == frozenset() and r.state.first.correct is True     # the first attempt is kept


def test_recipe_builder_escapes_and_exposes_status_role():
    r = w.recipe_builder()
    r.check_button.click()
    assert 'role="status"' in r.feedback.value and 'role="status"' in r.progress.value
    assert "coursekit-explorer" in r._dom_classes
    assert repr(r) == ("▶ Run this cell (Shift+Enter) to show the differentiation-recipe exercise "
                       "(heart muscle from iPSCs)")


# ---- Question bank and instructor answer key -------------------------------------------------------------------
def test_question_bank_and_answer_key_agree():
    from coursekit.models.assessment import key_text
    bank = questions.load_bank(questions.QUESTIONS_DIR / "04_stem_cells_in_drug_discovery.json")
    assert len(bank) >= 2
    guide = (ROOT / "instructors/04_stem_cells_in_drug_discovery.md").read_text(encoding="utf-8")
    key = guide.split("## Answer key", 1)[1]
    for qid, q in bank.items():
        assert f"- `{qid}`: **{key_text(q)}**" in key, qid


def test_recipe_builder_shows_a_grading_error_as_a_message_and_keeps_working(monkeypatch):
    r = w.recipe_builder()

    def broken(picked, guesses):
        raise ValueError("picked = ['X'] are not signals of this exercise")

    monkeypatch.setattr(m, "grade_recipe", broken)
    r.check_button.click()
    assert r.state.message.startswith("picked = ['X']") and r.state.result is None and r.feedback_text == ""
    assert "That choice cannot be graded: picked = ['X']" in r.message_text
    monkeypatch.undo()
    r.picks["BMP4"].value = True
    r.check_button.click()
    assert "You found 1 of 7 heart signals" in r.feedback_text and r.message_text == ""
