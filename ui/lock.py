"""Auto-lock: after an idle time or on demand the journal closes, its key is forgotten and every view empties, until unlocked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError, WrongPassphraseError
from journal.safekeeping import wrong_tries
from journal.safekeeping.wrong_tries import delay_after
from ui.fit import FitsScreen
from ui.worker import journal_work_running

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = [
    "DEFAULT_IDLE_MINUTES",
    "IDLE_CHOICES",
    "LOCK_SHORTCUT",
    "IdleWatcher",
    "UnlockDialog",
    "AutoLock",
    "install_auto_lock",
    "install_privacy_pieces",
]

DEFAULT_IDLE_MINUTES = 5
IDLE_CHOICES = (0, 1, 2, 5, 10, 15, 30, 60)  # 0 is "never"
LOCK_SHORTCUT = "Ctrl+Shift+K"  # Ctrl+L already adds a lab result
_SETTINGS_KEY = "privacy/autoLockMinutes"  # a number of minutes: nothing about the journal or its owner

# What counts as the person being there. Paint, timer and focus events do not: a window left
# alone must lock even while its chart redraws.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """An app-wide event filter that restarts a timer on every key press, click or mouse move; `idle` when it runs out."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._paused = False
        self.set_interval_ms(interval_ms)
        QApplication.instance().installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval() if self.enabled else 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def active(self) -> bool:
        """Whether the idle time is running now (not off, not paused while locked)."""
        return self._timer.isActive()

    def set_interval_ms(self, interval_ms: int) -> None:
        """A new idle time; 0 turns auto-lock off."""
        self._enabled = interval_ms > 0
        if self._enabled:
            self._timer.setInterval(interval_ms)
        self._restart()

    def pause(self) -> None:
        """Stop counting (while the journal is locked)."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self._restart()

    def stop(self) -> None:
        """Stop watching for good (the window is closing)."""
        self.pause()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _ACTIVITY and self._enabled and not self._paused:
            self._timer.start()
        return False

    def _restart(self) -> None:
        if self._enabled and not self._paused:
            self._timer.start()
        else:
            self._timer.stop()


class UnlockDialog(FitsScreen, QDialog):
    """The lock screen's question: the passphrase or the recovery code. Wrong tries wipe nothing; they only wait a little longer."""

    # Seconds to wait after the 4th, 5th, ... wrong try; the first three are free (typos happen).
    # The policy is journal.safekeeping.wrong_tries', which the command line follows too.
    FREE_TRIES = wrong_tries.FREE_TRIES
    MAX_DELAY_S = wrong_tries.MAX_DELAY_S

    def __init__(self, access: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.access = access
        self.wrong_tries = 0
        self.setObjectName("UnlockDialog")
        self.setWindowTitle("Trial Journal is locked")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The journal is locked: its entries are hidden and the file is closed."
            + (" Type the passphrase to go on." if access.encrypted else " Choose Unlock to go on.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.passphrase_field = QLineEdit()
        self.passphrase_field.setObjectName("passphraseField")
        self.passphrase_field.setEchoMode(QLineEdit.Password)
        self.passphrase_field.setAccessibleName("Passphrase")
        self.passphrase_field.setPlaceholderText("Passphrase")
        self.recovery_box = QCheckBox("Use the &recovery code instead")
        self.recovery_box.toggled.connect(self._on_recovery_box_toggled)
        if access.encrypted:
            layout.addWidget(self.passphrase_field)
            layout.addWidget(self.recovery_box)
        else:
            self.passphrase_field.hide()
            self.recovery_box.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("unlockError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #ffffff; background: #9b1c1c; padding: 4px;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QHBoxLayout()
        self.quit_button = QPushButton("&Quit")
        self.quit_button.clicked.connect(self._on_quit_clicked)
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        self.passphrase_field.returnPressed.connect(self._on_unlock_clicked)
        self.quit_requested = False

    def reject(self) -> None:
        # Escape must not reveal the window behind: only unlocking or quitting leaves this dialog.
        pass

    def delay_after(self, wrong_tries: int) -> int:
        """Seconds before the next try is allowed."""
        return delay_after(wrong_tries)

    def _on_recovery_box_toggled(self, on: bool) -> None:
        self.passphrase_field.clear()
        self.passphrase_field.setPlaceholderText("Recovery code, e.g. ABCDE-12345-…" if on else "Passphrase")
        self.passphrase_field.setAccessibleName("Recovery code" if on else "Passphrase")
        self.passphrase_field.setEchoMode(QLineEdit.Normal if on else QLineEdit.Password)

    def _on_unlock_clicked(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        text = self.passphrase_field.text()
        try:
            if not self.access.encrypted:
                self.access.unlock()
            elif self.recovery_box.isChecked():
                self.access.unlock(recovery_code=text)
            else:
                self.access.unlock(text)
        except WrongPassphraseError as exc:
            self.wrong_tries += 1
            self._show_error(str(exc))
            self.passphrase_field.selectAll()
            self._wait(self.delay_after(self.wrong_tries))
            return
        except JournalError as exc:
            self._show_error(str(exc))
            return
        self.passphrase_field.clear()
        self.accept()

    def _on_quit_clicked(self) -> None:
        self.quit_requested = True
        self.done(QDialog.Rejected)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _wait(self, seconds: int) -> None:
        if seconds <= 0:
            return
        self.unlock_button.setEnabled(False)
        self.passphrase_field.setEnabled(False)
        self.error_label.setText(self.error_label.text() + f"\nYou can try again in {seconds} second{'s' if seconds != 1 else ''}.")
        QTimer.singleShot(seconds * 1000, self._on_wait_timer_timeout)

    def _on_wait_timer_timeout(self) -> None:
        self.unlock_button.setEnabled(True)
        self.passphrase_field.setEnabled(True)
        self.passphrase_field.setFocus()


class AutoLock(QObject):
    """Locks a main window's journal after the idle time or on "Lock journal", and unlocks it through UnlockDialog.

    The window provides `lock()` (empties the views, closes the file, forgets the key; returns
    a warning or None), `unlocked()` (shows the journal again), `session.access` (the
    JournalAccess), `qsettings` and `add_journal_action(action)`.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: MainWindow, *, idle_minutes: float | None = None, settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.settings = settings if settings is not None else window.qsettings
        if idle_minutes is None:
            idle_minutes = self._stored_minutes()
        self.watcher = IdleWatcher(_ms(idle_minutes), self)
        self.watcher.idle.connect(self._on_watcher_idle)
        self.unlock_dialog: UnlockDialog | None = None
        self.last_warning: str | None = None

        self.lock_action = QAction("&Lock the journal now", window)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence(LOCK_SHORTCUT))
        self.lock_action.setStatusTip("Close the journal and hide every entry until the passphrase is typed again")
        self.lock_action.triggered.connect(self.lock_now)
        self.idle_action = QAction("Lock after &idle time…", window)
        self.idle_action.triggered.connect(self._on_idle_action_triggered)
        window.add_journal_action(self.lock_action)
        window.add_journal_action(self.idle_action)

    @property
    def is_locked(self) -> bool:
        access = self._access()
        return access is not None and access.locked

    @property
    def idle_minutes(self) -> float:
        return self.watcher.interval_ms / 60_000

    def set_idle_minutes(self, minutes: float) -> None:
        """A new idle time (0 turns auto-lock off), remembered for next time."""
        self.watcher.set_interval_ms(_ms(minutes))
        if self.is_locked:
            self.watcher.pause()
        if self.settings is not None:
            self.settings.setValue(_SETTINGS_KEY, minutes)

    def lock_now(self) -> None:
        """Lock at once (the shortcut, the menu, the idle time, a profile switch)."""
        access = self._access()
        if access is None or access.locked:
            return
        self.watcher.pause()
        _close_dialogs_over(self.window)  # a form left open must not show the journal behind the lock
        self.last_warning = self.window.lock()
        if self.last_warning:
            self.window.statusBar().showMessage(self.last_warning)
        self.locked.emit()
        self._ask_to_unlock()

    def _ask_to_unlock(self) -> None:
        dialog = UnlockDialog(self._access(), self.window)
        if self.last_warning:
            dialog._show_error(self.last_warning)
        dialog.finished.connect(self._on_unlock_dialog_finished)
        self.unlock_dialog = dialog
        dialog.open()

    def _on_unlock_dialog_finished(self, result: int) -> None:
        dialog, self.unlock_dialog = self.unlock_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result == QDialog.Accepted:
            self.window.unlocked()
            self.watcher.resume()
            self.unlocked.emit()
        elif dialog is not None and dialog.quit_requested:
            self.window.close()

    def _on_watcher_idle(self) -> None:
        if journal_work_running():
            # a backup, restore or import is at work on the file: locking would close it under that work
            self.watcher.resume()  # so count the idle time again, and lock once the work is done
            return
        self.lock_now()

    def _on_idle_action_triggered(self) -> None:
        labels = ["Never"] + [f"{m} minute{'s' if m != 1 else ''}" for m in IDLE_CHOICES[1:]]
        current = IDLE_CHOICES.index(round(self.idle_minutes)) if round(self.idle_minutes) in IDLE_CHOICES else 0
        choice, ok = QInputDialog.getItem(
            self.window, "Lock after idle time", "Lock the journal when nobody has used the window for:", labels, current, False
        )
        if ok:
            self.set_idle_minutes(IDLE_CHOICES[labels.index(choice)])

    def _stored_minutes(self) -> float:
        if self.settings is None:
            return DEFAULT_IDLE_MINUTES
        value = self.settings.value(_SETTINGS_KEY, DEFAULT_IDLE_MINUTES)
        try:
            minutes = float(value)
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES
        return minutes if minutes >= 0 else DEFAULT_IDLE_MINUTES

    def _access(self) -> Any:
        session = self.window.session
        return session.access if session is not None else None


def install_auto_lock(window: MainWindow, *, idle_minutes: float | None = None) -> AutoLock:
    """Give a main window auto-lock and a "Lock the journal now" action (Ctrl+Shift+K); returns the AutoLock.

    `idle_minutes` None reads the person's choice (default 5); 0 is off.
    """
    auto_lock = AutoLock(window, idle_minutes=idle_minutes)
    window.auto_lock = auto_lock
    return auto_lock


def _ms(minutes: float) -> int:
    return max(0, int(round(minutes * 60_000)))


def install_privacy_pieces(window: MainWindow, *, idle_minutes: float | None = None) -> AutoLock:
    """Everything this piece adds to a main window in one call: auto-lock, the passphrase entries, Backups and Check journal."""
    from ui.backups_dialog import install_backup_actions
    from ui.passphrase_dialog import install_passphrase_actions

    auto_lock = install_auto_lock(window, idle_minutes=idle_minutes)
    install_passphrase_actions(window)
    install_backup_actions(window)
    return auto_lock


def _close_dialogs_over(window: QWidget) -> None:
    """Close every dialog open over the window, without the "discard your changes?" question: locking hides all of it.

    What a form held unsaved is not kept (nothing half-typed is stored behind the person's back).
    """
    for _ in range(20):  # one nested in another closes from the top down
        top = QApplication.activeModalWidget()
        if top is None or not isinstance(top, QDialog) or isinstance(top, UnlockDialog):
            break
        QDialog.done(top, QDialog.Rejected)  # the base: a form's own reject() would ask first
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible() and not isinstance(dialog, UnlockDialog):
            QDialog.done(dialog, QDialog.Rejected)  # modeless ones too (the help, a preview)
