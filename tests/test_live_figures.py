"""Figures the explorers redraw in place (LiveFigure) draw exactly what a freshly built figure draws.

An explorer keeps one LiveFigure and moves its artists on every change; some also redraw only their moving
artists over a kept picture of the rest (BlitCanvas). Both are speed-ups only: after any sequence of updates the
PNG must equal, pixel for pixel, matplotlib's full drawing (savefig) of a new figure built for the same settings.
"""
from __future__ import annotations

import base64
import io
import random
import re
import struct
import zlib

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from coursekit.display import figure_png, img_tag
from coursekit.figures import (biologics as f_bio, capstone as f_cap, discovery as f_disc, manufacturing as f_mfg,
                               practice as f_practice, stem_cells as f_stem)
from coursekit.figures._canvas import BlitCanvas
from coursekit.models import (biologics as m_bio, capstone as m_cap, discovery as m_disc, manufacturing as m_mfg,
                              stem_cells as m_stem)


def pixels(fig) -> np.ndarray:
    """What the explorer sends: figure_png, which redraws in place (quick draws where the figure allows them)."""
    return np.asarray(Image.open(io.BytesIO(figure_png(fig))).convert("RGB"))


def saved(fig) -> np.ndarray:
    """matplotlib's own full drawing (savefig draws every artist, in its own order)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return np.asarray(Image.open(buffer).convert("RGB"))


def _highlight(rng):
    keys = [i.key for i in m_bio.ladder_items()]
    return (tuple(rng.choice(keys) for _ in range(2)),)   # the size comparer's two picks (may be the same)


class _Placements:
    """The concept-map builder's settings as a learner changes them: one to three slots at a time (a label placed,
    changed or taken back), each checked (a tick or a cross) or, now and then, not."""

    def __init__(self) -> None:
        self.placements: dict[str, str | None] = {}

    def __call__(self, rng):
        labels = m_cap.map_labels()
        for slot in rng.sample(m_cap.map_slots(), rng.choice((1, 1, 2, 3))):
            same_kind = [k for k, v in labels.items() if v["kind"] == slot.kind]
            self.placements[slot.id] = rng.choice([None] + same_kind + [rng.choice(list(labels))])
        marks = {sid: m_cap.check_placement(sid, label)[0] for sid, label in self.placements.items()
                 if label and rng.random() < 0.9}
        return dict(self.placements), marks


def _cell_type(rng):
    return (rng.choice(list(m_stem.STEM_CELL_TYPES)),)


def _mass(rng):
    n = rng.choice(range(10, 830, 10)) if rng.random() < 0.7 else rng.choice(range(10, 2001, 10))
    return (n * 180.16, 150_000.0)


def _dose(rng):
    return (m_disc.dose_response(10 ** rng.uniform(-1, 4), 10 ** rng.uniform(0, 5), rng.choice([0.5, 1.0, 1.7, 3.0]),
                                 rng.choice(range(55, 101, 5)), rng.choice(range(0, 50, 5))),)


def _batch(rng):
    return (rng.choice([4768.0, 4768.0, 10 ** rng.uniform(-1.5, 6)]),)


def _plate(rng):
    n_wells = rng.choice((96, 384, 1536))
    n_candidates = rng.choice((10, 300, 10_000, 10_000, 50_000))   # beyond one plate, plate 1 looks the same
    return (m_disc.simulate_plate(n_wells, n_candidates, rng.choice((100.0, 100.0, 40.0)), rng.choice((6.0, 15.0))),)


class _Bioreactor:
    """Random fed-batch runs; now and then the same run again, as new arrays (the volume control changes no curve)."""

    def __init__(self) -> None:
        self.last: tuple | None = None

    def __call__(self, rng):
        if self.last is None or rng.random() > 0.2:
            r = m_mfg.simulate_fed_batch(seeding_vcd_cells_per_ml=rng.uniform(0.1, 2) * 1e6,
                                         growth_rate_per_h=rng.uniform(0.01, 0.06),
                                         peak_vcd_cells_per_ml=rng.uniform(5, 30) * 1e6,
                                         qp_pg_per_cell_day=rng.uniform(5, 50), run_length_days=rng.randint(5, 21),
                                         volume_l=2000)
            self.last = (r.days, r.vcd_cells_per_ml, r.titer_curve_g_per_l)
        return tuple(np.copy(a) for a in self.last)


def _cell_dose(rng):
    product = rng.choice(list(m_mfg.PRODUCTS))
    weight = rng.uniform(3, 150)
    c = m_mfg.cell_dose(weight, 10 ** rng.uniform(5, 8.5), rng.uniform(0.3, 1), 10 ** rng.uniform(5, 11),
                        rng.uniform(0.5, 7), product)
    minimum = m_mfg.PRODUCTS[product].minimum_per_kg()
    return (c.starting_cells, c.cells_to_manufacture, c.dose_cells, None if minimum is None else minimum * weight,
            m_mfg.PRODUCTS[product].cell_name)


def _pool(rng):
    p_ss = rng.choice([0.0, 0.05, 0.25, 0.3, 0.5, 1.0])
    p_dd = rng.choice([p for p in (0.0, 0.2, 0.25, 0.5, 1.0) if p + p_ss <= 1])
    generations, start, seed = rng.choice(range(5, m_stem.MAX_GENERATIONS + 1, 5)), rng.choice((10, 100, 1000)), \
        rng.randint(1, 10)
    return (m_stem.expected_pool(p_ss, p_dd, generations, start),
            m_stem.simulate_pool(p_ss, p_dd, generations, start, seed), m_stem.regime(p_ss, p_dd))


# (LiveFigure as its explorer builds it, the figure function that builds a fresh one, random settings, takes a
# shortcut: redraws only what moves, or nothing when its inputs did not change)
LIVE = {
    "biologics.LadderFigure": (lambda: f_bio.LadderFigure(m_bio.ladder_items(), values_for="highlighted"),
                               lambda highlight: f_bio.size_ladder(m_bio.ladder_items(), highlight, "highlighted"),
                               _highlight, True),
    "capstone.LearnerMap": (f_cap.LearnerMap, f_cap.learner_map, _Placements(), True),
    "practice.MassBars": (f_practice.MassBars, f_practice.mass_bars, _mass, True),
    "discovery.DoseFigure": (f_disc.DoseFigure, f_disc.dose_response_curves, _dose, True),
    "manufacturing.BatchFigure": (f_mfg.BatchFigure, f_mfg.batch_comparison_bars, _batch, True),
    "discovery.PlateFigure": (f_disc.PlateFigure, f_disc.screening_plate, _plate, True),
    "manufacturing.BioreactorFigure": (f_mfg.BioreactorFigure, f_mfg.bioreactor_curves, _Bioreactor(), True),
    "manufacturing.CellDoseFigure": (f_mfg.CellDoseFigure, f_mfg.cell_dose_bars, _cell_dose, True),
    "stem_cells.PoolFigure": (f_stem.PoolFigure, f_stem.pool_growth, _pool, True),
    "stem_cells.PotencyFigure": (f_stem.PotencyFigure, f_stem.potency_reach, _cell_type, True),
}


STEPS = 60   # random settings per figure, one after another on the same live figure


@pytest.mark.parametrize("name", LIVE)
def test_a_figure_redrawn_in_place_equals_a_fresh_one(name):
    cls, fresh, settings, quick = LIVE[name]
    rng = random.Random(name)
    live = cls()
    for step in range(STEPS):
        args = settings(rng)
        drawn, expected = pixels(live.update(*args)), saved(fresh(*args))
        assert drawn.shape == expected.shape, f"{name}, update {step}: size {drawn.shape} != {expected.shape}"
        differ = int((drawn != expected).any(axis=2).sum())
        assert differ == 0, f"{name}, update {step} ({args!r:.120}): {differ} pixels differ from a fresh figure"
    canvas = live.figure.canvas
    if quick:   # the kept picture (or the unchanged one) was used, not only full draws
        assert isinstance(canvas, BlitCanvas) and canvas.quick_draws + canvas.unchanged_draws > 0, \
            f"{name}: never took its shortcut"


@pytest.mark.parametrize("name", ["discovery.PlateFigure", "manufacturing.BatchFigure"])
def test_equal_inputs_draw_nothing_new(name):
    cls, _fresh, settings, _quick = LIVE[name]
    live = cls()
    args = settings(random.Random(name))
    first = figure_png(live.update(*args))
    canvas = live.figure.canvas
    drawn = canvas.version
    again = figure_png(live.update(*settings(random.Random(name))))   # equal inputs, new objects
    assert again == first and canvas.version == drawn and canvas.unchanged_draws == 1


def test_a_kept_picture_is_redrawn_when_a_still_artist_changes():
    live = f_disc.DoseFigure()
    curves = m_disc.dose_response(10, 1000, 1.0)
    pixels(live.update(curves))
    pixels(live.update(curves))
    canvas = live.figure.canvas
    assert isinstance(canvas, BlitCanvas) and (canvas.full_draws, canvas.quick_draws) == (1, 1)
    live.axes.set_xlabel("changed on purpose")           # not a moving artist: the kept picture is out of date
    before = pixels(live.update(curves))
    assert canvas.full_draws == 2
    fresh = f_disc.dose_response_curves(curves)
    fresh.axes[0].set_xlabel("changed on purpose")
    assert (before == saved(fresh)).all()


def test_a_picture_saved_after_a_change_is_not_mistaken_for_the_kept_one():
    live = f_practice.MassBars()
    fig = live.update(100 * 180.16, 150_000)
    before = figure_png(fig)
    live.values[0].set_color("red")
    expected = saved(fig)              # savefig draws the changed figure first (its artists are then not stale)
    after = figure_png(fig)
    assert after != before
    assert (np.asarray(Image.open(io.BytesIO(after)).convert("RGB")) == expected).all()


def test_saving_a_redrawn_figure_draws_every_artist():
    live = f_practice.MassBars()
    fig = live.update(100 * 180.16, 150_000)
    shown = pixels(fig)
    pixels(live.update(110 * 180.16, 150_000))           # a quick draw: only the moving artists
    live.update(100 * 180.16, 150_000)
    drawn = saved(fig)
    assert drawn.shape == shown.shape and (drawn == shown).all()


def test_the_concept_map_builder_shows_what_a_fresh_map_draws():
    """The builder's own path: each drop-down change redraws its one map in place (only the parts that changed)."""
    from coursekit.widgets.capstone import concept_map_builder

    builder = concept_map_builder()
    rng = random.Random("concept map")
    dropdowns = list(builder.dropdowns.items())
    for step in range(STEPS):
        sid, dropdown = rng.choice(dropdowns)
        dropdown.value = rng.choice([value for _text, value in dropdown.options])
        data = re.search(r'src="data:image/png;base64,([^"]+)"', builder.figure.value).group(1)
        shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
        expected = saved(f_cap.learner_map(builder.placements, builder.marks))
        differ = int((shown != expected).any(axis=2).sum())
        assert differ == 0, f"step {step} ({sid} = {dropdown.value!r}): {differ} pixels differ from a fresh map"
    assert builder.map.figure.canvas.part_draws > 0


def test_figure_png_is_a_valid_png_of_the_drawn_pixels():
    fig = f_bio.factory_diagram()
    png = figure_png(fig)
    Image.open(io.BytesIO(png)).verify()   # signature, chunk order and every CRC
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (800, 330)
    assert (np.asarray(image) == saved(f_bio.factory_diagram())).all()


def _idat(png: bytes) -> bytes:
    """The data of a PNG's IDAT chunks, joined (the zlib stream of its rows)."""
    out, at = b"", 8
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at:at + 4]), png[at + 4:at + 8]
        if kind == b"IDAT":
            out += png[at + 8:at + 8 + length]
        at += 12 + length
    return out


def test_a_redrawn_figure_reuses_unchanged_bands_and_gives_the_same_bytes_as_a_fresh_encoding():
    from coursekit import display
    live = f_bio.LadderFigure(m_bio.ladder_items(), values_for="highlighted")
    for highlight in [("igg", "aspirin"), ("igg", "cho"), ("insulin", "cho"), ("insulin", "cho")]:
        fig = live.update(highlight)
        png = figure_png(fig)
        canvas = fig.canvas
        rgba = np.asarray(canvas.buffer_rgba())
        # byte for byte what an encoding from scratch gives (no kept bands), and a zlib stream whose checksum
        # (Adler-32, combined band by band) zlib itself accepts
        assert _idat(png) == display._zlib_stream(rgba)
        raw = zlib.decompress(_idat(png))
        height, width = rgba.shape[:2]
        rows = np.frombuffer(raw, np.uint8).reshape(height, 1 + 3 * width)
        assert (rows[:, 0] == 0).all() and (rows[:, 1:].reshape(height, width, 3) == rgba[..., :3]).all()
    kept = canvas.coursekit_bands
    assert len(kept) == -(-height // display.BAND_ROWS)   # one entry per band of 32 rows


def test_img_tag_keeps_the_figures_room_while_its_picture_loads():
    """The tag's width and aspect ratio are those of the PNG it carries, so the page lays the figure out before the
    picture is decoded."""
    fig = Figure(figsize=(7.6, 3.4), dpi=100)
    fig.add_subplot().plot([0, 1], [0, 1])
    tag = img_tag(fig, "a line")
    png = base64.b64decode(re.search(r'base64,([^"]+)"', tag).group(1))
    width, height = Image.open(io.BytesIO(png)).size
    assert (width, height) == (760, 340)
    assert f"width:{width}px" in tag and f"aspect-ratio:{width}/{height}" in tag and "height:auto" in tag
    assert 'alt="a line"' in tag and 'class="coursekit-figure"' in tag


def test_adler32_combine_matches_zlib():
    from coursekit.display import _adler32_combine
    rng = random.Random(5)
    for _ in range(50):
        a, b = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000))), \
            bytes(rng.choice((0, 255)) for _ in range(rng.randrange(0, 70000)))
        assert _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


# ---- axes that stay put ---------------------------------------------------------------------------------------
def test_nice_ceiling_is_the_next_round_value_at_or_above():
    from coursekit.figures._canvas import nice_ceiling
    # by hand: the ladder 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 times a power of ten
    cases = {0.345: 0.4, 1.0: 1.0, 1.01: 1.2, 16.3: 20.0, 20.0: 20.0, 23.0: 25.0, 81.0: 100.0, 7.1e-9: 8e-9,
             4768.0: 5000.0}
    for x, expected in cases.items():
        assert nice_ceiling(x) == pytest.approx(expected, rel=1e-12), x
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="positive finite"):
            nice_ceiling(bad)


def test_half_decade_ceiling_steps_by_half_a_decade():
    from coursekit.figures._canvas import half_decade_ceiling
    root10 = 10 ** 0.5
    cases = {1.0: 1.0, 1.5: root10, 3.2: 10.0, 10.0: 10.0, 38_144.0: 1e5, 2.9e9: root10 * 1e9, 0.02: root10 * 1e-2}
    for x, expected in cases.items():
        assert half_decade_ceiling(x) == pytest.approx(expected, rel=1e-12), x
    with pytest.raises(ValueError, match="positive finite"):
        half_decade_ceiling(0.0)


def _explorers():
    from coursekit.widgets import discovery as w_disc, manufacturing as w_mfg, stem_cells as w_stem
    # explorer, the sliders a learner moves one step at a time (those that set an axis' range left out:
    # the run length and the divisions are the x axis itself)
    return {
        "fed-batch": (w_mfg.fed_batch_explorer, ("seeding_million_per_ml", "growth_rate_per_h", "peak_million_per_ml",
                                                 "qp_pg_per_cell_day")),
        "dose calculator": (w_mfg.cell_dose_explorer, ("weight_kg", "dose_million_per_kg", "viability_fraction",
                                                       "starting_million_cells", "doubling_time_days")),
        "one to many": (w_mfg.one_to_many_explorer, ("titer_g_per_l", "patients")),
        "division": (w_stem.division_simulator, ("p_ss", "p_dd", "seed")),
        "screening": (w_disc.screening_plate_explorer, ("n_candidates", "separation", "noise_sd")),
    }


@pytest.mark.parametrize("name", ["fed-batch", "dose calculator", "one to many", "division", "screening"])
def test_most_one_step_changes_keep_the_axes_and_redraw_only_the_data(name, private_progress):
    """A learner's slider steps from the prediction's settings, at random: the axes move in round steps, so at
    least 70 % of the steps redraw only the data over the kept picture (an axis that followed every change, as
    before, would redraw the whole figure every time: 0 %)."""
    from ipywidgets import FloatLogSlider
    make, sliders = _explorers()[name]
    e = make()
    e.predict(e.item.choices[0].id if e.item.choices else str(e.item.number.min), "sure")
    e.commit()
    if e.stage == "read":
        e.skip_reading()
    rng, kept, steps = random.Random(name), 0, 80
    for _ in range(steps):
        control = e.controls[rng.choice(sliders)]
        before = e.last_view.figure.canvas.full_draws
        if isinstance(control, FloatLogSlider):
            value = control.value * 10 ** (rng.choice((-1, 1)) * control.step)
        else:
            value = control.value + rng.choice((-1, 1)) * control.step
        control.value = min(max(value, control.min if not isinstance(control, FloatLogSlider)
                                else control.base ** control.min),
                            control.max if not isinstance(control, FloatLogSlider) else control.base ** control.max)
        canvas = e.last_view.figure.canvas
        assert isinstance(canvas, BlitCanvas)
        kept += canvas.full_draws == before
    assert kept >= 0.7 * steps, f"{name}: only {kept} of {steps} one-step changes kept the axes"


def test_the_potency_figure_is_built_once_and_each_cell_type_repaints_only_what_changes():
    """Choosing a cell type for the first time used to build and draw a whole new figure (100-300 ms in the kernel);
    now the one figure restyles its boxes and list, and only the parts where they changed are painted again."""
    live = f_stem.PotencyFigure()
    figure = live.figure
    for name in [*m_stem.STEM_CELL_TYPES, *reversed(m_stem.STEM_CELL_TYPES)]:
        assert live.update(name) is figure
        figure_png(figure)
    canvas = figure.canvas
    assert isinstance(canvas, BlitCanvas) and canvas.full_draws == 1
    assert canvas.part_draws >= 2 * len(m_stem.STEM_CELL_TYPES) - 2   # every change of type after the first draw
    chosen = [t.get_text() for t in live.cells.values() if t.get_text().startswith("▶")]
    assert chosen == [f"▶ {next(iter(m_stem.STEM_CELL_TYPES.values())).short}"]
