"""The command line never overwrites a file unasked, never the journal's own files, and restores only a real journal."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import FULL, run_cli
from tests.cli.test_cli import ok, refused

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def journal(tmp_path) -> Path:
    db = tmp_path / "journal.db"
    ok(run_cli(tmp_path, "import", FULL, "--journal", db))
    return db


def test_report_onto_the_journal_itself_is_refused_even_with_force(tmp_path, journal):
    before = digest(journal)
    for extra in ((), ("--force",)):
        err = refused(run_cli(tmp_path, "report", "--journal", journal, "--out", journal, *extra))
        assert "is the journal itself" in err and "Nothing was written" in err, err
        assert digest(journal) == before
    assert journal.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("own", ["journal.db-wal", "journal.db.keys", "journal.db.lock", "backups/anything.json"])
def test_export_onto_the_journals_own_files_is_refused_even_with_force(tmp_path, journal, own):
    target = tmp_path / own
    existed = target.exists()
    before = digest(target) if existed else None
    err = refused(run_cli(tmp_path, "export", "--journal", journal, "--out", target, "--force"))
    assert str(target) in err and "Nothing was written" in err, err
    assert (digest(target) if target.exists() else None) == before


def test_an_existing_file_is_replaced_only_with_force(tmp_path, journal):
    out = tmp_path / "report.pdf"
    out.write_text("my own notes, not a report")
    err = refused(run_cli(tmp_path, "report", "--journal", journal, "--out", out))
    assert "already there" in err and "--force" in err, err
    assert out.read_text() == "my own notes, not a report"
    err = refused(run_cli(tmp_path, "export", "--format", "fhir", "--journal", journal, "--out", out))
    assert out.read_text() == "my own notes, not a report"
    ok(run_cli(tmp_path, "report", "--journal", journal, "--out", out, "--force"))
    assert out.read_bytes().startswith(b"%PDF")


def test_a_day_that_does_not_exist_is_named_as_such(tmp_path, journal):
    err = refused(run_cli(tmp_path, "assess", "--journal", journal, "--as-of", "2025-02-30"))
    assert "2025-02-30 is not a day on the calendar" in err and "February 2025 has 28 days" in err, err
    assert "must be a date written" not in err


def test_a_report_or_assessment_reaching_into_the_future_is_refused(tmp_path, journal):
    out = tmp_path / "r.pdf"
    err = refused(run_cli(tmp_path, "report", "--journal", journal, "--out", out, "--to", "2999-01-01"))
    assert "--to 2999-01-01 is in the future" in err, err
    assert not out.exists()
    err = refused(run_cli(tmp_path, "assess", "--journal", journal, "--as-of", "2999-01-01"))
    assert "--as-of 2999-01-01 is in the future" in err, err


def _only_backup(journal: Path) -> Path:
    (backup,) = sorted((journal.parent / "backups").glob("journal.db-*.db"))
    return backup


@pytest.mark.parametrize(
    "kind, words",
    [
        ("empty", "it is empty (0 bytes)"),
        ("text", "not a database file at all"),
        ("another program", "a database from another program"),
        ("newer version", "made by a newer version of Trial Journal"),
    ],
)
def test_restore_takes_only_a_journal_this_version_can_open(tmp_path, journal, kind, words):
    ok(run_cli(tmp_path, "backup", "--journal", journal))
    candidate = tmp_path / "candidate.db"
    if kind == "empty":
        candidate.write_bytes(b"")
    elif kind == "text":
        candidate.write_text("these are my notes\n" * 40)
    elif kind == "another program":
        conn = sqlite3.connect(candidate)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()
    else:
        shutil.copyfile(_only_backup(journal), candidate)
        conn = sqlite3.connect(candidate)
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
        conn.commit()
        conn.close()
    before = digest(journal)
    backups_before = sorted(p.name for p in (tmp_path / "backups").iterdir())
    err = refused(run_cli(tmp_path, "restore", candidate, "--journal", journal))
    assert words in err and "Nothing was changed" in err, err
    assert "passphrase" not in err, err
    assert digest(journal) == before
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == backups_before
    ok(run_cli(tmp_path, "assess", "--journal", journal))  # and the journal still opens


def test_restore_of_another_journals_backup_in_the_same_folder_is_refused(tmp_path, journal):
    other = tmp_path / "journal.sqlite"
    ok(run_cli(tmp_path, "import", FULL, "--journal", other))
    ok(run_cli(tmp_path, "backup", "--journal", other))
    (theirs,) = sorted((tmp_path / "backups").glob("journal.sqlite-*.db"))
    listed = ok(run_cli(tmp_path, "backup", "--list", "--journal", journal)).stdout
    assert "journal.sqlite-" not in listed
    before = digest(journal)
    err = refused(run_cli(tmp_path, "restore", theirs.name, "--journal", journal))
    assert "another journal (journal.sqlite)" in err, err
    assert digest(journal) == before


def test_a_damaged_journal_names_its_newest_good_backup_and_the_command_to_restore_it(tmp_path, journal):
    ok(run_cli(tmp_path, "backup", "--journal", journal))
    backup = _only_backup(journal)
    journal.write_bytes(b"%PDF-1.4 this journal was overwritten by a report\n" * 200)
    err = refused(run_cli(tmp_path, "assess", "--journal", journal))
    assert f"newest good backup is {backup.name}" in err, err
    command = f"trial-journal restore {backup.name} --journal {journal}"
    assert command in err, err
    ok(run_cli(tmp_path, *command.split()[1:]))
    ok(run_cli(tmp_path, "assess", "--journal", journal))


def _unchangeable(path: Path, on: bool) -> bool:
    import subprocess

    try:
        return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0
    except OSError:
        return False


def test_an_unchangeable_file_and_folder_are_named_in_plain_words(tmp_path, journal):
    out = tmp_path / "r.pdf"
    out.write_text("kept")
    folder = tmp_path / "locked"
    folder.mkdir()
    if not _unchangeable(out, True):
        pytest.skip("marking a file unchangeable needs chattr and the right to use it")
    try:
        assert _unchangeable(folder, True)
        err = refused(run_cli(tmp_path, "report", "--journal", journal, "--out", out, "--force"))
        assert "Cannot write r.pdf: the file already there is protected" in err, err
        err = refused(run_cli(tmp_path, "report", "--journal", journal, "--out", folder / "r.pdf"))
        assert f"the folder {folder} does not let you add files" in err, err
        for words in (".part", "Errno", "Operation not permitted", "Permission denied"):
            assert words not in err, err
    finally:
        _unchangeable(out, False)
        _unchangeable(folder, False)
    assert out.read_text() == "kept"


def test_wrong_passphrases_on_the_command_line_say_the_next_try_will_wait(tmp_path):
    right = tmp_path / "right.txt"
    right.write_text("a long enough passphrase\n")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    db = tmp_path / "secret.db"
    ok(run_cli(tmp_path, "import", FULL, "--journal", db, "--passphrase-file", right))
    errors = [refused(run_cli(tmp_path, "assess", "--journal", db, "--passphrase-file", wrong)) for _ in range(4)]
    assert all("does not open" in e for e in errors), errors
    assert "wait" not in errors[2]
    assert "The next try will wait 1 second." in errors[3], errors[3]
    assert (tmp_path / "secret.db.tries").exists()
