"""What is due today: the check-in, the questionnaires, the appointment report and the next session (issue 14).

`due_items` reads the journal's records and `settings.reminders` as of a day and says what is
due or overdue, each with a plain reason for the window and a discreet line for a notification
that names no medicine, scale or score. It stores nothing: what the person snoozes, marks done
or puts off for later is the window's to keep.

The rules, and what this module decided where the issue is silent:
- **Check-in**: every day at `checkin_time` (None: off). It falls due on the first day after the
  latest check-in (today, when there is none) once that day's time has come (with `now`; without
  it, from the start of the day). A check-in on the day clears it; days missed keep it overdue
  from the first of them.
- **Questionnaires**: the PHQ-9 every `questionnaire_every_days` days (None: the issue's default,
  14), counted from the latest PHQ-9, so one taken early starts the count again; with none in the
  journal, due today. The GAD-7 the same way, only once the journal holds a GAD-7 (the person uses it).
  A PHQ-9 is also due on the day a trial starts or its dose changes when no PHQ-9 lies in the 7
  days before that day (or on it), and on the day a trial reaches its adequate weeks, as the
  assessment counts them (its own adequacy date). A trial's reasons last while the trial runs
  (a score after its last day never counts for it). A PHQ-9 on or after a reason's day clears
  it; the reasons still open make one item, due on the earliest of them.
- **Appointment**: "make the appointment report" from the day before `next_appointment` to the
  day itself (after it, there is nothing left to prepare); a report made on or after the day
  before clears it (the journal's `last_report`).
- **Session**: from the day before `next_session` to its day, naming the treatment of the latest
  session logged (none logged: no treatment), with "transport arranged?" for esketamine (no
  driving until the next day, ketamine.md); a session logged on that day clears it.
Everything dated after the as-of day is left out, as the assessment leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as TimeOfDay

from journal.clinical.assessment import assess
from journal.records import QUESTIONNAIRE_SCALES, JournalContents, ScaleScore, Trial, time_text
from journal.reports.facts import fresh_questions
from journal.rules import read_time
from journal.words import TREATMENT, words_for

__all__ = [
    "Due",
    "due_items",
    "DUE_KINDS",
    "DEFAULT_QUESTIONNAIRE_EVERY_DAYS",
    "BASELINE_LOOKBACK_DAYS",
    "LOCKED_NOTICE",
]

DUE_KINDS = ("checkin", "questionnaire", "appointment", "session")
DEFAULT_QUESTIONNAIRE_EVERY_DAYS = 14  # the default, used while the setting is null
BASELINE_LOOKBACK_DAYS = 7  # a PHQ-9 this many days before a trial's start or dose change is its baseline
# What a notification says while the journal is locked: nothing of what is due.
LOCKED_NOTICE = "Trial Journal: something is due"

_DISCREET = {
    "checkin": "Trial Journal: a check-in is due",
    "questionnaire": "Trial Journal: a questionnaire is due",
}


@dataclass(frozen=True)
class Due:
    """One thing due or overdue, with what the window shows for it.

    `why` is for the window and the person's own terminal; `discreet` is all a notification
    may say (no medicine, scale or score). Overdue items keep the day they first fell due.
    """

    kind: str  # "checkin", "questionnaire", "appointment" or "session"
    scale: str | None  # "PHQ-9" or "GAD-7" for a questionnaire, else None
    due: date
    overdue_days: int  # 0 when due today
    why: str
    discreet: str
    reasons: tuple[str, ...] = ()  # every reason this item answers, `why` first (a questionnaire may answer several)
    at: TimeOfDay | None = None  # the check-in's time of day
    event_day: date | None = None  # the appointment's or the session's day
    event_time: TimeOfDay | None = None  # its time as entered; None when only a date was given
    treatment: str | None = None  # the session's treatment (of the latest session logged), None when none is logged
    ask_transport: bool = False  # esketamine: ask "transport arranged?" (no driving until the next day)
    open_questions: int = 0  # the appointment: questions kept since the last report
    trial_id: str | None = None  # a questionnaire for one trial (its baseline, or its adequate weeks)

    @property
    def key(self) -> str:
        """Tells this item from every other, naming no scale: for the window's "done" and "later"."""
        which = f"-{QUESTIONNAIRE_SCALES.index(self.scale) + 1}" if self.scale in QUESTIONNAIRE_SCALES else ""
        return f"{self.kind}{which}:{self.due.isoformat()}"

    def to_json(self) -> dict:
        """The item as `trial-journal due --json` prints it: exactly kind, scale, due and overdue_days."""
        return {"kind": self.kind, "scale": self.scale, "due": self.due.isoformat(), "overdue_days": self.overdue_days}


def due_items(contents: JournalContents, as_of: date, *, now: datetime | None = None) -> list[Due]:
    """Everything due or overdue on `as_of`, earliest first (then check-in, questionnaires, appointment, session).

    `now` (the clock's wall time) holds back the day's check-in until its time; without it the
    whole day counts, as the command line reads a day.
    """
    found = [
        *_checkin(contents, as_of, now),
        *_questionnaires(contents, as_of),
        *_appointment(contents, as_of),
        *_session(contents, as_of),
    ]
    return sorted(found, key=lambda d: (d.due, DUE_KINDS.index(d.kind), d.scale or ""))


def _item(kind: str, scale: str | None, due: date, as_of: date, why: str, discreet: str, **more) -> Due:
    return Due(kind, scale, due, (as_of - due).days, why, discreet, reasons=more.pop("reasons", (why,)), **more)


# --------------------------------------------------------------------------- the check-in


def _checkin(contents: JournalContents, as_of: date, now: datetime | None) -> list[Due]:
    at = read_time(contents.settings.reminders.checkin_time)
    if at is None:
        return []
    last = max((c.date for c in contents.checkins if c.date <= as_of), default=None)
    if last == as_of:
        return []
    first = as_of if last is None else last + timedelta(days=1)
    if now is not None and now.replace(tzinfo=None) < datetime.combine(first, at):
        return []
    if last is None:
        why = f"your daily check-in at {time_text(at)}"
    elif first == as_of:
        why = f"today's check-in, at {time_text(at)}"
    else:
        why = f"no check-in since {last.isoformat()}"
    return [_item("checkin", None, first, as_of, why, _DISCREET["checkin"], at=at)]


# --------------------------------------------------------------------------- questionnaires


@dataclass(frozen=True)
class _Reason:
    """One reason a questionnaire is due: from its day, until a score of the scale on or after it."""

    day: date
    why: str
    weight: int  # which reason names the item: the adequate weeks (2) before a baseline (1) before the count of days (0)
    trial_id: str | None = None


def _questionnaires(contents: JournalContents, as_of: date) -> list[Due]:
    every = contents.settings.reminders.questionnaire_every_days or DEFAULT_QUESTIONNAIRE_EVERY_DAYS
    scores = [s for s in contents.scores if s.date <= as_of]
    out = []
    for scale in QUESTIONNAIRE_SCALES:
        taken = sorted(s.date for s in scores if s.scale == scale)
        if scale != "PHQ-9" and not taken:
            continue  # the GAD-7 only once the person uses it
        reasons = [_every_days(scale, taken, every, as_of)]
        if scale == "PHQ-9":
            reasons += _trial_reasons(contents, scores, as_of)
        open_ = [r for r in reasons if r.day <= as_of and not any(day >= r.day for day in taken)]
        if not open_:
            continue
        open_.sort(key=lambda r: r.day)
        named = max(open_, key=lambda r: (r.weight, r.day))
        whys = (named.why, *(r.why for r in open_ if r is not named))
        out.append(
            _item("questionnaire", scale, open_[0].day, as_of, named.why, _DISCREET["questionnaire"], reasons=whys, trial_id=named.trial_id)
        )
    return out


def _every_days(scale: str, taken: list[date], every: int, as_of: date) -> _Reason:
    if not taken:
        return _Reason(as_of, f"{scale} every {every} days: none in the journal yet", 0)
    return _Reason(taken[-1] + timedelta(days=every), f"{scale} every {every} days: the last was on {taken[-1].isoformat()}", 0)


def _running(trial: Trial, as_of: date) -> bool:
    return trial.end is None or trial.end >= as_of


def _trial_reasons(contents: JournalContents, scores: list[ScaleScore], as_of: date) -> list[_Reason]:
    """The PHQ-9s the trials ask for: a baseline at each start or dose change, and the one at their adequate weeks."""
    phq9 = [s.date for s in scores if s.scale == "PHQ-9"]
    reasons: list[_Reason] = []
    for trial in contents.trials:
        if not _running(trial, as_of):
            continue
        name = trial.drug.strip()
        for i, step in enumerate(trial.doses):
            # a step remembered as a month or a year is history, not a day to remind of
            if step.start > as_of or step.start_precision != "day":
                continue
            if any(step.start - timedelta(days=BASELINE_LOOKBACK_DAYS) <= day <= step.start for day in phq9):
                continue
            why = f"a baseline as {name} starts" if i == 0 else f"a baseline before {name}'s new dose"
            reasons.append(_Reason(step.start, why, 1, trial.id))
    weeks = contents.settings.adequate_weeks
    for verdict in assess(contents, as_of=as_of).trials:
        # the assessment's own adequacy date; its outcome score must lie on or before the trial's last day
        if verdict.adequacy_date is not None and verdict.last_day == as_of:
            why = f"{verdict.drug} has reached {weeks} weeks at an adequate dose: the score that decides how it went"
            reasons.append(_Reason(verdict.adequacy_date, why, 2, verdict.id))
    return reasons


# --------------------------------------------------------------------------- appointment and session


def _when(text: str | None) -> tuple[date, TimeOfDay | None] | None:
    """A reminder's date or date-time (with offset) as the person wrote it: its day and its time there."""
    if not text:
        return None
    try:
        if "T" not in text:
            return date.fromisoformat(text), None
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None  # the settings are checked when stored; a damaged one reminds of nothing
    return moment.date(), moment.time().replace(second=0, microsecond=0, tzinfo=None)


def _on_day(day: date, at: TimeOfDay | None) -> str:
    return f"{day.isoformat()} at {time_text(at)}" if at is not None else day.isoformat()


def _soon(day: date, as_of: date) -> str:
    return "Trial Journal: an appointment today" if day == as_of else "Trial Journal: an appointment tomorrow"


def _coming(value: str | None, as_of: date) -> tuple[date, TimeOfDay | None, date] | None:
    """An appointment's or a session's day and time, and the day before it (when it falls due), while `as_of`
    lies between the two; else None."""
    found = _when(value)
    if found is None:
        return None
    day, at = found
    due = day - timedelta(days=1)
    return (day, at, due) if due <= as_of <= day else None


def _appointment(contents: JournalContents, as_of: date) -> list[Due]:
    coming = _coming(contents.settings.reminders.next_appointment, as_of)
    if coming is None:
        return []
    day, at, due = coming
    last_report = contents.state.last_report
    if last_report is not None and due <= last_report <= as_of:
        return []
    questions = len(fresh_questions(contents, None, as_of)[0])
    kept = f"{questions} open question{'s' if questions != 1 else ''}" if questions else "no open questions"
    why = f"your appointment is on {_on_day(day, at)}: make the appointment report ({kept})"
    return [_item("appointment", None, due, as_of, why, _soon(day, as_of), event_day=day, event_time=at, open_questions=questions)]


def _session(contents: JournalContents, as_of: date) -> list[Due]:
    coming = _coming(contents.settings.reminders.next_session, as_of)
    if coming is None:
        return []
    day, at, due = coming
    logged = [s for s in contents.sessions if s.date <= as_of]
    if any(s.date == day for s in logged):
        return []
    treatment = max(logged, key=lambda s: (s.date, s.datetime.isoformat())).treatment if logged else None
    transport = treatment == "esketamine"
    named = f"{words_for(TREATMENT, treatment)} session" if treatment else "next session"
    why = f"your {named} is on {_on_day(day, at)}"
    if transport:
        why += ": is transport arranged? No driving until the next day"
    return [
        _item("session", None, due, as_of, why, _soon(day, as_of), event_day=day, event_time=at, treatment=treatment,
              ask_transport=transport)
    ]
