"""The schema comes from Alembic revisions that match the models, and a newer journal is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from journal import records as r
from journal import storage
from journal.errors import JournalError
from journal.opening import open_file
from journal.records import Note
from journal.storage.models import Base


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_revisions_build_exactly_the_schema_the_models_describe(tmp_path):
    path = tmp_path / "j.db"
    storage.create_file(path)
    engine = storage.make_engine(path)
    try:
        storage.migrate(engine)  # the scripts themselves (upgrade builds a new file from the models)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"the models changed without a new migration revision: {diff}"


def test_a_new_journal_is_stamped_with_the_newest_revision(tmp_path):
    with open_file(tmp_path / "j.db") as journal:
        path = journal.path
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(storage.head_revision(),)]
    finally:
        con.close()


def test_revision_0001_is_where_the_history_starts():
    assert "0001" in storage.known_revisions()


def test_the_revisions_read_without_alembic_are_the_ones_alembic_finds():
    scripts = storage.scripts()
    assert storage.known_revisions() == {s.revision for s in scripts.walk_revisions()}
    assert storage.head_revision() == scripts.get_current_head()
    # A new journal is built from the models and stamped with this revision: they must describe the newest.
    assert scripts.get_current_head() == storage.MODELS_REVISION


def _schema(path: Path) -> list[tuple]:
    """Every table, index and column as SQLite holds them: names, types, NOT NULL, defaults, keys, indexes.

    Compared by what SQLite reports rather than by the CREATE text: an upgraded table's text
    shows how it was altered (columns added by ALTER TABLE, a table copied to drop a NOT NULL),
    while the table itself is the same.
    """
    con = sqlite3.connect(path)
    try:
        objects = con.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name").fetchall()
        described: list[tuple] = list(objects)
        for kind, name, _table in objects:
            if kind == "table":
                described += [("column", name, *row) for row in con.execute(f'PRAGMA table_xinfo("{name}")')]
                described += [("foreign key", name, *row) for row in con.execute(f'PRAGMA foreign_key_list("{name}")')]
                described += [("index of", name, *row[1:]) for row in con.execute(f'PRAGMA index_list("{name}")')]
            elif kind == "index":
                described += [("indexed", name, *row) for row in con.execute(f'PRAGMA index_xinfo("{name}")')]
        return described + [("version", *row) for row in con.execute("SELECT version_num FROM alembic_version")]
    finally:
        con.close()


_USE_AND_REPORT_LOADED = """
import sys
from datetime import date
from journal.opening import open_file
from journal.records import JournalContents, Note
with open_file(sys.argv[1]) as journal:
    added = journal.notes.add(Note(id="", date=date(2025, 1, 2), text="more")).record
    journal.notes.update(Note(id=added.id, date=date(2025, 1, 3), text="more, edited"))
    journal.set_author(added.id, "caregiver")
    journal.import_contents(JournalContents(notes=(Note(id="n2", date=date(2025, 1, 4), text="imported"),)))
    journal.notes.delete("n2")
    assert [n.text for n in journal.contents().notes][-1] == "more, edited"
print(" ".join(name for name in ("alembic", "sqlalchemy.orm") if name in sys.modules))
"""


@pytest.mark.slow
@pytest.mark.parametrize("which, loaded", [("new", "sqlalchemy.orm"), ("existing", "")])
def test_using_a_journal_at_the_newest_revision_never_loads_alembic_nor_for_an_existing_one_the_orm(
    tmp_path, which, loaded
):
    # Alembic is about 17 MB and the ORM about 8 MB, and each a wait at every start: only an
    # upgrade needs Alembic, and only building a new file needs the models.
    import subprocess
    import sys

    path = tmp_path / "j.db"
    if which == "existing":
        with open_file(path) as journal:
            journal.notes.add(Note(id="n1", date=date(2025, 1, 1), text="kept"))
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _USE_AND_REPORT_LOADED, str(path)], capture_output=True, text=True, cwd=repo, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == loaded


def test_every_table_is_read_and_written_by_the_columns_the_models_give_it():
    from journal.storage.tables import ROWS

    assert sorted(ROWS) == sorted(name for name in Base.metadata.tables if name != "alembic_version")
    for name, rows in ROWS.items():
        columns = [c.name for c in Base.metadata.tables[name].columns]
        assert list(rows.write) == columns, name
        assert set(rows.read) <= set(columns), name


def test_a_journal_from_a_newer_version_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "j.db"
    with open_file(path):
        pass
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = _digest(path)

    with pytest.raises(JournalError, match="newer version of Trial Journal"):
        open_file(path)

    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.db"]


def test_migration_scripts_are_found_without_an_ini_file_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_file(tmp_path / "j.db") as journal:
        assert journal.counts()["trials"] == 0
    assert not (tmp_path / "alembic.ini").exists()


_LATER_REVISION = '''"""A later change for the test: labs learn whether the person was fasting.

Revision ID: 0099
Revises: HEAD
"""

import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "HEAD"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("labs") as batch:
        batch.add_column(sa.Column("fasting", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("labs") as batch:
        batch.drop_column("fasting")
'''


@pytest.fixture
def later_version(tmp_path, monkeypatch):
    """This program's migrations plus a made-up revision 0099, as a later release would ship them."""
    import shutil

    scripts = tmp_path / "later-migrations"
    shutil.copytree(storage.migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    # the made-up revision follows whatever this version's newest is
    (scripts / "versions" / "0099_fasting.py").write_text(_LATER_REVISION.replace("HEAD", storage.head_revision()))
    storage.scripts.cache_clear()
    monkeypatch.setattr(storage, "migrations_dir", lambda: scripts)
    yield
    monkeypatch.undo()
    storage.scripts.cache_clear()


def _journal_made_at_0001(path: Path) -> None:
    """A journal as the release with only revision 0001 left it, holding a lab and a note."""
    from alembic import command

    path.parent.mkdir(parents=True, exist_ok=True)
    storage.create_file(path)
    engine = storage.make_engine(path)
    config = storage.alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.exec_driver_sql(
                "INSERT INTO labs (id, date, test, value, unit, note) "
                "VALUES ('l1', '2025-02-01', 'TSH', 2.5, 'mIU/L', '')"
            )
            conn.exec_driver_sql(
                "INSERT INTO notes (id, date, text, for_appointment) "
                "VALUES ('n1', '2025-02-02', 'Ask about thyroid panel', 1)"
            )
    finally:
        engine.dispose()


def test_a_journal_from_an_earlier_version_is_backed_up_then_upgraded_keeping_every_entry(tmp_path, later_version):
    from journal.records import Lab
    from journal.safekeeping.backups import list_backups

    path = tmp_path / "journal" / "j.db"
    _journal_made_at_0001(path)

    with open_file(path) as journal:
        assert journal.labs.list() == [Lab(id="l1", date=date(2025, 2, 1), test="TSH", value=2.5, unit="mIU/L")]
        assert journal.notes.list() == [
            Note(id="n1", date=date(2025, 2, 2), text="Ask about thyroid panel", for_appointment=True)
        ]

    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099",)]
        assert "fasting" in {row[1] for row in con.execute("PRAGMA table_info(labs)")}
    finally:
        con.close()

    backups = list_backups(path)
    assert [b.reason for b in backups] == ["upgrade"]
    con = sqlite3.connect(backups[0].path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert con.execute("SELECT text FROM notes").fetchall() == [("Ask about thyroid panel",)]
    finally:
        con.close()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASE_JOURNALS = sorted(FIXTURES.glob("journal-*.db"))


def test_a_journal_of_this_release_is_kept_for_the_upgrade_tests_of_later_ones():
    from journal import __version__

    assert FIXTURES / f"journal-{__version__}.db" in RELEASE_JOURNALS, (
        "make it with: PYTHONPATH=. python tests/fixtures/make_release_journal.py"
    )


@pytest.mark.parametrize("made_by", RELEASE_JOURNALS, ids=lambda p: p.stem)
def test_a_journal_made_by_each_release_opens_with_every_entry_it_was_given(tmp_path, made_by):
    import shutil

    from journal.exchange.jsonfile import load_file
    from journal.records import Settings, in_journal_order, replace

    path = tmp_path / made_by.name
    shutil.copyfile(made_by, path)  # the committed file itself is never opened (nor upgraded)
    from tests.fixtures.make_release_journal import source_for

    given = load_file(source_for(made_by.stem.removeprefix("journal-")))

    with open_file(path, create=False) as journal:
        held = journal.contents()

    expected = in_journal_order(replace(given.contents, settings=replace(Settings(), **given.settings_changes)))
    assert held == expected
    # revision 0003 gave the journal its own random id (its FHIR namespace); nothing else it remembers yet
    assert uuid.UUID(held.state.journal_id).version == 4
    assert held.state.last_report is None and held.state.question_choices == ()
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(storage.head_revision(),)]
    finally:
        con.close()


def test_a_journal_already_at_the_newest_revision_opens_without_a_backup(tmp_path):
    from journal.safekeeping.backups import list_backups

    path = tmp_path / "j.db"
    with open_file(path):
        pass
    with open_file(path):
        pass
    assert list_backups(path) == []


def _release_journal_copy(tmp_path: Path) -> Path:
    import shutil

    path = tmp_path / "journal" / "j.db"
    path.parent.mkdir()
    shutil.copyfile(FIXTURES / "journal-0.1.0.db", path)  # the committed file itself is never opened
    return path


def test_a_journal_of_release_0_1_0_is_backed_up_then_upgraded_its_old_entries_read_as_full_dates_untimed(tmp_path):
    from journal.safekeeping.backups import list_backups

    path = _release_journal_copy(tmp_path)
    con = sqlite3.connect(path)
    try:
        before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("trials", "dose_steps", "checkins", "scores", "episodes", "notes")}
    finally:
        con.close()
    assert all(before.values()), before  # the release's journal holds some of each

    with open_file(path, create=False) as journal:
        held = journal.contents()
        assert journal.settings().reminders == r.Reminders()
        # an old end is still where a listing by date range finds it
        for trial in held.trials:
            if trial.end is not None:
                assert trial in journal.trials.list(trial.end, trial.end)
                assert trial not in journal.trials.list(trial.end + timedelta(days=1), None)

    assert len(held.trials) == before["trials"] and sum(len(t.doses) for t in held.trials) == before["dose_steps"]
    assert (len(held.checkins), len(held.scores), len(held.episodes), len(held.notes)) == (
        before["checkins"], before["scores"], before["episodes"], before["notes"]
    )
    assert held.therapies == ()
    assert all(t.end_precision == "day" and t.source is None and t.origin is None for t in held.trials)
    assert all(s.start_precision == "day" and s.mg_per_day is not None for t in held.trials for s in t.doses)
    assert all(c.time is None and c.origin is None for c in held.checkins + held.scores)
    assert all(e.start_precision == e.end_precision == "day" for e in held.episodes)
    assert all(c.since_precision == "day" for c in held.conditions)
    assert all(not s.ready_to_leave and s.phase is None and s.bp_40min is None for s in held.sessions)

    backups = list_backups(path)
    assert [b.reason for b in backups] == ["upgrade"]
    con = sqlite3.connect(backups[0].path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert con.execute("SELECT count(*) FROM checkins").fetchone()[0] == before["checkins"]
    finally:
        con.close()


def test_an_upgraded_journal_keeps_version_2_entries_exactly_as_saved(tmp_path):
    from datetime import time, timezone

    from journal.storage import store

    path = _release_journal_copy(tmp_path)
    with open_file(path, create=False):
        pass  # upgraded here
    new = {
        "trials": [
            r.Trial(
                id="t-v2",
                drug="venlafaxine",
                doses=(r.DoseStep(date(2016, 1, 1), None, "year"), r.DoseStep(date(2017, 3, 1), 150.0, "month")),
                end=date(2017, 6, 1),
                end_precision="month",
                source="memory",
            )
        ],
        "therapies": [r.Therapy(id="p-v2", kind="cbt", start=date(2021, 9, 1), start_precision="month", sessions=16, origin=r.Origin("Daylio", "x"))],
        "checkins": [r.DailyCheckIn(id="d-v2", date=date(2025, 6, 1), mood=5, time=time(20, 30))],
        "sessions": [
            r.Session(
                id="k-v2",
                datetime=datetime(2025, 6, 2, 10, 0, tzinfo=timezone(timedelta(hours=1))),
                treatment="esketamine",
                phase="optimisation",
                bp_40min=(140, 90),
                spo2_min=95.0,
                monitored_minutes=120,
                ready_to_leave=True,
            )
        ],
    }
    reminders = r.Reminders(checkin_time="20:30", questionnaire_every_days=14, next_appointment="2026-12-10")
    db = storage.open_database(path)
    try:
        with db.connect() as conn:
            for kind, records in new.items():
                store.insert_records(conn, kind, records)
            store.write_settings(conn, r.replace(store.settings(conn), reminders=reminders))
            conn.commit()
    finally:
        db.dispose()

    with open_file(path, create=False) as journal:
        for kind, records in new.items():
            assert getattr(journal, kind).get(records[0].id) == records[0]
        assert journal.settings().reminders == reminders
        assert journal.trials.list(date(2017, 6, 20), date(2017, 6, 20)) == new["trials"]  # the end's month reaches it


@pytest.mark.parametrize("key", [None, bytes(range(32))], ids=["plain", "encrypted"])
def test_a_journal_at_revision_0001_upgrades_with_its_dose_steps_kept_and_still_removed_with_their_trial(tmp_path, key):
    from alembic import command

    from journal.storage import store

    path = tmp_path / "j.db"
    storage.create_file(path)
    engine = storage.make_engine(path, key)
    config = storage.alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.exec_driver_sql(
                "INSERT INTO trials (id, drug, start, \"end\", augmentation, note) VALUES ('t1', 'sertraline', '2024-01-01', '2024-04-01', 0, '')"
            )
            conn.exec_driver_sql("INSERT INTO dose_steps VALUES ('t1', 0, '2024-01-01', 50.0), ('t1', 1, '2024-02-01', 100.0)")
    finally:
        engine.dispose()

    db = storage.open_database(path, key)
    try:
        storage.upgrade(db)
        assert storage.current_revision(db) == storage.head_revision()
        with db.connect() as conn:
            (trial,) = store.read(conn, "trials")
            assert trial.doses == (r.DoseStep(date(2024, 1, 1), 50.0), r.DoseStep(date(2024, 2, 1), 100.0))
            assert store.read(conn, "trials", date(2024, 4, 1), None) == [trial]
            store.remove(conn, "trials", "t1")
            assert conn.driver().execute("SELECT count(*) FROM dose_steps").fetchone() == (0,)
    finally:
        db.dispose()


def test_an_upgraded_journal_starts_with_nothing_remembered_of_a_sync_and_keeps_what_it_is_given(tmp_path):
    import shutil

    path = tmp_path / "j.db"
    shutil.copyfile(FIXTURES / "journal-0.2.0.db", path)
    with open_file(path, create=False) as journal:
        assert journal.sync_state() == {}
        journal.write_sync_state({"device": "3f9a2c41", "files": {"a": "b"}})
    with open_file(path, create=False) as journal:
        assert journal.sync_state() == {"device": "3f9a2c41", "files": {"a": "b"}}
    with open_file(tmp_path / "new.db") as journal:
        assert journal.sync_state() == {}
