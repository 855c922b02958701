"""Sync of a journal with a passphrase: the second computer joins with the passphrase, edits travel both ways, and the folder holds no plaintext."""

from __future__ import annotations

import itertools
import json
import secrets
import zlib
from datetime import date

import pytest

from journal import records as r
from journal.errors import JournalError, WrongPassphraseError
from journal.exchange.jsonfile import record_to_json
from journal.opening import open_file, open_journal
from journal.safekeeping import keystore
from journal.safekeeping.folder_key import FOLDER_KEY_NAME
from journal.safekeeping.keystore import KdfParams
from journal.sync import encode, file_name, parse_file_name, parse_stamp, sealer, write_change_file
from journal.syncing import NEEDS_KEY, join_with_passphrase, sync

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "correct horse battery staple"
_TICKS = itertools.count(1_770_000_000_000)


def _now() -> float:
    return next(_TICKS) / 1000


def _note(text: str) -> r.Note:
    return r.Note(id="", date=date(2025, 1, 2), text=text)


def _texts(journal) -> list[str]:
    return sorted(n.text for n in journal.notes.list())


def _sync(access, folder):
    seal, unseal = access.sync_sealer()
    return sync(access.journal, folder, seal=seal, unseal=unseal, now=_now)


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "Sync"
    made.mkdir()
    return made


@pytest.fixture
def home(tmp_path):
    access = open_journal(tmp_path / "home" / "j.db", passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
    yield access
    access.close(backup=False)


def _join(tmp_path, folder, passphrase=PASS):
    access, outcome = join_with_passphrase(folder, tmp_path / "work" / "j.db", passphrase, now=_now)
    return access, outcome


def _uncompressed(data: bytes) -> list[bytes]:
    """Whatever zlib can unpack starting anywhere in `data`: a change file's payload is compressed, so text hides there unsealed."""
    found = []
    for start in range(len(data)):
        unpacker = zlib.decompressobj()
        try:
            found.append(unpacker.decompress(data[start:], 1 << 20))
        except zlib.error:
            continue
    return found


def _folder_bytes(folder) -> bytes:
    """Every file in the folder, and anything compressed inside one unpacked: what someone who finds the folder could read."""
    files = [path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()]
    return b"\n".join([*files, *(text for data in files for text in _uncompressed(data))])


def test_two_encrypted_journals_sync_adds_and_edits_both_ways_and_the_folder_holds_no_plaintext(tmp_path, folder, home):
    note = home.journal.notes.add(_note("Marguerite's lighthouse at dawn")).record
    home.journal.update_settings(adequate_weeks=8)
    _sync(home, folder)
    work, joined = _join(tmp_path, folder)
    try:
        assert joined.sent == 0 and joined.skipped == []
        assert _texts(work.journal) == ["Marguerite's lighthouse at dawn"] and work.journal.settings().adequate_weeks == 8
        work.journal.notes.update(r.replace(note, text="Marguerite's lighthouse, edited at work"))
        work.journal.notes.add(_note("Quillbrook walk after the session"))
        assert _sync(work, folder).sent == 2
        back = _sync(home, folder)
        assert back.received == 2 and back.skipped == []
        assert _texts(home.journal) == ["Marguerite's lighthouse, edited at work", "Quillbrook walk after the session"]
        home.journal.notes.update(r.replace(note, text="Marguerite's lighthouse, edited at home"))
        _sync(home, folder)
        assert _sync(work, folder).received == 1
        assert _texts(work.journal) == _texts(home.journal)
    finally:
        work.close(backup=False)
    everything = _folder_bytes(folder)
    assert len(list(folder.iterdir())) >= 4  # the key header and three change files
    for plain in (b"Marguerite", b"lighthouse", b"Quillbrook", b"edited at", b"2025-01-02", note.id.encode()):
        assert plain not in everything
    names = {*record_to_json(note), "kind", "stamp", "base", "data", "device", "changes", "adequate_weeks", "for_appointment"}
    manifests = sorted(folder.glob("tj-*.seen"))
    for manifest in manifests:  # plain by design: a computer's id and the names of the change files it has merged, nothing typed
        held = json.loads(manifest.read_text(encoding="utf-8"))
        assert set(held) == {"device", "seen"} and all(parse_file_name(name) is not None for name in held["seen"])
    others = [p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".seen"]
    sealed = b"\n".join([*others, *(text for data in others for text in _uncompressed(data))])
    for name in names:
        assert f'"{name}"'.encode() not in sealed, name
    assert len(manifests) == 2


def test_the_joined_journal_opens_later_with_the_same_passphrase_and_recovery_code(tmp_path, folder, home):
    home.journal.notes.add(_note("carried over"))
    _sync(home, folder)
    work, _ = _join(tmp_path, folder)
    work.close(backup=False)
    with open_journal(tmp_path / "work" / "j.db", passphrase=PASS) as again:
        assert _texts(again.journal) == ["carried over"]
    assert keystore.has_recovery_code(tmp_path / "work" / "j.db")


def test_the_folder_carries_the_wrapped_key_never_the_key_itself(folder, home):
    _sync(home, folder)
    header = (folder / FOLDER_KEY_NAME).read_bytes()
    assert header == keystore.keyfile_path(home.path).read_bytes()
    key = bytes(home._data_key())
    assert key not in header and key.hex().encode() not in header and PASS.encode() not in header


def test_a_wrong_passphrase_on_join_is_refused_and_nothing_is_made(tmp_path, folder, home):
    home.journal.notes.add(_note("not for strangers"))
    _sync(home, folder)
    with pytest.raises(WrongPassphraseError, match="does not open the journal in the sync folder"):
        _join(tmp_path, folder, passphrase="not the passphrase at all")
    made = tmp_path / "work" / "j.db"
    assert not made.exists() and not keystore.keyfile_path(made).exists()
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == []


def test_a_file_sealed_with_another_journals_key_is_skipped_by_name_and_nothing_of_it_merged(tmp_path, folder, home):
    home.journal.notes.add(_note("the real one"))
    _sync(home, folder)
    work, _ = _join(tmp_path, folder)
    try:
        stranger = record_to_json(r.Note(id="n-stranger", date=date(2025, 1, 3), text="planted"))
        from journal.sync import Change

        change = Change("notes", "n-stranger", parse_stamp("001770000000000000-0000-beefbeef"), stranger)
        seal, _ = sealer(secrets.token_bytes(32))
        name = file_name("beefbeef", change.stamp, change.stamp)
        write_change_file(folder, name, encode([change], device="beefbeef", seal=seal))
        outcome = _sync(work, folder)
        assert len(outcome.skipped) == 1 and name in outcome.skipped[0]
        assert "cannot be opened with this journal's key" in outcome.skipped[0]
        assert _texts(work.journal) == ["the real one"]
    finally:
        work.close(backup=False)


def test_a_folder_of_another_journal_with_a_passphrase_is_refused_by_name_and_nothing_written(tmp_path, folder, home):
    _sync(home, folder)
    before = sorted(p.name for p in folder.iterdir())
    with open_journal(tmp_path / "other" / "j.db", passphrase=PASS, create=True, kdf=FAST) as other:
        other.journal.notes.add(_note("another person's"))
        with pytest.raises(JournalError, match="belongs to another journal"):
            _sync(other, folder)
    assert sorted(p.name for p in folder.iterdir()) == before


def test_the_folder_header_is_rewritten_when_it_is_this_journals_and_changed(folder, home):
    _sync(home, folder)
    keystore.remove_recovery_code(home.path, home._data_key())
    _sync(home, folder)
    assert (folder / FOLDER_KEY_NAME).read_bytes() == keystore.keyfile_path(home.path).read_bytes()
    assert b"recovery" not in (folder / FOLDER_KEY_NAME).read_bytes()


def test_an_encrypted_journal_without_its_sealer_is_refused_and_nothing_reaches_the_folder(folder, home):
    home.journal.notes.add(_note("kept"))
    with pytest.raises(JournalError, match="has a passphrase"):
        sync(home.journal, folder, now=_now)
    assert NEEDS_KEY and list(folder.iterdir()) == []


def test_a_plain_journal_never_syncs_through_an_encrypted_journals_folder(tmp_path, folder, home):
    _sync(home, folder)
    with open_file(tmp_path / "plain" / "j.db") as plain:
        plain.notes.add(_note("in the clear"))
        with pytest.raises(JournalError, match="belongs to a journal with a passphrase"):
            sync(plain, folder, now=_now)
    with open_file(tmp_path / "new" / "j.db") as new, pytest.raises(JournalError, match="join it with its passphrase"):
        sync(new, folder, now=_now, joining=True)
    assert b"in the clear" not in _folder_bytes(folder)


def test_an_encrypted_journal_skips_a_plain_change_file_by_name(tmp_path, folder, home):
    with open_file(tmp_path / "plain" / "j.db") as plain:
        plain.notes.add(_note("in the clear"))
        sync(plain, folder, now=_now)
    (written,) = folder.glob("*.tjsync")
    outcome = _sync(home, folder)
    assert len(outcome.skipped) == 1 and written.name in outcome.skipped[0] and "not encrypted" in outcome.skipped[0]
    assert _texts(home.journal) == []


def test_joining_a_plain_journals_folder_with_a_passphrase_is_refused_and_nothing_is_made(tmp_path, folder):
    with open_file(tmp_path / "plain" / "j.db") as plain:
        plain.notes.add(_note("in the clear"))
        sync(plain, folder, now=_now)
    with pytest.raises(JournalError, match="has no passphrase"):
        _join(tmp_path, folder)
    assert not (tmp_path / "work" / "j.db").exists()


@pytest.mark.parametrize(
    ("contents", "says"),
    [
        (b"a holiday photo", "cannot be read: it is not the text Trial Journal wrote"),
        (b'{"format": "something else"}', "is not a Trial Journal key header"),
        (b'{"format": "trial-journal-keys", "version": 1, "key_check": "AAAAAAAAAAA=", "slots": {"passphrase": {}}}', "is damaged"),
    ],
)
def test_a_damaged_key_header_in_the_folder_is_refused_by_name_on_join_and_on_sync(tmp_path, folder, home, contents, says):
    home.journal.notes.add(_note("kept"))
    _sync(home, folder)
    (folder / FOLDER_KEY_NAME).write_bytes(contents)
    with pytest.raises(JournalError, match=says) as refused:
        _join(tmp_path, folder)
    assert FOLDER_KEY_NAME in str(refused.value) and not (tmp_path / "work" / "j.db").exists()
    with pytest.raises(JournalError, match=f"remove {FOLDER_KEY_NAME} from it and sync again"):
        _sync(home, folder)
    assert (folder / FOLDER_KEY_NAME).read_bytes() == contents  # a damaged header is never silently replaced


def test_a_header_written_in_the_middle_of_a_passphrase_change_is_not_joined(tmp_path):
    source = tmp_path / "a" / "j.db"
    source.parent.mkdir()
    key, _ = keystore.create_keys(source, PASS, kdf=FAST)
    keystore.begin_key_change(source, key, "a brand new passphrase", recovery_code=False, kdf=FAST)
    with pytest.raises(JournalError, match="middle of a passphrase change"):
        keystore.adopt_header(tmp_path / "b.db", keystore.keyfile_path(source).read_bytes(), PASS, name=FOLDER_KEY_NAME)
    assert not keystore.is_encrypted(tmp_path / "b.db")


def test_adopting_a_header_never_replaces_one_already_there(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    keystore.create_keys(first, PASS, kdf=FAST)
    keystore.create_keys(second, PASS, kdf=FAST)
    before = keystore.keyfile_path(second).read_bytes()
    with pytest.raises(JournalError, match="already"):
        keystore.adopt_header(second, keystore.keyfile_path(first).read_bytes(), PASS, name=FOLDER_KEY_NAME)
    assert keystore.keyfile_path(second).read_bytes() == before
