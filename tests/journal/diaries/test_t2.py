"""T2 Mood Tracker's CSV export as the journal reads it: the results of one moment as one row, a reading per group, notes, the inverse flag."""

from __future__ import annotations

from datetime import date
from datetime import time as TimeOfDay
from pathlib import Path

import pytest

from journal.exchange.diaries import t2
from journal.exchange.diaries.source import Reading

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = (FIXTURES / "t2_export.csv").read_bytes()
TODAY = date(2025, 1, 1)


def read(data: str | bytes):
    return t2.read(data.encode() if isinstance(data, str) else data, today=TODAY)


def test_the_results_of_one_moment_become_one_row_with_a_reading_per_group():
    source = read(EXPORT)
    assert source.app == "t2" and source.problems == ()
    first, second, alone = source.rows
    assert (first.line, first.day, first.time) == (3, date(2012, 3, 4), TimeOfDay(10, 20))
    # a group's reading is the mean of its scales at that moment, as T2 plots it; each result belongs to the group above it
    assert first.readings == (Reading("group", "Anxiety", 40.0, inverse=False), Reading("group", "Depression", 70.0, inverse=True))
    assert first.note == "Slept badly,\nthen better"
    assert second.readings == (Reading("group", "Anxiety", 85.0, inverse=False),)
    assert second.note == ""


def test_a_note_with_no_result_at_its_moment_is_a_row_with_no_readings():
    alone = read(EXPORT).rows[2]
    assert (alone.line, alone.day, alone.time) == (13, date(2012, 3, 6), TimeOfDay(12, 0))
    assert alone.readings == () and alone.note == "Appointment moved"


def test_the_original_values_begin_with_the_moment_and_name_each_result_by_its_group_and_scale():
    assert read(EXPORT).rows[0].raw == (
        "time=2012-03-04 10:20:00"
        " || group=Anxiety | min=Calm | max=Anxious | value=30"
        " || group=Anxiety | min=Relaxed | max=Tense | value=50"
        " || group=Depression | min=Happy | max=Sad | value=70"
        " || note=Slept badly,\\nthen better"
    )


@pytest.mark.parametrize(("flag", "inverse"), [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False), ("", False)])
def test_the_inverse_flag_as_written(flag, inverse):
    (row,) = read(f'group,Mood,{flag}\nscale,Low,High\nresult,2012-03-04 10:20:00,60\n').rows
    assert row.readings == (Reading("group", "Mood", 60.0, inverse=inverse),)


def test_every_problem_is_named_and_keeps_its_moment_out():
    text = (
        "result,2012-03-01 10:00:00,50\n"
        "group,Stress,maybe\n"
        "scale,Calm,Tense\n"
        "result,2012-03-02 10:00:00,101\n"
        "result,2012-03-03 10:00:00,lots\n"
        "result,2012-02-30 10:00:00,50\n"
        "result,03/04/2012 10:00,50\n"
        "result,2026-03-04 10:00:00,50\n"
        "mood,2012-03-05 10:00:00,50\n"
        "result,2012-03-06 10:00:00,-1\n"
        "result,2012-03-07 10:00:00,20\n"
        "group,Energy,false\n"
        "result,2012-03-08 10:00:00,20\n"
    )
    source = read(text)
    assert [(p.line, p.column, p.value) for p in source.problems] == [
        (1, "result", "50"),
        (2, "inverse", "maybe"),
        (4, "value", "101"),
        (5, "value", "lots"),
        (6, "date-time", "2012-02-30 10:00:00"),
        (7, "date-time", "03/04/2012 10:00"),
        (8, "date-time", "2026-03-04 10:00:00"),
        (9, None, "mood"),
        (10, "value", "-1"),
    ]
    assert "before any group" in source.problems[0].message
    assert source.problems[2].message == "not a result from 0 to 100"
    assert [r.day for r in source.rows] == [date(2012, 3, 8)]  # 7 March's result is of the group whose flag is unreadable


def test_values_written_without_quotes_read_the_same():
    unquoted = EXPORT.decode().replace('"', "").replace("Slept badly,\nthen better", '"Slept badly,\nthen better"')
    assert read(unquoted).rows == read(EXPORT).rows


def test_a_later_export_with_the_groups_in_another_order_gives_the_same_original_values():
    later = (
        '"group","Depression","true"\n"scale","Happy","Sad"\n"result","2012-03-04 10:20:00","70"\n'
        '"result","2012-03-09 08:00:00","40"\n'
        '"group","Anxiety","false"\n"scale","Relaxed","Tense"\n"result","2012-03-04 10:20:00","50"\n'
        '"result","2012-03-05 09:00:00","90"\n"scale","Calm","Anxious"\n"result","2012-03-05 09:00:00","80"\n'
        '"result","2012-03-04 10:20:00","30"\n'
        '"note","2012-03-06 12:00:00","Appointment moved"\n"note","2012-03-04 10:20:00","Slept badly,\nthen better"\n'
    )
    before = {r.raw for r in read(EXPORT).rows}
    after = {r.raw for r in read(later).rows}
    assert len(after) == 4 and before < after


def test_looks_like_knows_the_export_and_nothing_else():
    assert t2.looks_like(EXPORT)
    assert t2.looks_like(b'"note","2012-03-06 12:00:00","Only notes exported"\n')
    for name in ("daylio_export_2024_05_20.csv", "entry.csv", "iMoodJournal.csv", "Bearable_Export_20210512.csv"):
        assert not t2.looks_like((FIXTURES / name).read_bytes()), name
