"""The schema comes from Alembic revisions that match the models, and a newer journal is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from journal import storage
from journal.errors import JournalError
from journal.facade import Journal
from journal.models import Base


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_revisions_build_exactly_the_schema_the_models_describe(tmp_path):
    path = tmp_path / "j.db"
    storage.create_file(path)
    engine = storage.make_engine(path)
    try:
        storage.upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"the models changed without a new migration revision: {diff}"


def test_a_new_journal_is_stamped_with_the_newest_revision(tmp_path):
    with Journal.open(tmp_path / "j.db") as journal:
        path = journal.path
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(storage.head_revision(),)]
    finally:
        con.close()


def test_revision_0001_is_where_the_history_starts():
    assert "0001" in storage.known_revisions()


def test_a_journal_from_a_newer_version_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "j.db"
    with Journal.open(path):
        pass
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = _digest(path)

    with pytest.raises(JournalError, match="newer version of Trial Journal"):
        Journal.open(path)

    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.db"]


def test_migration_scripts_are_found_without_an_ini_file_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Journal.open(tmp_path / "j.db") as journal:
        assert journal.counts()["trials"] == 0
    assert not (tmp_path / "alembic.ini").exists()
