"""Caregiver mode driven as a person does: choose "Entering as", add records, see them marked in the lists and the report, undo."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from journal.records import Note
from tests.ui.conftest import click, days_ago, shortcut, type_into
from tests.ui.test_questionnaires import answer_by_keyboard
from ui.caregiver import EnteringAsDialog
from ui.main_window import MainWindow
from ui.questionnaire_dialog import Phq9Dialog
from ui.record_dialogs import NoteDialog
from ui.session import JournalSession


class EnteringAsDriver:
    """Replaces EnteringAsDialog.ask so the real dialog opens without a modal loop and a test answers it."""

    def __init__(self, monkeypatch, qtbot):
        self.qtbot = qtbot
        self.fills: list = []
        self.seen: list[EnteringAsDialog] = []
        driver = self

        def ask(cls, parent, names, current):
            dialog = cls(names, current, parent)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            driver.seen.append(dialog)
            driver.fills.pop(0)(dialog)
            return dialog.choice if dialog.result() == QDialog.Accepted else None

        monkeypatch.setattr(EnteringAsDialog, "ask", classmethod(ask))

    def then(self, fill) -> None:
        self.fills.append(fill)


@pytest.fixture
def entering_as(monkeypatch, qtbot):
    return EnteringAsDriver(monkeypatch, qtbot)


def type_new_name(qtbot, name: str):
    def fill(dialog):
        type_into(qtbot, dialog.name_field, name)
        qtbot.keyClick(dialog.name_field, Qt.Key_Return)  # Enter is OK

    return fill


def pick(qtbot, label_start: str):
    """Choose a radio button by keyboard (focus it, Space), then OK."""

    def fill(dialog):
        button = next(b for b in dialog.group.buttons() if b.text().replace("&", "").startswith(label_start))
        button.setFocus()
        qtbot.keyClick(button, Qt.Key_Space)
        click(qtbot, dialog.ok_button)

    return fill


def add_note(qtbot, window, dialogs, text: str) -> None:
    def fill(dialog):
        qtbot.keyClicks(dialog.text_edit, text)
        click(qtbot, dialog.save_button)

    dialogs.on(NoteDialog, fill)
    shortcut(qtbot, window, Qt.Key_N)


def only_note(journal, text: str) -> Note:
    (note,) = [n for n in journal.notes.list() if n.text == text]
    return note


@pytest.mark.slow
def test_the_control_is_visible_named_and_in_the_journal_menu(window):
    button = window.caregiver.button
    assert button.isVisible() and button.text() == "Entering as: the owner"
    assert button.accessibleName() == "Entering as"
    assert button.focusPolicy() & Qt.TabFocus  # reachable by Tab as well as by Ctrl+Shift+W
    texts = [a.text() for a in window.journal_menu.actions()]
    assert "Entering &as: the owner…" in texts


@pytest.mark.slow
def test_a_caregiver_adds_a_note_it_is_marked_and_undo_takes_it_away(qtbot, window, dialogs, entering_as, journal):
    entering_as.then(type_new_name(qtbot, "Sam"))
    shortcut(qtbot, window, Qt.Key_W, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.caregiver.button.text() == "Entering as: Sam (caregiver)"
    assert window.caregiver.button.font().bold()

    add_note(qtbot, window, dialogs, "Mum slept badly all week")
    note = only_note(journal, "Mum slept badly all week")
    assert journal.author_of(note.id) == "Sam"
    notes = window.lists["notes"]
    assert "Entered by" in [c.header for c in notes.model.columns]
    assert notes.column_shown("Entered by")
    assert notes.cell_text(note.id, "Entered by") == "Sam"

    # the column is searchable like any other
    type_into(qtbot, notes.search, "sam")
    assert notes.visible_ids() == [note.id]
    notes.search.clear()

    shortcut(qtbot, window, Qt.Key_Z)  # undo the add: the record and its author go
    assert journal.notes.list() == []
    assert journal.contents().entries_by == ()
    assert not notes.column_shown("Entered by")  # nobody but the owner left in this list
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # redo: back, still Sam's
    assert journal.author_of(note.id) == "Sam"


@pytest.mark.slow
def test_the_owners_records_stay_unmarked_and_the_column_stays_out_of_the_way(qtbot, window, dialogs, journal):
    add_note(qtbot, window, dialogs, "ask about sleep")
    note = only_note(journal, "ask about sleep")
    assert journal.author_of(note.id) is None
    notes = window.lists["notes"]
    assert notes.cell_text(note.id, "Entered by") == ""
    assert not notes.column_shown("Entered by")
    # the columns still fill the list's width once it is refreshed with that last column hidden
    # (on a window wide enough for every column: on a narrow screen the list scrolls instead)
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: notes.table.viewport().width() > 700)
    window.session.reload()
    header = notes.table.horizontalHeader()
    shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    assert sum(header.sectionSize(i) for i in shown) == notes.table.viewport().width()


@pytest.mark.slow
def test_names_are_offered_again_and_switching_back_to_the_owner_works(qtbot, window, dialogs, entering_as, journal, session, look, tmp_path):
    entering_as.then(type_new_name(qtbot, "Sam"))
    window.caregiver.choose()
    add_note(qtbot, window, dialogs, "by Sam")

    entering_as.then(pick(qtbot, "The journal"))
    click(qtbot, window.caregiver.button)
    assert window.caregiver.button.text() == "Entering as: the owner"
    add_note(qtbot, window, dialogs, "by me")
    assert journal.author_of(only_note(journal, "by me").id) is None

    # typing the same name with other capitals is the same person, not a second one
    entering_as.then(type_new_name(qtbot, "  sam "))
    window.caregiver.choose()
    assert window.session.author == "Sam"

    # another start of the window on the same journal: the name comes from the journal itself
    ini = tmp_path / "again.ini"
    again = MainWindow(JournalSession(journal), settings=QSettings(str(ini), QSettings.IniFormat), look=look)
    qtbot.addWidget(again)
    entering_as.then(pick(qtbot, "Sam"))
    again.caregiver.choose()
    assert list(entering_as.seen[-1].name_buttons) == ["Sam"]
    again.close()
    assert "Sam" not in ini.read_text(encoding="utf-8")  # never in the program's settings


@pytest.mark.slow
def test_an_edit_keeps_who_entered_the_record(qtbot, window, dialogs, entering_as, journal):
    entering_as.then(type_new_name(qtbot, "Sam"))
    window.caregiver.choose()
    add_note(qtbot, window, dialogs, "first words")
    note = only_note(journal, "first words")
    entering_as.then(pick(qtbot, "The journal"))
    window.caregiver.choose()

    def edit(dialog):
        qtbot.keyClick(dialog.text_edit, Qt.Key_End, Qt.ControlModifier)
        qtbot.keyClicks(dialog.text_edit, ", corrected")
        click(qtbot, dialog.save_button)

    dialogs.on(NoteDialog, edit)
    window.edit_record("notes", note.id)
    assert journal.notes.get(note.id).text == "first words, corrected"
    assert journal.author_of(note.id) == "Sam"
    shortcut(qtbot, window, Qt.Key_Z)
    assert journal.notes.get(note.id).text == "first words" and journal.author_of(note.id) == "Sam"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the caregiver's name"),
        ("   ", "Type the caregiver's name"),
        ("x" * 61, "61 characters long; keep it to 60"),
        ("Sam\tSmith", "control character"),
    ],
)
@pytest.mark.slow
def test_a_name_that_cannot_be_used_is_named_and_nothing_changes(qtbot, window, entering_as, typed, message):
    seen = {}

    def fill(dialog):
        click(qtbot, dialog.other_button)
        dialog.name_field.setText(typed)  # a tab cannot be typed into a line edit; pasted text can hold one
        click(qtbot, dialog.ok_button)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error_label.text() if dialog.error_label.isVisible() else ""
        dialog.reject()

    entering_as.then(fill)
    window.caregiver.choose()
    assert seen["open"] and message in seen["error"]
    assert window.session.author is None
    assert window.caregiver.button.text() == "Entering as: the owner"


@pytest.mark.slow
def test_locking_hides_the_name_and_unlocking_keeps_the_caregiver(qtbot, window, entering_as, journal):
    entering_as.then(type_new_name(qtbot, "Sam"))
    window.caregiver.choose()
    window.lock()  # no access object in this test: the views empty, as on the lock screen
    button = window.caregiver.button
    assert "Sam" not in button.text() and not button.isEnabled()
    assert not window.caregiver.action.isEnabled()
    window.set_session(JournalSession(journal, today=window.session.today))  # what unlocking does
    assert button.text() == "Entering as: Sam (caregiver)" and button.isEnabled()
    stored = window.session.add("notes", Note(id="", date=days_ago(0), text="after unlocking"))
    assert journal.author_of(stored.id) == "Sam"


@pytest.mark.slow
def test_another_journal_starts_with_its_owner(qtbot, window, entering_as, tmp_path, qapp):
    from journal.opening import open_file

    entering_as.then(type_new_name(qtbot, "Sam"))
    window.caregiver.choose()
    other = open_file(tmp_path / "other" / "journal.db", create=True)
    try:
        window.set_session(JournalSession(other))
        window.caregiver.refresh()
        assert window.caregiver.button.text() == "Entering as: the owner"
        stored = window.session.add("notes", Note(id="", date=days_ago(0), text="owner"))
        assert other.author_of(stored.id) is None
    finally:
        other.close()


@pytest.mark.slow
def test_the_report_lists_what_the_caregiver_entered(qtbot, window, dialogs, entering_as, journal):
    from pypdf import PdfReader

    from journal.reports.facts import outline, report_facts
    from journal.reports.pdf import report_bytes

    entering_as.then(type_new_name(qtbot, "Sam"))
    window.caregiver.choose()
    add_note(qtbot, window, dialogs, "Ask about the dizziness")

    def phq9(dialog):
        answer_by_keyboard(qtbot, dialog, [1, 1, 1, 1, 1, 1, 0, 0, 0])
        click(qtbot, dialog.save_button)

    dialogs.on(Phq9Dialog, phq9)
    shortcut(qtbot, window, Qt.Key_P)
    (score,) = journal.scores.list()
    assert window.lists["scores"].cell_text(score.id, "Entered by") == "Sam"

    contents = window.session.contents()
    facts = report_facts(contents, today=window.session.today)
    assert {(who, kind, len(items)) for who, kind, items in facts.entries} == {("Sam", "Notes", 1), ("Sam", "Scale scores", 1)}
    headed = dict(outline(facts))
    assert "Sam: Scale scores (1)" in headed["Records entered by someone else"]

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report_bytes(contents, today=window.session.today))).pages)
    flat = " ".join(text.split())
    assert "Records entered by someone else" in flat
    assert "entered by Sam" in flat  # beside the appointment note and the score
    assert "Sam" in flat.split("Records entered by someone else", 1)[1]
