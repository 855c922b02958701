"""iMoodJournal's CSV export as the journal reads it: the level onto the 0-10 mood, the hashtags, both ways of writing the date."""

from __future__ import annotations

from datetime import date
from datetime import time as TimeOfDay
from pathlib import Path

import pytest

from journal.exchange.diaries import imoodjournal

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 1, 1)
HEADER = "Date,Day of Week,Hour,Minute,Level,Comment,#work,#tired"


def read(text: str | bytes):
    return imoodjournal.read(text.encode() if isinstance(text, str) else text, today=TODAY)


@pytest.mark.parametrize(("level", "mood"), [(1, 0), (2, 1), (3, 2), (4, 3), (5, 4), (6, 6), (7, 7), (8, 8), (9, 9), (10, 10)])
def test_each_level_maps_onto_the_journals_mood(level, mood):
    assert imoodjournal.mood_from_level(level) == mood
    (row,) = read(f'{HEADER}\n"September 5, 2015",Saturday,21,35,{level},,0,0\n').rows
    assert row.fields == {"mood": mood}


def test_the_export_gives_the_day_the_time_the_comment_and_the_tags_set_to_1():
    source = read((FIXTURES / "iMoodJournal.csv").read_bytes())
    assert source.app == "imoodjournal" and source.problems == ()
    first, second, third = source.rows
    assert (first.day, first.time) == (date(2015, 9, 5), TimeOfDay(21, 35))
    assert first.note == "A quiet evening #tired" and first.tags == ("#tired",)  # a tag the comment already holds is not said twice
    assert second.fields == {"mood": 0} and second.note == "" and second.tags == ()
    assert third.tags == ("#work", "#wellbutrin") and third.note == "Started #wellbutrin 150mg\ntags: #work"
    assert third.raw == "Date=September 7, 2015 | Day of Week=Monday | Hour=12 | Minute=0 | Level=10 | Comment=Started #wellbutrin 150mg | #work=1 | #wellbutrin=1 | #tired=0"


def test_both_ways_of_writing_the_date():
    rows = read(f'{HEADER}\n"September 5, 2015",Sat,8,5,5,,0,0\n5 September 2015,Sat,8,5,5,,0,0\n"Sep 6, 2015",Sun,8,5,5,,0,0\n').rows
    assert [r.day for r in rows] == [date(2015, 9, 5), date(2015, 9, 5), date(2015, 9, 6)]


def test_tag_columns_without_a_hash_and_a_column_with_words_are_kept():
    (row,) = read('Date,Hour,Minute,Level,Comment,family,Place\n"May 1, 2016",9,0,6,,1,Home\n').rows
    assert row.tags == ("#family",)
    assert row.note == "tags: #family\nPlace: Home"


def test_every_problem_is_named_with_its_line_column_and_value():
    text = (
        f"{HEADER}\n"
        '"September 5, 2015",Sat,21,35,0,,0,0\n'
        '"September 5, 2015",Sat,21,35,11,,0,0\n'
        '"September 5, 2015",Sat,24,35,5,,0,0\n'
        '"September 5, 2015",Sat,21,61,5,,0,0\n'
        '"Septembre 5, 2015",Sat,21,35,5,,0,0\n'
        '"February 30, 2015",Sat,21,35,5,,0,0\n'
        '"May 1, 2026",Sat,21,35,5,,0,0\n'
        '"September 5, 2015",Sat,21,35,6.5,,0,0\n'
        '"September 5, 2015",Sat,21,35,5,,0,0\n'
    )
    source = read(text)
    assert [(p.line, p.column, p.value) for p in source.problems] == [
        (2, "Level", "0"),
        (3, "Level", "11"),
        (4, "Hour", "24"),
        (5, "Minute", "61"),
        (6, "Date", "Septembre 5, 2015"),
        (7, "Date", "February 30, 2015"),
        (8, "Date", "May 1, 2026"),
        (9, "Level", "6.5"),
    ]
    assert source.problems[0].message == "not a level from 1 to 10"
    assert [r.line for r in source.rows] == [10]


def test_a_missing_column_is_named():
    (problem,) = read("Date,Day of Week,Hour,Level,Comment\n").problems
    assert (problem.line, problem.column) == (1, "minute")


def test_with_or_without_a_byte_order_mark():
    text = f'{HEADER}\n"September 5, 2015",Sat,21,35,7,,1,0\n'
    assert read(text).rows == read("\ufeff" + text).rows and len(read(text).rows) == 1


def test_a_later_export_gives_the_same_original_values_for_the_same_records():
    lines = (FIXTURES / "iMoodJournal.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    later = lines[0] + '"September 8, 2015",Tuesday,9,0,4,"",0,0,0\n' + "".join(reversed(lines[1:]))
    before = {r.raw for r in read("".join(lines)).rows}
    after = {r.raw for r in read(later).rows}
    assert len(after) == 4 and before < after


def test_looks_like_knows_the_export_and_nothing_else():
    assert imoodjournal.looks_like((FIXTURES / "iMoodJournal.csv").read_bytes())
    for name in ("daylio_export_2024_05_20.csv", "entry.csv", "Bearable_Export_20210512.csv", "t2_export.csv"):
        assert not imoodjournal.looks_like((FIXTURES / name).read_bytes()), name


def test_a_date_written_with_its_comma_and_no_quotes_is_read_whole():
    text = "\ufeffDate,Day of Week,Hour,Minute,Level,Comment,#work\nSeptember 5, 2015,Saturday,21,35,7,evening,1\n"
    (row,) = imoodjournal.read(text.encode(), today=date(2024, 1, 1)).rows
    assert row.day == date(2015, 9, 5) and row.fields == {"mood": 7} and row.note == "evening\ntags: #work"
