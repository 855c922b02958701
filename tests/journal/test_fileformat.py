"""The version-1 file's rules (spec/journal-json.md), each as a person importing a file would meet it (version 2: test_fileformat_v2.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from journal import rules
from journal.errors import ValidationError
from journal.exchange.jsonfile import contents_to_json, dumps, load_file, parse_contents
from journal.records import DoseStep, Trial

FULL = Path(__file__).resolve().parents[1] / "fixtures" / "full_journal.json"
TODAY = date(2026, 11, 27)


def base(**lists) -> dict:
    return {"format": "trial-journal", "version": 1, **lists}


def parse(data, **kw):
    return parse_contents(data, today=kw.pop("today", TODAY), **kw)


def problems(data, **kw) -> dict[str, str]:
    """Every problem of a refused file as {field: message}; fails if the file is accepted."""
    with pytest.raises(ValidationError) as caught:
        parse(data, **kw)
    return {p.field: p.message for p in caught.value.problems}


def episode(**fields) -> dict:
    return {"id": "e1", "start": "2025-01-06", **fields}


def trial(**fields) -> dict:
    return {"id": "t1", "drug": "sertraline", "doses": [{"start": "2025-01-10", "mg_per_day": 50}], **fields}


# --------------------------------------------------------------------------- the whole file


def test_the_full_fixture_is_read_whole():
    result = parse(json.loads(FULL.read_text(encoding="utf-8")))
    c = result.contents
    assert (len(c.episodes), len(c.trials), len(c.scores), len(c.checkins)) == (2, 5, 8, 2)
    assert (len(c.labs), len(c.conditions), len(c.sessions), len(c.notes), len(c.entries_by)) == (3, 2, 3, 2, 2)
    assert result.settings_changes == {
        "adequate_weeks": 8, "failure_threshold_pct": 25, "count_augmentation": True, "primary_scale": "QIDS-SR16",
    }
    assert c.profile.display_name == "Sam Rivera"
    assert result.warnings == []


def test_written_contents_read_back_the_same():
    contents = parse(json.loads(FULL.read_text(encoding="utf-8"))).contents
    written = contents_to_json(contents, datetime(2026, 10, 16, tzinfo=UTC))
    again = parse(written).contents
    assert again == contents
    assert json.loads(dumps(contents, datetime(2026, 10, 16, tzinfo=UTC))) == written


def test_unknown_top_level_key_is_a_warning_not_an_error():
    result = parse(base(mood_diary=[1, 2], episodes=[episode()]))
    assert len(result.contents.episodes) == 1
    assert any("mood_diary" in w for w in result.warnings)


def test_unknown_key_in_a_record_names_the_record_and_the_key():
    found = problems(base(episodes=[episode(mood="low")], trials=[trial(colour="blue")]))
    assert "episodes[e1].mood" in found
    assert "trials[t1].colour" in found


def test_unknown_key_in_a_dose_step_is_named_by_its_place():
    t = trial(doses=[{"start": "2025-01-10", "mg_per_day": 50, "mg": 50}])
    assert "trials[t1].doses[0].mg" in problems(base(trials=[t]))


def test_every_problem_is_reported_together():
    data = base(episodes=[episode(severity="awful")], trials=[trial(stop_reason="bored")], notes=[{"id": "n1", "date": "2025-01-01"}])
    found = problems(data)
    assert {"episodes[e1].severity", "trials[t1].stop_reason", "notes[n1].text"} <= set(found)


def test_not_an_object_is_a_whole_file_problem():
    for data in ([], "trial-journal", 3, None):
        found = problems(data)
        assert list(found) == [""]
        assert "object" in found[""]


# --------------------------------------------------------------------------- ids and references


def test_ids_are_unique_within_their_list():
    found = problems(base(trials=[trial(), trial()]))
    assert "unique" in found["trials[t1].id"]


def test_the_same_id_in_two_lists_is_allowed():
    # The spec asks ids to be unique within their list only.
    result = parse(base(episodes=[episode(id="x1")], notes=[{"id": "x1", "date": "2025-01-01", "text": "hello"}]))
    assert result.contents.episodes[0].id == result.contents.notes[0].id == "x1"


def test_a_record_without_an_id_is_named_by_its_position():
    found = problems(base(episodes=[episode(), {"start": "2025-02-01"}]))
    assert "episodes[#2].id" in found


def test_a_reference_to_a_missing_id_is_an_error():
    found = problems(base(episodes=[episode()], entries_by=[{"record": "s9", "author": "Alex"}]))
    assert "s9" in found["entries_by[0].record"]


def test_a_reference_to_a_held_id_is_kept():
    result = parse(base(episodes=[episode()], entries_by=[{"record": "e1", "author": "Alex"}]))
    assert result.contents.author_of("e1") == "Alex"


def test_ids_the_journal_already_holds_are_refused():
    found = problems(base(episodes=[episode()]), existing_ids={"episodes": {"e1"}})
    assert "already" in found["episodes[e1].id"]


# --------------------------------------------------------------------------- dates


def test_dates_from_1900_on_are_accepted():
    assert parse(base(episodes=[episode(start="1900-01-01")])).contents.episodes[0].start == date(1900, 1, 1)


def test_a_date_before_1900_is_refused():
    assert "1900-01-01" in problems(base(episodes=[episode(start="1899-12-31")]))["episodes[e1].start"]


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13-01", "2025-1-5", "05/01/2025", "", "yesterday"])
def test_a_date_that_does_not_exist_or_is_badly_written_is_refused(bad):
    found = problems(base(episodes=[episode(start=bad)]))
    assert "episodes[e1].start" in found


def test_a_date_after_the_export_date_is_refused():
    data = base(exported_at="2025-06-01T10:00:00+00:00", episodes=[episode(start="2025-06-02")])
    assert "2025-06-01" in problems(data)["episodes[e1].start"]


def test_a_date_on_the_export_date_is_accepted():
    data = base(exported_at="2025-06-01T10:00:00+00:00", episodes=[episode(start="2025-06-01")])
    assert parse(data).contents.episodes[0].start == date(2025, 6, 1)


def test_without_an_export_date_today_is_the_limit():
    assert parse(base(episodes=[episode(start="2026-11-27")])).contents.episodes
    assert "episodes[e1].start" in problems(base(episodes=[episode(start="2026-11-28")]))


def test_an_episode_ending_before_it_starts_is_refused():
    assert "episodes[e1].end" in problems(base(episodes=[episode(end="2025-01-01")]))


# --------------------------------------------------------------------------- format and version


def test_a_newer_version_says_so():
    message = problems({"format": "trial-journal", "version": 3})["version"]
    assert "3" in message and "newer" in message and "1 and 2" in message


@pytest.mark.parametrize("version", [0, "1", "2", 1.5, 2.0, None, True])
def test_a_wrong_version_is_refused(version):
    assert "version" in problems({"format": "trial-journal", "version": version})


@pytest.mark.parametrize("fmt", [None, "Trial-Journal", "mood-app", 1])
def test_a_wrong_format_is_refused(fmt):
    assert "format" in problems({"format": fmt, "version": 1})


def test_exported_at_needs_an_offset():
    assert "exported_at" in problems(base(exported_at="2025-06-01T10:00:00"))


# --------------------------------------------------------------------------- trials and doses


def test_a_dose_above_the_typical_maximum_is_kept_with_a_warning():
    result = parse(base(trials=[trial(doses=[{"start": "2025-01-10", "mg_per_day": 300}])]))
    assert result.contents.trials[0].doses[0].mg_per_day == 300
    assert any("trials[t1].doses[0].mg_per_day" in w and "200" in w for w in result.warnings), result.warnings


def test_a_brand_name_is_accepted():
    assert parse(base(trials=[trial(drug="Zoloft")])).contents.trials


def test_a_custom_drug_is_accepted_without_a_warning():
    result = parse(base(trials=[trial(drug="hypericum", doses=[{"start": "2025-01-10", "mg_per_day": 9000}])]))
    assert result.contents.trials[0].drug == "hypericum"
    assert result.warnings == []


@pytest.mark.parametrize(
    ("mg", "words"), [(-50, "greater than 0"), (0, "greater than 0"), (10001, "10000"), ("50", "number"), (None, "required")]
)
def test_a_bad_dose_is_refused(mg, words):
    found = problems(base(trials=[trial(doses=[{"start": "2025-01-10", "mg_per_day": mg}])]))
    assert words in found["trials[t1].doses[0].mg_per_day"]


def test_a_negative_dose_names_the_value():
    t = trial(id="t3", doses=[{"start": "2025-01-10", "mg_per_day": 50}, {"start": "2025-02-10", "mg_per_day": -50}])
    message = problems(base(trials=[t]))["trials[t3].doses[1].mg_per_day"]
    assert "greater than 0" in message and "-50" in message


def test_dose_step_starts_must_increase():
    t = trial(doses=[{"start": "2025-01-10", "mg_per_day": 50}, {"start": "2025-01-10", "mg_per_day": 100}])
    assert "trials[t1].doses[1].start" in problems(base(trials=[t]))


def test_a_trial_needs_a_dose_step():
    assert "trials[t1].doses" in problems(base(trials=[trial(doses=[])]))


def test_a_trial_ending_before_its_last_step_is_refused():
    t = trial(doses=[{"start": "2025-01-10", "mg_per_day": 50}, {"start": "2025-03-01", "mg_per_day": 100}], end="2025-02-01")
    assert "trials[t1].end" in problems(base(trials=[t]))


def test_liothyronine_micrograms_are_milligrams():
    t = trial(drug="liothyronine", doses=[{"start": "2025-01-10", "mg_per_day": 0.025}])
    assert parse(base(trials=[t])).contents.trials[0].doses[0].mg_per_day == 0.025


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"rating": {"response": "great"}}, "trials[t1].rating.response"),
        ({"rating": {"response": "none", "improvement_pct": 120}}, "trials[t1].rating.improvement_pct"),
        ({"side_effects": [{"name": "nausea", "severity": 4}]}, "trials[t1].side_effects[0].severity"),
        ({"adherence": "sometimes"}, "trials[t1].adherence"),
        ({"augmentation": "yes"}, "trials[t1].augmentation"),
    ],
)
def test_bad_trial_fields_are_named(fields, where):
    assert where in problems(base(trials=[trial(**fields)]))


# --------------------------------------------------------------------------- scores and check-ins


def test_phq9_items_only_gets_its_total():
    s = {"id": "s1", "date": "2025-01-08", "scale": "PHQ-9", "items": [2, 3, 2, 3, 1, 2, 2, 1, 0]}
    assert parse(base(scores=[s])).contents.scores[0].total == 16


def test_items_and_a_total_that_disagree_are_refused():
    s = {"id": "s1", "date": "2025-01-08", "scale": "PHQ-9", "items": [2, 3, 2, 3, 1, 2, 2, 1, 0], "total": 17}
    message = problems(base(scores=[s]))["scores[s1].total"]
    assert "16" in message and "17" in message


@pytest.mark.parametrize(
    ("score", "where"),
    [
        ({"scale": "PHQ-9", "items": [1] * 8}, "scores[s1].items"),
        ({"scale": "GAD-7", "items": [1, 1, 1, 4, 1, 1, 1]}, "scores[s1].items[3]"),
        ({"scale": "MADRS", "total": 61}, "scores[s1].total"),
        ({"scale": "QIDS-SR16", "total": 28}, "scores[s1].total"),
        ({"scale": "HAMD-17", "total": -1}, "scores[s1].total"),
        ({"scale": "MADRS", "items": [1, 2]}, "scores[s1].items"),
        ({"scale": "BDI-II", "total": 20}, "scores[s1].scale"),
        ({"scale": "PHQ-9"}, "scores[s1].total"),
        ({"scale": "PHQ-9", "total": 12, "difficulty": 4}, "scores[s1].difficulty"),
    ],
)
def test_bad_scores_are_named(score, where):
    assert where in problems(base(scores=[{"id": "s1", "date": "2025-01-08", **score}]))


def test_a_daily_check_in_needs_at_least_one_rating():
    found = problems(base(scores=[{"id": "d1", "date": "2025-01-08", "scale": "daily", "note": "tired"}]))
    assert "scores[d1]" in found


def test_a_daily_check_in_with_hours_slept_only_is_kept():
    c = parse(base(scores=[{"id": "d1", "date": "2025-01-08", "scale": "daily", "hours_slept": 6.5}])).contents
    assert c.checkins[0].hours_slept == 6.5
    assert c.scores == ()


def test_a_daily_rating_out_of_range_is_named():
    assert "scores[d1].mood" in problems(base(scores=[{"id": "d1", "date": "2025-01-08", "scale": "daily", "mood": 11}]))


# --------------------------------------------------------------------------- sessions, labs, notes


def test_a_session_time_needs_its_offset():
    k = {"id": "k1", "datetime": "2025-05-02T09:30:00", "treatment": "esketamine"}
    assert "offset" in problems(base(sessions=[k]))["sessions[k1].datetime"]


def test_a_session_with_an_offset_keeps_it():
    k = {"id": "k1", "datetime": "2025-05-02T09:30:00+02:00", "treatment": "esketamine"}
    when = parse(base(sessions=[k])).contents.sessions[0].datetime
    assert when.isoformat() == "2025-05-02T09:30:00+02:00"


def test_a_blood_pressure_must_be_two_numbers():
    k = {"id": "k1", "datetime": "2025-05-02T09:30:00+02:00", "treatment": "esketamine", "bp_before": [128]}
    assert "sessions[k1].bp_before" in problems(base(sessions=[k]))


def test_a_lab_needs_a_number():
    assert "labs[l1].value" in problems(base(labs=[{"id": "l1", "date": "2025-01-01", "test": "CRP", "value": "high"}]))


def test_a_note_needs_text():
    assert "notes[n1].text" in problems(base(notes=[{"id": "n1", "date": "2025-01-01"}]))


def test_a_condition_status_must_be_known():
    assert "conditions[c1].status" in problems(base(conditions=[{"id": "c1", "name": "ADHD", "status": "maybe"}]))


# --------------------------------------------------------------------------- settings and profile


def test_settings_may_be_partial():
    assert parse(base(settings={"adequate_weeks": 8})).settings_changes == {"adequate_weeks": 8}


def test_no_settings_change_nothing():
    assert parse(base()).settings_changes == {}


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ({"adequate_weeks": 7}, "settings.adequate_weeks"),
        ({"adequate_weeks": "6"}, "settings.adequate_weeks"),
        ({"failure_threshold_pct": 40}, "settings.failure_threshold_pct"),
        ({"count_augmentation": "yes"}, "settings.count_augmentation"),
        ({"count_augmentation": 1}, "settings.count_augmentation"),
        ({"primary_scale": "GAD-7"}, "settings.primary_scale"),
        ({"dark_mode": True}, "settings.dark_mode"),
    ],
)
def test_a_bad_setting_is_named(settings, where):
    assert where in problems(base(settings=settings))


def test_a_birth_year_in_the_future_is_refused():
    assert "profile.birth_year" in problems(base(profile={"birth_year": 2030}))


# --------------------------------------------------------------------------- reading from disk


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    p = tmp_path / "bom.json"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(base(episodes=[episode()])).encode())
    assert load_file(p, today=TODAY).contents.episodes


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "JSON"),
        (b"{", "JSON"),
        (b'{"format": "trial-journal", "version": 1, "labs": [{"id": "l1", "date": "2025-01-01", "test": "CRP", "value": NaN}]}', "NaN"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"[]", "object"),
    ],
)
def test_an_unreadable_file_is_one_plain_problem(tmp_path, raw, words):
    p = tmp_path / "bad.json"
    p.write_bytes(raw)
    with pytest.raises(ValidationError) as caught:
        load_file(p, today=TODAY)
    assert len(caught.value.problems) == 1
    assert words in str(caught.value)


def test_a_huge_number_is_a_plain_problem(tmp_path):
    # JSON allows any length of digits; Python refuses to read more than 4300 of them.
    p = tmp_path / "big.json"
    head = '{"format": "trial-journal", "version": 1, "scores": [{"id": "s1", "date": "2025-01-01", "scale": "MADRS", "total": 1'
    p.write_text(head + "0" * 5000 + "}]}")
    with pytest.raises(ValidationError):
        load_file(p, today=TODAY)


def test_a_lab_value_too_big_for_a_float_is_a_plain_problem():
    with pytest.raises(ValidationError) as caught:
        parse(base(labs=[{"id": "l1", "date": "2025-01-01", "test": "CRP", "value": 10**400}]))
    assert caught.value.for_field("labs[l1].value")


# --------------------------------------------------------------------------- one record from a form


def test_a_form_record_is_checked_by_the_same_rules():
    t = Trial(id="", drug="sertraline", doses=(DoseStep(date(2025, 1, 10), 50.0), DoseStep(date(2025, 2, 1), -50.0)))
    found = {p.field: p.message for p in rules.problems(t, today=TODAY)}
    assert "greater than 0" in found["doses[1].mg_per_day"]


def test_a_form_record_above_the_typical_maximum_only_warns():
    t = Trial(id="", drug="escitalopram", doses=(DoseStep(date(2025, 1, 10), 30.0),))
    assert rules.problems(t, today=TODAY) == []
    assert any("20" in w for w in rules.warnings(t, today=TODAY))


# --------------------------------------------------------------------------- a key written twice


def _load_text(tmp_path, text: str):
    p = tmp_path / "twice.json"
    p.write_text(text, encoding="utf-8")
    return load_file(p, today=TODAY)


def test_a_top_level_list_given_twice_is_refused_by_name(tmp_path):
    # JSON readers keep the last "notes" and drop the first list without a word.
    text = (
        '{"format": "trial-journal", "version": 1,'
        ' "notes": [{"id": "n1", "date": "2025-03-01", "text": "Ask about thyroid panel"}],'
        ' "episodes": [],'
        ' "notes": [{"id": "n2", "date": "2025-03-02", "text": "Slept better"}]}'
    )
    with pytest.raises(ValidationError) as caught:
        _load_text(tmp_path, text)
    assert {p.field for p in caught.value.problems} == {"notes"}
    assert "notes: appears 2 times" in str(caught.value)


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ('{"id": "t1", "drug": "sertraline", "drug": "bupropion", "doses": [{"start": "2025-01-10", "mg_per_day": 50}]}',
         "trials[t1].drug"),
        ('{"id": "t1", "drug": "sertraline", "doses": [{"start": "2025-01-10", "mg_per_day": 50, "mg_per_day": 500}]}',
         "trials[t1].doses[0].mg_per_day"),
    ],
)
def test_a_field_given_twice_in_a_record_is_refused_by_name(tmp_path, record, field):
    with pytest.raises(ValidationError) as caught:
        _load_text(tmp_path, '{"format": "trial-journal", "version": 1, "trials": [' + record + "]}")
    assert [p.field for p in caught.value.problems] == [field]


def test_a_check_in_or_setting_given_twice_is_refused_by_name(tmp_path):
    text = (
        '{"format": "trial-journal", "version": 1,'
        ' "settings": {"adequate_weeks": 6, "adequate_weeks": 8},'
        ' "scores": [{"id": "d1", "date": "2025-03-21", "scale": "daily", "mood": 3, "mood": 7}]}'
    )
    with pytest.raises(ValidationError) as caught:
        _load_text(tmp_path, text)
    assert {p.field for p in caught.value.problems} == {"settings.adequate_weeks", "scores[d1].mood"}


def test_a_file_without_repeated_keys_is_read_as_before(tmp_path):
    result = _load_text(tmp_path, FULL.read_text(encoding="utf-8"))
    assert result.contents == parse(json.loads(FULL.read_text(encoding="utf-8"))).contents


# --------------------------------------------------------------------------- how long text may be


def test_a_two_megabyte_drug_name_is_refused_naming_the_field_and_its_limit(tmp_path):
    data = base(trials=[trial(drug="x" * 2_000_000)])
    p = tmp_path / "huge.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_file(p, today=TODAY)
    (problem,) = caught.value.problems
    assert problem.field == "trials[t1].drug"
    assert problem.message == "is too long: a drug name may have at most 200 characters, this one has 2,000,000"
    assert len(str(caught.value)) < 200  # the name itself is never echoed back


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (base(notes=[{"id": "n1", "date": "2025-03-01", "text": "a" * 20_001}]), "notes[n1].text", "a note may have at most 20,000"),
        (base(episodes=[episode(note="b" * 20_001)]), "episodes[e1].note", "a note may have at most 20,000"),
        (base(trials=[trial(side_effects=[{"name": "c" * 201}])]), "trials[t1].side_effects[0].name", "a side effect may have at most 200"),
        (
            base(labs=[{"id": "l1", "date": "2025-02-01", "test": "CRP", "value": 4.2, "unit": "m" * 41}]),
            "labs[l1].unit",
            "a unit may have at most 40",
        ),
        (base(conditions=[{"id": "c1", "name": "d" * 201}]), "conditions[c1].name", "a condition name may have at most 200"),
        (
            base(scores=[{"id": "d1", "date": "2025-03-21", "scale": "daily", "mood": 3, "note": "e" * 20_001}]),
            "scores[d1].note",
            "at most 20,000",
        ),
        (base(profile={"display_name": "f" * 201}), "profile.display_name", "a name may have at most 200"),
        (base(episodes=[episode(id="g" * 201)]), "episodes[#1].id", "an id may have at most 200"),
    ],
)
def test_every_text_field_has_a_limit_named_in_plain_words(data, field, words):
    found = problems(data)
    assert words in found[field], found


def test_text_at_its_limit_is_kept_whole():
    note = "Ask about lithium levels. " * 769  # 19,994 characters, well past 1,300 words
    drug = "d" * 200
    result = parse(base(notes=[{"id": "n1", "date": "2025-03-01", "text": note}], trials=[trial(drug=drug)]))
    assert result.contents.notes[0].text == note
    assert result.contents.trials[0].drug == drug


def test_a_form_is_held_to_the_same_limits():
    from journal.records import Note

    found = {p.field: p.message for p in rules.problems(Note(id="", date=date(2025, 3, 1), text="x" * 25_000), today=TODAY)}
    assert found == {"text": "is too long: a note may have at most 20,000 characters, this one has 25,000"}
    t = Trial(id="", drug="x" * 300, doses=(DoseStep(date(2025, 1, 10), 50.0),))
    assert [p.field for p in rules.problems(t, today=TODAY)] == ["drug"]
