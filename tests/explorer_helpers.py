"""Helpers for explorer tests: build every explorer, and reveal one (predict, commit, skip the reading)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Explorer tests save predictions: never in the tester's own ~/.coursekit.
os.environ.setdefault("COURSEKIT_PROGRESS", str(Path(tempfile.mkdtemp(prefix="explorer-tests-")) / "progress.json"))

from coursekit.widgets import biologics, discovery, manufacturing, practice, stem_cells

# Every explorer of the course, by the name its prediction item gives in "explorer".
FACTORIES = {
    "practice_slider": practice.practice_slider,
    "size_comparer": biologics.size_comparer,
    "division_simulator": stem_cells.division_simulator,
    "potency_explorer": stem_cells.potency_explorer,
    "fed_batch_explorer": manufacturing.fed_batch_explorer,
    "cell_dose_explorer": manufacturing.cell_dose_explorer,
    "one_to_many_explorer": manufacturing.one_to_many_explorer,
    "screening_plate_explorer": discovery.screening_plate_explorer,
    "dose_response_explorer": discovery.dose_response_explorer,
}


def revealed(explorer, **settings):
    """Predict (first choice, 'guessing'), commit, skip any reading, then set these controls; return the explorer."""
    explorer.predict(explorer.item.choices[0].id if explorer.item.choices else explorer.item.number.min,
                     "guessing")
    explorer.commit()
    if explorer.stage == "read":
        explorer.skip_reading()
    assert explorer.stage == "revealed", explorer.message_text
    for name, value in settings.items():
        explorer.controls[name].value = value
    return explorer
