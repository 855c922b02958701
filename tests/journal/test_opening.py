"""Opening, locking, unlocking and closing a journal the safe way, as the window and the command line do."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from journal import storage
from journal.cli import _cmd_backup, _cmd_restore, open_journal_for_cli
from journal.errors import JournalError, JournalLockedError, WrongPassphraseError
from journal.opening import PassphraseNeededError, open_journal, restore_journal
from journal.records import Note
from journal.safekeeping import backups, keystore
from journal.safekeeping.keystore import KdfParams
from journal.storage import upkeep

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "a long enough passphrase"


def _note(text: str) -> Note:
    return Note("", date(2025, 3, 1), text)


def _texts(journal) -> list[str]:
    return sorted(n.text for n in journal.notes.list())


@pytest.fixture
def path(tmp_path):
    return tmp_path / "profile" / "journal.db"


def _open_fds_to(path: Path) -> list[str]:
    fd_dir = Path("/proc/self/fd")
    found = []
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target == str(path) or target.startswith(f"{path}-"):
            found.append(target)
    return found


def test_a_new_journal_with_a_passphrase_is_encrypted_and_gives_its_recovery_code_once(path):
    access = open_journal(path, passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
    assert access.encrypted and keystore.is_encrypted(path)
    code = access.recovery_code
    access.close(backup=False)
    with open_journal(path, recovery_code=code.lower()) as again:
        assert again.recovery_code is None


def test_a_journal_that_does_not_exist_is_not_made_unless_asked(path):
    with pytest.raises(JournalError, match="There is no journal"):
        open_journal(path)
    assert not path.exists()


def test_a_passphrase_for_a_journal_without_one_is_refused_plainly(path):
    open_journal(path, create=True).close(backup=False)
    with pytest.raises(JournalError, match="has no passphrase"):
        open_journal(path, passphrase=PASS)


def test_a_wrong_passphrase_leaves_the_journal_free_to_open(path):
    open_journal(path, passphrase=PASS, create=True, kdf=FAST).close(backup=False)
    with pytest.raises(WrongPassphraseError):
        open_journal(path, passphrase="wrong passphrase")
    with pytest.raises(PassphraseNeededError):
        open_journal(path)
    open_journal(path, passphrase=PASS).close(backup=False)  # no lock was left behind


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see open files")
def test_locking_closes_the_file_and_forgets_the_key_and_unlocking_brings_it_back(path):
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    access.journal.notes.add(_note("before the lock"))
    access.note_change()
    assert _open_fds_to(path)
    assert access.lock() is None
    assert access.locked and access._key is None
    assert _open_fds_to(path) == []
    assert [b.reason for b in backups.list_backups(path)] == ["periodic"]  # the unsaved change was backed up
    with pytest.raises(JournalError, match="locked"):
        access.backup()
    with pytest.raises(WrongPassphraseError):
        access.unlock("wrong passphrase")
    assert access.locked
    with pytest.raises(JournalLockedError):  # still ours while locked: no second window slips in
        open_journal(path, passphrase=PASS)
    access.unlock(PASS)
    assert _texts(access.journal) == ["before the lock"]
    access.close(backup=False)


def test_closing_makes_a_verified_backup_and_lets_go(path):
    access = open_journal(path, create=True)
    access.journal.notes.add(_note("kept"))
    assert access.close() is None
    (made,) = backups.list_backups(path)
    assert made.reason == "close"
    open_journal(path).close(backup=False)


def test_a_passphrase_change_backs_up_first_and_the_old_passphrase_opens_nothing_after(path):
    # Deliberately changed (issue 9): older backups used to keep opening with the old passphrase.
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    access.journal.notes.add(_note("entry"))
    access.backup("manual")
    with pytest.raises(WrongPassphraseError):
        access.change_passphrase("not the old one", "a new long passphrase")
    change = access.change_passphrase(PASS, "a new long passphrase")
    assert change.backup.reason == "passphrase"
    assert change.backups_reencrypted == 2 and change.backups_left == 0
    assert "old passphrase opens none of them" in change.backup_words()
    assert _texts(access.journal) == ["entry"]  # the journal is open again, under its new key
    access.close(backup=False)
    for b in backups.list_backups(path):
        with pytest.raises(WrongPassphraseError):
            keystore.unlock(b.path, PASS)
        assert storage.opens_with(b.path, keystore.unlock(b.path, "a new long passphrase"))
    with pytest.raises(WrongPassphraseError):
        open_journal(path, passphrase=PASS)
    with open_journal(path, passphrase="a new long passphrase") as again:
        assert _texts(again.journal) == ["entry"]
        restored = backups.list_backups(path)[-1]
        again.restore(restored)  # an old backup restores under the new key
        assert _texts(again.journal) == ["entry"]


def test_restoring_from_the_window_puts_the_backup_back_and_keeps_what_was_there(path):
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    access.journal.notes.add(_note("first"))
    early = access.backup()
    access.journal.notes.add(_note("second"))
    safety = access.restore(early)
    assert _texts(access.journal) == ["first"]
    assert safety.reason == "restore"
    access.close(backup=False)
    restored_back = restore_journal(path, safety.path, passphrase=PASS)
    assert restored_back is not None
    with open_journal(path, passphrase=PASS) as again:
        assert _texts(again.journal) == ["first", "second"]


def test_a_journal_too_damaged_to_open_can_still_be_restored(path):
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    access.journal.notes.add(_note("safe in a backup"))
    good = access.backup()
    access.close(backup=False)
    path.write_bytes(path.read_bytes()[:4096] + os.urandom(8192))
    with pytest.raises(JournalError):
        open_journal(path, passphrase=PASS)
    restore_journal(path, good.path.name, passphrase=PASS)  # a bare backup name is looked up in backups/
    with open_journal(path, passphrase=PASS) as again:
        assert _texts(again.journal) == ["safe in a backup"]
    assert any(p.name.startswith("damaged-") for p in backups.backups_dir(path).iterdir())


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from journal.opening import open_journal
    access = open_journal(sys.argv[1], key=bytes.fromhex(sys.argv[2]), create=True)
    print("open", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_second_process_is_told_the_journal_is_open_and_takes_it_after_the_first_is_killed(path):
    key = os.urandom(32)
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), key.hex()], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(JournalLockedError, match=rf"already open in another window or program \(process {proc.pid}\)"):
            open_journal(path, key=key)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()  # waits, and closes its output pipe
    access = open_journal(path, key=key)
    access.journal.notes.add(_note("after the crash"))
    access.close(backup=False)


def test_the_command_line_reads_the_passphrase_from_a_file_and_makes_new_journals_encrypted(path, tmp_path):
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text(PASS + "\n")
    journal = open_journal_for_cli(path, pass_file, create=True)
    journal.notes.add(_note("from the command line"))
    journal.close()
    assert keystore.is_encrypted(path)
    with pytest.raises(PassphraseNeededError, match="--passphrase-file"):
        open_journal_for_cli(path, None, create=False)
    pass_file.write_text("wrong passphrase\n")
    before = path.read_bytes()
    with pytest.raises(WrongPassphraseError):
        open_journal_for_cli(path, pass_file, create=False)
    assert path.read_bytes() == before


@pytest.mark.slow
def test_the_backup_and_restore_commands(path, tmp_path, capsys):
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text(PASS)
    journal = open_journal_for_cli(path, pass_file, create=True)
    journal.notes.add(_note("backed up"))
    journal.close()

    args = argparse.Namespace(journal=path, passphrase_file=str(pass_file), list=False)
    assert _cmd_backup(args) == 0
    made = backups.list_backups(path)[0]
    assert str(made.path) in capsys.readouterr().out
    args.list = True
    assert _cmd_backup(args) == 0
    assert "made by hand" in capsys.readouterr().out

    with open_journal(path, passphrase=PASS) as access:
        access.journal.notes.add(_note("after the backup"))
    args = argparse.Namespace(journal=path, passphrase_file=str(pass_file), backup=made.path)
    assert _cmd_restore(args) == 0
    assert "is kept in" in capsys.readouterr().out
    with open_journal(path, passphrase=PASS) as access:
        assert _texts(access.journal) == ["backed up"]


def test_the_command_line_backs_up_before_an_import(path):
    first = open_journal_for_cli(path, None, create=True)
    first.notes.add(_note("already there"))
    first.close()
    with open_journal_for_cli(path, None, create=False, backup_reason="import"):
        pass
    assert [b.reason for b in backups.list_backups(path)] == ["import"]


_LATER_REVISION = '''"""A later change for the test: notes learn a colour.

Revision ID: 9002
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.add_column(sa.Column("colour", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("colour")
'''


def _forget_cached_scripts(storage) -> None:
    """Storage caches what it read of the migration scripts; a test that swaps them must clear that."""
    for value in vars(storage).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def test_an_encrypted_journal_from_the_previous_schema_is_backed_up_encrypted_then_upgraded(path, tmp_path, monkeypatch):
    import shutil

    from journal import storage

    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)  # made by this version
    access.journal.notes.add(_note("written before the upgrade"))
    access.close(backup=False)
    head = storage.head_revision()

    scripts = tmp_path / "later-migrations"
    shutil.copytree(storage.migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9002_colour.py").write_text(_LATER_REVISION.replace("{head}", head))
    _forget_cached_scripts(storage)
    monkeypatch.setattr(storage, "migrations_dir", lambda: scripts)
    try:
        with open_journal(path, passphrase=PASS) as access:
            assert _texts(access.journal) == ["written before the upgrade"]
        (made, *_) = [b for b in backups.list_backups(path) if b.reason == "upgrade"]
        assert made.encrypted and b"written before" not in made.path.read_bytes()
        conn = upkeep.connect_file(made.path, keystore.unlock(made.path, PASS), readonly=True)
        try:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        finally:
            conn.close()
        conn = upkeep.connect_file(path, keystore.unlock(path, PASS), readonly=True)
        try:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("9002",)]
        finally:
            conn.close()
    finally:
        monkeypatch.undo()
        _forget_cached_scripts(storage)


def test_a_journal_without_a_passphrase_can_be_given_one_later(path):
    access = open_journal(path, create=True, kdf=FAST)
    access.journal.notes.add(_note("MARK-plain-then-encrypted"))
    plain_backup = access.backup()
    code = access.add_passphrase(PASS, with_recovery_code=True)
    assert access.encrypted and code
    assert _texts(access.journal) == ["MARK-plain-then-encrypted"]
    access.journal.notes.add(_note("after"))
    assert access.unencrypted_backups() == [plain_backup]  # said plainly, and offered for removal
    access.remove_backups(access.unencrypted_backups())
    access.close()
    assert b"MARK-plain" not in path.read_bytes()
    assert all(b.encrypted for b in backups.list_backups(path))
    with pytest.raises(PassphraseNeededError):
        open_journal(path)
    with open_journal(path, recovery_code=code) as again:
        assert _texts(again.journal) == ["MARK-plain-then-encrypted", "after"]


def test_an_encryption_cut_short_leaves_the_plain_journal_openable(path):
    access = open_journal(path, create=True)
    access.journal.notes.add(_note("still here"))
    access.close(backup=False)
    keystore.create_keys(path, PASS, kdf=FAST)  # as if the header was written and then the power went
    with open_journal(path) as again:
        assert _texts(again.journal) == ["still here"]
    assert not keystore.is_encrypted(path)
    assert keystore.keyfile_path(path).with_name("journal.db.keys.unused").exists()
