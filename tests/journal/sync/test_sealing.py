"""Sealing change files with the journal's key: they read back with it, hold no plaintext, and another key or a change is refused."""

from __future__ import annotations

import hashlib
import secrets
import zlib

import pytest

from journal.sync import Change, ChangeFileError, Stamp, decode, encode, sealer
from journal.sync.changefile import MAGIC
from journal.sync.sealing import NONCE_BYTES

DEVICE = "3f9a2c41"
NOTE = "Walked to the river with Marguerite; felt the fog lift"


def changes(n: int = 20) -> list[Change]:
    return [
        Change("notes", f"n-{i}", Stamp(1733150000000 + i, 0, DEVICE), {"id": f"n-{i}", "date": "2024-12-01", "text": f"{NOTE} ({i})"})
        for i in range(n)
    ]


def _recheck(data: bytes, payload: bytes) -> bytes:
    """The file with its payload replaced and its SHA-256 check made to match (what someone changing it on purpose would do)."""
    end = data.index(b"\n", len(MAGIC))
    header = data[len(MAGIC) : end].rsplit(b" ", 1)[0]
    check = hashlib.sha256(header + b"\n" + payload).hexdigest().encode()
    return MAGIC + header + b" " + check + b"\n" + payload


def _payload(data: bytes) -> bytes:
    return data[data.index(b"\n", len(MAGIC)) + 1 :]


def test_a_sealed_change_file_reads_back_with_the_same_key_on_another_computer():
    key = secrets.token_bytes(32)
    seal, _ = sealer(key)
    _, unseal_elsewhere = sealer(bytearray(key))  # the other computer unlocked the same data key
    data = encode(changes(), device=DEVICE, seal=seal)
    assert list(decode(data, unseal=unseal_elsewhere).changes) == changes()


def test_a_sealed_file_holds_no_note_text_nor_field_name_nor_the_compressed_text():
    seal, _ = sealer(secrets.token_bytes(32))
    data = encode(changes(), device=DEVICE, seal=seal)
    unpacked = []
    for start in range(len(data)):  # the payload is compressed before it is sealed: text could hide in a zlib stream
        try:
            unpacked.append(zlib.decompressobj().decompress(data[start:], 1 << 20))
        except zlib.error:
            continue
    readable = b"\n".join([data, *unpacked])
    for plain in (b"Marguerite", b"river", b'"text"', b"notes", b"device", b"2024-12-01", DEVICE.encode()):
        assert plain not in readable


def test_the_same_changes_sealed_twice_differ_a_fresh_nonce_each_time():
    seal, unseal = sealer(secrets.token_bytes(32))
    first, second = seal(b"the same words"), seal(b"the same words")
    assert first[:NONCE_BYTES] != second[:NONCE_BYTES] and first != second
    assert unseal(first) == unseal(second) == b"the same words"


def test_a_file_sealed_with_another_journals_key_is_refused_by_name():
    seal, _ = sealer(secrets.token_bytes(32))
    _, unseal = sealer(secrets.token_bytes(32))
    data = encode(changes(2), device=DEVICE, seal=seal)
    with pytest.raises(ChangeFileError, match="tj-x.tjsync cannot be opened with this journal's key"):
        decode(data, unseal=unseal, name="tj-x.tjsync")


@pytest.mark.parametrize("where", [0, NONCE_BYTES, -1])
def test_a_sealed_file_changed_on_purpose_check_and_all_is_refused(where):
    seal, unseal = sealer(secrets.token_bytes(32))
    data = encode(changes(2), device=DEVICE, seal=seal)
    payload = bytearray(_payload(data))
    payload[where] ^= 0x01
    with pytest.raises(ChangeFileError, match="cannot be opened with this journal's key"):
        unseal(bytes(payload))
    with pytest.raises(ChangeFileError, match="cannot be opened with this journal's key"):
        decode(_recheck(data, bytes(payload)), unseal=unseal)


@pytest.mark.parametrize("size", [0, 5, NONCE_BYTES + 15])
def test_a_sealed_payload_too_short_to_hold_a_nonce_and_tag_is_refused(size):
    _, unseal = sealer(secrets.token_bytes(32))
    with pytest.raises(ChangeFileError, match="cannot be opened with this journal's key"):
        unseal(b"\x00" * size)


def test_a_key_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        sealer(b"short")
