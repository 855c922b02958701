"""The key header in a sync folder: how the second computer of a journal with a passphrase gets the journal's key.

The journal's key header (the data key wrapped by the passphrase and the recovery code, never
the key itself; see keystore) is copied into the sync folder as `tj-key.json`. Joining reads
it, opens the data key with the passphrase and gives the new journal that key and that header,
so both computers hold the same journal under the same passphrase and read each other's sealed
change files. The header in the folder also says whose folder it is: a journal whose key does
not match it is refused, and so is a journal without a passphrase.
"""

from __future__ import annotations

import os
from pathlib import Path

from journal.errors import JournalError
from journal.files.atomic import atomic_write
from journal.safekeeping import keystore

__all__ = ["FOLDER_KEY_NAME", "folder_header", "share_header", "refuse_if_sealed", "join_header"]

FOLDER_KEY_NAME = "tj-key.json"
_MAX_BYTES = 64 * 1024


def folder_header(folder: str | os.PathLike[str]) -> bytes | None:
    """The bytes of the key header in the sync folder, or None when there is none (the folder of a journal without a passphrase)."""
    path = Path(folder) / FOLDER_KEY_NAME
    try:
        with path.open("rb") as f:
            return f.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise JournalError(f"{FOLDER_KEY_NAME} in the sync folder {folder} is a folder, not a key header. Nothing was changed.") from None
    except OSError as exc:
        why = exc.strerror or exc
        raise JournalError(f"{FOLDER_KEY_NAME} in the sync folder {folder} cannot be read ({why}). Nothing was changed.") from None


def _another_journal(folder: str | os.PathLike[str]) -> JournalError:
    return JournalError(
        f"The sync folder {folder} belongs to another journal: its key header ({FOLDER_KEY_NAME}) wraps another key than this "
        "journal's. Choose a folder of this journal's own (a journal whose passphrase was changed since its other computers "
        "joined needs a new folder too). Nothing was written to the folder and nothing in the journal changed."
    )


def share_header(journal_path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> None:
    """Put this journal's key header in the sync folder: written when there is none, rewritten when it is this journal's but older.

    A header there that wraps another key is refused by name (the folder belongs to another
    journal). While a passphrase change is under way the header is left as it is.
    """
    if keystore.key_change_under_way(journal_path):
        return
    ours = keystore.header_of(journal_path)
    theirs = folder_header(folder)
    if theirs is not None:
        if theirs == ours:
            return
        own_name = keystore.keyfile_path(journal_path).name
        try:
            their_check = keystore.header_key_check(theirs, name=FOLDER_KEY_NAME)
        except keystore.KeyFileError as exc:
            raise JournalError(
                f"{exc} It is in the sync folder {folder}; nothing was written there. If the folder is this journal's own, "
                f"remove {FOLDER_KEY_NAME} from it and sync again: this journal writes it anew."
            ) from None
        if their_check != keystore.header_key_check(ours, name=own_name):
            raise _another_journal(folder)
    atomic_write(Path(folder) / FOLDER_KEY_NAME, ours, mode=0o600)


def refuse_if_sealed(folder: str | os.PathLike[str], *, joining: bool = False) -> None:
    """A journal without a passphrase never syncs through the folder of one with a passphrase: refused by name."""
    if folder_header(folder) is None:
        return
    if joining:
        raise JournalError(
            f"The journal synced through {folder} has a passphrase ({FOLDER_KEY_NAME} is there): join it with its passphrase "
            "(--passphrase-file PATH). Nothing was made."
        )
    raise JournalError(
        f"The sync folder {folder} belongs to a journal with a passphrase ({FOLDER_KEY_NAME} is there), and this journal has "
        "none. Choose a folder of this journal's own. Nothing was written to the folder and nothing in the journal changed."
    )


def join_header(folder: str | os.PathLike[str], journal_path: str | os.PathLike[str], passphrase: str) -> bytearray:
    """Give the new journal at `journal_path` the key header in the sync folder; returns the data key the passphrase opens there.

    A folder without a header (its journal has no passphrase) or a wrong passphrase is refused
    and nothing is made.
    """
    header = folder_header(folder)
    if header is None:
        raise JournalError(
            f"The journal synced through {folder} has no passphrase ({FOLDER_KEY_NAME} is not there): join it without "
            "--passphrase-file. Nothing was made."
        )
    return keystore.adopt_header(journal_path, header, passphrase, name=FOLDER_KEY_NAME)
