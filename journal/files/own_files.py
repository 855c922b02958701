"""Which paths are the journal's own files: what no report, export or other write may ever replace.

The journal is more than one file: the database, SQLite's `-wal`, `-shm` and `-journal`
beside it, the key header (`.keys`), the one-writer lock (`.lock`), the record of wrong
passphrase tries (`.tries`) and everything in the `backups` folder beside it. A report or
export aimed at any of these is refused, whatever the person asked, so a slip of the
keyboard (`--out journal.db`) can never turn the journal into a PDF.

The command line and the window both ask here (`own_file_problem`), so they refuse the same things.
"""

from __future__ import annotations

import os
from pathlib import Path

from journal.errors import JournalError

__all__ = ["COMPANION_SUFFIXES", "TRIES_SUFFIX", "journal_own_paths", "own_file_problem", "refuse_journal_own_file"]

TRIES_SUFFIX = ".tries"
# What sits beside the database under the database's name with something added.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".keys", ".lock", TRIES_SUFFIX)
_BACKUPS = "backups"  # journal.safekeeping.backups.BACKUP_DIRNAME (not imported: that module imports the key store)


def journal_own_paths(journal_path: str | os.PathLike[str]) -> list[Path]:
    """The journal's database and the files beside it that belong to it (whether or not they exist yet)."""
    journal_path = Path(journal_path)
    return [journal_path] + [journal_path.with_name(journal_path.name + s) for s in COMPANION_SUFFIXES]


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(os.fspath(path))))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # also a hard link, or a name spelt in another case on macOS or Windows
    except OSError:
        return False


def own_file_problem(path: str | os.PathLike[str], journal_path: str | os.PathLike[str]) -> str | None:
    """A plain sentence saying why `path` may not be written because it is the journal's own; None when it may."""
    path, journal_path = Path(path).expanduser(), Path(journal_path).expanduser()
    target = _real(path)
    names = {
        "": "the journal itself",
        "-wal": "part of the journal (its -wal file)",
        "-shm": "part of the journal (its -shm file)",
        "-journal": "part of the journal (its -journal file)",
        ".keys": "the journal's key header",
        ".lock": "the journal's lock file",
        TRIES_SUFFIX: "the journal's record of wrong passphrase tries",
    }
    for suffix, own in zip(("", *COMPANION_SUFFIXES), journal_own_paths(journal_path), strict=True):
        if target == _real(own) or _same_file(path, own):
            return f"{path} is {names[suffix]}; choose another name so the journal is not overwritten. Nothing was written."
    backups = _real(journal_path.parent / _BACKUPS)
    if target == backups or target.startswith(backups + os.sep) or _same_file(path, journal_path.parent / _BACKUPS):
        return f"{path} is in the journal's backups folder; choose a place outside it so no backup is overwritten. Nothing was written."
    return None


def refuse_journal_own_file(path: str | os.PathLike[str], journal_path: str | os.PathLike[str]) -> None:
    """Raise JournalError (nothing written) when `path` is one of the journal's own files."""
    problem = own_file_problem(path, journal_path)
    if problem is not None:
        raise JournalError(problem)
