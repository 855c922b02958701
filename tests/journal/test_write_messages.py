"""A file that cannot be written is named as the person chose it, with the reason in plain words: never a temporary name, never raw OS text."""

from __future__ import annotations

import errno
import os
import tempfile

import pytest

from journal.files import atomic
from journal.files.atomic import CannotWriteError, atomic_write, os_error_words


def test_a_read_only_folder_is_named_not_the_temporary_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".r.pdf.39exqrnb.part"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(CannotWriteError) as caught:
        atomic_write(tmp_path / "r.pdf", b"%PDF")
    text = str(caught.value)
    assert "Cannot write r.pdf" in text and f"the folder {tmp_path} does not let you add files" in text
    assert ".part" not in text and "Errno" not in text and "Permission denied" not in text
    assert isinstance(caught.value, OSError)  # callers that catch OSError still do
    assert list(tmp_path.iterdir()) == []


def test_an_unchangeable_file_already_there_is_named_and_left_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"the earlier report")

    def refuse(src, dst):
        raise PermissionError(errno.EPERM, "Operation not permitted", src, None, dst)

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(CannotWriteError) as caught:
        atomic_write(target, b"%PDF new")
    text = str(caught.value)
    assert "the file already there is protected" in text and "Nothing was written" in text
    assert ".part" not in text and "Operation not permitted" not in text
    assert target.read_bytes() == b"the earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.EPERM, "is protected (read-only, locked or marked unchangeable)"),
        (errno.EACCES, "is protected (read-only, locked or marked unchangeable)"),
        (errno.EROFS, "is on a read-only disk"),
        (errno.ENOSPC, "is full"),
    ],
)
def test_other_file_errors_are_said_in_plain_words_naming_the_file(code, words):
    text = os_error_words(OSError(code, os.strerror(code), "/home/me/journal.db"))
    assert "/home/me/journal.db" in text and words in text
    assert os.strerror(code) not in text
