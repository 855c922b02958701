"""The record lists: one sortable, searchable table per kind of record, with trials showing adequacy and outcome at a glance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time as TimeOfDay
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journal import words as vocab
from journal.records import DAILY_FIELDS
from journal.words import words_for
from ui import formatting as f
from ui.session import JournalSession

if TYPE_CHECKING:
    from journal.clinical.assessment import Assessment, TrialVerdict

ID_ROLE = int(Qt.UserRole) + 1
MAX_COLUMN_WIDTH = 360  # long notes must not push every other column off screen
_DISPLAY = int(Qt.DisplayRole)
_TOOLTIP = int(Qt.ToolTipRole)
_ROOT = QModelIndex()  # the table's rows hang from no parent


@dataclass(frozen=True)
class Column:
    """A list column: its header, the text a cell shows, and (when the words sort badly, as numbers do) a sort key."""

    header: str
    text: Callable[[Any, _Context], str]
    sort: Callable[[Any, _Context], Any] | None = None


@dataclass(frozen=True)
class _Context:
    """What a cell may need beyond its record: the assessment (for trials) and who entered what."""

    verdicts: dict[str, TrialVerdict]
    session: JournalSession
    # record id -> the caregiver who entered it (caregiver mode); the owner's records are not in it
    authors: dict[str, str] = field(default_factory=dict)


def _highest_dose(trial) -> float:
    # a dose not remembered sorts below every dose written down
    known = [step.mg_per_day for step in trial.doses if step.mg_per_day is not None]
    return max(known) if known else -1.0


def _source_text(record) -> str:
    """Where a trial's or therapy's details come from, in words; a trial with a rough date or an unknown dose says so too."""
    said = words_for(vocab.SOURCE, record.source)
    if getattr(record, "approximate", False) and record.source != "memory":
        said = f"{said}, approximate" if said else "approximate"
    return said


def _adequacy_text(trial, ctx: _Context) -> str:
    verdict = ctx.verdicts.get(trial.id)
    if verdict is None:
        return "not in the current episode"
    if verdict.outside_short:
        # remembered dates that, read as late as they allow, reach into the episode
        return "may lie outside the current episode"
    if verdict.adequate:
        return f"yes, {verdict.longest_adequate_run_days // 7} weeks at an adequate dose"
    if verdict.possible is not None and verdict.possible.adequate:
        # a remembered trial: not adequate as entered, but the remembered dates or dose allow it (the panel says what to look up)
        return "no, as entered; could be once confirmed"
    weeks = verdict.longest_adequate_run_days / 7
    return f"no ({weeks:.1f} weeks at an adequate dose)"


def _outcome_text(trial, ctx: _Context) -> str:
    verdict = ctx.verdicts.get(trial.id)
    if verdict is None:
        return ""
    words = words_for(vocab.OUTCOME, verdict.outcome, form=True)
    if verdict.failed:
        words += ": failed, counts" if verdict.counts else ": failed, does not count"
    if verdict.could_count:
        # a remembered trial the entries do not show as counting, that would once its details are confirmed
        words += "; could count once confirmed"
    return words


def _author(record, ctx: _Context) -> str:
    return ctx.authors.get(record.id, "")


# Caregiver mode: who entered each record, blank for the owner; searchable like every column.
ENTERED_BY = "Entered by"


def _score_flag(score, ctx: _Context) -> str:
    if score.scale == "PHQ-9" and score.items and len(score.items) == 9 and score.items[8] > 0:
        return f"⚠ item 9 answered {score.items[8]}"
    return ""


def _severity(score, ctx: _Context) -> str:
    from journal.clinical.scales import severity_label  # loaded with the first list filled, after the window is painted

    return severity_label(score.scale, score.total)


def _day_key(day) -> int:
    # a date entered as a month or a year sorts by its earliest day (the day it is kept as), never by its words
    return day.toordinal() if day else -1


def _date_col(header: str = "Date", attr: str = "date", precision: str | None = None, *, empty: str = "") -> Column:
    """A date shown at the precision it was entered (`precision` names the record's precision field), sorted by date."""
    if precision is None:
        return Column(header, lambda r, c: f.fmt_date(getattr(r, attr), empty), lambda r, c: _day_key(getattr(r, attr)))

    def text(r, c) -> str:
        return f.fmt_partial(getattr(r, attr), getattr(r, precision, "day"), empty)

    return Column(header, text, lambda r, c: _day_key(getattr(r, attr)))


def _end_col(header: str, empty: str) -> Column:
    """An end at its precision; one still going on reads `empty` and sorts after every end."""
    return Column(
        header,
        lambda r, c: f.fmt_partial(r.end, r.end_precision, empty),
        lambda r, c: r.end.toordinal() if r.end else 10**7,
    )


def _when_key(r, c) -> tuple:
    # the date, then within a day the untimed records first and the timed ones by their time (the journal's order)
    return (_day_key(r.date), r.time is not None, r.time or _MIDNIGHT)


def _time_key(r, c) -> tuple:
    # by the time of day (mornings together), then by date; untimed records first
    return (r.time is not None, r.time or _MIDNIGHT, _day_key(r.date))


def _timed_cols() -> tuple[Column, Column]:
    """A score's or check-in's date and its time ("08:30"); sorting by the date keeps a day's records in time order."""
    return (
        Column("Date", lambda r, c: f.fmt_date(r.date), _when_key),
        Column("Time", lambda r, c: f.fmt_time(r.time), _time_key),
    )


def _num_col(header: str, attr: str, unit: str = "") -> Column:
    def value(r, c):
        v = getattr(r, attr)
        return float("-inf") if v is None else v

    def text(r, c) -> str:
        v = getattr(r, attr)
        return f"{f.fmt_number(v)}{unit}" if v is not None else ""

    return Column(header, text, value)


def _rating_text(record, ctx: _Context) -> str:
    """How well a course worked, in the person's own words: "partial improvement (30 % better)"."""
    rating = record.rating
    if rating is None:
        return "not recorded"
    said = words_for(vocab.RATING, rating.response, form=True)
    if rating.improvement_pct is not None:
        said += f" ({f.fmt_number(rating.improvement_pct)} % better)"
    return said


_MIDNIGHT = TimeOfDay(0, 0)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "trials": (
        Column("Drug", lambda r, c: r.drug + (" (add-on)" if r.augmentation else "")),
        Column("Started", lambda r, c: f.fmt_partial(r.start, r.doses[0].start_precision), lambda r, c: _day_key(r.start)),
        _end_col("Ended", "still taking"),
        Column("Doses", lambda r, c: f.fmt_doses(r.doses), lambda r, c: _highest_dose(r)),
        Column("Source", lambda r, c: _source_text(r)),
        Column("Adequate?", _adequacy_text),
        Column("Outcome", _outcome_text),
        Column("Stopped because", lambda r, c: words_for(vocab.STOP_REASON, r.stop_reason, form=True)),
        Column("Adherence", lambda r, c: words_for(vocab.ADHERENCE, r.adherence, empty="not recorded")),
        Column("Side effects", lambda r, c: ", ".join(s.name for s in r.side_effects)),
    ),
    "scores": (
        *_timed_cols(),
        Column("Scale", lambda r, c: r.scale),
        _num_col("Total", "total"),
        Column("Severity", _severity),
        Column("Flag", _score_flag),
    ),
    "checkins": (
        *_timed_cols(),
        *(_num_col(vocab.DAILY[name].form, name) for name in DAILY_FIELDS),
        _num_col("Hours slept", "hours_slept"),
        Column("Note", lambda r, c: r.note),
    ),
    "episodes": (
        _date_col("Started", "start", "start_precision"),
        _end_col("Ended", "ongoing"),
        Column("Severity", lambda r, c: words_for(vocab.EPISODE_SEVERITY, r.severity, form=True, empty="not recorded")),
        Column("Note", lambda r, c: r.note),
    ),
    "sessions": (
        Column("Date and time", lambda r, c: f.fmt_datetime(r.datetime), lambda r, c: r.datetime.timestamp()),
        Column("Treatment", lambda r, c: words_for(vocab.TREATMENT, r.treatment, form=True)),
        Column("Phase", lambda r, c: words_for(vocab.SESSION_PHASE, r.phase, form=True)),
        _num_col("Dose (mg)", "dose_mg"),
        _num_col("No. in course", "number_in_course"),
        Column("BP before", lambda r, c: f.fmt_bp(r.bp_before)),
        Column("BP after", lambda r, c: f.fmt_bp(r.bp_after)),
        Column("BP at 40 min", lambda r, c: f.fmt_bp(r.bp_40min)),
        _num_col("Lowest SpO2", "spo2_min", " %"),
        _num_col("Monitored", "monitored_minutes", " min"),
        _num_col("Dissociation", "dissociation"),
        _num_col("Sedation", "sedation"),
        _num_col("Nausea", "nausea"),
        Column("Ready to leave", lambda r, c: "yes" if r.ready_to_leave else ""),
        Column("Transport", lambda r, c: "arranged" if r.transport_arranged else ""),
        Column("Note", lambda r, c: r.note),
    ),
    "labs": (
        _date_col(),
        Column("Test", lambda r, c: r.test),
        _num_col("Value", "value"),
        Column("Unit", lambda r, c: r.unit or ""),
        Column("Note", lambda r, c: r.note),
    ),
    "conditions": (
        Column("Condition", lambda r, c: r.name),
        Column("Status", lambda r, c: words_for(vocab.CONDITION_STATUS, r.status, form=True, empty="not recorded")),
        _date_col("Since", "since", "since_precision"),
        Column("Note", lambda r, c: r.note),
    ),
    "notes": (
        _date_col(),
        Column("For next appointment", lambda r, c: "yes" if r.for_appointment else ""),
        Column("Text", lambda r, c: r.text),
    ),
    # Version 2: courses of psychotherapy, listed beside the trials (never counted by the assessment).
    "therapies": (
        Column("Therapy", lambda r, c: words_for(vocab.THERAPY_KIND, r.kind, form=True)),
        Column("Name", lambda r, c: r.name),
        _date_col("Started", "start", "start_precision"),
        _end_col("Ended", "still going"),
        Column("Sessions", lambda r, c: f.fmt_number(r.sessions, "not recorded"), lambda r, c: -1 if r.sessions is None else r.sessions),
        Column("How well it worked", _rating_text),
        Column("Stopped because", lambda r, c: words_for(vocab.STOP_REASON, r.stop_reason, form=True)),
        Column("Source", lambda r, c: _source_text(r)),
        Column("Note", lambda r, c: r.note),
    ),
}
# every list ends with who entered each record (caregiver mode)
COLUMNS = {kind: (*columns, Column(ENTERED_BY, _author)) for kind, columns in COLUMNS.items()}



# One row's record, its cells' words and its search text.
_Words = tuple[Any, tuple[str, ...], str]
# More changed rows than this and the list is put in anew (cheaper for Qt than so many row signals).
_MOST_CHANGED_ROWS = 400


def _changed_span(old: list[_Words], new: list[_Words]) -> tuple[int, int, int] | None:
    """Where `new` differs from `old`: (first row, last row in old, last row in new); None when it is not one small change.

    Rows are compared by identity (the same words object means the same record and words);
    one row more or less is one insert or remove at the first changed row.
    """
    if not old or abs(len(old) - len(new)) > 1:
        return None
    first, shortest = 0, min(len(old), len(new))
    while first < shortest and old[first] is new[first]:
        first += 1
    last_old, last_new = len(old) - 1, len(new) - 1
    while last_old >= first and last_new >= first and old[last_old] is new[last_new]:
        last_old -= 1
        last_new -= 1
    if max(last_old, last_new) - first >= _MOST_CHANGED_ROWS:
        return None
    return first, last_old, last_new


class RecordTableModel(QAbstractTableModel):
    """Rows of one kind of record; cells are plain words, computed once per refresh, sorted here by each column's own key."""

    def __init__(self, kind: str, session: JournalSession, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.session = session
        self.columns = COLUMNS[kind]
        self._records: list = []
        self._texts: list[tuple[str, ...]] = []
        self._search: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._ctx = _Context({}, session)
        # record id -> (the record, its cells' words, its search text), kept from the last refresh:
        # after one edit only the record that changed is put into words again (the session hands
        # back the very same objects for the records that did not change)
        self._words: dict[str, _Words] = {}
        self._shown: list[_Words] = []  # the rows as shown, in order

    def refresh(self) -> range | None:
        """Show the session's records again; returns the rows that changed, or None when every row was put in anew.

        One record added, changed or removed (the usual edit) changes only the rows between it
        and where it now sorts, so only those rows are told to the view: the other 7,000
        check-ins of a long journal are neither put into words again nor laid out again.
        """
        records = self.session.records(self.kind)
        verdicts: dict[str, TrialVerdict] = {}
        if self.kind == "trials":
            assessment: Assessment = self.session.assessment()
            verdicts = {v.id: v for v in assessment.trials}
        authors = {e.record: e.author for e in self.session.contents().entries_by}
        ctx = _Context(verdicts, self.session, authors)
        kept = self._words if (ctx.verdicts, ctx.authors) == (self._ctx.verdicts, self._ctx.authors) else {}
        self._ctx = ctx
        words: dict[str, _Words] = {}
        for record in records:
            known = kept.get(record.id)
            if known is None or known[0] is not record:
                texts = tuple(c.text(record, ctx) for c in self.columns)
                known = (record, texts, "\t".join(texts).casefold())
            words[record.id] = known
        self._words = words
        rows = [words[r.id] for r in records]
        if self._sort is not None:
            rows = self._sorted(rows, *self._sort)
        span = _changed_span(self._shown, rows)
        if span is None:
            self.beginResetModel()
            self._show(rows)
            self.endResetModel()
            return None
        return self._show_changed(rows, *span)

    def _show_changed(self, rows: list[_Words], first: int, last_old: int, last_new: int) -> range:
        """Tell the view of one row inserted or removed at `first` and of new words in the rows after it up to `last_new`."""
        grown = len(rows) - len(self._shown)
        if grown > 0:
            self.beginInsertRows(QModelIndex(), first, first)
            self._show(rows)
            self.endInsertRows()
        elif grown < 0:
            self.beginRemoveRows(QModelIndex(), first, first)
            self._show(rows)
            self.endRemoveRows()
        else:
            self._show(rows)
        redrawn = range(first + (grown > 0), last_new + 1)
        if redrawn:
            self.dataChanged.emit(self.index(redrawn.start, 0), self.index(redrawn.stop - 1, len(self.columns) - 1))
        return range(first, last_new + 1)

    def clear(self) -> None:
        """Show no rows and forget every record's words (the journal is locked)."""
        self.beginResetModel()
        self._words = {}
        self._show([])
        self.endResetModel()

    def _show(self, rows: list[_Words]) -> None:
        # every cell's words once: painting, sorting and searching 7,000 check-ins then only look them up
        self._shown = rows
        self._records = [w[0] for w in rows]
        self._texts = [w[1] for w in rows]
        self._search = [w[2] for w in rows]

    def _sorted(self, rows: list[_Words], column: int, order: Qt.SortOrder) -> list[_Words]:
        col = self.columns[column]
        keys = [col.sort(w[0], self._ctx) for w in rows] if col.sort is not None else [w[1][column].casefold() for w in rows]
        order_of = sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.DescendingOrder)
        return [rows[i] for i in order_of]

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._records[i.row()].id for i in before]
        self._show(self._sorted(self._shown, column, order))
        row_of = {r.id: n for n, r in enumerate(self._records)}
        self.changePersistentIndexList(before, [self.index(row_of[i], p.column()) for i, p in zip(ids, before, strict=True)])
        self.layoutChanged.emit()

    def has_caregiver_entries(self) -> bool:
        """Whether someone other than the owner entered any record in this list."""
        authors = self._ctx.authors
        return bool(authors) and any(r.id in authors for r in self._records)

    def matches(self, row: int, needle: str) -> bool:
        return needle in self._search[row]

    def record_at(self, row: int):
        return self._records[row]

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        # plain ints: a view asks for a dozen roles per cell, and enum comparisons add up on long lists
        if role in (_DISPLAY, _TOOLTIP):
            return self._texts[index.row()][index.column()]
        if role == ID_ROLE:
            return self._records[index.row()].id
        return None


class RecordSearchProxy(QSortFilterProxyModel):
    """Keeps the rows whose words contain the search text; sorting is the source model's (fast on long lists)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self._hidden_columns: frozenset[int] = frozenset()

    def set_hidden_columns(self, columns) -> None:
        """Leave these columns out of the list altogether: not drawn, and not offered to a screen reader either."""
        columns = frozenset(columns)
        if columns == self._hidden_columns:
            return
        if hasattr(self, "endFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self._hidden_columns = columns
            self.endFilterChange(QSortFilterProxyModel.Direction.Columns)
        else:
            self._hidden_columns = columns
            self.invalidateColumnsFilter()

    def filterAcceptsColumn(self, source_column: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        return source_column not in self._hidden_columns

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if hasattr(self, "endFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = needle
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        return not self._needle or self.sourceModel().matches(source_row, self._needle)

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


# The column a list is first sorted by, newest first: its date (the first column unless named here).
_NEWEST_FIRST_BY = {"trials": 1, "conditions": 2, "therapies": 2}


class RecordListPanel(QWidget):
    """One tab of records: a search box, the sortable table, and Add / Edit / Delete buttons."""

    add_requested = Signal(str)
    edit_requested = Signal(str, str)  # kind, record id
    delete_requested = Signal(str, str)

    def __init__(self, kind: str, session: JournalSession, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        noun = title.replace("&", "").lower()  # the tab's title: "&Trials" -> "trials"
        self.model = RecordTableModel(kind, session, self)
        self.proxy = RecordSearchProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {noun} (Ctrl+F)")
        self.search.setAccessibleName(f"Search {noun}")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.noun = noun
        # how many rows a search leaves, in words (and spoken, politely, as it changes)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hint")
        self.count_label.hide()

        self.table = QTableView(self)
        self.table.setObjectName(f"{kind}Table")
        self.table.setAccessibleName(f"{noun.capitalize()} list")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(_NEWEST_FIRST_BY.get(kind, 0), Qt.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        # the arrow keys move inside the list; Tab leaves it for the buttons (it never walks cell by cell)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        # column widths from the first rows only: a 20-year journal opens without measuring 7,000 rows
        header.setResizeContentsPrecision(60)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("hint")
        self.empty_label.setWordWrap(True)

        self.add_button = QPushButton("Add…", self)
        self.add_button.setAccessibleName(f"Add to {noun}")
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.setAccessibleName("Edit the selected record")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setAccessibleName("Delete the selected record")
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.kind))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.add_button)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.delete_button)

    def refresh(self) -> None:
        """Show the journal's records again, keeping the selection, sort order and search."""
        selected = self.selected_id()
        changed = self.model.refresh()
        # an always-empty column is noise in the many journals kept by their owner alone
        entered_by = [c.header for c in self.model.columns].index(ENTERED_BY)
        # out of the list (not merely hidden, which a screen reader would still walk through)
        columns_before = self.proxy.columnCount()
        self.proxy.set_hidden_columns(() if self.model.has_caregiver_entries() else (entered_by,))
        if changed is None or self.proxy.columnCount() != columns_before:
            self.table.resizeColumnsToContents()
        else:
            self._widen_for(changed)  # one edit: the other rows' columns already fit
        for column in range(self.proxy.columnCount()):
            # long notes must not push every other column off screen
            if self.table.columnWidth(column) > MAX_COLUMN_WIDTH:
                self.table.setColumnWidth(column, MAX_COLUMN_WIDTH)
        if self.model.rowCount() == 0:
            self.empty_label.setText("Nothing here yet. Use “Add…” to write the first one.")
            self.empty_label.show()
        else:
            self.empty_label.hide()
        if selected and self.selected_id() != selected:
            self.select_id(selected)
        self._update_buttons()
        self._show_count(announce_it=False)

    def _widen_for(self, rows: range) -> None:
        """Widen a column where one of these (source) rows needs more room than the column has."""
        for row in rows:
            shown = self.proxy.mapFromSource(self.model.index(row, 0))
            if not shown.isValid():
                continue  # left out by the search
            for column in range(self.proxy.columnCount()):
                needed = self.table.sizeHintForIndex(shown.siblingAtColumn(column)).width()
                if needed > self.table.columnWidth(column):
                    self.table.setColumnWidth(column, min(needed, MAX_COLUMN_WIDTH))

    def column_shown(self, header: str) -> bool:
        """Whether the list shows (and a screen reader is offered) the column under `header`."""
        headers = [self.proxy.headerData(c, Qt.Horizontal) for c in range(self.proxy.columnCount())]
        return header in headers

    def count_text(self) -> str:
        """How many rows the search leaves, e.g. "3 of 40 scores shown"; empty with no search."""
        if not self.search.text().strip():
            return ""
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == 0:
            return f"No {self.noun} match"
        return f"{shown} of {total} {self.noun} shown"

    def _show_count(self, *, announce_it: bool) -> None:
        text = self.count_text()
        self.count_label.setText(text)
        self.count_label.setVisible(bool(text))
        self.table.setAccessibleDescription(text)
        if announce_it and text:
            from ui.announce import announce

            announce(self.search, text)

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ID_ROLE)

    def select_id(self, record_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == record_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def visible_ids(self) -> list[str]:
        """The ids in the order the list shows them (after sorting and search)."""
        return [self.proxy.index(row, 0).data(ID_ROLE) for row in range(self.proxy.rowCount())]

    def cell_text(self, record_id: str, header: str) -> str:
        """What the list shows for a record under a column header (tests and screen readers read the same words)."""
        column = [c.header for c in self.model.columns].index(header)
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == record_id:
                # read from the records themselves: a column left out of the list still has its words
                return self.model.index(self.proxy.mapToSource(index).row(), column).data(Qt.DisplayRole)
        raise KeyError(record_id)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _on_table_selection_changed(self, *_args) -> None:
        self._update_buttons()

    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._show_count(announce_it=True)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        record_id = index.data(ID_ROLE)
        if record_id:
            self.edit_requested.emit(self.kind, record_id)

    def _on_edit_button_clicked(self) -> None:
        record_id = self.selected_id()
        if record_id:
            self.edit_requested.emit(self.kind, record_id)

    def _on_delete_button_clicked(self) -> None:
        record_id = self.selected_id()
        if record_id:
            self.delete_requested.emit(self.kind, record_id)
