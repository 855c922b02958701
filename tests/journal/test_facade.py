"""The Journal facade: what a person's entries look like after they are stored, listed, changed, imported and reopened."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import date, datetime, timedelta, timezone

import pytest

from journal import records as r
from journal import rules
from journal.errors import JournalError, NotFoundError, ValidationError, WrongPassphraseError
from journal.facade import KINDS, Change, Journal
from journal.opening import open_file

D = date


_TRIAL_START, _TRIAL_END = D(2025, 1, 10), D(2025, 4, 1)


def _trial(id: str = "t1", start: date = _TRIAL_START, end: date | None = _TRIAL_END, **kw) -> r.Trial:
    return r.Trial(
        id=id,
        drug=kw.pop("drug", "sertraline"),
        doses=kw.pop("doses", (r.DoseStep(start, 50), r.DoseStep(start + timedelta(days=28), 100))),
        end=end,
        **kw,
    )


def _session(id: str, when: datetime, **kw) -> r.Session:
    return r.Session(id=id, datetime=when, treatment=kw.pop("treatment", "esketamine"), **kw)


PLUS2 = timezone(timedelta(hours=2))

# One full record of every kind, and the same record changed the way a person might edit it.
SAMPLES: dict[str, tuple[object, object]] = {
    "episodes": (
        r.Episode(id="e1", start=D(2025, 1, 6), severity="moderate", note="after the move"),
        r.Episode(id="e1", start=D(2025, 1, 6), end=D(2025, 9, 1), severity="severe"),
    ),
    "trials": (
        _trial(
            stop_reason="ineffective",
            adherence="good",
            rating=r.Rating("none", 10.0, D(2025, 4, 1)),
            side_effects=(r.SideEffect("nausea", 1, D(2025, 1, 12), D(2025, 1, 30)), r.SideEffect("insomnia")),
            note="took it in the morning",
        ),
        _trial(
            drug="liothyronine",
            augmentation=True,
            min_adequate_mg=0.025,
            doses=(r.DoseStep(D(2025, 1, 10), 0.025), r.DoseStep(D(2025, 1, 20), 0.0375), r.DoseStep(D(2025, 2, 1), 0.05)),
            end=None,
        ),
    ),
    "scores": (
        r.ScaleScore(id="s1", date=D(2025, 1, 8), scale="PHQ-9", total=16, items=(2, 3, 2, 3, 1, 2, 2, 1, 0), difficulty=2),
        r.ScaleScore(id="s1", date=D(2025, 1, 8), scale="MADRS", total=31),
    ),
    "checkins": (
        r.DailyCheckIn(id="d1", date=D(2025, 3, 21), mood=3, anxiety=6, sleep_quality=4, energy=2, pain=0, hours_slept=6.5),
        r.DailyCheckIn(id="d1", date=D(2025, 3, 21), mood=4, note="a walk helped"),
    ),
    "labs": (
        r.Lab(id="l1", date=D(2025, 2, 1), test="CRP", value=4.2, unit="mg/L"),
        r.Lab(id="l1", date=D(2025, 2, 1), test="CRP", value=0.1, unit="mg/L", note="repeat"),
    ),
    "conditions": (
        r.Condition(id="c1", name="generalised anxiety", status="diagnosed", since=D(2019, 5, 1)),
        r.Condition(id="c1", name="generalised anxiety", status="treated"),
    ),
    "sessions": (
        _session(
            "k1",
            datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2),
            dose_mg=56,
            number_in_course=1,
            bp_before=(128, 82),
            bp_after=(141, 88),
            dissociation=5,
            sedation=3,
            nausea=1,
            transport_arranged=True,
        ),
        _session("k1", datetime(2025, 5, 2, 10, 0, tzinfo=timezone(timedelta(hours=-5, minutes=-30))), dose_mg=84),
    ),
    "notes": (
        r.Note(id="n1", date=D(2025, 3, 1), text="Ask about thyroid panel", for_appointment=True),
        r.Note(id="n1", date=D(2025, 3, 2), text="Asked: ordered TSH and free T4"),
    ),
    "therapies": (
        r.Therapy(id="p1", kind="cbt", start=D(2024, 9, 2), sessions=12, rating=r.Rating("partial"), source="records"),
        r.Therapy(id="p1", kind="cbt", start=D(2024, 9, 2), end=D(2025, 1, 15), sessions=16, stop_reason="other", note="ended"),
    ),
}

# Courses of psychotherapy are checked by journal/rules.py's version-2 rules; until those are in,
# the journal refuses to store a therapy it cannot check, and these tests wait for them.
_RULES_CHECK_THERAPIES = r.Therapy in getattr(rules, "_CHECKS", {})
needs_therapy_rules = pytest.mark.skipif(not _RULES_CHECK_THERAPIES, reason="journal/rules.py does not check therapies yet")


def _kinds_checked_by_the_rules() -> list:
    return [pytest.param(k, marks=needs_therapy_rules) if k == "therapies" else k for k in KINDS]


@pytest.fixture
def journal(tmp_path):
    with open_file(tmp_path / "journal.db") as j:
        yield j


def _digest(path) -> str:
    with open(path, "rb") as file:  # closed at once: an open file left to the collector is a warning
        return hashlib.sha256(file.read()).hexdigest()


# ---------------------------------------------------------------------- add, get, update, delete


@pytest.mark.parametrize("kind", _kinds_checked_by_the_rules())
def test_each_kind_of_record_comes_back_exactly_as_entered_and_can_be_changed_and_removed(journal, kind):
    manager = getattr(journal, kind)
    original, edited = SAMPLES[kind]

    added = manager.add(original)
    assert added == Change(kind, "added", original)
    assert manager.get(original.id) == original
    assert manager.list() == [original]

    updated = manager.update(edited)
    assert updated == Change(kind, "updated", edited)
    assert manager.get(original.id) == edited

    deleted = manager.delete(original.id)
    assert deleted.action == "deleted" and deleted.record == edited
    assert manager.list() == []
    with pytest.raises(NotFoundError):
        manager.get(original.id)


@pytest.mark.parametrize("kind", _kinds_checked_by_the_rules())
def test_records_survive_closing_and_reopening_the_journal(tmp_path, kind):
    path = tmp_path / "journal.db"
    original = SAMPLES[kind][0]
    with open_file(path) as j:
        getattr(j, kind).add(original)
    with open_file(path, create=False) as j:
        assert getattr(j, kind).list() == [original]


def test_small_and_fractional_doses_round_trip_exactly(journal):
    trial = _trial(doses=(r.DoseStep(D(2025, 1, 1), 0.025), r.DoseStep(D(2025, 2, 1), 62.5), r.DoseStep(D(2025, 3, 1), 0.1 + 0.2)))
    journal.trials.add(trial)
    assert [d.mg_per_day for d in journal.trials.get("t1").doses] == [0.025, 62.5, 0.1 + 0.2]


def test_a_session_keeps_its_own_utc_offset(journal):
    when = datetime(2025, 5, 2, 9, 30, tzinfo=PLUS2)
    journal.sessions.add(_session("k1", when))
    stored = journal.sessions.get("k1").datetime
    assert stored == when and stored.utcoffset() == timedelta(hours=2)


def test_a_trial_keeps_the_order_of_its_dose_steps_and_side_effects(journal):
    steps = tuple(r.DoseStep(D(2025, 1, 1) + timedelta(days=7 * i), 25.0 * (i + 1)) for i in range(8))
    effects = tuple(r.SideEffect(name) for name in ("zzz", "aaa", "mmm"))
    journal.trials.add(_trial(doses=steps, side_effects=effects, end=None))
    stored = journal.trials.get("t1")
    assert stored.doses == steps and stored.side_effects == effects


def test_an_edit_that_removes_dose_steps_leaves_none_behind(journal):
    journal.trials.add(SAMPLES["trials"][1])
    shorter = _trial(doses=(r.DoseStep(D(2025, 1, 10), 0.025),), drug="liothyronine", augmentation=True, end=None)
    journal.trials.update(shorter)
    assert journal.trials.get("t1").doses == (r.DoseStep(D(2025, 1, 10), 0.025),)


# ---------------------------------------------------------------------- ids


def test_a_record_without_an_id_gets_a_short_fresh_one(journal):
    ids = {journal.scores.add(r.ScaleScore(id="", date=D(2025, 1, 1), scale="MADRS", total=20)).record.id for _ in range(40)}
    assert len(ids) == 40
    assert all(i.startswith("s-") and len(i) <= 10 for i in ids)
    assert {s.id for s in journal.scores.list()} == ids


def test_fresh_ids_of_different_kinds_never_collide(journal):
    a = journal.notes.add(r.Note(id="", date=D(2025, 1, 1), text="x")).record.id
    b = journal.labs.add(r.Lab(id="", date=D(2025, 1, 1), test="TSH", value=2.0)).record.id
    assert a.split("-")[0] != b.split("-")[0]


def test_adding_an_id_the_journal_already_holds_is_refused_and_keeps_the_first(journal):
    first = r.Note(id="n1", date=D(2025, 1, 1), text="first")
    journal.notes.add(first)
    with pytest.raises(ValidationError) as caught:
        journal.notes.add(r.Note(id="n1", date=D(2025, 1, 2), text="second"))
    assert caught.value.for_field("id")
    assert journal.notes.list() == [first]


def test_updating_or_deleting_a_missing_record_names_the_id(journal):
    with pytest.raises(NotFoundError, match="n9"):
        journal.notes.update(r.Note(id="n9", date=D(2025, 1, 1), text="x"))
    with pytest.raises(NotFoundError, match="n9"):
        journal.notes.delete("n9")
    assert journal.notes.list() == []


# ---------------------------------------------------------------------- validation


def test_an_invalid_record_names_its_field_and_nothing_is_stored(journal):
    bad = _trial(doses=(r.DoseStep(D(2025, 1, 10), 50), r.DoseStep(D(2025, 2, 7), -50)))
    with pytest.raises(ValidationError) as caught:
        journal.trials.add(bad)
    assert caught.value.for_field("doses[1].mg_per_day")
    assert journal.trials.list() == []


def test_an_invalid_edit_leaves_the_stored_record_as_it_was(journal):
    original = SAMPLES["scores"][0]
    journal.scores.add(original)
    with pytest.raises(ValidationError):
        journal.scores.update(r.replace(original, items=(2, 3, 2, 3, 1, 2, 2, 1, 9), total=25))
    assert journal.scores.get("s1") == original


# ---------------------------------------------------------------------- listing by date


def test_listing_includes_records_on_both_boundary_days_and_nothing_outside(journal):
    for i, day in enumerate([D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 15), D(2025, 3, 31), D(2025, 4, 1)]):
        journal.scores.add(r.ScaleScore(id=f"s{i}", date=day, scale="MADRS", total=20))
    listed = journal.scores.list(D(2025, 3, 1), D(2025, 3, 31))
    assert [s.date for s in listed] == [D(2025, 3, 1), D(2025, 3, 15), D(2025, 3, 31)]
    assert [s.date for s in journal.scores.list(start=D(2025, 3, 31))] == [D(2025, 3, 31), D(2025, 4, 1)]
    assert [s.date for s in journal.scores.list(end=D(2025, 2, 28))] == [D(2025, 2, 28)]


def test_trials_are_listed_when_their_span_touches_the_range(journal):
    journal.trials.add(_trial("ended-before", D(2024, 1, 1), end=D(2025, 2, 28)))
    journal.trials.add(_trial("ends-on-first-day", D(2024, 6, 1), end=D(2025, 3, 1)))
    journal.trials.add(_trial("ongoing-from-before", D(2024, 1, 1), end=None))
    journal.trials.add(_trial("starts-on-last-day", D(2025, 3, 31), end=None))
    journal.trials.add(_trial("starts-after", D(2025, 4, 1), end=None))
    listed = [t.id for t in journal.trials.list(D(2025, 3, 1), D(2025, 3, 31))]
    assert listed == ["ongoing-from-before", "ends-on-first-day", "starts-on-last-day"]


def test_episodes_are_listed_by_their_span(journal):
    journal.episodes.add(r.Episode(id="old", start=D(2020, 1, 1), end=D(2020, 6, 1)))
    journal.episodes.add(r.Episode(id="current", start=D(2024, 1, 1)))
    assert [e.id for e in journal.episodes.list(D(2025, 1, 1), D(2025, 1, 31))] == ["current"]
    assert [e.id for e in journal.episodes.list(D(2020, 6, 1), D(2020, 6, 1))] == ["old"]


def test_a_session_is_listed_on_the_date_written_in_its_own_offset(journal):
    # 00:30 at +02:00 is still the evening before in UTC; the person means the 2nd.
    journal.sessions.add(_session("k1", datetime(2025, 5, 2, 0, 30, tzinfo=PLUS2)))
    assert [s.id for s in journal.sessions.list(D(2025, 5, 2), D(2025, 5, 2))] == ["k1"]
    assert journal.sessions.list(D(2025, 5, 1), D(2025, 5, 1)) == []


def test_conditions_without_a_since_date_always_show_and_others_from_their_since_date(journal):
    journal.conditions.add(r.Condition(id="c-undated", name="migraine"))
    journal.conditions.add(r.Condition(id="c-old", name="hypothyroidism", since=D(2019, 5, 1)))
    journal.conditions.add(r.Condition(id="c-later", name="chronic pain", since=D(2026, 1, 1)))
    assert [c.id for c in journal.conditions.list(D(2025, 1, 1), D(2025, 12, 31))] == ["c-undated", "c-old"]


def test_records_come_sorted_by_date_then_id(journal):
    for id, day in [("b", D(2025, 1, 2)), ("c", D(2025, 1, 1)), ("a", D(2025, 1, 2))]:
        journal.notes.add(r.Note(id=id, date=day, text=id))
    assert [n.id for n in journal.notes.list()] == ["c", "a", "b"]
    assert [n.id for n in journal.contents().notes] == ["c", "a", "b"]


# ---------------------------------------------------------------------- profile, settings, authors


def test_settings_start_at_the_defaults_and_change_only_the_named_keys(tmp_path):
    path = tmp_path / "journal.db"
    with open_file(path) as j:
        assert j.settings() == r.Settings()
        assert j.update_settings(adequate_weeks=8) == r.Settings(adequate_weeks=8)
        j.update_settings(primary_scale="MADRS", count_augmentation=True)
    with open_file(path) as j:
        assert j.settings() == r.Settings(adequate_weeks=8, count_augmentation=True, primary_scale="MADRS")


def test_reminders_are_kept_with_the_settings_and_the_rule_settings_stay_as_they_were(tmp_path):
    path = tmp_path / "journal.db"
    reminders = r.Reminders(checkin_time="20:30", questionnaire_every_days=14, next_session="2026-12-03T10:00:00+01:00")
    with open_file(path) as j:
        j.update_settings(adequate_weeks=8)
        assert j.update_settings(reminders=reminders) == r.Settings(adequate_weeks=8, reminders=reminders)
    with open_file(path) as j:
        assert j.settings() == r.Settings(adequate_weeks=8, reminders=reminders)
        j.update_settings(reminders=r.Reminders())
        assert j.settings() == r.Settings(adequate_weeks=8)


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"adequate_weeks": 5}, "adequate_weeks"),
        ({"adequate_weeks": True}, "adequate_weeks"),
        ({"failure_threshold_pct": 30}, "failure_threshold_pct"),
        ({"count_augmentation": "yes"}, "count_augmentation"),
        ({"primary_scale": "GAD-7"}, "primary_scale"),
        ({"adequate_week": 6}, "adequate_week"),
        ({"reminders": "20:30"}, "reminders"),
    ],
)
def test_a_wrong_setting_is_refused_by_name_and_nothing_changes(journal, changes, key):
    with pytest.raises(ValidationError) as caught:
        journal.update_settings(**{"count_augmentation": True, **changes})
    assert caught.value.for_field(key)
    assert journal.settings() == r.Settings()


def test_the_profile_is_kept_and_a_wrong_birth_year_refused(journal):
    assert journal.profile() == r.Profile()
    journal.set_profile(r.Profile(display_name="Sam", birth_year=1984))
    with pytest.raises(ValidationError) as caught:
        journal.set_profile(r.Profile(display_name="Sam", birth_year=1066))
    assert caught.value.for_field("birth_year")
    assert journal.profile() == r.Profile(display_name="Sam", birth_year=1984)


def test_a_display_name_past_its_limit_is_refused_and_the_profile_kept(journal):
    journal.set_profile(r.Profile(display_name="Sam", birth_year=1984))
    with pytest.raises(ValidationError) as caught:
        journal.set_profile(r.Profile(display_name="S" * 201, birth_year=1984))
    assert "a name may have at most 200 characters, this one has 201" in caught.value.for_field("display_name")[0].message
    assert journal.profile() == r.Profile(display_name="Sam", birth_year=1984)


def test_a_caregivers_entry_is_marked_and_the_mark_comes_back_with_an_undone_delete(journal):
    journal.scores.add(SAMPLES["scores"][0])
    journal.set_author("s1", "caregiver")
    assert journal.contents().author_of("s1") == "caregiver"

    change = journal.scores.delete("s1")
    assert change.author == "caregiver"
    assert journal.contents().entries_by == ()

    journal.scores.add(change.record)
    journal.set_author(change.record.id, change.author)
    assert journal.contents().author_of("s1") == "caregiver"
    journal.set_author("s1", None)
    assert journal.contents().entries_by == ()


@needs_therapy_rules
def test_a_therapy_deleted_and_undone_comes_back_with_its_caregiver_and_in_the_contents(journal):
    original, edited = SAMPLES["therapies"]
    added = journal.therapies.add(original, author="caregiver")
    assert added == Change("therapies", "added", original, author="caregiver")
    assert journal.contents().therapies == (original,)
    journal.therapies.update(edited)
    change = journal.therapies.delete("p1")
    assert change == Change("therapies", "deleted", edited, author="caregiver")
    assert journal.contents().therapies == ()
    # undo: the record and who entered it are put back
    journal.therapies.add(change.record, author=change.author)
    assert journal.contents().therapies == (edited,)
    assert journal.author_of("p1") == "caregiver"
    assert journal.therapies.list(D(2025, 1, 15), None) == [edited]
    assert journal.therapies.list(D(2025, 1, 16), None) == []


def test_a_caregivers_add_stores_the_record_and_who_entered_it_together(journal):
    change = journal.notes.add(r.Note(id="", date=D(2025, 3, 1), text="slept badly"), author="  Sam ")
    assert change.author == "Sam"
    assert journal.author_of(change.record.id) == "Sam"

    journal.notes.delete(change.record.id)
    again = journal.notes.add(change.record, author=change.author)  # what undoing the delete does
    assert again.record == change.record and journal.author_of(change.record.id) == "Sam"

    owners = journal.notes.add(r.Note(id="n-owner", date=D(2025, 3, 2), text="mine"))
    assert owners.author is None and journal.author_of("n-owner") is None


@pytest.mark.parametrize("author, field", [("   ", "author"), ("Sam\udc00", "author")])
def test_a_caregivers_add_with_a_name_that_cannot_be_stored_stores_nothing(journal, author, field):
    with pytest.raises(ValidationError) as caught:
        journal.notes.add(r.Note(id="n1", date=D(2025, 3, 1), text="slept badly"), author=author)
    assert [p.field for p in caught.value.problems] == [field]
    assert journal.counts()["notes"] == 0 and journal.contents().entries_by == ()


def test_a_caregivers_add_that_fails_half_way_leaves_neither_the_record_nor_the_name(journal, monkeypatch):
    from journal.storage import store

    def broken(*_args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "set_author", broken)
    with pytest.raises(JournalError):
        journal.notes.add(r.Note(id="n1", date=D(2025, 3, 1), text="slept badly"), author="Sam")
    monkeypatch.undo()
    assert journal.counts()["notes"] == 0 and journal.contents().entries_by == ()


def test_marking_the_author_of_a_missing_record_is_refused(journal):
    with pytest.raises(NotFoundError):
        journal.set_author("nothing", "caregiver")


# ---------------------------------------------------------------------- importing


def _contents(**kw) -> r.JournalContents:
    base = dict(
        episodes=(SAMPLES["episodes"][0],),
        trials=(SAMPLES["trials"][0],),
        scores=(SAMPLES["scores"][0],),
        checkins=(SAMPLES["checkins"][0],),
        labs=(SAMPLES["labs"][0],),
        conditions=(SAMPLES["conditions"][0],),
        sessions=(SAMPLES["sessions"][0],),
        notes=(SAMPLES["notes"][0],),
        therapies=(SAMPLES["therapies"][0],) if _RULES_CHECK_THERAPIES else (),
        entries_by=(r.EntryBy("s1", "caregiver"),),
        profile=r.Profile(display_name="Sam", birth_year=1984),
    )
    base.update(kw)
    return r.JournalContents(**base)


def test_an_imported_journal_reads_back_the_same(journal):
    contents = _contents()
    journal.import_contents(contents, {"adequate_weeks": 8})
    assert journal.contents() == r.replace(contents, settings=r.Settings(adequate_weeks=8))
    assert journal.counts() == {kind: len(getattr(contents, kind)) for kind in KINDS}


def test_an_import_with_one_bad_record_writes_nothing_at_all(tmp_path):
    path = tmp_path / "journal.db"
    with open_file(path) as j:
        j.notes.add(r.Note(id="mine", date=D(2025, 1, 1), text="already here"))
    before_bytes = _digest(path)
    with open_file(path) as j:
        before = j.contents()
        late_bad = r.Note(id="n2", date=D(2025, 3, 1), text="")
        with pytest.raises(ValidationError) as caught:
            j.import_contents(_contents(notes=(SAMPLES["notes"][0], late_bad)), {"adequate_weeks": 4})
        assert caught.value.for_field("notes[n2]")
        assert j.contents() == before
    assert _digest(path) == before_bytes


def test_importing_ids_the_journal_holds_is_refused_naming_each(journal):
    journal.import_contents(_contents())
    before = journal.contents()
    with pytest.raises(ValidationError) as caught:
        journal.import_contents(_contents(profile=r.Profile(display_name="Alex")))
    assert caught.value.for_field("trials[t1].id")
    assert caught.value.for_field("notes[n1].id")
    assert "already holds" in str(caught.value)
    assert journal.contents() == before


def test_the_same_id_twice_in_one_import_is_refused(journal):
    with pytest.raises(ValidationError) as caught:
        journal.import_contents(_contents(trials=(SAMPLES["trials"][0], SAMPLES["trials"][0])))
    assert caught.value.for_field("trials[t1].id")
    assert journal.counts() == {kind: 0 for kind in KINDS}


def test_an_import_that_breaks_off_after_writing_records_leaves_nothing_behind(tmp_path, monkeypatch):
    path = tmp_path / "journal.db"
    with open_file(path) as j:
        j.notes.add(r.Note(id="mine", date=D(2025, 1, 1), text="kept"))
    before_bytes = _digest(path)

    def disk_full(*args, **kwargs):
        raise JournalError("The disk is full: nothing was changed.")

    # Settings are written after every record, so this fails with the records already sent.
    monkeypatch.setattr(Journal, "_write_settings", disk_full)
    with open_file(path) as j:
        before = j.contents()
        with pytest.raises(JournalError, match="disk is full"):
            j.import_contents(_contents(), {"adequate_weeks": 4})
        assert j.contents() == before
    assert _digest(path) == before_bytes


def test_an_import_naming_an_author_for_a_missing_record_is_refused(journal):
    with pytest.raises(ValidationError) as caught:
        journal.import_contents(_contents(entries_by=(r.EntryBy("ghost", "caregiver"),)))
    assert caught.value.for_field("entries_by[0].record")
    assert journal.counts() == {kind: 0 for kind in KINDS}


def test_an_import_with_a_wrong_setting_is_refused_whole(journal):
    with pytest.raises(ValidationError) as caught:
        journal.import_contents(_contents(), {"adequate_weeks": 7})
    assert caught.value.for_field("settings.adequate_weeks")
    assert journal.counts() == {kind: 0 for kind in KINDS}


def _file_of(tmp_path, contents: r.JournalContents, exported_at: datetime | None = None):
    from journal.exchange.jsonfile import dumps

    path = tmp_path / "export.json"
    path.write_text(dumps(contents, exported_at), encoding="utf-8")
    return path


def test_a_checked_file_imports_exactly_as_it_would_with_every_record_checked_again(tmp_path):
    from journal.exchange.jsonfile import load_file

    result = load_file(_file_of(tmp_path, _contents()))
    stored = []
    for name, again in (("checked.db", {"validated": True}), ("rechecked.db", {})):
        with open_file(tmp_path / name) as j:
            j.import_contents(result.contents, {"adequate_weeks": 8}, **again)
            stored.append(j.contents())
    assert stored[0] == stored[1] == r.replace(_contents(), settings=r.Settings(adequate_weeks=8))


def test_a_record_dated_after_today_is_refused_even_from_a_file_exported_in_a_later_time_zone(tmp_path):
    from journal.exchange.jsonfile import load_file

    # Where it is already tomorrow, a file may hold tomorrow's note; the journal goes by today here.
    tomorrow = date.today() + timedelta(days=1)
    exported = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 30, tzinfo=timezone(timedelta(hours=14)))
    note = r.Note(id="n-tomorrow", date=tomorrow, text="written in Kiribati")
    result = load_file(_file_of(tmp_path, r.JournalContents(notes=(note,)), exported))
    assert result.contents.notes == (note,)
    for again in ({"validated": True}, {}):
        with open_file(tmp_path / "journal.db") as j:
            with pytest.raises(ValidationError) as caught:
                j.import_contents(result.contents, **again)
            assert caught.value.for_field("notes[n-tomorrow].date")
            assert j.counts()["notes"] == 0


def test_records_said_to_be_checked_are_still_refused_for_what_the_journal_cannot_hold(journal):
    journal.import_contents(_contents())
    broken = _contents(trials=(_trial(id="t2", side_effects=(r.SideEffect("dizzy \udc00"),)),))
    with pytest.raises(ValidationError) as caught:
        journal.import_contents(broken, validated=True)
    assert caught.value.for_field("trials[t2].side_effects[0].name")
    assert caught.value.for_field("notes[n1].id")  # already held
    assert journal.counts() == {kind: len(getattr(_contents(), kind)) for kind in KINDS}


# ---------------------------------------------------------------------- the file itself


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_journal_and_its_new_folder_are_private_to_their_owner(tmp_path):
    path = tmp_path / "new-folder" / "journal.db"
    with open_file(path) as j:
        j.notes.add(r.Note(id="n1", date=D(2025, 1, 1), text="private"))
        for p in tmp_path.glob("new-folder/journal.db*"):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_opening_a_missing_journal_without_create_says_so_and_makes_nothing(tmp_path):
    path = tmp_path / "nowhere.db"
    with pytest.raises(JournalError, match="no journal at"):
        open_file(path, create=False)
    assert not path.exists()


def _unrelated_database(path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.execute("INSERT INTO recipes VALUES ('soup')")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p: p.write_bytes(os.urandom(8192)), "not a Trial Journal file"),
        (lambda p: p.write_text("Dear diary,\n" * 400), "not a Trial Journal file"),
        (_unrelated_database, "not a Trial Journal file"),
    ],
    ids=["random bytes", "text file", "another program's database"],
)
def test_a_file_that_is_not_a_journal_is_named_and_left_untouched(tmp_path, make, says):
    path = tmp_path / "something.db"
    make(path)
    before = _digest(path)
    with pytest.raises(JournalError, match=says) as caught:
        open_file(path)
    assert str(path) in str(caught.value)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["something.db"]


def test_a_change_while_another_program_writes_says_the_journal_is_busy_and_changes_nothing(journal):
    from journal.errors import JournalLockedError

    journal.notes.add(SAMPLES["notes"][0])
    other = sqlite3.connect(journal.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        for change in (
            lambda: journal.notes.delete("n1"),
            lambda: journal.set_author("n1", "caregiver"),
            lambda: journal.update_settings(adequate_weeks=8),
            lambda: journal.notes.add(r.replace(SAMPLES["notes"][1], id="n2")),
        ):
            with pytest.raises(JournalLockedError, match="busy in another window or program"):
                change()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert journal.notes.list() == [SAMPLES["notes"][0]]
    assert journal.author_of("n1") is None and journal.settings() == r.Settings()


def test_a_closed_journal_says_so_instead_of_reading(tmp_path):
    j = open_file(tmp_path / "journal.db")
    j.close()
    with pytest.raises(JournalError, match="closed"):
        j.notes.list()


# ---------------------------------------------------------------------- encryption


KEY = bytes(range(32))


def test_an_encrypted_journal_opens_with_its_key_only(tmp_path):
    path = tmp_path / "secret.db"
    with open_file(path, key=KEY) as j:
        j.notes.add(r.Note(id="n1", date=D(2025, 1, 1), text="Ask about thyroid panel"))

    with open_file(path, key=KEY) as j:
        assert [n.text for n in j.notes.list()] == ["Ask about thyroid panel"]

    before = _digest(path)
    with pytest.raises(WrongPassphraseError, match="does not open"):
        open_file(path, key=bytes(32))
    with pytest.raises(JournalError):
        open_file(path)
    assert _digest(path) == before

    assert b"thyroid" not in path.read_bytes()
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        con.close()



@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_every_connection_overwrites_deleted_entries_and_keeps_temporary_data_in_memory(tmp_path, key):
    # Debian's SQLite overwrites deletions by default but SQLCipher and other builds do not, so the
    # journal asks for it itself: a deleted entry must not linger in a free page of the file.
    from journal import storage

    with open_file(tmp_path / "journal.db", key=key):
        pass
    engine = storage.make_engine(tmp_path / "journal.db", key)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # memory
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # full
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_new_journal_that_cannot_be_set_up_leaves_no_file_behind(tmp_path, monkeypatch):
    from journal import storage

    def broken_upgrade(engine):
        raise JournalError("the schema could not be made")

    monkeypatch.setattr(storage, "upgrade", broken_upgrade)
    with pytest.raises(JournalError, match="schema could not be made"):
        open_file(tmp_path / "journal.db")
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_journal_is_reported_as_damaged_and_left_for_recovery(tmp_path):
    path = tmp_path / "journal.db"
    with open_file(path) as j:
        notes = tuple(r.Note(id=f"n{i}", date=D(2025, 1, 1), text="x" * 200) for i in range(400))
        j.import_contents(r.JournalContents(notes=notes))
    data = bytearray(path.read_bytes())
    for page in range(20, 40):  # break the headers of pages in the middle of the notes
        data[4096 * page : 4096 * page + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match="is damaged") as caught:
        open_file(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == bytes(data)


def test_text_that_is_not_valid_unicode_is_refused_by_field_not_with_a_crash(journal):
    with pytest.raises(ValidationError) as caught:
        journal.notes.add(r.Note(id="n1", date=D(2025, 1, 1), text="Woke at 4 \ud800 again."))
    assert caught.value.for_field("text")
    with pytest.raises(ValidationError) as caught:
        journal.import_contents(_contents(trials=(_trial(side_effects=(r.SideEffect("dizzy \udc00"),)),)))
    assert caught.value.for_field("trials[t1].side_effects[0].name")
    assert journal.counts() == {kind: 0 for kind in KINDS}
