"""The date fields' calendar button: a day picked in the calendar is the day the field holds."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QCalendarWidget

from tests.ui.conftest import click
from ui.forms import DateField, PartialDateField


def _open_calendar(qtbot, field) -> QCalendarWidget:
    click(qtbot, field.button)
    (calendar,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, QCalendarWidget) and w.isVisible()]
    return calendar


@pytest.mark.parametrize("make", [lambda: DateField(date(2024, 5, 3)), lambda: PartialDateField(date(2024, 5, 3))],
                         ids=["day", "day-month-or-year"])
def test_the_calendar_opens_on_the_fields_day_and_puts_the_day_picked_in_it(qtbot, make):
    field = make()
    qtbot.addWidget(field)
    field.show()
    calendar = _open_calendar(qtbot, field)
    assert calendar.selectedDate() == QDate(2024, 5, 3)
    with qtbot.waitSignal(field.edited):
        calendar.clicked.emit(QDate(2024, 6, 9))
    assert field.text() == "2024-06-09"
    qtbot.waitUntil(lambda: not calendar.isVisible())
