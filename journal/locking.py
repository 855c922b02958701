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
        self.created = False  # whether acquire() made the lock file (a failed open then removes it again)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "JournalLock":
        """Take the lock without waiting; a second holder gets a clear JournalLockedError."""
        if self._fd is not None:
            return self
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
            return self
        raise JournalLockedError(self._held_elsewhere_message(None))

    def release(self, *, remove: bool = False) -> None:
        """Let another window or process open the journal. The lock file stays for reuse unless `remove`.

        `remove` is for an open that failed on a journal that had no lock file before, so that
        nothing is left beside a file that is not a journal. The file is removed while still
        locked, and acquire() checks it locked the file still in place, so no two holders meet.
        """
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
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass

    def __enter__(self) -> "JournalLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        # a lock file made only for work that failed is removed with it
        self.release(remove=self.created and exc[0] is not None)

    def __del__(self) -> None:
        # A lock dropped without release() (say, by an exception) must not outlive its owner object.
        try:
            self.release()
        except Exception:
            pass

    def _held_elsewhere_message(self, fd: int | None) -> str:
        pid = _read_pid(fd) if fd is not None else None
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
