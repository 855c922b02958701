"""Passphrase dialogs: choosing one for a new journal, typing it to open one, changing it, and showing a recovery code once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError, WrongPassphraseError
from journal.safekeeping.keystore import HONEST_LIMITS, passphrase_problems
from ui.fit import FitsScreen
from ui.forms import LeaveBox

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = [
    "NewPassphrase",
    "NewPassphraseDialog",
    "OpenPassphraseDialog",
    "ChangePassphraseDialog",
    "RecoveryCodeDialog",
    "CurrentPassphrase",
    "OLD_BACKUPS_ON_CHANGE",
    "install_passphrase_actions",
]


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.Password)
    field.setAccessibleName(name)
    field.setObjectName(name.replace(" ", "_").lower())
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("passphraseError")
    label.setStyleSheet("color: #ffffff; background: #9b1c1c; padding: 4px;")
    label.hide()
    return label


def _limits_label() -> QLabel:
    label = QLabel(HONEST_LIMITS)
    label.setWordWrap(True)
    label.setObjectName("honestLimits")
    return label


@dataclass(frozen=True)
class NewPassphrase:
    """What the person chose for a new journal: a passphrase (None: no encryption) and whether to make a recovery code."""

    passphrase: str | None
    recovery_code: bool


class NewPassphraseDialog(FitsScreen, QDialog):
    """Protect a new journal with a passphrase (recommended), with the honest limits said plainly."""

    def __init__(self, parent: QWidget | None = None, *, allow_skip: bool = True):
        super().__init__(parent)
        self.setWindowTitle("Protect this journal")
        self.choice: NewPassphrase | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A passphrase encrypts the journal on this computer, so nobody who opens the file (another user, "
            "someone borrowing the computer, a lost laptop) can read it. It is recommended. A few ordinary "
            "words make a strong passphrase that is easy to remember."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase_field = _password_field("New passphrase")
        self.repeat_field = _password_field("Repeat passphrase")
        form.addRow("&Passphrase:", self.passphrase_field)
        form.addRow("&Repeat it:", self.repeat_field)
        layout.addLayout(form)
        self.recovery_box = QCheckBox("Also make a &recovery code (shown once, to write down)")
        self.recovery_box.setChecked(True)
        layout.addWidget(self.recovery_box)
        layout.addWidget(_limits_label())
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.protect_button = buttons.addButton("Protect with this &passphrase", QDialogButtonBox.AcceptRole)
        self.protect_button.setDefault(True)
        self.skip_button = buttons.addButton("Go on &without a passphrase", QDialogButtonBox.DestructiveRole)
        buttons.addButton(QDialogButtonBox.Cancel)
        self.protect_button.clicked.connect(self._on_protect_button_clicked)
        self.skip_button.clicked.connect(self._on_skip_button_clicked)
        self.skip_button.setVisible(allow_skip)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, allow_skip: bool = True) -> NewPassphrase | None:
        """The person's choice, or None if they cancelled (tests patch this hook)."""
        dialog = cls(parent, allow_skip=allow_skip)
        return dialog.choice if dialog.exec() == QDialog.Accepted else None

    def _on_protect_button_clicked(self) -> None:
        passphrase = self.passphrase_field.text()
        problems = passphrase_problems(passphrase)
        if not problems and passphrase != self.repeat_field.text():
            problems = ["The two passphrases are not the same; type them again."]
        if problems:
            self.error_label.setText(problems[0])
            self.error_label.show()
            return
        self.choice = NewPassphrase(passphrase, self.recovery_box.isChecked())
        self.accept()

    def _on_skip_button_clicked(self) -> None:
        self.choice = NewPassphrase(None, False)
        self.accept()


class OpenPassphraseDialog(FitsScreen, QDialog):
    """Type the passphrase (or the recovery code) to open a journal."""

    def __init__(self, message: str = "", parent: QWidget | None = None, *, label: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open the journal")
        layout = QVBoxLayout(self)
        what = f"“{label}” is" if label else "This journal is"
        intro = QLabel(f"{what} protected by a passphrase. Type it to open the journal.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase_field = _password_field("Passphrase")
        layout.addWidget(self.passphrase_field)
        self.recovery_box = QCheckBox("Use the &recovery code instead")
        self.recovery_box.toggled.connect(self._on_recovery_box_toggled)
        layout.addWidget(self.recovery_box)
        self.error_label = _error_label()
        if message:
            self.error_label.setText(message)
            self.error_label.show()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Open | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, message: str = "", parent: QWidget | None = None, *, label: str | None = None) -> tuple[str | None, str | None] | None:
        """(passphrase, None) or (None, recovery code); None if cancelled."""
        dialog = cls(message, parent, label=label)
        if dialog.exec() != QDialog.Accepted:
            return None
        return dialog.result_pair()

    def reject(self) -> None:
        """Esc or Cancel: asked first, so a stray Esc never closes the journal's door without a word."""
        if LeaveBox.ask(
            self,
            "Close without opening the journal?",
            "The journal stays on this computer as it is, still protected; nothing is lost. "
            "It opens the next time you type its passphrase.",
            "&Close without opening",
            "&Type the passphrase",
        ):
            super().reject()

    def result_pair(self) -> tuple[str | None, str | None]:
        text = self.passphrase_field.text()
        return (None, text) if self.recovery_box.isChecked() else (text, None)

    def _on_recovery_box_toggled(self, on: bool) -> None:
        self.passphrase_field.clear()
        self.passphrase_field.setEchoMode(QLineEdit.Normal if on else QLineEdit.Password)
        self.passphrase_field.setAccessibleName("Recovery code" if on else "Passphrase")


class RecoveryCodeDialog(FitsScreen, QDialog):
    """Shows a recovery code once; Done only after the person says they have written it down."""

    def __init__(self, code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your recovery code")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Write this code down on paper and keep it somewhere safe, away from the computer. It opens the "
            "journal if the passphrase is forgotten. It is shown only now; Trial Journal does not keep it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.code_label = QLabel(code)
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.code_label.setFont(font)
        self.code_label.setAccessibleName("Recovery code")
        layout.addWidget(self.code_label, 0, Qt.AlignCenter)
        self.written_box = QCheckBox("I have &written the code down")
        layout.addWidget(self.written_box)
        self.done_button = QPushButton("&Done")
        self.done_button.setEnabled(False)
        self.written_box.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self.accept)
        layout.addWidget(self.done_button, 0, Qt.AlignRight)

    def reject(self) -> None:
        if self.written_box.isChecked():
            super().reject()

    @classmethod
    def show_code(cls, code: str, parent: QWidget | None = None) -> None:
        cls(code, parent).exec()


OLD_BACKUPS_ON_CHANGE = (
    "A backup is made first. Then the journal and all its older backups are re-encrypted with a new key, "
    "so the old passphrase opens none of them; they all open with the new passphrase. If the journal has "
    "a recovery code, a new one replaces it and the old one stops working: write the new one down when it is shown."
)


class ChangePassphraseDialog(FitsScreen, QDialog):
    """Change the passphrase of the open journal: a backup first, then a new key for the journal and its backups."""

    def __init__(self, access: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.access = access
        self.backup = None
        self.change = None  # journal.safekeeping.rekey.KeyChange once changed
        self.setWindowTitle("Change the passphrase")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.current_field = _password_field("Current passphrase")
        self.new_field = _password_field("New passphrase")
        self.repeat_field = _password_field("Repeat new passphrase")
        form.addRow("&Current passphrase:", self.current_field)
        form.addRow("&New passphrase:", self.new_field)
        form.addRow("&Repeat it:", self.repeat_field)
        layout.addLayout(form)
        note = QLabel(OLD_BACKUPS_ON_CHANGE)
        note.setObjectName("oldBackupsNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("C&hange")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, access: Any, parent: QWidget | None = None) -> bool:
        """True when the passphrase was changed."""
        return cls(access, parent).exec() == QDialog.Accepted

    @classmethod
    def ask_change(cls, access: Any, parent: QWidget | None = None) -> Any:
        """What the change did (journal.safekeeping.rekey.KeyChange), or None when nothing was changed (tests patch this hook)."""
        dialog = cls(access, parent)
        return dialog.change if dialog.exec() == QDialog.Accepted else None

    def _on_buttons_accepted(self) -> None:
        new = self.new_field.text()
        if new != self.repeat_field.text():
            self._show("The two new passphrases are not the same; type them again.")
            return
        try:
            self.change = self.access.change_passphrase(self.current_field.text(), new)
            self.backup = self.change.backup
        except WrongPassphraseError:
            self._show("The current passphrase is not right; nothing was changed.")
            return
        except JournalError as exc:
            self._show(str(exc))
            return
        self.accept()

    def _show(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class _PassphraseActions:
    """The Journal menu's passphrase entries: "Protect with a passphrase…" for a journal without one,
    "Change the passphrase…" and "Make a new recovery code…" for one with."""

    def __init__(self, window: Any):
        self.window = window
        self.protect_action = QAction("Protect with a &passphrase…", window)
        self.protect_action.triggered.connect(self._on_protect_action_triggered)
        self.change_action = QAction("Change the &passphrase…", window)
        self.change_action.triggered.connect(self._on_change_action_triggered)
        self.recovery_action = QAction("Make a new &recovery code…", window)
        self.recovery_action.triggered.connect(self._on_recovery_action_triggered)
        for action in (self.protect_action, self.change_action, self.recovery_action):
            window.add_journal_action(action)
        self.update_visibility()

    def _access(self) -> Any:
        return getattr(getattr(self.window, "session", None), "access", None)

    def update_visibility(self) -> None:
        access = self._access()
        encrypted = access is not None and access.encrypted
        self.protect_action.setVisible(access is not None and not encrypted)
        self.change_action.setVisible(encrypted)
        self.recovery_action.setVisible(encrypted)

    def _on_protect_action_triggered(self) -> None:
        access = self._access()
        if access is None or access.encrypted:
            return
        choice = NewPassphraseDialog.ask(self.window, allow_skip=False)
        if choice is None or choice.passphrase is None:
            return
        try:
            code = access.add_passphrase(choice.passphrase, with_recovery_code=choice.recovery_code)
        except JournalError as exc:
            QMessageBox.warning(self.window, "Not protected", str(exc))
            return
        finally:
            if access.journal is not None:
                self.window.unlocked()  # the journal was reopened: show it from the new file
        self.update_visibility()
        if code:
            RecoveryCodeDialog.show_code(code, self.window)
        plain = access.unencrypted_backups()
        if plain and QMessageBox.question(
            self.window,
            "Older backups are not encrypted",
            f"The journal is now encrypted, but {len(plain)} backup{'s' if len(plain) != 1 else ''} made before "
            "can still be read without the passphrase. Remove them now?",
        ) == QMessageBox.Yes:
            access.remove_backups(plain)

    def _on_change_action_triggered(self) -> None:
        access = self._access()
        if access is None:
            return
        change = ChangePassphraseDialog.ask_change(access, self.window)
        if access.journal is not None and access.journal is not self.window.session.journal:
            self.window.unlocked()  # the journal was reopened under its new key: show it from there
        if change is not None:
            self._tell(change, "Passphrase changed", "The passphrase was changed. A backup was made first.")

    def _on_recovery_action_triggered(self) -> None:
        access = self._access()
        if access is None:
            return
        answer = QMessageBox.question(
            self.window,
            "Make a new recovery code",
            "A new recovery code replaces the old one. The journal and its older backups are re-encrypted with "
            "a new key, so the old code opens none of them. Your passphrase stays the same. Go on?",
        )
        if answer != QMessageBox.Yes:
            return
        passphrase = CurrentPassphrase.ask(self.window)
        if passphrase is None:
            return
        try:
            change = access.new_recovery_code(passphrase)
        except WrongPassphraseError:
            QMessageBox.warning(self.window, "No new recovery code", "That passphrase is not right; nothing was changed.")
            return
        except JournalError as exc:
            QMessageBox.warning(self.window, "No new recovery code", str(exc))
            return
        finally:
            if access.journal is not None and access.journal is not self.window.session.journal:
                self.window.unlocked()
        self._tell(change, "New recovery code", "A new recovery code was made. A backup was made first.")

    def _tell(self, change: Any, title: str, first: str) -> None:
        if change.recovery_code:
            RecoveryCodeDialog.show_code(change.recovery_code, self.window)
        QMessageBox.information(self.window, title, f"{first} {change.backup_words()}")


class CurrentPassphrase:
    """Asks for the journal's current passphrase (tests patch `ask`)."""

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str | None:
        text, ok = QInputDialog.getText(
            parent, "Your passphrase", "Type the journal's passphrase (it stays the same):", QLineEdit.Password
        )
        return text if ok and text else None


def install_passphrase_actions(window: MainWindow) -> _PassphraseActions:
    """Add the passphrase entries to the window's Journal menu (shown only for an encrypted journal); the window keeps them."""
    actions = _PassphraseActions(window)
    window.passphrase_actions = actions
    return actions
