"""Which front end the kernel serves, and whether its widget code can draw this kernel's widgets.

No widgets here: ``coursekit.setup()`` shows the messages. Two things are checked:

- **Voila's app mode** (the kernel's environment has ``VOILA_BASE_URL`` or ``VOILA_REQUEST_URL``, which Voila sets):
  every cell has already run and no code is shown, so the course tells the learner to skip the "run the cell" steps.
- **A widget front end that does not match ipywidgets**, the hub failure "Error displaying widget: model not found":
  ipywidgets 8 needs the JupyterLab widget manager 5.x (``jupyterlab_widgets`` 3.x), ipywidgets 7 needs 3.x
  (``jupyterlab_widgets`` 1.x). The kernel reads the manager's version from the labextension folders it can see
  (its own environment, the user's and the system's); when the server runs elsewhere and none is visible, it says
  nothing rather than guess.
"""
from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path

MANAGER = Path("@jupyter-widgets") / "jupyterlab-manager" / "package.json"
# ipywidgets major -> the widget-manager majors (labextension @jupyter-widgets/jupyterlab-manager) that draw it
COMPATIBLE = {8: {5}, 7: {3}}
TROUBLESHOOTING = "README.md, Troubleshooting (or instructors/hub.md for hub admins)"


def in_voila() -> bool:
    """True when the kernel was started by Voila (app mode: no code shown, every cell already run)."""
    return bool(os.environ.get("VOILA_BASE_URL") or os.environ.get("VOILA_REQUEST_URL"))


def voila_note() -> str:
    return ("You are in the app view of this notebook: every cell has already run and the code is hidden. Skip the "
            "steps about running cells (Shift+Enter, Run All, Restart Kernel): move the controls and press the "
            "buttons. If something looks stuck, reload the page. To see or change the code, open the same notebook "
            "in JupyterLab.")


def labextension_dirs() -> list[Path]:
    """Where a Jupyter server looks for prebuilt extensions, as far as this kernel can see."""
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:  # pragma: no cover - a kernel without jupyter_core (e.g. JupyterLite)
        return []
    return [Path(p) for p in jupyter_path("labextensions")]


def widget_manager_version(dirs: list[Path] | None = None) -> str | None:
    """The version of the first JupyterLab widget manager found (the one the server would load), or None."""
    for folder in labextension_dirs() if dirs is None else dirs:
        try:
            return str(json.loads((folder / MANAGER).read_text(encoding="utf-8"))["version"])
        except (OSError, ValueError, KeyError):
            continue
    return None


def ipywidgets_version() -> str | None:
    try:
        return metadata.version("ipywidgets")
    except metadata.PackageNotFoundError:
        return None


def widget_mismatch(kernel_version: str | None = None, manager_version: str | None = None) -> str | None:
    """A message for the learner if the widget front end cannot draw this kernel's widgets, else None."""
    kernel_version = ipywidgets_version() if kernel_version is None else kernel_version
    manager_version = widget_manager_version() if manager_version is None else manager_version
    if not kernel_version or not manager_version:
        return None
    try:
        kernel_major, manager_major = int(kernel_version.split(".")[0]), int(manager_version.split(".")[0])
    except ValueError:
        return None
    if manager_major in COMPATIBLE.get(kernel_major, {manager_major}):
        return None
    return (f"The controls in this course may not appear (you would see \"Error displaying widget\" or "
            f"\"model not found\"): this kernel has ipywidgets {kernel_version}, but the page's widget code is "
            f"@jupyter-widgets/jupyterlab-manager {manager_version}, which draws ipywidgets "
            f"{'/'.join(str(k) for k, v in COMPATIBLE.items() if manager_major in v) or 'of another version'}. "
            f"Ask whoever runs this Jupyter to install matching versions (ipywidgets 8 with jupyterlab_widgets 3); "
            f"see {TROUBLESHOOTING}.")
