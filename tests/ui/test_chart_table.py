"""The chart's table alternative: what it plots by date (scores, trials and doses, sessions, the marker), by keyboard.

Range changes are spoken.
"""

from __future__ import annotations

from datetime import date, datetime, time

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
    qtbot.keyClick(demo, Qt.Key_3, Qt.ControlModifier)  # all of it: the table lists what the dates shown hold
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
    lane = next(t for t in timeline.lanes if t.segments[0].mg is not None)  # a trial whose first dose is known
    assert (f.fmt_date(lane.segments[0].start), f"{lane.label}: started", f"{f.fmt_number(lane.segments[0].mg)} mg/day") in rows
    if timeline.sessions:
        assert "Session" in whats
    marker_rows = [r for r in rows if r[1] == MARKER_LABEL]
    assert [r[0] for r in marker_rows] == [f.fmt_date(timeline.marker.date)]
    # the rows are in date order, as the chart reads left to right
    days = [row.day for row in chart_rows(timeline, *timeline.range)]
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


# --------------------------------------------------------------------------- a version-2 journal


class _Remembered:
    """What the panel asks of the window's session, for a version-2 journal held as records."""

    def __init__(self, contents):
        from journal.clinical.assessment import assess

        self.today = V2_TODAY
        self._contents = contents
        self._assessment = assess(contents, as_of=V2_TODAY)

    def contents(self):
        return self._contents

    def assessment(self):
        return self._assessment


V2_TODAY = date(2026, 12, 1)


def _v2_contents(*, possible: bool = False):
    from journal.records import DailyCheckIn, DoseStep, Episode, JournalContents, Rating, ScaleScore, Session, Therapy, Trial

    venlafaxine = Trial("t0", "venlafaxine", (DoseStep(date(2018, 2, 1), 225),), end=date(2018, 8, 31), rating=Rating("none"))
    sertraline = Trial(
        "t1", "sertraline", (DoseStep(date(2019, 3, 1), None if possible else 150, "month"),), end=date(2019, 12, 1),
        end_precision="month", rating=Rating("none"), stop_reason="ineffective",
    )
    return JournalContents(
        episodes=(Episode("e1", date(2018, 1, 1), None, "severe", start_precision="year"),),
        trials=(venlafaxine, sertraline),
        therapies=(Therapy("p1", "cbt", date(2021, 9, 1), start_precision="month", end=date(2022, 1, 1), end_precision="month"),),
        sessions=(Session("k1", datetime(2026, 6, 1, 10, 0), "esketamine", 56, 1, phase="induction"),),
        scores=(ScaleScore("q2", date(2026, 11, 3), "PHQ-9", 9, time=time(19, 0)), ScaleScore("q1", date(2026, 11, 3), "PHQ-9", 14)),
        checkins=(
            DailyCheckIn("d2", date(2026, 11, 20), mood=7, time=time(20, 30)),
            DailyCheckIn("d1", date(2026, 11, 20), mood=3, time=time(8, 15)),
        ),
    )


@pytest.fixture
def v2_panel(qtbot, qapp):
    from ui.timeline import TimelinePanel

    def make(**kw):
        panel = TimelinePanel(_Remembered(_v2_contents(**kw)))
        qtbot.addWidget(panel)
        panel.resize(1200, 700)
        panel.show()
        panel.rebuild()
        panel.show_preset("all")  # the whole journal: its remembered 2018 and 2019 too
        panel.table_action.trigger()
        return panel

    return make


def test_the_table_gives_remembered_dates_as_entered_and_check_ins_with_their_time_in_order(v2_panel):
    panel = v2_panel()
    rows = panel.chart_table.table_model.rows()
    assert ("about 2018", "Episode began", "episode (severe)") in rows
    assert ("about Mar 2019", "sertraline: started", "150 mg/day") in rows
    assert ("about Dec 2019", "sertraline: ended", "stopped ~Dec 2019: did not work") in rows
    assert ("about Sep 2021", "Psychotherapy: CBT began", "CBT, ~Sep 2021 to ~Jan 2022") in rows
    assert ("about Jan 2022", "Psychotherapy: CBT ended", "CBT, ~Sep 2021 to ~Jan 2022") in rows
    assert ("2026-06-01 10:00", "Session", "esketamine 56 mg session 1 (induction), 1 Jun 2026") in rows
    phq = [r for r in rows if r[1] == "PHQ-9 score"]
    assert phq == [("2026-11-03", "PHQ-9 score", "14 (moderate)"), ("2026-11-03 19:00", "PHQ-9 score", "9 (mild)")]  # untimed first
    checkins = [r for r in rows if r[1] == "Check-in: Mood"]
    assert checkins == [("2026-11-20 08:15", "Check-in: Mood", "3"), ("2026-11-20 20:30", "Check-in: Mood", "7")]
    # the threshold rests on the remembered end: its date is given at that month
    marker = [r for r in rows if r[1] == MARKER_LABEL]
    assert marker == [("about Dec 2019", MARKER_LABEL, f"{MARKER_LABEL} by about Dec 2019")]
    assert f"{MARKER_LABEL}, by about Dec 2019." in panel.canvas.accessibleDescription()
    # no date made up for a month: no row of the table reads 2019-03-01 or 2019-12-01
    assert not any(r[0] in ("2019-03-01", "2019-12-01", "2018-01-01") for r in rows)


def test_the_table_names_a_dose_not_recorded_and_says_what_may_be_met_with_no_date(v2_panel):
    panel = v2_panel(possible=True)
    rows = panel.chart_table.table_model.rows()
    assert ("about Mar 2019", "sertraline: started", "dose not recorded") in rows
    first = rows[0]
    assert first[0] == "" and first[1] == "TRD criteria may be met once remembered details are confirmed"
    assert not any(r[1] == MARKER_LABEL for r in rows)
    assert panel.marker_date() is None
    description = panel.canvas.accessibleDescription()
    assert "may be met once remembered details are confirmed" in description and "2019" not in description.split("Showing")[0]
