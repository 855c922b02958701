"""Auto-lock: after the idle time every view is empty and the file is closed; the passphrase brings it all back."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from journal.opening import open_journal
from journal.records import Note
from journal.safekeeping.keystore import KdfParams
from ui.lock import LOCK_SHORTCUT, UnlockDialog, install_auto_lock
from ui.main_window import MainWindow
from ui.session import JournalSession

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "a long enough passphrase"
TODAY = date.today()


@pytest.fixture
def access(tmp_path):
    a = open_journal(tmp_path / "profile" / "journal.db", passphrase=PASS, create=True, kdf=FAST)
    a.journal.notes.add(Note("", TODAY, "Ask about the thyroid panel", True))
    yield a
    a.close(backup=False)


@pytest.fixture
def locked_window(qtbot, access, qsettings, look):
    window = MainWindow(JournalSession(access.journal, access=access, today=TODAY), settings=qsettings, look=look)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.chart_ready, timeout=10_000):
        window.show()
    return window


def _rows_shown(window) -> int:
    return sum(panel.model.rowCount() for panel in window.lists.values())


def _open_files_of(path: Path) -> list[str]:
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(path)) and not target.endswith(".lock"):
            found.append(target)
    return found


def _type_and_unlock(qtbot, dialog: UnlockDialog, text: str) -> None:
    dialog.passphrase_field.clear()
    qtbot.keyClicks(dialog.passphrase_field, text)
    qtbot.mouseClick(dialog.unlock_button, Qt.LeftButton)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see which files are open")
def test_after_the_idle_time_the_views_are_empty_the_file_is_closed_and_the_passphrase_unlocks(qtbot, access, locked_window):
    window = locked_window
    assert _rows_shown(window) == 1 and _open_files_of(access.path)
    auto_lock = install_auto_lock(window, idle_minutes=0.005)  # 0.3 s, so the test does not wait 5 minutes

    qtbot.waitUntil(lambda: auto_lock.unlock_dialog is not None and auto_lock.unlock_dialog.isVisible(), timeout=10_000)
    assert access.locked
    assert _rows_shown(window) == 0
    assert _open_files_of(access.path) == []
    assert not window.centralWidget().isEnabled()

    dialog = auto_lock.unlock_dialog
    _type_and_unlock(qtbot, dialog, "not the passphrase")
    assert dialog.isVisible() and access.locked
    assert "does not open this journal" in dialog.error_label.text()
    assert _rows_shown(window) == 0

    with qtbot.waitSignal(auto_lock.unlocked, timeout=5_000):
        _type_and_unlock(qtbot, dialog, PASS)
    assert not access.locked
    assert _rows_shown(window) == 1
    assert window.centralWidget().isEnabled()
    assert auto_lock.watcher.active  # counting again towards the next lock


@pytest.mark.slow
def test_the_shortcut_locks_at_once_and_escape_does_not_reveal_the_journal(qtbot, access, locked_window):
    window = locked_window
    auto_lock = install_auto_lock(window, idle_minutes=0)
    assert not auto_lock.watcher.active  # auto-lock off: only the shortcut locks
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    with qtbot.waitSignal(auto_lock.locked, timeout=5_000):
        qtbot.keyClick(window, Qt.Key_K, Qt.ControlModifier | Qt.ShiftModifier)
    assert LOCK_SHORTCUT == "Ctrl+Shift+K"
    assert access.locked and _rows_shown(window) == 0
    dialog = auto_lock.unlock_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert dialog.isVisible() and access.locked


@pytest.mark.slow
def test_the_recovery_code_unlocks_too(qtbot, tmp_path, qsettings, look):
    access = open_journal(tmp_path / "j" / "journal.db", passphrase=PASS, create=True, with_recovery_code=True, kdf=FAST)
    try:
        window = MainWindow(JournalSession(access.journal, access=access, today=TODAY), settings=qsettings, look=look)
        qtbot.addWidget(window)
        auto_lock = install_auto_lock(window, idle_minutes=0)
        auto_lock.lock_now()
        dialog = auto_lock.unlock_dialog
        dialog.recovery_box.setChecked(True)
        with qtbot.waitSignal(auto_lock.unlocked, timeout=5_000):
            _type_and_unlock(qtbot, dialog, access.recovery_code.lower().replace("-", " "))
        assert not access.locked
    finally:
        access.close(backup=False)


@pytest.mark.slow
def test_many_wrong_tries_only_slow_down_and_wipe_nothing(qtbot, access, locked_window):
    dialog = UnlockDialog(access, locked_window)
    qtbot.addWidget(dialog)
    access.lock()
    assert [dialog.delay_after(n) for n in (1, 2, 3, 4, 5, 6, 20)] == [0, 0, 0, 1, 2, 4, 30]
    for _ in range(UnlockDialog.FREE_TRIES + 1):
        _type_and_unlock(qtbot, dialog, "wrong")
    assert not dialog.unlock_button.isEnabled()  # a short wait before the next try
    assert "try again in 1 second." in dialog.error_label.text()
    qtbot.waitUntil(dialog.unlock_button.isEnabled, timeout=5_000)
    _type_and_unlock(qtbot, dialog, PASS)
    assert not access.locked
    assert [n.text for n in access.journal.notes.list()] == ["Ask about the thyroid panel"]


@pytest.mark.slow
def test_the_idle_time_is_remembered_without_anything_about_the_journal(qtbot, access, locked_window, qsettings):
    auto_lock = install_auto_lock(locked_window)
    assert auto_lock.idle_minutes == 5  # the default
    auto_lock.set_idle_minutes(15)
    assert qsettings.value("privacy/autoLockMinutes") in (15, "15")
    auto_lock.set_idle_minutes(0)
    assert not auto_lock.watcher.active
    qsettings.sync()
    text = Path(qsettings.fileName()).read_text()
    assert "thyroid" not in text and str(access.path) not in text


@pytest.mark.slow
def test_a_second_start_brings_the_open_window_forward(qtbot, access, locked_window):
    from ui.single_window import WindowChannel

    channel = WindowChannel(access.path, locked_window)
    assert channel.listening
    locked_window.showMinimized()
    with qtbot.waitSignal(channel.asked, timeout=5_000):
        assert WindowChannel.ask_to_come_forward(access.path)
    assert not locked_window.isMinimized()
    assert not WindowChannel.ask_to_come_forward(access.path.with_name("another.db"), timeout_ms=200)


@pytest.mark.slow
def test_locking_closes_a_form_left_open_over_the_journal_and_stores_nothing_of_it(qtbot, access, locked_window):
    from ui.record_dialogs import NoteDialog

    window = locked_window
    auto_lock = install_auto_lock(window, idle_minutes=0)
    form = NoteDialog(window.session, None, window)
    form.show()
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.findChild(QPlainTextEdit), "walked away mid-sentence")
    with qtbot.waitSignal(auto_lock.locked, timeout=5_000):
        auto_lock.lock_now()
    assert not form.isVisible()  # nothing of the journal stays on screen behind the lock
    dialog = auto_lock.unlock_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    with qtbot.waitSignal(auto_lock.unlocked, timeout=5_000):
        _type_and_unlock(qtbot, dialog, PASS)
    assert not any("walked away" in n.text for n in window.session.contents().notes)
