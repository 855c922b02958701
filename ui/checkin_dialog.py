"""The quick daily check-in: its date and time, 0-10 sliders with their meaning in words (each may be left not rated), hours
slept and a note, all by keyboard. Several check-ins a day are each their own record, kept in the order of their times."""

from __future__ import annotations

from datetime import time as TimeOfDay

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from journal.clinical.scales import CHECKIN_FIELDS
from journal.records import DAILY_FIELDS, DailyCheckIn
from ui.formatting import fmt_time, parse_time
from ui.forms import DateField, RecordDialog, field_problem, now_local
from ui.session import JournalSession

_HOURS_NOT_RECORDED = -0.5
_FIELD_BY_KEY = {f.key: f for f in CHECKIN_FIELDS}

# What each end of a 0-10 rating means, in words beside the slider (higher is not always better).
ANCHORS = {
    "mood": ("worst mood", "best mood"),
    "anxiety": ("no anxiety", "worst anxiety"),
    "sleep_quality": ("worst sleep", "best sleep"),
    "energy": ("no energy", "full of energy"),
    "pain": ("no pain", "worst pain"),
}
_NONE_TO_WORST = ("none", "worst")


class RatingSlider(QWidget):
    """A 0-10 slider with what each end means written under it, and "Not rated" as a state of its own.

    Not rated is a tick beside the slider (checked for a new record); moving the slider rates it. The
    slider itself only ever holds a real score, so nothing hears -1 or mistakes "not rated" for 0.
    """

    def __init__(
        self,
        name: str,
        low: int,
        high: int,
        value: int | None = None,
        parent: QWidget | None = None,
        *,
        anchors: tuple[str, str] = _NONE_TO_WORST,
    ):
        super().__init__(parent)
        self.low = low
        self.high = high
        self.name = name
        self.anchors = anchors
        self.slider = QSlider(Qt.Horizontal, self)
        self.slider.setRange(low, high)
        self.slider.setPageStep(1)
        self.slider.setSingleStep(1)
        self.slider.setTickPosition(QSlider.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setAccessibleName(name)
        self.value_label = QLabel(self)
        self.value_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("not rated  "))
        self.not_rated_box = QCheckBox("Not rated", self)
        self.not_rated_box.setAccessibleName(f"{name}: not rated")
        low_label = QLabel(f"{low}: {anchors[0]}", self)
        high_label = QLabel(f"{high}: {anchors[1]}", self)
        for label in (low_label, high_label):
            label.setObjectName("hint")
        high_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.anchor_labels = (low_label, high_label)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.slider, 1)
        top.addWidget(self.value_label)
        top.addWidget(self.not_rated_box)
        ends = QHBoxLayout()
        ends.setContentsMargins(0, 0, 0, 0)
        ends.addWidget(low_label)
        ends.addStretch(1)
        ends.addWidget(high_label)
        self._ends = ends
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(top)
        column.addLayout(ends)
        self.setFocusProxy(self.slider)
        self._rated = value is not None
        self.slider.setValue(low if value is None else value)
        self.not_rated_box.setChecked(not self._rated)
        # any move of the slider (a key, a click, a drag, even at the end it already sits at) rates it
        self.slider.actionTriggered.connect(self._on_slider_moved)
        self.slider.sliderPressed.connect(self._on_slider_moved)
        self.slider.valueChanged.connect(self._show_value)
        self.not_rated_box.toggled.connect(self._on_not_rated_toggled)
        self._show_value()

    def tab_chain(self) -> list[QWidget]:
        return [self.slider, self.not_rated_box]

    def value(self) -> int | None:
        return self.slider.value() if self._rated else None

    def set_value(self, value: int | None) -> None:
        self._rated = value is not None
        self.slider.setValue(self.low if value is None else value)
        self.not_rated_box.setChecked(not self._rated)
        self._show_value()

    def _on_slider_moved(self, *_args) -> None:
        if not self._rated:
            self._rated = True
            self.not_rated_box.setChecked(False)
        self._show_value()

    def _on_not_rated_toggled(self, not_rated: bool) -> None:
        self._rated = not not_rated
        self._show_value()

    def _show_value(self, *_args) -> None:
        value = self.value()
        text = "not rated" if value is None else f"{value} of {self.high}"
        self.value_label.setText(text)
        ends = f"{self.low} means {self.anchors[0]}, {self.high} means {self.anchors[1]}"
        self.slider.setAccessibleDescription(f"{text}; {ends}")
        self.slider.setProperty("unrated", value is None)
        self.slider.style().unpolish(self.slider)
        self.slider.style().polish(self.slider)


class TimeField(QWidget):
    """A time of day typed as HH:MM, 24-hour ("08:30", "21:00"); empty means no time was noted (an older record)."""

    edited = Signal()

    def __init__(self, value: TimeOfDay | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("HH:MM")
        self.line.setMaxLength(5)
        self.line.textEdited.connect(self.edited)
        # "08:30" fits with room to spare at any text size; the field need not run the form's width
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("HH:MM ") + 24)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addStretch(1)
        self.setFocusProxy(self.line)
        self.set_value(value)

    def set_value(self, value: TimeOfDay | None) -> None:
        self.line.setText(fmt_time(value))

    def text(self) -> str:
        return self.line.text()

    def value(self, field: str) -> TimeOfDay | None:
        try:
            return parse_time(self.line.text())
        except ValueError as exc:
            field_problem(field, str(exc))
            return None

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt's spelling)
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)


def time_now() -> TimeOfDay:
    """The local time now, to the minute: a new check-in's or questionnaire's time unless the person types another."""
    return now_local().time().replace(tzinfo=None)


def initial_time(record) -> TimeOfDay | None:
    """The time a form opens with: the record's own when editing (none stays none), else now."""
    return record.time if record is not None else time_now()


class TodayCheckInBox:
    """Asked when today already has a check-in: edit it, or add another one; tests replace `ask`."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """ "edit", "add", or None when the person cancels."""
        box = QMessageBox(
            QMessageBox.Question,
            "Today already has a check-in",
            "You have already checked in today. Change your latest check-in, or add another one for today? "
            "Each check-in keeps its own time.",
            QMessageBox.NoButton,
            parent,
        )
        edit = box.addButton("&Edit the latest check-in", QMessageBox.AcceptRole)
        add = box.addButton("&Add another", QMessageBox.ActionRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(edit)
        box.exec()
        return {id(edit): "edit", id(add): "add"}.get(id(box.clickedButton()))


def todays_checkin(session: JournalSession) -> DailyCheckIn | None:
    """The latest check-in dated today, if there is one."""
    found = [c for c in session.records("checkins") if c.date == session.today]
    return found[-1] if found else None


class CheckInDialog(RecordDialog):
    """Add or edit a daily check-in; Enter saves, arrow keys move a slider, "Not rated" leaves one out."""

    kind = "checkins"
    title = "daily check-in"

    def __init__(self, session: JournalSession, record: DailyCheckIn | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(560, 520)
        self.date_field = DateField(record.date if record else session.today)
        self.add_row("&Date:", self.date_field, "date")
        self.time_field = TimeField(initial_time(record))
        self.time_field.line.setAccessibleDescription("24-hour, e.g. 08:30 or 21:00")
        self.add_row("&Time:", self.time_field, "time")
        hint = QLabel("Move a slider with the arrow keys; tick “Not rated” beside it if you would rather not rate it today.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.sliders: dict[str, RatingSlider] = {}
        mnemonics = {"mood": "&Mood", "anxiety": "&Anxiety", "sleep_quality": "&Sleep quality", "energy": "&Energy", "pain": "&Pain"}
        for key in DAILY_FIELDS:
            spec = _FIELD_BY_KEY[key]
            slider = RatingSlider(
                spec.label, int(spec.min), int(spec.max), getattr(record, key) if record else None, anchors=ANCHORS[key]
            )
            self.sliders[key] = slider
            self.add_row(mnemonics.get(key, spec.label) + ":", slider, key)
        hours_spec = _FIELD_BY_KEY["hours_slept"]
        self.hours_spin = QDoubleSpinBox()
        self.hours_spin.setRange(_HOURS_NOT_RECORDED, float(hours_spec.max))
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setSpecialValueText("not recorded")
        self.hours_spin.setValue(record.hours_slept if record and record.hours_slept is not None else _HOURS_NOT_RECORDED)
        self.add_row("&Hours slept:", self.hours_spin, "hours_slept")
        self.note_edit = QLineEdit(record.note if record else "")
        self.note_edit.setPlaceholderText("optional")
        self.add_row("&Note:", self.note_edit, "note")
        self.date_field.setFocus()

    def build_record(self) -> DailyCheckIn:
        hours = self.hours_spin.value()
        return DailyCheckIn(
            id=self.original.id if self.original is not None else "",
            date=self.date_field.value("date"),
            time=self.time_field.value("time"),
            hours_slept=None if hours < 0 else hours,
            note=self.note_edit.text().strip(),
            origin=self.original.origin if self.original is not None else None,
            **{key: slider.value() for key, slider in self.sliders.items()},
        )
