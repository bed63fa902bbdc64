"""Start JupyterLab on 127.0.0.1 over a throw-away copy of the course, for browser tests and benchmarks."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRESS_FILES: dict[str, Path] = {}  # base URL -> the progress file the lab's kernels write to
LAB_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(extra_notebooks: dict[str, object] | None = None, app: str = "jupyterlab",
                windowing: str = "none") -> Iterator[tuple[str, str]]:
    """Yield (base_url, token) of a JupyterLab serving a copy of notebooks/ (coursekit and its data included).

    app="notebook" starts Notebook 7 instead (same server, same settings; Voila is served by both at /voila/).
    windowing is the notebook's windowingMode: "none" (every cell stays in the page, so tests can find any cell)
    or "full" (JupyterLab's default, which learners get: only the cells near the viewport are in the page).

    The copy keeps the real notebooks untouched (autosave is off anyway); progress goes to a temp file;
    extra_notebooks (name -> nbformat notebook) are written beside the course's notebooks.
    """
    import nbformat

    if app not in ("jupyterlab", "notebook"):
        raise ValueError(f"app = {app!r} must be 'jupyterlab' or 'notebook'")
    if windowing not in ("none", "full"):
        raise ValueError(f"windowing = {windowing!r} must be 'none' or 'full'")
    tmp = Path(tempfile.mkdtemp(prefix="course-lab-"))
    root = tmp / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for name, nb in (extra_notebooks or {}).items():
        nbformat.write(nb, root / "notebooks" / name)
    env = dict(os.environ, COURSEKIT_PROGRESS=str(tmp / "progress.json"))
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"), ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
                     ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")]:
        env[var] = str(tmp / sub)
    tracker = "@jupyterlab/notebook-extension/tracker"
    settings = {**LAB_SETTINGS, tracker: {**LAB_SETTINGS.get(tracker, {}), "windowingMode": windowing}}
    for plugin, values in settings.items():
        f = tmp / "lab-settings" / f"{plugin}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    port, token = _free_port(), "e2e-" + os.urandom(8).hex()
    cmd = [sys.executable, "-m", app, "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "lab.log", "w")  # noqa: SIM115 (open while the server runs; closed in the finally below)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    PROGRESS_FILES[base] = tmp / "progress.json"
    t0 = time.perf_counter()
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: {(tmp / 'lab.log').read_text()}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if time.perf_counter() - t0 > 90:
                    raise RuntimeError("jupyter lab did not start within 90 s") from None
                time.sleep(0.2)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def delete_sessions(base: str, token: str) -> None:
    """Shut down every kernel session, so the next notebook opened starts a fresh kernel."""
    auth = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions", headers=auth)) as r:
        sessions = json.load(r)
    for s in sessions:
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions/{s['id']}", method="DELETE", headers=auth))
