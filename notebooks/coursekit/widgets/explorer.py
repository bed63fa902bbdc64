"""The one explorer pattern every notebook uses: predict, commit, then explore (controls -> model -> summary + figure).

An explorer with a prediction item (coursekit/data/predictions/<notebook>.json) opens with its question, its controls
set to the question's settings (locked), a prediction input (a choice among ranges, or a bounded number with its unit)
and a confidence choice. Nothing of the result (summary, figure, alt text) exists on the page until the learner
presses Commit. Then it says "You predicted X; the model gives Y" with the feedback written for X, optionally asks the
learner to read a value off the figure before printing the numbers, and unlocks the controls. "Predict again" locks
the controls at the settings the learner chose and asks the same question for them. The answer is always computed by
the model (`answers[item.answer](**control_values)`), never read from the data.
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from .. import progress
from ..display import escape, img_tag
from ..predictions import CONFIDENCE, Prediction, prediction as load_prediction
from .base import CourseBox, PlainText
from .markup import alert_box, img_alt, status_box

PREDICT, READ, REVEALED = "predict", "read", "revealed"
_CSS = ("<style>.coursekit-prediction .widget-radio-box label{white-space:normal;height:auto;line-height:1.35;"
        "margin:2px 0 4px 0;align-items:flex-start}.coursekit-prediction .widget-radio-box input{margin-top:3px}"
        ".widget-radio-box input[type=radio]{width:20px;height:20px;min-width:20px}"
        ".widget-radio-box label{min-height:24px}</style>")


@dataclass
class View:
    """What an explorer shows after an update: summary lines (plain text), an optional figure and its alt text."""

    summary: list[str]
    figure: Figure | None = None
    alt: str = ""
    flags: tuple[str, ...] = ()  # warnings worth a learner's attention, shown with a ⚠ symbol
    read_alt: str = ""           # alt text while the learner reads the figure: it must not give the value away

    def __post_init__(self):
        if self.figure is not None and not self.alt.strip():
            raise ValueError("alt: an explorer figure needs a text alternative")


@dataclass(frozen=True)
class Answer:
    """The model's answer to a prediction for the settings on screen: its value and how a learner reads it."""

    value: float | str
    shown: str


AnswerFunction = Callable[..., Answer]


@dataclass(frozen=True)
class _Rendered:
    """One model run drawn as markup, ready to put on the page (Commit only assigns these strings)."""

    view: View
    summary: str
    figure: str
    reading: str


class ResultPart:
    """The markup of one part of an explorer's result, its summary or its figure (`.value`, as an HTML widget has).

    The explorer shows both parts in one HTML widget (`Explorer.result`): a change reaches the page as one message
    and one repaint, not two.
    """

    def __init__(self) -> None:
        self.value = ""


def parse_number(text: str, low: float, high: float, unit: str) -> float:
    """A learner's typed number (commas and spaces allowed); ValueError with a message a learner can act on."""
    cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("\u202f", "")
    span = f"from {_bound(low)} to {_bound(high)}" + (f" {unit}" if unit else "")
    if not cleaned:
        raise ValueError(f"Type a number {span} first.")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{text.strip()[:40]}” is not a number: type just the number ({span}), "
                         "without the unit.") from None
    if not math.isfinite(value):
        raise ValueError(f"Type an ordinary number {span}.")
    if not low <= value <= high:
        raise ValueError(f"{_bound(value)} is outside the allowed range: type a number {span}.")
    return value


def _fmt(x: float) -> str:
    """A number as a learner reads it: thousands separators, no exponent, 3 significant figures below 100."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _bound(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


class Explorer(CourseBox):
    """Question + controls + prediction input on top; Commit reveals the summary and figure below.

    `update(**control_values)` returns a View. A ValueError from the model is shown as a message in the widget
    (never a traceback); the last good summary and figure stay, and the next valid change clears it.
    """

    def __init__(self, title: str, prompt: str, controls: Mapping[str, widgets.ValueWidget],
                 update: Callable[..., View], columns: int = 2, description_width: str = "initial",
                 prediction: Prediction | tuple[str, str] | None = None,
                 answers: Mapping[str, AnswerFunction] | None = None, what: str | None = None):
        self.controls, self._update = dict(controls), update
        if isinstance(prediction, tuple):
            prediction = load_prediction(*prediction)
        self.item: Prediction | None = prediction
        self.answers = dict(answers or {})
        if self.item is not None:
            needed = [self.item.answer] + ([self.item.read.answer] if self.item.read else [])
            missing = [a for a in needed if a not in self.answers]
            if missing:
                raise ValueError(f"answers: the explorer computes no {missing} for prediction {self.item.id!r}")
            for name, value in (self.item.settings or {}).items():
                if name not in self.controls:
                    raise ValueError(f"settings: {name!r} is not a control of {title!r}; "
                                     f"allowed: {sorted(self.controls)}")
                self.controls[name].value = value
        self.update_count = 0
        self.last_view: View | None = None
        self._last_rendered: _Rendered | None = None
        self._pending: _Rendered | None = None
        self.last_answer: Answer | None = None
        self.last_reading: Answer | None = None
        self.prediction_correct: bool | None = None
        self.reading_correct: bool | None = None
        self.committed_values: dict | None = None
        self.stage = PREDICT if self.item is not None else REVEALED
        question = self.item.question if self.item is not None else prompt
        lead = "Predict first:" if self.item is not None else "Predict first, then try:"
        for control in self.controls.values():
            if "continuous_update" in control.traits():
                control.continuous_update = False  # one model run per change, not per pixel dragged
            # "initial" fits each label; a fixed width (e.g. "250px") lines up the sliders of a one-column explorer
            control.style.description_width = description_width
            if control.layout.width is None:  # share the row: long descriptions must not squeeze the slider track
                control.layout.width = f"{96 // columns}%"
            control.observe(self._on_change, names="value")
        boxes = list(self.controls.values())
        rows = [widgets.HBox(boxes[i:i + columns]) for i in range(0, len(boxes), columns)]
        self.summary, self.figure = ResultPart(), ResultPart()
        self.result = widgets.HTML("")   # the summary, then the figure: what `_show` puts on the page
        body: list[widgets.Widget] = list(rows)
        after: list[widgets.Widget] = []
        if self.item is not None:
            body += self._prediction_widgets()
            if self.item.read is not None:
                after.append(self._reading_widgets())
        after.append(self.result)
        if self.item is not None:
            self.again_button = widgets.Button(description="Predict again", icon="refresh",
                                               tooltip="Hide the results and predict for the settings you choose",
                                               layout=widgets.Layout(display="none", width="auto"))
            self.again_button.on_click(self._on_again)
            after.append(self.again_button)
        super().__init__(title, question, what=what or f"the explorer “{title}”", body=body, after=after,
                         prompt_label=lead, header_extra=_CSS)
        self.status = self.live  # the reveal ("You predicted X; the model gives Y") is announced: role=status
        self.prompt = prompt
        if self.item is None:
            self.refresh()
        else:
            self._enter_predict()

    # -- building ----------------------------------------------------------------------------------
    def _prediction_widgets(self) -> list[widgets.Widget]:
        item = self.item
        assert item is not None
        if item.choices:
            self.guess = widgets.RadioButtons(options=[(c.text, c.id) for c in item.choices], value=None,
                                              description="Your prediction:", layout=widgets.Layout(width="auto"),
                                              style={"description_width": "initial"})
        else:
            assert item.number is not None
            span = f"a number from {_bound(item.number.min)} to {_bound(item.number.max)}"
            self.guess = widgets.Text(value="", description=f"Your prediction ({item.unit}):", placeholder=span,
                                      style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))
        self.confidence = widgets.RadioButtons(options=[(text, key) for key, text in CONFIDENCE.items()],
                                               value=None, description="How sure are you?",
                                               layout=widgets.Layout(width="auto"),
                                               style={"description_width": "initial"})
        self.commit_button = widgets.Button(description="Commit my prediction", button_style="primary",
                                            icon="lock", tooltip="Lock in your prediction and see the model",
                                            layout=widgets.Layout(width="auto"))
        self.commit_button.on_click(self._on_commit)
        self.guess.add_class("coursekit-guess")
        self.confidence.add_class("coursekit-confidence")
        self.commit_button.add_class("coursekit-commit")
        self.guess.observe(self._clear_message, names="value")
        self.confidence.observe(self._clear_message, names="value")
        self.predict_box = widgets.VBox([self.guess, self.confidence, self.commit_button])
        self.predict_box.add_class("coursekit-prediction")
        return [self.predict_box]

    def _reading_widgets(self) -> widgets.Widget:
        assert self.item is not None and self.item.read is not None
        read = self.item.read
        self.read_question = widgets.HTML(f"<p style='margin:2px 0'><b>Read the graph:</b> {escape(read.question)}</p>")
        self.reading = widgets.Text(value="", description=f"Your reading ({read.unit}):",
                                    placeholder=f"a number from {_bound(read.number.min)} to {_bound(read.number.max)}",
                                    style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))
        self.read_button = widgets.Button(description="Check my reading", button_style="primary", icon="check",
                                          layout=widgets.Layout(width="auto"))
        self.skip_button = widgets.Button(description="Skip: show the numbers", icon="forward",
                                          layout=widgets.Layout(width="auto"))
        self.read_button.on_click(self._on_reading)
        self.skip_button.on_click(self._on_skip)
        self.reading.observe(self._clear_message, names="value")
        self.read_box = widgets.VBox([self.read_question, self.reading,
                                      widgets.HBox([self.read_button, self.skip_button])],
                                     layout=widgets.Layout(display="none"))
        return self.read_box

    # -- what a learner sees -------------------------------------------------------------------
    summary_text = PlainText("summary")

    @property
    def figure_alt(self) -> str:
        return img_alt(self.figure.value)

    @property
    def figure_shown(self) -> bool:
        return "<img" in self.figure.value

    # -- behaviour -------------------------------------------------------------------------------
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _lock(self, locked: bool) -> None:
        for control in self.controls.values():
            control.disabled = locked

    def refresh(self) -> None:
        """Run the model with the current control values and redraw the summary and figure."""
        try:
            rendered = self._render(self.values())
        except ValueError as exc:
            self.message.value = alert_box(str(exc))
            return
        self._paint(rendered)

    def _render(self, values: dict) -> _Rendered:
        """Model -> View -> markup (summary list, <img> with its alt text, and the <img> for reading the graph)."""
        view = self._update(**values)
        lines = "".join(f"<li>{escape(line)}</li>" for line in view.summary)
        flags = "".join(f"<li><b>⚠ {escape(flag)}</b></li>" for flag in view.flags)
        summary = (f'<div role="status" aria-live="polite" class="coursekit-summary">'
                   f"<ul style='margin:4px 0'>{lines}{flags}</ul></div>")
        figure = reading = ""
        if view.figure is not None:
            figure = img_tag(view.figure, view.alt)
            read_alt = view.read_alt or (f"{self.title}: the chart for the settings shown. Its values are written "
                                         "out below once you give your reading or skip it.")
            reading = figure.replace(f'alt="{html.escape(view.alt, quote=True)}"',
                                     f'alt="{html.escape(read_alt, quote=True)}"', 1)
        return _Rendered(view, summary, figure, reading)

    def _paint(self, rendered: _Rendered, numbers: bool = True) -> None:
        self.update_count += 1
        self.last_view = rendered.view
        self._last_rendered = rendered
        self.message.value = ""
        self.figure.value = rendered.figure if numbers else rendered.reading
        self.summary.value = rendered.summary if numbers else ""
        self._show()

    def _show(self) -> None:
        """Put the summary and the figure on the page, in one widget update (nothing is sent if neither changed)."""
        self.result.value = self.summary.value + self.figure.value

    def _on_change(self, _change=None) -> None:
        if self.stage == REVEALED:
            self.refresh()

    def _clear_message(self, _change=None) -> None:
        self.message.value = ""

    def _enter_predict(self) -> None:
        self.stage = PREDICT
        self._lock(True)
        try:  # drawn now, shown at Commit: the settings are locked until then, so Commit only assigns markup
            self._pending = self._render(self.values())
        except ValueError:
            self._pending = None  # Commit runs the model again and shows its message
        self.last_view = None
        self.summary.value = ""
        self.figure.value = ""
        self._show()
        self.message.value = ""
        self.predict_box.layout.display = ""
        self.again_button.layout.display = "none"
        assert self.item is not None
        if self.item.read is not None:
            self.read_box.layout.display = "none"
        what = "your choice" if self.item.choices else "your number"
        self.status.value = status_box(
            f"Make your prediction for the settings shown: {what}, and how sure you are. Then press "
            "<b>Commit my prediction</b>. The model's results stay hidden until you commit.", "info")

    def _guess(self) -> tuple[str, str, float | None]:
        """(choice id or typed text, what the learner chose as text, number) — ValueError with a message."""
        item = self.item
        assert item is not None
        if item.choices:
            if self.guess.value is None:
                raise ValueError("Choose one of the predictions first, then press Commit.")
            return self.guess.value, item.choice(self.guess.value).text, None
        assert item.number is not None
        number = parse_number(self.guess.value, item.number.min, item.number.max, item.unit)
        return self.guess.value.strip(), f"{_fmt(number)} {item.unit}".strip(), number

    def _on_commit(self, _button=None) -> None:
        if self.stage != PREDICT:
            return
        item = self.item
        assert item is not None
        try:
            key, chosen_text, number = self._guess()
            if self.confidence.value is None:
                raise ValueError("Say how sure you are (guessing, fairly sure or sure), then press Commit.")
        except ValueError as exc:
            self.show_hint(f"{exc} Nothing is lost: your choices are kept.")
            return
        values = self.values()
        try:
            answer = self.answers[item.answer](**values)
            rendered = self._pending or self._render(values)
        except ValueError as exc:
            self.message.value = alert_box(str(exc), "Change the settings, then commit again.")
            return
        confidence = CONFIDENCE[self.confidence.value]
        if item.choices:
            correct = item.choice(key).contains(answer.value)
            home = item.matching_choice(answer.value)
            if correct:
                verdict, kind = f"✓ {item.choice(key).right}", "right"
            else:
                where = f"✗ The model's answer is “{home.text}”." if home is not None else "✗"
                verdict, kind = f"{where} {item.choice(key).feedback}", "wrong"
        else:
            assert item.number is not None and number is not None and item.number_feedback is not None
            side = item.number.side(number, float(answer.value))
            correct = side == "close"
            verdict, kind = (f"{'✓' if correct else '✗'} {item.number_feedback[side]}", "right" if correct else "wrong")
        self.last_answer, self.prediction_correct, self.committed_values = answer, correct, values
        reveal = (f"<b>You predicted {escape(chosen_text)}</b> ({escape(confidence)}); "
                  f"<b>the model gives {escape(answer.shown)}</b>.<br>{escape(verdict)}")
        reading_next = item.read is not None
        if reading_next:
            reveal += "<br>Now read the graph below before the numbers are printed."
        elif item.after:
            reveal += f"<br><b>Next:</b> {escape(item.after)}"
        self.stage = READ if reading_next else REVEALED
        # the revealed figure first, then what it means, then the prediction put away: the page handles the
        # messages in this order, and hiding the box first made it lay out the page before it drew the figure
        self._paint(rendered, numbers=not reading_next)
        self.status.value = status_box(reveal, kind)
        self.predict_box.layout.display = "none"
        self._pending = None
        if reading_next:
            self.reading.value = ""
            self.read_box.layout.display = ""
        else:
            self._unlock_after_reveal()
        self._save(item.id, chosen_text, correct, confidence, {"choice": key, "model": answer.shown,
                                                               "settings": _jsonable(values)})

    def _unlock_after_reveal(self) -> None:
        self.stage = REVEALED
        self._lock(False)
        self.again_button.layout.display = ""

    def _on_reading(self, _button=None) -> None:
        if self.stage != READ:
            return
        assert self.item is not None and self.item.read is not None
        read = self.item.read
        try:
            number = parse_number(self.reading.value, read.number.min, read.number.max, read.unit)
        except ValueError as exc:
            self.show_hint(f"{exc} Nothing is lost: your reading is kept.")
            return
        values = self.committed_values or self.values()
        try:
            answer = self.answers[read.answer](**values)
        except ValueError as exc:
            self.message.value = alert_box(str(exc))
            return
        side = read.number.side(number, float(answer.value))
        self.last_reading, self.reading_correct = answer, side == "close"
        mark = "✓" if side == "close" else "✗"
        text = (f"<b>You read {escape(_fmt(number))} {escape(read.unit)}; the model's value is "
                f"{escape(answer.shown)}.</b> {mark} {escape(read.feedback[side])}")
        self._finish_reading(text, "right" if side == "close" else "wrong")
        self._save(f"{self.item.id}.read", f"{_fmt(number)} {read.unit}", side == "close", None,
                   {"model": answer.shown, "settings": _jsonable(values)})

    def _on_skip(self, _button=None) -> None:
        if self.stage != READ:
            return
        assert self.item is not None and self.item.read is not None
        answer = self.answers[self.item.read.answer](**(self.committed_values or self.values()))
        self.last_reading = answer
        self._finish_reading(f"<b>The value you were asked to read:</b> {escape(answer.shown)}.", "info")

    def _finish_reading(self, text: str, kind: str) -> None:
        self.read_box.layout.display = "none"
        assert self.item is not None
        after = f"<br><b>Next:</b> {escape(self.item.after)}" if self.item.after else ""
        self.status.value += status_box(text + after, kind)
        if self._last_rendered is not None:
            self._paint(self._last_rendered)
        self._unlock_after_reveal()

    def _on_again(self, _button=None) -> None:
        if self.stage != REVEALED:
            return
        assert self.item is not None
        try:  # settings a model rejects cannot be predicted for: say so and keep everything as it is
            self.answers[self.item.answer](**self.values())
        except ValueError as exc:
            self.message.value = alert_box(str(exc), "Change the settings, then press Predict again.")
            return
        self.guess.value = None if self.item.choices else ""
        self.confidence.value = None
        self._enter_predict()

    def _save(self, item_id: str, answer: str, correct: bool, confidence: str | None, details: dict) -> None:
        """Save the attempt (first kept, latest replaced); a failing store never breaks the explorer."""
        try:
            assert self.item is not None
            progress.record(self.item.notebook, item_id, answer, correct, kind="prediction",
                            confidence=confidence, details=details)
        except Exception as exc:
            self.status.value += status_box(f"(Your prediction could not be saved: {escape(str(exc))})", "info")

    # -- for tests, instructors and the benchmark ------------------------------------------------
    def predict(self, guess: str | float, confidence: str = "sure") -> None:
        """Choose a prediction (a choice id, or a number typed as text) and a confidence key."""
        assert self.item is not None
        self.guess.value = guess if self.item.choices else str(guess)
        self.confidence.value = confidence

    def commit(self) -> None:
        self.commit_button.click()

    def read_value(self, number: str | float) -> None:
        self.reading.value = str(number)
        self.read_button.click()

    def skip_reading(self) -> None:
        self.skip_button.click()

    def predict_again(self) -> None:
        self.again_button.click()


def _jsonable(values: dict) -> dict:
    return {k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v)) for k, v in values.items()}
