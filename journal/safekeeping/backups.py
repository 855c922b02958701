"""Backups of a journal: written safely, verified, thinned, restored, and the "Check journal" action.

A backup is made with SQLite's `VACUUM INTO` on a connection that holds the journal's key,
so a backup of an encrypted journal is encrypted with the same data key. The journal's key
header is copied beside it as it is at that moment: a backup opens with the passphrase (or
recovery code) the journal had when the backup was made.

Every backup is written to a temporary name (created 0600), flushed to disk, renamed, its
folder flushed, then reopened and checked with `PRAGMA integrity_check`; a backup that does
not check out is removed and reported, and earlier backups are left alone.

Backups live in `<journal folder>/backups/` named `<journal file name>-<UTC time>-<reason>.db`
(`mood.db-20261127-100500-000000-close.db`): keyed by the whole file name, so the backups of
`mood.db` and `mood.sqlite` in one folder are never mixed up. Backups named by the journal's
stem alone (`mood-20261127-…-close.db`, from earlier versions) are still listed for a journal
called `<stem>.db`, but never thinned: they might belong to another journal of that stem.

A backup is restored only when it is a Trial Journal this version can open (`restorable_problems`).

Thinning (`kept_backups`), with `age = now - made_at`:
  * the newest backup is always kept, whatever its age;
  * age under 2 days: every backup is kept;
  * age 2 days to under 14 days: the newest backup of each calendar day (UTC) is kept;
  * age 14 days to under 60 days: the newest backup of each ISO week is kept;
  * age 60 days or more: the newest backup of each calendar month is kept;
  * a backup dated in the future (a clock was wrong) is kept.
Everything else is removed, with its key header.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from journal.errors import JournalError, WrongPassphraseError
from journal.files.hygiene import PRIVATE_FILE_MODE, fsync_dir, make_private, make_private_dir
from journal.files.hygiene import fsync_file as _fsync_file
from journal.safekeeping.keystore import KEYFILE_SUFFIX, keyfile_path
from journal.storage import upkeep

__all__ = [
    "BACKUP_DIRNAME",
    "REASONS",
    "Backup",
    "BackupError",
    "CheckReport",
    "BackupSchedule",
    "backups_dir",
    "list_backups",
    "make_backup",
    "verify_backup",
    "restorable_problems",
    "newest_restorable_backup",
    "remove_leftovers",
    "kept_backups",
    "thin_backups",
    "restore_backup",
    "check_journal",
    "copy_files_aside",
    "failure_words",
    "journal_named_by",
]

BACKUP_DIRNAME = "backups"
# Why a backup was made; shown in the restore list. None of these says anything about health.
REASONS = ("manual", "close", "periodic", "import", "upgrade", "restore", "passphrase", "check", "final")
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z]+)\.db$")
_DISK_FULL_WORDS = ("disk is full", "database or disk is full", "no space left")


class BackupError(JournalError):
    """A backup could not be made or restored; the journal itself was not changed."""


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, when (UTC) and why it was made."""

    path: Path
    made_at: datetime
    reason: str
    size: int

    @property
    def encrypted(self) -> bool:
        """Whether the backup has its own key header beside it (and so needs a passphrase)."""
        return keyfile_path(self.path).exists()

    def describe(self) -> str:
        """A line for the restore list, in local time: "27 Nov 2026 10:05 — when the journal was closed"."""
        local = self.made_at.astimezone()
        return f"{local:%d %b %Y %H:%M} — {_REASON_WORDS.get(self.reason, self.reason)}"


_REASON_WORDS = {
    "manual": "made by hand",
    "close": "when the journal was closed",
    "periodic": "while you were working",
    "import": "before an import",
    "upgrade": "before the journal was upgraded",
    "restore": "before a restore",
    "passphrase": "before the passphrase changed",
    "check": "when the journal was checked",
    "final": "before the profile was removed",
}


@dataclass(frozen=True)
class CheckReport:
    """What "Check journal" found: `ok`, the findings in plain words, and the backup made first."""

    ok: bool
    findings: tuple[str, ...]
    backup: Backup | None = None

    def summary(self) -> str:
        if self.ok:
            return "The journal was checked and no problems were found." + (
                f" A backup was made first ({self.backup.path.name})." if self.backup else ""
            )
        return "The check found problems:\n" + "\n".join(self.findings) + (
            f"\nA backup was made first ({self.backup.path.name}); restoring an earlier backup may help."
            if self.backup
            else "\nNo new backup could be made; restoring an earlier backup may help."
        )


def backups_dir(journal_path: str | os.PathLike[str]) -> Path:
    """The folder that holds the backups of the journal at `journal_path`."""
    return Path(journal_path).parent / BACKUP_DIRNAME


def _is_legacy(name_part: str, journal_path: Path) -> bool:
    """A backup named by the stem alone, as earlier versions did: taken as this journal's only when it is `<stem>.db`."""
    return journal_path.suffix == ".db" and name_part == journal_path.stem and name_part != journal_path.name


def journal_named_by(backup_name: str) -> str | None:
    """The journal file name a backup's name starts with (`mood.db` for `mood.db-20261127-…-close.db`), or None."""
    match = _NAME.match(backup_name)
    return match["stem"] if match else None


def list_backups(journal_path: str | os.PathLike[str], *, legacy: bool = True) -> list[Backup]:
    """The journal's backups, newest first (other journals' backups in the same folder are not listed).

    `legacy=False` leaves out backups named by the stem alone (see the module docstring).
    """
    journal_path = Path(journal_path)
    folder = backups_dir(journal_path)
    found = []
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match:
            continue
        if match["stem"] != journal_path.name and not (legacy and _is_legacy(match["stem"], journal_path)):
            continue
        try:
            made_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(entry, made_at, match["reason"], size))
    found.sort(key=lambda b: b.made_at, reverse=True)
    return found


def make_backup(
    journal_path: str | os.PathLike[str],
    key: bytes | bytearray | None,
    reason: str = "manual",
    *,
    connection: Any = None,
    now: datetime | None = None,
    thin: bool = True,
) -> Backup:
    """Back up the journal; verified before it counts. Raises BackupError (journal untouched) if it cannot.

    `connection` is a DB-API connection already open on the journal (the open journal's own,
    which an exclusive lock makes the only one); without it a connection is opened here,
    which needs the journal to be closed elsewhere.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    journal_path = Path(journal_path)
    if connection is None and not journal_path.exists():
        raise BackupError(f"There is no journal at {journal_path} to back up.")
    now = now or datetime.now(UTC)
    folder = make_private_dir(backups_dir(journal_path))
    final, now = _unused_name(folder, journal_path.name, now, reason)
    tmp = folder / f".{final.name}.{secrets.token_hex(4)}.part"
    own = connection is None
    conn = upkeep.connect_file(journal_path, key) if own else connection
    try:
        # VACUUM INTO wants a missing or empty file; making it empty here first fixes its mode at
        # 0600 whatever the umask, so the copy is never readable by others, even for a moment.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        os.close(fd)
        upkeep.copy_into(conn, tmp)
        _fsync_file(tmp)
        if key is not None:
            _copy_file(keyfile_path(journal_path), keyfile_path(final))
        os.replace(tmp, final)
        fsync_dir(folder)
    except Exception as exc:
        _remove(tmp, keyfile_path(final))
        raise BackupError(failure_words("The backup could not be written", exc)) from None
    finally:
        if own:
            conn.close()
    problems = verify_backup(final, key)
    if problems:
        _remove(final, keyfile_path(final))
        raise BackupError(
            "The backup was written but did not pass its check, so it was removed: "
            + "; ".join(problems[:3])
            + ". The journal itself is unchanged."
        )
    backup = Backup(final, now, reason, final.stat().st_size)
    if thin:
        thin_backups(journal_path, now=now)
    return backup


def verify_backup(path: str | os.PathLike[str], key: bytes | bytearray | None) -> list[str]:
    """Problems found opening `path` with `key` and running SQLite's integrity check; empty when it is sound."""
    try:
        conn = upkeep.connect_file(Path(path), key, readonly=True)
    except Exception as exc:
        return [f"it cannot be opened ({exc})"]
    try:
        rows = upkeep.integrity_check(conn)
    except Exception as exc:
        if "not a database" in str(exc):
            return ["it does not open with this journal's key" if key else "it needs a passphrase to open"]
        return [f"the check could not run ({exc})"]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


_PAGE = 512  # the smallest SQLite page: every database file, plain or encrypted, is a whole number of pages
_SQLITE_MAGIC = b"SQLite format 3\x00"


def restorable_problems(path: str | os.PathLike[str], key: bytes | bytearray | None) -> list[str]:
    """Why `path` cannot replace a journal: empty, not a database, another program's, made by a newer
    version, damaged, or not opening with `key`. Empty when it is a Trial Journal this version can open."""
    from journal.storage import known_revisions

    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            start = f.read(16)
    except OSError as exc:
        return [f"it cannot be read ({exc.strerror or exc})"]
    if size == 0:
        return ["it is empty (0 bytes), so it holds no journal"]
    if size % _PAGE or size < _PAGE:
        return ["it is not a Trial Journal backup: it is not a database file at all"]
    if key is None and start != _SQLITE_MAGIC:
        if keyfile_path(path).exists():
            return ["it needs a passphrase to open"]
        return ["it is not a Trial Journal backup: it is not a database file, or an encrypted one whose key header is missing"]
    problems = verify_backup(path, key)
    if problems:
        return problems
    conn = upkeep.connect_file(path, key, readonly=True)
    try:
        tables = upkeep.table_names(conn)
        if not tables:
            return ["it is an empty database that holds no journal"]
        if "alembic_version" not in tables:
            return ["it is a database from another program, not a Trial Journal"]
        revision = upkeep.schema_revision(conn)
    except Exception as exc:
        return [f"the check could not run ({exc})"]
    finally:
        conn.close()
    if revision is None:
        return ["it is not a complete Trial Journal: it has no schema version"]
    if str(revision) not in known_revisions():
        return ["it was made by a newer version of Trial Journal, which this version cannot open; update Trial Journal first"]
    return []


def newest_restorable_backup(journal_path: str | os.PathLike[str], key: bytes | bytearray | None) -> Backup | None:
    """The newest of the journal's backups that passes `restorable_problems`, or None."""
    for b in list_backups(journal_path):
        backup_key = key
        if key is None and b.encrypted:
            continue  # needs a passphrase nobody has given here
        if not restorable_problems(b.path, backup_key):
            return b
    return None


_LEFTOVER_PART = re.compile(r"^\.(?P<stem>.+)-\d{8}-\d{6}-\d{6}-[a-z]+\.db\.[0-9a-f]{8}\.part$")


def remove_leftovers(journal_path: str | os.PathLike[str]) -> list[Path]:
    """Remove what an interrupted backup, restore or encryption of this journal left behind; returns what went.

    These are full copies of the journal (plain ones when it has no passphrase): a backup's
    `.part`, a key header whose backup never arrived, a restore's `.restore` and an
    encryption's `.encrypting` file. Call only while holding the journal's lock, so none of
    them is still being written.
    """
    journal_path = Path(journal_path)
    removed: list[Path] = []
    folder = backups_dir(journal_path)
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        entries = []
    for entry in entries:
        part = _LEFTOVER_PART.match(entry.name)
        if part and (part["stem"] == journal_path.name or _is_legacy(part["stem"], journal_path)) and entry.is_file():
            removed.append(entry)
            continue
        if entry.name.endswith(KEYFILE_SUFFIX):
            db = entry.with_name(entry.name[: -len(KEYFILE_SUFFIX)])
            owner = _NAME.match(db.name)
            if owner and owner["stem"] == journal_path.name and not db.exists():
                removed.append(entry)
    beside = re.compile(r"^\." + re.escape(journal_path.name) + r"\.[0-9a-f]{8}\.(restore|encrypting)$")
    with contextlib.suppress(OSError):
        removed += [e for e in journal_path.parent.iterdir() if beside.match(e.name) and e.is_file()]
    _remove(*removed)
    return removed


def kept_backups(made_at: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which backup times the thinning rule (module docstring) keeps."""
    times = sorted(set(made_at), reverse=True)
    if not times:
        return set()
    keep = {times[0]}
    buckets: dict[tuple, datetime] = {}
    for t in times:  # newest first, so the first time seen in a bucket is its newest
        age = now - t
        if age < timedelta(days=2):
            keep.add(t)
            continue
        day = t.astimezone(UTC)
        if age < timedelta(days=14):
            bucket: tuple = ("day", day.date())
        elif age < timedelta(days=60):
            bucket = ("week", *day.isocalendar()[:2])
        else:
            bucket = ("month", day.year, day.month)
        buckets.setdefault(bucket, t)
    keep.update(buckets.values())
    return keep


def thin_backups(journal_path: str | os.PathLike[str], now: datetime | None = None) -> list[Path]:
    """Remove the backups the thinning rule does not keep; returns what was removed."""
    now = now or datetime.now(UTC)
    backups = list_backups(journal_path, legacy=False)  # a stem-named backup may be another journal's
    keep = kept_backups((b.made_at for b in backups), now)
    removed = []
    for b in backups:
        if b.made_at not in keep:
            _remove(b.path, keyfile_path(b.path))
            removed.append(b.path)
    if removed:
        fsync_dir(backups_dir(journal_path))
    return removed


def restore_backup(
    backup_path: str | os.PathLike[str], journal_path: str | os.PathLike[str], key: bytes | bytearray | None
) -> Backup | None:
    """Put a backup in the journal's place; returns the backup made of the journal as it was first.

    The journal must be closed (the caller holds its lock). The backup is checked first; the
    current journal is backed up (or, if it is too damaged for that, its files are copied
    aside); then the backup is copied in under a temporary name, flushed, stale -wal/-shm
    files are removed and it is renamed into place. If anything fails before that rename, the
    journal is exactly as it was.
    """
    backup_path, journal_path = Path(backup_path), Path(journal_path)
    problems = restorable_problems(backup_path, key)
    if problems:
        if key is not None and any("does not open with this journal's key" in p for p in problems):
            raise WrongPassphraseError(
                f"The backup {backup_path.name} does not open with this journal's passphrase: it belongs to "
                "another journal, was made before the passphrase was set, or is damaged. Nothing was changed."
            )
        raise BackupError(f"The backup {backup_path.name} cannot be restored: {'; '.join(problems[:3])}. Nothing was changed.")
    safety: Backup | None = None
    if journal_path.exists():
        try:
            safety = make_backup(journal_path, key, "restore", thin=False)
        except BackupError:
            # Too damaged to back up the usual way: keep its raw files instead, so nothing is lost.
            copy_files_aside(
                journal_path, backups_dir(journal_path) / f"damaged-{journal_path.name}-{_stamp(datetime.now(UTC))}"
            )
    tmp = journal_path.with_name(f".{journal_path.name}.{secrets.token_hex(4)}.restore")
    try:
        _copy_file(backup_path, tmp)
        if key is not None and not keyfile_path(journal_path).exists() and keyfile_path(backup_path).exists():
            _copy_file(keyfile_path(backup_path), keyfile_path(journal_path))
        # A -wal left from the old file would be replayed onto the restored one and damage it.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(journal_path) + suffix).unlink(missing_ok=True)
        os.replace(tmp, journal_path)
        fsync_dir(journal_path.parent)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(failure_words("The backup could not be restored", exc)) from None
    return safety


def check_journal(
    journal_path: str | os.PathLike[str], key: bytes | bytearray | None, *, connection: Any = None
) -> CheckReport:
    """The "Check journal" action: a backup first, then SQLite's full integrity and reference checks."""
    backup = None
    findings: list[str] = []
    try:
        backup = make_backup(journal_path, key, "check", connection=connection)
    except BackupError as exc:
        findings.append(str(exc))
    own = connection is None
    try:
        conn = upkeep.connect_file(Path(journal_path), key) if own else connection
    except Exception as exc:
        return CheckReport(False, (*findings, f"The journal cannot be opened: {exc}."), backup)
    try:
        rows = upkeep.integrity_check(conn)
        if rows != ["ok"]:
            findings.extend(f"SQLite's integrity check: {r}" for r in rows[:20])
        for table, rowid, parent in upkeep.foreign_key_problems(conn):
            findings.append(f"A {table} row ({rowid}) points to a missing {parent} row.")
    except Exception as exc:
        findings.append(f"The check could not run: {exc}.")
    finally:
        if own:
            conn.close()
    return CheckReport(not findings, tuple(findings), backup)


def copy_files_aside(journal_path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Path:
    """Copy the journal's files as they are on disk (file, -wal, key header) into a new private folder.

    Needs no key and no sound database: for a final backup of a profile being removed, or of a
    journal too damaged to back up with VACUUM INTO.
    """
    journal_path, folder = Path(journal_path), Path(folder)
    make_private_dir(folder.parent)
    staging = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.part")
    make_private_dir(staging)
    try:
        for src in (journal_path, Path(str(journal_path) + "-wal"), keyfile_path(journal_path)):
            if src.exists():
                _copy_file(src, staging / src.name)
        fsync_dir(staging)
        os.replace(staging, folder)
        fsync_dir(folder.parent)
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(failure_words("The journal's files could not be copied", exc)) from None
    return folder


@dataclass
class BackupSchedule:
    """When the next periodic backup is due: `interval` after the first change since the last backup."""

    interval: timedelta = timedelta(minutes=5)
    _changed_at: datetime | None = field(default=None, repr=False)

    def note_change(self, now: datetime | None = None) -> None:
        """Call after every saved change."""
        if self._changed_at is None:
            self._changed_at = now or datetime.now(UTC)

    @property
    def pending(self) -> bool:
        """Whether there are changes no backup holds yet."""
        return self._changed_at is not None

    def due(self, now: datetime | None = None) -> bool:
        """Whether a periodic backup should be made now."""
        now = now or datetime.now(UTC)
        return self._changed_at is not None and now - self._changed_at >= self.interval

    def backed_up(self) -> None:
        """Call after a backup succeeded."""
        self._changed_at = None


# -- helpers ---------------------------------------------------------------------------


def _unused_name(folder: Path, stem: str, now: datetime, reason: str) -> tuple[Path, datetime]:
    now = now.astimezone(UTC)
    while True:
        candidate = folder / f"{stem}-{_stamp(now)}-{reason}.db"
        if not any(b.made_at == now for b in _same_stamp(folder, stem, now)) and not candidate.exists():
            return candidate, now
        now += timedelta(microseconds=1)  # two backups in one microsecond: keep both


def _same_stamp(folder: Path, stem: str, when: datetime) -> list[Backup]:
    prefix = f"{stem}-{_stamp(when)}-"
    return [Backup(p, when, "", 0) for p in folder.glob(f"{glob_escape(prefix)}*.db")]


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime(_STAMP)


def _copy_file(src: Path, dst: Path) -> None:
    """Copy bytes into a new 0600 file and flush it to disk."""
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        with open(src, "rb") as f:
            while chunk := f.read(1 << 20):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    make_private(dst)


def _remove(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # a leftover temporary file is harmless; the error that matters is already raised


def failure_words(what: str, exc: Exception) -> str:
    """What went wrong writing a copy, in plain words: a full disk said as such, anything else as it came."""
    text = str(exc).lower()
    errno_full = isinstance(exc, OSError) and exc.errno == 28
    if errno_full or any(w in text for w in _DISK_FULL_WORDS):
        return f"{what}: the disk is full. The journal itself is unchanged; free some space and try again."
    return f"{what} ({exc}). The journal itself is unchanged."
