"""One writer per journal: OS locks on `<journal>.lock` and on the journal file itself, released by the OS when its process ends.

The lock is an advisory `flock` (POSIX) or `msvcrt.locking` (Windows) on a small file beside
the journal, held for as long as the journal is open, and a second one on the journal file
itself: a lock taken by name alone would let a second writer in through another name for the
same file (a hard link, a symbolic link, a path with `..` in it). The lock file is found from
the journal's real path (symbolic links followed); the file lock is on the file's inode, so
every name for it meets the same lock. When the journal is replaced (a restore, encryption),
`acquire()` again moves the file lock to the new file. Behind the lock screen the journal file
is not held open at all (`release_file()`): the name lock keeps the same path from opening
it, and unlocking takes the file lock again (refused if another name for it was opened meanwhile).

Closing any descriptor of a file drops the POSIX record locks SQLite holds on it in this
process. So the journal file is opened here only when no journal of this process has it:
a second opener in this program is refused from the table of locks held (`_HELD`), without
opening the file, and the lock's own descriptor is closed only on `release()`, after the
journal's connections are closed. A process that is killed (even with
SIGKILL) loses its locks with its file descriptors, so the next process takes the lock at
once: there is no stale-lock timeout to wait for and nothing to clean up. `flock` conflicts
between two opens of the file even inside one process, so a second window in the same
program is refused too.

The lock file holds only the owner's process id (for the message) and is created 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path

from journal.errors import JournalLockedError
from journal.files.hygiene import PRIVATE_FILE_MODE, make_private

__all__ = ["LOCK_SUFFIX", "JournalLock", "lock_path", "channel_name"]

LOCK_SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 30  # lock a byte far past the pid, so the pid stays readable
# On Windows the journal file's lock is on one byte far past any page SQLite ever writes or locks.
_WINDOWS_FILE_LOCK_OFFSET = 1 << 46

# The journal files (device, inode) this process holds a lock on, and the lock holding each.
_HELD: dict[tuple[int, int], JournalLock] = {}


def lock_path(journal_path: str | os.PathLike[str]) -> Path:
    """The lock file of the journal at `journal_path` (beside the real file, symbolic links followed)."""
    journal_path = Path(os.path.realpath(os.fspath(journal_path)))
    return journal_path.with_name(journal_path.name + LOCK_SUFFIX)


def channel_name(journal_path: str | os.PathLike[str]) -> str:
    """A per-user, per-journal name for a local socket on which the open window can be asked to come forward.

    Made from a hash of the journal's real path, so the name says nothing about its owner.
    """
    real = os.path.realpath(os.fspath(journal_path))
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    return "trial-journal-" + hashlib.sha256(f"{user}\0{real}".encode()).hexdigest()[:24]


class JournalLock:
    """The one-writer lock of one journal; `acquire()` raises JournalLockedError if it is held elsewhere."""

    def __init__(self, journal_path: str | os.PathLike[str]):
        self.journal_path = Path(journal_path)
        self.path = lock_path(journal_path)
        self._fd: int | None = None
        self._file_fd: int | None = None
        self._file_id: tuple[int, int] | None = None
        self.created = False  # whether acquire() made the lock file (a failed open then removes it again)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> JournalLock:
        """Take the lock without waiting; a second holder gets a clear JournalLockedError.

        Called again while held, it follows the journal file: if the file was made or replaced
        since, the lock moves to the file now at the path (or JournalLockedError, keeping the
        rest of the lock, when another writer holds that file).
        """
        if self._fd is None:
            self._lock_by_name()
            try:
                self._lock_file()
            except BaseException:
                self.release(remove=self.created)
                raise
        else:
            self._lock_file()
        return self

    def _lock_by_name(self) -> None:
        for _ in range(20):
            fd, created = _open_lock_file(self.path)
            try:
                make_private(self.path)
                if not _try_lock(fd):
                    raise JournalLockedError(self._held_elsewhere_message(fd))
                if not _still_in_place(fd, self.path):
                    # its holder removed it as it let go (an open that failed): lock the file now in its place
                    os.close(fd)
                    continue
                _write_pid(fd)
            except BaseException:
                os.close(fd)
                raise
            self._fd, self.created = fd, created
            return
        raise JournalLockedError(self._held_elsewhere_message(None))

    def _lock_file(self) -> None:
        """Lock the journal file itself (when there is one), by its inode."""
        try:
            st = os.stat(self.journal_path)
        except OSError:
            return  # no file yet: it is locked once made (acquire() again)
        file_id = (st.st_dev, st.st_ino)
        if file_id == self._file_id:
            return
        holder = _HELD.get(file_id)
        if holder is not None and holder is not self:
            raise JournalLockedError(self._message("in another window of this program"))
        fd = os.open(self.journal_path, os.O_RDONLY)
        if os.fstat(fd).st_ino != st.st_ino or not _try_lock_file(fd):
            # Held by another process: this process has no connection to the file, so closing is safe.
            os.close(fd)
            raise JournalLockedError(self._message("in another window or program"))
        self._drop_file_lock()
        self._file_fd, self._file_id = fd, file_id
        _HELD[file_id] = self

    def release_file(self) -> None:
        """Let go of the journal file itself but keep the lock by name (the journal is locked behind its lock screen).

        Nothing of the journal stays open then; `acquire()` takes the file again on unlocking, and
        refuses if another name for the file was opened meanwhile. Call only after the journal's
        connections are closed.
        """
        self._drop_file_lock()

    def _drop_file_lock(self) -> None:
        fd, self._file_fd = self._file_fd, None
        if self._file_id is not None and _HELD.get(self._file_id) is self:
            del _HELD[self._file_id]
        self._file_id = None
        if fd is not None:
            os.close(fd)

    def release(self, *, remove: bool = False) -> None:
        """Let another window or process open the journal. The lock file stays for reuse unless `remove`.

        `remove` is for an open that failed on a journal that had no lock file before, so that
        nothing is left beside a file that is not a journal. The file is removed while still
        locked, and acquire() checks it locked the file still in place, so no two holders meet.
        """
        self._drop_file_lock()
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
            if remove and os.name != "nt":
                self.path.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the descriptor drops the lock
        if remove and os.name == "nt":  # pragma: no cover - Windows cannot remove a file still open
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Release, and remove the lock file if this lock made it: an open that failed leaves nothing behind."""
        self.release(remove=self.created)

    def __enter__(self) -> JournalLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        # a lock file made only for work that failed is removed with it
        self.release(remove=self.created and exc[0] is not None)

    def __del__(self) -> None:
        # A lock dropped without release() (say, by an exception) must not outlive its owner object.
        with contextlib.suppress(Exception):
            self.release()

    def _held_elsewhere_message(self, fd: int | None) -> str:
        pid = _read_pid(fd) if fd is not None else None
        if pid == os.getpid():
            where = "in another window of this program"
        elif pid:
            where = f"in another window or program (process {pid})"
        else:
            where = "in another window or program"
        return self._message(where)

    @staticmethod
    def _message(where: str) -> str:
        return (
            f"This journal is already open {where}. Only one can change it at a time, so that no entry "
            "is lost: switch to the window that has it open, or close it there and try again."
        )


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int, offset: int = _WINDOWS_LOCK_OFFSET) -> bool:
        os.lseek(fd, offset, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _try_lock_file(fd: int) -> bool:
        return _try_lock(fd, _WINDOWS_FILE_LOCK_OFFSET)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    # flock, not fcntl record locks: it never meets SQLite's own record locks on the file.
    _try_lock_file = _try_lock


def _open_lock_file(path: Path) -> tuple[int, bool]:
    """A descriptor on the lock file, and whether this call made it."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE), True
    except FileExistsError:
        pass
    try:
        return os.open(path, os.O_RDWR), False
    except FileNotFoundError:  # removed in the moment between: make it
        return os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE), True


def _still_in_place(fd: int, path: Path) -> bool:
    """Whether the locked descriptor is still the file at `path` (its holder may have removed it)."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _write_pid(fd: int) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode())


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
