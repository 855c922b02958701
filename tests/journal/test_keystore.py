"""The key header: passphrase and recovery code open the journal's key; anything else fails at once and clearly."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import unicodedata

import pytest

from journal import keystore, storage
from journal.errors import JournalError, WrongPassphraseError
from journal.keystore import KdfParams

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)  # the real cost is tested once below
PASS = "correct horse battery staple"


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "journal.db"


def test_the_passphrase_opens_the_key_it_made(journal_path):
    key, code = keystore.create_keys(journal_path, PASS, kdf=FAST)
    assert len(key) == 32 and code is None
    assert keystore.is_encrypted(journal_path)
    assert keystore.unlock(journal_path, PASS) == key


def test_the_default_cost_is_argon2id_rfc9106_low_memory(journal_path):
    key, _ = keystore.create_keys(journal_path, PASS)
    slot = json.loads(keystore.keyfile_path(journal_path).read_text())["slots"]["passphrase"]
    assert (slot["kdf"], slot["time_cost"], slot["memory_kib"], slot["parallelism"]) == ("argon2id", 3, 65536, 4)
    assert keystore.unlock(journal_path, PASS) == key


def test_a_wrong_passphrase_fails_clearly_and_changes_nothing(journal_path):
    keystore.create_keys(journal_path, PASS, kdf=FAST)
    header = keystore.keyfile_path(journal_path).read_bytes()
    for wrong in ("correct horse battery stapler", PASS.upper(), PASS + " ", ""):
        with pytest.raises(WrongPassphraseError, match="does not open this journal"):
            keystore.unlock(journal_path, wrong)
    assert keystore.keyfile_path(journal_path).read_bytes() == header
    assert keystore.unlock(journal_path, PASS)  # many wrong attempts wipe nothing


def test_the_header_holds_neither_the_key_nor_the_passphrase_and_is_private(journal_path):
    key, code = keystore.create_keys(journal_path, PASS, recovery_code=True, kdf=FAST)
    path = keystore.keyfile_path(journal_path)
    raw = path.read_bytes()
    for secret in (key, key.hex().encode(), base64.b64encode(key), PASS.encode(), code.encode(),
                   keystore.normalise_recovery_code(code).encode()):
        assert secret not in raw
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _made_journal(journal_path, *, recovery_code=False):
    """A real (closed) encrypted journal: a key change re-encrypts the file, so it needs one."""
    from journal.opening import open_journal

    access = open_journal(journal_path, passphrase=PASS, create=True, with_recovery_code=recovery_code, kdf=FAST)
    code = access.recovery_code
    access.close(backup=False)
    return bytes(keystore.unlock(journal_path, PASS)), code


def test_a_new_passphrase_replaces_the_old_and_changes_the_data_key(journal_path):
    # Deliberately changed (issue 9): the key used to stay the same, so a copy of the old header
    # beside an old backup opened today's journal with the old passphrase.
    key, _ = _made_journal(journal_path)
    old_header = keystore.keyfile_path(journal_path).read_bytes()
    keystore.change_passphrase(journal_path, PASS, "a brand new passphrase", kdf=FAST)
    new_key = keystore.unlock(journal_path, "a brand new passphrase")
    assert new_key != key
    assert storage.opens_with(journal_path, new_key) and not storage.opens_with(journal_path, key)
    with pytest.raises(WrongPassphraseError):
        keystore.unlock(journal_path, PASS)
    # A copy of the old header still unwraps the old key, but that key opens nothing any more.
    old_copy = journal_path.with_name("old.db")
    keystore.keyfile_path(old_copy).write_bytes(old_header)
    assert keystore.unlock(old_copy, PASS) == key
    assert not storage.opens_with(journal_path, keystore.unlock(old_copy, PASS))


def test_changing_the_passphrase_needs_the_current_one(journal_path):
    keystore.create_keys(journal_path, PASS, kdf=FAST)
    with pytest.raises(WrongPassphraseError):
        keystore.change_passphrase(journal_path, "not it at all", "a brand new passphrase", kdf=FAST)
    assert keystore.unlock(journal_path, PASS)


def test_a_header_is_never_rewritten_for_a_key_that_is_not_the_journals(journal_path):
    keystore.create_keys(journal_path, PASS, kdf=FAST)
    with pytest.raises(WrongPassphraseError, match="does not belong"):
        keystore.set_passphrase(journal_path, os.urandom(32), "a brand new passphrase", kdf=FAST)
    assert keystore.unlock(journal_path, PASS)


def test_the_recovery_code_opens_the_key_however_it_is_typed(journal_path):
    key, code = keystore.create_keys(journal_path, PASS, recovery_code=True, kdf=FAST)
    groups = code.split("-")
    assert len(groups) == 5 and all(len(g) == 5 for g in groups)
    assert keystore.has_recovery_code(journal_path)
    assert keystore.unlock_with_recovery_code(journal_path, code) == key
    assert keystore.unlock_with_recovery_code(journal_path, " ".join(groups).lower()) == key
    typo = ("1" if code[0] != "1" else "2") + code[1:]
    with pytest.raises(WrongPassphraseError, match="recovery code does not open"):
        keystore.unlock_with_recovery_code(journal_path, typo)


def test_a_passphrase_change_replaces_the_recovery_code_and_the_header_can_replace_or_remove_it(journal_path):
    # Deliberately changed (issue 9): the old code used to go on working after a passphrase change,
    # but the new key is never wrapped under it, so a new code is made and shown instead.
    _, code = _made_journal(journal_path, recovery_code=True)
    change = keystore.change_passphrase(journal_path, PASS, "a brand new passphrase", kdf=FAST)
    assert change.recovery_code and change.recovery_code != code
    with pytest.raises(WrongPassphraseError):
        keystore.unlock_with_recovery_code(journal_path, code)
    key = keystore.unlock_with_recovery_code(journal_path, change.recovery_code)
    assert key == keystore.unlock(journal_path, "a brand new passphrase")
    new_code = keystore.add_recovery_code(journal_path, key, kdf=FAST)
    assert new_code != change.recovery_code
    with pytest.raises(WrongPassphraseError):
        keystore.unlock_with_recovery_code(journal_path, change.recovery_code)
    keystore.remove_recovery_code(journal_path, key)
    assert not keystore.has_recovery_code(journal_path)
    with pytest.raises(WrongPassphraseError, match="no recovery code"):
        keystore.unlock_with_recovery_code(journal_path, new_code)
    assert keystore.unlock(journal_path, "a brand new passphrase") == key


def test_a_passphrase_typed_in_another_unicode_form_still_opens(journal_path):
    composed = unicodedata.normalize("NFC", "crème brûlée au café")
    keystore.create_keys(journal_path, composed, kdf=FAST)
    assert keystore.unlock(journal_path, unicodedata.normalize("NFD", composed))


def test_an_existing_header_is_never_overwritten(journal_path):
    key, _ = keystore.create_keys(journal_path, PASS, kdf=FAST)
    with pytest.raises(keystore.KeyFileError, match="already has a passphrase"):
        keystore.create_keys(journal_path, "another passphrase", kdf=FAST)
    assert keystore.unlock(journal_path, PASS) == key


@pytest.mark.parametrize("weak, words", [("", "empty"), ("short", "shorter than 8"), (" padded pass", "space")])
def test_a_weak_new_passphrase_is_refused_with_a_reason(journal_path, weak, words):
    assert words in keystore.passphrase_problems(weak)[0]
    with pytest.raises(JournalError, match=words):
        keystore.create_keys(journal_path, weak, kdf=FAST)
    assert not keystore.is_encrypted(journal_path)


def test_a_missing_or_damaged_header_is_named(journal_path):
    with pytest.raises(keystore.KeyFileError, match="missing"):
        keystore.unlock(journal_path, PASS)
    keystore.keyfile_path(journal_path).write_text("{not json")
    with pytest.raises(keystore.KeyFileError, match="cannot be read"):
        keystore.unlock(journal_path, PASS)
    keystore.keyfile_path(journal_path).write_text(json.dumps({"format": "trial-journal-keys", "version": 9, "slots": {}}))
    with pytest.raises(keystore.KeyFileError, match="newer version"):
        keystore.unlock(journal_path, PASS)


def test_a_tampered_header_does_not_open(journal_path):
    keystore.create_keys(journal_path, PASS, kdf=FAST)
    path = keystore.keyfile_path(journal_path)
    body = json.loads(path.read_text())
    wrapped = bytearray(base64.b64decode(body["slots"]["passphrase"]["wrapped"]))
    wrapped[0] ^= 1
    body["slots"]["passphrase"]["wrapped"] = base64.b64encode(bytes(wrapped)).decode()
    path.write_text(json.dumps(body))
    with pytest.raises(WrongPassphraseError):
        keystore.unlock(journal_path, PASS)


def test_the_passphrase_file_gives_its_first_line_without_the_line_ending(tmp_path):
    f = tmp_path / "pass.txt"
    f.write_bytes(b"my passphrase with spaces \r\nsecond line\n")
    assert keystore.read_passphrase(f) == "my passphrase with spaces "
    assert keystore.read_passphrase("-", stdin=io.StringIO("from standard input\n")) == "from standard input"


@pytest.mark.parametrize("content, words", [(None, "does not exist"), (b"\n", "first line is empty"), (b"", "first line is empty"),
                                            (b"\xff\xfe\x00", "not UTF-8")])
def test_a_passphrase_file_that_gives_no_passphrase_is_named(tmp_path, content, words):
    f = tmp_path / "pass.txt"
    if content is not None:
        f.write_bytes(content)
    with pytest.raises(JournalError, match=words):
        keystore.read_passphrase(f)
    with pytest.raises(JournalError, match="standard input"):
        keystore.read_passphrase("-", stdin=io.StringIO(""))
