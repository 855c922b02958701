"""The time of a check-in: now unless the person types another, reached by keyboard and named for a screen reader, kept when
the check-in is edited; several check-ins a day are each their own record, listed in the order of their times."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import time as TimeOfDay

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from journal.records import DailyCheckIn, ScaleScore
from tests.ui.conftest import click, shortcut, type_into
from ui import checkin_dialog
from ui.checkin_dialog import CheckInDialog, TodayCheckInBox
from ui.questionnaire_dialog import Phq9Dialog, QuestionnaireDialog


@pytest.fixture
def half_past_eight(monkeypatch):
    """The clock reads 08:30 (local) while the form opens."""
    monkeypatch.setattr(checkin_dialog, "now_local", lambda: datetime(2026, 11, 20, 8, 30, tzinfo=UTC))


def _open(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    return dialog


def test_a_new_check_in_opens_at_the_time_now_reached_by_tab_from_the_date(qtbot, session, half_past_eight):
    dialog = _open(qtbot, CheckInDialog(session))
    assert dialog.time_field.text() == "08:30"
    dialog.date_field.line.setFocus()
    qtbot.keyClick(dialog.date_field.line, Qt.Key_Tab)
    assert QApplication.focusWidget() is dialog.time_field.line
    assert dialog.time_field.line.accessibleName() == "Time"
    assert "24-hour" in dialog.time_field.line.accessibleDescription()
    assert dialog.build_record().time == TimeOfDay(8, 30)


def test_the_time_has_its_own_label_with_alt_t(qtbot, session, half_past_eight):
    dialog = _open(qtbot, CheckInDialog(session))
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is dialog.time_field]
    assert labels == ["&Time:"]  # Alt+T, taken by no other field of the form
    others = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None and label.buddy() is not dialog.time_field]
    assert others and not any("&t" in text.casefold() for text in others)


@pytest.mark.parametrize("typed, kept", [("21:00", TimeOfDay(21, 0)), ("7:05", TimeOfDay(7, 5)), ("2215", TimeOfDay(22, 15))])
def test_a_typed_time_is_the_check_ins_time(qtbot, session, half_past_eight, typed, kept):
    dialog = _open(qtbot, CheckInDialog(session))
    type_into(qtbot, dialog.time_field, typed)
    assert dialog.build_record().time == kept


def test_a_time_that_is_not_a_time_is_named_beside_it_and_nothing_is_saved(qtbot, session, half_past_eight):
    dialog = _open(qtbot, CheckInDialog(session))
    type_into(qtbot, dialog.time_field, "25:00")
    click(qtbot, dialog.save_button)
    error = dialog._error_slots["time"][0]
    assert dialog.isVisible() and error.isVisible()
    assert "not a time" in error.text() and "HH:MM" in error.text()
    assert dialog.time_field.text() == "25:00"  # what was typed stays to be corrected
    assert QApplication.focusWidget() is dialog.time_field.line
    assert dialog.saved is None


def test_editing_keeps_the_time_and_an_untimed_check_in_stays_untimed(qtbot, session, half_past_eight):
    timed = DailyCheckIn(id="d1", date=session.today, mood=4, time=TimeOfDay(21, 0))
    dialog = _open(qtbot, CheckInDialog(session, timed))
    assert dialog.time_field.text() == "21:00"  # its own time, not the time now
    assert dialog.build_record().time == TimeOfDay(21, 0)

    untimed = DailyCheckIn(id="d2", date=session.today, mood=4)  # written before check-ins had times
    dialog = _open(qtbot, CheckInDialog(session, untimed))
    assert dialog.time_field.text() == ""
    assert dialog.build_record().time is None


def test_a_questionnaire_opens_at_the_time_now_and_an_edit_keeps_its_time(qtbot, session, half_past_eight):
    dialog = _open(qtbot, Phq9Dialog(session))
    assert dialog.time_field.text() == "08:30"
    dialog.date_field.line.setFocus()
    qtbot.keyClick(dialog.date_field.line, Qt.Key_Tab)
    assert QApplication.focusWidget() is dialog.time_field.line
    assert dialog.time_field.line.accessibleName() == "Time"

    stored = ScaleScore(id="s1", date=session.today, scale="PHQ-9", total=4, items=(1, 1, 1, 1, 0, 0, 0, 0, 0), time=TimeOfDay(19, 45))
    dialog = _open(qtbot, QuestionnaireDialog(session, stored))
    assert dialog.time_field.text() == "19:45"
    assert dialog.build_record().time == TimeOfDay(19, 45)


# -- through the window, stored in the journal ----------------------------------------------------------------------------------


def _check_in_at(qtbot, dialogs, window, at: str, mood_steps: int) -> None:
    def fill(dialog):
        type_into(qtbot, dialog.time_field, at)
        slider = dialog.sliders["mood"].slider
        slider.setFocus()
        for _ in range(mood_steps):
            qtbot.keyClick(slider, Qt.Key_Right)
        click(qtbot, dialog.save_button)

    dialogs.on(CheckInDialog, fill)
    shortcut(qtbot, window, Qt.Key_D)


@pytest.mark.slow
def test_two_check_ins_on_one_day_are_both_saved_and_listed_in_time_order(qtbot, monkeypatch, window, dialogs, journal, half_past_eight):
    asked = []
    monkeypatch.setattr(TodayCheckInBox, "ask", classmethod(lambda cls, parent: asked.append(True) or "add"))  # "Add another"
    _check_in_at(qtbot, dialogs, window, "21:00", 6)
    _check_in_at(qtbot, dialogs, window, "08:30", 3)  # the morning's, written down in the evening

    assert asked == [True]  # the second one was offered as a change to the first, and added as another
    stored = journal.checkins.list()
    assert [(c.date, c.time, c.mood) for c in stored] == [
        (window.session.today, TimeOfDay(8, 30), 3),
        (window.session.today, TimeOfDay(21, 0), 6),
    ]
    panel = window.lists["checkins"]
    # newest first: the evening above the morning
    assert [(panel.cell_text(i, "Time"), panel.cell_text(i, "Mood")) for i in panel.visible_ids()] == [("21:00", "6"), ("08:30", "3")]
