"""The chart's table alternative: what it plots by date (scores, trials and doses, sessions, the marker), by keyboard.

Range changes are spoken.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.charts.choices import MARKER_LABEL
from journal.demo import demo_journal
from journal.exchange.jsonfile import parse_contents
from tests.ui.conftest import TODAY
from ui import formatting as f
from ui.chart_table import chart_rows


@pytest.fixture
def demo(window, journal):
    result = parse_contents(demo_journal(TODAY), today=TODAY)
    journal.import_contents(result.contents, result.settings_changes)
    window.session.reload()
    assert window.timeline_panel.marker_date() is not None  # the demo story reaches the marker
    return window


@pytest.mark.slow
def test_the_table_lists_what_the_chart_plots_by_date_and_is_reached_by_keyboard(qtbot, demo):
    panel = demo.timeline_panel
    qtbot.keyClick(demo, Qt.Key_B, Qt.ControlModifier | Qt.ShiftModifier)
    table = panel.chart_table
    assert table is not None and table.isVisible()
    assert QApplication.focusWidget() is table
    rows = table.table_model.rows()
    whats = [what for _, what, _ in rows]
    timeline = panel.timeline
    assert any(w == "PHQ-9 score" for w in whats)
    first_phq = timeline.series["PHQ-9"][0]
    assert (f.fmt_date(first_phq[0]), "PHQ-9 score") in [(d, w) for d, w, _ in rows]
    lane = timeline.lanes[0]
    assert (f.fmt_date(lane.segments[0].start), f"{lane.label}: started", f"{f.fmt_number(lane.segments[0].mg)} mg/day") in rows
    if timeline.sessions:
        assert "Session" in whats
    marker_rows = [r for r in rows if r[1] == MARKER_LABEL]
    assert [r[0] for r in marker_rows] == [f.fmt_date(timeline.marker.date)]
    # the rows are in date order, as the chart reads left to right
    days = [day for day, _, _ in chart_rows(timeline, *timeline.range)]
    assert days == sorted(days) and len(days) == len(rows)
    # arrows inside, Tab out
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key_Tab)
    assert QApplication.focusWidget() is not table


@pytest.mark.slow
def test_the_table_follows_the_dates_shown_and_range_changes_are_spoken(qtbot, demo, spoken):
    panel = demo.timeline_panel
    panel.table_action.trigger()
    everything = len(panel.chart_table.table_model.rows())
    qtbot.keyClick(demo, Qt.Key_1, Qt.ControlModifier)  # 3 months
    start, end = panel.timeline.range
    rows = panel.chart_table.table_model.rows()
    assert 0 < len(rows) < everything
    assert spoken and spoken[-1] == (panel.range_text(), False)  # polite
    assert spoken[-1][0].startswith("Showing ")
    qtbot.keyClick(demo, Qt.Key_Left, Qt.AltModifier)  # earlier
    assert spoken[-1][0] == panel.range_text() and panel.timeline.range[0] < start
    assert panel.chart_table.accessibleDescription().startswith(f"{len(panel.chart_table.table_model.rows())} rows")


@pytest.mark.slow
def test_the_table_is_emptied_when_the_journal_locks(qtbot, demo):
    panel = demo.timeline_panel
    panel.table_action.trigger()
    assert panel.chart_table.table_model.rowCount() > 0
    demo.lock()
    assert panel.chart_table.table_model.rowCount() == 0
