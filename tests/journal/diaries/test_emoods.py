"""eMoods as the journal reads it: the backup zip or entry.csv, symptoms in words (never the mood), anxiety a severity, empty days skipped."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from datetime import time as TimeOfDay
from pathlib import Path

import pytest

from journal.exchange.diaries import emoods
from journal.exchange.diaries.source import DiaryFileError, Reading, Skipped

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 1, 1)
ENTRY = (FIXTURES / "entry.csv").read_bytes()
HEADER = "ID,DATE (YYYY-MM-DD),IRRITABILITY,ANXIETY,DEPRESSED,ELEVATED,SLEEP,PSYCHOTIC SYMPTOMS,NOTE,THERAPY,MENSTRUAL CYCLE,WEIGHT"


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def read(data: bytes | str):
    return emoods.read(data.encode() if isinstance(data, str) else data, today=TODAY)


def test_each_day_with_something_recorded_is_a_row_and_symptoms_go_into_the_note_in_words():
    source = read(ENTRY)
    assert source.app == "emoods" and source.problems == ()
    by_line = {r.line: r for r in source.rows}
    assert by_line[2].note == "Very low all day.\ndepressed: severe"
    assert by_line[3].note == "depressed: mild\nirritability: none\nelevated: mild"
    assert by_line[4].note == "depressed: moderate\nirritability: moderate"
    assert by_line[2].day == date(2024, 2, 14) and by_line[2].time is None


def test_symptom_severities_never_become_a_mood_rating():
    for row in read(ENTRY).rows:
        assert "mood" not in row.fields
        assert all(reading.kind == "severity" for reading in row.readings)


def test_anxiety_is_a_severity_to_choose_a_level_for_and_0_is_no_reading():
    rows = {r.line: r for r in read(ENTRY).rows}
    assert rows[3].readings == (Reading("severity", "moderate"),)  # ANXIETY 3
    assert rows[5].readings == (Reading("severity", "mild"),)  # ANXIETY 2
    assert rows[2].readings == ()  # ANXIETY 0: not recorded


def test_sleep_goes_to_hours_slept_and_0_is_not_recorded():
    rows = {r.line: r for r in read(ENTRY).rows}
    assert rows[3].fields == {"hours_slept": 9.5}
    assert rows[7].fields == {"hours_slept": 5.0} and rows[7].note == ""
    assert rows[2].fields == {}


def test_therapy_and_weight_go_into_the_note_when_given():
    row = next(r for r in read(ENTRY).rows if r.line == 5)
    assert row.note == "depressed: none\nirritability: none\nelevated: none\ntherapy: marked (1)\nweight: 70.2"


def test_psychotic_symptoms_are_a_checkbox_marked_never_read_as_a_severity():
    source = read(f"{HEADER}\n1,2024-03-01,0,0,0,0,0.0,1,,0,0,0.0\n")
    assert source.rows[0].note == "psychotic symptoms: marked (1)"


def test_a_day_with_nothing_recorded_is_skipped_with_its_reason():
    assert read(ENTRY).skipped == (Skipped(6, "nothing recorded on this day"),)


def test_the_backup_zip_reads_as_its_entry_csv():
    plain = read(ENTRY)
    assert read(zipped({"entry.csv": ENTRY, "medication.csv": b"x"})) == plain
    assert read(zipped({"eMoods/entry.csv": ENTRY})) == plain


def test_an_empty_backup_is_refused_by_name():
    with pytest.raises(DiaryFileError, match="this eMoods backup is empty"):
        read(zipped({}))


def test_a_backup_without_entry_csv_is_refused_naming_what_it_holds():
    with pytest.raises(DiaryFileError, match=r"holds no entry\.csv.*it holds notes\.txt, moods\.csv"):
        read(zipped({"notes.txt": b"x", "moods.csv": b"y"}))


def test_a_damaged_backup_is_refused_by_name():
    whole = zipped({"entry.csv": ENTRY * 50})
    with pytest.raises(DiaryFileError, match="damaged"):
        read(whole[: len(whole) // 2])
    corrupt = bytearray(whole)
    start = corrupt.index(b"entry.csv") + len("entry.csv") + 20  # into the compressed data
    corrupt[start : start + 40] = bytes(40)
    with pytest.raises(DiaryFileError, match="damaged"):
        read(bytes(corrupt))


def test_a_backup_that_would_unpack_past_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(emoods, "MAX_UNPACKED", 1000)
    with pytest.raises(DiaryFileError, match="would unpack to more than"):
        read(zipped({"entry.csv": ENTRY + b" " * 5000}))


def test_a_backup_protected_by_a_password_is_refused_by_name():
    data = bytearray(zipped({"entry.csv": ENTRY}))
    data[6] |= 0x01  # the local header's "encrypted" flag
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01  # and the central directory's
    with pytest.raises(DiaryFileError, match="password"):
        read(bytes(data))


def test_every_problem_is_named_with_its_line_column_and_value():
    text = (
        f"{HEADER}\n"
        "1,2024-03-01,5,0,0,0,0.0,0,,0,0,0.0\n"
        "2,2024-03-02,0,0,0,0,30,0,,0,0,0.0\n"
        "3,02/03/2024,0,0,2,0,0.0,0,,0,0,0.0\n"
        "4,2025-03-01,0,0,2,0,0.0,0,,0,0,0.0\n"
        "5,2024-03-05,0,0,2,0,7,0,,0,0,heavy\n"
        "6,2024-03-06,0,0,2,0,7,0,,0,0,0.0\n"
    )
    source = read(text)
    assert [(p.line, p.column, p.value) for p in source.problems] == [
        (2, "IRRITABILITY", "5"),
        (3, "SLEEP", "30"),
        (4, "DATE (YYYY-MM-DD)", "02/03/2024"),
        (5, "DATE (YYYY-MM-DD)", "2025-03-01"),
        (6, "WEIGHT", "heavy"),
    ]
    assert [r.line for r in source.rows] == [7]


def test_a_plain_date_column_with_a_time_and_a_tracking_point_eMoods_added_later():
    source = read("DATE,DEPRESSED,ANXIETY,SLEEP,NOTE,COFFEE\n2024-03-01 21:30,2,0,7,,3\n2024-03-02,0,0,0,,0\n")
    (row,) = source.rows
    assert (row.day, row.time) == (date(2024, 3, 1), TimeOfDay(21, 30))
    assert row.note == "depressed: mild\ncoffee: 3"
    assert source.skipped == (Skipped(3, "nothing recorded on this day"),)


def test_a_file_without_a_date_column_names_it():
    source = read("ID,IRRITABILITY,ANXIETY\n1,2,2\n")
    (problem,) = source.problems
    assert (problem.line, problem.column) == (1, "date") and "the header found: ID, IRRITABILITY, ANXIETY" in problem.message


def test_a_later_backup_gives_the_same_original_values_for_the_same_days():
    lines = ENTRY.decode().splitlines(keepends=True)
    later = lines[0] + "7,2024-04-01,0,2,2,0,8.0,0,,0,0,0.0\n" + "".join(reversed(lines[1:]))
    before = {r.raw for r in read(ENTRY).rows}
    after = {r.raw for r in read(zipped({"entry.csv": later.encode()})).rows}
    assert len(after) == len(before) + 1 and before < after


def test_looks_like_knows_the_backup_and_entry_csv_and_nothing_else():
    assert emoods.looks_like(ENTRY)
    assert emoods.looks_like(zipped({"entry.csv": ENTRY}))
    assert not emoods.looks_like(zipped({"other.csv": ENTRY}))
    for name in ("daylio_export_2024_05_20.csv", "iMoodJournal.csv", "Bearable_Export_20210512.csv", "t2_export.csv"):
        assert not emoods.looks_like((FIXTURES / name).read_bytes()), name


def test_a_header_written_with_a_space_after_each_comma_keeps_quoted_notes_whole():
    text = (
        'ID, DATE, IRRITABILITY, ANXIETY, DEPRESSED, ELEVATED, SLEEP, PSYCHOTIC SYMPTOMS, NOTE, THERAPY, MENSTRUAL CYCLE, WEIGHT\n'
        '1, 2024-03-01, 2, 3, 4, 1, 7.5, 0, "Rough day, then better", 0, 0, 0\n'
        '2, 2024-03-02, 0, 0, 0, 0, 0, 0, "", 0, 0, 0\n'
    )
    source = emoods.read(text.encode(), today=date(2024, 12, 1))
    assert source.problems == ()
    (row,) = source.rows
    assert row.note.startswith("Rough day, then better") and row.fields == {"hours_slept": 7.5}
    assert [s.reason for s in source.skipped] == ["nothing recorded on this day"]
