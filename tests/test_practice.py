"""Start notebook: the warm-up model, figure and slider."""
import pytest
from conftest import MPL

from coursekit.figures.practice import mass_bars
from coursekit.models import practice
from coursekit.widgets.practice import practice_slider
from explorer_helpers import revealed


def test_aspirin_mass_is_n_times_molar_mass():
    assert practice.aspirin_mass_da(10) == pytest.approx(1801.6)      # 10 x 180.16 Da by hand
    assert practice.aspirin_per_antibody() == pytest.approx(832.6, abs=0.1)  # 150000 / 180.16


@pytest.mark.parametrize("bad", [0, -5, 2001, float("nan"), "many"])
def test_aspirin_mass_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="n_molecules"):
        practice.aspirin_mass_da(bad)


def test_mass_bars_structure():
    fig = mass_bars(18_016, 150_000)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([18.016, 150.0])
    assert ax.get_xlabel().startswith("mass (kDa")
    assert [t.get_text() for t in ax.texts] == [" 18 kDa", " 150 kDa"]


@pytest.mark.mpl_image_compare(**MPL)
def test_mass_bars_image():
    return mass_bars(90_080, 150_000)


def test_slider_updates_summary_and_figure():
    w = revealed(practice_slider())
    assert "100 aspirin molecules weigh 18,016 Da" in w.summary_text
    assert "Still lighter" in w.summary_text
    first_img = w.figure.value
    w.controls["n_molecules"].value = 900
    assert "900 aspirin molecules weigh 162,144 Da" in w.summary_text
    assert "Now heavier than one antibody" in w.summary_text and "833" in w.summary_text
    assert w.figure.value != first_img and "162 kDa" in w.figure_alt


def test_slider_shows_a_message_for_bad_input_and_keeps_working():
    w = revealed(practice_slider())
    w.controls["n_molecules"].max = 5000   # an instructor widening the slider past the model's range
    w.controls["n_molecules"].value = 4000
    assert "n_molecules = 4,000 molecules is outside the allowed range 1 to 2,000" in w.message_text
    assert "100 aspirin molecules" in w.summary_text          # last good result kept
    w.controls["n_molecules"].value = 200
    assert w.message_text == "" and "200 aspirin molecules" in w.summary_text


def test_explorer_lines_up_descriptions_when_asked():
    import ipywidgets as widgets
    from coursekit.widgets.explorer import Explorer, View
    sliders = {"a": widgets.IntSlider(description="short"), "b": widgets.IntSlider(description="a much longer label")}
    e = Explorer("t", "p", sliders, lambda a, b: View([f"{a + b}"]), columns=1, description_width="250px")
    assert [s.style.description_width for s in sliders.values()] == ["250px", "250px"]
    assert [s.layout.width for s in sliders.values()] == ["96%", "96%"]
    assert e.summary_text == "0"
