"""No file or folder name is kept or shown where it should not be: not on the lock screen's window, not in any settings file."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from journal.records import Note
from tests.ui.conftest import days_ago
from ui import file_names
from ui.main_window import FileChooser
from ui.report_dialog import PathChooser, install_report_actions


@pytest.fixture
def config_home(tmp_path):
    """The person's config folder, here a temporary one: where Qt's file dialog writes QtProject.conf."""
    home = tmp_path / "config"
    home.mkdir()
    before = Path(QSettings(QSettings.NativeFormat, QSettings.UserScope, "QtProject").fileName()).parent
    QSettings.setPath(QSettings.NativeFormat, QSettings.UserScope, str(home))
    yield home
    QSettings.setPath(QSettings.NativeFormat, QSettings.UserScope, str(before))


def everything_under(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def qt_file_dialog_that_goes_to(folder: Path, name: str):
    """Stands in for the modal QFileDialog.get*FileName: a real Qt file dialog visits `folder`, picks `name` and closes.

    Closing it runs Qt's own code that remembers the folder (its history, its last folder) in QtProject.conf.
    """

    def run(parent, title, start, filter_, options=None):
        dialog = QFileDialog(parent, title, str(folder), filter_)
        dialog.setOptions(options or QFileDialog.DontUseNativeDialog)
        dialog.setDirectory(str(folder))
        dialog.selectFile(name)
        chosen = str(folder / name)
        shiboken6.delete(dialog)  # what the static function does when the dialog closes
        return chosen, filter_

    return run


@pytest.mark.slow
@pytest.mark.parametrize("ask", ["report", "import", "export"])
def test_no_folder_the_file_dialog_visits_reaches_any_settings_file(qtbot, window, tmp_path, config_home, monkeypatch, ask):
    private = tmp_path / "Sams-therapy-notes"
    private.mkdir()
    (private / "march-appointment.pdf").write_bytes(b"")
    # another Qt program's remembered folders are left as they were
    other = QSettings(QSettings.NativeFormat, QSettings.UserScope, "QtProject")
    other.setValue("FileDialog/lastVisited", "file:///home/someone/Pictures")
    other.sync()
    del other
    fake = qt_file_dialog_that_goes_to(private, "march-appointment.pdf")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    if ask == "report":
        chosen = PathChooser.save_path(window, "Save the appointment report", "PDF files (*.pdf)", "report.pdf")
    elif ask == "import":
        chosen = FileChooser.open_path(window, "Import a journal file", "Journal files (*.json)")
    else:
        chosen = FileChooser.save_path(window, "Export the journal", "Journal files (*.json)")
    assert chosen == str(private / "march-appointment.pdf")  # the person's choice still comes back
    window.save_view_state()
    written = everything_under(config_home) + everything_under(Path(window.qsettings.fileName()).parent)
    assert "Sams-therapy-notes" not in written and "march-appointment" not in written
    assert "/home/someone/Pictures" in written


@pytest.mark.slow
def test_the_shared_qt_settings_file_is_not_made_when_it_was_not_there(qtbot, window, tmp_path, config_home, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(qt_file_dialog_that_goes_to(tmp_path, "x.json")))
    FileChooser.save_path(window, "Export the journal", "Journal files (*.json)")
    assert not (config_home / "QtProject.conf").exists()
    assert file_names.QT_SETTINGS_NAME == "QtProject"


def test_while_locked_the_status_bar_does_not_name_the_file_just_written(qtbot, window, tmp_path, monkeypatch):
    window.session.add("notes", Note(id="", date=days_ago(0), text="ask about lithium"))
    actions = install_report_actions(window)
    target = tmp_path / "sams-export"
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(target)))
    actions["csv"].trigger()
    qtbot.waitUntil(lambda: "sams-export" in window.statusBar().currentMessage(), timeout=30_000)
    window.lock()  # (no passphrase here: the views empty as on the lock screen)
    message = window.statusBar().currentMessage()
    assert "sams-export" not in message and message == "The journal is locked."
