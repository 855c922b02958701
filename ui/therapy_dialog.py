"""The psychotherapy form: a course of CBT, IPT or any other therapy, its dates (a day, a month or a year), sessions and how it went."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from journal import words
from journal.records import Rating, Therapy
from ui import formatting as f
from ui.forms import PartialDateField, RecordDialog, choice_combo, field_problem, parse_float, parse_int, set_combo_value
from ui.session import JournalSession


class TherapyDialog(RecordDialog):
    """Add or edit one course of psychotherapy: listed beside the trials, never counted as one."""

    kind = "therapies"
    title = "psychotherapy course"

    def __init__(self, session: JournalSession, record: Therapy | None = None, parent: QWidget | None = None):
        super().__init__(session, record, parent)
        self.resize(760, 700)

        self.kind_combo = choice_combo(words.form_words(words.THERAPY_KIND), none_label="Choose the kind of therapy")
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.add_row("&Kind of therapy:", self.kind_combo, "kind")
        self.name_edit = QLineEdit()
        self.add_row("What you &call it:", self.name_edit, "name", hint="Needed when the kind is Other; optional otherwise.")

        self.start_field = PartialDateField(roughly=False)
        self.add_row("&Started:", self.start_field, "start", hint="A month or just a year is fine when you don't remember the day.")
        self.end_field = PartialDateField(optional=True)
        self.add_row("&Ended:", self.end_field, "end", hint="Leave empty while it goes on.")
        self.sessions_edit = QLineEdit()
        self.sessions_edit.setPlaceholderText("optional, e.g. 16")
        self.add_row("Number of sess&ions:", self.sessions_edit, "sessions")

        self.add_rating_rows(none_label="Not rated yet", improvement_label="Im&provement (%):",
                             hint="Your own estimate of how much better you felt, if you have one.")
        self.stop_combo = choice_combo(f.STOP_REASON_LABELS, none_label="Not stopped, or not recorded")
        self.add_row("Stopped &because:", self.stop_combo, "stop_reason")
        self.source_combo = choice_combo(words.form_words(words.SOURCE), none_label="Not said")
        self.add_row("Where these details come &from:", self.source_combo, "source")

        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.add_row("&Note:", self.note_edit, "note")

        if record is not None:
            self._fill(record)
        self._on_kind_combo_changed()
        self._on_rating_combo_changed()
        self.kind_combo.setFocus()

    def _fill(self, therapy: Therapy) -> None:
        set_combo_value(self.kind_combo, therapy.kind)
        self.name_edit.setText(therapy.name)
        self.start_field.set_value(therapy.start, therapy.start_precision)
        self.end_field.set_value(therapy.end, therapy.end_precision)
        self.sessions_edit.setText(f.fmt_number(therapy.sessions))
        if therapy.rating is not None:
            set_combo_value(self.rating_combo, therapy.rating.response)
            self.improvement_edit.setText(f.fmt_number(therapy.rating.improvement_pct))
        set_combo_value(self.stop_combo, therapy.stop_reason)
        set_combo_value(self.source_combo, therapy.source)
        self.note_edit.setPlainText(therapy.note)

    def _on_kind_combo_changed(self, *_args) -> None:
        other = self.kind_combo.currentData() == "other"
        self.name_edit.setPlaceholderText("needed: what the therapy is called" if other else "optional, e.g. the clinic's name for it")

    def build_record(self) -> Therapy:
        kind = self.kind_combo.currentData()
        if kind is None:
            field_problem("kind", "needed: choose the kind of therapy (Other when none fits)")
        name = self.name_edit.text().strip()
        if kind == "other" and not name:
            field_problem("name", "needed when the kind is Other: what the therapy is called")
        start, start_precision = self.start_field.value("start") or (None, "day")
        end, end_precision = self.end_field.value("end") or (None, "day")
        rating = None
        response = self.rating_combo.currentData()
        if response is not None:
            kept = self.original.rating.date if self.original is not None and self.original.rating is not None else None
            pct = parse_float(self.improvement_edit.text(), "rating.improvement_pct")
            rating = Rating(response=response, improvement_pct=pct, date=kept)
        return Therapy(
            id=self.original.id if self.original is not None else "",
            kind=kind,
            start=start,
            name=name,
            start_precision=start_precision,
            end=end,
            end_precision=end_precision,
            sessions=parse_int(self.sessions_edit.text(), "sessions"),
            stop_reason=self.stop_combo.currentData(),
            rating=rating,
            source=self.source_combo.currentData(),
            note=self.note_edit.toPlainText(),
            origin=self.original.origin if self.original is not None else None,
        )
