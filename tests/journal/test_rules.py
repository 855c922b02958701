"""The rules of typed records (journal.rules): a form's record and a file's record are judged alike, in the same words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from journal import records as r
from journal import rules
from journal.errors import ValidationError
from journal.exchange.jsonfile import contents_to_json, parse_contents

TODAY = date(2026, 11, 27)
PLUS2 = timezone(timedelta(hours=2))


def _trial(**fields) -> r.Trial:
    doses = fields.pop("doses", (r.DoseStep(date(2025, 1, 10), 50.0),))
    return r.Trial(id=fields.pop("id", "t1"), drug=fields.pop("drug", "sertraline"), doses=doses, **fields)


def _in_a_file(record) -> dict[str, str]:
    """The problems of `record` when it comes in a journal file, as {field: message}."""
    name = {r.DailyCheckIn: "checkins"}.get(type(record)) or next(
        k for k, cls in (("episodes", r.Episode), ("trials", r.Trial), ("scores", r.ScaleScore), ("labs", r.Lab),
                         ("conditions", r.Condition), ("sessions", r.Session), ("notes", r.Note), ("therapies", r.Therapy))
        if isinstance(record, cls)
    )
    data = contents_to_json(r.JournalContents(**{name: (record,)}), datetime(2026, 11, 27, 10, tzinfo=UTC))
    with pytest.raises(ValidationError) as caught:
        parse_contents(data, today=TODAY)
    return {p.field: p.message for p in caught.value.problems}


@pytest.mark.parametrize(
    "record, where",
    [
        (_trial(doses=(r.DoseStep(date(2025, 1, 10), 50.0), r.DoseStep(date(2025, 2, 7), -50.0))), "doses[1].mg_per_day"),
        (_trial(doses=(r.DoseStep(date(2025, 1, 10), 50.0), r.DoseStep(date(2025, 1, 10), 100.0))), "doses[1].start"),
        (_trial(end=date(2025, 1, 1)), "end"),
        (_trial(drug="   "), "drug"),
        (_trial(rating=r.Rating("great")), "rating.response"),
        (_trial(side_effects=(r.SideEffect("nausea", severity=4),)), "side_effects[0].severity"),
        (r.Episode(id="e1", start=date(1899, 12, 31)), "start"),
        (r.ScaleScore(id="s1", date=date(2025, 1, 8), scale="PHQ-9", total=20, items=(2, 3, 2, 3, 1, 2, 2, 1, 0)), "total"),
        (r.ScaleScore(id="s1", date=date(2025, 1, 8), scale="MADRS", total=61), "total"),
        (r.DailyCheckIn(id="d1", date=date(2025, 1, 8), mood=11), "mood"),
        (r.Lab(id="l1", date=date(2025, 1, 8), test="CRP", value=float("inf")), "value"),
        (r.Condition(id="c1", name="ADHD", status="maybe"), "status"),
        (r.Session(id="k1", datetime=datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2), treatment="ect", bp_before=(120, 400)), "bp_before[1]"),
        (r.Note(id="n1", date=date(2025, 3, 1), text="x" * 25_000), "text"),
        # version 2
        (_trial(doses=(r.DoseStep(date(2019, 3, 1), 50.0, "month"), r.DoseStep(date(2019, 3, 15), 100.0))), "doses[1].start"),
        (_trial(doses=(r.DoseStep(date(2019, 3, 1), None, "month"),), end=date(2019, 2, 1), end_precision="month"), "end"),
        (_trial(source="diary"), "source"),
        (_trial(origin=r.Origin("  ")), "origin.app"),
        (r.Episode(id="e1", start=date(2019, 3, 1), end=date(2019, 2, 28), start_precision="month"), "end"),
        (r.Condition(id="c1", name="ADHD", since=date(1899, 1, 1), since_precision="year"), "since"),
        (r.Therapy(id="p1", kind="yoga", start=date(2021, 9, 1)), "kind"),
        (r.Therapy(id="p1", kind="other", start=date(2021, 9, 1)), "name"),
        (r.Therapy(id="p1", kind="cbt", start=date(2021, 9, 1), sessions=1001), "sessions"),
        (r.Therapy(id="p1", kind="cbt", start=date(2021, 9, 1), start_precision="month", end=date(2021, 8, 1)), "end"),
        (r.Session(id="k1", datetime=datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2), treatment="esketamine", spo2_min=49.0), "spo2_min"),
        (r.Session(id="k1", datetime=datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2), treatment="esketamine", phase="x"), "phase"),
        (r.Session(id="k1", datetime=datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2), treatment="ect", monitored_minutes=1441), "monitored_minutes"),
        (r.Session(id="k1", datetime=datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2), treatment="ect", bp_40min=(0, 80)), "bp_40min[0]"),
        (r.Note(id="n1", date=date(2025, 3, 1), text="x", origin=r.Origin("x" * 201)), "origin.app"),
    ],
)
def test_a_record_from_a_form_and_the_same_record_in_a_file_have_the_same_problem(record, where):
    found = {p.field: p.message for p in rules.problems(record, today=TODAY)}
    assert list(found) == [where]
    in_file = _in_a_file(record)
    (placed,) = [f for f in in_file if f.endswith("]." + where)]
    assert in_file[placed] == found[where]


def test_a_value_of_the_wrong_type_is_named_in_the_files_words():
    found = {p.field: p.message for p in rules.problems(_trial(drug=5, augmentation="yes"), today=TODAY)}
    assert found == {"drug": "must be text, got 5", "augmentation": 'must be true or false, got "yes"'}


def test_a_session_time_without_its_offset_is_refused_on_the_record_itself():
    session = r.Session(id="k1", datetime=datetime(2025, 5, 2, 9, 30), treatment="esketamine")
    (problem,) = rules.problems(session, today=TODAY)
    assert problem.field == "datetime" and "offset" in problem.message


def test_a_record_after_today_is_refused_and_a_high_dose_only_warned_about():
    assert [p.field for p in rules.problems(r.Note(id="", date=TODAY + timedelta(days=1), text="x"), today=TODAY)] == ["date"]
    high = _trial(doses=(r.DoseStep(date(2025, 1, 10), 5000.0),))
    assert rules.problems(high, today=TODAY) == []
    (warning,) = rules.warnings(high, today=TODAY)
    assert warning.startswith("doses[0].mg_per_day: 5000 mg/day is above the typical maximum")


def test_a_check_gives_the_record_as_the_journal_stores_it():
    c = rules.Check(TODAY)
    raw = r.Trial(id="t1", drug=" sertraline ", doses=(r.DoseStep(date(2025, 1, 10), 50),), side_effects=(r.SideEffect(" nausea ", 2.0),))
    stored = rules.check_record(c, raw)
    assert c.problems == []
    assert stored.drug == "sertraline" and stored.doses[0].mg_per_day == 50.0 and stored.note == ""
    assert stored.side_effects == (r.SideEffect("nausea", 2),)


def test_what_sqlite_cannot_hold_is_named_beside_the_rules():
    note = r.Note(id="n1", date=date(2025, 3, 1), text="ok", for_appointment=False)
    assert rules.journal_problems(note, today=TODAY) == []
    bad = r.replace(note, text="woke at 4 \ud800 again")
    assert [p.field for p in rules.journal_problems(bad, today=TODAY)] == ["text"]
    assert not rules.plainly_storable(bad, TODAY)
    assert rules.storable_problems(r.Lab(id="l1", date=date(2025, 1, 1), test="CRP", value=2**70))[0].field == "value"


def test_a_record_of_the_wrong_kind_is_a_type_error():
    with pytest.raises(TypeError, match="journal.notes holds Note records, not Lab"):
        rules.check_record_type("notes", r.Note, r.Lab(id="l1", date=date(2025, 1, 1), test="CRP", value=1.0))
    with pytest.raises(TypeError):
        rules.problems(object())
