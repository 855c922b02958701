"""Sync in any order: two or three computers adding, editing and deleting notes, each with its own copy of the folder that a
sync tool fills late and in any order, all end with the same journal, and every version typed that lost is kept in a history."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import records as r
from journal.exchange.jsonfile import contents_to_json
from journal.opening import open_file
from journal.syncing import sync, sync_history

pytestmark = pytest.mark.slow

_TICKS = itertools.count(1_760_000_000_000)


def _now() -> float:
    return next(_TICKS) / 1000


# One step: (computer, what it does, which note it picks, which file it passes on)
_STEP = st.tuples(
    st.integers(0, 2),
    st.sampled_from(["add", "edit", "edit", "delete", "settings", "sync", "sync", "deliver", "deliver"]),
    st.integers(0, 50),
    st.integers(0, 50),
)


class _World:
    """Computers, each with a journal and its own copy of the sync folder, and what the test remembers of what was typed."""

    def __init__(self, root: Path, count: int) -> None:
        self.folders = [root / f"folder-{i}" for i in range(count)]
        for folder in self.folders:
            folder.mkdir()
        self.journals = [open_file(root / f"computer-{i}" / "j.db") for i in range(count)]
        self.typed = itertools.count()
        self.sent: set[str] = set()  # every note's words that a sync carried off a computer
        self.overwritten_knowingly: set[str] = set()  # words a person edited or deleted while seeing them

    def close(self) -> None:
        for journal in self.journals:
            journal.close()

    def step(self, who: int, action: str, pick: int, other: int) -> None:
        journal = self.journals[who]
        notes = journal.notes.list()
        if action == "add":
            journal.notes.add(r.Note(id="", date=date(2025, 1, 2), text=f"typed {next(self.typed)} on {who}"))
        elif action == "edit" and notes:
            note = notes[pick % len(notes)]
            self.overwritten_knowingly.add(note.text)
            journal.notes.update(r.replace(note, text=f"typed {next(self.typed)} on {who}"))
        elif action == "delete" and notes:
            note = notes[pick % len(notes)]
            self.overwritten_knowingly.add(note.text)
            journal.notes.delete(note.id)
        elif action == "settings":
            journal.update_settings(adequate_weeks=(4, 6, 8)[pick % 3])
        elif action == "sync":
            self.sync(who)
        elif action == "deliver":
            self.deliver(other % len(self.folders), who, pick if pick % 2 else None)

    def sync(self, who: int) -> None:
        self.sent.update(n.text for n in self.journals[who].notes.list())
        outcome = sync(self.journals[who], self.folders[who], now=_now)
        assert outcome.skipped == []

    def deliver(self, source: int, target: int, pick: int | None = None) -> None:
        """The sync tool carries one file (or, with no pick, every file not there yet) from one computer's folder to another's."""
        missing = sorted(p.name for p in self.folders[source].iterdir() if not (self.folders[target] / p.name).exists())
        if not missing:
            return
        for name in missing if pick is None else missing[pick % len(missing) : pick % len(missing) + 1]:
            shutil.copyfile(self.folders[source] / name, self.folders[target] / name)

    def settle(self) -> None:
        """Every computer syncs, the sync tool catches up everywhere, twice over: what every computer then holds."""
        for _ in range(2):
            for who in range(len(self.journals)):
                self.sync(who)
            for source, target in itertools.permutations(range(len(self.folders)), 2):
                self.deliver(source, target)
        for who in range(len(self.journals)):
            self.sync(who)


def _journal_contents(journal) -> dict:
    return contents_to_json(journal.contents())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(2, 3), steps=st.lists(_STEP, max_size=25))
def test_any_order_of_syncs_and_late_files_gives_every_computer_the_same_journal_and_loses_nothing_typed(count, steps):
    with tempfile.TemporaryDirectory() as root:
        world = _World(Path(root), count)
        try:
            world.step(0, "add", 0, 0)
            world.step(0, "add", 0, 0)
            world.settle()  # two notes every computer holds, for the steps to edit and delete on several at once
            for who, action, pick, other in steps:
                world.step(who % count, action, pick, other)
            world.settle()
            held = [_journal_contents(j) for j in world.journals]
            assert all(h == held[0] for h in held[1:])
            final = {n.text for n in world.journals[0].notes.list()}
            kept = {h["data"]["text"] for j in world.journals for h in sync_history(j) if h["kind"] == "notes"}
            lost = world.sent - final - world.overwritten_knowingly - kept
            assert lost == set(), f"versions typed and sent, overwritten unseen, kept nowhere: {sorted(lost)}"
        finally:
            world.close()
