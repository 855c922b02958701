"""A passphrase change that changes the key: the journal and its backups are re-encrypted, so the old passphrase opens nothing.

With a wrapped data key, a new passphrase alone would only rewrite the header; every copy of
the old header (one sits beside each backup) would still unwrap the same key and open today's
journal with the old passphrase. So a change makes a new data key and:

  1. writes the header of the change (`keystore.begin_key_change`): the new key under the new
     passphrase (and a new recovery code), the old entries kept, and the old key wrapped under
     the new secrets too;
  2. re-encrypts the journal in place under the new key (SQLCipher's rekey: every page, in one
     transaction);
  3. re-encrypts each backup that holds the old key: an encrypted copy under the new key is
     written beside it, checked, renamed over it, and the finished header is put beside it;
  4. drops the old entries from the header (`keystore.finish_key_change`).

A crash at any point leaves a journal that opens: before step 2 commits, with the old or the
new passphrase; after it, with the new one. The next open with either settles the change
(`settle_key_change`): the new passphrase finishes it (steps 2-4 for whatever is left), the
old one, when the journal still holds the old key, undoes it (the header is put back).

Backups that do not open with the journal's key (made under some other key) cannot be
re-encrypted; they are left as they are and counted, so the person is told.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journal import storage
from journal.errors import JournalError, WrongPassphraseError
from journal.files.atomic import atomic_write
from journal.files.hygiene import PRIVATE_FILE_MODE, fsync_dir, fsync_file
from journal.safekeeping import keystore
from journal.safekeeping.backups import failure_words, list_backups, verify_backup
from journal.safekeeping.keystore import DEFAULT_KDF, KdfParams
from journal.storage import upkeep

__all__ = ["KeyChange", "change_key", "change_passphrase", "settle_key_change"]


@dataclass(frozen=True)
class KeyChange:
    """What a passphrase change did: the new recovery code (show it once), and what became of the backups."""

    recovery_code: str | None
    backups_reencrypted: int
    backups_left: int  # encrypted under some other key: they keep whatever passphrase they were made under
    backups_unencrypted: int  # made before the journal had a passphrase: they need none
    backup: Any = None  # the backup made just before the change (journal.safekeeping.backups.Backup), re-encrypted too

    def backup_words(self) -> str:
        """What happened to the older backups, in plain words for the person."""
        n = self.backups_reencrypted
        words = (
            f"{n} older backup{'s were' if n != 1 else ' was'} re-encrypted with the new key, so the old "
            "passphrase opens none of them; they open with the new passphrase."
            if n
            else "There were no older encrypted backups to re-encrypt."
        )
        if self.backups_left:
            k = self.backups_left
            words += (
                f" {k} backup{'s' if k != 1 else ''} did not open with this journal's key (made under another "
                "key), so they were left as they are and open only with the passphrase they were made with."
            )
        if self.backups_unencrypted:
            k = self.backups_unencrypted
            words += (
                f" {k} backup{'s' if k != 1 else ''} from before the journal had a passphrase can still be read "
                "without one."
            )
        if self.recovery_code:
            words += " The old recovery code no longer opens anything; write down the new one."
        return words


def _step(name: str) -> None:
    """Called between the steps of a change; tests put a crash here."""


def change_key(
    journal_path: str | os.PathLike[str],
    old_key: bytes | bytearray,
    new_passphrase: str,
    *,
    recovery_code: bool | None = None,
    kdf: KdfParams = DEFAULT_KDF,
) -> KeyChange:
    """Give the journal (closed, its lock held by the caller) a new key under `new_passphrase`; see the module docstring.

    `recovery_code`: make a new recovery code (default: when the journal has one now; the old
    code cannot be kept, as the new key is never wrapped under it).
    """
    path = Path(journal_path)
    if recovery_code is None:
        recovery_code = keystore.has_recovery_code(path)
    new_key, code = keystore.begin_key_change(path, old_key, new_passphrase, recovery_code=recovery_code, kdf=kdf)
    _step("header written")
    try:
        _rekey_journal(path, old_key, new_key)
    except BaseException:
        if storage.opens_with(path, old_key):
            keystore.cancel_key_change(path, old_key)  # nothing else was touched: as if never begun
        raise
    _step("journal re-encrypted")
    try:
        done, left, plain = _reencrypt_backups(path, old_key, new_key)
        keystore.finish_key_change(path, new_key)
    finally:
        storage.wipe_key(new_key)  # the caller opens the journal again with the new passphrase
    _step("finished")
    return KeyChange(code, done, left, plain)


def change_passphrase(
    journal_path: str | os.PathLike[str], old_passphrase: str, new_passphrase: str, *, kdf: KdfParams = DEFAULT_KDF
) -> KeyChange:
    """Replace the passphrase after checking the old one, with a new data key (see `change_key`).

    The journal must not be open. Its backups are re-encrypted under the new key, so the old
    passphrase opens none of them; a recovery code, if there was one, is replaced by a new one.
    """
    old_key = keystore.unlock(journal_path, old_passphrase)
    return change_key(journal_path, old_key, new_passphrase, kdf=kdf)


def settle_key_change(
    journal_path: str | os.PathLike[str], *, passphrase: str | None = None, recovery_code: str | None = None
) -> bytearray:
    """Finish (new passphrase) or undo (old passphrase) a change the program was stopped in; returns the key that opens the journal.

    The caller holds the journal's lock. WrongPassphraseError when the secret opens neither key,
    or when it is the old passphrase and the journal already holds the new key.
    """
    path = Path(journal_path)
    new, old = keystore.unlock_both(path, passphrase=passphrase, recovery_code=recovery_code)
    if new is not None:
        if not storage.opens_with(path, new):
            if old is None or not storage.opens_with(path, old):
                raise JournalError(f"The journal at {path} does not open with the key of its passphrase change; it may be damaged.")
            _rekey_journal(path, old, new)
        if old is not None:
            _reencrypt_backups(path, old, new)
            storage.wipe_key(old)
        keystore.finish_key_change(path, new)
        return new
    if old is not None:
        if storage.opens_with(path, old):
            keystore.cancel_key_change(path, old)
            return old
        raise WrongPassphraseError(
            "The passphrase was being changed when Trial Journal last stopped, and the journal was already "
            "re-encrypted: open it with the new passphrase (or the new recovery code) to finish the change."
        )
    what = "passphrase" if passphrase is not None else "recovery code"
    raise WrongPassphraseError(f"That {what} does not open this journal. Check it and try again; nothing has changed.")


def _rekey_journal(path: Path, old_key: bytes | bytearray, new_key: bytes | bytearray) -> None:
    """Re-encrypt the journal file in place (one transaction) and check it opens with the new key."""
    from sqlcipher3 import dbapi2

    if not path.is_file() or path.stat().st_size == 0:
        raise JournalError(f"There is no journal at {path} to re-encrypt; nothing was changed.")
    if not storage.opens_with(path, old_key):
        raise WrongPassphraseError(f"The journal at {path} does not open with its key; nothing was changed.")
    try:
        conn = dbapi2.connect(str(path), isolation_level=None)
        try:
            upkeep.quiet_cipher(conn)
            storage.apply_key(conn, old_key)
            # Everything into the main file first, so no page under the old key is left in the log.
            upkeep.fold_log_in(conn)
            storage.change_key(conn, new_key)
            _step("journal rekeyed, log not yet folded in")
            upkeep.fold_log_in(conn)
        finally:
            conn.close()
    except JournalError:
        raise
    except Exception as exc:
        raise JournalError(failure_words("The journal could not be re-encrypted", exc)) from None
    if not storage.opens_with(path, new_key):
        raise JournalError("The journal did not open with its new key after re-encrypting; the old passphrase still opens it.")


def _reencrypt_backups(path: Path, old_key: bytes | bytearray, new_key: bytes | bytearray) -> tuple[int, int, int]:
    """Re-encrypt every backup holding the old key; returns (re-encrypted, left as they were, unencrypted)."""
    header = keystore.finished_header(path, new_key)
    done = left = plain = 0
    for backup in list_backups(path):
        beside = keystore.keyfile_path(backup.path)
        if not beside.exists():
            plain += 1
            continue
        if storage.opens_with(backup.path, new_key):
            pass  # re-encrypted before the program stopped; its header may still be the old one
        elif storage.opens_with(backup.path, old_key):
            try:
                _reencrypt_file(backup.path, old_key, new_key)
            except JournalError:
                left += 1
                continue
            _step("backup re-encrypted")
        else:
            left += 1
            continue
        if beside.read_bytes() != header:
            atomic_write(beside, header, mode=0o600)
        done += 1
    return done, left, plain


def _reencrypt_file(path: Path, old_key: bytes | bytearray, new_key: bytes | bytearray) -> None:
    """Write an encrypted copy of `path` under `new_key` beside it, check it, and rename it over the file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.reencrypting")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    try:
        storage.export_encrypted(path, tmp, new_key, key=old_key)
        fsync_file(tmp)
        problems = verify_backup(tmp, new_key)
        if problems:
            raise JournalError("The re-encrypted copy of a backup did not pass its check: " + "; ".join(problems[:3]))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, JournalError):
            raise
        raise JournalError(failure_words("A backup could not be re-encrypted", exc)) from None
