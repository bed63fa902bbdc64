"""The course map and every launch link, generated from one configuration file (coursekit/data/course.json)."""
from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from .paths import COURSE_JSON as CONFIG
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
_REF_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}")
# Where each front end opens a notebook: JupyterLab, Notebook 7, and Voila's app mode (no code shown).
_UI_PATHS = {"lab": "lab/tree", "notebook": "notebooks", "voila": "voila/render"}


@dataclass(frozen=True)
class NotebookEntry:
    """One notebook of the course map."""

    file: str
    title: str
    minutes: int            # the core path, by the time model (tools/course_times.py)
    goal: str
    deeper_minutes: int = 0  # all "Go deeper" sections together, by the same model
    deeper: tuple[str, ...] = ()  # the "Go deeper" sections' titles, in notebook order

    def __post_init__(self) -> None:
        object.__setattr__(self, "deeper", tuple(self.deeper))

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


def launch_ref() -> str:
    """The git ref every launch link points at: the release tag in course.json if one is set, else the branch.

    A tag never moves, so a push on the morning of a workshop does not make every learner's Binder launch rebuild
    the image, and a hub's nbgitpuller link pulls the version that was rehearsed. Tag before the day
    (``git tag -a v2026.12 && git push origin v2026.12``), set ``"release": "v2026.12"``, run ``make readme``.
    """
    cfg = config()
    release = str(cfg.get("release") or "").strip()
    if release and (not _REF_OK.fullmatch(release) or ".." in release):
        raise ValueError(f"release = {release!r} in course.json is not a git tag name "
                         "(letters, digits, '.', '_', '-', '/'; e.g. v2026.12)")
    return release or cfg["branch"]


def hub_ref() -> str:
    """The branch hub (nbgitpuller) links pull: ``hub_branch`` in course.json if set, else the branch.

    Not a tag: nbgitpuller 1.2.2 clones a tag on the first click but fails on every later click (its update step
    diffs against ``origin/<ref>``, which does not exist for a tag). Freeze a hub cohort with a branch made from the
    release tag instead (``git push origin v2026.12^{commit}:refs/heads/workshop-2026-12``).
    """
    cfg = config()
    branch = str(cfg.get("hub_branch") or "").strip()
    if branch and not _REF_OK.fullmatch(branch):
        raise ValueError(f"hub_branch = {branch!r} in course.json is not a git branch name")
    return branch or cfg["branch"]


def binder_url(notebook_file: str | None = None, ui: str = "lab") -> str:
    """mybinder.org launch link for the course, or straight into one notebook (ui: lab, notebook or voila)."""
    cfg = config()
    if ui not in _UI_PATHS:
        raise ValueError(f"ui = {ui!r} must be one of {sorted(_UI_PATHS)}")
    url = f"{cfg['binder_base']}/{_repo_path()}/{urllib.parse.quote(launch_ref(), safe='')}"
    if notebook_file:
        url += "?urlpath=" + urllib.parse.quote(f"{_UI_PATHS[ui]}/notebooks/{notebook_file}", safe="/")
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
        "branch": hub_ref(),
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


def deeper_cell(n: NotebookEntry) -> str:
    """The course map's "Go deeper" cell for a notebook: section titles and their minutes, or a dash."""
    if not n.deeper:
        return "–"
    return " · ".join(n.deeper) + f" (+{n.deeper_minutes})"


def course_map_markdown(link_prefix: str = "") -> str:
    """The course map as a Markdown table: notebook, goal, core minutes, optional "Go deeper" sections."""
    rows = ["| Notebook | What you will be able to do | Core minutes | Go deeper (optional, collapsed; + minutes) |",
            "|---|---|---|---|"]
    for n in notebooks():
        rows.append(f"| [{n.number} {n.title}]({link_prefix}{n.file}) | {n.goal[0].upper()}{n.goal[1:]} | {n.minutes} "
                    f"| {deeper_cell(n)} |")
    rows.append(f"| **Total** | | **{core_total()}** | **+{deeper_total()}** |")
    return "\n".join(rows)


def core_total() -> int:
    """Minutes of the core path through the whole course (the sum of the notebooks' stated core minutes)."""
    return sum(n.minutes for n in notebooks())


def deeper_total() -> int:
    """Minutes of every "Go deeper" section of the course."""
    return sum(n.deeper_minutes for n in notebooks())
