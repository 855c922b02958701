"""What every diary reader needs from a file's text: its characters, its rows with their line numbers, times, dates and numbers.

A mood app's export is a spreadsheet file written on a phone: UTF-8 with or without a byte order
mark (UTF-16 when a spreadsheet program saved it again), commas, tabs or semicolons between
values, notes in quotes that run over several lines, a little HTML in the notes, times written
"21:35" or "8:30 pm", months named in English or German. These helpers read all of it the same
way for every reader, and say what they cannot read in words a person can act on, with the line
and column. Nothing here guesses: a value it cannot read is refused, never bent into shape.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from datetime import time as TimeOfDay

from journal.exchange.diaries.source import DiaryFileError, SourceProblem

__all__ = [
    "MAX_PROBLEMS",
    "NOT_TEXT",
    "MONTHS",
    "DateProblem",
    "Problems",
    "Row",
    "Table",
    "decode",
    "header_cells",
    "head_text",
    "sniff_delimiter",
    "read_rows",
    "read_table",
    "raw_line",
    "escape_breaks",
    "html_to_text",
    "parse_time",
    "parse_number",
    "parse_hours",
    "month_number",
    "parse_iso_date",
    "parse_named_date",
    "parse_day_month",
    "checked_day",
    "join_lines",
]

MAX_PROBLEMS = 200  # a file with more is named by its first 200 problems and a count of the rest
NOT_TEXT = "this is not a text file"
_SNIFF_BYTES = 64 * 1024  # enough for any header line; detection never decodes a whole 40,000-row file
_DELIMITERS = (",", "\t", ";")
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f") | {"\x7f"}


class DateProblem(ValueError):
    """A date that cannot be read, with what is wrong in words ("there is no such day")."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Problems:
    """The problems of one file as they are found, the first MAX_PROBLEMS of them kept and the rest counted."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self._cap = cap
        self._kept: list[SourceProblem] = []
        self._more = 0

    def add(self, line: int | None, column: str | None, value: str | None, message: str) -> None:
        if len(self._kept) < self._cap:
            self._kept.append(SourceProblem(line, column, value, message))
        else:
            self._more += 1

    def __len__(self) -> int:
        return len(self._kept) + self._more

    def all(self) -> tuple[SourceProblem, ...]:
        """The kept problems in the file's order of lines, and one "and N more problems" when there were more than the cap."""
        kept = sorted(self._kept, key=lambda p: (p.line is None, p.line or 0))
        if not self._more:
            return tuple(kept)
        more = f"and {self._more:,} more problem{'' if self._more == 1 else 's'}"
        return (*kept, SourceProblem(None, None, None, more))


# --- characters --------------------------------------------------------------------------------


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ch in _CONTROL)
    return controls > max(2, len(sample) // 50)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 with or without a byte order mark, or UTF-16 with one; anything else refused by name."""
    if not data:
        raise DiaryFileError("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DiaryFileError("the file says it is UTF-16 text but its characters cannot be read") from None
    else:
        body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
        if b"\x00" in body[:_SNIFF_BYTES]:
            raise DiaryFileError(NOT_TEXT)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            if _looks_binary(body[: e.start].decode("utf-8", "replace") + body[e.start : e.start + 512].decode("latin-1")):
                raise DiaryFileError(NOT_TEXT) from None
            line = body.count(b"\n", 0, e.start) + 1
            column = len(body[body.rfind(b"\n", 0, e.start) + 1 : e.start].decode("utf-8")) + 1  # in characters
            raise DiaryFileError(
                f"line {line}, column {column}: the byte 0x{body[e.start]:02X} is not UTF-8 text; "
                "the apps' own exports are UTF-8: export the file again, or save it as UTF-8 in the spreadsheet program"
            ) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DiaryFileError("the file is empty")
    if _looks_binary(text):
        raise DiaryFileError(NOT_TEXT)
    return text


def head_text(data: bytes) -> str | None:
    """The first part of the file as text for a cheap look at its header, or None when it is not text at all."""
    head = data[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", "ignore")
    else:
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        if b"\x00" in head:
            return None
        text = head.decode("utf-8", "ignore")
    text = text.lstrip("\ufeff")
    return None if _looks_binary(text) else text


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def sniff_delimiter(line: str) -> str:
    """The delimiter a header line uses: comma, tab or semicolon, whichever it has most of (a comma when none)."""
    counts = {d: _count_outside_quotes(line, d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to the first: comma, then tab
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def header_cells(data: bytes) -> list[str] | None:
    """The file's first row, lowercased and trimmed (detection only), or None when the file is not text."""
    text = head_text(data)
    if text is None:
        return None
    line = _first_line(text)
    if not line:
        return None
    cells = next(csv.reader([line], delimiter=sniff_delimiter(line)), [])
    return [c.strip().lower() for c in cells]


# --- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a file under its header: its values by column name, where it starts, and its original values as one line."""

    line: int
    header: tuple[str, ...]
    values: tuple[str, ...]
    columns: Mapping[str, int]  # lowercased column name -> position

    def has(self, name: str) -> bool:
        return name in self.columns

    def get(self, name: str) -> str:
        """The value under the column `name` (lowercase), exactly as written; "" when the file has no such column."""
        i = self.columns.get(name)
        return self.values[i] if i is not None else ""

    def column(self, name: str) -> str:
        """The column's name as the file writes it, for a problem's message."""
        i = self.columns.get(name)
        return self.header[i] if i is not None else name

    def raw(self) -> str:
        return raw_line(zip(self.header, self.values, strict=True))


@dataclass(frozen=True)
class Table:
    """A CSV file read whole: its header (names as written), where the header is, and each row that has values."""

    header: tuple[str, ...]
    header_line: int
    columns: Mapping[str, int]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # the line each row starts on, and its values

    def missing(self, names: Iterable[str]) -> list[str]:
        return [n for n in names if n not in self.columns]

    def name_missing(self, problems: Problems, names: Iterable[str]) -> bool:
        """Each required column the header lacks as a problem naming it and the header found; True when any is missing."""
        missing = self.missing(names)
        found = ", ".join(self.header) or "(nothing)"
        for name in missing:
            problems.add(self.header_line, name, None, f"the column {name!r} is missing; the header found: {found}")
        return bool(missing)

    def shaped_rows(self, problems: Problems) -> Iterable[Row]:
        """Each row as a Row; a row with fewer (or more) values than the header is a problem, a row of empty values is passed over."""
        width = len(self.header)
        for line, values in self.rows:
            if not any(v.strip() for v in values):
                continue
            if len(values) < width:
                problems.add(line, self.header[len(values)], None, f"this row has {len(values)} values, the header has {width} columns")
                continue
            if len(values) > width:
                extra = next((v for v in values[width:] if v.strip()), None)
                if extra is not None:
                    problems.add(line, None, extra, f"this row has {len(values)} values, the header has only {width} columns")
                    continue
                values = values[:width]
            yield Row(line, self.header, values, self.columns)


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        found.setdefault(name.strip().lower(), i)
    return found


def read_rows(text: str, delimiter: str = ",", *, spaced: bool = False) -> list[tuple[int, tuple[str, ...]]]:
    """Every row of the text with the line it starts on (a quoted value may run over several lines); blank lines left out.

    `spaced`: the file writes a space after each delimiter ("1, 2024-03-01, \"Rough day\""), so a quoted value's
    quotes come after that space and are still quotes.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=spaced)
    rows: list[tuple[int, tuple[str, ...]]] = []
    before = 0
    try:
        for cells in reader:
            start, before = before + 1, reader.line_num
            if cells:
                rows.append((start, tuple(cells)))
    except csv.Error as e:
        raise DiaryFileError(f"line {before + 1}: the file cannot be read as a table of values ({e})") from None
    return rows


def read_table(text: str, delimiter: str | None = None) -> Table:
    """The file's rows under its header (its first row with a value), each with the line it starts on."""
    first = _first_line(text)
    delimiter = delimiter or sniff_delimiter(first)
    # ", " between every pair of header names: the app writes a space after each delimiter
    spaced = delimiter == "," and first.count(",") > 0 and first.count(",") == first.count(", ")
    rows = read_rows(text, delimiter, spaced=spaced)
    for at, (line, cells) in enumerate(rows):
        if any(c.strip() for c in cells):
            header = tuple(c.strip().lstrip("\ufeff").strip() for c in cells)
            return Table(header, line, _columns(header), tuple(rows[at + 1 :]))
    raise DiaryFileError("the file is empty")


def escape_breaks(value: str) -> str:
    """A value on one line: each line break written as the two characters \\n."""
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def raw_line(pairs: Iterable[tuple[str, str]]) -> str:
    """A row's original values as one line: "column=value" pairs joined by " | ", empty values left out, each as written."""
    return " | ".join(f"{name}={escape_breaks(value)}" for name, value in pairs if value.strip())


def join_lines(lines: Iterable[str]) -> str:
    """The note's lines, the empty ones left out, each on its own line."""
    return "\n".join(line for line in (part.strip() for part in lines) if line)


# --- notes -------------------------------------------------------------------------------------

_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote)\s*>", re.IGNORECASE)
_ITEM = re.compile(r"<li(?:\s[^<>]*)?>", re.IGNORECASE)
# Only the formatting tags a diary app writes are taken out; "<3" or "a < b" in a person's words stay.
_TAG = re.compile(
    r"</?(?:b|i|u|s|em|strong|strike|del|ins|mark|small|big|sub|sup|span|font|p|div|ul|ol|h[1-6]|a|blockquote|code|pre)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def html_to_text(value: str) -> str:
    """A note as words: `<br>` and paragraph ends as line breaks, list items as "- ", formatting tags out, entities (&amp;) decoded."""
    if "<" not in value and "&" not in value and "\r" not in value and "\xa0" not in value and "\n\n\n" not in value:
        return "\n".join(line.rstrip() for line in value.split("\n")).strip()  # plain words: nothing to take out
    text = _BREAK.sub("\n", value)
    text = _ITEM.sub("- ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- times, numbers, dates ---------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)


def parse_time(value: str) -> TimeOfDay | None:
    """A clock time to the minute from "21:35", "8:30 pm", "8:30 PM", "08:30 a.m." (seconds dropped); None when it is not one."""
    m = _TIME.match(_SPACES.sub(" ", value).strip())
    if not m:
        return None
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if minute > 59 or second > 59:
        return None
    if m[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[4].lower() == "p" else 0)
    elif hour > 23:
        return None
    return TimeOfDay(hour, minute)


_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")


def parse_number(value: str) -> float | None:
    """A number as written ("7", "7.5", "7,5"), or None when the value is not one."""
    s = value.strip()
    return float(s.replace(",", ".")) if _NUMBER.match(s) else None


_HOURS_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_H_M = re.compile(r"^(?:(\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?\.?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?\.?)?$", re.IGNORECASE)


def parse_hours(value: str) -> float | None:
    """A length of time in hours from "7.5", "7:30" (hours:minutes, as Bearable writes sleep), "7h 30m", "7 h", "45m"; None otherwise."""
    s = _SPACES.sub(" ", value).strip()
    number = parse_number(s)
    if number is not None:
        return number
    m = _HOURS_MINUTES.match(s)
    if m:
        return int(m[1]) + int(m[2]) / 60
    m = _H_M.match(s)
    if m and (m[1] or m[2]):
        return float((m[1] or "0").replace(",", ".")) + int(m[2] or 0) / 60
    return None


_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "jaenner", "jän"),
    2: ("february", "feb", "februar", "feber"),
    3: ("march", "mar", "märz", "maerz", "mär", "mrz"),
    4: ("april", "apr"),
    5: ("may", "mai"),
    6: ("june", "jun", "juni"),
    7: ("july", "jul", "juli"),
    8: ("august", "aug"),
    9: ("september", "sep", "sept"),
    10: ("october", "oct", "oktober", "okt"),
    11: ("november", "nov"),
    12: ("december", "dec", "dezember", "dez"),
}
# Month names in English and German, full and short, lowercased: the languages of the readers' samples.
MONTHS: Mapping[str, int] = {name: number for number, names in _MONTH_NAMES.items() for name in names}


def month_number(name: str) -> int | None:
    """The month (1-12) an English or German month name means ("May", "Mai", "Sept.", "März"), or None."""
    return MONTHS.get(name.strip().rstrip(".").lower())


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem("there is no such day") from None


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_iso_date(value: str) -> date:
    """A date written YYYY-MM-DD; DateProblem says what is wrong otherwise."""
    m = _ISO.match(value.strip())
    if not m:
        raise DateProblem("not a date (YYYY-MM-DD)")
    return _make_date(int(m[1]), int(m[2]), int(m[3]))


_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|\.)?\s+([^\W\d_]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_MONTH_FIRST = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.IGNORECASE)
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|\.)?\s+([^\W\d_]+)\.?$", re.IGNORECASE)
_MONTH_DAY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)


def _named(day: str, month_name: str, year: int) -> date:
    month = month_number(month_name)
    if month is None:
        raise DateProblem(f"{month_name!r} is not a month name this reader knows (English or German)")
    return _make_date(year, month, int(day))


def parse_named_date(value: str) -> date:
    """A date with its month named: "September 5, 2015", "5 September 2015", "5th Jan 2022", "5. Mai 2015"; DateProblem otherwise."""
    s = _SPACES.sub(" ", value).strip()
    if _ISO.match(s):
        return parse_iso_date(s)
    m = _DAY_FIRST.match(s)
    if m:
        return _named(m[1], m[2], int(m[3]))
    m = _MONTH_FIRST.match(s)
    if m:
        return _named(m[2], m[1], int(m[3]))
    raise DateProblem("not a date like 'September 5, 2015' or '5 September 2015'")


def parse_day_month(value: str, year: int) -> date:
    """A day and a named month in the given year: "18 May", "May 18", "18. Mai"; DateProblem otherwise."""
    s = _SPACES.sub(" ", value).strip()
    m = _DAY_MONTH.match(s)
    if m:
        return _named(m[1], m[2], year)
    m = _MONTH_DAY.match(s)
    if m:
        return _named(m[2], m[1], year)
    raise DateProblem("not a day and month like '18 May'")


def checked_day(parse: Callable[[], date], problems: Problems, line: int, column: str, value: str, today: date) -> date | None:
    """The day `parse` reads, or None with the problem named: not a date, no such day, or a day after today."""
    try:
        day = parse()
    except DateProblem as e:
        problems.add(line, column, value, e.message)
        return None
    if day > today:
        problems.add(line, column, value, "this day is after today")
        return None
    return day
