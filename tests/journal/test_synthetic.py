"""The made-up journals (seeded generator and demo story) are valid, realistic and repeatable."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from benchmarks.generator import synthetic_journal
from journal.clinical.catalog import load_catalog
from journal.demo import DEMO_DISPLAY_NAME, demo_journal
from journal.exchange.jsonfile import parse_contents

END = date(2026, 3, 15)


@pytest.fixture(scope="module")
def journals() -> dict[int, dict]:
    return {years: synthetic_journal(years, seed=7, end=END) for years in (1, 5, 20)}


def _by_scale(journal: dict, scale: str) -> list[dict]:
    return [s for s in journal["scores"] if s["scale"] == scale]


def _all_dates(journal: dict) -> list[date]:
    days = []
    for ep in journal["episodes"]:
        days += [date.fromisoformat(ep["start"])] + ([date.fromisoformat(ep["end"])] if ep["end"] else [])
    for t in journal["trials"]:
        days += [date.fromisoformat(s["start"]) for s in t["doses"]]
        days += [date.fromisoformat(t["end"])] if t["end"] else []
        days += [date.fromisoformat(t["rating"]["date"])] if t["rating"] and t["rating"]["date"] else []
    for name in ("scores", "labs", "notes"):
        days += [date.fromisoformat(r["date"]) for r in journal[name]]
    days += [datetime.fromisoformat(s["datetime"]).date() for s in journal["sessions"]]
    return days


@pytest.mark.parametrize("years", [1, 5, 20])
def test_synthetic_journal_imports_cleanly(journals, years):
    result = parse_contents(journals[years], today=END)
    assert result.warnings == []
    assert len(result.contents.checkins) == len(_by_scale(journals[years], "daily"))
    assert len(result.contents.trials) == len(journals[years]["trials"])


def test_synthetic_journal_sizes_per_year(journals):
    j = journals[20]
    assert 7290 <= len(_by_scale(j, "daily")) <= 7310
    assert 515 <= len(_by_scale(j, "PHQ-9")) <= 525
    assert 515 <= len(_by_scale(j, "GAD-7")) <= 525
    assert 60 <= len(j["trials"]) <= 90
    assert 365 <= len(_by_scale(journals[1], "daily")) <= 366
    assert 26 <= len(_by_scale(journals[1], "PHQ-9")) <= 27
    for years, journal in journals.items():
        assert 2 * years <= len({lab["date"] for lab in journal["labs"]}) <= 4 * years
        assert journal["episodes"] and journal["conditions"] and journal["notes"] and journal["sessions"]


def test_daily_check_in_every_day_up_to_the_end(journals):
    days = [date.fromisoformat(s["date"]) for s in _by_scale(journals[5], "daily")]
    assert days[-1] == END
    assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
    assert all(0 <= s[k] <= 10 for s in _by_scale(journals[5], "daily")
               for k in ("mood", "anxiety", "sleep_quality", "energy", "pain"))
    assert any("note" in s for s in _by_scale(journals[5], "daily"))


def test_same_seed_same_journal_other_seed_other_journal():
    a = synthetic_journal(5, seed=3, end=END)
    b = synthetic_journal(5, seed=3, end=END)
    c = synthetic_journal(5, seed=4, end=END)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert json.dumps(a, sort_keys=True) != json.dumps(c, sort_keys=True)


def test_nothing_dated_after_the_export_date(journals):
    for years, journal in journals.items():
        assert journal["exported_at"] == "2026-03-15T12:00:00+00:00"
        days = _all_dates(journal)
        assert max(days) <= END
        assert min(days) >= END - timedelta(days=round(years * 365.25))


def test_questionnaire_items_sum_to_total_and_item_9_is_rare(journals):
    phq = _by_scale(journals[20], "PHQ-9")
    for score in phq + _by_scale(journals[20], "GAD-7"):
        assert sum(score["items"]) == score["total"]
        assert all(0 <= i <= 3 for i in score["items"])
    item9 = Counter(s["items"][8] for s in phq)
    assert set(item9) == {0, 1}
    assert 0 < item9[1] < len(phq) * 0.1


def test_doses_rise_by_date_and_stay_within_the_catalog_range(journals):
    catalog = load_catalog()
    for journal in journals.values():
        for trial in journal["trials"]:
            drug = catalog.resolve(trial["drug"])
            assert drug is not None, trial["drug"]
            starts = [s["start"] for s in trial["doses"]]
            assert starts == sorted(set(starts))
            for step in trial["doses"]:
                assert 0 < step["mg_per_day"] <= drug.typical_max_mg
                if drug.min_adequate_mg is not None:
                    assert step["mg_per_day"] >= drug.min_adequate_mg / 2
            if trial["end"]:
                assert trial["end"] >= starts[-1]


def test_trials_mix_failures_early_stops_and_augmentation(journals):
    trials = journals[20]["trials"]
    reasons = Counter(t["stop_reason"] for t in trials)
    assert reasons["ineffective"] >= 20 and reasons["side_effects"] >= 5
    assert any(t["rating"] is None and t["stop_reason"] == "ineffective" for t in trials)
    assert any(t["rating"] and t["rating"]["response"] == "none" for t in trials)
    augmenting = [t for t in trials if t["augmentation"]]
    assert augmenting and {t["drug"] for t in augmenting} <= {"aripiprazole", "lithium"}
    for t in augmenting:
        if t["drug"] == "lithium":
            assert t["min_adequate_mg"] is not None
    # Early stops are short: too short to be adequate trials.
    for t in trials:
        if t["stop_reason"] == "side_effects":
            assert (date.fromisoformat(t["end"]) - date.fromisoformat(t["doses"][0]["start"])).days < 42
            assert t["side_effects"]


def test_esketamine_course_follows_the_induction_schedule(journals):
    sessions = journals[5]["sessions"]
    days = [datetime.fromisoformat(s["datetime"]).date() for s in sessions]
    assert [s["dose_mg"] for s in sessions[:3]] == [56, 84, 84]
    assert [s["number_in_course"] for s in sessions] == list(range(1, len(sessions) + 1))
    # Weeks 1-4 twice weekly, then weekly.
    assert sum(1 for d in days if (d - days[0]).days < 28) == 8
    assert sum(1 for d in days if 28 <= (d - days[0]).days < 56) == 4
    for s in sessions:
        assert s["bp_after"][0] > s["bp_before"][0]


def test_some_entries_are_by_a_caregiver(journals):
    entries = journals[5]["entries_by"]
    ids = {s["id"] for s in journals[5]["scores"]}
    assert 3 <= len(entries) <= 20
    assert all(e["author"] == "caregiver" and e["record"] in ids for e in entries)


def test_latest_episode_is_the_current_one(journals):
    for journal in journals.values():
        episodes = journal["episodes"]
        assert episodes[-1]["end"] is None
        assert all(e["end"] is not None for e in episodes[:-1])
        assert all(e["severity"] for e in episodes)


def test_zero_years_is_refused():
    with pytest.raises(ValueError, match="years"):
        synthetic_journal(0)


# --- the demo story --------------------------------------------------------------------------

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def demo() -> dict:
    return demo_journal(TODAY)


def test_demo_imports_cleanly_and_says_it_is_made_up(demo):
    result = parse_contents(demo, today=TODAY)
    assert result.warnings == []
    assert result.contents.profile.display_name == DEMO_DISPLAY_NAME
    assert "made-up" in DEMO_DISPLAY_NAME


def test_demo_tells_the_story_of_its_trials(demo):
    trials = {t["id"]: t for t in demo["trials"]}
    assert [s["mg_per_day"] for s in trials["t1"]["doses"]] == [50, 100, 150]
    assert trials["t1"]["rating"]["response"] == "none"
    assert [s["mg_per_day"] for s in trials["t2"]["doses"]] == [10, 20]
    venlafaxine = trials["t3"]
    assert venlafaxine["stop_reason"] == "side_effects"
    at_150 = date.fromisoformat(venlafaxine["doses"][-1]["start"])
    assert (date.fromisoformat(venlafaxine["end"]) - at_150).days + 1 == 21
    assert trials["t5"]["drug"] == "aripiprazole" and trials["t5"]["augmentation"]
    episode = demo["episodes"][-1]
    assert episode["severity"] == "moderate" and episode["end"] is None
    assert 640 <= (TODAY - date.fromisoformat(episode["start"])).days <= 700


def test_demo_remembers_an_earlier_episode_roughly(demo):
    # Before the journal: an episode given in years and months, a trial from memory with no dose, a course of CBT.
    earlier, current = demo["episodes"]
    assert (len(earlier["start"]), len(earlier["end"])) == (4, 7)
    fluoxetine = next(t for t in demo["trials"] if t["id"] == "t0")
    assert fluoxetine["source"] == "memory" and fluoxetine["doses"][0]["mg_per_day"] is None
    assert len(fluoxetine["end"]) == 4
    assert [p["kind"] for p in demo["therapies"]] == ["cbt", "behavioural_activation"]
    assert demo["version"] == 2


def test_demo_doses_stay_within_the_catalog_range(demo):
    catalog = load_catalog()
    for trial in demo["trials"]:
        drug = catalog.resolve(trial["drug"])
        assert all(s["mg_per_day"] is None or 0 < s["mg_per_day"] <= drug.typical_max_mg for s in trial["doses"])


def test_demo_escitalopram_improves_about_30_percent_by_phq9(demo):
    phq = {date.fromisoformat(s["date"]): s["total"] for s in _by_scale(demo, "PHQ-9")}
    esc = next(t for t in demo["trials"] if t["id"] == "t2")
    first = date.fromisoformat(esc["doses"][0]["start"])
    last = date.fromisoformat(esc["end"])
    adequate = first + timedelta(days=41)
    baseline = phq[max(d for d in phq if first - timedelta(days=28) <= d <= first)]
    outcome = phq[max(d for d in phq if adequate <= d <= last)]
    assert 25 <= (baseline - outcome) / baseline * 100 < 50


def test_demo_is_the_same_each_time_and_moves_with_today():
    assert demo_journal(TODAY) == demo_journal(TODAY)
    later = demo_journal(TODAY + timedelta(days=30))
    assert later["episodes"][-1]["start"] == (TODAY + timedelta(days=30 - 670)).isoformat()


def test_demo_assessment_finds_two_failed_adequate_trials(demo):
    from journal.clinical import assessment

    if not hasattr(assessment, "assess"):
        pytest.skip("journal.clinical.assessment.assess is not written yet")
    contents = parse_contents(demo, today=TODAY).contents
    verdict = assessment.assess(contents, as_of=TODAY)
    assert verdict.threshold_met
    assert verdict.failed_adequate_count == 2
    counted = {v.drug for v in verdict.trials if v.counts}
    assert counted == {"sertraline", "escitalopram"}
    venlafaxine = next(v for v in verdict.trials if v.drug == "venlafaxine")
    assert venlafaxine.outcome == "too-short"
    # The marker appears at escitalopram's outcome score, some 16 months before today.
    assert TODAY - timedelta(days=520) <= verdict.threshold_date <= TODAY - timedelta(days=450)


# --- the benchmark command runs on the generator's journals ---------------------------------


@pytest.mark.slow
def test_benchmark_command_prints_and_writes_its_table(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "latest.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--only", "assess,open_list", "--sizes", "1", "--runs", "1", "--out", str(out)],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert "assessment (ms)" in proc.stdout and "open journal and list everything (ms)" in proc.stdout, proc.stderr
    report = json.loads(out.read_text())
    assert {r["key"] for r in report["results"]} == {"assess", "open_list"}
    assert all(r["error"] is None for r in report["results"])
    assert report["journals"]["1"]["counts"]["trials"] >= 1
