"""Journal ▸ Import a diary from another app, driven as a person would: the preview, the choices, Import, Undo."""

from __future__ import annotations

from datetime import date
from datetime import time as TimeOfDay
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from journal.exchange.diaries import Reading, SourceFile, SourceProblem, SourceRow
from tests.ui.conftest import click
from ui.diary_import_dialog import PREVIEW_ROWS, DiaryImportDialog


def _daylio(moods, tags=()) -> SourceFile:
    rows = tuple(
        SourceRow(line=i + 2, day=date(2024, 5, 1 + i), time=TimeOfDay(21, 5), readings=(Reading("mood_name", m),),
                  note="walk", raw=f"full_date=2024-05-{1 + i:02d} | time=21:05 | mood={m}", tags=tags)
        for i, m in enumerate(moods)
    )
    return SourceFile("daylio", rows=rows)


def _open(qtbot, window, source, name="daylio_export_2024_06_01.csv") -> DiaryImportDialog:
    dialog = DiaryImportDialog(window.session, source, name, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _import(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        click(qtbot, dialog.import_button)


def test_the_preview_says_what_the_file_holds_and_import_adds_every_check_in(qtbot, window):
    dialog = _open(qtbot, window, _daylio(["rad", "meh", "awful"] * 6))
    assert "Daylio" in dialog.found_label.text() and "18 entries" in dialog.found_label.text()
    assert "18 check-ins to add" in dialog.summary_label.text() and "0 rows already imported" in dialog.summary_label.text()
    assert dialog.preview_table.rowCount() == PREVIEW_ROWS
    assert [dialog.preview_table.item(0, j).text() for j in (0, 1, 2)] == ["2024-05-01", "21:05", "10"]
    assert dialog.import_button.isEnabled()
    _import(qtbot, dialog)
    checkins = window.session.contents().checkins
    assert len(checkins) == 18 and {c.origin.app for c in checkins} == {"Daylio"}
    assert window.lists["checkins"].model.rowCount() == 18
    assert window.session.undo_stack.undoText() == "import from Daylio"


def test_a_mood_name_without_a_level_must_be_given_one_before_import(qtbot, window):
    dialog = _open(qtbot, window, _daylio(["rad", "Sleepy", "Sleepy"]))
    assert not dialog.import_button.isEnabled()
    assert "Choose what these become before importing: Sleepy" in dialog.summary_label.text()
    spin = dialog.editors[("mood_name", "Sleepy")]
    assert spin.text() == "Choose a level"
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "4")  # typed over "Choose a level", as a person would
    qtbot.keyClick(spin, Qt.Key_Tab)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=2000)
    _import(qtbot, dialog)
    assert sorted(c.mood for c in window.session.contents().checkins) == [4, 4, 10]


def test_a_default_level_can_be_changed_or_cleared(qtbot, window):
    dialog = _open(qtbot, window, _daylio(["rad", "good"]))
    spin = dialog.editors[("mood_name", "good")]
    assert spin.value() == 8
    spin.setValue(-1)  # back to "Choose a level": the name then needs one
    qtbot.waitUntil(lambda: not dialog.import_button.isEnabled(), timeout=2000)
    spin.setValue(7)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=2000)
    assert dialog.preview_table.item(1, 2).text() == "7"


def test_undo_takes_the_whole_import_out_and_redo_puts_it_back(qtbot, window, journal):
    dialog = _open(qtbot, window, _daylio(["rad", "meh", "bad"]))
    _import(qtbot, dialog)
    assert len(journal.contents().checkins) == 3
    assert window.session.undo_stack.undoText() == "import from Daylio"
    window.session.undo_stack.undo()
    assert journal.contents().checkins == () and window.lists["checkins"].model.rowCount() == 0
    window.session.undo_stack.redo()
    assert len(journal.contents().checkins) == 3


def test_a_file_imported_again_adds_nothing(qtbot, window):
    _import(qtbot, _open(qtbot, window, _daylio(["rad", "meh"])))
    again = _open(qtbot, window, _daylio(["rad", "meh"]))
    assert "0 check-ins to add" in again.summary_label.text() and "2 rows already imported" in again.summary_label.text()
    assert "Nothing new" in again.summary_label.text()
    assert not again.import_button.isEnabled()


def test_a_file_with_problems_names_them_and_cannot_be_imported(qtbot, window):
    source = SourceFile("daylio", rows=_daylio(["rad"]).rows, problems=(SourceProblem(9, "full_date", "2024-02-30", "not a date"),))
    dialog = _open(qtbot, window, source)
    assert dialog.problems_box.isVisibleTo(dialog)
    assert "line 9, column full_date, value '2024-02-30': not a date" in dialog.problems_view.toPlainText()
    assert not dialog.import_button.isEnabled()


def test_a_caregivers_import_is_marked_as_theirs(qtbot, window, journal):
    window.session.set_author("Alex")
    try:
        _import(qtbot, _open(qtbot, window, _daylio(["rad"])))
        (checkin,) = journal.contents().checkins
        assert journal.author_of(checkin.id) == "Alex"
    finally:
        window.session.set_author(None)


def test_an_activity_naming_a_medicine_is_offered_as_a_trial_only_if_the_person_saves_it(qtbot, window, monkeypatch):
    from ui.trial_dialog import TrialDialog

    drafts = []

    def keep_draft(cls, parent, session, draft):
        drafts.append(draft)
        return None  # the person cancels: nothing is made

    monkeypatch.setattr(TrialDialog, "ask_draft", classmethod(keep_draft))
    dialog = _open(qtbot, window, _daylio(["good"] * 3, tags=("#wellbutrin 150mg",)))
    assert dialog.medicine_box.isVisibleTo(dialog)
    click(qtbot, dialog.medicine_buttons[0])
    (draft,) = drafts
    assert draft.drug == "bupropion" and draft.start == date(2024, 5, 1) and draft.end == date(2024, 5, 3)
    assert draft.doses[0].mg_per_day is None and draft.origin.app == "Daylio"
    assert window.session.contents().trials == ()


@pytest.mark.slow
def test_the_trial_entry_is_filled_in_and_saved_as_a_new_trial(qtbot, window):
    from ui.trial_dialog import TrialDialog

    dialog = _open(qtbot, window, _daylio(["good"] * 3, tags=("#wellbutrin 150mg",)))
    hint = dialog.plan.medicines[0]
    from journal.records import DoseStep, Trial

    draft = Trial(id="", drug="bupropion", doses=(DoseStep(hint.first, 150),), end=hint.last)
    trial_dialog = TrialDialog(window.session, None, dialog, draft=draft)
    qtbot.addWidget(trial_dialog)
    assert trial_dialog.windowTitle() == "Add trial" and trial_dialog.drug_edit.text() == "bupropion"
    trial_dialog._on_save_clicked()
    assert [t.drug for t in window.session.contents().trials] == ["bupropion"]


FIXTURES = Path(__file__).resolve().parents[1] / "journal" / "diaries" / "fixtures"


def test_a_real_export_is_read_off_the_window_thread_then_previewed_and_imported(qtbot, window):
    from ui.diary_import_dialog import install_diary_import_action, start_diary_import

    action = install_diary_import_action(window)
    assert action in window.journal_menu.actions() and action.shortcut().toString() == "Ctrl+Shift+I"
    shown: list[DiaryImportDialog] = []
    job = start_diary_import(window, str(FIXTURES / "iMoodJournal.csv"), on_ready=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert job is not None
    dialog = shown[0]
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Import from iMoodJournal"
    assert "3 check-ins to add" in dialog.summary_label.text()
    _import(qtbot, dialog)
    assert len(window.session.contents().checkins) == 3
    assert "Undo (Ctrl+Z) takes the whole import back" in window.statusBar().currentMessage()


def test_a_file_no_reader_takes_is_refused_with_its_name(qtbot, window, tmp_path, monkeypatch):
    from ui.diary_import_dialog import start_diary_import
    from ui.main_window import Notice

    said = []
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: said.append((title, text))))
    foreign = tmp_path / "contacts.csv"
    foreign.write_text("name,phone\nSam,123\n", encoding="utf-8")
    start_diary_import(window, str(foreign), on_ready=lambda d: said.append(("opened", "")))
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    title, text = said[0]
    assert title == "Nothing was imported" and "contacts.csv" in text and "Daylio" in text
    assert window.session.contents().checkins == ()
