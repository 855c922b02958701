"""Atomic file and folder writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from journal.errors import JournalError
from journal.files.hygiene import fsync_dir as _fsync_folder
from journal.files.hygiene import fsync_file as _fsync_file

__all__ = ["atomic_write", "atomic_directory", "cannot_write_words", "os_error_words", "CannotWriteError"]


class CannotWriteError(JournalError, OSError):
    """A file could not be written; the message names the file the person chose and why, and nothing was written."""


_PROTECTED = (errno.EPERM, errno.EACCES)


def cannot_write_words(path: Path, exc: OSError, *, creating: bool = False) -> str:
    """Why `path` could not be written, in plain words that name the file the person chose (never a temporary one).

    `creating` says the new file could not even be started in the folder (so the folder is the
    problem); otherwise putting it in place of the old one failed.
    """
    folder = path.parent
    code = exc.errno
    if code == errno.EROFS:
        return f"Cannot write {path.name}: the folder {folder} is on a read-only disk. Choose another folder. Nothing was written."
    if code in _PROTECTED and (creating or not path.exists()):
        return (
            f"Cannot write {path.name}: the folder {folder} does not let you add files (it is read-only or "
            "protected). Choose another folder. Nothing was written."
        )
    if code in _PROTECTED:
        return (
            f"Cannot write {path.name}: the file already there is protected (read-only, locked or marked "
            "unchangeable), so it cannot be replaced. Choose another name. Nothing was written."
        )
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        return f"Cannot write {path.name}: the disk is full. Free some space and try again. Nothing was written."
    if code == errno.ENAMETOOLONG:
        return f"Cannot write {path.name}: the name is too long for this disk. Choose a shorter one. Nothing was written."
    reason = exc.strerror or exc.__class__.__name__
    return f"Cannot write {path.name} in {folder}: {reason.rstrip('.').lower()}. Nothing was written."


def os_error_words(exc: OSError) -> str:
    """Any other file error, in plain words naming the file (for messages shown as they are)."""
    where = f"{exc.filename}" if getattr(exc, "filename", None) else "a file"
    code = exc.errno
    if code == errno.EROFS:
        return f"{where} is on a read-only disk, so it cannot be changed. Nothing was changed."
    if code in _PROTECTED:
        return (
            f"{where} cannot be changed: it (or its folder) is protected (read-only, locked or marked unchangeable), "
            "or belongs to someone else. Nothing was changed."
        )
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        return f"The disk holding {where} is full. Free some space and try again. Nothing was changed."
    reason = (exc.strerror or str(exc) or exc.__class__.__name__).rstrip(".")
    return f"{where}: {reason[:1].lower() + reason[1:]}."


def _existing_folder(path: Path) -> Path:
    folder = path.parent
    if not folder.is_dir():
        raise JournalError(f"Cannot write {path.name}: the folder {folder} does not exist.")
    return folder


def atomic_write(path: str | os.PathLike[str], data: bytes | Callable[[BinaryIO], None], mode: int = 0o600) -> Path:
    """Write `data` (bytes, or a function that writes to a binary file) to `path` atomically.

    The bytes go to a temporary file in the same folder (created 0600, so nothing is ever
    readable by others, even for a moment), are flushed to disk, and then replace `path` in
    one rename. If anything fails, the temporary file is removed and any earlier file at
    `path` is left exactly as it was.
    """
    path = Path(path)
    folder = _existing_folder(path)
    if path.is_dir():
        raise JournalError(f"Cannot write {path}: a folder of that name is already there.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise CannotWriteError(cannot_write_words(path, exc, creating=True)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if not hasattr(os, "fchmod"):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CannotWriteError(cannot_write_words(path, exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return path


@contextmanager
def atomic_directory(path: str | os.PathLike[str], *, replaceable: Callable[[Path], bool]) -> Iterator[Path]:
    """Yield an empty staging folder; when the block ends without error it becomes `path`.

    An existing folder at `path` is replaced only when `replaceable(path)` says it holds
    nothing but an earlier export of the same kind, so a mistyped path can never sweep away
    someone's other files. The old folder is renamed aside before the new one moves in and
    removed only after, so a crash between the two renames leaves it beside the new one.
    """
    path = Path(path)
    folder = _existing_folder(path)
    if path.exists() and not path.is_dir():
        raise JournalError(f"Cannot write the folder {path}: a file of that name is already there.")
    if path.is_dir() and any(path.iterdir()) and not replaceable(path):
        raise JournalError(
            f"The folder {path} already holds other files; choose a new folder name so nothing in it is overwritten."
        )
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=folder))
    except OSError as exc:
        raise CannotWriteError(cannot_write_words(path, exc, creating=True)) from None
    aside: Path | None = None
    try:
        os.chmod(staging, 0o700)
        yield staging
        for child in staging.iterdir():
            _fsync_file(child)
        _fsync_folder(staging)
        if path.exists():
            aside = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=folder)) / path.name
            os.replace(path, aside)
        os.replace(staging, path)
        _fsync_folder(folder)
    except BaseException:
        if aside is not None and aside.exists() and not path.exists():
            os.replace(aside, path)
        shutil.rmtree(staging, ignore_errors=True)
        if aside is not None:
            shutil.rmtree(aside.parent, ignore_errors=True)
        raise
    if aside is not None:
        shutil.rmtree(aside.parent, ignore_errors=True)
