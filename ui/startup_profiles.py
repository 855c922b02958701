"""Several journals on one computer account: which one the window opens at start, and "Switch journal…" in the window.

How the default journal relates to profiles: the default journal stays where the README and the
command line say (`journal.db` in the person's data folder, what `trial-journal` opens without
`--journal`). It is the first entry of the chooser, "Default journal"; it keeps that name and
its place (renaming or removing it there is refused, with the reason), because the command line
relies on it. Profiles made in the chooser live beside it in `profiles/<random id>/journal.db`
(journal.safekeeping.profiles); the command line reaches one with `--journal` and that path.

At start, with no `--journal`: no journal at all opens the default (the first run, as before);
exactly one journal, default or profile, opens directly; two or more show the chooser. A
`--passphrase-file` belongs to the default journal, as on the command line.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from journal.errors import JournalError
from journal.safekeeping.profiles import ProfileEntry, ProfileStore
from ui.profiles_dialog import Ask, ProfilesDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = [
    "DEFAULT_ID",
    "DEFAULT_LABEL",
    "SWITCH_SHORTCUT",
    "Chooser",
    "JournalChooser",
    "JournalList",
    "JournalSwitcher",
    "install_journal_switch",
    "start_journal_path",
]

DEFAULT_ID = "default"
DEFAULT_LABEL = "Default journal"
SWITCH_SHORTCUT = "Ctrl+O"
DEFAULT_NOTE = (
    "The default journal is the one the command line opens when no --journal is given, so it keeps "
    "its name and its place."
)


@dataclass(frozen=True)
class DefaultEntry(ProfileEntry):
    """The default journal as an entry of the chooser (its file is not in a profile folder)."""

    path: Path = Path(".")

    @property
    def journal_path(self) -> Path:
        return self.path


def _same_file(a: str | os.PathLike[str] | None, b: str | os.PathLike[str] | None) -> bool:
    if a is None or b is None:
        return False
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


class JournalList(ProfileStore):
    """The profiles under the data folder, with the default journal (when it exists) listed first.

    `current_path` is the journal open in this window while switching: it cannot be removed.
    """

    def __init__(
        self,
        default_path: str | os.PathLike[str],
        root: str | os.PathLike[str] | None = None,
        *,
        current_path: str | os.PathLike[str] | None = None,
    ):
        self.default_path = Path(default_path)
        # profiles live in the same data folder as the default journal, so the two never drift apart
        super().__init__(root if root is not None else self.default_path.parent)
        self.current_path = Path(current_path) if current_path is not None else None

    def list(self) -> list[ProfileEntry]:
        entries = super().list()
        if self.default_path.exists():
            entries.insert(0, DefaultEntry(DEFAULT_ID, DEFAULT_LABEL, self.default_path.parent, path=self.default_path))
        return entries

    def is_current(self, entry: ProfileEntry) -> bool:
        return _same_file(entry.journal_path, self.current_path)

    def create(self, label: str) -> ProfileEntry:
        if self.default_path.exists() and label.strip().casefold() == DEFAULT_LABEL.casefold():
            raise JournalError(f"“{DEFAULT_LABEL}” is the journal the command line uses; choose another name.")
        return super().create(label)

    def rename(self, profile_id: str, label: str) -> ProfileEntry:
        if profile_id == DEFAULT_ID:
            raise JournalError(DEFAULT_NOTE)
        if self.default_path.exists() and label.strip().casefold() == DEFAULT_LABEL.casefold():
            raise JournalError(f"“{DEFAULT_LABEL}” is the journal the command line uses; choose another name.")
        return super().rename(profile_id, label)

    def remove(self, profile_id: str, *, now: datetime | None = None) -> Path:
        if profile_id == DEFAULT_ID:
            raise JournalError(DEFAULT_NOTE)
        entry = self.get(profile_id)
        if self.is_current(entry):
            raise JournalError(f"“{entry.label}” is the journal open in this window; open another one first, then remove it.")
        return super().remove(profile_id, now=now)


class Chooser:
    """How the chooser is shown (modally); tests replace `run` to drive the real dialog."""

    @classmethod
    def run(cls, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.Accepted


class JournalChooser(ProfilesDialog):
    """The chooser of journals on this account.

    With `open_chosen` false (at start) it only says which journal (`chosen_path`), and the
    start-up opens it as it opens any journal: the passphrase prompt, the welcome and a new
    passphrase for a new one, bringing forward a window that has it open already. With
    `open_chosen` true (switching) it opens it (`access`), as ProfilesDialog does.
    """

    def __init__(self, store: JournalList, *, open_chosen: bool, parent: QWidget | None = None):
        self.open_chosen = open_chosen
        self.chosen_path: Path | None = None
        self.chosen_label = ""
        super().__init__(store, parent)
        self.setObjectName("JournalChooser")
        self.setWindowTitle("Switch journal" if open_chosen else "Choose a journal")
        self.list_widget.currentItemChanged.connect(self._on_list_widget_current_item_changed)
        self._on_list_widget_current_item_changed()

    def refresh(self, select_id: str | None = None) -> None:
        super().refresh(select_id)
        for row in range(self.list_widget.count()):
            item = self.list_widget.item(row)
            entry = self._entry(item)
            if entry.id == DEFAULT_ID:
                item.setToolTip(item.toolTip() + ". The journal the command line opens when no --journal is given.")
            if self.store.is_current(entry):
                item.setText(item.text() + " — open in this window (locked)")
        self._on_list_widget_current_item_changed()

    @staticmethod
    def _entry(item) -> ProfileEntry:
        return item.data(Qt.UserRole)

    def _on_list_widget_current_item_changed(self, *_args) -> None:
        entry = self.selected()
        fixed = entry is not None and entry.id == DEFAULT_ID
        self.rename_button.setEnabled(entry is not None and not fixed)
        self.remove_button.setEnabled(entry is not None and not fixed and not self.store.is_current(entry))
        # say why Rename and Remove are greyed out, rather than leave the person guessing
        if fixed:
            self.status_label.setText(DEFAULT_NOTE)
        elif self.status_label.text() == DEFAULT_NOTE:
            self.status_label.clear()

    def _on_open_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.chosen_path = entry.journal_path
        self.chosen_label = entry.label
        if not self.open_chosen or self.store.is_current(entry):
            # at start the start-up opens it; the journal of this window comes back through its lock screen
            self.accept()
            return
        super()._on_open_button_clicked()

    def _on_new_button_clicked(self) -> None:
        if self.open_chosen:
            self.chosen_label = ""
            super()._on_new_button_clicked()
            if self.access is not None:
                self.chosen_path = self.access.path
                self.chosen_label = next((e.label for e in self.store.list() if _same_file(e.journal_path, self.access.path)), "")
            return
        label = Ask.label(self, "New journal", f"Journal {len(self.store.list()) + 1}")
        if label is None:
            return
        try:
            entry = self.store.create(label)
        except JournalError as exc:
            self.status_label.setText(str(exc))
            return
        # the start-up makes the journal file: a welcome, and a passphrase offered, as on a first run
        self.chosen_path = entry.journal_path
        self.chosen_label = entry.label
        self.accept()


def start_journal_path(
    default_path: str | os.PathLike[str] | None = None,
    *,
    passphrase_file: str | None = None,
    root: str | os.PathLike[str] | None = None,
) -> Path | None:
    """The journal the window opens when no --journal was given; None when the person closed the chooser.

    No journal yet: the default (made by the first run, as before). Exactly one: that one.
    Two or more: the chooser. A passphrase file is for the default journal, as on the command line.
    """
    if default_path is None:
        from journal.cli import default_journal_path

        default_path = default_journal_path()
    default_path = Path(default_path)
    if passphrase_file:
        return default_path
    store = JournalList(default_path, root)
    try:
        entries = store.list()
    except OSError:
        return default_path  # an unreadable profiles folder must not keep the default journal from opening
    if not entries:
        return default_path
    if len(entries) == 1:
        return entries[0].journal_path
    dialog = JournalChooser(store, open_chosen=False)
    try:
        return dialog.chosen_path if Chooser.run(dialog) else None
    finally:
        dialog.deleteLater()


class JournalSwitcher(QObject):
    """The "Switch journal…" action: locks this journal, shows the chooser, and shows the one chosen in this window.

    Cancelling leaves the journal locked behind its lock screen: its passphrase brings it back.
    The journal this switcher opened is closed (with its backup) when the program quits; the
    start-up closes the one it opened itself.
    """

    def __init__(self, window: Any, *, default_path: str | os.PathLike[str] | None = None, root: str | os.PathLike[str] | None = None):
        super().__init__(window)
        self.window = window
        self._default_path = default_path
        self._root = root
        self.opened: Any = None
        self.action = QAction("S&witch journal…", window)
        self.action.setObjectName("switchJournalAction")
        self.action.setShortcut(QKeySequence(SWITCH_SHORTCUT))
        self.action.setStatusTip("Lock this journal and open another one on this computer, or make a new one")
        self.action.triggered.connect(self.switch)
        window.add_journal_action(self.action)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close_opened)

    def switch(self) -> bool:
        """Lock, choose, show; True when another journal is now in the window."""
        window = self.window
        old = getattr(window.session, "access", None)
        if old is None or old.locked:
            window.statusBar().showMessage("Only a journal opened from its file can be switched (not the demo, not while locked).")
            return False
        auto_lock = getattr(window, "auto_lock", None)
        if auto_lock is None:
            from ui.lock import install_auto_lock

            auto_lock = install_auto_lock(window)
        # lock first: nothing of this journal stays on screen while someone chooses another
        auto_lock.lock_now()
        default_path = self._default_path
        if default_path is None:
            from journal.cli import default_journal_path

            default_path = default_journal_path()
        dialog = JournalChooser(JournalList(default_path, self._root, current_path=old.path), open_chosen=True, parent=window)
        try:
            new = dialog.access if Chooser.run(dialog) else None
            label = dialog.chosen_label
        finally:
            dialog.deleteLater()
        if new is None:
            return False  # the lock screen is up: this journal's passphrase brings it back
        self._show(new, old, auto_lock, label)
        return True

    def _show(self, new: Any, old: Any, auto_lock: Any, label: str) -> None:
        from ui.main_window import Notice
        from ui.session import JournalSession

        window = self.window
        unlock = auto_lock.unlock_dialog
        if unlock is not None:
            unlock.done(QDialog.Rejected)  # another journal takes this one's place: no unlocking it now
        warning = old.close()  # lets go of its one-writer lock; its backup was made when it locked
        window.set_session(JournalSession(new.journal, access=new))
        auto_lock.watcher.resume()
        self.opened = new
        self._move_channel(new.path)
        caregiver = getattr(window, "caregiver", None)
        if caregiver is not None:
            caregiver.refresh()  # another journal starts with its owner entering
        window.statusBar().showMessage(f"Now showing “{label}”." if label else "Now showing the journal you chose.")
        for text in (warning, new.folder_warning):
            if text:
                Notice.show(window, "Switch journal", text, warning=True)

    def _move_channel(self, path: Path) -> None:
        """A second start for the journal now shown brings this window forward (and no longer for the old one)."""
        from ui.single_window import WindowChannel

        channels = [c for c in self.window.findChildren(QObject) if isinstance(c, WindowChannel)]
        if not channels:
            return
        for channel in channels:
            channel.server.close()
            channel.setParent(None)
            channel.deleteLater()
        WindowChannel(path, self.window)

    def close_opened(self) -> None:
        """Close the journal this switcher opened (backup, close, let go of the lock), if it still is open."""
        if self.opened is None or self.opened.closed:
            return
        warning = self.opened.close()
        if warning:
            print(f"trial-journal: {warning}", file=sys.stderr)


def install_journal_switch(window: MainWindow, **options: Any) -> JournalSwitcher:
    """Give a main window "Switch journal…" (Journal menu, Ctrl+O); the window keeps the switcher, which is returned too."""
    switcher = JournalSwitcher(window, **options)
    window.journal_switch = switcher
    return switcher
