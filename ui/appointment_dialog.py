"""Journal ▸ Prepare for my appointment: the date of the next appointment, the questions the journal suggests, and the ones kept.

The suggestions come from journal.questions (clinical/questions.md): each is a question with the
reason it is suggested. The person adds it to their notes for the appointment (an ordinary,
editable note) or dismisses it; either is one step Undo takes back. The journal never adds a
question by itself. In caregiver mode every question names the person it is asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError, ValidationError
from journal.questions import Suggestion, suggestions
from journal.reports.facts import fresh_questions, report_dates
from ui.fit import FitsScreen
from ui.forms import DateField, FieldError, parse_date

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.session import Changes, JournalSession

__all__ = ["AppointmentDialog", "install_appointment_action", "appointment_day", "with_day"]

SHORTCUT = "Ctrl+Shift+N"
NOTHING_TO_SUGGEST = "Nothing to suggest today: the journal has no question to add from what it holds."


def appointment_day(value: str | None) -> date | None:
    """The day of a stored appointment ("2026-12-10" or "2026-12-10T09:30:00+01:00"), or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


def with_day(stored: str | None, day: date | None) -> str | None:
    """The appointment as stored with its day changed: a time and offset it had are kept; None clears it."""
    if day is None:
        return None
    if stored and "T" in stored:
        return day.isoformat() + stored[stored.index("T"):]
    return day.isoformat()


def _long_day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _when(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return "this date has passed: type the next one"


class SuggestionCard(QFrame):
    """One suggested question: its words, why it is suggested, and the two choices."""

    def __init__(self, suggestion: Suggestion, add_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.suggestion = suggestion
        self.setObjectName("suggestionCard")
        self.setFrameShape(QFrame.StyledPanel)
        self.question_label = QLabel(suggestion.question)
        self.question_label.setWordWrap(True)
        self.question_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = self.question_label.font()
        font.setBold(True)
        self.question_label.setFont(font)
        self.why_label = QLabel(f"Why: {suggestion.why}")
        self.why_label.setObjectName("hint")
        self.why_label.setWordWrap(True)
        self.add_button = QPushButton(add_text)
        self.dismiss_button = QPushButton("Dismiss")
        for button, verb in ((self.add_button, add_text), (self.dismiss_button, "Dismiss")):
            # a screen reader hears which question the button is for, not only "Dismiss" six times over
            button.setAccessibleName(f"{verb}: {suggestion.question}")
            button.setAccessibleDescription(f"Why: {suggestion.why}")
            button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.dismiss_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question_label)
        layout.addWidget(self.why_label)
        layout.addLayout(row)


class AppointmentDialog(FitsScreen, QDialog):
    """Prepare for the next appointment: set its date, add or dismiss the suggested questions, see the questions kept."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None, *, make_report: Callable[[], None] | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Prepare for my appointment")
        self.setObjectName("appointmentDialog")
        self._locked = False
        self._undo_floor = session.undo_stack.index()  # Undo here takes back only what was done here
        caregiver = session.author is not None

        self.intro = QLabel(self._intro_text())
        self.intro.setWordWrap(True)

        self.date_field = DateField(optional=True)
        self.date_field.setAccessibleName("Date of the next appointment")
        self.date_field.line.setMinimumWidth(self.date_field.line.fontMetrics().horizontalAdvance("YYYY-MM-DD (optional)") + 16)
        self.date_field.line.editingFinished.connect(self._on_date_edited)
        self.date_note = QLabel("")
        self.date_note.setObjectName("hint")
        self.date_note.setWordWrap(True)
        date_label = QLabel("&Next appointment:")
        date_label.setBuddy(self.date_field)
        date_row = QHBoxLayout()
        date_row.addWidget(date_label)
        date_row.addWidget(self.date_field)
        date_row.addWidget(self.date_note, 1)

        self._add_text = "Add to the notes" if caregiver else "Add to my notes"
        self.suggestions_box = QGroupBox("Questions the journal suggests")
        self.suggestions_column = QVBoxLayout(self.suggestions_box)
        self.cards: list[SuggestionCard] = []
        self.empty_label = QLabel(NOTHING_TO_SUGGEST)
        self.empty_label.setWordWrap(True)
        self.suggestions_column.addWidget(self.empty_label)

        self.kept_box = QGroupBox("Questions for the appointment")
        self.kept_heading = QLabel("")
        self.kept_heading.setObjectName("hint")
        self.kept_heading.setWordWrap(True)
        # one label per question, wrapped to the width: read here, changed in the Notes list
        self.kept_lines: list[QLabel] = []
        self.kept_rows = QVBoxLayout()
        self.kept_rows.setSpacing(2)
        kept_hint = QLabel("These are ordinary notes: change or remove them in the Notes list. The report lists them on page one.")
        kept_hint.setObjectName("hint")
        kept_hint.setWordWrap(True)
        kept_column = QVBoxLayout(self.kept_box)
        kept_column.addWidget(self.kept_heading)
        kept_column.addLayout(self.kept_rows)
        kept_column.addWidget(kept_hint)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.intro)
        column.addLayout(date_row)
        column.addWidget(self.kept_box)  # what the person has, then what they might add
        column.addWidget(self.suggestions_box)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(body)
        self.scroll = scroll

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What was just done")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Take back the last question added or dismissed here (Ctrl+Z)")
        self.undo_button.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self._on_undo_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ResetRole)
        self.report_button: QPushButton | None = None
        if make_report is not None:
            self.report_button = QPushButton("Make the &report…")
            self.report_button.setAutoDefault(False)
            buttons.addButton(self.report_button, QDialogButtonBox.ActionRole)
            self.report_button.clicked.connect(lambda: self._on_report_clicked(make_report))
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        stored = session.settings().reminders.next_appointment
        self.date_field.set_value(appointment_day(stored))
        self._show_date_note()
        session.changed.connect(self._on_session_changed)
        session.undo_stack.indexChanged.connect(self._on_undo_index_changed)
        self._listening = True
        self.refresh()
        self.resize(720, 700)
        self.date_field.setFocus()

    # -- what it shows ----------------------------------------------------------------------------

    def _intro_text(self) -> str:
        if self.session.author is not None:
            return (
                "Questions you may ask on the person's behalf, drafted from what the journal holds; each says why. "
                "Add the ones to bring to the notes, or dismiss them: a dismissed question comes back only when what it "
                "is based on changes. Nothing is added unless you choose it."
            )
        return (
            "Questions you may want to ask, drafted from what your journal holds; each says why. Add the ones you want "
            "to bring to your notes, or dismiss them: a dismissed question comes back only when what it is based on "
            "changes. Nothing is added unless you choose it."
        )

    def suggested(self) -> list[Suggestion]:
        """The suggestions that apply today and were not added or dismissed while they read the same."""
        session = self.session
        return suggestions(session.contents(), session.today, caregiver_for=session.author, assessment=session.assessment())

    def refresh(self) -> None:
        """Show the suggestions and the kept questions as the journal holds them now."""
        focused_key = next((c.suggestion.key for c in self.cards if c.isAncestorOf(self.focusWidget())), None)
        for card in self.cards:
            self.suggestions_column.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []
        found = self.suggested()
        for s in found:
            card = SuggestionCard(s, self._add_text, self.suggestions_box)
            card.add_button.clicked.connect(lambda _=False, s=s: self.choose(s, "added"))
            card.dismiss_button.clicked.connect(lambda _=False, s=s: self.choose(s, "dismissed"))
            self.suggestions_column.addWidget(card)
            card.show()  # a widget added to a window already shown stays hidden until told
            self.cards.append(card)
        self.empty_label.setVisible(not found)
        self.suggestions_box.setTitle(f"Questions the journal suggests ({len(found)})" if found else "Questions the journal suggests")
        self._show_kept()
        self._on_undo_index_changed()
        if focused_key is not None:
            # the card that had the focus is gone: the next one (or Close) takes it, never nothing
            target = self.cards[0].add_button if self.cards else self.close_button
            target.setFocus()

    def _show_kept(self) -> None:
        session = self.session
        contents = session.contents()
        start, _ = report_dates(session.assessment(), session.today)
        notes, heading = fresh_questions(contents, start, session.today)
        for label in self.kept_lines:
            self.kept_rows.removeWidget(label)
            label.hide()
            label.deleteLater()
        self.kept_lines = []
        for n in notes:
            author = contents.author_of(n.id)
            by = f" (entered by {author})" if author else ""
            label = QLabel(f"\u2022 {n.date.isoformat()}: {n.text}{by}")
            label.setWordWrap(True)
            label.setTextFormat(Qt.PlainText)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.kept_rows.addWidget(label)
            label.show()
            self.kept_lines.append(label)
        self.kept_heading.setText(f"{heading}." if notes else f"{heading}: none yet.")
        self.kept_box.setTitle(f"Questions for the appointment ({len(notes)})")

    def kept(self) -> list[str]:
        """The questions listed as kept, as shown (date, words, who entered them)."""
        return [label.text().removeprefix("\u2022 ") for label in self.kept_lines]

    def _show_date_note(self) -> None:
        stored = self.session.settings().reminders.next_appointment
        day = appointment_day(stored)
        if day is None:
            self.date_note.setText("No date set. Type it as YYYY-MM-DD; leave it empty for none.")
            return
        time = f" at {stored[stored.index('T') + 1:stored.index('T') + 6]}" if stored and "T" in stored else ""
        self.date_note.setText(f"{_long_day(day)}{time}: {_when(day, self.session.today)}.")

    # -- what the person does -----------------------------------------------------------------------

    def choose(self, suggestion: Suggestion, choice: str) -> None:
        """Add the question to the notes or dismiss it (one undoable step), and say so."""
        try:
            self.session.choose_question(suggestion, choice)
        except JournalError as exc:
            self.status.setText(f"Not saved: {exc}")
            return
        if choice == "added":
            self.status.setText("Added to the notes for the appointment. Undo takes it back.")
        else:
            self.status.setText("Dismissed: not suggested again unless what it is based on changes. Undo brings it back.")

    def _on_date_edited(self) -> None:
        self.save_date()

    def save_date(self) -> bool:
        """Keep the date typed (empty: no appointment); a time the appointment had is kept. False when it cannot be read."""
        try:
            day = parse_date(self.date_field.text(), "next_appointment")
        except FieldError as exc:
            self.date_note.setText(f"Not kept: {exc}")
            return False
        reminders = self.session.settings().reminders
        value = with_day(reminders.next_appointment, day)
        if value == reminders.next_appointment:
            self._show_date_note()
            return True
        try:
            self.session.change_settings(reminders=replace(reminders, next_appointment=value))
        except ValidationError as exc:
            self.date_note.setText("Not kept: " + "; ".join(p.message for p in exc.problems))
            return False
        self._show_date_note()
        self.status.setText("Appointment date kept." if day else "Appointment date cleared.")
        return True

    def _on_undo_index_changed(self, _index: int = 0) -> None:
        self.undo_button.setEnabled(self.session.undo_stack.index() > self._undo_floor)

    def _on_undo_clicked(self) -> None:
        if self.session.undo_stack.index() > self._undo_floor:
            text = self.session.undo_stack.undoText()
            self.session.undo_stack.undo()
            self.status.setText(f"Undone: {text}.")

    def _on_report_clicked(self, make_report: Callable[[], None]) -> None:
        if self.save_date():
            self.accept()
            make_report()

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.settings:
            self.date_field.set_value(appointment_day(self.session.settings().reminders.next_appointment))
            self._show_date_note()
        self.refresh()

    def close_for_lock(self) -> None:
        """The journal locked: close at once, keeping nothing more (the journal is already closed)."""
        self._locked = True
        self.reject()

    def done(self, result: int) -> None:
        if not self._locked:
            with contextlib.suppress(JournalError):
                self.save_date()  # a date typed and not yet confirmed with Enter is kept on closing, too
        if self._listening:
            self._listening = False
            self.session.changed.disconnect(self._on_session_changed)
            self.session.undo_stack.indexChanged.disconnect(self._on_undo_index_changed)
        super().done(result)


def install_appointment_action(window: MainWindow) -> QAction:
    """Add "Prepare for my appointment…" (Ctrl+Shift+N) to the window's Journal menu."""
    action = QAction("&Prepare for my appointment…", window)
    action.setObjectName("appointmentAction")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setStatusTip("The date of your next appointment and the questions to bring")

    def _make_report() -> None:
        report = (window.report_actions or {}).get("report")
        if report is not None:
            report.trigger()

    def _on_triggered() -> None:
        dialog = AppointmentDialog(window.session, window, make_report=_make_report if window.report_actions else None)
        lock = window.auto_lock
        if lock is not None:
            lock.locked.connect(dialog.close_for_lock)  # locking hides every question with the rest
        dialog.exec()
        if lock is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                lock.locked.disconnect(dialog.close_for_lock)
        dialog.deleteLater()

    action.triggered.connect(_on_triggered)
    window.add_journal_action(action)
    window.appointment_action = action
    return action
