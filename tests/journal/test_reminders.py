"""What is due: each rule of issue 14 on, off and cleared, across month ends and leap days, as the Due strip will list it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as TimeOfDay

import pytest

from journal import records as r
from journal.clinical.assessment import assess
from journal.reminders import LOCKED_NOTICE, due_items

D = date


def journal(*, reminders: r.Reminders | None = None, weeks: int = 6, last_report: date | None = None, **lists) -> r.JournalContents:
    settings = r.Settings(adequate_weeks=weeks, reminders=reminders or r.Reminders())
    return r.JournalContents(settings=settings, state=r.JournalState(last_report=last_report), **lists)


def phq9(day: date, total: int = 12, n: int = 0) -> r.ScaleScore:
    return r.ScaleScore(id=f"p{day.isoformat()}-{n}", date=day, scale="PHQ-9", total=total)


def gad7(day: date) -> r.ScaleScore:
    return r.ScaleScore(id=f"g{day.isoformat()}", date=day, scale="GAD-7", total=9)


def checkin(day: date) -> r.DailyCheckIn:
    return r.DailyCheckIn(id=f"c{day.isoformat()}", date=day, mood=5)


def trial(*steps: tuple[date, float], drug: str = "sertraline", end: date | None = None, tid: str = "t1", **more) -> r.Trial:
    return r.Trial(id=tid, drug=drug, doses=tuple(r.DoseStep(day, mg) for day, mg in steps), end=end, **more)


def of(items, kind: str, scale: str | None = None):
    return [d for d in items if d.kind == kind and (scale is None or d.scale == scale)]


def only(items, kind: str, scale: str | None = None):
    found = of(items, kind, scale)
    assert len(found) == 1, items
    return found[0]


# Questionnaires every 90 days from a PHQ-9 long before: the count of days stays out of tests about other rules.
QUIET = r.Reminders(questionnaire_every_days=90)


# --------------------------------------------------------------------------- the check-in


def test_the_check_in_is_off_unless_a_time_is_chosen():
    assert of(due_items(journal(), D(2025, 3, 3)), "checkin") == []


def test_the_check_in_with_none_yet_is_due_today_at_its_time():
    item = only(due_items(journal(reminders=r.Reminders(checkin_time="20:30")), D(2025, 3, 3)), "checkin")
    assert (item.due, item.overdue_days, item.at, item.scale) == (D(2025, 3, 3), 0, TimeOfDay(20, 30), None)
    assert item.discreet == "Trial Journal: a check-in is due"


def test_a_check_in_today_clears_it():
    j = journal(reminders=r.Reminders(checkin_time="20:30"), checkins=(checkin(D(2025, 3, 3)),))
    assert of(due_items(j, D(2025, 3, 3)), "checkin") == []


def test_a_missed_check_in_stays_overdue_from_the_first_day_missed_across_a_month_end():
    j = journal(reminders=r.Reminders(checkin_time="08:00"), checkins=(checkin(D(2025, 1, 29)), checkin(D(2025, 1, 30))))
    item = only(due_items(j, D(2025, 2, 2)), "checkin")
    assert (item.due, item.overdue_days) == (D(2025, 1, 31), 2)
    assert "2025-01-30" in item.why


def test_todays_check_in_waits_for_its_time_when_the_clock_is_given():
    j = journal(reminders=r.Reminders(checkin_time="20:30"), checkins=(checkin(D(2025, 3, 2)),))
    day = D(2025, 3, 3)
    assert of(due_items(j, day, now=datetime(2025, 3, 3, 20, 29)), "checkin") == []
    assert only(due_items(j, day, now=datetime(2025, 3, 3, 20, 30)), "checkin").due == day
    assert only(due_items(j, day), "checkin").due == day  # no clock: the whole day counts


def test_a_day_missed_before_today_is_due_even_before_todays_time():
    j = journal(reminders=r.Reminders(checkin_time="20:30"), checkins=(checkin(D(2025, 3, 1)),))
    item = only(due_items(j, D(2025, 3, 3), now=datetime(2025, 3, 3, 7, 0)), "checkin")
    assert (item.due, item.overdue_days) == (D(2025, 3, 2), 1)


def test_a_check_in_dated_after_the_day_asked_about_does_not_clear_it():
    j = journal(reminders=r.Reminders(checkin_time="20:30"), checkins=(checkin(D(2025, 3, 1)), checkin(D(2025, 3, 5))))
    assert only(due_items(j, D(2025, 3, 3)), "checkin").due == D(2025, 3, 2)


# --------------------------------------------------------------------------- questionnaires every N days


def test_the_phq9_is_due_every_14_days_when_the_setting_is_left_empty_across_a_month_end():
    j = journal(scores=(phq9(D(2025, 1, 25)),))
    assert of(due_items(j, D(2025, 2, 7)), "questionnaire") == []
    item = only(due_items(j, D(2025, 2, 8)), "questionnaire", "PHQ-9")
    assert (item.due, item.overdue_days) == (D(2025, 2, 8), 0)
    assert item.discreet == "Trial Journal: a questionnaire is due"


@pytest.mark.parametrize(("last", "due"), [(D(2024, 2, 20), D(2024, 3, 5)), (D(2023, 2, 20), D(2023, 3, 6)), (D(2024, 12, 25), D(2025, 1, 8))])
def test_the_count_of_days_crosses_leap_days_and_year_ends(last, due):
    j = journal(scores=(phq9(last),))
    assert only(due_items(j, due + timedelta(days=3)), "questionnaire", "PHQ-9").due == due


def test_the_chosen_number_of_days_is_used():
    j = journal(reminders=r.Reminders(questionnaire_every_days=7), scores=(phq9(D(2025, 3, 1)),))
    assert of(due_items(j, D(2025, 3, 7)), "questionnaire") == []
    item = only(due_items(j, D(2025, 3, 10)), "questionnaire", "PHQ-9")
    assert (item.due, item.overdue_days) == (D(2025, 3, 8), 2)


def test_a_questionnaire_taken_early_starts_the_count_again():
    j = journal(scores=(phq9(D(2025, 1, 1)), phq9(D(2025, 1, 10))))
    assert of(due_items(j, D(2025, 1, 15)), "questionnaire") == []  # 14 days after the first, but the early one counts
    assert only(due_items(j, D(2025, 1, 24)), "questionnaire", "PHQ-9").due == D(2025, 1, 24)


def test_with_no_phq9_yet_one_is_due_today():
    item = only(due_items(journal(), D(2025, 3, 3)), "questionnaire", "PHQ-9")
    assert (item.due, item.overdue_days) == (D(2025, 3, 3), 0)


def test_a_phq9_after_the_day_asked_about_does_not_clear_it():
    j = journal(scores=(phq9(D(2025, 1, 1)), phq9(D(2025, 2, 1))))
    assert only(due_items(j, D(2025, 1, 20)), "questionnaire", "PHQ-9").due == D(2025, 1, 15)


def test_the_gad7_is_due_only_for_someone_who_uses_it_on_its_own_count():
    assert of(due_items(journal(scores=(phq9(D(2025, 3, 1)),)), D(2025, 3, 20)), "questionnaire", "GAD-7") == []
    j = journal(scores=(phq9(D(2025, 3, 10)), gad7(D(2025, 3, 1))))
    items = due_items(j, D(2025, 3, 16))
    assert of(items, "questionnaire", "PHQ-9") == []
    gad = only(items, "questionnaire", "GAD-7")
    assert (gad.due, gad.overdue_days) == (D(2025, 3, 15), 1)
    assert "GAD-7" not in gad.discreet and "GAD-7" not in gad.key


# --------------------------------------------------------------------------- the baseline when a trial starts or changes


def test_a_trial_started_yesterday_without_a_phq9_before_asks_for_its_baseline():
    j = journal(reminders=QUIET, scores=(phq9(D(2025, 1, 2)),), trials=(trial((D(2025, 3, 2), 50)),))
    item = only(due_items(j, D(2025, 3, 3)), "questionnaire", "PHQ-9")
    assert (item.due, item.overdue_days, item.trial_id) == (D(2025, 3, 2), 1, "t1")
    assert item.why == "a baseline as sertraline starts"
    assert "sertraline" not in item.discreet


def test_a_phq9_in_the_7_days_before_the_start_is_its_baseline():
    for before in (0, 1, 7):
        j = journal(reminders=QUIET, scores=(phq9(D(2025, 3, 2) - timedelta(days=before)),), trials=(trial((D(2025, 3, 2), 50)),))
        assert of(due_items(j, D(2025, 3, 3)), "questionnaire") == [], before
    j = journal(reminders=QUIET, scores=(phq9(D(2025, 2, 22)),), trials=(trial((D(2025, 3, 2), 50)),))  # 8 days before
    assert only(due_items(j, D(2025, 3, 3)), "questionnaire").due == D(2025, 3, 2)


def test_a_dose_change_without_a_recent_phq9_asks_for_a_baseline_before_the_new_dose():
    steps = ((D(2025, 2, 10), 50), (D(2025, 2, 28), 100))
    j = journal(reminders=QUIET, scores=(phq9(D(2025, 2, 8)),), trials=(trial(*steps),))
    assert of(due_items(j, D(2025, 2, 27)), "questionnaire") == []
    item = only(due_items(j, D(2025, 3, 1)), "questionnaire", "PHQ-9")
    assert (item.due, item.overdue_days) == (D(2025, 2, 28), 1)
    assert item.why == "a baseline before sertraline's new dose"


def test_a_phq9_on_or_after_the_start_clears_the_baseline():
    for taken in (D(2025, 3, 2), D(2025, 3, 3)):
        j = journal(reminders=QUIET, scores=(phq9(D(2025, 1, 2)), phq9(taken)), trials=(trial((D(2025, 3, 2), 50)),))
        assert of(due_items(j, D(2025, 3, 3)), "questionnaire") == []


def test_an_ended_trial_and_a_remembered_one_ask_for_nothing():
    ended = trial((D(2025, 2, 1), 50), end=D(2025, 2, 20))
    remembered = r.Trial(id="t2", drug="citalopram", doses=(r.DoseStep(D(2025, 3, 1), 20, start_precision="month"),))
    j = journal(reminders=QUIET, scores=(phq9(D(2025, 1, 2)),), trials=(ended, remembered))
    assert of(due_items(j, D(2025, 3, 20)), "questionnaire") == []


def test_a_trial_starting_after_the_day_asked_about_asks_for_nothing_yet():
    j = journal(reminders=QUIET, scores=(phq9(D(2025, 1, 2)),), trials=(trial((D(2025, 3, 10), 50)),))
    assert of(due_items(j, D(2025, 3, 3)), "questionnaire") == []


# --------------------------------------------------------------------------- the PHQ-9 at a trial's adequate weeks


@pytest.mark.parametrize(("weeks", "reached"), [(6, D(2025, 2, 11)), (4, D(2025, 1, 28)), (8, D(2025, 2, 25))])
def test_a_phq9_is_due_on_the_day_a_trial_reaches_its_adequate_weeks(weeks, reached):
    j = journal(reminders=QUIET, weeks=weeks, scores=(phq9(D(2024, 12, 30)),), trials=(trial((D(2025, 1, 1), 50)),))
    assert of(due_items(j, reached - timedelta(days=1)), "questionnaire") == []
    item = only(due_items(j, reached), "questionnaire", "PHQ-9")
    assert (item.due, item.overdue_days, item.trial_id) == (reached, 0, "t1")
    assert f"{weeks} weeks" in item.why and "sertraline" in item.why
    later = only(due_items(j, reached + timedelta(days=3)), "questionnaire", "PHQ-9")
    assert (later.due, later.overdue_days) == (reached, 3)


def test_the_adequate_weeks_count_from_the_first_adequate_day_as_the_assessment_counts_them():
    # 25 mg is below sertraline's minimum: the weeks start at 50 mg (and a dip breaks them)
    steps = ((D(2025, 1, 1), 25), (D(2025, 1, 15), 50), (D(2025, 1, 29), 25), (D(2025, 2, 5), 50))
    scores = tuple(phq9(day) for day in (D(2024, 12, 30), D(2025, 1, 14), D(2025, 1, 28), D(2025, 2, 4)))
    j = journal(reminders=QUIET, scores=scores, trials=(trial(*steps),))
    as_of = D(2025, 4, 1)
    expected = assess(j, as_of=as_of).trials[0].adequacy_date
    assert expected == D(2025, 3, 18)  # 6 weeks from 2025-02-05
    assert only(due_items(j, as_of), "questionnaire", "PHQ-9").due == expected


def test_a_phq9_on_or_after_the_adequacy_day_clears_it_one_before_does_not():
    base = dict(reminders=QUIET, trials=(trial((D(2025, 1, 1), 50)),))
    before = journal(scores=(phq9(D(2024, 12, 30)), phq9(D(2025, 2, 10))), **base)
    assert only(due_items(before, D(2025, 2, 12)), "questionnaire").due == D(2025, 2, 11)
    after = journal(scores=(phq9(D(2024, 12, 30)), phq9(D(2025, 2, 11))), **base)
    assert of(due_items(after, D(2025, 2, 12)), "questionnaire") == []


def test_a_trial_that_ended_after_its_adequate_weeks_asks_for_nothing_more():
    j = journal(reminders=QUIET, scores=(phq9(D(2024, 12, 30)),), trials=(trial((D(2025, 1, 1), 50), end=D(2025, 2, 20)),))
    assert of(due_items(j, D(2025, 2, 25)), "questionnaire") == []


def test_the_reasons_still_open_make_one_phq9_due_on_the_earliest_named_by_the_weightiest():
    # never a PHQ-9: due by the count of days (today), the start's baseline, and the adequate weeks
    j = journal(trials=(trial((D(2025, 1, 1), 50)),))
    item = only(due_items(j, D(2025, 2, 12)), "questionnaire", "PHQ-9")
    assert item.due == D(2025, 1, 1)
    assert "6 weeks" in item.why
    assert len(item.reasons) == 3 and item.reasons[0] == item.why


# --------------------------------------------------------------------------- the appointment


def notes(*spec: tuple[date, bool]) -> tuple[r.Note, ...]:
    return tuple(r.Note(id=f"n{i}", date=day, text=f"question {i}", for_appointment=marked) for i, (day, marked) in enumerate(spec))


@pytest.mark.parametrize(("appointment", "due"), [("2025-03-01", D(2025, 2, 28)), ("2024-03-01", D(2024, 2, 29)), ("2026-01-01", D(2025, 12, 31))])
def test_the_appointment_report_is_due_the_day_before_across_month_ends(appointment, due):
    j = journal(reminders=r.Reminders(next_appointment=appointment))
    assert of(due_items(j, due - timedelta(days=1)), "appointment") == []
    item = only(due_items(j, due), "appointment")
    assert (item.due, item.overdue_days, item.event_day) == (due, 0, due + timedelta(days=1))
    assert "make the appointment report" in item.why
    assert item.discreet == "Trial Journal: an appointment tomorrow"
    on_the_day = only(due_items(j, due + timedelta(days=1)), "appointment")
    assert (on_the_day.due, on_the_day.overdue_days, on_the_day.discreet) == (due, 1, "Trial Journal: an appointment today")
    assert of(due_items(j, due + timedelta(days=2)), "appointment") == []  # the appointment has passed


def test_no_appointment_no_reminder():
    assert of(due_items(journal(), D(2025, 3, 3)), "appointment") == []


def test_the_appointment_counts_the_questions_kept_since_the_last_report():
    kept = notes((D(2025, 1, 5), True), (D(2025, 2, 10), True), (D(2025, 2, 20), True), (D(2025, 2, 21), False), (D(2025, 3, 5), True))
    j = journal(reminders=r.Reminders(next_appointment="2025-03-01"), notes=kept, last_report=D(2025, 2, 1))
    item = only(due_items(j, D(2025, 2, 28)), "appointment")
    assert item.open_questions == 2  # not the one before the report, the plain note, nor one dated after today
    assert "(2 open questions)" in item.why
    never = journal(reminders=r.Reminders(next_appointment="2025-03-01"), notes=kept)
    assert only(due_items(never, D(2025, 2, 28)), "appointment").open_questions == 3


def test_a_report_made_once_the_reminder_fell_due_clears_it_one_made_before_does_not():
    rem = r.Reminders(next_appointment="2025-03-01")
    assert of(due_items(journal(reminders=rem, last_report=D(2025, 2, 28)), D(2025, 3, 1)), "appointment") == []
    assert of(due_items(journal(reminders=rem, last_report=D(2025, 3, 1)), D(2025, 3, 1)), "appointment") == []
    still = only(due_items(journal(reminders=rem, last_report=D(2025, 2, 27)), D(2025, 3, 1)), "appointment")
    assert still.due == D(2025, 2, 28)


def test_an_appointment_with_a_time_keeps_it():
    j = journal(reminders=r.Reminders(next_appointment="2025-03-01T09:30:00+01:00"))
    item = only(due_items(j, D(2025, 2, 28)), "appointment")
    assert (item.event_day, item.event_time) == (D(2025, 3, 1), TimeOfDay(9, 30))
    assert "2025-03-01 at 09:30" in item.why


# --------------------------------------------------------------------------- the next session


def session(when: str, treatment: str, sid: str = "k1") -> r.Session:
    return r.Session(id=sid, datetime=datetime.fromisoformat(when), treatment=treatment)


def test_the_next_esketamine_session_asks_about_transport_the_day_before():
    j = journal(reminders=r.Reminders(next_session="2026-01-01T10:00:00+01:00"), sessions=(session("2025-12-29T10:00:00+01:00", "esketamine"),))
    assert of(due_items(j, D(2025, 12, 30)), "session") == []
    item = only(due_items(j, D(2025, 12, 31)), "session")
    assert (item.due, item.overdue_days, item.event_day, item.event_time) == (D(2025, 12, 31), 0, D(2026, 1, 1), TimeOfDay(10, 0))
    assert (item.treatment, item.ask_transport) == ("esketamine", True)
    assert "transport arranged?" in item.why and "No driving until the next day" in item.why
    assert "esketamine" not in item.discreet.lower() and "session" not in item.discreet.lower()
    assert of(due_items(j, D(2026, 1, 2)), "session") == []  # the day has passed


def test_other_sessions_do_not_ask_about_transport():
    j = journal(reminders=r.Reminders(next_session="2025-03-05"), sessions=(session("2025-03-01T09:00:00+00:00", "ect"),))
    item = only(due_items(j, D(2025, 3, 4)), "session")
    assert (item.treatment, item.ask_transport, item.event_time) == ("ect", False, None)
    assert "ECT session" in item.why and "transport" not in item.why
    none_logged = only(due_items(journal(reminders=r.Reminders(next_session="2025-03-05")), D(2025, 3, 5)), "session")
    assert (none_logged.treatment, none_logged.ask_transport, none_logged.overdue_days) == (None, False, 1)


def test_a_session_logged_on_its_day_clears_it():
    j = journal(
        reminders=r.Reminders(next_session="2025-03-05T10:00:00+01:00"),
        sessions=(session("2025-03-01T10:00:00+01:00", "esketamine"), session("2025-03-05T10:05:00+01:00", "esketamine", "k2")),
    )
    assert of(due_items(j, D(2025, 3, 5)), "session") == []
    assert only(due_items(j, D(2025, 3, 4)), "session").treatment == "esketamine"  # the later one is not logged yet as of then


def test_no_session_no_reminder():
    assert of(due_items(journal(sessions=(session("2025-03-01T10:00:00+01:00", "esketamine"),)), D(2025, 3, 3)), "session") == []


# --------------------------------------------------------------------------- together, and what a notification may say


def busy_journal() -> r.JournalContents:
    return journal(
        reminders=r.Reminders(checkin_time="20:30", next_appointment="2025-03-04", next_session="2025-03-04T10:00:00+01:00"),
        trials=(trial((D(2025, 3, 1), 50), drug="Zoloft"),),
        scores=(phq9(D(2025, 1, 2), 23), gad7(D(2025, 1, 2))),
        sessions=(session("2025-02-25T10:00:00+01:00", "esketamine"),),
        notes=notes((D(2025, 2, 1), True)),
    )


def test_everything_due_is_listed_earliest_first():
    items = due_items(busy_journal(), D(2025, 3, 3))
    assert [(d.kind, d.scale, d.due) for d in items] == [
        ("questionnaire", "GAD-7", D(2025, 1, 16)),
        ("questionnaire", "PHQ-9", D(2025, 1, 16)),
        ("checkin", None, D(2025, 3, 3)),
        ("appointment", None, D(2025, 3, 3)),
        ("session", None, D(2025, 3, 3)),
    ]
    assert only(items, "questionnaire", "PHQ-9").why == "a baseline as Zoloft starts"


def test_a_notification_names_no_medicine_scale_or_score_and_keys_name_no_scale():
    items = due_items(busy_journal(), D(2025, 3, 3))
    assert items
    said = " ".join(d.discreet for d in items).lower()
    for word in ("zoloft", "sertraline", "phq", "gad", "esketamine", "ketamine", "23", "baseline", "depress", "transport"):
        assert word not in said, word
    assert all(d.discreet.startswith("Trial Journal: ") for d in items)
    assert LOCKED_NOTICE == "Trial Journal: something is due"
    keys = [d.key for d in items]
    assert len(set(keys)) == len(keys)
    assert not any("PHQ" in k or "GAD" in k for k in keys)


def test_the_json_of_an_item_has_exactly_the_four_keys():
    item = only(due_items(busy_journal(), D(2025, 3, 3)), "questionnaire", "PHQ-9")
    assert item.to_json() == {"kind": "questionnaire", "scale": "PHQ-9", "due": "2025-01-16", "overdue_days": 46}


def test_an_empty_journal_with_no_reminders_asks_only_for_the_phq9():
    assert [(d.kind, d.scale) for d in due_items(journal(), D(2025, 3, 3))] == [("questionnaire", "PHQ-9")]
