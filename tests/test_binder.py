"""Binder readiness, checked offline with repo2docker's own buildpack detection (no Docker needed)."""
import shutil
from pathlib import Path


from repo2docker.app import Repo2Docker
from repo2docker.buildpacks import CondaBuildPack

ROOT = Path(__file__).resolve().parents[1]


def render(repo: Path):
    """The buildpack repo2docker picks for a repository folder, and the Dockerfile it would build."""
    r2d = Repo2Docker()
    import os
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        for bp_class in r2d.buildpacks:
            bp = bp_class(base_image=r2d.base_image)
            if bp.detect():
                break
        else:
            bp = r2d.default_buildpack(base_image=r2d.base_image)
        bp.platform = "linux/amd64"
        dockerfile = bp.render({"NB_USER": "jovyan", "NB_UID": "1000"})
        return bp, dockerfile
    finally:
        os.chdir(cwd)


def binder_problems(repo: Path) -> list[str]:
    bp, dockerfile = render(repo)
    problems = []
    if not isinstance(bp, CondaBuildPack):
        problems.append(f"buildpack is {type(bp).__name__}, not the conda buildpack")
        return problems
    if bp.python_version != "3.11":
        problems.append(f"Binder would use Python {bp.python_version}, not 3.11")
    if not bp._should_preassemble_env:
        problems.append("environment is installed after the repository copy (not cacheable)")
    if "environment.yml" not in dockerfile:
        problems.append("the Dockerfile does not install environment.yml")
    return problems


def test_repo2docker_uses_conda_python_311_with_a_cacheable_environment():
    assert binder_problems(ROOT) == []


def test_binder_check_fails_on_a_broken_environment(tmp_path):
    shutil.copy(ROOT / "environment.yml", tmp_path / "environment.yml")
    env = (tmp_path / "environment.yml").read_text()
    (tmp_path / "environment.yml").write_text(
        env.replace("python=3.11", "python>=3.11") + "  - pip\n  - pip:\n    - -r requirements.txt\n")
    (tmp_path / "requirements.txt").write_text("numpy\n")
    problems = binder_problems(tmp_path)
    assert any("Python" in p for p in problems) and any("cacheable" in p for p in problems), problems


def test_binder_installs_the_course_jupyter_settings_after_the_environment():
    """postBuild (run by repo2docker after environment.yml) installs jupyter-config/ into the image's environment."""
    _bp, dockerfile = render(ROOT)
    lines = dockerfile.splitlines()
    assert any("environment.yml" in line for line in lines) and "RUN ./postBuild" in lines
    post_build = (ROOT / "postBuild").read_text()
    assert "python -m tools.jupyter_settings install" in post_build and "set -euo pipefail" in post_build
