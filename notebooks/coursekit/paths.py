"""Where the course's files live, found from this package's own location (works on Binder, hubs and laptops)."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
NOTEBOOKS_DIR = PACKAGE_DIR.parent
REPO_ROOT = NOTEBOOKS_DIR.parent
DATA_DIR = REPO_ROOT / "assets" / "data"
QUESTIONS_DIR = DATA_DIR / "questions"
FACTS_CSV = DATA_DIR / "facts.csv"
