"""Journal ▸ Sync folder…: one journal on two computers through a folder a sync tool (or a USB stick) carries.

The folder is kept in the journal itself (journal.syncing.sync_folder), never in the window's
settings. Once set, the window syncs at open, every few minutes while it is open and at close,
off the window's thread; what came from the other computer shows at once, and "N records were
changed on both computers; the earlier versions are kept" is said when it happens. A sync that
brought changes clears the undo history (its steps would no longer match the journal).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from journal.errors import JournalError
from ui.fit import FitsScreen
from ui.worker import Worker, journal_work_running

if TYPE_CHECKING:
    from journal.syncing import SyncOutcome
    from ui.main_window import MainWindow


def _syncing():
    """journal.syncing, loaded when a sync first runs: start-up draws the chart before it."""
    from journal import syncing

    return syncing


def sync(*args, **kwargs):
    return _syncing().sync(*args, **kwargs)


def sync_folder(journal):
    return _syncing().sync_folder(journal)


def set_sync_folder(journal, folder):
    return _syncing().set_sync_folder(journal, folder)


def sync_history(journal):
    return _syncing().sync_history(journal)

__all__ = ["SyncScheduler", "SyncDialog", "install_sync", "EVERY_MINUTES", "FolderChooser", "join_synced_journal"]

EVERY_MINUTES = 5
OPEN_DELAY_MS = 2_000


class FolderChooser:
    """Where the window asks for a folder: Qt's own dialog, which remembers no folder it visits. Tests replace `folder`."""

    @classmethod
    def folder(cls, parent: QWidget, title: str) -> str | None:
        from ui.file_names import folders_not_remembered

        with folders_not_remembered():
            path = QFileDialog.getExistingDirectory(parent, title, "", QFileDialog.ShowDirsOnly | QFileDialog.DontUseNativeDialog)
        return path or None


class SyncScheduler(QObject):
    """Syncs the window's journal through its folder at open, every few minutes and at close; says what happened."""

    synced = Signal(object)  # the SyncOutcome
    failed = Signal(str)  # what went wrong, in words
    done = Signal()  # a sync ended (after synced or failed): another may start

    def __init__(self, window: MainWindow, *, run: Callable[..., SyncOutcome] | None = None):
        super().__init__(window)
        self.window = window
        self._run = run or sync
        self.job: Worker | None = None
        self.last: SyncOutcome | None = None
        self.last_problem: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MINUTES * 60_000)
        self.timer.timeout.connect(self.sync_soon)
        self.timer.start()

    def _journal(self):
        session = self.window.session
        access = getattr(session, "access", None) if session is not None else None
        if session is None or (access is not None and access.locked):
            return None
        return session.journal

    def _sealer(self):
        """The journal key's seal and unseal for a journal with a passphrase (made afresh for each sync), else (None, None)."""
        session = self.window.session
        access = getattr(session, "access", None) if session is not None else None
        sealing = access.sync_sealer() if access is not None and not access.locked else None
        return sealing if sealing is not None else (None, None)

    def folder(self) -> Path | None:
        journal = self._journal()
        if journal is None:
            return None
        try:
            folder = journal.sync_state().get("folder")  # as journal.syncing.sync_folder reads it, without loading sync yet
        except JournalError:
            return None
        return Path(folder) if isinstance(folder, str) and folder else None

    def sync_soon(self) -> Worker | None:
        """Sync off the window's thread, when the journal is open, has a folder, and no other work holds it."""
        journal = self._journal()
        folder = self.folder()
        if journal is None or folder is None or self.job is not None or journal_work_running():
            return None
        seal, unseal = self._sealer()
        job = Worker(lambda progress: self._run(journal, folder, seal=seal, unseal=unseal), self, uses_journal=True)
        job.succeeded.connect(self._on_synced)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self.job = job.start()
        return self.job

    def sync_now_and_wait(self) -> None:
        """At close: one last sync, on this thread (the window is going; nothing waits for it to paint)."""
        if self.job is not None:
            self.job.wait()
        journal = self._journal()
        folder = self.folder()
        if journal is None or folder is None:
            return
        seal, unseal = self._sealer()
        try:
            self.last = self._run(journal, folder, seal=seal, unseal=unseal)
        except (JournalError, OSError) as exc:
            self.last_problem = _words(exc)

    def _on_synced(self, outcome: SyncOutcome) -> None:
        self.last, self.last_problem = outcome, None
        session = self.window.session
        if outcome.received and session is not None:
            session.undo_stack.clear()  # the journal changed under the undo history: its steps no longer match
            session.reload()
        self.window.statusBar().showMessage(outcome.summary())
        self.synced.emit(outcome)

    def _on_failed(self, error: BaseException) -> None:
        self.last_problem = _words(error)
        self.window.statusBar().showMessage(f"Not synced: {self.last_problem}")
        self.failed.emit(self.last_problem)

    def _on_finished(self) -> None:
        self.job = None
        self.done.emit()


def _words(error: BaseException) -> str:
    if isinstance(error, JournalError):
        return str(error)
    if isinstance(error, OSError):
        return f"the sync folder could not be used ({error.strerror or error})."
    return "something went wrong; nothing in the journal changed."


class SyncDialog(FitsScreen, QDialog):
    """The sync folder: which it is, choose or forget it, sync now, and what the last sync did."""

    def __init__(self, window: MainWindow, scheduler: SyncScheduler, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.scheduler = scheduler
        self.setWindowTitle("Sync folder")
        self.setObjectName("syncDialog")
        intro = QLabel(
            "Keep this journal on two computers through a folder that a sync tool (Syncthing, Dropbox, Nextcloud) "
            "or a USB stick carries. The journal itself never goes there: each computer writes its own change "
            "files and merges the other's. Choose a folder of its own, not the one the journal is in. On the "
            "other computer, join it with: trial-journal sync --folder FOLDER --join --journal NEW.db"
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel("")
        self.folder_label.setWordWrap(True)
        self.choose_button = QPushButton("&Choose folder…")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.sync_button = QPushButton("&Sync now")
        self.sync_button.clicked.connect(self._on_sync_clicked)
        self.forget_button = QPushButton("S&top syncing")
        self.forget_button.clicked.connect(self._on_forget_clicked)
        row = QHBoxLayout()
        for button in (self.choose_button, self.sync_button, self.forget_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What the last sync did")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(buttons)
        scheduler.done.connect(self._show)
        self._show()
        self.resize(600, 340)

    def _show(self, *_args) -> None:
        folder = self.scheduler.folder()
        self.folder_label.setText(f"Syncs through: {folder}" if folder else "Not synced through a folder yet.")
        self.sync_button.setEnabled(folder is not None and self.scheduler.job is None)
        self.forget_button.setEnabled(folder is not None)
        words = []
        if self.scheduler.last_problem:
            words.append(f"Not synced: {self.scheduler.last_problem}")
        elif self.scheduler.last is not None:
            words.append(self.scheduler.last.summary())
            words += self.scheduler.last.skipped
        journal = self.scheduler._journal()
        if journal is not None:
            kept = len(sync_history(journal))
            if kept:
                words.append(f"{kept} earlier version{'s' if kept != 1 else ''} of records changed on both computers "
                             f"{'are' if kept != 1 else 'is'} kept in the journal's sync history.")
        self.status.setText("\n".join(words))

    def _on_choose_clicked(self) -> None:
        chosen = FolderChooser.folder(self, "Choose the sync folder")
        journal = self.scheduler._journal()
        if not chosen or journal is None:
            return
        try:
            set_sync_folder(journal, Path(chosen))
        except JournalError as exc:
            self.status.setText(f"Not kept: {exc}")
            return
        self._on_sync_clicked()

    def _on_sync_clicked(self) -> None:
        if self.scheduler.sync_soon() is not None:
            self.sync_button.setEnabled(False)
            self.status.setText("Syncing…")

    def _on_forget_clicked(self) -> None:
        journal = self.scheduler._journal()
        if journal is not None:
            set_sync_folder(journal, None)
        self._show()


def join_synced_journal(window: MainWindow) -> bool:
    """Journal ▸ Join a synced journal…: make a new journal on this computer from a sync folder, and show it.

    The folder is chosen, then where the new journal goes; a folder of a journal with a
    passphrase asks for it (the new journal opens with the same one). The journal shown now is
    locked first, as switching journals does. True when the joined journal is shown.
    """
    from journal.opening import open_journal
    from journal.safekeeping.folder_key import folder_header
    from journal.syncing import folder_has_changes, join_with_passphrase
    from ui.main_window import FileChooser, Notice
    from ui.passphrase_dialog import OpenPassphraseDialog

    chosen = FolderChooser.folder(window, "Choose the sync folder to join")
    if not chosen:
        return False
    folder = Path(chosen)
    if not folder_has_changes(folder):
        Notice.show(window, "Join a synced journal", f"{folder} holds no journal's change files yet: sync on the other computer first.",
                    warning=True)
        return False
    target = FileChooser.save_path(window, "Where the joined journal goes on this computer", "Journal (*.db)")
    if not target:
        return False
    path = Path(target if target.endswith(".db") else target + ".db")
    if path.exists():
        Notice.show(window, "Join a synced journal",
                    f"There is a file at {path} already; joining makes a new journal. Choose another name.", warning=True)
        return False
    try:
        if folder_header(folder) is not None:
            answer = OpenPassphraseDialog.ask("The synced journal has a passphrase: type it to join.", window)
            if answer is None or answer[0] is None:
                return False
            access, outcome = join_with_passphrase(folder, path, answer[0])
        else:
            access = open_journal(path, create=True)
            try:
                assert access.journal is not None
                outcome = sync(access.journal, folder, joining=True)
                set_sync_folder(access.journal, folder)
            except BaseException:
                access.close(backup=False)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                raise
        if access.journal is not None and sync_folder(access.journal) is None:
            set_sync_folder(access.journal, folder)
    except (JournalError, OSError) as exc:
        Notice.show(window, "Join a synced journal", f"Nothing was made: {_words(exc)}", warning=True)
        return False
    _show_joined(window, access, path.stem)
    window.statusBar().showMessage(f"Joined: {outcome.summary()}")
    return True


def _show_joined(window: MainWindow, access, label: str) -> None:
    """Show the joined journal in the window in place of the one shown (locked and closed first, as switching does)."""
    switcher = window.journal_switch
    old = getattr(window.session, "access", None)
    if switcher is None or old is None or old.locked:
        from ui.session import JournalSession

        window.set_session(JournalSession(access.journal, access=access))
        return
    auto_lock = window.auto_lock
    if auto_lock is None:
        from ui.lock import install_auto_lock

        auto_lock = install_auto_lock(window)
    auto_lock.lock_now()
    switcher._show(access, old, auto_lock, label)


def install_sync(window: MainWindow) -> SyncScheduler:
    """Journal ▸ Sync folder…, and the syncs at open, every few minutes and at close."""
    scheduler = SyncScheduler(window)
    action = QAction("S&ync folder…", window)
    action.setObjectName("syncAction")
    action.setStatusTip("Keep this journal on two computers through a folder a sync tool carries")

    def _on_triggered() -> None:
        dialog = SyncDialog(window, scheduler)
        dialog.exec()
        dialog.deleteLater()

    action.triggered.connect(_on_triggered)
    window.add_journal_action(action)
    join = QAction("Join a synced jo&urnal…", window)
    join.setObjectName("joinSyncAction")
    join.setStatusTip("Make this computer's copy of a journal kept on another computer, from its sync folder")
    join.triggered.connect(lambda: join_synced_journal(window))
    window.add_journal_action(join)
    # at open, once the chart is up: the person's first look at the journal never waits for a sync
    window.session_shown.connect(lambda _session: QTimer.singleShot(OPEN_DELAY_MS, scheduler.sync_soon))
    window.closing.connect(scheduler.sync_now_and_wait)
    window.sync_scheduler = scheduler
    QTimer.singleShot(OPEN_DELAY_MS, scheduler.sync_soon)  # at open
    return scheduler
