"""Plain, immutable records that the journal hands to its callers (never live ORM objects)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as TimeOfDay

__all__ = [
    "episode_holding",
    "Profile",
    "JournalState",
    "QuestionChoice",
    "Settings",
    "Episode",
    "DoseStep",
    "SideEffect",
    "Rating",
    "Trial",
    "ScaleScore",
    "DailyCheckIn",
    "Lab",
    "Condition",
    "Session",
    "Therapy",
    "Origin",
    "Reminders",
    "Note",
    "EntryBy",
    "JournalContents",
    "in_journal_order",
    "replace",
    "EPISODE_SEVERITIES",
    "STOP_REASONS",
    "ADHERENCE",
    "RATING_RESPONSES",
    "SESSION_TREATMENTS",
    "CONDITION_STATUSES",
    "QUESTIONNAIRE_SCALES",
    "TOTAL_ONLY_SCALES",
    "ALL_SCALES",
    "DAILY_FIELDS",
    "PRECISIONS",
    "SOURCES",
    "THERAPY_KINDS",
    "SESSION_PHASES",
    "latest_day",
    "date_text",
    "time_text",
    "parse_partial",
    "partial_from",
]

EPISODE_SEVERITIES = ("subsyndromal", "mild", "moderate", "severe", "severe_psychotic")
STOP_REASONS = ("ineffective", "side_effects", "remission", "cost", "clinician_advice", "other")
ADHERENCE = ("good", "poor")
RATING_RESPONSES = ("none", "partial", "response", "remission")
SESSION_TREATMENTS = ("esketamine", "ketamine_iv", "ect", "rtms", "other")
CONDITION_STATUSES = ("suspected", "assessed", "diagnosed", "treated")
QUESTIONNAIRE_SCALES = ("PHQ-9", "GAD-7")
TOTAL_ONLY_SCALES = ("QIDS-SR16", "MADRS", "HAMD-17")
ALL_SCALES = QUESTIONNAIRE_SCALES + TOTAL_ONLY_SCALES
DAILY_FIELDS = ("mood", "anxiety", "sleep_quality", "energy", "pain")
# Version 2 (spec/journal-json.md): how precisely a date was entered, where a history comes from,
# the kinds of psychotherapy course, and the phases of an esketamine or ketamine course.
PRECISIONS = ("day", "month", "year")
SOURCES = ("memory", "records")
THERAPY_KINDS = ("cbt", "behavioural_activation", "ipt", "mbct", "psychodynamic", "dbt", "emdr", "other")
SESSION_PHASES = ("induction", "optimisation", "maintenance")


# ---------------------------------------------------------------------------- partial dates
# A date entered as a month or a year is kept as its earliest day plus its precision, so every
# reader that wants one day gets the earliest; the latest day and the text as written follow.


def latest_day(day: date, precision: str = "day") -> date:
    """The last day a date entered at `precision` may mean (the day itself for a full date)."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def date_text(day: date, precision: str = "day") -> str:
    """The date as the file writes it: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def time_text(at: TimeOfDay) -> str:
    """A time of day as the file, the journal and the lists write it: `HH:MM`, 24-hour."""
    return f"{at.hour:02d}:{at.minute:02d}"


def partial_from(text: str) -> tuple[date, str] | None:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` as (earliest day, precision); None for anything else."""
    if not isinstance(text, str):
        return None
    parts = text.split("-")
    if not all(p.isdigit() and p.isascii() for p in parts):
        return None
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return date(int(parts[0]), 1, 1), "year"
        if len(parts) == 2 and (len(parts[0]), len(parts[1])) == (4, 2):
            return date(int(parts[0]), int(parts[1]), 1), "month"
        if len(parts) == 3 and (len(parts[0]), len(parts[1]), len(parts[2])) == (4, 2, 2):
            return date(int(parts[0]), int(parts[1]), int(parts[2])), "day"
    except ValueError:
        return None
    return None


def parse_partial(text: str) -> tuple[date, str]:
    """Like partial_from, raising ValueError for text that is not a date, a month or a year."""
    found = partial_from(text)
    if found is None:
        raise ValueError(f"{text!r} is not a date, a month (YYYY-MM) or a year (YYYY)")
    return found


@dataclass(frozen=True)
class Profile:
    """Who the journal belongs to, as the person chooses to be named."""

    display_name: str | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class Reminders:
    """What the journal reminds of (`settings.reminders`, version 2); never read by the assessment."""

    checkin_time: str | None = None  # "HH:MM", 24-hour; None is off
    questionnaire_every_days: int | None = None
    next_appointment: str | None = None  # a date or a date-time with offset, as written
    next_session: str | None = None


@dataclass(frozen=True)
class Settings:
    """The assessment rule's settings (trd-rules.md), stored per journal, and its reminders."""

    adequate_weeks: int = 6
    failure_threshold_pct: int = 50
    count_augmentation: bool = False
    primary_scale: str = "PHQ-9"
    reminders: Reminders = field(default_factory=Reminders)


@dataclass(frozen=True)
class Episode:
    """A depressive episode; the latest one started by the as-of date is the current one."""

    id: str
    start: date
    end: date | None = None
    severity: str | None = None
    note: str = ""
    start_precision: str = "day"  # "month" or "year" for a date remembered roughly (version 2)
    end_precision: str = "day"


@dataclass(frozen=True)
class DoseStep:
    """From `start`, the daily dose in milligrams, until the next step starts."""

    start: date  # the earliest day the step may have started (see start_precision)
    mg_per_day: float | None  # None: the dose is not remembered (version 2)
    start_precision: str = "day"

    @property
    def latest_start(self) -> date:
        return latest_day(self.start, self.start_precision)


@dataclass(frozen=True)
class SideEffect:
    """A side effect of a trial; severity 1 mild, 2 moderate, 3 severe."""

    name: str
    severity: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Rating:
    """The person's own judgement of how well a trial worked."""

    response: str | None  # None: a number or a date only, which the assessment reads as no rating (trd-rules.md v2)
    improvement_pct: float | None = None
    date: date | None = None


@dataclass(frozen=True)
class Origin:
    """Where an imported record came from: the other app's name and its original values as one line."""

    app: str
    raw: str = ""


@dataclass(frozen=True)
class Trial:
    """One drug taken over a run of dose steps."""

    id: str
    drug: str
    doses: tuple[DoseStep, ...]
    augmentation: bool = False
    min_adequate_mg: float | None = None
    end: date | None = None
    stop_reason: str | None = None
    adherence: str | None = None
    rating: Rating | None = None
    side_effects: tuple[SideEffect, ...] = ()
    note: str = ""
    end_precision: str = "day"  # "month" or "year" for an end remembered roughly (version 2)
    source: str | None = None  # "memory" or "records" (version 2)
    origin: Origin | None = None

    @property
    def start(self) -> date:
        return self.doses[0].start

    @property
    def ongoing(self) -> bool:
        return self.end is None

    @property
    def approximate(self) -> bool:
        """Whether any date was entered as a month or a year, or any dose is not remembered."""
        return self.end_precision != "day" or any(s.start_precision != "day" or s.mg_per_day is None for s in self.doses)


@dataclass(frozen=True)
class ScaleScore:
    """A questionnaire (PHQ-9, GAD-7 with items) or a total-only scale score."""

    id: str
    date: date
    scale: str
    total: int
    items: tuple[int, ...] | None = None
    difficulty: int | None = None
    time: TimeOfDay | None = None  # local time of day, minutes (version 2); never read by the assessment
    origin: Origin | None = None


@dataclass(frozen=True)
class DailyCheckIn:
    """A quick 0-10 check-in; charted beside the scales, never deciding an outcome."""

    id: str
    date: date
    mood: int | None = None
    anxiety: int | None = None
    sleep_quality: int | None = None
    energy: int | None = None
    pain: int | None = None
    hours_slept: float | None = None
    note: str = ""
    time: TimeOfDay | None = None  # local time of day, so several check-ins a day keep their order (version 2)
    origin: Origin | None = None


@dataclass(frozen=True)
class Lab:
    """A laboratory result (CRP, IL-6, TSH, free T4, cortisol, vitamin D or any other)."""

    id: str
    date: date
    test: str
    value: float
    unit: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Condition:
    """A comorbid condition and how far it has been looked into."""

    id: str
    name: str
    status: str | None = None
    since: date | None = None
    note: str = ""
    since_precision: str = "day"


@dataclass(frozen=True)
class Session:
    """An esketamine, IV ketamine, ECT or rTMS session."""

    id: str
    datetime: datetime
    treatment: str
    dose_mg: float | None = None
    number_in_course: int | None = None
    bp_before: tuple[int, int] | None = None
    bp_after: tuple[int, int] | None = None
    dissociation: int | None = None
    sedation: int | None = None
    nausea: int | None = None
    transport_arranged: bool = False
    note: str = ""
    # Version 2: the rest of the clinic's monitoring form (ketamine.md).
    phase: str | None = None  # induction, optimisation, maintenance
    bp_40min: tuple[int, int] | None = None
    spo2_min: float | None = None  # lowest pulse oximetry reading, %
    monitored_minutes: int | None = None
    ready_to_leave: bool = False

    @property
    def date(self) -> date:
        return self.datetime.date()


@dataclass(frozen=True)
class Therapy:
    """A course of psychotherapy: listed beside the trials, never counted (trd-rules.md v2)."""

    id: str
    kind: str
    start: date
    name: str = ""  # what the person calls it; required when kind is "other"
    start_precision: str = "day"
    end: date | None = None
    end_precision: str = "day"
    sessions: int | None = None
    stop_reason: str | None = None
    rating: Rating | None = None
    source: str | None = None
    note: str = ""
    origin: Origin | None = None

    @property
    def ongoing(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class Note:
    """A free note, often a question for the next appointment."""

    id: str
    date: date
    text: str
    for_appointment: bool = False
    origin: Origin | None = None


@dataclass(frozen=True)
class EntryBy:
    """A record entered by someone other than the journal's owner (caregiver mode)."""

    record: str
    author: str


@dataclass(frozen=True)
class QuestionChoice:
    """What the person did with a suggested question (clinical/questions.md): added it to their notes, or dismissed it.

    `fingerprint` is the suggestion's condition when the choice was made: the question is not
    suggested again until the condition reads differently.
    """

    key: str  # the suggestion's key, for example "crp" or "condition:adhd"
    choice: str  # "added" or "dismissed"
    fingerprint: str
    on: date


@dataclass(frozen=True)
class JournalState:
    """What the journal remembers about itself rather than about the person: never in the journal file format."""

    # A random id made once per journal (a UUID): the namespace of its FHIR ids, so no two journals share one.
    journal_id: str | None = None
    last_report: date | None = None  # the day the latest appointment report was made
    question_choices: tuple[QuestionChoice, ...] = ()


@dataclass(frozen=True)
class JournalContents:
    """Everything a journal holds, as plain records: what export, charts and reports read."""

    profile: Profile = field(default_factory=Profile)
    settings: Settings = field(default_factory=Settings)
    episodes: tuple[Episode, ...] = ()
    trials: tuple[Trial, ...] = ()
    scores: tuple[ScaleScore, ...] = ()
    checkins: tuple[DailyCheckIn, ...] = ()
    labs: tuple[Lab, ...] = ()
    conditions: tuple[Condition, ...] = ()
    sessions: tuple[Session, ...] = ()
    notes: tuple[Note, ...] = ()
    therapies: tuple[Therapy, ...] = ()
    entries_by: tuple[EntryBy, ...] = ()
    # Not part of what two journals' records are compared by: the same entries in two journals are equal.
    state: JournalState = field(default_factory=JournalState, compare=False)

    def author_of(self, record_id: str) -> str | None:
        for e in self.entries_by:
            if e.record == record_id:
                return e.author
        return None


def _undated_first(day: date | None) -> tuple[bool, date]:
    return (day is not None, day or date.min)


def _trial_start(trial: Trial) -> tuple[bool, date]:
    return _undated_first(trial.doses[0].start if trial.doses else None)


def _timed(day: date, at: TimeOfDay | None, record_id: str | None) -> tuple:
    # Untimed records of a day come first, then the timed ones by their time, then id.
    return (day, at is not None, at or TimeOfDay.min, record_id or "")


def _by_day_and_time(records: tuple) -> tuple:
    if any(x.time is not None for x in records):
        return tuple(sorted(records, key=lambda x: _timed(x.date, x.time, x.id)))
    return tuple(sorted(records, key=lambda x: (x.date, x.id or "")))  # no times: the plain order, and quicker


def _session_order(session: Session) -> tuple:
    # Same-day sessions follow their time as written (in the person's own offset), then id.
    when = session.datetime
    return (when.date(), when.isoformat(), session.id or "")


def in_journal_order(contents: JournalContents) -> JournalContents:
    """The same records, each list in the order the journal lists them (Journal.contents()).

    Episodes, trials and therapies by start (a partial date by its earliest day), scores and
    check-ins by date and time (untimed first), labs and notes by date, conditions by
    "since" (undated first), sessions by their day and time, each then by id; who-entered-what
    by record. A file read in any record order, or written and read again, gives the same contents.
    """
    return replace(
        contents,
        episodes=tuple(sorted(contents.episodes, key=lambda e: (e.start, e.id or ""))),
        trials=tuple(sorted(contents.trials, key=lambda t: (_trial_start(t), t.id or ""))),
        scores=_by_day_and_time(contents.scores),
        checkins=_by_day_and_time(contents.checkins),
        labs=tuple(sorted(contents.labs, key=lambda lab: (lab.date, lab.id or ""))),
        conditions=tuple(sorted(contents.conditions, key=lambda c: (_undated_first(c.since), c.id or ""))),
        sessions=tuple(sorted(contents.sessions, key=_session_order)),
        notes=tuple(sorted(contents.notes, key=lambda n: (n.date, n.id or ""))),
        therapies=tuple(sorted(contents.therapies, key=lambda p: (p.start, p.id or ""))),
        entries_by=tuple(sorted(contents.entries_by, key=lambda e: e.record)),
    )


def episode_holding(episodes: Sequence[Episode], day: date) -> Episode | None:
    """The recorded episode a day falls in, or None.

    An episode runs from its start (a month or a year read as its first day) to its end (a month
    or a year read as its last day, records.latest_day, as trd-rules.md reads an episode's dates);
    one with no end runs on. Recorded episodes do not overlap; were two to hold the day, the one
    that started later is taken, as the assessment takes the latest episode as the current one.
    """
    found: Episode | None = None
    for episode in episodes:
        if episode.start > day:
            continue
        if episode.end is not None and latest_day(episode.end, episode.end_precision) < day:
            continue
        if found is None or (episode.start, episode.id) > (found.start, found.id):
            found = episode
    return found
