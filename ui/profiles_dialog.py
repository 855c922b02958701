"""Choosing a journal at start: the profiles on this account, and making, renaming or removing one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError, WrongPassphraseError
from journal.opening import PassphraseNeededError, open_journal
from journal.safekeeping.profiles import ProfileEntry, ProfileStore
from ui.fit import FitsScreen
from ui.passphrase_dialog import NewPassphraseDialog, OpenPassphraseDialog, RecoveryCodeDialog

__all__ = ["ProfilesDialog", "Ask"]

LABEL_NOTE = (
    "The name is shown in this list before any passphrase is typed, so choose one that says nothing "
    "private (\"Journal 1\", a first name)."
)


class Ask:
    """The small questions this dialog asks, behind hooks that tests replace."""

    @classmethod
    def label(cls, parent: QWidget | None, title: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, f"Name for the list of journals:\n{LABEL_NOTE}", text=text)
        return value if ok else None

    @classmethod
    def confirm_remove(cls, parent: QWidget | None, entry: ProfileEntry) -> bool:
        answer = QMessageBox.warning(
            parent,
            "Remove a journal",
            f"Remove “{entry.label}” from this computer's list? A final copy of its files (still encrypted, if it "
            "has a passphrase) is kept in the “removed” folder of Trial Journal's data folder until you delete it.",
            QMessageBox.Yes | QMessageBox.Cancel,
            QMessageBox.Cancel,
        )
        return answer == QMessageBox.Yes

    @classmethod
    def passphrase(cls, parent: QWidget | None, message: str, label: str) -> tuple[str | None, str | None] | None:
        return OpenPassphraseDialog.ask(message, parent, label=label)

    @classmethod
    def new_passphrase(cls, parent: QWidget | None):
        return NewPassphraseDialog.ask(parent)

    @classmethod
    def show_recovery_code(cls, parent: QWidget | None, code: str) -> None:
        RecoveryCodeDialog.show_code(code, parent)

    @classmethod
    def notice(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


class ProfilesDialog(FitsScreen, QDialog):
    """Lists the journals on this account; Open returns the chosen one opened (`self.access`)."""

    def __init__(self, store: ProfileStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.access: Any = None
        self.setWindowTitle("Choose a journal")
        self.resize(460, 360)
        layout = QVBoxLayout(self)
        intro = QLabel("Each journal is kept apart, in its own folder, with its own passphrase.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("profileList")
        self.list_widget.setAccessibleName("Journals on this computer")
        self.list_widget.itemActivated.connect(lambda _item: self._on_open_button_clicked())
        layout.addWidget(self.list_widget, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("profileStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New journal…")
        self.rename_button = QPushButton("Re&name…")
        self.remove_button = QPushButton("&Remove…")
        self.open_button = QPushButton("&Open")
        self.open_button.setDefault(True)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        for button in (self.new_button, self.rename_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.refresh()

    @classmethod
    def ask(cls, store: ProfileStore | None = None, parent: QWidget | None = None) -> Any:
        """The chosen journal, opened (a JournalAccess), or None if the person cancelled."""
        dialog = cls(store or ProfileStore(), parent)
        return dialog.access if dialog.exec() == QDialog.Accepted else None

    def refresh(self, select_id: str | None = None) -> None:
        self.list_widget.clear()
        for entry in self.store.list():
            item = QListWidgetItem(entry.label + (" (passphrase)" if entry.encrypted else ""))
            item.setData(Qt.UserRole, entry)
            item.setToolTip("Protected by a passphrase" if entry.encrypted else "No passphrase")
            self.list_widget.addItem(item)
            if entry.id == select_id:
                self.list_widget.setCurrentItem(item)
        if self.list_widget.currentItem() is None and self.list_widget.count():
            self.list_widget.setCurrentRow(0)
        has = self.list_widget.count() > 0
        for button in (self.rename_button, self.remove_button, self.open_button):
            button.setEnabled(has)
        if not has:
            self.status_label.setText("There is no journal yet: choose New journal to start one.")

    def selected(self) -> ProfileEntry | None:
        item = self.list_widget.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    # -- actions -----------------------------------------------------------------------------

    def _on_new_button_clicked(self) -> None:
        label = Ask.label(self, "New journal", f"Journal {len(self.store.list()) + 1}")
        if label is None:
            return
        choice = Ask.new_passphrase(self)
        if choice is None:
            return
        try:
            entry = self.store.create(label)
            access = open_journal(
                entry.journal_path, passphrase=choice.passphrase, create=True, with_recovery_code=choice.recovery_code
            )
        except JournalError as exc:
            self.status_label.setText(str(exc))
            return
        if access.recovery_code:
            Ask.show_recovery_code(self, access.recovery_code)
            access.recovery_code = None
        self.access = access
        self.accept()

    def _on_rename_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        label = Ask.label(self, "Rename", entry.label)
        if label is None:
            return
        try:
            renamed = self.store.rename(entry.id, label)
        except JournalError as exc:
            self.status_label.setText(str(exc))
            return
        self.refresh(select_id=renamed.id)
        self.status_label.setText(f"Renamed to “{renamed.label}”.")

    def _on_remove_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None or not Ask.confirm_remove(self, entry):
            return
        try:
            final = self.store.remove(entry.id)
        except JournalError as exc:
            self.status_label.setText(str(exc))
            return
        self.refresh()
        Ask.notice(self, "Journal removed", f"“{entry.label}” was removed. Its final copy is in {final}.")

    def _on_open_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        passphrase = recovery = None
        message = ""
        while True:
            try:
                self.access = open_journal(entry.journal_path, passphrase=passphrase, recovery_code=recovery, create=True)
            except PassphraseNeededError:
                message = ""
            except WrongPassphraseError as exc:
                message = str(exc)
            except JournalError as exc:
                self.status_label.setText(str(exc))
                return
            else:
                self.accept()
                return
            answer = Ask.passphrase(self, message, entry.label)
            if answer is None:
                return
            passphrase, recovery = answer
