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
from journal.safekeeping.locking import JournalLock, channel_name, lock_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and modes are POSIX")

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from journal.safekeeping.locking import JournalLock
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
        holder.communicate()  # waits, and closes its output pipe
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


def test_a_hard_link_to_an_open_journal_does_not_get_a_second_writer(tmp_path):
    from journal.opening import open_file

    journal = tmp_path / "journal.db"
    first = open_file(journal, create=True)
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    os.link(journal, other_folder / "same-file.db")
    try:
        with pytest.raises(JournalLockedError, match="already open in another window of this program"):
            open_file(other_folder / "same-file.db", create=False)
        with pytest.raises(JournalLockedError):
            JournalLock(other_folder / "same-file.db").acquire()
    finally:
        first.close()
    with open_file(other_folder / "same-file.db", create=False):  # free once the first lets go
        pass


def test_a_hard_link_held_by_another_process_is_refused_too(tmp_path):
    journal = tmp_path / "journal.db"
    journal.write_bytes(b"")
    holder = _start_holder(journal)
    try:
        link = tmp_path / "link.db"
        os.link(journal, link)
        with pytest.raises(JournalLockedError, match="close it there"):
            JournalLock(link).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()  # waits, and closes its output pipe
    with JournalLock(tmp_path / "link.db") as lock:  # the killed holder's lock on the file went with it
        assert lock.held


def test_a_symbolic_link_meets_the_same_lock(tmp_path):
    journal = tmp_path / "journal.db"
    journal.write_bytes(b"")
    (tmp_path / "alias.db").symlink_to(journal)
    with JournalLock(journal):
        with pytest.raises(JournalLockedError):
            JournalLock(tmp_path / "alias.db").acquire()
        assert lock_path(tmp_path / "alias.db") == lock_path(journal)


def test_journal_open_takes_the_lock_itself(tmp_path):
    from journal.opening import open_file, open_journal

    journal = tmp_path / "journal.db"
    with open_file(journal, create=True):
        with pytest.raises(JournalLockedError):
            open_file(journal, create=False)
        with pytest.raises(JournalLockedError):
            open_journal(journal)
    open_journal(journal).close(backup=False)  # closing let go


def test_a_refused_second_opener_does_not_disturb_the_first_journal(tmp_path):
    # Closing any descriptor of the file would drop SQLite's own locks on it in this process:
    # a refused opener in the same program must be turned away without opening the file.
    from datetime import date

    from journal.opening import open_file
    from journal.records import Note

    journal = tmp_path / "journal.db"
    first = open_file(journal, create=True)
    link = tmp_path / "link.db"  # another name: its own lock file, so only the file lock can refuse it
    os.link(journal, link)
    opened = []
    real_open = os.open

    def watching(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    try:
        os.open = watching
        for _ in range(3):
            with pytest.raises(JournalLockedError):
                JournalLock(link).acquire()
        os.open = real_open
        assert str(journal) not in opened and str(link) not in opened
        first.notes.add(Note("", date(2025, 3, 1), "still writable"))
        assert [n.text for n in first.notes.list()] == ["still writable"]
    finally:
        os.open = real_open
        first.close()


def test_behind_the_lock_screen_the_file_is_free_of_us_and_unlocking_refuses_a_writer_that_came_in_meanwhile(tmp_path):
    from journal.opening import open_file, open_journal

    journal = tmp_path / "journal.db"
    access = open_journal(journal, create=True)
    access.lock()
    with pytest.raises(JournalLockedError):  # the same name stays refused
        open_journal(journal)
    os.link(journal, tmp_path / "link.db")
    intruder = open_file(tmp_path / "link.db", create=False)
    with pytest.raises(JournalLockedError):
        access.unlock()
    assert access.locked
    intruder.close()
    access.unlock()
    assert not access.locked
    access.close(backup=False)


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
    from journal.safekeeping import locking

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
