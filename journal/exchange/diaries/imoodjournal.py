"""Reading iMoodJournal's CSV export: one mood record a row, a level 1-10 and a comment with #hashtags.

The columns are `Date` ("September 5, 2015"; some locales write "5 September 2015"), `Day of
Week`, `Hour`, `Minute`, `Level` (1 worst, 10 best), `Comment`, then one column per #hashtag,
1 when the record has the tag and 0 when not. The level maps onto the journal's 0-10 mood as
round((Level - 1) x 10 / 9), halves rounded up (written out: Python's round() rounds halves to
even). The tags set to 1 become the row's tags and a line of the note. A column this reader does
not know that holds something other than 0 or 1 is kept in the note in words, never dropped.

No public iMoodJournal export was found to copy; the shape is the issue's, and a data set's
description of one ("[1] Date [2] Day of Week [3] Hour [4] Minute [5] Level ...", found by search
without its repository) agrees with it.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date
from datetime import time as TimeOfDay

from journal.exchange.diaries.source import SourceFile, SourceRow
from journal.exchange.diaries.text import (
    Problems,
    Row,
    Table,
    checked_day,
    decode,
    header_cells,
    join_lines,
    parse_named_date,
    parse_number,
    read_table,
)

__all__ = ["read", "looks_like", "mood_from_level"]

APP = "imoodjournal"
_KNOWN = ("date", "day of week", "hour", "minute", "level", "comment")
_REQUIRED = ("date", "hour", "minute", "level")


def looks_like(data: bytes) -> bool:
    """Whether the file's header is iMoodJournal's (a cheap look at the first line only)."""
    cells = header_cells(data)
    return bool(cells) and set(_REQUIRED) <= set(cells or ())


def mood_from_level(level: int) -> int:
    """iMoodJournal's level 1-10 on the journal's 0-10 mood: round((level - 1) x 10 / 9), halves up (1 -> 0, 5 -> 4, 6 -> 6, 10 -> 10)."""
    return math.floor((level - 1) * 10 / 9 + 0.5)


def _whole(row: Row, name: str, lo: int, hi: int, what: str, problems: Problems) -> int | None:
    written = row.get(name).strip()
    number = parse_number(written)
    if number is None or number != int(number) or not lo <= number <= hi:
        problems.add(row.line, row.column(name), written, f"not {what}")
        return None
    return int(number)


def _tag(name: str) -> str:
    return name if name.startswith("#") else f"#{name}"


def _record(row: Row, problems: Problems, today: date) -> SourceRow | None:
    """One iMoodJournal record as a source row, or None with every problem of the row named."""
    found = len(problems)
    written = row.get("date")
    day = checked_day(lambda: parse_named_date(written), problems, row.line, row.column("date"), written, today)
    hour = _whole(row, "hour", 0, 23, "an hour (0-23)", problems)
    minute = _whole(row, "minute", 0, 59, "a minute (0-59)", problems)
    level = _whole(row, "level", 1, 10, "a level from 1 to 10", problems)
    if day is None or hour is None or minute is None or level is None or len(problems) > found:
        return None
    tags: list[str] = []
    words: list[str] = []
    for name, i in row.columns.items():
        if name in _KNOWN:
            continue
        value = row.values[i].strip()
        if value == "1":
            tags.append(_tag(row.header[i].strip()))
        elif value not in ("", "0"):
            words.append(f"{row.header[i].strip()}: {value}")
    comment = row.get("comment")
    unsaid = [t for t in tags if t.casefold() not in comment.casefold()]  # a tag the comment already holds is not said twice
    note = join_lines((comment, f"tags: {', '.join(unsaid)}" if unsaid else "", *words))
    return SourceRow(
        line=row.line,
        day=day,
        time=TimeOfDay(hour, minute),
        fields={"mood": mood_from_level(level)},
        note=note,
        raw=row.raw(),
        tags=tuple(tags),
    )


def read(data: bytes, *, today: date | None = None) -> SourceFile:
    """Every record of an iMoodJournal export, or the problems that keep a record out."""
    today = today or date.today()
    table = read_table(decode(data))
    problems = Problems()
    if table.name_missing(problems, _REQUIRED):
        return SourceFile(APP, problems=problems.all())
    table = _dates_joined(table)
    rows = [record for row in table.shaped_rows(problems) if (record := _record(row, problems, today)) is not None]
    return SourceFile(APP, rows=tuple(rows), problems=problems.all())


_MONTH_DAY = re.compile(r"^\s*[^\W\d_]+\.? \d{1,2}\s*$")
_YEAR = re.compile(r"^\s*\d{4}\s*$")


def _dates_joined(table: Table) -> Table:
    """A date written "September 5, 2015" without quotes splits at its comma: such a row, one value longer than the
    header, gets its date back whole ("September 5, 2015") before the row is read."""
    width = len(table.header)
    at = table.columns.get("date")
    if at is None:
        return table
    fixed = []
    for line, values in table.rows:
        if len(values) == width + 1 and _MONTH_DAY.match(values[at]) and _YEAR.match(values[at + 1]):
            values = (*values[:at], f"{values[at]},{values[at + 1]}", *values[at + 2:])
        fixed.append((line, values))
    return replace(table, rows=tuple(fixed))
