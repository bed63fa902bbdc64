"""Notebook 02 (stem cells): division model, potency data, figures, the two explorers and the question bank."""
import math

import numpy as np
import pytest
from conftest import MPL

from coursekit import facts
from coursekit.figures import stem_cells as figs
from coursekit.models import stem_cells as model
from coursekit.questions import QUESTIONS_DIR, load_bank
from coursekit.widgets.stem_cells import division_simulator, potency_explorer, potency_view

HSC = "hematopoietic (blood) stem cell (HSC)"
ESC = "embryonic stem cell (ESC)"
IPSC = "induced pluripotent stem cell (iPSC)"
FIBROBLAST = "skin fibroblast (not a stem cell)"


# ---- division model: hand calculations -------------------------------------------------------------
def test_fates_sum_to_one_and_p_a_is_the_rest():
    assert model.fate_probabilities(0.25, 0.25) == pytest.approx((0.25, 0.5, 0.25))
    assert model.fate_probabilities(0.3, 0.2) == pytest.approx((0.3, 0.5, 0.2))
    assert model.fate_probabilities(0.6, 0.4) == pytest.approx((0.6, 0.0, 0.4))   # sum exactly 1: no asymmetric


def test_expected_stem_cells_per_division_is_one_plus_imbalance():
    # 2 p_SS + p_A = 2(0.3) + 0.5 = 1.1 by hand; differentiating: p_A + 2 p_DD = 0.5 + 0.4 = 0.9
    assert model.stem_cells_per_division(0.3, 0.2) == pytest.approx(1.1)
    assert model.differentiated_cells_per_division(0.3, 0.2) == pytest.approx(0.9)
    assert model.stem_cells_per_division(0.25, 0.25) == pytest.approx(1.0)
    assert model.stem_cells_per_division(0.0, 1.0) == 0.0
    # every division makes two daughters in total
    for p_ss, p_dd in [(0.1, 0.7), (0.45, 0.05), (0.0, 0.0)]:
        assert (model.stem_cells_per_division(p_ss, p_dd)
                + model.differentiated_cells_per_division(p_ss, p_dd)) == pytest.approx(2.0)


@pytest.mark.parametrize("p_ss, p_dd, expected", [
    (0.25, 0.25, model.STEADY_STATE), (0.0, 0.0, model.STEADY_STATE), (0.5, 0.5, model.STEADY_STATE),
    (0.3, 0.2, model.EXPANSION), (0.2, 0.3, model.EXHAUSTION), (0.35, 0.35, model.STEADY_STATE),
])
def test_regime(p_ss, p_dd, expected):
    assert model.regime(p_ss, p_dd) == expected


def test_ten_percent_imbalance_doubles_in_about_seven_divisions():
    # ln 2 / ln 1.1 = 7.2725 (published arithmetic in the fact sheet: ~7.3); halving ln 2 / -ln 0.9 = 6.579
    assert model.divisions_to_double_or_halve(0.3, 0.2) == pytest.approx(7.2725, abs=1e-3)
    assert model.divisions_to_double_or_halve(0.2, 0.3) == pytest.approx(6.5788, abs=1e-3)
    assert model.divisions_to_double_or_halve(0.3, 0.2) == pytest.approx(
        facts.value("stem_fate_doubling_divisions"), abs=0.05)
    assert 1 + facts.value("stem_fate_imbalance_fraction") == pytest.approx(
        facts.value("stem_fate_growth_factor_per_division"))
    assert model.divisions_to_double_or_halve(1.0, 0.0) == pytest.approx(1.0)       # doubles every division
    assert model.divisions_to_double_or_halve(0.25, 0.25) == math.inf
    assert model.divisions_to_double_or_halve(0.0, 1.0) == 0.0


def test_expected_pool_by_hand():
    run = model.expected_pool(0.3, 0.2, 3, 100)
    assert run.stem_cells == pytest.approx([100, 110, 121, 133.1])
    # differentiated made: 0.9 per dividing stem cell: 90, +99, +108.9
    assert run.differentiated_cells == pytest.approx([0, 90, 189, 297.9])
    steady = model.expected_pool(0.25, 0.25, 30, 100)
    assert steady.stem_cells == pytest.approx(np.full(31, 100.0))
    assert steady.differentiated_cells[-1] == pytest.approx(3000)


def test_expected_pool_doubles_after_the_doubling_time():
    t2 = model.divisions_to_double_or_halve(0.3, 0.2)
    run = model.expected_pool(0.3, 0.2, 60, 100)
    assert 100 * 1.1 ** t2 == pytest.approx(200)
    assert run.stem_cells[7] < 200 < run.stem_cells[8]


def test_simulation_is_seeded_and_conserves_cells():
    a = model.simulate_pool(0.3, 0.2, 30, 100, seed=1)
    b = model.simulate_pool(0.3, 0.2, 30, 100, seed=1)
    c = model.simulate_pool(0.3, 0.2, 30, 100, seed=2)
    assert np.array_equal(a.stem_cells, b.stem_cells)
    assert not np.array_equal(a.stem_cells, c.stem_cells)
    # each division turns 1 stem cell into 2 daughters: stem + differentiated grows by the dividing stem cells
    total = a.stem_cells + a.differentiated_cells
    assert np.diff(total) == pytest.approx(a.stem_cells[:-1])
    assert np.all(a.stem_cells == np.round(a.stem_cells))


def test_simulation_mean_matches_the_expected_value():
    finals = [model.simulate_pool(0.3, 0.2, 10, 100, seed=s).stem_cells[-1] for s in range(200)]
    assert np.mean(finals) == pytest.approx(100 * 1.1 ** 10, rel=0.03)


def test_only_asymmetric_divisions_keep_the_pool_exactly_constant():
    run = model.simulate_pool(0.0, 0.0, 20, 100, seed=3)
    assert np.all(run.stem_cells == 100) and run.differentiated_cells[-1] == 2000


def test_simulation_stops_at_extinction_and_at_the_cap():
    gone = model.simulate_pool(0.0, 1.0, 30, 100, seed=1)
    assert gone.extinct_at == 1 and list(gone.stem_cells) == [100, 0] and gone.differentiated_cells[-1] == 200
    big = model.simulate_pool(1.0, 0.0, 60, 1000, seed=1)
    assert big.capped_at == 10 and big.stem_cells[-1] == 1000 * 2 ** 10 > model.POOL_CAP_CELLS


def test_hsc_years_uses_forty_week_divisions():
    assert model.hsc_years(7.2725) == pytest.approx(7.2725 * 40 * 7 / 365.25)


@pytest.mark.parametrize("call, name", [
    (lambda: model.fate_probabilities(-0.1, 0.2), "p_ss"),
    (lambda: model.fate_probabilities(0.2, 1.5), "p_dd"),
    (lambda: model.fate_probabilities(0.7, 0.4), r"p_ss \+ p_dd = 1.10 is outside the allowed range 0 to 1"),
    (lambda: model.fate_probabilities(float("nan"), 0.2), "p_ss"),
    (lambda: model.expected_pool(0.2, 0.2, 0, 100), "generations"),
    (lambda: model.expected_pool(0.2, 0.2, 61, 100), "generations"),
    (lambda: model.expected_pool(0.2, 0.2, 10, 0), "start_stem_cells"),
    (lambda: model.expected_pool(0.2, 0.2, 10, 2.5), "start_stem_cells"),
    (lambda: model.simulate_pool(0.2, 0.2, 10, 100, seed=-1), "seed"),
    (lambda: model.hsc_years(-1), "divisions"),
    (lambda: model.stem_cell_type("neuron"), "cell_type"),
])
def test_invalid_inputs_raise_valueerror_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---- potency -------------------------------------------------------------------------------------------
def test_potency_levels_and_reach():
    assert model.stem_cell_type(ESC).level == model.stem_cell_type(IPSC).level == "pluripotent"
    assert model.stem_cell_type(HSC).level == "multipotent"
    assert model.stem_cell_type("zygote (fertilised egg)").level == "totipotent"
    esc = model.reach(ESC)
    assert esc["placenta"] is False and all(v for k, v in esc.items() if k != "placenta")   # pluripotent, not toti
    assert model.reach(IPSC) == esc
    assert [k for k, v in model.reach(HSC).items() if v] == ["blood cells"]
    assert all(model.reach("zygote (fertilised egg)").values())
    assert not any(model.reach(FIBROBLAST).values())
    assert set(model.POTENCY_LEVELS) >= {"totipotent", "pluripotent", "multipotent", "unipotent"}
    assert "debated" in model.stem_cell_type("mesenchymal stromal/stem cell (MSC)").note


# ---- figures -------------------------------------------------------------------------------------------
def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_potency_hierarchy_structure():
    fig = figs.potency_hierarchy()
    texts = _texts(fig)
    for word in ("Totipotent", "Pluripotent", "Multipotent", "Unipotent", "zygote", "ESC", "iPSC", "HSC"):
        assert word in texts
    assert not any(t.startswith("▶") for t in texts)
    highlighted = figs.potency_hierarchy(HSC)
    assert "▶ HSC" in _texts(highlighted)
    with pytest.raises(ValueError, match="cell_type"):
        figs.potency_hierarchy("neuron")


def test_potency_reach_structure():
    texts = _texts(figs.potency_reach(HSC))
    assert "▶ HSC" in texts and "What can the HSC become?" in texts
    assert "✓ yes:  blood cells (mesoderm)" in texts
    assert sum(t.startswith("✗ no") for t in texts) == len(model.TARGET_CELL_TYPES) - 1


def test_reprogramming_diagram_structure():
    texts = " ".join(_texts(figs.reprogramming_diagram()))
    for word in ("four factors", "OCT4", "iPSC", "no embryo", "heart muscle", "neurons", "2006", "2007"):
        assert word in texts


def test_blood_lineage_tree_structure():
    texts = " ".join(_texts(figs.blood_lineage_tree()))
    for word in ("HSC", "myeloid", "lymphoid", "red blood cells", "platelets", "T cells", "B cells", "self-renews",
                 "10^{11}"):
        assert word in texts


def test_pool_growth_structure():
    expected = model.expected_pool(0.3, 0.2, 30, 100)
    run = model.simulate_pool(0.3, 0.2, 30, 100, 1)
    fig = figs.pool_growth(expected, run, model.EXPANSION)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title(loc="left") == "Regime: expansion"
    mean_line = ax.lines[0]
    assert mean_line.get_ydata() == pytest.approx(expected.stem_cells)
    assert ax.get_legend() is None and {"stem cells", "differentiated\ncells (total)"} <= set(_texts(fig))
    gone = model.simulate_pool(0.0, 1.0, 30, 100, 1)
    fig = figs.pool_growth(model.expected_pool(0.0, 1.0, 30, 100), gone, model.EXHAUSTION)
    assert any("all gone" in t for t in _texts(fig))
    assert "stem cells: none" in _texts(fig) and "differentiated\ncells (total)" in _texts(fig)
    shrinking = figs.pool_growth(model.expected_pool(0.0, 0.5, 30, 10), model.simulate_pool(0.0, 0.5, 30, 10, 1),
                                 model.EXHAUSTION)
    assert "stem cells → 0" in _texts(shrinking)


@pytest.mark.mpl_image_compare(**MPL)
def test_02_potency_hierarchy_image():
    return figs.potency_hierarchy()


@pytest.mark.mpl_image_compare(**MPL)
def test_02_potency_reach_image():
    return figs.potency_reach(HSC)


@pytest.mark.mpl_image_compare(**MPL)
def test_02_reprogramming_diagram_image():
    return figs.reprogramming_diagram()


@pytest.mark.mpl_image_compare(**MPL)
def test_02_blood_lineage_tree_image():
    return figs.blood_lineage_tree()


@pytest.mark.mpl_image_compare(**MPL)
def test_02_pool_growth_image():
    return figs.pool_growth(model.expected_pool(0.3, 0.2, 30, 100), model.simulate_pool(0.3, 0.2, 30, 100, 1),
                            model.EXPANSION)


# ---- widgets -------------------------------------------------------------------------------------------
def test_division_simulator_starts_balanced_and_reacts_to_sliders():
    w = division_simulator()
    assert "Regime: steady state" in w.summary_text
    assert "p_A = 0.50" in w.summary_text and "1 + p_SS − p_DD = 1.00" in w.summary_text
    first = w.figure.value
    w.controls["p_ss"].value = 0.30
    w.controls["p_dd"].value = 0.20
    assert "Regime: expansion" in w.summary_text
    assert "doubles every 7.3 divisions" in w.summary_text
    assert "about 5.6 years" in w.summary_text           # 7.27 x 40 weeks / 52.18 weeks per year
    assert "expected: 1,745 stem cells" in w.summary_text  # 100 x 1.1^30 = 1744.9
    assert w.figure.value != first and "Regime: expansion" in w.figure_alt
    w.controls["p_ss"].value = 0.20
    w.controls["p_dd"].value = 0.30
    assert "Regime: exhaustion" in w.summary_text and "halves every 6.6 divisions" in w.summary_text


def test_division_simulator_seed_changes_only_the_random_run():
    w = division_simulator()
    before = w.summary_text
    w.controls["seed"].value = 2
    after = w.summary_text
    assert "Random run no. 2" in after and after != before
    expected_line = [s for s in before.split(". ") if s.startswith("After 30 divisions")]
    assert expected_line and expected_line[0] in after


def test_division_simulator_sum_over_one_shows_message_and_keeps_working():
    w = division_simulator()
    w.controls["p_ss"].value = 0.7
    w.controls["p_dd"].value = 0.5
    assert "p_ss + p_dd = 1.20 is outside the allowed range 0 to 1" in w.message_text
    assert "negative probability" in w.message_text
    assert "p_SS = 0.70" in w.summary_text                 # last valid result kept
    w.controls["p_ss"].value = 0.4
    assert w.message_text == "" and "Regime: exhaustion" in w.summary_text and "p_A = 0.10" in w.summary_text


def test_division_simulator_reports_extinction_and_cap():
    w = division_simulator()
    w.controls["p_dd"].value = 1.0
    w.controls["p_ss"].value = 0.0
    assert "the whole pool is used up in a single division" in w.summary_text
    assert "died out after 1 division," in w.summary_text
    w.controls["p_dd"].value = 0.0
    w.controls["p_ss"].value = 1.0
    assert "over a million stem cells" in w.summary_text and "doubles every 1.0 divisions" in w.summary_text


def test_potency_explorer_lists_can_and_cannot():
    w = potency_explorer()
    assert "pluripotent" in w.summary_text and "Cannot become: placenta." in w.summary_text
    w.controls["cell_type"].value = HSC
    assert "multipotent" in w.summary_text
    assert "Can become: blood cells (1 of 8)" in w.summary_text
    assert "neurons" in w.summary_text.split("Cannot become:")[1]
    assert "HSC highlighted" in w.figure_alt
    hsc_image = w.figure.value
    w.controls["cell_type"].value = FIBROBLAST
    assert "none of the listed cell types" in w.summary_text and "iPSC" in w.summary_text
    assert w.figure.value != hsc_image
    w.controls["cell_type"].value = HSC                    # the cached figure for a type seen before
    assert w.figure.value == hsc_image and "Can become: blood cells" in w.summary_text


def test_potency_view_rejects_unknown_cell_types():
    with pytest.raises(ValueError, match="cell_type = 'neuron' is not one of the allowed values"):
        potency_view("neuron")


# ---- question bank -------------------------------------------------------------------------------------
def test_bank_has_the_core_questions():
    bank = load_bank(QUESTIONS_DIR / "02_stem_cells.json")
    assert {"ipsc_origin", "marrow_transplant"} <= set(bank)
    assert "adult cell" in bank["ipsc_origin"].correct_option.text
    assert "Living blood-forming stem cells" in bank["marrow_transplant"].correct_option.text


def test_random_run_depends_on_the_settings_not_on_float_noise():
    a = model.simulate_pool(0.3, 0.25, 30, 100, seed=1)
    b = model.simulate_pool(6 * 0.05, 0.25, 30, 100, seed=1)   # 0.30000000000000004, as a slider may send
    assert list(a.stem_cells) == list(b.stem_cells)


def test_static_figures_carry_alt_text_with_sourced_numbers():
    from coursekit.widgets import stem_cells as stem_widgets
    lineage = stem_widgets.lineage_figure()
    assert "more than 10 to the 11 new blood cells a day" in lineage.alt   # stem_blood_cells_made_per_day = 1e11
    alt = stem_widgets.reprogramming_figure().alt
    assert "four factors" in alt and "OCT4" in alt
    assert "totipotent" in stem_widgets.potency_ladder_figure().alt
