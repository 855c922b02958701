"""The record lists with a keyboard and a screen reader: arrows inside, Tab out, only the columns shown, and how many rows a search leaves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from journal.records import ScaleScore
from tests.ui.conftest import days_ago, type_into


def _scores(session, n: int) -> None:
    for i in range(n):
        session.add("scores", ScaleScore(id="", date=days_ago(7 * i + 1), scale="GAD-7" if i % 3 else "PHQ-9", total=5 + i % 10))


@pytest.mark.slow
def test_arrow_keys_move_inside_the_list_and_tab_leaves_it(qtbot, window, session):
    _scores(session, 6)
    window.tabs.setCurrentWidget(window.lists["scores"])
    panel = window.lists["scores"]
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)  # Go to the lists
    table = panel.table
    assert QApplication.focusWidget() is table
    table.setCurrentIndex(panel.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key_Down)
    assert table.currentIndex().row() == 1  # still in the list, one record down
    qtbot.keyClick(table, Qt.Key_Tab)
    assert QApplication.focusWidget() is panel.add_button  # one Tab and the list is left behind
    qtbot.keyClick(panel.add_button, Qt.Key_Backtab)
    assert QApplication.focusWidget() is table


@pytest.mark.slow
def test_a_screen_reader_is_not_offered_the_column_the_list_does_not_show(qtbot, window, session):
    _scores(session, 2)
    table = window.lists["scores"].table
    iface = QAccessible.queryAccessibleInterface(table)
    headers = [iface.child(i).text(QAccessible.Name) for i in range(iface.childCount())
               if iface.child(i).role() == QAccessible.ColumnHeader]
    assert "Entered by" not in headers
    assert headers[:4] == ["Date", "Time", "Scale", "Total"]


@pytest.mark.slow
def test_a_search_says_how_many_rows_it_leaves(qtbot, window, session, spoken):
    _scores(session, 9)  # 3 PHQ-9, 6 GAD-7
    panel = window.lists["scores"]
    window.tabs.setCurrentWidget(panel)
    assert not panel.count_label.isVisible()
    type_into(qtbot, panel.search, "phq")
    assert panel.count_label.isVisible() and panel.count_label.text() == "3 of 9 scores shown"
    assert spoken[-1] == ("3 of 9 scores shown", False)  # polite: it does not cut off what is being read
    assert panel.table.accessibleDescription() == "3 of 9 scores shown"
    type_into(qtbot, panel.search, "nothing like this")
    assert spoken[-1][0] == "No scores match"
    panel.search.clear()
    assert not panel.count_label.isVisible()
