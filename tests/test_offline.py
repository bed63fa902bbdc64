"""The notebooks run with the network switched off: strict nbval inside a network namespace with only loopback."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(str(p) for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def offline(*command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a command in a new network namespace: loopback only (kernels talk over 127.0.0.1), nothing outside."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.fail("the offline test needs `unshare` (util-linux) and `ip` (iproute2); install them")
    return subprocess.run(["unshare", "--net", "--map-root-user", "sh", "-c", 'ip link set lo up && exec "$0" "$@"',
                           *command], capture_output=True, text=True, timeout=timeout)


def test_the_namespace_really_has_no_network():
    result = offline(sys.executable, "-c",
                     "import socket; socket.create_connection(('pypi.org', 443), timeout=5)")
    assert result.returncode != 0
    assert "gaierror" in result.stderr or "unreachable" in result.stderr.lower(), result.stderr[-500:]


@pytest.mark.slow
def test_every_notebook_passes_strict_nbval_offline():
    result = offline(sys.executable, "-m", "pytest", "--nbval", *NOTEBOOKS, "--nbval-current-env", "-q",
                     "-p", "no:cacheprovider", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
                     "-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
