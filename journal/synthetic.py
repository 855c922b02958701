"""Made-up journals: a seeded generator of any length (tests, benchmarks) and the hand-shaped demo story."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol

__all__ = ["synthetic_journal", "demo_journal", "DEMO_DISPLAY_NAME", "SYNTHETIC_DISPLAY_NAME"]

DEMO_DISPLAY_NAME = "Demo — made-up data"
SYNTHETIC_DISPLAY_NAME = "Synthetic journal — made-up data"

# Default settings written out explicitly so a reader of the file sees the rule in force.
_DEFAULT_SETTINGS = {
    "adequate_weeks": 6,
    "failure_threshold_pct": 50,
    "count_augmentation": False,
    "primary_scale": "PHQ-9",
}

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


def _exported_at(end: date) -> str:
    return datetime.combine(end, time(12, 0), tzinfo=timezone.utc).isoformat()


def _items_for_total(rng: random.Random, total: int, count: int, *, item9_zero: bool = False) -> list[int]:
    """Answers 0-3 that sum exactly to `total`, spread the way real questionnaires are."""
    slots = list(range(count - 1)) if item9_zero else list(range(count))
    total = max(0, min(total, 3 * len(slots)))
    items = [0] * count
    for _ in range(total):
        open_slots = [i for i in slots if items[i] < 3]
        items[rng.choice(open_slots)] += 1
    return items


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, int(round(value))))


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
        "exported_at": _exported_at(end),
        "profile": {"display_name": SYNTHETIC_DISPLAY_NAME, "birth_year": end.year - 30 - rng.randint(0, 25)},
        "settings": dict(_DEFAULT_SETTINGS),
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


def _steps(rng: random.Random, ladder: list[float], start: date, stop: date, first_index: int, top_index: int, gap: tuple[int, int]) -> list[dict]:
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
            phq_total = _clamp(x * 25 + gauss(0, 1.5), 0, 27)
            # Item 9 is rare and never the only answer: it appears at most once or twice a year.
            item9 = 1 if phq_total >= 12 and rand() < 0.06 else 0
            items = _items_for_total(rng, phq_total - item9, 9, item9_zero=True)
            items[8] = item9
            scores.append({
                "id": ids.next("s"), "date": day, "scale": "PHQ-9", "items": items,
                "difficulty": _clamp(x * 3.2, 0, 3), "total": sum(items),
            })
            gad_total = _clamp(x * 15 + 3 + gauss(0, 1.5), 0, 21)
            items = _items_for_total(rng, gad_total, 7)
            scores.append({"id": ids.next("s"), "date": day, "scale": "GAD-7", "items": items, "total": sum(items)})
        checkin = {
            "id": ids.next("d"),
            "date": day,
            "scale": "daily",
            "mood": _clamp(9 - 7 * x + gauss(0, 0.9), 0, 10),
            "anxiety": _clamp(2 + 6 * x + gauss(0, 1.0), 0, 10),
            "sleep_quality": _clamp(8 - 5 * x + gauss(0, 1.2), 0, 10),
            "energy": _clamp(8 - 6 * x + gauss(0, 1.0), 0, 10),
            "pain": _clamp(1 + 3 * x + gauss(0, 1.0), 0, 10),
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
            "dissociation": _clamp(rng.uniform(3, 8) * fading, 0, 10),
            "sedation": _clamp(rng.uniform(1, 6) * fading, 0, 10),
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


def _demo_phq9_level(days_before: int) -> float:
    path = _DEMO_PHQ9_PATH
    for (d0, v0), (d1, v1) in zip(path, path[1:]):
        if d1 <= days_before <= d0:
            share = (d0 - days_before) / (d0 - d1) if d0 != d1 else 0.0
            return v0 + (v1 - v0) * share
    return float(path[-1][1])


def demo_journal(today: date | None = None) -> dict:
    """The demo's two-year story of one person's treatment, clearly labelled as made-up data.

    One moderate episode began about 22 months ago; sertraline (12 weeks, rated no response)
    and escitalopram (10 weeks, about 30 % better by PHQ-9) both failed at adequate doses, so
    under the default settings the TRD criteria appear met from escitalopram's last score on.
    Venlafaxine stopped for side effects too early to count; aripiprazole was added to
    escitalopram; an esketamine course runs over the last four months.
    """
    today = today or date.today()
    rng = random.Random(20240601)  # fixed: the demo must look the same on every machine

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def d(days: int) -> str:
        return _iso(ago(days))

    episodes = [{"id": "e1", "start": d(670), "end": None, "severity": "moderate",
                 "note": "Low mood and poor sleep since the job change"}]

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
            total = _clamp(_demo_phq9_level(days_before) + rng.choice((-1, 0, 0, 1)), 0, 27)
        items = _items_for_total(rng, total, 9, item9_zero=True)
        scores.append({"id": f"p{n}", "date": d(days_before), "scale": "PHQ-9", "items": items,
                       "difficulty": 2 if total >= 15 else 1, "total": total})
        gad = _clamp(_demo_phq9_level(days_before) * 0.7 + 2 + rng.choice((-1, 0, 1)), 0, 21)
        scores.append({"id": f"g{n}", "date": d(days_before), "scale": "GAD-7",
                       "items": _items_for_total(rng, gad, 7), "total": gad})

    daily_notes = {
        640: "Couldn't face work", 600: "Nausea gone, mood the same", 545: "Started escitalopram",
        500: "Bit more able to get things done", 450: "Soaked the sheets again", 440: "Slept 3 hours",
        300: "Walked by the river", 118: "First esketamine session; glad of the lift home",
        95: "Noticeably lighter this week", 30: "Cooked for friends",
    }
    caregiver_days = {449, 445, 441}
    entries_by = []
    for days_before in range(730, -1, -1):
        level = _demo_phq9_level(days_before) / 27
        rid = f"d{731 - days_before}"
        checkin: dict[str, Any] = {
            "id": rid, "date": d(days_before), "scale": "daily",
            "mood": _clamp(9 - 8 * level + rng.gauss(0, 0.8), 0, 10),
            "anxiety": _clamp(2 + 7 * level + rng.gauss(0, 0.8), 0, 10),
            "sleep_quality": _clamp(8 - 6 * level + rng.gauss(0, 1.0), 0, 10),
            "energy": _clamp(8 - 7 * level + rng.gauss(0, 0.8), 0, 10),
            "pain": _clamp(1 + 2 * level + rng.gauss(0, 0.6), 0, 10),
            "hours_slept": min(10.0, max(3.0, round((7.5 - 3 * level + rng.gauss(0, 0.6)) * 2) / 2)),
        }
        if days_before in daily_notes:
            checkin["note"] = daily_notes[days_before]
        if days_before in caregiver_days:
            # During the worst of venlafaxine a partner filled in the check-in.
            checkin["note"] = "Entered by partner: a very bad night"
            entries_by.append({"record": rid, "author": "caregiver"})
        scores.append(checkin)

    labs = [
        {"id": "l1", "date": d(600), "test": "CRP", "value": 3.8, "unit": "mg/L", "note": ""},
        {"id": "l2", "date": d(600), "test": "TSH", "value": 2.1, "unit": "mIU/L", "note": ""},
        {"id": "l3", "date": d(300), "test": "CRP", "value": 4.6, "unit": "mg/L", "note": ""},
        {"id": "l4", "date": d(300), "test": "TSH", "value": 1.9, "unit": "mIU/L", "note": ""},
    ]
    conditions = [
        {"id": "c1", "name": "generalised anxiety", "status": "diagnosed", "since": d(2400), "note": ""},
        {"id": "c2", "name": "sleep disorder", "status": "suspected", "since": d(240),
         "note": "Early waking most nights"},
    ]

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
            "dissociation": _clamp(7 * fading, 0, 10),
            "sedation": _clamp(4 * fading, 0, 10),
            "nausea": 2 if n <= 2 else rng.randint(0, 1),
            "transport_arranged": True,
            "note": "Partner drove home" if n == 1 else "",
        })

    notes = [
        {"id": "n1", "date": d(660), "text": "Ask about a thyroid panel", "for_appointment": True},
        {"id": "n2", "date": d(570), "text": "Tell the doctor sertraline has done nothing after 12 weeks", "for_appointment": True},
        {"id": "n3", "date": d(437), "text": "Mention the night sweats and sleeplessness on venlafaxine", "for_appointment": True},
        {"id": "n4", "date": d(250), "text": "Ask what options there are after two medicines that did not help", "for_appointment": True},
        {"id": "n5", "date": d(200), "text": "Read about esketamine; no driving after sessions", "for_appointment": False},
        {"id": "n6", "date": d(20), "text": "Ask about a sleep assessment: still waking at 4 most nights", "for_appointment": True},
        {"id": "n7", "date": d(10), "text": "Ask how long the esketamine sessions will continue", "for_appointment": True},
    ]

    return {
        "format": "trial-journal",
        "version": 1,
        "exported_at": _exported_at(today),
        "profile": {"display_name": DEMO_DISPLAY_NAME, "birth_year": today.year - 39},
        "settings": dict(_DEFAULT_SETTINGS),
        "episodes": episodes,
        "trials": trials,
        "scores": scores,
        "labs": labs,
        "conditions": conditions,
        "sessions": sessions,
        "notes": notes,
        "entries_by": entries_by,
    }
