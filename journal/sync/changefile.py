"""One computer's change file in the sync folder: its checked, compressed, optionally sealed format and its name.

The bytes of a file:

    TJSYNC1\\n                           the magic: what the file is
    <format> <plain|sealed> <sha256>\\n   the format version, whether it is encrypted, and the
                                         SHA-256 (hex) of the line's first two words, a newline and
                                         the payload, so a damaged or truncated file is refused
    <payload>                            zlib-compressed JSON lines, passed through `seal` when sealed

The JSON lines: first {"device": ..., "changes": N} (with "snapshot": true in a compacted computer's
snapshot of every record it holds, which carries versions its readers have had already), then one line a change,
{"kind", "id", "stamp", "base", "data"} (stamps as text, data null for a deletion), and
"author" beside "data" when someone other than the journal's owner entered the record
(caregiver mode; a file without it says the owner did).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journal.errors import JournalError
from journal.files.atomic import atomic_write
from journal.sync.hlc import DEVICE_PATTERN, STAMP_PATTERN, Stamp, check_device, parse_stamp
from journal.sync.merge import Change

__all__ = [
    "ChangeFile",
    "ChangeFileError",
    "ChangeFileName",
    "encode",
    "decode",
    "file_name",
    "parse_file_name",
    "write_change_file",
    "MAGIC",
    "FORMAT",
    "SUFFIX",
]

MAGIC = b"TJSYNC1\n"
FORMAT = 1
SUFFIX = ".tjsync"
_MAX_HEADER = 200
_MAX_UNPACKED = 512 * 1024 * 1024  # far beyond any journal's changes; a "zip bomb" stops here


class ChangeFileError(JournalError):
    """A change file cannot be read: the message names what is wrong with it, and nothing of it is merged."""


@dataclass(frozen=True)
class ChangeFile:
    """What one change file holds: the computer that wrote it and its changes, in the order written.

    `snapshot`: the file is a snapshot a computer wrote when it compacted its older files (every
    record's winner as it held them), not changes of its own made since its last sync.
    """

    device: str
    changes: tuple[Change, ...]
    snapshot: bool = False


def _header(sealed: bool) -> bytes:
    return f"{FORMAT} {'sealed' if sealed else 'plain'}".encode("ascii")


def _check(header: bytes, payload: bytes) -> str:
    return hashlib.sha256(header + b"\n" + payload).hexdigest()


def _change_line(change: Change) -> dict[str, Any]:
    line = {
        "kind": change.kind,
        "id": change.record_id,
        "stamp": str(change.stamp),
        "base": None if change.base is None else str(change.base),
        "data": None if change.data is None else dict(change.data),
    }
    if change.author is not None:
        line["author"] = change.author
    return line


def _json_line(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def encode(changes: Sequence[Change], *, device: str, seal: Callable[[bytes], bytes] | None = None, snapshot: bool = False) -> bytes:
    """The bytes of a change file holding `changes`, written by `device`; sealed with `seal` (the journal key's encryption) if given.

    `snapshot` marks the file as a compacted computer's snapshot of every record (ChangeFile.snapshot).
    """
    check_device(device)
    first: dict[str, Any] = {"device": device, "changes": len(changes)}
    if snapshot:
        first["snapshot"] = True
    lines = [_json_line(first)]
    lines.extend(_json_line(_change_line(change)) for change in changes)
    payload = zlib.compress(b"".join(lines), 6)
    if seal is not None:
        payload = seal(payload)
    header = _header(seal is not None)
    return MAGIC + header + b" " + _check(header, payload).encode("ascii") + b"\n" + payload


def _named(name: str | None) -> str:
    return f"The change file {name}" if name else "This change file"


def _split(data: bytes, name: str | None) -> tuple[bytes, str, bytes]:
    """The header line's first two words, its check and the payload; a file that is not a change file at all is refused."""
    if not isinstance(data, bytes | bytearray) or not data.startswith(MAGIC):
        raise ChangeFileError(f"{_named(name)} is not a Trial Journal change file.")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    words = data[len(MAGIC) : end].split(b" ") if end >= 0 else []
    if len(words) != 3 or not words[0].isdigit():
        raise ChangeFileError(f"{_named(name)} is damaged: its header is cut short or garbled.")
    if int(words[0]) > FORMAT:
        raise ChangeFileError(
            f"{_named(name)} was written by a newer version of Trial Journal (format {int(words[0])}; this one reads {FORMAT}). "
            "Update Trial Journal on this computer to read it."
        )
    if int(words[0]) != FORMAT or words[1] not in (b"plain", b"sealed"):
        raise ChangeFileError(f"{_named(name)} is damaged: its header is garbled.")
    return words[0] + b" " + words[1], words[2].decode("ascii", "replace"), bytes(data[end + 1 :])


def _unpack(payload: bytes, name: str | None) -> bytes:
    unpacker = zlib.decompressobj()
    try:
        text = unpacker.decompress(payload, _MAX_UNPACKED)
    except zlib.error:
        raise ChangeFileError(f"{_named(name)} is damaged: its contents cannot be uncompressed.") from None
    if unpacker.unconsumed_tail:
        raise ChangeFileError(f"{_named(name)} is too large to be a journal's changes (over {_MAX_UNPACKED // 2**20} MiB uncompressed).")
    if not unpacker.eof:
        raise ChangeFileError(f"{_named(name)} is damaged: its contents end too early.")
    return text


def decode(data: bytes, *, unseal: Callable[[bytes], bytes] | None = None, name: str | None = None) -> ChangeFile:
    """The changes a change file holds; a foreign, damaged, truncated, newer or unopenable file is refused with a message naming why.

    Give `unseal` when the journal has a passphrase: a sealed file is opened with it, and a
    plain file is refused (an encrypted journal's computers only write sealed ones). `name`,
    if given, is the file's name, for the messages.
    """
    header, check, payload = _split(data, name)
    if check != _check(header, payload):
        raise ChangeFileError(f"{_named(name)} is damaged: its check does not match (it was cut short or changed after it was written).")
    sealed = header.endswith(b"sealed")
    if sealed and unseal is None:
        raise ChangeFileError(f"{_named(name)} is encrypted: open the journal with its passphrase to read it.")
    if not sealed and unseal is not None:
        raise ChangeFileError(f"{_named(name)} is not encrypted, but this journal is: it was not written by this journal's computers.")
    if unseal is not None:
        try:
            payload = unseal(payload)
        except Exception:
            raise ChangeFileError(f"{_named(name)} cannot be opened with this journal's key: it belongs to another journal.") from None
    return _parse_lines(_unpack(payload, name), name)


def _parse_lines(text: bytes, name: str | None) -> ChangeFile:
    """The device and changes of the JSON lines; a line that breaks the format is named by its number."""
    lines = text.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise ChangeFileError(f"{_named(name)} is damaged: it holds nothing, not even the computer that wrote it.")
    first = _line_object(lines[0], 1, name)
    device, count = first.get("device"), first.get("changes")
    try:
        check_device(device)
    except JournalError as exc:
        raise ChangeFileError(f"{_named(name)}, line 1: {exc}") from None
    snapshot = first.get("snapshot", False)
    if not isinstance(snapshot, bool):
        raise ChangeFileError(f"{_named(name)}, line 1: 'snapshot' is {snapshot!r}, where true or false belongs.")
    if count != len(lines) - 1:
        raise ChangeFileError(f"{_named(name)}, line 1: it says it holds {count!r} changes, but {len(lines) - 1} follow.")
    changes = tuple(_change(_line_object(line, number, name), number, name) for number, line in enumerate(lines[1:], start=2))
    return ChangeFile(str(device), changes, snapshot)


def _line_object(line: bytes, number: int, name: str | None) -> dict[str, Any]:
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ChangeFileError(f"{_named(name)}, line {number}, column {exc.start + 1}: not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise ChangeFileError(f"{_named(name)}, line {number}, column {exc.colno}: {exc.msg}.") from None
    if not isinstance(value, dict):
        raise ChangeFileError(f"{_named(name)}, line {number}: a change is a JSON object, not {type(value).__name__}.")
    return value


def _change(value: dict[str, Any], number: int, name: str | None) -> Change:
    missing = [k for k in ("kind", "id", "stamp", "base", "data") if k not in value]
    if missing:
        raise ChangeFileError(f"{_named(name)}, line {number}: the change has no {', '.join(repr(k) for k in missing)}.")
    try:
        base = None if value["base"] is None else parse_stamp(value["base"])
        return Change(value["kind"], value["id"], parse_stamp(value["stamp"]), value["data"], base, value.get("author"))
    except JournalError as exc:
        raise ChangeFileError(f"{_named(name)}, line {number}: {exc}") from None


@dataclass(frozen=True)
class ChangeFileName:
    """What a change file's name says: who wrote it, its first and last stamps, and whether a sync tool made it as a conflict copy."""

    device: str
    first: Stamp
    last: Stamp
    conflict_copy: bool


def file_name(device: str, first: Stamp, last: Stamp) -> str:
    """The name of `device`'s change file holding the stamps from `first` to `last`, e.g. 'tj-3f9a2c41-<first>-<last>.tjsync'."""
    check_device(device)
    if last < first:
        raise JournalError(f"A change file's last stamp {last} comes before its first {first}.")
    return f"tj-{device}-{first}-{last}{SUFFIX}"


# What sync tools add when two computers wrote the same name, before the file's suffix:
# Syncthing ".sync-conflict-20241201-101010-ABCDEFG", Dropbox " (Mary's conflicted copy 2024-12-01)",
# Nextcloud " (conflicted copy 2024-12-01 101010)", and a copy's " (1)" or "(1)".
_CONFLICT = r"\.sync-conflict-[0-9A-Za-z-]+|\s?\([^()/\\]*conflicted copy[^()/\\]*\)|\s?\(\d{1,3}\)"
_NAME = re.compile(
    rf"tj-(?P<device>{DEVICE_PATTERN})-(?P<first>{STAMP_PATTERN})-(?P<last>{STAMP_PATTERN})(?P<copy>(?:{_CONFLICT})?){re.escape(SUFFIX)}"
)


def parse_file_name(name: str) -> ChangeFileName | None:
    """What a file name in the sync folder says, if it names a change file or a sync tool's conflict copy of one; else None."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    first, last = parse_stamp(found.group("first")), parse_stamp(found.group("last"))
    if last < first:
        return None
    return ChangeFileName(found.group("device"), first, last, bool(found.group("copy")))


def write_change_file(folder: str | os.PathLike[str], name: str, data: bytes) -> Path:
    """Write a change file into the sync folder whole: under a temporary name, then renamed: a sync tool never carries half of it."""
    parsed = parse_file_name(name)
    if parsed is None or parsed.conflict_copy:
        raise JournalError(f"{name!r} is not a change file's name (file_name() makes one).")
    return atomic_write(Path(folder) / name, data)
