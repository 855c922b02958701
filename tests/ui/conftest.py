"""Window test fixtures: a real journal in a temporary folder, the main window on it, and dialogs driven through their ask() hooks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMenu, QMessageBox, QWidget

from journal.opening import open_file
from ui.main_window import MainWindow
from ui.session import JournalSession
from ui.theme import Look

TODAY = date.today()


@pytest.fixture(autouse=True)
def no_modal_loops(monkeypatch):
    """A modal dialog in a test would wait for a click forever: fail at once, naming the hook to patch."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__} opened modally in a test; replace its ask() hook instead")

    for cls in (QDialog, QMessageBox, QMenu):
        monkeypatch.setattr(cls, "exec", refuse)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def journal(tmp_path):
    j = open_file(tmp_path / "journal.db", create=True)
    yield j
    j.close()


def journal_file_with_a_trial(path: Path) -> Path:
    """A closed journal file at `path` holding one ongoing trial of Moodbetterol, for tests that start the real program."""
    from journal.opening import open_journal
    from journal.records import DoseStep, Trial

    access = open_journal(path, create=True)
    access.journal.trials.add(Trial(id="", drug="Moodbetterol", doses=(DoseStep(days_ago(10), 10.0),)))
    access.close(backup=False)
    return path


@pytest.fixture
def session(journal, qapp):
    return JournalSession(journal, today=TODAY)


@pytest.fixture
def look(qapp):
    look = Look(qapp)
    look.apply()
    yield look
    look.apply("system", 1.0)  # the next test starts from the system look at 100 %


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.IniFormat)


@pytest.fixture
def window(qtbot, session, qsettings, look):
    w = MainWindow(session, settings=qsettings, look=look)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.chart_ready, timeout=10_000):
        w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5_000)
    return w


class DialogDriver:
    """Replaces a dialog class's ask() so the real dialog opens non-modally and a test fills it in."""

    def __init__(self, monkeypatch, qtbot):
        self.monkeypatch = monkeypatch
        self.qtbot = qtbot
        self.opened: list[QDialog] = []

    def on(self, dialog_class, fill: Callable[[QDialog], None]) -> None:
        driver = self

        def ask(cls, parent, session, record=None):
            dialog = cls(session, record, parent)
            driver.qtbot.addWidget(dialog)
            dialog.show()
            driver.qtbot.waitExposed(dialog)
            dialog.activateWindow()
            driver.qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
            driver.opened.append(dialog)
            fill(dialog)
            if parent is not None and not dialog.isVisible():
                # a window manager gives the focus back to the window when a dialog closes
                parent.activateWindow()
                driver.qtbot.waitUntil(parent.isActiveWindow, timeout=5_000)
            return dialog.saved if dialog.result() == QDialog.Accepted else None

        self.monkeypatch.setattr(dialog_class, "ask", classmethod(ask))

    @property
    def last(self) -> QDialog:
        return self.opened[-1]


@pytest.fixture
def dialogs(monkeypatch, qtbot):
    return DialogDriver(monkeypatch, qtbot)


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Replace a field's text as a person does: select all, then type."""
    target = widget.line if hasattr(widget, "line") else widget
    if isinstance(target, QLineEdit):
        target.setFocus()
        target.selectAll()
        qtbot.keyClick(target, Qt.Key_Backspace)
    qtbot.keyClicks(target, text)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.LeftButton)


def toggle(qtbot, checkbox) -> None:
    """Tick or untick a box from the keyboard (a click in the empty space beside its label does nothing)."""
    checkbox.setFocus()
    qtbot.keyClick(checkbox, Qt.Key_Space)


def shortcut(qtbot, window, key, modifiers=Qt.ControlModifier) -> None:
    qtbot.keyClick(window, key, modifiers)


@pytest.fixture
def spoken(monkeypatch):
    """What the window hands to Qt for screen readers to say: (message, assertive)."""
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    heard: list[tuple[str, bool]] = []
    real = QAccessible.updateAccessibility

    def listen(event):
        if isinstance(event, QAccessibleAnnouncementEvent):
            heard.append((event.message(), event.politeness() == QAccessible.AnnouncementPoliteness.Assertive))
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(listen))
    return heard
