"""Finding which app wrote a file and reading it: each app recognised, a foreign or binary file refused, a file on disk read or refused with why."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from journal.exchange.diaries import detect
from journal.exchange.diaries.source import APPS, DiaryFileError

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 1, 1)
SAMPLES = {
    "daylio_export_2024_05_20.csv": "daylio",
    "daylio_export_2022_03_27.csv": "daylio",
    "daylio_export_2019.csv": "daylio",
    "entry.csv": "emoods",
    "iMoodJournal.csv": "imoodjournal",
    "Bearable_Export_20210512.csv": "bearable",
    "t2_export.csv": "t2",
}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_every_app_has_a_reader():
    assert set(detect.READERS) == set(APPS)


@pytest.mark.parametrize(("name", "app"), SAMPLES.items())
def test_each_apps_export_is_recognised_and_read_by_its_reader(name, app):
    data = (FIXTURES / name).read_bytes()
    assert detect.detect(data) == app
    source = detect.read_source(data, today=TODAY)
    assert source.app == app and source.rows and source.problems == ()
    assert source == detect.read_source(data, app, today=TODAY)


def test_an_emoods_backup_is_recognised_from_its_zip():
    backup = zipped({"entry.csv": (FIXTURES / "entry.csv").read_bytes()})
    assert detect.detect(backup) == "emoods"
    assert detect.read_source(backup, today=TODAY).rows


def test_a_foreign_csv_is_refused_naming_the_apps_the_journal_reads():
    with pytest.raises(DiaryFileError, match="Daylio, eMoods, iMoodJournal, Bearable, T2 Mood Tracker") as e:
        detect.read_source(b"Name,Amount,Category\nRent,800,Home\n")
    assert "not an export the journal recognises" in str(e.value)
    assert detect.detect(b"Name,Amount,Category\nRent,800,Home\n") is None


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), bytes(range(256)) * 8])
def test_a_binary_file_is_refused_as_not_a_text_file(data):
    assert detect.detect(data) is None
    with pytest.raises(DiaryFileError, match="this is not a text file"):
        detect.read_source(data)


def test_an_empty_file_is_refused():
    with pytest.raises(DiaryFileError, match="the file is empty"):
        detect.read_source(b"")


def test_a_zip_that_is_not_an_emoods_backup_is_refused_by_name():
    with pytest.raises(DiaryFileError, match="no entry.csv"):
        detect.read_source(zipped({"backup.daylio": b"x"}))
    with pytest.raises(DiaryFileError, match="empty"):
        detect.read_source(zipped({}))
    with pytest.raises(DiaryFileError, match="this is not a text file: it is a zip file, and Daylio exports are CSV text"):
        detect.read_source(zipped({"entry.csv": b"x"}), "daylio")


def test_an_unknown_app_is_refused_naming_the_ones_there_are():
    with pytest.raises(DiaryFileError, match="unknown app 'moodnotes': choose one of daylio, emoods, imoodjournal, bearable, t2"):
        detect.read_source(b"a,b\n", "moodnotes")


def test_the_app_given_reads_the_file_even_when_its_header_is_not_that_apps():
    source = detect.read_source((FIXTURES / "iMoodJournal.csv").read_bytes(), "daylio", today=TODAY)
    assert source.app == "daylio" and source.rows == ()
    assert {p.column for p in source.problems} == {"full_date", "time", "mood"}


def test_a_file_on_disk_is_read_whole(tmp_path):
    path = tmp_path / "daylio_export_2024_05_20.csv"
    path.write_bytes((FIXTURES / "daylio_export_2024_05_20.csv").read_bytes())
    source = detect.read_path(path, today=TODAY)
    assert source.app == "daylio" and len(source.rows) == 4
    assert detect.read_path(str(path), "daylio", today=TODAY) == source


def test_a_missing_file_or_a_folder_is_refused_with_the_reason(tmp_path):
    with pytest.raises(DiaryFileError, match="the file cannot be read: No such file or directory"):
        detect.read_path(tmp_path / "missing.csv")
    with pytest.raises(DiaryFileError, match="the file cannot be read: Is a directory"):
        detect.read_path(tmp_path)


def test_an_unreadable_file_is_refused_with_the_reason(tmp_path, monkeypatch):
    path = tmp_path / "entry.csv"
    path.write_bytes(b"DATE,ANXIETY\n")

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(detect, "open", refused, raising=False)  # the tests may run as an administrator, who reads any file
    with pytest.raises(DiaryFileError, match="the file cannot be read: Permission denied"):
        detect.read_path(path)


def test_a_file_larger_than_the_most_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(detect, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "big.csv"
    path.write_bytes(b"full_date,date,weekday,time,mood\n" + b"x" * (3 * 1024 * 1024))
    with pytest.raises(DiaryFileError, match=r"too large to be a diary export: 3\.0 MB, the most is 1 MB"):
        detect.read_path(path)
