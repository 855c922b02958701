"""The timeline as a table: what the chart plots in the dates it shows, one row per thing by date, for the keyboard and screen readers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from journal import words
from journal.charts.choices import MARKER_LABEL
from ui import formatting as f

if TYPE_CHECKING:
    from journal import charts

HEADERS = ("Date", "What", "Value")
_TOP = QModelIndex()  # the table's root: a table model's rows and columns hang from it


def chart_rows(timeline: charts.Timeline, start: date | None = None, end: date | None = None) -> list[tuple[date, str, str]]:
    """(day, what, value) for everything the chart plots from `start` to `end` (both included; None for no limit), by date.

    Read from the same plain data the chart is drawn from: the scores, the daily check-ins shown,
    each trial's doses and end, the sessions, the episodes and the "criteria appear met" marker.
    """
    from journal.clinical.scales import severity_label

    rows: list[tuple[date, int, str, str]] = []  # the number keeps things of one day in the chart's order
    for ep in timeline.episodes:
        rows.append((ep.start, 0, "Episode began", ep.label))
        if not ep.ongoing:
            rows.append((ep.end, 0, "Episode ended", ep.label))
    for scale, points in timeline.series.items():
        for day, total in points:
            try:
                band = f" ({severity_label(scale, total)})"
            except (KeyError, ValueError):
                band = ""
            rows.append((day, 1, f"{scale} score", f"{total}{band}"))
    for name, points in timeline.daily_points.items():
        label = words.words_for(words.DAILY, name, form=True)
        for day, value in points:
            rows.append((day, 2, f"Check-in: {label}", f.fmt_number(value)))
    for lane in timeline.lanes:
        drug = lane.label
        for n, seg in enumerate(lane.segments):
            what = f"{drug}: started" if n == 0 else f"{drug}: dose changed"
            rows.append((seg.start, 3, what, f"{f.fmt_number(seg.mg)} mg/day"))
        if lane.adequacy_date is not None:
            minimum = f"minimum adequate dose {f.fmt_number(lane.min_adequate_mg)} mg/day" if lane.min_adequate_mg else ""
            rows.append((lane.adequacy_date, 3, f"{drug}: adequate from this day", minimum))
        if not lane.ongoing:
            rows.append((lane.end, 3, f"{drug}: ended", lane.end_text))
    for s in timeline.sessions:
        rows.append((s.when.date(), 4, "Session", s.text))
    if timeline.marker is not None:
        rows.append((timeline.marker.date, 5, MARKER_LABEL, timeline.marker.text))
    rows = [r for r in rows if (start is None or r[0] >= start) and (end is None or r[0] <= end)]
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(day, what, value) for day, _order, what, value in rows]


class ChartTableModel(QAbstractTableModel):
    """The rows of `chart_rows`, as plain words."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_rows(self, rows: list[tuple[date, str, str]]) -> None:
        self.beginResetModel()
        self._rows = [(f.fmt_date(day), what, value) for day, what, value in rows]
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

    def show_rows(self, rows: list[tuple[date, str, str]], range_text: str) -> None:
        self.table_model.set_rows(rows)
        self.resizeColumnsToContents()
        self.setAccessibleDescription(f"{len(rows)} rows, {range_text}" if range_text else f"{len(rows)} rows")
