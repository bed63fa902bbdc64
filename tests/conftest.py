"""Shared test set-up: headless matplotlib, repository paths."""
import contextlib
import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
# pytest-mpl settings every image test uses: text removed so fonts do not matter, tolerance 2 (RMS).
MPL = dict(baseline_dir=str(ROOT / "tests" / "baseline"), tolerance=2, style="default", remove_text=True)


def pytest_collection_modifyitems(config, items):
    """Everything that starts a kernel, a server or a browser is `slow` (left out of `make unit`):
    nbval notebook cells and every `browser` test are marked here; other kernel tests carry @pytest.mark.slow."""
    for item in items:
        if item.get_closest_marker("browser") or str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)


def pytest_collectstart(collector):
    # nbval waits at most 5 s for a cell's output by default; a busy 2-core CI box needs more.
    if collector.fspath and str(collector.fspath).endswith(".ipynb"):
        with contextlib.suppress(AttributeError):
            collector.output_timeout = 60


# Every browser test (pytest-playwright) runs Debian's Chromium headless, offline-safe flags, one viewport.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from jupyterlab_page import CHROME_ARGS, chromium_path
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROME_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


# The progress store, isolated: every test that saves answers writes to its own file, never to the real home.
@pytest.fixture
def progress_sandbox(monkeypatch):
    """No Binder variables, a writable home, and no answers or notices in memory before or after the test."""
    from coursekit import progress

    monkeypatch.delenv("BINDER_SERVICE_HOST", raising=False)
    monkeypatch.delenv("BINDER_REQUEST", raising=False)
    monkeypatch.setattr(progress, "home_writable", lambda: True)
    progress.clear_session_state()
    yield
    progress.clear_session_state()


@pytest.fixture
def private_progress(tmp_path, monkeypatch, progress_sandbox):
    """The progress file of this test (COURSEKIT_PROGRESS points at it); its path."""
    path = tmp_path / "ck" / "progress.json"
    monkeypatch.setenv("COURSEKIT_PROGRESS", str(path))
    return path
