"""The rules a journal's records follow, checked on typed records: one rule set for the forms, the importer and the command line.

A record from a form, from the facade or read from a journal file is checked here, and every
problem names its field relative to where the record sits (`doses[1].mg_per_day` for a form,
`trials[t3].doses[1].mg_per_day` in a file). The file reader (journal.exchange.jsonfile) turns
JSON into records, with the values as the file gave them, and asks these rules about them, so a
form and a file are refused alike, in the same words.

A check returns the record cleaned the way the journal stores it (names without stray spaces,
whole numbers as integers) or None when it has a problem; callers that only want the problems
ignore the record.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from datetime import time as TimeOfDay
from typing import Any

from journal.clinical.catalog import load_catalog
from journal.errors import Problem
from journal.limits import TextLimit, limit_for, too_long_message
from journal.records import (
    ADHERENCE,
    ALL_SCALES,
    CONDITION_STATUSES,
    DAILY_FIELDS,
    EPISODE_SEVERITIES,
    PRECISIONS,
    QUESTIONNAIRE_SCALES,
    RATING_RESPONSES,
    SESSION_PHASES,
    SESSION_TREATMENTS,
    SOURCES,
    STOP_REASONS,
    THERAPY_KINDS,
    Condition,
    DailyCheckIn,
    DoseStep,
    Episode,
    Lab,
    Note,
    Origin,
    Rating,
    Reminders,
    ScaleScore,
    Session,
    SideEffect,
    Therapy,
    Trial,
    date_text,
    latest_day,
)

__all__ = [
    "Check",
    "problems",
    "warnings",
    "check_record",
    "journal_problems",
    "plainly_storable",
    "storable_problems",
    "check_record_type",
    "check_reminders",
    "settings_problems",
    "SETTING_NAMES",
    "REMINDER_KEYS",
    "TIME_WORDS",
    "episode_order_problems",
    "read_time",
    "EARLIEST",
    "MAX_MG_PER_DAY",
    "MAX_NUMBER",
    "SETTINGS_ALLOWED",
    "SCALE_RANGES",
    "ITEM_COUNTS",
]

EARLIEST = date(1900, 1, 1)
MAX_MG_PER_DAY = 10000
MAX_NUMBER = 1e15  # beyond any real measurement; keeps floats exact and SQLite integers in range

SETTINGS_ALLOWED: dict[str, tuple] = {
    "adequate_weeks": (4, 6, 8),
    "failure_threshold_pct": (50, 25),
    "count_augmentation": (True, False),
    "primary_scale": ("PHQ-9", "QIDS-SR16", "MADRS", "HAMD-17"),
}

SCALE_RANGES = {"PHQ-9": (0, 27), "GAD-7": (0, 21), "QIDS-SR16": (0, 27), "MADRS": (0, 60), "HAMD-17": (0, 52)}
ITEM_COUNTS = {"PHQ-9": 9, "GAD-7": 7}


# --------------------------------------------------------------------------- words for values


def is_real_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as \ud800, which JSON can carry
        return False
    return True


def join(where: str, key: str) -> str:
    """The path of a field inside the record at `where` ("" for a record on its own)."""
    return f"{where}.{key}" if where else key


def fmt(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def describe(value: Any) -> str:
    """A value as a message quotes it: short, and in the file's own terms (null, true, a list)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=not is_real_text(shown))
    if isinstance(value, (int, float)):
        return fmt(value)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --------------------------------------------------------------------------- the checks of one value


class Check:
    """Collects problems and warnings while checking records; never raises mid-way.

    `latest` is the last date a record may hold: today for a form, the file's export date for a
    file. Each value check takes the value, the record's path and the field's name, and returns
    the cleaned value, or None after naming the problem (the path is built only then).
    """

    def __init__(self, latest: date):
        self.latest = latest
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def required(self, value: Any, where: str, key: str) -> bool:
        if value is None:
            self.problem(join(where, key), "is required")
            return False
        return True

    def text(self, value: Any, where: str, key: str, *, required: bool = False, what: str | None = None) -> str | None:
        if value is None:
            if required:
                self.problem(join(where, key), "is required")
            return None
        if not isinstance(value, str):
            self.problem(join(where, key), f"must be text, got {describe(value)}")
            return None
        limit = limit_for(key)
        if len(value) > limit.max_chars:
            # Checked first: a two-megabyte name is refused at once, never walked or shown.
            self.problem(join(where, key), too_long_message(TextLimit(what or limit.what, limit.max_chars), len(value)))
            return None
        if not is_real_text(value):
            self.problem(join(where, key), "holds characters that are not real Unicode text (a damaged file?)")
            return None
        if required and not value.strip():
            self.problem(join(where, key), "must not be empty")
            return None
        return value

    def flag(self, value: Any, where: str, key: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(join(where, key), f"must be true or false, got {describe(value)}")
            return False
        return value

    def day(self, value: Any, where: str, key: str, *, required: bool = False) -> date | None:
        if value is None:
            if required:
                self.problem(join(where, key), "is required")
            return None
        return self.on_a_day(value, join(where, key))

    def on_a_day(self, value: Any, where: str) -> date | None:
        """A date between 1900-01-01 and `latest`."""
        if isinstance(value, datetime) or not isinstance(value, date):
            self.problem(where, f"must be a date written YYYY-MM-DD, got {describe(value)}")
            return None
        if value < EARLIEST:
            self.problem(where, f"must be on or after 1900-01-01, got {value.isoformat()}")
            return None
        if value > self.latest:
            self.problem(where, f"must not be after {self.latest.isoformat()} (the file's export date or today), got {value.isoformat()}")
            return None
        return value

    def partial(self, value: Any, precision: Any, where: str, key: str, *, required: bool = False) -> tuple[date, str] | None:
        """A date entered as a day, a month or a year (version 2) as (earliest day, precision); the earliest from 1900-01-01 to `latest`."""
        if value is None:
            if required:
                self.problem(join(where, key), "is required")
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.problem(join(where, key), f"must be a date written YYYY-MM-DD, YYYY-MM or YYYY, got {describe(value)}")
            return None
        if precision not in PRECISIONS:
            self.problem(join(where, key), f"must be given as a day, a month or a year, got the precision {describe(precision)}")
            return None
        earliest = date(value.year, 1, 1) if precision == "year" else value.replace(day=1) if precision == "month" else value
        shown = date_text(earliest, precision)
        if earliest < EARLIEST:
            self.problem(join(where, key), f"must be on or after 1900-01-01, got {shown}")
            return None
        if earliest > self.latest:
            self.problem(join(where, key), f"must not be after {self.latest.isoformat()} (the file's export date or today), got {shown}")
            return None
        return earliest, precision

    def moment(self, value: Any, where: str) -> datetime | None:
        """A date and time with its offset from UTC, on a day between 1900-01-01 and `latest`."""
        if not isinstance(value, datetime):
            self.problem(where, f"must be a date and time like 2025-05-02T09:30:00+02:00, got {describe(value)}")
            return None
        if value.tzinfo is None:
            self.problem(where, f"needs its offset from UTC, like +02:00 or Z, got {describe(value.isoformat())}")
            return None
        if value.date() < EARLIEST:
            self.problem(where, f"must be on or after 1900-01-01, got {value.isoformat()}")
            return None
        if value.date() > self.latest:
            self.problem(where, f"must not be after {self.latest.isoformat()} (the file's export date or today), got {value.isoformat()}")
            return None
        return value

    def number(
        self,
        value: Any,
        where: str,
        key: str,
        *,
        required: bool = False,
        low: float | None = None,
        high: float | None = None,
        low_exclusive: bool = False,
        integer: bool = False,
        unit: str = "",
    ) -> float | int | None:
        if value is None:
            if required:
                self.problem(join(where, key), "is required")
            return None
        return self.amount(value, join(where, key), low=low, high=high, low_exclusive=low_exclusive, integer=integer, unit=unit)

    def amount(
        self,
        value: Any,
        where: str,
        *,
        low: float | None = None,
        high: float | None = None,
        low_exclusive: bool = False,
        integer: bool = False,
        unit: str = "",
    ) -> float | int | None:
        """A number at the path `where`, finite, within its range, whole when `integer`."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, f"must be a number, got {describe(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(where, f"must be a finite number, got {value}")
            return None
        if abs(value) > MAX_NUMBER:
            self.problem(where, "is far too large a number")
            return None
        if integer:
            if isinstance(value, float) and not value.is_integer():
                self.problem(where, f"must be a whole number, got {fmt(value)}")
                return None
            value = int(value)
        suffix = f" {unit}" if unit else ""
        if low is not None:
            if low_exclusive and value <= low:
                self.problem(where, f"must be greater than {fmt(low)}{suffix}, got {fmt(value)}")
                return None
            if not low_exclusive and value < low:
                self.problem(where, f"must be at least {fmt(low)}{suffix}, got {fmt(value)}")
                return None
        if high is not None and value > high:
            self.problem(where, f"must be at most {fmt(high)}{suffix}, got {fmt(value)}")
            return None
        return value

    def choice(self, value: Any, where: str, key: str, allowed: tuple, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.problem(join(where, key), "is required")
            return None
        if not isinstance(value, str) or value not in allowed:
            self.problem(join(where, key), f"must be one of {', '.join(allowed)}, got {describe(value)}")
            return None
        return value


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------------- the rules of each kind
# Each check takes one record and the path that names it ("" for a form's record, `trials[t3]` in a
# file) and returns the record as stored, or None; every problem goes to the Check.


def _period(c: Check, start: tuple[date, str] | None, end: tuple[date, str] | None, where: str) -> None:
    """An end (its latest day) on or after the start (its earliest day): a course of 2019-03 to 2019-03 is allowed."""
    if start and end and latest_day(*end) < start[0]:
        c.problem(join(where, "end"), f"must be on or after the start ({date_text(*start)}), got {date_text(*end)}")


def _day_of(found: tuple[date, str] | None) -> tuple[date | None, str]:
    return (None, "day") if found is None else found


def check_episode(c: Check, e: Episode, where: str) -> Episode | None:
    start = c.partial(e.start, e.start_precision, where, "start", required=True)
    end = c.partial(e.end, e.end_precision, where, "end")
    _period(c, start, end, where)
    severity = c.choice(e.severity, where, "severity", EPISODE_SEVERITIES)
    note = c.text(e.note, where, "note")
    if start is None:
        return None
    end_day, end_precision = _day_of(end)
    return Episode(
        id=e.id, start=start[0], end=end_day, severity=severity, note=note or "", start_precision=start[1], end_precision=end_precision
    )


def episode_order_problems(episodes: Any, where_of: Callable[[Episode], str]) -> list[Problem]:
    """Episodes may not overlap (version 2): by start, each starts after the end of the one before, so only the last may have no end.

    `where_of` names an episode's place (`episodes[e1]`). A check across records, so the file
    reader asks it of a version-2 file's episodes as a whole.
    """
    found: list[Problem] = []
    ordered = sorted(episodes, key=lambda e: (e.start, e.id or ""))
    for before, episode in zip(ordered, ordered[1:], strict=False):
        began = date_text(episode.start, episode.start_precision)
        if before.end is None:
            found.append(Problem(
                join(where_of(before), "end"),
                f"is not given, but episode {episode.id} starts after this one ({began}); only the last episode may have no end",
            ))
        elif episode.start <= latest_day(before.end, before.end_precision):
            ended = date_text(before.end, before.end_precision)
            found.append(Problem(
                join(where_of(episode), "start"),
                f"must be after the end of the episode before it ({before.id}, ended {ended}), got {began}; episodes may not overlap",
            ))
    return found


def _check_doses(c: Check, t: Trial, where: str) -> tuple[list[DoseStep], bool]:
    doses: list[DoseStep] = []
    ok = True
    if not t.doses:
        c.problem(join(where, "doses"), "needs at least one dose step")
        return doses, False
    previous: tuple[date, str] | None = None
    for i, step in enumerate(t.doses):
        if not isinstance(step, DoseStep):
            ok = False  # the file reader has named what it holds instead
            continue
        sw = join(where, f"doses[{i}]")
        start = c.partial(step.start, step.start_precision, sw, "start", required=True)
        # a dose not remembered is None (version 2); any dose given is above zero
        mg = c.number(step.mg_per_day, sw, "mg_per_day", low=0, low_exclusive=True, high=MAX_MG_PER_DAY, unit="mg")
        if start and previous and latest_day(*previous) >= start[0]:
            said = f"must be after the previous step's start ({date_text(*previous)}), got {date_text(*start)}"
            if previous[1] != start[1]:
                said += f" (a {previous[1]} then a {start[1]}: give both in days or both in months)"
            c.problem(join(sw, "start"), said)
            ok = False
        if start is None or (mg is None and step.mg_per_day is not None):
            ok = False
            continue
        previous = start
        doses.append(DoseStep(start=start[0], mg_per_day=_float(mg), start_precision=start[1]))
    return doses, ok


def _check_rating(c: Check, rating: Any, where: str) -> Rating | None:
    if not isinstance(rating, Rating):
        return None  # none given, or the file reader has named what it holds instead
    rw = join(where, "rating")
    # trd-rules.md v2: a rating with no response word (only a date or a number) is kept, and read as no rating.
    start = len(c.problems)
    response = c.choice(rating.response, rw, "response", RATING_RESPONSES)
    pct = c.number(rating.improvement_pct, rw, "improvement_pct", low=0, high=100, unit="%")
    day = c.day(rating.date, rw, "date")
    if len(c.problems) > start or (response is None and pct is None and day is None):
        return None
    return Rating(response=response, improvement_pct=_float(pct), date=day)


def _check_side_effects(c: Check, t: Trial, where: str) -> list[SideEffect]:
    side_effects: list[SideEffect] = []
    for i, se in enumerate(t.side_effects):
        if not isinstance(se, SideEffect):
            continue  # the file reader has named what it holds instead
        sw = join(where, f"side_effects[{i}]")
        name = c.text(se.name, sw, "name", required=True, what="a side effect")
        severity = c.number(se.severity, sw, "severity", low=1, high=3, integer=True)
        start = c.day(se.start, sw, "start")
        end = c.day(se.end, sw, "end")
        if start and end and end < start:
            c.problem(join(sw, "end"), f"must be on or after the start ({start.isoformat()}), got {end.isoformat()}")
        if name:
            side_effects.append(SideEffect(name=name.strip(), severity=None if severity is None else int(severity), start=start, end=end))
    return side_effects


def check_trial(c: Check, t: Trial, where: str) -> Trial | None:
    drug = c.text(t.drug, where, "drug", required=True)
    drug = drug.strip() if drug else drug
    augmentation = c.flag(t.augmentation, where, "augmentation")
    min_mg = c.number(t.min_adequate_mg, where, "min_adequate_mg", low=0, low_exclusive=True, high=MAX_MG_PER_DAY, unit="mg/day")
    doses, doses_ok = _check_doses(c, t, where)
    end = c.partial(t.end, t.end_precision, where, "end")
    if end and doses and latest_day(*end) < doses[-1].start:
        last = date_text(doses[-1].start, doses[-1].start_precision)
        c.problem(join(where, "end"), f"must be on or after the last dose step's start ({last}), got {date_text(*end)}")
    stop_reason = c.choice(t.stop_reason, where, "stop_reason", STOP_REASONS)
    adherence = c.choice(t.adherence, where, "adherence", ADHERENCE)
    rating = _check_rating(c, t.rating, where)
    side_effects = _check_side_effects(c, t, where)
    note = c.text(t.note, where, "note")
    source = c.choice(t.source, where, "source", SOURCES)
    origin = _check_origin(c, t.origin, where)
    if not drug or not doses_ok or not doses:
        return None
    _warn_high_doses(c, where, drug, doses)
    end_day, end_precision = _day_of(end)
    return Trial(
        id=t.id,
        drug=drug,
        doses=tuple(doses),
        augmentation=augmentation,
        min_adequate_mg=_float(min_mg),
        end=end_day,
        stop_reason=stop_reason,
        adherence=adherence,
        rating=rating,
        side_effects=tuple(side_effects),
        note=note or "",
        end_precision=end_precision,
        source=source,
        origin=origin,
    )


def _check_origin(c: Check, origin: Any, where: str) -> Origin | None:
    """Where an imported record came from: the other app's name (required) and its original values as one line."""
    if not isinstance(origin, Origin):
        return None  # none given, or the file reader has named what it holds instead
    ow = join(where, "origin")
    app = c.text(origin.app, ow, "app", required=True)
    raw = c.text(origin.raw, ow, "raw")
    if not app:
        return None
    return Origin(app=app.strip(), raw=raw or "")


def read_time(text: Any) -> TimeOfDay | None:
    """`HH:MM` (24-hour, 00:00 to 23:59) as a time of day; None for anything else."""
    if type(text) is not str or len(text) != 5 or text[2] != ":" or not text.isascii():
        return None
    hours, minutes = text[:2], text[3:]
    if not (hours.isdigit() and minutes.isdigit()):
        return None
    h, m = int(hours), int(minutes)
    return TimeOfDay(h, m) if h < 24 and m < 60 else None


TIME_WORDS = "a time of day written HH:MM (24-hour, 00:00 to 23:59)"


def _check_time(c: Check, at: Any, where: str) -> TimeOfDay | None:
    """A score's or check-in's time of day (version 2): hours and minutes, local time, no offset."""
    if at is None:
        return None
    if not isinstance(at, TimeOfDay) or at.tzinfo is not None or at.second or at.microsecond:
        shown = at.isoformat() if isinstance(at, TimeOfDay) else describe(at)
        c.problem(join(where, "time"), f"must be {TIME_WORDS}, got {shown}")
        return None
    return at


def _warn_high_doses(c: Check, where: str, drug: str, doses: list[DoseStep]) -> None:
    """A dose above the catalog's typical maximum is allowed, and worth a confirmation."""
    found = load_catalog().resolve(drug)
    if found is None or found.typical_max_mg is None:
        return
    for i, step in enumerate(doses):
        if step.mg_per_day is not None and step.mg_per_day > found.typical_max_mg:
            c.warnings.append(
                f"{join(where, f'doses[{i}]')}.mg_per_day: {fmt(step.mg_per_day)} mg/day is above the typical maximum of "
                f"{fmt(found.typical_max_mg)} mg/day for {found.generic}; kept as entered"
            )


def _check_items(c: Check, s: ScaleScore, where: str) -> tuple[tuple[int, ...] | None, bool]:
    """A questionnaire's answers, each 0-3, as many as the questionnaire has."""
    raw = s.items
    if raw is None:
        return None, True
    n = ITEM_COUNTS[s.scale]
    if not isinstance(raw, (list, tuple)):
        c.problem(join(where, "items"), f"must be a list of {n} answers, got {describe(raw)}")
        return None, False
    if len(raw) != n:
        c.problem(join(where, "items"), f"{s.scale} has {n} items, got {len(raw)}")
        return None, False
    values = [c.amount(v, join(where, f"items[{i}]"), low=0, high=3, integer=True) for i, v in enumerate(raw)]
    if any(v is None for v in values):
        return None, False
    return tuple(int(v) for v in values if v is not None), True


def check_score(c: Check, s: ScaleScore, where: str) -> ScaleScore | None:
    scale = s.scale
    if scale not in ALL_SCALES:
        if scale is None:
            c.problem(join(where, "scale"), "is required")
        else:
            c.problem(join(where, "scale"), f"must be one of {', '.join(ALL_SCALES)}, daily, got {describe(scale)}")
        c.day(s.date, where, "date", required=True)
        return None
    low, high = SCALE_RANGES[scale]
    questionnaire = scale in QUESTIONNAIRE_SCALES
    day = c.day(s.date, where, "date", required=True)
    total = c.number(s.total, where, "total", low=low, high=high, integer=True)
    items, items_ok = _check_items(c, s, where) if questionnaire else (None, True)
    difficulty = c.number(s.difficulty, where, "difficulty", low=0, high=3, integer=True) if questionnaire else None
    if s.total is None and (s.items is None or not questionnaire):
        c.problem(join(where, "total"), f"is required, or the {ITEM_COUNTS[scale]} items" if questionnaire else "is required")
        return None
    if items is not None and total is not None and sum(items) != total:
        c.problem(join(where, "total"), f"must equal the sum of the items ({sum(items)}), got {total}")
        return None
    if items is not None and total is None and s.total is None:
        total = sum(items)
    at = _check_time(c, s.time, where)
    origin = _check_origin(c, s.origin, where)
    if day is None or total is None or not items_ok:
        return None
    return ScaleScore(
        id=s.id, date=day, scale=scale, total=int(total), items=items, difficulty=None if difficulty is None else int(difficulty),
        time=at, origin=origin,
    )


def check_checkin(c: Check, d: DailyCheckIn, where: str) -> DailyCheckIn | None:
    day = c.day(d.date, where, "date", required=True)
    values = {f: c.number(getattr(d, f), where, f, low=0, high=10, integer=True) for f in DAILY_FIELDS}
    hours = c.number(d.hours_slept, where, "hours_slept", low=0, high=24, unit="hours")
    note = c.text(d.note, where, "note")
    at = _check_time(c, d.time, where)
    origin = _check_origin(c, d.origin, where)
    if all(getattr(d, f) is None for f in (*DAILY_FIELDS, "hours_slept")):
        c.problem(where, "a daily check-in needs at least one rating (mood, anxiety, sleep_quality, energy, pain or hours_slept)")
        return None
    if day is None:
        return None
    ratings = {f: None if v is None else int(v) for f, v in values.items()}
    return DailyCheckIn(id=d.id, date=day, hours_slept=_float(hours), note=note or "", time=at, origin=origin, **ratings)


def check_lab(c: Check, lab: Lab, where: str) -> Lab | None:
    day = c.day(lab.date, where, "date", required=True)
    test = c.text(lab.test, where, "test", required=True)
    value = c.number(lab.value, where, "value", required=True)
    unit = c.text(lab.unit, where, "unit")
    note = c.text(lab.note, where, "note")
    if day is None or not test or value is None:
        return None
    return Lab(id=lab.id, date=day, test=test.strip(), value=float(value), unit=unit, note=note or "")


def check_condition(c: Check, cond: Condition, where: str) -> Condition | None:
    name = c.text(cond.name, where, "name", required=True, what="a condition name")
    status = c.choice(cond.status, where, "status", CONDITION_STATUSES)
    since = c.partial(cond.since, cond.since_precision, where, "since")
    note = c.text(cond.note, where, "note")
    if not name:
        return None
    since_day, since_precision = _day_of(since)
    return Condition(id=cond.id, name=name.strip(), status=status, since=since_day, note=note or "", since_precision=since_precision)


def _check_blood_pressure(c: Check, value: Any, where: str, key: str) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        c.problem(join(where, key), f"must be two numbers [systolic, diastolic], got {describe(value)}")
        return None
    systolic = c.amount(value[0], join(where, f"{key}[0]"), low=1, high=300, integer=True, unit="mmHg")
    diastolic = c.amount(value[1], join(where, f"{key}[1]"), low=1, high=300, integer=True, unit="mmHg")
    return (int(systolic), int(diastolic)) if systolic is not None and diastolic is not None else None


def check_session(c: Check, k: Session, where: str) -> Session | None:
    when = c.moment(k.datetime, join(where, "datetime")) if k.datetime is not None else None
    if k.datetime is None:
        c.problem(join(where, "datetime"), "is required")
    treatment = c.choice(k.treatment, where, "treatment", SESSION_TREATMENTS, required=True)
    dose = c.number(k.dose_mg, where, "dose_mg", low=0, low_exclusive=True, high=MAX_MG_PER_DAY, unit="mg")
    number = c.number(k.number_in_course, where, "number_in_course", low=1, high=1000, integer=True)
    bp_before = _check_blood_pressure(c, k.bp_before, where, "bp_before")
    bp_after = _check_blood_pressure(c, k.bp_after, where, "bp_after")
    ratings = {f: c.number(getattr(k, f), where, f, low=0, high=10, integer=True) for f in ("dissociation", "sedation", "nausea")}
    transport = c.flag(k.transport_arranged, where, "transport_arranged")
    note = c.text(k.note, where, "note")
    # version 2: the rest of the clinic's monitoring form (ketamine.md)
    phase = c.choice(k.phase, where, "phase", SESSION_PHASES)
    bp_40min = _check_blood_pressure(c, k.bp_40min, where, "bp_40min")
    spo2 = c.number(k.spo2_min, where, "spo2_min", low=50, high=100, unit="%")
    minutes = c.number(k.monitored_minutes, where, "monitored_minutes", low=0, high=1440, integer=True, unit="minutes")
    ready = c.flag(k.ready_to_leave, where, "ready_to_leave")
    if when is None or treatment is None:
        return None
    return Session(
        id=k.id,
        datetime=when,
        treatment=treatment,
        dose_mg=_float(dose),
        number_in_course=None if number is None else int(number),
        bp_before=bp_before,
        bp_after=bp_after,
        transport_arranged=transport,
        note=note or "",
        phase=phase,
        bp_40min=bp_40min,
        spo2_min=_float(spo2),
        monitored_minutes=None if minutes is None else int(minutes),
        ready_to_leave=ready,
        **{f: None if v is None else int(v) for f, v in ratings.items()},
    )


def check_note(c: Check, n: Note, where: str) -> Note | None:
    day = c.day(n.date, where, "date", required=True)
    text = c.text(n.text, where, "text", required=True)
    for_appointment = c.flag(n.for_appointment, where, "for_appointment")
    origin = _check_origin(c, n.origin, where)
    if day is None or text is None:
        return None
    return Note(id=n.id, date=day, text=text, for_appointment=for_appointment, origin=origin)


def check_therapy(c: Check, p: Therapy, where: str) -> Therapy | None:
    """A course of psychotherapy (version 2): its kind, what the person calls it, its period and how it went."""
    kind = c.choice(p.kind, where, "kind", THERAPY_KINDS, required=True)
    name = c.text(p.name, where, "name", what="a therapy's name")
    name = name.strip() if name else ""
    if kind == "other" and not name and not any(q.field == join(where, "name") for q in c.problems):
        c.problem(join(where, "name"), "is required when the kind is other: what the therapy is called")
    start = c.partial(p.start, p.start_precision, where, "start", required=True)
    end = c.partial(p.end, p.end_precision, where, "end")
    _period(c, start, end, where)
    sessions = c.number(p.sessions, where, "sessions", low=0, high=1000, integer=True)
    stop_reason = c.choice(p.stop_reason, where, "stop_reason", STOP_REASONS)
    rating = _check_rating(c, p.rating, where)
    source = c.choice(p.source, where, "source", SOURCES)
    note = c.text(p.note, where, "note")
    origin = _check_origin(c, p.origin, where)
    if kind is None or start is None or (kind == "other" and not name):
        return None
    end_day, end_precision = _day_of(end)
    return Therapy(
        id=p.id,
        kind=kind,
        start=start[0],
        name=name,
        start_precision=start[1],
        end=end_day,
        end_precision=end_precision,
        sessions=None if sessions is None else int(sessions),
        stop_reason=stop_reason,
        rating=rating,
        source=source,
        note=note or "",
        origin=origin,
    )


_CHECKS: dict[type, Callable[[Check, Any, str], Any]] = {
    Episode: check_episode,
    Trial: check_trial,
    ScaleScore: check_score,
    DailyCheckIn: check_checkin,
    Lab: check_lab,
    Condition: check_condition,
    Session: check_session,
    Note: check_note,
    Therapy: check_therapy,
}


def check_record(c: Check, record: Any, where: str = "") -> Any:
    """Checks one record of any kind into `c`; the record as stored, or None when it has a problem."""
    check = _CHECKS.get(type(record))
    if check is None:
        raise TypeError(f"not a journal record: {type(record).__name__}")
    return check(c, record, where)


def problems(record: Any, *, today: date | None = None) -> list[Problem]:
    """Every problem with one record, each naming its field relative to the record (e.g. `doses[1].mg_per_day`)."""
    c = Check(today or date.today())
    check_record(c, record)
    return c.problems


def warnings(record: Any, *, today: date | None = None) -> list[str]:
    """What is allowed but worth a confirmation, e.g. a dose above the catalog's typical maximum."""
    c = Check(today or date.today())
    check_record(c, record)
    return c.warnings


# --------------------------------------------------------------------------- settings and reminders


REMINDER_KEYS = tuple(f.name for f in fields(Reminders))


def _appointment(c: Check, value: Any, where: str, key: str) -> str | None:
    """A date (YYYY-MM-DD) or a date and time with its offset, as written; on or after 1900-01-01.

    An appointment is to come, so unlike the records' dates it may lie after the export date.
    """
    if value is None:
        return None
    words = "must be a date (YYYY-MM-DD) or a date and time with its offset (like 2026-12-03T10:00:00+01:00)"
    day: date | None = None
    if isinstance(value, str) and len(value) == 10 and value.isascii():
        try:
            day = date.fromisoformat(value) if value[4] == "-" and value[7] == "-" else None
        except ValueError:
            day = None
    elif isinstance(value, str) and "T" in value and value.isascii():
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            c.problem(join(where, key), f"needs its offset from UTC, like +01:00 or Z, got {describe(value)}")
            return None
        day = moment.date() if moment is not None else None
    if day is None:
        c.problem(join(where, key), f"{words}, got {describe(value)}")
        return None
    if day < EARLIEST:
        c.problem(join(where, key), f"must be on or after 1900-01-01, got {value}")
        return None
    return value


def check_reminders(c: Check, rem: Any, where: str = "reminders") -> Reminders | None:
    """The reminders (`settings.reminders`, version 2): each optional; None after naming what is wrong."""
    if not isinstance(rem, Reminders):
        c.problem(where, f"must be the reminders ({', '.join(REMINDER_KEYS)}), got {describe(rem)}")
        return None
    start = len(c.problems)
    checkin_time = rem.checkin_time
    if checkin_time is not None and read_time(checkin_time) is None:
        c.problem(join(where, "checkin_time"), f"must be {TIME_WORDS}, or null for no reminder, got {describe(checkin_time)}")
    every = c.number(rem.questionnaire_every_days, where, "questionnaire_every_days", low=1, high=90, integer=True, unit="days")
    appointment = _appointment(c, rem.next_appointment, where, "next_appointment")
    session = _appointment(c, rem.next_session, where, "next_session")
    if len(c.problems) > start:
        return None
    return Reminders(
        checkin_time=checkin_time, questionnaire_every_days=None if every is None else int(every),
        next_appointment=appointment, next_session=session,
    )


SETTING_NAMES = (*SETTINGS_ALLOWED, "reminders")


def settings_problems(changes: dict[str, Any]) -> list[Problem]:
    """What is wrong with changes to the settings (each named by its key, e.g. `reminders.checkin_time`); [] when none."""
    c = Check(date.max)
    for key, value in changes.items():
        if key == "reminders":
            check_reminders(c, value, "reminders")
            continue
        allowed = SETTINGS_ALLOWED.get(key)
        if allowed is None:
            c.problem(key, f"is not a setting (the settings are {', '.join(SETTING_NAMES)})")
            continue
        # a flag is true or false; every other setting is a number from its list, never a flag
        ok = isinstance(value, bool) if key == "count_augmentation" else not isinstance(value, bool) and value in allowed
        if not ok:
            shown = ", ".join("true" if a is True else "false" if a is False else str(a) for a in allowed)
            c.problem(key, f"must be one of {shown}, got {value!r}")
    return c.problems


# --------------------------------------------------------------------------- what the journal can store


_SQLITE_INT = 2**63
_RECORD_PARTS = (DoseStep, SideEffect, Rating, Origin)


def journal_problems(record: Any, *, today: date | None = None) -> list[Problem]:
    """What the journal refuses to store: the rules' problems, and whatever SQLite itself cannot hold."""
    unstorable = [] if plainly_storable(record, date.max) else storable_problems(record)
    # Field names are relative to the record ("doses[1].mg_per_day"); trim any stray leading dot.
    found = [Problem(p.field.lstrip("."), p.message) for p in problems(record, today=today)]
    named = {p.field for p in found}
    return found + [p for p in unstorable if p.field not in named]


def plainly_storable(value: Any, latest: date) -> bool:
    """A quick look at a record: True when it holds only plain values SQLite can store and no date
    after `latest`. False sends it to the full checks, which name each problem (and are far slower);
    a value of any unexpected type gets False too, so the quick look never lets through what they would not.
    """
    return all(_plain_value(v, latest) for v in vars(value).values())


def _plain_value(v: Any, latest: date) -> bool:
    t = type(v)
    if t is str:
        # A lone surrogate is never ASCII; other non-ASCII text must encode to be storable.
        return v.isascii() or is_real_text(v)
    if v is None or t is bool:
        return True
    if t is int:
        return -_SQLITE_INT <= v < _SQLITE_INT
    if t is float:
        return math.isfinite(v)
    if t is date:
        return v <= latest
    if t is datetime:
        return v.date() <= latest
    if t is TimeOfDay:
        return True
    if t is tuple:
        for item in v:
            ti = type(item)
            if ti is int:
                if not -_SQLITE_INT <= item < _SQLITE_INT:
                    return False
            elif ti in _RECORD_PARTS:
                if not plainly_storable(item, latest):
                    return False
            else:
                return False
        return True
    if t in _RECORD_PARTS:
        return plainly_storable(v, latest)
    return False


def storable_problems(value: Any, where: str = "") -> list[Problem]:
    """What SQLite itself cannot hold, whatever the rules allow: text that is not valid Unicode
    (a lone surrogate), integers beyond 64 bits, numbers that are not finite."""
    if is_dataclass(value) and not isinstance(value, type):
        found: list[Problem] = []
        for f in fields(value):
            found += storable_problems(getattr(value, f.name), f"{where}.{f.name}" if where else f.name)
        return found
    if isinstance(value, (tuple, list)):
        return [p for i, item in enumerate(value) for p in storable_problems(item, f"{where}[{i}]")]
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return [Problem(where, f"holds a character that is not valid text (at position {exc.start + 1})")]
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -_SQLITE_INT <= value < _SQLITE_INT:
            return [Problem(where, "is too large a number to store")]
    elif isinstance(value, float) and not math.isfinite(value):
        return [Problem(where, f"must be a finite number, got {value}")]
    return []


def check_record_type(kind_name: str, record_class: type, record: Any) -> None:
    """A record handed to the journal's list of `kind_name` must be of that list's class."""
    if not isinstance(record, record_class):
        raise TypeError(f"journal.{kind_name} holds {record_class.__name__} records, not {type(record).__name__}")
