"""`trial-journal assess` speaks to the person: what was counted, no trial ids, no sources' jargon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process

IDS = ("t-d93140", "t-5be0a7", "t-aa01f3", "e-41b7c2")


def _journal(tmp_path: Path) -> Path:
    data = {
        "format": "trial-journal",
        "version": 1,
        "episodes": [{"id": "e-41b7c2", "start": "2025-01-06", "end": None, "severity": "moderate"}],
        "trials": [
            {"id": "t-d93140", "drug": "Zoloft", "doses": [{"start": "2025-01-10", "mg_per_day": 100}], "end": "2025-04-01",
             "rating": {"response": "none", "improvement_pct": 10, "date": "2025-04-01"}},
            {"id": "t-5be0a7", "drug": "escitalopram", "doses": [{"start": "2025-04-05", "mg_per_day": 20}], "end": "2025-06-30",
             "adherence": "good", "rating": {"response": "none", "improvement_pct": 5, "date": "2025-06-30"}},
            # liothyronine (grade C in the catalog) added to escitalopram
            {"id": "t-aa01f3", "drug": "liothyronine", "doses": [{"start": "2025-05-01", "mg_per_day": 0.025}], "end": "2025-06-30",
             "adherence": "good"},
        ],
    }
    source = tmp_path / "history.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "journal.db"
    done = run_cli(tmp_path, "import", source, "--journal", db)
    assert done.returncode == 0, done.stderr
    return db


def test_assess_text_names_what_was_counted_without_ids_or_a_goal(tmp_path):
    db = _journal(tmp_path)
    done = run_cli(tmp_path, "assess", "--as-of", "2025-10-01", "--journal", db)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith(
        "The criteria for treatment-resistant depression appear to be met as of 2025-06-30: 2 different antidepressants "
        "taken at an adequate dose for long enough did not work well enough in this episode. Counted: sertraline and escitalopram."
    )
    assert "Failed adequate trials that count: 2." in text
    assert "rule needs" not in text and "of the 2" not in text
    # Sertraline's caveat sits under sertraline, named by its drug.
    sertraline = text[text.index("- sertraline:"):text.index("- escitalopram:")]
    assert "note: adherence not recorded (counted as taken as prescribed)" in sertraline
    # The catalog's grade C source in plain words.
    assert "0.025 mg/day, a usual figure, not yet confirmed by a published source" in text
    assert "commonly cited" not in text and "grade C" not in text
    for internal in IDS:
        assert internal not in text, f"the internal id {internal} is shown to the person"


def test_assess_json_keeps_the_ids_that_tie_each_caveat_to_its_trial(tmp_path):
    db = _journal(tmp_path)
    done = run_cli(tmp_path, "assess", "--as-of", "2025-10-01", "--json", "--journal", db)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "sertraline (t-d93140): adherence not recorded (counted as taken as prescribed)" in out["caveats"]
    assert {t["id"] for t in out["trials"]} == {"t-d93140", "t-5be0a7", "t-aa01f3"}
