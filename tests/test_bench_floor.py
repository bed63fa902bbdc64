"""The benchmark: its platform floor (reference widgets whose slider changes compute nothing), the report, its p95."""
import html
import re

import ipywidgets
import IPython.display
import pytest

from tools import bench, bench_browser


def _floor_widgets(monkeypatch):
    """Run the floor notebook's code as the kernel does; return {title: (slider, shown HTML)} and its namespace."""
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs: shown.extend(objs))
    namespace = {}
    exec(compile(bench_browser.FLOOR_CODE, "floor", "exec"), namespace)   # the notebook's only cell
    boxes = {}
    for box in shown:
        assert isinstance(box, ipywidgets.VBox) and "coursekit-explorer" in box._dom_classes
        heading, slider, out = box.children
        title = re.fullmatch(r"<h3>(.*)</h3>", heading.value).group(1)
        boxes[html.unescape(title)] = (slider, out)
    return boxes, namespace


def test_the_floor_notebook_holds_its_code_in_one_cell():
    nb = bench_browser.floor_notebook()
    assert [c.cell_type for c in nb.cells] == ["code"] and nb.cells[0].source == bench_browser.FLOOR_CODE
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_both_reference_widgets_show_a_value_prepared_beforehand_for_every_slider_step(monkeypatch):
    boxes, namespace = _floor_widgets(monkeypatch)
    assert set(boxes) == set(bench_browser.FLOOR_TITLES.values())
    canvas = namespace["ladder"].figure.canvas
    drawn = canvas.version                     # pictures drawn while the cell ran
    for title, values in ((bench_browser.FLOOR_TITLES["text"], namespace["texts"]),
                          (bench_browser.FLOOR_TITLES["figure"], namespace["figures"])):
        slider, out = boxes[title]
        assert (slider.min, slider.max) == (0, len(values) - 1) and len(values) >= 5
        for step in [*range(1, len(values)), 0]:
            slider.value = step
            assert out.value is values[step], f"{title}: step {step} shows something made after the cell ran"
    assert canvas.version == drawn             # no figure was drawn by a slider change
    pictures = namespace["figures"]
    assert len(set(pictures)) == len(pictures) and all(p.startswith("<img") for p in pictures)
    # as heavy as an explorer's figure (the course's are 25-60 KB as PNG, 33-80 KB as base64 in the page)
    assert min(len(p) for p in pictures) > 30_000


def test_the_report_gives_the_floor_at_both_ends_in_words_or_says_what_was_not_measured():
    stats, later = {"median_ms": 41.5, "p95_ms": 60.2, "n": 20}, {"median_ms": 50.0, "p95_ms": 70.0, "n": 20}
    floor = {"start": {"text": stats, "figure": None, "notes": ["figure: not found in the page"]},
             "end": {"text": later, "figure": later, "notes": []}}
    text = "\n".join(bench._floor_lines(floor))
    assert "a line of text changed: median 41.5 ms, p95 60.2 ms at the start; median 50.0 ms, p95 70.0 ms at the end" \
        in text
    assert "swapped in: not measured at the start; median 50.0 ms, p95 70.0 ms at the end" in text
    assert "Note (start): figure: not found in the page." in text
    assert bench._floor_lines(None) == [] and bench.floor_swap_ms(None) is None
    assert bench.floor_swap_ms(floor) == 50.0                       # only the end was measured
    floor["start"]["figure"] = {"median_ms": 40.0, "p95_ms": 45.0, "n": 20}
    assert bench.floor_swap_ms(floor) == 45.0                       # the mean of start and end


@pytest.mark.parametrize("floor", [None, {w: {"text": {"median_ms": 40.0, "p95_ms": 50.0, "n": 20},
                                              "figure": {"median_ms": m, "p95_ms": 70.0, "n": 20}, "notes": []}
                                          for w, m in (("start", 50.0), ("end", 54.0))}])
def test_the_table_has_the_floor_line_only_when_it_was_measured(floor):
    explorer = {"explorer": "Practice", "changes": 20, "median_ms": 7.0, "p95_ms": 9.0,
                "browser": {"control": "slider (1)", "median_ms": 64.5, "p95_ms": 80.0, "notes": []}}
    result = {"notebook": "x.ipynb", "run_all_s": 1.0, "peak_rss_mb": 100, "size_mb": 0.5, "explorers": [explorer]}
    text = bench.table([result], None, floor)
    assert ("Platform floor" in text) == (floor is not None)
    row = next(line for line in text.splitlines() if line.startswith("| x.ipynb | Practice"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    header = next(line for line in text.splitlines() if "browser median beyond" in line)
    column = [c.strip() for c in header.strip("|").split("|")].index(
        "browser median beyond the floor's figure swap (ms)")
    assert len(cells) == len(header.strip("|").split("|"))
    assert cells[column] == ("12.5" if floor else "—")       # 64.5 ms against the floor's swap, (50 + 54) / 2 ms
    if floor:
        assert "swapped in: median 50.0 ms, p95 70.0 ms at the start; median 54.0 ms" in text


@pytest.mark.parametrize("times, median, p95", [([10.0, 30.0], 20.0, 30.0), (list(range(1, 21)), 10.5, 19),
                                                ([5.0] * 20 + [99.0], 5.0, 5.0), (list(range(1, 22)), 11, 20)])
def test_browser_stats_give_the_nearest_rank_p95_never_below_the_median(times, median, p95):
    stats = bench_browser._stats([float(t) for t in times])
    assert (stats["median_ms"], stats["p95_ms"], stats["n"]) == (median, p95, len(times))
    assert stats["p95_ms"] >= stats["median_ms"]


def test_a_floor_page_that_cannot_be_driven_is_noted_not_raised(monkeypatch):
    def no_lab(page, lab, nb):
        raise TimeoutError("Timeout 90000ms exceeded while waiting for the kernel")
    monkeypatch.setattr(bench_browser, "open_and_run_all", no_lab)
    floor = bench_browser.measure_floor(page=None, lab=("http://127.0.0.1:1", "token"), changes=20)
    assert floor["text"] is None and floor["figure"] is None
    assert floor["notes"][0] == "the floor's notebook could not be driven: Timeout 90000ms exceeded while waiting " \
                                "for the kernel"
    assert [n.endswith("not found in the page") for n in floor["notes"][1:]] == [True, True]
