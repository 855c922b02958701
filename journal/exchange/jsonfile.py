"""The version-1 journal file (spec/journal-json.md): reading it with every problem named, and writing it."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from journal.errors import Problem, ValidationError
from journal.limits import ID_LIMIT, NOTE_LIMIT, TextLimit, limit_for, too_long_message
from journal.records import (
    ADHERENCE,
    ALL_SCALES,
    CONDITION_STATUSES,
    DAILY_FIELDS,
    EPISODE_SEVERITIES,
    QUESTIONNAIRE_SCALES,
    RATING_RESPONSES,
    SESSION_TREATMENTS,
    STOP_REASONS,
    Condition,
    DailyCheckIn,
    DoseStep,
    EntryBy,
    Episode,
    JournalContents,
    Lab,
    Note,
    Profile,
    Rating,
    ScaleScore,
    Session,
    Settings,
    SideEffect,
    Trial,
    in_journal_order,
)

FORMAT_NAME = "trial-journal"
FORMAT_VERSION = 1
EARLIEST = date(1900, 1, 1)
MAX_MG_PER_DAY = 10000
MAX_NUMBER = 1e15  # beyond any real measurement; keeps floats exact and SQLite integers in range

# Record lists in the file, in the order the spec lists them; `scores` holds check-ins too.
RECORD_LISTS = ("episodes", "trials", "scores", "labs", "conditions", "sessions", "notes")
TOP_LEVEL_KEYS = {"format", "version", "exported_at", "profile", "settings", "entries_by", *RECORD_LISTS}

SETTINGS_ALLOWED: dict[str, tuple] = {
    "adequate_weeks": (4, 6, 8),
    "failure_threshold_pct": (50, 25),
    "count_augmentation": (True, False),
    "primary_scale": ("PHQ-9", "QIDS-SR16", "MADRS", "HAMD-17"),
}

SCALE_RANGES = {"PHQ-9": (0, 27), "GAD-7": (0, 21), "QIDS-SR16": (0, 27), "MADRS": (0, 60), "HAMD-17": (0, 52)}
ITEM_COUNTS = {"PHQ-9": 9, "GAD-7": 7}

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ImportResult:
    """A file read and checked: its records, the settings it changes, and warnings that did not stop it."""

    contents: JournalContents
    settings_changes: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    exported_at: datetime | None = None


# --------------------------------------------------------------------------- field checks


class _Checker:
    """Collects problems while reading one file or one record; never raises mid-way."""

    def __init__(self, latest: date):
        self.latest = latest
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    # Each reader returns the cleaned value, or None after recording a problem.

    def mapping(self, value: Any, where: str) -> dict | None:
        if not isinstance(value, dict):
            self.problem(where, f"must be an object with named fields, got {_describe(value)}")
            return None
        return value

    def repeated_keys(self, rec: Any, where: str) -> None:
        """A key written twice in one object: JSON readers keep only the last, so the file is refused instead."""
        for key, count in getattr(rec, "repeated", {}).items():
            self.problem(
                _join(where, key),
                f"appears {count} times; a key may appear only once, or all but the last would be lost",
            )

    def keys(self, rec: dict, where: str, allowed: set[str] | tuple, required: tuple = ()) -> None:
        self.repeated_keys(rec, where)
        for key in rec:
            if key not in allowed:
                self.problem(_join(where, _shown_key(key)), "unknown field (a typo? the file format does not have it)")
        for key in required:
            if key not in rec or rec[key] is None:
                self.problem(_join(where, key), "is required")

    def text(
        self,
        rec: dict,
        key: str,
        where: str,
        *,
        required: bool = False,
        default: str | None = "",
        what: str | None = None,
    ) -> str | None:
        value = rec.get(key)
        if value is None:
            return None if required else default
        if not isinstance(value, str):
            self.problem(_join(where, key), f"must be text, got {_describe(value)}")
            return None
        limit = limit_for(key)
        if len(value) > limit.max_chars:
            # Checked first: a two-megabyte name is refused at once, never walked or shown.
            self.problem(_join(where, key), too_long_message(TextLimit(what or limit.what, limit.max_chars), len(value)))
            return None
        if not _is_real_text(value):
            self.problem(_join(where, key), "holds characters that are not real Unicode text (a damaged file?)")
            return None
        if required and not value.strip():
            self.problem(_join(where, key), "must not be empty")
            return None
        return value

    def flag(self, rec: dict, key: str, where: str) -> bool:
        value = rec.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(_join(where, key), f"must be true or false, got {_describe(value)}")
            return False
        return value

    def day(self, rec: dict, key: str, where: str, *, required: bool = False) -> date | None:
        value = rec.get(key)
        if value is None:
            return None
        return self.parse_day(value, _join(where, key))

    def parse_day(self, value: Any, where: str) -> date | None:
        if not isinstance(value, str) or not _DATE_RE.match(value):
            self.problem(where, f"must be a date written YYYY-MM-DD, got {_describe(value)}")
            return None
        try:
            d = date.fromisoformat(value)
        except ValueError:
            self.problem(where, f"is not a real calendar date: {value}")
            return None
        if d < EARLIEST:
            self.problem(where, f"must be on or after 1900-01-01, got {value}")
            return None
        if d > self.latest:
            self.problem(where, f"must not be after {self.latest.isoformat()} (the file's export date or today), got {value}")
            return None
        return d

    def number(
        self,
        rec: dict,
        key: str,
        where: str,
        *,
        low: float | None = None,
        high: float | None = None,
        low_exclusive: bool = False,
        integer: bool = False,
        unit: str = "",
    ) -> float | int | None:
        value = rec.get(key)
        if value is None:
            return None
        return self.parse_number(value, _join(where, key), low=low, high=high, low_exclusive=low_exclusive, integer=integer, unit=unit)

    def parse_number(
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
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, f"must be a number, got {_describe(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(where, f"must be a finite number, got {value}")
            return None
        if abs(value) > MAX_NUMBER:
            self.problem(where, "is far too large a number")
            return None
        if integer:
            if isinstance(value, float) and not value.is_integer():
                self.problem(where, f"must be a whole number, got {_fmt(value)}")
                return None
            value = int(value)
        suffix = f" {unit}" if unit else ""
        if low is not None:
            if low_exclusive and value <= low:
                self.problem(where, f"must be greater than {_fmt(low)}{suffix}, got {_fmt(value)}")
                return None
            if not low_exclusive and value < low:
                self.problem(where, f"must be at least {_fmt(low)}{suffix}, got {_fmt(value)}")
                return None
        if high is not None and value > high:
            self.problem(where, f"must be at most {_fmt(high)}{suffix}, got {_fmt(value)}")
            return None
        return value

    def choice(self, rec: dict, key: str, where: str, allowed: tuple) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value not in allowed:
            self.problem(_join(where, key), f"must be one of {', '.join(allowed)}, got {_describe(value)}")
            return None
        return value

    def items_list(self, rec: dict, key: str, where: str) -> list | None:
        value = rec.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(_join(where, key), f"must be a list, got {_describe(value)}")
            return None
        return value


def _is_real_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as \ud800, which JSON can carry
        return False
    return True


def _shown_key(key: Any) -> str:
    """A key as a message names it: a key far longer than any field name is cut short."""
    key = str(key)
    return key if len(key) <= 100 else key[:60] + "..."


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _fmt(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=not _is_real_text(shown))
    if isinstance(value, (int, float)):
        return _fmt(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --------------------------------------------------------------------------- record readers
# Each reader takes one JSON object and the path that names it (e.g. `trials[t3]`), and returns
# the record or None; every problem goes to the checker.


def _read_episode(c: _Checker, rec: dict, where: str) -> Episode | None:
    c.keys(rec, where, {"id", "start", "end", "severity", "note"}, ("id", "start"))
    start = c.day(rec, "start", where)
    end = c.day(rec, "end", where)
    if start and end and end < start:
        c.problem(_join(where, "end"), f"must be on or after the start ({start.isoformat()}), got {end.isoformat()}")
    severity = c.choice(rec, "severity", where, EPISODE_SEVERITIES)
    note = c.text(rec, "note", where)
    if start is None:
        return None
    return Episode(id=rec.get("id"), start=start, end=end, severity=severity, note=note or "")


def _read_trial(c: _Checker, rec: dict, where: str) -> Trial | None:
    c.keys(
        rec,
        where,
        {"id", "drug", "augmentation", "min_adequate_mg", "doses", "end", "stop_reason", "adherence", "rating", "side_effects", "note"},
        ("id", "drug", "doses"),
    )
    drug = c.text(rec, "drug", where, required=True)
    drug = drug.strip() if drug else drug
    augmentation = c.flag(rec, "augmentation", where)
    min_mg = c.number(rec, "min_adequate_mg", where, low=0, low_exclusive=True, high=MAX_MG_PER_DAY, unit="mg/day")
    doses: list[DoseStep] = []
    raw_doses = c.items_list(rec, "doses", where)
    doses_ok = raw_doses is not None
    if raw_doses is not None and "doses" in rec and not raw_doses:
        c.problem(_join(where, "doses"), "needs at least one dose step")
        doses_ok = False
    previous: date | None = None
    for i, step in enumerate(raw_doses or []):
        sw = _join(where, f"doses[{i}]")
        step = c.mapping(step, sw)
        if step is None:
            doses_ok = False
            continue
        c.keys(step, sw, {"start", "mg_per_day"}, ("start", "mg_per_day"))
        start = c.day(step, "start", sw)
        mg = c.number(step, "mg_per_day", sw, low=0, low_exclusive=True, high=MAX_MG_PER_DAY, unit="mg")
        if start and previous and start <= previous:
            c.problem(
                _join(sw, "start"),
                f"must be after the previous step's start ({previous.isoformat()}), got {start.isoformat()}",
            )
            doses_ok = False
        if start is None or mg is None:
            doses_ok = False
            continue
        previous = start
        doses.append(DoseStep(start=start, mg_per_day=float(mg)))
    end = c.day(rec, "end", where)
    if end and doses and end < doses[-1].start:
        c.problem(
            _join(where, "end"),
            f"must be on or after the last dose step's start ({doses[-1].start.isoformat()}), got {end.isoformat()}",
        )
    stop_reason = c.choice(rec, "stop_reason", where, STOP_REASONS)
    adherence = c.choice(rec, "adherence", where, ADHERENCE)
    rating = None
    if rec.get("rating") is not None:
        rw = _join(where, "rating")
        r = c.mapping(rec["rating"], rw)
        if r is not None:
            c.keys(r, rw, {"response", "improvement_pct", "date"}, ("response",))
            response = c.choice(r, "response", rw, RATING_RESPONSES)
            pct = c.number(r, "improvement_pct", rw, low=0, high=100, unit="%")
            rdate = c.day(r, "date", rw)
            if response is not None:
                rating = Rating(response=response, improvement_pct=None if pct is None else float(pct), date=rdate)
    side_effects: list[SideEffect] = []
    for i, se in enumerate(c.items_list(rec, "side_effects", where) or []):
        sw = _join(where, f"side_effects[{i}]")
        se = c.mapping(se, sw)
        if se is None:
            continue
        c.keys(se, sw, {"name", "severity", "start", "end"}, ("name",))
        name = c.text(se, "name", sw, required=True, what="a side effect")
        sev = c.number(se, "severity", sw, low=1, high=3, integer=True)
        s_start = c.day(se, "start", sw)
        s_end = c.day(se, "end", sw)
        if s_start and s_end and s_end < s_start:
            c.problem(_join(sw, "end"), f"must be on or after the start ({s_start.isoformat()}), got {s_end.isoformat()}")
        if name:
            side_effects.append(SideEffect(name=name.strip(), severity=sev, start=s_start, end=s_end))
    note = c.text(rec, "note", where)
    if not drug or not doses_ok or not doses:
        return None
    _warn_high_doses(c, where, drug, doses)
    return Trial(
        id=rec.get("id"),
        drug=drug,
        doses=tuple(doses),
        augmentation=augmentation,
        min_adequate_mg=None if min_mg is None else float(min_mg),
        end=end,
        stop_reason=stop_reason,
        adherence=adherence,
        rating=rating,
        side_effects=tuple(side_effects),
        note=note or "",
    )


def _warn_high_doses(c: _Checker, where: str, drug: str, doses: list[DoseStep]) -> None:
    try:
        from journal.clinical.catalog import load_catalog
    except ImportError:  # the catalog is optional for reading a file
        return
    found = load_catalog().resolve(drug)
    if found is None or found.typical_max_mg is None:
        return
    for i, step in enumerate(doses):
        if step.mg_per_day > found.typical_max_mg:
            c.warnings.append(
                f"{_join(where, f'doses[{i}]')}.mg_per_day: {_fmt(step.mg_per_day)} mg/day is above the typical maximum of "
                f"{_fmt(found.typical_max_mg)} mg/day for {found.generic}; kept as entered"
            )


_QUESTIONNAIRE_KEYS = {"id", "date", "scale", "items", "total", "difficulty"}
_TOTAL_KEYS = {"id", "date", "scale", "total"}
_DAILY_KEYS = {"id", "date", "scale", *DAILY_FIELDS, "hours_slept", "note"}


def _read_score(c: _Checker, rec: dict, where: str) -> ScaleScore | DailyCheckIn | None:
    scale = rec.get("scale")
    if scale == "daily":
        return _read_checkin(c, rec, where)
    if scale not in ALL_SCALES:
        c.keys(rec, where, _QUESTIONNAIRE_KEYS | _DAILY_KEYS, ("id", "date", "scale"))
        if scale is not None:
            c.problem(_join(where, "scale"), f"must be one of {', '.join(ALL_SCALES)}, daily, got {_describe(scale)}")
        c.day(rec, "date", where)
        return None
    low, high = SCALE_RANGES[scale]
    if scale in QUESTIONNAIRE_SCALES:
        c.keys(rec, where, _QUESTIONNAIRE_KEYS, ("id", "date", "scale"))
    else:
        c.keys(rec, where, _TOTAL_KEYS, ("id", "date", "scale"))
    day = c.day(rec, "date", where)
    total = c.number(rec, "total", where, low=low, high=high, integer=True)
    items: tuple[int, ...] | None = None
    items_ok = True
    if scale in QUESTIONNAIRE_SCALES and rec.get("items") is not None:
        raw = rec["items"]
        n = ITEM_COUNTS[scale]
        if not isinstance(raw, list):
            c.problem(_join(where, "items"), f"must be a list of {n} answers, got {_describe(raw)}")
            items_ok = False
        elif len(raw) != n:
            c.problem(_join(where, "items"), f"{scale} has {n} items, got {len(raw)}")
            items_ok = False
        else:
            values = []
            for i, v in enumerate(raw):
                got = c.parse_number(v, _join(where, f"items[{i}]"), low=0, high=3, integer=True)
                if got is None:
                    items_ok = False
                values.append(got)
            if items_ok:
                items = tuple(int(v) for v in values)
    difficulty = None
    if scale in QUESTIONNAIRE_SCALES:
        difficulty = c.number(rec, "difficulty", where, low=0, high=3, integer=True)
    if rec.get("total") is None and rec.get("items") is None:
        need = f"is required, or the {ITEM_COUNTS[scale]} items" if scale in QUESTIONNAIRE_SCALES else "is required"
        c.problem(_join(where, "total"), need)
        return None
    if items is not None and total is not None and sum(items) != total:
        c.problem(_join(where, "total"), f"must equal the sum of the items ({sum(items)}), got {total}")
        return None
    if items is not None and total is None and rec.get("total") is None:
        total = sum(items)
    if day is None or total is None or not items_ok:
        return None
    return ScaleScore(id=rec.get("id"), date=day, scale=scale, total=int(total), items=items, difficulty=difficulty)


def _fast_checkin(c: _Checker, rec: dict) -> DailyCheckIn | None:
    """A well-formed check-in (the usual case, thousands a journal) without building field paths; None to look closer."""
    if type(rec) is not dict or not rec.keys() <= _DAILY_KEYS or rec.get("id") is None:
        return None  # a key written twice (or anything unusual) is looked at closer
    values: dict[str, int | None] = {}
    rated = False
    for f in DAILY_FIELDS:
        v = rec.get(f)
        if v is not None:
            if type(v) is not int or not 0 <= v <= 10:
                return None
            rated = True
        values[f] = v
    hours = rec.get("hours_slept")
    if hours is not None:
        if type(hours) not in (int, float) or not 0 <= hours <= 24:  # NaN fails the comparison too
            return None
        hours = float(hours)
        rated = True
    note = rec.get("note")
    if note is None:
        note = ""
    elif type(note) is not str or len(note) > NOTE_LIMIT or not _is_real_text(note):
        return None
    raw_day = rec.get("date")
    if not rated or type(raw_day) is not str or not _DATE_RE.match(raw_day):
        return None
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        return None
    if not EARLIEST <= day <= c.latest:
        return None
    return DailyCheckIn(id=rec.get("id"), date=day, hours_slept=hours, note=note, **values)


def _read_checkin(c: _Checker, rec: dict, where: str) -> DailyCheckIn | None:
    fast = _fast_checkin(c, rec)
    if fast is not None:
        return fast
    c.keys(rec, where, _DAILY_KEYS, ("id", "date", "scale"))
    day = c.day(rec, "date", where)
    values = {f: c.number(rec, f, where, low=0, high=10, integer=True) for f in DAILY_FIELDS}
    hours = c.number(rec, "hours_slept", where, low=0, high=24, unit="hours")
    note = c.text(rec, "note", where)
    given = [f for f in (*DAILY_FIELDS, "hours_slept") if rec.get(f) is not None]
    if not given:
        c.problem(where, "a daily check-in needs at least one rating (mood, anxiety, sleep_quality, energy, pain or hours_slept)")
        return None
    if day is None:
        return None
    return DailyCheckIn(
        id=rec.get("id"),
        date=day,
        hours_slept=None if hours is None else float(hours),
        note=note or "",
        **values,
    )


def _read_lab(c: _Checker, rec: dict, where: str) -> Lab | None:
    c.keys(rec, where, {"id", "date", "test", "value", "unit", "note"}, ("id", "date", "test", "value"))
    day = c.day(rec, "date", where)
    test = c.text(rec, "test", where, required=True)
    value = c.number(rec, "value", where)
    unit = c.text(rec, "unit", where, default=None)
    note = c.text(rec, "note", where)
    if day is None or not test or value is None:
        return None
    return Lab(id=rec.get("id"), date=day, test=test.strip(), value=float(value), unit=unit, note=note or "")


def _read_condition(c: _Checker, rec: dict, where: str) -> Condition | None:
    c.keys(rec, where, {"id", "name", "status", "since", "note"}, ("id", "name"))
    name = c.text(rec, "name", where, required=True, what="a condition name")
    status = c.choice(rec, "status", where, CONDITION_STATUSES)
    since = c.day(rec, "since", where)
    note = c.text(rec, "note", where)
    if not name:
        return None
    return Condition(id=rec.get("id"), name=name.strip(), status=status, since=since, note=note or "")


def _read_session(c: _Checker, rec: dict, where: str) -> Session | None:
    c.keys(
        rec,
        where,
        {"id", "datetime", "treatment", "dose_mg", "number_in_course", "bp_before", "bp_after",
         "dissociation", "sedation", "nausea", "transport_arranged", "note"},
        ("id", "datetime", "treatment"),
    )
    when = _read_datetime(c, rec.get("datetime"), _join(where, "datetime")) if rec.get("datetime") is not None else None
    treatment = c.choice(rec, "treatment", where, SESSION_TREATMENTS)
    dose = c.number(rec, "dose_mg", where, low=0, low_exclusive=True, high=MAX_MG_PER_DAY, unit="mg")
    number = c.number(rec, "number_in_course", where, low=1, high=1000, integer=True)
    bps = {}
    for key in ("bp_before", "bp_after"):
        raw = rec.get(key)
        if raw is None:
            bps[key] = None
            continue
        if not isinstance(raw, list) or len(raw) != 2:
            c.problem(_join(where, key), f"must be two numbers [systolic, diastolic], got {_describe(raw)}")
            bps[key] = None
            continue
        sys_ = c.parse_number(raw[0], _join(where, f"{key}[0]"), low=1, high=300, integer=True, unit="mmHg")
        dia = c.parse_number(raw[1], _join(where, f"{key}[1]"), low=1, high=300, integer=True, unit="mmHg")
        bps[key] = (int(sys_), int(dia)) if sys_ is not None and dia is not None else None
    ratings = {k: c.number(rec, k, where, low=0, high=10, integer=True) for k in ("dissociation", "sedation", "nausea")}
    transport = c.flag(rec, "transport_arranged", where)
    note = c.text(rec, "note", where)
    if when is None or treatment is None:
        return None
    return Session(
        id=rec.get("id"),
        datetime=when,
        treatment=treatment,
        dose_mg=None if dose is None else float(dose),
        number_in_course=number,
        bp_before=bps["bp_before"],
        bp_after=bps["bp_after"],
        transport_arranged=transport,
        note=note or "",
        **ratings,
    )


def _read_datetime(c: _Checker, value: Any, where: str) -> datetime | None:
    if not isinstance(value, str):
        c.problem(where, f"must be a date and time like 2025-05-02T09:30:00+02:00, got {_describe(value)}")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        c.problem(where, f"must be a date and time like 2025-05-02T09:30:00+02:00, got {_describe(value)}")
        return None
    if parsed.tzinfo is None:
        c.problem(where, f"needs its offset from UTC, like +02:00 or Z, got {_describe(value)}")
        return None
    if parsed.date() < EARLIEST:
        c.problem(where, f"must be on or after 1900-01-01, got {value}")
        return None
    if parsed.date() > c.latest:
        c.problem(where, f"must not be after {c.latest.isoformat()} (the file's export date or today), got {value}")
        return None
    return parsed


def _read_note(c: _Checker, rec: dict, where: str) -> Note | None:
    c.keys(rec, where, {"id", "date", "text", "for_appointment"}, ("id", "date", "text"))
    day = c.day(rec, "date", where)
    text = c.text(rec, "text", where, required=True)
    for_appointment = c.flag(rec, "for_appointment", where)
    if day is None or text is None:
        return None
    return Note(id=rec.get("id"), date=day, text=text, for_appointment=for_appointment)


_READERS: dict[str, Callable[[_Checker, dict, str], Any]] = {
    "episodes": _read_episode,
    "trials": _read_trial,
    "scores": _read_score,
    "labs": _read_lab,
    "conditions": _read_condition,
    "sessions": _read_session,
    "notes": _read_note,
}


# --------------------------------------------------------------------------- whole files


def read_settings_changes(c: _Checker, raw: Any, where: str = "settings") -> dict[str, Any]:
    """Checks a partial settings object: only the named keys change; any other value is an error."""
    changes: dict[str, Any] = {}
    raw = c.mapping(raw, where)
    if raw is None:
        return changes
    c.repeated_keys(raw, where)
    for key, value in raw.items():
        if key not in SETTINGS_ALLOWED:
            c.problem(_join(where, _shown_key(key)), f"unknown setting (the settings are {', '.join(SETTINGS_ALLOWED)})")
            continue
        allowed = SETTINGS_ALLOWED[key]
        ok = (
            isinstance(value, bool) if key == "count_augmentation"
            else (not isinstance(value, bool) and value in allowed)
        )
        if not ok:
            shown = ", ".join("true" if a is True else "false" if a is False else str(a) for a in allowed)
            c.problem(_join(where, key), f"must be one of {shown}, got {_describe(value)}")
            continue
        changes[key] = int(value) if key in ("adequate_weeks", "failure_threshold_pct") else value
    return changes


def parse_contents(
    data: Any,
    *,
    today: date | None = None,
    existing_ids: dict[str, set[str]] | None = None,
) -> ImportResult:
    """Checks a whole version-1 file (already parsed JSON) and returns its records, or raises with every problem."""
    today = today or date.today()
    c = _Checker(today)
    if not isinstance(data, dict):
        raise ValidationError(Problem("", f"the file must hold one JSON object, got {_describe(data)}"))

    if data.get("format") != FORMAT_NAME:
        c.problem("format", f'must be "{FORMAT_NAME}", got {_describe(data.get("format"))}')
    version = data.get("version")
    if isinstance(version, bool) or version != FORMAT_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            c.problem("version", f"this file is version {version}; this Trial Journal reads version {FORMAT_VERSION} (a newer Trial Journal made it)")
        else:
            c.problem("version", f"must be {FORMAT_VERSION}, got {_describe(version)}")

    exported_at = None
    if data.get("exported_at") is not None:
        exported_at = _read_datetime(_Checker(date.max), data["exported_at"], "exported_at")
        if exported_at is None:
            c.problem("exported_at", f"must be a date and time with its offset, like 2026-11-27T10:00:00+00:00, got {_describe(data['exported_at'])}")
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

    profile = Profile()
    if data.get("profile") is not None:
        raw = c.mapping(data["profile"], "profile")
        if raw is not None:
            c.keys(raw, "profile", {"display_name", "birth_year"})
            name = c.text(raw, "display_name", "profile", default=None)
            year = c.number(raw, "birth_year", "profile", low=1900, high=today.year, integer=True)
            profile = Profile(display_name=name, birth_year=year)

    settings_changes = read_settings_changes(c, data["settings"]) if data.get("settings") is not None else {}

    lists: dict[str, list] = {name: [] for name in RECORD_LISTS}
    checkins: list[DailyCheckIn] = []
    all_ids: set[str] = set()
    existing_ids = existing_ids or {}
    for name in RECORD_LISTS:
        raw_list = data.get(name)
        if raw_list is None:
            continue
        if not isinstance(raw_list, list):
            c.problem(name, f"must be a list, got {_describe(raw_list)}")
            continue
        seen: set[str] = set()
        for index, raw in enumerate(raw_list):
            rid = raw.get("id") if isinstance(raw, dict) else None
            too_long = isinstance(rid, str) and len(rid) > ID_LIMIT
            id_ok = isinstance(rid, str) and not too_long and rid.strip() != "" and _is_real_text(rid)
            where = f"{name}[{rid}]" if id_ok else f"{name}[#{index + 1}]"
            rec = c.mapping(raw, where)
            if rec is None:
                continue
            if too_long:
                c.problem(_join(where, "id"), too_long_message(limit_for("id"), len(rid)))
            elif not id_ok:
                if rec.get("id") is not None:
                    c.problem(_join(where, "id"), f"must be non-empty text, got {_describe(rec['id'])}")
            elif rid in seen:
                c.problem(_join(where, "id"), f"is used by another record in {name}; ids must be unique within their list")
                id_ok = False
            else:
                seen.add(rid)
                all_ids.add(rid)  # held by the file, so entries_by may name it even if it collides below
                if rid in existing_ids.get(name, ()):
                    c.problem(_join(where, "id"), "the journal already holds a record with this id (was this file imported before?)")
                    id_ok = False
            record = _READERS[name](c, rec, where)
            if record is None or not id_ok:
                continue
            if isinstance(record, DailyCheckIn):
                checkins.append(record)
            else:
                lists[name].append(record)

    entries: list[EntryBy] = []
    raw_entries = data.get("entries_by")
    if raw_entries is not None:
        if not isinstance(raw_entries, list):
            c.problem("entries_by", f"must be a list, got {_describe(raw_entries)}")
        else:
            seen_records: set[str] = set()
            for i, raw in enumerate(raw_entries):
                where = f"entries_by[{i}]"
                rec = c.mapping(raw, where)
                if rec is None:
                    continue
                c.keys(rec, where, {"record", "author"}, ("record", "author"))
                target = c.text(rec, "record", where, required=True)
                author = c.text(rec, "author", where, required=True)
                if target and target not in all_ids:
                    c.problem(_join(where, "record"), f"refers to {_describe(target)}, which this file does not hold")
                    continue
                if target in seen_records:
                    c.problem(_join(where, "record"), f"{_describe(target)} is named twice")
                    continue
                if target and author:
                    seen_records.add(target)
                    entries.append(EntryBy(record=target, author=author.strip()))

    if c.problems:
        raise ValidationError(c.problems)
    # Records come back in the journal's own order, whatever order the file holds them in, so
    # a file read, written and read again gives the same contents (and the same text).
    contents = in_journal_order(JournalContents(
        profile=profile,
        settings=Settings(),
        episodes=tuple(lists["episodes"]),
        trials=tuple(lists["trials"]),
        scores=tuple(lists["scores"]),
        checkins=tuple(checkins),
        labs=tuple(lists["labs"]),
        conditions=tuple(lists["conditions"]),
        sessions=tuple(lists["sessions"]),
        notes=tuple(lists["notes"]),
        entries_by=tuple(entries),
    ))
    return ImportResult(contents=contents, settings_changes=settings_changes, warnings=c.warnings, exported_at=exported_at)


def load_file(path: str | Path, *, today: date | None = None, existing_ids: dict[str, set[str]] | None = None) -> ImportResult:
    """Reads a version-1 file from disk; every problem, including unreadable JSON, comes as a ValidationError."""
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


# --------------------------------------------------------------------------- one record (forms)

_KIND_TO_LIST = {
    "episodes": "episodes",
    "trials": "trials",
    "scores": "scores",
    "checkins": "scores",
    "labs": "labs",
    "conditions": "conditions",
    "sessions": "sessions",
    "notes": "notes",
}


def record_problems(kind: str, record: Any, *, today: date | None = None) -> tuple[list[Problem], list[str]]:
    """Checks one record from a form by the file's rules; fields are named relative to the record."""
    if kind not in _KIND_TO_LIST:
        raise ValueError(f"unknown record kind {kind!r}")
    c = _Checker(today or date.today())
    data = record_to_json(record)
    if not data.get("id"):
        data["id"] = "new"  # a form's record gets its id when stored
    _READERS[_KIND_TO_LIST[kind]](c, data, "")
    return c.problems, c.warnings


# --------------------------------------------------------------------------- writing


def _num(value: float | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def record_to_json(record: Any) -> dict:
    """One record as the file writes it (keys in the spec's order)."""
    if isinstance(record, Episode):
        return {"id": record.id, "start": _day(record.start), "end": _day(record.end), "severity": record.severity, "note": record.note}
    if isinstance(record, Trial):
        return {
            "id": record.id,
            "drug": record.drug,
            "augmentation": record.augmentation,
            "min_adequate_mg": _num(record.min_adequate_mg),
            "doses": [{"start": _day(s.start), "mg_per_day": _num(s.mg_per_day)} for s in record.doses],
            "end": _day(record.end),
            "stop_reason": record.stop_reason,
            "adherence": record.adherence,
            "rating": None
            if record.rating is None
            else {"response": record.rating.response, "improvement_pct": _num(record.rating.improvement_pct), "date": _day(record.rating.date)},
            "side_effects": [
                {"name": s.name, "severity": s.severity, "start": _day(s.start), "end": _day(s.end)} for s in record.side_effects
            ],
            "note": record.note,
        }
    if isinstance(record, ScaleScore):
        out: dict[str, Any] = {"id": record.id, "date": _day(record.date), "scale": record.scale}
        if record.scale in QUESTIONNAIRE_SCALES:
            out["items"] = list(record.items) if record.items is not None else None
            out["difficulty"] = record.difficulty
        out["total"] = record.total
        return out
    if isinstance(record, DailyCheckIn):
        out = {"id": record.id, "date": _day(record.date), "scale": "daily"}
        for f in DAILY_FIELDS:
            out[f] = getattr(record, f)
        out["hours_slept"] = _num(record.hours_slept)
        out["note"] = record.note
        return out
    if isinstance(record, Lab):
        return {"id": record.id, "date": _day(record.date), "test": record.test, "value": _num(record.value), "unit": record.unit, "note": record.note}
    if isinstance(record, Condition):
        return {"id": record.id, "name": record.name, "status": record.status, "since": _day(record.since), "note": record.note}
    if isinstance(record, Session):
        return {
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
    if isinstance(record, Note):
        return {"id": record.id, "date": _day(record.date), "text": record.text, "for_appointment": record.for_appointment}
    raise TypeError(f"not a journal record: {type(record).__name__}")


def _score_sort_key(record: Any) -> tuple:
    # Scores and check-ins share the file's `scores` list, by date then id.
    return (record.date, record.id or "", isinstance(record, DailyCheckIn))


def contents_to_json(contents: JournalContents, exported_at: datetime | None = None) -> dict:
    """The whole journal as a version-1 file object."""
    exported_at = exported_at or datetime.now(timezone.utc).replace(microsecond=0)
    contents = in_journal_order(contents)
    s = contents.settings
    scores = sorted([*contents.scores, *contents.checkins], key=_score_sort_key)
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
        },
        "episodes": [record_to_json(r) for r in contents.episodes],
        "trials": [record_to_json(r) for r in contents.trials],
        "scores": [record_to_json(r) for r in scores],
        "labs": [record_to_json(r) for r in contents.labs],
        "conditions": [record_to_json(r) for r in contents.conditions],
        "sessions": [record_to_json(r) for r in contents.sessions],
        "notes": [record_to_json(r) for r in contents.notes],
        "entries_by": [{"record": e.record, "author": e.author} for e in contents.entries_by],
    }


def dumps(contents: JournalContents, exported_at: datetime | None = None) -> str:
    """The file's text: UTF-8 JSON, indented so a person can read it."""
    return json.dumps(contents_to_json(contents, exported_at), ensure_ascii=False, indent=2) + "\n"
