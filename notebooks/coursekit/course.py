"""The course map and every launch link, generated from one configuration file (coursekit/data/course.json)."""
from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from .paths import COURSE_JSON as CONFIG
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"


@dataclass(frozen=True)
class NotebookEntry:
    """One notebook of the course map."""

    file: str
    title: str
    minutes: int
    goal: str

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".ipynb")

    @property
    def number(self) -> str:
        return self.file[:2]


@lru_cache(maxsize=1)
def config() -> dict:
    return json.loads(CONFIG.read_text(encoding="utf-8"))


def notebooks() -> list[NotebookEntry]:
    """The course's notebooks in order."""
    return [NotebookEntry(**n) for n in config()["notebooks"]]


def _repo_path() -> str:
    """'owner/name' of the public repository."""
    return urllib.parse.urlparse(config()["repository"]).path.strip("/")


def binder_url(notebook_file: str | None = None) -> str:
    """mybinder.org launch link for the course, or straight into one notebook in JupyterLab."""
    cfg = config()
    url = f"{cfg['binder_base']}/{_repo_path()}/{cfg['branch']}"
    if notebook_file:
        url += "?urlpath=" + urllib.parse.quote(f"lab/tree/notebooks/{notebook_file}", safe="/")
    return url


def binder_badge(notebook_file: str | None = None) -> str:
    """Markdown for a Binder badge."""
    return f"[![Launch on Binder]({BADGE_IMAGE})]({binder_url(notebook_file)})"


LITE_LABEL = "Open in the browser (no install)"


def lite_url(notebook_file: str | None = None) -> str:
    """The course's browser edition (JupyterLite, `make lite`) where it is published, course.json's lite_url: its
    front door opens the start notebook; with a notebook, the link opens that one."""
    base = config()["lite_url"].rstrip("/") + "/"
    if not notebook_file:
        return base
    return base + "lab/index.html?path=" + urllib.parse.quote(f"notebooks/{notebook_file}", safe="/")


def lite_link(notebook_file: str | None = None) -> str:
    """Markdown link to the browser edition (plain text: no image from another host)."""
    return f"[{LITE_LABEL}]({lite_url(notebook_file)})"


def nbgitpuller_url(hub_url: str, notebook_file: str = "00_start_here.ipynb") -> str:
    """A JupyterHub link that clones or updates the course for each learner and opens a notebook."""
    parsed = urllib.parse.urlparse(hub_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"hub_url = {hub_url!r} must be a full address such as https://hub.example.org")
    cfg = config()
    clone_dir = _repo_path().split("/")[-1]
    query = urllib.parse.urlencode({
        "repo": cfg["repository"],
        "urlpath": f"lab/tree/{clone_dir}/notebooks/{notebook_file}",
        "branch": cfg["branch"],
    }, quote_via=urllib.parse.quote, safe="")
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def navigation(notebook_file: str) -> str:
    """Markdown line: previous | course map | next, for the top and bottom of a notebook."""
    files = [n.file for n in notebooks()]
    i = files.index(notebook_file)
    parts = []
    if i > 0:
        parts.append(f"[← Previous: {notebooks()[i - 1].title}]({files[i - 1]})")
    parts.append("[Course map](00_start_here.ipynb#Course-map)")
    if i < len(files) - 1:
        parts.append(f"[Next: {notebooks()[i + 1].title} →]({files[i + 1]})")
    return " | ".join(parts)


def course_map_markdown(link_prefix: str = "") -> str:
    """The course map as a Markdown table (notebook, what you will be able to do, minutes)."""
    rows = ["| Notebook | What you will be able to do | Minutes |", "|---|---|---|"]
    for n in notebooks():
        rows.append(f"| [{n.number} {n.title}]({link_prefix}{n.file}) | {n.goal[0].upper()}{n.goal[1:]} | {n.minutes} |")
    total = sum(n.minutes for n in notebooks())
    rows.append(f"| **Total** | | **{total}** |")
    return "\n".join(rows)
