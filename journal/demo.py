"""The demo: a made-up two-year story of one person's treatment, shown by `trial-journal --demo` and the window's welcome.

`demo_journal` is the story as a version-2 journal file (clearly labelled as made-up data);
`open_demo_journal` makes a journal of it in a folder the caller owns (the window uses a private
temporary one, removed when the demo closes). The seeded generator of journals of any length,
for tests and benchmarks, is benchmarks/generator.py; it shares the small helpers below.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

__all__ = ["DEMO_DISPLAY_NAME", "DEFAULT_SETTINGS", "demo_journal", "open_demo_journal", "items_for_total", "clamp", "exported_at"]

DEMO_DISPLAY_NAME = "Demo — made-up data"

# Default settings written out explicitly so a reader of the file sees the rule in force.
DEFAULT_SETTINGS = {
    "adequate_weeks": 6,
    "failure_threshold_pct": 50,
    "count_augmentation": False,
    "primary_scale": "PHQ-9",
}
_SESSION_OFFSET = timezone(timedelta(hours=1))


# ---------------------------------------------------------------------------------------------
# small helpers (the benchmark generator uses them too)


def exported_at(end: date) -> str:
    """Noon UTC on `end`: the export time a made-up file says it was written at."""
    return datetime.combine(end, time(12, 0), tzinfo=UTC).isoformat()


def items_for_total(rng: random.Random, total: int, count: int, *, item9_zero: bool = False) -> list[int]:
    """Answers 0-3 that sum exactly to `total`, spread the way real questionnaires are."""
    slots = list(range(count - 1)) if item9_zero else list(range(count))
    total = max(0, min(total, 3 * len(slots)))
    items = [0] * count
    for _ in range(total):
        open_slots = [i for i in slots if items[i] < 3]
        items[rng.choice(open_slots)] += 1
    return items


def clamp(value: float, low: int, high: int) -> int:
    """`value` rounded to a whole number within [low, high]."""
    return max(low, min(high, int(round(value))))


# ---------------------------------------------------------------------------------------------
# the demo story


# PHQ-9 totals the demo's story passes through, as (days before today, total); scores between
# two points follow the line joining them. The two trial-deciding scores are set apart below.
_DEMO_PHQ9_PATH = (
    (730, 8), (690, 11), (665, 18), (640, 19), (566, 19), (552, 19), (520, 16), (483, 13),
    (470, 15), (436, 17), (425, 16), (380, 15), (300, 14), (260, 15), (130, 15), (100, 11),
    (75, 9), (0, 8),
)

Day = Callable[[int], str]  # days before today -> that date, written YYYY-MM-DD


def _demo_phq9_level(days_before: int) -> float:
    path = _DEMO_PHQ9_PATH
    for (d0, v0), (d1, v1) in zip(path, path[1:], strict=False):
        if d1 <= days_before <= d0:
            share = (d0 - days_before) / (d0 - d1) if d0 != d1 else 0.0
            return v0 + (v1 - v0) * share
    return float(path[-1][1])


def _demo_trials(d: Day) -> list[dict]:
    sertraline = {
        "id": "t1", "drug": "sertraline", "augmentation": False, "min_adequate_mg": None,
        "doses": [{"start": d(650), "mg_per_day": 50}, {"start": d(622), "mg_per_day": 100},
                  {"start": d(594), "mg_per_day": 150}],
        "end": d(567), "stop_reason": "ineffective", "adherence": "good",
        "rating": {"response": "none", "improvement_pct": 10, "date": d(567)},
        "side_effects": [{"name": "nausea", "severity": 1, "start": d(648), "end": d(630)},
                         {"name": "sexual dysfunction", "severity": 2, "start": d(620), "end": d(560)}],
        "note": "Twelve weeks; no real change",
    }
    escitalopram = {
        "id": "t2", "drug": "escitalopram", "augmentation": False, "min_adequate_mg": None,
        "doses": [{"start": d(552), "mg_per_day": 10}, {"start": d(531), "mg_per_day": 20}],
        "end": d(483), "stop_reason": "ineffective", "adherence": "good", "rating": None,
        "side_effects": [{"name": "emotional blunting", "severity": 1, "start": d(530), "end": None}],
        "note": "A little better, not enough",
    }
    venlafaxine = {
        "id": "t3", "drug": "venlafaxine", "augmentation": False, "min_adequate_mg": None,
        "doses": [{"start": d(470), "mg_per_day": 75}, {"start": d(456), "mg_per_day": 150}],
        "end": d(436), "stop_reason": "side_effects", "adherence": "good", "rating": None,
        "side_effects": [{"name": "sweating", "severity": 2, "start": d(458), "end": d(430)},
                         {"name": "nausea", "severity": 2, "start": d(468), "end": d(436)},
                         {"name": "insomnia", "severity": 3, "start": d(455), "end": d(432)}],
        "note": "Plan was to go up to 225 mg; stopped after three weeks at 150 mg because of night sweats and sleeplessness",
    }
    escitalopram_again = {
        "id": "t4", "drug": "escitalopram", "augmentation": False, "min_adequate_mg": None,
        "doses": [{"start": d(425), "mg_per_day": 10}, {"start": d(411), "mg_per_day": 20}],
        "end": None, "stop_reason": None, "adherence": "good", "rating": None,
        "side_effects": [], "note": "Back on the one that was best tolerated",
    }
    aripiprazole = {
        "id": "t5", "drug": "aripiprazole", "augmentation": True, "min_adequate_mg": None,
        "doses": [{"start": d(380), "mg_per_day": 2}, {"start": d(352), "mg_per_day": 5}],
        "end": d(260), "stop_reason": "ineffective", "adherence": "good",
        "rating": {"response": "none", "improvement_pct": 15, "date": d(260)},
        "side_effects": [{"name": "restlessness (akathisia)", "severity": 1, "start": d(350), "end": d(270)}],
        "note": "Added to escitalopram",
    }
    trials = [sertraline, escitalopram, venlafaxine, escitalopram_again, aripiprazole]

    return trials


def _demo_scores(rng: random.Random, d: Day) -> list[dict]:
    """A PHQ-9 and a GAD-7 every two weeks, following the story's path."""
    scores: list[dict] = []
    phq_days = list(range(728, -1, -14))
    # Escitalopram's verdict rests on two scores: the baseline (latest in the 28 days up to its
    # first day) and the outcome (latest from its adequacy date to its last day): 19 -> 13, 31.6 %.
    esc_first, esc_last = 552, 483
    esc_adequate = esc_first - 41
    baseline_day = min(x for x in phq_days if esc_first <= x <= esc_first + 28)
    outcome_day = min(x for x in phq_days if esc_last <= x <= esc_adequate)
    for n, days_before in enumerate(phq_days, 1):
        if days_before == baseline_day:
            total = 19
        elif days_before == outcome_day:
            total = 13
        else:
            total = clamp(_demo_phq9_level(days_before) + rng.choice((-1, 0, 0, 1)), 0, 27)
        items = items_for_total(rng, total, 9, item9_zero=True)
        scores.append({"id": f"p{n}", "date": d(days_before), "scale": "PHQ-9", "items": items,
                       "difficulty": 2 if total >= 15 else 1, "total": total})
        gad = clamp(_demo_phq9_level(days_before) * 0.7 + 2 + rng.choice((-1, 0, 1)), 0, 21)
        scores.append({"id": f"g{n}", "date": d(days_before), "scale": "GAD-7",
                       "items": items_for_total(rng, gad, 7), "total": gad})
    return scores


def _demo_checkins(rng: random.Random, d: Day) -> tuple[list[dict], list[dict]]:
    """A daily check-in for two years, and who entered the few a partner filled in."""
    daily_notes = {
        640: "Couldn't face work", 600: "Nausea gone, mood the same", 545: "Started escitalopram",
        500: "Bit more able to get things done", 450: "Soaked the sheets again", 440: "Slept 3 hours",
        300: "Walked by the river", 118: "First esketamine session; glad of the lift home",
        95: "Noticeably lighter this week", 30: "Cooked for friends",
    }
    caregiver_days = {449, 445, 441}
    entries_by: list[dict] = []
    checkins: list[dict] = []
    for days_before in range(730, -1, -1):
        level = _demo_phq9_level(days_before) / 27
        rid = f"d{731 - days_before}"
        checkin: dict[str, Any] = {
            "id": rid, "date": d(days_before), "scale": "daily",
            "mood": clamp(9 - 8 * level + rng.gauss(0, 0.8), 0, 10),
            "anxiety": clamp(2 + 7 * level + rng.gauss(0, 0.8), 0, 10),
            "sleep_quality": clamp(8 - 6 * level + rng.gauss(0, 1.0), 0, 10),
            "energy": clamp(8 - 7 * level + rng.gauss(0, 0.8), 0, 10),
            "pain": clamp(1 + 2 * level + rng.gauss(0, 0.6), 0, 10),
            "hours_slept": min(10.0, max(3.0, round((7.5 - 3 * level + rng.gauss(0, 0.6)) * 2) / 2)),
            # An evening check-in, at a time that varies a little (no draw from rng: the rest of the story stays as it was).
            "time": f"{20 + days_before % 3}:{(days_before * 7) % 60:02d}",
        }
        if days_before in daily_notes:
            checkin["note"] = daily_notes[days_before]
        if days_before in caregiver_days:
            # During the worst of venlafaxine a partner filled in the check-in.
            checkin["note"] = "Entered by partner: a very bad night"
            entries_by.append({"record": rid, "author": "caregiver"})
        checkins.append(checkin)
    return checkins, entries_by


def _demo_labs(d: Day) -> list[dict]:
    return [
        {"id": "l1", "date": d(600), "test": "CRP", "value": 3.8, "unit": "mg/L", "note": ""},
        {"id": "l2", "date": d(600), "test": "TSH", "value": 2.1, "unit": "mIU/L", "note": ""},
        {"id": "l3", "date": d(300), "test": "CRP", "value": 4.6, "unit": "mg/L", "note": ""},
        {"id": "l4", "date": d(300), "test": "TSH", "value": 1.9, "unit": "mIU/L", "note": ""},
    ]


def _demo_conditions(d: Day) -> list[dict]:
    return [
        {"id": "c1", "name": "generalised anxiety", "status": "diagnosed", "since": d(2400), "note": ""},
        {"id": "c2", "name": "sleep disorder", "status": "suspected", "since": d(240),
         "note": "Early waking most nights"},
    ]


def _demo_sessions(rng: random.Random, today: date) -> list[dict]:
    """An esketamine course over the last four months: twice weekly, then weekly, then every other week."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    course_start = ago(120) - timedelta(days=ago(120).weekday())
    session_days = [course_start + timedelta(weeks=w, days=k) for w in range(4) for k in (0, 3)]
    session_days += [course_start + timedelta(weeks=w) for w in range(4, 8)]
    session_days += [course_start + timedelta(weeks=w) for w in range(10, 18, 2)]
    sessions = []
    for n, day in enumerate((s for s in session_days if s < today), 1):
        fading = max(0.35, 1 - n / 14)
        sys_before, dia_before = 124 + rng.randint(-6, 6), 80 + rng.randint(-4, 4)
        sessions.append({
            "id": f"k{n}",
            "datetime": datetime.combine(day, time(9, 30), tzinfo=_SESSION_OFFSET).isoformat(),
            "treatment": "esketamine",
            "dose_mg": 56 if n == 1 else 84,
            "number_in_course": n,
            "bp_before": [sys_before, dia_before],
            "bp_after": [sys_before + rng.randint(8, 18), dia_before + rng.randint(3, 9)],
            "dissociation": clamp(7 * fading, 0, 10),
            "sedation": clamp(4 * fading, 0, 10),
            "nausea": 2 if n <= 2 else rng.randint(0, 1),
            "transport_arranged": True,
            "note": "Partner drove home" if n == 1 else "",
            # The clinic's monitoring form (ketamine.md); no draw from rng, so the rest stays as it was.
            "phase": "induction" if n <= 8 else "optimisation" if n <= 12 else "maintenance",
            "bp_40min": [sys_before + 14 - n % 5, dia_before + 6 - n % 3],
            "spo2_min": 96 - n % 3,
            "monitored_minutes": 120,
            "ready_to_leave": True,
        })
    return sessions


def _demo_history(today: date) -> tuple[list[dict], list[dict], list[dict]]:
    """What came before the journal, entered from memory: an earlier episode, its trial and a course of CBT.

    Dates are months and years as a person remembers them; the fluoxetine dose is not
    remembered. The earlier episode has ended, so none of it moves the current verdict.
    """
    y = today.year
    episodes: list[dict] = [{"id": "e0", "start": f"{y - 4}", "end": f"{y - 3}-06", "severity": "moderate",
                 "note": "The first time, after the move (from memory)"}]
    trials: list[dict] = [{
        "id": "t0", "drug": "fluoxetine", "augmentation": False, "min_adequate_mg": None,
        "doses": [{"start": f"{y - 4}-10", "mg_per_day": None}], "end": f"{y - 3}",
        "stop_reason": "ineffective", "adherence": "good",
        "rating": {"response": "none", "improvement_pct": None, "date": None},
        "side_effects": [], "note": "The GP's first try; I don't remember the dose", "source": "memory",
    }]
    therapies: list[dict] = [
        {"id": "p1", "kind": "cbt", "name": "", "start": f"{y - 3}-02", "end": f"{y - 3}-05", "sessions": 12,
         "stop_reason": "other", "rating": {"response": "partial", "improvement_pct": None, "date": None},
         "source": "memory", "note": "Through the GP practice"},
        {"id": "p2", "kind": "behavioural_activation", "name": "", "start": (today - timedelta(days=330)).isoformat()[:7],
         "end": None, "sessions": 14, "stop_reason": None, "rating": None, "source": "records",
         "note": "Fortnightly with the practice's therapist"},
    ]
    return episodes, trials, therapies


def _demo_notes(d: Day) -> list[dict]:
    return [
        {"id": "n1", "date": d(660), "text": "Ask about a thyroid panel", "for_appointment": True},
        {"id": "n2", "date": d(570), "text": "Tell the doctor sertraline has done nothing after 12 weeks", "for_appointment": True},
        {"id": "n3", "date": d(437), "text": "Mention the night sweats and sleeplessness on venlafaxine", "for_appointment": True},
        {"id": "n4", "date": d(250), "text": "Ask what options there are after two medicines that did not help", "for_appointment": True},
        {"id": "n5", "date": d(200), "text": "Read about esketamine; no driving after sessions", "for_appointment": False},
        {"id": "n6", "date": d(20), "text": "Ask about a sleep assessment: still waking at 4 most nights", "for_appointment": True},
        {"id": "n7", "date": d(10), "text": "Ask how long the esketamine sessions will continue", "for_appointment": True},
    ]


def demo_journal(today: date | None = None) -> dict:
    """The demo's two-year story of one person's treatment, clearly labelled as made-up data.

    One moderate episode began about 22 months ago; sertraline (12 weeks, rated no response)
    and escitalopram (10 weeks, about 30 % better by PHQ-9) both failed at adequate doses, so
    under the default settings the TRD criteria appear met from escitalopram's last score on.
    Venlafaxine stopped for side effects too early to count; aripiprazole was added to
    escitalopram; an esketamine course runs over the last four months. Before all this, an
    earlier episode is remembered roughly (a fluoxetine trial at a dose not remembered, a course
    of CBT); behavioural activation runs alongside the current treatment.
    """
    today = today or date.today()
    rng = random.Random(20240601)  # fixed: the demo must look the same on every machine

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def d(days: int) -> str:
        return ago(days).isoformat()

    episodes = [{"id": "e1", "start": d(670), "end": None, "severity": "moderate",
                 "note": "Low mood and poor sleep since the job change"}]

    earlier_episodes, earlier_trials, therapies = _demo_history(today)
    episodes = earlier_episodes + episodes
    trials = earlier_trials + _demo_trials(d)
    scores = _demo_scores(rng, d)
    checkins, entries_by = _demo_checkins(rng, d)
    labs = _demo_labs(d)
    conditions = _demo_conditions(d)
    sessions = _demo_sessions(rng, today)
    notes = _demo_notes(d)
    return {
        "format": "trial-journal",
        "version": 2,
        "exported_at": exported_at(today),
        "profile": {"display_name": DEMO_DISPLAY_NAME, "birth_year": today.year - 39},
        "settings": dict(DEFAULT_SETTINGS),
        "episodes": episodes,
        "trials": trials,
        "scores": scores + checkins,
        "labs": labs,
        "conditions": conditions,
        "sessions": sessions,
        "notes": notes,
        "therapies": therapies,
        "entries_by": entries_by,
    }


def open_demo_journal(folder: str | Path, *, today: date | None = None) -> Any:
    """Makes the demo journal in `folder` (which the caller owns and removes) and returns it open (a journal.facade.Journal)."""
    from journal.exchange.jsonfile import parse_contents
    from journal.opening import open_file

    today = today or date.today()
    journal = open_file(Path(folder) / "demo-journal.db", create=True)
    try:
        result = parse_contents(demo_journal(today), today=today)
        journal.import_contents(result.contents, result.settings_changes)
    except BaseException:
        journal.close()
        raise
    return journal
