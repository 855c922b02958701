"""How each table's rows become records and back, with nothing but Python (no SQLAlchemy).

Rows are read and written in stored form, dates as ISO text and flags as 0/1, so they go to
the driver's executemany with no per-value processing; each table's `from_rows` turns a whole
list of rows into records in one loop (a call per row was most of the cost of listing the
thousands of check-ins of a long journal). The columns each function reads and writes are the
ones `journal.storage.tables` gives its table (a test checks them against the schema).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from journal import records as r

__all__ = ["Convert", "CONVERT", "fills_directly", "text_day", "trials_from_rows", "trial_child_values"]

# ------------------------------------------------------------------------- values in stored form

_day = dt.date.fromisoformat
_date = dt.date


def _day_or_none(value: str | None) -> dt.date | None:
    return None if value is None else _day(value)


def text_day(value: dt.date) -> str:
    """A date as SQLAlchemy's SQLite Date type stores it (a datetime keeps only its date)."""
    if type(value) is _date:
        return value.isoformat()
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _text_day_or_none(value: dt.date | None) -> str | None:
    return None if value is None else text_day(value)


# A time of day is stored as "HH:MM"; a long journal holds at most 1440 distinct ones, so each is parsed once.
_time = lru_cache(maxsize=2048)(dt.time.fromisoformat)


def _time_or_none(value: str | None) -> dt.time | None:
    return None if value is None else _time(value)


def _text_time(value: dt.time | None) -> str | None:
    return None if value is None else r.time_text(value)


_Origin = r.Origin


def _origin(app: str | None, raw: str | None) -> r.Origin | None:
    """An imported record's origin; none when no app is named."""
    return None if app is None else _Origin(app=app, raw=raw or "")


def _origin_values(origin: r.Origin | None) -> tuple[str | None, str | None]:
    return (None, None) if origin is None else (origin.app, origin.raw)


def _latest_or_none(value: dt.date | None, precision: str) -> str | None:
    """The last day a partial end may mean, as stored for listing by date range."""
    return None if value is None else text_day(r.latest_day(value, precision))


def _rating(response: str | None, improvement: float | None, rated: str | None) -> r.Rating | None:
    # at most one rating; nothing in it means none was given (a number or a date alone is kept)
    if response is None and improvement is None and rated is None:
        return None
    return r.Rating(response=response, improvement_pct=improvement, date=_day_or_none(rated))


def _rating_values(rating: r.Rating | None) -> tuple:
    if rating is None:
        return (None, None, None)
    return (rating.response, rating.improvement_pct, _text_day_or_none(rating.date))


def _items(text: str | None) -> tuple[int, ...] | None:
    """A score's stored answers, a JSON list of integers as `_score_values` writes it ("[1, 0, 3]"), as a tuple.

    Splitting the text is three times quicker than the JSON parser for the thousand
    questionnaires of a long journal; text in any other form goes to the parser.
    """
    if text is None:
        return None
    inner = text[1:-1]
    if text[:1] == "[" and text[-1:] == "]" and inner.replace(", ", "").isascii() and inner.replace(", ", "").isdigit():
        try:
            return tuple(map(int, inner.split(", ")))
        except ValueError:
            pass
    return tuple(json.loads(text))


def fills_directly(cls: type) -> bool:
    """Whether records of `cls` may be made by filling a new object's attributes at once.

    A frozen dataclass sets each field through object.__setattr__, which is most of the cost of
    building the thousands of check-ins of a long journal; filling the new record's __dict__
    with every field makes the very same record (equal, hashable, immutable) in about two
    thirds of the time. A record class that needs its own __init__ (a __post_init__, slots)
    gets the plain constructor.
    """
    return not (hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"))


def _maker(cls: type) -> Callable[..., Any]:
    """A quick way to make `cls` records from values read back from the journal (keywords, every field)."""
    if not fills_directly(cls):
        return cls
    new = object.__new__
    count = len(fields(cls))

    def make(**values: Any) -> Any:
        if len(values) != count:
            return cls(**values)
        record: Any = new(cls)
        record.__dict__.update(values)
        return record

    return make


_make_checkin = _maker(r.DailyCheckIn)
_make_score = _maker(r.ScaleScore)



def _profiles(rows: Sequence[tuple]) -> list[r.Profile]:
    return [r.Profile(display_name=name, birth_year=year) for name, year in rows]


def _profile_values(p: r.Profile) -> tuple:
    return (1, p.display_name, p.birth_year)  # the one row


def _settings(rows: Sequence[tuple]) -> list[r.Settings]:
    return [
        r.Settings(
            adequate_weeks=weeks,
            failure_threshold_pct=pct,
            count_augmentation=bool(augmentation),
            primary_scale=scale,
            reminders=r.Reminders(
                checkin_time=checkin_time,
                questionnaire_every_days=every_days,
                next_appointment=appointment,
                next_session=session,
            ),
        )
        for weeks, pct, augmentation, scale, checkin_time, every_days, appointment, session in rows
    ]


def _settings_values(s: r.Settings) -> tuple:
    reminders = s.reminders
    return (
        1,
        s.adequate_weeks,
        s.failure_threshold_pct,
        int(bool(s.count_augmentation)),
        s.primary_scale,
        reminders.checkin_time,
        reminders.questionnaire_every_days,
        reminders.next_appointment,
        reminders.next_session,
    )


def _episodes(rows: Sequence[tuple]) -> list[r.Episode]:
    return [
        r.Episode(
            id=id_,
            start=_day(start),
            end=_day_or_none(end),
            severity=severity,
            note=note or "",
            start_precision=start_precision,
            end_precision=end_precision,
        )
        for id_, start, end, severity, note, start_precision, end_precision in rows
    ]


def _episode_values(e: r.Episode) -> tuple:
    return (
        e.id,
        text_day(e.start),
        _text_day_or_none(e.end),
        e.severity,
        e.note,
        e.start_precision,
        e.end_precision,
        _latest_or_none(e.end, e.end_precision),
    )


def trials_from_rows(
    rows: Sequence[tuple], doses: dict[str, tuple[r.DoseStep, ...]], effects: dict[str, tuple[r.SideEffect, ...]]
) -> list[r.Trial]:
    """Trials from their rows and their dose steps and side effects, grouped by trial id."""
    made = []
    for id_, drug, end, augmentation, min_mg, stop_reason, adherence, response, improvement, rated, note, *rest in rows:
        end_precision, source, origin_app, origin_raw = rest
        made.append(
            r.Trial(
                id=id_,
                drug=drug,
                doses=doses.get(id_, ()),
                augmentation=bool(augmentation),
                min_adequate_mg=min_mg,
                end=_day_or_none(end),
                stop_reason=stop_reason,
                adherence=adherence,
                rating=_rating(response, improvement, rated),
                side_effects=effects.get(id_, ()),
                note=note or "",
                end_precision=end_precision,
                source=source,
                origin=_origin(origin_app, origin_raw),
            )
        )
    return made


def _trials_alone(rows: Sequence[tuple]) -> list[r.Trial]:
    return trials_from_rows(rows, {}, {})


def _trial_values(t: r.Trial) -> tuple:
    return (
        t.id,
        t.drug,
        text_day(t.doses[0].start),
        _text_day_or_none(t.end),
        int(bool(t.augmentation)),
        t.min_adequate_mg,
        t.stop_reason,
        t.adherence,
        *_rating_values(t.rating),
        t.note,
        t.end_precision,
        _latest_or_none(t.end, t.end_precision),
        t.source,
        *_origin_values(t.origin),
    )


def trial_child_values(trials: Iterable[r.Trial]) -> tuple[list[tuple], list[tuple]]:
    """The rows of the trials' dose steps and of their side effects, each numbered in its trial's order."""
    doses: list[tuple] = []
    effects: list[tuple] = []
    for t in trials:
        doses.extend((t.id, i, text_day(d.start), d.mg_per_day, d.start_precision) for i, d in enumerate(t.doses))
        effects.extend(
            (t.id, i, s.name, s.severity, _text_day_or_none(s.start), _text_day_or_none(s.end))
            for i, s in enumerate(t.side_effects)
        )
    return doses, effects


def _dose_steps(rows: Sequence[tuple]) -> list[r.DoseStep]:
    return [r.DoseStep(start=_day(start), mg_per_day=mg, start_precision=precision) for _trial, start, mg, precision in rows]


def _side_effects(rows: Sequence[tuple]) -> list[r.SideEffect]:
    return [
        r.SideEffect(name=name, severity=severity, start=_day_or_none(start), end=_day_or_none(end))
        for _trial, name, severity, start, end in rows
    ]


def _scores(rows: Sequence[tuple]) -> list[r.ScaleScore]:
    if not fills_directly(r.ScaleScore):
        return [
            _make_score(
                id=i, date=_day(d), scale=s, total=t, items=_items(it), difficulty=df, time=_time_or_none(tm), origin=_origin(a, raw)
            )
            for i, d, s, t, it, df, tm, a, raw in rows
        ]
    new, cls, time, origin = object.__new__, r.ScaleScore, _time, _Origin
    made: list[r.ScaleScore] = []
    append = made.append
    for id_, date, scale, total, items, difficulty, at, app, raw in rows:
        record = new(cls)
        # item by item, not update(**fields): no keyword dict per record
        d = record.__dict__
        d["id"], d["date"], d["scale"], d["total"] = id_, _day(date), scale, total
        d["items"], d["difficulty"] = _items(items), difficulty
        d["time"] = None if at is None else time(at)
        d["origin"] = None if app is None else origin(app, raw or "")
        append(record)
    return made


def _score_values(s: r.ScaleScore) -> tuple:
    # The JSON list json.dumps writes ("[1, 0, 3]"), written directly: a tenth of the time.
    items = None if s.items is None else f"[{', '.join([str(int(i)) for i in s.items])}]"
    return (s.id, text_day(s.date), s.scale, s.total, items, s.difficulty, _text_time(s.time), *_origin_values(s.origin))


def _checkins(rows: Sequence[tuple]) -> list[r.DailyCheckIn]:
    if not fills_directly(r.DailyCheckIn):
        return [
            _make_checkin(
                id=i,
                date=_day(d),
                mood=m,
                anxiety=a,
                sleep_quality=q,
                energy=e,
                pain=p,
                hours_slept=h,
                note=n or "",
                time=_time_or_none(tm),
                origin=_origin(app, raw),
            )
            for i, d, m, a, q, e, p, h, n, tm, app, raw in rows
        ]
    # One loop, no call per row: the thousands of daily check-ins are most of a long journal.
    new, cls, time, origin = object.__new__, r.DailyCheckIn, _time, _Origin
    made: list[r.DailyCheckIn] = []
    append = made.append
    for id_, date, mood, anxiety, sleep_quality, energy, pain, hours_slept, note, at, app, raw in rows:
        record = new(cls)
        # item by item, not update(**fields): no keyword dict per record, a quarter quicker
        d = record.__dict__
        d["id"], d["date"], d["mood"], d["anxiety"], d["sleep_quality"] = id_, _day(date), mood, anxiety, sleep_quality
        d["energy"], d["pain"], d["hours_slept"], d["note"] = energy, pain, hours_slept, note or ""
        d["time"] = None if at is None else time(at)
        d["origin"] = None if app is None else origin(app, raw or "")
        append(record)
    return made


def _checkin_values(c: r.DailyCheckIn) -> tuple:
    return (
        c.id,
        text_day(c.date),
        c.mood,
        c.anxiety,
        c.sleep_quality,
        c.energy,
        c.pain,
        c.hours_slept,
        c.note,
        _text_time(c.time),
        *_origin_values(c.origin),
    )


def _checkins_values(checkins: Sequence[r.DailyCheckIn]) -> list[tuple]:
    """`_checkin_values` of each, in one loop with no call per check-in but the date's own."""
    return [
        (
            c.id,
            c.date.isoformat() if type(c.date) is _date else text_day(c.date),
            c.mood,
            c.anxiety,
            c.sleep_quality,
            c.energy,
            c.pain,
            c.hours_slept,
            c.note,
            None if (at := c.time) is None else f"{at.hour:02d}:{at.minute:02d}",
            None if (origin := c.origin) is None else origin.app,
            None if origin is None else origin.raw,
        )
        for c in checkins
    ]


def _labs(rows: Sequence[tuple]) -> list[r.Lab]:
    return [
        r.Lab(id=id_, date=_day(date), test=test, value=value, unit=unit, note=note or "")
        for id_, date, test, value, unit, note in rows
    ]


def _lab_values(lab: r.Lab) -> tuple:
    return (lab.id, text_day(lab.date), lab.test, lab.value, lab.unit, lab.note)


def _conditions(rows: Sequence[tuple]) -> list[r.Condition]:
    return [
        r.Condition(
            id=id_, name=name, status=status, since=_day_or_none(since), note=note or "", since_precision=since_precision
        )
        for id_, name, status, since, note, since_precision in rows
    ]


def _condition_values(c: r.Condition) -> tuple:
    return (c.id, c.name, c.status, _text_day_or_none(c.since), c.note, c.since_precision)


def _pressure(systolic: int | None, diastolic: int | None) -> tuple[int, int] | None:
    return None if systolic is None or diastolic is None else (systolic, diastolic)


def _sessions(rows: Sequence[tuple]) -> list[r.Session]:
    made = []
    for id_, at, treatment, dose_mg, number, before_sys, before_dia, after_sys, after_dia, *rest in rows:
        dissociation, sedation, nausea, transport_arranged, note, phase, later_sys, later_dia, spo2, minutes, ready = rest
        made.append(
            r.Session(
                id=id_,
                datetime=dt.datetime.fromisoformat(at),
                treatment=treatment,
                dose_mg=dose_mg,
                number_in_course=number,
                bp_before=_pressure(before_sys, before_dia),
                bp_after=_pressure(after_sys, after_dia),
                dissociation=dissociation,
                sedation=sedation,
                nausea=nausea,
                transport_arranged=bool(transport_arranged),
                note=note or "",
                phase=phase,
                bp_40min=_pressure(later_sys, later_dia),
                spo2_min=spo2,
                monitored_minutes=minutes,
                ready_to_leave=bool(ready),
            )
        )
    return made


def _session_values(s: r.Session) -> tuple:
    before = s.bp_before or (None, None)
    after = s.bp_after or (None, None)
    later = s.bp_40min or (None, None)
    return (
        s.id,
        s.datetime.isoformat(),
        text_day(s.datetime.date()),
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
        s.phase,
        later[0],
        later[1],
        s.spo2_min,
        s.monitored_minutes,
        int(bool(s.ready_to_leave)),
    )


def _notes(rows: Sequence[tuple]) -> list[r.Note]:
    return [
        r.Note(id=id_, date=_day(date), text=text, for_appointment=bool(for_appointment), origin=_origin(app, raw))
        for id_, date, text, for_appointment, app, raw in rows
    ]


def _note_values(n: r.Note) -> tuple:
    return (n.id, text_day(n.date), n.text, int(bool(n.for_appointment)), *_origin_values(n.origin))


def _therapies(rows: Sequence[tuple]) -> list[r.Therapy]:
    made = []
    for id_, kind, name, start, start_precision, end, end_precision, sessions, stop_reason, *rest in rows:
        response, improvement, rated, source, origin_app, origin_raw, note = rest
        made.append(
            r.Therapy(
                id=id_,
                kind=kind,
                start=_day(start),
                name=name or "",
                start_precision=start_precision,
                end=_day_or_none(end),
                end_precision=end_precision,
                sessions=sessions,
                stop_reason=stop_reason,
                rating=_rating(response, improvement, rated),
                source=source,
                note=note or "",
                origin=_origin(origin_app, origin_raw),
            )
        )
    return made


def _therapy_values(p: r.Therapy) -> tuple:
    return (
        p.id,
        p.kind,
        p.name,
        text_day(p.start),
        p.start_precision,
        _text_day_or_none(p.end),
        p.end_precision,
        _latest_or_none(p.end, p.end_precision),
        p.sessions,
        p.stop_reason,
        *_rating_values(p.rating),
        p.source,
        *_origin_values(p.origin),
        p.note,
    )


def _entries(rows: Sequence[tuple]) -> list[r.EntryBy]:
    return [r.EntryBy(record=record, author=author) for record, author in rows]


def _entry_values(e: r.EntryBy) -> tuple:
    return (e.record, e.author)


def _states(rows: Sequence[tuple]) -> list[r.JournalState]:
    out = []
    for journal_id, last_report, choices in rows:
        kept = json.loads(choices) if choices else []
        out.append(
            r.JournalState(
                journal_id=journal_id,
                last_report=_day_or_none(last_report),
                question_choices=tuple(
                    r.QuestionChoice(key=c["key"], choice=c["choice"], fingerprint=c["fingerprint"], on=_day(c["on"]))
                    for c in kept
                ),
            )
        )
    return out


def _state_values(s: r.JournalState) -> tuple:
    choices = [{"key": c.key, "choice": c.choice, "fingerprint": c.fingerprint, "on": c.on.isoformat()} for c in s.question_choices]
    return (1, s.journal_id, _text_day_or_none(s.last_report), json.dumps(choices, ensure_ascii=False))  # the one row


def _sync_states(rows: Sequence[tuple]) -> list[dict]:
    return [json.loads(data) if data else {} for (data,) in rows]


def _sync_state_values(state: dict) -> tuple:
    return (1, json.dumps(state, ensure_ascii=False, sort_keys=True, separators=(",", ":")))  # the one row


@dataclass(frozen=True)
class Convert:
    """How one table's rows become records and back.

    `from_rows` takes rows of the columns `journal.storage.tables.ROWS` reads, in that order;
    `values` gives a record's row with every column of the table, in the table's order;
    `many` (for the kinds a long journal holds thousands of) the rows of many records at once.
    """

    from_rows: Callable[[Sequence[tuple]], list]
    values: Callable[[Any], tuple] | None = None
    many: Callable[[Sequence[Any]], list[tuple]] | None = None


# Every table of the schema, by its name.
CONVERT: dict[str, Convert] = {
    "profile": Convert(_profiles, _profile_values),
    "settings": Convert(_settings, _settings_values),
    "episodes": Convert(_episodes, _episode_values),
    "trials": Convert(_trials_alone, _trial_values),
    "dose_steps": Convert(_dose_steps),  # written with their trial's (trial_child_values)
    "side_effects": Convert(_side_effects),
    "scores": Convert(_scores, _score_values),
    "checkins": Convert(_checkins, _checkin_values, many=_checkins_values),
    "labs": Convert(_labs, _lab_values),
    "conditions": Convert(_conditions, _condition_values),
    "sessions": Convert(_sessions, _session_values),
    "notes": Convert(_notes, _note_values),
    "therapies": Convert(_therapies, _therapy_values),
    "entries_by": Convert(_entries, _entry_values),
    "journal_state": Convert(_states, _state_values),
    "sync_state": Convert(_sync_states, _sync_state_values),
}
