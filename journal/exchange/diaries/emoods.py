"""Reading eMoods: its backup (`.emoods`, a zip holding `entry.csv`) or `entry.csv` itself, one day a row.

The columns are `ID, DATE (YYYY-MM-DD), IRRITABILITY, ANXIETY, DEPRESSED, ELEVATED, SLEEP,
PSYCHOTIC SYMPTOMS, NOTE, THERAPY, MENSTRUAL CYCLE, WEIGHT`. The low-to-high items are 0 when
nothing was recorded, then 1 none, 2 mild, 3 moderate, 4 severe (eMoods' help, "Tracking
Points"); SLEEP is hours and WEIGHT a number, 0 when not recorded. ANXIETY becomes a severity
the person gives a level to; DEPRESSED, IRRITABILITY and ELEVATED are symptoms, not moods: they
go into the note in words ("depressed: moderate"), never onto the mood rating. PSYCHOTIC
SYMPTOMS, THERAPY and MENSTRUAL CYCLE are checkboxes in eMoods (its help, "Tracking Psychotic
Symptoms"), so a value other than 0 is written as marked with the value as eMoods wrote it,
never read as a severity. A day with nothing recorded at all is skipped.

The shape comes from a real backup read by ReDead/eMoods-Statistics (constants.py names the
column `DATE (YYYY-MM-DD)`; out/data/input.html shows its rows: ISO dates, "9.5" hours, "0.0"
for a day without sleep or weight, 0 for items not recorded). A plain `DATE` column is read too.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from datetime import date
from datetime import time as TimeOfDay

from journal.exchange.diaries.source import DiaryFileError, Reading, Skipped, SourceFile, SourceRow
from journal.exchange.diaries.text import (
    Problems,
    Row,
    Table,
    checked_day,
    decode,
    header_cells,
    join_lines,
    parse_iso_date,
    parse_number,
    parse_time,
    read_table,
)

__all__ = ["read", "looks_like", "is_zip", "entry_csv", "MAX_UNPACKED"]

APP = "emoods"
ENTRY = "entry.csv"
MAX_UNPACKED = 50 * 1024 * 1024  # the most entry.csv may unpack to: ten years of days are well under 5 MB
SEVERITY_WORDS = {1: "none", 2: "mild", 3: "moderate", 4: "severe"}
_LEVELS_SAID = "0 not recorded, 1 none, 2 mild, 3 moderate, 4 severe"
_SYMPTOMS = ("depressed", "irritability", "elevated")  # into the note in words, in this order
_CHECKBOXES = ("psychotic symptoms", "therapy", "menstrual cycle")
_KNOWN = {"id", "time", "irritability", "anxiety", "depressed", "elevated", "sleep", "note", "weight", *_CHECKBOXES}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with files, an empty zip


def is_zip(data: bytes) -> bool:
    return data.startswith(_ZIP_MAGIC)


def _entry_info(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """entry.csv at the top of the backup, or in the shallowest folder that holds one."""
    found = [i for i in archive.infolist() if not i.is_dir() and posixpath.basename(i.filename).lower() == ENTRY]
    return min(found, key=lambda i: (i.filename.count("/"), i.filename)) if found else None


def entry_csv(data: bytes) -> bytes:
    """The bytes of entry.csv inside an eMoods backup; an empty, damaged or oversized backup, or one without it, refused by name."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise DiaryFileError("this eMoods backup is damaged: it cannot be opened as a zip file") from None
    with archive:
        files = [i for i in archive.infolist() if not i.is_dir()]
        if not files:
            raise DiaryFileError("this eMoods backup is empty: the zip holds no files")
        info = _entry_info(archive)
        if info is None:
            names = ", ".join(posixpath.basename(i.filename) for i in files[:5]) + (", ..." if len(files) > 5 else "")
            raise DiaryFileError(f"this zip holds no entry.csv, so it is not an eMoods backup (it holds {names})")
        if info.file_size > MAX_UNPACKED:
            raise DiaryFileError(f"entry.csv in this backup would unpack to more than {MAX_UNPACKED // (1024 * 1024)} MB: it is refused")
        try:
            with archive.open(info) as member:
                unpacked = member.read(MAX_UNPACKED + 1)  # a zip may say less than it holds: read no more than the cap
        except RuntimeError:
            raise DiaryFileError("entry.csv in this backup is protected by a password: it cannot be read") from None
        except NotImplementedError:
            raise DiaryFileError("entry.csv in this backup is packed in a way the journal cannot unpack") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, lzma.LZMAError):
            raise DiaryFileError("this eMoods backup is damaged: entry.csv cannot be unpacked") from None
    if len(unpacked) > MAX_UNPACKED:
        raise DiaryFileError(f"entry.csv in this backup would unpack to more than {MAX_UNPACKED // (1024 * 1024)} MB: it is refused")
    return unpacked


def _has_entry(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _entry_info(archive) is not None
    except (zipfile.BadZipFile, ValueError, EOFError):
        return False


def _date_column(table_columns: list[str]) -> str | None:
    return next((name for name in table_columns if name == "date" or name.startswith(("date ", "date("))), None)


def looks_like(data: bytes) -> bool:
    """Whether the file is an eMoods backup holding entry.csv, or entry.csv itself (a cheap look at the header)."""
    if is_zip(data):
        return _has_entry(data)
    cells = header_cells(data)
    if not cells or _date_column(cells) is None:
        return False
    return len({"irritability", "anxiety", "depressed", "elevated"} & set(cells)) >= 2


def _level(row: Row, name: str, problems: Problems) -> int | None:
    """A low-to-high item 0-4 as written (0: not recorded), or None with the problem named."""
    written = row.get(name).strip()
    if not written:
        return 0
    number = parse_number(written)
    if number is None or number != int(number) or not 0 <= number <= 4:
        problems.add(row.line, row.column(name), written, f"not one of eMoods' levels 0-4 ({_LEVELS_SAID})")
        return None
    return int(number)


def _day_and_time(row: Row, date_name: str, problems: Problems, today: date) -> tuple[date | None, TimeOfDay | None]:
    written = row.get(date_name).strip()
    day_part, _, clock = written.partition(" ")
    time = None
    if clock.strip():
        time = parse_time(clock)
        if time is None:
            problems.add(row.line, row.column(date_name), written, "not a date (YYYY-MM-DD) with a time")
            return None, None
    if row.has("time") and row.get("time").strip():
        time = parse_time(row.get("time"))
        if time is None:
            problems.add(row.line, row.column("time"), row.get("time"), "not a time (like 21:35 or 8:30 pm)")
    day = checked_day(lambda: parse_iso_date(day_part), problems, row.line, row.column(date_name), written, today)
    return day, time


def _recorded(value: str) -> bool:
    """Whether a value says something was recorded: eMoods writes 0 (or 0.0) for nothing; "false" or "no" is nothing too."""
    number = parse_number(value)
    if not value.strip() or value.strip().lower() in ("false", "no", "n"):
        return False
    return number is None or number != 0


def _day_row(row: Row, date_name: str, problems: Problems, today: date) -> SourceRow | Skipped | None:
    """One eMoods day as a source row, a skipped day when nothing was recorded, or None with its problems named."""
    found = len(problems)
    day, time = _day_and_time(row, date_name, problems, today)
    levels = {name: _level(row, name, problems) for name in ("anxiety", *_SYMPTOMS) if row.has(name)}
    fields: dict[str, float] = {}
    sleep_written = row.get("sleep").strip()
    if sleep_written:
        hours = parse_number(sleep_written)
        if hours is None or not 0 <= hours <= 24:
            problems.add(row.line, row.column("sleep"), sleep_written, "not a number of hours slept (0-24)")
        elif hours:
            fields["hours_slept"] = hours
    weight = row.get("weight").strip()
    if weight and parse_number(weight) is None:
        problems.add(row.line, row.column("weight"), weight, "not a number")
    if day is None or len(problems) > found:
        return None
    words = [row.get("note").strip()]
    words += [f"{name}: {SEVERITY_WORDS[levels[name] or 0]}" for name in _SYMPTOMS if levels.get(name)]
    words += [f"{name}: marked ({row.get(name).strip()})" for name in _CHECKBOXES if _recorded(row.get(name))]
    if _recorded(weight):
        words.append(f"weight: {weight}")
    # a column eMoods added later (a custom tracking point) is kept in words, never dropped
    words += [
        f"{row.header[i].strip().lower()}: {row.values[i].strip()}"
        for name, i in row.columns.items()
        if name not in _KNOWN and name != date_name and _recorded(row.values[i])
    ]
    anxiety = levels.get("anxiety")
    readings = (Reading("severity", SEVERITY_WORDS[anxiety]),) if anxiety else ()
    note = join_lines(words)
    if not (note or readings or fields):
        return Skipped(row.line, "nothing recorded on this day")
    return SourceRow(line=row.line, day=day, time=time, fields=fields, readings=readings, note=note, raw=row.raw())


def _read_table(table: Table, today: date) -> SourceFile:
    problems = Problems()
    date_name = _date_column(list(table.columns))
    if date_name is None:
        table.name_missing(problems, ["date"])
        return SourceFile(APP, problems=problems.all())
    rows: list[SourceRow] = []
    skipped: list[Skipped] = []
    for row in table.shaped_rows(problems):
        read = _day_row(row, date_name, problems, today)
        if isinstance(read, SourceRow):
            rows.append(read)
        elif isinstance(read, Skipped):
            skipped.append(read)
    return SourceFile(APP, rows=tuple(rows), skipped=tuple(skipped), problems=problems.all())


def read(data: bytes, *, today: date | None = None) -> SourceFile:
    """Every day of an eMoods backup (.emoods) or entry.csv, the days with nothing recorded, and the problems that keep a day out."""
    if is_zip(data):
        data = entry_csv(data)
    return _read_table(read_table(decode(data)), today or date.today())
