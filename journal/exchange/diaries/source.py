"""What an import from another mood app reads from its file, before any choice is made: rows as the app wrote them.

Each app's reader (daylio, emoods, imoodjournal, bearable, t2) turns the file's bytes into one
`SourceFile`: its rows, each with the day and time, the values that map onto a check-in without
a choice (`fields`), the values that need one (`readings`: a Daylio mood name, a Bearable rating
whose scale the file does not state, a T2 group, an eMoods severity), the words for the note,
and the row's original values as one line (`raw`, kept as the check-in's origin so nothing the
person had is lost and a row already imported is recognised). A reader never guesses: what it
cannot read is a `SourceProblem` naming the line, the column and the value; a row with nothing
in it is `Skipped` with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from datetime import time as TimeOfDay

from journal.errors import JournalError

__all__ = ["APPS", "SourceProblem", "Reading", "SourceRow", "Skipped", "SourceFile", "DiaryFileError"]

# The apps a diary can come from: the key the command line takes (--app) and the name the journal shows and keeps in origins.
APPS: Mapping[str, str] = {
    "daylio": "Daylio",
    "emoods": "eMoods",
    "imoodjournal": "iMoodJournal",
    "bearable": "Bearable",
    "t2": "T2 Mood Tracker",
}


class DiaryFileError(JournalError):
    """A file no reader can take at all (binary, empty, an empty zip, no header it knows): the message says why."""


@dataclass(frozen=True)
class SourceProblem:
    """Something in the file that cannot be read: where (line, column), the value as written, and what is wrong."""

    line: int | None  # the file's line number, 1 for the header; None for the file as a whole
    column: str | None  # the column's name as the file writes it ("full_date", "time of day")
    value: str | None  # the value as written, or None
    message: str  # what is wrong, in words ("not a date (YYYY-MM-DD)")

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            where.append(f"value {shown!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Reading:
    """One value the app recorded that needs the person's choice before it becomes a check-in field.

    kind "mood_name": a Daylio mood, `key` the name as written, `value` None;
    kind "severity": an eMoods ANXIETY answer, `key` "none", "mild", "moderate" or "severe", `value` None;
    kind "rating": a Bearable rating, `key` its category as written ("Mood", "Energy"), `value` the number;
    kind "group": a T2 Mood Tracker result, `key` the group's title, `value` 0-100, `inverse` the group's flag.
    """

    kind: str
    key: str
    value: float | None = None
    inverse: bool = False


@dataclass(frozen=True)
class SourceRow:
    """One entry of the other app, as read; becomes one daily check-in (or, with no rating at all, one note)."""

    line: int  # the file line the row starts on (the first row of a Bearable or T2 moment)
    day: date
    time: TimeOfDay | None  # the entry's local time to the minute; None when the app keeps none
    # check-in fields the app's values map onto without a choice: "mood", "anxiety", "sleep_quality",
    # "energy", "pain" (0-10, whole numbers) and "hours_slept" (0-24)
    fields: Mapping[str, float] = field(default_factory=dict)
    readings: tuple[Reading, ...] = ()
    note: str = ""  # the words for the check-in's note: the note, activities, tags, symptoms in words
    raw: str = ""  # the row's original values as one line; the same row in a later export gives the same line
    tags: tuple[str, ...] = ()  # activities, hashtags and medication names as written (a medicine among them is offered as a trial)


@dataclass(frozen=True)
class Skipped:
    """A row left out, and why ("nothing recorded on this day")."""

    line: int
    reason: str


@dataclass(frozen=True)
class SourceFile:
    """What a reader made of a file: which app wrote it, its rows, the rows left out, and what could not be read."""

    app: str  # a key of APPS
    rows: tuple[SourceRow, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    problems: tuple[SourceProblem, ...] = ()

    @property
    def app_name(self) -> str:
        return APPS[self.app]
