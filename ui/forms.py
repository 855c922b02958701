"""The shared shape of every entry form: labelled fields, an error shown beside each field, save that never loses what was typed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from itertools import pairwise

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.errors import Problem, ValidationError
from ui import formatting
from ui.fit import WrapLayout, fit_to_screen
from ui.session import JournalSession


class FieldError(Exception):
    """A value the form could not even read (a date that is not a date); carries the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.problem = Problem(field, message)


# While a form is being saved, every value it cannot read is noted here (not raised), so one Save shows all of them.
_collected: ContextVar[list[Problem] | None] = ContextVar("collected_problems", default=None)


@contextmanager
def collect_problems() -> Iterator[list[Problem]]:
    """Read a whole form: each unreadable value is noted (its reader returns None) instead of stopping at the first."""
    problems: list[Problem] = []
    token = _collected.set(problems)
    try:
        yield problems
    finally:
        _collected.reset(token)


def field_problem(field: str, message: str) -> None:
    """A value that cannot be read: noted while a whole form is read, else raised as a FieldError."""
    collected = _collected.get()
    if collected is None:
        raise FieldError(field, message)
    collected.append(Problem(field, message))


def parse_float(text: str, field: str, *, required: bool = False) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        if required:
            field_problem(field, "needed: type a number")
        return None
    try:
        return float(text)
    except ValueError:
        field_problem(field, f"not a number: {text!r}")
        return None


def parse_int(text: str, field: str, *, required: bool = False) -> int | None:
    value = parse_float(text, field, required=required)
    if value is None:
        return None
    if not float(value).is_integer():
        field_problem(field, f"must be a whole number, got {text.strip()}")
        return None
    return int(value)


def parse_date(text: str, field: str, *, required: bool = False) -> date | None:
    text = text.strip()
    if not text:
        if required:
            field_problem(field, "needed: type a date as YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        field_problem(field, f"not a date: {text!r} (type it as YYYY-MM-DD, e.g. 2025-01-31)")
        return None


class ErrorLabel(QLabel):
    """The message shown beside a field; words with a warning sign, so colour is never the only signal."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        if messages:
            self.setText("\n".join(f"⚠ {m}" for m in messages))
            self.show()
        else:
            self.clear()
            self.hide()


class DateField(QWidget):
    """A date typed as YYYY-MM-DD (empty allowed when optional), with a calendar to pick from."""

    edited = Signal()

    def __init__(self, value: date | None = None, *, optional: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.optional = optional
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("YYYY-MM-DD" + (" (optional)" if optional else ""))
        self.line.setMaxLength(10)
        self.line.textEdited.connect(self.edited)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip("Choose the date from a calendar")
        self.button.setAccessibleName("Choose the date from a calendar")
        # the calendar is a mouse convenience; keyboard users type the date
        self.button.setFocusPolicy(Qt.NoFocus)
        self.button.clicked.connect(self._on_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.line.setText(value.isoformat() if value else "")

    def text(self) -> str:
        return self.line.text()

    def value(self, field: str) -> date | None:
        return parse_date(self.line.text(), field, required=not self.optional)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt's spelling)
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def _on_button_clicked(self) -> None:
        _pick_day(self, self.line, self.edited)


def _pick_day(field: QWidget, line: QLineEdit, edited) -> None:
    """A calendar under `field`, on the day `line` holds; the day clicked goes into `line` (a date field's button)."""
    calendar = QCalendarWidget()
    calendar.setWindowFlags(Qt.Popup)
    calendar.setAttribute(Qt.WA_DeleteOnClose)
    try:
        current = date.fromisoformat(line.text().strip())
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
    except ValueError:
        pass

    def picked(qdate: QDate) -> None:
        line.setText(qdate.toString("yyyy-MM-dd"))
        edited.emit()
        calendar.close()

    calendar.clicked.connect(picked)
    calendar.move(field.mapToGlobal(field.rect().bottomLeft()))
    calendar.show()


ROUGHLY = "I don't remember exactly"
_MONTH_NAMES = {name.lower(): i for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"), 1)}
_MONTH_NAMES.update({name[:3]: i for name, i in list(_MONTH_NAMES.items())})
_MONTH_AND_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def read_partial(text: str, field: str, *, roughly: bool, required: bool = False) -> tuple[date, str] | None:
    """A date typed as a day, or (when `roughly`) a month or a year, as (earliest day, precision) for the records.

    A month may be typed YYYY-MM or as words ("Mar 2019", "March 2019"). Anything else is noted
    against `field` with what to type instead, and None returned.
    """
    from journal.records import partial_from

    text = text.strip()
    if not text:
        if required:
            field_problem(field, "needed: type a month (YYYY-MM) or a year (YYYY)" if roughly else "needed: type a date as YYYY-MM-DD")
        return None
    found = partial_from(text)
    if found is None:
        words = _MONTH_AND_YEAR.match(text)
        month = _MONTH_NAMES.get(words.group(1).lower()) if words else None
        if words and month:
            found = (date(int(words.group(2)), month, 1), "month")
    if found is None:
        if roughly:
            field_problem(field, f"not a date, a month or a year: {text!r} (type a month as YYYY-MM, e.g. 2019-03, or a year as YYYY)")
        else:
            field_problem(field, f"not a date: {text!r} (type it as YYYY-MM-DD, e.g. 2025-01-31)")
        return None
    if found[1] != "day" and not roughly:
        field_problem(
            field,
            f"{text!r} is a {'month' if found[1] == 'month' else 'year'}, not a day: type the day as YYYY-MM-DD, "
            f"or tick “{ROUGHLY}” to keep a month or a year",
        )
        return None
    return found


class PartialDateField(QWidget):
    """A date typed as a day, or, with “I don't remember exactly” ticked, as a month (YYYY-MM) or just a year (YYYY).

    `value()` gives (earliest day, precision), as journal.records keeps a partial date; a date
    entered as a month or a year is shown as it was entered, never as a made-up day.
    """

    edited = Signal()

    def __init__(
        self,
        value: date | None = None,
        precision: str = "day",
        *,
        optional: bool = False,
        roughly: bool = False,
        check_apart: bool = False,
        parent: QWidget | None = None,
    ):
        """`check_apart`: the owner lays out `rough_check` itself (under the field, in a narrow table) and puts it in its Tab order."""
        super().__init__(parent)
        self.optional = optional
        self.check_apart = check_apart
        self.line = QLineEdit(self)
        self.line.setMaxLength(20)
        self.line.textEdited.connect(self.edited)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip("Choose the date from a calendar")
        self.button.setAccessibleName("Choose the date from a calendar")
        self.button.setFocusPolicy(Qt.NoFocus)  # a mouse convenience; keyboard users type the date
        self.button.clicked.connect(self._on_button_clicked)
        self.rough_check = QCheckBox(ROUGHLY, self)
        self.rough_check.setToolTip("Give a month (YYYY-MM) or just a year (YYYY) instead of a day")
        self.rough_check.toggled.connect(self._on_rough_check_toggled)
        self.rough_check.toggled.connect(lambda _on: self.edited.emit())
        if check_apart:
            layout = QHBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.line, 1)
            layout.addWidget(self.button)
        else:
            # the box sits beside the date, or under it when a narrow form or large text leaves no room
            day = QWidget(self)
            day_layout = QHBoxLayout(day)
            day_layout.setContentsMargins(0, 0, 0, 0)
            day_layout.addWidget(self.line, 1)
            day_layout.addWidget(self.button)
            wrap = WrapLayout(self, spacing=12, line_spacing=2)
            wrap.setContentsMargins(0, 0, 0, 0)
            wrap.addWidget(day)
            wrap.addWidget(self.rough_check)
        self.setFocusProxy(self.line)
        self.set_value(value, precision, roughly=roughly)

    def set_value(self, value: date | None, precision: str = "day", *, roughly: bool = False) -> None:
        """Show a stored date at its precision ("2019-03" for a month), the box ticked for a month or a year."""
        from journal.records import date_text

        self.rough_check.setChecked(roughly or (value is not None and precision != "day"))
        self.line.setText(date_text(value, precision) if value is not None else "")
        self._on_rough_check_toggled(self.rough_check.isChecked())

    def clear(self, *, roughly: bool | None = None) -> None:
        self.line.clear()
        if roughly is not None:
            self.rough_check.setChecked(roughly)

    def text(self) -> str:
        return self.line.text()

    @property
    def roughly(self) -> bool:
        return self.rough_check.isChecked()

    def value(self, field: str) -> tuple[date, str] | None:
        """(earliest day, precision), None when left empty; an unreadable entry is noted against `field`."""
        return read_partial(self.line.text(), field, roughly=self.roughly, required=not self.optional)

    def tab_chain(self) -> list[QWidget]:
        return [self.line] if self.check_apart else [self.line, self.rough_check]

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt's spelling)
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)
        self.rough_check.setAccessibleName(f"{name}: {ROUGHLY} (give a month or a year)")

    def setProperty(self, name: str, value) -> bool:  # noqa: N802 (Qt's spelling)
        """A problem marks the date itself (its frame), not the row holding it and its box."""
        if name == "invalid":
            self.line.setProperty(name, value)
            _repolish(self.line)
            self.updateGeometry()  # the frame may change the date's width: where the box goes is worked out again
            return True
        return super().setProperty(name, value)

    def _on_rough_check_toggled(self, roughly: bool) -> None:
        shape = "YYYY-MM or YYYY" if roughly else "YYYY-MM-DD"
        # a month or a year is short: "(optional)" only where there is room for it, beside a day
        self.line.setPlaceholderText(shape + (" (optional)" if self.optional and not roughly else ""))
        # wide enough to read what to type, and a month in words ("Sep 2019")
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("YYYY-MM or YYYY") + 16)
        self.button.setVisible(not roughly)  # a calendar picks days only

    def _on_button_clicked(self) -> None:
        _pick_day(self, self.line, self.edited)


def choice_combo(labels: dict, value=None, *, none_label: str | None = None) -> QComboBox:
    """A drop-down of allowed values shown by their labels; `none_label` offers 'not recorded'."""
    combo = QComboBox()
    if none_label is not None:
        combo.addItem(none_label, None)
    for key, text in labels.items():
        combo.addItem(text, key)
    set_combo_value(combo, value)
    return combo


def set_combo_value(combo: QComboBox, value) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return


class ConfirmBox:
    """The one modal yes/no question the forms ask (a dose above the typical maximum, say); tests replace `ask`."""

    @classmethod
    def ask(cls, parent: QWidget, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
        box.setDefaultButton(QMessageBox.No)
        return box.exec() == QMessageBox.Yes


class LeaveBox:
    """Asked before a window that holds something unfinished closes (Esc included); tests replace `ask`.

    True means leave; the default button, and Esc, mean stay.
    """

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, leave: str, stay: str) -> bool:
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.NoButton, parent)
        leave_button = box.addButton(leave, QMessageBox.DestructiveRole)
        stay_button = box.addButton(stay, QMessageBox.RejectRole)
        box.setDefaultButton(stay_button)
        box.setEscapeButton(stay_button)
        box.exec()
        return box.clickedButton() is leave_button


class DiscardBox:
    """Asked when a changed form is closed (Esc, Cancel, the window's close button); tests replace `ask`.

    True means throw the changes away; the safe answer, and the default, is to go on editing.
    """

    @classmethod
    def ask(cls, parent: QWidget) -> bool:
        return LeaveBox.ask(
            parent,
            "Discard your changes?",
            "What you typed in this form has not been saved. Close it and lose those changes?",
            "&Discard changes",
            "&Keep editing",
        )


def form_state(root: QWidget) -> list:
    """What every field under `root` holds now (texts, choices, ticks, slider positions), to tell whether anything changed."""
    state: list = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit):
            state.append(("line", w.text()))
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            state.append(("text", w.toPlainText()))
        elif isinstance(w, QComboBox):
            state.append(("combo", w.currentIndex(), w.currentText()))
        elif isinstance(w, QAbstractSpinBox):
            state.append(("spin", w.text()))
        elif isinstance(w, QAbstractSlider):
            state.append(("slider", w.value()))
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            state.append(("check", w.isChecked()))
    return state


class RecordDialog(QDialog):
    """Base of every entry dialog: builds a record from its fields, saves it through the session.

    Subclasses set `kind` and `title`, lay out their fields with `add_row`, and implement
    `build_record` (raising FieldError for a value they cannot read). Save validates; on any
    problem the dialog stays open with every typed value in place and each message beside its field.
    """

    kind = ""
    title = ""

    def __init__(self, session: JournalSession, record=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.original = record
        self.saved = None
        self._error_slots: dict[str, tuple[ErrorLabel, QWidget | None]] = {}
        self._tab_fields: list[QWidget] = []
        self._labels: dict[str, str] = {}  # field -> the words of its label, for messages the form cannot place
        self._first_state: list | None = None  # what the fields held when the form was shown
        self._fitted = False
        self.setWindowTitle(("Edit " if record is not None else "Add ") + self.title)
        self.setObjectName(type(self).__name__)

        outer = QVBoxLayout(self)
        self.general_error = ErrorLabel(self)
        self.general_error.setObjectName("generalError")
        outer.addWidget(self.general_error)
        self._body = QWidget()
        self.body_layout = QVBoxLayout(self._body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.body_layout.addLayout(self.form)
        self.body_layout.addStretch(1)  # spare height goes below the form, never between its rows
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setFocusPolicy(Qt.NoFocus)
        # long wording wraps to the window's width; a form never scrolls sideways
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # Tab goes from field to field, never to the scrolling frame
        scroll.setWidget(self._body)
        self.scroll = scroll
        outer.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        # Ctrl+Enter (either Enter key) saves from anywhere, even inside a multi-line note
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._on_save_clicked)
        self.save_button.setToolTip("Save (Ctrl+Enter)")

    # -- layout helpers ------------------------------------------------------------------------

    def add_row(self, text: str, widget: QWidget, field: str | None = None, *, hint: str = "") -> ErrorLabel:
        """A labelled row: the field, an optional hint under it, and the place its error appears."""
        label = QLabel(text)
        label.setBuddy(widget)
        label.setWordWrap(True)
        words = text.replace("&", "").rstrip(":").strip()
        if not words and isinstance(widget, QAbstractButton):
            words = widget.text().replace("&", "")
        if not widget.accessibleName():
            widget.setAccessibleName(words)
        if field and words:
            self._labels[field] = words
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("hint")
            hint_label.setWordWrap(True)
            column.addWidget(hint_label)
        error = ErrorLabel()
        column.addWidget(error)
        self.form.addRow(label, holder)
        self._tab_fields.append(widget)
        if field:
            self._error_slots[field] = (error, widget)
        return error

    def add_wide_row(self, widget: QWidget) -> None:
        """A row across the whole form (a question with its answers); it takes its place in the Tab order."""
        self.form.addRow(widget)
        self._tab_fields.append(widget)

    def fix_tab_order(self) -> None:
        """Tab walks the fields top to bottom, row by row, then Save and Cancel (rows can be added later)."""
        chain: list[QWidget] = []
        for field in self._tab_fields:
            if hasattr(field, "tab_chain"):
                chain.extend(field.tab_chain())
            elif field.focusProxy() is not None:
                chain.append(field.focusProxy())
            else:
                chain.append(field)
        chain += [self.save_button, self.buttons.button(QDialogButtonBox.Cancel)]
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)
        self._tab_chain = chain

    def _reachable(self) -> list[QWidget]:
        chain = getattr(self, "_tab_chain", None) or []
        return [w for w in chain if w.isVisibleTo(self) and w.isEnabled() and w.focusPolicy() & Qt.TabFocus]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt's names)
        """Tab from the last button comes back to the first field (and Shift+Tab from the first field to Cancel)."""
        reachable = self._reachable()
        current = self.focusWidget()
        if reachable and current is not None:
            if next and current is reachable[-1]:
                reachable[0].setFocus(Qt.TabFocusReason)
                return True
            if not next and current is reachable[0]:
                reachable[-1].setFocus(Qt.BacktabFocusReason)
                return True
        return super().focusNextPrevChild(next)

    def showEvent(self, event) -> None:  # noqa: N802
        self.fix_tab_order()
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self)  # on a small screen the fields scroll; Save and Cancel stay in view
        super().showEvent(event)
        if self._first_state is None:
            self._first_state = form_state(self._body)

    # -- closing without saving ----------------------------------------------------------------

    def has_changes(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self._first_state is not None and form_state(self._body) != self._first_state

    def reject(self) -> None:
        """Esc, Cancel and the close button: a changed form asks before its changes are thrown away."""
        if self.has_changes() and not DiscardBox.ask(self):
            return
        super().reject()

    def add_rating_rows(self, *, none_label: str, improvement_label: str, hint: str = "") -> None:
        """How well it worked and, when it is said, by how many per cent: as the trial, therapy and history forms ask it."""
        self.rating_combo = choice_combo(formatting.RATING_LABELS, none_label=none_label)
        self.rating_combo.currentIndexChanged.connect(self._on_rating_combo_changed)
        self.add_row("How well did it &work?", self.rating_combo, "rating.response")
        self.improvement_edit = QLineEdit()
        self.improvement_edit.setPlaceholderText("optional, 0-100")
        self.add_row(improvement_label, self.improvement_edit, "rating.improvement_pct", hint=hint)
        self.register_error("rating", self._error_slots["rating.response"][0], self.rating_combo)

    def _on_rating_combo_changed(self, *_args) -> None:
        self.improvement_edit.setEnabled(self.rating_combo.currentData() is not None)

    def register_error(self, field: str, error: ErrorLabel, widget: QWidget | None = None) -> None:
        self._error_slots[field] = (error, widget)

    # -- what subclasses provide ---------------------------------------------------------------

    def build_record(self):
        raise NotImplementedError

    def confirm_record(self, record) -> bool:
        """A last question before saving (e.g. a dose above the typical maximum); False keeps the form open."""
        return True

    def show_nested_problems(self, field: str, problems: list[Problem]) -> bool:
        """Let a sub-editor (dose steps, side effects) place its own problems; True when it did."""
        return False

    # -- saving ----------------------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        self.clear_problems()
        record = None
        with collect_problems() as problems:
            try:
                record = self.build_record()
            except FieldError as exc:
                problems.append(exc.problem)
            except ValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            # every field at once: what could not be read, and what the journal's rules say of the rest
            self.show_problems(problems + self._other_problems(record, problems))
            return
        if not self.confirm_record(record):
            return
        try:
            if self.original is None:
                self.saved = self.session.add(self.kind, record)
            else:
                self.saved = self.session.update(self.kind, record)
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        self.accept()

    def _other_problems(self, record, read: list[Problem]) -> list[Problem]:
        """The journal's own checks of the fields that could be read, beside those that could not."""
        if record is None:
            return []
        from journal import rules

        try:
            found = rules.problems(record, today=self.session.today)
        except (TypeError, ValueError, AttributeError):
            return []  # a value left unread; its own message already says what to type
        taken = {self._slot_for(p.field) or p.field for p in read}
        return [p for p in found if (self._slot_for(p.field) or p.field) not in taken]

    def clear_problems(self) -> None:
        self.general_error.show_messages([])
        for error, widget in self._error_slots.values():
            error.show_messages([])
            if widget is not None:
                widget.setProperty("invalid", False)
                widget.setAccessibleDescription("")
                _repolish(widget)
        self.show_nested_problems("", [])

    def show_problems(self, problems: list[Problem]) -> None:
        """Every problem at once, each beside its field; focus goes to the first field in the form that has one.

        A problem the form has no place for is shown at the top in words (never the journal's internal field names).
        """
        by_slot: dict[str, list[Problem]] = {}
        unplaced: list[Problem] = []
        for problem in problems:
            slot = self._slot_for(problem.field)
            if slot is None:
                unplaced.append(problem)
            else:
                by_slot.setdefault(slot, []).append(problem)
        marked: list[QWidget] = []
        for slot, slot_problems in by_slot.items():
            if self.show_nested_problems(slot, slot_problems):
                widget = self._error_slots[slot][1]
                if widget is not None:
                    marked.append(widget)
                continue
            error, widget = self._error_slots[slot]
            error.show_messages([p.message for p in slot_problems])
            if widget is not None:
                widget.setProperty("invalid", True)
                widget.setAccessibleDescription("; ".join(p.message for p in slot_problems))
                _repolish(widget)
                marked.append(widget)
        count = len(by_slot)
        lead = "Please correct the field marked ⚠ below." if count == 1 else f"Please correct the {count} fields marked ⚠ below."
        lines = [f"{lead} Nothing has been saved yet."] if by_slot else ["Nothing has been saved yet."]
        lines += [self._in_words(p) for p in unplaced]
        self.general_error.show_messages(lines)
        first = self._first_in_form(marked)
        if first is not None:
            target = first
            if hasattr(first, "first_problem_widget"):
                target = first.first_problem_widget() or first
            target.setFocus(Qt.OtherFocusReason)
            self.scroll.ensureWidgetVisible(target)
        else:
            self.scroll.verticalScrollBar().setValue(0)

    def _first_in_form(self, widgets: list[QWidget]) -> QWidget | None:
        """The widget that comes first in the form, top to bottom."""
        if not widgets:
            return None
        order = {id(w): i for i, w in enumerate(self._tab_fields)}
        return min(widgets, key=lambda w: order.get(id(w), len(order)))

    def _in_words(self, problem: Problem) -> str:
        """A message for a field the form has no place for, named by its label or plainly, never by its internal name."""
        field = _FIELD_PREFIX.sub("", problem.field)
        base = re.split(r"[.\[]", field, maxsplit=1)[0] if field else ""
        label = self._labels.get(field) or self._labels.get(base)
        if not label and base:
            label = base.replace("_", " ").capitalize()
        return f"{label}: {problem.message}" if label else problem.message

    def _slot_for(self, field: str) -> str | None:
        field = _FIELD_PREFIX.sub("", field)  # "checkins[#1].mood" from the journal is this form's "mood"
        best = None
        for slot in self._error_slots:
            covers = field == slot or field.startswith((slot + ".", slot + "["))
            if covers and (best is None or len(slot) > len(best)):
                best = slot
        return best

    @classmethod
    def ask(cls, parent: QWidget | None, session: JournalSession, record=None):
        """Open the dialog modally; the stored record when saved, else None. Tests replace this hook."""
        dialog = cls(session, record, parent)
        try:
            return dialog.saved if dialog.exec() == QDialog.Accepted else None
        finally:
            dialog.deleteLater()


# a record's place in a journal file ("trials[#1]." or "checkins[c12].") before the field's own name
_FIELD_PREFIX = re.compile(r"^(?:episodes|trials|scores|labs|conditions|sessions|notes|checkins|therapies)\[[^\]]*\]\.")


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def now_local() -> datetime:
    return datetime.now().astimezone().replace(second=0, microsecond=0)
