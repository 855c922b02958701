"""Bearable's long CSV export as the journal reads it: the readings of one moment as one row, ratings to choose a scale for, nothing dropped."""

from __future__ import annotations

from datetime import date
from datetime import time as TimeOfDay
from pathlib import Path

import pytest

from journal.exchange.diaries import bearable
from journal.exchange.diaries.source import Reading

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = (FIXTURES / "Bearable_Export_20210512.csv").read_bytes()
TODAY = date(2025, 1, 1)
HEADER = "date,weekday,time of day,category,rating/amount,detail,notes"


def read(data: str | bytes):
    return bearable.read(data.encode() if isinstance(data, str) else data, today=TODAY)


def by_line(source):
    return {r.line: r for r in source.rows}


def test_the_readings_of_one_moment_become_one_row():
    source = read(EXPORT)
    assert source.app == "bearable" and source.problems == ()
    assert sorted(by_line(source)) == [2, 4, 6, 8, 10, 11]
    moment = by_line(source)[2]  # Mood, Energy and a medicine at 15:01, the medicine three lines further down
    assert (moment.day, moment.time) == (date(2021, 5, 10), TimeOfDay(15, 1))
    assert moment.readings == (Reading("rating", "Mood", 6.0), Reading("rating", "Energy", 4.0))
    assert moment.note == "mood: Anxious | Good\nenergy: Good\nmedication: Sertraline 100 mg"
    assert moment.tags == ("Sertraline",)


def test_a_part_of_the_day_begins_the_note_in_words_and_the_row_has_no_time():
    rows = by_line(read(EXPORT))
    assert rows[4].time is None
    assert rows[4].note == "midday\nsymptom: Stress, mild (1)\nsymptom: Headache, moderate (2)"
    assert rows[6].note == "evening\nfactors: Quiet day | Home"
    assert rows[10].note == "morning\nsymptom: Depression, moderate (2)"
    early = read(f'{HEADER}\n"1st Feb 2022","Tuesday","pre","Symptom","1","Nausea",""\n').rows[0]
    assert early.note == "before morning\nsymptom: Nausea (1)"


def test_sleep_is_hours_slept_and_every_other_category_is_kept_in_words():
    sleep = by_line(read(EXPORT))[8]
    assert sleep.fields == {"hours_slept": 9.75}  # "9:45", hours and minutes
    assert sleep.note == "sleep: Asleep 02:45 - 12:30\n.\nsleep quality: Good (4)"
    assert sleep.readings == ()


@pytest.mark.parametrize(("written", "hours"), [("7.5", 7.5), ("7h 30m", 7.5), ("7:30", 7.5), ("8", 8.0)])
def test_sleep_in_each_shape_found(written, hours):
    (row,) = read(f'{HEADER}\n"5th Jan 2022","Wednesday","","Sleep","{written}","",""\n').rows
    assert row.fields == {"hours_slept": hours}


@pytest.mark.parametrize(("written", "day"), [("1st Dec 2020", date(2020, 12, 1)), ("2nd Mar 2021", date(2021, 3, 2)), ("3rd Sep 2020", date(2020, 9, 3)), ("22nd Sep 2020", date(2020, 9, 22)), ("5th Jan 2022", date(2022, 1, 5))])
def test_ordinal_dates(written, day):
    (row,) = read(f'{HEADER}\n"{written}","x","am","Mood","5","",""\n').rows
    assert row.day == day


def test_the_date_formatted_column_is_optional():
    plain = read(EXPORT)
    lines = EXPORT.decode().splitlines()
    days = {"10th May 2021": "2021-05-10", "11th May 2021": "2021-05-11", "12th May 2021": "2021-05-12"}
    with_formatted = ["date,date formatted,weekday,time of day,category,rating/amount,detail,notes"]
    for line in lines[1:]:
        written = line.split(",")[0].strip('"')
        with_formatted.append(line.replace(f'"{written}",', f'"{written}","{days[written]}",', 1))
    formatted = read("\n".join(with_formatted) + "\n")
    assert formatted.problems == ()
    assert [(r.day, r.time, r.readings, r.note) for r in formatted.rows] == [(r.day, r.time, r.readings, r.note) for r in plain.rows]


def test_medicines_become_tags_and_words_and_an_unknown_category_is_kept():
    text = (
        f"{HEADER}\n"
        '"5th Jan 2022","Wed","am","Medication","","Sertraline | Vitamin D",""\n'
        '"5th Jan 2022","Wed","am","Gratitudes","","My sister",""\n'
        '"5th Jan 2022","Wed","am","Bowel Movements","None","",""\n'
    )
    (row,) = read(text).rows
    assert row.tags == ("Sertraline", "Vitamin D")
    assert row.note == "morning\nmedication: Sertraline\nmedication: Vitamin D\ngratitudes: My sister\nbowel movements: None"


def test_the_original_values_begin_with_the_moment_and_the_rows_are_sorted():
    moment = by_line(read(EXPORT))[4]
    assert moment.raw == (
        "date=10th May 2021 | time of day=mid"
        " || date=10th May 2021 | weekday=Monday | time of day=mid | category=Symptom | rating/amount=1 | detail=Stress (Mild)"
        " || date=10th May 2021 | weekday=Monday | time of day=mid | category=Symptom | rating/amount=2 | detail=Headache (Moderate)"
    )


def test_a_later_export_in_another_order_gives_the_same_original_values():
    lines = EXPORT.decode().splitlines(keepends=True)
    later = lines[0] + '"13th May 2021","Thursday","am","Mood","5","",""\n' + "".join(reversed(lines[1:]))
    before = {r.raw for r in read(EXPORT).rows}
    after = read(later)
    assert after.problems == ()
    assert len(after.rows) == len(before) + 1 and before < {r.raw for r in after.rows}


def test_every_problem_is_named_and_keeps_its_moment_out():
    text = (
        f"{HEADER}\n"
        '"5th Jan 2022","Wed","am","Mood","good","",""\n'
        '"5th Jan 2022","Wed","","Sleep","long","",""\n'
        '"5th Janvier 2022","Wed","am","Mood","5","",""\n'
        '"6th Jan 2022","Thu","25:00","Mood","5","",""\n'
        '"6th Jan 2026","Thu","am","Mood","5","",""\n'
        '"7th Jan 2022","Fri","am","Mood","5","",""\n'
    )
    source = read(text)
    assert [(p.line, p.column, p.value) for p in source.problems] == [
        (2, "rating/amount", "good"),
        (3, "rating/amount", "long"),
        (4, "date", "5th Janvier 2022"),
        (5, "time of day", "25:00"),
        (6, "date", "6th Jan 2026"),
    ]
    assert [r.day for r in source.rows] == [date(2022, 1, 7)]


def test_a_missing_column_is_named():
    (problem,) = read("date,weekday,time of day,rating/amount,detail,notes\n").problems
    assert (problem.line, problem.column) == (1, "category")


def test_looks_like_knows_the_export_and_nothing_else():
    assert bearable.looks_like(EXPORT)
    for name in ("daylio_export_2024_05_20.csv", "entry.csv", "iMoodJournal.csv", "t2_export.csv"):
        assert not bearable.looks_like((FIXTURES / name).read_bytes()), name
