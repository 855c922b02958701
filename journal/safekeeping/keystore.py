"""The journal's key: a random data key kept beside the journal, wrapped by an Argon2id key from the passphrase or recovery code.

The SQLCipher database is encrypted with a random 256-bit *data key*. A small header file
beside it (`<journal>.keys`, JSON, mode 0600) holds that key wrapped by a key derived with
Argon2id from the passphrase, and optionally a second copy wrapped by a key derived from a
recovery code. This makes a wrong passphrase fail at once with a clear message (the wrap's
tag does not match, before SQLCipher is ever asked) and allows a recovery code.

The wrap uses only the standard library: Argon2id gives 64 bytes; the first 32 key an
HMAC-SHA256 keystream that the data key is XORed with, the last 32 key an HMAC-SHA256 tag
over everything in the slot (encrypt-then-MAC). Each wrap has a fresh salt and nonce, so a
keystream is never used twice.

A passphrase change (or a new recovery code) makes a new data key: every copy of the old
header, beside each backup, would otherwise go on opening today's journal with the old
passphrase. `journal.safekeeping.rekey` re-encrypts the journal and its backups under the new key; while
it works, the header holds the new entries and, under "replacing", the old ones plus the old
key wrapped under the new secrets, so a crash at any step leaves a journal that opens with the
new passphrase, or with the old one until the journal itself was re-encrypted.

Honest limits, said plainly in the window too: without the passphrase or the recovery code
nothing can open the journal; a copy the person made elsewhere (outside the backups folder)
keeps the passphrase it had.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import sys
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO, TypeGuard

from argon2.low_level import Type, hash_secret_raw

from journal.errors import JournalError, WrongPassphraseError
from journal.files.atomic import atomic_write

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
    "set_passphrase",
    "unlock_both",
    "begin_key_change",
    "key_change_under_way",
    "finished_header",
    "finish_key_change",
    "cancel_key_change",
    "KDF_LIMITS",
    "add_recovery_code",
    "remove_recovery_code",
    "has_recovery_code",
    "header_of",
    "header_key_check",
    "adopt_header",
    "passphrase_problems",
    "read_passphrase",
    "normalise_recovery_code",
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
    "Changing the passphrase later changes the journal's key and re-encrypts its older backups too, "
    "so the old passphrase opens none of them; only a copy you made yourself elsewhere keeps the "
    "passphrase it had."
)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: RFC 9106's low-memory profile by default (about 0.1 s here)."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


DEFAULT_KDF = KdfParams()

# The costs a header may ask for; anything outside is a damaged or tampered header. They reach
# well past the default (RFC 9106's low-memory profile) and down to the cheap costs tests use,
# but a tampered header cannot demand more than 1 GiB of memory, 10 passes or 16 threads.
KDF_LIMITS = {"time_cost": (1, 10), "memory_kib": (8, 1024 * 1024), "parallelism": (1, 16)}


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
    data_key: bytes | bytearray | None = None,
) -> tuple[bytes | bytearray, str | None]:
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
    key = bytearray(secrets.token_bytes(DATA_KEY_BYTES)) if data_key is None else data_key
    if len(key) != DATA_KEY_BYTES:
        raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")
    slots = {
        "_key_check": _key_check(key),
        "passphrase": _wrap(key, _passphrase_bytes(passphrase), "passphrase", kdf),
    }
    code = None
    if recovery_code:
        code = _new_recovery_code()
        slots["recovery"] = _wrap(key, normalise_recovery_code(code).encode(), "recovery", kdf)
    _write_header(path, slots)
    return key, code


def unlock(journal_path: str | os.PathLike[str], passphrase: str) -> bytearray:
    """The data key of the journal, or WrongPassphraseError at once if the passphrase is not the one.

    While a passphrase change is under way (`key_change_under_way`), this is the new key for
    the new passphrase and the old key for the old one; `journal.safekeeping.rekey.settle_key_change`
    finds out which one the journal holds and finishes or undoes the change.
    """
    new, old = unlock_both(journal_path, passphrase=passphrase)
    key = new if new is not None else old
    if key is None:
        raise WrongPassphraseError(
            "That passphrase does not open this journal. Check it (and Caps Lock) and try again; "
            "nothing in the journal has changed."
        )
    return key


def unlock_with_recovery_code(journal_path: str | os.PathLike[str], code: str) -> bytearray:
    """The data key, opened with the recovery code; WrongPassphraseError if the code is not the one."""
    new, old = unlock_both(journal_path, recovery_code=code)
    key = new if new is not None else old
    if key is None:
        raise WrongPassphraseError(
            "That recovery code does not open this journal. Check each group of letters and digits and try again."
        )
    return key


def unlock_both(
    journal_path: str | os.PathLike[str], *, passphrase: str | None = None, recovery_code: str | None = None
) -> tuple[bytearray | None, bytearray | None]:
    """(key now in the header, key being replaced) that the secret opens; either may be None.

    Outside a passphrase change the second is always None. During one, the new passphrase
    (or new recovery code) opens both keys, the old one only the old key.
    """
    if passphrase is not None and recovery_code is None:
        name, secret = "passphrase", _passphrase_bytes(passphrase)
    elif recovery_code is not None and passphrase is None:
        name, secret = "recovery", normalise_recovery_code(recovery_code).encode()
    else:
        raise ValueError("give a passphrase or a recovery code")
    slots = _read_slots(journal_path)
    replacing = slots.get("_replacing")
    old_slot = replacing["slots"].get(name) if replacing else None
    if name not in slots and old_slot is None:
        if name == "passphrase":
            raise KeyFileError("This journal's key header has no passphrase; use the recovery code.")
        raise WrongPassphraseError("This journal has no recovery code; only its passphrase opens it.")
    new = _unwrap(slots[name], secret, name) if name in slots else None
    old = None
    if replacing is not None:
        carry = replacing["carry"].get(f"carry-{name}")
        if new is not None and carry is not None:
            old = _unwrap(carry, secret, f"carry-{name}")
        elif new is None and old_slot is not None:
            old = _unwrap(old_slot, secret, name)
    return new, old


def set_passphrase(
    journal_path: str | os.PathLike[str], data_key: bytes, new_passphrase: str, *, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """Wrap the same data key under a new passphrase, in the header only; the recovery code, if any, still works.

    This alone leaves every earlier copy of the header (beside each backup) opening with the
    old passphrase. A person's passphrase change goes through `journal.safekeeping.rekey.change_passphrase`, which
    changes the key itself.
    """
    problems = passphrase_problems(new_passphrase)
    if problems:
        raise JournalError(problems[0])
    slots = _settled_slots(journal_path)
    _check_key_matches(slots, data_key)
    slots["passphrase"] = _wrap(data_key, _passphrase_bytes(new_passphrase), "passphrase", kdf)
    _write_header(keyfile_path(journal_path), slots)


def begin_key_change(
    journal_path: str | os.PathLike[str],
    old_key: bytes | bytearray,
    new_passphrase: str,
    *,
    recovery_code: bool,
    kdf: KdfParams = DEFAULT_KDF,
) -> tuple[bytearray, str | None]:
    """Write the header of a key change: the new key under the new passphrase (and a new recovery code, when
    `recovery_code`), with the old entries kept beside it until `finish_key_change`. Returns (new key, new code).

    The old key is also wrapped under the new secrets, so once the change has begun the new
    passphrase opens the journal whichever key it holds; the old passphrase opens it only
    until the journal is re-encrypted.
    """
    problems = passphrase_problems(new_passphrase)
    if problems:
        raise JournalError(problems[0])
    slots = _settled_slots(journal_path)
    _check_key_matches(slots, old_key)
    new_key = bytearray(secrets.token_bytes(DATA_KEY_BYTES))
    secret = _passphrase_bytes(new_passphrase)
    new_slots: dict[str, Any] = {"_key_check": _key_check(new_key), "passphrase": _wrap(new_key, secret, "passphrase", kdf)}
    carry = {"carry-passphrase": _wrap(old_key, secret, "carry-passphrase", kdf)}
    code = None
    if recovery_code:
        code = _new_recovery_code()
        code_secret = normalise_recovery_code(code).encode()
        new_slots["recovery"] = _wrap(new_key, code_secret, "recovery", kdf)
        carry["carry-recovery"] = _wrap(old_key, code_secret, "carry-recovery", kdf)
    replacing = {
        "key_check": slots["_key_check"],
        "slots": {k: v for k, v in slots.items() if not k.startswith("_")},
        "carry": carry,
    }
    _write_header(keyfile_path(journal_path), new_slots, replacing)
    return new_key, code


def key_change_under_way(journal_path: str | os.PathLike[str]) -> bool:
    """Whether a passphrase change began and was not finished (the program stopped in the middle)."""
    return is_encrypted(journal_path) and "_replacing" in _read_slots(journal_path)


def finished_header(journal_path: str | os.PathLike[str], new_key: bytes | bytearray) -> bytes:
    """The header as it will be once the key change is finished: the new entries only (for the backups too)."""
    slots = _read_slots(journal_path)
    _check_key_matches(slots, new_key)
    slots.pop("_replacing", None)
    return _header_bytes(slots)


def finish_key_change(journal_path: str | os.PathLike[str], new_key: bytes | bytearray) -> None:
    """Drop the old entries: from now on only the new passphrase (and new recovery code) open the journal."""
    atomic_write(keyfile_path(journal_path), finished_header(journal_path, new_key), mode=0o600)


def cancel_key_change(journal_path: str | os.PathLike[str], old_key: bytes | bytearray) -> None:
    """Put the header back as it was before a key change that did not reach the journal itself."""
    slots = _read_slots(journal_path)
    replacing = slots.get("_replacing")
    if replacing is None:
        return
    old = {**replacing["slots"], "_key_check": replacing["key_check"]}
    _check_key_matches(old, old_key)
    _write_header(keyfile_path(journal_path), old)


def has_recovery_code(journal_path: str | os.PathLike[str]) -> bool:
    """Whether a recovery code can open the journal."""
    return is_encrypted(journal_path) and "recovery" in _read_slots(journal_path)


def add_recovery_code(journal_path: str | os.PathLike[str], data_key: bytes, *, kdf: KdfParams = DEFAULT_KDF) -> str:
    """Make a new recovery code for the same key (replacing any earlier one), in the header only; return it.

    Earlier copies of the header keep the earlier code; the window makes a new code with
    `journal.safekeeping.rekey.change_key`, which changes the key too.
    """
    slots = _settled_slots(journal_path)
    _check_key_matches(slots, data_key)
    code = _new_recovery_code()
    slots["recovery"] = _wrap(data_key, normalise_recovery_code(code).encode(), "recovery", kdf)
    _write_header(keyfile_path(journal_path), slots)
    return code


def remove_recovery_code(journal_path: str | os.PathLike[str], data_key: bytes) -> None:
    """Stop the recovery code from opening the journal (older backups keep their own header)."""
    slots = _settled_slots(journal_path)
    _check_key_matches(slots, data_key)
    slots.pop("recovery", None)
    _write_header(keyfile_path(journal_path), slots)


def header_of(journal_path: str | os.PathLike[str]) -> bytes:
    """The bytes of the journal's key header, every field checked: the data key wrapped by the passphrase and recovery code, not the key.

    What a sync folder carries to the journal's other computers (`adopt_header` there).
    """
    path, raw = _read_raw(journal_path)
    _slots_from(path, _body_from(path, raw))
    return raw


def header_key_check(header: bytes, *, name: str) -> str:
    """The one-way check of the data key a header's bytes wrap, every field checked: two headers of one journal give the same.

    `name` names the header in the messages when it is damaged or not a key header at all.
    """
    path = Path(name)
    return str(_slots_from(path, _body_from(path, header))["_key_check"])


def adopt_header(journal_path: str | os.PathLike[str], header: bytes, passphrase: str, *, name: str) -> bytearray:
    """Give a new journal at `journal_path` the key header of another copy of the same journal; returns the data key it wraps.

    The passphrase is checked first: a wrong one raises WrongPassphraseError and nothing is
    written. An existing header is never replaced, and a header written in the middle of a
    passphrase change is refused (it would open two keys). `name` names `header` in messages.
    """
    path = Path(name)
    slots = _slots_from(path, _body_from(path, header))
    if "_replacing" in slots:
        raise KeyFileError(
            f"{name} was written in the middle of a passphrase change. Open the journal on the computer where the "
            "passphrase was changed, sync it, then join again. Nothing was made."
        )
    if "passphrase" not in slots:
        raise KeyFileError(f"{name} has no passphrase entry, so a passphrase cannot open it. Nothing was made.")
    target = keyfile_path(journal_path)
    if target.exists():
        raise KeyFileError(f"{target.name} already exists; that journal already has a passphrase. Nothing was changed.")
    key = _unwrap(slots["passphrase"], _passphrase_bytes(passphrase), "passphrase")
    if key is None:
        raise WrongPassphraseError(
            "That passphrase does not open the journal in the sync folder. Check it (and Caps Lock) and try again; "
            "nothing was made."
        )
    _check_key_matches(slots, key)
    atomic_write(target, header, mode=0o600)
    return key


def _settled_slots(journal_path: str | os.PathLike[str]) -> dict[str, Any]:
    slots = _read_slots(journal_path)
    if "_replacing" in slots:
        raise KeyFileError(
            "A passphrase change was cut short; open the journal again (with the new passphrase) to finish it first."
        )
    return slots


_LOOK_ALIKES = str.maketrans("OIL", "011")


def normalise_recovery_code(code: str) -> str:
    """The code as compared: capitals, no spaces or dashes, and look-alikes (O, I, L) read as digits."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    return text.translate(_LOOK_ALIKES)


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


def _wrap(data_key: bytes | bytearray, secret: bytes, slot_name: str, kdf: KdfParams) -> dict[str, Any]:
    _check_kdf(kdf)
    salt = secrets.token_bytes(_SALT_BYTES)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    enc_key, mac_key = _derive(secret, salt, kdf)
    wrapped = bytes(a ^ b for a, b in zip(data_key, _keystream(enc_key, nonce), strict=False))
    return {
        "kdf": "argon2id",
        **asdict(kdf),
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
        "tag": _b64(_tag(mac_key, slot_name, kdf, salt, nonce, wrapped)),
    }


def _unwrap(slot: dict[str, Any], secret: bytes, slot_name: str) -> bytearray | None:
    """The data key in `slot` (already checked by `_checked_slot`), or None when `secret` is not the one."""
    kdf = KdfParams(slot["time_cost"], slot["memory_kib"], slot["parallelism"])
    salt, nonce = _unb64(slot["salt"]), _unb64(slot["nonce"])
    wrapped, tag = _unb64(slot["wrapped"]), _unb64(slot["tag"])
    try:
        enc_key, mac_key = _derive(secret, salt, kdf)
    except Exception:  # argon2's own errors: the ranges are checked first, so this is a damaged entry
        raise KeyFileError(_damaged(None, f"its {_SLOT_WORDS.get(slot_name, 'key')} entry cannot be used")) from None
    if not hmac.compare_digest(tag, _tag(mac_key, slot_name, kdf, salt, nonce, wrapped)):
        return None
    return bytearray(a ^ b for a, b in zip(wrapped, _keystream(enc_key, nonce), strict=False))


def _check_key_matches(slots: dict[str, Any], data_key: bytes | bytearray) -> None:
    # The header records a one-way check of the data key, so a header is never rewritten to
    # wrap a key that does not open this journal.
    if not hmac.compare_digest(slots.get("_key_check", ""), _key_check(data_key)):
        raise WrongPassphraseError("That key does not belong to this journal; nothing was changed.")


def _key_check(data_key: bytes | bytearray) -> str:
    return _b64(hashlib.sha256(b"trial-journal key check" + bytes(data_key)).digest()[:8])


def _header_bytes(slots: dict[str, Any], replacing: dict[str, Any] | None = None) -> bytes:
    if "_key_check" not in slots:
        raise AssertionError("the key check is set when the header is first made")
    body: dict[str, Any] = {"format": _FORMAT, "version": _VERSION, "key_check": slots["_key_check"],
                            "slots": {k: v for k, v in slots.items() if not k.startswith("_")}}
    if replacing is not None:
        body["replacing"] = replacing
    return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _write_header(path: Path, slots: dict[str, Any], replacing: dict[str, Any] | None = None) -> None:
    atomic_write(path, _header_bytes(slots, replacing), mode=0o600)


# -- reading a header that may be damaged or tampered with ----------------------------------
#
# Every field is checked before anything is computed from it: a header is JSON of a known
# shape, at most _MAX_HEADER_BYTES long; each entry names Argon2id with costs inside
# KDF_LIMITS (so a tampered file cannot demand gigabytes of memory or hours of work), a
# 16-byte salt and nonce, a 32-byte wrapped key and a 32-byte tag. Anything else is a
# KeyFileError in plain words, never a traceback.

_MAX_HEADER_BYTES = 64 * 1024
_SLOT_NAMES = ("passphrase", "recovery")
_SLOT_FIELDS = frozenset({"kdf", "time_cost", "memory_kib", "parallelism", "salt", "nonce", "wrapped", "tag"})
_SLOT_WORDS = {"passphrase": "passphrase", "recovery": "recovery code",
               "carry-passphrase": "passphrase", "carry-recovery": "recovery code"}
_FIELD_BYTES = {"salt": _SALT_BYTES, "nonce": _NONCE_BYTES, "wrapped": DATA_KEY_BYTES, "tag": 32}
_KEY_CHECK_BYTES = 8


def _check_kdf(kdf: KdfParams) -> None:
    for name, (low, high) in KDF_LIMITS.items():
        value = getattr(kdf, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"Argon2id {name} must be from {low} to {high}")
    if kdf.memory_kib < 8 * kdf.parallelism:
        raise ValueError("Argon2id needs at least 8 KiB of memory per lane")


def _damaged(path: Path | None, what: str) -> str:
    name = path.name if path is not None else "beside the journal"
    return (
        f"The key header {name} is damaged ({what}), so the journal cannot be opened with it. "
        "Nothing was changed. If you have a backup, its own header sits beside it in the backups folder."
    )


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_slot(path: Path, slot: Any, slot_name: str) -> dict[str, Any]:
    words = _SLOT_WORDS.get(slot_name, "key")
    if not isinstance(slot, dict) or set(slot) != _SLOT_FIELDS:
        raise KeyFileError(_damaged(path, f"its {words} entry is incomplete or has unknown parts"))
    if slot["kdf"] != "argon2id":
        raise KeyFileError(_damaged(path, f"its {words} entry names a key-stretching method Trial Journal does not use"))
    if not all(_is_int(slot[name]) for name in KDF_LIMITS):
        raise KeyFileError(_damaged(path, f"its {words} entry has a cost that is not a whole number"))
    try:
        _check_kdf(KdfParams(slot["time_cost"], slot["memory_kib"], slot["parallelism"]))
    except ValueError:
        raise KeyFileError(_damaged(
            path, f"its {words} entry asks for a key-stretching cost (time, memory or threads) outside what Trial Journal ever writes"
        )) from None
    for name, size in _FIELD_BYTES.items():
        value = slot[name]
        try:
            if not isinstance(value, str) or len(value) > 4 * size:
                raise ValueError
            if len(_unb64(value)) != size:
                raise ValueError
        except ValueError:
            raise KeyFileError(_damaged(path, f"its {words} entry has a part of the wrong size or form")) from None
    return slot


def _checked_key_check(path: Path, value: Any) -> str:
    try:
        if not isinstance(value, str) or len(value) > 16 or len(_unb64(value)) != _KEY_CHECK_BYTES:
            raise ValueError
    except ValueError:
        raise KeyFileError(_damaged(path, "its check of the key is missing or malformed")) from None
    return value


def _checked_slots(path: Path, slots: Any, names: tuple[str, ...], *, need_passphrase: bool) -> dict[str, Any]:
    if not isinstance(slots, dict) or not set(slots) <= set(names):
        raise KeyFileError(_damaged(path, "it lists keys of an unknown kind"))
    if need_passphrase and names[0] not in slots:
        raise KeyFileError(_damaged(path, "it has no passphrase entry"))
    return {name: _checked_slot(path, slot, name) for name, slot in slots.items()}


def _read_raw(journal_path: str | os.PathLike[str]) -> tuple[Path, bytes]:
    path = keyfile_path(journal_path)
    try:
        with path.open("rb") as f:
            raw = f.read(_MAX_HEADER_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(
            f"The key header {path.name} beside the journal is missing, so the journal cannot be opened. "
            "If you have a backup, its own header sits beside it in the backups folder."
        ) from None
    except IsADirectoryError:
        raise KeyFileError(f"The key header {path.name} is a folder, not a file, so the journal cannot be opened.") from None
    except OSError as e:
        raise KeyFileError(f"The key header {path.name} cannot be read: {e.strerror or e}.") from None
    return path, raw


def _read_body(journal_path: str | os.PathLike[str]) -> tuple[Path, dict[str, Any]]:
    path, raw = _read_raw(journal_path)
    return path, _body_from(path, raw)


def _body_from(path: Path, raw: bytes) -> dict[str, Any]:
    if len(raw) > _MAX_HEADER_BYTES:
        raise KeyFileError(_damaged(path, "it is far longer than any key header Trial Journal writes"))
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise KeyFileError(f"The key header {path.name} cannot be read: it is not the text Trial Journal wrote.") from None
    if not isinstance(body, dict) or body.get("format") != _FORMAT:
        raise KeyFileError(f"{path.name} is not a Trial Journal key header.")
    version = body.get("version")
    if not _is_int(version) or version < 1:
        raise KeyFileError(_damaged(path, "its version is missing or malformed"))
    if version != _VERSION:
        raise KeyFileError(
            f"{path.name} was written by a newer version of Trial Journal (header version {version}); "
            "update the program to open it."
        )
    if not set(body) <= {"format", "version", "key_check", "slots", "replacing"}:
        raise KeyFileError(_damaged(path, "it holds parts Trial Journal does not write"))
    return body


def _read_slots(journal_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The header's entries, every field checked; `_key_check` and, during a key change, `_replacing` beside them."""
    return _slots_from(*_read_body(journal_path))


def _slots_from(path: Path, body: dict[str, Any]) -> dict[str, Any]:
    if "slots" not in body:
        raise KeyFileError(f"{path.name} is damaged: it lists no keys.")
    slots = _checked_slots(path, body["slots"], _SLOT_NAMES, need_passphrase=False)
    if not slots:
        raise KeyFileError(f"{path.name} is damaged: it lists no keys.")
    result: dict[str, Any] = {**slots, "_key_check": _checked_key_check(path, body.get("key_check"))}
    if "replacing" in body:
        replacing = body["replacing"]
        if not isinstance(replacing, dict) or set(replacing) != {"key_check", "slots", "carry"}:
            raise KeyFileError(_damaged(path, "its record of a passphrase change is incomplete"))
        result["_replacing"] = {
            "key_check": _checked_key_check(path, replacing["key_check"]),
            "slots": _checked_slots(path, replacing["slots"], _SLOT_NAMES, need_passphrase=False),
            "carry": _checked_slots(path, replacing["carry"], ("carry-passphrase", "carry-recovery"), need_passphrase=False),
        }
    return result


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, AttributeError, binascii.Error):
        raise ValueError("not base64") from None
