"""README, badges and hub links: generated from course.json, every link pointing to a file that exists."""
import re
import urllib.parse
from pathlib import Path

import pytest

from tools import render_readme
from coursekit import course

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_launch_block_is_generated_from_course_json():
    assert render_readme.render(README) == README, "run `make readme` after changing course.json"


def test_readme_has_exactly_two_setup_commands():
    assert re.findall(r"^make (\w+)", README, re.M)[:2] == ["lab", "test"]
    assert "conda env create -f environment.yml" in README


def test_every_relative_link_in_readme_resolves():
    for target in re.findall(r"\]\(([^)\s]+)\)", README):
        if target.startswith(("http://", "https://", "#")):
            continue
        assert (ROOT / target.split("#")[0]).exists(), target


def test_every_binder_link_opens_a_notebook_that_exists():
    links = re.findall(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", README)
    assert len(links) == 1 + len(course.notebooks())
    repo = urllib.parse.urlparse(course.config()["repository"]).path.strip("/")
    for link in links:
        parsed = urllib.parse.urlparse(link)
        assert parsed.path == f"/v2/gh/{repo}/{course.launch_ref()}"
        urlpath = urllib.parse.parse_qs(parsed.query)["urlpath"][0]
        assert urlpath.startswith("lab/tree/notebooks/")
        assert (ROOT / urlpath.removeprefix("lab/tree/")).is_file(), urlpath


def test_every_browser_edition_link_opens_a_notebook_that_exists():
    """"Open in the browser (no install)" beside every Binder badge: the published `make lite` site's front door
    (which opens the start notebook) and one link per notebook, ?path=notebooks/<file> as JupyterLite expects."""
    links = re.findall(r"\[" + re.escape(course.LITE_LABEL) + r"\]\((https://[^)\s]+)\)", README)
    assert links[0] == course.config()["lite_url"] and len(links) == 1 + len(course.notebooks())
    for link, entry in zip(links[1:], course.notebooks()):
        parsed = urllib.parse.urlparse(link)
        assert link.startswith(course.config()["lite_url"]) and parsed.path.endswith("/lab/index.html")
        path = urllib.parse.parse_qs(parsed.query)["path"][0]
        assert path == f"notebooks/{entry.file}" and (ROOT / path).is_file()


def test_nbgitpuller_link_format():
    url = course.nbgitpuller_url("https://hub.example.org/", "01_what_biologics_are.ipynb")
    parsed = urllib.parse.urlparse(url)
    assert parsed.path == "/hub/user-redirect/git-pull"
    query = urllib.parse.parse_qs(parsed.query)
    assert query["repo"] == [course.config()["repository"]]
    assert query["branch"] == [course.hub_ref()]
    clone = course.config()["repository"].rstrip("/").split("/")[-1]
    assert query["urlpath"] == [f"lab/tree/{clone}/notebooks/01_what_biologics_are.ipynb"]
    assert "%2F" in url  # the urlpath is url-encoded, as nbgitpuller expects


@pytest.mark.parametrize("bad", ["hub.example.org", "ftp://hub", ""])
def test_nbgitpuller_rejects_a_hub_without_scheme(bad):
    with pytest.raises(ValueError, match="hub_url"):
        course.nbgitpuller_url(bad)


@pytest.fixture
def pinned(monkeypatch):
    """course.json as if an instructor had set a release tag and a frozen hub branch."""
    cfg = dict(course.config(), release="v2026.12", hub_branch="workshop-2026-12")
    monkeypatch.setattr(course, "config", lambda: cfg)
    return cfg


def test_a_release_tag_pins_every_binder_badge_and_the_readme(pinned):
    assert course.launch_ref() == "v2026.12"
    block = render_readme.launch_block()
    links = re.findall(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", block)
    assert len(links) == 1 + len(course.notebooks())
    assert all(urllib.parse.urlparse(link).path.endswith("/v2026.12") for link in links), links
    assert "/main?" not in block and "/main)" not in block


def test_a_hub_link_pulls_the_frozen_branch_not_the_tag(pinned):
    query = urllib.parse.parse_qs(urllib.parse.urlparse(course.nbgitpuller_url("https://hub.example.org")).query)
    assert query["branch"] == ["workshop-2026-12"]


def test_without_a_release_links_follow_the_branch(monkeypatch):
    cfg = dict(course.config(), release="", hub_branch="")
    monkeypatch.setattr(course, "config", lambda: cfg)
    assert course.launch_ref() == cfg["branch"] == course.hub_ref()


@pytest.mark.parametrize("bad", ["v 1", "-rm", "v1..v2x;", "../x" + "y" * 200])
def test_a_release_that_is_not_a_tag_name_is_refused(monkeypatch, bad):
    cfg = dict(course.config(), release=bad)
    monkeypatch.setattr(course, "config", lambda: cfg)
    with pytest.raises(ValueError, match="release"):
        course.launch_ref()


def test_voila_and_notebook_links_open_the_same_notebook():
    for ui, prefix in [("voila", "voila/render/notebooks/"), ("notebook", "notebooks/notebooks/")]:
        url = course.binder_url("01_what_biologics_are.ipynb", ui=ui)
        urlpath = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["urlpath"][0]
        assert urlpath == prefix + "01_what_biologics_are.ipynb"
    with pytest.raises(ValueError, match="ui"):
        course.binder_url("01_what_biologics_are.ipynb", ui="classic")
