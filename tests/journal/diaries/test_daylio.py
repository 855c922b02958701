"""Daylio's CSV export as the journal reads it: each header, each way of writing a time, notes with HTML, and every problem named."""

from __future__ import annotations

import csv
import io
from datetime import date
from datetime import time as TimeOfDay
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.exchange.diaries import daylio
from journal.exchange.diaries.source import Reading
from journal.exchange.diaries.text import escape_breaks

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 1, 1)
HEADER = "full_date,date,weekday,time,mood,activities,scales,note_title,note"


def read(text: str | bytes, today: date = TODAY):
    return daylio.read(text.encode() if isinstance(text, str) else text, today=today)


def test_the_current_export_gives_one_row_per_entry_with_its_day_time_mood_name_and_words():
    source = daylio.read((FIXTURES / "daylio_export_2024_05_20.csv").read_bytes(), today=TODAY)
    assert source.app == "daylio" and source.problems == ()
    first = source.rows[0]
    assert (first.line, first.day, first.time) == (2, date(2024, 5, 20), TimeOfDay(21, 35))
    assert first.readings == (Reading("mood_name", "good"),)
    assert first.note == 'Evening\nTalked with Anna.\nFelt "lighter" & calm.\nactivities: family, walk'
    assert first.tags == ("family", "walk")
    assert first.fields == {}


def test_the_original_values_are_kept_as_written_before_any_html_is_decoded():
    first = daylio.read((FIXTURES / "daylio_export_2024_05_20.csv").read_bytes(), today=TODAY).rows[0]
    assert first.raw == (
        "full_date=2024-05-20 | time=21:35 | mood=good | activities=family | walk"
        ' | note_title=Evening | note=Talked with <b>Anna</b>.<br>Felt &quot;lighter&quot; &amp; calm.'
    )


def test_an_export_made_in_another_language_gives_the_same_original_values():
    # date and weekday are written in the phone's language and follow from full_date: they are left out of the origin
    english = daylio.read(b"full_date,date,weekday,time,mood\n2024-05-20,May 20,Monday,21:35,good\n", today=TODAY).rows[0]
    german = daylio.read(b"full_date,date,weekday,time,mood\n2024-05-20,20. Mai,Montag,21:35,good\n", today=TODAY).rows[0]
    assert english.raw == german.raw == "full_date=2024-05-20 | time=21:35 | mood=good"
    # the 2019 header has no full_date: there the written date is the entry's date and stays
    old = daylio.read(b"year,date,weekday,time,mood,activities,note\n2019,18 May,Saturday,21:35,good,,\n", today=TODAY).rows[0]
    assert "date=18 May" in old.raw


def test_twelve_hour_times_a_renamed_mood_and_a_note_over_two_lines():
    rows = daylio.read((FIXTURES / "daylio_export_2024_05_20.csv").read_bytes(), today=TODAY).rows
    assert [r.time for r in rows] == [TimeOfDay(21, 35), TimeOfDay(8, 30), TimeOfDay(23, 5), TimeOfDay(8, 20)]
    sleepy = rows[2]
    assert sleepy.readings == (Reading("mood_name", "Sleepy"),)
    assert sleepy.note == "Could not\nget up."
    assert sleepy.raw.endswith("note=Could not\\nget up.")
    assert [r.line for r in rows] == [2, 3, 4, 6]  # the two-line note moves the next entry down a line


def test_the_2020_to_2023_header_without_scales():
    source = daylio.read((FIXTURES / "daylio_export_2022_03_27.csv").read_bytes(), today=TODAY)
    assert source.problems == ()
    assert [(r.day, r.time, r.readings[0].key) for r in source.rows] == [
        (date(2022, 3, 27), TimeOfDay(20, 39), "irritable"),
        (date(2022, 3, 27), TimeOfDay(8, 20), "ok"),
        (date(2022, 3, 26), TimeOfDay(14, 0), "awful"),
    ]
    assert source.rows[2].note == "Stayed in bed\nactivities: bad sleep, tired"


def test_the_2019_header_takes_the_year_column_and_a_day_and_month():
    source = daylio.read((FIXTURES / "daylio_export_2019.csv").read_bytes(), today=TODAY)
    assert source.problems == ()
    assert [r.day for r in source.rows] == [date(2018, 5, 18), date(2018, 5, 17), date(2018, 5, 16)]
    assert source.rows[0].time == TimeOfDay(23, 54)
    assert source.rows[1].tags == ("cook", "stressed")  # "cook | stressed " as written, each trimmed
    assert "activities=cook | stressed " in source.rows[1].raw


def test_the_2019_header_in_german_and_an_unknown_month_named():
    source = read("year,date,weekday,time,mood,activities,note\n2019,18 Mai,Samstag,20:00,Gut,,\n2019,3 Mayo,Viernes,20:00,Gut,,\n")
    assert [r.day for r in source.rows] == [date(2019, 5, 18)]
    (problem,) = source.problems
    assert (problem.line, problem.column, problem.value) == (3, "date", "3 Mayo")
    assert "not a month name" in problem.message


def test_the_tab_and_semicolon_variants_read_as_the_comma_one():
    comma = f'{HEADER}\n2024-05-20,May 20,Monday,21:35,good,"family | walk",,,"a; b, c"\n'
    tab = comma.replace(",", "\t").replace('"a; b\t c"', '"a; b, c"')
    semicolon = f'{HEADER.replace(",", ";")}\n2024-05-20;May 20;Monday;21:35;good;"family | walk";;;"a; b, c"\n'
    expected = read(comma).rows
    assert expected and expected[0].note == "a; b, c\nactivities: family, walk"
    assert read(tab).rows == expected
    assert read(semicolon).rows == expected


def test_with_or_without_a_byte_order_mark_and_with_windows_line_ends():
    text = f"{HEADER}\n2024-05-20,May 20,Monday,21:35,good,,,,\"one\ntwo\"\n2024-05-19,May 19,Sunday,8:00 pm,bad,,,,\n"
    plain = read(text).rows
    assert len(plain) == 2
    assert read("\ufeff" + text).rows == plain
    windows = read(text.replace("\n", "\r\n")).rows
    assert [(r.day, r.time, r.note, r.raw) for r in windows] == [(r.day, r.time, r.note, r.raw) for r in plain]


def test_every_problem_of_the_file_is_named_at_once_and_the_good_rows_still_read():
    text = (
        f"{HEADER}\n"
        "2023-02-30,Feb 30,?,21:35,good,,,,\n"
        "2024-05-20,May 20,Monday,25:61,good,,,,\n"
        "2025-06-01,June 1,Sunday,10:00,good,,,,\n"
        "2024-05-19,May 19,Sunday,10:00,,,,,\n"
        "2024-05-18,May 18,Saturday,10:00,rad,,,,\n"
    )
    source = read(text)
    assert [(p.line, p.column, p.value) for p in source.problems] == [
        (2, "full_date", "2023-02-30"),
        (3, "time", "25:61"),
        (4, "full_date", "2025-06-01"),
        (5, "mood", None),
    ]
    assert [p.message for p in source.problems] == [
        "there is no such day",
        "not a time (like 21:35 or 8:30 pm)",
        "this day is after today",
        "the entry has no mood",
    ]
    assert [r.day for r in source.rows] == [date(2024, 5, 18)]


def test_a_missing_column_is_named_with_the_header_found():
    source = read("full_date,date,weekday,time,activities,note\n2024-05-20,May 20,Monday,21:35,,\n")
    (problem,) = source.problems
    assert (problem.line, problem.column) == (1, "mood")
    assert problem.message == "the column 'mood' is missing; the header found: full_date, date, weekday, time, activities, note"
    assert source.rows == ()


def test_a_row_with_fewer_values_than_the_header_is_a_problem():
    source = read(f"{HEADER}\n2024-05-20,May 20,Monday,21:35,good\n")
    (problem,) = source.problems
    assert (problem.line, problem.column) == (2, "activities")
    assert source.rows == ()


def test_a_header_with_no_rows_is_a_file_with_no_rows():
    source = read(HEADER + "\n")
    assert source.rows == () and source.problems == () and source.skipped == ()


def test_a_later_export_gives_the_same_original_values_for_the_same_entries():
    entries = [
        '2024-05-20,May 20,Monday,21:35,good,"family | walk","","Evening","<b>Good</b><br>day"\n',
        '2024-05-19,May 19,Sunday,11:05 pm,Sleepy,"","","","Could not\nget up."\n',
        "2024-05-18,May 18,Saturday,08:20,rad,,,,\n",
    ]
    later = ["2024-05-21,May 21,Tuesday,07:00,rad,,,,\n", entries[2], entries[0], entries[1]]
    before = [r.raw for r in read(HEADER + "\n" + "".join(entries)).rows]
    after = [r.raw for r in read(HEADER + "\n" + "".join(later)).rows]
    assert len(before) == 3 and len(after) == 4
    assert set(before) < set(after)
    assert after[2] == before[0]  # the same entry on another line of the file


def test_ten_years_of_entries_are_all_read():
    day = date(2015, 1, 1)
    lines = [HEADER]
    for i in range(40_000):
        d = date.fromordinal(day.toordinal() + i // 11)
        lines.append(f'{d.isoformat()},x,y,{i % 12 + 1}:{i % 60:02d} pm,meh,"walk | tea",,,"entry {i}"')
    source = read("\n".join(lines) + "\n")
    assert source.problems == ()
    assert len(source.rows) == 40_000 and len({r.raw for r in source.rows}) == 40_000
    assert source.rows[-1].note == "entry 39999\nactivities: walk, tea"


def test_looks_like_knows_each_daylio_header_and_nothing_else():
    for name in ("daylio_export_2024_05_20.csv", "daylio_export_2022_03_27.csv", "daylio_export_2019.csv"):
        assert daylio.looks_like((FIXTURES / name).read_bytes()), name
    for name in ("entry.csv", "iMoodJournal.csv", "Bearable_Export_20210512.csv", "t2_export.csv"):
        assert not daylio.looks_like((FIXTURES / name).read_bytes()), name


def test_past_200_problems_the_rest_are_counted_in_one_line():
    text = HEADER + "\n" + "".join(f"2024-05-{1 + i % 28:02d},x,y,99:99,good,,,,\n" for i in range(250))
    source = read(text)
    assert len(source.problems) == 201
    assert source.problems[0].line == 2 and source.problems[199].line == 201
    assert str(source.problems[-1]) == "and 50 more problems"


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\r"), max_size=40)


@given(st.lists(st.tuples(st.text(alphabet="abcdefgh XYZ", min_size=1).filter(str.strip), _TEXT), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_any_note_comes_back_whole_in_the_original_values(entries):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)  # as Daylio quotes; unquoted, a lone \r would end the row
    writer.writerow(HEADER.split(","))
    for mood, note in entries:
        writer.writerow(["2024-05-20", "May 20", "Monday", "21:35", mood, "", "", "", note])
    source = read(out.getvalue())
    assert source.problems == ()
    assert [r.readings[0].key for r in source.rows] == [mood.strip() for mood, _ in entries]
    for row, (_, note) in zip(source.rows, entries, strict=True):
        assert row.raw.endswith(f" | note={escape_breaks(note)}") if note.strip() else "note=" not in row.raw
        assert "\n" not in row.raw and "\r" not in row.raw


def test_a_file_saved_again_by_a_spreadsheet_as_utf16_with_tabs_reads_the_same():
    text = (FIXTURES / "daylio_export_2024_05_20.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    resaved = out.getvalue().encode("utf-16")  # Excel's "Unicode text": UTF-16 with its mark, tabs between values
    expected = read(text).rows
    assert daylio.looks_like(resaved)
    assert [(r.day, r.time, r.note, r.raw) for r in read(resaved).rows] == [(r.day, r.time, r.note, r.raw) for r in expected]
