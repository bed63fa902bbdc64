"""coursekit.setup() explains Voila's app mode and a widget front end that cannot draw this kernel's widgets."""
import json

import pytest

import coursekit
from coursekit import frontend


def test_matching_versions_say_nothing_and_this_environment_matches():
    assert frontend.widget_mismatch("8.1.7", "5.0.15") is None
    assert frontend.widget_mismatch("7.8.5", "3.6.8") is None
    # the course's own pins: the kernel's ipywidgets and the manager the server loads agree
    assert frontend.ipywidgets_version() == "8.1.7"
    assert frontend.widget_manager_version() == "5.0.15"
    assert frontend.widget_mismatch() is None


@pytest.mark.parametrize("kernel, manager", [("8.1.7", "3.6.8"), ("7.8.5", "5.0.15")])
def test_a_drifted_hub_is_explained(kernel, manager):
    message = frontend.widget_mismatch(kernel, manager)
    assert f"ipywidgets {kernel}" in message and f"jupyterlab-manager {manager}" in message
    assert "model not found" in message and "Troubleshooting" in message


def test_unknown_versions_do_not_guess(monkeypatch):
    monkeypatch.setattr(frontend, "widget_manager_version", lambda dirs=None: None)  # server elsewhere: not visible
    assert frontend.widget_mismatch("8.1.7") is None
    assert frontend.widget_mismatch("", "5.0.15") is None
    assert frontend.widget_mismatch("8.1.7", "x.y") is None


def test_the_manager_version_is_read_from_the_first_labextension_folder_that_has_it(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, version in ((second, "5.0.15"), (first, "3.6.8")):
        f = folder / frontend.MANAGER
        f.parent.mkdir(parents=True)
        f.write_text(json.dumps({"version": version}))
    assert frontend.widget_manager_version([tmp_path / "none", first, second]) == "3.6.8"
    assert frontend.widget_manager_version([tmp_path / "none"]) is None


def _setup_outputs(monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    coursekit.setup()
    return shown


def test_setup_is_silent_in_jupyterlab(monkeypatch):
    for var in ("VOILA_BASE_URL", "VOILA_REQUEST_URL"):
        monkeypatch.delenv(var, raising=False)
    assert _setup_outputs(monkeypatch) == []


def test_setup_tells_a_voila_learner_that_everything_has_run(monkeypatch):
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    shown = _setup_outputs(monkeypatch)
    assert len(shown) == 1 and "app view" in shown[0] and "Skip the steps about running cells" in shown[0]


def test_setup_explains_a_widget_mismatch(monkeypatch):
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.delenv("VOILA_REQUEST_URL", raising=False)
    monkeypatch.setattr(frontend, "widget_manager_version", lambda dirs=None: "3.6.8")
    shown = _setup_outputs(monkeypatch)
    assert len(shown) == 1 and "ipywidgets 8.1.7" in shown[0] and "3.6.8" in shown[0]


def test_the_font_cache_note_is_not_shown_other_font_warnings_are(caplog):
    """The browser edition builds matplotlib's font cache in every new kernel; its note would show as a red warning
    above the first explorer. coursekit.style drops that one message, not matplotlib's other font warnings."""
    import logging

    from coursekit import style  # noqa: F401  (installs the filter on import)

    log = logging.getLogger("matplotlib.font_manager")
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        log.warning("Matplotlib is building the font cache; this may take a moment.")
        log.warning("findfont: Font family 'Nope' not found.")
    assert [r.getMessage() for r in caplog.records] == ["findfont: Font family 'Nope' not found."]
