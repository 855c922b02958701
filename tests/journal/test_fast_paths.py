"""The quick ways through a long journal take exactly what the full, message-naming checks take, and make the same records.

The reader reads a usual check-in or score at once (`_fast_checkin`, `_fast_score`) and the
journal stores a checked file's list whole (`_checked_batch`); each must accept nothing the full
path would refuse, and what it accepts must come out equal, field by field and type by type.
"""

from __future__ import annotations

import math
from dataclasses import fields
from datetime import date, time
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal import facade
from journal import records as r
from journal.exchange import jsonfile
from journal.kinds import kind

LATEST = date(2026, 11, 27)
TODAY = date(2026, 11, 27)

DAYS = [
    "2025-01-01", "1900-01-01", "1899-12-31", "2026-11-27", "2026-11-28", "2099-01-01", "2025-02-30", "2025-13-01",
    "20250101", "2025-W01-4", "2025-W014", " 2025-01-01", "2025-01-01\n", "2025-01-01 ", "2025-1-01",
    "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661", "2025\u201001\u201001", "+025-01-01", "2025-01-0a", "",
]
WEIRD = [None, True, False, 0, 1, 3, 4, 10, 11, -1, 7.0, 7.5, 24, 24.0, 24.5, -0.0, math.nan, math.inf, -math.inf,
         10**20, 2**63, "", " ", "7", "x", "\ud800", "caf\u00e9", [], [1, 2], {}, {"a": 1}]

values = st.sampled_from(WEIRD) | st.sampled_from(DAYS) | st.integers(-5, 40) | st.floats(-5, 30) | st.text(max_size=8)
ratings = st.none() | st.integers(0, 10) | values
# Well formed more often than not, so the quick way is taken often enough to be tried at its edges.
days = st.just("2025-01-01") | st.sampled_from(DAYS) | values
ids = st.just("x1") | values
# Version 2's time of day (HH:MM), well and badly written; an origin sends a record the long way.
times = st.sampled_from(["07:30", "00:00", "23:59", "24:00", "7:30", "12:60", "12:30:00", "\u0661\u0662:30", ""]) | values
origins = st.sampled_from([None, {"app": "Daylio", "raw": "mood=rad"}, {"app": ""}, "Daylio"])
items = (
    st.lists(st.integers(0, 3), min_size=7, max_size=7)
    | st.lists(st.integers(0, 3), min_size=9, max_size=9)
    | st.lists(st.integers(-1, 4), min_size=6, max_size=10)
    | st.lists(values, min_size=0, max_size=10)
    | values
)

CHECKIN_KEYS = ("id", "date", "scale", "mood", "anxiety", "sleep_quality", "energy", "pain", "hours_slept", "note", "time")


@st.composite
def checkins(draw: Any) -> dict:
    """A check-in as a file holds it: mostly well formed, often with one thing or several wrong."""
    rec: dict[str, Any] = {"id": draw(ids), "date": draw(days), "scale": "daily"}
    for key in ("mood", "anxiety", "sleep_quality", "energy", "pain"):
        if draw(st.booleans()):
            rec[key] = draw(ratings)
    if draw(st.booleans()):
        rec["hours_slept"] = draw(st.none() | st.floats(0, 24) | st.integers(0, 24) | values)
    if draw(st.booleans()):
        rec["note"] = draw(st.none() | st.text(max_size=20) | values)
    if draw(st.booleans()):
        rec["time"] = draw(times)
    if draw(st.integers(0, 4)) == 0:
        rec["origin"] = draw(origins)
    for key in draw(st.lists(st.sampled_from([*CHECKIN_KEYS, "items", "total", "unknown"]), max_size=2)):
        rec.pop(key, None) if draw(st.booleans()) else rec.__setitem__(key, draw(values))
    return rec


@st.composite
def scores(draw: Any) -> dict:
    scale = draw(st.sampled_from(["PHQ-9", "GAD-7", "QIDS-SR16", "MADRS", "HAMD-17"]))
    rec: dict[str, Any] = {"id": draw(ids), "date": draw(days), "scale": scale}
    if draw(st.booleans()):
        rec["items"] = draw(items)
    if draw(st.booleans()):
        answered = rec.get("items")
        summed = sum(answered) if type(answered) is list and all(type(i) is int for i in answered) else 0
        rec["total"] = draw(st.just(summed) | st.integers(-1, 61) | values)
    if draw(st.booleans()):
        rec["difficulty"] = draw(st.integers(-1, 4) | values)
    if draw(st.booleans()):
        rec["time"] = draw(times)
    if draw(st.integers(0, 4)) == 0:
        rec["origin"] = draw(origins)
    for key in draw(st.lists(st.sampled_from(["id", "date", "total", "items", "difficulty", "mood", "unknown"]), max_size=2)):
        rec.pop(key, None) if draw(st.booleans()) else rec.__setitem__(key, draw(values))
    return rec


def _typed(record: Any) -> list:
    """A record's values with their types, so 7 and 7.0 (equal in Python) tell apart."""
    out = []
    for f in fields(record):
        v = getattr(record, f.name)
        out.append((f.name, type(v), tuple((type(i), i) for i in v) if isinstance(v, tuple) else v))
    return out


def _full(rec: dict, read: Any, version: int = 2) -> tuple[Any, list, list]:
    """What the full path makes of one record of the `scores` list: the record (or None), problems and warnings."""
    c = jsonfile._Reader(LATEST, version)
    where = "scores[x]"
    record = c.ask_rules(read(c, rec, where), where, 0)
    return record, c.problems, c.warnings


def _same_as_full(fast: Any, rec: dict, read: Any, version: int = 2) -> None:
    record, problems, warnings = _full(rec, read, version)
    if fast is None:
        return  # the full path names the problems (or accepts what the quick look was not sure of)
    assert not problems and not warnings, problems
    assert record == fast
    assert _typed(record) == _typed(fast)
    assert vars(record) == vars(fast)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checkins())
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "mood": 5, "hours_slept": 7})
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "hours_slept": 0})
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "mood": True})
@example({"id": "d1", "date": "2025-01-01\n", "scale": "daily", "mood": 5})
@example({"id": "d1", "date": "2026-11-28", "scale": "daily", "mood": 5})
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "hours_slept": math.nan})
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "mood": 5, "note": "\ud800"})
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "mood": 5, "time": "21:10"})
@example({"id": "d1", "date": "2025-01-01", "scale": "daily", "mood": 5, "time": "24:00"})
def test_a_check_in_read_at_once_is_the_one_the_full_checks_make(rec):
    # the reader asks only a record whose scale is "daily" (a mutation may have taken it away)
    for version in (1, 2):  # a version-1 file has no time of day: its records with one go the long way, to be refused
        fast = jsonfile._fast_checkin(jsonfile._Reader(LATEST, version), rec) if rec.get("scale") == "daily" else None
        _same_as_full(fast, rec, jsonfile._read_score, version)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scores())
@example({"id": "s1", "date": "2025-01-01", "scale": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 1], "total": 9, "difficulty": 2})
@example({"id": "s1", "date": "2025-01-01", "scale": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 1]})
@example({"id": "s1", "date": "2025-01-01", "scale": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 1], "total": 8})
@example({"id": "s1", "date": "2025-01-01", "scale": "GAD-7", "items": [True, 1, 1, 1, 1, 1, 1], "total": 7})
@example({"id": "s1", "date": "2025-01-01", "scale": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1], "total": 7})
@example({"id": "s1", "date": "2025-01-01", "scale": "GAD-7", "items": [1, 1, 1, 1, 1, 1, 1, 1, 1]})
@example({"id": "s1", "date": "2025-01-01", "scale": "MADRS", "total": 60})
@example({"id": "s1", "date": "2025-01-01", "scale": "MADRS", "total": 12, "items": None})
@example({"id": "s1", "date": "2025-01-01", "scale": "HAMD-17", "total": 12.0})
@example({"id": "s1", "date": "2025-01-01", "scale": "MADRS", "total": 12, "time": "08:00"})
def test_a_score_read_at_once_is_the_one_the_full_checks_make(rec):
    scale = rec.get("scale")
    for version in (1, 2):
        reader = jsonfile._Reader(LATEST, version)
        fast = jsonfile._fast_score(reader, rec, scale) if type(scale) is str and scale in jsonfile.SCALE_RANGES else None
        _same_as_full(fast, rec, jsonfile._read_score, version)


def test_the_usual_check_ins_and_scores_do_take_the_quick_way():
    """The quick ways are taken for the records a journal writes (else the speed is lost, silently)."""
    c = jsonfile._Reader(LATEST)
    checkin = {"id": "d1", "date": "2025-01-01", "scale": "daily", "mood": 5, "anxiety": 3, "hours_slept": 7.5, "note": "ok"}
    made = r.DailyCheckIn(id="d1", date=date(2025, 1, 1), mood=5, anxiety=3, hours_slept=7.5, note="ok")
    assert jsonfile._fast_checkin(c, checkin) == made
    timed = jsonfile._fast_checkin(c, {**checkin, "time": "21:10"})
    assert timed == r.replace(made, time=time(21, 10))
    assert jsonfile._fast_checkin(jsonfile._Reader(LATEST, 1), checkin) == made  # a version-1 file's check-in too
    phq = {"id": "s1", "date": "2025-01-01", "scale": "PHQ-9", "items": [1, 2, 0, 0, 1, 1, 1, 1, 0], "total": 7, "difficulty": 1}
    assert jsonfile._fast_score(c, phq, "PHQ-9") == r.ScaleScore(
        id="s1", date=date(2025, 1, 1), scale="PHQ-9", total=7, items=(1, 2, 0, 0, 1, 1, 1, 1, 0), difficulty=1
    )


# --------------------------------------------------------------------------- a checked file's list stored whole


def _walk(records: tuple, kind_name: str, taken: set[str]) -> tuple[list, list]:
    """What `_import_batch` makes of a list one record at a time (the quick look bypassed)."""
    problems: list = []
    contents = r.JournalContents(**{kind_name: records})
    real = facade._checked_batch
    facade._checked_batch = lambda *a: None  # type: ignore[assignment]
    try:
        batch = facade._import_batch(contents, kind(kind_name), taken, True, TODAY, problems)
    finally:
        facade._checked_batch = real  # type: ignore[assignment]
    return batch, problems


checkin_records = st.builds(
    r.DailyCheckIn,
    id=st.sampled_from(["d1", "d2", "d3", "", "held"]),
    date=st.sampled_from([date(2025, 1, 1), TODAY, date(2026, 11, 28)]),
    mood=st.none() | st.integers(0, 10),
)
score_records = st.builds(
    r.ScaleScore,
    id=st.sampled_from(["s1", "s2", "held", "caf\u00e9", "bad\udc00"]),
    date=st.sampled_from([date(2025, 1, 1), date(2026, 11, 28)]),
    scale=st.just("MADRS"),
    total=st.integers(0, 60) | st.just(2**64),
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(checkin_records, max_size=5) | st.lists(score_records, max_size=5))
def test_a_checked_list_stored_whole_is_what_the_walk_stores_and_only_when_it_finds_nothing(records):
    records = tuple(records)
    kind_name = "checkins" if records and type(records[0]) is r.DailyCheckIn else "scores"
    taken = {"held"}
    quick = facade._checked_batch(records, kind(kind_name).record, taken, TODAY)
    batch, problems = _walk(records, kind_name, taken)
    if quick is not None:
        assert not problems
        assert quick == batch
