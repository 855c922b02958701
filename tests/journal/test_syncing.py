"""Sync through a folder: two and three journals through one folder keep the same records, and nothing typed is lost."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from journal import records as r
from journal.errors import JournalError
from journal.opening import open_file
from journal.syncing import sync, sync_history

_TICKS = itertools.count(1_760_000_000_000)


def _now() -> float:
    """A wall clock that moves on a millisecond each time it is read: 'later' in a test is the change made later."""
    return next(_TICKS) / 1000


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "folder"
    made.mkdir()
    return made


@pytest.fixture
def computers(tmp_path):
    opened = [open_file(tmp_path / name / "j.db") for name in ("home", "work", "mum")]
    yield opened
    for journal in opened:
        journal.close()


def _note(text: str) -> r.Note:
    return r.Note(id="", date=date(2025, 1, 2), text=text)


def _texts(journal) -> list[str]:
    return [n.text for n in journal.notes.list()]


def _round(journals, folder):
    return [sync(j, folder, now=_now) for j in journals]


def test_a_note_added_on_one_computer_reaches_the_others_and_a_second_sync_changes_nothing(computers, folder):
    home, work, mum = computers
    home.notes.add(_note("lighthouse on the hill"))
    first = _round(computers, folder)
    assert (first[0].sent, first[1].received, first[2].received) == (1, 1, 1)
    assert _texts(work) == _texts(mum) == ["lighthouse on the hill"]
    again = _round(computers, folder)
    assert all((o.sent, o.received, o.conflicts) == (0, 0, 0) for o in again)
    assert _texts(work) == ["lighthouse on the hill"]


def test_an_edit_made_on_two_computers_keeps_the_later_and_the_earlier_in_the_history(computers, folder):
    home, work, _ = computers
    note = home.notes.add(_note("first words")).record
    _round(computers[:2], folder)
    home.notes.update(r.replace(note, text="written at home"))
    work.notes.update(r.replace(note, text="written at work"))
    at_home = sync(home, folder, now=_now)
    at_work = sync(work, folder, now=_now)
    back_home = sync(home, folder, now=_now)
    assert _texts(home) == _texts(work) == ["written at work"]
    assert at_work.conflicts == 1 and back_home.conflicts == 1 and at_home.conflicts == 0
    assert [h["data"]["text"] for h in sync_history(home)] == ["written at home"]
    assert [h["data"]["text"] for h in sync_history(work)] == ["written at home"]


def test_an_edit_made_over_the_other_computers_version_is_no_conflict(computers, folder):
    home, work, _ = computers
    note = home.notes.add(_note("first words")).record
    _round(computers[:2], folder)
    work.notes.update(r.replace(note, text="carried on at work"))
    outcomes = _round([work, home], folder)
    assert _texts(home) == ["carried on at work"]
    assert [o.conflicts for o in outcomes] == [0, 0] and sync_history(home) == []


def test_a_deletion_reaches_every_computer(computers, folder):
    home, work, mum = computers
    note = home.notes.add(_note("to be taken back")).record
    _round(computers, folder)
    mum.notes.delete(note.id)
    _round([mum, home, work], folder)
    assert _texts(home) == _texts(work) == []
    assert _round(computers, folder)[0].received == 0


def test_settings_and_the_profile_reach_the_others_and_untouched_defaults_never_win(computers, folder):
    home, work, mum = computers
    _round([work], folder)  # work syncs first with its defaults
    home.update_settings(adequate_weeks=8)
    home.set_profile(r.Profile(display_name="Sam"))
    outcomes = _round([home, work, mum], folder)
    assert work.settings().adequate_weeks == mum.settings().adequate_weeks == 8
    assert work.profile().display_name == "Sam"
    assert all(o.conflicts == 0 for o in outcomes)


def test_the_same_files_merged_again_change_nothing(computers, folder, tmp_path):
    home, work, _ = computers
    home.notes.add(_note("once only"))
    sync(home, folder, now=_now)
    sync(work, folder, now=_now)
    state = work.sync_state()
    state["files"] = {}  # as if the files had never been read
    work.write_sync_state(state)
    again = sync(work, folder, now=_now)
    assert (again.received, again.conflicts) == (0, 0)
    assert _texts(work) == ["once only"]


@pytest.mark.parametrize(
    ("name", "contents", "says"),
    [
        ("tj-abcd1234-000001760000000000-0000-abcd1234-000001760000000000-0000-abcd1234.tjsync", b"a holiday photo", "not a Trial Journal"),
        ("stray.tjsync", b"TJSYNC1\n", "not named as a change file"),
    ],
)
def test_a_foreign_file_in_the_folder_is_skipped_by_name_and_nothing_changes(computers, folder, name, contents, says):
    home, work, _ = computers
    home.notes.add(_note("kept safe"))
    sync(home, folder, now=_now)
    (folder / name).write_bytes(contents)
    (folder / "shopping list.txt").write_text("milk")  # the person's own file is left alone, unnamed
    outcome = sync(work, folder, now=_now)
    assert len(outcome.skipped) == 1 and name in outcome.skipped[0] and says in outcome.skipped[0]
    assert _texts(work) == ["kept safe"]


def test_a_truncated_change_file_is_skipped_by_name_and_nothing_of_it_is_merged(computers, folder):
    home, work, _ = computers
    home.notes.add(_note("half a file"))
    sync(home, folder, now=_now)
    written = _one_change_file(folder)
    written.write_bytes(written.read_bytes()[:-5])
    outcome = sync(work, folder, now=_now)
    assert written.name in outcome.skipped[0] and "damaged" in outcome.skipped[0]
    assert _texts(work) == []


def test_joining_starts_a_new_journal_from_the_folder_with_every_record(tmp_path, folder):
    with open_file(tmp_path / "home" / "j.db") as home:
        home.notes.add(_note("from the first computer"))
        home.update_settings(primary_scale="QIDS-SR16")
        sync(home, folder, now=_now)
    with open_file(tmp_path / "new" / "j.db") as new:
        joined = sync(new, folder, now=_now, joining=True)
        assert joined.sent == 0
        assert _texts(new) == ["from the first computer"] and new.settings().primary_scale == "QIDS-SR16"
        assert sync(new, folder, now=_now).sent == 0


def test_a_folder_that_holds_the_journal_itself_is_refused(tmp_path):
    with open_file(tmp_path / "j.db") as journal, pytest.raises(JournalError, match="holds the journal itself"):
        sync(journal, tmp_path)


def _one_change_file(folder):
    (written,) = [p for p in folder.iterdir() if p.name.endswith(".tjsync")]
    return written


@pytest.mark.parametrize(
    "copy_name",
    [
        lambda stem: f"{stem}.sync-conflict-20250102-101010-ABCDEFG.tjsync",
        lambda stem: f"{stem} (Sam's conflicted copy 2025-01-02).tjsync",
        lambda stem: f"{stem}(1).tjsync",
    ],
)
def test_a_sync_tools_copy_of_a_change_file_is_read_and_then_removed(computers, folder, copy_name):
    home, work, _ = computers
    home.notes.add(_note("carried twice"))
    sync(home, folder, now=_now)
    original = _one_change_file(folder)
    copy = folder / copy_name(original.name.removesuffix(".tjsync"))
    copy.write_bytes(original.read_bytes())
    outcome = sync(work, folder, now=_now)
    assert outcome.skipped == [] and _texts(work) == ["carried twice"]
    assert not copy.exists() and original.exists()


def test_a_copy_left_alone_by_its_original_is_read_when_the_original_is_gone(computers, folder):
    home, work, _ = computers
    home.notes.add(_note("only in the copy"))
    sync(home, folder, now=_now)
    original = _one_change_file(folder)
    copy = folder / original.name.replace(".tjsync", " (conflicted copy 2025-01-02 101010).tjsync")
    original.rename(copy)
    sync(work, folder, now=_now)
    assert _texts(work) == ["only in the copy"]
    assert copy.exists()  # the only holder of its change: kept for the computers that have not read it


def test_a_copy_holding_a_change_its_original_does_not_is_merged_and_kept(computers, folder, tmp_path):
    home, work, mum = computers
    home.notes.add(_note("the original's words"))
    sync(home, folder, now=_now)
    original = _one_change_file(folder)
    # Another journal writing under home's name (a copied journal file) puts different words in the same name.
    twin_folder = tmp_path / "twin"
    twin_folder.mkdir()
    state = home.sync_state()
    twin = open_file(tmp_path / "twin journal" / "j.db")
    try:
        twin.write_sync_state({"device": state["device"], "clock": None, "records": {}, "files": {}, "history": []})
        twin.notes.add(_note("the twin's words"))
        sync(twin, twin_folder, now=_now)
    finally:
        twin.close()
    twin_file = _one_change_file(twin_folder)
    copy = folder / original.name.replace(".tjsync", ".sync-conflict-20250102-101010-ABCDEFG.tjsync")
    copy.write_bytes(twin_file.read_bytes())
    sync(work, folder, now=_now)
    sync(mum, folder, now=_now)
    assert sorted(_texts(work)) == sorted(_texts(mum)) == ["the original's words", "the twin's words"]
    assert copy.exists()


def test_a_damaged_copy_is_skipped_by_name_and_left_in_the_folder(computers, folder):
    home, work, _ = computers
    home.notes.add(_note("whole in the original"))
    sync(home, folder, now=_now)
    original = _one_change_file(folder)
    copy = folder / original.name.replace(".tjsync", "(1).tjsync")
    copy.write_bytes(original.read_bytes()[:-3])
    outcome = sync(work, folder, now=_now)
    assert len(outcome.skipped) == 1 and copy.name in outcome.skipped[0]
    assert _texts(work) == ["whole in the original"] and copy.exists()


def test_who_entered_a_record_travels_with_it_and_a_new_author_is_sent_as_a_change(computers, folder):
    home, work, _ = computers
    by_mum = home.notes.add(_note("mum wrote this for me"), author="Mum").record
    by_me = home.notes.add(_note("my own words")).record
    _round(computers[:2], folder)
    assert work.author_of(by_mum.id) == "Mum" and work.author_of(by_me.id) is None
    work.set_author(by_mum.id, None)  # the owner takes the record as theirs on the other computer
    work.set_author(by_me.id, "Dad")
    outcomes = _round([work, home], folder)
    assert outcomes[0].sent == 2
    assert home.author_of(by_mum.id) is None and home.author_of(by_me.id) == "Dad"
    assert _round(computers[:2], folder)[0].sent == 0


def test_a_half_written_file_a_killed_sync_left_is_removed_by_the_next_sync_and_another_computers_is_left(computers, folder):
    home, work, _ = computers
    home.notes.add(_note("sent whole"))
    sync(home, folder, now=_now)
    device = home.sync_state()["device"]
    left = folder / f".tj-{device}-000001760000000000-0000-{device}.tjsync.abc123.part"
    others = folder / ".tj-0badc0de-000001760000000000-0000-0badc0de.tjsync.abc123.part"
    left.write_bytes(b"TJSYNC1\n1 pl")
    others.write_bytes(b"TJSYNC1\n1 pl")
    outcome = sync(home, folder, now=_now)
    assert not left.exists() and others.exists() and outcome.skipped == []


def test_a_sync_cut_off_after_writing_its_file_still_sends_a_later_deletion(tmp_path, monkeypatch):
    """Killed between writing its change file and storing what it sent: the next sync knows the file as its own."""
    from datetime import date as _date

    from journal.facade import Journal
    from journal.opening import open_file
    from journal.records import Note
    from journal.syncing import sync

    folder = tmp_path / "folder"
    folder.mkdir()
    with open_file(tmp_path / "a.db", create=True) as a, open_file(tmp_path / "b.db", create=True) as b:
        a.notes.add(Note("", _date(2026, 11, 1), "kept", False))
        sync(a, folder)
        sync(b, folder, joining=True)
        note = a.notes.add(Note("", _date(2026, 11, 2), "soon deleted", False)).record
        real = Journal.apply_sync

        def cut_off(self, *args, **kwargs):
            raise OSError("power cut")

        monkeypatch.setattr(Journal, "apply_sync", cut_off)
        with pytest.raises(OSError):
            sync(a, folder)  # the change file is in the folder; what it sent is not stored
        monkeypatch.setattr(Journal, "apply_sync", real)
        sync(b, folder)
        assert "soon deleted" in [n.text for n in b.contents().notes]
        a.notes.delete(note.id)
        sync(a, folder)
        sync(b, folder)
        assert [n.text for n in b.contents().notes] == ["kept"]
