"""Questions the person may bring to their next appointment, drafted from what the journal holds (clinical/questions.md).

Each suggestion has a condition read from the journal as of a day, a question worded in the
first person (or, in caregiver mode, naming the person the caregiver speaks for), the "why"
line shown beside it, and a fingerprint: the condition as it reads now. The person adds a
suggestion to their notes or dismisses it; either way it is not suggested again while its
fingerprint stays the same, and comes back once it reads differently (a new failed trial, a
CRP that is a year old again, a new GAD-7 of 10 or more).

Never a dose, never a drug to start or stop, never "you have TRD", never an instruction: every
suggestion is a question, and the journal never adds one by itself (`note_for` makes the note
only when the person chooses "Add to my notes").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import time as TimeOfDay

from journal.clinical.assessment import Assessment, assess
from journal.clinical.scales import WORKUP_CONDITIONS, condition_kind_of, workup_key_for
from journal.clinical.verdict_words import look_up_lines
from journal.records import JournalContents, Lab, Note, QuestionChoice, ScaleScore

__all__ = [
    "Suggestion",
    "suggestions",
    "all_suggestions",
    "note_for",
    "choice_for",
    "months_before",
    "UNNAMED",
    "KEYS",
    "GAD7_CUT",
]

# In caregiver mode, a journal with no name for its owner names them so (never "my", never "you").
UNNAMED = "the person"
# scales.md: GAD-7 ">= 10 suggests further evaluation".
GAD7_CUT = 10
# How far back a lab result still counts as recent (questions.md: "in the last 12 months").
RECENT_MONTHS = 12
# The workup tests of scales.json each lab suggestion looks for. A free T4 on its own counts as a
# thyroid test: the line shown says "no thyroid test recorded", which must stay true.
_CRP = ("crp",)
_THYROID = ("tsh", "free_t4")
_CORTISOL = ("morning_cortisol",)
# How a question names each workup condition of scales.json inside a sentence; a condition added
# there later is named by its own name in lower case.
_CONDITION_WORDS = {
    "anxiety": "anxiety",
    "adhd": "ADHD",
    "ptsd": "PTSD",
    "sleep_disorder": "a sleep disorder",
    "chronic_pain": "chronic pain",
    "substance_use": "substance use",
}
KEYS = ("trd", "look_up", "crp", "tsh", "cortisol", *(f"condition:{k.key}" for k in WORKUP_CONDITIONS), "gad7")
# A look-up line's minimum ("(50 mg/day or more would count)") stays in the panel; a question never names a dose.
_WOULD_COUNT = re.compile(r"\s*\([^()]*\bwould count\)")


@dataclass(frozen=True)
class Suggestion:
    """One question the journal may suggest: its stable key, the words shown, why, and its condition's state."""

    key: str  # "trd", "look_up", "crp", "tsh", "cortisol", "condition:<workup key>", "gad7"
    question: str  # a question, first person (or naming the person, in caregiver mode)
    why: str  # the line shown beside it
    fingerprint: str  # the condition as it reads now: a choice made on another fingerprint no longer hides it


# --------------------------------------------------------------------------- the words


# questions.md's wording, first person: {my}/{My} and {me} become the person's name in caregiver mode,
# so a caregiver asks on the person's behalf ("Could ADHD be part of why Sam's treatment hasn't worked"),
# never as if the question were their own.
_TRD = (
    "Do {my} treatments so far meet the criteria for treatment-resistant depression? If so, could esketamine "
    "(Spravato, given in a certified clinic) or IV ketamine be options for {me}, or a referral to a specialist service?"
)
_LOOK_UP = "Could we check {my} pharmacy or clinic records for: {what}?"
_CRP_Q = "Should {my} inflammation markers be checked (CRP; IL-6 is mostly used in research)?"
_THYROID_Q = "Should {my} thyroid be checked (TSH, free T4)?"
_CORTISOL_Q = "Would a hormonal check, for example morning cortisol, be useful for {me}?"
_CONDITION_Q = "Could {what} be part of why {my} treatment hasn't worked, and can it be assessed or treated alongside {my} depression?"
_GAD7_Q = "{My} anxiety score (GAD-7 {total}) is in the range that suggests a further look: can we talk about it?"


@dataclass(frozen=True)
class _Voice:
    """Who asks: the person ("my", "me") or a caregiver on their behalf, naming them ("Sam's", "Sam")."""

    name: str | None  # None: the person asks for themself

    def words(self, template: str, **values: object) -> str:
        if self.name is None:
            return template.format(my="my", My="My", me="me", **values)
        own = f"{self.name}'s"
        return template.format(my=own, My=own[:1].upper() + own[1:], me=self.name, **values)


# --------------------------------------------------------------------------- the conditions

# Each condition of questions.md: (contents, as-of day, the assessment, who asks) -> its suggestions, if it holds.
_Maker = Callable[[JournalContents, date, Assessment, _Voice], list[Suggestion]]


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day when it has no such day: 29 Feb -> 28 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _labs(contents: JournalContents, keys: tuple[str, ...], as_of: date) -> list[Lab]:
    """The lab results of these workup tests recorded on or before `as_of`, oldest first."""
    found = [lab for lab in contents.labs if lab.date <= as_of and workup_key_for(lab.test) in keys]
    return sorted(found, key=lambda lab: (lab.date, lab.id))


def _lab_missing(key: str, tests: tuple[str, ...], what: str, question: str, why: str, *, months: int | None) -> _Maker:
    """A suggestion made when none of `tests` has a result in the `months` up to the as-of day (that day so many
    months back included), or, with `months` None, none at all."""

    def make(contents: JournalContents, as_of: date, a: Assessment, v: _Voice) -> list[Suggestion]:
        found = _labs(contents, tests, as_of)
        if found and (months is None or found[-1].date >= months_before(as_of, months)):
            return []
        # The latest result's day, not the window's: a dismissal holds until another result is a year old.
        state = f"latest {what} {found[-1].date.isoformat()}" if found else f"no {what} recorded"
        return [Suggestion(key, v.words(question), why, state)]

    return make


def _trd_suggestions(contents: JournalContents, as_of: date, a: Assessment, v: _Voice) -> list[Suggestion]:
    ep = a.episode
    ended = ep is not None and ep.end is not None and ep.end < a.as_of
    # The app says the criteria "appear to be met" only while the episode goes on ("appeared", once it ended).
    if not a.threshold_met or ended:
        return []
    counted = sorted(t.id for t in a.trials if t.counts)
    n = a.failed_adequate_count
    why = f"{n} failed adequate {'trial' if n == 1 else 'trials'} in this episode, by the rule shown"
    episode = ep.id if ep is not None and ep.id else "assumed"
    return [Suggestion("trd", v.words(_TRD), why, f"met in episode {episode} by trials {','.join(counted)}")]


def _look_up_suggestions(contents: JournalContents, as_of: date, a: Assessment, v: _Voice) -> list[Suggestion]:
    # "May be met once remembered details are confirmed" (verdict_words.possible_sentence): met in the long reading only.
    if not a.threshold_possible or a.possible_count <= a.failed_adequate_count:
        return []
    lines = look_up_lines(a)
    if not lines:
        return []
    n = sum(1 for t in a.trials if t.could_count)
    why = f"{n} remembered {'trial' if n == 1 else 'trials'} could count if {'its' if n == 1 else 'their'} details are confirmed"
    shown = [_WOULD_COUNT.sub("", line) for line in lines]
    return [Suggestion("look_up", v.words(_LOOK_UP, what="; ".join(shown)), why, "look up: " + " | ".join(lines))]


def _condition_suggestions(contents: JournalContents, as_of: date, a: Assessment, v: _Voice) -> list[Suggestion]:
    # A condition is "not assessed yet" while it is not recorded, or every record of it says only "suspected".
    # Its status is the record's as it stands now: a condition's status carries no date.
    statuses: dict[str, list[str | None]] = {}
    for c in contents.conditions:
        about = condition_kind_of(c.name)
        if about is not None:
            statuses.setdefault(about, []).append(c.status)
    found: list[Suggestion] = []
    for kind in WORKUP_CONDITIONS:
        recorded = statuses.get(kind.key, [])
        if recorded and any(s != "suspected" for s in recorded):
            continue
        words = _CONDITION_WORDS.get(kind.key, kind.name.lower())
        state = "suspected only" if recorded else "not recorded"
        found.append(Suggestion(f"condition:{kind.key}", v.words(_CONDITION_Q, what=words), "not assessed yet in this journal", state))
    return found


def _score_order(s: ScaleScore) -> tuple:
    return (s.date, s.time is not None, s.time or TimeOfDay.min, s.id)


def _gad7_suggestions(contents: JournalContents, as_of: date, a: Assessment, v: _Voice) -> list[Suggestion]:
    scores = [s for s in contents.scores if s.scale == "GAD-7" and s.date <= as_of]
    if not scores:
        return []
    latest = max(scores, key=_score_order)
    if latest.total < GAD7_CUT:
        return []
    why = f"GAD-7 {GAD7_CUT} or more suggests further evaluation (scales.md)"
    state = f"GAD-7 {latest.total} on {latest.date.isoformat()} ({latest.id})"
    return [Suggestion("gad7", v.words(_GAD7_Q, total=latest.total), why, state)]


_MAKERS: tuple[_Maker, ...] = (
    _trd_suggestions,
    _look_up_suggestions,
    _lab_missing("crp", _CRP, "CRP", _CRP_Q, "no CRP result recorded in the last 12 months", months=RECENT_MONTHS),
    _lab_missing("tsh", _THYROID, "thyroid test", _THYROID_Q, "no thyroid test recorded in the last 12 months", months=RECENT_MONTHS),
    _lab_missing("cortisol", _CORTISOL, "cortisol", _CORTISOL_Q, "no cortisol result recorded", months=None),
    _condition_suggestions,
    _gad7_suggestions,
)


def _voice(contents: JournalContents, caregiver_for: str | None) -> _Voice:
    if caregiver_for is None:
        return _Voice(None)
    name = (contents.profile.display_name or "").strip()
    return _Voice(name or UNNAMED)


def all_suggestions(
    contents: JournalContents, as_of: date, *, caregiver_for: str | None = None, assessment: Assessment | None = None
) -> list[Suggestion]:
    """Every suggestion whose condition holds as of `as_of`, whatever the person chose before, in questions.md's order.

    `assessment` is the journal's assessment as of `as_of` when the caller already has it (the window does).
    """
    a = assessment if assessment is not None else assess(contents, contents.settings, as_of)
    voice = _voice(contents, caregiver_for)
    found: list[Suggestion] = []
    for make in _MAKERS:
        found += make(contents, as_of, a, voice)
    return found


def suggestions(
    contents: JournalContents, as_of: date, *, caregiver_for: str | None = None, assessment: Assessment | None = None
) -> list[Suggestion]:
    """The suggestions to show as of `as_of`: those whose condition holds, less those added or dismissed while it read the same.

    `caregiver_for` is the name of the caregiver at the keyboard (caregiver mode) or None for the
    journal's owner: a caregiver is shown every question worded on the person's behalf, naming
    them by the journal's name (`profile.display_name`), or as "the person" when it has none.
    """
    chosen = {c.key: c.fingerprint for c in contents.state.question_choices}
    found = all_suggestions(contents, as_of, caregiver_for=caregiver_for, assessment=assessment)
    return [s for s in found if chosen.get(s.key) != s.fingerprint]


def note_for(s: Suggestion, today: date, *, record_id: str = "") -> Note:
    """The ordinary appointment note "Add to my notes" saves: the question's words, dated today, for the next appointment.

    An empty `record_id` lets the journal give it one when it is stored.
    """
    return Note(id=record_id, date=today, text=s.question, for_appointment=True)


def choice_for(s: Suggestion, choice: str, on: date) -> QuestionChoice:
    """What the journal keeps when the person adds ("added") or dismisses ("dismissed") a suggestion."""
    if choice not in ("added", "dismissed"):
        raise ValueError(f"a choice is 'added' or 'dismissed', got {choice!r}")
    return QuestionChoice(key=s.key, choice=choice, fingerprint=s.fingerprint, on=on)
