"""One writer per journal: an OS lock on `<journal>.lock`, released by the OS when its process ends, however it ends.

The lock is an advisory `flock` (POSIX) or `msvcrt.locking` (Windows) on a small file beside
the journal, held for as long as the journal is open. A process that is killed (even with
SIGKILL) loses its locks with its file descriptors, so the next process takes the lock at
once: there is no stale-lock timeout to wait for and nothing to clean up. `flock` conflicts
between two opens of the file even inside one process, so a second window in the same
program is refused too.

The lock file holds only the owner's process id (for the message) and is created 0600.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from journal.errors import JournalLockedError
from journal.hygiene import PRIVATE_FILE_MODE, make_private

__all__ = ["LOCK_SUFFIX", "JournalLock", "lock_path", "channel_name"]

LOCK_SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 30  # lock a byte far past the pid, so the pid stays readable


def lock_path(journal_path: str | os.PathLike[str]) -> Path:
    """The lock file of the journal at `journal_path`."""
    journal_path = Path(journal_path)
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

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "JournalLock":
        """Take the lock without waiting; a second holder gets a clear JournalLockedError."""
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            make_private(self.path)
            if not _try_lock(fd):
                raise JournalLockedError(self._held_elsewhere_message(fd))
            _write_pid(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        """Let another window or process open the journal. The lock file stays; it is reused."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the descriptor drops the lock

    def __enter__(self) -> "JournalLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        # A lock dropped without release() (say, by an exception) must not outlive its owner object.
        try:
            self.release()
        except Exception:
            pass

    def _held_elsewhere_message(self, fd: int) -> str:
        pid = _read_pid(fd)
        if pid == os.getpid():
            where = "in another window of this program"
        elif pid:
            where = f"in another window or program (process {pid})"
        else:
            where = "in another window or program"
        return (
            f"This journal is already open {where}. Only one can change it at a time, so that no entry "
            "is lost: switch to the window that has it open, or close it there and try again."
        )


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


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
