"""Properties of the two readings of a remembered history (trd-rules.md v2, "Two readings").

- the short reading never counts more than the long one, and no trial's adequate run is longer in it;
- an exact journal (full days, every dose known) reads the same both ways: nothing is approximate,
  nothing could count, the possible count is the count;
- settling every remembered detail within what was entered gives a count from the short reading's to the long's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.clinical.assessment import assess
from journal.records import DoseStep, Episode, JournalContents, Rating, ScaleScore, Settings, Trial, latest_day

AS_OF = date(2024, 6, 1)
DRUGS = ("sertraline", "escitalopram", "fluoxetine", "bupropion", "sertraline", "escitalopram", "aripiprazole", "lithium", "my own drug")
# Doses around each drug's minimum (drug-catalog.md), and "not remembered".
DOSES = st.sampled_from([None, None, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 300.0, 300.0])
PRECISION = st.sampled_from(["day", "day", "day", "month", "month", "year"])


def _floor(day: date, precision: str) -> date:
    if precision == "year":
        return date(day.year, 1, 1)
    if precision == "month":
        return date(day.year, day.month, 1)
    return day


@st.composite
def trials(draw, tid: str) -> Trial:
    """A trial whose step periods follow one another as the file's order rule asks."""
    day = date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 3000)))
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        precision = draw(PRECISION)
        start = _floor(day, precision)
        if steps and start <= latest_day(steps[-1].start, steps[-1].start_precision):
            break
        steps.append(DoseStep(start, draw(DOSES), start_precision=precision))
        day = latest_day(start, precision) + timedelta(days=draw(st.integers(1, 400)))
    end = end_precision = None
    if draw(st.booleans()):
        end_precision = draw(PRECISION)
        end = _floor(day, end_precision)
        if latest_day(end, end_precision) < steps[-1].start:
            end = None
    # Mostly "it did nothing", so that many histories reach the threshold in one reading or both.
    words = st.sampled_from(["none", "none", "none", "partial", "response", "remission"])
    rating = draw(st.one_of(st.none(), st.builds(Rating, words, st.one_of(st.none(), st.none(), st.integers(0, 100)))))
    return Trial(
        id=tid,
        drug=draw(st.sampled_from(DRUGS)),
        doses=tuple(steps),
        end=end,
        end_precision=end_precision or "day",
        adherence=draw(st.sampled_from([None, "good", "good", "good", "poor"])),
        rating=rating,
        augmentation=draw(st.booleans()) and draw(st.booleans()),
        min_adequate_mg=draw(st.sampled_from([None, None, 10.0, 600.0])),
    )


@st.composite
def journals(draw) -> tuple[JournalContents, Settings]:
    n = draw(st.integers(1, 5))
    ts = tuple(draw(trials(f"t{i}")) for i in range(n))
    episodes = ()
    if draw(st.booleans()):
        start = date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 2500)))
        episodes = (Episode(id="e1", start=start, start_precision=draw(PRECISION)),)
        episodes = (replace(episodes[0], start=_floor(start, episodes[0].start_precision)),)
    scores = tuple(
        ScaleScore(id=f"s{i}", date=date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 3400))), scale="PHQ-9",
                   total=draw(st.integers(0, 27)))
        for i in range(draw(st.integers(0, 6)))
    )
    rule = Settings(
        adequate_weeks=draw(st.sampled_from([4, 6, 8])),
        failure_threshold_pct=draw(st.sampled_from([50, 25])),
        count_augmentation=draw(st.booleans()),
    )
    return JournalContents(episodes=episodes, trials=ts, scores=scores), rule


def _exact(contents: JournalContents, pick) -> JournalContents:
    """Every remembered detail settled to one value within what was entered (`pick` chooses)."""
    out = []
    for t in contents.trials:
        doses = tuple(
            DoseStep(pick(s.start, latest_day(s.start, s.start_precision)), s.mg_per_day if s.mg_per_day is not None else pick(1.0, 300.0))
            for s in t.doses
        )
        end = pick(t.end, latest_day(t.end, t.end_precision)) if t.end is not None else None
        out.append(replace(t, doses=doses, end=end, end_precision="day"))
    return replace(contents, trials=tuple(out))


SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(journals())
def test_the_short_reading_never_counts_more_than_the_long(journal):
    contents, rule = journal
    a = assess(contents, rule, as_of=AS_OF)
    assert a.failed_adequate_count <= a.possible_count
    assert a.threshold_possible == (a.possible_count >= 2 and not a.threshold_met)
    for v in a.trials:
        if v.possible is not None:
            assert v.longest_adequate_run_days <= v.possible.longest_adequate_run_days
        assert not v.could_count or not v.counts
        assert bool(v.to_settle) <= v.could_count  # only a trial that could count has details to settle


@SLOW
@given(journals())
def test_an_exact_journal_reads_the_same_both_ways(journal):
    contents, rule = journal
    exact = _exact(contents, lambda early, late: early)
    a = assess(exact, rule, as_of=AS_OF)
    assert a.possible_count == a.failed_adequate_count
    assert not a.threshold_possible and not a.threshold_date_approximate
    assert all(not v.approximate and not v.could_count and v.possible is None and v.to_settle == () for v in a.trials)
    assert not any("remembered" in c for c in a.caveats)


@SLOW
@given(journals(), st.data())
def test_settling_the_remembered_details_never_leaves_the_range_the_two_readings_give(journal, data):
    contents, rule = journal
    a = assess(contents, rule, as_of=AS_OF)
    settled = _exact(contents, lambda early, late: data.draw(st.sampled_from([early, late])))
    b = assess(settled, rule, as_of=AS_OF)
    # Scores may decide a settled trial that only its rating could decide while remembered, so this
    # holds for the count of trials judged by their ratings: journals without scores.
    if not contents.scores:
        assert a.failed_adequate_count <= b.failed_adequate_count <= a.possible_count
