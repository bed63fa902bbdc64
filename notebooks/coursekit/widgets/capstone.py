"""Notebook 05's capstone: the case audit, the concept-map builder and the own-words paragraph.

Nothing of the answer key is in any widget's state until the learner acts: a case's feedback is written when its
answer is committed, the key for all cases when the audit is finished or the learner asks for it. Learner text is
never evaluated or rendered as HTML: it lives in a Textarea and is escaped wherever it is echoed.
"""
from __future__ import annotations

import base64

import ipywidgets as widgets

from .. import progress
from ..display import escape, img_tag
from ..figures import capstone as capstone_figures
from ..models import capstone
from .base import CourseBox, PlainText
from .markup import img_alt, plain, status_box

NOTEBOOK = "05_review"
_CSS = ("<style>.coursekit-capstone .widget-radio-box label{white-space:normal;height:auto;line-height:1.35;"
        "margin:2px 0 6px 0;align-items:flex-start}.coursekit-capstone .widget-radio-box input{margin-top:3px}"
        ".coursekit-capstone .widget-radio-box input[type=radio]{width:20px;height:20px;min-width:20px}"
        ".coursekit-capstone .widget-radio-box label{min-height:24px}"
        ".coursekit-capstone .widget-label{white-space:normal}</style>")


def _save(item_id: str, answer: str, correct: bool | None, *, kind: str, confidence: str | None = None,
          details: dict | None = None) -> str:
    """Save one attempt in the progress store; return what the learner should be told ('' if nothing)."""
    before = len(progress.last_notices())
    try:
        where = progress.record(NOTEBOOK, item_id, answer, correct, kind=kind, confidence=confidence,
                                details=details)
    except Exception as exc:  # a failing store must never lose what is on screen
        return f"Your answer could not be saved ({exc}). It is still on screen."
    new = progress.last_notices()[before:]
    if where == "memory" and not new:
        new = ["Your answers are kept only while this notebook's kernel runs."]
    return " ".join(new)


def _radio(options, description: str) -> widgets.RadioButtons:
    return widgets.RadioButtons(options=options, value=None, description=description,
                                layout=widgets.Layout(width="auto"), style={"description_width": "initial"})


# ==========================================================================================================
AUDIT_TITLES = {None: "Case audit: products and claims you have not seen",
                "core": "Case audit: products and claims you have not seen",
                "more": "Case audit, part 2: more products and claims"}


class CaseAudit(CourseBox):
    """Classify each new case on three axes, pick a justification and a confidence, commit, then read feedback."""

    def __init__(self, cases: list[capstone.Case] | None = None, save: bool = True,
                 title: str = "Case audit: products and claims you have not seen"):
        self.cases = list(capstone.cases() if cases is None else cases)
        self.axes = capstone.axes()
        self.misconceptions = capstone.misconceptions()
        self.save = save
        self.index = 0
        self.results: dict[str, capstone.AuditResult] = {}
        self.key_shown = False
        self.counter = widgets.HTML("")
        self.card = widgets.HTML("")
        self.axis_choices = {axis: _radio([(text, key) for key, text in spec["options"].items()],
                                          f"{n}. {spec['question']}")
                             for n, (axis, spec) in enumerate(self.axes.items(), start=1)}
        self.justification_choice = _radio([("-", 0)], "4. Which reason fits best?")
        self.confidence_choice = _radio([(text, key) for key, text in capstone.CONFIDENCE.items()],
                                        "5. How sure are you?")
        self.confidence_choice.layout = widgets.Layout(width="auto")
        self.commit_button = widgets.Button(description="Commit my answer", button_style="primary", icon="check",
                                            tooltip="Lock in your answer for this case and see the feedback",
                                            layout=widgets.Layout(width="auto"))
        self.next_button = widgets.Button(description="Next case", icon="arrow-right",
                                          tooltip="Go on to the next case", layout=widgets.Layout(display="none"))
        self.key_button = widgets.Button(description="Show the key for all cases", icon="key",
                                         tooltip="Shows every answer now; answers you commit later are marked as "
                                                 "given after seeing the key",
                                         layout=widgets.Layout(width="auto"))
        self.summary = widgets.HTML("")
        self.key = widgets.HTML("")
        self.commit_button.on_click(self._on_commit)
        self.next_button.on_click(self._on_next)
        self.key_button.on_click(self._on_key)
        self.question_box = widgets.VBox([self.card, *self.axis_choices.values(), self.justification_choice,
                                          self.confidence_choice])
        super().__init__(
            title,
            "read the case, answer the three questions, pick the reason that fits best and say how sure you are. "
            "Then press Commit my answer: only then does the feedback for that case appear. Your first answer "
            "is kept.", prompt_label="Commit first, then read:", what="the case audit", header_extra=_CSS,
            body=[self.counter, self.question_box, widgets.HBox([self.commit_button, self.next_button])],
            after=[self.summary, widgets.HBox([self.key_button]), self.key])
        self.add_class("coursekit-capstone")
        self._show_case()

    # -- what a learner sees -------------------------------------------------------------------
    @property
    def current(self) -> capstone.Case | None:
        return self.cases[self.index] if self.index < len(self.cases) else None

    @property
    def finished(self) -> bool:
        return len(self.results) == len(self.cases)

    counter_text = PlainText("counter")
    card_text = PlainText("card")
    feedback_text = PlainText("live")
    summary_text = PlainText("summary")
    key_text = PlainText("key")

    def _state_text(self) -> str:
        """Everything the widget holds for display (tests check that no key leaks before the learner acts)."""
        return " ".join(plain(w.value) for w in (self.header, self.counter, self.card, self.message, self.live,
                                                  self.summary, self.key))

    # -- behaviour -------------------------------------------------------------------------------
    def _show_case(self) -> None:
        case = self.current
        if case is None:
            return
        self.counter.value = (f"<p style='margin:2px 0'>Case {self.index + 1} of {len(self.cases)} · "
                              f"{len(self.results)} committed</p>")
        self.card.value = (
            f"<div style='margin:4px 0'><div style='font-size:1.1em'><b>{escape(case.name)}</b></div>"
            f"<div style='margin:4px 0;padding:4px 8px;border-left:3px solid #777;background:#F5F5F5'>"
            f"{escape(case.excerpt)}</div>"
            f"<div><b>How it is made:</b> {escape(case.how_made)}</div></div>")
        order = case.justification_order()
        self.justification_choice.options = [(case.justifications[i].text, i) for i in order]
        for choice in (*self.axis_choices.values(), self.justification_choice, self.confidence_choice):
            choice.value = None
            choice.disabled = False
        self.commit_button.disabled = False
        self.next_button.layout.display = "none"
        self.show_hint(None)
        self.announce("")

    def _on_commit(self, _button=None) -> None:
        case = self.current
        if case is None or case.id in self.results:
            return
        values = {axis: c.value for axis, c in self.axis_choices.items()}
        missing = capstone.missing_parts(values["agent"], values["stem"], values["biologic"],
                                         self.justification_choice.value, self.confidence_choice.value)
        if missing:
            self.show_hint("Not committed yet. Still to choose: " + ", ".join(missing) +
                           ". Your other choices are kept.")
            return
        result = capstone.grade(case, values["agent"], values["stem"], values["biologic"],
                                self.justification_choice.value, self.confidence_choice.value)
        self.results[case.id] = result
        for choice in (*self.axis_choices.values(), self.justification_choice, self.confidence_choice):
            choice.disabled = True
        self.commit_button.disabled = True
        self.live.value = self._feedback_html(case, result)
        notice = ""
        if self.save:
            answer = "; ".join(f"{axis}={result.answer[axis]}" for axis in capstone.AXES)
            notice = _save(f"audit_{case.id}", f"{answer}; because: {result.justification.text}",
                           result.all_right, kind="activity", confidence=result.confidence,
                           details={"axes": result.answer, "axis_right": result.axis_right,
                                    "misconception": result.justification.misconception,
                                    "after_key": self.key_shown})
        self.show_hint(notice or None)
        self.next_button.description = "Next case" if self.index + 1 < len(self.cases) else "See your results"
        self.next_button.layout.display = ""
        self.counter.value = (f"<p style='margin:2px 0'>Case {self.index + 1} of {len(self.cases)} · "
                              f"{len(self.results)} committed</p>")

    def _feedback_html(self, case: capstone.Case, result: capstone.AuditResult) -> str:
        rows = []
        for axis in capstone.AXES:
            options = self.axes[axis]["options"]
            chosen, right = options[result.answer[axis]], result.axis_right[axis]
            head = (f"✓ <b>{escape(self.axes[axis]['question'])}</b> You said: {escape(chosen)}." if right else
                    f"✗ <b>{escape(self.axes[axis]['question'])}</b> You said: {escape(chosen)}. "
                    f"The key: <b>{escape(options[case.key[axis]])}</b>.")
            rows.append(f"<li>{head} {escape(case.why[axis])}</li>")
        j = result.justification
        if j.correct:
            rows.append(f"<li>✓ <b>Your reason</b> is the one that fits: {escape(j.text)}</li>")
        else:
            right = next(x for x in case.justifications if x.correct)
            belief = escape(self.misconceptions[j.misconception])
            rows.append(f"<li>✗ <b>Your reason</b> rests on a common belief: “{belief}” "
                        f"A better reason: <i>{escape(right.text)}</i></li>")
        verdict = ("<b>✓ All right for this case.</b>" if result.all_right else
                   f"<b>{result.points} of 4 right for this case.</b>")
        if result.sure_and_wrong:
            verdict += (" You said you were <b>sure</b>: a sure answer that is not right is the most useful thing "
                        "to talk through with your partner.")
        sources = "".join(f"<li>{escape(s.claim)}: {escape(s.source)}</li>" for s in case.sources)
        return status_box(f"{verdict}<ul style='margin:4px 0'>{''.join(rows)}</ul>"
                          f"<p style='margin:2px 0'><b>In one line:</b> {escape(case.key_line)}</p>"
                          f"<details><summary>Sources for this case</summary><ul>{sources}</ul></details>",
                          "right" if result.all_right else "wrong")

    def _on_next(self, _button=None) -> None:
        if self.index + 1 < len(self.cases):
            self.index += 1
            self._show_case()
            return
        self.index = len(self.cases)
        self.question_box.layout.display = "none"
        self.next_button.layout.display = "none"
        self.commit_button.layout.display = "none"
        self.show_hint(None)
        self.announce("")
        self.counter.value = f"<p style='margin:2px 0'>All {len(self.cases)} cases committed.</p>"
        self._show_summary()
        self._show_key()

    def _show_summary(self) -> None:
        s = capstone.summary(list(self.results.values()))
        axes = "".join(f"<li>{escape(self.axes[a]['question'])} {s['axis_right'][a]} of {s['cases']} right</li>"
                       for a in capstone.AXES)
        sure = ", ".join(c.name for c in self.cases if c.id in s["sure_and_wrong"]) or "none"
        beliefs = "".join(f"<li>{escape(self.misconceptions[m])}</li>" for m in s["misconceptions"]) or "<li>none</li>"
        self.summary.value = status_box(
            f"<b>Your audit: {s['points']} of {s['possible']} points; {s['all_right']} of {s['cases']} cases fully "
            f"right.</b><ul style='margin:4px 0'>{axes}<li>Reasons: {s['justification_right']} of {s['cases']} "
            f"right</li></ul><p style='margin:2px 0'><b>Sure but not right:</b> {escape(sure)}</p>"
            f"<p style='margin:2px 0'><b>Beliefs your reasons showed:</b></p><ul style='margin:2px 0'>{beliefs}</ul>",
            "info")

    def _on_key(self, _button=None) -> None:
        self._show_key()

    def _show_key(self) -> None:
        self.key_shown = True
        self.key_button.layout.display = "none"
        head = "".join(f"<th style='text-align:left;padding:2px 6px'>{escape(t)}</th>"
                       for t in ("Case", "Final agent", "Stem cells", "Biologic (US)", "In one line"))
        rows = []
        for case in self.cases:
            cells = [case.name] + [self.axes[a]["options"][case.key[a]] for a in capstone.AXES] + [case.key_line]
            rows.append("<tr>" + "".join(f"<td style='padding:2px 6px;vertical-align:top'>{escape(c)}</td>"
                                         for c in cells) + "</tr>")
        sources = "".join(f"<li><b>{escape(c.name)}</b><ul>" +
                          "".join(f"<li>{escape(s.claim)}: {escape(s.source)}</li>" for s in c.sources) + "</ul></li>"
                          for c in self.cases)
        self.key.value = status_box(
            "<b>The key for all cases.</b>"
            f"<table style='border-collapse:collapse;margin:4px 0'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<details><summary>Sources for every case</summary><ul>{sources}</ul></details>", "info")

    # -- for tests and instructors ---------------------------------------------------------------
    def answer(self, agent: str | None, stem: str | None, biologic: str | None,
               justification_text: str | None, confidence: str | None) -> None:
        """Set the choices as a learner would (justification by its text)."""
        self.axis_choices["agent"].value = agent
        self.axis_choices["stem"].value = stem
        self.axis_choices["biologic"].value = biologic
        case = self.current
        if case is None:
            raise ValueError("the audit is finished: there is no case to answer")
        self.justification_choice.value = (None if justification_text is None else
                                           [j.text for j in case.justifications].index(justification_text))
        self.confidence_choice.value = confidence

    def click_commit(self) -> None:
        self.commit_button.click()

    def click_next(self) -> None:
        self.next_button.click()

    def click_key(self) -> None:
        self.key_button.click()


# ==========================================================================================================
class ConceptMapBuilder(CourseBox):
    """Place the given labels on the map's boxes and arrows; each placement gets feedback; the map is redrawn."""

    PLACEHOLDER = "- choose a label -"

    def __init__(self, save: bool = True):
        self.slots = capstone.map_slots()
        self.labels = capstone.map_labels()
        self.save = save
        self.marks: dict[str, bool] = {}
        box_labels = [k for k, v in self.labels.items() if v["kind"] == "box"]
        arrow_labels = [k for k, v in self.labels.items() if v["kind"] == "arrow"]
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        self.slot_feedback: dict[str, widgets.HTML] = {}
        rows = []
        for slot in self.slots:
            pool = sorted(box_labels if slot.kind == "box" else arrow_labels, key=lambda k: self.labels[k]["text"])
            name = capstone_figures.slot_number(slot.id)
            if slot.kind == "arrow":
                name += (f" ({capstone_figures.slot_number(str(slot.source)).lower()} → "
                         f"{capstone_figures.slot_number(str(slot.target)).lower()})")
            dropdown = widgets.Dropdown(options=[(self.PLACEHOLDER, "")] + [(self.labels[k]["text"], k) for k in pool],
                                        value="", description=name, style={"description_width": "170px"},
                                        layout=widgets.Layout(width="560px"))
            dropdown.observe(lambda change, sid=slot.id: self._on_place(sid, change["new"]), names="value")
            self.dropdowns[slot.id] = dropdown
            self.slot_feedback[slot.id] = widgets.HTML("")
            rows.append(widgets.VBox([dropdown, self.slot_feedback[slot.id]]))
        self.finish_button = widgets.Button(description="I have finished my map", button_style="primary",
                                            icon="check", layout=widgets.Layout(width="auto"),
                                            tooltip="Check that every place has a label and save your map")
        self.figure = widgets.HTML("")
        self.map = capstone_figures.LearnerMap()   # one figure, redrawn in place on every placement
        self.finish_button.on_click(self._on_finish)
        super().__init__(
            "Build the course's concept map",
            "the map has six boxes and seven arrows, all empty. Put each label where it belongs with the "
            "drop-downs. Every placement gets feedback straight away, and the map below is drawn from your "
            "choices. When you are done, press I have finished my map.",
            prompt_label="Place, then read:", what="the concept-map builder", header_extra=_CSS,
            body=[widgets.VBox(rows), self.finish_button], after=[self.figure])
        self.add_class("coursekit-capstone")
        self._draw()

    @property
    def placements(self) -> dict[str, str | None]:
        return {sid: (d.value or None) for sid, d in self.dropdowns.items()}

    @property
    def figure_alt(self) -> str:
        return img_alt(self.figure.value)

    def feedback_text(self, slot_id: str) -> str:
        return plain(self.slot_feedback[slot_id].value)

    def _on_place(self, slot_id: str, label_id: str) -> None:
        if not label_id:
            self.slot_feedback[slot_id].value = ""
            self.marks.pop(slot_id, None)
        else:
            right, text = capstone.check_placement(slot_id, label_id)
            self.marks[slot_id] = right
            self.slot_feedback[slot_id].value = status_box(
                f"<b>{'✓' if right else '✗'}</b> {escape(text)}", "right" if right else "wrong")
        self.show_hint(None)
        self._draw()

    def _draw(self) -> None:
        placements = self.placements
        fig = self.map.update(placements, self.marks)
        self.figure.value = img_tag(fig, capstone_figures.alt_text(placements))

    def _on_finish(self, _button=None) -> None:
        empty = capstone.unplaced(self.placements)
        if empty:
            names = ", ".join(capstone_figures.slot_number(s) for s in empty)
            self.show_hint(f"Not finished yet: {len(empty)} place(s) still have no label: {names}. "
                           "Everything you placed is kept; choose a label for each of them.")
            return
        right = sum(self.marks.get(s.id, False) for s in self.slots)
        notice = ""
        if self.save:
            notice = _save("concept_map", "; ".join(f"{k}={v}" for k, v in self.placements.items()),
                           right == len(self.slots), kind="activity", details={"right": right})
        self.show_hint(notice or None)
        self.announce(f"<b>Your map is complete:</b> {right} of {len(self.slots)} places match the course's map. "
                      + ("Read the feedback under any ✗ and move that label." if right < len(self.slots) else
                         "Every label is where the course puts it."),
                      "right" if right == len(self.slots) else "info")

    # -- for tests -----------------------------------------------------------------------------------
    def place(self, slot_id: str, label_id: str) -> None:
        self.dropdowns[slot_id].value = label_id

    def click_finish(self) -> None:
        self.finish_button.click()


# ==========================================================================================================
class OwnWords(CourseBox):
    """Write the answer in your own words, check it against a visible rubric, then read a model answer."""

    ITEM = "own_words"

    def __init__(self, save: bool = True):
        spec = capstone.rubric()
        self.rubric = spec
        self.save = save
        self.submitted = False
        rubric_items = "".join(f"<li>{escape(r['text'])}</li>" for r in spec)
        self.rubric_view = widgets.HTML(
            "<p style='margin:6px 0 2px 0'><b>The rubric</b> (you will check your paragraph against it):</p>"
            f"<ol style='margin:2px 0'>{rubric_items}</ol>")
        self.text = widgets.Textarea(value="", placeholder="Write your paragraph here.",
                                     layout=widgets.Layout(width="100%", height="160px"),
                                     description="Your paragraph", style={"description_width": "initial"})
        self.submit_button = widgets.Button(description="Submit my paragraph", button_style="primary",
                                            icon="paper-plane", layout=widgets.Layout(width="auto"),
                                            tooltip="Save your paragraph, then check it against the rubric")
        self.checks = [widgets.Checkbox(value=False, description=r["text"], indent=False,
                                        layout=widgets.Layout(width="auto")) for r in spec]
        self.self_check_button = widgets.Button(description="Save my self-check and show the model answer",
                                                icon="eye", layout=widgets.Layout(width="auto"),
                                                tooltip="Saves the rubric points you ticked, shows a model answer")
        self.self_check_box = widgets.VBox(
            [widgets.HTML("<p style='margin:2px 0'><b>Check your paragraph:</b> tick every rubric point your "
                          "paragraph covers.</p>"), *self.checks, self.self_check_button],
            layout=widgets.Layout(display="none"))
        self.model = widgets.HTML("")
        self.download = widgets.HTML("")
        self.submit_button.on_click(self._on_submit)
        self.self_check_button.on_click(self._on_self_check)
        super().__init__("In your own words", capstone.prompt(), prompt_label="Write first, then compare:",
                         what="the own-words paragraph", header_extra=_CSS,
                         body=[self.rubric_view, self.text, self.submit_button],
                         after=[self.self_check_box, self.model, self.download])
        self.add_class("coursekit-capstone")
        self._restore()

    model_text = PlainText("model")

    def _restore(self) -> None:
        """Put the last saved paragraph back in the box (after a kernel restart or on another day)."""
        if not self.save:
            return
        before = len(progress.last_notices())
        saved = progress.entry(NOTEBOOK, self.ITEM)
        self.show_hint(" ".join(progress.last_notices()[before:]) or None)
        if saved and saved["latest"].get("answer"):
            self.text.value = saved["latest"]["answer"]
            self.announce("Your last saved paragraph is back in the box. Edit it and submit again if you like.")

    def _on_submit(self, _button=None) -> None:
        words = self.text.value.split()
        if not words:
            self.show_hint("The box is empty. Write your paragraph first, then press Submit my paragraph.")
            return
        notice = ""
        if self.save:
            notice = _save(self.ITEM, self.text.value, None, kind="text", details={"words": len(words)})
        self.submitted = True
        short = (" It is short: a good answer usually needs a few sentences, one for each rubric point."
                 if len(words) < 40 else "")
        self.show_hint(notice or None)
        self.announce(f"<b>✓ Saved</b> ({len(words)} words).{escape(short)} Now check it against the rubric "
                      "below.", "right")
        self.self_check_box.layout.display = ""
        self._offer_download()

    def _on_self_check(self, _button=None) -> None:
        ticked = [r["id"] for r, box in zip(self.rubric, self.checks) if box.value]
        notice = ""
        if self.save:
            notice = _save(self.ITEM, self.text.value, None, kind="text",
                           details={"words": len(self.text.value.split()), "self_check": ticked})
        missing = [r["text"] for r, box in zip(self.rubric, self.checks) if not box.value]
        advice = ("" if not missing else "<p style='margin:2px 0'>Points to add: </p><ul style='margin:2px 0'>" +
                  "".join(f"<li>{escape(m)}</li>" for m in missing) + "</ul>")
        self.model.value = status_box(
            f"<b>You ticked {len(ticked)} of {len(self.rubric)} rubric points.</b>{advice}"
            f"<p style='margin:6px 0 2px 0'><b>A model answer</b> (one of many good ones):</p>"
            f"<blockquote style='margin:2px 8px'>{escape(capstone.model_answer())}</blockquote>", "info")
        self.show_hint(notice or None)

    def _offer_download(self) -> None:
        """A link that saves the paragraph as a .txt file (the text travels base64-encoded, never as markup)."""
        data = base64.b64encode(self.text.value.encode("utf-8")).decode("ascii")
        self.download.value = (f"<a download='my_answer_05.txt' href='data:text/plain;charset=utf-8;base64,{data}'"
                               " style='text-decoration:underline'>⬇ Download your paragraph as a text file</a>")

    @property
    def download_text(self) -> str:
        """The text the download link carries (for tests)."""
        import re
        match = re.search(r"base64,([A-Za-z0-9+/=]*)'", self.download.value)
        return base64.b64decode(match.group(1)).decode("utf-8") if match else ""

    # -- for tests -----------------------------------------------------------------------------------
    def write(self, text: str) -> None:
        self.text.value = text

    def click_submit(self) -> None:
        self.submit_button.click()

    def tick(self, *rubric_ids: str) -> None:
        for r, box in zip(self.rubric, self.checks):
            box.value = r["id"] in rubric_ids

    def click_self_check(self) -> None:
        self.self_check_button.click()


def case_audit(part: str | None = None) -> CaseAudit:
    """The case audit of notebook 05: every case, or one part of them ("core" on the core path, "more" in the
    Go deeper section)."""
    return CaseAudit(capstone.cases(part=part), title=AUDIT_TITLES[part])


def concept_map_builder() -> ConceptMapBuilder:
    """The concept-map builder of notebook 05."""
    return ConceptMapBuilder()


def own_words() -> OwnWords:
    """The own-words paragraph of notebook 05, with its rubric and model answer."""
    return OwnWords()
