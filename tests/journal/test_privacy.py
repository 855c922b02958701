"""Privacy on a shared computer: no plaintext anywhere, no opening without the passphrase, private modes, honest warnings."""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import stat
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from journal.errors import JournalError, WrongPassphraseError
from journal.files import hygiene
from journal.opening import PassphraseNeededError, open_file, open_journal
from journal.records import Condition, DoseStep, Episode, Lab, Note, Trial
from journal.safekeeping import keystore
from journal.safekeeping.backups import list_backups
from journal.safekeeping.keystore import KdfParams

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "a long enough passphrase"
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _write_marked_records(journal, marker: str) -> None:
    journal.notes.add(Note("", date(2025, 3, 1), f"{marker} ask about the thyroid panel", True))
    journal.episodes.add(Episode("", date(2025, 1, 6), note=f"{marker} episode"))
    journal.trials.add(Trial("", "sertraline", (DoseStep(date(2025, 1, 10), 50.0),), note=f"{marker} trial"))
    journal.labs.add(Lab("", date(2025, 2, 1), "CRP", 4.2, "mg/L", note=marker))
    journal.conditions.add(Condition("", f"{marker} condition"))


def _files_holding(root: Path, needle: bytes, since: float) -> list[Path]:
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            p = Path(folder) / name
            try:
                if p.is_symlink() or p.stat().st_mtime < since - 1:
                    continue
                if needle in p.read_bytes():
                    found.append(p)
            except OSError:
                continue  # vanished or unreadable: another test's file, not ours
    return found


@pytest.mark.slow
def test_nothing_readable_in_the_journal_its_wal_its_backups_or_the_temporary_folder(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    started = time.time()
    marker = "MARK-" + secrets.token_hex(8)
    path = tmp_path / "profile" / "journal.db"
    access = open_journal(path, passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
    _write_marked_records(access.journal, marker)
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the entries are in the WAL right now
    assert marker.encode() not in wal.read_bytes()
    assert marker.encode() not in path.read_bytes()
    access.note_change()
    access.backup("manual")
    access.check()
    assert access.close() is None  # the closing backup worked
    assert {b.reason for b in list_backups(path)} == {"manual", "check", "close"}  # the scan below covers them
    for where in (path.parent, Path(tempfile.gettempdir())):
        assert _files_holding(where, marker.encode(), started) == []
    assert marker not in caplog.text


def test_the_journal_does_not_open_without_its_passphrase_and_stays_unchanged(tmp_path):
    path = tmp_path / "profile" / "journal.db"
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    _write_marked_records(access.journal, "M")
    access.close(backup=False)
    before = path.read_bytes()

    with pytest.raises(WrongPassphraseError, match="does not open"):
        open_journal(path, passphrase="not the passphrase", kdf=FAST)
    with pytest.raises(PassphraseNeededError, match="protected by a passphrase"):
        open_journal(path)
    with pytest.raises(WrongPassphraseError):
        open_file(path, create=False, key=secrets.token_bytes(32))
    with pytest.raises(JournalError):
        open_file(path, create=False)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()

    assert path.read_bytes() == before
    with open_journal(path, passphrase=PASS) as access:  # and the right one still works
        assert len(access.journal.notes.list()) == 1


@posix_only
def test_every_file_and_folder_the_journal_makes_is_private(tmp_path):
    old = os.umask(0o022)  # a typical desktop umask, which would leave files readable by others
    try:
        path = tmp_path / "data" / "profiles" / "a1b2" / "journal.db"
        access = open_journal(path, passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
        _write_marked_records(access.journal, "M")
        access.backup("manual")
        access.check()
        access.change_passphrase(PASS, "another long passphrase")
        access.lock()
        access.unlock("another long passphrase")
        made = list(path.parent.rglob("*"))
        assert {p.name for p in made} >= {"journal.db", "journal.db.keys", "journal.db.lock", "journal.db-wal", "backups"}
        for p in [path.parent, path.parent.parent, path.parent.parent.parent, *made]:
            mode = stat.S_IMODE(p.stat().st_mode)
            assert mode == (0o700 if p.is_dir() else 0o600), f"{p.relative_to(tmp_path)} is {oct(mode)}"
        access.close()
        for p in path.parent.rglob("*"):
            assert stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600), p
    finally:
        os.umask(old)


@posix_only
def test_private_folder_and_file_helpers_tighten_what_they_are_given(tmp_path):
    folder = tmp_path / "a" / "b"
    hygiene.make_private_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    loose = tmp_path / "loose.txt"
    loose.write_text("x")
    loose.chmod(0o644)
    hygiene.make_private(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600
    made = hygiene.make_private_file(tmp_path / "new.txt")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "parts, service",
    [
        (("home", "sam", "Dropbox", "journal"), "Dropbox"),
        (("home", "sam", "Dropbox (Personal)"), "Dropbox"),
        (("Users", "sam", "OneDrive - Contoso", "j"), "OneDrive"),
        (("Users", "sam", "OneDrive"), "OneDrive"),
        (("Users", "sam", "Library", "Mobile Documents", "com~apple~CloudDocs"), "iCloud Drive"),
        (("Users", "sam", "iCloud Drive"), "iCloud Drive"),
        (("home", "sam", "Google Drive", "My Drive"), "Google Drive"),
        (("home", "sam", "Nextcloud", "private"), "Nextcloud"),
        (("home", "sam", "Syncthing"), "Syncthing"),
    ],
)
def test_a_synced_folder_is_named_in_the_warning(tmp_path, parts, service):
    path = tmp_path.joinpath(*parts)
    assert hygiene.synced_service(path) == service
    warning = hygiene.folder_warning(path, mounts_file=tmp_path / "no-mounts")
    assert service in warning and "local folder" in warning


def test_a_syncthing_folder_is_known_by_its_marker_whatever_its_name(tmp_path):
    shared = tmp_path / "Shared stuff"
    (shared / ".stfolder").mkdir(parents=True)
    assert hygiene.synced_service(shared / "inner" / "journal.db") == "Syncthing"


def test_a_network_filesystem_is_found_in_the_mount_table(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/vda / ext4 rw 0 0\n"
        f"server:/export {tmp_path}/nfs nfs4 rw 0 0\n"
        f"sam@host:/home {tmp_path}/remote\\040drive fuse.sshfs rw 0 0\n"
        f"//nas/share {tmp_path}/nas cifs rw 0 0\n"
    )
    assert hygiene.network_filesystem(tmp_path / "nfs" / "j.db", mounts) == "nfs4"
    assert hygiene.network_filesystem(tmp_path / "remote drive" / "j.db", mounts) == "fuse.sshfs"
    assert "network drive (cifs)" in hygiene.folder_warning(tmp_path / "nas" / "x", mounts)
    assert hygiene.network_filesystem(tmp_path / "nfsnot" / "j.db", mounts) is None  # a prefix is not a parent
    assert hygiene.folder_warning(tmp_path / "local", mounts) is None


def test_a_journal_opened_in_a_synced_folder_carries_the_warning(tmp_path):
    access = open_journal(tmp_path / "Dropbox" / "journal.db", create=True)
    try:
        assert "Dropbox" in access.folder_warning
    finally:
        access.close(backup=False)


def test_the_honest_limits_are_said_plainly():
    words = keystore.HONEST_LIMITS.lower()
    assert "nobody can open this journal" in words
    assert "recovery code" in words and "older backups" in words


def test_locking_and_closing_zero_the_key_in_memory(tmp_path):
    access = open_journal(tmp_path / "j" / "journal.db", passphrase=PASS, create=True, kdf=FAST)
    key = access._key
    assert isinstance(key, bytearray) and any(key)
    access.lock()
    assert key == bytearray(32)  # zeroed, not only dropped
    access.unlock(PASS)
    again = access._key
    assert any(again)
    access.close(backup=False)
    assert again == bytearray(32)


def test_the_key_reaches_sqlcipher_as_cleared_bytes_never_as_sql_text(tmp_path, monkeypatch):
    from sqlcipher3 import dbapi2

    from journal import storage

    statements: list[str] = []
    real_connect = dbapi2.connect

    def traced(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(dbapi2, "connect", traced)
    path = tmp_path / "j" / "journal.db"
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    key_hex = bytes(access._key).hex()
    access.journal.notes.add(Note("", date(2025, 3, 1), "entry"))
    access.backup()
    access.check()
    access.change_passphrase(PASS, "another long passphrase")
    new_hex = bytes(access._key).hex()
    access.close()
    assert statements  # the trace saw the journal's statements
    for text in statements:
        assert key_hex not in text.lower() and new_hex not in text.lower()
        assert "pragma key" not in text.lower() and "pragma rekey" not in text.lower(), text[:60]

    class Driver:  # what the driver receives: a bytearray, zeroed as soon as the call returns
        def set_key(self, literal):
            self.given, self.seen = literal, bytes(literal)

    driver = Driver()
    raw = bytes(range(32))
    storage.apply_key(driver, raw)
    assert isinstance(driver.given, bytearray)
    assert driver.seen == b"x'" + raw.hex().encode() + b"'"
    assert driver.given == bytearray(len(driver.seen))
