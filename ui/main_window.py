"""The window a patient or caregiver lives in: timeline on top, record lists below, the assessment beside them, menus with shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journal.errors import JournalError, ValidationError
from journal.records import ScaleScore

from ui.assessment_panel import AssessmentPanel
from ui.caregiver import install_caregiver_control
from ui.checkin_dialog import CheckInDialog
from ui.crisis import CrisisPanel
from ui.questionnaire_dialog import Gad7Dialog, Phq9Dialog, QuestionnaireDialog
from ui.record_dialogs import ConditionDialog, EpisodeDialog, LabDialog, NoteDialog, ScoreTotalDialog, SessionDialog
from ui.session import KINDS, JournalSession
from ui.tables import TAB_TITLES, RecordListPanel
from ui.theme import TEXT_SCALES, THEME_LABELS, THEMES, Look
from ui.timeline import TimelinePanel
from ui.trial_dialog import TrialDialog
from ui.welcome import WelcomeDialog

APP_TITLE = "Trial Journal"
DEMO_BANNER = "Demo journal — made-up data. Nothing you change here is kept: it is deleted when you close the window."

# The dialog that edits each kind (scores pick theirs by scale, see _dialog_for).
_DIALOGS = {
    "trials": TrialDialog,
    "checkins": CheckInDialog,
    "episodes": EpisodeDialog,
    "sessions": SessionDialog,
    "labs": LabDialog,
    "conditions": ConditionDialog,
    "notes": NoteDialog,
}
_ADDED_WORDS = {"trials": "Trial", "scores": "Score", "checkins": "Check-in", "episodes": "Episode",
                "sessions": "Session", "labs": "Lab result", "conditions": "Condition", "notes": "Note"}


class FileChooser:
    """Where the window asks for a file name; Qt's own dialog (never the desktop's, which keeps a recent-files list)."""

    @classmethod
    def open_path(cls, parent: QWidget, title: str, filter_: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filter_, options=QFileDialog.DontUseNativeDialog)
        return path or None

    @classmethod
    def save_path(cls, parent: QWidget, title: str, filter_: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, "", filter_, options=QFileDialog.DontUseNativeDialog)
        return path or None


class Notice:
    """Messages that need an answer or an acknowledgement; tests replace `show`."""

    @classmethod
    def show(cls, parent: QWidget, title: str, text: str, *, warning: bool = False) -> None:
        box = QMessageBox(QMessageBox.Warning if warning else QMessageBox.Information, title, text, QMessageBox.Ok, parent)
        box.exec()


class MainWindow(QMainWindow):
    """Shows one open journal (a JournalSession); every change goes through the session's undo stack."""

    # the chart is drawn once the window has been painted (start-up never waits for matplotlib)
    chart_ready = Signal()

    def __init__(
        self,
        session: JournalSession,
        *,
        settings: QSettings | None = None,
        look: Look | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        # geometry and view state only: never health data, never a journal's file name
        self.qsettings = settings if settings is not None else QSettings("TrialJournal", "Trial Journal")
        if look is None:
            look = Look(QApplication.instance())
            look.apply()
        self.look = look
        self._chart_built = False
        self._saved_layout = False  # whether the person's own window layout was restored
        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_TITLE + (" — Demo journal (made-up data)" if session.demo else ""))

        self.timeline_panel = TimelinePanel(session)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("recordTabs")
        self.lists: dict[str, RecordListPanel] = {}
        for kind in KINDS:
            panel = RecordListPanel(kind, session)
            panel.add_requested.connect(self._on_list_add_requested)
            panel.edit_requested.connect(self._on_list_edit_requested)
            panel.delete_requested.connect(self._on_list_delete_requested)
            self.lists[kind] = panel
            self.tabs.addTab(panel, TAB_TITLES[kind])
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.timeline_panel)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.demo_banner = QLabel(DEMO_BANNER)
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setAccessibleName("Demo journal notice")
        self.demo_banner.setVisible(session.demo)
        self.crisis_banner = CrisisPanel(dismissable=True)
        self.crisis_banner.hide()

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.demo_banner)
        column.addWidget(self.crisis_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.assessment_panel = AssessmentPanel(session)
        self.assessment_dock = QDockWidget("Assessment", self)
        self.assessment_dock.setObjectName("assessmentDock")
        self.assessment_dock.setWidget(self.assessment_panel)
        self.assessment_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
        self.addDockWidget(Qt.RightDockWidgetArea, self.assessment_dock)

        self._build_menus()
        self.caregiver = install_caregiver_control(self)  # who is entering records: owner or a caregiver
        session.changed.connect(self._on_session_changed)
        session.assessment_changed.connect(self._on_session_assessment_changed)

        # the periodic backup (journal.opening's schedule says when one is due)
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(60_000)
        self._backup_timer.timeout.connect(self._on_backup_timer_timeout)
        self._backup_timer.start()

        self.resize(1400, 900)
        self._restore_view_state()
        for panel in self.lists.values():
            panel.refresh()
        self.assessment_panel.refresh()
        self.statusBar().showMessage("Everything stays on this computer. Ctrl+Z undoes any change.")

    # -- menus and actions ----------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: str | QKeySequence | None = None, *, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # works even when the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()

        self.journal_menu = bar.addMenu("&Journal")
        self.import_action = self._action("&Import a journal file…", self._on_import_triggered, "Ctrl+I")
        self.export_action = self._action("&Export as a journal file (JSON)…", self._on_export_triggered, "Ctrl+Shift+X")
        self.journal_menu.addAction(self.import_action)
        self.journal_menu.addAction(self.export_action)
        # other pieces (the appointment report, profiles) add their entries above this separator
        self._journal_slot = self.journal_menu.addSeparator()
        self.quit_action = self._action("&Quit", self.close, QKeySequence.Quit)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.journal_menu.addAction(self.quit_action)

        self.add_menu = bar.addMenu("&Add")
        self.add_actions: dict[str, QAction] = {
            "trials": self._action("&Trial…", lambda: self.add_record("trials"), "Ctrl+T"),
            "phq9": self._action("&PHQ-9 (depression)…", lambda: self.add_record("scores", Phq9Dialog), "Ctrl+P"),
            "gad7": self._action("&GAD-7 (anxiety)…", lambda: self.add_record("scores", Gad7Dialog), "Ctrl+G"),
            "checkins": self._action("&Daily check-in…", lambda: self.add_record("checkins"), "Ctrl+D"),
            "totals": self._action(
                "&Clinician-rated score (QIDS-SR16, MADRS, HAMD-17)…", lambda: self.add_record("scores", ScoreTotalDialog), "Ctrl+Shift+R"
            ),
            "episodes": self._action("&Episode…", lambda: self.add_record("episodes"), "Ctrl+Shift+E"),
            "sessions": self._action("Treatment &session (esketamine, ketamine, ECT, rTMS)…", lambda: self.add_record("sessions"), "Ctrl+K"),
            "labs": self._action("&Lab result…", lambda: self.add_record("labs"), "Ctrl+L"),
            "conditions": self._action("C&ondition…", lambda: self.add_record("conditions"), "Ctrl+Shift+O"),
            "notes": self._action("&Note for the next appointment…", lambda: self.add_record("notes"), "Ctrl+N"),
        }
        for key, action in self.add_actions.items():
            self.add_menu.addAction(action)
            if key in ("checkins", "totals"):
                self.add_menu.addSeparator()

        self.edit_menu = bar.addMenu("&Edit")
        stack = self.session.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_selected_action = self._action("&Edit the selected record…", self._on_edit_selected_triggered, "Ctrl+E")
        self.delete_selected_action = self._action("&Delete the selected record", self._on_delete_selected_triggered, QKeySequence.Delete)
        self.find_action = self._action("&Find in this list", self._on_find_triggered, QKeySequence("Ctrl+F"))
        for action in (self.edit_selected_action, self.delete_selected_action, self.find_action):
            self.edit_menu.addAction(action)

        self.view_menu = bar.addMenu("&View")
        for action in self.timeline_panel.preset_actions.values():
            self.addAction(action)
            self.view_menu.addAction(action)
        for action in (self.timeline_panel.earlier_action, self.timeline_panel.later_action):
            self.addAction(action)
            self.view_menu.addAction(action)
        self.view_menu.addMenu(self.timeline_panel.scales_menu)
        self.view_menu.addMenu(self.timeline_panel.daily_menu)
        self.view_menu.addSeparator()
        self.text_menu = self.view_menu.addMenu("&Text size")
        self.text_size_group = QActionGroup(self)
        self.text_size_actions: dict[float, QAction] = {}
        for scale in TEXT_SCALES:
            action = QAction(f"{round(scale * 100)} %", self)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, s=scale: self.set_text_scale(s))
            self.text_size_group.addAction(action)
            self.text_menu.addAction(action)
            self.text_size_actions[scale] = action
        self.text_menu.addSeparator()
        self.larger_text_action = self._action("&Larger text", lambda: self._step_text_scale(+1), QKeySequence.ZoomIn)
        self.larger_text_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.smaller_text_action = self._action("&Smaller text", lambda: self._step_text_scale(-1), QKeySequence("Ctrl+-"))
        self.text_menu.addAction(self.larger_text_action)
        self.text_menu.addAction(self.smaller_text_action)
        self.theme_menu = self.view_menu.addMenu("T&heme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = QAction(THEME_LABELS[theme], self)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
            self.theme_group.addAction(action)
            self.theme_menu.addAction(action)
            self.theme_actions[theme] = action
        self.view_menu.addSeparator()
        dock_action = self.assessment_dock.toggleViewAction()
        dock_action.setText("&Assessment panel")
        dock_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.addAction(dock_action)
        self.view_menu.addAction(dock_action)
        self.chart_focus_action = self._action("Go to the &chart", self._on_chart_focus_triggered, QKeySequence("Ctrl+Shift+T"))
        self.lists_focus_action = self._action("Go to the &lists", self._on_lists_focus_triggered, QKeySequence("Ctrl+Shift+L"))
        self.view_menu.addAction(self.chart_focus_action)
        self.view_menu.addAction(self.lists_focus_action)

        self.help_menu = bar.addMenu("&Help")
        self.about_action = self._action("&What the journal does", self._on_about_triggered, QKeySequence.HelpContents)
        self.about_action.setShortcut(QKeySequence("F1"))
        self.crisis_action = self._action("&Crisis lines", self._on_crisis_triggered)
        self.help_menu.addAction(self.about_action)
        self.help_menu.addAction(self.crisis_action)

    def add_journal_action(self, action: QAction) -> None:
        """Put another piece's entry (e.g. "Appointment report…") in the Journal menu, above Quit; its shortcut works too."""
        self.journal_menu.insertAction(self._journal_slot, action)
        self.addAction(action)

    def add_menu_action(self, menu_title: str, action: QAction) -> None:
        """Put an entry in one of the menus by its title without the & ("Journal", "Add", "Edit", "View", "Help")."""
        menus = {"Journal": self.journal_menu, "Add": self.add_menu, "Edit": self.edit_menu, "View": self.view_menu, "Help": self.help_menu}
        if menu_title == "Journal":
            self.add_journal_action(action)
            return
        menus[menu_title].addAction(action)
        self.addAction(action)

    # -- first paint, view state, look ----------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._chart_built:
            self._chart_built = True
            # matplotlib draws after the window is on screen, so opening never waits for the chart
            QTimer.singleShot(0, self._on_first_paint_done)

    def _on_first_paint_done(self) -> None:
        if not self._saved_layout:
            self._default_layout()  # docks take their size only once the window is laid out on screen
        self.timeline_panel.set_look(dark=self.look.dark, font_scale=self.look.text_scale)
        self.timeline_panel.rebuild()
        self.chart_ready.emit()

    def build_chart_now(self) -> None:
        """Draw the chart without waiting for the first paint (screenshots and tests)."""
        if self.timeline_panel.timeline is None:
            self._chart_built = True
            self._on_first_paint_done()

    def _default_layout(self) -> None:
        """Room for the lists under the chart and a readable assessment panel, in proportion to the text size."""
        chars = self.fontMetrics().averageCharWidth()
        self.resizeDocks([self.assessment_dock], [max(360, 46 * chars)], Qt.Horizontal)
        self.splitter.setSizes([640, 320])

    def _restore_view_state(self) -> None:
        s = self.qsettings
        geometry = s.value("window/geometry")
        self._saved_layout = isinstance(s.value("window/state"), QByteArray)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        theme = s.value("view/theme", self.look.theme)
        try:
            scale = float(s.value("view/text_scale", self.look.text_scale))
        except (TypeError, ValueError):
            scale = 1.0
        if theme not in THEMES:
            theme = "system"
        if scale not in TEXT_SCALES:
            scale = 1.0
        if (theme, scale) != (self.look.theme, self.look.text_scale):
            self.look.apply(theme, scale)
        self.theme_actions[self.look.theme].setChecked(True)
        self.text_size_actions[self.look.text_scale].setChecked(True)

    def save_view_state(self) -> None:
        s = self.qsettings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("view/theme", self.look.theme)
        s.setValue("view/text_scale", self.look.text_scale)
        s.sync()

    def set_text_scale(self, scale: float) -> None:
        self.look.apply(text_scale=scale)
        self.text_size_actions[scale].setChecked(True)
        self._after_look_change()

    def _step_text_scale(self, step: int) -> None:
        index = TEXT_SCALES.index(self.look.text_scale) + step
        self.set_text_scale(TEXT_SCALES[max(0, min(len(TEXT_SCALES) - 1, index))])

    def set_theme(self, theme: str) -> None:
        self.look.apply(theme=theme)
        self.theme_actions[theme].setChecked(True)
        self._after_look_change()

    def _after_look_change(self) -> None:
        self._default_layout()
        for panel in self.lists.values():
            panel.refresh()  # column widths follow the text size
        self.timeline_panel.set_look(dark=self.look.dark, font_scale=self.look.text_scale)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        # the desktop switched between light and dark while the window is open
        if event.type() == event.Type.PaletteChange and self._chart_built:
            self.timeline_panel.set_look(dark=self.look.dark, font_scale=self.look.text_scale)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_view_state()
        super().closeEvent(event)

    # -- adding, editing, deleting ----------------------------------------------------------------

    def _dialog_for(self, kind: str, record=None):
        if kind == "scores":
            if record is not None and record.items:
                return QuestionnaireDialog
            return ScoreTotalDialog
        return _DIALOGS[kind]

    def add_record(self, kind: str, dialog_class=None):
        """Open the form for a new record of `kind`; returns the stored record, or None when cancelled."""
        dialog_class = dialog_class or self._dialog_for(kind)
        saved = dialog_class.ask(self, self.session)
        if saved is not None:
            self._after_saved(kind, saved, f"{_ADDED_WORDS[kind]} added.")
        return saved

    def edit_record(self, kind: str, record_id: str):
        record = self.session.find(kind, record_id)
        if record is None:
            return None
        saved = self._dialog_for(kind, record).ask(self, self.session, record)
        if saved is not None:
            self._after_saved(kind, saved, f"{_ADDED_WORDS[kind]} changed.")
        return saved

    def delete_record(self, kind: str, record_id: str) -> None:
        try:
            self.session.delete(kind, record_id)
        except JournalError as exc:
            Notice.show(self, "Could not delete", str(exc), warning=True)
            return
        self.statusBar().showMessage(f"{_ADDED_WORDS[kind]} deleted. Ctrl+Z brings it back.")

    def _after_saved(self, kind: str, saved, message: str) -> None:
        self.tabs.setCurrentWidget(self.lists[kind])
        self.lists[kind].select_id(saved.id)
        self.statusBar().showMessage(f"{message} Ctrl+Z undoes it.")
        if isinstance(saved, ScaleScore):
            from journal.scales import crisis_answer_given

            if crisis_answer_given(saved.scale, saved.items):
                # the form showed it already; the window keeps it in view until it is read
                self.crisis_banner.show()

    def current_list(self) -> RecordListPanel:
        return self.tabs.currentWidget()

    def _on_list_add_requested(self, kind: str) -> None:
        if kind == "scores":
            menu = QMenu(self)
            for key in ("phq9", "gad7", "totals"):
                menu.addAction(self.add_actions[key])
            menu.exec(self.lists["scores"].add_button.mapToGlobal(self.lists["scores"].add_button.rect().bottomLeft()))
            return
        self.add_record(kind)

    def _on_list_edit_requested(self, kind: str, record_id: str) -> None:
        self.edit_record(kind, record_id)

    def _on_list_delete_requested(self, kind: str, record_id: str) -> None:
        self.delete_record(kind, record_id)

    def _on_edit_selected_triggered(self) -> None:
        panel = self.current_list()
        record_id = panel.selected_id()
        if record_id:
            self.edit_record(panel.kind, record_id)
        else:
            self.statusBar().showMessage("Select a record in the list first (Ctrl+F searches it).")

    def _on_delete_selected_triggered(self) -> None:
        panel = self.current_list()
        record_id = panel.selected_id()
        if record_id:
            self.delete_record(panel.kind, record_id)
        else:
            self.statusBar().showMessage("Select a record in the list first (Ctrl+F searches it).")

    def _on_find_triggered(self) -> None:
        panel = self.current_list()
        panel.search.setFocus(Qt.ShortcutFocusReason)
        panel.search.selectAll()

    def _on_chart_focus_triggered(self) -> None:
        self.timeline_panel.canvas.setFocus(Qt.ShortcutFocusReason)

    def _on_lists_focus_triggered(self) -> None:
        self.current_list().table.setFocus(Qt.ShortcutFocusReason)

    # -- refreshing what changed -------------------------------------------------------------------

    def _on_session_changed(self, kind: str) -> None:
        if kind in self.lists:
            self.lists[kind].refresh()

    def _on_session_assessment_changed(self) -> None:
        self.assessment_panel.refresh()
        self.lists["trials"].refresh()  # adequacy and outcome at a glance
        if self.timeline_panel.timeline is not None:
            self.timeline_panel.rebuild()

    # -- journal file actions ----------------------------------------------------------------------

    def _on_import_triggered(self) -> None:
        path = FileChooser.open_path(self, "Import a journal file", "Journal files (*.json)")
        if not path:
            return
        from journal.fileformat import load_file

        access = self.session.access
        try:
            result = load_file(path, existing_ids=self.session.journal.ids())
            if access is not None:
                access.backup("import")  # an import is a big change: the journal as it was is kept first
            self.session.journal.import_contents(result.contents, result.settings_changes)
        except ValidationError as exc:
            shown = "\n".join(f"• {p}" for p in exc.problems[:30])
            more = f"\n… and {len(exc.problems) - 30} more." if len(exc.problems) > 30 else ""
            Notice.show(self, "Nothing was imported", f"The file has {len(exc.problems)} problem(s); the journal is as it was.\n\n{shown}{more}", warning=True)
            return
        except JournalError as exc:
            Notice.show(self, "Nothing was imported", str(exc), warning=True)
            return
        # an import is not undoable record by record; the undo history would no longer match
        self.session.undo_stack.clear()
        if access is not None:
            access.note_change()
        self.session.reload()
        warnings = "\n".join(f"• {w}" for w in result.warnings[:20])
        self.statusBar().showMessage("The file was imported.")
        if warnings:
            Notice.show(self, "Imported, with notes", f"The file was imported. Worth a look:\n\n{warnings}")

    def _on_export_triggered(self) -> None:
        path = FileChooser.save_path(self, "Export the journal", "Journal files (*.json)")
        if not path:
            return
        from journal.atomic import atomic_write
        from journal.fileformat import dumps

        if not path.endswith(".json"):
            path += ".json"
        try:
            atomic_write(path, dumps(self.session.journal.contents()).encode("utf-8"))
        except OSError as exc:
            Notice.show(self, "Not exported", f"The file could not be written: {exc.strerror or exc}. Nothing else changed.", warning=True)
            return
        self.statusBar().showMessage("The journal was exported. The file holds your health data: keep it somewhere private.")

    def _on_about_triggered(self) -> None:
        WelcomeDialog.ask(self)

    def _on_crisis_triggered(self) -> None:
        self.crisis_banner.show()

    def _on_backup_timer_timeout(self) -> None:
        access = self.session.access
        if access is None:
            return
        try:
            access.backup_if_due()
        except (JournalError, OSError) as exc:
            self.statusBar().showMessage(f"The periodic backup could not be made: {exc}")

    # -- locking (the auto-lock piece calls these) ----------------------------------------------------

    def lock(self) -> str | None:
        """Close the journal behind the lock screen: views emptied, file closed, key forgotten.

        Returns a warning to show when the backup made on locking failed. `unlocked()` undoes it.
        """
        access = self.session.access
        self.clear_views()
        return access.lock() if access is not None else None

    def unlocked(self) -> None:
        """The journal was unlocked (`access.unlock(...)`): show it again."""
        access = self.session.access
        self.set_session(JournalSession(access.journal, access=access, demo=self.session.demo))

    def clear_views(self) -> None:
        """Empty every view of health data (when the journal locks); set_session() fills them again."""
        for panel in self.lists.values():
            panel.model.beginResetModel()
            panel.model._records = ()
            panel.model.endResetModel()
        self.assessment_panel.clear()
        self.timeline_panel.clear()
        self.crisis_banner.hide()
        self.session.undo_stack.clear()
        self.centralWidget().setEnabled(False)
        self.assessment_dock.setEnabled(False)
        for action in (*self.add_actions.values(), self.import_action, self.export_action):
            action.setEnabled(False)

    def set_session(self, session: JournalSession) -> None:
        """Show another open journal (after unlocking, say): every view is rebuilt from it."""
        old = self.session
        for signal, slot in ((old.changed, self._on_session_changed), (old.assessment_changed, self._on_session_assessment_changed)):
            signal.disconnect(slot)
        self.session = session
        for panel in self.lists.values():
            panel.model.session = session
        self.assessment_panel.session = session
        self.timeline_panel.session = session
        session.changed.connect(self._on_session_changed)
        session.assessment_changed.connect(self._on_session_assessment_changed)
        self._rewire_undo(session)
        self.centralWidget().setEnabled(True)
        self.assessment_dock.setEnabled(True)
        for action in (*self.add_actions.values(), self.import_action, self.export_action):
            action.setEnabled(True)
        session.reload()
        self.timeline_panel.rebuild()

    def _rewire_undo(self, session: JournalSession) -> None:
        for action in (self.undo_action, self.redo_action):
            self.edit_menu.removeAction(action)
            self.removeAction(action)
        self.undo_action = session.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = session.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        first = self.edit_menu.actions()[0] if self.edit_menu.actions() else None
        self.edit_menu.insertAction(first, self.redo_action)
        self.edit_menu.insertAction(self.redo_action, self.undo_action)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
