"""The key header: passphrase and recovery code open the journal's key; anything else fails at once and clearly."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import storage
from journal.errors import JournalError, WrongPassphraseError
from journal.safekeeping import keystore, rekey
from journal.safekeeping.keystore import KdfParams

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
    rekey.change_passphrase(journal_path, PASS, "a brand new passphrase", kdf=FAST)
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
        rekey.change_passphrase(journal_path, "not it at all", "a brand new passphrase", kdf=FAST)
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
    change = rekey.change_passphrase(journal_path, PASS, "a brand new passphrase", kdf=FAST)
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


# -- a damaged or tampered header -------------------------------------------------------------
#
# Every field is range-checked before Argon2 is asked for anything: the result is the right key,
# a WrongPassphraseError or a KeyFileError in plain words, never a traceback, never a cost
# beyond keystore.KDF_LIMITS, and the header is left as it was.

_MAX_MEMORY_KIB = keystore.KDF_LIMITS["memory_kib"][1]


@pytest.fixture
def argon2_asked(monkeypatch):
    """Every memory cost Argon2 is asked for; costs above 64 MiB are recorded but not computed."""
    asked = []
    real = keystore.hash_secret_raw

    def recording(**kw):
        asked.append((kw["time_cost"], kw["memory_cost"], kw["parallelism"]))
        if kw["memory_cost"] > 64 * 1024 or kw["time_cost"] > 3:
            return bytes(64)
        return real(**kw)

    monkeypatch.setattr(keystore, "hash_secret_raw", recording)
    return asked


def _slot(body, name="passphrase"):
    return body["slots"][name]


def _set(field, value, name="passphrase"):
    def tamper(body):
        _slot(body, name)[field] = value
    return tamper


def _delete(field):
    def tamper(body):
        del _slot(body)[field]
    return tamper


_TAMPERED = {
    "memory 1 TiB": _set("memory_kib", 2**30),
    "memory negative": _set("memory_kib", -1),
    "memory zero": _set("memory_kib", 0),
    "memory as text": _set("memory_kib", "65536"),
    "memory as a fraction": _set("memory_kib", 64.5),
    "memory huge integer": _set("memory_kib", 10**40),
    "memory infinite": _set("memory_kib", float("inf")),
    "time cost a billion": _set("time_cost", 10**9),
    "time cost zero": _set("time_cost", 0),
    "time cost true": _set("time_cost", True),
    "threads zero": _set("parallelism", 0),
    "threads 2**31": _set("parallelism", 2**31),
    "threads more than memory allows": _set("parallelism", 16),
    "unknown method": _set("kdf", "scrypt"),
    "salt not base64": _set("salt", "!!!not base64!!!"),
    "salt too short": _set("salt", base64.b64encode(b"1234").decode()),
    "salt a number": _set("salt", 12345),
    "nonce not ascii": _set("nonce", "ééééé"),
    "nonce missing": _delete("nonce"),
    "wrapped key too short": _set("wrapped", base64.b64encode(bytes(31)).decode()),
    "tag a list": _set("tag", [1, 2, 3]),
    "tag very long": _set("tag", "A" * 50_000),
    "extra field in entry": _set("note", "hello"),
    "entry is a list": lambda body: body["slots"].__setitem__("passphrase", [1, 2]),
    "entry is text": lambda body: body["slots"].__setitem__("passphrase", "secret"),
    "entries are a list": lambda body: body.__setitem__("slots", ["passphrase"]),
    "entries missing": lambda body: body.pop("slots"),
    "unknown entry": lambda body: body["slots"].__setitem__("backdoor", dict(_slot(body))),
    "no entries at all": lambda body: body.__setitem__("slots", {}),
    "key check a number": lambda body: body.__setitem__("key_check", 7),
    "key check missing": lambda body: body.pop("key_check"),
    "version as text": lambda body: body.__setitem__("version", "1"),
    "version true": lambda body: body.__setitem__("version", True),
    "version enormous": lambda body: body.__setitem__("version", 10**100),
    "unknown top-level part": lambda body: body.__setitem__("extra", {}),
    "change record malformed": lambda body: body.__setitem__("replacing", {"slots": 3}),
    "change record with a greedy entry": lambda body: body.__setitem__(
        "replacing", {"key_check": body["key_check"], "slots": {"passphrase": {**_slot(body), "memory_kib": 2**31}}, "carry": {}}
    ),
}


@pytest.mark.parametrize("tamper", list(_TAMPERED.values()), ids=list(_TAMPERED))
def test_a_tampered_header_gives_a_plain_message_and_asks_argon2_for_nothing_unbounded(journal_path, argon2_asked, tamper):
    key, _ = keystore.create_keys(journal_path, PASS, kdf=FAST)
    path = keystore.keyfile_path(journal_path)
    body = json.loads(path.read_text())
    tamper(body)
    path.write_text(json.dumps(body))
    before = path.read_bytes()
    argon2_asked.clear()
    for attempt in (lambda: keystore.unlock(journal_path, PASS), lambda: keystore.unlock_with_recovery_code(journal_path, "0" * 25),
                    lambda: keystore.has_recovery_code(journal_path), lambda: keystore.key_change_under_way(journal_path)):
        try:
            result = attempt()
        except (keystore.KeyFileError, WrongPassphraseError) as exc:
            words = str(exc)
            assert words and "Traceback" not in words
            for internal in ("memory_kib", "time_cost", "parallelism", "KeyError", "Type", "slot"):
                assert internal not in words, words
        else:
            assert result in (key, True, False)
    assert all(m <= _MAX_MEMORY_KIB and t <= 10 and p <= 16 for t, m, p in argon2_asked)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\xff\xfe\x00not utf-8", "cannot be read"),
        (b"[" * 100_000 + b"]" * 100_000, "far longer"),
        (b"[" * 20_000 + b"]" * 20_000, "cannot be read"),
        (b'{"format": "trial-journal-keys", "version": 1, "slots": {}, "pad": "' + b"x" * 70_000 + b'"}', "far longer"),
        (b"", "cannot be read"),
        (b"null", "not a Trial Journal key header"),
    ],
    ids=["not utf-8", "very deep and long", "deeply nested", "very long", "empty", "null"],
)
def test_a_header_that_is_not_readable_json_is_named(journal_path, content, words):
    keystore.keyfile_path(journal_path).write_bytes(content)
    with pytest.raises(keystore.KeyFileError, match=words):
        keystore.unlock(journal_path, PASS)


def test_a_header_that_is_a_folder_is_named(journal_path):
    keystore.keyfile_path(journal_path).mkdir()
    with pytest.raises(keystore.KeyFileError, match="is a folder"):
        keystore.unlock(journal_path, PASS)


def test_a_new_wrap_refuses_costs_outside_the_limits(journal_path):
    with pytest.raises(ValueError):
        keystore.create_keys(journal_path, PASS, kdf=KdfParams(time_cost=1, memory_kib=2**31, parallelism=1))
    assert not keystore.is_encrypted(journal_path)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _replace_at(value, path, new):
    if not path:
        return new
    value[path[0]] = _replace_at(value[path[0]], path[1:], new)
    return value


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_headers_never_give_a_traceback_or_an_unbounded_cost(tmp_path, argon2_asked, data):
    journal_path = tmp_path / "fuzzed.db"
    header = keystore.keyfile_path(journal_path)
    header.unlink(missing_ok=True)
    keystore.create_keys(journal_path, PASS, recovery_code=True, kdf=FAST)
    raw = header.read_bytes()
    how = data.draw(st.sampled_from(["field", "bytes"]))
    if how == "field":
        body = json.loads(raw)
        where = data.draw(st.sampled_from(list(_paths(body))))
        body = _replace_at(body, where, data.draw(_json_values))
        raw = json.dumps(body).encode()
    else:
        cut = data.draw(st.integers(0, len(raw)))
        raw = raw[:cut] + data.draw(st.binary(max_size=8)) + raw[cut + data.draw(st.integers(0, 8)):]
    header.write_bytes(raw)
    argon2_asked.clear()
    for attempt in (lambda: keystore.unlock(journal_path, PASS), lambda: keystore.unlock_with_recovery_code(journal_path, "0" * 25)):
        try:
            attempt()
        except (keystore.KeyFileError, WrongPassphraseError) as exc:
            assert str(exc)
    assert all(m <= _MAX_MEMORY_KIB and t <= 10 and p <= 16 for t, m, p in argon2_asked)
    assert header.read_bytes() == raw
