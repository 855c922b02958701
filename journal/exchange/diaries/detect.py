"""Which app wrote a diary file, and reading it with that app's reader: from bytes, or from a file on disk.

The app is told (a key of APPS) or found from the content: each reader takes a cheap look at
the file's first line (an eMoods backup at the list of its zip). A file no reader recognises is
refused with the apps the journal can read; a file too large, missing or unreadable is refused
with the reason, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date

from journal.exchange.diaries import bearable, daylio, emoods, imoodjournal, t2
from journal.exchange.diaries.source import APPS, DiaryFileError, SourceFile
from journal.exchange.diaries.text import NOT_TEXT, decode

__all__ = ["MAX_FILE_BYTES", "READERS", "detect", "read_source", "read_path"]

MAX_FILE_BYTES = 50 * 1024 * 1024  # ten years of several entries a day are a few MB; anything far larger is not a diary export


class _Reader:
    """One app's reader: how to recognise its file and how to read it."""

    def __init__(self, looks_like: Callable[[bytes], bool], read: Callable[..., SourceFile]) -> None:
        self.looks_like = looks_like
        self.read = read


# In the order they are asked; their headers share no required column, so the order only saves time.
READERS: Mapping[str, _Reader] = {
    "daylio": _Reader(daylio.looks_like, daylio.read),
    "emoods": _Reader(emoods.looks_like, emoods.read),
    "imoodjournal": _Reader(imoodjournal.looks_like, imoodjournal.read),
    "bearable": _Reader(bearable.looks_like, bearable.read),
    "t2": _Reader(t2.looks_like, t2.read),
}


def detect(data: bytes) -> str | None:
    """The app (a key of APPS) whose export the file looks like, or None when none of them."""
    return next((app for app, reader in READERS.items() if reader.looks_like(data)), None)


def _unknown(data: bytes) -> DiaryFileError:
    apps = ", ".join(APPS.values())
    decode(data)  # binary or undecodable text is refused by name first
    return DiaryFileError(f"this file is not an export the journal recognises: it reads files of {apps}; name the app if it is one")


def read_source(data: bytes, app: str | None = None, *, today: date | None = None) -> SourceFile:
    """The file read by `app`'s reader (a key of APPS), or by the reader that recognises it when `app` is None."""
    if app is not None and app not in READERS:
        raise DiaryFileError(f"unknown app {app!r}: choose one of {', '.join(APPS)}")
    if not data:
        raise DiaryFileError("the file is empty")
    if app is None:
        app = detect(data)
        if app is None:
            if emoods.is_zip(data):
                return emoods.read(data, today=today)  # an empty, damaged or foreign zip is named by the eMoods reader
            raise _unknown(data)
    elif app != "emoods" and emoods.is_zip(data):
        raise DiaryFileError(f"{NOT_TEXT}: it is a zip file, and {APPS[app]} exports are CSV text")
    return READERS[app].read(data, today=today)


def read_path(path: str | os.PathLike[str], app: str | None = None, *, today: date | None = None) -> SourceFile:
    """The file at `path` read whole by its app's reader; too large, missing or unreadable, refused with the reason."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise DiaryFileError(_too_large(size))
            data = f.read(MAX_FILE_BYTES + 1)  # a file growing while it is read is still capped
    except OSError as e:
        raise DiaryFileError(f"the file cannot be read: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise DiaryFileError(_too_large(len(data)))
    return read_source(data, app, today=today)


def _too_large(size: int) -> str:
    return f"the file is too large to be a diary export: {size / (1024 * 1024):,.1f} MB, the most is {MAX_FILE_BYTES // (1024 * 1024)} MB"
