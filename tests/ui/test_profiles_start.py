"""Several journals on one account: the chooser at start when there are two or more, the default journal first, and Switch journal… locking the one open."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog

import journal.cli
from journal.errors import JournalError, JournalLockedError
from journal.opening import open_journal
from journal.records import Note
from journal.safekeeping.keystore import KdfParams
from journal.safekeeping.locking import JournalLock, channel_name
from journal.safekeeping.profiles import ProfileStore
from tests.ui.conftest import click, days_ago, shortcut
from ui import app as app_module
from ui import profiles_dialog
from ui.lock import install_privacy_pieces
from ui.main_window import MainWindow
from ui.passphrase_dialog import NewPassphrase, NewPassphraseDialog
from ui.session import JournalSession
from ui.single_window import WindowChannel
from ui.startup_profiles import DEFAULT_ID, Chooser, JournalChooser, JournalList, install_journal_switch, start_journal_path
from ui.welcome import WelcomeDialog

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "a long enough passphrase"


@pytest.fixture(autouse=True)
def keep_umask():
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def data(tmp_path, monkeypatch):
    """The person's data folder, in a temporary place: the default journal and the profiles live here."""
    folder = tmp_path / "data"
    monkeypatch.setattr(journal.cli, "default_journal_path", lambda: folder / "journal.db")
    return folder


def make_journal(path: Path, note: str, *, passphrase: str | None = None) -> None:
    access = open_journal(path, passphrase=passphrase, create=True, kdf=FAST)
    access.journal.notes.add(Note("", days_ago(1), note))
    access.close(backup=False)


def make_profile(data: Path, label: str, note: str, *, passphrase: str | None = None):
    entry = ProfileStore(data).create(label)
    make_journal(entry.journal_path, note, passphrase=passphrase)
    return entry


class ChooserDriver:
    """Replaces Chooser.run: the real chooser opens without a modal loop, a test answers it, and what it showed is kept."""

    def __init__(self, monkeypatch, qtbot):
        self.answers: list = []
        self.shown: list[list[str]] = []
        driver = self

        def run(cls, dialog):
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            driver.shown.append([dialog.list_widget.item(i).text() for i in range(dialog.list_widget.count())])
            driver.answers.pop(0)(dialog)
            return dialog.result() == QDialog.Accepted

        monkeypatch.setattr(Chooser, "run", classmethod(run))


@pytest.fixture
def chooser(monkeypatch, qtbot):
    return ChooserDriver(monkeypatch, qtbot)


def choose(qtbot, text: str):
    """Move down the list by keyboard to the journal whose entry starts with `text`, and press Enter."""

    def answer(dialog):
        widget = dialog.list_widget
        widget.setFocus()
        for _ in range(widget.count()):
            if widget.currentItem().text().replace("🔒 ", "").startswith(text):
                break
            qtbot.keyClick(widget, Qt.Key_Down)
        assert widget.currentItem().text().replace("🔒 ", "").startswith(text)
        qtbot.keyClick(widget, Qt.Key_Return)

    return answer


def close_it(dialog):
    dialog.reject()


class Started:
    """Stands in for the event loop of a start: records the window's journal and closes it."""

    def __init__(self, tmp_path):
        self.windows: list[dict] = []
        self.settings_path = tmp_path / "window.ini"

    def __call__(self, app) -> int:
        # the window is painted first and the journal put in it after: wait for it (or for the window to go)
        for _ in range(200):
            QApplication.processEvents()
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            if not windows or all(w.session is not None for w in windows):
                break
            time.sleep(0.01)
        for w in [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]:
            self.windows.append(
                {
                    "path": Path(w.session.journal.path),
                    "notes": [n.text for n in w.session.records("notes")],
                    "menu": [a.text() for a in w.journal_menu.actions()],
                }
            )
            w.qsettings = QSettings(str(self.settings_path), QSettings.IniFormat)
            w.close()
            w.deleteLater()
        QApplication.processEvents()
        return 0


@pytest.fixture
def started(monkeypatch, qapp, tmp_path):
    runner = Started(tmp_path)
    monkeypatch.setattr(QApplication, "exec", lambda self: runner(self))
    monkeypatch.setattr(MainWindow, "_restore_view_state", lambda self: None)
    return runner


@pytest.fixture
def first_run(monkeypatch):
    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None, *, offer_demo=False: "start"))
    monkeypatch.setattr(NewPassphraseDialog, "ask", classmethod(lambda cls, parent=None, allow_skip=True: NewPassphrase(None, False)))


# -- at start ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_first_run_makes_the_default_journal_where_the_command_line_looks(started, first_run, data, chooser):
    assert app_module.run() == 0
    (window,) = started.windows
    assert window["path"] == data / "journal.db" == journal.cli.default_journal_path()
    assert chooser.shown == []  # nothing to choose from
    assert "S&witch journal…" in window["menu"]


def test_one_journal_opens_directly_the_default_or_the_only_profile(started, data, chooser, tmp_path):
    make_journal(data / "journal.db", "in the default journal")
    assert app_module.run() == 0
    assert started.windows[-1]["notes"] == ["in the default journal"]

    other = tmp_path / "other"  # another data folder: no default journal there, one profile
    entry = make_profile(other, "Journal 1", "in the profile")
    assert start_journal_path(other / "journal.db") == entry.journal_path
    assert chooser.shown == []


@pytest.mark.slow
def test_two_journals_show_the_chooser_and_the_chosen_one_opens(qtbot, started, data, chooser):
    make_journal(data / "journal.db", "in the default journal")
    entry = make_profile(data, "Journal 2", "in journal 2")
    chooser.answers.append(choose(qtbot, "Journal 2"))
    assert app_module.run() == 0
    assert chooser.shown == [["Default journal", "Journal 2"]]
    (window,) = started.windows
    assert window["path"] == entry.journal_path
    assert window["notes"] == ["in journal 2"]
    # the folder says nothing about the person; the label is only in the list
    assert "Journal" not in entry.folder.name


@pytest.mark.slow
def test_closing_the_chooser_opens_nothing(started, data, chooser):
    make_journal(data / "journal.db", "default")
    make_profile(data, "Journal 2", "two")
    chooser.answers.append(close_it)
    assert app_module.run() == 0
    assert started.windows == []


def test_an_encrypted_profile_asks_for_its_passphrase_after_it_is_chosen(qtbot, started, data, chooser, monkeypatch):
    from ui.passphrase_dialog import OpenPassphraseDialog

    make_journal(data / "journal.db", "default")
    make_profile(data, "Private", "kept behind a passphrase", passphrase=PASS)
    asked = []
    monkeypatch.setattr(OpenPassphraseDialog, "ask", classmethod(lambda cls, message="", parent=None, *, label=None: asked.append(message) or (PASS, None)))
    chooser.answers.append(choose(qtbot, "Private"))
    assert app_module.run() == 0
    assert chooser.shown == [["Default journal", "Private (passphrase)"]]
    assert asked == [""]
    assert started.windows[0]["notes"] == ["kept behind a passphrase"]


@pytest.mark.slow
def test_a_new_journal_from_the_chooser_at_start_gets_the_first_run_welcome_and_its_own_folder(qtbot, started, first_run, data, chooser, monkeypatch):
    make_journal(data / "journal.db", "default")
    make_profile(data, "Journal 2", "two")
    monkeypatch.setattr(profiles_dialog.Ask, "label", classmethod(lambda cls, parent, title, text="": "Journal 3"))

    def new(dialog):
        click(qtbot, dialog.new_button)

    chooser.answers.append(new)
    assert app_module.run() == 0
    (window,) = started.windows
    labels = {e.label: e for e in ProfileStore(data).list()}
    assert window["path"] == labels["Journal 3"].journal_path and window["path"].exists()
    assert window["path"].parent.parent == data / "profiles"
    assert window["notes"] == []


def test_a_passphrase_file_is_for_the_default_journal_as_on_the_command_line(data, chooser):
    make_journal(data / "journal.db", "default")
    make_profile(data, "Journal 2", "two")
    assert start_journal_path(data / "journal.db", passphrase_file="pass.txt") == data / "journal.db"
    assert chooser.shown == []


# -- the chooser's list -------------------------------------------------------------------------


def test_the_default_journal_keeps_its_name_and_place_but_a_profile_can_be_renamed_and_removed(qtbot, data, monkeypatch):
    make_journal(data / "journal.db", "default")
    entry = make_profile(data, "Journal 2", "two")
    notices = []
    monkeypatch.setattr(profiles_dialog.Ask, "label", classmethod(lambda cls, parent, title, text="": "Sam's"))
    confirmed = []
    monkeypatch.setattr(profiles_dialog.Ask, "confirm_remove", classmethod(lambda cls, parent, e: confirmed.append(e.label) or True))
    monkeypatch.setattr(profiles_dialog.Ask, "notice", classmethod(lambda cls, parent, title, text: notices.append(text)))
    store = JournalList(data / "journal.db")
    dialog = JournalChooser(store, open_chosen=False)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.selected().id == DEFAULT_ID
    assert not dialog.rename_button.isEnabled() and not dialog.remove_button.isEnabled()
    assert "command line" in dialog.list_widget.item(0).toolTip()
    assert "command line" in dialog.status_label.text()  # why Rename and Remove are greyed out
    with pytest.raises(JournalError, match="command line"):
        store.remove(DEFAULT_ID)
    with pytest.raises(JournalError, match="command line"):
        store.rename(DEFAULT_ID, "Mine")
    with pytest.raises(JournalError, match="choose another name"):
        store.create("default journal")

    dialog.list_widget.setFocus()
    qtbot.keyClick(dialog.list_widget, Qt.Key_Down)
    assert dialog.rename_button.isEnabled() and dialog.remove_button.isEnabled()
    click(qtbot, dialog.rename_button)
    assert [dialog.list_widget.item(i).text() for i in range(2)] == ["Default journal", "Sam's"]
    click(qtbot, dialog.remove_button)
    assert confirmed == ["Sam's"]
    assert [e.id for e in store.list()] == [DEFAULT_ID]
    (final,) = store.final_copies()
    assert (final / "journal.db").exists()  # the final backup, kept until the person deletes it
    assert "final copy" in notices[0]
    assert (data / "journal.db").exists() and not entry.folder.exists()


# -- switching in the window ---------------------------------------------------------------------


@pytest.fixture
def switching(qtbot, data, look, tmp_path, monkeypatch):
    """A window as the start-up builds it, on the default journal, with a profile beside it."""
    make_journal(data / "journal.db", "in the default journal")
    profile = make_profile(data, "Journal 2", "in journal 2")
    access = open_journal(data / "journal.db", create=False)
    window = MainWindow(JournalSession(access.journal, access=access), settings=QSettings(str(tmp_path / "w.ini"), QSettings.IniFormat), look=look)
    qtbot.addWidget(window)
    install_privacy_pieces(window, idle_minutes=0)
    switcher = install_journal_switch(window)
    WindowChannel(access.path, window)  # a second start for this journal brings this window forward
    window.show()
    qtbot.waitExposed(window)
    yield window, switcher, access, profile
    if window.auto_lock.unlock_dialog is not None:
        window.auto_lock.unlock_dialog.done(QDialog.Rejected)
    switcher.close_opened()
    access.close(backup=False)


@pytest.mark.slow
def test_switch_journal_locks_this_one_and_shows_the_chosen_one(qtbot, switching, chooser, monkeypatch):
    window, switcher, old, profile = switching
    window.caregiver.set_author("Sam")
    seen = {}

    def answer(dialog):
        # while choosing, nothing of the old journal is on screen and its file is closed
        seen["locked"] = old.locked
        seen["rows"] = window.lists["notes"].model.rowCount()
        seen["title"] = dialog.windowTitle()
        choose(qtbot, "Journal 2")(dialog)

    chooser.answers.append(answer)
    shortcut(qtbot, window, Qt.Key_O)

    assert seen == {"locked": True, "rows": 0, "title": "Switch journal"}
    assert chooser.shown == [["Default journal — open in this window (locked)", "Journal 2"]]
    assert Path(window.session.access.path) == profile.journal_path
    assert [window.lists["notes"].model.record_at(0).text] == ["in journal 2"]
    assert window.centralWidget().isEnabled() and window.auto_lock.unlock_dialog is None
    assert window.caregiver.button.text() == "Entering as: the owner"  # another journal starts with its owner
    assert "Journal 2" in window.statusBar().currentMessage()
    # a second start for the journal now shown brings this window forward, not one for the old journal
    (channel,) = [c for c in window.findChildren(QObject) if isinstance(c, WindowChannel)]
    assert channel.name == channel_name(profile.journal_path) and channel.listening
    # the old journal was closed and let go: another window or the command line can open it now
    assert old.closed
    with JournalLock(old.path):
        pass
    with pytest.raises(JournalLockedError):
        JournalLock(profile.journal_path).acquire()
    switcher.close_opened()  # what quitting does
    with JournalLock(profile.journal_path):
        pass


@pytest.mark.slow
def test_cancelling_a_switch_leaves_the_journal_locked_until_it_is_unlocked(qtbot, switching, chooser):
    window, switcher, old, profile = switching
    chooser.answers.append(close_it)
    assert switcher.switch() is False
    assert old.locked and window.lists["notes"].model.rowCount() == 0
    unlock = window.auto_lock.unlock_dialog
    assert unlock is not None and unlock.isVisible()
    click(qtbot, unlock.unlock_button)  # no passphrase on this journal: Unlock is enough
    assert not old.locked
    assert window.lists["notes"].model.record_at(0).text == "in the default journal"


@pytest.mark.slow
def test_choosing_the_open_journal_again_goes_back_through_its_lock_screen(qtbot, switching, chooser):
    window, switcher, old, profile = switching
    chooser.answers.append(choose(qtbot, "Default journal"))
    assert switcher.switch() is False
    assert old.locked and window.auto_lock.unlock_dialog is not None
    assert Path(window.session.access.path) == old.path


@pytest.mark.slow
def test_the_journal_open_in_this_window_cannot_be_removed_while_switching(qtbot, switching, chooser):
    window, switcher, old, profile = switching
    other = ProfileStore(profile.folder.parent.parent).create("Third")
    seen = {}

    def answer(dialog):
        store = dialog.store
        store.current_path = other.journal_path  # as if the window showed "Third"
        dialog.refresh()
        third = next(i for i in range(dialog.list_widget.count()) if "Third" in dialog.list_widget.item(i).text())
        dialog.list_widget.setCurrentRow(third)
        seen["remove_enabled"] = dialog.remove_button.isEnabled()
        with pytest.raises(JournalError, match="open in this window"):
            store.remove(other.id)
        dialog.reject()

    chooser.answers.append(answer)
    switcher.switch()
    assert seen["remove_enabled"] is False
