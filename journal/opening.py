"""Opening a journal the safe way: one writer, the passphrase checked first, a backup before any upgrade, and a clean close.

This module is the one way a journal is opened, by the window and the command line alike.
`open_journal()` takes it in order: the folder and the one-writer lock, what an interrupted
backup or encryption left behind, the key (from a passphrase, a recovery code, or a new key
header for a new journal), then `open_file()`: the file itself (made when new), its connections,
and an upgrade of an older journal after a backup of it. It returns a `JournalAccess`: the
open `Journal` (`access.journal`) together with what only the opener should hold: the
one-writer lock and the data key. The window keeps the access object; it locks
(`access.lock()`: backup, close the file, forget the key) and unlocks
(`access.unlock(passphrase)`) through it, and closes it at the end (`access.close()`:
backup, close, let go of the lock). `restore_journal()` puts a backup in place of a journal
that is not open (it may be too damaged to open).
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from journal import storage
from journal.errors import DamagedJournalError, JournalError, WrongPassphraseError
from journal.facade import Journal, database_error
from journal.files.hygiene import (
    PRIVATE_FILE_MODE,
    apply_private_umask,
    folder_warning,
    fsync_dir,
    fsync_file,
    make_private,
    make_private_dir,
)
from journal.safekeeping import backups, keystore
from journal.safekeeping.backups import Backup, BackupError, BackupSchedule, CheckReport
from journal.safekeeping.keystore import DEFAULT_KDF, KdfParams
from journal.safekeeping.locking import JournalLock
from journal.safekeeping.rekey import KeyChange, change_key, settle_key_change
from journal.safekeeping.wrong_tries import WrongTries
from journal.storage.connection import Database

__all__ = [
    "JournalAccess",
    "open_journal",
    "open_file",
    "restore_journal",
    "PassphraseNeededError",
]


class PassphraseNeededError(WrongPassphraseError):
    """The journal is protected by a passphrase and none was given."""


@dataclass
class JournalAccess:
    """An open journal with its lock and key; see the module docstring."""

    path: Path
    journal: Journal | None  # None while locked
    encrypted: bool
    recovery_code: str | None = None  # set once, when a new journal was made with one: show it, then forget it
    folder_warning: str | None = None
    schedule: BackupSchedule = field(default_factory=BackupSchedule)
    _key: bytes | bytearray | None = field(default=None, repr=False)
    _lock: JournalLock | None = field(default=None, repr=False)
    _kdf: KdfParams = field(default=DEFAULT_KDF, repr=False)

    @property
    def locked(self) -> bool:
        """Whether the journal is closed behind the lock screen (its key forgotten)."""
        return self.journal is None

    @property
    def closed(self) -> bool:
        return self._lock is None

    # -- backups -------------------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Backup:
        """Make a verified backup now; BackupError (with the journal untouched) if it cannot."""
        self._require_open()
        backup = backups.make_backup(self.path, self._key, reason)
        self.schedule.backed_up()
        return backup

    def note_change(self) -> None:
        """Tell the periodic backup that something was saved."""
        self.schedule.note_change()

    def backup_if_due(self, now: datetime | None = None) -> Backup | None:
        """The periodic backup: made when changes have waited `schedule.interval`, else None."""
        if self.locked or not self.schedule.due(now):
            return None
        return self.backup("periodic")

    def check(self) -> CheckReport:
        """The "Check journal" action: a backup, then SQLite's integrity check; says what it found."""
        self._require_open()
        return backups.check_journal(self.path, self._key)

    def list_backups(self) -> list[Backup]:
        return backups.list_backups(self.path)

    def restore(self, backup: Backup | str | os.PathLike[str]) -> Backup | None:
        """Replace the journal with a backup (the current one is backed up first); the journal is reopened."""
        self._require_open()
        path = backup.path if isinstance(backup, Backup) else Path(backup)
        self._close_journal()
        try:
            return backups.restore_backup(path, self.path, self._key)
        finally:
            self.journal = open_file(self.path, create=False, key=self._key, lock=self._lock)

    # -- sync ----------------------------------------------------------------------------

    def sync_sealer(self) -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]] | None:
        """(seal, unseal) for this journal's sync change files, made from its data key; None for a journal without a passphrase.

        Ask for it just before each sync: locking forgets the key, and the pair is not to be
        kept beyond the sync it was made for.
        """
        self._require_open()
        if not self.encrypted:
            return None
        from journal.sync.sealing import sealer  # cryptography is loaded only when a journal with a passphrase syncs

        return sealer(self._data_key())

    # -- passphrase ----------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> KeyChange:
        """Check the old passphrase, back up, then give the journal a new key under the new one.

        The journal and every backup holding the old key are re-encrypted (`journal.safekeeping.rekey`), so
        the old passphrase (and the old recovery code) open nothing afterwards. A recovery code,
        if there was one, is replaced: read the new one from the result's `recovery_code` once.
        Returns what happened, with `backup` the backup made first (now re-encrypted too).
        """
        self._require_open()
        if not self.encrypted:
            raise JournalError("This journal has no passphrase to change.")
        self._check_passphrase(old)
        problems = keystore.passphrase_problems(new)
        if problems:
            raise JournalError(problems[0])
        made = self.backup("passphrase")
        return self._change_key(new, recovery_code=None, backup=made)

    def new_recovery_code(self, passphrase: str) -> KeyChange:
        """A new recovery code (read it once from the result's `recovery_code`); the journal gets a new key.

        The passphrase stays the same but must be given: the new key is wrapped under it. The
        old code opens nothing afterwards, not even an older backup (they are re-encrypted).
        """
        self._require_open()
        if not self.encrypted:
            raise JournalError("This journal has no passphrase, so it needs no recovery code.")
        self._check_passphrase(passphrase)
        made = self.backup("passphrase")
        return self._change_key(passphrase, recovery_code=True, backup=made)

    def _check_passphrase(self, passphrase: str) -> None:
        candidate = keystore.unlock(self.path, passphrase)
        try:
            if not hmac.compare_digest(candidate, self._data_key()):
                raise WrongPassphraseError("That passphrase does not open this journal; nothing was changed.")
        finally:
            storage.wipe_key(candidate)

    def _change_key(self, passphrase: str, *, recovery_code: bool | None, backup: Backup) -> KeyChange:
        old_key = self._data_key()
        self._close_journal()
        try:
            change = change_key(self.path, old_key, passphrase, recovery_code=recovery_code, kdf=self._kdf)
        except BaseException:
            # Cut short: open the journal again with whichever key it now holds.
            key = old_key if storage.opens_with(self.path, old_key) else keystore.unlock(self.path, passphrase)
            self.journal = open_file(self.path, create=False, key=key, lock=self._lock)
            self._key = key
            raise
        key = keystore.unlock(self.path, passphrase)
        self.journal = open_file(self.path, create=False, key=key, lock=self._lock)
        self._key = key
        storage.wipe_key(old_key)
        return replace(change, backup=backup)

    def add_passphrase(self, passphrase: str, *, with_recovery_code: bool = False) -> str | None:
        """Encrypt a journal that has no passphrase yet; returns the recovery code (or None), to be shown once.

        The encrypted copy is written beside the journal, checked, and only then put in its
        place, so a crash or a full disk leaves the journal as it was. Backups made before
        stay unencrypted: `unencrypted_backups()` lists them, to offer to remove them.
        """
        self._require_open()
        if self.encrypted:
            raise JournalError("This journal already has a passphrase; change it instead.")
        problems = keystore.passphrase_problems(passphrase)
        if problems:
            raise JournalError(problems[0])
        self._close_journal()
        key = None
        code = None
        try:
            key, code = _encrypt_in_place(self.path, passphrase, with_recovery_code, self._kdf)
        finally:
            self.journal = open_file(self.path, create=False, key=key, lock=self._lock)
        self._key = key
        self.encrypted = True
        self._try_backup("passphrase")  # the first encrypted backup
        return code

    def unencrypted_backups(self) -> list[Backup]:
        """Backups with no key header: made before the passphrase was set, readable without it."""
        return [b for b in self.list_backups() if not b.encrypted]

    def remove_backups(self, chosen: list[Backup]) -> None:
        """Delete the chosen backups (the person asked to), with their key headers."""
        for b in chosen:
            b.path.unlink(missing_ok=True)
            keystore.keyfile_path(b.path).unlink(missing_ok=True)

    # -- lock, unlock, close -------------------------------------------------------------

    def lock(self) -> str | None:
        """Back up if there are changes, close the file and forget the key; the one-writer lock is kept.

        Returns a warning to show if the backup could not be made (the journal is locked anyway).
        """
        if self.locked:
            return None
        warning = None
        if self.schedule.pending:
            warning = self._try_backup("periodic")
        self._close_journal()
        self._forget_key()
        if self._lock is not None:
            self._lock.release_file()  # nothing of the journal stays open behind the lock screen
        return warning

    def unlock(self, passphrase: str | None = None, *, recovery_code: str | None = None) -> None:
        """Open the journal again after `lock()`; WrongPassphraseError leaves it locked."""
        if self.closed:
            raise JournalError("This journal was closed; open it again from the start.")
        if not self.locked:
            return
        key = _key_for(self.path, passphrase, recovery_code, None)
        try:
            self.journal = open_file(self.path, create=False, key=key, lock=self._lock)
        except BaseException:
            storage.wipe_key(key)
            raise
        self._key = key

    def close(self, *, backup: bool = True) -> str | None:
        """Back up (when the journal checks out), close the file, forget the key and let go of the lock.

        Returns a warning to show if the closing backup could not be made.
        """
        warning = None
        if self.journal is not None:
            if backup:
                warning = self._try_backup("close")
            self._close_journal()
        self._forget_key()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        return warning

    def __enter__(self) -> JournalAccess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(backup=exc[0] is None)

    def _try_backup(self, reason: str) -> str | None:
        # quick_check first: backing up a damaged file over and over would thin away good backups.
        report = backups.verify_backup(self.path, self._key) if reason == "close" else []
        if report:
            return "The journal did not pass its check, so no backup was made on closing: " + "; ".join(report[:3])
        try:
            self.backup(reason)
        except BackupError as exc:
            return str(exc)
        return None

    def _forget_key(self) -> None:
        # The key's bytes are zeroed, not only dropped: the closed journal's connections are gone,
        # and nothing else holds a copy (see storage.apply_key).
        storage.wipe_key(self._key)
        self._key = None

    def _require_open(self) -> None:
        if self.journal is None:
            raise JournalError("This journal is locked; unlock it first.")

    def _data_key(self) -> bytes | bytearray:
        """The key of an open, encrypted journal (the callers have checked both)."""
        if self._key is None:
            raise JournalError("This journal has no passphrase.")
        return self._key

    def _close_journal(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None


def open_journal(
    path: str | os.PathLike[str],
    *,
    passphrase: str | None = None,
    recovery_code: str | None = None,
    key: bytes | bytearray | None = None,
    create: bool = False,
    with_recovery_code: bool = False,
    kdf: KdfParams = DEFAULT_KDF,
    tries: WrongTries | None = None,
) -> JournalAccess:
    """Open (or, with `create`, make) the journal at `path`.

    A new journal made with a `passphrase` is encrypted (with a recovery code if
    `with_recovery_code`: read it once from `access.recovery_code`). Raises
    JournalLockedError if it is open elsewhere, PassphraseNeededError / WrongPassphraseError
    before anything is read, JournalError for a damaged, foreign or newer file; in every
    case nothing is changed. A journal made by an older version is backed up, then upgraded
    (by `open_file`). With `tries` (the command line), earlier wrong passphrases make
    this one wait first (journal.safekeeping.wrong_tries); the one-writer lock is held while it waits.
    """
    apply_private_umask()
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise JournalError(f"{path} is a folder, not a journal file.")
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise JournalError(f"There is no journal at {path}.")
    if not path.parent.exists():
        make_private_dir(path.parent)  # only folders we make are tightened; a person's own folder is theirs
    lock = JournalLock(path).acquire()
    made_keys = False
    try:
        backups.remove_leftovers(path)  # copies an interrupted backup or restore left: ours alone, as we hold the lock
        _drop_stale_header(path)
        code = None
        if exists or keystore.is_encrypted(path):
            data_key = _key_for(path, passphrase, recovery_code, key, tries)
        elif passphrase is not None:
            data_key, code = keystore.create_keys(path, passphrase, recovery_code=with_recovery_code, kdf=kdf)
            made_keys = True
        else:
            data_key = key
        try:
            journal = open_file(path, create=create, key=data_key, lock=lock)
        except JournalError as exc:
            raise _damaged_or_as_it_is(exc, path, data_key, exists) from None
    except BaseException:
        if made_keys and not path.exists():
            keystore.keyfile_path(path).unlink(missing_ok=True)
        lock.discard()  # a file that is not a journal gets no .lock left beside it
        raise
    for suffix in ("", "-wal", "-shm"):
        make_private(Path(f"{path}{suffix}"))
    return JournalAccess(
        path=path,
        journal=journal,
        encrypted=data_key is not None,
        recovery_code=code,
        folder_warning=folder_warning(path.parent),
        _key=data_key,
        _lock=lock,
        _kdf=kdf,
    )


def restore_journal(
    path: str | os.PathLike[str], backup_path: str | os.PathLike[str], *, passphrase: str | None = None,
    recovery_code: str | None = None, tries: WrongTries | None = None,
) -> Backup | None:
    """Restore a backup over a journal that is not open (it may be too damaged to open); returns the safety backup.

    The key comes from the journal's own header, or, when that is missing, from the header
    kept beside the backup (then `passphrase` is the one the backup was made under).
    """
    apply_private_umask()
    path, backup_path = Path(path).expanduser().absolute(), Path(backup_path).expanduser()
    if not backup_path.exists() and (backups.backups_dir(path) / backup_path.name).exists():
        backup_path = backups.backups_dir(path) / backup_path.name
    if not backup_path.is_file():
        raise JournalError(f"There is no backup at {backup_path}.")
    _refuse_another_journals_backup(path, backup_path)
    if not path.parent.exists():
        make_private_dir(path.parent)
    with JournalLock(path):
        backups.remove_leftovers(path)
        key_source = path if keystore.is_encrypted(path) else backup_path
        key = _key_for(key_source, passphrase, recovery_code, None, tries)
        return backups.restore_backup(backup_path, path, key)


def _damaged_or_as_it_is(exc: JournalError, path: Path, key: bytes | bytearray | None, existed: bool) -> JournalError:
    """A journal whose file fails SQLite's check becomes a DamagedJournalError naming its newest good backup.

    A file that is sound but not openable for another reason (made by a newer version,
    another program's database) is left as it was said: restoring would not help there. A
    passphrase refused by the database after its key header accepted it means the file
    itself is damaged.
    """
    if not existed or isinstance(exc, PassphraseNeededError):
        return exc
    if isinstance(exc, WrongPassphraseError) and key is None:
        return exc
    if not backups.verify_backup(path, key):
        return exc
    text = str(exc)
    if isinstance(exc, WrongPassphraseError):
        text = f"{path} is damaged: its key header opens, but the file itself does not."
    text = text.removesuffix(" A backup can be restored.").rstrip()
    good = backups.newest_restorable_backup(path, key)
    if good is None:
        return DamagedJournalError(f"{text} No backup of it that can be restored was found.", None)
    local = good.made_at.astimezone()
    return DamagedJournalError(
        f"{text} Its newest good backup is {good.path.name}, from {local:%d %b %Y %H:%M}.", good
    )


def _refuse_another_journals_backup(path: Path, backup_path: Path) -> None:
    """A backup in this journal's backups folder but named for another journal there is that journal's: refused."""
    if backup_path.resolve().parent != backups.backups_dir(path).resolve():
        return  # a copy brought from elsewhere: the checks in restore_backup decide
    if any(b.path.name == backup_path.name for b in backups.list_backups(path)):
        return
    other = backups.journal_named_by(backup_path.name)
    if other is not None:
        raise JournalError(
            f"{backup_path.name} is a backup of another journal ({other}), not of {path.name}. "
            f"Nothing was changed: `trial-journal backup --list --journal {path}` lists this journal's backups."
        )


def _key_for(
    path: Path, passphrase: str | None, recovery_code: str | None, key: bytes | bytearray | None, tries: WrongTries | None = None
) -> bytes | bytearray | None:
    """The data key for an existing journal, from whichever secret was given.

    With `tries`, the wait earned by earlier wrong tries comes first, a wrong one is counted
    (and the message says how long the next try waits), a right one clears the count.
    """
    if tries is not None and key is None and (passphrase is not None or recovery_code is not None) and keystore.is_encrypted(path):
        tries.wait_turn()
        try:
            data_key = _key_for(path, passphrase, recovery_code, None)
        except WrongPassphraseError as exc:
            if isinstance(exc, PassphraseNeededError):
                raise
            later = tries.wrong()
            raise WrongPassphraseError(f"{exc} {later}".rstrip()) from None
        tries.right()
        return data_key
    if not keystore.is_encrypted(path):
        if passphrase is not None or recovery_code is not None:
            raise JournalError(
                f"The journal at {path} has no passphrase, so none is needed to open it. Nothing was changed."
            )
        return key
    if key is not None:
        return key
    if (passphrase is not None or recovery_code is not None) and keystore.key_change_under_way(path):
        # The program stopped in the middle of a passphrase change: finish or undo it first.
        return settle_key_change(path, passphrase=passphrase, recovery_code=recovery_code)
    if passphrase is not None:
        return keystore.unlock(path, passphrase)
    if recovery_code is not None:
        return keystore.unlock_with_recovery_code(path, recovery_code)
    raise PassphraseNeededError("This journal is protected by a passphrase; enter it to open the journal.")


def open_file(
    path: str | os.PathLike[str], *, create: bool = True, key: bytes | bytearray | None = None, lock: JournalLock | None = None
) -> Journal:
    """Open the journal file at `path` with its data key (None: no passphrase), making it if missing and `create`.

    The last step of `open_journal`, once the key is known; on its own, for a journal whose key
    is already at hand (the demo, tests, benchmarks). One writer only: the journal's lock is
    taken first, or `lock`, one the caller already holds (then the caller lets go of it;
    otherwise closing the Journal does). A journal made by an older version is backed up, then
    upgraded; if the backup cannot be made it is left as it is. Raises JournalLockedError (open
    elsewhere), JournalError (not a journal, damaged, made by a newer version, no journal at
    `path`), WrongPassphraseError (the key does not open it); the file is left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise JournalError(f"{path} is a folder, not a journal file.")
    if not path.exists() and not create:
        raise JournalError(f"There is no journal at {path}.")
    if not path.parent.exists() and create:
        make_private_dir(path.parent)
    own_lock = lock is None
    held = JournalLock(path) if lock is None else lock
    held.acquire()
    try:
        database = _database_for(path, create=create, key=key, lock=held)
    except BaseException:
        if own_lock:
            held.discard()
        raise
    return Journal(path, database, held, own_lock=own_lock)


def _database_for(path: Path, *, create: bool, key: bytes | bytearray | None, lock: JournalLock) -> Database:
    """The journal file at `path` (made now when missing and `create`), upgraded to this version's schema."""
    made = _make_file_if_missing(path, create=create, lock=lock)
    try:
        database = storage.open_database(path, key)  # a bytearray key too, so that it can be wiped
    except BaseException:
        if made:
            _remove_new_file(path)
        raise
    try:
        _bring_up_to_date(database, path, key, create=create)
    except BaseException as exc:
        database.dispose()
        if made:
            # A half-made new journal would only confuse the next open; nothing of the person's is in it.
            _remove_new_file(path)
        if isinstance(exc, database.error):
            raise database_error(path, exc) from None
        raise
    return database


def _make_file_if_missing(path: Path, *, create: bool, lock: JournalLock) -> bool:
    """Make the empty file of a new journal (True) or find the one there (False); either way lock the file itself."""
    if path.exists():
        lock.acquire()  # the file may have been replaced since the lock was taken (a restore)
        return False
    if not create:
        raise JournalError(f"There is no journal at {path}.")
    try:
        storage.create_file(path)
    except OSError as exc:
        raise JournalError(f"A journal could not be made at {path}: {exc.strerror or exc}.") from None
    try:
        lock.acquire()  # now that the file is there, lock the file itself too
    except BaseException:
        _remove_new_file(path)
        raise
    return True


def _bring_up_to_date(database: Database, path: Path, key: bytes | bytearray | None, *, create: bool) -> None:
    """Give a new journal its schema, or upgrade an older one after backing it up (only these load SQLAlchemy)."""
    revision = storage.current_revision(database)
    if revision is None and not create:
        raise JournalError(f"There is no journal at {path}: the file is empty.")
    if revision is not None and revision != storage.head_revision():
        # An older schema: copy the file aside before touching it, and stop if that fails.
        database.dispose()
        _backup_before_upgrade(path, key)
    if revision != storage.head_revision():
        storage.upgrade(database)


def _backup_before_upgrade(path: Path, key: bytes | bytearray | None) -> None:
    try:
        backups.make_backup(path, key, "upgrade")
    except BackupError as exc:
        raise JournalError(
            f"The journal at {path} was made by an earlier version of Trial Journal and must be upgraded, "
            f"but the backup taken first could not be made, so it was left as it is. {exc}"
        ) from None


def _remove_new_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _is_plain_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def _drop_stale_header(path: Path) -> None:
    """A key header beside an unencrypted file was left by an encryption cut short: it protects nothing.

    (An encrypted file starts with random salt, never with SQLite's plain header.) It is moved
    aside, not deleted, and the journal opens as it is, unencrypted.
    """
    header = keystore.keyfile_path(path)
    if header.exists() and _is_plain_sqlite(path):
        os.replace(header, header.with_name(header.name + ".unused"))


def _encrypt_in_place(path: Path, passphrase: str, with_recovery_code: bool, kdf: KdfParams) -> tuple[bytearray, str | None]:
    """Write an encrypted copy, check it, write the key header, then swap the copy in (see add_passphrase)."""
    key = bytearray(secrets.token_bytes(keystore.DATA_KEY_BYTES))
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.encrypting")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    try:
        storage.export_encrypted(path, tmp, key)  # the -wal removed below then holds nothing
        fsync_file(tmp)
        problems = backups.verify_backup(tmp, key)
        if problems:
            raise JournalError(
                "The encrypted copy did not pass its check (" + "; ".join(problems[:3]) + "); the journal was left as it is."
            )
        _, code = keystore.create_keys(path, passphrase, recovery_code=with_recovery_code, kdf=kdf, data_key=key)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if _is_plain_sqlite(path):
            keystore.keyfile_path(path).unlink(missing_ok=True)
        if isinstance(exc, JournalError):
            raise
        raise JournalError(backups.failure_words("The journal could not be encrypted", exc)) from None
    return key, code
