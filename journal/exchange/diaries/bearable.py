"""Reading Bearable's CSV export, long format: one reading a row, the readings of one moment becoming one check-in.

The columns are `date,[date formatted,]weekday,time of day,category,rating/amount,detail,notes`;
`date` is written "5th Jan 2022". `time of day` is a part of the day (pre, am, mid, pm, "all
day"), a clock time ("09:53", "3:04") for a reading logged at a moment, or empty (Sleep). The
rows of one date and one time of day are one moment: Mood and Energy are ratings whose scale
the file does not state (the preview shows the range found and asks), Sleep is hours slept
(Bearable writes "9:45", hours and minutes), Symptom, Medication and every other category go
into the note in words, a medicine's name among the tags too: nothing is dropped. Bearable keeps
a part of the day, not a clock time, for most readings, so the note begins with the part of the
day in words ("morning") and the check-in has no time; a clock time is the check-in's time.

The shape comes from a real export in andrewmiller0728/BearableDataProcessing
(src/main/resources/Bearable_Export_20210728.csv: clock times, "all day", empty time of day for
Sleep with "4:00" and "9:45", "Meds/Supplements" with "Hydroxyzine (mg)" and an amount, symptoms
as "Stress (Mild)") and a reader of the newer one with `date formatted` (a Bearable normaliser
found by search; "7:30" sleep there too). "7.5" and "7h 30m" are read as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from datetime import time as TimeOfDay

from journal.exchange.diaries.source import Reading, SourceFile, SourceRow
from journal.exchange.diaries.text import (
    Problems,
    Row,
    checked_day,
    decode,
    header_cells,
    join_lines,
    parse_hours,
    parse_named_date,
    parse_number,
    parse_time,
    raw_line,
    read_table,
)

__all__ = ["read", "looks_like", "PARTS_OF_DAY"]

APP = "bearable"
# The lead's decision: a moment's note begins with its part of the day in words.
PARTS_OF_DAY = {"pre": "before morning", "am": "morning", "mid": "midday", "pm": "evening", "all day": "all day"}
_REQUIRED = ("time of day", "category", "rating/amount")
_CLOCKLIKE = re.compile(r"^\d{1,2}[:.]\d{2}")
_LEVEL = re.compile(r"^(.*\S)\s*\(([^()]*)\)$")  # "Stress (Mild)", "Hydroxyzine (mg)"


def looks_like(data: bytes) -> bool:
    """Whether the file's header is Bearable's (a cheap look at the first line only)."""
    cells = header_cells(data)
    return bool(cells) and set(_REQUIRED) <= set(cells or ())


@dataclass
class _Moment:
    """The rows of one date and one time of day, as they are gathered."""

    day: date
    time: TimeOfDay | None
    part: str  # the part of the day in words, or ""
    rows: list[Row] = field(default_factory=list)


def _date_name(row: Row) -> str:
    return "date" if row.get("date").strip() or not row.has("date formatted") else "date formatted"


def _when(row: Row, problems: Problems, today: date) -> tuple[date, tuple[str, object], TimeOfDay | None, str] | None:
    """The row's day, its moment's key, its clock time and its part of the day in words; None with the problem named."""
    name = _date_name(row)
    written = row.get(name)
    day = checked_day(lambda: parse_named_date(written), problems, row.line, row.column(name), written, today)
    said = row.get("time of day").strip()
    folded = " ".join(said.lower().split())
    if _CLOCKLIKE.match(said):
        clock = parse_time(said)
        if clock is None:
            problems.add(row.line, row.column("time of day"), said, "not a time (like 09:53) nor a part of the day (pre, am, mid, pm)")
            return None
        return (day, ("clock", clock), clock, "") if day else None
    if day is None:
        return None
    if not folded:
        return day, ("day", ""), None, ""
    return day, ("part", folded), None, PARTS_OF_DAY.get(folded, f"time of day: {said}")


def _named(detail: str) -> tuple[str, str]:
    """A detail and the words in brackets at its end: "Stress (Mild)" -> ("Stress", "Mild"); no brackets -> (detail, "")."""
    m = _LEVEL.match(detail)
    return (m[1].strip(), m[2].strip()) if m else (detail, "")


@dataclass
class _Gathered:
    """What a moment's rows say, as they are read."""

    readings: list[Reading] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    hours: float | None = None


def _rating(row: Row, category: str, amount: str, detail: str, into: _Gathered, problems: Problems) -> None:
    number = parse_number(amount)
    if number is None:
        problems.add(row.line, row.column("rating/amount"), amount, f"not a number (the {category} rating)")
        return
    into.readings.append(Reading("rating", category, number))
    if detail:
        into.words.append(f"{category.lower()}: {detail}")


def _sleep(row: Row, amount: str, detail: str, into: _Gathered, problems: Problems) -> None:
    if amount:
        hours = parse_hours(amount)
        if hours is None or not 0 <= hours <= 24:
            problems.add(row.line, row.column("rating/amount"), amount, "not a length of sleep (like 7:30, 7.5 or 7h 30m)")
            return
        into.hours = (into.hours or 0.0) + hours
    if detail:
        into.words.append(f"sleep: {detail}")


def _medication(amount: str, detail: str, into: _Gathered) -> None:
    names = [detail] if amount or "|" not in detail else [d.strip() for d in detail.split("|") if d.strip()]
    for written in names:
        name, unit = _named(written)
        if name:
            into.tags.append(name)
        into.words.append("medication: " + " ".join(p for p in (name, amount, unit) if p))
    if not names and amount:
        into.words.append(f"medication: {amount}")


def _row(row: Row, into: _Gathered, problems: Problems) -> None:
    """One reading of a moment into what the moment says: a rating, hours slept, or words (and a medicine's name)."""
    category = row.get("category").strip()
    kind = category.lower()
    amount, detail = row.get("rating/amount").strip(), row.get("detail").strip()
    if kind in ("mood", "energy"):
        _rating(row, category, amount, detail, into, problems)
    elif kind == "sleep":
        _sleep(row, amount, detail, into, problems)
    elif kind.startswith("symptom"):
        name, level = _named(detail)
        said = f"{name}, {level.lower()}" if level else name
        into.words.append(f"symptom: {said} ({amount})" if amount else f"symptom: {said}")
    elif kind.startswith("med"):
        _medication(amount, detail, into)
    elif detail or amount:
        said = f"{detail} ({amount})" if detail and amount else detail or amount
        into.words.append(f"{kind or 'reading'}: {said}")
    if row.get("notes").strip():
        into.words.append(row.get("notes").strip())


def _moment_raw(moment: _Moment) -> str:
    """The moment as one line: its date and time of day, then each row's own values, sorted so the file's order does not matter."""
    first = moment.rows[0]
    name = _date_name(first)
    head = raw_line(
        [
            (first.column(name), min(r.get(name) for r in moment.rows)),
            (first.column("time of day"), min(r.get("time of day") for r in moment.rows)),
        ]
    )
    return " || ".join([head, *sorted(r.raw() for r in moment.rows)])


def _source_row(moment: _Moment, problems: Problems) -> SourceRow | None:
    found = len(problems)
    into = _Gathered()
    for row in moment.rows:
        _row(row, into, problems)
    if into.hours is not None and into.hours > 24:
        problems.add(moment.rows[0].line, moment.rows[0].column("rating/amount"), None, f"{into.hours:g} hours of sleep in one day")
    if len(problems) > found:
        return None
    return SourceRow(
        line=moment.rows[0].line,
        day=moment.day,
        time=moment.time,
        fields={"hours_slept": into.hours} if into.hours is not None else {},
        readings=tuple(into.readings),
        note=join_lines((moment.part, *into.words)),
        raw=_moment_raw(moment),
        tags=tuple(dict.fromkeys(into.tags)),
    )


def _moments(rows: Iterable[Row], problems: Problems, today: date) -> list[_Moment]:
    gathered: dict[tuple[date, tuple[str, object]], _Moment] = {}
    for row in rows:
        when = _when(row, problems, today)
        if when is None:
            continue
        day, key, clock, part = when
        moment = gathered.get((day, key))
        if moment is None:
            moment = gathered[(day, key)] = _Moment(day, clock, part)
        moment.rows.append(row)
    return list(gathered.values())


def read(data: bytes, *, today: date | None = None) -> SourceFile:
    """Every moment of a Bearable export as one row, or the problems that keep a moment out."""
    today = today or date.today()
    table = read_table(decode(data))
    problems = Problems()
    dated = ["date"] if "date" in table.columns or "date formatted" not in table.columns else ["date formatted"]
    if table.name_missing(problems, [*dated, *_REQUIRED]):
        return SourceFile(APP, problems=problems.all())
    moments = _moments(table.shaped_rows(problems), problems, today)
    rows = [made for moment in moments if (made := _source_row(moment, problems)) is not None]
    return SourceFile(APP, rows=tuple(sorted(rows, key=lambda r: r.line)), problems=problems.all())
