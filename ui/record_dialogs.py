"""The smaller entry forms: clinician-rated totals, episodes, labs, conditions, treatment sessions and notes."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QTimeEdit, QWidget

from journal import words
from journal.clinical.scales import CONDITION_STATUS_LABELS, WORKUP_CONDITIONS, WORKUP_LABS, get_scale, workup_key_for
from journal.records import TOTAL_ONLY_SCALES, Condition, Episode, Lab, Note, ScaleScore, Session
from ui import formatting as f
from ui.checkin_dialog import RatingSlider
from ui.forms import (
    DateField,
    PartialDateField,
    RecordDialog,
    choice_combo,
    field_problem,
    now_local,
    parse_float,
    parse_int,
    set_combo_value,
)
from ui.session import JournalSession


def _note_edit(text: str, lines: int = 4) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * (lines + 1))
    return edit


class ScoreTotalDialog(RecordDialog):
    """A total-only scale score (QIDS-SR16, MADRS, HAMD-17), often from the clinician's letter."""

    kind = "scores"
    title = "clinician-rated score"

    def __init__(self, session: JournalSession, record: ScaleScore | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(520, 360)
        self.date_field = DateField(record.date if record else session.today)
        self.add_row("&Date:", self.date_field, "date")
        self.scale_combo = QComboBox()
        names = list(TOTAL_ONLY_SCALES)
        if record is not None and record.scale not in names:
            names.insert(0, record.scale)  # a PHQ-9 imported as a total only is edited here
        for name in names:
            scale = get_scale(name)
            self.scale_combo.addItem(f"{name} ({scale.min_total}-{scale.max_total})", name)
        self.add_row("&Scale:", self.scale_combo, "scale")
        self.total_spin = QSpinBox()
        self.add_row("&Total:", self.total_spin, "total")
        self.severity_label = QLabel()
        self.severity_label.setObjectName("hint")
        self.form.addRow("", self.severity_label)
        self.scale_combo.currentIndexChanged.connect(self._on_scale_combo_changed)
        self.total_spin.valueChanged.connect(self._on_total_spin_changed)
        if record is not None:
            set_combo_value(self.scale_combo, record.scale)
        self._on_scale_combo_changed()
        if record is not None:
            self.total_spin.setValue(record.total)
        self._on_total_spin_changed()
        self.date_field.setFocus()

    def _on_scale_combo_changed(self, *_args) -> None:
        scale = get_scale(self.scale_combo.currentData())
        self.total_spin.setRange(scale.min_total, scale.max_total)
        self._on_total_spin_changed()

    def _on_total_spin_changed(self, *_args) -> None:
        scale = get_scale(self.scale_combo.currentData())
        self.severity_label.setText(f"Severity band: {scale.severity(self.total_spin.value())}")

    def build_record(self) -> ScaleScore:
        return ScaleScore(
            id=self.original.id if self.original is not None else "",
            date=self.date_field.value("date"),
            scale=self.scale_combo.currentData(),
            total=self.total_spin.value(),
        )


class EpisodeDialog(RecordDialog):
    """A depressive episode: when it began, whether it has ended, how severe it was at the start."""

    kind = "episodes"
    title = "episode"

    def __init__(self, session: JournalSession, record: Episode | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(600, 440)
        self.start_field = PartialDateField(record.start if record else None, record.start_precision if record else "day")
        self.add_row("&Started:", self.start_field, "start", hint="Your best estimate is fine: a month or just a year will do.")
        self.end_field = PartialDateField(record.end if record else None, record.end_precision if record else "day", optional=True)
        self.add_row("&Ended:", self.end_field, "end", hint="Leave empty while it goes on.")
        self.severity_combo = choice_combo(f.EPISODE_SEVERITY_LABELS, record.severity if record else None, none_label="Not recorded")
        self.add_row("Se&verity at the start:", self.severity_combo, "severity")
        self.note_edit = _note_edit(record.note if record else "")
        self.add_row("&Note:", self.note_edit, "note")
        self.start_field.setFocus()

    def build_record(self) -> Episode:
        start, start_precision = self.start_field.value("start") or (None, "day")
        end, end_precision = self.end_field.value("end") or (None, "day")
        return Episode(
            id=self.original.id if self.original is not None else "",
            start=start,
            end=end,
            severity=self.severity_combo.currentData(),
            note=self.note_edit.toPlainText(),
            start_precision=start_precision,
            end_precision=end_precision,
        )

    def confirm_record(self, record: Episode) -> bool:
        """Episodes may not overlap (spec, version 2): the dates are refused, naming the episode they run into."""
        from journal.errors import Problem
        from journal.records import latest_day

        same = self.original is not None and (self.original.start, self.original.start_precision, self.original.end,
                                              self.original.end_precision) == (record.start, record.start_precision,
                                                                               record.end, record.end_precision)
        if same:
            return True  # dates untouched: an old journal's overlap is not this edit's to settle

        def last(e: Episode) -> date:
            return latest_day(e.end, e.end_precision) if e.end is not None else date.max

        for other in self.session.records("episodes"):
            if self.original is not None and other.id == self.original.id:
                continue
            if record.start <= last(other) and other.start <= last(record):
                began = words.date_words(other.start, other.start_precision)
                ended = f"to {words.date_words(other.end, other.end_precision)}" if other.end is not None else "and still going on"
                field = "end" if other.start > record.start else "start"
                self.show_problems([Problem(field, f"runs into the episode from {began} {ended}: episodes may not overlap "
                                                   "(only the latest may go on); change these dates or that episode's first")])
                return False
        return True


class LabDialog(RecordDialog):
    """A lab result; the known workup tests are offered by name with their usual units."""

    kind = "labs"
    title = "lab result"

    def __init__(self, session: JournalSession, record: Lab | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(560, 420)
        self.date_field = DateField(record.date if record else session.today)
        self.add_row("&Date:", self.date_field, "date")
        self.test_combo = QComboBox()
        self.test_combo.setEditable(True)
        self.test_combo.addItems([lab.name for lab in WORKUP_LABS])
        self.test_combo.setCurrentText(record.test if record else "")
        self.test_combo.lineEdit().setPlaceholderText("pick one, or type any test")
        self.add_row("&Test:", self.test_combo, "test")
        self.value_edit = QLineEdit(f.fmt_number(record.value) if record else "")
        self.add_row("&Value:", self.value_edit, "value")
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.add_row("&Unit:", self.unit_combo, "unit")
        self.note_edit = _note_edit(record.note if record else "", 3)
        self.add_row("&Note:", self.note_edit, "note")
        self.test_combo.currentTextChanged.connect(self._on_test_combo_changed)
        self._on_test_combo_changed(self.test_combo.currentText())
        if record is not None:
            self.unit_combo.setCurrentText(record.unit or "")
        self.date_field.setFocus()

    def _on_test_combo_changed(self, text: str) -> None:
        key = workup_key_for(text)
        units = next((lab.units for lab in WORKUP_LABS if lab.key == key), ())
        current = self.unit_combo.currentText()
        self.unit_combo.clear()
        self.unit_combo.addItems(list(units))
        self.unit_combo.setCurrentText(current if current or not units else units[0])

    def build_record(self) -> Lab:
        test = self.test_combo.currentText().strip()
        if not test:
            field_problem("test", "needed: the test's name")
        unit = self.unit_combo.currentText().strip()
        return Lab(
            id=self.original.id if self.original is not None else "",
            date=self.date_field.value("date"),
            test=test,
            value=parse_float(self.value_edit.text(), "value", required=True),
            unit=unit or None,
            note=self.note_edit.toPlainText(),
        )


class ConditionDialog(RecordDialog):
    """A comorbid condition and how far it has been looked into."""

    kind = "conditions"
    title = "condition"

    def __init__(self, session: JournalSession, record: Condition | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(560, 400)
        self.name_combo = QComboBox()
        self.name_combo.setEditable(True)
        self.name_combo.addItems([c.name for c in WORKUP_CONDITIONS])
        self.name_combo.setCurrentText(record.name if record else "")
        self.name_combo.lineEdit().setPlaceholderText("pick one, or type any condition")
        self.add_row("&Condition:", self.name_combo, "name")
        self.status_combo = choice_combo(CONDITION_STATUS_LABELS, record.status if record else None, none_label="Not recorded")
        self.add_row("&Status:", self.status_combo, "status")
        self.since_field = PartialDateField(record.since if record else None, record.since_precision if record else "day", optional=True)
        self.add_row("S&ince:", self.since_field, "since")
        self.note_edit = _note_edit(record.note if record else "", 3)
        self.add_row("&Note:", self.note_edit, "note")
        self.name_combo.setFocus()

    def build_record(self) -> Condition:
        name = self.name_combo.currentText().strip()
        if not name:
            field_problem("name", "needed: the condition's name")
        since, since_precision = self.since_field.value("since") or (None, "day")
        return Condition(
            id=self.original.id if self.original is not None else "",
            name=name,
            status=self.status_combo.currentData(),
            since=since,
            note=self.note_edit.toPlainText(),
            since_precision=since_precision,
        )


_BP = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


def _parse_bp(text: str, field: str) -> tuple[int, int] | None:
    if not text.strip():
        return None
    m = _BP.match(text)
    if not m:
        field_problem(field, f"write it as systolic/diastolic, e.g. 128/82 (got {text.strip()!r})")
        return None
    return int(m.group(1)), int(m.group(2))


class SessionDialog(RecordDialog):
    """An esketamine, IV ketamine, ECT or rTMS session (ketamine.md lists what a session records)."""

    kind = "sessions"
    title = "treatment session"

    def __init__(self, session: JournalSession, record: Session | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(600, 760)
        when = record.datetime if record else now_local()
        self.date_field = DateField(when.date())
        self.add_row("&Date:", self.date_field, "datetime")
        self.time_edit = QTimeEdit(QTime(when.hour, when.minute))
        self.time_edit.setDisplayFormat("HH:mm")
        self.add_row("T&ime:", self.time_edit)
        self.treatment_combo = choice_combo(f.TREATMENT_LABELS, record.treatment if record else "esketamine")
        self.add_row("&Treatment:", self.treatment_combo, "treatment")
        self.dose_edit = QLineEdit(f.fmt_number(record.dose_mg) if record else "")
        self.dose_edit.setPlaceholderText("optional, mg")
        self.add_row("D&ose (mg):", self.dose_edit, "dose_mg")
        self.number_edit = QLineEdit(f.fmt_number(record.number_in_course) if record else "")
        self.number_edit.setPlaceholderText("optional, e.g. 3")
        self.add_row("Session number in the &course:", self.number_edit, "number_in_course")
        self.bp_before_edit = QLineEdit(f.fmt_bp(record.bp_before) if record else "")
        self.bp_before_edit.setPlaceholderText("e.g. 128/82")
        self.add_row("Blood pressure &before:", self.bp_before_edit, "bp_before")
        self.bp_after_edit = QLineEdit(f.fmt_bp(record.bp_after) if record else "")
        self.bp_after_edit.setPlaceholderText("e.g. 141/88")
        self.add_row("Blood pressure &after:", self.bp_after_edit, "bp_after")
        self.ratings: dict[str, RatingSlider] = {}
        for key, text in (("dissociation", "Di&ssociation"), ("sedation", "S&edation"), ("nausea", "Na&usea")):
            slider = RatingSlider(text.replace("&", ""), 0, 10, getattr(record, key) if record else None)
            self.ratings[key] = slider
            self.add_row(f"{text} (0-10):", slider, key)
        self.phase_combo = choice_combo(words.form_words(words.SESSION_PHASE), record.phase if record else None, none_label="Not recorded")
        phase_hint = "Esketamine and ketamine courses: induction, optimisation or maintenance."
        self.add_row("&Phase of the course:", self.phase_combo, "phase", hint=phase_hint)
        self.bp_40min_edit = QLineEdit(f.fmt_bp(record.bp_40min) if record else "")
        self.bp_40min_edit.setPlaceholderText("e.g. 138/86")
        self.add_row("Blood pressure about &40 minutes after the dose:", self.bp_40min_edit, "bp_40min")
        self.spo2_edit = QLineEdit(f.fmt_number(record.spo2_min) if record else "")
        self.spo2_edit.setPlaceholderText("optional, e.g. 96")
        self.add_row("&Lowest oxygen saturation (SpO₂, %):", self.spo2_edit, "spo2_min")
        self.minutes_edit = QLineEdit(f.fmt_number(record.monitored_minutes) if record else "")
        self.minutes_edit.setPlaceholderText("optional, e.g. 120")
        self.add_row("&Minutes monitored after the dose:", self.minutes_edit, "monitored_minutes")
        self.ready_check = QCheckBox("The clinic judged me &ready to leave")
        self.ready_check.setChecked(bool(record and record.ready_to_leave))
        self.add_row("", self.ready_check, "ready_to_leave")
        self.transport_check = QCheckBox("Transport home arranged")
        self.transport_check.setChecked(bool(record and record.transport_arranged))
        self.add_row("", self.transport_check, "transport_arranged")
        self.note_edit = _note_edit(record.note if record else "", 3)
        self.add_row("&Note:", self.note_edit, "note")
        self.date_field.setFocus()

    def build_record(self) -> Session:
        day = self.date_field.value("datetime")
        t = self.time_edit.time()
        # a session's time is local wall-clock time; the offset is today's, as the clock on the wall
        when = datetime.combine(day, time(t.hour(), t.minute())).astimezone()
        return Session(
            id=self.original.id if self.original is not None else "",
            datetime=when,
            treatment=self.treatment_combo.currentData(),
            dose_mg=parse_float(self.dose_edit.text(), "dose_mg"),
            number_in_course=parse_int(self.number_edit.text(), "number_in_course"),
            bp_before=_parse_bp(self.bp_before_edit.text(), "bp_before"),
            bp_after=_parse_bp(self.bp_after_edit.text(), "bp_after"),
            transport_arranged=self.transport_check.isChecked(),
            note=self.note_edit.toPlainText(),
            phase=self.phase_combo.currentData(),
            bp_40min=_parse_bp(self.bp_40min_edit.text(), "bp_40min"),
            spo2_min=parse_float(self.spo2_edit.text(), "spo2_min"),
            monitored_minutes=parse_int(self.minutes_edit.text(), "monitored_minutes"),
            ready_to_leave=self.ready_check.isChecked(),
            **{key: slider.value() for key, slider in self.ratings.items()},
        )


class NoteDialog(RecordDialog):
    """A free note, often a question to take to the next appointment."""

    kind = "notes"
    title = "note"

    def __init__(self, session: JournalSession, record: Note | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(560, 380)
        self.date_field = DateField(record.date if record else session.today)
        self.add_row("&Date:", self.date_field, "date")
        self.text_edit = _note_edit(record.text if record else "", 6)
        self.add_row("&Text:", self.text_edit, "text")
        self.appointment_check = QCheckBox("Bring this up at my next appointment")
        self.appointment_check.setChecked(record.for_appointment if record else True)
        self.add_row("", self.appointment_check, "for_appointment")
        self.text_edit.setFocus()

    def build_record(self) -> Note:
        text = self.text_edit.toPlainText().strip()
        if not text:
            field_problem("text", "needed: write the note")
        return Note(
            id=self.original.id if self.original is not None else "",
            date=self.date_field.value("date"),
            text=text,
            for_appointment=self.appointment_check.isChecked(),
        )
