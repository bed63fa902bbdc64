"""Notebook 03, the manufacturing divide: fed-batch model, dose calculator, batch comparison, figures, explorers."""
import math
import re

import numpy as np
import pytest
from conftest import MPL, ROOT

from coursekit import facts, questions
from coursekit.figures import manufacturing as figs
from coursekit.models import manufacturing as m
from coursekit.widgets import manufacturing as w
from explorer_helpers import revealed


# ---- fed-batch model ---------------------------------------------------------------------------------------
def test_titer_is_qp_times_ivcd_fact_sheet_example():
    # Fact sheet section 3 derived check: 30 pg/cell/day x 150 x 10^6 cell-day/mL = 4.5 g/L.
    assert m.titer_from_ivcd_g_per_l(30, 150e6) == pytest.approx(4.5)


def test_logistic_starts_at_seeding_and_approaches_peak():
    t = np.array([0.0, 60.0])
    x = m.viable_cell_density(t, 0.5e6, 20e6, 0.03)
    assert x[0] == pytest.approx(0.5e6)
    assert x[1] == pytest.approx(20e6, rel=1e-6)
    # early on the culture doubles in ln2/mu hours: 23.1 h at mu = 0.03 /h (fact sheet: t_d ~23 h)
    assert m.viable_cell_density(math.log(2) / 0.03 / 24, 0.5e6, 1e12, 0.03) == pytest.approx(1e6, rel=1e-5)


def test_analytic_ivcd_matches_numerical_integral():
    t = np.linspace(0, 14, 200001)
    x = m.viable_cell_density(t, 0.5e6, 20e6, 0.03)
    numeric = np.sum((x[1:] + x[:-1]) / 2 * np.diff(t))
    assert m.integral_viable_cell_density(14, 0.5e6, 20e6, 0.03) == pytest.approx(numeric, rel=1e-6)
    # hand calculation: (Xmax/mu) ln((39 + e^(0.72*14)) / 40) = 27.78e6 * ln(597.5) = 177.6e6 cell-days/mL
    assert m.integral_viable_cell_density(14, 0.5e6, 20e6, 0.03) == pytest.approx(177.6e6, rel=1e-3)


def test_default_run_reproduces_fact_sheet_titers_and_yields():
    r = m.simulate_fed_batch()
    assert 3.0 <= r.titer_g_per_l <= 5.0            # model note: roughly 3-5 g/L at day 14
    assert r.titer_g_per_l == pytest.approx(20e-12 * 177.58e6 * 1000, rel=1e-3)
    assert r.harvest_g == pytest.approx(r.titer_g_per_l * 2000)
    assert r.purified_g == pytest.approx(r.harvest_g * 0.7)
    assert r.doses == int(r.purified_g * 1000 // 40) == 124303
    assert r.patient_years == pytest.approx(124303 * 14 / 365)
    assert r.host_cells_discarded == pytest.approx(r.vcd_cells_per_ml[-1] * 2000 * 1000)
    assert r.days[0] == 0 and r.days[-1] == 14


def test_doubling_qp_doubles_titer():
    a, b = m.simulate_fed_batch(qp_pg_per_cell_day=15), m.simulate_fed_batch(qp_pg_per_cell_day=30)
    assert b.titer_g_per_l == pytest.approx(2 * a.titer_g_per_l)


@pytest.mark.parametrize("name, bad", [
    ("seeding_vcd_cells_per_ml", 0), ("seeding_vcd_cells_per_ml", 6e6), ("growth_rate_per_h", -0.01),
    ("growth_rate_per_h", 0.5), ("peak_vcd_cells_per_ml", 40e6), ("qp_pg_per_cell_day", 60),
    ("qp_pg_per_cell_day", float("nan")), ("run_length_days", 0), ("volume_l", 50000), ("dose_mg", 0),
    ("recovery_fraction", 1.5), ("volume_l", "big"),
])
def test_fed_batch_rejects_out_of_range(name, bad):
    with pytest.raises(ValueError, match=name):
        m.simulate_fed_batch(**{name: bad})


def test_peak_must_exceed_seeding():
    with pytest.raises(ValueError, match="peak_vcd_cells_per_ml .* greater than the seeding"):
        m.simulate_fed_batch(seeding_vcd_cells_per_ml=2e6, peak_vcd_cells_per_ml=1.5e6)


# ---- one-to-many ------------------------------------------------------------------------------------------
def test_compare_batches_by_hand():
    c = m.compare_batches(2000, 2.56, 10000)
    # 2.56 g/L x 2000 L x 0.7 = 3584 g = 89,600 doses of 40 mg; a patient needs 365/14 = 26.07 doses a year
    assert c.doses_per_run == 89600
    assert c.patients_per_run == pytest.approx(89600 / (365 / 14))
    assert c.bioreactor_runs_needed == 3 and c.autologous_batches_needed == 10000


@pytest.mark.parametrize("kwargs, name", [
    (dict(volume_l=0, titer_g_per_l=2, patients=10), "volume_l"),
    (dict(volume_l=2000, titer_g_per_l=20, patients=10), "titer_g_per_l"),
    (dict(volume_l=2000, titer_g_per_l=2, patients=0), "patients"),
])
def test_compare_batches_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        m.compare_batches(**kwargs)


# ---- cell-therapy dose -----------------------------------------------------------------------------------
def test_cell_dose_cord_blood_worked_example():
    # A 70-kg adult needs 70 x 2.5e7 = 1.75e9 TNC, about 2.5 typical units. The cord-blood minimum counts all
    # nucleated cells at freezing, so viability is not divided in (it is checked separately for release).
    r = m.cell_dose(70, 2.5e7, 0.92, 6.97e8, 2.8, "cord")
    assert r.dose_cells == pytest.approx(1.75e9)
    assert r.cells_to_manufacture == pytest.approx(1.75e9)
    assert r.fold_expansion == pytest.approx(1.75e9 / 6.97e8)
    assert r.doublings == pytest.approx(math.log2(1.75e9 / 6.97e8))
    assert r.days_in_culture == pytest.approx(r.doublings * 2.8)
    assert r.flags == ()


def test_cell_dose_no_expansion_when_start_suffices():
    r = m.cell_dose(10, 2e6, 1.0, 1e9, 2.8, "cd34")
    assert r.fold_expansion == pytest.approx(0.02) and r.doublings == 0 and r.days_in_culture == 0


def test_eight_doublings_is_256_fold():
    r = m.cell_dose(1, 256e6, 1.0, 1e6, 2.0, "cord")
    assert r.doublings == pytest.approx(8) and r.days_in_culture == pytest.approx(16)


def test_flags_against_published_limits():
    low_dose = m.cell_dose(70, 1.5e6, 0.9, 1e6, 2, "cd34").flags
    assert len(low_dose) == 1 and "below the published minimum" in low_dose[0] and "2 × 10^6" in low_dose[0]
    assert m.cell_dose(70, 2e6, 0.9, 1e6, 2, "cd34").flags == ()            # exactly at the minimum is fine
    dead = m.cell_dose(70, 5e6, 0.65, 1e6, 2, "cd34").flags
    assert len(dead) == 1 and "release limit" in dead[0] and "70%" in dead[0]
    cart = m.cell_dose(60, 6e6, 0.9, 1e6, 2, "cart").flags
    assert any("above the labelled range" in f for f in cart) and any("50 kg" in f for f in cart)
    assert any("below" in f for f in m.cell_dose(20, 0.1e6, 0.9, 1e6, 2, "cart").flags)


@pytest.mark.parametrize("kwargs, name", [
    (dict(weight_kg=0), "weight_kg"), (dict(weight_kg=500), "weight_kg"), (dict(dose_per_kg=10), "dose_per_kg"),
    (dict(viability_fraction=0), "viability_fraction"), (dict(viability_fraction=1.2), "viability_fraction"),
    (dict(starting_cells=1), "starting_cells"), (dict(doubling_time_days=0), "doubling_time_days"),
    (dict(product="pills"), "product"),
])
def test_cell_dose_rejects_bad_input(kwargs, name):
    args = dict(weight_kg=70, dose_per_kg=5e6, viability_fraction=0.9, starting_cells=1e6, doubling_time_days=2.8,
                product="cd34")
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        m.cell_dose(**args)


def test_sourced_values_match_fact_sheet():
    v = facts.value
    assert v("mfg_cho_growth_rate_per_h") == 0.03 and v("mfg_seeding_vcd_cells_per_ml") == 0.5e6
    assert v("mfg_cd34_dose_min_per_kg") == 2e6 and v("mfg_cd34_dose_optimal_per_kg") == 5e6
    assert v("mfg_cord_tnc_min_per_kg") == 2.5e7 and v("mfg_viability_release_min_fraction") == 0.7
    assert v("mfg_downstream_recovery_fraction") == 0.7 and v("mfg_single_use_bioreactor_l") == 2000
    assert facts.get("mfg_stainless_bioreactor_l").high == 20000
    assert math.log(2) / v("mfg_cho_growth_rate_per_h") == pytest.approx(v("mfg_cho_doubling_time_h"), abs=0.2)
    assert "NOT retrieved" in facts.get("mfg_viability_release_min_fraction").source


# ---- figures ---------------------------------------------------------------------------------------------
def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_manufacturing_lines_structure():
    fig = figs.manufacturing_lines()
    assert len(fig.axes) == 2
    texts = " ".join(_texts(fig))
    assert texts.count("Reaches the patient") == 2
    assert "antibody MOLECULES" in texts and "LIVING CELLS" in texts
    assert "ALL host cells" in texts and "at least 70%" in texts
    assert texts.count("kept:") == 10 and texts.count("thrown away:") >= 5
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Protein biologic (antibody)",
                                                             "Cell therapy (e.g. stem cells)"]


def test_bioreactor_curves_structure():
    r = m.simulate_fed_batch()
    fig = figs.bioreactor_curves(r.days, r.vcd_cells_per_ml, r.titer_curve_g_per_l)
    left, right = fig.axes
    assert left.lines[0].get_ydata()[-1] == pytest.approx(r.vcd_cells_per_ml[-1] / 1e6)
    assert right.lines[0].get_ydata()[-1] == pytest.approx(r.titer_g_per_l)
    assert left.get_ylabel() == "million cells per mL" and right.get_ylabel() == "grams per litre"
    assert f"harvest: {r.titer_g_per_l:.2f} g/L" in _texts(fig)


def test_cell_dose_bars_structure():
    fig = figs.cell_dose_bars(6.97e8, 1.9e9, 1.75e9, 1.75e9, "nucleated cells")
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == pytest.approx([6.97e8, 1.9e9, 1.75e9, 1.75e9])
    assert ax.get_xscale() == "log" and "nucleated cells" in ax.get_xlabel()
    assert [t.get_text() for t in ax.texts] == ["697 million", "1.9 billion", "1.75 billion", "1.75 billion"]
    assert len(figs.cell_dose_bars(1e6, 2e6, 1e6, None, "x").axes[0].patches) == 3


def test_batch_comparison_bars_structure():
    fig = figs.batch_comparison_bars(4768)
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == pytest.approx([4768, 1])
    assert [t.get_text() for t in ax.texts] == ["4,768", "1"]


@pytest.mark.mpl_image_compare(**MPL)
def test_manufacturing_lines_image():
    return figs.manufacturing_lines()


@pytest.mark.mpl_image_compare(**MPL)
def test_bioreactor_curves_image():
    r = m.simulate_fed_batch()
    return figs.bioreactor_curves(r.days, r.vcd_cells_per_ml, r.titer_curve_g_per_l)


@pytest.mark.mpl_image_compare(**MPL)
def test_cell_dose_bars_image():
    return figs.cell_dose_bars(6.97e8, 1.9e9, 1.75e9, 1.75e9, "nucleated cells")


@pytest.mark.mpl_image_compare(**MPL)
def test_batch_comparison_bars_image():
    return figs.batch_comparison_bars(4768)


# ---- explorers -------------------------------------------------------------------------------------------
def test_fed_batch_explorer_default_and_change():
    e = revealed(w.fed_batch_explorer(), qp_pg_per_cell_day=20)
    assert "titer 3.55 g/L" in e.summary_text and "124,303 doses of 40 mg" in e.summary_text
    assert "4,768 patients" in e.summary_text and "39.9 trillion cells" in e.summary_text
    img = e.figure.value
    e.controls["qp_pg_per_cell_day"].value = 40
    assert "titer 7.10 g/L" in e.summary_text and e.figure.value != img and "7.10 g/L" in e.figure_alt
    e.controls["volume_l"].value = 20000
    assert "In 20,000 L" in e.summary_text and "142.06 kg" in e.summary_text


def test_fed_batch_explorer_flags_unrealistic_titer():
    e = revealed(w.fed_batch_explorer(), qp_pg_per_cell_day=20)
    e.controls["qp_pg_per_cell_day"].value = 50
    e.controls["peak_million_per_ml"].value = 35
    assert "beyond what commercial processes report" in e.summary_text


def test_fed_batch_explorer_bad_input_message_then_recovers():
    e = revealed(w.fed_batch_explorer(), qp_pg_per_cell_day=20)
    e.controls["seeding_million_per_ml"].value = 2.0
    good = e.summary_text
    e.controls["peak_million_per_ml"].min = 1            # an instructor widening a slider past the model's limits
    e.controls["peak_million_per_ml"].value = 1.5        # below the 2 million/mL seeding density
    assert "greater than the seeding density" in e.message_text
    assert e.summary_text == good                        # last good result kept
    e.controls["peak_million_per_ml"].value = 25
    assert e.message_text == "" and e.summary_text != good and "Harvest on day 14" in e.summary_text


def test_cell_dose_explorer_default_change_and_flags():
    e = revealed(w.cell_dose_explorer())
    assert "1.75 billion nucleated cells" in e.summary_text and "2.5-fold expansion" in e.summary_text
    assert "1.3 doublings" in e.summary_text and "3.7 days" in e.summary_text and "⚠" not in e.summary_text
    e.controls["weight_kg"].value = 20
    assert "no expansion needed" in e.summary_text
    e.controls["viability_fraction"].value = 0.6
    assert "Viability below the release limit" in e.summary_text
    e.controls["product"].value = "cd34"
    e.controls["dose_million_per_kg"].value = 1.0
    assert "below the published minimum" in e.summary_text and "CD34+" in e.summary_text


def test_cell_dose_explorer_bad_input_message_then_recovers():
    e = revealed(w.cell_dose_explorer())
    e.controls["weight_kg"].max = 500
    e.controls["weight_kg"].value = 300
    assert "weight_kg = 300 kg is outside the allowed range 1 to 200 kg" in e.message_text
    assert "1.75 billion" in e.summary_text
    e.controls["weight_kg"].value = 35
    assert e.message_text == "" and "875 million nucleated cells" in e.summary_text


def test_one_to_many_explorer():
    e = revealed(w.one_to_many_explorer())
    assert "89,600 doses" in e.summary_text and "3,437 patients" in e.summary_text
    assert "3 bioreactor run(s)" in e.summary_text and "10,000 autologous cell batches" in e.summary_text
    e.controls["volume_l"].value = 15000
    assert "One 15,000 L run" in e.summary_text and "1 bioreactor run(s)" in e.summary_text
    assert "one autologous cell batch treats 1 patient" in e.figure_alt


# ---- question bank and instructor guide ------------------------------------------------------------------
def test_question_bank_has_checks_with_feedback():
    bank = questions.load_bank(questions.QUESTIONS_DIR / "03_manufacturing_divide.json")
    assert len(bank) >= 2
    for q in bank.values():
        assert all(len(o.feedback) > 40 for o in q.options)


def test_instructor_answer_key_matches_bank():
    from coursekit.models.assessment import key_text
    guide = (ROOT / "instructors/03_manufacturing_divide.md").read_text(encoding="utf-8")
    key = guide.split("## Answer key", 1)[1]
    bank = questions.load_bank(questions.QUESTIONS_DIR / "03_manufacturing_divide.json")
    for qid, q in bank.items():
        line = re.search(rf"^- `{qid}`: \*\*(.+?)\*\* \(", key, re.M)
        assert line, f"no answer-key line for {qid}"
        assert line.group(1) == key_text(q)


def test_notebook_helpers_show_figures_with_alt_text_and_the_comparison_table():
    lines = w.manufacturing_lines_figure()
    assert "antibody molecules with no cells" in lines.alt and "living cells" in lines.alt
    curves = w.default_bioreactor_figure()
    assert "3.55 g/L" in curves.alt and "0.5 to 20.0 million" in curves.alt
    table = w.comparison_table().data
    assert "| **Patients treated** | 4,768 for a whole year | 1 |" in table
    assert "124,303 doses of 40 mg" in table and "39.9 trillion host cells" in table
    assert "1 dose of 350 million CD34+ cells" in table       # 5e6/kg x 70 kg, by hand
    assert "collected, not grown: 500 million CD34+ stem cells" in table   # 350 million / 0.7, no cord unit
    assert "1.47 million" not in table


def test_bioreactor_options_are_the_sourced_volumes():
    assert [v for _, v in w.bioreactor_options()] == [2000, 6000, 10000, 15000, 20000]
    assert w.bioreactor_options()[0][0] == "2,000 L single-use"


def test_whole_doses_is_robust_to_float_round_off():
    # 2.57 g/L x 2,000 L x 70 % recovery = 3,598 g = 3,598,000 mg -> 89,950 doses of 40 mg, by hand.
    assert m.whole_doses(2.57 * 2000 * 0.7 * 1000, 40) == 89_950
    assert m.whole_doses(79.99, 40) == 1
