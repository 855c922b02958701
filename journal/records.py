"""Plain, immutable records that the journal hands to its callers (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

__all__ = [
    "Profile",
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


@dataclass(frozen=True)
class Profile:
    """Who the journal belongs to, as the person chooses to be named."""

    display_name: str | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class Settings:
    """The assessment rule's settings (trd-rules.md), stored per journal."""

    adequate_weeks: int = 6
    failure_threshold_pct: int = 50
    count_augmentation: bool = False
    primary_scale: str = "PHQ-9"


@dataclass(frozen=True)
class Episode:
    """A depressive episode; the latest one started by the as-of date is the current one."""

    id: str
    start: date
    end: date | None = None
    severity: str | None = None
    note: str = ""


@dataclass(frozen=True)
class DoseStep:
    """From `start`, the daily dose in milligrams, until the next step starts."""

    start: date
    mg_per_day: float


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

    response: str
    improvement_pct: float | None = None
    date: date | None = None


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

    @property
    def start(self) -> date:
        return self.doses[0].start

    @property
    def ongoing(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class ScaleScore:
    """A questionnaire (PHQ-9, GAD-7 with items) or a total-only scale score."""

    id: str
    date: date
    scale: str
    total: int
    items: tuple[int, ...] | None = None
    difficulty: int | None = None


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

    @property
    def date(self) -> date:
        return self.datetime.date()


@dataclass(frozen=True)
class Note:
    """A free note, often a question for the next appointment."""

    id: str
    date: date
    text: str
    for_appointment: bool = False


@dataclass(frozen=True)
class EntryBy:
    """A record entered by someone other than the journal's owner (caregiver mode)."""

    record: str
    author: str


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
    entries_by: tuple[EntryBy, ...] = ()

    def author_of(self, record_id: str) -> str | None:
        for e in self.entries_by:
            if e.record == record_id:
                return e.author
        return None


def _undated_first(day: date | None) -> tuple[bool, date]:
    return (day is not None, day or date.min)


def _trial_start(trial: Trial) -> tuple[bool, date]:
    return _undated_first(trial.doses[0].start if trial.doses else None)


def _session_order(session: Session) -> tuple:
    # Same-day sessions follow their time as written (in the person's own offset), then id.
    when = session.datetime
    return (when.date(), when.isoformat(), session.id or "")


def in_journal_order(contents: JournalContents) -> JournalContents:
    """The same records, each list in the order the journal lists them (Journal.contents()).

    Episodes and trials by start, scores, check-ins, labs and notes by date, conditions by
    "since" (undated first), sessions by their day and time, each then by id; who-entered-what
    by record. A file read in any record order, or written and read again, gives the same contents.
    """
    return replace(
        contents,
        episodes=tuple(sorted(contents.episodes, key=lambda e: (e.start, e.id or ""))),
        trials=tuple(sorted(contents.trials, key=lambda t: (_trial_start(t), t.id or ""))),
        scores=tuple(sorted(contents.scores, key=lambda s: (s.date, s.id or ""))),
        checkins=tuple(sorted(contents.checkins, key=lambda d: (d.date, d.id or ""))),
        labs=tuple(sorted(contents.labs, key=lambda lab: (lab.date, lab.id or ""))),
        conditions=tuple(sorted(contents.conditions, key=lambda c: (_undated_first(c.since), c.id or ""))),
        sessions=tuple(sorted(contents.sessions, key=_session_order)),
        notes=tuple(sorted(contents.notes, key=lambda n: (n.date, n.id or ""))),
        entries_by=tuple(sorted(contents.entries_by, key=lambda e: e.record)),
    )
