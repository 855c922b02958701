"""Version-2 entries in a journal file: every new field comes back as written, and listings find them.

These go through the storage layer itself (the statements the journal sends on its own file):
what the rules allow is tested with the rules; here it is what the file keeps.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from journal import records as r
from journal import storage
from journal.kinds import KINDS
from journal.storage import store

D = date
KEY = bytes(range(32))

ORIGIN = r.Origin(app="Daylio", raw="mood=rad | activities=walk | taking SSRI")

# One record of every kind using every field version 2 added (and the old ones), the new ones set.
V2: dict[str, tuple] = {
    "episodes": (
        r.Episode(id="e1", start=D(2018, 1, 1), end=D(2018, 11, 1), severity="severe", start_precision="year", end_precision="month"),
        r.Episode(id="e2", start=D(2019, 6, 1), start_precision="month"),
    ),
    "trials": (
        r.Trial(
            id="t1",
            drug="sertraline",
            doses=(
                r.DoseStep(D(2019, 3, 1), None, start_precision="month"),
                r.DoseStep(D(2019, 5, 14), 100.0),
                r.DoseStep(D(2019, 6, 1), 150.0, start_precision="month"),
            ),
            end=D(2019, 9, 1),
            end_precision="month",
            source="memory",
            origin=ORIGIN,
            stop_reason="ineffective",
            rating=r.Rating("partial", None, None),
            note="from memory",
        ),
        r.Trial(id="t2", drug="mirtazapine", doses=(r.DoseStep(D(2017, 1, 1), 30.0, "year"),), end=D(2017, 1, 1), end_precision="year", source="records"),
    ),
    "scores": (
        r.ScaleScore(id="s1", date=D(2025, 1, 8), scale="PHQ-9", total=16, items=(2, 3, 2, 3, 1, 2, 2, 1, 0), difficulty=2, time=time(7, 45)),
        r.ScaleScore(id="s2", date=D(2025, 1, 9), scale="MADRS", total=31, origin=r.Origin("eMoods", "")),
    ),
    "checkins": (
        r.DailyCheckIn(id="d1", date=D(2025, 3, 21), mood=3, time=time(20, 30), origin=ORIGIN),
        r.DailyCheckIn(id="d2", date=D(2025, 3, 22), mood=5, time=time(0, 0), note="just after midnight"),
    ),
    "labs": (r.Lab(id="l1", date=D(2025, 2, 1), test="CRP", value=4.2, unit="mg/L"),),
    "conditions": (
        r.Condition(id="c1", name="generalised anxiety", status="diagnosed", since=D(2012, 1, 1), since_precision="year"),
        r.Condition(id="c2", name="migraine", since=D(2015, 4, 1), since_precision="month"),
    ),
    "sessions": (
        r.Session(
            id="k1",
            datetime=datetime(2025, 5, 2, 9, 30, tzinfo=timezone(timedelta(hours=2))),
            treatment="esketamine",
            dose_mg=56.0,
            number_in_course=3,
            bp_before=(128, 82),
            bp_after=(141, 88),
            transport_arranged=True,
            phase="induction",
            bp_40min=(150, 95),
            spo2_min=93.5,
            monitored_minutes=120,
            ready_to_leave=True,
        ),
        r.Session(id="k2", datetime=datetime(2025, 5, 9, 9, 30), treatment="esketamine", phase="maintenance", monitored_minutes=0),
    ),
    "notes": (r.Note(id="n1", date=D(2025, 3, 1), text="Ask about thyroid panel", for_appointment=True, origin=ORIGIN),),
    "therapies": (
        r.Therapy(
            id="p1",
            kind="cbt",
            start=D(2021, 9, 1),
            start_precision="month",
            end=D(2022, 1, 1),
            end_precision="month",
            sessions=16,
            stop_reason="other",
            rating=r.Rating("partial", None, None),
            source="memory",
            note="weekly",
        ),
        r.Therapy(
            id="p2",
            kind="other",
            name="group sessions at the clinic",
            start=D(2023, 2, 6),
            sessions=None,
            rating=r.Rating("response", 40.0, D(2023, 9, 1)),
            origin=ORIGIN,
        ),
    ),
}
REMINDERS = r.Reminders(
    checkin_time="20:30", questionnaire_every_days=14, next_appointment="2026-12-10", next_session="2026-12-03T10:00:00+01:00"
)


def _journal_file(path: Path, key: bytes | None) -> storage.Database:
    storage.create_file(path)
    db = storage.open_database(path, key)
    storage.upgrade(db)
    return db


def _store(db: storage.Database, records: dict[str, tuple], settings: r.Settings | None = None) -> None:
    with db.connect() as conn:
        for kind, batch in records.items():
            store.insert_records(conn, kind, list(batch))
        if settings is not None:
            store.write_settings(conn, settings)
        conn.commit()


def _reopened(path: Path, key: bytes | None) -> storage.Database:
    return storage.open_database(path, key)


def test_the_v2_records_cover_every_kind_and_set_every_field_version_2_added():
    assert set(V2) == set(KINDS)
    added = {
        "episodes": ("start_precision", "end_precision"),
        "trials": ("end_precision", "source", "origin"),
        "scores": ("time", "origin"),
        "checkins": ("time", "origin"),
        "conditions": ("since_precision",),
        "sessions": ("phase", "bp_40min", "spo2_min", "monitored_minutes", "ready_to_leave"),
        "notes": ("origin",),
        "therapies": ("name", "start_precision", "end", "end_precision", "sessions", "stop_reason", "rating", "source", "origin", "note"),
    }
    defaults = {f: None for f in ("origin", "source", "time", "phase", "bp_40min", "spo2_min", "monitored_minutes", "end", "sessions")}
    defaults.update({f: "day" for f in ("start_precision", "end_precision", "since_precision")}, ready_to_leave=False, name="", note="")
    defaults.update(stop_reason=None, rating=None)
    for kind, names in added.items():
        for name in names:
            assert any(getattr(rec, name) != defaults[name] for rec in V2[kind]), f"{kind}.{name} is never set"
    assert any(step.mg_per_day is None for step in V2["trials"][0].doses)


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "passphrase"])
def test_every_new_field_of_every_kind_comes_back_from_the_file_as_written(tmp_path, key):
    path = tmp_path / "j.db"
    db = _journal_file(path, key)
    settings = r.Settings(adequate_weeks=8, reminders=REMINDERS)
    _store(db, V2, settings)
    db.dispose()

    again = _reopened(path, key)
    try:
        with again.connect() as conn:
            for kind, written in V2.items():
                in_order = getattr(r.in_journal_order(r.JournalContents(**{kind: written})), kind)
                assert store.read(conn, kind) == list(in_order), kind
                for rec in written:
                    assert store.read_one(conn, kind, rec.id) == rec
            assert store.settings(conn) == settings
    finally:
        again.dispose()


def test_settings_without_reminders_read_back_with_every_reminder_off(tmp_path):
    db = _journal_file(tmp_path / "j.db", None)
    try:
        _store(db, {}, r.Settings(primary_scale="QIDS-SR16"))
        with db.connect() as conn:
            assert store.settings(conn).reminders == r.Reminders()
    finally:
        db.dispose()


def test_a_record_without_origin_time_or_precision_reads_back_plain(tmp_path):
    plain = {
        "trials": (r.Trial(id="t9", drug="sertraline", doses=(r.DoseStep(D(2024, 1, 1), 50.0),)),),
        "checkins": (r.DailyCheckIn(id="d9", date=D(2024, 1, 2), mood=4),),
        "scores": (r.ScaleScore(id="s9", date=D(2024, 1, 2), scale="GAD-7", total=5),),
        "notes": (r.Note(id="n9", date=D(2024, 1, 2), text="plain", origin=None),),
    }
    db = _journal_file(tmp_path / "j.db", None)
    try:
        _store(db, plain)
        with db.connect() as conn:
            for kind, written in plain.items():
                got = store.read(conn, kind)
                assert got == list(written)
                assert all(g.origin is None for g in got)
    finally:
        db.dispose()


# ---------------------------------------------------------------------- listing by date range


@pytest.fixture
def partial_journal(tmp_path):
    db = _journal_file(tmp_path / "j.db", None)
    _store(
        db,
        {
            # ended "2019-03": its latest day is 2019-03-31
            "trials": (r.Trial(id="t1", drug="sertraline", doses=(r.DoseStep(D(2019, 1, 1), 50.0, "month"),), end=D(2019, 3, 1), end_precision="month"),),
            # ended "2016": its latest day is 2016-12-31
            "episodes": (r.Episode(id="e1", start=D(2015, 1, 1), end=D(2016, 1, 1), start_precision="year", end_precision="year"),),
            "therapies": (r.Therapy(id="p1", kind="ipt", start=D(2020, 2, 1), start_precision="month", end=D(2020, 6, 1), end_precision="month"),),
            "conditions": (r.Condition(id="c1", name="migraine", since=D(2021, 5, 1), since_precision="month"),),
        },
    )
    yield db
    db.dispose()


@pytest.mark.parametrize(
    "kind, start, end, found",
    [
        # a range starting after the stored earliest day of a partial end, within its month or year
        ("trials", D(2019, 3, 20), D(2019, 4, 30), True),
        ("trials", D(2019, 3, 31), None, True),
        ("trials", D(2019, 4, 1), None, False),
        # a partial start's earliest day is in the range
        ("trials", D(2018, 12, 1), D(2019, 1, 15), True),
        ("trials", None, D(2018, 12, 31), False),
        ("episodes", D(2016, 7, 1), D(2016, 7, 31), True),
        ("episodes", D(2016, 12, 31), D(2017, 3, 1), True),
        ("episodes", D(2017, 1, 1), None, False),
        ("therapies", D(2020, 6, 15), D(2020, 6, 15), True),
        ("therapies", D(2020, 2, 28), D(2020, 2, 28), True),
        ("therapies", D(2020, 7, 1), D(2020, 12, 31), False),
        ("therapies", D(2019, 1, 1), D(2020, 1, 31), False),
        ("conditions", D(2021, 5, 20), D(2021, 5, 20), True),
        ("conditions", D(2021, 1, 1), D(2021, 4, 30), False),
    ],
)
def test_listing_by_date_range_finds_a_partly_dated_record_wherever_its_month_or_year_reaches(partial_journal, kind, start, end, found):
    with partial_journal.connect() as conn:
        listed = [rec.id for rec in store.read(conn, kind, start, end)]
    assert bool(listed) is found, (kind, start, end, listed)


def test_an_edit_that_makes_an_end_a_full_date_lists_by_that_day_again(partial_journal):
    with partial_journal.connect() as conn:
        old = store.read_one(conn, "trials", "t1")
        store.remove(conn, "trials", "t1")
        store.insert_records(conn, "trials", [r.replace(old, end=D(2019, 3, 1), end_precision="day")])
        conn.commit()
        assert store.read(conn, "trials", D(2019, 3, 20), None) == []
        assert [t.id for t in store.read(conn, "trials", D(2019, 3, 1), None)] == ["t1"]


# ---------------------------------------------------------------------- several a day


def test_several_check_ins_and_scores_on_one_day_come_back_in_time_order_untimed_first(tmp_path):
    day = D(2025, 4, 2)
    checkins = [
        r.DailyCheckIn(id="d-a", date=day, mood=6, time=time(21, 15)),
        r.DailyCheckIn(id="d-b", date=day, mood=2, time=time(7, 5)),
        r.DailyCheckIn(id="d-c", date=day, mood=4),  # no time: first, as in the file's order
        r.DailyCheckIn(id="d-d", date=day, mood=5, time=time(12, 0)),
        r.DailyCheckIn(id="d-0", date=day - timedelta(days=1), mood=5, time=time(23, 59)),
        r.DailyCheckIn(id="d-e", date=day, mood=3, time=time(7, 5)),  # same minute: by id
    ]
    scores = [
        r.ScaleScore(id="s-z", date=day, scale="PHQ-9", total=12, time=time(18, 0)),
        r.ScaleScore(id="s-y", date=day, scale="GAD-7", total=8, time=time(9, 30)),
        r.ScaleScore(id="s-x", date=day, scale="MADRS", total=20),
    ]
    db = _journal_file(tmp_path / "j.db", None)
    try:
        _store(db, {"checkins": checkins, "scores": scores})
        with db.connect() as conn:
            listed = store.read(conn, "checkins")
            listed_scores = store.read(conn, "scores", day, day)
    finally:
        db.dispose()
    assert [c.id for c in listed] == ["d-0", "d-c", "d-b", "d-e", "d-d", "d-a"]
    assert [s.id for s in listed_scores] == ["s-x", "s-y", "s-z"]
    # the very order the journal's contents are in (records.in_journal_order)
    ordered = r.in_journal_order(r.JournalContents(checkins=tuple(checkins), scores=tuple(scores)))
    assert tuple(listed) == ordered.checkins
    assert tuple(listed_scores) == ordered.scores


def test_therapies_are_listed_by_start_then_id(tmp_path):
    therapies = [
        r.Therapy(id="p-b", kind="dbt", start=D(2022, 1, 1), start_precision="year"),
        r.Therapy(id="p-a", kind="cbt", start=D(2022, 1, 1)),
        r.Therapy(id="p-c", kind="emdr", start=D(2020, 5, 1), start_precision="month"),
    ]
    db = _journal_file(tmp_path / "j.db", None)
    try:
        _store(db, {"therapies": therapies})
        with db.connect() as conn:
            assert [p.id for p in store.read(conn, "therapies")] == ["p-c", "p-a", "p-b"]
            assert store.count(conn, "therapies") == 3
            store.remove(conn, "therapies", "p-a")
            assert store.ids(conn, "therapies") == {"p-b", "p-c"}
    finally:
        db.dispose()



def test_a_rating_without_a_word_comes_back_with_its_number_and_date(tmp_path):
    trial = r.Trial(id="t1", drug="sertraline", doses=(r.DoseStep(date(2019, 3, 1), 100.0),), end=date(2019, 6, 30),
                    rating=r.Rating(None, 40.0, date(2019, 6, 30)))
    db = _journal_file(tmp_path / "j.db", None)
    _store(db, {"trials": (trial,)})
    db.dispose()
    again = _reopened(tmp_path / "j.db", None)
    try:
        with again.connect() as conn:
            (back,) = store.read(conn, "trials")
    finally:
        again.dispose()
    assert back.rating == trial.rating
