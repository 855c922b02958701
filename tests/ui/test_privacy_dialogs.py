"""The privacy dialogs as a person uses them: choosing and protecting a journal, changing the passphrase, backups and Check journal."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from journal.errors import WrongPassphraseError
from journal.opening import open_journal
from journal.records import Note
from journal.safekeeping import keystore
from journal.safekeeping.keystore import KdfParams
from journal.safekeeping.profiles import ProfileStore
from ui import backups_dialog, profiles_dialog
from ui.backups_dialog import BackupsDialog, install_backup_actions
from ui.main_window import MainWindow
from ui.passphrase_dialog import ChangePassphraseDialog, NewPassphrase, NewPassphraseDialog, install_passphrase_actions
from ui.profiles_dialog import ProfilesDialog
from ui.session import JournalSession

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "a long enough passphrase"
TODAY = date.today()


@pytest.fixture
def store(tmp_path):
    return ProfileStore(tmp_path / "data")


@pytest.fixture
def access(tmp_path):
    a = open_journal(tmp_path / "profile" / "journal.db", passphrase=PASS, create=True, kdf=FAST)
    a.journal.notes.add(Note("", TODAY, "first note"))
    yield a
    a.close(backup=False)


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.LeftButton)


@pytest.mark.slow
def test_a_new_journal_is_made_protected_and_its_recovery_code_shown_once(qtbot, store, monkeypatch):
    shown = []
    monkeypatch.setattr(profiles_dialog.Ask, "label", classmethod(lambda cls, parent, title, text="": "Journal 1"))
    monkeypatch.setattr(profiles_dialog.Ask, "new_passphrase", classmethod(lambda cls, parent: NewPassphrase(PASS, True)))
    monkeypatch.setattr(profiles_dialog.Ask, "show_recovery_code", classmethod(lambda cls, parent, code: shown.append(code)))
    dialog = ProfilesDialog(store)
    qtbot.addWidget(dialog)
    assert "no journal yet" in dialog.status_label.text()
    _click(qtbot, dialog.new_button)
    access = dialog.access
    try:
        assert access is not None and access.encrypted and access.recovery_code is None
        assert len(shown) == 1
        assert keystore.unlock_with_recovery_code(access.path, shown[0])
        assert [e.label for e in store.list()] == ["Journal 1"]
    finally:
        access.close(backup=False)


def test_opening_asks_for_the_passphrase_until_it_is_right(qtbot, store, monkeypatch):
    entry = store.create("Sam")
    open_journal(entry.journal_path, passphrase=PASS, create=True, kdf=FAST).close(backup=False)
    asked = []
    answers = iter([("wrong passphrase", None), (PASS, None)])

    def _answer(cls, parent, message, label):
        asked.append((message, label))
        return next(answers)

    monkeypatch.setattr(profiles_dialog.Ask, "passphrase", classmethod(_answer))
    dialog = ProfilesDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.list_widget.item(0).text() == "Sam (passphrase)"
    _click(qtbot, dialog.open_button)
    try:
        assert dialog.access is not None and not dialog.access.locked
        assert asked[0] == ("", "Sam")
        assert "does not open" in asked[1][0]
    finally:
        dialog.access.close(backup=False)


def test_rename_and_remove_from_the_list(qtbot, store, monkeypatch):
    entry = store.create("Old")
    open_journal(entry.journal_path, create=True).close(backup=False)
    notices = []
    monkeypatch.setattr(profiles_dialog.Ask, "label", classmethod(lambda cls, parent, title, text="": "New"))
    monkeypatch.setattr(profiles_dialog.Ask, "confirm_remove", classmethod(lambda cls, parent, e: True))
    monkeypatch.setattr(profiles_dialog.Ask, "notice", classmethod(lambda cls, parent, title, text: notices.append(text)))
    dialog = ProfilesDialog(store)
    qtbot.addWidget(dialog)
    _click(qtbot, dialog.rename_button)
    assert dialog.list_widget.item(0).text() == "New"
    _click(qtbot, dialog.remove_button)
    assert dialog.list_widget.count() == 0 and store.list() == []
    assert "final copy" in notices[0]
    assert len(store.final_copies()) == 1


def test_the_new_passphrase_must_be_typed_twice_the_same_and_can_be_skipped(qtbot):
    dialog = NewPassphraseDialog()
    qtbot.addWidget(dialog)
    assert "nobody can open this journal" in dialog.findChild(type(dialog.error_label), "honestLimits").text()
    qtbot.keyClicks(dialog.passphrase_field, "short")
    _click(qtbot, dialog.protect_button)
    assert "shorter than 8" in dialog.error_label.text() and dialog.choice is None
    dialog.passphrase_field.clear()
    qtbot.keyClicks(dialog.passphrase_field, PASS)
    qtbot.keyClicks(dialog.repeat_field, PASS + "x")
    _click(qtbot, dialog.protect_button)
    assert "not the same" in dialog.error_label.text() and dialog.choice is None
    _click(qtbot, dialog.skip_button)
    assert dialog.choice == NewPassphrase(None, False)


def test_changing_the_passphrase_in_the_window(qtbot, access):
    dialog = ChangePassphraseDialog(access)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current_field, "not it")
    qtbot.keyClicks(dialog.new_field, "a new long passphrase")
    qtbot.keyClicks(dialog.repeat_field, "a new long passphrase")
    dialog._on_buttons_accepted()
    assert "not right; nothing was changed" in dialog.error_label.text()
    dialog.current_field.clear()
    qtbot.keyClicks(dialog.current_field, PASS)
    dialog._on_buttons_accepted()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.backup is not None and dialog.backup.reason == "passphrase"
    assert keystore.unlock(access.path, "a new long passphrase")


@pytest.mark.slow
def test_backups_check_and_restore_from_the_window(qtbot, access, qsettings, look, monkeypatch):
    window = MainWindow(JournalSession(access.journal, access=access, today=TODAY), settings=qsettings, look=look)
    qtbot.addWidget(window)
    install_backup_actions(window)
    install_passphrase_actions(window)
    assert window.passphrase_actions.change_action.isVisible()

    dialog = BackupsDialog(access, window)
    qtbot.addWidget(dialog)
    dialog.restored.connect(window.unlocked)
    _click(qtbot, dialog.backup_button)
    qtbot.waitUntil(lambda: "written and checked" in dialog.status_label.text(), timeout=10_000)
    assert dialog.list_widget.count() == 1

    window.session.journal.notes.add(Note("", TODAY, "second note"))
    _click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: "no problems were found" in dialog.status_label.text(), timeout=10_000)
    assert dialog.list_widget.count() == 2  # Check journal backs up first

    monkeypatch.setattr(backups_dialog.Confirm, "ask", classmethod(lambda cls, parent, title, text: True))
    dialog.list_widget.setCurrentRow(1)  # the older one: before the second note
    _click(qtbot, dialog.restore_button)
    qtbot.waitUntil(lambda: "The backup was restored" in dialog.status_label.text(), timeout=10_000)  # off the window's thread
    assert [n.text for n in window.session.journal.notes.list()] == ["first note"]
    assert sum(panel.model.rowCount() for panel in window.lists.values()) == 1
    assert dialog.list_widget.count() == 3  # the journal as it was is a backup too


@pytest.mark.slow
def test_passphrase_entries_are_hidden_for_a_journal_without_one(qtbot, tmp_path, qsettings, look):
    plain = open_journal(tmp_path / "plain" / "journal.db", create=True)
    try:
        window = MainWindow(JournalSession(plain.journal, access=plain, today=TODAY), settings=qsettings, look=look)
        qtbot.addWidget(window)
        actions = install_passphrase_actions(window)
        assert not actions.change_action.isVisible() and not actions.recovery_action.isVisible()
    finally:
        plain.close(backup=False)


@pytest.mark.slow
def test_a_journal_without_a_passphrase_is_protected_from_the_menu(qtbot, tmp_path, qsettings, look, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui import passphrase_dialog

    plain = open_journal(tmp_path / "plain" / "journal.db", create=True)
    plain.journal.notes.add(Note("", TODAY, "MARK-protect-me"))
    plain.backup()
    shown, asked = [], []
    monkeypatch.setattr(passphrase_dialog.NewPassphraseDialog, "ask", classmethod(lambda cls, parent, allow_skip=True: NewPassphrase(PASS, True)))
    monkeypatch.setattr(passphrase_dialog.RecoveryCodeDialog, "show_code", classmethod(lambda cls, code, parent=None: shown.append(code)))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes))
    try:
        window = MainWindow(JournalSession(plain.journal, access=plain, today=TODAY), settings=qsettings, look=look)
        qtbot.addWidget(window)
        actions = install_passphrase_actions(window)
        assert actions.protect_action.isVisible() and not actions.change_action.isVisible()
        actions.protect_action.trigger()
        assert plain.encrypted and len(shown) == 1
        assert "can still be read without the passphrase" in asked[0]
        assert plain.unencrypted_backups() == []
        assert actions.change_action.isVisible() and not actions.protect_action.isVisible()
        assert [n.text for n in window.session.journal.notes.list()] == ["MARK-protect-me"]
        assert b"MARK-protect-me" not in plain.path.read_bytes()
    finally:
        plain.close(backup=False)


def test_the_change_dialog_says_plainly_what_becomes_of_old_backups(qtbot, access):
    dialog = ChangePassphraseDialog(access)
    qtbot.addWidget(dialog)
    note = dialog.findChild(type(dialog.error_label), "oldBackupsNote").text()
    assert "re-encrypted with a new key" in note
    assert "old passphrase opens none of them" in note
    assert "recovery code" in note and "stops working" in note


@pytest.mark.slow
def test_changing_the_passphrase_from_the_menu_shows_the_journal_again_and_says_what_became_of_backups(
    qtbot, tmp_path, qsettings, look, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from ui import passphrase_dialog

    a = open_journal(tmp_path / "p" / "journal.db", passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
    old_code = a.recovery_code
    a.journal.notes.add(Note("", TODAY, "kept through the change"))
    a.backup()
    shown, told = [], []
    monkeypatch.setattr(
        passphrase_dialog.ChangePassphraseDialog, "ask_change",
        classmethod(lambda cls, access, parent=None: access.change_passphrase(PASS, "a new long passphrase")),
    )
    monkeypatch.setattr(passphrase_dialog.RecoveryCodeDialog, "show_code", classmethod(lambda cls, code, parent=None: shown.append(code)))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: told.append(a[2])))
    try:
        window = MainWindow(JournalSession(a.journal, access=a, today=TODAY), settings=qsettings, look=look)
        qtbot.addWidget(window)
        actions = install_passphrase_actions(window)
        actions.change_action.trigger()
        assert window.session.journal is a.journal  # the window shows the journal reopened under its new key
        assert [n.text for n in window.session.journal.notes.list()] == ["kept through the change"]
        assert len(shown) == 1 and shown[0] != old_code
        assert "2 older backups were re-encrypted" in told[0] and "old passphrase opens none of them" in told[0]
        assert "old recovery code no longer opens anything" in told[0]
        with pytest.raises(WrongPassphraseError):
            keystore.unlock_with_recovery_code(a.path, old_code)
    finally:
        a.close(backup=False)


@pytest.mark.slow
def test_a_new_recovery_code_from_the_menu_asks_the_passphrase_and_the_old_code_opens_nothing(
    qtbot, tmp_path, qsettings, look, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from journal.safekeeping import backups
    from ui import passphrase_dialog

    a = open_journal(tmp_path / "p" / "journal.db", passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
    old_code = a.recovery_code
    a.journal.notes.add(Note("", TODAY, "first note"))
    shown, told, answers = [], [], iter(["not my passphrase", PASS])
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: told.append(a[2])))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: told.append(a[2])))
    monkeypatch.setattr(passphrase_dialog.CurrentPassphrase, "ask", classmethod(lambda cls, parent=None: next(answers)))
    monkeypatch.setattr(passphrase_dialog.RecoveryCodeDialog, "show_code", classmethod(lambda cls, code, parent=None: shown.append(code)))
    try:
        window = MainWindow(JournalSession(a.journal, access=a, today=TODAY), settings=qsettings, look=look)
        qtbot.addWidget(window)
        actions = install_passphrase_actions(window)
        actions.recovery_action.trigger()
        assert told == ["That passphrase is not right; nothing was changed."] and shown == []
        actions.recovery_action.trigger()
        assert len(shown) == 1 and shown[0] != old_code
        assert "A new recovery code was made" in told[1]
        assert [n.text for n in window.session.journal.notes.list()] == ["first note"]
        for where in [a.path, *(b.path for b in backups.list_backups(a.path))]:
            with pytest.raises(WrongPassphraseError):
                keystore.unlock_with_recovery_code(where, old_code)
            assert keystore.unlock_with_recovery_code(where, shown[0]) == keystore.unlock(where, PASS)
    finally:
        a.close(backup=False)
