"""The one import and the one export (journal.exchange.importing and .exporting) that the window and the command line share."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from journal import records as r
from journal.errors import ValidationError
from journal.exchange.exporting import export_contents
from journal.exchange.importing import ImportOutcome, held_ids, import_file, read_import, store_import
from journal.exchange.jsonfile import contents_to_json, load_file
from journal.opening import open_file

FULL = Path(__file__).resolve().parents[1] / "fixtures" / "full_journal.json"
TODAY = date(2026, 11, 27)


@pytest.fixture
def journal(tmp_path):
    with open_file(tmp_path / "journal.db") as j:
        yield j


def _file(tmp_path: Path, contents: r.JournalContents, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(contents_to_json(contents, datetime(2026, 11, 27, 10, tzinfo=UTC))), encoding="utf-8")
    return path


def test_an_import_backs_up_first_stores_everything_and_says_what_changed(journal):
    steps: list = []
    journal_at_backup: list = []

    def backup():
        journal_at_backup.append(journal.counts())
        steps.append("backup")

    outcome = import_file(journal, FULL, backup=backup, today=TODAY, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 3), "backup", (2, 3), (3, 3)]
    assert sum(journal_at_backup[0].values()) == 0  # the journal as it was, before anything was stored
    assert outcome.counts == {"therapies": 0, **journal.counts()}  # a version-1 file holds no therapies
    assert outcome.summary() == "2 episodes, 5 trials, 8 scores, 2 daily check-ins, 3 lab results, 2 conditions, 3 sessions, 2 notes"
    assert outcome.settings_changed == {
        "adequate_weeks": 8, "failure_threshold_pct": 25, "count_augmentation": True, "primary_scale": "QIDS-SR16",
    }
    assert outcome.warnings == []
    assert journal.settings().primary_scale == "QIDS-SR16"


def test_a_refused_file_is_neither_backed_up_for_nor_stored(journal, tmp_path):
    bad = _file(tmp_path, r.JournalContents(trials=(r.Trial(id="t1", drug="sertraline", doses=(r.DoseStep(date(2025, 1, 10), -5.0),)),)))
    backed_up = []
    with pytest.raises(ValidationError) as caught:
        import_file(journal, bad, backup=lambda: backed_up.append(True), today=TODAY)
    assert [p.field for p in caught.value.problems] == ["trials[t1].doses[0].mg_per_day"]
    assert backed_up == [] and sum(journal.counts().values()) == 0


def test_a_file_imported_twice_is_refused_by_id_check_ins_too(journal, tmp_path):
    contents = r.JournalContents(
        checkins=(r.DailyCheckIn(id="d1", date=date(2025, 1, 8), mood=4),), notes=(r.Note(id="n1", date=date(2025, 1, 8), text="hi"),)
    )
    path = _file(tmp_path, contents)
    assert import_file(journal, path, today=TODAY).summary() == "1 daily check-in, 1 note"
    held = held_ids(journal)
    assert held["scores"] == {"d1"} and held["notes"] == {"n1"} and "checkins" not in held
    with pytest.raises(ValidationError) as caught:
        import_file(journal, path, today=TODAY)
    assert {p.field for p in caught.value.problems} == {"scores[d1].id", "notes[n1].id"}
    assert all("was this file imported before?" in p.message for p in caught.value.problems)


def test_the_two_steps_let_a_new_journal_be_made_between_them(tmp_path):
    result = read_import(FULL, None, today=TODAY)
    with open_file(tmp_path / "new.db", create=True) as j:
        outcome = store_import(j, result)
        assert outcome.total == sum(j.counts().values()) == 27
    assert ImportOutcome(counts={"notes": 0}).summary() == "no records"
    assert ImportOutcome(counts={"trials": 1, "labs": 2}).summary() == "1 trial, 2 lab results"
    assert ImportOutcome(counts={"therapies": 2, "trials": 0}).summary() == "2 therapies"
    assert ImportOutcome(counts={"therapies": 1}).summary() == "1 therapy"


def test_an_export_of_the_journal_file_imports_back_the_same(journal, tmp_path):
    import_file(journal, FULL, today=TODAY)
    out = export_contents(journal.contents(), tmp_path / "out.json")
    assert out == tmp_path / "out.json"
    again = load_file(out)
    assert again.contents == r.replace(journal.contents(), settings=r.Settings())  # settings come as changes
    assert again.settings_changes == vars(journal.settings())
    assert (out.stat().st_mode & 0o777) == 0o600
    assert export_contents(journal.contents(), tmp_path / "out.zip", "csv").is_file()
    assert json.loads(export_contents(journal.contents(), tmp_path / "out.fhir.json", "fhir").read_text())["resourceType"] == "Bundle"
    with pytest.raises(ValueError, match="unknown export format"):
        export_contents(journal.contents(), tmp_path / "x", "xml")
