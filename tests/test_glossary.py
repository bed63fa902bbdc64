"""The course glossary: its terms, its table, and a clear error for a bad row."""
import pytest

from coursekit import glossary


REQUIRED_TERMS = {"biologic", "small molecule", "monoclonal antibody", "host cell", "bioreactor", "titer",
                  "self-renewal", "differentiation", "potency", "iPSC", "HSC", "autologous", "allogeneic",
                  "Z'-factor", "EC50", "CHO cell", "cell therapy", "viability"}


def test_glossary_has_the_course_terms_and_renders():
    terms = {t.term for t in glossary.load_glossary()}
    assert terms >= REQUIRED_TERMS and len(terms) >= 25
    md = glossary.glossary_markdown()
    assert md.startswith("| Term | Meaning | Taught in |")
    assert "| **EC50** |" in md and "(04_stem_cells_in_drug_discovery.ipynb)" in md


def test_glossary_rejects_unknown_notebook(tmp_path):
    bad = tmp_path / "g.csv"
    bad.write_text("term,definition,notebook,also\nx,y,07_nowhere,\n")
    with pytest.raises(ValueError, match="07_nowhere"):
        glossary.load_glossary(bad)

