"""Crash safety: a writer killed at random moments never loses an entry it reported saved, and the file stays sound."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from journal.opening import open_journal
from journal.safekeeping import backups

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"), pytest.mark.slow]

KEY = bytes.fromhex("5a" * 32)
KILLS = 12

# The writer adds notes one by one and reports each only after `add` has returned.
_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from journal.opening import open_journal
    from journal.records import Note

    path, run = sys.argv[1], sys.argv[2]
    access = open_journal(path, key=bytes.fromhex(sys.argv[3]), create=True)
    print("open", flush=True)
    i = 0
    while True:
        i += 1
        change = access.journal.notes.add(Note("", date(2025, 1, 1), f"run {run} entry {i} " + "x" * (i % 7) * 300))
        print("saved", change.record.id, flush=True)
    """
)


def _run_and_kill(path, run: int, rng: random.Random) -> list[str]:
    """Start a writer, let it save a random number of entries (sometimes none), SIGKILL it; the ids it reported."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(run), KEY.hex()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    saved: list[str] = []
    try:
        assert proc.stdout.readline().strip() == "open", proc.stderr.read()
        target = rng.choice([0, 1, 3, 10, 25, 60])
        while len(saved) < target:
            line = proc.stdout.readline()
            assert line.startswith("saved "), line + proc.stderr.read()
            saved.append(line.split()[1])
        time.sleep(rng.random() * 0.02)  # land the kill somewhere inside the next write
    finally:
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()  # waits, and closes its pipes
    # Lines written before the kill but not yet read still count: the writer reported them.
    for line in rest.splitlines():
        if line.startswith("saved "):
            saved.append(line.split()[1])
    return saved


def test_every_entry_reported_saved_survives_repeated_kills_and_the_file_stays_sound(tmp_path):
    path = tmp_path / "profile" / "journal.db"
    rng = random.Random(20261127)
    reported: set[str] = set()
    for run in range(KILLS):
        reported.update(_run_and_kill(path, run, rng))
        # Checked as the crash left it: any opener first recovers the WAL, then SQLite's full check.
        assert backups.verify_backup(path, KEY) == [], f"integrity check failed after kill {run + 1}"
        # The killed writer's lock is gone at once: this open would raise JournalLockedError otherwise.
        access = open_journal(path, key=KEY)
        stored = {n.id for n in access.journal.notes.list()}
        access.close(backup=False)
        missing = reported - stored
        assert not missing, f"after kill {run + 1}, {len(missing)} saved entries were lost"
    assert len(reported) > KILLS  # the writers really wrote


def test_a_full_disk_during_a_save_keeps_every_earlier_entry_and_says_so(tmp_path):
    from datetime import date

    from journal.errors import JournalError
    from journal.records import Note
    from tests.journal.tiny_disk import tiny_disk

    with tiny_disk(tmp_path / "disk", size="640k") as disk:
        path = disk / "profile" / "journal.db"
        access = open_journal(path, key=KEY, create=True)
        saved = []
        with pytest.raises(JournalError) as err:
            for i in range(200):  # the disk fills long before this
                saved.append(access.journal.notes.add(Note("", date(2025, 1, 1), f"entry {i} " + "x" * 19_000)).record.id)
        assert "full" in str(err.value) and "nothing was changed" in str(err.value)
        assert saved  # it did save some first
        warning = access.close()  # the closing backup cannot be written either: said, not raised
        assert warning and "disk is full" in warning
        assert backups.list_backups(path) == []
        assert backups.verify_backup(path, KEY) == []
        access = open_journal(path, key=KEY)
        assert sorted(n.id for n in access.journal.notes.list()) == sorted(saved)
        access.close(backup=False)


def test_a_full_disk_while_adding_a_passphrase_leaves_the_journal_as_it_was(tmp_path):
    from datetime import date

    from journal.errors import JournalError
    from journal.records import Note
    from journal.safekeeping import keystore
    from tests.journal.tiny_disk import tiny_disk

    with tiny_disk(tmp_path / "disk", size="1m") as disk:
        path = disk / "profile" / "journal.db"
        access = open_journal(path, create=True)
        for i in range(10):
            access.journal.notes.add(Note("", date(2025, 1, 1), f"entry {i} " + "x" * 19_000))
        access.close(backup=False)
        access = open_journal(path)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * max(0, free - 64 * 1024))  # room for far less than a copy
        with pytest.raises(JournalError, match="disk is full"):
            access.add_passphrase("a long enough passphrase")
        assert not access.encrypted and not keystore.is_encrypted(path)
        assert len(access.journal.notes.list()) == 10  # reopened, as it was
        access.close(backup=False)
        assert backups.verify_backup(path, None) == []
        assert [p.name for p in path.parent.iterdir() if "encrypting" in p.name] == []
