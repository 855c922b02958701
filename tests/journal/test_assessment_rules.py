"""Independent clinical cases for the TRD assessment, every expected value worked out by hand from trd-rules.md."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from journal.clinical.assessment import assess, assessment_to_json
from journal.records import DoseStep, Episode, JournalContents, Rating, ScaleScore, Session, Settings, Trial

# --------------------------------------------------------------------------- helpers
# The common story: an episode from 2025-01-06 and a first trial from 2025-01-10.
# Calendar arithmetic used below (every range includes both ends):
#   2025-01-10 + 27 days = 2025-02-06 (day 28), + 41 = 2025-02-20 (day 42), + 55 = 2025-03-06 (day 56)
#   2025-01-10 - 28 days = 2024-12-13 (the first day of the baseline window)

D = date.fromisoformat
EP = Episode(id="e1", start=D("2025-01-06"), severity="moderate")
AS_OF = "2025-06-01"
NOT_SAME_DRUG = "same drug as an earlier failed trial (optimisation, not a new trial)"


def trial(tid, drug, steps, end=None, *, adherence="good", rating=None, augmentation=False, own_min=None):
    return Trial(
        id=tid,
        drug=drug,
        doses=tuple(DoseStep(D(s), float(mg)) for s, mg in steps),
        end=D(end) if end else None,
        adherence=adherence,
        rating=rating,
        augmentation=augmentation,
        min_adequate_mg=own_min,
    )


def rating(word, pct=None, on=None):
    return Rating(response=word, improvement_pct=pct, date=D(on) if on else None)


def score(sid, on, total, scale="PHQ-9"):
    return ScaleScore(id=sid, date=D(on), scale=scale, total=total)


def run(trials=(), scores=(), episodes=(EP,), as_of=AS_OF, sessions=(), **settings):
    contents = JournalContents(episodes=tuple(episodes), trials=tuple(trials), scores=tuple(scores), sessions=tuple(sessions))
    return assessment_to_json(assess(contents, Settings(**settings), as_of=D(as_of)))


def verdict(out, tid):
    found = [t for t in out["trials"] if t["id"] == tid]
    assert found, f"trial {tid} is not listed; listed: {[t['id'] for t in out['trials']]}"
    return found[0]


def listed(out):
    return {t["id"] for t in out["trials"]}


def has_caveat(out, words):
    return any(words in c for c in out["caveats"])


def has_reason(out, tid, words):
    return any(words in r for r in verdict(out, tid)["reasons"])


def sertraline_failed(tid="t1", start="2025-01-10", end="2025-04-01", on=None, drug="sertraline", mg=100):
    """An adequate, ended trial the person rated as no better (a failure under every setting)."""
    return trial(tid, drug, [(start, mg)], end, rating=rating("none", 10, on or end))


# --------------------------------------------------------------------------- adequacy: length of the run


@pytest.mark.parametrize(
    "weeks,end,adequate,adequacy_date,longest",
    [
        (6, "2025-02-19", False, None, 41),
        (6, "2025-02-20", True, "2025-02-20", 42),
        (4, "2025-02-05", False, None, 27),
        (4, "2025-02-06", True, "2025-02-06", 28),
        (8, "2025-03-05", False, None, 55),
        (8, "2025-03-06", True, "2025-03-06", 56),
    ],
)
def test_a_trial_is_adequate_from_the_day_its_run_reaches_the_weeks_setting(weeks, end, adequate, adequacy_date, longest):
    out = run([trial("t1", "sertraline", [("2025-01-10", 100)], end, rating=rating("none", 10, end))], adequate_weeks=weeks)
    t = verdict(out, "t1")
    assert (t["adequate"], t["adequacy_date"], t["longest_adequate_run_days"]) == (adequate, adequacy_date, longest)
    if adequate:
        # Failure date: the later of the adequacy date and the rating's date (here both the end).
        assert (t["outcome"], t["failure_date"], t["counts"]) == ("non-response", end, True)
    else:
        # Ended, some adequate days, never long enough: too short, never a failure.
        assert (t["outcome"], t["failure_date"], t["counts"]) == ("too-short", None, False)


@pytest.mark.parametrize(
    "as_of,adequate,adequacy_date,outcome",
    [("2025-02-19", False, None, "not-adequate"), ("2025-02-20", True, "2025-02-20", "non-response")],
)
def test_an_ongoing_trial_runs_to_the_as_of_date(as_of, adequate, adequacy_date, outcome):
    # The trial's recorded end (2025-05-01) is after the as-of date, so it is ongoing as of then.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-05-01")
    scores = [score("s1", "2025-01-08", 20), score("s2", "2025-02-20", 19)]
    out = run([t1], scores, as_of=as_of)
    t = verdict(out, "t1")
    assert (t["adequate"], t["adequacy_date"], t["outcome"]) == (adequate, adequacy_date, outcome)
    assert t["longest_adequate_run_days"] == (41 if as_of == "2025-02-19" else 42)
    if adequate:
        # 20 -> 19 is 5 % better: non-response, dated by the score, judged while running.
        assert t["improvement_pct"] == 5.0
        assert t["failure_date"] == "2025-02-20"
        assert has_caveat(out, "judged while still running: a later score can change it")


def test_a_dose_that_dips_below_the_minimum_breaks_the_run_and_the_longest_run_is_reported():
    # 100 mg 01-10..01-31 (22 days), 25 mg 02-01..02-07, 100 mg 02-08..03-20 (41 days): ten weeks, never 42 in a row.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100), ("2025-02-01", 25), ("2025-02-08", 100)], "2025-03-20",
               rating=rating("none", 5, "2025-03-20"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == (False, 41, None)
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("too-short", None, False)


def test_the_run_after_a_dip_can_itself_make_the_trial_adequate():
    # Same as above but one day longer: 02-08 + 41 days = 03-21.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100), ("2025-02-01", 25), ("2025-02-08", 100)], "2025-03-21",
               rating=rating("none", 5, "2025-03-21"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == (True, 42, "2025-03-21")
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("non-response", "2025-03-21", True)


def test_adequate_steps_join_into_one_run():
    # 50 mg then 100 mg sertraline, both adequate: one run 01-10..04-01 = 82 days.
    t1 = trial("t1", "sertraline", [("2025-01-10", 50), ("2025-02-07", 100)], "2025-04-01",
               rating=rating("none", 10, "2025-04-01"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == (True, 82, "2025-02-20")
    assert (t["outcome"], t["improvement_pct"], t["failure_date"], t["counts"]) == ("non-response", 10.0, "2025-04-01", True)


@pytest.mark.parametrize("next_step,adequate,longest", [("2025-02-21", True, 42), ("2025-02-20", False, 41)])
def test_a_step_covers_up_to_the_day_before_the_next_step(next_step, adequate, longest):
    t1 = trial("t1", "sertraline", [("2025-01-10", 50), (next_step, 25)], "2025-04-01", rating=rating("none", 10, "2025-04-01"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"]) == (adequate, longest)
    assert t["outcome"] == ("non-response" if adequate else "too-short")


def test_a_low_first_step_does_not_start_the_run():
    # 25 mg 01-10..01-19, 50 mg 01-20..03-02 = 12 + 28 + 2 = 42 days.
    t1 = trial("t1", "sertraline", [("2025-01-10", 25), ("2025-01-20", 50)], "2025-03-02", rating=rating("none", None, "2025-03-02"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == (True, 42, "2025-03-02")
    assert (t["outcome"], t["improvement_pct"], t["failure_date"]) == ("non-response", None, "2025-03-02")
    assert t["reasons"], "every verdict gives its reasons"


def test_the_last_step_runs_to_the_trial_end_inclusive():
    # Single day trial: start == end is one covered day at an adequate dose.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-01-10")
    t = verdict(run([t1]), "t1")
    assert (t["longest_adequate_run_days"], t["outcome"]) == (1, "too-short")


def test_dose_steps_after_the_as_of_date_are_ignored():
    # The 100 mg step starts after the as-of date, so as of 02-28 only 25 mg was ever taken.
    t1 = trial("t1", "sertraline", [("2025-01-10", 25), ("2025-03-01", 100)], None)
    t = verdict(run([t1], as_of="2025-02-28"), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["outcome"]) == (False, 0, "not-adequate")


def test_a_trial_starting_after_the_as_of_date_is_not_listed():
    out = run([sertraline_failed("t1"), trial("t2", "fluoxetine", [("2025-05-01", 20)], None)], as_of="2025-04-15")
    assert listed(out) == {"t1"}


def test_an_as_of_date_in_the_middle_of_a_trial_cuts_it_there():
    # Recorded 01-10..04-01 with a rating dated 04-01; as of 03-01 the trial is ongoing, the rating not yet given.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("response", 60, "2025-04-01"))
    scores = [score("s1", "2025-01-08", 16), score("s2", "2025-02-25", 14), score("s3", "2025-03-15", 2)]
    out = run([t1], scores, as_of="2025-03-01")
    t = verdict(out, "t1")
    # Covered 01-10..03-01 = 51 days; 16 -> 14 = 12.5 % better: non-response dated 02-25.
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == (True, 51, "2025-02-20")
    assert (t["outcome"], t["improvement_pct"], t["failure_date"], t["counts"]) == ("non-response", 12.5, "2025-02-25", True)
    assert has_caveat(out, "judged while still running: a later score can change it")


# --------------------------------------------------------------------------- episodes


def test_the_current_episode_is_the_latest_started_and_earlier_episodes_trials_are_not_listed():
    e0 = Episode(id="e0", start=D("2024-01-01"), end=D("2024-06-30"), severity="severe")
    e2 = Episode(id="e2", start=D("2025-07-01"), severity="mild")  # starts after the as-of date: ignored
    old = sertraline_failed("t0", start="2024-02-01", end="2024-05-01", drug="fluoxetine", mg=20)
    out = run([old, sertraline_failed("t1")], episodes=[e0, EP, e2])
    assert out["episode"] == {"id": "e1", "start": "2025-01-06", "end": None, "assumed": False}
    assert listed(out) == {"t1"}
    assert out["failed_adequate_count"] == 1


def test_an_ended_episode_is_still_current_when_no_later_one_has_started():
    e0 = Episode(id="e0", start=D("2024-01-01"), end=D("2024-06-30"), severity="severe")
    old = sertraline_failed("t0", start="2024-02-01", end="2024-05-01", drug="fluoxetine", mg=20)
    out = run([old, sertraline_failed("t1")], episodes=[e0, EP], as_of="2024-12-01")
    assert out["episode"] == {"id": "e0", "start": "2024-01-01", "end": "2024-06-30", "assumed": False}
    assert listed(out) == {"t0"}
    t = verdict(out, "t0")
    assert (t["drug"], t["adequate"], t["adequacy_date"], t["failure_date"], t["counts"]) == (
        "fluoxetine", True, "2024-03-13", "2024-05-01", True)


def test_only_covered_days_inside_the_episode_count():
    # Episode 01-06..02-10; trial 01-10..04-01 has 32 days inside (01-10..02-10).
    ep = Episode(id="e1", start=D("2025-01-06"), end=D("2025-02-10"), severity="moderate")
    t = verdict(run([sertraline_failed("t1")], episodes=[ep]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["outcome"], t["counts"]) == (False, 32, "too-short", False)


def test_a_trial_started_before_the_episode_counts_by_its_days_inside_it():
    # Trial from 2024-12-01; inside the episode from 01-06: run 01-06..03-01 = 55 days, adequate on 01-06 + 41 = 02-16.
    t1 = trial("t1", "sertraline", [("2024-12-01", 100)], "2025-03-01", rating=rating("none", 0, "2025-03-01"))
    out = run([t1])
    t = verdict(out, "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == (True, 55, "2025-02-16")
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("non-response", "2025-03-01", True)
    assert has_caveat(out, "started before this episode")


def test_baseline_window_is_measured_from_the_first_day_inside_the_episode():
    # First day inside = 01-06; a score on 2024-12-09 (28 days before) is the baseline, not one on 2024-11-30.
    t1 = trial("t1", "sertraline", [("2024-11-01", 100)], "2025-03-01")
    scores = [score("s0", "2024-11-30", 27), score("s1", "2024-12-09", 20), score("s2", "2025-02-20", 15)]
    t = verdict(run([t1], scores), "t1")
    assert (t["outcome"], t["improvement_pct"], t["failure_date"]) == ("partial", 25.0, "2025-02-20")


def test_without_an_episode_the_journal_is_one_assumed_episode_from_its_first_covered_day():
    t1 = sertraline_failed("t1", start="2025-01-10", end="2025-04-01")
    t2 = sertraline_failed("t2", start="2025-04-02", end="2025-05-20", drug="escitalopram", mg=10)
    out = run([t2, t1], episodes=())
    assert out["episode"]["start"] == "2025-01-10"
    assert out["episode"]["assumed"] is True
    assert out["episode"]["end"] is None
    assert out["caveats"], "a missing episode must be said in a caveat"
    assert any("episode" in c.lower() for c in out["caveats"])
    # 04-02 + 41 = 05-13; the rating on 05-20 fails it: the second failure, so the threshold date.
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (2, True, "2025-05-20")


# --------------------------------------------------------------------------- drug names


@pytest.mark.parametrize(
    "entered,generic",
    [("Zoloft", "sertraline"), ("  zoloft ", "sertraline"), ("sertraline hydrochloride", "sertraline"),
     ("SERTRALINE HCl", "sertraline"), ("Lexapro", "escitalopram"), ("venlafaxine XR", "venlafaxine"),
     ("Effexor XR", "venlafaxine"), ("fluoxetine hydrochloride", "fluoxetine"),
     ("venlafaxine hydrochloride XR", "venlafaxine"), ("bupropion XL", "bupropion"), ("Wellbutrin XL", "bupropion")],
)
def test_brands_salts_and_formulations_resolve_to_the_generic(entered, generic):
    # 400 mg is at or above every minimum involved (sertraline 50, escitalopram 10, venlafaxine 150, fluoxetine 20,
    # bupropion 300).
    out = run([sertraline_failed("t1", drug=entered, mg=400)])
    t = verdict(out, "t1")
    assert (t["drug"], t["adequate"], t["counts"]) == (generic, True, True)


def test_venlafaxine_xr_is_judged_on_venlafaxines_minimum():
    # 75 mg is below venlafaxine's 150 mg minimum: never adequate.
    t = verdict(run([sertraline_failed("t1", drug="venlafaxine XR", mg=75)]), "t1")
    assert (t["drug"], t["adequate"], t["longest_adequate_run_days"], t["outcome"]) == ("venlafaxine", False, 0, "not-adequate")


def test_paroxetine_cr_resolves_to_its_own_catalog_row():
    # paroxetine CR minimum 25 (plain paroxetine 20): 22 mg of the CR form is not adequate.
    out = run([sertraline_failed("t1", drug="Paxil CR", mg=22), sertraline_failed("t2", drug="paroxetine cr", mg=25,
                                                                                 start="2025-04-02", end="2025-05-30")])
    assert (verdict(out, "t1")["drug"], verdict(out, "t1")["adequate"]) == ("paroxetine CR", False)
    assert (verdict(out, "t2")["drug"], verdict(out, "t2")["adequate"]) == ("paroxetine CR", True)


def test_an_unknown_name_close_to_a_catalog_name_is_a_custom_drug():
    t = verdict(run([sertraline_failed("t1", drug="sertralinex")]), "t1")
    assert (t["drug"], t["adequate"], t["longest_adequate_run_days"], t["outcome"]) == ("sertralinex", False, 0, "not-adequate")
    assert "no minimum adequate dose known" in t["reasons"]


def test_paroxetine_and_its_cr_form_are_one_drug_when_counting():
    # The rules are silent on formulations as catalog rows; one molecule in two forms is an optimisation,
    # not a second antidepressant (the most faithful reading of "once per distinct drug").
    t1 = sertraline_failed("t1", drug="paroxetine", mg=40, end="2025-03-01")
    t2 = sertraline_failed("t2", drug="paroxetine CR", mg=50, start="2025-03-02", end="2025-05-01")
    out = run([t1, t2])
    assert (verdict(out, "t1")["counts"], verdict(out, "t2")["counts"]) == (True, False)
    assert out["failed_adequate_count"] == 1


def test_a_brand_and_its_generic_are_the_same_drug_when_counting():
    t1 = sertraline_failed("t1", drug="Zoloft")
    t2 = sertraline_failed("t2", start="2025-04-10", end="2025-05-30", drug="sertraline hydrochloride", mg=150)
    out = run([t1, t2])
    assert verdict(out, "t1")["counts"] is True
    t = verdict(out, "t2")
    assert (t["adequate"], t["outcome"], t["failure_date"], t["counts"]) == (True, "non-response", "2025-05-30", False)
    assert NOT_SAME_DRUG in t["reasons"]
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (1, False, None)


# --------------------------------------------------------------------------- own and unknown minimums


def test_a_custom_drug_without_a_minimum_can_never_be_adequate():
    t1 = trial("t1", "Neurofoxin", [("2025-01-10", 20)], "2025-04-01", rating=rating("none", 0, "2025-04-01"))
    t = verdict(run([t1]), "t1")
    assert (t["drug"], t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == ("Neurofoxin", False, 0, None)
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("not-adequate", None, False)
    assert "no minimum adequate dose known" in t["reasons"]


def test_a_custom_drug_with_its_own_minimum_counts_with_a_caveat():
    t1 = trial("t1", "Neurofoxin", [("2025-01-10", 20)], "2025-04-01", rating=rating("none", 0, "2025-04-01"), own_min=10)
    out = run([t1])
    t = verdict(out, "t1")
    assert (t["drug"], t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"]) == ("Neurofoxin", True, 82, "2025-02-20")
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("non-response", "2025-04-01", True)
    assert has_caveat(out, "counted on your own minimum for a drug the catalog does not know")


def test_custom_names_that_differ_only_in_case_spaces_and_punctuation_are_one_drug():
    t1 = trial("t1", "Neuro-Foxin", [("2025-01-10", 20)], "2025-04-01", rating=rating("none", 0, "2025-04-01"), own_min=10)
    t2 = trial("t2", "neuro foxin", [("2025-04-02", 20)], "2025-05-30", rating=rating("none", 0, "2025-05-30"), own_min=10)
    out = run([t1, t2])
    assert (verdict(out, "t1")["counts"], verdict(out, "t2")["counts"]) == (True, False)
    assert NOT_SAME_DRUG in verdict(out, "t2")["reasons"]
    assert out["failed_adequate_count"] == 1


def test_an_own_minimum_below_the_catalogs_is_used_with_a_caveat():
    # 25 mg sertraline for 82 days: adequate only on the person's own 25 mg minimum.
    t1 = trial("t1", "sertraline", [("2025-01-10", 25)], "2025-04-01", rating=rating("none", 0, "2025-04-01"), own_min=25)
    out = run([t1])
    t = verdict(out, "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["counts"]) == (True, 82, True)
    assert any("below the catalog" in c for c in out["caveats"]) or any("own minimum" in c for c in out["caveats"])


def test_an_own_minimum_above_the_catalogs_is_used_too():
    # 100 mg sertraline is above the catalog's 50 but below the person's own 150: never adequate.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("none", 0, "2025-04-01"), own_min=150)
    out = run([t1])
    t = verdict(out, "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["outcome"], t["counts"]) == (False, 0, "not-adequate", False)
    assert not any("below the catalog" in c for c in out["caveats"])


def test_lithium_without_an_own_minimum_is_never_adequate():
    t1 = sertraline_failed("t1", mg=100)
    li = trial("t2", "lithium carbonate", [("2025-01-20", 800)], "2025-04-01", rating=rating("none", 0, "2025-04-01"))
    out = run([t1, li], count_augmentation=True)
    t = verdict(out, "t2")
    assert (t["drug"], t["adequate"], t["longest_adequate_run_days"], t["outcome"], t["counts"]) == (
        "lithium", False, 0, "not-adequate", False)
    assert "no minimum adequate dose known" in t["reasons"]


def test_lithium_with_an_own_minimum_counts_as_augmentation_when_allowed():
    # Lithium 01-20..04-01 with sertraline 01-10..04-01: adequate on 01-20 + 41 = 03-02; rating on 04-01.
    t1 = sertraline_failed("t1", mg=100)
    li = trial("t2", "Priadel", [("2025-01-20", 800)], "2025-04-01", rating=rating("none", 0, "2025-04-01"), own_min=600)
    out = run([t1, li], count_augmentation=True)
    t = verdict(out, "t2")
    assert (t["drug"], t["adequate"], t["adequacy_date"], t["failure_date"], t["counts"]) == (
        "lithium", True, "2025-03-02", "2025-04-01", True)
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (2, True, "2025-04-01")


# --------------------------------------------------------------------------- outcome from the person's rating


@pytest.mark.parametrize(
    "word,pct,outcome,failed",
    [
        ("remission", 30, "remission", False),  # remission wins over the number
        ("partial", 49.9, "partial", True),
        ("response", 50, "response", False),
        ("none", 24.9, "non-response", True),
        ("partial", 25, "partial", True),
        ("response", None, "response", False),
        ("none", None, "non-response", True),
        ("partial", None, "partial", True),
        ("remission", None, "remission", False),
    ],
)
def test_the_persons_rating_decides_the_outcome(word, pct, outcome, failed):
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating(word, pct, "2025-03-15"))
    # Scores that alone would say remission: the rating must win over them.
    scores = [score("s1", "2025-01-08", 20), score("s2", "2025-03-01", 2)]
    t = verdict(run([t1], scores), "t1")
    assert t["outcome"] == outcome
    # improvement_pct: the rating's number when it gives one, else the scores' value (20 -> 2 is 90 % better).
    assert t["improvement_pct"] == (90.0 if pct is None else float(pct))
    assert t["failure_date"] == ("2025-03-15" if failed else None)
    assert t["counts"] is failed


def test_a_number_that_disagrees_with_the_word_decides_and_a_reason_says_so():
    agree = verdict(run([trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("none", 10, "2025-04-01"))]), "t1")
    clash = verdict(
        run([trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("response", 10, "2025-04-01"))]), "t1"
    )
    assert (clash["outcome"], clash["improvement_pct"], clash["failure_date"], clash["counts"]) == (
        "non-response", 10.0, "2025-04-01", True)
    assert len(clash["reasons"]) > len(agree["reasons"]), "the disagreement must be given as a reason"


@pytest.mark.parametrize("rated,failure", [("2025-02-01", "2025-02-20"), ("2025-02-20", "2025-02-20"), ("2025-02-21", "2025-02-21")])
def test_failure_date_is_the_later_of_adequacy_and_evidence(rated, failure):
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("none", 5, rated))
    t = verdict(run([t1]), "t1")
    assert (t["adequacy_date"], t["failure_date"]) == ("2025-02-20", failure)


def test_an_undated_rating_of_an_ended_trial_takes_its_last_day():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("none", 5, None))
    out = run([t1])
    assert verdict(out, "t1")["failure_date"] == "2025-04-01"


def test_an_undated_rating_of_an_ongoing_trial_takes_the_as_of_date_with_a_caveat():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], None, rating=rating("none", 5, None))
    out = run([t1], as_of="2025-03-10")
    t = verdict(out, "t1")
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("non-response", "2025-03-10", True)
    assert has_caveat(out, "judged while still running: a later score can change it")
    assert len(out["caveats"]) >= 2, "the moving failure date needs its own caveat"


def test_a_rating_dated_after_the_as_of_date_is_ignored():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("none", 5, "2025-04-01"))
    t = verdict(run([t1], as_of="2025-03-20"), "t1")
    assert (t["adequate"], t["outcome"], t["failure_date"], t["counts"]) == (True, "unknown", None, False)
    assert "outcome not recorded" in t["reasons"]


# --------------------------------------------------------------------------- outcome from the primary scale


def scored(scores, *, end="2025-04-01", **settings):
    """An adequate sertraline trial (01-10..end, adequate from 02-20) judged only by scores."""
    return verdict(run([trial("t1", "sertraline", [("2025-01-10", 100)], end)], scores, **settings), "t1")


@pytest.mark.parametrize(
    "baseline_on,counted",
    [("2024-12-12", False), ("2024-12-13", True), ("2025-01-10", True), ("2025-01-11", False)],
)
def test_baseline_is_the_latest_score_from_28_days_before_the_first_day_up_to_it(baseline_on, counted):
    t = scored([score("s1", baseline_on, 20), score("s2", "2025-03-20", 18)])
    if counted:
        assert (t["outcome"], t["improvement_pct"], t["failure_date"]) == ("non-response", 10.0, "2025-03-20")
    else:
        assert (t["outcome"], t["improvement_pct"], t["failure_date"], t["counts"]) == ("unknown", None, None, False)
        assert "outcome not recorded" in t["reasons"]


@pytest.mark.parametrize(
    "outcome_on,counted",
    [("2025-02-19", False), ("2025-02-20", True), ("2025-04-01", True), ("2025-04-02", False)],
)
def test_outcome_score_is_from_the_adequacy_date_to_the_last_covered_day(outcome_on, counted):
    t = scored([score("s1", "2025-01-08", 20), score("s2", outcome_on, 18)])
    if counted:
        assert (t["outcome"], t["improvement_pct"], t["failure_date"], t["counts"]) == ("non-response", 10.0, outcome_on, True)
    else:
        assert (t["outcome"], t["failure_date"], t["counts"]) == ("unknown", None, False)
        assert "outcome not recorded" in t["reasons"]


def test_the_latest_score_in_each_window_is_used():
    # Baselines 12-20 (25) and 01-05 (20): 20 is used. Outcomes 03-01 (5) and 03-25 (15): 15 is used -> 25 % partial.
    t = scored([score("a", "2024-12-20", 25), score("b", "2025-01-05", 20), score("c", "2025-03-01", 5), score("d", "2025-03-25", 15)])
    assert (t["outcome"], t["improvement_pct"], t["failure_date"]) == ("partial", 25.0, "2025-03-25")


def test_several_scores_on_one_date_use_the_highest():
    # Baseline date has 10 and 20 -> 20; outcome date has 4 and 16 -> 16: 20 % better, non-response (not remission).
    t = scored([score("a", "2025-01-08", 10), score("b", "2025-01-08", 20), score("c", "2025-03-20", 4), score("d", "2025-03-20", 16)])
    assert (t["outcome"], t["improvement_pct"], t["failure_date"]) == ("non-response", 20.0, "2025-03-20")


@pytest.mark.parametrize(
    "base,final,outcome,pct",
    [
        (20, 4, "remission", 80.0),  # at the PHQ-9 cut
        (20, 5, "response", 75.0),  # one above the cut
        (6, 5, "non-response", 16.7),  # 16.666... rounds to 16.7; not remission at 5
        (20, 10, "response", 50.0),
        (27, 14, "partial", 48.1),  # 48.148...
        (20, 15, "partial", 25.0),
        (21, 16, "non-response", 23.8),  # 23.809...
        (7, 6, "non-response", 14.3),  # 14.285...
        (10, 12, "non-response", -20.0),  # worse: negative
        (9, 3, "remission", 66.7),
    ],
)
def test_scores_give_remission_at_the_cut_else_the_improvement_band(base, final, outcome, pct):
    t = scored([score("s1", "2025-01-08", base), score("s2", "2025-03-20", final)])
    assert (t["outcome"], t["improvement_pct"]) == (outcome, pct)
    failed = outcome in ("non-response", "partial")
    assert (t["failure_date"], t["counts"]) == (("2025-03-20", True) if failed else (None, False))


def test_a_baseline_of_zero_gives_unknown():
    t = scored([score("s1", "2025-01-08", 0), score("s2", "2025-03-20", 6)])
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("unknown", None, False)


def test_no_rating_and_no_scores_gives_unknown_outcome_not_recorded():
    t = scored([])
    assert (t["adequate"], t["outcome"], t["improvement_pct"], t["failure_date"], t["counts"]) == (True, "unknown", None, None, False)
    assert "outcome not recorded" in t["reasons"]


@pytest.mark.parametrize("final,outcome,pct", [(10, "remission", 66.7), (11, "response", 63.3), (24, "non-response", 20.0)])
def test_madrs_as_primary_scale_uses_its_own_remission_cut_and_ignores_phq9(final, outcome, pct):
    scores = [score("m1", "2025-01-05", 30, "MADRS"), score("m2", "2025-03-20", final, "MADRS"),
              score("p1", "2025-01-05", 20), score("p2", "2025-03-21", 3)]
    t = scored(scores, primary_scale="MADRS")
    assert (t["outcome"], t["improvement_pct"]) == (outcome, pct)
    assert t["failure_date"] == ("2025-03-20" if outcome == "non-response" else None)


def test_other_scales_do_not_decide_a_phq9_outcome():
    t = scored([score("g1", "2025-01-08", 20, "GAD-7"), score("g2", "2025-03-20", 20, "GAD-7")])
    assert t["outcome"] == "unknown"


def test_scores_after_the_last_covered_day_never_count():
    t = scored([score("s1", "2025-01-08", 20), score("s2", "2025-04-05", 19)])
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("unknown", None, False)


# --------------------------------------------------------------------------- failure threshold


@pytest.mark.parametrize("threshold,failed", [(50, True), (25, False)])
def test_a_partial_response_fails_only_under_the_50_percent_rule(threshold, failed):
    t1 = sertraline_failed("t1")
    t2 = trial("t2", "escitalopram", [("2025-04-02", 20)], "2025-05-30", rating=rating("partial", 40, "2025-05-30"))
    out = run([t1, t2], failure_threshold_pct=threshold)
    t = verdict(out, "t2")
    assert (t["outcome"], t["improvement_pct"]) == ("partial", 40.0)
    assert (t["failure_date"], t["counts"]) == (("2025-05-30", True) if failed else (None, False))
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (
        (2, True, "2025-05-30") if failed else (1, False, None))


def test_non_response_fails_under_the_25_percent_rule():
    out = run([sertraline_failed("t1")], failure_threshold_pct=25)
    assert (verdict(out, "t1")["counts"], out["failed_adequate_count"]) == (True, 1)


# --------------------------------------------------------------------------- counting and the threshold


def test_the_same_drug_twice_counts_once():
    t1 = sertraline_failed("t1", end="2025-03-01")
    t2 = sertraline_failed("t2", start="2025-03-10", end="2025-05-01", mg=200)
    out = run([t2, t1])
    assert (verdict(out, "t1")["counts"], verdict(out, "t2")["counts"]) == (True, False)
    assert verdict(out, "t2")["failure_date"] == "2025-05-01"
    assert NOT_SAME_DRUG in verdict(out, "t2")["reasons"]
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (1, False, None)


def test_the_earliest_failure_of_a_drug_is_the_one_that_counts():
    # t1 starts first but the person judged it only on 04-20, after t2 (the same drug, taken alongside) had failed.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-30", rating=rating("none", 0, "2025-04-20"))
    t2 = trial("t2", "sertraline", [("2025-02-01", 150)], "2025-04-15", rating=rating("none", 0, "2025-04-15"))
    out = run([t1, t2])
    # t1 fails 04-20, t2 (adequate 02-01 + 41 = 03-14) fails 04-15: t2 is the earlier failure.
    assert (verdict(out, "t1")["failure_date"], verdict(out, "t2")["failure_date"]) == ("2025-04-20", "2025-04-15")
    assert (verdict(out, "t1")["counts"], verdict(out, "t2")["counts"]) == (False, True)
    assert NOT_SAME_DRUG in verdict(out, "t1")["reasons"]


def test_a_rating_written_down_after_the_trial_ended_dates_the_failure_to_its_last_day():
    # Rules v2: a judgement written months later says how the trial went, not when it failed.
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-03-01", rating=rating("none", 0, "2025-09-20"))
    out = run([t1], as_of="2025-10-01")
    assert verdict(out, "t1")["failure_date"] == "2025-03-01"
    assert not any("will move" in c for c in out["caveats"])


def test_an_undated_rating_of_a_trial_still_running_says_its_date_will_move():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], None, rating=rating("none", 0, None))
    out = run([t1], as_of="2025-04-01")
    assert verdict(out, "t1")["failure_date"] == "2025-04-01"
    assert any("will move" in c for c in out["caveats"])
    assert any("still running" in c for c in out["caveats"])


@pytest.mark.parametrize("pair", [("citalopram", "escitalopram"), ("venlafaxine", "desvenlafaxine")])
def test_sibling_drugs_are_different_drugs(pair):
    a, b = pair
    t1 = sertraline_failed("t1", drug=a, mg=200, end="2025-03-01")
    t2 = sertraline_failed("t2", drug=b, mg=200, start="2025-03-02", end="2025-05-01")
    out = run([t1, t2])
    assert (verdict(out, "t1")["counts"], verdict(out, "t2")["counts"]) == (True, True)
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (2, True, "2025-05-01")


def test_threshold_date_is_the_second_earliest_failure_among_counting_trials():
    # Failures: fluoxetine 03-01, sertraline 04-20, mirtazapine 06-01 (adequate on 04-21 + 41 = 06-01).
    # Listed out of order on purpose.
    t_fl = sertraline_failed("a", drug="fluoxetine", mg=20, start="2025-01-06", end="2025-03-01")
    t_se = sertraline_failed("b", drug="sertraline", mg=100, start="2025-03-02", end="2025-04-20")
    t_mi = sertraline_failed("c", drug="mirtazapine", mg=30, start="2025-04-21", end="2025-06-01", on="2025-06-01")
    out = run([t_mi, t_se, t_fl], as_of="2025-06-10")
    assert [verdict(out, x)["failure_date"] for x in "abc"] == ["2025-03-01", "2025-04-20", "2025-06-01"]
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (3, True, "2025-04-20")


def test_a_non_counting_repeat_does_not_set_the_threshold_date():
    t1 = sertraline_failed("t1", end="2025-03-01")
    t2 = sertraline_failed("t2", start="2025-03-02", end="2025-04-15", mg=150)  # same drug: fails 04-15, does not count
    t3 = sertraline_failed("t3", drug="bupropion", mg=300, start="2025-04-16", end="2025-05-30")
    out = run([t1, t2, t3])
    assert [verdict(out, x)["counts"] for x in ("t1", "t2", "t3")] == [True, False, True]
    assert (out["failed_adequate_count"], out["threshold_date"]) == (2, "2025-05-30")


def test_one_failed_trial_is_not_enough():
    out = run([sertraline_failed("t1")])
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (1, False, None)


@pytest.mark.parametrize(
    "drug,marked", [("aripiprazole", False), ("Abilify", False), ("mirtazapine", True)]
)
@pytest.mark.parametrize("count_augmentation", [False, True])
def test_augmentation_with_an_antidepressant_counts_only_when_the_setting_allows(drug, marked, count_augmentation):
    t1 = sertraline_failed("t1")  # 01-10..04-01
    # 01-20..04-01, adequate on 01-20 + 41 = 03-02; rated 04-01. aripiprazole min 5, mirtazapine 15.
    aug = trial("t2", drug, [("2025-01-20", 15)], "2025-04-01", rating=rating("none", 0, "2025-04-01"), augmentation=marked)
    out = run([t1, aug], count_augmentation=count_augmentation)
    t = verdict(out, "t2")
    assert (t["adequate"], t["adequacy_date"], t["outcome"], t["failure_date"]) == (True, "2025-03-02", "non-response", "2025-04-01")
    assert t["counts"] is count_augmentation
    if count_augmentation:
        assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (2, True, "2025-04-01")
        assert any("augmentation" in c.lower() or "add-on" in c.lower() for c in out["caveats"]), (
            "counting augmentation goes beyond FDA/EMA and must be said")
    else:
        assert "augmentation not counted under this rule" in t["reasons"]
        assert (out["failed_adequate_count"], out["threshold_met"]) == (1, False)


def test_augmentation_without_an_antidepressant_does_not_count():
    t1 = sertraline_failed("t1", end="2025-03-01")
    aug = trial("t2", "aripiprazole", [("2025-03-02", 10)], "2025-05-01", rating=rating("none", 0, "2025-05-01"))
    out = run([t1, aug], count_augmentation=True)
    t = verdict(out, "t2")
    assert (t["adequate"], t["counts"]) == (True, False)
    assert "taken without an antidepressant" in t["reasons"]
    assert out["failed_adequate_count"] == 1


def test_augmentation_counts_alongside_an_antidepressant_that_was_not_adequate():
    t1 = trial("t1", "sertraline", [("2025-01-10", 25)], "2025-04-01")  # never adequate
    aug = trial("t2", "aripiprazole", [("2025-01-20", 10)], "2025-04-01", rating=rating("none", 0, "2025-04-01"))
    out = run([t1, aug], count_augmentation=True)
    assert verdict(out, "t1")["outcome"] == "not-adequate"
    assert verdict(out, "t2")["counts"] is True


def test_augmentation_sharing_one_day_with_an_antidepressant_is_taken_with_it():
    t1 = sertraline_failed("t1", end="2025-03-01")
    aug = trial("t2", "aripiprazole", [("2025-03-01", 10)], "2025-05-01", rating=rating("none", 0, "2025-05-01"))
    out = run([t1, aug], count_augmentation=True)
    assert verdict(out, "t2")["counts"] is True


def test_two_antidepressants_taken_together_both_count_with_a_caveat():
    t1 = sertraline_failed("t1")  # 01-10..04-01
    t2 = trial("t2", "mirtazapine", [("2025-02-01", 30)], "2025-04-01", rating=rating("none", 0, "2025-04-01"))
    out = run([t1, t2])
    assert (verdict(out, "t1")["counts"], verdict(out, "t2")["counts"]) == (True, True)
    assert (out["failed_adequate_count"], out["threshold_met"], out["threshold_date"]) == (2, True, "2025-04-01")
    assert has_caveat(out, "taken together with")


# --------------------------------------------------------------------------- adherence and too-short vs not-adequate


def test_poor_adherence_makes_a_long_trial_inadequate_but_keeps_its_adequacy_date():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", adherence="poor", rating=rating("none", 0, "2025-04-01"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["adequacy_date"], t["longest_adequate_run_days"]) == (False, "2025-02-20", 82)
    assert (t["outcome"], t["failure_date"], t["counts"]) == ("not-adequate", None, False)


def test_poor_adherence_on_a_short_ended_trial_is_not_adequate_not_too_short():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-02-01", adherence="poor")
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["adequacy_date"], t["longest_adequate_run_days"], t["outcome"]) == (False, None, 23, "not-adequate")


def test_unrecorded_adherence_does_not_disqualify_but_is_a_caveat():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", adherence=None, rating=rating("none", 0, "2025-04-01"))
    out = run([t1])
    assert verdict(out, "t1")["counts"] is True
    assert any("adherence" in c.lower() for c in out["caveats"])


@pytest.mark.parametrize(
    "steps,end,as_of,outcome,longest",
    [
        ([("2025-01-10", 100)], "2025-01-30", AS_OF, "too-short", 21),  # stopped at week 3
        ([("2025-01-10", 25)], "2025-04-01", AS_OF, "not-adequate", 0),  # dose never adequate
        ([("2025-01-10", 100)], None, "2025-01-30", "not-adequate", 21),  # still running, not yet long enough
        ([("2025-01-10", 100)], "2025-03-01", "2025-01-30", "not-adequate", 21),  # ends after as-of: still running
    ],
)
def test_too_short_only_for_ended_trials_with_some_adequate_days(steps, end, as_of, outcome, longest):
    t = verdict(run([trial("t1", "sertraline", steps, end)], as_of=as_of), "t1")
    assert (t["adequate"], t["outcome"], t["longest_adequate_run_days"], t["adequacy_date"], t["failure_date"], t["counts"]) == (
        False, outcome, longest, None, None, False)


def test_a_stop_for_side_effects_at_week_three_is_never_a_failure():
    t1 = Trial(id="t1", drug="sertraline", doses=(DoseStep(D("2025-01-10"), 100.0),), end=D("2025-01-30"),
               stop_reason="side_effects", adherence="good", rating=Rating("none", 0.0, D("2025-01-30")))
    t2 = sertraline_failed("t2", drug="escitalopram", mg=20, start="2025-02-01", end="2025-04-01")
    out = run([t1, t2])
    assert (verdict(out, "t1")["outcome"], verdict(out, "t1")["counts"]) == ("too-short", False)
    assert (out["failed_adequate_count"], out["threshold_met"]) == (1, False)


# --------------------------------------------------------------------------- Maudsley staging

LONG_EP_START = "2024-01-01"


def maudsley(as_of, severity="moderate", trials=None, sessions=(), **settings):
    ep = Episode(id="e1", start=D(LONG_EP_START), severity=severity)
    if trials is None:
        trials = [sertraline_failed("t1", start="2024-02-01", end="2024-05-01")]
    return run(trials, episodes=[ep], as_of=as_of, sessions=sessions, **settings)["maudsley"]


def ect(on):
    return Session(id=f"x{on}", datetime=datetime.fromisoformat(on + "T09:00:00+00:00"), treatment="ect")


@pytest.mark.parametrize(
    "days,points",
    [(365, 1), (366, 2), (730, 2), (731, 3)],
)
def test_maudsley_duration_bands(days, points):
    # Episode 2024-01-01 to the as-of date, both ends counted; moderate 3; one failed antidepressant 1.
    as_of = (D(LONG_EP_START) + timedelta(days=days - 1)).isoformat()
    m = maudsley(as_of)
    assert m["score"] == points + 3 + 1
    assert m["band"] == ("mild" if points + 4 <= 6 else "moderate")
    assert m["missing"] == []


@pytest.mark.parametrize(
    "severity,points", [("subsyndromal", 1), ("mild", 2), ("moderate", 3), ("severe", 4), ("severe_psychotic", 5)]
)
def test_maudsley_severity(severity, points):
    m = maudsley("2024-06-01", severity=severity)
    assert m["score"] == 1 + points + 1


def _failed_trials(n):
    drugs = ["fluoxetine", "sertraline", "paroxetine", "citalopram", "escitalopram", "fluvoxamine", "venlafaxine",
             "desvenlafaxine", "duloxetine", "bupropion", "mirtazapine"]
    out = []
    day = D("2024-01-01")
    for i in range(n):
        end = day + timedelta(days=49)
        out.append(trial(f"t{i}", drugs[i], [(day.isoformat(), 400)], end.isoformat(), rating=rating("none", 0, end.isoformat())))
        day = end + timedelta(days=1)
    return out


@pytest.mark.parametrize(
    "n,points", [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (10, 4), (11, 5)]
)
def test_maudsley_failed_antidepressant_bands(n, points):
    # 400 mg a day is at or above every listed drug's minimum; 50-day trials, all inside the episode.
    # 2024-01-01..2025-12-30 is 730 days: duration 2.
    m = maudsley("2025-12-30", trials=_failed_trials(n))
    assert m["score"] == 2 + 3 + points


def test_maudsley_counts_distinct_drugs_and_ignores_failed_augmentation():
    trials = [
        sertraline_failed("t1", start="2024-02-01", end="2024-05-01"),
        sertraline_failed("t2", start="2024-05-02", end="2024-07-01", mg=200),  # same drug again
        sertraline_failed("t3", drug="fluoxetine", mg=20, start="2024-07-02", end="2024-09-01"),
        trial("t4", "aripiprazole", [("2024-07-10", 10)], "2024-09-01", rating=rating("none", 0, "2024-09-01")),
    ]
    # duration 1 (to 2024-12-01: 336 days) + moderate 3 + 2 distinct failed ADs 1 + augmentation used 1 = 6
    assert maudsley("2024-12-01", trials=trials, count_augmentation=True) == {"score": 6, "band": "mild", "missing": []}
    assert maudsley("2024-12-01", trials=trials, count_augmentation=False)["score"] == 6


def test_maudsley_augmentation_and_ect_add_one_each():
    trials = [sertraline_failed("t1", start="2024-02-01", end="2024-05-01"),
              trial("t2", "quetiapine", [("2024-03-01", 50)], "2024-04-01")]  # any augmentation trial, failed or not
    assert maudsley("2024-06-01", trials=trials)["score"] == 1 + 3 + 1 + 1
    assert maudsley("2024-06-01", trials=trials, sessions=[ect("2024-05-15")]) == {"score": 7, "band": "moderate", "missing": []}
    # ECT before the episode does not add.
    assert maudsley("2024-06-01", trials=trials, sessions=[ect("2023-05-15")])["score"] == 6


def test_maudsley_severe_band():
    trials = _failed_trials(4) + [trial("a1", "lithium", [("2024-02-01", 800)], "2024-06-01")]
    m = maudsley("2026-01-10", severity="severe_psychotic", trials=trials, sessions=[ect("2025-06-01")])
    # duration 3 + severity 5 + 4 failed ADs 2 + augmentation 1 + ECT 1 = 12
    assert m == {"score": 12, "band": "severe", "missing": []}


def test_maudsley_without_severity_is_incomplete_and_names_it():
    m = maudsley("2024-06-01", severity=None)
    assert (m["score"], m["band"]) == (None, None)
    assert any("severity" in x for x in m["missing"])


def test_maudsley_without_a_failed_antidepressant_is_not_computed():
    m = maudsley("2024-06-01", trials=[trial("t1", "sertraline", [("2024-02-01", 100)], "2024-02-20")])
    assert (m["score"], m["band"]) == (None, None)
    assert "no failed antidepressant" in m["missing"]


def test_maudsley_uses_the_current_settings_to_decide_failure():
    # A partial response fails under 50 % but not under 25 %.
    t1 = trial("t1", "sertraline", [("2024-02-01", 100)], "2024-05-01", rating=rating("partial", 30, "2024-05-01"))
    assert maudsley("2024-06-01", trials=[t1], failure_threshold_pct=50)["score"] == 5
    assert maudsley("2024-06-01", trials=[t1], failure_threshold_pct=25)["score"] is None


# --------------------------------------------------------------------------- the printed object


def test_the_json_object_has_the_documented_shape():
    out = run([sertraline_failed("t1")])
    assert set(out) >= {"as_of", "settings", "episode", "maudsley", "failed_adequate_count", "threshold_met",
                        "threshold_date", "trials", "caveats"}
    assert out["as_of"] == AS_OF
    assert out["settings"] == {"adequate_weeks": 6, "failure_threshold_pct": 50, "count_augmentation": False, "primary_scale": "PHQ-9"}
    assert set(out["trials"][0]) >= {"id", "drug", "adequate", "longest_adequate_run_days", "adequacy_date", "outcome",
                                     "improvement_pct", "failure_date", "counts", "reasons"}


# --------------------------------------------------------------------------- further edges


@pytest.mark.parametrize("pct,outcome,shown", [(49.96, "partial", 50.0), (24.96, "non-response", 25.0), (33.33, "partial", 33.3)])
def test_bands_use_the_exact_number_and_the_output_rounds_it(pct, outcome, shown):
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-04-01", rating=rating("partial", pct, "2025-04-01"))
    t = verdict(run([t1]), "t1")
    assert (t["outcome"], t["improvement_pct"], t["failure_date"]) == (outcome, shown, "2025-04-01")


def test_the_adequacy_date_comes_from_the_first_run_long_enough_even_when_a_later_run_is_longer():
    # 100 mg 01-10..02-25 (47 days), 25 mg 02-26..03-02, 100 mg 03-03..05-31 (29 + 30 + 31 = 90 days).
    t1 = trial("t1", "sertraline", [("2025-01-10", 100), ("2025-02-26", 25), ("2025-03-03", 100)], "2025-05-31",
               rating=rating("none", 0, "2025-05-31"))
    t = verdict(run([t1]), "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["adequacy_date"], t["failure_date"]) == (
        True, 90, "2025-02-20", "2025-05-31")


def test_augmentation_overlapping_an_antidepressant_only_before_the_episode_is_taken_without_one():
    # Sertraline ends the day before the episode starts, so it is not listed; inside the episode aripiprazole is alone.
    t1 = sertraline_failed("t1", start="2024-11-01", end="2025-01-05")
    aug = trial("t2", "aripiprazole", [("2024-12-01", 10)], "2025-03-31", rating=rating("none", 0, "2025-03-31"))
    out = run([t1, aug], count_augmentation=True)
    assert listed(out) == {"t2"}
    t = verdict(out, "t2")
    assert (t["adequate"], t["counts"]) == (True, False)
    assert "taken without an antidepressant" in t["reasons"]


def test_the_same_augmentation_drug_twice_counts_once():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], "2025-06-30")
    a1 = trial("a1", "aripiprazole", [("2025-01-20", 5)], "2025-03-15", rating=rating("none", 0, "2025-03-15"))
    a2 = trial("a2", "Abilify", [("2025-03-16", 10)], "2025-05-15", rating=rating("none", 0, "2025-05-15"))
    out = run([t1, a1, a2], count_augmentation=True)
    assert (verdict(out, "a1")["counts"], verdict(out, "a2")["counts"]) == (True, False)
    assert NOT_SAME_DRUG in verdict(out, "a2")["reasons"]


def test_an_ect_session_after_the_as_of_date_does_not_add_to_maudsley():
    trials = [sertraline_failed("t1", start="2024-02-01", end="2024-05-01")]
    assert maudsley("2024-06-01", trials=trials, sessions=[ect("2024-06-01")])["score"] == 6
    assert maudsley("2024-06-01", trials=trials, sessions=[ect("2024-06-02")])["score"] == 5


def test_an_ongoing_trial_whose_rating_says_it_failed_fails_with_the_running_caveat():
    t1 = trial("t1", "sertraline", [("2025-01-10", 100)], None, rating=rating("none", 5, "2025-03-01"))
    out = run([t1], as_of="2025-03-10")
    t = verdict(out, "t1")
    assert (t["adequate"], t["longest_adequate_run_days"], t["failure_date"], t["counts"]) == (True, 60, "2025-03-01", True)
    assert has_caveat(out, "judged while still running: a later score can change it")


def test_a_trial_that_was_not_taken_inside_an_ended_episode_is_not_listed():
    ep = Episode(id="e1", start=D("2025-01-06"), end=D("2025-03-01"), severity="moderate")
    out = run([sertraline_failed("t1", start="2025-03-02", end="2025-05-01")], episodes=[ep])
    assert listed(out) == set()
    assert (out["failed_adequate_count"], out["threshold_met"]) == (0, False)
