"""The Backups window: back up now, restore a chosen backup, and "Check journal", which says what it found."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.fit import FitsScreen
from ui.worker import Progress, Worker

if TYPE_CHECKING:
    from journal.opening import JournalAccess
    from journal.safekeeping.backups import Backup
    from ui.main_window import MainWindow

__all__ = ["BackupsDialog", "Confirm", "install_backup_actions"]


class Confirm:
    """Yes/no questions, behind a hook that tests replace."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        return QMessageBox.question(parent, title, text) == QMessageBox.Yes


class BackupsDialog(FitsScreen, QDialog):
    """Lists the journal's backups (newest first) with why each was made; back up, restore, check."""

    restored = Signal()

    def __init__(self, access: JournalAccess, parent: QWidget | None = None):
        super().__init__(parent)
        self.access = access
        self._worker: Worker | None = None
        self.setWindowTitle("Backups")
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Backups are made when the journal closes, every few minutes while you work, and before an import, "
            "an upgrade, a restore or a passphrase change. Older ones are thinned: all from the last two days, "
            "then one a day for two weeks, one a week for two months, one a month after that."
            + (" Each backup opens with the passphrase the journal had when it was made." if access.encrypted else "")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("backupList")
        self.list_widget.setAccessibleName("Backups, newest first")
        self.list_widget.currentRowChanged.connect(self._on_list_widget_current_row_changed)
        layout.addWidget(self.list_widget, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("backupStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        row = QHBoxLayout()
        self.backup_button = QPushButton("&Back up now")
        self.check_button = QPushButton("&Check journal")
        self.restore_button = QPushButton("&Restore this backup…")
        close_button = QPushButton("Close")
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        close_button.clicked.connect(self.accept)
        for button in (self.backup_button, self.check_button, self.restore_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close_button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.list_widget.clear()
        for backup in self.access.list_backups():
            item = QListWidgetItem(backup.describe())
            item.setData(0x0100, backup)  # Qt.UserRole
            item.setToolTip(str(backup.path))
            self.list_widget.addItem(item)
        if self.list_widget.count():
            self.list_widget.setCurrentRow(0)
        self._on_list_widget_current_row_changed(self.list_widget.currentRow())

    def selected_backup(self) -> Any:
        item = self.list_widget.currentItem()
        return item.data(0x0100) if item is not None else None

    # -- actions -----------------------------------------------------------------------------

    def _on_list_widget_current_row_changed(self, _row: int) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None and self._worker is None)

    def _on_backup_button_clicked(self) -> None:
        self._run("Backing up…", lambda: self.access.backup("manual"), self._on_backup_done)

    def _on_check_button_clicked(self) -> None:
        self._run("Backing up, then checking the journal…", self.access.check, self._on_check_done)

    # each of these runs off the window's thread (see _run); the window keeps painting meanwhile

    def _on_restore_button_clicked(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        if not Confirm.ask(
            self,
            "Restore this backup",
            f"Put the backup of {backup.describe()} in place of the journal? Entries made since then leave the "
            "journal, but nothing is lost: the journal as it is now is backed up first and stays in this list.",
        ):
            return
        self._run("Restoring the backup…", lambda: self.access.restore(backup), self._on_restore_done)

    def _on_restore_done(self, safety: Backup | None, error: Exception | None) -> None:
        if error is not None:
            self.status_label.setText(str(error))
            self.refresh()
            return
        self.restored.emit()
        self.refresh()
        kept = f" The journal as it was is kept as the backup of {safety.describe()}." if safety else ""
        self.status_label.setText(f"The backup was restored.{kept}")

    def _on_backup_done(self, result: Any, error: Exception | None) -> None:
        self.status_label.setText(str(error) if error else f"A backup was written and checked ({result.path.name}).")
        self.refresh()

    def _on_check_done(self, result: Any, error: Exception | None) -> None:
        self.status_label.setText(str(error) if error else result.summary())
        self.refresh()

    def _run(self, busy_text: str, work: Callable[[], Any], then: Callable[[Any, Exception | None], None]) -> None:
        """Run a backup, check or restore off the window's thread; `then(result, error)` on the window's thread after."""
        if self._worker is not None:
            return
        self.status_label.setText(busy_text)
        for button in (self.backup_button, self.check_button, self.restore_button):
            button.setEnabled(False)
        # each reads or replaces the journal's file: the periodic backup and the auto-lock wait for it
        worker = Worker(lambda progress: work(), self, uses_journal=True)
        outcome: list[tuple[Any, Exception | None]] = []
        worker.progressed.connect(self._on_worker_progressed)
        worker.succeeded.connect(lambda result: outcome.append((result, None)))
        worker.failed.connect(lambda error: outcome.append((None, error)))
        worker.finished.connect(lambda: self._on_worker_finished(worker, then, *outcome[0]))
        self._worker = worker
        worker.start()

    def _on_worker_progressed(self, progress: Progress) -> None:
        if progress.phrase:
            self.status_label.setText(progress.phrase)

    def _on_worker_finished(self, worker: Worker, then: Callable, result: Any, error: Exception | None) -> None:
        worker.deleteLater()
        self._worker = None
        self.backup_button.setEnabled(True)
        self.check_button.setEnabled(True)
        then(result, error)

    def done(self, result: int) -> None:
        if self._worker is not None:
            self._worker.wait()  # a backup half-way must finish before the dialog goes
        super().done(result)


def install_backup_actions(window: MainWindow) -> QAction:
    """Add "Backups and Check journal…" to the window's Journal menu; a restore reloads every view."""
    action = QAction("&Backups and Check journal…", window)
    action.setObjectName("backupsAction")

    def _on_backups_action_triggered() -> None:
        access = getattr(window.session, "access", None)
        if access is None:
            QMessageBox.information(window, "Backups", "This journal (the demo) is not backed up.")
            return
        dialog = BackupsDialog(access, window)
        dialog.restored.connect(window.unlocked)  # the same as after unlocking: rebuild every view from the file
        dialog.exec()

    action.triggered.connect(_on_backups_action_triggered)
    window.add_journal_action(action)
    window.backups_action = action
    return action
