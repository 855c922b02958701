"""Keyboard paths, accessible names, tab order and larger text in every form and menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QWidget,
)

from tests.ui.conftest import click
from ui.checkin_dialog import CheckInDialog
from ui.history_dialog import HistoryDialog
from ui.questionnaire_dialog import Gad7Dialog, Phq9Dialog
from ui.record_dialogs import ConditionDialog, EpisodeDialog, LabDialog, NoteDialog, ScoreTotalDialog, SessionDialog
from ui.therapy_dialog import TherapyDialog
from ui.trial_dialog import TrialDialog

ALL_DIALOGS = (TrialDialog, Phq9Dialog, Gad7Dialog, CheckInDialog, ScoreTotalDialog, EpisodeDialog, LabDialog,
               ConditionDialog, SessionDialog, NoteDialog, TherapyDialog, HistoryDialog)
_CONTROLS = (QLineEdit, QComboBox, QAbstractButton, QSlider, QAbstractSpinBox, QPlainTextEdit)


def _open(qtbot, dialog_class, session):
    dialog = dialog_class(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _controls(dialog) -> list[QWidget]:
    found = []
    for w in dialog.findChildren(QWidget):
        if not isinstance(w, _CONTROLS) or not w.isVisibleTo(dialog):
            continue
        if isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the line edit inside a combo or spin box is named through its owner
        found.append(w)
    return found


@pytest.mark.parametrize("dialog_class", ALL_DIALOGS, ids=lambda c: c.__name__)
def test_every_control_has_an_accessible_name(qtbot, session, dialog_class):
    dialog = _open(qtbot, dialog_class, session)
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in _controls(dialog)
        if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
    ]
    assert unnamed == []


@pytest.mark.parametrize("dialog_class", ALL_DIALOGS, ids=lambda c: c.__name__)
def test_tab_walks_the_form_from_top_to_bottom(qtbot, session, dialog_class):
    dialog = _open(qtbot, dialog_class, session)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    first = QApplication.focusWidget()
    assert first is not None and dialog.isAncestorOf(first)
    visited = [first]
    for _ in range(80):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        w = QApplication.focusWidget()
        if w is visited[-1]:
            continue  # Tab moved inside the control (hours to minutes in a time field)
        if w is first or w in visited:
            break
        visited.append(w)
        if isinstance(w, QAbstractButton) and w.text() == "Cancel":
            break  # the end of the form; Tab wraps to the top from here
    assert dialog.save_button in visited  # Save is reachable without a mouse
    # each step goes down the form, or right along the same row; never back up
    order = [(w.mapTo(dialog, QPoint(0, w.height() // 2)).y(), w) for w in visited]
    for (y_a, a), (y_b, b) in zip(order, order[1:], strict=False):
        assert y_b >= y_a - a.height(), f"Tab goes back up from {a.accessibleName() or a} to {b.accessibleName() or b}"


@pytest.mark.slow
def test_every_menu_entry_has_a_keyboard_path(window):
    for menu in (window.journal_menu, window.add_menu, window.edit_menu, window.view_menu, window.help_menu):
        assert "&" in menu.title()
        for action in menu.actions():
            if action.isSeparator():
                continue
            assert "&" in action.text() or not action.shortcut().isEmpty() or action.menu() is not None, action.text()
    shortcuts = {key: window.add_actions[key].shortcut().toString() for key in ("trials", "phq9", "gad7", "checkins")}
    assert shortcuts == {"trials": "Ctrl+T", "phq9": "Ctrl+P", "gad7": "Ctrl+G", "checkins": "Ctrl+D"}
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"
    assert [a.shortcut().toString() for a in window.timeline_panel.preset_actions.values()] == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]


@pytest.mark.slow
def test_an_appointment_report_entry_can_join_the_journal_menu(qtbot, window):
    from PySide6.QtGui import QAction

    opened = []
    action = QAction("&Appointment report…", window)
    action.setShortcut("Ctrl+Shift+P")
    action.triggered.connect(lambda: opened.append(True))
    window.add_journal_action(action)
    texts = [a.text() for a in window.journal_menu.actions()]
    assert texts.index("&Appointment report…") < texts.index("&Quit")
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier | Qt.ShiftModifier)
    assert opened == [True]


@pytest.mark.slow
def test_errors_and_the_crisis_panel_speak_in_words_not_only_colour(qtbot, window, session):
    dialog = _open(qtbot, TrialDialog, session)
    click(qtbot, dialog.save_button)
    error = dialog._error_slots["drug"][0]
    assert error.isVisible() and error.text().startswith("⚠ ")
    assert dialog.drug_edit.accessibleDescription()  # a screen reader hears the message too
    assert "⚠" in window.crisis_banner.findChild(QLabel, "crisisSign").text()


@pytest.mark.slow
def test_forms_grow_with_the_text_size(qtbot, window, session):
    small = _open(qtbot, TrialDialog, session)
    small_height = small.drug_edit.sizeHint().height()
    window.set_text_scale(1.5)
    large = _open(qtbot, TrialDialog, session)
    assert large.drug_edit.sizeHint().height() > small_height * 1.3
    # the labels still show their whole text: none is narrower than it needs
    clipped = [
        label.text()
        for label in large.findChildren(QLabel)
        if label.isVisible() and label.text() and not label.wordWrap() and label.width() < label.sizeHint().width() - 1
    ]
    assert clipped == []
