"""trial-journal import-app: another app's diary brought in, the summary printed, every problem named, nothing written twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from journal.cli import main
from journal.opening import open_file
from tests.cli.helpers import run_cli

DAYLIO = (
    "\ufefffull_date,date,weekday,time,mood,activities,scales,note_title,note\n"
    '2024-05-03,May 3,Friday,21:35,rad,"walk | friends",,,"Good day<br>really &amp; truly"\n'
    '2024-05-02,May 2,Thursday,8:30 am,Sleepy,"",,,""\n'
    '2024-05-01,May 1,Wednesday,7:05 pm,meh,"taking SSRI",,Title,"ok"\n'
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_a_mood_name_with_no_level_is_refused_naming_it_and_the_map_to_give(tmp_path, capsys):
    export = _write(tmp_path, "daylio_export_2024_05_04.csv", DAYLIO)
    journal = tmp_path / "j.db"
    code = main(["import-app", str(export), "--journal", str(journal)])
    err = capsys.readouterr().err
    assert code == 2
    assert "'Sleepy' (1 row)" in err and '--map "Sleepy=LEVEL"' in err
    assert not journal.exists()  # nothing written, not even a new journal


def test_the_import_prints_its_summary_and_a_second_run_adds_nothing(tmp_path, capsys):
    export = _write(tmp_path, "daylio_export_2024_05_04.csv", DAYLIO)
    journal = tmp_path / "j.db"
    assert main(["import-app", str(export), "--map", "Sleepy=4", "--journal", str(journal)]) == 0
    out = capsys.readouterr().out
    assert "Daylio file: 3 rows from 2024-05-01 to 2024-05-03." in out
    assert "3 check-ins added, 0 rows already imported" in out
    assert "Looks like a medicine: 'taking SSRI'" in out
    with open_file(journal, create=False) as j:
        moods = sorted((c.date.isoformat(), c.mood, c.time.strftime("%H:%M")) for c in j.contents().checkins)
    assert moods == [("2024-05-01", 5, "19:05"), ("2024-05-02", 4, "08:30"), ("2024-05-03", 10, "21:35")]
    assert main(["import-app", str(export), "--map", "Sleepy=4", "--journal", str(journal)]) == 0
    out = capsys.readouterr().out
    assert "0 check-ins added, 3 rows already imported" in out and "Nothing new to import." in out
    with open_file(journal, create=False) as j:
        assert len(j.contents().checkins) == 3


def test_a_dry_run_prints_the_same_and_writes_nothing(tmp_path, capsys):
    export = _write(tmp_path, "daylio.csv", DAYLIO)
    journal = tmp_path / "j.db"
    assert main(["import-app", str(export), "--map", "Sleepy=4", "--journal", str(journal)]) == 0
    before = _hash(journal)
    later = DAYLIO.replace("full_date,date,weekday,time,mood,activities,scales,note_title,note\n",
                           "full_date,date,weekday,time,mood,activities,scales,note_title,note\n2024-05-04,May 4,Saturday,10:00,good,,,,\n")
    newer = _write(tmp_path, "daylio2.csv", later)
    capsys.readouterr()
    assert main(["import-app", str(newer), "--map", "Sleepy=4", "--dry-run", "--journal", str(journal)]) == 0
    out = capsys.readouterr().out
    assert "1 check-in to add, 3 rows already imported" in out and "Dry run: nothing was written." in out
    assert _hash(journal) == before


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("full_date,date,weekday,time,mood\n2024-02-30,x,y,21:00,rad\n", "2024-02-30"),
        ("full_date,date,weekday,time,mood\n2024-02-03,x,y,25:61,rad\n", "25:61"),
        ("name,age\nSam,40\n", "Daylio"),  # a foreign CSV: the apps it can read are named
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_line_and_value_and_nothing_changes(tmp_path, capsys, text, words):
    journal = tmp_path / "j.db"
    assert main(["import-app", str(_write(tmp_path, "daylio.csv", DAYLIO)), "--map", "Sleepy=4", "--journal", str(journal)]) == 0
    before = _hash(journal)
    capsys.readouterr()
    assert main(["import-app", str(_write(tmp_path, "bad.csv", text)), "--journal", str(journal)]) == 2
    assert words in capsys.readouterr().err
    assert _hash(journal) == before


def test_binary_and_missing_files_are_refused_plainly(tmp_path, capsys):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 10)
    assert main(["import-app", str(binary), "--journal", str(tmp_path / "j.db")]) == 2
    assert "not a text file" in capsys.readouterr().err
    assert main(["import-app", str(tmp_path / "nowhere.csv"), "--journal", str(tmp_path / "j.db")]) == 2
    assert "nowhere.csv" in capsys.readouterr().err


def test_an_empty_emoods_backup_and_a_file_missing_a_column_are_refused_by_name(tmp_path, capsys):
    import zipfile

    empty = tmp_path / "backup.emoods"
    with zipfile.ZipFile(empty, "w"):
        pass
    assert main(["import-app", str(empty), "--journal", str(tmp_path / "j.db")]) == 2
    assert "backup.emoods" in capsys.readouterr().err
    no_mood = _write(tmp_path, "daylio.csv", "full_date,date,weekday,time,activities\n2024-05-01,x,y,21:00,walk\n")
    assert main(["import-app", str(no_mood), "--app", "daylio", "--journal", str(tmp_path / "j.db")]) == 2
    assert "mood" in capsys.readouterr().err
    assert not (tmp_path / "j.db").exists()


def test_a_bad_map_is_named(tmp_path, capsys):
    export = _write(tmp_path, "daylio.csv", DAYLIO)
    assert main(["import-app", str(export), "--map", "Sleepy=eleven", "--journal", str(tmp_path / "j.db")]) == 2
    assert "--map 'Sleepy=eleven': the level must be a whole number from 0 to 10" in capsys.readouterr().err


@pytest.mark.slow
def test_the_real_command_imports_and_says_so(tmp_path):
    export = _write(tmp_path, "daylio.csv", DAYLIO)
    result = run_cli(tmp_path, "import-app", export, "--app", "daylio", "--map", "Sleepy=4", "--journal", tmp_path / "j.db")
    assert result.returncode == 0, result.stderr
    assert "Imported 3 Daylio entries" in result.stdout and "Traceback" not in result.stderr
