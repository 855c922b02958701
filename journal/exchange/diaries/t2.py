"""Reading T2 Mood Tracker's CSV export: typed rows with no header, the results of one moment becoming one check-in.

The app writes, for each group it exports, `group,TITLE,INVERSE`, then for each of the group's
scales `scale,MIN_LABEL,MAX_LABEL` followed by its results `result,YYYY-MM-DD HH:MM:SS,VALUE`
(0-100, where the slider stood between the two labels); the notes come after as
`note,YYYY-MM-DD HH:MM:SS,TEXT`. A result belongs to the group line above it. A rating session
gives every scale of a group a result at the same moment, and T2 plots the group as the mean
of its scales, so one moment becomes one row with one `group` reading per group (the mean, the
group's inverse flag beside it: the person chooses which check-in rating each group becomes). A
note at the moment of a result goes into that row's note; a note on its own is a row with no
readings, which becomes a journal note.

The shape is T2 Mood Tracker's own code: t2health/T2-Mood-Tracker-Android,
src/com/t2/vas/importexport/ImportExport.java (exportGroupData, exportNotesData: opencsv's
writer, so every value quoted; the date format "yyyy-MM-dd HH:mm:ss"; the inverse flag written
"true" or "false" and read back with Boolean.parseBoolean).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import fmean

from journal.exchange.diaries.source import Reading, SourceFile, SourceRow
from journal.exchange.diaries.text import Problems, decode, escape_breaks, head_text, parse_number, raw_line, read_rows

__all__ = ["read", "looks_like"]

APP = "t2"
_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TRUE = frozenset({"1", "true", "yes", "y"})
_FALSE = frozenset({"0", "false", "no", "n", ""})
_KINDS = ("group", "scale", "result", "note")


def looks_like(data: bytes) -> bool:
    """Whether the file begins as T2 Mood Tracker's export does: a group row, or a note row with its date-time."""
    text = head_text(data)
    if text is None:
        return False
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    cells = [c.strip() for c in next(csv.reader([line]), [])]
    if len(cells) < 2:
        return False
    kind = cells[0].lower()
    return (kind == "group" and len(cells) <= 3) or (kind in ("note", "result") and bool(_STAMP.match(cells[1])))


@dataclass
class _Moment:
    """The results and notes of one date-time, as they are gathered."""

    stamp: datetime
    line: int
    written: list[str] = field(default_factory=list)  # the date-time as each row writes it
    results: dict[str, list[float]] = field(default_factory=dict)  # group title -> its scales' values
    inverse: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    broken: bool = False  # a row of this moment could not be read: the moment is left out whole


@dataclass
class _Reader:
    """The state of reading a T2 file top to bottom: the group and scale the next results belong to, and the moments found."""

    problems: Problems
    today: date
    group: tuple[str, bool] | None = None
    group_readable: bool = True  # whether the group's inverse flag could be read
    scale: tuple[str, str] = ("", "")
    moments: dict[datetime, _Moment] = field(default_factory=dict)

    def stamp(self, line: int, written: str) -> datetime | None:
        m = _STAMP.match(written.strip())
        if not m:
            self.problems.add(line, "date-time", written, "not a date-time (YYYY-MM-DD HH:MM:SS)")
            return None
        try:
            year, month, day, hour, minute, second = (int(g or 0) for g in m.groups())
            stamp = datetime(year, month, day, hour, minute, second)
        except ValueError:
            self.problems.add(line, "date-time", written, "there is no such day or time")
            return None
        if stamp.date() > self.today:
            self.problems.add(line, "date-time", written, "this day is after today")
            return None
        return stamp

    def moment(self, line: int, written: str) -> _Moment | None:
        stamp = self.stamp(line, written)
        if stamp is None:
            return None
        moment = self.moments.get(stamp)
        if moment is None:
            moment = self.moments[stamp] = _Moment(stamp, line)
        moment.line = min(moment.line, line)
        moment.written.append(written.strip())
        return moment

    def on_group(self, line: int, cells: tuple[str, ...]) -> None:
        title = cells[1].strip() if len(cells) > 1 else ""
        flag = cells[2].strip() if len(cells) > 2 else ""
        if not title:
            self.problems.add(line, "group", None, "a group row without the group's title")
            self.group = None
            return
        self.group_readable = flag.lower() in _TRUE | _FALSE
        if not self.group_readable:
            self.problems.add(line, "inverse", flag, "not an inverse flag (true or false, 1 or 0)")
        self.group, self.scale = (title, flag.lower() in _TRUE), ("", "")

    def on_result(self, line: int, cells: tuple[str, ...]) -> None:
        if len(cells) < 3:
            self.problems.add(line, None, None, "a result row needs a date-time and a value")
            return
        moment = self.moment(line, cells[1])
        if moment is None:
            return
        value = parse_number(cells[2])
        if self.group is None:
            self.problems.add(line, "result", cells[2], "a result before any group row: which group it belongs to is not known")
            moment.broken = True
            return
        if value is None or not 0 <= value <= 100:
            self.problems.add(line, "value", cells[2], "not a result from 0 to 100")
            moment.broken = True
            return
        if not self.group_readable:  # named once, at the group's row: its results are left out with it
            moment.broken = True
            return
        title, inverse = self.group
        moment.results.setdefault(title, []).append(value)
        moment.inverse.setdefault(title, inverse)
        low, high = self.scale
        moment.raws.append(raw_line([("group", title), ("min", low), ("max", high), ("value", cells[2])]))

    def on_note(self, line: int, cells: tuple[str, ...]) -> None:
        if len(cells) < 2:
            self.problems.add(line, None, None, "a note row needs a date-time")
            return
        text = cells[2] if len(cells) > 2 else ""
        moment = self.moment(line, cells[1])
        if moment is not None and text.strip():
            moment.notes.append(text.strip())
            moment.raws.append(f"note={escape_breaks(text)}")

    def on_row(self, line: int, cells: tuple[str, ...]) -> None:
        kind = cells[0].strip().lower()
        if kind == "group":
            self.on_group(line, cells)
        elif kind == "scale":
            if self.group is None:
                self.problems.add(line, "scale", None, "a scale before any group row")
            self.scale = (cells[1] if len(cells) > 1 else "", cells[2] if len(cells) > 2 else "")
        elif kind == "result":
            self.on_result(line, cells)
        elif kind == "note":
            self.on_note(line, cells)
        elif any(c.strip() for c in cells):
            self.problems.add(line, None, cells[0], f"not a row T2 Mood Tracker writes ({', '.join(_KINDS)})")


def _source_row(moment: _Moment) -> SourceRow | None:
    if moment.broken or not (moment.results or moment.notes):
        return None
    readings = tuple(Reading("group", title, fmean(values), inverse=moment.inverse[title]) for title, values in moment.results.items())
    head = raw_line([("time", min(moment.written))])
    return SourceRow(
        line=moment.line,
        day=moment.stamp.date(),
        time=moment.stamp.time().replace(second=0),
        readings=readings,
        note="\n".join(moment.notes),
        raw=" || ".join([head, *sorted(moment.raws)]),
    )


def read(data: bytes, *, today: date | None = None) -> SourceFile:
    """Every moment of a T2 Mood Tracker export as one row, or the problems that keep a moment out."""
    reader = _Reader(Problems(), today or date.today())
    for line, cells in read_rows(decode(data)):
        reader.on_row(line, cells)
    rows = [row for moment in reader.moments.values() if (row := _source_row(moment)) is not None]
    return SourceFile(APP, rows=tuple(sorted(rows, key=lambda r: r.line)), problems=reader.problems.all())
