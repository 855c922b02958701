"""One answer, for the command line and the window alike, to "is this path one of the journal's own files?"."""

from __future__ import annotations

import os

import pytest

from journal.files.own_files import own_file_problem


@pytest.fixture
def journal(tmp_path):
    path = tmp_path / "mood.db"
    path.write_bytes(b"SQLite format 3\x00")
    return path


@pytest.mark.parametrize(
    "name", ["mood.db", "mood.db-wal", "mood.db-shm", "mood.db-journal", "mood.db.keys", "mood.db.lock", "mood.db.tries"]
)
def test_the_journal_and_every_file_beside_it_are_its_own(journal, name):
    assert own_file_problem(journal.parent / name, journal) is not None


def test_anything_in_the_backups_folder_is_its_own(journal):
    assert "backups folder" in own_file_problem(journal.parent / "backups" / "mood.db-x.db", journal)
    assert "backups folder" in own_file_problem(journal.parent / "backups", journal)


def test_other_spellings_of_the_journal_are_caught(journal, tmp_path, monkeypatch):
    link = tmp_path / "elsewhere" / "link.pdf"
    link.parent.mkdir()
    link.symlink_to(journal)
    hard = tmp_path / "hard.pdf"
    os.link(journal, hard)
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert "the journal itself" in own_file_problem(link, journal)
    assert "the journal itself" in own_file_problem(hard, journal)
    assert "the journal itself" in own_file_problem("../mood.db", journal)


def test_files_of_the_same_stem_or_in_the_same_folder_are_not(journal):
    for name in ("mood.pdf", "mood.db.pdf", "mood.sqlite", "backups.pdf", "report.pdf"):
        assert own_file_problem(journal.parent / name, journal) is None, name
