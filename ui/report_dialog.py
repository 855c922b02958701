"""The appointment report dialog (choose range, sections, name; preview; save the PDF) and the CSV and FHIR export entries."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError
from journal.reports.facts import SECTIONS, outline, report_facts
from ui.fit import FitsScreen
from ui.save_target import confirm_save_target, journal_path_of
from ui.worker import Worker

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.session import JournalSession

__all__ = ["ReportDialog", "PathChooser", "install_report_actions", "RANGES"]

# What the "Covers" box offers; "episode" is the current episode of the assessment.
RANGES = (
    ("episode", "The current episode"),
    ("3m", "The last 3 months"),
    ("12m", "The last 12 months"),
    ("all", "The whole history (every record, every table in full)"),
    ("custom", "Dates I choose"),
)
NAME_CHOICES = (("initials", "Initials only"), ("full", "My name as written in the journal"), ("none", "No name"))
PRIVATE_FILE_NOTE = "The file is not encrypted: keep it somewhere only you can read."


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PathChooser:
    """Where a file name is asked for: Qt's own dialog, never the desktop's (it keeps a recent-files list). Tests replace `save_path`."""

    @classmethod
    def save_path(cls, parent: QWidget, title: str, filter_: str, suggested: str) -> str | None:
        from ui.file_names import ask_save_path  # no folder it visits is remembered

        # The replace question is asked after the file name gets its ending (confirm_save_target), not here.
        return ask_save_path(parent, title, filter_, suggested)


class ReportDialog(FitsScreen, QDialog):
    """Choose what the appointment report covers, read what it will say, and save it as a PDF."""

    saved = Signal(str)

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.job: Worker | None = None
        self.setWindowTitle("Appointment report")
        self.setObjectName("reportDialog")

        self.range_box = QComboBox()
        for key, label in RANGES:
            self.range_box.addItem(label, key)
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.to_edit.setDate(_qdate(session.today))
        # A report speaks only of days that have passed: a later end would count ongoing trials as lasting until then.
        self.to_edit.setMaximumDate(_qdate(session.today))
        self.name_box = QComboBox()
        for key, label in NAME_CHOICES:
            self.name_box.addItem(label, key)
        self.page_box = QComboBox()
        self.page_box.addItem("A4", "A4")
        self.page_box.addItem("US Letter", "Letter")
        if QLocale().territory() in (QLocale.UnitedStates, QLocale.Canada):
            self.page_box.setCurrentIndex(1)

        form = QFormLayout()
        form.addRow("&Covers:", self.range_box)
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.to_edit)
        form.addRow("&From:", dates)
        form.itemAt(form.rowCount() - 1, QFormLayout.LabelRole).widget().setBuddy(self.from_edit)
        form.addRow("&Name on the report:", self.name_box)
        self.no_name_hint = None
        if not (session.contents().profile.display_name or "").strip():
            # the choice above can only print a name the journal holds
            self.no_name_hint = QLabel("The journal holds no name yet: add one under Journal ▸ Your name and birth year.")
            self.no_name_hint.setObjectName("hint")
            self.no_name_hint.setWordWrap(True)
            form.addRow("", self.no_name_hint)
        form.addRow("&Page size:", self.page_box)

        self.section_boxes: dict[str, QCheckBox] = {}
        sections = QGroupBox("Sections")
        grid = QGridLayout(sections)
        for i, (key, title) in enumerate(SECTIONS):
            box = QCheckBox(title)
            box.setChecked(True)
            box.toggled.connect(self._on_choice_changed)
            self.section_boxes[key] = box
            grid.addWidget(box, i // 2, i % 2)

        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setObjectName("reportPreview")
        # a few lines at the least: on a short screen at a large text size the choices above scroll instead
        self.preview.setMinimumHeight(4 * self.preview.fontMetrics().lineSpacing() + 12)
        preview_label = QLabel("What the report will say (the PDF also draws the timeline):")
        preview_label.setBuddy(self.preview)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.save_button = QPushButton("&Save PDF…")
        self.save_button.setDefault(True)
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._on_save_clicked)

        choices = QWidget()
        choices_column = QVBoxLayout(choices)
        choices_column.setContentsMargins(0, 0, 0, 0)
        choices_column.addLayout(form)
        choices_column.addWidget(sections)
        choices_scroll = QScrollArea(self)
        choices_scroll.setWidgetResizable(True)
        choices_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        choices_scroll.setFrameShape(QFrame.NoFrame)
        choices_scroll.setWidget(choices)
        self.choices_scroll = choices_scroll
        layout = QVBoxLayout(self)
        layout.addWidget(choices_scroll)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        # The preview follows the choices a moment after the last change, not on every keystroke.
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.range_box.currentIndexChanged.connect(self._on_range_changed)
        for widget in (self.from_edit, self.to_edit):
            widget.dateChanged.connect(self._on_choice_changed)
        for widget in (self.name_box, self.page_box):
            widget.currentIndexChanged.connect(self._on_choice_changed)
        self._on_range_changed()
        self.refresh_preview()
        self.resize(640, 680)

    # -- the choices --------------------------------------------------------------------------

    def start_end(self) -> tuple[date | None, date]:
        """The range the report covers as chosen now."""
        end = self.session.today
        key = self.range_box.currentData()
        if key == "custom":
            return _date(self.from_edit.date()), _date(self.to_edit.date())
        if key == "episode":
            episode = self.session.assessment().episode
            return (episode.start if episode else None), end
        if key == "3m":
            return end - timedelta(days=91), end
        if key == "12m":
            return end - timedelta(days=365), end
        return None, end

    def sections(self) -> set[str]:
        return {key for key, box in self.section_boxes.items() if box.isChecked()}

    def options(self) -> dict[str, Any]:
        """The keyword arguments the report is built with."""
        start, end = self.start_end()
        key = self.range_box.currentData()
        if key == "episode":
            start = None  # the report's own default: the current episode, or the last 24 months when none is current
        return {
            "start": start,
            "end": end,
            "whole_history": key == "all",
            "today": self.session.today,
            "name_style": self.name_box.currentData(),
            "page_size": self.page_box.currentData(),
            "sections": self.sections(),
        }

    def _on_range_changed(self) -> None:
        custom = self.range_box.currentData() == "custom"
        if not custom:
            start, end = self.start_end()
            # Show the dates a preset means; a range with no start shows the first record's date.
            first = min((d for d in _record_days(self.session.contents())), default=end)
            self.from_edit.blockSignals(True)
            self.to_edit.blockSignals(True)
            self.from_edit.setDate(_qdate(start or first))
            self.to_edit.setDate(_qdate(end))
            self.from_edit.blockSignals(False)
            self.to_edit.blockSignals(False)
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        self._on_choice_changed()

    def _on_choice_changed(self, *_: Any) -> None:
        self._preview_timer.start()

    # -- preview and save -------------------------------------------------------------------

    def refresh_preview(self) -> None:
        opts = self.options()
        if opts["start"] is not None and opts["start"] > opts["end"]:
            self.preview.setPlainText("The start date is after the end date: choose a start on or before the end.")
            self.save_button.setEnabled(False)
            return
        if not opts["sections"]:
            self.preview.setPlainText("Choose at least one section.")
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(self.job is None)
        facts = report_facts(
            self.session.contents(),
            start=opts["start"],
            end=opts["end"],
            today=opts["today"],
            name_style=opts["name_style"],
            whole_history=opts["whole_history"],
            assessment_settings=self.session.settings(),
        )
        lines = ["Appointment summary" + (f" — {facts.name}" if facts.name else ""), facts.range_text, ""]
        for heading, items in outline(facts, opts["sections"]):
            lines.append(heading.upper())
            lines.extend(f"  {item}" for item in items)
            lines.append("")
        self.preview.setPlainText("\n".join(lines))

    def _on_save_clicked(self) -> None:
        suggested = f"appointment-report-{self.session.today.isoformat()}.pdf"
        path = PathChooser.save_path(self, "Save the appointment report", "PDF files (*.pdf)", suggested)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if not confirm_save_target(self, path, journal_path_of(self.session)):
            self.status.setText("The report was not saved.")
            return
        self.save(path)

    def save(self, path: str) -> Worker:
        """Write the report to `path` off the window's thread; `saved` is emitted when it is there."""
        from journal.reports.pdf import build_report

        contents = self.session.contents()  # an immutable snapshot: safe to hand to the worker
        opts = self.options()
        settings = self.session.settings()
        # the report reads the snapshot, never the journal's file (uses_journal stays False)
        job = Worker(lambda progress: build_report(contents, path, assessment_settings=settings, **opts), self)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        self.job = job
        self.save_button.setEnabled(False)
        self.status.setText("Writing the report…")
        return job.start()

    def _on_job_succeeded(self, path: Any) -> None:
        self.status.setText(f"Saved {Path(path).name}. {PRIVATE_FILE_NOTE}")
        # the next report's questions start after this one; should the journal be locked meanwhile,
        # the report is saved all the same and only the day it was made is not remembered
        with contextlib.suppress(JournalError, AttributeError):
            self.session.report_made()
        self.saved.emit(str(path))

    def _on_job_failed(self, error: BaseException) -> None:
        message = _said(error)
        self.status.setText(f"The report was not saved: {message}. Any earlier file of that name is unchanged.")

    def _on_job_finished(self) -> None:
        self.job = None
        self.save_button.setEnabled(bool(self.sections()))

    def done(self, result: int) -> None:
        if self.job is not None:
            self.job.wait()  # a report half-written must finish (or fail cleanly) before the dialog goes
        super().done(result)


def _record_days(contents) -> list[date]:
    days: list[date] = [e.start for e in contents.episodes]
    days += [t.start for t in contents.trials]
    days += [s.date for s in contents.scores]
    days += [c.date for c in contents.checkins]
    return days


def _said(error: BaseException) -> str:
    """An error in words for the person: its own message, or its kind when it has none."""
    return str(error) or error.__class__.__name__


def _export(window: MainWindow, kind: str) -> Worker | None:
    """Ask where, then write the CSV or FHIR export off the window's thread."""
    from journal.exchange.exporting import export_contents

    today = window.session.today.isoformat()
    if kind == "csv":
        title, filter_, suggested = ("Export for spreadsheets (CSV files in a ZIP)", "ZIP files (*.zip)", f"trial-journal-{today}.zip")
    else:
        title, filter_, suggested = ("Export for health records (FHIR R4)", "FHIR JSON (*.json)", f"trial-journal-{today}.fhir.json")
    path = PathChooser.save_path(window, title, filter_, suggested)
    if not path:
        return None
    if kind == "csv" and not path.lower().endswith(".zip"):
        path += ".zip"
    if not confirm_save_target(window, path, journal_path_of(window.session)):
        return None
    contents = window.session.contents()
    job = Worker(lambda progress: export_contents(contents, path, kind), window)

    def _on_succeeded(written: Any) -> None:
        window.statusBar().showMessage(f"Exported to {Path(written).name}. {PRIVATE_FILE_NOTE}")

    def _on_failed(error: BaseException) -> None:
        QMessageBox.warning(window, "Export not written", f"The export was not written: {_said(error)}")

    job.succeeded.connect(_on_succeeded)
    job.failed.connect(_on_failed)
    job.finished.connect(job.deleteLater)
    window.statusBar().showMessage("Exporting…")
    return job.start()


def install_report_actions(window: MainWindow) -> dict[str, QAction]:
    """Add "Appointment report…" and the CSV and FHIR exports to the window's Journal menu."""
    report = QAction("Appointment &report (PDF)…", window)
    report.setObjectName("reportAction")
    report.setShortcut(QKeySequence("Ctrl+Shift+P"))

    def _on_report_action_triggered() -> None:
        dialog = ReportDialog(window.session, window)
        dialog.saved.connect(lambda path: window.statusBar().showMessage(f"Saved {Path(path).name}. {PRIVATE_FILE_NOTE}"))
        dialog.exec()

    report.triggered.connect(_on_report_action_triggered)
    csv_action = QAction("Export for &spreadsheets (CSV)…", window)
    csv_action.setObjectName("exportCsvAction")
    csv_action.triggered.connect(lambda: _export(window, "csv"))
    fhir_action = QAction("Export for &health records (FHIR)…", window)
    fhir_action.setObjectName("exportFhirAction")
    fhir_action.triggered.connect(lambda: _export(window, "fhir"))
    actions = {"report": report, "csv": csv_action, "fhir": fhir_action}
    for action in actions.values():
        window.add_journal_action(action)
    window.report_actions = actions
    return actions
