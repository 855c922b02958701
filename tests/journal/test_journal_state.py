"""What a journal remembers about itself: its own random id, the day of the latest report, the questions chosen.

The id is the namespace of the journal's FHIR exports, so it must be made once per journal,
never shared by two journals, kept across closing and opening (plain and encrypted), and not
carried by the journal file format: a journal made from another's export is a journal of its own.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

import pytest

from journal import records as r
from journal.errors import ValidationError
from journal.exchange.exporting import export_contents
from journal.exchange.importing import import_file
from journal.opening import open_file

KEY = bytes(range(32))


def _digest(path) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_a_new_journal_has_its_own_random_id_and_keeps_it(tmp_path, key):
    with open_file(tmp_path / "a.db", key=key) as a, open_file(tmp_path / "b.db", key=key) as b:
        first, other = a.state().journal_id, b.state().journal_id
        assert first and other and first != other
        assert uuid.UUID(first).version == 4
        assert a.contents().state.journal_id == first
    with open_file(tmp_path / "a.db", create=False, key=key) as again:
        assert again.state().journal_id == first


def test_reading_a_journal_writes_nothing_to_it(tmp_path):
    path = tmp_path / "j.db"
    with open_file(path) as j:
        j.notes.add(r.Note(id="n1", date=date(2026, 1, 5), text="Ask about sleep"))
    before = _digest(path)
    with open_file(path, create=False) as j:
        j.contents()
        j.state()
    assert _digest(path) == before


def test_the_journal_file_format_does_not_carry_the_id(tmp_path):
    with open_file(tmp_path / "mine.db") as mine:
        mine.notes.add(r.Note(id="n1", date=date(2026, 1, 5), text="Ask about sleep"))
        own = mine.state().journal_id
        out = export_contents(mine.contents(), tmp_path / "mine.json", "json")
    assert own not in out.read_text(encoding="utf-8")
    with open_file(tmp_path / "copy.db") as copy:
        import_file(copy, out)
        assert [n.text for n in copy.contents().notes] == ["Ask about sleep"]
        assert copy.state().journal_id != own


def test_a_choice_about_a_suggested_question_replaces_the_earlier_one_for_it(tmp_path):
    with open_file(tmp_path / "j.db") as j:
        j.choose_question(r.QuestionChoice("crp", "dismissed", "no CRP since 2025-12-01", date(2026, 12, 1)))
        j.choose_question(r.QuestionChoice("gad7", "added", "GAD-7 12 on 2026-11-20", date(2026, 12, 1)))
        j.choose_question(r.QuestionChoice("crp", "added", "no CRP since 2025-12-02", date(2026, 12, 2)))
    with open_file(tmp_path / "j.db", create=False) as j:
        kept = {c.key: c for c in j.state().question_choices}
    assert set(kept) == {"crp", "gad7"}
    assert kept["crp"] == r.QuestionChoice("crp", "added", "no CRP since 2025-12-02", date(2026, 12, 2))


def test_forgetting_a_choice_leaves_the_others_and_the_journal_id(tmp_path):
    with open_file(tmp_path / "j.db") as j:
        j.choose_question(r.QuestionChoice("crp", "dismissed", "no CRP since 2025-12-01", date(2026, 12, 1)))
        j.choose_question(r.QuestionChoice("gad7", "added", "GAD-7 12 on 2026-11-20", date(2026, 12, 1)))
        own = j.state().journal_id
        j.forget_question("crp")
        j.forget_question("tsh")  # never chosen: nothing to forget, nothing else changes
    with open_file(tmp_path / "j.db", create=False) as j:
        assert [c.key for c in j.state().question_choices] == ["gad7"]
        assert j.state().journal_id == own


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        (r.QuestionChoice("crp", "maybe", "x", date(2026, 12, 1)), "choice"),
        (r.QuestionChoice("  ", "added", "x", date(2026, 12, 1)), "key"),
    ],
)
def test_a_wrong_choice_is_refused_and_nothing_changes(tmp_path, choice, field):
    with open_file(tmp_path / "j.db") as j:
        before = j.state()
        with pytest.raises(ValidationError) as caught:
            j.choose_question(choice)
        assert caught.value.for_field(field)
        assert j.state() == before


def test_the_day_of_the_latest_report_is_remembered(tmp_path):
    with open_file(tmp_path / "j.db") as j:
        assert j.state().last_report is None
        j.report_made(date(2026, 11, 3))
        j.report_made(date(2026, 12, 1))
        own = j.state().journal_id
    with open_file(tmp_path / "j.db", create=False) as j:
        assert j.state().last_report == date(2026, 12, 1)
        assert j.state().journal_id == own
