"""The journal's key: a random data key kept beside the journal, wrapped by an Argon2id key from the passphrase or recovery code.

The SQLCipher database is encrypted with a random 256-bit *data key*. A small header file
beside it (`<journal>.keys`, JSON, mode 0600) holds that key wrapped by a key derived with
Argon2id from the passphrase, and optionally a second copy wrapped by a key derived from a
recovery code. This makes a wrong passphrase fail at once with a clear message (the wrap's
tag does not match, before SQLCipher is ever asked), makes a passphrase change cheap (only
the header is rewritten), and allows a recovery code.

The wrap uses only the standard library: Argon2id gives 64 bytes; the first 32 key an
HMAC-SHA256 keystream that the data key is XORed with, the last 32 key an HMAC-SHA256 tag
over everything in the slot (encrypt-then-MAC). Each wrap has a fresh salt and nonce, so a
keystream is never used twice.

Honest limits, said plainly in the window too: without the passphrase or the recovery code
nothing can open the journal; changing the passphrase keeps the same data key, so a backup
(or a copy of the old header) still opens with the passphrase it was made under.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from argon2.low_level import Type, hash_secret_raw

from journal.atomic import atomic_write
from journal.errors import JournalError, WrongPassphraseError

if TYPE_CHECKING:
    from journal.facade import Journal

__all__ = [
    "KdfParams",
    "DEFAULT_KDF",
    "KEYFILE_SUFFIX",
    "DATA_KEY_BYTES",
    "KeyFileError",
    "keyfile_path",
    "is_encrypted",
    "create_keys",
    "unlock",
    "unlock_with_recovery_code",
    "change_passphrase",
    "set_passphrase",
    "add_recovery_code",
    "remove_recovery_code",
    "has_recovery_code",
    "passphrase_problems",
    "read_passphrase",
    "normalise_recovery_code",
    "open_journal_for_cli",
    "HONEST_LIMITS",
]

KEYFILE_SUFFIX = ".keys"
DATA_KEY_BYTES = 32
_FORMAT = "trial-journal-keys"
_VERSION = 1
_SALT_BYTES = 16
_NONCE_BYTES = 16
# Crockford's base32: no I, L, O or U, so a code copied by hand is not misread.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 5
_CODE_GROUP_LEN = 5  # 25 symbols, 125 bits: beyond guessing even before Argon2id.

HONEST_LIMITS = (
    "Without the passphrase or the recovery code, nobody can open this journal: not you, "
    "not the makers of this program. Write the recovery code down and keep it somewhere safe. "
    "Changing the passphrase later does not change older backups: each backup still opens with "
    "the passphrase the journal had when the backup was made."
)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: RFC 9106's low-memory profile by default (about 0.1 s here)."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


DEFAULT_KDF = KdfParams()


class KeyFileError(JournalError):
    """The key header beside the journal is missing, damaged or of an unknown version."""


def keyfile_path(journal_path: str | os.PathLike[str]) -> Path:
    """Where the key header of the journal at `journal_path` lives."""
    journal_path = Path(journal_path)
    return journal_path.with_name(journal_path.name + KEYFILE_SUFFIX)


def is_encrypted(journal_path: str | os.PathLike[str]) -> bool:
    """Whether the journal has a key header, i.e. is protected by a passphrase."""
    return keyfile_path(journal_path).exists()


def passphrase_problems(passphrase: str) -> list[str]:
    """What is wrong with a new passphrase, in plain words; empty when it is acceptable."""
    if not passphrase:
        return ["The passphrase is empty."]
    if passphrase != passphrase.strip():
        return ["The passphrase starts or ends with a space, which is easy to lose; remove it."]
    if len(passphrase) < 8:
        return ["The passphrase is shorter than 8 characters; a few ordinary words make a strong one."]
    return []


def create_keys(
    journal_path: str | os.PathLike[str],
    passphrase: str,
    *,
    recovery_code: bool = False,
    kdf: KdfParams = DEFAULT_KDF,
    data_key: bytes | None = None,
) -> tuple[bytes, str | None]:
    """Make a new data key (or use `data_key`) and its header; returns (data key, recovery code or None).

    The recovery code is shown once and never stored in the clear. An existing header is
    never overwritten: that would lock the person out of their journal.
    """
    problems = passphrase_problems(passphrase)
    if problems:
        raise JournalError(problems[0])
    path = keyfile_path(journal_path)
    if path.exists():
        raise KeyFileError(f"{path.name} already exists; this journal already has a passphrase.")
    if data_key is None:
        data_key = secrets.token_bytes(DATA_KEY_BYTES)
    elif len(data_key) != DATA_KEY_BYTES:
        raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")
    slots = {
        "_key_check": _key_check(data_key),
        "passphrase": _wrap(data_key, _passphrase_bytes(passphrase), "passphrase", kdf),
    }
    code = None
    if recovery_code:
        code = _new_recovery_code()
        slots["recovery"] = _wrap(data_key, normalise_recovery_code(code).encode(), "recovery", kdf)
    _write_header(path, slots)
    return data_key, code


def unlock(journal_path: str | os.PathLike[str], passphrase: str) -> bytes:
    """The data key of the journal, or WrongPassphraseError at once if the passphrase is not the one."""
    slot = _read_slots(journal_path).get("passphrase")
    if slot is None:
        raise KeyFileError("This journal's key header has no passphrase; use the recovery code.")
    key = _unwrap(slot, _passphrase_bytes(passphrase), "passphrase")
    if key is None:
        raise WrongPassphraseError(
            "That passphrase does not open this journal. Check it (and Caps Lock) and try again; "
            "nothing in the journal has changed."
        )
    return key


def unlock_with_recovery_code(journal_path: str | os.PathLike[str], code: str) -> bytes:
    """The data key, opened with the recovery code; WrongPassphraseError if the code is not the one."""
    slot = _read_slots(journal_path).get("recovery")
    if slot is None:
        raise WrongPassphraseError("This journal has no recovery code; only its passphrase opens it.")
    key = _unwrap(slot, normalise_recovery_code(code).encode(), "recovery")
    if key is None:
        raise WrongPassphraseError(
            "That recovery code does not open this journal. Check each group of letters and digits and try again."
        )
    return key


def set_passphrase(
    journal_path: str | os.PathLike[str], data_key: bytes, new_passphrase: str, *, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """Wrap the (already unlocked) data key under a new passphrase; the recovery code, if any, still works."""
    problems = passphrase_problems(new_passphrase)
    if problems:
        raise JournalError(problems[0])
    slots = _read_slots(journal_path)
    _check_key_matches(slots, data_key)
    slots["passphrase"] = _wrap(data_key, _passphrase_bytes(new_passphrase), "passphrase", kdf)
    _write_header(keyfile_path(journal_path), slots)


def change_passphrase(
    journal_path: str | os.PathLike[str], old_passphrase: str, new_passphrase: str, *, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """Replace the passphrase after checking the old one. Only the header is rewritten: it is quick."""
    data_key = unlock(journal_path, old_passphrase)
    set_passphrase(journal_path, data_key, new_passphrase, kdf=kdf)


def has_recovery_code(journal_path: str | os.PathLike[str]) -> bool:
    """Whether a recovery code can open the journal."""
    return is_encrypted(journal_path) and "recovery" in _read_slots(journal_path)


def add_recovery_code(journal_path: str | os.PathLike[str], data_key: bytes, *, kdf: KdfParams = DEFAULT_KDF) -> str:
    """Make a new recovery code (replacing any earlier one) and return it, to be shown once."""
    slots = _read_slots(journal_path)
    _check_key_matches(slots, data_key)
    code = _new_recovery_code()
    slots["recovery"] = _wrap(data_key, normalise_recovery_code(code).encode(), "recovery", kdf)
    _write_header(keyfile_path(journal_path), slots)
    return code


def remove_recovery_code(journal_path: str | os.PathLike[str], data_key: bytes) -> None:
    """Stop the recovery code from opening the journal (older backups keep their own header)."""
    slots = _read_slots(journal_path)
    _check_key_matches(slots, data_key)
    slots.pop("recovery", None)
    _write_header(keyfile_path(journal_path), slots)


def normalise_recovery_code(code: str) -> str:
    """The code as compared: capitals, no spaces or dashes, and look-alikes (O, I, L) read as digits."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def read_passphrase(path_or_dash: str | os.PathLike[str], *, stdin: TextIO | None = None) -> str:
    """The passphrase in the first line of a file, or of standard input for "-"; its line ending is not part of it.

    The command line takes passphrases only this way, never as an argument or an
    environment variable, which other users and shell history can see.
    """
    if os.fspath(path_or_dash) == "-":
        line = (stdin or sys.stdin).readline()
        where = "standard input"
    else:
        path = Path(path_or_dash)
        try:
            with path.open(encoding="utf-8") as f:
                line = f.readline()
        except FileNotFoundError:
            raise JournalError(f"The passphrase file {path} does not exist.") from None
        except IsADirectoryError:
            raise JournalError(f"The passphrase file {path} is a folder, not a file.") from None
        except UnicodeDecodeError:
            raise JournalError(f"The passphrase file {path} is not UTF-8 text.") from None
        except OSError as e:
            raise JournalError(f"The passphrase file {path} cannot be read: {e.strerror}.") from None
        where = f"the passphrase file {path}"
    passphrase = line.removesuffix("\n").removesuffix("\r")
    if not passphrase:
        raise JournalError(f"No passphrase was found in {where}: its first line is empty.")
    return passphrase


def open_journal_for_cli(
    path: str | os.PathLike[str], passphrase_file: str | os.PathLike[str] | None, create: bool
) -> "Journal":
    """Open the journal for a command: see `journal.opening.open_journal_for_cli`."""
    from journal.opening import open_journal_for_cli as _open

    return _open(path, passphrase_file, create)


# -- the header file -----------------------------------------------------------------------


def _passphrase_bytes(passphrase: str) -> bytes:
    # The same passphrase typed on another keyboard or system can arrive in another Unicode
    # form (é as one code point or two); NFC makes them one.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _new_recovery_code() -> str:
    symbols = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUPS * _CODE_GROUP_LEN))
    return "-".join(symbols[i : i + _CODE_GROUP_LEN] for i in range(0, len(symbols), _CODE_GROUP_LEN))


def _derive(secret: bytes, salt: bytes, kdf: KdfParams) -> tuple[bytes, bytes]:
    material = hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=64,
        type=Type.ID,
    )
    return material[:32], material[32:]


def _tag(mac_key: bytes, slot_name: str, kdf: KdfParams, salt: bytes, nonce: bytes, wrapped: bytes) -> bytes:
    header = json.dumps([_FORMAT, _VERSION, slot_name, asdict(kdf)], sort_keys=True).encode()
    return hmac.new(mac_key, header + salt + nonce + wrapped, hashlib.sha256).digest()


def _keystream(enc_key: bytes, nonce: bytes) -> bytes:
    return hmac.new(enc_key, b"trial-journal data key wrap" + nonce, hashlib.sha256).digest()


def _wrap(data_key: bytes, secret: bytes, slot_name: str, kdf: KdfParams) -> dict[str, Any]:
    salt = secrets.token_bytes(_SALT_BYTES)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    enc_key, mac_key = _derive(secret, salt, kdf)
    wrapped = bytes(a ^ b for a, b in zip(data_key, _keystream(enc_key, nonce)))
    return {
        "kdf": "argon2id",
        **asdict(kdf),
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
        "tag": _b64(_tag(mac_key, slot_name, kdf, salt, nonce, wrapped)),
    }


def _unwrap(slot: dict[str, Any], secret: bytes, slot_name: str) -> bytes | None:
    try:
        kdf = KdfParams(int(slot["time_cost"]), int(slot["memory_kib"]), int(slot["parallelism"]))
        salt, nonce = _unb64(slot["salt"]), _unb64(slot["nonce"])
        wrapped, tag = _unb64(slot["wrapped"]), _unb64(slot["tag"])
        if slot.get("kdf") != "argon2id" or len(wrapped) != DATA_KEY_BYTES:
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(f"The {slot_name} entry of the journal's key header is damaged.") from None
    enc_key, mac_key = _derive(secret, salt, kdf)
    if not hmac.compare_digest(tag, _tag(mac_key, slot_name, kdf, salt, nonce, wrapped)):
        return None
    return bytes(a ^ b for a, b in zip(wrapped, _keystream(enc_key, nonce)))


def _check_key_matches(slots: dict[str, Any], data_key: bytes) -> None:
    # The header records a one-way check of the data key, so a header is never rewritten to
    # wrap a key that does not open this journal.
    if not hmac.compare_digest(slots.get("_key_check", ""), _key_check(data_key)):
        raise WrongPassphraseError("That key does not belong to this journal; nothing was changed.")


def _key_check(data_key: bytes) -> str:
    return _b64(hashlib.sha256(b"trial-journal key check" + data_key).digest()[:8])


def _write_header(path: Path, slots: dict[str, Any]) -> None:
    if "_key_check" not in slots:
        raise AssertionError("the key check is set when the header is first made")
    body = {"format": _FORMAT, "version": _VERSION, "key_check": slots["_key_check"],
            "slots": {k: v for k, v in slots.items() if not k.startswith("_")}}
    atomic_write(path, (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8"), mode=0o600)


def _read_slots(journal_path: str | os.PathLike[str]) -> dict[str, Any]:
    path = keyfile_path(journal_path)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(
            f"The key header {path.name} beside the journal is missing, so the journal cannot be opened. "
            "If you have a backup, its own header sits beside it in the backups folder."
        ) from None
    except (OSError, ValueError) as e:
        raise KeyFileError(f"The key header {path.name} cannot be read: {e}.") from None
    if not isinstance(body, dict) or body.get("format") != _FORMAT:
        raise KeyFileError(f"{path.name} is not a Trial Journal key header.")
    if body.get("version") != _VERSION:
        raise KeyFileError(
            f"{path.name} was written by a newer version of Trial Journal (header version {body.get('version')}); "
            "update the program to open it."
        )
    slots = body.get("slots")
    if not isinstance(slots, dict):
        raise KeyFileError(f"{path.name} is damaged: it lists no keys.")
    return {**slots, "_key_check": str(body.get("key_check", ""))}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
