"""Journal ▸ Prepare for my appointment, driven as a person would: the date, the suggested questions, the questions kept."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.records import Condition, Lab, Note, Profile, ScaleScore
from tests.ui.conftest import TODAY, click, days_ago, type_into
from ui.appointment_dialog import NOTHING_TO_SUGGEST, AppointmentDialog, install_appointment_action, with_day
from ui.report_dialog import install_report_actions

CRP_QUESTION = "Should my inflammation markers be checked (CRP; IL-6 is mostly used in research)?"
THYROID_QUESTION = "Should my thyroid be checked (TSH, free T4)?"


def _open(qtbot, window) -> AppointmentDialog:
    dialog = AppointmentDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _card(dialog, key: str):
    found = [c for c in dialog.cards if c.suggestion.key == key]
    return found[0] if found else None


def _shown(dialog) -> list[str]:
    return [c.suggestion.key for c in dialog.cards if c.isVisibleTo(dialog)]


def _kept(dialog) -> list[str]:
    return dialog.kept()


def _nothing_missing(session) -> None:
    """Every workup result recent and every condition assessed: nothing for the journal to suggest."""
    for test in ("crp", "tsh", "morning_cortisol"):
        session.add("labs", Lab("", days_ago(30), test, 1.0))
    for name in ("Anxiety", "ADHD", "PTSD", "Sleep disorder", "Chronic pain", "Substance use"):
        session.add("conditions", Condition("", name, "assessed"))


def test_the_menu_entry_opens_the_view_with_its_shortcut(qtbot, window, monkeypatch):
    install_report_actions(window)
    action = install_appointment_action(window)
    assert action in window.journal_menu.actions()
    assert action.shortcut().toString() == "Ctrl+Shift+N"
    opened: list[AppointmentDialog] = []

    def show_instead(self):  # the real dialog, shown without a modal loop
        opened.append(self)
        self.show()
        return 0  # the window deletes the dialog once it returns

    monkeypatch.setattr(AppointmentDialog, "exec", show_instead)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    assert len(opened) == 1
    dialog = opened[0]
    assert dialog.windowTitle() == "Prepare for my appointment"
    assert dialog.report_button is not None  # straight on to the report when the questions are ready
    assert CRP_QUESTION in [c.question_label.text() for c in dialog.cards]
    dialog.hide()


def test_adding_a_question_makes_an_appointment_note_and_the_suggestion_goes(qtbot, window):
    dialog = _open(qtbot, window)
    card = _card(dialog, "crp")
    assert card is not None and "no CRP result recorded in the last 12 months" in card.why_label.text()
    click(qtbot, card.add_button)
    notes = window.session.contents().notes
    assert [(n.text, n.for_appointment, n.date) for n in notes] == [(CRP_QUESTION, True, TODAY)]
    assert _card(dialog, "crp") is None
    assert any(CRP_QUESTION in line for line in _kept(dialog))
    assert window.lists["notes"].model.rowCount() == 1  # the window's Notes list has it too: an ordinary note
    assert "Added to the notes" in dialog.status.text()
    # the journal remembers the choice: a view opened later does not suggest it again
    dialog.close()
    again = _open(qtbot, window)
    assert _card(again, "crp") is None and _card(again, "tsh") is not None


def test_dismissing_a_question_keeps_no_note_and_it_stays_dismissed(qtbot, window, journal):
    dialog = _open(qtbot, window)
    click(qtbot, _card(dialog, "tsh").dismiss_button)
    assert _card(dialog, "tsh") is None
    assert window.session.contents().notes == ()
    assert {c.key: c.choice for c in journal.state().question_choices} == {"tsh": "dismissed"}
    dialog.close()
    assert _card(_open(qtbot, window), "tsh") is None


def test_undo_takes_an_added_question_back_and_the_suggestion_returns(qtbot, window, journal):
    dialog = _open(qtbot, window)
    assert not dialog.undo_button.isEnabled()  # nothing done here yet: earlier steps are the window's to undo
    click(qtbot, _card(dialog, "crp").add_button)
    click(qtbot, _card(dialog, "cortisol").dismiss_button)
    click(qtbot, dialog.undo_button)
    assert _card(dialog, "cortisol") is not None and _card(dialog, "crp") is None
    click(qtbot, dialog.undo_button)
    assert _card(dialog, "crp") is not None
    assert window.session.contents().notes == () and journal.contents().notes == ()
    assert journal.state().question_choices == ()
    assert _kept(dialog) == []
    assert not dialog.undo_button.isEnabled()
    window.session.undo_stack.redo()  # redo adds the same question again
    assert [n.text for n in journal.contents().notes] == [CRP_QUESTION] and _card(dialog, "crp") is None


def test_a_dismissed_question_comes_back_when_its_condition_changes(qtbot, window):
    session = window.session
    session.add("scores", ScaleScore("", days_ago(20), "GAD-7", 12))
    dialog = _open(qtbot, window)
    card = _card(dialog, "gad7")
    assert card is not None and "GAD-7 12" in card.question_label.text()
    click(qtbot, card.dismiss_button)
    assert _card(dialog, "gad7") is None
    session.add("scores", ScaleScore("", days_ago(2), "GAD-7", 15))  # a new score reads differently
    card = _card(dialog, "gad7")
    assert card is not None and "GAD-7 15" in card.question_label.text()
    session.add("scores", ScaleScore("", days_ago(1), "GAD-7", 6))  # below 10: not suggested at all
    assert _card(dialog, "gad7") is None


def test_a_recorded_result_or_an_assessed_condition_takes_its_suggestion_away(qtbot, window):
    dialog = _open(qtbot, window)
    assert {"crp", "condition:adhd"} <= set(_shown(dialog))
    window.session.add("labs", Lab("", days_ago(10), "crp", 2.1))
    window.session.add("conditions", Condition("", "ADHD", "suspected"))  # only suspected: still not assessed
    assert "crp" not in _shown(dialog) and "condition:adhd" in _shown(dialog)
    adhd = next(c for c in window.session.contents().conditions if c.name == "ADHD")
    window.session.update("conditions", replace(adhd, status="assessed"))
    assert "condition:adhd" not in _shown(dialog)


def test_with_nothing_to_suggest_the_view_says_so(qtbot, window):
    _nothing_missing(window.session)
    dialog = _open(qtbot, window)
    assert dialog.cards == []
    assert dialog.empty_label.isVisibleTo(dialog) and dialog.empty_label.text() == NOTHING_TO_SUGGEST


def test_the_appointment_date_is_kept_in_the_journal(qtbot, window, journal):
    dialog = _open(qtbot, window)
    assert "No date set" in dialog.date_note.text()
    day = days_ago(-8)
    type_into(qtbot, dialog.date_field, day.isoformat())
    qtbot.keyClick(dialog.date_field.line, Qt.Key_Return)
    assert journal.settings().reminders.next_appointment == day.isoformat()
    assert "in 8 days" in dialog.date_note.text()
    # a wrong date is named and nothing stored changes
    type_into(qtbot, dialog.date_field, "2026-13-40")
    qtbot.keyClick(dialog.date_field.line, Qt.Key_Return)
    assert "Not kept" in dialog.date_note.text() and "2026-13-40" in dialog.date_note.text()
    assert journal.settings().reminders.next_appointment == day.isoformat()
    # a date typed and not confirmed is kept on closing; an empty field clears it
    type_into(qtbot, dialog.date_field, days_ago(-9).isoformat())
    click(qtbot, dialog.close_button)
    assert journal.settings().reminders.next_appointment == days_ago(-9).isoformat()
    again = _open(qtbot, window)
    assert again.date_field.text() == days_ago(-9).isoformat()
    type_into(qtbot, again.date_field, "")
    qtbot.keyClick(again.date_field.line, Qt.Key_Return)
    assert journal.settings().reminders.next_appointment is None


def test_changing_the_day_keeps_the_time_of_an_appointment(qtbot, window, journal):
    stored = f"{days_ago(-3).isoformat()}T09:30:00+01:00"
    window.session.change_settings(reminders=replace(journal.settings().reminders, next_appointment=stored))
    dialog = _open(qtbot, window)
    assert dialog.date_field.text() == days_ago(-3).isoformat() and "at 09:30" in dialog.date_note.text()
    type_into(qtbot, dialog.date_field, days_ago(-5).isoformat())
    qtbot.keyClick(dialog.date_field.line, Qt.Key_Return)
    assert journal.settings().reminders.next_appointment == f"{days_ago(-5).isoformat()}T09:30:00+01:00"
    assert with_day("2026-12-10", None) is None


def test_a_caregiver_is_shown_questions_on_the_persons_behalf_and_the_note_is_theirs(qtbot, window, journal):
    session = window.session
    session.change_profile(Profile(display_name="Sam"))
    session.set_author("Alex")
    try:
        dialog = _open(qtbot, window)
        texts = [c.question_label.text() for c in dialog.cards]
        assert "Should Sam's thyroid be checked (TSH, free T4)?" in texts
        assert not any(" my " in f" {t} " or t.startswith("My ") for t in texts)
        card = _card(dialog, "tsh")
        assert card.add_button.text() == "Add to the notes"
        assert "on the person's behalf" in dialog.intro.text()
        click(qtbot, card.add_button)
        note = journal.contents().notes[0]
        assert note.text == "Should Sam's thyroid be checked (TSH, free T4)?"
        assert journal.author_of(note.id) == "Alex"
        assert any("entered by Alex" in line for line in _kept(dialog))
    finally:
        session.set_author(None)


def test_the_questions_kept_are_those_the_next_report_lists(qtbot, window):
    session = window.session
    session.add("notes", Note("", days_ago(40), "Is my sleep part of this?", True))
    session.add("notes", Note("", days_ago(5), "A private thought, not for the appointment", False))
    dialog = _open(qtbot, window)
    assert [line.split(": ", 1)[1] for line in _kept(dialog)] == ["Is my sleep part of this?"]
    assert dialog.kept_box.title() == "Questions for the appointment (1)"
    session.report_made()  # a report made today: the next one starts from here
    assert _kept(dialog) == [] and "since the last report" in dialog.kept_heading.text()
    click(qtbot, _card(dialog, "crp").add_button)  # added after the report, the same day: not lost
    assert [line.split(": ", 1)[1] for line in _kept(dialog)] == [CRP_QUESTION]


@pytest.mark.parametrize("key", ["crp", "tsh"])
def test_every_button_names_its_question_for_a_screen_reader_and_tab_reaches_it(qtbot, window, key):
    dialog = _open(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    card = _card(dialog, key)
    assert card.add_button.accessibleName() == f"Add to my notes: {card.suggestion.question}"
    assert card.dismiss_button.accessibleName().startswith("Dismiss: ")
    seen = set()
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        seen.add(QApplication.focusWidget())
    assert card.add_button in seen and card.dismiss_button in seen and dialog.close_button in seen
    # adding from the keyboard moves the focus on, never to nowhere
    card.add_button.setFocus()
    qtbot.keyClick(card.add_button, Qt.Key_Space)
    assert dialog.isAncestorOf(QApplication.focusWidget())
