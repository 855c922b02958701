"""The chart in the window, tested by what it plots: series, lanes, range presets, pan, toggles, hover words, theme and text size."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from matplotlib import dates as mdates
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from journal.records import DailyCheckIn, DoseStep, Episode, ScaleScore, Trial
from tests.ui.conftest import TODAY, days_ago, shortcut


def _months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day when it has no such day (31 May -> 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in range(day.day, 27, -1):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    return date(year, month + 1, min(day.day, 28))


@pytest.fixture
def filled(window, journal):
    journal.episodes.add(Episode(id="", start=days_ago(700), severity="moderate"))
    for n, total in ((690, 18), (600, 16), (500, 12), (40, 9)):
        journal.scores.add(ScaleScore(id="", date=days_ago(n), scale="PHQ-9", total=total))
    journal.scores.add(ScaleScore(id="", date=days_ago(45), scale="GAD-7", total=11))
    journal.checkins.add(DailyCheckIn(id="", date=days_ago(3), mood=4, hours_slept=6.5))
    journal.trials.add(
        Trial(id="", drug="sertraline", doses=(DoseStep(days_ago(680), 50.0), DoseStep(days_ago(650), 100.0)), end=days_ago(560))
    )
    journal.trials.add(Trial(id="", drug="escitalopram", doses=(DoseStep(days_ago(100), 10.0),)))
    window.session.reload()
    return window


@pytest.mark.slow
def test_the_chart_plots_the_journal(filled):
    timeline = filled.timeline_panel.timeline
    assert timeline.series["PHQ-9"] == [(days_ago(690), 18), (days_ago(600), 16), (days_ago(500), 12), (days_ago(40), 9)]
    line = timeline.artists.score_lines["PHQ-9"]
    # every point, the line broken across each gap of more than eight weeks without a score
    ys = list(line.get_ydata())
    assert [y for y in ys if y == y] == [18, 16, 12, 9] and sum(y != y for y in ys) == 3
    assert [x for x in line.get_xdata() if x == x] == [mdates.date2num(days_ago(n)) for n in (690, 600, 500, 40)]
    assert [lane.drug for lane in timeline.lanes] == ["sertraline", "escitalopram"]
    assert [(s.start, s.end, s.mg) for s in timeline.lanes[0].segments] == [
        (days_ago(680), days_ago(651), 50.0),
        (days_ago(650), days_ago(560), 100.0),
    ]
    assert timeline.lanes[1].ongoing and timeline.lanes[1].end == TODAY
    assert [(e.start, e.ongoing) for e in timeline.episodes] == [(days_ago(700), True)]
    assert "GAD-7" not in timeline.series  # only PHQ-9 until another scale is switched on


@pytest.mark.slow
def test_range_presets_zoom_by_keyboard(qtbot, filled):
    panel = filled.timeline_panel
    # the treatment years at first: from a month before the current episode began, up to today
    treatment = (_months_before(days_ago(700), 1), TODAY)
    assert panel.timeline.range == treatment
    assert panel.preset_actions["treatment"].isChecked()

    shortcut(qtbot, filled, Qt.Key_1)
    assert panel.timeline.range == (_months_before(TODAY, 3), TODAY)
    assert panel.preset_actions["3 months"].isChecked()
    x0, x1 = panel.timeline.score_ax.get_xlim()
    assert x0 <= mdates.date2num(_months_before(TODAY, 3)) and x1 >= mdates.date2num(TODAY)
    assert x1 - x0 < 100  # about three months of days, not the whole journal

    shortcut(qtbot, filled, Qt.Key_2)
    assert panel.timeline.range == (_months_before(TODAY, 12), TODAY)

    shortcut(qtbot, filled, Qt.Key_3)
    assert panel.timeline.range == (days_ago(700), TODAY)
    assert "–" in panel.range_label.text()

    shortcut(qtbot, filled, Qt.Key_4)  # back to the treatment years
    assert panel.timeline.range == treatment and panel.preset_actions["treatment"].isChecked()


@pytest.mark.slow
def test_a_twenty_year_journal_opens_on_its_treatment_years_not_squeezed_on_all(qtbot, window, journal):
    from benchmarks.generator import synthetic_journal
    from journal.exchange.jsonfile import parse_contents

    result = parse_contents(synthetic_journal(20, end=TODAY), today=TODAY)
    journal.import_contents(result.contents, result.settings_changes)
    window.session.reload()
    panel = window.timeline_panel
    start, end = panel.timeline.range
    first_day = panel.timeline.full_range[0]
    assert end == TODAY and (TODAY - first_day).days > 19 * 365
    # a few years, not twenty: the current episode and the trials of the last two years, six years at most
    assert _months_before(TODAY, 72) <= start <= _months_before(TODAY, 3)
    current = max((e for e in result.contents.episodes if e.end is None), key=lambda e: e.start, default=None)
    if current is not None and current.start >= _months_before(TODAY, 71):
        assert start <= current.start
    recent = [t for t in result.contents.trials if t.end is None or (TODAY - t.end).days <= 2 * 365]
    assert all(start <= t.start or t.start < _months_before(TODAY, 71) for t in recent)
    assert panel.preset_buttons["treatment"].isChecked()
    # its rows can be read: named beside the bars, no "zoom in" hint over them
    # fewer rows to share the lane panel than the whole journal's
    in_view = len(panel.timeline.trial_ax.get_yticks()) or int(panel.timeline.artists.rows_hint.get_text().split()[0])
    assert in_view < len(panel.timeline._row_labels) / 2
    shortcut(qtbot, window, Qt.Key_3)
    assert panel.timeline.range[0] == first_day  # the whole journal is one key away


@pytest.mark.slow
def test_pan_moves_the_view_back_and_forth(qtbot, filled):
    panel = filled.timeline_panel
    shortcut(qtbot, filled, Qt.Key_1)
    start, end = panel.timeline.range

    shortcut(qtbot, filled, Qt.Key_Left, Qt.AltModifier)
    earlier = panel.timeline.range
    assert earlier[0] < start and earlier[1] < end
    assert not any(a.isChecked() for a in panel.preset_actions.values())  # no longer "the last 3 months"

    panel.canvas.setFocus()
    qtbot.keyClick(panel.canvas, Qt.Key_Right)
    assert panel.timeline.range[0] > earlier[0]

    # a data change redraws the chart but keeps the dates in view
    kept = panel.timeline.range
    filled.session.reload()
    assert panel.timeline.range == kept


@pytest.mark.slow
def test_dragging_the_chart_pans_it(qtbot, filled):
    panel = filled.timeline_panel
    shortcut(qtbot, filled, Qt.Key_2)
    before = panel.timeline.range
    ax = panel.timeline.trial_ax
    ratio = panel.canvas.device_pixel_ratio
    mid_y = (ax.bbox.y0 + ax.bbox.y1) / 2
    # from a third of the way along the bars to two thirds (the window fits the test screen, so its width varies)
    width = (ax.bbox.x1 - ax.bbox.x0) / ratio
    start = QPoint(int(ax.bbox.x0 / ratio + width / 3), int(panel.canvas.height() - mid_y / ratio))
    end = start + QPoint(int(width / 3), 0)
    qtbot.mousePress(panel.canvas, Qt.LeftButton, pos=start)
    qtbot.mouseMove(panel.canvas, end)
    qtbot.mouseRelease(panel.canvas, Qt.LeftButton, pos=end)
    after = panel.timeline.range
    assert after[0] < before[0]  # dragged to the right: earlier days come into view


@pytest.mark.slow
def test_series_toggles_add_and_remove_what_is_plotted(filled):
    panel = filled.timeline_panel
    panel.scale_actions["GAD-7"].trigger()
    assert panel.timeline.series["GAD-7"] == [(days_ago(45), 11)]
    assert panel.daily_actions["mood"].isChecked()  # mood is on the chart from the start
    assert panel.timeline.daily_points["mood"] == [(days_ago(3), 4)]
    panel.daily_actions["mood"].trigger()
    assert "mood" not in panel.timeline.daily_points
    panel.daily_actions["mood"].trigger()
    assert panel.timeline.daily_points["mood"] == [(days_ago(3), 4)]
    panel.scale_actions["GAD-7"].trigger()
    assert "GAD-7" not in panel.timeline.series
    assert "mood" in panel.timeline.daily_points  # the other toggle is kept


@pytest.mark.slow
def test_hovering_a_score_says_its_value_and_date(qtbot, filled):
    panel = filled.timeline_panel
    timeline = panel.timeline
    ax = timeline.score_ax
    x, y = ax.transData.transform((mdates.date2num(days_ago(500)), 12))
    ratio = panel.canvas.device_pixel_ratio
    qtbot.mouseMove(panel.canvas, QPoint(round(x / ratio), round(panel.canvas.height() - y / ratio)))
    qtbot.waitUntil(lambda: "PHQ-9 12" in panel.hover_label.text(), timeout=2000)
    text = panel.hover_label.text()
    assert "moderate" in text
    assert f"{days_ago(500).day} " in text and str(days_ago(500).year) in text


@pytest.mark.slow
def test_the_chart_follows_a_dark_theme_and_larger_text(qtbot, filled):
    panel = filled.timeline_panel
    light_bg = panel.figure.get_facecolor()
    filled.set_theme("dark")
    assert panel.timeline.options.dark is True
    assert panel.figure.get_facecolor() != light_bg
    assert sum(panel.figure.get_facecolor()[:3]) < 1.0  # a dark figure behind the lines

    base = QApplication.font().pointSizeF()
    filled.set_text_scale(1.5)
    # the window's text grows to 150 %; the chart's stops at 125 %, or its legend would take the chart's room
    assert panel.timeline.options.font_scale == 1.25
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
    assert filled.text_size_actions[1.5].isChecked()
    shortcut(qtbot, filled, Qt.Key_Minus)
    assert panel.timeline.options.font_scale == 1.25
    shortcut(qtbot, filled, Qt.Key_Minus)
    assert panel.timeline.options.font_scale == 1.0


@pytest.mark.slow
def test_the_chart_waits_for_the_first_paint(qtbot, session, qsettings, look):
    from ui.main_window import MainWindow

    window = MainWindow(session, settings=qsettings, look=look)
    qtbot.addWidget(window)
    assert window.timeline_panel.timeline is None  # nothing drawn before the window is on screen
    with qtbot.waitSignal(window.chart_ready, timeout=10_000):
        window.show()
    assert window.timeline_panel.timeline is not None


@pytest.mark.slow
def test_locking_leaves_no_piece_of_the_chart_in_memory(qtbot, filled):
    from journal.charts import fast

    filled.timeline_panel.canvas.draw()
    assert fast._SAVED_PIXELS  # lane names and legend kept for quick redraws while the journal is shown
    filled.clear_views()  # what locking the journal does to the window
    assert not fast._SAVED_PIXELS
    assert filled.timeline_panel.timeline is None


@pytest.mark.slow
def test_at_200_percent_text_nothing_in_the_assessment_panel_runs_past_its_right_edge(qtbot, filled):
    from PySide6.QtWidgets import QScrollArea

    filled.resize(1366, 768)
    filled.set_text_scale(2.0)
    scroll = filled.assessment_panel.findChild(QScrollArea)
    qtbot.waitUntil(lambda: scroll.widget().width() > 0)
    # the headings, the add-ons box and the verdict wrap inside the panel instead of widening it out of sight
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert scroll.widget().width() <= scroll.viewport().width()



# --------------------------------------------------------------------------- a version-2 journal, end to end


@pytest.fixture
def remembered(window, journal):
    """A history from memory: a month-and-year trial, a year with no dose remembered, a course of CBT, esketamine by phase."""
    from datetime import datetime, time

    from journal.records import Rating, Session, Therapy

    journal.episodes.add(Episode(id="", start=date(TODAY.year - 8, 1, 1), start_precision="year", severity="severe"))
    journal.trials.add(
        Trial(id="", drug="venlafaxine", doses=(DoseStep(date(TODAY.year - 7, 2, 1), 225.0),), end=date(TODAY.year - 7, 8, 31),
              rating=Rating("none"))
    )
    journal.trials.add(
        Trial(id="", drug="sertraline", doses=(DoseStep(date(TODAY.year - 6, 3, 1), 150.0, "month"),), end=date(TODAY.year - 6, 12, 1),
              end_precision="month", rating=Rating("none"), source="memory")
    )
    journal.trials.add(
        Trial(id="", drug="mirtazapine", doses=(DoseStep(date(TODAY.year - 5, 1, 1), None, "year"),), end=date(TODAY.year - 5, 1, 1),
              end_precision="year")
    )
    journal.therapies.add(Therapy(id="", kind="cbt", start=date(TODAY.year - 4, 9, 1), start_precision="month", sessions=16))
    for n, phase in enumerate(("induction", "induction", "maintenance")):
        journal.sessions.add(Session(id="", datetime=datetime.combine(days_ago(60 - 20 * n), time(10, 0), UTC), treatment="esketamine",
                                     dose_mg=56.0, number_in_course=n + 1, phase=phase))
    journal.checkins.add(DailyCheckIn(id="", date=days_ago(2), mood=3, time=time(8, 15)))
    journal.checkins.add(DailyCheckIn(id="", date=days_ago(2), mood=7, time=time(20, 30)))
    window.session.reload()
    return window


@pytest.mark.slow
def test_a_remembered_history_is_charted_as_entered_in_the_window(qtbot, remembered):
    panel = remembered.timeline_panel
    timeline = panel.timeline
    sertraline = next(lane for lane in timeline.lanes if lane.drug == "sertraline")
    assert [p.label for p in sertraline.pieces if p.rough] == [f"~Mar {TODAY.year - 6}", f"~Dec {TODAY.year - 6}"]
    assert sertraline.end_text == f"stopped ~Dec {TODAY.year - 6}"
    mirtazapine = next(lane for lane in timeline.lanes if lane.drug == "mirtazapine")
    assert [s.label for s in mirtazapine.segments] == ["dose not recorded"]
    assert timeline.artists.unknown_dose_collection is not None and timeline.artists.rough_collection is not None
    assert timeline.therapy_lane is not None and [c.label for c in timeline.therapy_lane.courses] == ["CBT"]
    assert timeline.therapy_lane.courses[0].ongoing
    assert set(timeline.artists.session_phase_lines) == {("esketamine", "induction"), ("esketamine", "maintenance")}
    # the morning check-in before the evening one, each at its time of the day
    dots = timeline.artists.daily_point_lines["mood"]
    assert list(dots.get_ydata()) == [3, 7] and dots.get_xdata()[0] < dots.get_xdata()[1] < mdates.date2num(days_ago(1))
    # the threshold rests on the month the sertraline ended in
    assert timeline.marker is not None and timeline.marker.when_text == f"by about Dec {TODAY.year - 6}"
    assert f"by about Dec {TODAY.year - 6}" in panel.canvas.accessibleDescription()
    assert "psychotherapy" in panel.canvas.accessibleDescription()


@pytest.mark.slow
def test_pointing_at_the_psychotherapy_row_says_the_course_in_words(qtbot, remembered):
    panel = remembered.timeline_panel
    timeline = panel.timeline
    row = timeline.therapy_lane.row
    ax = timeline.trial_ax
    panel.canvas.draw()
    x, y = ax.transData.transform((mdates.date2num(date(TODAY.year - 3, 6, 1)), row))
    ratio = panel.canvas.device_pixel_ratio
    qtbot.mouseMove(panel.canvas, QPoint(round(x / ratio), round(panel.canvas.height() - y / ratio)))
    qtbot.waitUntil(lambda: "Psychotherapy: CBT" in panel.hover_label.text(), timeout=2000)
    assert f"CBT, ~Sep {TODAY.year - 4}, ongoing, 16 sessions" in panel.hover_label.text()


@pytest.mark.slow
def test_a_course_of_psychotherapy_added_through_the_window_gets_its_row(qtbot, filled):
    from journal.records import Therapy

    panel = filled.timeline_panel
    assert panel.timeline.therapy_lane is None
    filled.session.add("therapies", Therapy(id="", kind="ipt", start=days_ago(90), end=days_ago(10)))
    lane = panel.timeline.therapy_lane
    assert lane is not None and [(c.label, c.start, c.end, c.ongoing) for c in lane.courses] == [("IPT", days_ago(90), days_ago(10), False)]
    assert "Psychotherapy" in panel.timeline._row_labels


@pytest.mark.slow
def test_opening_the_table_under_the_chart_fits_the_rows_words_to_the_shorter_chart(qtbot, remembered):
    from journal import charts

    remembered.resize(1366, 768)
    panel = remembered.timeline_panel
    charts.set_range(panel.timeline, date(TODAY.year - 7, 1, 1), date(TODAY.year - 4, 12, 31))
    panel.canvas.draw()
    before = panel.timeline.trial_ax.bbox.height
    panel.table_action.trigger()
    qtbot.waitUntil(lambda: panel.figure.get_size_inches()[1] * panel.figure.dpi < before * 3, timeout=2000)
    qtbot.wait(50)
    timeline = panel.timeline
    ax = timeline.trial_ax
    lo, hi = sorted(ax.get_ylim())
    row_px = ax.bbox.height / (hi - lo)
    font_px = timeline.options.fs(7.5) * panel.figure.dpi / 72.0
    words_on_rows = [t for t in ax.texts if t.get_visible() and t.get_text() and t is not timeline.artists.rows_hint]
    # every word on a bar has a row tall enough for it, measured on the chart as it is now
    assert not words_on_rows or row_px >= 1.3 * font_px
    assert timeline.range == (date(TODAY.year - 7, 1, 1), date(TODAY.year - 4, 12, 31))  # the same days in view


class _Session:
    """What the panel asks of the window's session: a journal's records and their assessment, on one day."""

    def __init__(self, contents, today):
        from journal.clinical.assessment import assess

        self.today = today
        self._contents = contents
        self._assessment = assess(contents, as_of=today)

    def contents(self):
        return self._contents

    def assessment(self):
        return self._assessment


@pytest.mark.slow
def test_on_a_laptop_sized_chart_a_long_journal_opens_with_every_lane_in_view_named(qtbot, qapp):
    from benchmarks.generator import synthetic_journal
    from journal.exchange.jsonfile import parse_contents
    from ui.timeline import TimelinePanel

    contents = parse_contents(synthetic_journal(20, end=TODAY), today=TODAY).contents
    panel = TimelinePanel(_Session(contents, TODAY))
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    panel.rebuild()
    timeline = panel.timeline
    assert timeline.artists.rows_hint.get_text() == ""  # never "N rows: zoom in, or point at a bar"
    names = [t.get_text() for t in timeline.trial_ax.get_yticklabels()]
    assert names and all(names)
    drawn_in_view = {lane.name for lane in timeline.lanes if lane.end >= timeline.range[0]}
    assert drawn_in_view <= {n.removesuffix(" (add-on)") for n in names}
    # on "all" the same chart has too many rows to name, which is why it no longer opens there
    panel.show_preset("all")
    assert "rows: zoom in" in timeline.artists.rows_hint.get_text()
