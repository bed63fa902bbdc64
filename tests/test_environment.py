"""environment.yml (Binder/conda) and the pip pins say the same thing, and both are fully pinned."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_env(text: str) -> dict:
    """Channels, conda dependencies and pip entries of an environment.yml (a small, strict reader)."""
    channels, deps, pip, section = [], [], [], None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if re.match(r"^\w", line):
            section = line.split(":")[0]
            continue
        item = line.strip().removeprefix("- ").strip()
        if section == "channels":
            channels.append(item)
        elif section == "dependencies":
            if item == "pip:":
                section = "pip"
            else:
                deps.append(item)
        elif section == "pip":
            pip.append(item)
    return {"channels": channels, "deps": deps, "pip": pip}


def pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("python="):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"not pinned with ==: {line}"
        out[name.lower().replace("_", "-")] = version
    return out


def env_problems(text: str) -> list[str]:
    env = parse_env(text)
    problems = []
    if env["channels"] != ["conda-forge"]:
        problems.append(f"channels must be conda-forge only, got {env['channels']}")
    if "python=3.11" not in env["deps"]:
        problems.append("the line 'python=3.11' (written exactly so) is missing")
    for dep in env["deps"]:
        if not dep.startswith("python=") and "==" not in dep:
            problems.append(f"not pinned with ==: {dep}")
    for entry in env["pip"]:
        if entry.startswith(("-r", "-e", ".")) or "file:" in entry:
            problems.append(f"local reference in pip section breaks Binder's layer cache: {entry}")
    return problems


def test_environment_yml_is_conda_forge_python_311_and_fully_pinned():
    assert env_problems((ROOT / "environment.yml").read_text()) == []


def test_env_checks_catch_common_mistakes():
    bad = "channels:\n  - conda-forge\n  - defaults\ndependencies:\n  - python>=3.11\n  - numpy\n  - pip:\n    - -e .\n"
    problems = "\n".join(env_problems(bad))
    for expected in ("conda-forge only", "'python=3.11'", "not pinned with ==: numpy", "local reference"):
        assert expected in problems, problems


def test_environment_yml_and_requirements_txt_pin_the_same_versions():
    env = pins(d for d in parse_env((ROOT / "environment.yml").read_text())["deps"])
    req = pins((ROOT / "requirements.txt").read_text().splitlines())
    assert env == req


def test_test_tools_are_pinned_separately_and_constraints_agree():
    runtime = pins((ROOT / "requirements.txt").read_text().splitlines())
    test_tools = pins((ROOT / "requirements-test.txt").read_text().splitlines())
    assert {"playwright", "pytest-mpl", "jupyter-repo2docker"} <= set(test_tools)
    assert not set(runtime) & set(test_tools)
    locked = pins(line for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    for name, version in {**runtime, **test_tools}.items():
        assert locked.get(name) == version, f"constraints.txt has {name}=={locked.get(name)}, pinned {version}"
