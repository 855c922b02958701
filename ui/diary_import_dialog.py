"""Journal ▸ Import from another app…: bring a Daylio, eMoods, iMoodJournal, Bearable or T2 Mood Tracker diary into the journal.

The file is read off the window's thread; a preview then shows the app found, the dates, how
many check-ins will be added and how many are left out (and why), the choices the file needs
(a level for each mood name, a rating's scale, what a group becomes) with the journal's
proposals, the first rows as they will be stored, and an offer to start a trial for any
activity that names a medicine (never made without the person's say). Import stores
everything in one transaction after a backup, off the window's thread, and is one step Undo
takes back whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError, ValidationError
from journal.exchange.diaries import (
    APPS,
    GROUP_TARGETS,
    DiaryChoices,
    DiaryPlan,
    MedicineHint,
    Question,
    SourceFile,
    held_origins,
    plan_import,
    questions,
    read_diary,
    store_plan,
)
from journal.records import DoseStep, Origin, Trial
from journal.words import DAILY
from ui.fit import FitsScreen
from ui.worker import Worker

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.session import JournalSession

__all__ = ["DiaryImportDialog", "install_diary_import_action", "FILE_FILTER", "PREVIEW_ROWS"]

FILE_FILTER = "Mood app exports (*.csv *.tsv *.txt *.emoods *.zip);;All files (*)"
PREVIEW_ROWS = 12
SHORTCUT = "Ctrl+Shift+I"
_CHOOSE = "Choose…"
# The scales a Bearable rating may be on, offered when they hold every value the file has.
_SCALES = ((1.0, 5.0), (0.0, 5.0), (1.0, 10.0), (0.0, 10.0), (0.0, 100.0))
_TARGET_WORDS = {**{k: w.form for k, w in DAILY.items()}, "note": "Keep it in the note only"}
_KIND_WORDS = {"mood_name": "Mood name", "severity": "Anxiety (eMoods)", "rating": "Rating", "group": "Group"}


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def _day(d: date | None) -> str:
    return "" if d is None else f"{d.day} {d:%b %Y}"


class DiaryImportDialog(FitsScreen, QDialog):
    """The preview of one file: what it holds, the choices it needs, what will be stored; Import when every choice is made."""

    imported = Signal(object)  # the StoredDiary, after it is in the journal

    def __init__(self, session: JournalSession, source: SourceFile, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.source = source
        self.file_name = file_name
        self.job: Worker | None = None
        self._held = held_origins(session.contents())
        self._answers: dict[tuple[str, str], object] = {}  # (kind, key) -> level, scale or target chosen here
        self.plan: DiaryPlan = plan_import(source, DiaryChoices(), self._held)
        self._medicines = self.plan.medicines
        self.setWindowTitle(f"Import from {source.app_name}")
        self.setObjectName("diaryImportDialog")

        self.found_label = QLabel("")
        self.found_label.setWordWrap(True)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("What the import will do")
        self.problems_view = QPlainTextEdit()
        self.problems_view.setReadOnly(True)
        self.problems_view.setAccessibleName("What cannot be read in the file")
        self.problems_box = QGroupBox("What cannot be read (nothing is imported until the file is put right)")
        QVBoxLayout(self.problems_box).addWidget(self.problems_view)

        self.choices_table = QTableWidget(0, 3)
        self.choices_table.setHorizontalHeaderLabels(("In the file", "Rows", "Becomes"))
        self.choices_table.setAccessibleName("The choices the file needs")
        self.choices_table.verticalHeader().hide()
        self.choices_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.choices_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.choices_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.choices_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.choices_hint = QLabel("")
        self.choices_hint.setObjectName("hint")
        self.choices_hint.setWordWrap(True)
        self.choices_box = QGroupBox("How the file's values map onto the journal's 0-10 ratings")
        choices_column = QVBoxLayout(self.choices_box)
        choices_column.addWidget(self.choices_hint)
        choices_column.addWidget(self.choices_table)
        self.editors: dict[tuple[str, str], QWidget] = {}
        self._labels: dict[tuple[str, str], QTableWidgetItem] = {}

        self.preview_table = QTableWidget(0, 9)
        self.preview_table.setHorizontalHeaderLabels(
            ("Date", "Time", "Mood", "Anxiety", "Sleep", "Energy", "Pain", "Hours slept", "Note")
        )
        self.preview_table.setAccessibleName("The first check-ins as they will be stored")
        self.preview_table.setWordWrap(False)
        self.preview_table.verticalHeader().hide()
        self.preview_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.preview_table.horizontalHeader().setSectionResizeMode(8, QHeaderView.Stretch)
        self.preview_box = QGroupBox("The first check-ins, as they will be stored")
        QVBoxLayout(self.preview_box).addWidget(self.preview_table)

        self.medicine_box = QGroupBox("Activities that look like a medicine")
        medicine_column = QVBoxLayout(self.medicine_box)
        hint = QLabel("Nothing is made a trial unless you say so: start an entry to check its dates and doses, then save it.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        medicine_column.addWidget(hint)
        self.medicine_buttons: list[QPushButton] = []
        for m in self._medicines:
            row = QHBoxLayout()
            named = m.drug or f"a medicine of the class {m.drug_class}"
            times = "once" if m.count == 1 else f"{m.count} times"
            label = QLabel(f"“{m.tag}” ({named}): {times}, {_day(m.first)} to {_day(m.last)}")
            label.setWordWrap(True)
            button = QPushButton("Start a trial entry…")
            button.setAccessibleName(f"Start a trial entry for {m.tag}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, m=m: self.start_trial(m))
            row.addWidget(label, 1)
            row.addWidget(button)
            medicine_column.addLayout(row)
            self.medicine_buttons.append(button)
        self.medicine_box.setVisible(bool(self._medicines))

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.found_label, self.summary_label, self.problems_box, self.choices_box, self.preview_box, self.medicine_box):
            column.addWidget(widget)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(body)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Importing")
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._on_import_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        buttons.addButton(self.import_button, QDialogButtonBox.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.cancel_button = buttons.button(QDialogButtonBox.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.refresh)
        self._fill_choices()
        self.refresh()
        self.resize(860, 760)

    # -- the choices ---------------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        asked = questions(self.source)
        self.choices_table.setRowCount(len(asked))
        for i, q in enumerate(asked):
            found = f" (found {q.found[0]:g} to {q.found[1]:g})" if q.found and q.kind in ("rating", "group") else ""
            item = QTableWidgetItem(f"{_KIND_WORDS[q.kind]}: {q.key}{found}")
            self.choices_table.setItem(i, 0, item)
            self._labels[(q.kind, q.key)] = item
            self.choices_table.setItem(i, 1, QTableWidgetItem(f"{q.count:,}"))
            editor = self._editor_for(q)
            editor.setAccessibleName(f"What {q.key} becomes")
            self.choices_table.setCellWidget(i, 2, editor)
            self.editors[(q.kind, q.key)] = editor
        self.choices_table.resizeRowsToContents()
        _fit_rows(self.choices_table, 8)
        self.choices_box.setVisible(bool(asked))

    def _editor_for(self, q: Question) -> QWidget:
        if q.kind in ("mood_name", "severity"):
            spin = QSpinBox()
            spin.setRange(-1, 10)
            spin.setSpecialValueText("Choose a level")
            spin.setPrefix("")
            spin.setValue(int(q.proposed) if isinstance(q.proposed, int) else -1)
            spin.setSuffix(" of 10" if q.kind == "mood_name" else " of 10 anxiety")
            spin.valueChanged.connect(lambda v, q=q: self._answer(q, None if v < 0 else v))
            return spin
        combo = QComboBox()
        combo.addItem(_CHOOSE, None)
        if q.kind == "rating":
            lo, hi = q.found or (0.0, 0.0)
            for scale in _SCALES:
                if scale[0] <= lo and hi <= scale[1]:
                    combo.addItem(f"{scale[0]:g} to {scale[1]:g} ({scale[0]:g} becomes 0, {scale[1]:g} becomes 10)", scale)
        else:
            for target in GROUP_TARGETS:
                combo.addItem(_TARGET_WORDS.get(target, target), target)
            if isinstance(q.proposed, str):
                combo.setCurrentIndex(max(0, combo.findData(q.proposed)))
        combo.currentIndexChanged.connect(lambda _i, q=q, combo=combo: self._answer(q, combo.currentData()))
        return combo

    def _answer(self, q: Question, value: object) -> None:
        self._answers[(q.kind, q.key)] = value
        self._timer.start()

    def choices(self) -> DiaryChoices:
        """The choices as the table holds them now (the journal's proposals where the person changed nothing)."""
        moods: dict[str, int | None] = {}
        severities: dict[str, int] = {}
        scales: dict[str, tuple[float, float]] = {}
        groups: dict[str, str] = {}
        for (kind, key), value in self._answers.items():
            if kind == "mood_name":
                # set back to "Choose a level", a name has no level, even one the journal proposed
                moods[key] = None if value is None else int(value)  # type: ignore[call-overload]
            elif value is None:
                continue
            elif kind == "severity":
                severities[key] = int(value)  # type: ignore[call-overload]
            elif kind == "rating":
                scales[key] = value  # type: ignore[assignment]
            else:
                groups[key] = str(value)
        return DiaryChoices(mood_levels=moods, severity_levels=severities, scales=scales, groups=groups)

    # -- the preview -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Plan the import again with the choices made, and show what it would do."""
        choices = self.choices()
        plan = plan_import(self.source, choices, self._held, medicines=False)
        self.plan = replace(plan, medicines=self._medicines)
        span = f", from {_day(plan.first)} to {_day(plan.last)}" if plan.first else ""
        entries = "entry" if plan.rows == 1 else "entries"
        self.found_label.setText(f"<b>{self.source.app_name}</b> export ({_esc(self.file_name)}): {plan.rows:,} {entries}{span}.")
        self.found_label.setTextFormat(Qt.RichText)
        words = [plan.summary(done=False) + "."]
        if plan.unanswered:
            names = ", ".join(q.key for q in plan.unanswered)
            words.append(f"Choose what these become before importing: {names}.")
        elif plan.ready and not plan.added:
            words.append("Nothing new: every entry of this file is already in the journal.")
        self.summary_label.setText(" ".join(words))
        self.problems_box.setVisible(bool(plan.problems))
        if plan.problems:
            self.problems_view.setPlainText("\n".join(str(p) for p in plan.problems))
        self.choices_hint.setText(_choices_hint(self.source.app))
        waiting = {(q.kind, q.key) for q in plan.unanswered}
        for key, item in self._labels.items():
            base = item.text().removeprefix("⚠ ").removesuffix(" (choose)")
            item.setText(f"⚠ {base} (choose)" if key in waiting else base)  # marked in words, never by colour alone
        self._fill_preview(plan)
        self.import_button.setEnabled(plan.ready and plan.added > 0 and self.job is None)

    def _fill_preview(self, plan: DiaryPlan) -> None:
        shown = plan.checkins[:PREVIEW_ROWS]
        self.preview_table.setRowCount(len(shown))
        for i, c in enumerate(shown):
            values = (
                c.date.isoformat(), "" if c.time is None else c.time.strftime("%H:%M"),
                *("" if v is None else str(v) for v in (c.mood, c.anxiety, c.sleep_quality, c.energy, c.pain)),
                "" if c.hours_slept is None else f"{c.hours_slept:g}", c.note.replace("\n", " · "),
            )
            for j, text in enumerate(values):
                item = QTableWidgetItem(text)
                if j == 8 and text:
                    item.setToolTip(c.note)  # one line a row here; the whole note on pointing at it
                self.preview_table.setItem(i, j, item)
        self.preview_table.resizeColumnsToContents()
        self.preview_table.horizontalHeader().setSectionResizeMode(8, QHeaderView.Stretch)
        _fit_rows(self.preview_table, PREVIEW_ROWS)
        self.preview_box.setVisible(bool(shown))

    # -- what the person does ------------------------------------------------------------------------

    def start_trial(self, hint: MedicineHint) -> None:
        """Open a new trial filled in from the activity's dates; stored only if the person saves it."""
        from ui.trial_dialog import TrialDialog

        app = self.source.app_name
        draft = Trial(
            id="",
            drug=hint.drug or "",
            doses=(DoseStep(hint.first, None),),
            end=hint.last,
            note=f"From {app}: “{hint.tag}” appears {hint.count} times, {hint.first.isoformat()} to {hint.last.isoformat()}.",
            origin=Origin(app=app, raw=f"activity={hint.tag} | first={hint.first.isoformat()} | last={hint.last.isoformat()}"),
        )
        saved = TrialDialog.ask_draft(self, self.session, draft)
        if saved is not None:
            self.status.setText(f"Trial of {saved.drug} added. It is an ordinary trial: edit it in the Trials list.")
            self._held = held_origins(self.session.contents())

    def _on_import_clicked(self) -> None:
        plan = self.plan
        if not plan.ready or not plan.added:
            return
        session = self.session
        journal = session.journal
        access = session.access
        author = session.author
        backup = (lambda: access.backup("import")) if access is not None else None
        self.import_button.setEnabled(False)
        self.choices_box.setEnabled(False)
        self.progress.show()
        self.status.setText(f"Importing {plan.added:,} entries…")
        job = Worker(lambda progress: store_plan(journal, plan, backup=backup, author=author), self, uses_journal=True)
        job.succeeded.connect(self._on_import_done)
        job.failed.connect(self._on_import_failed)
        job.finished.connect(self._on_job_finished)
        self.job = job.start()

    def _on_import_done(self, stored) -> None:
        self.session.diary_imported(stored, self.source.app_name)
        self.imported.emit(stored)
        self.accept()

    def _on_import_failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.choices_box.setEnabled(True)
        if isinstance(error, ValidationError):
            shown = "; ".join(str(p) for p in error.problems[:10])
            self.status.setText(f"Nothing was imported: {len(error.problems)} entries break the journal's rules ({shown}).")
        elif isinstance(error, JournalError):
            self.status.setText(f"Nothing was imported: {error}")
        else:
            self.status.setText("Nothing was imported: something went wrong; the journal is as it was.")

    def _on_job_finished(self) -> None:
        self.job = None
        self.progress.hide()
        self.import_button.setEnabled(self.plan.ready and self.plan.added > 0 and self.isVisible())

    def reject(self) -> None:
        if self.job is not None:
            return  # the import is being stored: it cannot be stopped halfway (it is one transaction)
        super().reject()


def _fit_rows(table: QTableWidget, most: int) -> None:
    """The table as tall as its rows, up to `most` of them (more scroll inside it): no empty space under a short table."""
    shown = min(table.rowCount(), most)
    rows = sum(table.rowHeight(i) for i in range(shown)) if shown else table.verticalHeader().defaultSectionSize()
    bar = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + bar)


_CHOICES_HINTS = {
    "daylio": "Daylio keeps moods by name. The five default names have their usual levels (rad 10, good 8, meh 5, "
              "bad 2, awful 0); give each other name a level from 0 (worst) to 10 (best).",
    "emoods": "eMoods' anxiety becomes the anxiety rating (0 none, 10 worst). Depressed, irritability, elevated and "
              "psychotic symptoms go into the note in words, never onto the mood rating.",
    "bearable": "Bearable does not say the scale of its ratings: choose the one you used in the app, from the range found.",
    "t2": "Each T2 group becomes one of the check-in's ratings (its 0-100 turned into 0-10, the group's inverse flag "
          "honoured), or stays in the note.",
}


def _choices_hint(app: str) -> str:
    return _CHOICES_HINTS.get(app, "This app's values map by themselves.")


# --------------------------------------------------------------------------- the menu entry


def start_diary_import(
    window: MainWindow, path: str, *, app: str | None = None, on_ready: Callable[[DiaryImportDialog], None] | None = None
) -> Worker:
    """Read the file off the window's thread, then show the preview (`on_ready` gets it; by default it opens modally)."""
    name = Path(path).name
    window.statusBar().showMessage("Reading the file…")
    job = Worker(lambda progress: read_diary(path, app), window)

    def _on_read(source: SourceFile) -> None:
        window.statusBar().clearMessage()
        dialog = DiaryImportDialog(window.session, source, name, window)
        dialog.imported.connect(lambda stored: window.statusBar().showMessage(
            f"Imported {stored.count:,} {source.app_name} {'entry' if stored.count == 1 else 'entries'}. "
            "Undo (Ctrl+Z) takes the whole import back."))
        if on_ready is not None:
            on_ready(dialog)
            return
        dialog.exec()
        dialog.deleteLater()

    def _on_failed(error: BaseException) -> None:
        from ui.main_window import Notice

        window.statusBar().clearMessage()
        said = str(error) if isinstance(error, (JournalError, OSError)) else "the file could not be read."
        Notice.show(window, "Nothing was imported", f"{name} was not imported: {said}", warning=True)

    job.succeeded.connect(_on_read)
    job.failed.connect(_on_failed)
    job.finished.connect(job.deleteLater)
    return job.start()


def install_diary_import_action(window: MainWindow) -> QAction:
    """Add "Import a diary from another app…" (Ctrl+Shift+I) above "Export as a journal file…" in the Journal menu."""
    action = QAction("Import a &diary from another app…", window)
    action.setObjectName("diaryImportAction")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setStatusTip("Bring in a diary kept in Daylio, eMoods, iMoodJournal, Bearable or T2 Mood Tracker")

    def _on_triggered() -> None:
        from ui.main_window import FileChooser

        path = FileChooser.open_path(window, "Import from another app", FILE_FILTER)
        if path:
            start_diary_import(window, path)

    action.triggered.connect(_on_triggered)
    window.journal_menu.insertAction(window.export_action, action)
    window.addAction(action)
    window.diary_import_action = action
    return action


__all__ += ["start_diary_import", "APPS"]
