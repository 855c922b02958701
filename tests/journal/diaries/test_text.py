"""The reading every diary reader shares: the file's characters, its rows and their lines, times, dates, numbers and notes."""

from __future__ import annotations

import csv
import io
from datetime import date
from datetime import time as TimeOfDay

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.exchange.diaries.source import DiaryFileError
from journal.exchange.diaries.text import (
    NOT_TEXT,
    DateProblem,
    Problems,
    decode,
    header_cells,
    html_to_text,
    month_number,
    parse_day_month,
    parse_hours,
    parse_iso_date,
    parse_named_date,
    parse_number,
    parse_time,
    raw_line,
    read_rows,
    read_table,
    sniff_delimiter,
)

# --- characters


def test_a_byte_order_mark_is_not_part_of_the_first_column():
    assert decode("\ufefffull_date,mood\n".encode()) == "full_date,mood\n"
    assert decode(b"full_date,mood\n") == "full_date,mood\n"


def test_utf16_with_its_mark_is_read_like_utf8():
    text = "Date,Level,Comment\n\"5 September 2015\",7,Müde\n"
    assert decode(text.encode("utf-16")) == text
    assert decode(b"\xfe\xff" + text.encode("utf-16-be")) == text


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"\x00\x01\x02\x03" * 100])
def test_binary_is_refused_as_not_a_text_file(data):
    with pytest.raises(DiaryFileError, match=NOT_TEXT):
        decode(data)


def test_text_that_is_not_utf8_names_the_line_and_column_of_the_byte():
    data = "date,note\n2024-01-01,Müde caf".encode() + b"\xe9\n"  # UTF-8 "ü", then a latin-1 "é"
    with pytest.raises(DiaryFileError, match=r"line 2, column 20: the byte 0xE9 is not UTF-8"):
        decode(data)


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode()])
def test_an_empty_file_says_so(data):
    with pytest.raises(DiaryFileError, match="the file is empty"):
        decode(data)


# --- rows


@pytest.mark.parametrize(("line", "delimiter"), [("a,b,c", ","), ("a\tb\tc", "\t"), ("a;b;c", ";"), ('"a;b",c', ","), ("alone", ",")])
def test_the_delimiter_is_the_one_the_header_uses_most(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_a_quoted_value_may_run_over_lines_and_each_row_keeps_the_line_it_starts_on():
    text = 'a,b\n1,"two\nlines"\n\n3,"x"\n'
    table = read_table(text)
    assert table.header == ("a", "b")
    assert table.rows == ((2, ("1", "two\nlines")), (5, ("3", "x")))


def test_the_header_may_come_after_blank_lines_and_its_names_are_trimmed():
    table = read_table("\n\n Date , Level \n1,2\n")
    assert table.header == ("Date", "Level") and table.header_line == 3
    assert table.columns == {"date": 0, "level": 1}


@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12), min_size=2, max_size=2), max_size=8))
@settings(max_examples=60, deadline=None)
def test_rows_written_by_a_csv_writer_come_back_with_their_values_and_lines(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["a", "b"])
    expected, line = [], 2
    for row in rows:
        writer.writerow(row)
        expected.append((line, tuple(row)))
        line += 1 + sum(v.count("\n") for v in row)
    assert read_rows(out.getvalue())[1:] == expected


def test_a_short_row_is_a_problem_naming_the_first_missing_column():
    table = read_table("a,b,c\n1,2\n")
    problems = Problems()
    assert list(table.shaped_rows(problems)) == []
    (p,) = problems.all()
    assert (p.line, p.column) == (2, "c") and "2 values, the header has 3 columns" in p.message


def test_header_cells_look_only_at_the_first_line_lowercased():
    assert header_cells("\ufeffFull_Date ; Mood\n".encode()) == ["full_date", "mood"]
    assert header_cells(b"\x00\x01binary") is None


def test_raw_line_keeps_values_as_written_leaves_out_empty_ones_and_writes_breaks_as_backslash_n():
    assert raw_line([("a", " x "), ("b", ""), ("c", "one\r\ntwo\nthree")]) == "a= x  | c=one\\ntwo\\nthree"


# --- notes


def test_html_in_a_note_becomes_words():
    note = "Talked with <b>Anna</b>.<br>Felt &quot;lighter&quot; &amp; calm.<br/><ul><li>walk</li><li>tea</li></ul>"
    assert html_to_text(note) == 'Talked with Anna.\nFelt "lighter" & calm.\n- walk\n- tea'


def test_angle_brackets_a_person_typed_are_kept():
    assert html_to_text("I <3 my cat, a < b > c") == "I <3 my cat, a < b > c"
    assert html_to_text("&lt;b&gt; is how you write bold") == "<b> is how you write bold"


# --- times


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("21:35", TimeOfDay(21, 35)),
        ("8:30 pm", TimeOfDay(20, 30)),
        ("8:30 PM", TimeOfDay(20, 30)),
        ("08:30 a.m.", TimeOfDay(8, 30)),
        ("12:05 am", TimeOfDay(0, 5)),
        ("12:05 pm", TimeOfDay(12, 5)),
        ("8:30\u202fPM", TimeOfDay(20, 30)),  # Android writes a narrow no-break space before PM
        ("08:20", TimeOfDay(8, 20)),
        ("23:59:59", TimeOfDay(23, 59)),
    ],
)
def test_times_are_read_in_every_way_the_apps_write_them(written, expected):
    assert parse_time(written) == expected


@pytest.mark.parametrize("written", ["24:00", "13:00 pm", "0:30 am", "8:60", "noon", "8", ""])
def test_a_time_that_is_not_one_is_refused(written):
    assert parse_time(written) is None


@pytest.mark.parametrize(("written", "hours"), [("7.5", 7.5), ("7,5", 7.5), ("9:45", 9.75), ("7h 30m", 7.5), ("7h", 7.0), ("45m", 0.75), ("7 hours 30 minutes", 7.5)])
def test_lengths_of_sleep_are_read_as_hours(written, hours):
    assert parse_hours(written) == pytest.approx(hours)


@pytest.mark.parametrize("written", ["", "h", "long", "7:75"])
def test_a_length_that_is_not_one_is_refused(written):
    assert parse_hours(written) is None


def test_numbers_are_read_with_a_point_or_a_comma_and_anything_else_refused():
    assert parse_number(" 7 ") == 7 and parse_number("7,5") == 7.5 and parse_number("-1.25") == -1.25
    assert parse_number("seven") is None and parse_number("nan") is None and parse_number("1e3") is None


# --- dates


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("September 5, 2015", date(2015, 9, 5)),
        ("5 September 2015", date(2015, 9, 5)),
        ("Sep 5, 2015", date(2015, 9, 5)),
        ("5th Jan 2022", date(2022, 1, 5)),
        ("1st Dec 2020", date(2020, 12, 1)),
        ("2nd Mar 2021", date(2021, 3, 2)),
        ("3rd Sep 2020", date(2020, 9, 3)),
        ("22nd Sep 2020", date(2020, 9, 22)),
        ("5. März 2015", date(2015, 3, 5)),
        ("5 Okt. 2015", date(2015, 10, 5)),
        ("2015-09-05", date(2015, 9, 5)),
    ],
)
def test_dates_with_a_named_month_are_read(written, expected):
    assert parse_named_date(written) == expected


def test_month_names_in_english_and_german_full_and_short():
    for name, number in [("May", 5), ("Mai", 5), ("Dezember", 12), ("Dez", 12), ("Sept.", 9), ("Jänner", 1), ("MÄRZ", 3)]:
        assert month_number(name) == number
    assert month_number("Mayo") is None


def test_an_unknown_month_an_impossible_day_and_a_shapeless_date_each_say_what_is_wrong():
    with pytest.raises(DateProblem, match="'Mayo' is not a month name"):
        parse_named_date("5 Mayo 2015")
    with pytest.raises(DateProblem, match="no such day"):
        parse_iso_date("2023-02-30")
    with pytest.raises(DateProblem, match="no such day"):
        parse_named_date("31st Apr 2021")
    with pytest.raises(DateProblem, match="YYYY-MM-DD"):
        parse_iso_date("30/02/2023")


def test_a_day_and_month_take_the_year_given():
    assert parse_day_month("18 May", 2018) == date(2018, 5, 18)
    assert parse_day_month("May 18", 2018) == date(2018, 5, 18)
    assert parse_day_month("18. Mai", 2019) == date(2019, 5, 18)
    with pytest.raises(DateProblem, match="no such day"):
        parse_day_month("29 Feb", 2019)


# --- problems


def test_problems_past_the_cap_are_counted_in_one_last_line():
    problems = Problems(cap=3)
    for i in range(10):
        problems.add(i + 2, "time", "x", "not a time")
    found = problems.all()
    assert len(found) == 4 and len(problems) == 10
    assert [p.line for p in found[:3]] == [2, 3, 4]
    assert str(found[-1]) == "and 7 more problems"
