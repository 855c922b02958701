"""Backups of journals that share a stem (mood.db, mood.sqlite) are kept apart, and interrupted copies are cleared away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from journal.opening import open_journal
from journal.safekeeping import backups
from tests.journal.test_backups import KEY, _make_journal, _rows

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def test_mood_db_and_mood_sqlite_each_list_and_thin_only_their_own(tmp_path):
    db = _make_journal(tmp_path / "mood.db", rows=("db",))
    lite = _make_journal(tmp_path / "mood.sqlite", rows=("sqlite",))
    for hours in (1, 2, 3):  # one day, three weeks ago: thinning would keep only the newest of them
        backups.make_backup(lite, KEY, "close", now=NOW - timedelta(days=20, hours=hours), thin=False)
    theirs = {b.path for b in backups.list_backups(lite)}
    assert len(theirs) == 3
    mine = backups.make_backup(db, KEY, "close", now=NOW)  # thins mood.db's backups only
    assert [b.path for b in backups.list_backups(db)] == [mine.path]
    assert {b.path for b in backups.list_backups(lite)} == theirs
    assert all(_rows(p) == ["sqlite"] for p in theirs)
    assert _rows(mine.path) == ["db"]


def test_backups_named_by_the_stem_alone_are_listed_for_stem_db_but_never_thinned(tmp_path):
    db = _make_journal(tmp_path / "mood.db")
    lite = _make_journal(tmp_path / "mood.sqlite")
    old = backups.make_backup(db, KEY, "close", now=NOW - timedelta(days=300), thin=False)
    legacy = old.path.with_name(old.path.name.replace("mood.db-", "mood-", 1))  # as earlier versions named it
    old.path.rename(legacy)
    backups.make_backup(db, KEY, "close", now=NOW)
    assert legacy in [b.path for b in backups.list_backups(db)]
    assert legacy not in [b.path for b in backups.list_backups(lite)]
    backups.thin_backups(db, now=NOW + timedelta(days=400))
    assert legacy.exists()


def test_opening_a_journal_removes_the_copies_an_interrupted_backup_or_restore_left(tmp_path):
    db = tmp_path / "mood.db"
    open_journal(db, create=True).close(backup=False)
    folder = backups.backups_dir(db)
    folder.mkdir(exist_ok=True)
    ours = [
        folder / ".mood.db-20260630-120000-000000-close.db.0a1b2c3d.part",
        folder / "mood.db-20260630-120000-000000-close.db.keys",  # its backup never arrived
        tmp_path / ".mood.db.0a1b2c3d.restore",
    ]
    others = [
        folder / ".mood.sqlite-20260630-120000-000000-close.db.0a1b2c3d.part",  # another journal's, maybe being written
        tmp_path / ".mood.sqlite.0a1b2c3d.restore",
        tmp_path / "notes.part",
    ]
    for p in ours + others:
        p.write_bytes(b"SQLite format 3\x00 a full copy of the journal")
    open_journal(db).close(backup=False)
    assert [p for p in ours if p.exists()] == []
    assert all(p.exists() for p in others)
