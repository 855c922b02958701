"""The quick daily check-in: 0-10 sliders (each may be left unrated), hours slept and a note, all by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QSlider, QWidget

from journal.records import DAILY_FIELDS, DailyCheckIn
from journal.scales import CHECKIN_FIELDS

from ui.forms import DateField, RecordDialog
from ui.session import JournalSession

NOT_RATED = -1
_HOURS_NOT_RECORDED = -0.5
_FIELD_BY_KEY = {f.key: f for f in CHECKIN_FIELDS}


class RatingSlider(QWidget):
    """A 0-10 slider whose far-left stop means "not rated", with the value written beside it."""

    def __init__(self, name: str, low: int, high: int, value: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Horizontal, self)
        self.slider.setRange(NOT_RATED, high)
        self.slider.setPageStep(1)
        self.slider.setSingleStep(1)
        self.slider.setTickPosition(QSlider.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setAccessibleName(name)
        self.value_label = QLabel(self)
        self.value_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("not rated  "))
        self.low = low
        self.high = high
        self.name = name
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.value_label)
        self.setFocusProxy(self.slider)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.slider.setValue(NOT_RATED if value is None else value)
        self._on_slider_value_changed(self.slider.value())

    def value(self) -> int | None:
        v = self.slider.value()
        return None if v == NOT_RATED else v

    def _on_slider_value_changed(self, value: int) -> None:
        text = "not rated" if value == NOT_RATED else f"{value} of {self.high}"
        self.value_label.setText(text)
        self.slider.setAccessibleDescription(f"{self.name}: {text}")


class CheckInDialog(RecordDialog):
    """Add or edit a daily check-in; Enter saves, arrow keys move a slider, Home leaves it unrated."""

    kind = "checkins"
    title = "daily check-in"

    def __init__(self, session: JournalSession, record: DailyCheckIn | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(560, 520)
        self.date_field = DateField(record.date if record else session.today)
        self.add_row("&Date:", self.date_field, "date")
        hint = QLabel("Move a slider with the arrow keys; leave it at the far left if you would rather not rate it today.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.sliders: dict[str, RatingSlider] = {}
        mnemonics = {"mood": "&Mood", "anxiety": "&Anxiety", "sleep_quality": "&Sleep quality", "energy": "&Energy", "pain": "&Pain"}
        for key in DAILY_FIELDS:
            spec = _FIELD_BY_KEY[key]
            slider = RatingSlider(spec.label, int(spec.min), int(spec.max), getattr(record, key) if record else None)
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
            hours_slept=None if hours < 0 else hours,
            note=self.note_edit.text().strip(),
            **{key: slider.value() for key, slider in self.sliders.items()},
        )
