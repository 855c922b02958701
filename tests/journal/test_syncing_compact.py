"""Compaction: a computer's old change files give way to one snapshot once every other computer has read them, and nothing is lost."""

from __future__ import annotations

import json
from datetime import date

import pytest

from journal import records as r
from journal.exchange.jsonfile import contents_to_json
from journal.opening import open_file
from journal.sync import decode, parse_file_name
from journal.syncing import manifest_name, sync, sync_history
from tests.journal.test_syncing import _now, computers, folder  # noqa: F401 - the same clock and the same three computers

SMALL = 3  # compaction after this many of a computer's own files


def _sync(journal, folder):
    outcome = sync(journal, folder, now=_now, compact_after=SMALL)
    assert outcome.skipped == []
    return outcome


def _round(journals, folder):
    return [_sync(j, folder) for j in journals]


def _own_files(folder, journal) -> list[str]:
    device = journal.sync_state()["device"]
    return sorted(p.name for p in folder.iterdir() if (n := parse_file_name(p.name)) and n.device == device and not n.conflict_copy)


def _held(journal) -> dict:
    held = contents_to_json(journal.contents())
    held.pop("exported_at", None)
    return held


def _busy_rounds(computers, folder, rounds: int = 6) -> None:
    """Each computer adds a note and syncs, round after round: every one piles up change files of its own."""
    for number in range(rounds):
        for who, journal in enumerate(computers):
            journal.notes.add(r.Note(id="", date=date(2025, 2, 1), text=f"round {number} on {who}"))
            _sync(journal, folder)


def test_many_rounds_then_quiet_syncs_bring_each_computers_own_files_down_and_every_journal_stays_whole(computers, folder):
    _busy_rounds(computers, folder)
    before = [len(_own_files(folder, j)) for j in computers]
    assert all(count == 6 for count in before)
    quiet = _round(computers, folder) + _round(computers, folder)
    after = [len(_own_files(folder, j)) for j in computers]
    assert all(count == 1 for count in after), after
    assert [(o.received, o.conflicts) for o in quiet] == [(2, 0), (1, 0), *[(0, 0)] * 4]  # the snapshots read change nothing
    assert len(computers[0].notes.list()) == 18
    assert _held(computers[0]) == _held(computers[1]) == _held(computers[2])
    (snapshot,) = _own_files(folder, computers[0])
    assert decode((folder / snapshot).read_bytes()).snapshot


def test_a_computer_joining_after_compaction_holds_every_record_and_the_others_edits_and_deletions(computers, folder, tmp_path):
    home, work, mum = computers
    _busy_rounds(computers, folder)
    first = work.notes.list()
    work.notes.update(r.replace(first[0], text="edited at work"))
    mum.notes.delete(first[1].id)
    home.update_settings(adequate_weeks=8)
    for _ in range(3):
        _round(computers, folder)
    assert all(len(_own_files(folder, j)) == 1 for j in computers)
    with open_file(tmp_path / "new" / "j.db") as new:
        joined = sync(new, folder, now=_now, joining=True, compact_after=SMALL)
        assert joined.skipped == [] and joined.conflicts == 0
        assert _held(new) == _held(home)
        texts = [n.text for n in new.notes.list()]
        assert "edited at work" in texts and first[1].text not in texts and len(texts) == 17
        assert new.settings().adequate_weeks == 8


def test_a_file_another_computer_has_not_seen_is_never_removed(computers, folder):
    home, work, mum = computers
    _busy_rounds(computers, folder)
    mine = _own_files(folder, home)
    manifest = folder / manifest_name(mum.sync_state()["device"])
    held = json.loads(manifest.read_text())
    held["seen"].remove(mine[2])  # as if mum's sync tool had not brought that file yet
    manifest.write_text(json.dumps(held))
    _sync(home, folder)
    assert _own_files(folder, home) == mine


def test_a_computer_that_has_not_synced_since_keeps_the_files_it_has_not_read(computers, folder):
    home, work, mum = computers
    _busy_rounds(computers, folder)
    home.notes.add(r.Note(id="", date=date(2025, 2, 2), text="mum has not read this"))
    _round([home, work], folder)
    _round([home, work], folder)
    assert len(_own_files(folder, home)) == 7  # mum's manifest lacks the newest: home keeps all its files
    _round([mum, home], folder)
    assert len(_own_files(folder, home)) == 1
    assert "mum has not read this" in [n.text for n in mum.notes.list()]


@pytest.mark.parametrize("damage", [b"{not json", b"\xff\xfe", b'{"device": "0badc0de", "seen": []}', b'{"seen": "everything"}', b""])
def test_a_damaged_manifest_changes_nothing_and_keeps_every_file(computers, folder, damage):
    home, work, mum = computers
    _busy_rounds(computers, folder)
    mine = _own_files(folder, home)
    (folder / manifest_name(mum.sync_state()["device"])).write_bytes(damage)
    outcome = _sync(home, folder)
    assert _own_files(folder, home) == mine and outcome.skipped == []
    assert len(home.notes.list()) == 18


def test_a_manifest_left_by_an_unknown_computer_keeps_the_files_until_it_has_seen_them(computers, folder):
    home, work, mum = computers
    _busy_rounds(computers[:2], folder)
    (folder / manifest_name("0badc0de")).write_text(json.dumps({"device": "0badc0de", "seen": []}))
    _round(computers[:2], folder)
    assert len(_own_files(folder, home)) == 6


def test_merging_after_compaction_still_converges_and_an_edit_on_two_computers_is_one_conflict(computers, folder):
    home, work, mum = computers
    _busy_rounds(computers, folder)
    for _ in range(2):
        _round(computers, folder)
    assert all(len(_own_files(folder, j)) == 1 for j in computers)
    note = home.notes.list()[0]
    home.notes.update(r.replace(note, text="written at home"))
    work.notes.update(r.replace(note, text="written at work"))
    mum.notes.add(r.Note(id="", date=date(2025, 2, 3), text="after compaction"))
    outcomes = _round(computers, folder) + _round(computers, folder) + _round(computers, folder)
    assert _held(home) == _held(work) == _held(mum)
    assert sum(o.conflicts for o in outcomes) == 3  # once on each computer
    assert "written at work" in [n.text for n in mum.notes.list()]
    assert {h["data"]["text"] for j in computers for h in sync_history(j)} == {"written at home"}


def test_a_lone_computer_compacts_and_a_second_joining_later_gets_everything(tmp_path, folder):
    with open_file(tmp_path / "home" / "j.db") as home:
        for number in range(5):
            home.notes.add(r.Note(id="", date=date(2025, 2, 1), text=f"alone {number}"))
            _sync(home, folder)
        to_delete = home.notes.list()[0]
        home.notes.delete(to_delete.id)
        _sync(home, folder)
        _sync(home, folder)
        assert len(_own_files(folder, home)) == 1
        with open_file(tmp_path / "new" / "j.db") as new:
            sync(new, folder, now=_now, joining=True, compact_after=SMALL)
            assert _held(new) == _held(home) and len(new.notes.list()) == 4


def test_a_snapshot_arriving_late_reports_no_conflict_for_a_version_every_computer_had_and_has_since_moved_past(computers, folder, tmp_path):
    home, work, mum = computers
    _busy_rounds(computers, folder)
    _round([work, mum], folder)
    _sync(home, folder)  # home compacts: its snapshot holds the first note as every computer has it
    (snapshot,) = _own_files(folder, home)
    late = tmp_path / "late"
    (folder / snapshot).rename(late)  # the sync tool has not brought the snapshot to the others yet
    note = work.notes.list()[0]
    work.notes.update(r.replace(note, text="carried on at work"))
    _sync(work, folder)
    _sync(mum, folder)
    mum.notes.update(r.replace(mum.notes.get(note.id), text="carried on by mum over work's words"))
    _round([mum, work], folder)
    late.rename(folder / snapshot)
    outcomes = _round([mum, work], folder)
    assert [o.conflicts for o in outcomes] == [0, 0]
    assert sync_history(mum) == sync_history(work) == []
    assert _held(mum) == _held(work)
