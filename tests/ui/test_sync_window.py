"""Journal ▸ Sync folder, driven as a person would: choose the folder, sync, see what came from the other computer."""

from __future__ import annotations

import pytest

from journal.opening import open_file
from journal.records import Note
from journal.syncing import sync, sync_folder
from tests.ui.conftest import click, days_ago
from ui.sync_dialog import FolderChooser, SyncDialog, install_sync


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "Sync" / "trial-journal"
    path.mkdir(parents=True)
    return path


def _open(qtbot, window, scheduler) -> SyncDialog:
    dialog = SyncDialog(window, scheduler)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _wait(qtbot, scheduler) -> None:
    qtbot.waitUntil(lambda: scheduler.job is None, timeout=20_000)


def test_choosing_a_folder_syncs_and_the_other_computers_records_arrive(qtbot, window, journal, folder, tmp_path, monkeypatch):
    window.session.add("notes", Note("", days_ago(2), "Written on the laptop", True))
    scheduler = install_sync(window)
    _wait(qtbot, scheduler)
    dialog = _open(qtbot, window, scheduler)
    assert dialog.folder_label.text() == "Not synced through a folder yet." and not dialog.sync_button.isEnabled()
    monkeypatch.setattr(FolderChooser, "folder", classmethod(lambda cls, parent, title: str(folder)))
    click(qtbot, dialog.choose_button)
    _wait(qtbot, scheduler)
    assert sync_folder(journal) == folder.resolve()
    assert sorted(p.suffix for p in folder.iterdir()) == [".seen", ".tjsync"]  # the change file and what this computer has seen, never the journal
    assert "Sent" in dialog.status.text()
    # the desktop joins from the folder, writes a note, and syncs
    with open_file(tmp_path / "desktop.db", create=True) as desktop:
        sync(desktop, folder, joining=True)
        desktop.notes.add(Note("", days_ago(1), "Written on the desktop", True))
        sync(desktop, folder)
    click(qtbot, dialog.sync_button)
    _wait(qtbot, scheduler)
    texts = sorted(n.text for n in window.session.contents().notes)
    assert texts == ["Written on the desktop", "Written on the laptop"]
    assert window.lists["notes"].model.rowCount() == 2
    assert "received 1" in window.statusBar().currentMessage()
    assert window.session.undo_stack.count() == 0  # the undo history no longer matches the journal


def test_the_journals_own_folder_is_refused_and_nothing_is_kept(qtbot, window, journal, monkeypatch):
    scheduler = install_sync(window)
    _wait(qtbot, scheduler)
    dialog = _open(qtbot, window, scheduler)
    monkeypatch.setattr(FolderChooser, "folder", classmethod(lambda cls, parent, title: str(journal.path.parent)))
    click(qtbot, dialog.choose_button)
    assert "Not kept" in dialog.status.text() and "holds the journal itself" in dialog.status.text()
    assert sync_folder(journal) is None


def test_closing_the_window_syncs_one_last_time(qtbot, window, journal, folder, tmp_path):
    from journal.syncing import set_sync_folder

    set_sync_folder(journal, folder)
    scheduler = install_sync(window)
    _wait(qtbot, scheduler)
    window.session.add("notes", Note("", days_ago(0), "Typed just before closing", False))
    window.close()
    with open_file(tmp_path / "other.db", create=True) as other:
        sync(other, folder, joining=True)
        assert "Typed just before closing" in [n.text for n in other.contents().notes]


def test_stop_syncing_forgets_the_folder_and_the_timer_does_nothing(qtbot, window, journal, folder):
    from journal.syncing import set_sync_folder

    set_sync_folder(journal, folder)
    scheduler = install_sync(window)
    _wait(qtbot, scheduler)
    dialog = _open(qtbot, window, scheduler)
    assert str(folder.resolve()) in dialog.folder_label.text()
    click(qtbot, dialog.forget_button)
    assert sync_folder(journal) is None and dialog.folder_label.text() == "Not synced through a folder yet."
    assert scheduler.sync_soon() is None


def test_joining_from_the_window_makes_this_computers_copy_and_shows_it(qtbot, window, folder, tmp_path, monkeypatch):
    from ui.main_window import FileChooser, Notice
    from ui.sync_dialog import join_synced_journal

    with open_file(tmp_path / "laptop.db", create=True) as laptop:
        laptop.notes.add(Note("", days_ago(3), "Kept on the laptop", True))
        sync(laptop, folder)
    said = []
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: said.append(text)))
    monkeypatch.setattr(FolderChooser, "folder", classmethod(lambda cls, parent, title: str(folder)))
    target = tmp_path / "here" / "joined"
    target.parent.mkdir()
    monkeypatch.setattr(FileChooser, "save_path", classmethod(lambda cls, parent, title, filter_: str(target)))
    assert join_synced_journal(window), said
    assert [n.text for n in window.session.contents().notes] == ["Kept on the laptop"]
    assert window.session.journal.path == target.with_suffix(".db")
    assert sync_folder(window.session.journal) == folder.resolve()  # it keeps syncing through the folder
    assert "Joined" in window.statusBar().currentMessage()
    joined = window.session.access  # the window holds the joined journal's access now: let it go
    assert joined is not None
    joined.close(backup=False)


def test_joining_an_empty_folder_is_refused_plainly(qtbot, window, folder, monkeypatch):
    from ui.main_window import Notice
    from ui.sync_dialog import join_synced_journal

    said = []
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: said.append(text)))
    monkeypatch.setattr(FolderChooser, "folder", classmethod(lambda cls, parent, title: str(folder)))
    assert not join_synced_journal(window)
    assert said and "holds no journal's change files yet" in said[0]
