"""`trial-journal due`: each rule of what can be due, through `due --json` on made-up journals, and its refusals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from journal.opening import open_file
from tests.cli.helpers import run_cli
from tests.cli.test_cli import fingerprint, ok, refused, write_json

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process


def made_up(tmp_path: Path, name: str = "j", *, reminders: dict | None = None, **lists) -> Path:
    """A journal made from a version-2 file holding `lists` and these reminders, through the real import."""
    data = {"format": "trial-journal", "version": 2, "settings": {"reminders": reminders or {}}, **lists}
    db = tmp_path / f"{name}.db"
    ok(run_cli(tmp_path, "import", write_json(tmp_path / f"{name}.json", data), "--journal", db))
    return db


def due(tmp_path: Path, db: Path, as_of: str) -> list[dict]:
    result = ok(run_cli(tmp_path, "due", "--as-of", as_of, "--json", "--journal", db))
    items = json.loads(result.stdout)
    assert isinstance(items, list)
    for item in items:
        assert set(item) == {"kind", "scale", "due", "overdue_days"}, item
    return items


def kinds(items: list[dict], kind: str) -> list[tuple]:
    return [(i["scale"], i["due"], i["overdue_days"]) for i in items if i["kind"] == kind]


def phq9(day: str, sid: str) -> dict:
    return {"id": sid, "date": day, "scale": "PHQ-9", "total": 12}


def daily(day: str, sid: str) -> dict:
    return {"id": sid, "date": day, "scale": "daily", "mood": 5}


def test_the_check_in_off_on_missed_across_a_month_end_and_cleared(tmp_path):
    checkins = [daily("2025-01-29", "d1"), daily("2025-01-30", "d2"), daily("2025-02-03", "d3")]
    off = made_up(tmp_path, "off", scores=checkins)
    assert kinds(due(tmp_path, off, "2025-02-02"), "checkin") == []
    on = made_up(tmp_path, "on", reminders={"checkin_time": "20:30"}, scores=checkins)
    assert kinds(due(tmp_path, on, "2025-02-02"), "checkin") == [(None, "2025-01-31", 2)]
    assert kinds(due(tmp_path, on, "2025-02-03"), "checkin") == []  # checked in that day


def test_questionnaires_every_14_days_by_default_restarted_by_one_taken_early_gad7_when_used(tmp_path):
    scores = [phq9("2025-01-18", "s1"), phq9("2025-01-25", "s2"), {"id": "g1", "date": "2025-01-20", "scale": "GAD-7", "total": 8}]
    db = made_up(tmp_path, scores=scores)
    # the PHQ-9 of the 25th was taken a week early: the next is 14 days after it, across the month end
    assert kinds(due(tmp_path, db, "2025-02-01"), "questionnaire") == []
    assert kinds(due(tmp_path, db, "2025-02-03"), "questionnaire") == [("GAD-7", "2025-02-03", 0)]
    assert kinds(due(tmp_path, db, "2025-02-10"), "questionnaire") == [("GAD-7", "2025-02-03", 7), ("PHQ-9", "2025-02-08", 2)]
    weekly = made_up(tmp_path, "weekly", reminders={"questionnaire_every_days": 7}, scores=[phq9("2025-02-26", "s1")])
    assert kinds(due(tmp_path, weekly, "2025-03-06"), "questionnaire") == [("PHQ-9", "2025-03-05", 1)]


def test_a_trial_started_yesterday_asks_for_its_baseline_and_its_adequate_weeks_ask_for_another(tmp_path):
    reminders = {"questionnaire_every_days": 90}
    started = made_up(
        tmp_path, "started", reminders=reminders, scores=[phq9("2025-01-02", "s1")],
        trials=[{"id": "t1", "drug": "sertraline", "doses": [{"start": "2025-02-28", "mg_per_day": 50}]}],
    )
    assert kinds(due(tmp_path, started, "2025-02-27"), "questionnaire") == []
    assert kinds(due(tmp_path, started, "2025-03-01"), "questionnaire") == [("PHQ-9", "2025-02-28", 1)]
    six_weeks = made_up(
        tmp_path, "weeks", reminders=reminders, scores=[phq9("2024-12-30", "s1")],
        trials=[{"id": "t1", "drug": "sertraline", "doses": [{"start": "2025-01-01", "mg_per_day": 50}]}],
    )
    assert kinds(due(tmp_path, six_weeks, "2025-02-10"), "questionnaire") == []
    assert kinds(due(tmp_path, six_weeks, "2025-02-13"), "questionnaire") == [("PHQ-9", "2025-02-11", 2)]


def test_the_appointment_report_the_day_before_and_cleared_by_a_report(tmp_path):
    notes = [{"id": "n1", "date": "2025-02-20", "text": "Ask about sleep", "for_appointment": True}]
    db = made_up(tmp_path, reminders={"next_appointment": "2025-03-01"}, notes=notes)
    assert kinds(due(tmp_path, db, "2025-02-27"), "appointment") == []
    assert kinds(due(tmp_path, db, "2025-02-28"), "appointment") == [(None, "2025-02-28", 0)]
    assert kinds(due(tmp_path, db, "2025-03-01"), "appointment") == [(None, "2025-02-28", 1)]
    plain = ok(run_cli(tmp_path, "due", "--as-of", "2025-02-28", "--journal", db)).stdout
    assert "make the appointment report (1 open question)" in plain
    with open_file(db, create=False) as journal:
        journal.report_made(date(2025, 2, 28))
    assert kinds(due(tmp_path, db, "2025-03-01"), "appointment") == []


def test_the_next_esketamine_session_across_a_year_end_asks_about_transport(tmp_path):
    sessions = [{"id": "k1", "datetime": "2025-12-29T10:00:00+01:00", "treatment": "esketamine", "dose_mg": 56}]
    db = made_up(tmp_path, reminders={"next_session": "2026-01-01T10:00:00+01:00"}, sessions=sessions)
    assert kinds(due(tmp_path, db, "2025-12-30"), "session") == []
    assert kinds(due(tmp_path, db, "2025-12-31"), "session") == [(None, "2025-12-31", 0)]
    plain = ok(run_cli(tmp_path, "due", "--as-of", "2025-12-31", "--journal", db)).stdout
    line = next(line for line in plain.splitlines() if line.startswith("session:"))
    assert line == "session: due today: your esketamine session is on 2026-01-01 at 10:00: is transport arranged? No driving until the next day"


def test_plain_output_says_why_and_nothing_due_is_said_too(tmp_path):
    db = made_up(tmp_path, reminders={"questionnaire_every_days": 30}, scores=[phq9("2025-01-10", "s1")])
    assert ok(run_cli(tmp_path, "due", "--as-of", "2025-01-20", "--journal", db)).stdout == "Nothing is due on 2025-01-20.\n"
    assert due(tmp_path, db, "2025-01-20") == []
    plain = ok(run_cli(tmp_path, "due", "--as-of", "2025-02-12", "--journal", db)).stdout
    assert plain == "PHQ-9: overdue since 2025-02-09 (3 days): PHQ-9 every 30 days: the last was on 2025-01-10\n"


def test_due_changes_nothing_in_the_journal(tmp_path):
    db = made_up(tmp_path, reminders={"checkin_time": "08:00"}, scores=[phq9("2025-01-10", "s1")])
    before = fingerprint(db)
    due(tmp_path, db, "2025-02-12")
    assert fingerprint(db) == before


def test_a_missing_journal_or_a_bad_date_is_refused_with_the_reason(tmp_path):
    missing = tmp_path / "nowhere.db"
    assert f"there is no journal at {missing}" in refused(run_cli(tmp_path, "due", "--json", "--journal", missing))
    assert not missing.exists()
    db = made_up(tmp_path)
    assert "--as-of must be a date written YYYY-MM-DD, got '2025/02/01'" in refused(run_cli(tmp_path, "due", "--as-of", "2025/02/01", "--journal", db))
    assert "February 2025 has 28 days" in refused(run_cli(tmp_path, "due", "--as-of", "2025-02-29", "--journal", db))
