"""The journal file, versions 1 and 2 (spec/journal-json.md): JSON read into records the rules judge, and records written as JSON.

The reader checks what only a file can get wrong (its keys, its dates written as text, objects
and lists where the format has them) and puts the values, as the file gave them, into typed
records; whether a record makes sense (a dose above zero, an end after its start, a score in
range) is journal.rules' question, asked of every record the same way a form's record is.

Both versions are read; a version-1 file is read exactly as before, and anything only version 2
has (a month or a year for a date, a dose not remembered, the therapies, the new fields) is
refused in it, each named. The writer always writes version 2.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from datetime import time as TimeOfDay
from pathlib import Path
from typing import Any, cast

from journal.errors import Problem, ValidationError
from journal.kinds import FILE_LISTS, KIND_NAMES, KINDS
from journal.limits import ID_LIMIT, NOTE_LIMIT, limit_for, too_long_message
from journal.records import (
    ALL_SCALES,
    DAILY_FIELDS,
    QUESTIONNAIRE_SCALES,
    Condition,
    DailyCheckIn,
    DoseStep,
    EntryBy,
    Episode,
    JournalContents,
    Lab,
    Note,
    Origin,
    Profile,
    Rating,
    Reminders,
    ScaleScore,
    Session,
    Settings,
    SideEffect,
    Therapy,
    Trial,
    date_text,
    in_journal_order,
    partial_from,
    time_text,
)
from journal.rules import (
    EARLIEST,
    ITEM_COUNTS,
    REMINDER_KEYS,
    SCALE_RANGES,
    SETTING_NAMES,
    SETTINGS_ALLOWED,
    TIME_WORDS,
    Check,
    check_record,
    check_reminders,
    describe,
    episode_order_problems,
    is_real_text,
    join,
    read_time,
)
from journal.storage.rows import fills_directly

FORMAT_NAME = "trial-journal"
FORMAT_VERSION = 2  # what the writer writes
READ_VERSIONS = (1, 2)  # what the reader reads

# Record lists in the file, in the order the spec lists them; `scores` holds check-ins too.
# `therapies` (version 2) is the file's list of the therapies kind, once journal.kinds names it.
RECORD_LISTS: tuple[str, ...] = tuple(dict.fromkeys((*FILE_LISTS, "therapies")))
TOP_LEVEL_KEYS = {"format", "version", "exported_at", "profile", "settings", "entries_by", *RECORD_LISTS}
_VERSION_2_LISTS = frozenset({"therapies"})

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_OR_YEAR_RE = re.compile(r"\d{4}(-\d{2})?", re.ASCII)  # whole text only (fullmatch): no line break after it
_NEWER = 'a version 2 field; this file is version 1 (a file that gives it says "version": 2)'


@dataclass
class ImportResult:
    """A file read and checked: its records, the settings it changes, and warnings that did not stop it."""

    contents: JournalContents
    settings_changes: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    exported_at: datetime | None = None


# --------------------------------------------------------------------------- what only a file gets wrong


class _Reader(Check):
    """The rules' Check, with the checks of JSON itself; `unread` names the values the reader could not put into a record.

    A value left unread (a date that is not a date, a missing required key) reaches the rules as
    nothing; the rules' own words about such a field are then not added to the reader's.
    """

    def __init__(self, latest: date, version: int = FORMAT_VERSION):
        super().__init__(latest)
        self.unread: list[str] = []
        self.version = version  # the file's version: what it may hold (spec/journal-json.md, "Version 2")
        self.fast_keys = _FAST_KEYS[version]

    def cannot_read(self, where: str, message: str) -> None:
        self.problem(where, message)
        self.unread.append(where)

    def mapping(self, value: Any, where: str) -> dict | None:
        if not isinstance(value, dict):
            self.cannot_read(where, f"must be an object with named fields, got {describe(value)}")
            return None
        return value

    def repeated_keys(self, rec: Any, where: str) -> None:
        """A key written twice in one object: JSON readers keep only the last, so the file is refused instead."""
        for key, count in getattr(rec, "repeated", {}).items():
            self.problem(join(where, key), f"appears {count} times; a key may appear only once, or all but the last would be lost")

    def keys(
        self, rec: dict, where: str, allowed: set[str] | frozenset[str] | tuple, required: tuple = (), newer: frozenset[str] = frozenset()
    ) -> None:
        """Every key known (`newer` ones, version 2's, only in a version-2 file) and every required one given."""
        self.repeated_keys(rec, where)
        for key in rec:
            if key not in allowed:
                self.problem(join(where, _shown_key(key)), "unknown field (a typo? the file format does not have it)")
            elif key in newer and self.version == 1:
                self.cannot_read(join(where, key), f"is {_NEWER}")
        for key in required:
            if key not in rec or rec[key] is None:
                self.cannot_read(join(where, key), "is required")

    def read_partial(self, rec: dict, key: str, where: str) -> tuple[Any, str]:
        """A date that version 2 may give as a month or a year: (its earliest day, its precision), or (None, "day").

        Its range and order are the rules' to check. In a version-1 file it is a full date, as before.
        """
        value = rec.get(key)
        if value is None:
            return None, "day"
        if isinstance(value, str) and _MONTH_OR_YEAR_RE.fullmatch(value):
            found = partial_from(value)
            what = "a month (YYYY-MM)" if len(value) == 7 else "a year (YYYY)"
            if found is None:
                if self.version == 1:
                    return self.read_day(rec, key, where), "day"  # as before: not a date written YYYY-MM-DD
                self.cannot_read(join(where, key), f"is not a real calendar {'month' if len(value) == 7 else 'year'}: {value}")
                return None, "day"
            if self.version == 1:
                self.cannot_read(
                    join(where, key),
                    f"{describe(value)} is {what}; version 1 files give full dates (YYYY-MM-DD); version 2 allows months and years",
                )
                return None, "day"
            return found
        if self.version == 1 or (isinstance(value, str) and _DATE_RE.match(value)):
            return self.read_day(rec, key, where), "day"
        self.cannot_read(join(where, key), f"{describe(value)} is not a date, a month (YYYY-MM) or a year (YYYY)")
        return None, "day"

    def read_time(self, rec: dict, where: str) -> Any:
        """A score's or check-in's `time` (HH:MM, 24-hour), or None."""
        value = rec.get("time")
        if value is None:
            return None
        at = read_time(value)
        if at is None:
            self.cannot_read(join(where, "time"), f"must be {TIME_WORDS}, got {describe(value)}")
        return at

    def read_origin(self, rec: dict, where: str) -> Any:
        """Where an imported record came from: null or {"app": ..., "raw": ...}."""
        value = rec.get("origin")
        if value is None:
            return None
        ow = join(where, "origin")
        raw = self.mapping(value, ow)
        if raw is None:
            return None
        self.keys(raw, ow, {"app", "raw"}, ("app",))
        return Origin(app=_given(raw, "app"), raw=_given(raw, "raw"))

    def read_day(self, rec: dict, key: str, where: str) -> Any:
        """A date written YYYY-MM-DD (its range is the rules' to check), or None; Any, as every value the rules judge."""
        value = rec.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not _DATE_RE.match(value):
            self.cannot_read(join(where, key), f"must be a date written YYYY-MM-DD, got {describe(value)}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.cannot_read(join(where, key), f"is not a real calendar date: {value}")
            return None

    def read_list(self, rec: dict, key: str, where: str) -> list | None:
        value = rec.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.cannot_read(join(where, key), f"must be a list, got {describe(value)}")
            return None
        return value

    def read_moment(self, value: Any, where: str) -> datetime | None:
        """A date and time with its offset, quoted in messages as the file writes it."""
        if not isinstance(value, str):
            self.cannot_read(where, f"must be a date and time like 2025-05-02T09:30:00+02:00, got {describe(value)}")
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.cannot_read(where, f"must be a date and time like 2025-05-02T09:30:00+02:00, got {describe(value)}")
            return None
        if parsed.tzinfo is None:
            self.cannot_read(where, f"needs its offset from UTC, like +02:00 or Z, got {describe(value)}")
            return None
        if parsed.date() < EARLIEST:
            self.cannot_read(where, f"must be on or after 1900-01-01, got {value}")
            return None
        if parsed.date() > self.latest:
            self.cannot_read(where, f"must not be after {self.latest.isoformat()} (the file's export date or today), got {value}")
            return None
        return parsed

    def ask_rules(self, record: Any, where: str, unread_from: int) -> Any:
        """The rules' verdict on a record read from the file, beside what the reader already said.

        `unread_from` is where this record's unread values began: a field the reader could not
        read is named once, in the reader's words, and not again by the rules.
        """
        if len(self.unread) == unread_from:
            return check_record(self, record, where)
        unread = tuple(self.unread[unread_from:])
        start = len(self.problems)
        cleaned = check_record(self, record, where)
        self.problems[start:] = [p for p in self.problems[start:] if not _inside(p.field, unread)]
        return cleaned


def _given(rec: dict, key: str) -> Any:
    """The file's value for `key`, or None; Any, as the rules judge its type."""
    return rec.get(key)


def _inside(name: str, fields: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith((f + ".", f + "[")) for f in fields)


def _shown_key(key: Any) -> str:
    """A key as a message names it: a key far longer than any field name is cut short."""
    key = str(key)
    return key if len(key) <= 100 else key[:60] + "..."


# --------------------------------------------------------------------------- record readers
# Each reader takes one JSON object and the path that names it (e.g. `trials[t3]`), checks its
# keys and dates, and returns the record with the file's values, for the rules to judge.


def _read_episode(c: _Reader, rec: dict, where: str) -> Episode:
    c.keys(rec, where, {"id", "start", "end", "severity", "note"}, ("id", "start"))
    start, start_precision = c.read_partial(rec, "start", where)
    end, end_precision = c.read_partial(rec, "end", where)
    return Episode(
        id=_given(rec, "id"),
        start=start,
        end=end,
        severity=_given(rec, "severity"),
        note=_given(rec, "note"),
        start_precision=start_precision,
        end_precision=end_precision,
    )


def _read_dose_step(c: _Reader, raw: Any, where: str) -> DoseStep | None:
    step = c.mapping(raw, where)
    if step is None:
        return None
    if c.version == 1 and "mg_per_day" in step and step["mg_per_day"] is None:
        c.keys(step, where, {"start", "mg_per_day"}, ("start",))
        c.cannot_read(
            join(where, "mg_per_day"), "is required: version 1 files give every dose (version 2 allows null for a dose not remembered)"
        )
    else:  # version 2: a dose left out or null is not remembered
        c.keys(step, where, {"start", "mg_per_day"}, ("start", "mg_per_day") if c.version == 1 else ("start",))
    start, precision = c.read_partial(step, "start", where)
    return DoseStep(start=start, mg_per_day=_given(step, "mg_per_day"), start_precision=precision)


def _read_rating(c: _Reader, raw: Any, where: str) -> Rating | None:
    if raw is None:
        return None
    rw = join(where, "rating")
    r = c.mapping(raw, rw)
    if r is None:
        return None
    # `response` may be left out or null: a number or a date alone, which the assessment reads as no rating.
    c.keys(r, rw, {"response", "improvement_pct", "date"}, ())
    return Rating(response=_given(r, "response"), improvement_pct=_given(r, "improvement_pct"), date=c.read_day(r, "date", rw))


def _read_side_effect(c: _Reader, raw: Any, where: str) -> SideEffect | None:
    se = c.mapping(raw, where)
    if se is None:
        return None
    c.keys(se, where, {"name", "severity", "start", "end"}, ("name",))
    return SideEffect(
        name=_given(se, "name"), severity=_given(se, "severity"), start=c.read_day(se, "start", where), end=c.read_day(se, "end", where)
    )


_ORIGIN = frozenset({"origin"})
_NEW_TRIAL_KEYS = frozenset({"source", "origin"})
_TRIAL_KEYS = {
    "id", "drug", "augmentation", "min_adequate_mg", "doses", "end", "stop_reason", "adherence", "rating", "side_effects", "note",
    *_NEW_TRIAL_KEYS,
}


def _read_trial(c: _Reader, rec: dict, where: str) -> Trial:
    c.keys(rec, where, _TRIAL_KEYS, ("id", "drug", "doses"), _NEW_TRIAL_KEYS)
    raw_doses = c.read_list(rec, "doses", where) or []
    raw_effects = c.read_list(rec, "side_effects", where) or []
    # A step or side effect that is not an object keeps its place, as nothing, so the others keep their names.
    doses: list[Any] = [_read_dose_step(c, step, join(where, f"doses[{i}]")) for i, step in enumerate(raw_doses)]
    effects: list[Any] = [_read_side_effect(c, se, join(where, f"side_effects[{i}]")) for i, se in enumerate(raw_effects)]
    end, end_precision = c.read_partial(rec, "end", where)
    return Trial(
        id=_given(rec, "id"),
        drug=_given(rec, "drug"),
        doses=tuple(doses),
        augmentation=_given(rec, "augmentation"),
        min_adequate_mg=_given(rec, "min_adequate_mg"),
        end=end,
        stop_reason=_given(rec, "stop_reason"),
        adherence=_given(rec, "adherence"),
        rating=_read_rating(c, _given(rec, "rating"), where),
        side_effects=tuple(effects),
        note=_given(rec, "note"),
        end_precision=end_precision,
        source=_given(rec, "source"),
        origin=c.read_origin(rec, where),
    )


_NEW_SCORE_KEYS = frozenset({"time", "origin"})
_QUESTIONNAIRE_KEYS = frozenset({"id", "date", "scale", "items", "total", "difficulty", *_NEW_SCORE_KEYS})
_TOTAL_KEYS = frozenset({"id", "date", "scale", "total", *_NEW_SCORE_KEYS})
_DAILY_KEYS = frozenset({"id", "date", "scale", *DAILY_FIELDS, "hours_slept", "note", *_NEW_SCORE_KEYS})
# The keys a record read at once may have, by the file's version: (questionnaire, total only, check-in).
# A record with anything else (an origin, a version-2 key in a version-1 file) is read closer.
_FAST_KEYS = {
    1: (_QUESTIONNAIRE_KEYS - _NEW_SCORE_KEYS, _TOTAL_KEYS - _NEW_SCORE_KEYS, _DAILY_KEYS - _NEW_SCORE_KEYS),
    2: (_QUESTIONNAIRE_KEYS - _ORIGIN, _TOTAL_KEYS - _ORIGIN, _DAILY_KEYS - _ORIGIN),
}


def _read_score(c: _Reader, rec: dict, where: str) -> ScaleScore | DailyCheckIn:
    scale = _given(rec, "scale")
    if scale == "daily":
        return _read_checkin(c, rec, where)
    questionnaire = scale in QUESTIONNAIRE_SCALES
    allowed = _QUESTIONNAIRE_KEYS if questionnaire else _TOTAL_KEYS if scale in ALL_SCALES else _QUESTIONNAIRE_KEYS | _DAILY_KEYS
    c.keys(rec, where, allowed, ("id", "date", "scale"), _NEW_SCORE_KEYS)
    return ScaleScore(
        id=_given(rec, "id"),
        date=c.read_day(rec, "date", where),
        scale=scale,
        total=_given(rec, "total"),
        items=_given(rec, "items") if questionnaire else None,
        difficulty=_given(rec, "difficulty") if questionnaire else None,
        time=c.read_time(rec, where),
        origin=c.read_origin(rec, where),
    )


def _file_day(raw: Any, latest: date) -> date | None:
    """A date the reader and the rules both take as it is (YYYY-MM-DD, a real day, 1900-01-01 to `latest`); None otherwise.

    Ten ASCII characters with dashes at 5 and 8 that date.fromisoformat reads are exactly the
    dates `_DATE_RE` matches and it reads (the other forms it reads, 20250102 or 2025-W01-4, fail the dashes).
    """
    if type(raw) is not str or len(raw) != 10 or not raw.isascii() or raw[4] != "-" or raw[7] != "-":
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if EARLIEST <= day <= latest else None


def _fast_checkin(c: _Reader, rec: dict) -> DailyCheckIn | None:
    """A well-formed check-in (the usual case, thousands a journal) read at once; None to read it closer.

    It takes only what journal.rules.check_checkin accepts as it is (ratings 0-10, hours 0-24,
    real text, a date in range, a time written HH:MM in a version-2 file), so it never lets
    through what the rules would not; the record it makes equals the one the rules would return
    (tests/journal/test_fast_paths.py). An origin, or any key of a later version, goes the long way.
    """
    if type(rec) is not dict or not c.fast_keys[2].issuperset(rec):
        return None  # a key written twice (or anything unusual) is looked at closer
    get = rec.get
    rid = get("id")
    if rid is None:
        return None
    mood, anxiety, sleep, energy, pain = get("mood"), get("anxiety"), get("sleep_quality"), get("energy"), get("pain")
    for v in (mood, anxiety, sleep, energy, pain):
        if v is not None and (type(v) is not int or not 0 <= v <= 10):
            return None
    hours = get("hours_slept")
    if hours is not None:
        if type(hours) is float:
            if not 0 <= hours <= 24:  # NaN fails the comparison too
                return None
        elif type(hours) is int and 0 <= hours <= 24:
            hours = float(hours)
        else:
            return None
    elif mood is None and anxiety is None and sleep is None and energy is None and pain is None:
        return None  # no rating at all: the rules say so
    note = get("note")
    if note is None:
        note = ""
    elif type(note) is not str or len(note) > NOTE_LIMIT or not (note.isascii() or is_real_text(note)):
        return None
    day = _file_day(get("date"), c.latest)
    if day is None:
        return None
    at = get("time")
    if at is not None and (at := read_time(at)) is None:
        return None
    if not _FILL_CHECKINS:
        return DailyCheckIn(rid, day, mood, anxiety, sleep, energy, pain, hours, note, at)
    record = _new(DailyCheckIn)
    # every field filled at once, as the journal's storage fills the check-ins it reads (journal.storage.rows)
    d = record.__dict__
    d["id"], d["date"], d["mood"], d["anxiety"], d["sleep_quality"] = rid, day, mood, anxiety, sleep
    d["energy"], d["pain"], d["hours_slept"], d["note"], d["time"], d["origin"] = energy, pain, hours, note, at, None
    return record


_CHECKIN_FIELDS = ("id", "date", *DAILY_FIELDS, "hours_slept", "note", "time", "origin")
_FILL_CHECKINS = fills_directly(DailyCheckIn) and tuple(f.name for f in fields(DailyCheckIn)) == _CHECKIN_FIELDS
_new = object.__new__


def _fast_score(c: _Reader, rec: dict, scale: str) -> ScaleScore | None:
    """A well-formed score of one of the scales (answers 0-3 summing to the total, a total in range) read at once; None to read it closer.

    Like `_fast_checkin`, it takes only what journal.rules.check_score accepts as it is.
    """
    questionnaire = scale in QUESTIONNAIRE_SCALES
    if type(rec) is not dict or not rec.keys() <= c.fast_keys[0 if questionnaire else 1]:
        return None
    get = rec.get
    rid, total = get("id"), get("total")
    low, high = SCALE_RANGES[scale]
    if rid is None or (total is not None and (type(total) is not int or not low <= total <= high)):
        return None
    items: tuple[int, ...] | None = None
    difficulty = None
    if questionnaire:
        raw_items, difficulty = get("items"), get("difficulty")
        if difficulty is not None and (type(difficulty) is not int or not 0 <= difficulty <= 3):
            return None
        if raw_items is not None:
            if type(raw_items) is not list or len(raw_items) != ITEM_COUNTS[scale]:
                return None
            for v in raw_items:
                if type(v) is not int or not 0 <= v <= 3:
                    return None
            items = tuple(raw_items)
            answered = sum(items)
            if total is None:
                total = answered
            elif answered != total:
                return None
    if total is None:
        return None
    day = _file_day(get("date"), c.latest)
    if day is None:
        return None
    at = get("time")
    if at is not None and (at := read_time(at)) is None:
        return None
    return ScaleScore(id=rid, date=day, scale=scale, total=total, items=items, difficulty=difficulty, time=at)


def _read_checkin(c: _Reader, rec: dict, where: str) -> DailyCheckIn:
    c.keys(rec, where, _DAILY_KEYS, ("id", "date", "scale"), _NEW_SCORE_KEYS)
    return DailyCheckIn(
        id=_given(rec, "id"),
        date=c.read_day(rec, "date", where),
        hours_slept=_given(rec, "hours_slept"),
        note=_given(rec, "note"),
        time=c.read_time(rec, where),
        origin=c.read_origin(rec, where),
        **{f: _given(rec, f) for f in DAILY_FIELDS},
    )


def _read_lab(c: _Reader, rec: dict, where: str) -> Lab:
    c.keys(rec, where, {"id", "date", "test", "value", "unit", "note"}, ("id", "date", "test", "value"))
    return Lab(
        id=_given(rec, "id"),
        date=c.read_day(rec, "date", where),
        test=_given(rec, "test"),
        value=_given(rec, "value"),
        unit=_given(rec, "unit"),
        note=_given(rec, "note"),
    )


def _read_condition(c: _Reader, rec: dict, where: str) -> Condition:
    c.keys(rec, where, {"id", "name", "status", "since", "note"}, ("id", "name"))
    since, precision = c.read_partial(rec, "since", where)
    return Condition(
        id=_given(rec, "id"),
        name=_given(rec, "name"),
        status=_given(rec, "status"),
        since=since,
        note=_given(rec, "note"),
        since_precision=precision,
    )


_NEW_SESSION_KEYS = frozenset({"phase", "bp_40min", "spo2_min", "monitored_minutes", "ready_to_leave"})
_SESSION_KEYS = {
    "id", "datetime", "treatment", "dose_mg", "number_in_course", "bp_before", "bp_after",
    "dissociation", "sedation", "nausea", "transport_arranged", "note", *_NEW_SESSION_KEYS,
}


def _read_session(c: _Reader, rec: dict, where: str) -> Session:
    c.keys(rec, where, _SESSION_KEYS, ("id", "datetime", "treatment"), _NEW_SESSION_KEYS)
    when: Any = c.read_moment(rec["datetime"], join(where, "datetime")) if rec.get("datetime") is not None else None
    return Session(
        id=_given(rec, "id"),
        datetime=when,
        treatment=_given(rec, "treatment"),
        dose_mg=_given(rec, "dose_mg"),
        number_in_course=_given(rec, "number_in_course"),
        bp_before=_given(rec, "bp_before"),
        bp_after=_given(rec, "bp_after"),
        dissociation=_given(rec, "dissociation"),
        sedation=_given(rec, "sedation"),
        nausea=_given(rec, "nausea"),
        transport_arranged=_given(rec, "transport_arranged"),
        note=_given(rec, "note"),
        phase=_given(rec, "phase"),
        bp_40min=_given(rec, "bp_40min"),
        spo2_min=_given(rec, "spo2_min"),
        monitored_minutes=_given(rec, "monitored_minutes"),
        ready_to_leave=_given(rec, "ready_to_leave"),
    )


def _read_note(c: _Reader, rec: dict, where: str) -> Note:
    c.keys(rec, where, {"id", "date", "text", "for_appointment", "origin"}, ("id", "date", "text"), _ORIGIN)
    return Note(
        id=_given(rec, "id"),
        date=c.read_day(rec, "date", where),
        text=_given(rec, "text"),
        for_appointment=_given(rec, "for_appointment"),
        origin=c.read_origin(rec, where),
    )


_THERAPY_KEYS = {"id", "kind", "name", "start", "end", "sessions", "stop_reason", "rating", "source", "note", "origin"}


def _read_therapy(c: _Reader, rec: dict, where: str) -> Therapy:
    """A course of psychotherapy (version 2's `therapies`)."""
    c.keys(rec, where, _THERAPY_KEYS, ("id", "kind", "start"))
    start, start_precision = c.read_partial(rec, "start", where)
    end, end_precision = c.read_partial(rec, "end", where)
    return Therapy(
        id=_given(rec, "id"),
        kind=_given(rec, "kind"),
        start=start,
        name=_given(rec, "name"),
        start_precision=start_precision,
        end=end,
        end_precision=end_precision,
        sessions=_given(rec, "sessions"),
        stop_reason=_given(rec, "stop_reason"),
        rating=_read_rating(c, _given(rec, "rating"), where),
        source=_given(rec, "source"),
        note=_given(rec, "note"),
        origin=c.read_origin(rec, where),
    )


# The reader of each list of the file (journal.kinds.FILE_LISTS).
_READERS: dict[str, Callable[[_Reader, dict, str], Any]] = {
    "episodes": _read_episode,
    "trials": _read_trial,
    "scores": _read_score,
    "labs": _read_lab,
    "conditions": _read_condition,
    "sessions": _read_session,
    "notes": _read_note,
    "therapies": _read_therapy,
}
assert set(_READERS) == set(RECORD_LISTS), "every list of the file has its reader"
# The kind a record read from the file belongs to, by its class (the `scores` list holds two).
_KIND_OF = {Therapy: "therapies"} | {k.record: k.name for k in KINDS.values()}
# Every kind the file holds, in the journal's order (therapies last until journal.kinds names them).
_FILE_KINDS: tuple[str, ...] = tuple(dict.fromkeys((*KIND_NAMES, "therapies")))

# --------------------------------------------------------------------------- whole files


def read_settings_changes(c: _Reader, raw: Any, where: str = "settings") -> dict[str, Any]:
    """Checks a partial settings object: only the named keys change; any other value is an error."""
    changes: dict[str, Any] = {}
    raw = c.mapping(raw, where)
    if raw is None:
        return changes
    c.repeated_keys(raw, where)
    for key, value in raw.items():
        if key == "reminders":
            reminders = _read_reminders(c, value, join(where, key))
            if reminders is not None:
                changes[key] = reminders
            continue
        if key not in SETTINGS_ALLOWED:
            c.problem(join(where, _shown_key(key)), f"unknown setting (the settings are {', '.join(SETTING_NAMES)})")
            continue
        allowed = SETTINGS_ALLOWED[key]
        ok = (
            isinstance(value, bool) if key == "count_augmentation"
            else (not isinstance(value, bool) and value in allowed)
        )
        if not ok:
            shown = ", ".join("true" if a is True else "false" if a is False else str(a) for a in allowed)
            c.problem(join(where, key), f"must be one of {shown}, got {describe(value)}")
            continue
        changes[key] = int(value) if key in ("adequate_weeks", "failure_threshold_pct") else value
    return changes


def _read_reminders(c: _Reader, raw: Any, where: str) -> Reminders | None:
    """`settings.reminders` (version 2): every reminder optional, one missing is off (null)."""
    if c.version == 1:
        c.problem(where, f"is {_NEWER}")
        return None
    if raw is None:
        return Reminders()
    rec = c.mapping(raw, where)
    if rec is None:
        return None
    c.keys(rec, where, REMINDER_KEYS)
    return check_reminders(c, Reminders(**{key: rec.get(key) for key in REMINDER_KEYS}), where)


def _read_heading(c: _Reader, data: dict, today: date) -> datetime | None:
    """The file's format, version and export time; the export time sets the latest date a record may hold."""
    if data.get("format") != FORMAT_NAME:
        c.problem("format", f'must be "{FORMAT_NAME}", got {describe(data.get("format"))}')
    version = data.get("version")
    if type(version) is int and version in READ_VERSIONS:
        c.version, c.fast_keys = version, _FAST_KEYS[version]
    elif type(version) is int and version > FORMAT_VERSION:
        newer = f"this file is version {version}; this Trial Journal reads versions 1 and 2 (a newer Trial Journal made it)"
        c.problem("version", newer)
    else:
        c.problem("version", f"must be 1 or 2, got {describe(version)}")

    exported_at = None
    if data.get("exported_at") is not None:
        exported_at = _Reader(date.max).read_moment(data["exported_at"], "exported_at")
        if exported_at is None:
            shown = describe(data["exported_at"])
            c.problem("exported_at", f"must be a date and time with its offset, like 2026-11-27T10:00:00+00:00, got {shown}")
        elif exported_at.date() > date.fromordinal(today.toordinal() + 1):
            c.problem("exported_at", f"is in the future ({exported_at.isoformat()})")
        else:
            c.latest = exported_at.date()
    if c.latest > date.fromordinal(today.toordinal() + 1):
        c.latest = today

    c.repeated_keys(data, "")
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            c.warnings.append(f"{_shown_key(key)}: not part of the journal file format; ignored")
    return exported_at


def _read_profile(c: _Reader, data: dict, today: date) -> Profile:
    if data.get("profile") is None:
        return Profile()
    raw = c.mapping(data["profile"], "profile")
    if raw is None:
        return Profile()
    c.keys(raw, "profile", {"display_name", "birth_year"})
    name = c.text(raw.get("display_name"), "profile", "display_name")
    year = c.number(raw.get("birth_year"), "profile", "birth_year", low=1900, high=today.year, integer=True)
    return Profile(display_name=name, birth_year=None if year is None else int(year))


def _record_place(c: _Reader, name: str, index: int, raw: Any, seen: set[str], existing: set[str] | frozenset) -> tuple[str, bool, bool]:
    """Where a record sits (`trials[t3]`, or `trials[#4]` without a usable id); whether its id is good, and whether it is the file's."""
    rid: Any = raw.get("id") if isinstance(raw, dict) else None
    too_long = isinstance(rid, str) and len(rid) > ID_LIMIT
    id_ok = isinstance(rid, str) and not too_long and rid.strip() != "" and is_real_text(rid)
    where = f"{name}[{rid}]" if id_ok else f"{name}[#{index + 1}]"
    if not isinstance(raw, dict):
        return where, False, False
    if too_long:
        c.problem(join(where, "id"), too_long_message(limit_for("id"), len(rid)))
    elif not id_ok:
        if raw.get("id") is not None:
            c.problem(join(where, "id"), f"must be non-empty text, got {describe(raw['id'])}")
    elif rid in seen:
        c.problem(join(where, "id"), f"is used by another record in {name}; ids must be unique within their list")
        return where, False, False
    else:
        seen.add(rid)
        if rid in existing:
            c.problem(join(where, "id"), "the journal already holds a record with this id (was this file imported before?)")
            return where, False, True
    return where, id_ok, id_ok


def _read_records(c: _Reader, data: dict, existing_ids: dict[str, set[str]]) -> tuple[dict[str, list], set[str]]:
    """Every record of the file's lists, by kind; and every id the file holds (which entries_by may name)."""
    lists: dict[str, list] = {name: [] for name in _FILE_KINDS}
    all_ids: set[str] = set()
    for name in RECORD_LISTS:
        raw_list = data.get(name)
        if raw_list is None:
            continue
        if name in _VERSION_2_LISTS and c.version == 1:
            if raw_list == []:
                # nothing in it is lost: ignored as version 1 ignores any key it does not know
                c.warnings.append(f"{name}: not part of version 1 of the journal file format; ignored")
                continue
            c.problem(name, 'is a version 2 list; this file is version 1 (a file that holds it says "version": 2)')
            continue
        if not isinstance(raw_list, list):
            c.problem(name, f"must be a list, got {describe(raw_list)}")
            continue
        seen: set[str] = set()
        read = _READERS[name]
        existing: set[str] | frozenset[str] = existing_ids.get(name, frozenset())
        daily = name == "scores"
        for index, rec in enumerate(raw_list):
            rid: Any = rec.get("id") if type(rec) is dict else None
            usual = type(rid) is str and 0 < len(rid) <= ID_LIMIT and rid not in seen and rid not in existing
            if usual and not rid.isspace() and (rid.isascii() or is_real_text(rid)):
                # the usual record: an object with an id of its own, new to the journal (named only if need be)
                where, id_ok = "", True
                seen.add(rid)
                all_ids.add(rid)
            else:
                where, id_ok, held = _record_place(c, name, index, rec, seen, existing)
                if c.mapping(rec, where) is None:
                    continue
                if held:
                    all_ids.add(rec["id"])  # held by the file, so entries_by may name it even if it collides
            record: Any = None
            if daily:  # the thousands of scores and check-ins of a long journal: the usual ones read at once
                scale = rec.get("scale")
                if scale == "daily":
                    record = _fast_checkin(c, rec)
                elif type(scale) is str and scale in SCALE_RANGES:
                    record = _fast_score(c, rec, scale)
            if record is None:
                where = where or f"{name}[{rid}]"
                unread_from = len(c.unread)
                record = c.ask_rules(read(c, rec, where), where, unread_from)
            if record is not None and id_ok:
                lists[_KIND_OF[type(record)]].append(record)
    return lists, all_ids


def _read_entries_by(c: _Reader, data: dict, all_ids: set[str]) -> list[EntryBy]:
    entries: list[EntryBy] = []
    raw_entries = data.get("entries_by")
    if raw_entries is None:
        return entries
    if not isinstance(raw_entries, list):
        c.problem("entries_by", f"must be a list, got {describe(raw_entries)}")
        return entries
    seen_records: set[str] = set()
    for i, raw in enumerate(raw_entries):
        where = f"entries_by[{i}]"
        rec = c.mapping(raw, where)
        if rec is None:
            continue
        c.keys(rec, where, {"record", "author"}, ("record", "author"))  # a missing one is named here, once
        target = c.text(rec["record"], where, "record", required=True) if rec.get("record") is not None else None
        author = c.text(rec["author"], where, "author", required=True) if rec.get("author") is not None else None
        if target and target not in all_ids:
            c.problem(join(where, "record"), f"refers to {describe(target)}, which this file does not hold")
            continue
        if target in seen_records:
            c.problem(join(where, "record"), f"{describe(target)} is named twice")
            continue
        if target and author:
            seen_records.add(target)
            entries.append(EntryBy(record=target, author=author.strip()))
    return entries


def parse_contents(
    data: Any,
    *,
    today: date | None = None,
    existing_ids: dict[str, set[str]] | None = None,
) -> ImportResult:
    """Checks a whole version-1 or version-2 file (already parsed JSON) and returns its records, or raises with every problem.

    `existing_ids` are the ids the journal already holds, by the file's list (`scores` for check-ins too).
    """
    today = today or date.today()
    c = _Reader(today)
    if not isinstance(data, dict):
        raise ValidationError(Problem("", f"the file must hold one JSON object, got {describe(data)}"))
    exported_at = _read_heading(c, data, today)
    profile = _read_profile(c, data, today)
    settings_changes = read_settings_changes(c, data["settings"]) if data.get("settings") is not None else {}
    lists, all_ids = _read_records(c, data, existing_ids or {})
    entries = _read_entries_by(c, data, all_ids)
    if c.version >= 2:
        # Version 2's episodes may not overlap; a version-1 file is read as before, which never asked it.
        c.problems += episode_order_problems(lists["episodes"], lambda e: f"episodes[{e.id}]")
    if c.problems:
        raise ValidationError(c.problems)
    # Records come back in the journal's own order, whatever order the file holds them in, so
    # a file read, written and read again gives the same contents (and the same text).
    contents = in_journal_order(JournalContents(
        profile=profile,
        settings=Settings(),
        entries_by=tuple(entries),
        # the record lists by kind (a file never holds the journal's own state)
        **cast("dict[str, Any]", {name: tuple(records) for name, records in lists.items()}),
    ))
    return ImportResult(contents=contents, settings_changes=settings_changes, warnings=c.warnings, exported_at=exported_at)


def load_file(path: str | os.PathLike[str], *, today: date | None = None, existing_ids: dict[str, set[str]] | None = None) -> ImportResult:
    """Reads a version-1 or version-2 file from disk; every problem, including unreadable JSON, comes as a ValidationError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(Problem("", f"{path}: no such file")) from None
    except IsADirectoryError:
        raise ValidationError(Problem("", f"{path}: is a folder, not a journal file")) from None
    except OSError as exc:
        raise ValidationError(Problem("", f"{path}: cannot be read ({exc.strerror or exc})")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(Problem("", f"{path}: is not UTF-8 text (byte {exc.start})")) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise ValidationError(Problem("", f"{path}: is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")) from None
    except _NonFiniteNumber as exc:
        raise ValidationError(Problem("", f"{path}: holds {exc.args[0]}, which is not a number JSON allows")) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will read
        raise ValidationError(Problem("", f"{path}: holds a value that cannot be read ({exc})")) from None
    except RecursionError:
        raise ValidationError(Problem("", f"{path}: is nested too deeply to be a journal file")) from None
    return parse_contents(data, today=today, existing_ids=existing_ids)


class _NonFiniteNumber(ValueError):
    pass


class _RepeatedKeys(dict):
    """A JSON object that named a key more than once; `repeated` says which and how often."""

    repeated: dict[str, int]


def _json_object(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    counts: dict[str, int] = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    marked = _RepeatedKeys(obj)
    marked.repeated = {key: n for key, n in counts.items() if n > 1}
    return marked


def _refuse_constant(name: str) -> Any:
    raise _NonFiniteNumber(name)


# --------------------------------------------------------------------------- writing


def _num(value: float | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _partial(value: date | None, precision: str) -> str | None:
    """A date as it was entered: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`."""
    return date_text(value, precision) if value else None


# Version 2's fields are written when they hold something (a time, an origin, a source, a
# session's monitoring): a journal of version-1 records is written as before, but for the
# version, the settings' reminders and the therapies list. Left out, each reads back as null
# (or false), so the round trip is the same either way.


def _with_origin(out: dict[str, Any], origin: Origin | None) -> dict[str, Any]:
    if origin is not None:
        out["origin"] = {"app": origin.app, "raw": origin.raw}
    return out


def _rating(rating: Rating | None) -> dict | None:
    if rating is None:
        return None
    return {"response": rating.response, "improvement_pct": _num(rating.improvement_pct), "date": _day(rating.date)}


def _write_episode(record: Episode) -> dict:
    return {
        "id": record.id,
        "start": _partial(record.start, record.start_precision),
        "end": _partial(record.end, record.end_precision),
        "severity": record.severity,
        "note": record.note,
    }


def _write_trial(record: Trial) -> dict:
    out = {
        "id": record.id,
        "drug": record.drug,
        "augmentation": record.augmentation,
        "min_adequate_mg": _num(record.min_adequate_mg),
        "doses": [{"start": _partial(s.start, s.start_precision), "mg_per_day": _num(s.mg_per_day)} for s in record.doses],
        "end": _partial(record.end, record.end_precision),
        "stop_reason": record.stop_reason,
        "adherence": record.adherence,
        "rating": _rating(record.rating),
        "side_effects": [{"name": s.name, "severity": s.severity, "start": _day(s.start), "end": _day(s.end)} for s in record.side_effects],
        "note": record.note,
    }
    if record.source is not None:
        out["source"] = record.source
    return _with_origin(out, record.origin)


def _dated(record: ScaleScore | DailyCheckIn, scale: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": record.id, "date": _day(record.date)}
    if record.time is not None:
        out["time"] = time_text(record.time)
    out["scale"] = scale
    return out


def _write_score(record: ScaleScore) -> dict:
    out = _dated(record, record.scale)
    if record.scale in QUESTIONNAIRE_SCALES:
        out["items"] = list(record.items) if record.items is not None else None
        out["difficulty"] = record.difficulty
    out["total"] = record.total
    return _with_origin(out, record.origin)


def _write_checkin(record: DailyCheckIn) -> dict:
    out = _dated(record, "daily")
    for f in DAILY_FIELDS:
        out[f] = getattr(record, f)
    out["hours_slept"] = _num(record.hours_slept)
    out["note"] = record.note
    return _with_origin(out, record.origin)


def _write_lab(record: Lab) -> dict:
    return {
        "id": record.id,
        "date": _day(record.date),
        "test": record.test,
        "value": _num(record.value),
        "unit": record.unit,
        "note": record.note,
    }


def _write_condition(record: Condition) -> dict:
    since = _partial(record.since, record.since_precision)
    return {"id": record.id, "name": record.name, "status": record.status, "since": since, "note": record.note}


def _write_session(record: Session) -> dict:
    out = {
        "id": record.id,
        "datetime": record.datetime.isoformat(),
        "treatment": record.treatment,
        "dose_mg": _num(record.dose_mg),
        "number_in_course": record.number_in_course,
        "bp_before": list(record.bp_before) if record.bp_before else None,
        "bp_after": list(record.bp_after) if record.bp_after else None,
        "dissociation": record.dissociation,
        "sedation": record.sedation,
        "nausea": record.nausea,
        "transport_arranged": record.transport_arranged,
        "note": record.note,
    }
    more = {
        "phase": record.phase,
        "bp_40min": list(record.bp_40min) if record.bp_40min else None,
        "spo2_min": _num(record.spo2_min),
        "monitored_minutes": record.monitored_minutes,
        "ready_to_leave": record.ready_to_leave or None,
    }
    return out | {key: value for key, value in more.items() if value is not None}


def _write_note(record: Note) -> dict:
    out = {"id": record.id, "date": _day(record.date), "text": record.text, "for_appointment": record.for_appointment}
    return _with_origin(out, record.origin)


def _write_therapy(record: Therapy) -> dict:
    out = {
        "id": record.id,
        "kind": record.kind,
        "name": record.name,
        "start": _partial(record.start, record.start_precision),
        "end": _partial(record.end, record.end_precision),
        "sessions": record.sessions,
        "stop_reason": record.stop_reason,
        "rating": _rating(record.rating),
        "source": record.source,
        "note": record.note,
    }
    return _with_origin(out, record.origin)


# How each kind of record is written (keys in the spec's order), by the kind's record class.
_WRITERS: dict[type, Callable[[Any], dict]] = {
    Episode: _write_episode,
    Trial: _write_trial,
    ScaleScore: _write_score,
    DailyCheckIn: _write_checkin,
    Lab: _write_lab,
    Condition: _write_condition,
    Session: _write_session,
    Note: _write_note,
    Therapy: _write_therapy,
}
assert set(_WRITERS) >= {k.record for k in KINDS.values()}, "every kind of record has its writer"
_KIND_INDEX = {k.record: i for i, k in enumerate(KINDS.values())}
# The kinds each list of the file holds (`scores` holds check-ins too), in the journal's order.
_LIST_KINDS: dict[str, tuple[str, ...]] = {
    name: tuple(k for k in _FILE_KINDS if (KINDS[k].file_list if k in KINDS else k) == name) for name in RECORD_LISTS
}


def record_to_json(record: Any) -> dict:
    """One record as the file writes it (keys in the spec's order)."""
    write = _WRITERS.get(type(record))
    if write is None:
        raise TypeError(f"not a journal record: {type(record).__name__}")
    return write(record)


def _file_list(contents: JournalContents, list_name: str) -> list[dict]:
    """One list of the file: the records of every kind it holds (scores and check-ins share `scores`, by date then id)."""
    kinds = _LIST_KINDS[list_name]
    records = [r for k in kinds for r in getattr(contents, k)]
    if len(kinds) > 1:  # by date, the untimed of a day first, then by time, id and kind (as journal.records.in_journal_order)
        records.sort(key=lambda r: (r.date, r.time is not None, r.time or _MIDNIGHT, r.id or "", _KIND_INDEX[type(r)]))
    return [record_to_json(r) for r in records]


_MIDNIGHT = TimeOfDay(0, 0)


def contents_to_json(contents: JournalContents, exported_at: datetime | None = None) -> dict:
    """The whole journal as a version-2 file object."""
    exported_at = exported_at or datetime.now(UTC).replace(microsecond=0)
    contents = in_journal_order(contents)
    s = contents.settings
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "profile": {"display_name": contents.profile.display_name, "birth_year": contents.profile.birth_year},
        "settings": {
            "adequate_weeks": s.adequate_weeks,
            "failure_threshold_pct": s.failure_threshold_pct,
            "count_augmentation": s.count_augmentation,
            "primary_scale": s.primary_scale,
            "reminders": {key: getattr(s.reminders, key) for key in REMINDER_KEYS},
        },
        **{name: _file_list(contents, name) for name in RECORD_LISTS},
        "entries_by": [{"record": e.record, "author": e.author} for e in contents.entries_by],
    }


def dumps(contents: JournalContents, exported_at: datetime | None = None) -> str:
    """The file's text: UTF-8 JSON, indented so a person can read it."""
    return json.dumps(contents_to_json(contents, exported_at), ensure_ascii=False, indent=2) + "\n"
