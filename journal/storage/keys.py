"""How a journal's raw 256-bit key reaches SQLCipher: through the driver's key calls, never as SQL text, and wiped after.

No `str` (which Python cannot wipe) and no `bytes` copy is made from a key: SQLCipher's raw-key
form is built in a bytearray, handed to the driver and zeroed as soon as the call returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["apply_key", "change_key", "attach_encrypted", "wipe_key"]

_HEX_DIGITS = b"0123456789abcdef"


def _key_literal(key: bytes | bytearray) -> bytearray:
    """SQLCipher's raw-key form `x'<64 hex digits>'`, built in a bytearray the caller zeroes.

    No `str` (which Python cannot wipe) and no `bytes` copy is made from the key: each digit
    is written into the bytearray one small integer at a time.
    """
    buf = bytearray(3 + 2 * len(key))
    buf[0], buf[1], buf[-1] = ord("x"), ord("'"), ord("'")
    for i, b in enumerate(key):
        buf[2 + 2 * i] = _HEX_DIGITS[b >> 4]
        buf[3 + 2 * i] = _HEX_DIGITS[b & 15]
    return buf


def _wipe(buf: bytearray) -> None:
    buf[:] = bytes(len(buf))


def wipe_key(key: bytes | bytearray | None) -> None:
    """Zero a key held in a bytearray (a `bytes` key cannot be zeroed; it is only dropped)."""
    if isinstance(key, bytearray):
        _wipe(key)


def apply_key(conn: Any, key: bytes | bytearray) -> None:
    """Key a fresh sqlcipher3 connection through the driver's raw key call (sqlite3_key), not a PRAGMA string."""
    literal = _key_literal(key)
    try:
        conn.set_key(literal)
    finally:
        _wipe(literal)


def change_key(conn: Any, new_key: bytes | bytearray) -> None:
    """Re-encrypt every page of the keyed connection's database under `new_key` (sqlite3_rekey), in one transaction."""
    literal = _key_literal(new_key)
    try:
        conn.reset_key(literal)
    finally:
        _wipe(literal)


def attach_encrypted(conn: Any, path: Path, alias: str, key: bytes | bytearray) -> None:
    """ATTACH the file at `path` as `alias`, encrypted with `key` (given as a bound value, never as SQL text)."""
    if not alias.isidentifier():
        raise ValueError("an attached database's name is a plain identifier")
    literal = _key_literal(key)
    try:
        conn.execute(f"ATTACH DATABASE ? AS {alias} KEY ?", (str(path), literal))
    finally:
        _wipe(literal)
