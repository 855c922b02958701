"""Each table's rows as plain SQL sees them, and the records they become (private to storage; no ORM).

The facade reads and writes through these with the driver's own cursor: an ORM object per row
cost about nine tenths of the time of listing a long journal, and leaving the ORM unloaded
keeps a few megabytes off every start. `journal.storage.models` stays the schema's description (for
Alembic and for a new file); a test checks that every table here matches its model.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from typing import Any, Callable

from journal import records as r

_day = dt.date.fromisoformat


def _day_or_none(value: str | None) -> dt.date | None:
    return None if value is None else _day(value)


def _text_day(value: dt.date) -> str:
    """A date as SQLAlchemy's SQLite Date type stores it (a datetime keeps only its date)."""
    if type(value) is dt.date:
        return value.isoformat()
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _text_day_or_none(value: dt.date | None) -> str | None:
    return None if value is None else _text_day(value)


def _maker(cls: type) -> Callable[..., Any]:
    """A quicker way to make `cls` records from values read back from the journal (keywords, every field).

    A frozen dataclass sets each field through object.__setattr__, which is most of the cost of
    building the thousands of check-ins of a long journal; filling the new record's attributes
    at once makes the very same record (equal, hashable, immutable) in about two thirds of the
    time. A record class that needs its own __init__ (a __post_init__, slots), or a call that
    leaves a field out, gets the plain constructor.
    """
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        return cls
    new = object.__new__
    count = len(fields(cls))

    def make(**values: Any) -> Any:
        if len(values) != count:
            return cls(**values)
        record = new(cls)
        record.__dict__.update(values)
        return record

    return make


_make_checkin = _maker(r.DailyCheckIn)
_make_score = _maker(r.ScaleScore)


class Table:
    """One table: `COLUMNS` as `from_row` reads them, `WRITE` (all, in the table's order) as `values` gives them.

    Values are in stored form, dates as ISO text and flags as 0/1, so rows go to the driver's
    executemany with no per-value processing.
    """

    NAME: str
    COLUMNS: tuple[str, ...]
    WRITE: tuple[str, ...]

    @classmethod
    def select_sql(cls) -> str:
        columns = ", ".join(f'"{c}"' for c in cls.COLUMNS)
        return f'SELECT {columns} FROM "{cls.NAME}"'

    @classmethod
    def insert_sql(cls) -> str:
        columns = ", ".join(f'"{c}"' for c in cls.WRITE)
        return f'INSERT INTO "{cls.NAME}" ({columns}) VALUES ({", ".join("?" * len(cls.WRITE))})'


class ProfileTable(Table):
    NAME = "profile"
    COLUMNS = ("display_name", "birth_year")
    WRITE = ("id", "display_name", "birth_year")

    @staticmethod
    def from_row(row: tuple) -> r.Profile:
        display_name, birth_year = row
        return r.Profile(display_name=display_name, birth_year=birth_year)

    @staticmethod
    def values(p: r.Profile) -> tuple:
        return (1, p.display_name, p.birth_year)  # the one row


class SettingsTable(Table):
    NAME = "settings"
    COLUMNS = ("adequate_weeks", "failure_threshold_pct", "count_augmentation", "primary_scale")
    WRITE = ("id", *COLUMNS)

    @staticmethod
    def from_row(row: tuple) -> r.Settings:
        adequate_weeks, failure_threshold_pct, count_augmentation, primary_scale = row
        return r.Settings(
            adequate_weeks=adequate_weeks,
            failure_threshold_pct=failure_threshold_pct,
            count_augmentation=bool(count_augmentation),
            primary_scale=primary_scale,
        )

    @staticmethod
    def values(s: r.Settings) -> tuple:
        return (1, s.adequate_weeks, s.failure_threshold_pct, int(bool(s.count_augmentation)), s.primary_scale)


class EpisodeTable(Table):
    NAME = "episodes"
    COLUMNS = ("id", "start", "end", "severity", "note")
    WRITE = COLUMNS

    @staticmethod
    def from_row(row: tuple) -> r.Episode:
        id_, start, end, severity, note = row
        return r.Episode(id=id_, start=_day(start), end=_day_or_none(end), severity=severity, note=note or "")

    @staticmethod
    def values(e: r.Episode) -> tuple:
        return (e.id, _text_day(e.start), _text_day_or_none(e.end), e.severity, e.note)


class TrialTable(Table):
    NAME = "trials"
    # `start` is the first dose step's, kept in the table so listing by span needs no join.
    COLUMNS = (
        "id",
        "drug",
        "end",
        "augmentation",
        "min_adequate_mg",
        "stop_reason",
        "adherence",
        "rating_response",
        "rating_improvement_pct",
        "rating_date",
        "note",
    )
    WRITE = ("id", "drug", "start", *COLUMNS[2:])

    @staticmethod
    def from_row(row: tuple, doses: tuple[r.DoseStep, ...], side_effects: tuple[r.SideEffect, ...]) -> r.Trial:
        id_, drug, end, augmentation, min_mg, stop_reason, adherence, response, improvement, rated, note = row
        rating = None
        if response is not None:  # a trial has at most one rating; no response means none was given
            rating = r.Rating(response=response, improvement_pct=improvement, date=_day_or_none(rated))
        return r.Trial(
            id=id_,
            drug=drug,
            doses=doses,
            augmentation=bool(augmentation),
            min_adequate_mg=min_mg,
            end=_day_or_none(end),
            stop_reason=stop_reason,
            adherence=adherence,
            rating=rating,
            side_effects=side_effects,
            note=note or "",
        )

    @staticmethod
    def values(t: r.Trial) -> tuple:
        rating = t.rating
        return (
            t.id,
            t.drug,
            _text_day(t.doses[0].start),
            _text_day_or_none(t.end),
            int(bool(t.augmentation)),
            t.min_adequate_mg,
            t.stop_reason,
            t.adherence,
            rating.response if rating else None,
            rating.improvement_pct if rating else None,
            _text_day_or_none(rating.date) if rating else None,
            t.note,
        )

    @staticmethod
    def child_values(t: r.Trial) -> tuple[list[tuple], list[tuple]]:
        """The rows of the trial's dose steps and of its side effects, each numbered in its order."""
        doses = [(t.id, i, _text_day(d.start), d.mg_per_day) for i, d in enumerate(t.doses)]
        effects = [
            (t.id, i, s.name, s.severity, _text_day_or_none(s.start), _text_day_or_none(s.end))
            for i, s in enumerate(t.side_effects)
        ]
        return doses, effects


class DoseStepTable(Table):
    NAME = "dose_steps"
    # Read grouped by trial (the first column), each trial's steps in their order.
    COLUMNS = ("trial_id", "start", "mg_per_day")
    WRITE = ("trial_id", "position", "start", "mg_per_day")
    ORDER = '"trial_id", "position"'

    @staticmethod
    def from_row(row: tuple) -> r.DoseStep:
        return r.DoseStep(start=_day(row[1]), mg_per_day=row[2])


class SideEffectTable(Table):
    NAME = "side_effects"
    COLUMNS = ("trial_id", "name", "severity", "start", "end")
    WRITE = ("trial_id", "position", "name", "severity", "start", "end")
    ORDER = '"trial_id", "position"'

    @staticmethod
    def from_row(row: tuple) -> r.SideEffect:
        _trial, name, severity, start, end = row
        return r.SideEffect(name=name, severity=severity, start=_day_or_none(start), end=_day_or_none(end))


class ScoreTable(Table):
    NAME = "scores"
    # `items`: questionnaire answers in order as a JSON list, exactly as given (null for total-only scales).
    COLUMNS = ("id", "date", "scale", "total", "items", "difficulty")
    WRITE = COLUMNS

    @staticmethod
    def from_row(row: tuple) -> r.ScaleScore:
        id_, date, scale, total, items, difficulty = row
        return _make_score(
            id=id_,
            date=_day(date),
            scale=scale,
            total=total,
            items=None if items is None else tuple(json.loads(items)),
            difficulty=difficulty,
        )

    @staticmethod
    def values(s: r.ScaleScore) -> tuple:
        items = None if s.items is None else json.dumps([int(i) for i in s.items])
        return (s.id, _text_day(s.date), s.scale, s.total, items, s.difficulty)


class CheckInTable(Table):
    NAME = "checkins"
    COLUMNS = ("id", "date", "mood", "anxiety", "sleep_quality", "energy", "pain", "hours_slept", "note")
    WRITE = COLUMNS

    @staticmethod
    def from_row(row: tuple) -> r.DailyCheckIn:
        id_, date, mood, anxiety, sleep_quality, energy, pain, hours_slept, note = row
        return _make_checkin(
            id=id_,
            date=_day(date),
            mood=mood,
            anxiety=anxiety,
            sleep_quality=sleep_quality,
            energy=energy,
            pain=pain,
            hours_slept=hours_slept,
            note=note or "",
        )

    @staticmethod
    def values(c: r.DailyCheckIn) -> tuple:
        return (c.id, _text_day(c.date), c.mood, c.anxiety, c.sleep_quality, c.energy, c.pain, c.hours_slept, c.note)


class LabTable(Table):
    NAME = "labs"
    COLUMNS = ("id", "date", "test", "value", "unit", "note")
    WRITE = COLUMNS

    @staticmethod
    def from_row(row: tuple) -> r.Lab:
        id_, date, test, value, unit, note = row
        return r.Lab(id=id_, date=_day(date), test=test, value=value, unit=unit, note=note or "")

    @staticmethod
    def values(lab: r.Lab) -> tuple:
        return (lab.id, _text_day(lab.date), lab.test, lab.value, lab.unit, lab.note)


class ConditionTable(Table):
    NAME = "conditions"
    COLUMNS = ("id", "name", "status", "since", "note")
    WRITE = COLUMNS

    @staticmethod
    def from_row(row: tuple) -> r.Condition:
        id_, name, status, since, note = row
        return r.Condition(id=id_, name=name, status=status, since=_day_or_none(since), note=note or "")

    @staticmethod
    def values(c: r.Condition) -> tuple:
        return (c.id, c.name, c.status, _text_day_or_none(c.since), c.note)


class SessionTable(Table):
    NAME = "sessions"
    # `at` is ISO 8601 text exactly as given, so the person's own UTC offset survives the round
    # trip; `day` (written, not read back) is its calendar date in that offset, what date ranges match.
    COLUMNS = (
        "id",
        "at",
        "treatment",
        "dose_mg",
        "number_in_course",
        "bp_before_systolic",
        "bp_before_diastolic",
        "bp_after_systolic",
        "bp_after_diastolic",
        "dissociation",
        "sedation",
        "nausea",
        "transport_arranged",
        "note",
    )
    WRITE = ("id", "at", "day", *COLUMNS[2:])

    @staticmethod
    def from_row(row: tuple) -> r.Session:
        id_, at, treatment, dose_mg, number, before_sys, before_dia, after_sys, after_dia, *rest = row
        dissociation, sedation, nausea, transport_arranged, note = rest
        before = None
        if before_sys is not None and before_dia is not None:
            before = (before_sys, before_dia)
        after = None
        if after_sys is not None and after_dia is not None:
            after = (after_sys, after_dia)
        return r.Session(
            id=id_,
            datetime=dt.datetime.fromisoformat(at),
            treatment=treatment,
            dose_mg=dose_mg,
            number_in_course=number,
            bp_before=before,
            bp_after=after,
            dissociation=dissociation,
            sedation=sedation,
            nausea=nausea,
            transport_arranged=bool(transport_arranged),
            note=note or "",
        )

    @staticmethod
    def values(s: r.Session) -> tuple:
        before = s.bp_before or (None, None)
        after = s.bp_after or (None, None)
        return (
            s.id,
            s.datetime.isoformat(),
            _text_day(s.datetime.date()),
            s.treatment,
            s.dose_mg,
            s.number_in_course,
            before[0],
            before[1],
            after[0],
            after[1],
            s.dissociation,
            s.sedation,
            s.nausea,
            int(bool(s.transport_arranged)),
            s.note,
        )


class NoteTable(Table):
    NAME = "notes"
    COLUMNS = ("id", "date", "text", "for_appointment")
    WRITE = COLUMNS

    @staticmethod
    def from_row(row: tuple) -> r.Note:
        id_, date, text, for_appointment = row
        return r.Note(id=id_, date=_day(date), text=text, for_appointment=bool(for_appointment))

    @staticmethod
    def values(n: r.Note) -> tuple:
        return (n.id, _text_day(n.date), n.text, int(bool(n.for_appointment)))


class EntryByTable(Table):
    """Who entered a record when it was not the journal's owner (caregiver mode)."""

    NAME = "entries_by"
    COLUMNS = ("record", "author")
    WRITE = COLUMNS


TABLES: tuple[type[Table], ...] = (
    ProfileTable,
    SettingsTable,
    EpisodeTable,
    TrialTable,
    DoseStepTable,
    SideEffectTable,
    ScoreTable,
    CheckInTable,
    LabTable,
    ConditionTable,
    SessionTable,
    NoteTable,
    EntryByTable,
)
