"""Sealing change files with the journal's key, so that the sync folder of a journal with a passphrase holds no plaintext.

A sealed payload is a random 96-bit nonce followed by AES-256-GCM's ciphertext and tag. The
file key is not the journal's data key itself but one derived from it with HKDF-SHA256 (info
b"trial-journal sync v1"), so the key SQLCipher uses never encrypts anything else. Every
computer that holds the journal's data key derives the same file key, and nothing else can:
a file sealed with another journal's key, or changed after it was written, does not open.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal.sync.changefile import ChangeFileError

__all__ = ["sealer", "Seal", "INFO", "NONCE_BYTES"]

Seal = Callable[[bytes], bytes]

INFO = b"trial-journal sync v1"
NONCE_BYTES = 12  # 96 bits: AES-GCM's own nonce size, random for each file
_TAG_BYTES = 16
_KEY_BYTES = 32
_CANNOT_OPEN = "This change file cannot be opened with this journal's key: it belongs to another journal, or it was changed."


def _file_key(data_key: bytes | bytearray) -> bytes:
    if len(data_key) != _KEY_BYTES:
        raise ValueError(f"a journal's data key is {_KEY_BYTES} bytes, not {len(data_key)}")
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=INFO).derive(bytes(data_key))


def sealer(data_key: bytes | bytearray) -> tuple[Seal, Seal]:
    """(seal, unseal) for change files of the journal whose data key this is: seal encrypts, unseal opens what seal made.

    unseal raises ChangeFileError when the bytes were sealed with another journal's key, were
    changed after sealing or are too short to be sealed at all.
    """
    cipher = AESGCM(_file_key(data_key))

    def seal(payload: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + cipher.encrypt(nonce, bytes(payload), INFO)

    def unseal(sealed: bytes) -> bytes:
        if len(sealed) < NONCE_BYTES + _TAG_BYTES:
            raise ChangeFileError(_CANNOT_OPEN)
        try:
            return cipher.decrypt(bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:]), INFO)
        except InvalidTag:
            raise ChangeFileError(_CANNOT_OPEN) from None

    return seal, unseal
