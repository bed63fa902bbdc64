"""The instructor guide cannot drift: answer keys match the question banks; the glossary page matches its CSV."""
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from coursekit import course, questions

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTORS = ROOT / "instructors"
BANKS = sorted(p.stem for p in questions.QUESTIONS_DIR.glob("*.json"))
OWN_GUIDES = ("00_start_here", "05_review")   # guides that must exist now; the others arrive with their notebooks
KEY_LINE = re.compile(r"^- `([^`]+)`: \*\*(.+?)\*\* \((.+)\)\.?\s*$")

from tools import render_glossary  # noqa: E402


def answer_key(text: str) -> dict[str, str]:
    """{question id: correct option text} from a guide's '## Answer key' section (one line per question)."""
    if "## Answer key" not in text:
        raise AssertionError("no '## Answer key' section")
    section = text.split("## Answer key", 1)[1].split("\n## ", 1)[0]
    key: dict[str, str] = {}
    for line in section.strip().splitlines():
        if not line.strip():
            continue
        m = KEY_LINE.match(line)
        assert m, f"answer-key line not in the form - `id`: **correct option text** (why): {line!r}"
        assert m.group(1) not in key, f"question {m.group(1)!r} listed twice"
        key[m.group(1)] = m.group(2)
    return key


def test_every_bank_is_checked_or_reported():
    """Which banks have no guide yet (printed, so nothing is skipped silently); the ones this guide owns must."""
    missing = [b for b in BANKS if not (INSTRUCTORS / f"{b}.md").exists()]
    if missing:
        warnings.warn(UserWarning(f"question banks without an instructor guide yet (answer key not checked): "
                                  f"{missing}"), stacklevel=2)
    assert not [b for b in missing if b in OWN_GUIDES], f"missing guides: {missing}"


def key_problems(guide_text: str, bank: dict) -> list[str]:
    """Differences between a guide's answer key and a question bank (empty = in step)."""
    key = answer_key(guide_text)
    problems = [f"lists an id that does not exist: {q}" for q in sorted(set(key) - set(bank))]
    problems += [f"misses question {q}" for q in sorted(set(bank) - set(key))]
    problems += [f"{q}: key says {t!r}, bank says {bank[q].correct_option.text!r}"
                 for q, t in key.items() if q in bank and t != bank[q].correct_option.text]
    return problems


@pytest.mark.parametrize("bank", [b for b in BANKS if (INSTRUCTORS / f"{b}.md").exists()])
def test_answer_key_lists_every_question_with_the_correct_option_verbatim(bank):
    problems = key_problems((INSTRUCTORS / f"{bank}.md").read_text(encoding="utf-8"),
                            questions.load_bank(questions.QUESTIONS_DIR / f"{bank}.json"))
    assert not problems, f"instructors/{bank}.md: " + "; ".join(problems)


def test_a_drifted_key_is_caught():
    bank = questions.load_bank(questions.QUESTIONS_DIR / "05_review.json")
    guide = (INSTRUCTORS / "05_review.md").read_text(encoding="utf-8")
    assert key_problems(guide, bank) == []
    reworded = guide.replace("**As a biologic: in US law", "**As a biologic: under US law")
    assert any("law_nuance: key says" in p for p in key_problems(reworded, bank))
    dropped = "\n".join(line for line in guide.splitlines() if not line.startswith("- `opening_again`"))
    assert key_problems(dropped, bank) == ["misses question opening_again"]
    extra = guide + "- `ghost`: **Boo** (no such question).\n"
    assert key_problems(extra, bank) == ["lists an id that does not exist: ghost"]


def test_the_drift_check_can_fail():
    good = "## Answer key\n\n- `q`: **Right answer** (because).\n"
    assert answer_key(good) == {"q": "Right answer"}
    with pytest.raises(AssertionError, match="not in the form"):
        answer_key("## Answer key\n\n- q: Right answer\n")
    with pytest.raises(AssertionError, match="listed twice"):
        answer_key(good + "- `q`: **Right answer** (again).\n")
    with pytest.raises(AssertionError, match="no '## Answer key'"):
        answer_key("# Notes only\n")


def test_readme_links_every_notebook_guide_and_the_shared_pages():
    readme = (INSTRUCTORS / "README.md").read_text(encoding="utf-8")
    for n in course.notebooks():
        assert f"]({n.stem}.md)" in readme, n.stem
    for page in ("schedules.md", "glossary.md"):
        assert f"]({page})" in readme and (INSTRUCTORS / page).exists()
    for needed in ("100 learners", "10 minutes", "1–2 GB", "tools/hub_link.py", "Error displaying widget",
                   "Kernel not found", "Binder is slow", "COURSEKIT_PROGRESS"):
        assert needed in readme, needed


def test_local_links_in_the_guide_resolve_for_written_pages():
    for page in INSTRUCTORS.glob("*.md"):
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path = (page.parent / target).resolve()
            optional = path.parent == INSTRUCTORS or path.parent == ROOT / "notebooks"
            if path.stem in OWN_GUIDES or not optional or path.name in ("README.md", "schedules.md", "glossary.md"):
                assert path.exists(), f"{page.name}: link to {target} does not resolve"


def test_committed_glossary_page_equals_the_rendered_one():
    assert (INSTRUCTORS / "glossary.md").read_text(encoding="utf-8") == render_glossary.render(), \
        "instructors/glossary.md is out of date: run python tools/render_glossary.py"


def test_render_glossary_check_mode_detects_drift(tmp_path, monkeypatch):
    monkeypatch.setattr(render_glossary, "OUTPUT", tmp_path / "glossary.md")
    assert render_glossary.main(["--check"]) == 1
    assert render_glossary.main([]) == 0 and render_glossary.main(["--check"]) == 0


def test_hub_link_prints_an_nbgitpuller_link():
    def run(*a):
        return subprocess.run([sys.executable, str(ROOT / "tools" / "hub_link.py"), *a], capture_output=True,
                              text=True)
    ok = run("https://hub.example.org/", "05_review.ipynb")
    assert ok.returncode == 0
    assert ok.stdout.strip() == course.nbgitpuller_url("https://hub.example.org", "05_review.ipynb")
    assert ok.stdout.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=")
    assert "notebooks%2F05_review.ipynb" in ok.stdout
    default = run("https://hub.example.org")
    assert "00_start_here.ipynb" in default.stdout
    bad_hub = run("hub.example.org")
    assert bad_hub.returncode == 2 and "hub_url" in bad_hub.stderr
    bad_nb = run("https://hub.example.org", "99_nothing.ipynb")
    assert bad_nb.returncode == 2 and "NOTEBOOK" in bad_nb.stderr
