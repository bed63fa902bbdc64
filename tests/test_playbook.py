"""The facilitation playbook and the hub note exist, are linked from the guide, and cover what a room needs."""
import re
from pathlib import Path

import pytest

INSTRUCTORS = Path(__file__).resolve().parents[1] / "instructors"
PLAYBOOK = (INSTRUCTORS / "playbook.md").read_text(encoding="utf-8")
HUB = (INSTRUCTORS / "hub.md").read_text(encoding="utf-8")


def test_the_guide_links_the_playbook_and_the_hub_note():
    guide = (INSTRUCTORS / "README.md").read_text(encoding="utf-8")
    assert "](playbook.md)" in guide and "](hub.md)" in guide


@pytest.mark.parametrize("heading", ["People", "Launch plan", "Signals", "Shared notes document",
                                     "Predict–commit–reveal, run as a room", "Class view", "Pre and post questions",
                                     "Per notebook: problems learners hit, and the fix"])
def test_playbook_has_every_part(heading):
    assert re.search(rf"^## {re.escape(heading)}$", PLAYBOOK, re.M), heading


def test_launch_plan_pins_warms_and_defaults_to_jupyterlite():
    for phrase in ("git tag", '"release"', "make readme", "Warm Binder", "make **JupyterLite the default**",
                   "When Binder is full"):
        assert phrase in PLAYBOOK, phrase


def test_every_course_notebook_has_a_row_of_problems():
    rows = re.findall(r"^\| (\d\d|all) \|", PLAYBOOK, re.M)
    assert {"00", "01", "02", "03", "04", "05", "all"} <= set(rows)


def test_hub_note_covers_link_environment_progress_and_the_widget_mismatch():
    for phrase in ("nbgitpuller", "make hub-link", "environment.yml", "tools.jupyter_settings install",
                   "COURSEKIT_PROGRESS", "model not found", "coursekit.setup()", "jupyterlab_widgets"):
        assert phrase in HUB, phrase


def test_local_links_resolve():
    for page in (PLAYBOOK, HUB):
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page):
            if not target.startswith("http"):
                assert (INSTRUCTORS / target).exists(), target
