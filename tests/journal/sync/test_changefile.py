"""A computer's change file: it reads back whole, is smaller than its JSON, and a damaged, foreign, newer or locked one is refused by name."""

from __future__ import annotations

import json
import zlib

import pytest

from journal.sync import Change, ChangeFileError, Stamp, decode, encode, file_name, parse_file_name, write_change_file
from journal.sync.changefile import MAGIC

DEVICE = "3f9a2c41"
NOTE = "Walked to the river with Marguerite; felt the fog lift"


def changes(n: int = 40) -> list[Change]:
    made = [
        Change("notes", f"n-{i}", Stamp(1733150000000 + i, i % 3, DEVICE), {"id": f"n-{i}", "date": "2024-12-01", "text": f"{NOTE} ({i})"})
        for i in range(n)
    ]
    made.append(Change("notes", "n-0", Stamp(1733150009999, 0, DEVICE), None, base=made[0].stamp))
    made.append(Change("settings", "settings", Stamp(1733150010000, 0, "beef"), {"week_starts": "monday"}))
    return made


def toy_seal(data: bytes) -> bytes:
    """A stand-in for the journal key's encryption: reversible, and leaves no plaintext (or compressed text) readable."""
    return b"SEALED" + bytes(b ^ 0x5A for b in data)


def toy_unseal(data: bytes) -> bytes:
    if not data.startswith(b"SEALED"):
        raise ValueError("wrong key")
    return bytes(b ^ 0x5A for b in data[6:])


def test_a_change_file_reads_back_exactly():
    made = changes()
    read = decode(encode(made, device=DEVICE))
    assert read.device == DEVICE and list(read.changes) == made
    assert read.changes[-2].deleted and read.changes[-2].base == made[0].stamp


def test_an_empty_change_file_reads_back_empty():
    assert decode(encode([], device=DEVICE)).changes == ()


def test_a_change_file_is_compressed_smaller_than_its_json():
    made = changes()
    as_json = "\n".join(json.dumps({"stamp": str(c.stamp), "data": c.data}) for c in made).encode()
    data = encode(made, device=DEVICE)
    assert data.startswith(MAGIC)
    assert len(data) < len(as_json) / 2
    assert NOTE.encode() not in data


def test_a_truncated_file_is_refused_as_damaged():
    data = encode(changes(), device=DEVICE)
    for size in (len(data) - 1, len(data) // 2, len(MAGIC) + 70):
        with pytest.raises(ChangeFileError, match="damaged"):
            decode(data[:size], name="tj-x.tjsync")


def test_a_flipped_byte_anywhere_after_the_magic_is_refused_as_damaged():
    data = encode(changes(5), device=DEVICE)
    for at in range(len(MAGIC) + 2, len(data), 7):
        flipped = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
        with pytest.raises(ChangeFileError, match="damaged"):
            decode(flipped)
    body = data.index(b"\n", len(MAGIC)) + 1
    with pytest.raises(ChangeFileError, match="damaged: its check does not match"):
        decode(data[:body] + bytes([data[body] ^ 0x01]) + data[body + 1 :])


@pytest.mark.parametrize("data", [b"", b"hello", b"SQLite format 3\x00" + bytes(100), json.dumps({"trials": []}).encode(), b"TJSYNC2\n1 plain ab\n"])
def test_a_foreign_file_is_refused_by_name(data):
    with pytest.raises(ChangeFileError, match="The change file notes.txt is not a Trial Journal change file"):
        decode(data, name="notes.txt")


def test_a_file_from_a_newer_version_is_refused_with_what_to_do():
    data = encode(changes(2), device=DEVICE)
    newer = MAGIC + b"2" + data[len(MAGIC) + 1 :]
    with pytest.raises(ChangeFileError, match="written by a newer version of Trial Journal .format 2; this one reads 1.. Update"):
        decode(newer)


def test_a_sealed_file_needs_the_passphrase_and_holds_no_plaintext():
    data = encode(changes(), device=DEVICE, seal=toy_seal)
    assert NOTE.encode() not in data and b"Marguerite" not in data
    assert zlib.compress(NOTE.encode()) not in data
    with pytest.raises(ChangeFileError, match="is encrypted: open the journal with its passphrase"):
        decode(data)
    assert list(decode(data, unseal=toy_unseal).changes) == changes()


def test_a_sealed_file_that_the_key_cannot_open_is_refused():
    data = encode(changes(2), device=DEVICE, seal=lambda b: b"OTHER" + b)
    with pytest.raises(ChangeFileError, match="cannot be opened with this journal's key"):
        decode(data, unseal=toy_unseal)


def test_an_encrypted_journal_refuses_a_plain_file():
    with pytest.raises(ChangeFileError, match="not encrypted, but this journal is"):
        decode(encode(changes(2), device=DEVICE), unseal=toy_unseal)


def test_who_entered_a_record_reads_back_beside_its_data_and_the_owners_records_carry_no_author():
    made = [*changes(3), Change("notes", "n-9", Stamp(1733150020000, 0, DEVICE), {"id": "n-9", "text": "from Mum"}, author="Mum")]
    read = decode(encode(made, device=DEVICE))
    assert [c.author for c in read.changes] == [None, None, None, None, None, "Mum"]
    lines = zlib.decompress(encode(made, device=DEVICE)[len(MAGIC) :].split(b"\n", 1)[1]).splitlines()
    assert json.loads(lines[-1])["author"] == "Mum" and "author" not in json.loads(lines[1])


def _rewrap(lines: list[bytes]) -> bytes:
    """A change file whose check matches but whose lines are as given (what a faulty writer might make)."""
    from journal.sync.changefile import _check, _header

    payload = zlib.compress(b"\n".join(lines) + b"\n")
    return MAGIC + _header(False) + b" " + _check(_header(False), payload).encode() + b"\n" + payload


def test_a_snapshot_says_so_and_an_ordinary_file_does_not():
    made = changes(3)
    assert decode(encode(made, device=DEVICE, snapshot=True)).snapshot is True
    read = decode(encode(made, device=DEVICE))
    assert read.snapshot is False and list(read.changes) == made


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ([b'{"device": "3f9a2c41", "changes": 2}', b"{}"], "line 1: it says it holds 2 changes, but 1 follow"),
        ([b'{"device": "Laptop", "changes": 0}'], "line 1: 'Laptop' is not a computer's id"),
        ([b'{"device": "3f9a2c41", "changes": 1}', b'{"kind": "notes", "id": "n-1"'], "line 2, column 30: Expecting .,. delimiter"),
        ([b'{"device": "3f9a2c41", "changes": 1}', b'{"kind": "notes", "id": "n-1", "stamp": "yesterday", "base": null, "data": null}'],
         "line 2: 'yesterday' is not a change stamp"),
        ([b'{"device": "3f9a2c41", "changes": 1}', b'{"kind": "notes", "id": "n-1"}'], "line 2: the change has no 'stamp', 'base', 'data'"),
        ([b'{"device": "3f9a2c41", "changes": 1}', b"[1, 2]"], "line 2: a change is a JSON object, not list"),
        ([b'{"device": "3f9a2c41", "changes": 1}',
          b'{"kind": "notes", "id": "n-1", "stamp": "000001733150000000-0000-3f9a2c41", "base": null, "data": {}, "author": 7}'],
         "line 2: A change's author must be a name"),
        ([b'{"device": "3f9a2c41", "changes": 0, "snapshot": "yes"}'], "line 1: 'snapshot' is 'yes', where true or false belongs"),
    ],
)
def test_a_line_that_breaks_the_format_is_named_by_its_number(lines, words):
    with pytest.raises(ChangeFileError, match=words.replace("(", r"\(")):
        decode(_rewrap(lines))


FIRST, LAST = Stamp(1733150000123, 7, DEVICE), Stamp(1733150999000, 0, DEVICE)


def test_a_file_name_says_who_wrote_it_and_which_stamps_it_holds():
    name = file_name(DEVICE, FIRST, LAST)
    assert name == "tj-3f9a2c41-000001733150000123-0007-3f9a2c41-000001733150999000-0000-3f9a2c41.tjsync"
    parsed = parse_file_name(name)
    assert parsed is not None and (parsed.device, parsed.first, parsed.last, parsed.conflict_copy) == (DEVICE, FIRST, LAST, False)


@pytest.mark.parametrize(
    "suffix",
    [".sync-conflict-20241201-101010-ABCDEFG", " (conflicted copy)", " (Mary's conflicted copy 2024-12-01)",
     " (conflicted copy 2024-12-01 101010)", "(1)", " (2)"],
)
def test_a_sync_tools_conflict_copy_is_read_as_a_change_file(suffix):
    stem = file_name(DEVICE, FIRST, LAST)[: -len(".tjsync")]
    parsed = parse_file_name(stem + suffix + ".tjsync")
    assert parsed is not None and parsed.conflict_copy and (parsed.device, parsed.first, parsed.last) == (DEVICE, FIRST, LAST)


@pytest.mark.parametrize(
    "name",
    ["notes.txt", "journal.db", "tj-3f9a2c41.tjsync", ".tj-3f9a2c41-x.tjsync.abc123.part", "TJ-3F9A2C41-1-2.tjsync",
     file_name(DEVICE, FIRST, LAST) + ".part", "." + file_name(DEVICE, FIRST, LAST) + ".k2j3.part",
     file_name(DEVICE, FIRST, LAST).replace(str(FIRST), "x" * 10), file_name(DEVICE, FIRST, LAST).replace(".tjsync", " copy.tjsync")],
)
def test_any_other_file_in_the_folder_is_not_taken_for_a_change_file(name):
    assert parse_file_name(name) is None


def test_a_name_whose_stamps_run_backwards_is_not_a_change_file():
    assert parse_file_name(f"tj-{DEVICE}-{LAST}-{FIRST}.tjsync") is None


def test_a_change_file_is_written_whole_and_reads_back(tmp_path):
    name = file_name(DEVICE, FIRST, LAST)
    data = encode(changes(3), device=DEVICE)
    path = write_change_file(tmp_path, name, data)
    assert path == tmp_path / name and path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind
    assert path.stat().st_mode & 0o077 == 0


def test_only_a_change_files_own_name_is_written(tmp_path):
    from journal.errors import JournalError

    with pytest.raises(JournalError, match="not a change file's name"):
        write_change_file(tmp_path, "notes.txt", b"x")
    assert list(tmp_path.iterdir()) == []
