"""The window's save dialogs: a replace only when confirmed, and never onto the journal's own files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_report_dialog import _fill
from ui.main_window import FileChooser
from ui.report_dialog import PathChooser, ReportDialog, install_report_actions
from ui.save_target import ReplaceQuestion, SaveRefusal


def _answers(monkeypatch, replace: bool):
    asked, refused = [], []
    monkeypatch.setattr(ReplaceQuestion, "ask", classmethod(lambda cls, parent, path: asked.append(path) or replace))
    monkeypatch.setattr(SaveRefusal, "show", classmethod(lambda cls, parent, text: refused.append(text)))
    return asked, refused


@pytest.mark.slow
def test_a_report_over_an_existing_file_is_written_only_when_the_replace_is_confirmed(qtbot, window, tmp_path, monkeypatch):
    _fill(window.session)
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    mine = tmp_path / "for-dr-lee.pdf"
    mine.write_text("a letter I wrote")
    # typed without ".pdf": the dialog's own check saw no file of that name, so the window must ask
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(tmp_path / "for-dr-lee")))
    asked, _ = _answers(monkeypatch, replace=False)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert asked == [mine]
    assert dialog.job is None and mine.read_text() == "a letter I wrote"
    assert "not saved" in dialog.status.text()

    asked, _ = _answers(monkeypatch, replace=True)
    with qtbot.waitSignal(dialog.saved, timeout=30_000):
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert mine.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_a_report_into_the_journals_backups_folder_is_refused_without_asking(qtbot, window, monkeypatch):
    journal_path = window.session.journal.path
    backups = journal_path.parent / "backups"
    backups.mkdir()
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(backups / "r.pdf")))
    asked, refused = _answers(monkeypatch, replace=True)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert asked == [] and "backups folder" in refused[0]
    assert dialog.job is None and list(backups.iterdir()) == []


@pytest.mark.slow
def test_exports_never_replace_the_journal_or_its_backups(qtbot, window, monkeypatch):
    journal_path = window.session.journal.path
    before = journal_path.read_bytes()
    install_report_actions(window)
    asked, refused = _answers(monkeypatch, replace=True)
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(journal_path)))
    window.report_actions["fhir"].trigger()
    assert "is the journal itself" in refused[-1]
    monkeypatch.setattr(FileChooser, "save_path", classmethod(lambda cls, *a: str(journal_path.parent / "backups" / "x.json")))
    window.export_action.trigger()
    assert "backups folder" in refused[-1]
    assert asked == []
    assert journal_path.read_bytes() == before


@pytest.mark.slow
def test_the_journal_export_asks_before_replacing_a_file(qtbot, window, tmp_path, monkeypatch):
    mine = tmp_path / "mine.json"
    mine.write_text('{"mine": true}')
    monkeypatch.setattr(FileChooser, "save_path", classmethod(lambda cls, *a: str(tmp_path / "mine")))
    asked, _ = _answers(monkeypatch, replace=False)
    window.export_action.trigger()
    assert asked == [mine] and mine.read_text() == '{"mine": true}'


@pytest.mark.slow
def test_the_report_range_cannot_reach_past_today(qtbot, window):
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.range_box.setCurrentIndex(dialog.range_box.findData("custom"))
    today = window.session.today
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(30))
    assert dialog.start_end()[1] == today
