"""The layers hold at import time: data -> models -> figures -> widgets -> notebook API, never upward."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

import coursekit

PACKAGE = Path(coursekit.__file__).parent
# A module may import from its own layer and the layers listed for it, nothing else of coursekit.
CORE = {"paths", "facts", "questions", "predictions", "course", "glossary", "progress", "browser", "numbers", "tables",
        "timing", "classview", "frontend"}
ALLOWED = {
    "core": CORE,
    "models": CORE | {"models"},
    "figures": CORE | {"models", "figures", "style", "display"},
    "widgets": CORE | {"models", "figures", "widgets", "style", "display"},
    "style": CORE | {"style"},
    "display": CORE | {"display", "style"},
}


def layer(module: str) -> str:
    """The layer of a coursekit module given as a dotted path inside the package (e.g. 'models.biologics')."""
    head = module.split(".")[0]
    if head in ("models", "figures", "widgets", "style", "display"):
        return head
    return "core"


def coursekit_imports(source: str, relative_path: str) -> set[str]:
    """Top-level coursekit names a module imports (relative or absolute), e.g. {'facts', 'widgets'}."""
    tree = ast.parse(source)
    package_parts = Path(relative_path).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package_parts[:len(package_parts) - (node.level - 1)])
                target = base + (node.module.split(".") if node.module else [])
                names = [target[0]] if target else [alias.name for alias in node.names]
                found.update(names)
            elif node.module and node.module.split(".")[0] == "coursekit":
                parts = node.module.split(".")[1:]
                found.update([parts[0]] if parts else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "coursekit" and len(parts) > 1:
                    found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path):
    dotted = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    own = layer(dotted)
    names = coursekit_imports(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    upward = {name for name in names if layer(name) not in ALLOWED[own] and name not in ALLOWED[own]}
    assert not upward, f"{dotted} (layer {own}) imports {sorted(upward)} from a higher layer"


def test_the_layer_checker_sees_relative_and_absolute_imports():
    source = "from ..widgets.quiz import CheckQuestion\nfrom .. import facts\nimport coursekit.figures.review\n"
    assert coursekit_imports(source, "models/probe.py") == {"widgets", "facts", "figures"}
    assert coursekit_imports("from . import validation\n", "models/probe.py") == {"models"}
    assert "widgets" not in ALLOWED[layer("models.probe")]


@pytest.mark.parametrize("module", ["coursekit", "coursekit.facts", "coursekit.progress", "coursekit.course",
                                    "coursekit.models.biologics", "coursekit.models.stem_cells",
                                    "coursekit.models.manufacturing", "coursekit.models.discovery",
                                    "coursekit.models.capstone"])
def test_importing_the_science_loads_no_widgets_ipython_or_matplotlib(module):
    code = (f"import sys, {module}\n"
            "heavy = sorted(m for m in ('ipywidgets', 'IPython', 'matplotlib') if m in sys.modules)\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "", f"importing {module} loaded {out.stdout.strip()}"


def test_no_sys_path_edits_anywhere():
    root = PACKAGE.parents[1]
    offenders = [str(p.relative_to(root)) for folder in ("notebooks", "tools", "tests")
                 for p in (root / folder).rglob("*.py")
                 if "sys.path.insert" in p.read_text(encoding="utf-8") and p.name != "test_layers.py"]
    assert offenders == []
    assert "pythonpath" not in (root / "pytest.ini").read_text()
