"""A journal file imported and exported through the real command comes back the same, nothing lost."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import FULL, run_cli

FULL_V2 = FULL.parent / "full_journal_v2.json"
NO_REMINDERS = {"checkin_time": None, "questionnaire_every_days": None, "next_appointment": None, "next_session": None}

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


def without_exported_at(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "exported_at"}


def as_version_2(data: dict) -> dict:
    """A version-1 file as the export (version 2) writes it: the records as they were, no therapies, no reminders."""
    return {**data, "version": 2, "settings": {**data["settings"], "reminders": NO_REMINDERS}, "therapies": data.get("therapies", [])}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    """The full file imported into journal A, exported, that export imported into journal B, exported again."""
    home = tmp_path_factory.mktemp("home")
    a_db, b_db = home / "a.db", home / "b.db"
    a_json, b_json = home / "a.json", home / "b.json"
    ok(run_cli(home, "import", FULL, "--journal", a_db))
    ok(run_cli(home, "export", "--format", "json", "--out", a_json, "--journal", a_db))
    ok(run_cli(home, "import", a_json, "--journal", b_db))
    ok(run_cli(home, "export", "--format", "json", "--out", b_json, "--journal", b_db))
    return {"home": home, "a_db": a_db, "b_db": b_db, "a_json": a_json, "b_json": b_json}


def test_the_fixture_holds_every_record_kind_and_field():
    # The round trip proves little unless the file really uses every part of the format.
    data = json.loads(FULL.read_text(encoding="utf-8"))
    for key in ("profile", "settings", "episodes", "trials", "scores", "labs", "conditions", "sessions", "notes", "entries_by"):
        assert data[key], key
    scales = {s["scale"] for s in data["scores"]}
    assert scales == {"PHQ-9", "GAD-7", "QIDS-SR16", "MADRS", "HAMD-17", "daily"}
    assert any(len(t["doses"]) >= 3 and t["side_effects"] and t["rating"] for t in data["trials"])
    assert any(s.get("items") and s.get("difficulty") is not None for s in data["scores"])
    assert any(s["scale"] == "daily" and s["note"] for s in data["scores"])
    assert any(s["bp_before"] and s["bp_after"] and s["dissociation"] is not None for s in data["sessions"])
    every_key = {
        "episodes": {"id", "start", "end", "severity", "note"},
        "trials": {
            "id", "drug", "augmentation", "min_adequate_mg", "doses", "end", "stop_reason", "adherence", "rating", "side_effects", "note",
        },
        "labs": {"id", "date", "test", "value", "unit", "note"},
        "conditions": {"id", "name", "status", "since", "note"},
        "sessions": {"id", "datetime", "treatment", "dose_mg", "number_in_course", "bp_before", "bp_after",
                     "dissociation", "sedation", "nausea", "transport_arranged", "note"},
        "notes": {"id", "date", "text", "for_appointment"},
    }
    for name, keys in every_key.items():
        assert all(set(r) == keys for r in data[name]), name


def test_export_of_an_imported_export_is_identical_but_for_the_export_time(exports):
    a = json.loads(exports["a_json"].read_text(encoding="utf-8"))
    b = json.loads(exports["b_json"].read_text(encoding="utf-8"))
    assert without_exported_at(a) == without_exported_at(b)
    # Byte for byte too, once the one line that may differ is set aside.
    a_lines = [ln for ln in exports["a_json"].read_text(encoding="utf-8").splitlines() if '"exported_at"' not in ln]
    b_lines = [ln for ln in exports["b_json"].read_text(encoding="utf-8").splitlines() if '"exported_at"' not in ln]
    assert a_lines == b_lines


def test_first_export_equals_the_imported_file(exports):
    # The fixture is written as the export writes (keys in the spec's order, every key present,
    # whole numbers without ".0", records sorted by date then id), so the only differences are
    # `exported_at`, which is the time of the export, and what version 2 adds: the version, the
    # (empty) reminders and the (empty) therapies. Its records gain no version-2 key.
    given = json.loads(FULL.read_text(encoding="utf-8"))
    exported = json.loads(exports["a_json"].read_text(encoding="utf-8"))
    assert exported["exported_at"] != given["exported_at"]
    assert without_exported_at(exported) == without_exported_at(as_version_2(given))
    for name in ("episodes", "trials", "scores", "labs", "conditions", "sessions", "notes"):
        assert [r["id"] for r in exported[name]] == [r["id"] for r in given[name]], name
        for got, want in zip(exported[name], given[name], strict=False):
            assert list(got) == list(want), f"{name}[{want['id']}] key order"
    # Number formatting: 0.025 mg liothyronine stays 0.025, 50 stays 50 (not 50.0).
    text = exports["a_json"].read_text(encoding="utf-8")
    assert '"mg_per_day": 0.025' in text
    assert '"mg_per_day": 50,' in text or '"mg_per_day": 50\n' in text
    assert '"mg_per_day": 50.0' not in text


def test_both_journals_assess_the_same(exports):
    home = exports["home"]
    a = ok(run_cli(home, "assess", "--json", "--as-of", "2026-10-01", "--journal", exports["a_db"])).stdout
    b = ok(run_cli(home, "assess", "--json", "--as-of", "2026-10-01", "--journal", exports["b_db"])).stdout
    assert json.loads(a) == json.loads(b)
    assert json.loads(a)["settings"] == {
        "adequate_weeks": 8, "failure_threshold_pct": 25, "count_augmentation": True, "primary_scale": "QIDS-SR16",
    }


def test_a_minimal_file_comes_back_with_its_defaults_filled_in(tmp_path):
    # What the export normalises, precisely: a missing list becomes [], a missing flag false,
    # a missing note "" (not null), any other missing field null; a PHQ-9 given by items only
    # gains its total; 50.0 is written 50; a "Z" offset is written +00:00; records come back
    # sorted by date then id; settings and profile are written in full.
    given = {
        "format": "trial-journal",
        "version": 1,
        "exported_at": "2026-01-10T08:00:00+00:00",
        "episodes": [{"id": "e1", "start": "2025-01-06"}],
        "trials": [{"id": "t1", "drug": "escitalopram", "doses": [{"start": "2025-01-10", "mg_per_day": 10.0}]}],
        "scores": [
            {"id": "s2", "date": "2025-03-01", "scale": "MADRS", "total": 28},
            {"id": "s1", "date": "2025-01-08", "scale": "PHQ-9", "items": [2, 3, 2, 3, 1, 2, 2, 1, 0]},
            {"id": "d1", "date": "2025-01-09", "scale": "daily", "mood": 3},
        ],
        "labs": [{"id": "l1", "date": "2025-02-01", "test": "TSH", "value": 2}],
        "conditions": [{"id": "c1", "name": "chronic pain"}],
        "sessions": [{"id": "k1", "datetime": "2025-05-02T09:30:00Z", "treatment": "ect"}],
        "notes": [{"id": "n1", "date": "2025-03-01", "text": "Ask about lithium levels"}],
    }
    src = tmp_path / "minimal.json"
    src.write_text(json.dumps(given), encoding="utf-8")
    db, out = tmp_path / "j.db", tmp_path / "out.json"
    ok(run_cli(tmp_path, "import", src, "--journal", db))
    ok(run_cli(tmp_path, "export", "--out", out, "--journal", db))
    exported = without_exported_at(json.loads(out.read_text(encoding="utf-8")))
    assert exported == {
        "format": "trial-journal",
        "version": 2,
        "profile": {"display_name": None, "birth_year": None},
        "settings": {
            "adequate_weeks": 6, "failure_threshold_pct": 50, "count_augmentation": False, "primary_scale": "PHQ-9",
            "reminders": NO_REMINDERS,
        },
        "episodes": [{"id": "e1", "start": "2025-01-06", "end": None, "severity": None, "note": ""}],
        "trials": [{
            "id": "t1", "drug": "escitalopram", "augmentation": False, "min_adequate_mg": None,
            "doses": [{"start": "2025-01-10", "mg_per_day": 10}], "end": None, "stop_reason": None,
            "adherence": None, "rating": None, "side_effects": [], "note": "",
        }],
        "scores": [
            {"id": "s1", "date": "2025-01-08", "scale": "PHQ-9", "items": [2, 3, 2, 3, 1, 2, 2, 1, 0], "difficulty": None, "total": 16},
            {"id": "d1", "date": "2025-01-09", "scale": "daily", "mood": 3, "anxiety": None, "sleep_quality": None,
             "energy": None, "pain": None, "hours_slept": None, "note": ""},
            {"id": "s2", "date": "2025-03-01", "scale": "MADRS", "total": 28},
        ],
        "labs": [{"id": "l1", "date": "2025-02-01", "test": "TSH", "value": 2, "unit": None, "note": ""}],
        "conditions": [{"id": "c1", "name": "chronic pain", "status": None, "since": None, "note": ""}],
        "sessions": [{
            "id": "k1", "datetime": "2025-05-02T09:30:00+00:00", "treatment": "ect", "dose_mg": None,
            "number_in_course": None, "bp_before": None, "bp_after": None, "dissociation": None,
            "sedation": None, "nausea": None, "transport_arranged": False, "note": "",
        }],
        "notes": [{"id": "n1", "date": "2025-03-01", "text": "Ask about lithium levels", "for_appointment": False}],
        "therapies": [],
        "entries_by": [],
    }


@pytest.fixture(scope="module")
def exports_v2(tmp_path_factory) -> dict[str, Path]:
    """The full version-2 file imported into journal A, exported, that export imported into journal B, exported again."""
    home = tmp_path_factory.mktemp("home_v2")
    a_db, b_db = home / "a.db", home / "b.db"
    a_json, b_json = home / "a.json", home / "b.json"
    ok(run_cli(home, "import", FULL_V2, "--journal", a_db))
    ok(run_cli(home, "export", "--format", "json", "--out", a_json, "--journal", a_db))
    ok(run_cli(home, "import", a_json, "--journal", b_db))
    ok(run_cli(home, "export", "--format", "json", "--out", b_json, "--journal", b_db))
    return {"home": home, "a_json": a_json, "b_json": b_json}


def test_a_version_2_file_imported_and_exported_is_the_same_file(exports_v2):
    # Every field version 2 adds (months and years for dates, doses not remembered, sources,
    # therapies, the session monitoring, times, origins, reminders) comes back as written.
    given = json.loads(FULL_V2.read_text(encoding="utf-8"))
    for name in ("a_json", "b_json"):
        exported = json.loads(exports_v2[name].read_text(encoding="utf-8"))
        assert without_exported_at(exported) == without_exported_at(given), name
    a_lines = [ln for ln in exports_v2["a_json"].read_text(encoding="utf-8").splitlines() if '"exported_at"' not in ln]
    given_lines = [ln for ln in FULL_V2.read_text(encoding="utf-8").splitlines() if '"exported_at"' not in ln]
    assert a_lines == given_lines


def test_a_version_1_file_with_a_month_for_a_date_is_refused_by_the_command(tmp_path):
    data = json.loads(FULL.read_text(encoding="utf-8"))
    data["trials"][0]["doses"][1]["start"] = "2019-03"
    src = tmp_path / "v1.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "j.db"
    result = run_cli(tmp_path, "import", src, "--journal", db)
    assert result.returncode == 2, result.stderr
    assert 'trials[t1].doses[1].start: "2019-03" is a month (YYYY-MM); version 1 files give full dates' in result.stderr
    assert not db.exists() or "Traceback" not in result.stderr
