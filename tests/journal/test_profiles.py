"""Profiles: several journals on one account, in folders that name no one, created, renamed and removed with a final copy."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime

import pytest

from journal.errors import JournalError, JournalLockedError, NotFoundError
from journal.opening import open_journal
from journal.records import Note
from journal.safekeeping.keystore import KdfParams
from journal.safekeeping.profiles import ProfileStore, label_problems

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)


@pytest.fixture
def store(tmp_path):
    return ProfileStore(tmp_path / "data")


def test_each_profile_gets_its_own_private_folder_named_by_a_random_id(store):
    sam = store.create("Sam")
    alex = store.create("Alex's journal")
    assert sam.folder != alex.folder
    for entry in (sam, alex):
        assert entry.folder.parent == store.folder
        assert "sam" not in entry.folder.name.lower() and "alex" not in entry.folder.name.lower()
        if os.name == "posix":
            assert stat.S_IMODE(entry.folder.stat().st_mode) == 0o700
    assert [e.label for e in store.list()] == ["Alex's journal", "Sam"]
    assert store.get(sam.id) == sam


def test_the_index_holds_only_ids_and_labels_and_is_private(store):
    entry = store.create("Journal 1")
    with open_journal(entry.journal_path, passphrase="a long enough passphrase", create=True, kdf=FAST) as access:
        access.journal.notes.add(Note("", date(2025, 3, 1), "Ask about the thyroid panel"))
    index = store.folder / "index.json"
    body = json.loads(index.read_text())
    assert body == {"format": "trial-journal-profiles", "version": 1, "profiles": [{"id": entry.id, "label": "Journal 1"}]}
    if os.name == "posix":
        assert stat.S_IMODE(index.stat().st_mode) == 0o600
    assert entry.encrypted and store.get(entry.id).exists


def test_profiles_open_separately_at_the_same_time(store):
    a, b = store.create("A"), store.create("B")
    with open_journal(a.journal_path, create=True) as first, open_journal(b.journal_path, create=True) as second:
        first.journal.notes.add(Note("", date(2025, 3, 1), "only in A"))
        assert second.journal.notes.list() == []


def test_rename_changes_only_the_label(store):
    entry = store.create("Old name")
    open_journal(entry.journal_path, create=True).close(backup=False)
    renamed = store.rename(entry.id, "  New name ")
    assert renamed.label == "New name" and renamed.folder == entry.folder
    assert [e.label for e in ProfileStore(store.root).list()] == ["New name"]


@pytest.mark.parametrize(
    "label, words", [("", "Give the journal a name"), ("x" * 41, "keep it to 40"), ("two\nlines", "control character")]
)
def test_a_bad_label_is_refused_with_a_reason(store, label, words):
    assert words in label_problems(label)[0]
    with pytest.raises(JournalError, match=words):
        store.create(label)
    assert store.list() == []


def test_two_profiles_cannot_share_a_label(store):
    store.create("Sam")
    with pytest.raises(JournalError, match="already in the list"):
        store.create("sam")
    other = store.create("Alex")
    with pytest.raises(JournalError, match="already in the list"):
        store.rename(other.id, "SAM")
    assert store.rename(other.id, "Alex").label == "Alex"  # its own name again is fine


def test_removing_keeps_a_final_copy_of_the_journal_its_key_and_its_backups(store):
    entry = store.create("To remove")
    with open_journal(entry.journal_path, passphrase="a long enough passphrase", create=True, kdf=FAST) as access:
        access.journal.notes.add(Note("", date(2025, 3, 1), "keep me"))
    when = datetime(2026, 11, 27, 10, 15, tzinfo=UTC)
    final = store.remove(entry.id, now=when)
    assert not entry.folder.exists()
    assert store.list() == []
    assert final.name == f"{entry.id}-20261127-101500"
    assert {p.name for p in final.iterdir()} >= {"journal.db", "journal.db.keys", "backups"}
    assert store.final_copies() == [final]
    # The copy opens with the passphrase, still encrypted.
    with open_journal(final / "journal.db", passphrase="a long enough passphrase") as access:
        assert [n.text for n in access.journal.notes.list()] == ["keep me"]
    store.delete_final_copy(final)
    assert store.final_copies() == []


def test_a_profile_open_elsewhere_is_not_removed(store):
    entry = store.create("Busy")
    access = open_journal(entry.journal_path, create=True)
    try:
        with pytest.raises(JournalLockedError, match="close it there before removing"):
            store.remove(entry.id)
        assert entry.folder.exists() and store.list() == [entry]
    finally:
        access.close(backup=False)


def test_only_final_copies_can_be_deleted_that_way(store, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    with pytest.raises(JournalError, match="nothing was deleted"):
        store.delete_final_copy(precious)
    assert precious.exists()


def test_a_journal_folder_missing_from_the_index_still_shows(store):
    entry = store.create("Listed")
    (store.folder / "index.json").write_text("not json")
    assert [(e.id, e.label.startswith("Unnamed journal")) for e in store.list()] == [(entry.id, True)]


def test_an_unknown_profile_is_named(store):
    with pytest.raises(NotFoundError, match="no journal with id"):
        store.get("0123456789abcdef")


def test_the_only_journal_is_the_default(store):
    assert store.only_journal_path() is None
    entry = store.create("One")
    assert store.only_journal_path() == entry.journal_path
    store.create("Two")
    assert store.only_journal_path() is None
