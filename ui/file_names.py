"""Asking for a file name without keeping it: Qt's own file dialog, whose remembered folders are put back as they were.

Qt's file dialog writes the folder it was last in, its history and its sidebar to the desktop's
shared Qt settings (QtProject.conf under the person's config folder) when it closes. The journal
promises that no file or folder name is kept, so that group of settings is taken as it was before
the dialog opened and written back the moment it closes: other Qt programs keep their own history,
and nothing of the journal's folders stays behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

__all__ = ["ask_open_path", "ask_save_path", "folders_not_remembered"]

QT_SETTINGS_NAME = "QtProject"  # the organisation name Qt's own dialogs keep their settings under
FILE_DIALOG_GROUP = "FileDialog"


def _qt_settings() -> QSettings:
    return QSettings(QSettings.NativeFormat, QSettings.UserScope, QT_SETTINGS_NAME)


@contextmanager
def folders_not_remembered() -> Iterator[None]:
    """Around a file dialog: whatever it writes about folders and files is undone when it closes."""
    settings = _qt_settings()
    file = Path(settings.fileName())
    existed = file.exists()
    settings.beginGroup(FILE_DIALOG_GROUP)
    before = {key: settings.value(key) for key in settings.allKeys()}
    settings.endGroup()
    del settings
    try:
        yield
    finally:
        settings = _qt_settings()
        settings.remove(FILE_DIALOG_GROUP)
        for key, value in before.items():
            settings.setValue(f"{FILE_DIALOG_GROUP}/{key}", value)
        settings.sync()
        empty = not settings.allKeys()
        del settings
        if not existed and empty:
            file.unlink(missing_ok=True)  # it was not there before the journal asked for a file name


def ask_open_path(parent: QWidget | None, title: str, filter_: str, start: str = "") -> str | None:
    """A file to read, or None when the person cancelled; Qt's own dialog (the desktop's keeps a recent-files list)."""
    with folders_not_remembered():
        path, _ = QFileDialog.getOpenFileName(parent, title, start, filter_, options=QFileDialog.DontUseNativeDialog)
    return path or None


def ask_save_path(parent: QWidget | None, title: str, filter_: str, suggested: str = "") -> str | None:
    """Where to write a file, or None when the person cancelled; replacing is asked later (ui.save_target), once the ending is added."""
    options = QFileDialog.DontUseNativeDialog | QFileDialog.DontConfirmOverwrite
    with folders_not_remembered():
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_, options=options)
    return path or None
