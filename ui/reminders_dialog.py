"""Journal ▸ Reminders…: when to remind, what a notification may say, and whether the app starts at login in the tray.

The times and days are the journal's `settings.reminders` (kept in the journal, encrypted with
it, one undoable step); what a notification may say is a window setting (it holds no health
data); "Start at login, in the tray" writes or removes the app's own autostart entry
(journal.autostart: XDG autostart, a LaunchAgent, the Startup folder), never anyone else's.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, datetime
from datetime import time as TimeOfDay
from typing import TYPE_CHECKING

from PySide6.QtCore import QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from journal import autostart
from journal.errors import JournalError, ValidationError
from journal.reminders import DEFAULT_QUESTIONNAIRE_EVERY_DAYS
from ui.appointment_dialog import appointment_day, with_day
from ui.fit import FitsScreen
from ui.forms import DateField, FieldError, parse_date
from ui.reminders import DETAILED_KEY

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = ["RemindersDialog", "install_reminders_action", "login_command", "session_value"]


def login_command() -> list[str]:
    """What the login entry runs: this app, in the tray (no journal path or passphrase in it)."""
    if getattr(sys, "frozen", False):  # the installed bundle is its own program
        return [sys.executable, "--tray"]
    return [sys.executable, "-m", "ui.entry", "--tray"]


def session_value(day: date | None, at: TimeOfDay | None) -> str | None:
    """The next session as the journal keeps it: a date, or a date and local time with that day's UTC offset."""
    if day is None:
        return None
    if at is None:
        return day.isoformat()
    return datetime.combine(day, at).astimezone().isoformat(timespec="seconds")


def _stored_time(value: str | None) -> TimeOfDay | None:
    if not value or "T" not in value:
        return None
    try:
        return datetime.fromisoformat(value).time().replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        return None


class RemindersDialog(FitsScreen, QDialog):
    """The reminders' settings; Save keeps them (the journal's as one undoable step)."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.session = window.session
        self.setWindowTitle("Reminders")
        self.setObjectName("remindersDialog")
        rem = self.session.settings().reminders

        self.checkin_box = QCheckBox("Remind me to &check in every day at")
        self.checkin_time = QTimeEdit()
        self.checkin_time.setDisplayFormat("HH:mm")
        self.checkin_time.setAccessibleName("Time of the daily check-in reminder")
        at = _stored_time("T" + rem.checkin_time) if rem.checkin_time else None
        self.checkin_time.setTime(QTime(at.hour, at.minute) if at else QTime(20, 0))
        self.checkin_box.setChecked(rem.checkin_time is not None)
        self.checkin_time.setEnabled(self.checkin_box.isChecked())
        self.checkin_box.toggled.connect(self.checkin_time.setEnabled)
        checkin_row = QHBoxLayout()
        checkin_row.addWidget(self.checkin_box)
        checkin_row.addWidget(self.checkin_time)
        checkin_row.addStretch(1)

        self.every_spin = QSpinBox()
        self.every_spin.setRange(1, 90)
        self.every_spin.setSuffix(" days")
        self.every_spin.setValue(rem.questionnaire_every_days or DEFAULT_QUESTIONNAIRE_EVERY_DAYS)
        self.every_spin.setAccessibleName("Days between questionnaires")

        self.appointment_field = DateField(appointment_day(rem.next_appointment), optional=True)
        self.appointment_field.setAccessibleName("Date of the next appointment")
        self.session_field = DateField(appointment_day(rem.next_session), optional=True)
        self.session_field.setAccessibleName("Date of the next treatment session")
        self.session_time_box = QCheckBox("at")
        self.session_time = QTimeEdit()
        self.session_time.setDisplayFormat("HH:mm")
        self.session_time.setAccessibleName("Time of the next treatment session")
        stored_at = _stored_time(rem.next_session)
        self.session_time_box.setChecked(stored_at is not None)
        self.session_time.setTime(QTime(stored_at.hour, stored_at.minute) if stored_at else QTime(10, 0))
        self.session_time.setEnabled(stored_at is not None)
        self.session_time_box.toggled.connect(self.session_time.setEnabled)
        session_row = QHBoxLayout()
        session_row.addWidget(self.session_field, 1)
        session_row.addWidget(self.session_time_box)
        session_row.addWidget(self.session_time)

        self.detailed_box = QCheckBox("Notifications may say &what is due (a questionnaire's or a medicine's name)")
        self.detailed_box.setChecked(bool(window.qsettings.value(DETAILED_KEY, False, type=bool)))
        discreet = QLabel("Off, a notification says only \u201cTrial Journal: a check-in is due\u201d, which anyone near the "
                          "screen may read; while the journal is locked it says only \u201csomething is due\u201d.")
        discreet.setObjectName("hint")
        discreet.setWordWrap(True)
        self.login_box = QCheckBox("Start at &login, in the tray")
        self.login_box.setChecked(autostart.is_enabled())
        login_hint = QLabel("Off by default. The app writes its own entry to start when you log in, and removes it when "
                            "you untick this; no administrator rights are needed.")
        login_hint.setObjectName("hint")
        login_hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow(checkin_row)
        form.addRow("PHQ-9 (and GAD-7, when you use it) &every:", self.every_spin)
        form.addRow("Next &appointment:", self.appointment_field)
        form.addRow("Next treatment &session:", session_row)
        self.problem = QLabel("")
        self.problem.setObjectName("generalError")
        self.problem.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.Save)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.detailed_box)
        layout.addWidget(discreet)
        layout.addWidget(self.login_box)
        layout.addWidget(login_hint)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def _on_save_clicked(self) -> None:
        self.problem.setText("")
        try:
            appointment = parse_date(self.appointment_field.text(), "next_appointment")
            session_day = parse_date(self.session_field.text(), "next_session")
        except FieldError as exc:
            self.problem.setText(f"Not saved: {exc}")
            return
        rem = self.session.settings().reminders
        at = self.session_time.time() if self.session_time_box.isChecked() else None
        new = replace(
            rem,
            checkin_time=self.checkin_time.time().toString("HH:mm") if self.checkin_box.isChecked() else None,
            questionnaire_every_days=self.every_spin.value(),
            next_appointment=with_day(rem.next_appointment, appointment),
            next_session=session_value(session_day, TimeOfDay(at.hour(), at.minute()) if at is not None else None),
        )
        try:
            if new != rem:
                self.session.change_settings(reminders=new)
        except ValidationError as exc:
            self.problem.setText("Not saved: " + "; ".join(str(p) for p in exc.problems))
            return
        self.window.qsettings.setValue(DETAILED_KEY, self.detailed_box.isChecked())
        try:
            if self.login_box.isChecked() and not autostart.is_enabled():
                autostart.enable(login_command())
            elif not self.login_box.isChecked() and autostart.is_enabled():
                autostart.disable()
        except (OSError, JournalError, ValueError) as exc:
            self.problem.setText(f"The reminders were saved, but the login entry could not be changed: {exc}")
            return
        self.accept()


def install_reminders_action(window: MainWindow) -> QAction:
    """Add "Reminders…" to the Journal menu."""
    action = QAction("Remi&nders…", window)
    action.setObjectName("remindersAction")
    action.setShortcut(QKeySequence("Ctrl+Shift+M"))
    action.setStatusTip("When to remind you, what a notification may say, and starting at login")

    def _on_triggered() -> None:
        dialog = RemindersDialog(window)
        dialog.exec()
        dialog.deleteLater()

    action.triggered.connect(_on_triggered)
    window.add_journal_action(action)
    return action
