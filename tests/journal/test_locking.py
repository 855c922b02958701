"""One writer per journal: a second opener is told plainly, and a killed owner's lock is reclaimed at once."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from journal.errors import JournalLockedError
from journal.locking import JournalLock, channel_name, lock_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and modes are POSIX")

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from journal.locking import JournalLock
    lock = JournalLock(sys.argv[1]).acquire()
    print("held", flush=True)
    time.sleep(60)
    """
)


def _start_holder(journal_path):
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(journal_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_opener_in_the_same_program_is_told_the_journal_is_open(tmp_path):
    journal = tmp_path / "journal.db"
    first = JournalLock(journal).acquire()
    with pytest.raises(JournalLockedError, match="already open in another window of this program"):
        JournalLock(journal).acquire()
    first.release()
    second = JournalLock(journal).acquire()  # free again once the first lets go
    assert second.held
    second.release()


def test_the_lock_file_is_private_and_holds_only_a_process_id(tmp_path):
    journal = tmp_path / "journal.db"
    with JournalLock(journal):
        assert stat.S_IMODE(lock_path(journal).stat().st_mode) == 0o600
        assert lock_path(journal).read_text().strip() == str(os.getpid())


def test_another_process_gets_the_message_and_the_lock_comes_back_after_a_kill(tmp_path):
    journal = tmp_path / "journal.db"
    holder = _start_holder(journal)
    try:
        with pytest.raises(JournalLockedError) as err:
            JournalLock(journal).acquire()
        assert f"process {holder.pid}" in str(err.value)
        assert "close it there" in str(err.value)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    lock = JournalLock(journal).acquire()  # no stale-lock wait: the OS let go with the process
    assert lock.held
    lock.release()


def test_a_lock_dropped_without_release_frees_the_journal(tmp_path):
    journal = tmp_path / "journal.db"
    JournalLock(journal).acquire()  # not kept: an exception path that forgets to release
    with JournalLock(journal) as lock:
        assert lock.held


def test_the_window_channel_name_is_per_journal_and_names_no_one(tmp_path):
    a, b = tmp_path / "sam" / "journal.db", tmp_path / "alex" / "journal.db"
    assert channel_name(a) == channel_name(a)
    assert channel_name(a) != channel_name(b)
    assert "sam" not in channel_name(a)


def test_a_failed_open_removes_the_lock_file_it_made_but_never_one_that_was_there(tmp_path):
    journal = tmp_path / "notes.txt"
    lock = JournalLock(journal).acquire()
    assert lock.created
    lock.release(remove=lock.created)
    assert not lock_path(journal).exists()
    with JournalLock(journal):
        pass  # a successful use keeps its lock file for next time
    assert lock_path(journal).exists()
    again = JournalLock(journal).acquire()
    assert not again.created
    again.release(remove=again.created)
    assert lock_path(journal).exists()


def test_a_lock_file_removed_as_its_holder_lets_go_is_never_shared(tmp_path, monkeypatch):
    from journal import locking

    journal = tmp_path / "journal.db"
    first = JournalLock(journal).acquire()
    stale = os.open(lock_path(journal), os.O_RDWR)  # a second opener has got this far when the first lets go
    first.release(remove=True)
    third = JournalLock(journal).acquire()  # a third opener makes a new lock file and holds it
    real = locking._open_lock_file
    handed = iter([(stale, False)])
    monkeypatch.setattr(locking, "_open_lock_file", lambda path: next(handed, None) or real(path))
    with pytest.raises(JournalLockedError):
        JournalLock(journal).acquire()  # the second goes on: it must not hold the removed file as the lock
    third.release()
