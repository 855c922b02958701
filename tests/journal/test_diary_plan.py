"""From another app's rows to the journal's check-ins: the choices, the plan, storing it and taking it out again."""

from __future__ import annotations

from datetime import date
from datetime import time as TimeOfDay

import pytest

from journal.exchange.diaries import (
    DiaryChoices,
    Reading,
    Skipped,
    SourceFile,
    SourceProblem,
    SourceRow,
    choices_from_maps,
    held_origins,
    plan_import,
    questions,
    store_plan,
)
from journal.opening import open_file


def _daylio(*moods: str, note: str = "") -> SourceFile:
    rows = tuple(
        SourceRow(line=i + 2, day=date(2024, 5, 1 + i), time=TimeOfDay(21, 35), readings=(Reading("mood_name", m),),
                  note=note, raw=f"full_date=2024-05-{1 + i:02d} | time=21:35 | mood={m}")
        for i, m in enumerate(moods)
    )
    return SourceFile("daylio", rows=rows)


def test_daylio_default_moods_map_to_the_issue_levels_and_keep_their_origin():
    plan = plan_import(_daylio("rad", "good", "meh", "bad", "awful", "Gut", "LAUSIG"), DiaryChoices())
    assert plan.ready
    assert [c.mood for c in plan.checkins] == [10, 8, 5, 2, 0, 8, 0]
    first = plan.checkins[0]
    assert first.date == date(2024, 5, 1) and first.time == TimeOfDay(21, 35)
    assert first.origin.app == "Daylio" and first.origin.raw == "full_date=2024-05-01 | time=21:35 | mood=rad"
    assert plan.first == date(2024, 5, 1) and plan.last == date(2024, 5, 7)


def test_a_renamed_mood_waits_for_its_level_and_the_question_says_how_often_it_occurs():
    source = _daylio("rad", "Sleepy", "sleepy", "good")
    plan = plan_import(source, DiaryChoices())
    assert not plan.ready
    assert [(q.kind, q.key, q.count, q.proposed) for q in plan.unanswered] == [("mood_name", "Sleepy", 2, None)]
    asked = {q.key: q.proposed for q in questions(source)}
    assert asked == {"rad": 10, "Sleepy": None, "good": 8}
    answered = plan_import(source, DiaryChoices(mood_levels={"SLEEPY": 4, "rad": 9}))
    assert answered.ready and [c.mood for c in answered.checkins] == [9, 4, 4, 8]


def test_the_same_file_twice_adds_nothing_and_a_later_export_adds_only_its_new_rows(tmp_path):
    with open_file(tmp_path / "j.db") as j:
        first = plan_import(_daylio("rad", "good"), DiaryChoices(), held_origins(j.contents()))
        store_plan(j, first)
        again = plan_import(_daylio("rad", "good"), DiaryChoices(), held_origins(j.contents()))
        assert again.checkins == () and again.already == 2
        later = plan_import(_daylio("rad", "good", "meh"), DiaryChoices(), held_origins(j.contents()))
        assert [c.mood for c in later.checkins] == [5] and later.already == 2
        assert len(j.contents().checkins) == 2


def test_two_identical_rows_in_one_file_are_both_kept_once():
    twice = SourceFile("daylio", rows=_daylio("rad").rows * 2)
    plan = plan_import(twice, DiaryChoices())
    assert len(plan.checkins) == 2
    held = held_origins_of(plan)
    assert plan_import(twice, DiaryChoices(), held).checkins == ()


def held_origins_of(plan):
    from collections import Counter

    return Counter((c.origin.app, c.origin.raw) for c in plan.checkins)


def test_emoods_anxiety_severities_have_defaults_the_person_can_change():
    rows = tuple(
        SourceRow(line=i + 2, day=date(2023, 1, 1 + i), time=None, fields={"hours_slept": 7.5},
                  readings=(Reading("severity", s),), raw=f"DATE=2023-01-0{1 + i} | ANXIETY={i + 1}")
        for i, s in enumerate(("none", "mild", "moderate", "severe"))
    )
    source = SourceFile("emoods", rows=rows)
    assert [c.anxiety for c in plan_import(source, DiaryChoices()).checkins] == [0, 3, 6, 9]
    changed, problems = choices_from_maps("emoods", ["mild=2", "severe=10"])
    assert problems == []
    plan = plan_import(source, changed)
    assert [c.anxiety for c in plan.checkins] == [0, 2, 6, 10]
    assert all(c.mood is None and c.hours_slept == 7.5 for c in plan.checkins)


def test_bearable_ratings_need_their_scale_and_map_onto_zero_to_ten():
    rows = tuple(
        SourceRow(line=2 + i, day=date(2022, 1, 5), time=None, readings=(Reading("rating", "Mood", v), Reading("rating", "Energy", 3)),
                  note="morning", raw=f"date=5th Jan 2022 | time of day=am{i}")
        for i, v in enumerate((1, 3, 5))
    )
    source = SourceFile("bearable", rows=rows)
    plan = plan_import(source, DiaryChoices())
    assert not plan.ready
    assert {(q.key, q.found) for q in plan.unanswered} == {("Mood", (1, 5)), ("Energy", (3, 3))}
    choices, problems = choices_from_maps("bearable", ["Mood=1-5", "energy=1-5"])
    assert problems == []
    plan = plan_import(source, choices)
    assert [(c.mood, c.energy) for c in plan.checkins] == [(0, 5), (5, 5), (10, 5)]


def test_t2_groups_map_by_title_or_by_choice_and_inverse_is_honoured():
    row = SourceRow(
        line=5, day=date(2015, 3, 2), time=TimeOfDay(9, 15),
        readings=(Reading("group", "Anxiety", 80), Reading("group", "Well-being", 30, inverse=True)),
        raw="result=2015-03-02 09:15:00",
    )
    source = SourceFile("t2", rows=(row,))
    plan = plan_import(source, DiaryChoices())
    assert [q.key for q in plan.unanswered] == ["Well-being"]
    plan = plan_import(source, DiaryChoices(groups={"well-being": "mood"}))
    (c,) = plan.checkins
    assert (c.anxiety, c.mood) == (8, 7)
    kept_in_words = plan_import(source, DiaryChoices(groups={"Well-being": "note"})).checkins[0]
    assert kept_in_words.mood is None and "Well-being: 7 of 10" in kept_in_words.note


def test_words_with_no_rating_become_a_note_and_an_empty_row_is_skipped_with_its_reason():
    rows = (
        SourceRow(line=3, day=date(2015, 3, 2), time=TimeOfDay(9, 0), note="Slept badly", raw="note=2015-03-02 09:00:00 | Slept badly"),
        SourceRow(line=4, day=date(2015, 3, 3), time=None, raw="result=2015-03-03"),
    )
    plan = plan_import(SourceFile("t2", rows=rows, skipped=(Skipped(9, "nothing recorded on this day"),)), DiaryChoices())
    assert plan.checkins == ()
    assert [(n.text, n.for_appointment, n.origin.app) for n in plan.notes] == [("Slept badly", False, "T2 Mood Tracker")]
    assert [(s.line, s.reason) for s in plan.skipped] == [(4, "nothing recorded in this row"), (9, "nothing recorded on this day")]
    assert "1 note added" in plan.summary() and "2 empty rows skipped" in plan.summary()


def test_a_file_with_problems_is_not_ready_and_stores_nothing(tmp_path):
    source = SourceFile("daylio", rows=_daylio("rad").rows, problems=(SourceProblem(7, "time", "25:99", "not a time of day"),))
    plan = plan_import(source, DiaryChoices())
    assert not plan.ready and str(plan.problems[0]) == "line 7, column time, value '25:99': not a time of day"
    with open_file(tmp_path / "j.db") as j:
        with pytest.raises(ValueError):
            store_plan(j, plan)
        assert j.contents().checkins == ()


@pytest.mark.parametrize(
    ("app", "given", "words"),
    [
        ("daylio", "Sleepy", "NAME=VALUE"),
        ("daylio", "Sleepy=11", "from 0 to 10"),
        ("emoods", "panic=3", "one of none, mild, moderate, severe"),
        ("bearable", "Mood=5-1", "lowest and highest"),
        ("t2", "Stress=worry", "one of mood, anxiety"),
        ("imoodjournal", "x=1", "needs no --map"),
    ],
)
def test_a_map_that_cannot_be_read_is_named(app, given, words):
    _, problems = choices_from_maps(app, [given])
    assert len(problems) == 1 and given in problems[0] and words in problems[0]


def test_an_activity_that_names_a_medicine_is_offered_never_made_a_trial():
    rows = tuple(
        SourceRow(line=2 + i, day=date(2024, 1, 1 + i * 10), time=None, readings=(Reading("mood_name", "good"),),
                  tags=tags, raw=f"full_date=2024-01-{1 + i * 10:02d} | activities={'|'.join(tags)}")
        for i, tags in enumerate((("walk", "taking SSRI"), ("#wellbutrin 150mg",), ("taking SSRI",)))
    )
    plan = plan_import(SourceFile("daylio", rows=rows), DiaryChoices())
    found = {(m.drug, m.drug_class): (m.first, m.last, m.count) for m in plan.medicines}
    assert found == {
        (None, "SSRI"): (date(2024, 1, 1), date(2024, 1, 21), 2),
        ("bupropion", "NDRI"): (date(2024, 1, 11), date(2024, 1, 11), 1),
    }
    assert all(c.note == "" for c in plan.checkins)  # the offer is the window's; the plan adds check-ins only


def test_stored_records_carry_a_caregivers_name_and_come_out_again_in_one_step(tmp_path):
    with open_file(tmp_path / "j.db") as j:
        stored = store_plan(j, plan_import(_daylio("rad", "meh"), DiaryChoices()), author="Alex")
        ids = stored.ids["checkins"]
        assert len(ids) == 2 and all(j.author_of(i) == "Alex" for i in ids)
        backups = []
        store_plan(j, plan_import(_daylio("rad", "meh", "bad"), DiaryChoices(), held_origins(j.contents())),
                   backup=lambda: backups.append(True))
        assert backups == [True] and len(j.contents().checkins) == 3
        j.remove_records(stored.ids)
        left = j.contents()
        assert [c.mood for c in left.checkins] == [2] and left.entries_by == ()
        j.import_contents(stored.contents)  # redo puts the same records back, ids and authors too
        assert sorted(c.id for c in j.contents().checkins if j.author_of(c.id) == "Alex") == sorted(ids)


def test_a_row_that_breaks_the_journals_rules_is_named_by_its_line_and_nothing_is_ready():
    rows = (
        SourceRow(line=4, day=date(2023, 1, 1), time=None, fields={"hours_slept": 30.0}, raw="DATE=2023-01-01 | SLEEP=30"),
        SourceRow(line=5, day=date(2023, 1, 2), time=None, fields={"hours_slept": 7.0}, note="x" * 20_001, raw="DATE=2023-01-02"),
        SourceRow(line=6, day=date(2023, 1, 3), time=None, fields={"hours_slept": 7.0}, raw="DATE=2023-01-03 | SLEEP=7"),
    )
    plan = plan_import(SourceFile("emoods", rows=rows), DiaryChoices())
    assert not plan.ready
    said = [str(p) for p in plan.problems]
    assert said[0].startswith("line 4, column hours_slept, value '30.0':") and said[1].startswith("line 5, column note")
    assert [c.date for c in plan.checkins] == [date(2023, 1, 3)]
