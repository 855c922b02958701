"""Made-up journals of any length for the benchmarks and the tests: a seeded generator of version-1 journal files.

The same seed and end date always give the same journal. The hand-shaped story the demo shows
is journal/demo.py; the small helpers (questionnaire answers, the default settings) are shared
with it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol

from journal.demo import DEFAULT_SETTINGS, clamp, exported_at, items_for_total

__all__ = ["synthetic_journal", "SYNTHETIC_DISPLAY_NAME"]

SYNTHETIC_DISPLAY_NAME = "Synthetic journal — made-up data"


# Antidepressants the generator rotates through; doses come from the catalog, never from here.
_ANTIDEPRESSANTS = (
    "sertraline", "escitalopram", "citalopram", "fluoxetine", "paroxetine", "venlafaxine",
    "desvenlafaxine", "duloxetine", "bupropion", "mirtazapine", "vortioxetine", "agomelatine",
    "nortriptyline", "amitriptyline", "clomipramine", "levomilnacipran", "trazodone",
    "phenelzine", "tranylcypromine", "moclobemide",
)
_AUGMENTERS = ("aripiprazole", "lithium")

# Fractions of the catalog minimum that make up a titration ladder; capped at the typical max.
_LADDER_FACTORS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
# Lithium has no catalog minimum (it is judged by blood level), so its ladder is whole tablets
# of 300 mg and the person's own minimum is set on the trial.
_LITHIUM_STEP_MG = 300

_SIDE_EFFECTS = (
    "nausea", "headache", "insomnia", "sexual dysfunction", "weight gain", "dry mouth",
    "dizziness", "sweating", "drowsiness", "emotional blunting", "constipation",
)
_AUGMENTER_SIDE_EFFECTS = {
    "aripiprazole": ("restlessness (akathisia)", "weight gain", "insomnia"),
    "lithium": ("tremor", "thirst", "nausea"),
}
_CHECKIN_NOTES = (
    "Bad night, woke at 4", "Walked to the shop", "Saw a friend for coffee", "Stayed in bed most of the day",
    "Headache all afternoon", "Managed some work", "Felt flat", "A slightly better day",
    "Rain all day, stayed in", "Argument at home",
)
_NOTE_TEXTS = (
    ("Ask about a thyroid panel", True),
    ("Ask whether inflammation markers were checked", True),
    ("Mention the early waking", True),
    ("Bring the list of side effects", True),
    ("Ask what options come after the current medicine", True),
    ("Mention that concentration at work is poor", True),
    ("Ask about a sleep assessment", True),
    ("Pharmacy was out of stock for two days", False),
    ("Started a walking routine", False),
    ("Hard week: anniversary", False),
    ("Therapy session moved to Thursdays", False),
)
# Synthetic lab results: (test, unit, low, high, decimals); plausible made-up values, not reference ranges.
_LAB_TESTS = (
    ("CRP", "mg/L", 0.4, 9.0, 1),
    ("TSH", "mIU/L", 0.6, 4.2, 2),
    ("free T4", "pmol/L", 10.0, 21.0, 1),
    ("cortisol", "nmol/L", 180.0, 620.0, 0),
    ("vitamin D", "nmol/L", 28.0, 105.0, 0),
)
_SESSION_OFFSET = timezone(timedelta(hours=1))


class _DrugFacts(Protocol):
    generic: str
    role: str
    min_adequate_mg: float | None
    typical_max_mg: float | None


class _CatalogLike(Protocol):
    def resolve(self, name: str) -> _DrugFacts | None: ...


# ---------------------------------------------------------------------------------------------
# small helpers



def _num(value: float) -> int | float:
    """Whole milligrams print as integers (50, not 50.0) the way a person writes them."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded



def _iso(day: date) -> str:
    return day.isoformat()


def _ladder(catalog: _CatalogLike, name: str) -> tuple[list[float], float | None]:
    """Dose steps (mg/day) for a drug within the catalog's range, and the person's own minimum if needed."""
    drug = catalog.resolve(name)
    if drug is None or drug.typical_max_mg is None:
        raise ValueError(f"{name}: the drug catalog has no dose range for it")
    top = float(drug.typical_max_mg)
    if drug.min_adequate_mg is None:
        steps = [float(k * _LITHIUM_STEP_MG) for k in range(1, 7) if k * _LITHIUM_STEP_MG <= top]
        return steps, steps[1] if len(steps) > 1 else steps[0]
    low = float(drug.min_adequate_mg)
    steps = sorted({round(low * f, 3) for f in _LADDER_FACTORS if low * f <= top} | {top})
    return steps, None


# ---------------------------------------------------------------------------------------------
# the generator


@dataclass
class _Plan:
    """What the generator decided about a trial before writing it out; drives the mood curve too."""

    trial: dict
    start: date
    end: date
    effect: float = 1.0  # multiplier on depression from week 4 on (1.0: no effect)


@dataclass
class _Ids:
    counters: dict[str, int] = field(default_factory=dict)

    def next(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"


def synthetic_journal(
    years: int,
    *,
    seed: int = 1,
    end: date | None = None,
    catalog: _CatalogLike | None = None,
) -> dict:
    """A valid version-1 journal file (as a dict) of `years` years of made-up data ending at `end`.

    The same seed and end date always give the same journal. `catalog` defaults to the
    journal's drug catalog; every dose lies between half the catalog minimum and the typical maximum.
    """
    if years < 1:
        raise ValueError(f"years must be 1 or more, got {years}")
    if catalog is None:
        from journal.clinical.catalog import load_catalog

        catalog = load_catalog()
    end = end or date.today()
    rng = random.Random(seed)
    ids = _Ids()
    first = end - timedelta(days=round(years * 365.25) - 1)
    n_days = (end - first).days + 1

    episodes = _synthetic_episodes(rng, ids, first, end)
    in_episode = [False] * n_days
    for ep in episodes:
        a = (date.fromisoformat(ep["start"]) - first).days
        b = (date.fromisoformat(ep["end"]) - first).days if ep["end"] else n_days - 1
        for i in range(max(a, 0), min(b, n_days - 1) + 1):
            in_episode[i] = True

    plans = _synthetic_trials(rng, ids, catalog, first, end, in_episode)
    effect = [1.0] * n_days
    for plan in plans:
        a = (plan.start - first).days + 28
        b = (plan.end - first).days
        for i in range(max(a, 0), min(b, n_days - 1) + 1):
            effect[i] = min(effect[i], plan.effect)

    # Depression level 0-1 follows its target slowly, as moods do; everything else reads it.
    level = [0.0] * n_days
    x = 0.6 if in_episode[0] else 0.25
    gauss = rng.gauss
    for i in range(n_days):
        target = (0.68 if in_episode[i] else 0.22) * effect[i]
        x += 0.08 * (target - x) + gauss(0.0, 0.025)
        x = min(1.0, max(0.0, x))
        level[i] = x

    scores = _synthetic_scores(rng, ids, first, n_days, level)
    sessions = _synthetic_esketamine(rng, ids, episodes, first, end)
    labs = _synthetic_labs(rng, ids, first, end, years)
    conditions = _synthetic_conditions(rng, ids, first, end, years)
    notes = _synthetic_notes(rng, ids, first, n_days)

    daily_ids = [s["id"] for s in scores if s["scale"] == "daily"]
    phq_ids = [s["id"] for s in scores if s["scale"] == "PHQ-9"]
    picked = rng.sample(daily_ids, min(len(daily_ids), 2 + years)) + rng.sample(phq_ids, min(len(phq_ids), 2))
    entries_by = [{"record": rid, "author": "caregiver"} for rid in picked]

    return {
        "format": "trial-journal",
        "version": 1,
        "exported_at": exported_at(end),
        "profile": {"display_name": SYNTHETIC_DISPLAY_NAME, "birth_year": end.year - 30 - rng.randint(0, 25)},
        "settings": dict(DEFAULT_SETTINGS),
        "episodes": episodes,
        "trials": [p.trial for p in plans],
        "scores": scores,
        "labs": labs,
        "conditions": conditions,
        "sessions": sessions,
        "notes": notes,
        "entries_by": entries_by,
    }


def _synthetic_episodes(rng: random.Random, ids: _Ids, first: date, end: date) -> list[dict]:
    """A few episodes of one to three years with remissions between; the last is still running."""
    episodes: list[dict] = []
    start = first + timedelta(days=rng.randint(0, 45))
    while start <= end:
        length = rng.randint(365, 1095)
        ep_end = start + timedelta(days=length)
        episodes.append({
            "id": ids.next("e"),
            "start": _iso(start),
            "end": _iso(ep_end) if ep_end < end else None,
            "severity": rng.choice(("mild", "moderate", "moderate", "severe", "severe")),
            "note": "",
        })
        start = ep_end + timedelta(days=rng.randint(240, 900))
    # The person keeps the journal because they are unwell now: the latest episode runs on.
    episodes[-1]["end"] = None
    return episodes


def _synthetic_trials(
    rng: random.Random, ids: _Ids, catalog: _CatalogLike, first: date, end: date, in_episode: list[bool]
) -> list[_Plan]:
    plans: list[_Plan] = []
    day = first + timedelta(days=rng.randint(5, 30))
    drugs = list(_ANTIDEPRESSANTS)
    rng.shuffle(drugs)
    turn = 0
    while day <= end:
        drug = drugs[turn % len(drugs)]
        turn += 1
        ill = in_episode[(day - first).days]
        early_stop = rng.random() < 0.22
        if early_stop:
            outcome = "side_effects"
            length = rng.randint(14, 35)
        else:
            weights = (55, 25, 15, 5) if ill else (20, 20, 40, 20)
            outcome = rng.choices(("none", "partial", "response", "remission"), weights)[0]
            length = rng.randint(56, 126) if outcome in ("none", "partial") else rng.randint(90, 180)
        plan = _antidepressant_trial(rng, ids, catalog, drug, day, length, outcome, end)
        plans.append(plan)
        if not early_stop and plan.trial["end"] is not None and rng.random() < 0.15:
            aug = _augmentation_trial(rng, ids, catalog, plan, end)
            if aug is not None:
                plans.append(aug)
        day = plan.end + timedelta(days=rng.randint(3, 35))
    return plans


def _steps(
    rng: random.Random, ladder: list[float], start: date, stop: date, first_index: int, top_index: int, gap: tuple[int, int]
) -> list[dict]:
    """Titration: up one ladder rung every few weeks until the target rung or the trial's last day."""
    steps = [{"start": _iso(start), "mg_per_day": _num(ladder[first_index])}]
    day = start
    for index in range(first_index + 1, top_index + 1):
        day = day + timedelta(days=rng.randint(*gap))
        if day > stop:
            break
        steps.append({"start": _iso(day), "mg_per_day": _num(ladder[index])})
    return steps


def _antidepressant_trial(
    rng: random.Random, ids: _Ids, catalog: _CatalogLike, drug: str, start: date, length: int, outcome: str, end: date
) -> _Plan:
    ladder, own_min = _ladder(catalog, drug)
    min_index = 1 if len(ladder) > 1 and ladder[0] < ladder[1] and catalog.resolve(drug).min_adequate_mg == ladder[1] else 0
    first_index = rng.choice((0, min_index)) if min_index else 0
    stop = start + timedelta(days=length - 1)
    if outcome == "side_effects":
        steps = _steps(rng, ladder, start, stop, first_index, min(first_index + 1, len(ladder) - 1), (7, 14))
    else:
        top = rng.randint(min_index, min(min_index + 2, len(ladder) - 1))
        # A low starting dose lasts at most two weeks, so full-length trials stay adequate >= 6 weeks.
        steps = _steps(rng, ladder, start, stop, first_index, max(top, first_index), (10, 14) if first_index < min_index else (14, 28))
    ongoing = stop > end
    steps = [s for s in steps if date.fromisoformat(s["start"]) <= end]
    trial: dict[str, Any] = {
        "id": ids.next("t"),
        "drug": drug,
        "augmentation": False,
        "min_adequate_mg": _num(own_min) if own_min is not None else None,
        "doses": steps,
        "end": None if ongoing else _iso(stop),
        "stop_reason": None,
        "adherence": rng.choices(("good", "poor", None), (75, 8, 17))[0],
        "rating": None,
        "side_effects": _side_effects(rng, _SIDE_EFFECTS, start, min(stop, end), severe=outcome == "side_effects"),
        "note": "",
    }
    effect = {"none": 1.0, "partial": 0.72, "response": 0.45, "remission": 0.25, "side_effects": 1.0}[outcome]
    if not ongoing:
        trial["stop_reason"] = {
            "side_effects": "side_effects",
            "none": "ineffective",
            "partial": "ineffective",
            "response": rng.choice(("clinician_advice", "other", "cost")),
            "remission": "remission",
        }[outcome]
        # Half the failures carry the person's own rating; the rest are judged by their scores.
        if outcome != "side_effects" and (outcome in ("response", "remission") or rng.random() < 0.5):
            pct = {
                "none": rng.randint(0, 20),
                "partial": rng.randint(25, 45),
                "response": rng.randint(50, 80),
                "remission": rng.randint(75, 95),
            }[outcome]
            trial["rating"] = {"response": outcome, "improvement_pct": pct, "date": _iso(stop)}
        if outcome == "side_effects":
            trial["note"] = "Stopped early because of side effects"
    return _Plan(trial=trial, start=start, end=min(stop, end), effect=effect)


def _augmentation_trial(rng: random.Random, ids: _Ids, catalog: _CatalogLike, base: _Plan, end: date) -> _Plan | None:
    drug = rng.choice(_AUGMENTERS)
    ladder, own_min = _ladder(catalog, drug)
    start = base.start + timedelta(days=rng.randint(28, 42))
    stop = base.end
    if (stop - start).days < 21:
        return None
    top = rng.randint(1, min(3, len(ladder) - 1))
    steps = _steps(rng, ladder, start, stop, 0, top, (10, 21))
    outcome = rng.choices(("none", "partial", "response"), (50, 30, 20))[0]
    trial = {
        "id": ids.next("t"),
        "drug": drug,
        "augmentation": True,
        "min_adequate_mg": _num(own_min) if own_min is not None else None,
        "doses": steps,
        "end": _iso(stop),
        "stop_reason": "ineffective" if outcome != "response" else "clinician_advice",
        "adherence": rng.choice(("good", "good", None)),
        "rating": {"response": outcome, "improvement_pct": None, "date": _iso(stop)},
        "side_effects": _side_effects(rng, _AUGMENTER_SIDE_EFFECTS[drug], start, stop, severe=False),
        "note": "Added to " + base.trial["drug"],
    }
    return _Plan(trial=trial, start=start, end=stop, effect={"none": 1.0, "partial": 0.8, "response": 0.55}[outcome])


def _side_effects(rng: random.Random, names: tuple[str, ...], start: date, stop: date, *, severe: bool) -> list[dict]:
    count = rng.randint(1, 3) if severe else rng.choice((0, 0, 1, 1, 2))
    out = []
    for name in rng.sample(names, count):
        se_start = start + timedelta(days=rng.randint(0, min(10, (stop - start).days)))
        lasting = rng.random() < 0.4 or severe
        se_end = None if lasting else min(stop, se_start + timedelta(days=rng.randint(5, 30)))
        out.append({
            "name": name,
            "severity": rng.randint(2, 3) if severe else rng.randint(1, 2),
            "start": _iso(se_start),
            "end": _iso(se_end) if se_end else None,
        })
    return out


def _synthetic_scores(rng: random.Random, ids: _Ids, first: date, n_days: int, level: list[float]) -> list[dict]:
    scores: list[dict] = []
    gauss, rand = rng.gauss, rng.random
    notes = _CHECKIN_NOTES
    for i in range(n_days):
        x = level[i]
        day = _iso(first + timedelta(days=i))
        if i % 14 == 0:
            phq_total = clamp(x * 25 + gauss(0, 1.5), 0, 27)
            # Item 9 is rare and never the only answer: it appears at most once or twice a year.
            item9 = 1 if phq_total >= 12 and rand() < 0.06 else 0
            items = items_for_total(rng, phq_total - item9, 9, item9_zero=True)
            items[8] = item9
            scores.append({
                "id": ids.next("s"), "date": day, "scale": "PHQ-9", "items": items,
                "difficulty": clamp(x * 3.2, 0, 3), "total": sum(items),
            })
            gad_total = clamp(x * 15 + 3 + gauss(0, 1.5), 0, 21)
            items = items_for_total(rng, gad_total, 7)
            scores.append({"id": ids.next("s"), "date": day, "scale": "GAD-7", "items": items, "total": sum(items)})
        checkin = {
            "id": ids.next("d"),
            "date": day,
            "scale": "daily",
            "mood": clamp(9 - 7 * x + gauss(0, 0.9), 0, 10),
            "anxiety": clamp(2 + 6 * x + gauss(0, 1.0), 0, 10),
            "sleep_quality": clamp(8 - 5 * x + gauss(0, 1.2), 0, 10),
            "energy": clamp(8 - 6 * x + gauss(0, 1.0), 0, 10),
            "pain": clamp(1 + 3 * x + gauss(0, 1.0), 0, 10),
            "hours_slept": min(12.0, max(3.0, round((7.5 - 2 * x + gauss(0, 0.8)) * 2) / 2)),
        }
        if rand() < 0.06:
            checkin["note"] = notes[int(rand() * len(notes))]
        scores.append(checkin)
    return scores


def _synthetic_esketamine(rng: random.Random, ids: _Ids, episodes: list[dict], first: date, end: date) -> list[dict]:
    """One esketamine course in the current episode: 4 weeks twice weekly, 4 weeks weekly, then every other week."""
    current = date.fromisoformat(episodes[-1]["start"])
    start = max(current + timedelta(days=60), end - timedelta(days=rng.randint(120, 200)))
    if (end - start).days < 60:
        start = end - timedelta(days=90)
    start = max(start, first)
    start -= timedelta(days=start.weekday())  # courses are booked Monday and Thursday
    days: list[date] = []
    for week in range(4):
        days += [start + timedelta(weeks=week), start + timedelta(weeks=week, days=3)]
    for week in range(4, 8):
        days.append(start + timedelta(weeks=week))
    week = 10
    while start + timedelta(weeks=week) < end:
        days.append(start + timedelta(weeks=week))
        week += 2
    days = [d for d in days if first <= d < end]
    sessions = []
    for n, day in enumerate(days, 1):
        sys_before, dia_before = rng.randint(112, 134), rng.randint(70, 86)
        fading = max(0.3, 1 - n / 20)  # dissociation eases as the course goes on
        sessions.append({
            "id": ids.next("k"),
            "datetime": datetime.combine(day, time(9, 30), tzinfo=_SESSION_OFFSET).isoformat(),
            "treatment": "esketamine",
            "dose_mg": 56 if n == 1 else 84,
            "number_in_course": n,
            "bp_before": [sys_before, dia_before],
            "bp_after": [sys_before + rng.randint(4, 22), dia_before + rng.randint(2, 12)],
            "dissociation": clamp(rng.uniform(3, 8) * fading, 0, 10),
            "sedation": clamp(rng.uniform(1, 6) * fading, 0, 10),
            "nausea": rng.randint(0, 3),
            "transport_arranged": True,
            "note": "",
        })
    return sessions


def _synthetic_labs(rng: random.Random, ids: _Ids, first: date, end: date, years: int) -> list[dict]:
    labs = []
    span = (end - first).days
    draws = sorted(rng.sample(range(span + 1), min(span + 1, years * 3)))
    for offset in draws:
        day = _iso(first + timedelta(days=offset))
        for test, unit, low, high, decimals in _LAB_TESTS:
            if test not in ("CRP", "TSH") and rng.random() < 0.5:
                continue
            value = round(rng.uniform(low, high), decimals)
            labs.append({"id": ids.next("l"), "date": day, "test": test,
                         "value": int(value) if decimals == 0 else value, "unit": unit, "note": ""})
    return labs


def _synthetic_conditions(rng: random.Random, ids: _Ids, first: date, end: date, years: int) -> list[dict]:
    span = (end - first).days
    chosen = [("generalised anxiety", "diagnosed"), ("sleep disorder", "suspected"), ("chronic pain", "assessed")]
    if years >= 5:
        chosen.append(("ADHD", "suspected"))
    return [
        {"id": ids.next("c"), "name": name, "status": status,
         "since": _iso(first + timedelta(days=rng.randint(0, span))), "note": ""}
        for name, status in chosen
    ]


def _synthetic_notes(rng: random.Random, ids: _Ids, first: date, n_days: int) -> list[dict]:
    notes = []
    i = rng.randint(0, 20)
    while i < n_days:
        text, for_appointment = rng.choice(_NOTE_TEXTS)
        notes.append({"id": ids.next("n"), "date": _iso(first + timedelta(days=i)), "text": text,
                      "for_appointment": for_appointment})
        i += rng.randint(20, 45)
    return notes


# ---------------------------------------------------------------------------------------------
# the demo story


# PHQ-9 totals the demo's story passes through, as (days before today, total); scores between
# two points follow the line joining them. The two trial-deciding scores are set apart below.
_DEMO_PHQ9_PATH = (
    (730, 8), (690, 11), (665, 18), (640, 19), (566, 19), (552, 19), (520, 16), (483, 13),
    (470, 15), (436, 17), (425, 16), (380, 15), (300, 14), (260, 15), (130, 15), (100, 11),
    (75, 9), (0, 8),
)

