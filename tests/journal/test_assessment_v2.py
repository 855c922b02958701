"""Rules version 2: remembered trials read two ways, therapies, and the points version 1 left open.

Every expected value is worked out by hand from trd-rules.md (rules version 2); the arithmetic
is written beside each case. Catalog minimums (drug-catalog.md): sertraline 50, escitalopram
10, fluoxetine 20, bupropion 300, aripiprazole 5 mg/day. Default settings: 6 weeks (42 days).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from journal.clinical.assessment import assess, assessment_to_json
from journal.records import DoseStep, Episode, JournalContents, Rating, Settings, Therapy, Trial, parse_partial

D = date.fromisoformat
EP = Episode(id="e1", start=D("2018-01-01"), severity="moderate")
AS_OF = "2025-06-01"


def step(start: str, mg: float | None) -> DoseStep:
    day, precision = parse_partial(start)
    return DoseStep(day, None if mg is None else float(mg), start_precision=precision)


def trial(tid, drug, steps, end=None, *, rating="none", rated_on=None, pct=None, adherence="good", augmentation=False, source=None):
    end_day, end_precision = parse_partial(end) if end else (None, "day")
    return Trial(
        id=tid,
        drug=drug,
        doses=tuple(step(s, mg) for s, mg in steps),
        end=end_day,
        end_precision=end_precision,
        adherence=adherence,
        rating=Rating(rating, pct, D(rated_on) if rated_on else None) if rating else None,
        augmentation=augmentation,
        source=source,
    )


def run(trials=(), *, episodes=(EP,), therapies=(), as_of=AS_OF, **settings):
    contents = JournalContents(episodes=tuple(episodes), trials=tuple(trials), therapies=tuple(therapies))
    a = assess(contents, Settings(**settings), as_of=D(as_of))
    return a, assessment_to_json(a)


def verdict(out, tid):
    (found,) = [t for t in out["trials"] if t["id"] == tid]
    return found


# A sertraline trial from memory: "2019, I don't remember the dose, it did nothing".
# Short: the start is read as 2019-12-31, the end as 2019-01-01, so the step starts on the end's
# day: one day, at an unknown dose read as below the minimum: never adequate.
# Long: 2019-01-01 to 2019-12-31 at the minimum (50): adequate on 01-01 + 41 = 2019-02-11;
# the rating is undated, so its evidence is the last covered day, 2019-12-31.
REMEMBERED = trial("t1", "sertraline", [("2019", None)], "2019", source="memory")
# An escitalopram trial from records: 2020-01-01 to 2020-06-01 at 10 mg; adequate on 2020-02-11,
# fails on its last day 2020-06-01 (undated "none").
EXACT = trial("t2", "escitalopram", [("2020-01-01", 10)], "2020-06-01", source="records")


def test_a_trial_remembered_only_by_its_year_is_certain_in_neither_way_and_could_count():
    a, out = run([REMEMBERED, EXACT])
    t1 = verdict(out, "t1")
    assert (t1["adequate"], t1["longest_adequate_run_days"], t1["outcome"], t1["counts"]) == (False, 0, "not-adequate", False)
    assert (t1["approximate"], t1["could_count"]) == (True, True)
    assert t1["to_settle"] == ["doses[0].start", "doses[0].mg_per_day", "end"]
    long = a.trials[0].possible
    assert long is not None and (long.adequate, long.longest_adequate_run_days, long.failure_date) == (True, 365, D("2019-12-31"))
    assert (out["failed_adequate_count"], out["possible_count"]) == (1, 2)
    assert (out["threshold_met"], out["threshold_possible"], out["threshold_date"]) == (False, True, None)
    assert any("2 trials have" not in c and "1 trial has remembered (approximate) details; 1 of them could count" in c
               for c in out["caveats"])
    # The plain words name the dose with the minimum that would make it adequate.
    assert a.trials[0].look_up == ("the month it started", "the dose (50 mg/day or more would count)",
                                   "the month it ended (6 weeks or more at an adequate dose would count)")


def test_an_exact_trial_is_not_approximate_and_reads_the_same_both_ways():
    a, out = run([EXACT])
    t2 = verdict(out, "t2")
    assert (t2["approximate"], t2["could_count"], t2["to_settle"]) == (False, False, [])
    assert (t2["counts"], t2["failure_date"]) == (True, "2020-06-01")
    assert a.trials[0].possible is None
    assert (out["possible_count"], out["threshold_possible"], out["threshold_date_approximate"]) == (1, False, False)
    assert not any("remembered" in c for c in out["caveats"])


def test_an_unknown_dose_with_exact_dates_is_judged_by_the_ordinary_rules_in_the_long_reading():
    # Dates exact, dose not remembered: short never adequate; long adequate 2020-01-01 + 41 = 2020-02-11,
    # fails on the undated rating's day, the last covered day 2020-06-01.
    t = trial("t1", "fluoxetine", [("2020-01-01", None)], "2020-06-01")
    a, out = run([t])
    v = verdict(out, "t1")
    assert (v["adequate"], v["outcome"], v["could_count"], v["to_settle"]) == (False, "not-adequate", True, ["doses[0].mg_per_day"])
    assert a.trials[0].possible.failure_date == D("2020-06-01")


def test_a_later_partial_step_where_the_dose_falls_is_read_early_when_short_and_late_when_long():
    # 100 mg from 2019-01-10, then 25 mg (below 50) from "2019-03", ended 2019-06-30.
    # Short: the fall is read at its earliest, 2019-03-01: run 01-10..02-28 = 22 + 28 = 50 days.
    # Long: at its latest, 2019-03-31: run 01-10..03-30 = 22 + 28 + 30 = 80 days. Adequate on 02-20 in both.
    t = trial("t1", "sertraline", [("2019-01-10", 100), ("2019-03", 25)], "2019-06-30")
    a, out = run([t])
    v = verdict(out, "t1")
    assert (v["longest_adequate_run_days"], v["adequacy_date"], v["approximate"]) == (50, "2019-02-20", True)
    assert a.trials[0].possible.longest_adequate_run_days == 80
    # Both readings count it, so it is certain and there is nothing to settle.
    assert (v["counts"], v["could_count"], v["to_settle"]) == (True, False, [])
    # Its dates are partial, so the outcome came from the rating, and the failure date is its last day.
    assert v["failure_date"] == "2019-06-30"


def test_a_later_partial_step_where_the_dose_rises_is_read_late_when_short_and_early_when_long():
    # 25 mg from 2019-01-10, then 100 mg from "2019-03", ended 2019-04-20.
    # Short: 2019-03-31 to 04-20 = 21 days, ended: too short. Long: 03-01 to 04-20 = 31 + 20 = 51 days,
    # adequate on 03-01 + 41 = 2019-04-11, failed on 04-20.
    t = trial("t1", "sertraline", [("2019-01-10", 25), ("2019-03", 100)], "2019-04-20")
    a, out = run([t])
    v = verdict(out, "t1")
    assert (v["outcome"], v["longest_adequate_run_days"], v["could_count"], v["to_settle"]) == ("too-short", 21, True, ["doses[1].start"])
    assert (a.trials[0].possible.adequacy_date, a.trials[0].possible.failure_date) == (D("2019-04-11"), D("2019-04-20"))


def test_a_remembered_trial_without_a_rating_has_an_unknown_outcome_never_one_from_scores():
    t = trial("t1", "sertraline", [("2019-02", 100)], "2019-08", rating=None)
    _, out = run([t])
    v = verdict(out, "t1")
    # Short: 2019-02-28 to 2019-08-01 = 155 days: adequate, but only a rating can judge a remembered span.
    assert (v["adequate"], v["outcome"], v["counts"]) == (True, "unknown", False)
    assert "outcome not recorded: say how well it worked" in v["reasons"]


def test_the_threshold_date_from_a_partial_dated_trial_is_approximate():
    # fluoxetine "2021-03" to "2021-09" at 20 mg: short 2021-03-31..2021-09-01, fails on 2021-09-01;
    # escitalopram (EXACT) fails on 2020-06-01: the threshold date is the second, 2021-09-01.
    t = trial("t3", "fluoxetine", [("2021-03", 20)], "2021-09")
    _, out = run([EXACT, t])
    assert (out["threshold_met"], out["threshold_date"], out["threshold_date_approximate"]) == (True, "2021-09-01", True)
    # The same with an exact second trial: not approximate.
    exact = trial("t3", "fluoxetine", [("2021-03-31", 20)], "2021-09-01")
    _, out = run([EXACT, exact])
    assert (out["threshold_date"], out["threshold_date_approximate"]) == ("2021-09-01", False)


def test_an_add_on_that_meets_an_antidepressant_only_in_the_long_reading_names_that_trials_dates():
    # bupropion "2021-06" to "2022-02" (short end 2022-02-01, long 2022-02-28); aripiprazole exactly
    # 2022-02-15 to 2022-05-15. They share days only when bupropion's end is read late.
    bup = trial("tb", "bupropion", [("2021-06", 300)], "2022-02")
    ari = trial("ta", "aripiprazole", [("2022-02-15", 5)], "2022-05-15")
    _, out = run([bup, ari], count_augmentation=True)
    v = verdict(out, "ta")
    assert (v["counts"], v["could_count"], v["approximate"]) == (False, True, False)
    assert "taken without an antidepressant" in v["reasons"]
    assert v["to_settle"] == ["trials[tb].doses[0].start", "trials[tb].end"]


def test_a_trial_that_could_lie_before_the_episode_is_listed_as_outside_it_when_short():
    # Episode from 2019-06-01; sertraline "2019" to "2019": short reading one day, 2019-01-01 (outside);
    # long reading 2019-01-01..2019-12-31, inside from 06-01: 214 days.
    ep = Episode(id="e1", start=D("2019-06-01"))
    a, out = run([trial("t1", "sertraline", [("2019", 100)], "2019")], episodes=(ep,))
    v = verdict(out, "t1")
    assert (v["adequate"], v["longest_adequate_run_days"], v["outcome"], v["counts"], v["could_count"]) == (
        False, 0, "not-adequate", False, True)
    assert a.trials[0].outside_short
    assert any("outside this episode" in r for r in v["reasons"])
    assert v["to_settle"] == ["doses[0].start", "end"]
    assert any(r.startswith("could count if the remembered details are confirmed: look up the month it started") for r in v["reasons"])


def test_a_trial_running_on_after_its_episode_ended_is_too_short_not_still_running():
    # Episode 2025-01-01..2025-03-31 ended; sertraline 100 mg from 03-01, no end: 31 days inside.
    ep = Episode(id="e1", start=D("2025-01-01"), end=D("2025-03-31"))
    _, out = run([trial("t1", "sertraline", [("2025-03-01", 100)])], episodes=(ep,))
    v = verdict(out, "t1")
    assert (v["outcome"], v["longest_adequate_run_days"]) == ("too-short", 31)
    assert not any("still running" in c for c in out["caveats"])


def test_episode_dates_entered_roughly_take_in_the_whole_month_or_year():
    ep = Episode(id="e1", start=D("2018-01-01"), start_precision="year", end=D("2019-06-01"), end_precision="month")
    _, out = run([EXACT], episodes=(ep,))
    assert out["episode"] == {"id": "e1", "start": "2018-01-01", "end": "2019-06-30", "assumed": False}
    assert any("the episode's dates are approximate" in c for c in out["caveats"])


def test_with_no_episode_the_assumed_one_starts_where_a_remembered_trial_could_first_start():
    _, out = run([trial("t1", "sertraline", [("2019-03", 100)], "2019-09")], episodes=())
    assert out["episode"] == {"id": None, "start": "2019-03-01", "end": None, "assumed": True}


def test_a_counting_trial_from_memory_says_so():
    t = trial("t1", "sertraline", [("2019-01-01", 100)], "2019-06-30", source="memory")
    _, out = run([t, EXACT])
    assert any("sertraline (t1): from memory" in c for c in out["caveats"])


def test_therapies_are_listed_beside_the_trials_and_never_counted():
    cbt = Therapy(id="p1", kind="cbt", start=D("2021-09-01"), start_precision="month", end=D("2022-01-01"),
                  end_precision="month", sessions=16, rating=Rating("partial"))
    before = Therapy(id="p0", kind="ipt", start=D("2015-01-01"), end=D("2017-12-31"))
    later = Therapy(id="p9", kind="dbt", start=D("2025-07-01"))
    unrated = Therapy(id="p2", kind="other", name="art therapy", start=D("2024-01-01"), rating=Rating("response", date=D("2025-07-01")))
    _, out = run([EXACT], therapies=[cbt, before, later, unrated])
    assert out["therapies"] == [
        {"id": "p1", "kind": "cbt", "name": "", "start": "2021-09", "end": "2022-01", "sessions": 16, "outcome": "partial"},
        {"id": "p2", "kind": "other", "name": "art therapy", "start": "2024-01-01", "end": None, "sessions": None, "outcome": "unknown"},
    ]
    assert out["failed_adequate_count"] == 1


def test_a_therapy_rating_number_decides_unless_the_word_is_remission():
    p = Therapy(id="p1", kind="cbt", start=D("2020-01-01"), rating=Rating("none", 60))
    q = Therapy(id="p2", kind="cbt", start=D("2020-01-01"), rating=Rating("remission", 10))
    _, out = run(therapies=[p, q], trials=[EXACT])
    assert [t["outcome"] for t in out["therapies"]] == ["response", "remission"]


def test_on_one_failure_date_the_trial_first_in_the_file_counts():
    # Two sertraline trials (taken together) failing on the same day: the first in the file counts.
    a = trial("tz", "sertraline", [("2020-01-01", 100)], "2020-06-01")
    b = trial("ta", "sertraline", [("2020-01-01", 150)], "2020-06-01")
    _, out = run([a, b])
    assert (verdict(out, "tz")["counts"], verdict(out, "ta")["counts"]) == (True, False)


# ----------------------------------------------------------------------------- the words


def test_the_headline_says_may_be_met_with_what_is_certain_and_what_could_count():
    from journal.clinical.verdict_words import PERSON, headline, look_up_lines

    a, _ = run([REMEMBERED, EXACT])
    words = headline(a, PERSON)
    assert "do not appear to be met" in words
    assert "May be met once remembered details are confirmed: 1 failed trial is certain, 1 more could count." in words
    assert look_up_lines(a) == [
        "sertraline, 2019: the month it started, the dose (50 mg/day or more would count) and the month it ended "
        "(6 weeks or more at an adequate dose would count)"
    ]


def test_a_threshold_date_from_a_remembered_month_is_given_at_that_precision():
    from journal.clinical.verdict_words import CLINICIAN, headline

    a, _ = run([EXACT, trial("t3", "fluoxetine", [("2021-03", 20)], "2021-09")])
    assert "appear to be met by about September 2021" in headline(a, CLINICIAN)
    assert "2021-09-01" not in headline(a, CLINICIAN)
    a, _ = run([EXACT, trial("t3", "fluoxetine", [("2021", 20)], "2021")])  # short: one day, never adequate
    assert not a.threshold_met and "May be met" in headline(a)


def test_the_command_line_text_lists_what_to_look_up_and_the_therapies():
    from journal.cli import format_assessment

    cbt = Therapy(id="p1", kind="cbt", start=D("2021-09-01"), start_precision="month", sessions=16, rating=Rating("partial"))
    a, _ = run([REMEMBERED, EXACT], therapies=[cbt])
    text = format_assessment(a)
    assert "What to look up" in text and "- sertraline, 2019: the month it started" in text
    assert "- CBT, Sep 2021, ongoing, 16 sessions: partial response" in text
    assert "sertraline, from memory" in text


def test_a_rating_with_only_a_number_is_read_as_no_rating():
    # trd-rules.md v2: "A rating with no response word (only a date, or a number) is treated as no rating."
    t = replace(EXACT, rating=Rating(None, 60, D("2020-06-01")))
    _, out = run([t])
    v = verdict(out, "t2")
    assert (v["outcome"], v["counts"], v["improvement_pct"]) == ("unknown", False, None)
    p = Therapy(id="p1", kind="cbt", start=D("2020-01-01"), rating=Rating(None, 60))
    _, out = run([EXACT], therapies=[p])
    assert out["therapies"][0]["outcome"] == "unknown"


def test_the_command_line_text_gives_a_remembered_trials_worked_out_days_at_its_precision():
    from journal.cli import format_assessment

    a, _ = run([EXACT, trial("t3", "fluoxetine", [("2021-03", 20)], "2021-09")])
    text = format_assessment(a)
    # the short reading adequate on 2021-05-11 and failed on 2021-09-01: days the person never gave
    assert "reached on about May 2021" in text and "failed on about Sep 2021" in text
    assert "2021-05-11" not in text and "2021-09-01" not in text
    assert "Threshold reached by about September 2021" in text
