"""Real-browser test of notebook 05's capstone: JupyterLab on 127.0.0.1, the notebook opened in headless Chromium,
Run All, then the audit, the concept map and the paragraph driven as a learner would (clicks, drop-downs, typing).

Checks: no part of the key on the page after Run All; a half answer gets a clear message; a committed case shows
its own feedback and no other case's; the key appears on request; every placement on the map gets feedback and the
map's picture follows the learner's labels; an empty paragraph gets a message; a paragraph is saved, rendered as
text only, downloadable, and followed by the model answer only after submitting.
"""
from __future__ import annotations

import base64
import json
import re

import pytest
from playwright.sync_api import Page, expect

from coursekit.models import capstone
from jupyterlab_page import PANEL, expand_go_deeper, open_and_run_all, output_problems, screenshot
from tools.labserver import PROGRESS_FILES, delete_sessions, running_lab

pytestmark = pytest.mark.browser
NB = "05_review.ipynb"
CASES = capstone.cases(part="core")          # the audit on the core path; "more" sits in a Go deeper section
ALL_CASES = capstone.cases()
AXES = capstone.axes()


@pytest.fixture(scope="module")
def lab():
    with running_lab() as server:
        yield server
        delete_sessions(*server)


def _radio(box, text: str):
    """The radio button whose label is exactly this text."""
    return box.locator(".widget-radio-box label").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def test_capstone_audit_map_and_paragraph(page: Page, lab):
    page_errors = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    open_and_run_all(page, lab, NB)
    assert not output_problems(page, NB)
    panel = page.locator(PANEL)
    assert expand_go_deeper(page) == 4                 # three more cases, quick checks, concept map, own words
    boxes = panel.locator(".coursekit-capstone")
    expect(boxes).to_have_count(4, timeout=30_000)
    audit, more, builder, words = boxes.nth(0), boxes.nth(1), boxes.nth(2), boxes.nth(3)
    expect(audit).to_contain_text(f"Case 1 of {len(CASES)}", timeout=15_000)
    expect(more).to_contain_text(f"Case 1 of {len(ALL_CASES) - len(CASES)}", timeout=15_000)

    # -- after Run All: nothing of the key anywhere on the page ----------------------------------------
    page_text = panel.inner_text()
    for case in ALL_CASES:
        assert case.key_line not in page_text
        assert not any(why in page_text for why in case.why.values())
    assert capstone.model_answer() not in page_text

    # -- the audit: a half answer, then a full answer for the first case ---------------------------------
    case = CASES[0]
    audit.get_by_role("button", name="Commit my answer").click()
    expect(audit.locator('[role="alert"]')).to_contain_text("Still to choose", timeout=15_000)
    _radio(audit, AXES["agent"]["options"][case.key["agent"]]).click()
    _radio(audit, AXES["stem"]["options"]["product"]).click()                  # wrong on purpose
    _radio(audit, AXES["biologic"]["options"][case.key["biologic"]]).click()
    _radio(audit, next(j.text for j in case.justifications if j.correct)).click()
    _radio(audit, capstone.CONFIDENCE["sure"]).click()
    audit.get_by_role("button", name="Commit my answer").click()
    feedback = audit.locator('[role="status"]').filter(has_text=case.key_line)
    expect(feedback).to_have_count(1, timeout=15_000)
    expect(feedback).to_contain_text("You said you were sure")
    audit_text = audit.inner_text()
    assert not any(other.key_line in audit_text for other in CASES[1:])
    audit.get_by_role("button", name="Next case").click()
    expect(audit).to_contain_text(CASES[1].name, timeout=15_000)
    audit.get_by_role("button", name="Show the key for all cases").click()
    for other in CASES:
        expect(audit).to_contain_text(other.key_line, timeout=15_000)
    screenshot(page, "05_capstone_audit.png")

    # -- the concept map: one right and one wrong placement, then an unfinished map ------------------------
    labels = capstone.map_labels()
    slots = {s.id: s for s in capstone.map_slots()}
    selects = builder.locator("select")
    expect(selects).to_have_count(len(slots))
    order = [s.id for s in capstone.map_slots()]
    selects.nth(order.index("box_1")).select_option(label=labels["factory"]["text"])
    expect(builder).to_contain_text(slots["box_1"].explain, timeout=15_000)
    selects.nth(order.index("box_2")).select_option(label=labels["stem"]["text"])
    expect(builder).to_contain_text(capstone.check_placement("box_2", "stem")[1], timeout=15_000)
    expect(builder.locator("img")).to_have_attribute("alt", re.compile("Box 1: Factory cells.*Box 2: Stem cells"),
                                                     timeout=15_000)
    builder.get_by_role("button", name="I have finished my map").click()
    expect(builder.locator('[role="alert"]')).to_contain_text("Not finished yet: 11 place(s)", timeout=15_000)
    screenshot(page, "05_capstone_map.png")

    # -- the paragraph: empty, then written, self-checked, model answer, download ----------------------------
    submit = words.get_by_role("button", name="Submit my paragraph")
    submit.click()
    expect(words.locator('[role="alert"]')).to_contain_text("The box is empty", timeout=15_000)
    text = "Usually not <script>alert('x')</script> <b>bold</b>: a biologic such as insulin is a purified molecule."
    words.locator("textarea").fill(text)
    words.locator("textarea").blur()
    submit.click()
    expect(words.locator('[role="status"]')).to_contain_text("Saved", timeout=15_000)
    assert capstone.model_answer() not in words.inner_text()
    words.locator("input[type=checkbox]").first.check()
    words.get_by_role("button", name="Save my self-check and show the model answer").click()
    expect(words).to_contain_text(capstone.model_answer()[:60], timeout=15_000)
    expect(words).to_contain_text("You ticked 1 of 4 rubric points")
    href = words.locator("a[download]").get_attribute("href")
    assert href is not None
    assert base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8") == text
    assert words.locator("b", has_text="bold").count() == 0 and "<script>alert" not in words.inner_html()
    screenshot(page, "05_capstone_paragraph.png")

    # -- what the kernel saved ---------------------------------------------------------------------------------
    saved = json.loads(PROGRESS_FILES[lab[0]].read_text())["answers"]["05_review"]
    assert saved["own_words"]["latest"]["answer"] == text
    assert saved[f"audit_{case.id}"]["first"]["confidence"] == "sure"
    assert saved[f"audit_{case.id}"]["first"]["correct"] is False
    assert not page_errors, f"JavaScript errors: {page_errors}"
