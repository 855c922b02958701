"""Reading Daylio's CSV export (daylio_export_YYYY_MM_DD.csv): one entry a row, newest first, several a day.

Three headers are read: today's `full_date,date,weekday,time,mood,activities,scales,note_title,note`,
the 2020-2023 one without `scales` (and an earlier one without `note_title` either), and the
2019 one `year,date,weekday,time,mood,activities,note` whose `date` is a day and a month ("18
May"). `full_date` is ISO; the localised `date` and `weekday` are not read when it is there. The
mood is a name the person may have renamed, so it stays a name (a `mood_name` reading) until
they say its level. Activities are joined by " | "; notes may hold `<br>` and HTML entities.
Comma, tab and semicolon files are all read.

Samples the shapes come from: MichaelCurrin/daylio-csv-parser (docs/usage.md, the 2019 header;
dayliopy/sample.csv, the 2021 header and "10:00 pm"), staticf0x/daylio-parser
(tests/data/test_data.csv, the header without note_title, "14:58" among "6:50 pm"), and
CampbellMG/MiniMoods issue 3 ("20:39", "08:20", renamed moods "irritable", "ok").
"""

from __future__ import annotations

from datetime import date
from functools import cache

from journal.exchange.diaries.source import Reading, SourceFile, SourceRow
from journal.exchange.diaries.text import (
    Problems,
    Row,
    checked_day,
    decode,
    header_cells,
    html_to_text,
    join_lines,
    parse_day_month,
    parse_iso_date,
    parse_time,
    raw_line,
    read_table,
)

__all__ = ["read", "looks_like"]

APP = "daylio"


def looks_like(data: bytes) -> bool:
    """Whether the file's header is one of Daylio's (a cheap look at the first line only)."""
    cells = header_cells(data)
    if not cells:
        return False
    names = set(cells)
    dated = "full_date" in names or {"year", "date"} <= names
    return dated and {"weekday", "time", "mood"} <= names


def _day(row: Row, problems: Problems, today: date) -> date | None:
    if row.has("full_date"):
        written = row.get("full_date")
        return checked_day(lambda: parse_iso_date(written), problems, row.line, row.column("full_date"), written, today)
    year_written, written = row.get("year").strip(), row.get("date")
    if not (year_written.isdigit() and len(year_written) == 4):
        problems.add(row.line, row.column("year"), year_written, "not a year (four digits)")
        return None
    year = int(year_written)
    return checked_day(lambda: parse_day_month(written, year), problems, row.line, row.column("date"), written, today)


# Written in the phone's language and derived from full_date: kept out of the original values when full_date is
# there, so an export made after the person changed the phone's language still recognises the entries already imported.
_LOCALISED = ("date", "weekday")


@cache
def _kept_columns(header: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(i for i, name in enumerate(header) if name.strip().casefold() not in _LOCALISED)


def _raw(row: Row) -> str:
    if not row.has("full_date") or not row.get("full_date").strip():
        return row.raw()
    return raw_line((row.header[i], row.values[i]) for i in _kept_columns(row.header))


def _entry(row: Row, problems: Problems, today: date) -> SourceRow | None:
    """One Daylio entry as a source row, or None with its problems named (every one of the row's, not only the first)."""
    found = len(problems)
    day = _day(row, problems, today)
    time_written = row.get("time")
    time = parse_time(time_written) if time_written.strip() else None
    if time_written.strip() and time is None:
        problems.add(row.line, row.column("time"), time_written, "not a time (like 21:35 or 8:30 pm)")
    mood = row.get("mood").strip()
    if not mood:
        problems.add(row.line, row.column("mood"), None, "the entry has no mood")
    if day is None or len(problems) > found:
        return None
    activities = tuple(a.strip() for a in row.get("activities").split("|") if a.strip())
    note = join_lines(
        (
            html_to_text(row.get("note_title")),
            html_to_text(row.get("note")),
            f"activities: {', '.join(activities)}" if activities else "",
            f"scales: {row.get('scales').strip()}" if row.get("scales").strip() else "",
        )
    )
    return SourceRow(
        line=row.line,
        day=day,
        time=time,
        readings=(Reading("mood_name", mood),),
        note=note,
        raw=_raw(row),
        tags=activities,
    )


def read(data: bytes, *, today: date | None = None) -> SourceFile:
    """Every entry of a Daylio export, or the problems that keep an entry out (`today`: the day after which a date is refused)."""
    today = today or date.today()
    table = read_table(decode(data))
    problems = Problems()
    dated = ["full_date"] if "full_date" in table.columns or "year" not in table.columns else ["year", "date"]
    if table.name_missing(problems, [*dated, "time", "mood"]):
        return SourceFile(APP, problems=problems.all())
    rows = [entry for row in table.shaped_rows(problems) if (entry := _entry(row, problems, today)) is not None]
    return SourceFile(APP, rows=tuple(rows), problems=problems.all())
