"""Accessibility of the course (issue 9): headings in order, figure contrast and meaning not carried by colour
alone, axe-core on every notebook open in JupyterLab after Run All (and on the static HTML export if it exists),
and one explorer and one check question operated with the keyboard alone, their feedback announced.

Every check is also run on something broken on purpose (the `*_catches_*` tests), so it is shown to fail.
The axe checker is axe-core from the npm registry, pinned in tools/a11y/package.json and package-lock.json;
the tests install it with `npm ci` when tools/a11y/node_modules is missing. JupyterLab's own violations are
listed in docs/accessibility.md (a test keeps that list complete).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import matplotlib
import nbformat
import numpy as np
import pytest
from playwright.sync_api import expect
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.text import Text

import coursekit.figures
from coursekit.figures import class_view as f_class
from coursekit.figures import biologics as f_bio, discovery as f_disc, manufacturing as f_mfg
from coursekit.figures import capstone as f_capstone, practice as f_practice, stem_cells as f_stem
from coursekit.models import biologics as m_bio, discovery as m_disc, manufacturing as m_mfg
from coursekit.models import capstone as m_capstone, stem_cells as m_stem

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DOC = ROOT / "docs" / "accessibility.md"
DECORATIVE = "decorative"  # gid a figure gives an artist that carries no information (guides, background bands)


# ============================================================================ 4. headings in order
def heading_problems(nb) -> list[str]:
    """Exactly one level-1 title, first; no heading deeper than one level below the previous one."""
    levels = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        in_code = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            match = None if in_code else re.match(r"^(#{1,6})\s+(\S.*)$", line)
            if match:
                levels.append((len(match.group(1)), match.group(2).strip()))
    problems = []
    titles = [t for level, t in levels if level == 1]
    if len(titles) != 1:
        problems.append(f"{len(titles)} level-1 titles (need exactly one): {titles}")
    if levels and levels[0][0] != 1:
        problems.append(f"the first heading is not the title: {'#' * levels[0][0]} {levels[0][1]}")
    for (before, _), (level, text) in zip(levels, levels[1:]):
        if level > before + 1:
            problems.append(f"jump from level {before} to level {level} at {'#' * level} {text}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_headings_go_in_order(path):
    problems = heading_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_heading_check_catches_skipped_levels_and_two_titles():
    md = nbformat.v4.new_markdown_cell
    broken = nbformat.v4.new_notebook(cells=[md("# Title\n\nText"), md("### Too deep\n```\n# not a heading\n```"),
                                             md("# Second title")])
    problems = "\n".join(heading_problems(broken))
    assert "jump from level 1 to level 3 at ### Too deep" in problems
    assert "2 level-1 titles" in problems and "not a heading" not in problems
    good = nbformat.v4.new_notebook(cells=[md("# T"), md("## A\n### B"), md("## C")])
    assert heading_problems(good) == []


# ============================================================================ 3. figures: contrast and not colour alone
def _luminance(rgb) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours (anything matplotlib understands), 1 to 21."""
    la, lb = sorted((_luminance(to_rgb(a)), _luminance(to_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _over(colour, alpha: float | None, background) -> tuple:
    """colour with alpha painted over an opaque background."""
    c, bg = to_rgba(colour), to_rgb(background)
    a = c[3] * (1.0 if alpha is None else alpha)
    return tuple(a * c[i] + (1 - a) * bg[i] for i in range(3))


def _visible_face(artist):
    face = artist.get_facecolor()
    if isinstance(face, np.ndarray) and face.ndim == 2:
        face = face[0] if len(face) else (0, 0, 0, 0)
    return None if to_rgba(face)[3] == 0 else face


def _background_at(fig: Figure, ax, point, below: float, exclude=()) -> tuple:
    """The colour under a display point: figure, then axes background, then every filled patch drawn under it."""
    colour = to_rgb(fig.get_facecolor())
    if ax is None or not ax.patch.contains_point(point):
        return colour
    if ax.patch.get_visible() and ax.axison:
        colour = _over(ax.patch.get_facecolor(), ax.patch.get_alpha(), colour)
    under = [(p.get_zorder(), i, p) for i, p in enumerate([*ax.patches, *ax.collections])
             if p.get_visible() and p.get_zorder() <= below and p not in exclude and isinstance(p, Patch)
             and not isinstance(p, FancyArrowPatch)  # arrows are lines, nothing is drawn on them
             and _visible_face(p) is not None and p.contains_point(point)]
    for _, _, p in sorted(under, key=lambda t: t[:2]):
        colour = _over(_visible_face(p), None, colour)
    return colour


def _is_large(text: Text) -> bool:
    """WCAG "large text": at least 18 pt, or 14 pt bold."""
    size, weight = float(text.get_fontsize()), text.get_fontweight()
    bold = weight in ("bold", "heavy", "black", "extra bold", "semibold", "demibold") or \
        (isinstance(weight, (int, float)) and weight >= 600)
    return size >= 18 or (bold and size >= 14)


def _label(artist) -> str:
    text = artist.get_text() if isinstance(artist, Text) else (artist.get_label() or "")
    return f"{type(artist).__name__} {text[:40]!r}"


def contrast_problems(fig: Figure) -> list[str]:
    """Every text under 4.5:1 (large text 3:1) and every line or shape under 3:1 against what is behind it."""
    FigureCanvasAgg(fig).draw()
    problems = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or text.get_alpha() == 0:
            continue
        extent = text.get_window_extent()
        centre = ((extent.x0 + extent.x1) / 2, (extent.y0 + extent.y1) / 2)
        ax = text.axes if text.axes is not None else next((a for a in fig.axes
                                                            if a.patch.contains_point(centre)), None)
        background = _background_at(fig, ax, centre, text.get_zorder())
        box = text.get_bbox_patch()
        if box is not None and box.get_visible() and _visible_face(box) is not None:
            background = _over(_visible_face(box), None, background)
        colour = _over(text.get_color(), text.get_alpha(), background)
        need = 3.0 if _is_large(text) else 4.5
        ratio = contrast(colour, background)
        if ratio < need:
            problems.append(f"text {_label(text)}: {to_hex(colour)} on {to_hex(background)} is {ratio:.2f}:1 "
                            f"(needs {need}:1)")
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for line in ax.lines:
            if not line.get_visible() or line.get_gid() == DECORATIVE:
                continue
            xy = np.asarray(line.get_xydata())
            if not len(xy):
                continue
            point: Any = ax.transData.transform(xy[len(xy) // 2])
            background = _background_at(fig, ax, point, line.get_zorder())
            colours = []
            if line.get_linestyle() not in ("None", "none", "", " "):
                colours.append(line.get_color())
            if line.get_marker() not in (None, "None", "none", ""):
                colours += [c for c in (line.get_markerfacecolor(), line.get_markeredgecolor())
                            if to_rgba(c)[3] > 0]
            best = max((contrast(_over(c, line.get_alpha(), background), background) for c in colours), default=21)
            if best < 3:
                problems.append(f"line {_label(line)} in {ax.get_title()!r}: {best:.2f}:1 (needs 3:1)")
        for shape in [*ax.patches, *ax.collections]:
            if not shape.get_visible() or shape.get_gid() == DECORATIVE:
                continue
            own: list = [shape]
            if isinstance(shape, Patch):
                x0, y0, x1, y1 = shape.get_window_extent().extents
                point = ((x0 + x1) / 2, (y0 + y1) / 2)
                faces: list = [_visible_face(shape)]
                edges: list = [shape.get_edgecolor()] if shape.get_linewidth() > 0 else []
            elif isinstance(shape, Collection) and (len(np.asarray(shape.get_offsets())) or shape.get_paths()):
                offsets = np.asarray(shape.get_offsets())
                point = shape.get_offset_transform().transform(offsets[0]) if len(offsets) else \
                    ax.transData.transform(np.asarray(shape.get_paths()[0].vertices).mean(axis=0))
                faces, edges = list(shape.get_facecolor()), list(shape.get_edgecolor()) \
                    if np.max(shape.get_linewidth(), initial=0) > 0 else []
            else:
                continue
            background = _background_at(fig, ax, point, shape.get_zorder(), exclude=own)
            colours = [c for c in [*faces, *edges] if c is not None and to_rgba(c)[3] > 0]
            if not colours:
                continue
            best = max(contrast(_over(c, None, background), background) for c in colours)
            if best < 3:
                problems.append(f"shape {_label(shape)} ({type(shape).__name__}) in {ax.get_title()!r}: neither "
                                f"fill nor outline reaches 3:1 against {to_hex(background)} (best {best:.2f}:1)")
    return problems


def _chromatic(colour) -> bool:
    """A colour that could stand for a category: not white, grey or black (those carry no hue)."""
    r, g, b = to_rgb(colour)
    return max(r, g, b) - min(r, g, b) > 0.12


def colour_only_problems(fig: Figure) -> list[str]:
    """Axes whose data use several hues for categories, with no legend, direct labels, hatches or markers.

    Counted per axes: the distinct hues of lines, shapes and marker collections (decorative artists aside).
    Enough if the axes (or figure) has a legend, or at least as many text labels as hues (direct labels,
    category tick labels), or as many distinct hatch / marker / line-style looks as hues.
    """
    problems = []
    for ax in fig.axes:
        hues, looks = set(), set()
        for artist in [*ax.lines, *ax.patches, *ax.collections]:
            if not artist.get_visible() or artist.get_gid() == DECORATIVE:
                continue
            look: tuple[Any, Any]
            if isinstance(artist, Line2D):
                colours = [artist.get_color(), artist.get_markerfacecolor()]
                look = (artist.get_linestyle(), str(artist.get_marker()))
            elif isinstance(artist, Patch):
                colours = [c for c in (_visible_face(artist), artist.get_edgecolor()) if c is not None]
                look = (artist.get_hatch() or "", artist.get_linestyle())
            elif isinstance(artist, Collection):
                colours = [*artist.get_facecolor(), *artist.get_edgecolor()]
                paths = [np.asarray(p.vertices).round(2).tolist() for p in artist.get_paths()]
                look = (artist.get_hatch() or "", str(paths)[:200])
            else:
                continue
            chromatic = [to_hex(c) for c in colours if to_rgba(c)[3] > 0 and _chromatic(c)]
            if chromatic:  # one hue per artist: a pale fill and its darker outline are one category
                hues.add(chromatic[0])
                looks.add(look)
        if len(hues) < 2:
            continue
        ticks = [t for t in [*ax.get_xticklabels(), *ax.get_yticklabels()] if re.search("[A-Za-z]", t.get_text())]
        labels = [t for t in [*ax.texts, *ticks, ax.xaxis.label, ax.yaxis.label]
                  if t.get_visible() and t.get_text().strip()]
        if ax.get_legend() is not None or fig.legends or len(labels) >= len(hues) or len(looks) >= len(hues):
            continue
        problems.append(f"axes {ax.get_title()!r}: {len(hues)} colours ({', '.join(sorted(hues))}) but no legend, "
                        f"only {len(labels)} text label(s) and {len(looks)} distinct hatch/marker/line style(s)")
    return problems


# Every figure function, built with the arguments the notebooks and explorers use by default.
def _bioreactor():
    r = m_mfg.simulate_fed_batch()
    return f_mfg.bioreactor_curves(r.days, r.vcd_cells_per_ml, r.titer_curve_g_per_l)


def _class_view():
    """A class view of a generated room (the instructor's class report), built once."""
    import tempfile

    from test_class_view import make_room

    from coursekit import classview
    folder = Path(tempfile.mkdtemp(prefix="a11y-room-"))
    make_room(folder, n=12)
    return classview.collect(folder)


FIGURES = {
    "class_view.figures": lambda: f_class.figures(_class_view())[0][1],
    "class_view.item_figure": lambda: f_class.item_figure(_class_view().items[0]),
    "class_view.misconceptions_figure": lambda: f_class.misconceptions_figure(_class_view().misconceptions,
                                                                             _class_view().learners),
    "biologics.size_ladder": lambda: f_bio.size_ladder(m_bio.ladder_items(), highlight=("aspirin", "igg")),
    "biologics.LadderFigure.update": lambda: f_bio.LadderFigure(m_bio.ladder_items(), values_for="highlighted"
                                                                 ).update(("igg",)),
    "biologics.factory_diagram": f_bio.factory_diagram,
    "biologics.host_growth_chart": lambda: f_bio.host_growth_chart(m_bio.hosts(), chosen="cho"),
    "stem_cells.potency_hierarchy": f_stem.potency_hierarchy,
    "stem_cells.potency_reach": lambda: f_stem.potency_reach("hematopoietic (blood) stem cell (HSC)"),
    "stem_cells.reprogramming_diagram": f_stem.reprogramming_diagram,
    "stem_cells.blood_lineage_tree": f_stem.blood_lineage_tree,
    "stem_cells.pool_growth": lambda: f_stem.pool_growth(m_stem.expected_pool(0.3, 0.2, 30, 100),
                                                         m_stem.simulate_pool(0.3, 0.2, 30, 100, 1), m_stem.EXPANSION),
    "manufacturing.manufacturing_lines": f_mfg.manufacturing_lines,
    "manufacturing.bioreactor_curves": _bioreactor,
    "manufacturing.cell_dose_bars": lambda: f_mfg.cell_dose_bars(6.97e8, 1.9e9, 1.75e9, 1.75e9, "nucleated cells"),
    "manufacturing.batch_comparison_bars": lambda: f_mfg.batch_comparison_bars(4768),
    "discovery.disease_in_a_dish": f_disc.disease_in_a_dish,
    "discovery.screening_plate": lambda: f_disc.screening_plate(m_disc.simulate_plate(384, 10_000, 100, 6)),
    "discovery.dose_response_curves": lambda: f_disc.dose_response_curves(m_disc.dose_response(10, 1000, 2)),
    "capstone.learner_map": lambda: f_capstone.learner_map({s.id: s.answer for s in m_capstone.map_slots()}),
    "practice.mass_bars": lambda: f_practice.mass_bars(90_080, 150_000),
}


def figure_functions() -> set[str]:
    """module.function for every public function of every coursekit.figures module that returns a Figure."""
    names = set()
    for info in pkgutil.iter_modules(coursekit.figures.__path__):
        if info.name.startswith("_"):  # private building blocks (the blank diagram canvas), not figures
            continue
        module = importlib.import_module(f"coursekit.figures.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_") and \
                    "Figure" in str(inspect.signature(fn).return_annotation):
                names.add(f"{info.name}.{name}")
    return names


def test_every_figure_function_is_checked():
    missing = figure_functions() - set(FIGURES)
    assert not missing, f"add these figure functions to FIGURES in {Path(__file__).name}: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_contrast_meets_wcag_aa(name):
    problems = contrast_problems(FIGURES[name]())
    assert not problems, f"{name}: contrast below WCAG AA:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_meaning_not_by_colour_alone(name):
    problems = colour_only_problems(FIGURES[name]())
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_figure_checks_catch_pale_text_thin_pale_lines_and_colour_only_categories():
    with matplotlib.rc_context({"axes.facecolor": "white"}):
        fig = Figure(figsize=(4, 3))
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.plot([0, 1], [0, 1], color="#F0E442")                 # Okabe-Ito yellow line on white: 1.2:1
        ax.plot([0, 1], [1, 0], color="#0072B2")
        ax.bar([2], [1], color="#56B4E9")                        # sky-blue bar with no outline: 2.2:1
        ax.text(0.5, 0.5, "pale note", color="#999999")          # 2.8:1, small text
        ax.text(0.2, 0.8, "on a box", color="black", bbox=dict(facecolor="#333333"))  # black on dark grey
        ax.text(0.5, 0.2, "LARGE", color="#888888", fontsize=20)  # large text 3.5:1: allowed
        ax.axhspan(0.4, 0.6, color="#F6F6F6", gid=DECORATIVE)   # a background band is not a graphic
    problems = "\n".join(contrast_problems(fig))
    assert "'pale note'" in problems and "'on a box'" in problems and "LARGE" not in problems
    assert "Rectangle" in problems and "#0072B2" not in problems
    assert "line Line2D" in problems

    fig = Figure(figsize=(4, 3))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.plot([0, 1], [0, 1], color="#0072B2")
    ax.plot([0, 1], [1, 0], color="#D55E00")                     # two categories told apart by hue only
    assert "2 colours" in "\n".join(colour_only_problems(fig))
    ax.legend(["treated", "control"])
    assert colour_only_problems(fig) == []


# ========================================================================= 1. axe-core in JupyterLab (and the export)
from jupyterlab_page import (NOTEBOOKS as LAB_NOTEBOOKS, PANEL,  # noqa: E402
                             expand_go_deeper, open_and_run_all, output_problems, screenshot)
from tools.labserver import delete_sessions, running_lab  # noqa: E402

from tools.a11y.axe_check import blocking, ensure_installed, run_axe  # noqa: E402

# The course's own content in JupyterLab: every cell output and every rendered markdown cell.
OWN_IN_LAB = ".jp-OutputArea-output, .jp-RenderedMarkdown"
# Serious violations inside our outputs that come from ipywidgets' own front-end markup, which the course cannot
# change from Python (no JavaScript outputs). Each is explained in docs/accessibility.md; matched narrowly.
THIRD_PARTY_IN_OUTPUTS = {("aria-input-field-name", 'class="noUi-handle')}


def documented_rules() -> set[str]:
    """Rule ids in the first column of the tables in docs/accessibility.md."""
    return set(re.findall(r"^\|\s*`([a-z0-9-]+)`\s*\|", DOC.read_text(encoding="utf-8"), re.M))


def course_content_violations(violations) -> list:
    return [v for v in blocking(violations) if not any(v.rule == rule and marker in v.html
                                                       for rule, marker in THIRD_PARTY_IN_OUTPUTS)]


INACCESSIBLE_NOTEBOOK = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_markdown_cell("# Broken on purpose\n\n## Outputs an accessibility checker must catch"),
    nbformat.v4.new_code_cell(
        "from IPython.display import HTML\n"
        "HTML('<img src=\"data:image/png;base64,iVBORw0KGgo=\" width=\"20\" height=\"20\">'\n"
        "     '<select><option>a</option></select><button></button>')"),
], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture(scope="module")
def a11y_lab():
    ensure_installed()  # `npm ci` on a fresh clone, before the clock of any browser test starts
    with running_lab({"zz_inaccessible_on_purpose.ipynb": INACCESSIBLE_NOTEBOOK}) as server:
        yield server


@pytest.fixture
def lab_page(page, a11y_lab):
    yield page
    delete_sessions(*a11y_lab)


@pytest.mark.browser
@pytest.mark.parametrize("nb", LAB_NOTEBOOKS)
def test_axe_finds_no_serious_violation_in_course_content_and_keyboard_works(lab_page, a11y_lab, nb):
    open_and_run_all(lab_page, a11y_lab, nb)
    assert not output_problems(lab_page, nb)
    found = run_axe(lab_page, own=OWN_IN_LAB)
    ours = course_content_violations(found)
    assert not ours, f"{nb}: serious/critical axe violations in the course's own content:\n" + \
        "\n".join(map(str, ours))
    unlisted = sorted({v.rule for v in blocking(found, ours=False)} - documented_rules())
    assert not unlisted, (f"{nb}: JupyterLab's own serious/critical violations {unlisted} are not listed in "
                          f"{DOC.relative_to(ROOT)}: add a row (rule id, impact, where, why it is not ours):\n"
                          + "\n".join(str(v) for v in blocking(found, ours=False) if v.rule in unlisted))
    if nb == KEYBOARD_NOTEBOOK:
        keyboard_walkthrough(lab_page)  # test 2: the keyboard alone, feedback announced


@pytest.mark.browser
def test_axe_check_catches_inaccessible_outputs_on_purpose(lab_page, a11y_lab):
    open_and_run_all(lab_page, a11y_lab, "zz_inaccessible_on_purpose.ipynb")
    rules = {v.rule for v in course_content_violations(run_axe(lab_page, own=OWN_IN_LAB))}
    assert {"select-name", "button-name"} <= rules, rules


# ============================================================================ 2. keyboard alone, feedback announced
ACTIVE = "() => { const a = document.activeElement; return a ? a.outerHTML.slice(0, 120) : ''; }"


def tab_until(page, box, selector: str, key: str = "Tab", most: int = 12) -> int:
    """Press key until the focused element matches selector inside box; return the number of presses."""
    for n in range(1, most + 1):
        page.keyboard.press(key)
        if box.evaluate("(b, s) => !!document.activeElement && b.contains(document.activeElement) "
                        "&& document.activeElement.matches(s)", selector):
            return n
    raise AssertionError(f"{selector} not reached with {most} x {key}; focus is on {page.evaluate(ACTIVE)}")


def start_focus_at(box) -> None:
    """Put the keyboard focus at the top of a widget box, as if the learner had tabbed into the cell output."""
    box.evaluate("b => { b.setAttribute('tabindex', '-1'); b.focus(); }")


def announced(box, text_pattern: str) -> str:
    """The text of the live region (role=status or aria-live) in box that matches text_pattern, or ''."""
    return box.evaluate("""(b, pattern) => {
        const regions = [...b.querySelectorAll('[role=status], [role=alert], [aria-live]')];
        const hit = regions.find(r => new RegExp(pattern).test(r.innerText));
        return hit ? hit.innerText : ''; }""", text_pattern)


KEYBOARD_NOTEBOOK = "00_start_here.ipynb"  # its practice explorer and first check question, after axe (saves a Run All)


def keyboard_walkthrough(page) -> None:
    """Operate one explorer and one check question with the keyboard alone; assert what a learner would get."""
    explorer = page.locator(f"{PANEL} .coursekit-explorer").filter(has=page.locator(".noUi-handle")).first
    # explorer: predict with the keyboard (a choice, a confidence, Commit); the reveal is announced
    assert explorer.locator(".coursekit-summary").count() == 0 and explorer.locator("img").count() == 0
    start_focus_at(explorer)
    tab_until(page, explorer, ".coursekit-guess input[type=radio]")
    page.keyboard.press("Space")
    tab_until(page, explorer, ".coursekit-confidence input[type=radio]")
    page.keyboard.press("Space")
    tab_until(page, explorer, ".coursekit-commit")
    page.keyboard.press("Enter")
    expect(explorer.locator("[role=status]").filter(has_text="You predicted")).to_have_count(1, timeout=15_000)
    assert "the model gives" in announced(explorer, "You predicted")
    # then Tab to the slider (unlocked now), move it with the arrow keys, the summary changes inside a live region
    start_focus_at(explorer)
    tab_until(page, explorer, ".noUi-handle")
    before = explorer.locator(".coursekit-summary").inner_text()
    handle = explorer.locator(".noUi-handle").first
    key = "ArrowLeft" if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax") \
        else "ArrowRight"
    page.keyboard.press(key)
    page.keyboard.press(key)
    summary = explorer.locator("[role=status].coursekit-summary")
    expect(summary).not_to_have_text(before, timeout=15_000)
    assert summary.inner_text().strip(), "the explorer summary is empty after a keyboard change"
    # Shift+Tab leaves the slider backwards and Tab comes back to it
    page.keyboard.press("Shift+Tab")
    assert not handle.evaluate("h => h === document.activeElement"), "Shift+Tab did not leave the slider"
    assert tab_until(page, explorer, ".noUi-handle", most=1) == 1

    # the warm-up check sits in 00's collapsed "Go deeper" cell: open it as a learner would, then use it
    assert expand_go_deeper(page) >= 1
    check = page.locator(f"{PANEL} .coursekit-check", has_text="A warm-up to practise the buttons")
    expect(check).to_have_count(1, timeout=15_000)
    start_focus_at(check)
    tab_until(page, check, "input[type=radio]")
    page.keyboard.press("Space")
    # ipywidgets' radio inputs share no `name`, so each is its own Tab stop (arrow keys belong to JupyterLab's
    # cell navigation there: see docs/accessibility.md); Tab to the second answer and choose it with Space
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    radios = check.locator("input[type=radio]")
    expect(radios.nth(1)).to_be_checked(timeout=5_000)
    expect(radios.nth(0)).not_to_be_checked()
    page.keyboard.press("Shift+Tab")  # back to the first answer, then forward again
    assert radios.nth(0).evaluate("r => r === document.activeElement"), page.evaluate(ACTIVE)
    # every check asks how sure the learner is: Tab on to the confidence choices and pick one with Space
    tab_until(page, check, ".coursekit-confidence input[type=radio]")
    page.keyboard.press("Space")
    expect(check.locator(".coursekit-confidence input[type=radio]").first).to_be_checked(timeout=5_000)
    tab_until(page, check, "button:not([disabled])")
    assert "Check" in page.evaluate("() => document.activeElement.innerText")
    page.keyboard.press("Enter")
    feedback = check.locator(".coursekit-feedback")
    expect(feedback).to_contain_text(re.compile("Correct|Not quite"), timeout=15_000)
    said = announced(check, "Correct|Not quite")
    assert re.match(r"^[✓✗] (Correct|Not quite)", said), f"feedback not in a live region, or colour only: {said!r}"
    # the focus must stay in the question so Tab / Shift+Tab reach Try again without leaving it
    retry_presses = tab_until(page, check, "button:not([disabled])", most=4)
    assert "Try again" in page.evaluate("() => document.activeElement.innerText"), page.evaluate(ACTIVE)
    page.keyboard.press("Space")
    expect(feedback).not_to_contain_text(re.compile("Correct|Not quite"), timeout=15_000)
    assert "first answer is kept" in announced(check, "Cleared"), "Try again is not announced"
    print(f"\n[keyboard] Try again reached with {retry_presses} Tab press(es)")
    screenshot(page, "00_start_here_keyboard.png")


@pytest.mark.browser
def test_keyboard_checks_catch_an_unfocusable_control_and_silent_colour_only_feedback(page):
    page.set_content("""<div class="box"><button>before</button>
        <div class="noUi-handle" role="slider" aria-valuenow="1">not focusable</div>
        <div class="coursekit-feedback" style="border-left:4px solid green">Correct</div></div>""")
    box = page.locator(".box")
    start_focus_at(box)
    with pytest.raises(AssertionError, match="not reached with 3 x Tab"):
        tab_until(page, box, ".noUi-handle", most=3)
    assert announced(box, "Correct") == ""
    page.set_content('<div class="box"><div role="status">✓ Correct. Because…</div></div>')
    assert announced(page.locator(".box"), "Correct").startswith("✓ Correct")


# ============================================================================ 4. axe-core on the static export
# The course's own content on a static page: outputs and rendered markdown, as nbconvert's lab template marks them.
OWN_IN_STATIC = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jp-RenderedHTMLCommon"


@pytest.fixture(scope="module")
def static_export(tmp_path_factory):
    from tools import export_html
    out = tmp_path_factory.mktemp("a11y-html")
    return out, export_html.export(out)


@pytest.mark.browser
def test_axe_finds_no_serious_violation_on_the_static_pages(page, static_export):
    out, pages = static_export
    problems = []
    for html_page in sorted(pages):
        page.goto(html_page.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # the widget snapshots render after load
        ours = course_content_violations(run_axe(page, own=OWN_IN_STATIC))
        problems += [f"{html_page.name}: {v}" for v in ours]
    assert not problems, "serious/critical axe violations in the course's content on the static pages:\n" + \
        "\n".join(problems)


@pytest.mark.browser
def test_axe_on_static_pages_catches_inaccessible_outputs_on_purpose(page, tmp_path):
    from tools import export_html
    broken = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Broken on purpose"),
        nbformat.v4.new_code_cell("HTML(...)", execution_count=1, outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": "<select><option>a</option></select><button></button>",
                                  "text/plain": "<HTML>"})])], metadata=INACCESSIBLE_NOTEBOOK.metadata)
    nbformat.write(broken, tmp_path / "zz.ipynb")
    html_page = export_html.export_notebook(tmp_path / "zz.ipynb", tmp_path, export_html.exporter())
    page.goto(html_page.as_uri())
    page.wait_for_load_state("load")
    rules = {v.rule for v in course_content_violations(run_axe(page, own=OWN_IN_STATIC))}
    assert {"select-name", "button-name"} <= rules, rules
