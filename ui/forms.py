"""The shared shape of every entry form: labelled fields, an error shown beside each field, save that never loses what was typed."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.errors import Problem, ValidationError

from ui.session import JournalSession


class FieldError(Exception):
    """A value the form could not even read (a date that is not a date); carries the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.problem = Problem(field, message)


def parse_float(text: str, field: str, *, required: bool = False) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        if required:
            raise FieldError(field, "needed: type a number")
        return None
    try:
        return float(text)
    except ValueError:
        raise FieldError(field, f"not a number: {text!r}") from None


def parse_int(text: str, field: str, *, required: bool = False) -> int | None:
    value = parse_float(text, field, required=required)
    if value is None:
        return None
    if not float(value).is_integer():
        raise FieldError(field, f"must be a whole number, got {text.strip()}")
    return int(value)


def parse_date(text: str, field: str, *, required: bool = False) -> date | None:
    text = text.strip()
    if not text:
        if required:
            raise FieldError(field, "needed: type a date as YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(field, f"not a date: {text!r} (type it as YYYY-MM-DD, e.g. 2025-01-31)") from None


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
        calendar = QCalendarWidget()
        calendar.setWindowFlags(Qt.Popup)
        calendar.setAttribute(Qt.WA_DeleteOnClose)
        try:
            current = date.fromisoformat(self.line.text().strip())
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        except ValueError:
            pass
        calendar.clicked.connect(lambda qd: self._on_calendar_clicked(qd, calendar))
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()

    def _on_calendar_clicked(self, qdate: QDate, calendar: QCalendarWidget) -> None:
        self.line.setText(qdate.toString("yyyy-MM-dd"))
        self.edited.emit()
        calendar.close()


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
        # Ctrl+Enter saves from anywhere, even inside a multi-line note
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._on_save_clicked)

    # -- layout helpers ------------------------------------------------------------------------

    def add_row(self, text: str, widget: QWidget, field: str | None = None, *, hint: str = "") -> ErrorLabel:
        """A labelled row: the field, an optional hint under it, and the place its error appears."""
        label = QLabel(text)
        label.setBuddy(widget)
        label.setWordWrap(True)
        if not widget.accessibleName():
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
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
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def showEvent(self, event) -> None:  # noqa: N802
        self.fix_tab_order()
        super().showEvent(event)

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
        try:
            record = self.build_record()
        except FieldError as exc:
            self.show_problems([exc.problem])
            return
        except ValidationError as exc:
            self.show_problems(exc.problems)
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
        """Each problem beside its field; any the form has no place for, at the top with its field name."""
        by_slot: dict[str, list[Problem]] = {}
        unplaced: list[Problem] = []
        for problem in problems:
            slot = self._slot_for(problem.field)
            if slot is None:
                unplaced.append(problem)
            else:
                by_slot.setdefault(slot, []).append(problem)
        first_widget = None
        for slot, slot_problems in by_slot.items():
            if self.show_nested_problems(slot, slot_problems):
                continue
            error, widget = self._error_slots[slot]
            error.show_messages([p.message for p in slot_problems])
            if widget is not None:
                widget.setProperty("invalid", True)
                widget.setAccessibleDescription("; ".join(p.message for p in slot_problems))
                _repolish(widget)
                first_widget = first_widget or widget
        if unplaced:
            self.general_error.show_messages([str(p) for p in unplaced])
        else:
            self.general_error.show_messages(["Please correct the fields marked ⚠ below. Nothing has been saved yet."])
        if first_widget is not None:
            first_widget.setFocus(Qt.OtherFocusReason)
            self.scroll.ensureWidgetVisible(first_widget)

    def _slot_for(self, field: str) -> str | None:
        best = None
        for slot in self._error_slots:
            if field == slot or field.startswith((slot + ".", slot + "[")):
                if best is None or len(slot) > len(best):
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


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def now_local() -> datetime:
    return datetime.now().astimezone().replace(second=0, microsecond=0)
