"""Install the course's Jupyter settings (folder jupyter-config/) into a Python environment's etc/jupyter.

    python -m tools.jupyter_settings install [--prefix PREFIX]   # default: this Python's sys.prefix
    python -m tools.jupyter_settings check [--prefix PREFIX]     # exit 1 and say what is missing

What they do (every front end a learner may meet reads them from ``<prefix>/etc/jupyter``):
- ``labconfig/default_setting_overrides.json``: Notebook 7 (and JupyterLab) no longer give ArrowLeft/ArrowRight to
  the "collapse/expand heading" shortcuts, so arrow keys move a focused slider;
- ``jupyter_server_config.json``: the server uses the synchronous LargeFileManager, without which Voila as
  a server extension (Binder's ``urlpath=voila/render/...``) hangs on every notebook with a Markdown image (a
  ServerApp option in ``jupyter_server_config.d/`` is not applied by ``jupyter lab``: it must be this file);
- ``VoilaConfiguration.extension_denylist`` (there and in ``voila.json`` for standalone ``voila``): Voila does not load
  the jupytext front-end extension, which fails in Voila's page.

Run by ``make`` (into .venv), by Binder's ``postBuild``, and by a hub admin when building the user image. Files are
merged key by key into what is already there, so a hub's own settings are kept; running it twice changes nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "jupyter-config"


def merged(base: dict, extra: dict) -> dict:
    """base with extra merged in recursively (extra wins on conflicts; lists are replaced)."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _contains(have: dict, want: dict) -> bool:
    return all(k in have and (_contains(have[k], v) if isinstance(v, dict) and isinstance(have[k], dict)
                              else have[k] == v) for k, v in want.items())


def targets(prefix: Path) -> list[tuple[Path, Path]]:
    """(shipped file, where it goes) for every settings file."""
    return [(src, prefix / "etc" / "jupyter" / src.relative_to(SOURCE)) for src in sorted(SOURCE.rglob("*.json"))]


def install(prefix: Path) -> list[Path]:
    written = []
    for src, dest in targets(prefix):
        want = json.loads(src.read_text(encoding="utf-8"))
        have = {}
        if dest.exists():
            try:
                have = json.loads(dest.read_text(encoding="utf-8") or "{}")
            except ValueError as exc:
                raise SystemExit(f"error: {dest} is not valid JSON ({exc}); fix or remove it, then run again") from exc
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(merged(have, want), indent=2) + "\n", encoding="utf-8")
        written.append(dest)
    return written


def missing(prefix: Path) -> list[str]:
    problems = []
    for src, dest in targets(prefix):
        want = json.loads(src.read_text(encoding="utf-8"))
        try:
            have = json.loads(dest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            problems.append(f"{dest} is missing or unreadable")
            continue
        if not _contains(have, want):
            problems.append(f"{dest} lacks the course's settings from {src.relative_to(ROOT)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["install", "check"])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix))
    args = parser.parse_args(argv)
    if args.action == "install":
        for dest in install(args.prefix):
            print(f"course settings: {dest}")
        return 0
    problems = missing(args.prefix)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
