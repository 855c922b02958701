"""Atomic writes: a failed save never damages the file the person already had."""

from __future__ import annotations

import os
import stat

import pytest

from journal.errors import JournalError
from journal.files import atomic
from journal.files.atomic import atomic_directory, atomic_write


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_bytes_private_to_the_owner(tmp_path):
    out = atomic_write(tmp_path / "a.txt", b"hello")
    assert out.read_bytes() == b"hello"
    assert _mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_writes_through_a_callable(tmp_path):
    atomic_write(tmp_path / "b.bin", lambda f: f.write(b"abc"))
    assert (tmp_path / "b.bin").read_bytes() == b"abc"


def test_replacing_a_world_readable_file_leaves_it_private(tmp_path):
    target = tmp_path / "c.txt"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o600


def test_a_failure_mid_write_keeps_the_earlier_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"earlier report")

    def half_then_fail(f):
        f.write(b"half of a new")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == b"earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_failed_rename_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"earlier report")

    def broken_replace(src, dst):
        raise OSError("rename failed")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_missing_folder_is_named_in_the_message(tmp_path):
    with pytest.raises(JournalError, match="does not exist"):
        atomic_write(tmp_path / "nope" / "x.pdf", b"x")


def test_directory_replaces_an_earlier_export_only(tmp_path):
    target = tmp_path / "export"
    with atomic_directory(target, replaceable=lambda p: True) as staging:
        (staging / "one.csv").write_text("1")
    assert (target / "one.csv").read_text() == "1"
    with atomic_directory(target, replaceable=lambda p: True) as staging:
        (staging / "two.csv").write_text("2")
    assert sorted(p.name for p in target.iterdir()) == ["two.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_directory_refuses_a_folder_holding_other_files(tmp_path):
    target = tmp_path / "Documents"
    target.mkdir()
    (target / "thesis.docx").write_text("precious")
    with pytest.raises(JournalError, match="other files"), atomic_directory(target, replaceable=lambda p: False):
        pass
    assert (target / "thesis.docx").read_text() == "precious"


def test_directory_failure_keeps_the_earlier_export(tmp_path):
    target = tmp_path / "export"
    target.mkdir()
    (target / "old.csv").write_text("old")
    with pytest.raises(RuntimeError), atomic_directory(target, replaceable=lambda p: True) as staging:
        (staging / "new.csv").write_text("new")
        raise RuntimeError("disk full")
    assert sorted(p.name for p in target.iterdir()) == ["old.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]
