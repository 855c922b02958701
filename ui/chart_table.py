"""The timeline as a table: what the chart plots in the dates it shows, one row per thing by date, for the keyboard and screen readers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from journal import words
from journal.charts.choices import MARKER_LABEL
from ui import formatting as f

if TYPE_CHECKING:
    from journal import charts

HEADERS = ("Date", "What", "Value")
_TOP = QModelIndex()  # the table's root: a table model's rows and columns hang from it


class ChartRow(NamedTuple):
    """One thing the chart plots: its day (for order), what and its value, and the date as the table says it
    ("2025-01-08", "2025-01-08 20:30" for a check-in with a time, "about Mar 2019" for a remembered month)."""

    day: date
    what: str
    value: str
    when: str


def _on(day: date, precision: str = "day") -> str:
    return f.fmt_date(day) if precision == "day" else "about " + words.date_words(day, precision)


def chart_rows(timeline: charts.Timeline, start: date | None = None, end: date | None = None) -> list[ChartRow]:
    """Everything the chart plots from `start` to `end` (both included; None for no limit), by date.

    Read from the same plain data the chart is drawn from: the scores, the daily check-ins shown
    (several a day in time order, with their time), each trial's doses and end, the psychotherapy
    courses, the sessions with their phase, the episodes and the "criteria appear met" marker; a
    date remembered as a month or a year is given as entered. "May be met once remembered details
    are confirmed" has no date, so it comes first, with none.
    """
    from journal.clinical.scales import severity_label

    rows: list[tuple[date, int, float, str, str, str]] = []  # the numbers keep things of one day in the chart's order
    for ep in timeline.episodes:
        rows.append((ep.start, 0, 0.0, "Episode began", ep.label, _on(ep.start, ep.start_precision)))
        if not ep.ongoing:
            last = ep.entered_end if ep.entered_end is not None and ep.end_precision != "day" else ep.end
            rows.append((last, 0, 0.0, "Episode ended", ep.label, _on(last, ep.end_precision)))
    for scale, points in timeline.series.items():
        for when, total in points:
            try:
                band = f" ({severity_label(scale, total)})"
            except (KeyError, ValueError):
                band = ""
            if isinstance(when, datetime):  # a score with a time: after the day's untimed ones, in time order
                rows.append((when.date(), 1, when.hour * 60 + when.minute + 1.0, f"{scale} score", f"{total}{band}", f.fmt_datetime(when)))
            else:
                rows.append((when, 1, 0.0, f"{scale} score", f"{total}{band}", f.fmt_date(when)))
    for name, points in timeline.daily_points.items():
        label = words.words_for(words.DAILY, name, form=True)
        for when, value in points:
            if isinstance(when, datetime):
                minute = when.hour * 60 + when.minute + 1.0  # a timed check-in after the day's untimed ones, in time order
                rows.append((when.date(), 2, minute, f"Check-in: {label}", f.fmt_number(value), f.fmt_datetime(when)))
            else:
                rows.append((when, 2, 0.0, f"Check-in: {label}", f.fmt_number(value), f.fmt_date(when)))
    for lane in timeline.lanes:
        drug = lane.label
        for n, seg in enumerate(lane.segments):
            what = f"{drug}: started" if n == 0 else f"{drug}: dose changed"
            dose = f"{f.fmt_number(seg.mg)} mg/day" if seg.mg is not None else "dose not recorded"
            rows.append((seg.start, 3, 0.0, what, dose, _on(seg.start, seg.start_precision)))
        if lane.adequacy_date is not None:
            minimum = f"minimum adequate dose {f.fmt_number(lane.min_adequate_mg)} mg/day" if lane.min_adequate_mg else ""
            rows.append((lane.adequacy_date, 3, 0.0, f"{drug}: adequate from this day", minimum, f.fmt_date(lane.adequacy_date)))
        if not lane.ongoing:
            last = lane.entered_end if lane.entered_end is not None and lane.end_precision != "day" else lane.end
            rows.append((last, 3, 0.0, f"{drug}: ended", lane.end_text, _on(last, lane.end_precision)))
    if timeline.therapy_lane is not None:
        for course in timeline.therapy_lane.courses:
            began = _on(course.start, course.start_precision)
            rows.append((course.start, 3, 0.0, f"Psychotherapy: {course.label} began", course.text, began))
            if course.entered_end is not None:
                ended = _on(course.entered_end, course.end_precision)
                rows.append((course.entered_end, 3, 0.0, f"Psychotherapy: {course.label} ended", course.text, ended))
    for s in timeline.sessions:
        at = s.when.replace(tzinfo=None)
        rows.append((at.date(), 4, at.hour * 60 + at.minute + 1.0, "Session", s.text, f.fmt_datetime(at)))
    marker = timeline.marker
    if marker is not None:
        when = ("about " + marker.when_text.removeprefix("by about ")) if marker.approximate else f.fmt_date(marker.date)
        rows.append((marker.date, 5, 0.0, MARKER_LABEL, marker.text.replace("\n", " "), when))
    rows = [r for r in rows if (start is None or r[0] >= start) and (end is None or r[0] <= end)]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = [ChartRow(day, what, value, when) for day, _order, _time, what, value, when in rows]
    if timeline.possible_text:
        out.insert(0, ChartRow(date.min, timeline.possible_text, "no date: it rests on details still to be confirmed", ""))
    return out


class ChartTableModel(QAbstractTableModel):
    """The rows of `chart_rows`, as plain words."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_rows(self, rows: list[ChartRow]) -> None:
        self.beginResetModel()
        self._rows = [(row.when, row.what, row.value) for row in rows]
        self.endResetModel()

    def rows(self) -> list[tuple[str, str, str]]:
        return list(self._rows)

    def rowCount(self, parent=_TOP) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_TOP) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None


class ChartTable(QTableView):
    """The chart's table: arrow keys move along it, Tab leaves it; it follows the dates the chart shows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chartTable")
        self.table_model = ChartTableModel(self)
        self.setModel(self.table_model)
        self.setAccessibleName("The chart as a table")
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.setMinimumHeight(160)

    def show_rows(self, rows: list[ChartRow], range_text: str) -> None:
        self.table_model.set_rows(rows)
        self.resizeColumnsToContents()
        self.setAccessibleDescription(f"{len(rows)} rows, {range_text}" if range_text else f"{len(rows)} rows")
