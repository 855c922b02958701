"""A small, hand-built journal for the report and export tests (no storage needed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from journal.records import (
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
    SideEffect,
    Trial,
)

# Latin with diacritics, Greek and Cyrillic: all in DejaVu Sans, which the report embeds.
UNICODE_NAME = "Zoë Łukasiewicz-Øster Ζωή Жукова"
TODAY = date(2025, 9, 1)
PHQ9_ITEMS = {
    "s1": (2, 3, 2, 3, 1, 2, 2, 1, 0),  # 16
    "s4": (2, 2, 2, 2, 1, 2, 2, 1, 0),  # 14
    "s7": (2, 3, 2, 3, 2, 2, 2, 2, 1),  # 19, item 9 above zero
}


def sample_contents(*, name: str | None = UNICODE_NAME) -> JournalContents:
    cest = timezone(timedelta(hours=2))
    return JournalContents(
        profile=Profile(display_name=name, birth_year=1984),
        episodes=(Episode("e1", date(2025, 1, 6), None, "moderate", ""),),
        trials=(
            Trial(
                "t1", "sertraline",
                (DoseStep(date(2025, 1, 10), 50), DoseStep(date(2025, 2, 7), 100)),
                end=date(2025, 4, 1), stop_reason="ineffective", adherence="good",
                rating=Rating("none", 10, date(2025, 4, 1)),
                side_effects=(SideEffect("nausea", 1, date(2025, 1, 12), date(2025, 1, 30)),),
            ),
            Trial(
                "t2", "Effexor XR",
                (DoseStep(date(2025, 4, 5), 75), DoseStep(date(2025, 4, 19), 150), DoseStep(date(2025, 5, 3), 225)),
                end=date(2025, 7, 1), stop_reason="side_effects", adherence="good",
                rating=Rating("none", 15, date(2025, 7, 1)),
                side_effects=(SideEffect("sweating", 2), SideEffect("raised blood pressure", 2)),
            ),
            Trial(
                "t3", "bupropion",
                (DoseStep(date(2025, 7, 8), 150), DoseStep(date(2025, 7, 22), 300)),
                adherence="good", note="=HYPERLINK(\"http://example.invalid\")",
            ),
            Trial("t4", "aripiprazole", (DoseStep(date(2025, 8, 1), 2),), augmentation=True),
        ),
        scores=(
            ScaleScore("s1", date(2025, 1, 8), "PHQ-9", 16, PHQ9_ITEMS["s1"], 2),
            ScaleScore("s2", date(2025, 1, 8), "GAD-7", 12, (2, 2, 2, 2, 1, 2, 1)),
            ScaleScore("s3", date(2025, 3, 20), "MADRS", 31),
            ScaleScore("s4", date(2025, 3, 28), "PHQ-9", 14, PHQ9_ITEMS["s4"]),
            ScaleScore("s5", date(2025, 6, 25), "PHQ-9", 15),
            ScaleScore("s6", date(2025, 6, 25), "QIDS-SR16", 14),
            ScaleScore("s7", date(2025, 8, 25), "PHQ-9", 19, PHQ9_ITEMS["s7"], 3),
            ScaleScore("s8", date(2025, 8, 25), "GAD-7", 9, (1, 2, 1, 1, 1, 2, 1)),
        ),
        checkins=(
            DailyCheckIn("d1", date(2025, 8, 20), mood=3, anxiety=6, sleep_quality=4, energy=2, pain=0, hours_slept=6.5),
            DailyCheckIn("d2", date(2025, 8, 21), mood=4, note="+ walked to the shop"),
        ),
        labs=(
            Lab("l1", date(2025, 2, 1), "CRP", 4.2, "mg/L"),
            Lab("l2", date(2025, 2, 1), "TSH", 2.1, "mIU/L"),
        ),
        conditions=(
            Condition("c1", "generalised anxiety", "diagnosed", date(2019, 5, 1)),
            Condition("c2", "ADHD", "suspected", None, "@ask for assessment"),
        ),
        sessions=(
            Session(
                "k1", datetime(2025, 8, 5, 9, 30, tzinfo=cest), "esketamine", 56, 1,
                (128, 82), (141, 88), 5, 3, 1, True, "",
            ),
            Session("k2", datetime(2025, 8, 8, 9, 30, tzinfo=cest), "esketamine", 56, 2, (126, 80), (138, 86), 4, 2, 0, True),
        ),
        notes=(
            Note("n1", date(2025, 8, 26), "Ask about a thyroid panel and whether lithium is worth trying", True),
            Note("n2", date(2025, 8, 27), "Felt a bit brighter after the second spray", False),
            Note("n3", date(2025, 8, 28), "-Is the sweating from venlafaxine likely to come back?", True),
        ),
        entries_by=(EntryBy("s7", "caregiver (Marta)"), EntryBy("k1", "caregiver (Marta)")),
    )


def sample_v2_contents(*, name: str | None = UNICODE_NAME) -> JournalContents:
    """The sample with format version 2's records: remembered trials (a month, a year, a dose not remembered),
    a psychotherapy course, an esketamine session's full monitoring and a score's time of day."""
    from datetime import time

    from journal.records import Therapy, replace

    base = sample_contents(name=name)
    remembered = (
        # "March 2019 to September 2019, I don't remember the dose": could count once the dose and dates are found
        Trial("t-r1", "fluoxetine", (DoseStep(date(2019, 3, 1), None, start_precision="month"),),
              end=date(2019, 9, 1), end_precision="month", stop_reason="ineffective", rating=Rating("none"), source="memory"),
        # from a clinic letter that gives months only: May to November 2021 at 20 mg, certain either way
        Trial("t-r2", "citalopram", (DoseStep(date(2021, 5, 1), 20, start_precision="month"),),
              end=date(2021, 11, 1), end_precision="month", adherence="good", stop_reason="ineffective",
              rating=Rating("none"), source="records"),
    )
    session = replace(
        base.sessions[0], phase="induction", bp_40min=(135, 85), spo2_min=96, monitored_minutes=120, ready_to_leave=True
    )
    scores = tuple(replace(s, time=time(8, 30)) if s.id == "s7" else s for s in base.scores)
    return replace(
        base,
        episodes=(Episode("e1", date(2019, 1, 1), None, "moderate", "", start_precision="year"),),
        trials=(*remembered, *base.trials),
        scores=scores,
        sessions=(session, *base.sessions[1:]),
        therapies=(
            Therapy("p1", "cbt", date(2021, 9, 1), start_precision="month", end=date(2022, 1, 1), end_precision="month",
                    sessions=16, stop_reason="other", rating=Rating("partial", 30), source="memory"),
            Therapy("p2", "behavioural_activation", date(2025, 6, 2), sessions=4),
        ),
    )
