"""A passphrase change changes the key: the old passphrase opens nothing afterwards, and a crash at any step leaves a journal that opens."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest

from journal import storage
from journal.errors import JournalError, WrongPassphraseError
from journal.opening import open_journal
from journal.records import Note
from journal.safekeeping import backups, keystore
from journal.safekeeping.keystore import KdfParams

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
OLD = "the old long passphrase"
NEW = "the new long passphrase"


def _texts(journal) -> list[str]:
    return sorted(n.text for n in journal.notes.list())


def _everything_old_could_open(path):
    """Every file beside the journal or in its backups folder the old passphrase might open, with its header."""
    return [path, *(b.path for b in backups.list_backups(path))]


def _old_passphrase_opens_nothing(path):
    for where in _everything_old_could_open(path):
        try:
            key = keystore.unlock(where, OLD)
        except WrongPassphraseError:
            continue
        assert not storage.opens_with(where, key), f"{where.name} still opens with the old passphrase"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "profile" / "journal.db"


def test_after_a_change_the_old_passphrase_and_old_code_open_nothing_not_even_an_old_header_copy(path, tmp_path):
    access = open_journal(path, passphrase=OLD, create=True, with_recovery_code=True, kdf=FAST)
    old_code = access.recovery_code
    access.journal.notes.add(Note("", date(2025, 3, 1), "today's entry"))
    access.backup()
    old_header = keystore.keyfile_path(path).read_bytes()
    change = access.change_passphrase(OLD, NEW)
    access.close(backup=False)
    _old_passphrase_opens_nothing(path)
    for where in _everything_old_could_open(path):
        with pytest.raises(WrongPassphraseError):
            keystore.unlock_with_recovery_code(where, old_code)
        assert storage.opens_with(where, keystore.unlock_with_recovery_code(where, change.recovery_code))
    # Someone kept a copy of the old header: it unwraps the old key, which opens nothing any more.
    stolen = tmp_path / "stolen.db"
    keystore.keyfile_path(stolen).write_bytes(old_header)
    old_key = keystore.unlock(stolen, OLD)
    assert not any(storage.opens_with(where, old_key) for where in _everything_old_could_open(path))
    with open_journal(path, passphrase=NEW) as again:
        assert _texts(again.journal) == ["today's entry"]


def test_a_backup_under_another_key_is_left_as_it_is_and_counted(path, tmp_path):
    other = open_journal(tmp_path / "other" / "journal.db", passphrase=OLD, create=True, kdf=FAST)
    stranger = other.backup()
    other.close(backup=False)
    access = open_journal(path, passphrase=OLD, create=True, kdf=FAST)
    folder = backups.backups_dir(path)
    moved = folder / stranger.path.name  # same journal name, so it is listed among this journal's backups
    os.makedirs(folder, exist_ok=True)
    os.replace(stranger.path, moved)
    os.replace(keystore.keyfile_path(stranger.path), keystore.keyfile_path(moved))
    change = access.change_passphrase(OLD, NEW)
    access.close(backup=False)
    assert change.backups_left == 1 and change.backups_reencrypted == 1
    assert "left as they are" in change.backup_words()


def test_a_failure_before_the_journal_is_re_encrypted_leaves_everything_as_it_was(path, monkeypatch):
    access = open_journal(path, passphrase=OLD, create=True, kdf=FAST)
    access.journal.notes.add(Note("", date(2025, 3, 1), "entry"))
    header = keystore.keyfile_path(path).read_bytes()

    def full_disk(conn, key):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "change_key", full_disk)
    with pytest.raises(JournalError, match="disk is full"):
        access.change_passphrase(OLD, NEW)
    assert keystore.keyfile_path(path).read_bytes() == header
    assert _texts(access.journal) == ["entry"]  # open again, as it was
    access.close(backup=False)
    with open_journal(path, passphrase=OLD) as again:
        assert _texts(again.journal) == ["entry"]


_KILL_AT = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import date
    from journal.safekeeping import rekey
    from journal.safekeeping.keystore import KdfParams
    from journal.opening import open_journal
    from journal.records import Note

    path, step = sys.argv[1], sys.argv[2]
    access = open_journal(path, passphrase=%(old)r, create=True, with_recovery_code=True, kdf=KdfParams(1, 64, 1))
    access.journal.notes.add(Note("", date(2025, 3, 1), "written before the change"))
    access.backup("manual")
    def crash(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)
    rekey._step = crash
    access.change_passphrase(%(old)r, %(new)r)
    print("not killed")
    """
) % {"old": OLD, "new": NEW}

_STEPS = ["header written", "journal rekeyed, log not yet folded in", "journal re-encrypted", "backup re-encrypted", "finished"]


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("first", ["old", "new"])
@pytest.mark.parametrize("step", _STEPS)
def test_a_kill_at_any_step_of_a_change_leaves_a_journal_that_opens_with_the_old_or_the_new_passphrase(path, step, first):
    path.parent.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-c", _KILL_AT, str(path), step], capture_output=True, text=True, env=env)
    assert run.returncode == -9, run.stderr
    rekeyed = step != "header written"  # from the rekey on, the journal holds the new key
    opened = []
    for passphrase in ([OLD, NEW] if first == "old" else [NEW, OLD]):
        try:
            access = open_journal(path, passphrase=passphrase)
        except WrongPassphraseError as exc:
            opened.append((passphrase, str(exc)))
            continue
        with access:
            assert _texts(access.journal) == ["written before the change"]
        opened.append((passphrase, "opened"))
    results = dict(opened)
    assert "opened" in results.values()  # never neither
    if first == "new" or rekeyed:
        # The new passphrase finishes the change: from then on the old one opens nothing.
        assert results[NEW] == "opened"
        assert results[OLD] != "opened"
        _old_passphrase_opens_nothing(path)
        assert not keystore.key_change_under_way(path)
        if rekeyed and first == "old" and step != "finished":
            assert "open it with the new passphrase" in results[OLD]
    else:
        # Cut short before the journal was re-encrypted, and opened with the old passphrase: undone.
        assert results[OLD] == "opened" and results[NEW] != "opened"
        assert not keystore.key_change_under_way(path)
