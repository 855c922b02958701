"""The questions the journal may suggest bringing to an appointment (clinical/questions.md): when, in what words, and never what."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from journal.clinical.scales import WORKUP_CONDITIONS
from journal.questions import KEYS, UNNAMED, Suggestion, all_suggestions, choice_for, months_before, note_for, suggestions
from journal.records import (
    Condition,
    DoseStep,
    Episode,
    JournalContents,
    JournalState,
    Lab,
    Profile,
    QuestionChoice,
    Rating,
    ScaleScore,
    Trial,
    parse_partial,
)

D = date.fromisoformat
AS_OF = D("2025-06-01")


def lab(lid: str, test: str, on: str, value: float = 1.0) -> Lab:
    return Lab(id=lid, date=D(on), test=test, value=value)


def gad7(sid: str, on: str, total: int) -> ScaleScore:
    return ScaleScore(id=sid, date=D(on), scale="GAD-7", total=total)


def step(start: str, mg: float | None) -> DoseStep:
    day, precision = parse_partial(start)
    return DoseStep(day, None if mg is None else float(mg), start_precision=precision)


def trial(tid, drug, steps, end, *, source=None) -> Trial:
    end_day, end_precision = parse_partial(end)
    return Trial(
        id=tid,
        drug=drug,
        doses=tuple(step(s, mg) for s, mg in steps),
        end=end_day,
        end_precision=end_precision,
        adherence="good",
        rating=Rating("none"),
        source=source,
    )


EPISODE = Episode(id="e1", start=D("2018-01-01"), severity="moderate")
# Exact trials, each a failed adequate trial (12 weeks or more at an adequate dose, "no better").
SERTRALINE = trial("t1", "sertraline", [("2024-01-10", 100)], "2024-04-30")
ESCITALOPRAM = trial("t2", "escitalopram", [("2024-05-05", 20)], "2024-08-30")
FLUOXETINE = trial("t3", "fluoxetine", [("2024-09-05", 40)], "2024-12-30")
# "Sertraline in 2019, I don't remember the dose, it did nothing": could count once its details are confirmed.
REMEMBERED = trial("t4", "sertraline", [("2019", None)], "2019", source="memory")

ASSESSED = tuple(Condition(id=f"c-{k.key}", name=k.name, status="assessed") for k in WORKUP_CONDITIONS)
# A journal in which no suggestion's condition holds: recent CRP and TSH, a cortisol once, every
# condition assessed, a low GAD-7, no trials.
QUIET = JournalContents(
    labs=(lab("l-crp", "CRP", "2025-03-01"), lab("l-tsh", "TSH", "2025-03-01"), lab("l-cort", "morning cortisol", "2023-01-10")),
    conditions=ASSESSED,
    scores=(gad7("s1", "2025-05-01", 5),),
)


def without(contents: JournalContents, **ids: tuple[str, ...]) -> JournalContents:
    """The contents less the records of those ids, kind by kind (labs=("l-crp",))."""
    return replace(contents, **{kind: tuple(r for r in getattr(contents, kind) if r.id not in gone) for kind, gone in ids.items()})


def plus(contents: JournalContents, **more: tuple) -> JournalContents:
    return replace(contents, **{kind: (*getattr(contents, kind), *records) for kind, records in more.items()})


def condition_status(key: str, status: str | None, name: str | None = None) -> JournalContents:
    kept = tuple(c for c in ASSESSED if c.id != f"c-{key}")
    kind = next(k for k in WORKUP_CONDITIONS if k.key == key)
    return replace(QUIET, conditions=(*kept, Condition(id=f"c-{key}", name=name or kind.name, status=status)))


def shown(contents: JournalContents, as_of: date = AS_OF) -> dict[str, Suggestion]:
    return {s.key: s for s in suggestions(contents, as_of)}


def chose(contents: JournalContents, s: Suggestion, choice: str = "dismissed") -> JournalContents:
    return replace(contents, state=JournalState(question_choices=(choice_for(s, choice, AS_OF),)))


# Each condition: a journal where it holds, and one where it still holds but reads differently.
ON_AND_CHANGED = {
    "trd": (
        plus(QUIET, episodes=(EPISODE,), trials=(SERTRALINE, ESCITALOPRAM)),
        plus(QUIET, episodes=(EPISODE,), trials=(SERTRALINE, ESCITALOPRAM, FLUOXETINE)),  # a third failed trial
    ),
    "look_up": (
        plus(QUIET, episodes=(EPISODE,), trials=(REMEMBERED, ESCITALOPRAM)),
        # the same trial remembered more closely: the months are known, the dose still is not
        plus(QUIET, episodes=(EPISODE,), trials=(trial("t4", "sertraline", [("2019-03", None)], "2019-09", source="memory"), ESCITALOPRAM)),
    ),
    "crp": (
        without(QUIET, labs=("l-crp",)),
        plus(without(QUIET, labs=("l-crp",)), labs=(lab("l-old", "CRP", "2024-05-31"),)),  # a CRP since, now a year old
    ),
    "tsh": (
        without(QUIET, labs=("l-tsh",)),
        plus(without(QUIET, labs=("l-tsh",)), labs=(lab("l-old", "TSH", "2023-02-01"),)),
    ),
    "cortisol": (without(QUIET, labs=("l-cort",)), None),  # "no cortisol ever" has one reading while it holds
    "condition:adhd": (condition_status("adhd", "suspected"), without(QUIET, conditions=("c-adhd",))),
    "condition:sleep_disorder": (without(QUIET, conditions=("c-sleep_disorder",)), condition_status("sleep_disorder", "suspected")),
    "gad7": (
        plus(QUIET, scores=(gad7("s2", "2025-05-20", 12),)),
        plus(QUIET, scores=(gad7("s2", "2025-05-20", 12), gad7("s3", "2025-05-30", 11))),  # a newer score, still 10 or more
    ),
}


def test_a_quiet_journal_suggests_nothing():
    assert shown(QUIET) == {}


@pytest.mark.parametrize("key", sorted(ON_AND_CHANGED))
def test_each_suggestion_appears_when_its_condition_holds_and_only_it(key):
    on, _ = ON_AND_CHANGED[key]
    assert list(shown(on)) == [key]


@pytest.mark.parametrize("key", sorted(ON_AND_CHANGED))
def test_a_dismissed_or_added_suggestion_is_not_shown_while_its_condition_reads_the_same(key):
    on, _ = ON_AND_CHANGED[key]
    s = shown(on)[key]
    assert shown(chose(on, s, "dismissed")) == {}
    assert shown(chose(on, s, "added")) == {}
    # other suggestions are not hidden by it
    drop = "l-tsh" if key == "crp" else "l-crp"
    others = shown(chose(without(on, labs=(drop,)), s))
    assert list(others) == ["tsh" if key == "crp" else "crp"]


@pytest.mark.parametrize("key", sorted(k for k, (_, changed) in ON_AND_CHANGED.items() if changed is not None))
def test_a_dismissed_suggestion_comes_back_when_its_condition_changes(key):
    on, changed = ON_AND_CHANGED[key]
    s = shown(on)[key]
    again = shown(chose(changed, s))
    assert list(again) == [key]
    assert again[key].fingerprint != s.fingerprint


@pytest.mark.parametrize("key", sorted(ON_AND_CHANGED))
def test_a_choice_made_on_another_reading_of_the_condition_does_not_hide_it(key):
    on, _ = ON_AND_CHANGED[key]
    old = QuestionChoice(key=key, choice="dismissed", fingerprint="how the condition read before", on=D("2024-01-01"))
    assert list(shown(replace(on, state=JournalState(question_choices=(old,))))) == [key]


# ------------------------------------------------------------------------- each condition


def test_the_trd_question_and_why_follow_questions_md():
    s = shown(ON_AND_CHANGED["trd"][0])["trd"]
    assert s.question == (
        "Do my treatments so far meet the criteria for treatment-resistant depression? If so, could esketamine "
        "(Spravato, given in a certified clinic) or IV ketamine be options for me, or a referral to a specialist service?"
    )
    assert s.why == "2 failed adequate trials in this episode, by the rule shown"
    assert shown(ON_AND_CHANGED["trd"][1])["trd"].why == "3 failed adequate trials in this episode, by the rule shown"


def test_one_failed_trial_or_an_ended_episode_does_not_suggest_the_trd_question():
    assert "trd" not in shown(plus(QUIET, episodes=(EPISODE,), trials=(SERTRALINE,)))
    # the episode ended before today: the verdict reads "appeared to be met", not "appear"
    ended = replace(EPISODE, end=D("2025-01-31"))
    assert "trd" not in shown(plus(QUIET, episodes=(ended,), trials=(SERTRALINE, ESCITALOPRAM)))


def test_the_look_up_question_lists_what_to_look_up_without_a_dose():
    s = shown(ON_AND_CHANGED["look_up"][0])["look_up"]
    assert s.question == (
        "Could we check my pharmacy or clinic records for: sertraline, 2019: the month it started, the dose and the month it ended?"
    )
    assert s.why == "1 remembered trial could count if its details are confirmed"
    # the panel's line names the minimum; the fingerprint follows the panel's lines, the question does not
    assert "50 mg/day" in s.fingerprint and "mg" not in s.question


def test_the_look_up_question_counts_every_remembered_trial_that_could_count():
    fluoxetine = trial("t5", "fluoxetine", [("2021", None)], "2021", source="memory")
    s = shown(plus(QUIET, episodes=(EPISODE,), trials=(REMEMBERED, fluoxetine)))["look_up"]
    assert s.why == "2 remembered trials could count if their details are confirmed"
    assert "sertraline, 2019: " in s.question and "; fluoxetine, 2021: " in s.question


def test_no_look_up_question_once_the_criteria_appear_to_be_met():
    assert list(shown(plus(QUIET, episodes=(EPISODE,), trials=(REMEMBERED, SERTRALINE, ESCITALOPRAM)))) == ["trd"]


@pytest.mark.parametrize(
    ("on", "suggested"),
    [
        ("2024-06-01", False),  # exactly 12 months before the day: still within the last 12 months
        ("2024-05-31", True),  # a day more: not
        ("2025-06-01", False),  # today
        ("2025-06-02", True),  # after the as-of day: not recorded yet as of it
    ],
)
@pytest.mark.parametrize(("key", "test", "drop"), [("crp", "hs-CRP", "l-crp"), ("tsh", "Serum TSH", "l-tsh")])
def test_a_lab_counts_as_recent_from_the_same_day_a_year_before(key, test, drop, on, suggested):
    contents = plus(without(QUIET, labs=(drop,)), labs=(lab("l-x", test, on),))
    assert (key in shown(contents)) is suggested


def test_the_twelve_months_end_on_the_last_day_of_a_shorter_month():
    assert months_before(D("2024-02-29"), 12) == D("2023-02-28")
    assert months_before(D("2025-03-31"), 1) == D("2025-02-28")
    assert months_before(D("2025-01-15"), 12) == D("2024-01-15")


def test_a_free_t4_alone_counts_as_a_thyroid_test():
    contents = plus(without(QUIET, labs=("l-tsh",)), labs=(lab("l-t4", "free T4", "2025-01-01"),))
    assert "tsh" not in shown(contents)


def test_the_lab_questions_and_whys_follow_questions_md():
    crp = shown(ON_AND_CHANGED["crp"][0])["crp"]
    assert crp.question == "Should my inflammation markers be checked (CRP; IL-6 is mostly used in research)?"
    assert crp.why == "no CRP result recorded in the last 12 months"
    tsh = shown(ON_AND_CHANGED["tsh"][0])["tsh"]
    assert tsh.question == "Should my thyroid be checked (TSH, free T4)?"
    assert tsh.why == "no thyroid test recorded in the last 12 months"
    cortisol = shown(ON_AND_CHANGED["cortisol"][0])["cortisol"]
    assert cortisol.question == "Would a hormonal check, for example morning cortisol, be useful for me?"
    assert cortisol.why == "no cortisol result recorded"


def test_an_il6_is_not_a_crp():
    contents = plus(without(QUIET, labs=("l-crp",)), labs=(lab("l-il6", "IL-6", "2025-05-01"),))
    assert "crp" in shown(contents)


def test_any_cortisol_result_however_old_silences_the_cortisol_question():
    old = plus(without(QUIET, labs=("l-cort",)), labs=(lab("l-c", "cortisol", "2009-04-01"),))
    assert "cortisol" not in shown(old)
    later = plus(without(QUIET, labs=("l-cort",)), labs=(lab("l-c", "cortisol", "2025-06-02"),))
    assert "cortisol" in shown(later)


@pytest.mark.parametrize(
    ("status", "name", "suggested"),
    [
        ("suspected", None, True),
        ("assessed", None, False),
        ("diagnosed", None, False),
        ("treated", None, False),
        (None, None, False),  # recorded, without a status: not "only suspected"
        ("diagnosed", "adult ADHD", False),  # a recorded name is matched to its workup condition
        ("suspected", "attention deficit disorder", True),
    ],
)
def test_a_condition_is_suggested_while_not_recorded_or_only_suspected(status, name, suggested):
    assert ("condition:adhd" in shown(condition_status("adhd", status, name))) is suggested


def test_a_condition_also_recorded_as_diagnosed_is_not_suggested():
    contents = plus(condition_status("adhd", "suspected"), conditions=(Condition(id="c-2", name="ADHD", status="diagnosed"),))
    assert "condition:adhd" not in shown(contents)


def test_one_question_names_each_condition_not_assessed_yet():
    found = shown(replace(QUIET, conditions=()))
    assert [k for k in found if k.startswith("condition:")] == [f"condition:{k.key}" for k in WORKUP_CONDITIONS]
    assert found["condition:adhd"].question == (
        "Could ADHD be part of why my treatment hasn't worked, and can it be assessed or treated alongside my depression?"
    )
    assert found["condition:sleep_disorder"].question.startswith("Could a sleep disorder be part of why")
    assert found["condition:chronic_pain"].question.startswith("Could chronic pain be part of why")
    assert {s.why for k, s in found.items() if k.startswith("condition:")} == {"not assessed yet in this journal"}


@pytest.mark.parametrize(("totals", "suggested"), [((9,), False), ((10,), True), ((21,), True), ((15, 9), False), ((4, 12), True)])
def test_the_latest_gad7_of_10_or_more_is_suggested(totals, suggested):
    scores = tuple(gad7(f"g{i}", f"2025-05-{10 + i:02d}", t) for i, t in enumerate(totals))
    assert ("gad7" in shown(replace(QUIET, scores=scores))) is suggested


def test_the_gad7_question_gives_the_latest_total():
    s = shown(ON_AND_CHANGED["gad7"][1])["gad7"]
    assert s.question == "My anxiety score (GAD-7 11) is in the range that suggests a further look: can we talk about it?"
    assert s.why == "GAD-7 10 or more suggests further evaluation (scales.md)"


def test_a_phq9_of_any_total_is_not_a_gad7():
    assert "gad7" not in shown(replace(QUIET, scores=(ScaleScore(id="p", date=D("2025-05-01"), scale="PHQ-9", total=20),)))


# ------------------------------------------------------------------------- caregiver mode and the never list

# Every condition holding at once.
BUSY = plus(
    JournalContents(episodes=(EPISODE,), trials=(SERTRALINE, ESCITALOPRAM)),
    scores=(gad7("s2", "2025-05-20", 14),),
)
BUSY_LOOK_UP = JournalContents(episodes=(EPISODE,), trials=(REMEMBERED, ESCITALOPRAM))


def every_suggestion(**kwargs) -> list[Suggestion]:
    return [*all_suggestions(BUSY, AS_OF, **kwargs), *all_suggestions(BUSY_LOOK_UP, AS_OF, **kwargs)]


def test_the_busy_journal_holds_every_kind_of_suggestion():
    assert {s.key for s in every_suggestion()} == set(KEYS)


def test_a_caregiver_sees_every_question_asked_on_the_persons_behalf_by_name():
    named = replace(BUSY, profile=Profile(display_name="Alex"))
    own = {s.key: s for s in all_suggestions(named, AS_OF)}
    theirs = {s.key: s for s in all_suggestions(named, AS_OF, caregiver_for="Sam")}
    assert theirs.keys() == own.keys()
    assert theirs["trd"].question == (
        "Do Alex's treatments so far meet the criteria for treatment-resistant depression? If so, could esketamine "
        "(Spravato, given in a certified clinic) or IV ketamine be options for Alex, or a referral to a specialist service?"
    )
    assert theirs["condition:adhd"].question == (
        "Could ADHD be part of why Alex's treatment hasn't worked, and can it be assessed or treated alongside Alex's depression?"
    )
    assert theirs["gad7"].question.startswith("Alex's anxiety score (GAD-7 14)")
    assert theirs["crp"].question == "Should Alex's inflammation markers be checked (CRP; IL-6 is mostly used in research)?"
    assert theirs["cortisol"].question == "Would a hormonal check, for example morning cortisol, be useful for Alex?"
    for key, s in theirs.items():
        assert "Alex" in s.question, key
        assert s.why == own[key].why and s.fingerprint == own[key].fingerprint  # the same suggestion, worded for who asks
        assert "Sam" not in s.question  # the caregiver asks for the person, not about themself


def test_a_caregiver_of_an_unnamed_journal_asks_about_the_person():
    theirs = {s.key: s for s in all_suggestions(BUSY, AS_OF, caregiver_for="Sam")}
    assert UNNAMED == "the person"
    assert theirs["crp"].question == "Should the person's inflammation markers be checked (CRP; IL-6 is mostly used in research)?"
    assert theirs["gad7"].question.startswith("The person's anxiety score (GAD-7 14)")
    look_up = next(s for s in all_suggestions(BUSY_LOOK_UP, AS_OF, caregiver_for="Sam"))
    assert look_up.question.startswith("Could we check the person's pharmacy or clinic records for: sertraline, 2019")


def test_a_choice_made_by_the_owner_holds_for_a_caregiver_too():
    s = next(s for s in all_suggestions(BUSY, AS_OF) if s.key == "crp")
    assert "crp" not in {x.key for x in suggestions(chose(BUSY, s), AS_OF, caregiver_for="Sam")}


_FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself)\b", re.IGNORECASE)
_INSTRUCTIONS = re.compile(r"\b(start|stop|begin|quit|increase|decrease|reduce|raise|lower|taper|switch|take|try)\b", re.IGNORECASE)
_IMPERATIVE_OPENINGS = ("Ask", "Tell", "Check", "Get", "Book", "Request", "Start", "Stop", "Take", "Try", "Go", "Make", "Add", "Switch", "See")


@pytest.mark.parametrize("caregiver", [None, "Sam"])
def test_no_question_names_a_dose_an_instruction_or_a_diagnosis(caregiver):
    found = every_suggestion(caregiver_for=caregiver)
    assert found
    for s in found:
        q = s.question
        assert q.endswith("?"), q
        assert not re.search(r"\d\s*(mg|milligram|µg|mcg)|\bmg\b|/day|\bdose of\b", q, re.IGNORECASE), q
        assert not _INSTRUCTIONS.search(q), q
        assert not q.startswith(_IMPERATIVE_OPENINGS), q
        assert "you have" not in q.lower() and "TRD" not in q and "you " not in q.lower(), q
        assert "would count" not in q, q
        if caregiver is not None:
            assert not _FIRST_PERSON.search(q), q  # never the caregiver's own question
        # each sentence of it is a question, not a statement to act on
        assert all(part.strip().endswith("?") for part in re.split(r"(?<=[?.!])\s+(?=[A-Z])", q)), q


def test_keys_are_stable_and_every_why_is_shown_text():
    for s in every_suggestion():
        assert s.key in KEYS
        assert s.why and s.why == s.why.strip() and not s.why.endswith(".")
        assert s.fingerprint


def test_the_note_made_is_an_ordinary_appointment_note_of_the_question():
    s = shown(ON_AND_CHANGED["crp"][0])["crp"]
    note = note_for(s, D("2025-06-03"))
    assert (note.id, note.date, note.text, note.for_appointment, note.origin) == ("", D("2025-06-03"), s.question, True, None)


def test_a_choice_is_added_or_dismissed_and_nothing_else():
    s = shown(ON_AND_CHANGED["crp"][0])["crp"]
    assert choice_for(s, "added", AS_OF) == QuestionChoice("crp", "added", s.fingerprint, AS_OF)
    with pytest.raises(ValueError, match="'added' or 'dismissed'"):
        choice_for(s, "snoozed", AS_OF)
