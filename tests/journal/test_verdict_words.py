"""The verdict's headline says what was counted and no more (trd-rules.md, "Words that must not overclaim")."""

from __future__ import annotations

from datetime import date

import pytest

from journal.clinical.assessment import assess, assessment_to_json
from journal.clinical.verdict_words import CLINICIAN, PERSON, caveat_lines, headline
from journal.records import DoseStep, Episode, JournalContents, Rating, Settings, Trial

D = date.fromisoformat
EP = Episode(id="e1", start=D("2025-01-06"), severity="moderate")
AS_OF = D("2025-10-01")


def trial(tid, drug, start, end=None, mg=100, *, rating=None, adherence="good", augmentation=False, own_min=None):
    return Trial(
        id=tid,
        drug=drug,
        doses=(DoseStep(D(start), float(mg)),),
        end=D(end) if end else None,
        adherence=adherence,
        rating=rating,
        augmentation=augmentation,
        min_adequate_mg=own_min,
    )


def no_better(on):
    return Rating(response="none", improvement_pct=10, date=D(on))


# Each fails at the end of 12 weeks at an adequate dose, rated "no better" on its last day.
SERTRALINE = trial("t-d93140", "sertraline", "2025-01-10", "2025-04-01", 100, rating=no_better("2025-04-01"))
ESCITALOPRAM = trial("t-5be0a7", "escitalopram", "2025-04-05", "2025-06-30", 20, rating=no_better("2025-06-30"))
# Added to sertraline on its second day, 10 mg for the rest of its course.
ARIPIPRAZOLE = trial("t-aa01f3", "aripiprazole", "2025-01-11", "2025-04-01", 10, rating=no_better("2025-04-01"))


def run(*trials, episodes=(EP,), as_of=AS_OF, **settings):
    contents = JournalContents(episodes=tuple(episodes), trials=tuple(trials))
    return assess(contents, Settings(**settings), as_of=as_of)


def test_two_failed_antidepressants_are_named_as_antidepressants():
    a = run(SERTRALINE, ESCITALOPRAM)
    words = headline(a, PERSON)
    assert words.startswith("The criteria for treatment-resistant depression appear to be met as of 2025-06-30: ")
    assert "2 different antidepressants taken at an adequate dose for long enough did not work well enough in this episode." in words
    assert "Counted: sertraline and escitalopram." in words
    assert "FDA/EMA" not in words and "add-on" not in words


def test_a_counted_add_on_is_named_and_said_to_go_beyond_the_fda_ema_definition():
    a = run(SERTRALINE, ARIPIPRAZOLE, ESCITALOPRAM, count_augmentation=True)
    assert a.failed_adequate_count == 3
    words = headline(a, PERSON)
    assert "3 treatments (2 antidepressants and 1 add-on) taken at an adequate dose" in words
    assert "different antidepressants taken" not in words, "an add-on must never be counted as an antidepressant"
    assert "Counted: sertraline and escitalopram (antidepressants); aripiprazole (add-on)." in words
    assert "Counting add-on treatments goes beyond the FDA/EMA definition, which counts different antidepressants." in words


def test_an_add_on_and_one_antidepressant_are_two_treatments_not_two_antidepressants():
    a = run(SERTRALINE, ARIPIPRAZOLE, count_augmentation=True)
    words = headline(a, PERSON)
    assert a.threshold_met
    assert "2 treatments (1 antidepressant and 1 add-on)" in words
    assert "2 different antidepressants" not in words


def test_a_custom_drug_counted_on_the_persons_minimum_is_named_as_another_medicine():
    herbal = trial("t-77c2e9", "Hypericum extract", "2025-04-05", "2025-06-30", 900, rating=no_better("2025-06-30"), own_min=600)
    a = run(SERTRALINE, herbal)
    assert a.threshold_met
    person, clinician = headline(a, PERSON), headline(a, CLINICIAN)
    assert "2 treatments (1 antidepressant and 1 other medicine)" in person
    assert "Counted: sertraline (antidepressant); Hypericum extract (other medicine, counted on your own minimum)." in person
    assert "Hypericum extract (other medicine, counted on the person's own minimum)" in clinician
    assert "different antidepressants" not in person and "FDA/EMA" not in person


@pytest.mark.parametrize(
    "trials",
    [
        pytest.param((trial("t1", "sertraline", "2025-01-10", "2025-02-01", 100),), id="stopped after three weeks"),
        pytest.param((trial("t1", "sertraline", "2025-01-10", "2025-04-01", 25),), id="never at an adequate dose"),
        pytest.param((), id="no trial in the episode"),
    ],
)
def test_when_nothing_failed_the_headline_never_counts_zero_against_a_goal(trials):
    a = run(*trials)
    assert a.failed_adequate_count == 0
    for audience in (PERSON, CLINICIAN):
        words = headline(a, audience)
        assert "do not appear to be met" in words
        assert "0 antidepressants" not in words and "needs 2" not in words and "rule needs" not in words
    if trials:
        assert "no trial in this episode was taken at an adequate dose for long enough and then did not work well enough" in words
    else:
        assert "no treatment trial is recorded in this episode" in words


def test_one_failed_antidepressant_is_said_without_a_target_to_reach():
    words = headline(run(SERTRALINE), PERSON)
    assert words == (
        "The criteria for treatment-resistant depression do not appear to be met: 1 antidepressant taken at an "
        "adequate dose for long enough did not work well enough in this episode. Counted: sertraline."
    )


def test_an_episode_that_ended_before_the_as_of_date_is_named_as_ended():
    ended = Episode(id="e1", start=D("2025-01-06"), end=D("2025-08-01"), severity="moderate")
    words = headline(run(SERTRALINE, ESCITALOPRAM, episodes=(ended,)), PERSON)
    assert words.startswith(
        "The criteria for treatment-resistant depression appeared to be met as of 2025-06-30 "
        "in the episode from 2025-01-06 to 2025-08-01, which has ended: 2 different antidepressants"
    )
    assert "this episode" not in words
    not_met = headline(run(SERTRALINE, episodes=(ended,)), PERSON)
    assert "did not appear to be met in the episode from 2025-01-06 to 2025-08-01, which has ended" in not_met


def test_an_episode_that_ends_on_the_as_of_date_has_not_ended_before_it():
    ends_today = Episode(id="e1", start=D("2025-01-06"), end=AS_OF, severity="moderate")
    words = headline(run(SERTRALINE, ESCITALOPRAM, episodes=(ends_today,)), PERSON)
    assert "appear to be met as of 2025-06-30" in words and "which has ended" not in words


def test_a_trial_still_running_that_is_helping_is_said_next_to_the_marker():
    helping = trial("t-0c4d11", "vortioxetine", "2025-07-07", None, 20, rating=Rating("response", 60, D("2025-09-20")))
    a = run(SERTRALINE, ESCITALOPRAM, helping)
    words = headline(a, PERSON)
    assert words.endswith("Since then: vortioxetine, ongoing, response so far.")
    remission = trial("t-0c4d11", "vortioxetine", "2025-07-07", None, 20, rating=Rating("remission", None, D("2025-09-20")))
    assert headline(run(SERTRALINE, ESCITALOPRAM, remission), CLINICIAN).endswith(
        "Since then: vortioxetine, ongoing, remission so far. For discussion."
    )


@pytest.mark.parametrize(
    "end,episode_end",
    [
        pytest.param("2025-10-01", None, id="the trial ended on the as-of date"),
        pytest.param(None, "2025-09-25", id="the episode ended while the trial ran on"),
    ],
)
def test_a_trial_that_is_not_still_running_is_never_called_ongoing(end, episode_end):
    helped = trial("t-0c4d11", "vortioxetine", "2025-07-07", end, 20, rating=Rating("response", 60, D("2025-09-20")))
    episode = Episode(id="e1", start=D("2025-01-06"), end=D(episode_end) if episode_end else None, severity="moderate")
    a = run(SERTRALINE, ESCITALOPRAM, helped, episodes=(episode,))
    assert a.threshold_met
    assert "ongoing" not in headline(a, PERSON) and "so far" not in headline(a, PERSON)


def test_the_clinicians_words_are_for_discussion_and_never_ask_them_to_discuss_it_with_themselves():
    a = run(SERTRALINE, ESCITALOPRAM)
    clinician = headline(a, CLINICIAN)
    assert clinician.startswith("By the person's own records, the criteria for treatment-resistant depression appear to be met")
    assert clinician.endswith("For discussion.")
    for audience in (PERSON, CLINICIAN):
        assert "please discuss" not in headline(a, audience).lower()


def test_caveats_name_the_trial_by_its_drug_never_by_its_id():
    unrecorded = trial("t-d93140", "sertraline", "2025-01-10", "2025-04-01", 100, rating=no_better("2025-04-01"), adherence=None)
    again = trial("t-9f1e22", "sertraline", "2025-07-01", None, 150, adherence=None)
    a = run(unrecorded, again, episodes=())
    lines = caveat_lines(a)
    assert "sertraline from 2025-01-10: adherence not recorded (counted as taken as prescribed)" in lines
    assert any(line.startswith("No episode is recorded") for line in lines)
    for words in (*lines, headline(a, PERSON), headline(a, CLINICIAN)):
        assert "t-d93140" not in words and "t-9f1e22" not in words
    # `assess --json` keeps the id beside each trial's caveat: the spec gives trials no caveats of
    # their own, so the id is how a program ties the caveat to its entry in `trials`.
    assert "sertraline (t-d93140): adherence not recorded (counted as taken as prescribed)" in assessment_to_json(a)["caveats"]
