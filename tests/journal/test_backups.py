"""Backups: verified, encrypted like the journal, thinned by a stated rule, restorable, and safe on a full disk."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest

from journal.errors import WrongPassphraseError
from journal.safekeeping import backups, keystore
from journal.safekeeping.backups import Backup, BackupError, BackupSchedule
from journal.storage import head_revision
from tests.journal.tiny_disk import tiny_disk as _tiny_disk

KEY = bytes(range(32))
MARKER = "BACKUP-MARKER-7Q2"


def _connect(path, key):
    from sqlcipher3 import dbapi2

    if key is None:
        return sqlite3.connect(path, isolation_level=None)
    conn = dbapi2.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _make_journal(path, key=KEY, rows=(MARKER,), blob=0):
    conn = _connect(path, key)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
    # a restore takes only a Trial Journal this version can open: these stand-ins carry its schema version
    conn.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    conn.execute("INSERT OR IGNORE INTO alembic_version VALUES (?)", (head_revision(),))
    for row in rows:
        conn.execute("INSERT INTO t VALUES (?)", (row,))
    if blob:
        conn.execute("INSERT INTO t VALUES (?)", (os.urandom(blob).hex(),))
    conn.close()
    if key is not None and not keystore.keyfile_path(path).exists():
        keystore.keyfile_path(path).write_text("{}")  # stands for the header; copied as it is
    return path


def _rows(path, key=KEY):
    conn = _connect(path, key)
    try:
        return [r[0] for r in conn.execute("SELECT x FROM t") if len(r[0]) < 100]
    finally:
        conn.close()


@pytest.fixture
def journal(tmp_path):
    folder = tmp_path / "profile"
    folder.mkdir(mode=0o700)
    return _make_journal(folder / "journal.db")


def test_a_backup_is_encrypted_private_verified_and_listed(journal):
    b = backups.make_backup(journal, KEY, "manual")
    assert b.path.parent == journal.parent / "backups"
    assert MARKER.encode() not in b.path.read_bytes()
    assert _rows(b.path) == [MARKER]
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(b.path).execute("SELECT * FROM sqlite_master").fetchall()
    assert b.encrypted and keystore.keyfile_path(b.path).read_text() == "{}"
    assert stat.S_IMODE(b.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(b.path.parent.stat().st_mode) == 0o700
    assert [x.path for x in backups.list_backups(journal)] == [b.path]
    assert [p.name for p in b.path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_a_backup_of_an_open_journal_holds_every_committed_entry(journal):
    writer = _connect(journal, KEY)
    writer.execute("INSERT INTO t VALUES ('committed while open')")  # sits in the WAL, not yet in the file
    b = backups.make_backup(journal, KEY, "periodic")
    writer.close()
    assert _rows(b.path) == [MARKER, "committed while open"]


def test_backups_of_two_journals_in_one_folder_are_kept_apart(journal):
    other = _make_journal(journal.with_name("other.db"), rows=("other",))
    backups.make_backup(journal, KEY)
    backups.make_backup(other, KEY)
    assert len(backups.list_backups(journal)) == 1
    assert _rows(backups.list_backups(other)[0].path) == ["other"]


def test_an_unknown_reason_is_a_programming_error(journal):
    with pytest.raises(ValueError):
        backups.make_backup(journal, KEY, "because")


def test_the_backup_list_says_when_and_why_in_plain_words(journal):
    b = backups.make_backup(journal, KEY, "import")
    assert "before an import" in b.describe()


NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def test_thinning_keeps_two_days_then_daily_weekly_monthly():
    hours = lambda h: NOW - timedelta(hours=h)  # noqa: E731
    times = [
        hours(1), hours(30), hours(47),                       # under 2 days: all kept
        hours(24 * 3 + 1), hours(24 * 3 + 5),                 # one day, 3 days ago: the newer kept
        hours(24 * 4 + 2),                                    # another day: kept
        datetime(2026, 6, 8, 9, tzinfo=UTC),         # 22 days: ISO week 24 ...
        datetime(2026, 6, 9, 9, tzinfo=UTC),         # ... its newest kept
        datetime(2026, 5, 20, 9, tzinfo=UTC),        # week 21: kept
        datetime(2026, 3, 3, tzinfo=UTC),            # March: two, the newer kept
        datetime(2026, 3, 28, tzinfo=UTC),
        datetime(2025, 12, 1, tzinfo=UTC),           # December: kept
    ]
    kept = backups.kept_backups(times, NOW)
    dropped = set(times) - kept
    assert dropped == {hours(24 * 3 + 5), datetime(2026, 6, 8, 9, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)}


def test_the_newest_backup_is_kept_however_old():
    old = [datetime(2020, 1, d, tzinfo=UTC) for d in (1, 2, 3)]
    assert backups.kept_backups(old, NOW) == {old[2]}


def test_thinning_removes_backups_and_their_key_headers(journal):
    made = [backups.make_backup(journal, KEY, "periodic", now=NOW - timedelta(days=5, hours=h), thin=False) for h in (1, 2, 3)]
    removed = backups.thin_backups(journal, now=NOW)
    assert sorted(removed) == sorted([made[1].path, made[2].path])
    assert not keystore.keyfile_path(made[1].path).exists()
    assert [b.path for b in backups.list_backups(journal)] == [made[0].path]


class _FullDiskConnection:
    """Stands for a connection whose disk fills up during VACUUM INTO."""

    def execute(self, sql, *args):
        if sql.startswith("VACUUM INTO"):
            with open(args[0][0], "wb") as f:
                f.write(b"half a backup")
            raise sqlite3.OperationalError("database or disk is full")
        raise AssertionError(sql)


def test_a_full_disk_during_a_backup_says_so_and_leaves_everything_as_it_was(journal):
    earlier = backups.make_backup(journal, KEY, "manual", now=NOW - timedelta(hours=1))
    before = journal.read_bytes()
    with pytest.raises(BackupError, match="the disk is full. The journal itself is unchanged"):
        backups.make_backup(journal, KEY, "periodic", connection=_FullDiskConnection(), now=NOW)
    assert journal.read_bytes() == before
    assert [b.path for b in backups.list_backups(journal)] == [earlier.path]
    assert _rows(earlier.path) == [MARKER]
    assert sorted(p.name for p in earlier.path.parent.iterdir()) == sorted([earlier.path.name, earlier.path.name + ".keys"])


@pytest.fixture
def tiny_disk(tmp_path):
    with _tiny_disk(tmp_path / "tiny") as mount_point:
        yield mount_point


def test_a_really_full_disk_during_a_backup_leaves_the_journal_intact(tmp_path, tiny_disk):
    journal = _make_journal(tmp_path / "journal.db", blob=150_000)
    (tmp_path / "backups").symlink_to(tiny_disk)
    before = journal.read_bytes()
    with pytest.raises(BackupError, match="disk is full"):
        backups.make_backup(journal, KEY, "close")
    assert journal.read_bytes() == before
    assert _rows(journal) == [MARKER]
    assert list(tiny_disk.iterdir()) == []


def test_restore_puts_the_backup_back_after_backing_up_the_journal_as_it_was(journal):
    b = backups.make_backup(journal, KEY, "manual")
    _make_journal(journal, rows=("entered after the backup",))
    safety = backups.restore_backup(b.path, journal, KEY)
    assert _rows(journal) == [MARKER]
    assert safety is not None and safety.reason == "restore"
    assert _rows(safety.path) == [MARKER, "entered after the backup"]
    assert not os.path.exists(f"{journal}-wal")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600


def test_a_backup_that_does_not_open_with_the_key_is_refused_and_nothing_changes(journal):
    b = backups.make_backup(journal, KEY, "manual")
    before = journal.read_bytes()
    with pytest.raises(WrongPassphraseError, match="Nothing was changed"):
        backups.restore_backup(b.path, journal, bytes(32))
    assert journal.read_bytes() == before


def test_a_damaged_backup_is_refused(tmp_path):
    journal = _make_journal(tmp_path / "journal.db", blob=20_000)
    b = backups.make_backup(journal, KEY, "manual")
    damaged = bytearray(b.path.read_bytes())
    damaged[4096 * 2 + 100 : 4096 * 2 + 200] = bytes(100)  # a page in the middle, not the first
    b.path.write_bytes(bytes(damaged))
    with pytest.raises(BackupError, match="cannot be restored"):
        backups.restore_backup(b.path, journal, KEY)
    assert _rows(journal) == [MARKER]


def test_check_journal_backs_up_then_reports_a_sound_journal(journal):
    report = backups.check_journal(journal, KEY)
    assert report.ok and report.backup is not None and report.backup.reason == "check"
    assert "no problems were found" in report.summary()


def test_check_journal_says_what_it_found_in_a_damaged_journal(tmp_path):
    plain = _make_journal(tmp_path / "plain.db", key=None, rows=[f"row {i}" * 40 for i in range(400)])
    conn = sqlite3.connect(plain)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 't'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(plain, "r+b") as f:  # scribble over the table's interior page
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 200)
    report = backups.check_journal(plain, None)
    assert not report.ok
    assert report.findings
    assert "The check found problems" in report.summary()


def test_a_periodic_backup_is_due_a_while_after_the_first_unsaved_change():
    schedule = BackupSchedule(interval=timedelta(minutes=5))
    assert not schedule.due(NOW)
    schedule.note_change(NOW)
    schedule.note_change(NOW + timedelta(minutes=3))  # later changes do not push it back
    assert not schedule.due(NOW + timedelta(minutes=4))
    assert schedule.due(NOW + timedelta(minutes=5))
    schedule.backed_up()
    assert not schedule.pending and not schedule.due(NOW + timedelta(hours=1))


def test_a_backup_lists_itself_with_the_reason_and_time_in_its_name(journal):
    b = backups.make_backup(journal, KEY, "close", now=NOW)
    assert b.path.name == "journal.db-20260630-120000-000000-close.db"  # keyed by the whole file name
    assert backups.list_backups(journal) == [Backup(b.path, NOW, "close", b.size)]
