"""The window a patient or caregiver lives in: timeline on top, record lists below, the assessment beside them, menus with shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journal import kinds as record_kinds
from journal.errors import JournalError, ValidationError
from ui.caregiver import install_caregiver_control
from ui.fit import fit_to_screen
from ui.session import KINDS, Changes, JournalSession
from ui.theme import TEXT_SCALES, THEME_LABELS, THEMES, Look
from ui.timeline import WAITING_TEXT, TimelinePanel

# The lists, the forms, the assessment panel and the crisis panel (and with them journal.records
# and journal.clinical.scales) are imported when first wanted, not before the window's first paint: every
# module and every Qt class a module names costs start-up time.
if TYPE_CHECKING:
    from ui.assessment_panel import AssessmentPanel
    from ui.caregiver import CaregiverControl
    from ui.crisis import CrisisPanel
    from ui.help import HelpDialog
    from ui.lock import AutoLock
    from ui.passphrase_dialog import _PassphraseActions
    from ui.reminders import Reminders
    from ui.startup_profiles import JournalSwitcher
    from ui.sync_dialog import SyncScheduler
    from ui.tables import RecordListPanel
    from ui.worker import Worker

APP_TITLE = "Trial Journal"
CHART_TEXT_SCALE_MAX = 1.25  # the chart's text grows with the window's up to this
# The record lists' tab titles (Alt+letter goes to a list).
TAB_TITLES = {name: record_kinds.kind(name).tab for name in KINDS}
READY_TEXT = "Everything stays on this computer. Ctrl+Z undoes any change."
# while locked the status bar says only this: never the name of a report or export just written
LOCKED_TEXT = "The journal is locked."
HISTORY_OFFER = (
    "No trials in this journal yet. The medicines you took before count too: enter them one after another, "
    "as you remember them (a month or just a year is fine)."
)
DEMO_BANNER = "Demo journal — made-up data. Nothing you change here is kept: it is deleted when you close the window."

# How a status message names one record of each kind ("Trial added.").
_ADDED_WORDS = {name: record_kinds.kind(name).title for name in KINDS}


def _dialog_class(name: str) -> type:
    """The dialog that edits each kind (scores pick theirs by scale, see _dialog_for).

    Imported when first wanted, not before the window's first paint; plain imports, so the
    import checks see them.
    """
    if name == "trials":
        from ui.trial_dialog import TrialDialog

        return TrialDialog
    if name == "checkins":
        from ui.checkin_dialog import CheckInDialog

        return CheckInDialog
    if name == "therapies":
        from ui.therapy_dialog import TherapyDialog

        return TherapyDialog
    if name == "history":
        from ui.history_dialog import HistoryDialog

        return HistoryDialog
    if name in ("phq9", "gad7", "questionnaire"):
        from ui import questionnaire_dialog

        return {"phq9": questionnaire_dialog.Phq9Dialog, "gad7": questionnaire_dialog.Gad7Dialog}.get(
            name, questionnaire_dialog.QuestionnaireDialog
        )
    from ui import record_dialogs

    others: dict[str, type] = {
        "episodes": record_dialogs.EpisodeDialog,
        "sessions": record_dialogs.SessionDialog,
        "labs": record_dialogs.LabDialog,
        "conditions": record_dialogs.ConditionDialog,
        "notes": record_dialogs.NoteDialog,
        "totals": record_dialogs.ScoreTotalDialog,
    }
    return others[name]


class FileChooser:
    """Where the window asks for a file name; Qt's own dialog (never the desktop's, which keeps a recent-files list)."""

    @classmethod
    def open_path(cls, parent: QWidget, title: str, filter_: str) -> str | None:
        from ui.file_names import ask_open_path  # no folder it visits is remembered

        return ask_open_path(parent, title, filter_)

    @classmethod
    def save_path(cls, parent: QWidget, title: str, filter_: str) -> str | None:
        from ui.file_names import ask_save_path

        # The replace question is asked after the file name gets its ending (confirm_save_target), not here.
        return ask_save_path(parent, title, filter_)


class Notice:
    """Messages that need an answer or an acknowledgement; tests replace `show`."""

    @classmethod
    def show(cls, parent: QWidget, title: str, text: str, *, warning: bool = False) -> None:
        box = QMessageBox(QMessageBox.Warning if warning else QMessageBox.Information, title, text, QMessageBox.Ok, parent)
        box.exec()


class MainWindow(QMainWindow):
    """Shows one open journal (a JournalSession); every change goes through the session's undo stack.

    Made with no session, the window is an empty shell saying the journal is being opened: the
    start-up paints it at once, opens the journal when `first_painted` comes, then `set_session`.
    """

    # the window is on screen: start-up opens the journal now (so the window never waits for it)
    first_painted = Signal()
    # the chart is drawn once the window has been painted (start-up never waits for matplotlib); when start-up
    # opened the journal, the chart is drawn first and this comes once the lists and the assessment are filled too
    chart_ready = Signal()
    # a journal is shown (start-up, unlocking, switching): the pieces that follow its session listen again
    session_shown = Signal(object)
    closing = Signal()  # the window is about to close, the journal still open (a last sync, say)
    # the demo's "Start my own journal": start-up makes or opens the person's own once the demo is closed
    own_journal_requested = Signal()

    # The pieces start-up adds to the window (ui/app.py installs them); None until installed.
    caregiver: CaregiverControl  # who is entering records: the owner or a caregiver (always there)
    auto_lock: AutoLock | None = None  # ui.lock.install_auto_lock: locks after the idle time, Ctrl+Shift+K
    passphrase_actions: _PassphraseActions | None = None  # ui.passphrase_dialog.install_passphrase_actions
    backups_action: QAction | None = None  # ui.backups_dialog.install_backup_actions
    report_actions: dict[str, QAction] | None = None  # ui.report_dialog.install_report_actions: report, csv, fhir
    appointment_action: QAction | None = None  # ui.appointment_dialog.install_appointment_action
    diary_import_action: QAction | None = None  # ui.diary_import_dialog.install_diary_import_action
    reminders: Reminders | None = None  # ui.reminders.install_reminders: the "Due" strip and the notifications
    sync_scheduler: SyncScheduler | None = None  # ui.sync_dialog.install_sync: syncs through the journal's folder
    journal_switch: JournalSwitcher | None = None  # ui.startup_profiles.install_journal_switch
    import_worker: Worker | None = None  # an import of a journal file running off the window's thread
    # Made when first wanted, after the first paint.
    assessment_panel: AssessmentPanel | None
    crisis_banner: CrisisPanel | None
    help_dialog: HelpDialog | None

    def __init__(
        self,
        session: JournalSession | None,
        *,
        settings: QSettings | None = None,
        look: Look | None = None,
        demo: bool | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        demo = bool(session is not None and session.demo) if demo is None else demo
        # geometry and view state only: never health data, never a journal's file name
        self.qsettings = settings if settings is not None else QSettings("TrialJournal", "Trial Journal")
        if look is None:
            look = Look(QApplication.instance())
            look.apply()
        self.look = look
        self._painted = False  # the first paint event came (the journal is opened after it)
        self._first_paint_done = False  # what waits for the first paint has run
        self._journal_shown = session is not None  # False while the journal is being opened, or locked
        self._saved_layout = False  # whether the person's own window layout was restored
        self.setObjectName("MainWindow")
        # the desktop adds the application's name after a window's own title: the title never says it twice
        self.setWindowTitle("Demo journal (made-up data)" if demo else APP_TITLE)

        self.timeline_panel = TimelinePanel(session)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("recordTabs")
        self.lists: dict[str, RecordListPanel] = {}
        for kind in KINDS:
            # an empty page for now: the lists are made once the window is on screen (_build_journal_views)
            self.tabs.addTab(QWidget(), TAB_TITLES[kind])
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.timeline_panel)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.demo_banner = QLabel(DEMO_BANNER)
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setVisible(demo)
        self.demo = demo
        self.wants_own_journal = False  # the demo's "Start my own journal" was chosen (start-up opens it next)
        self.own_journal_button = QPushButton("Start &my own journal")
        self.own_journal_button.setObjectName("ownJournalButton")
        self.own_journal_button.setToolTip("Close the demo (nothing in it is kept) and make or open your own journal")
        self.own_journal_button.clicked.connect(self._on_own_journal_triggered)
        self.own_journal_button.setVisible(demo)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_banner, 1)
        demo_row.addWidget(self.own_journal_button, 0, Qt.AlignVCenter)
        self.crisis_banner = None  # made with the lists, or when first shown
        # a journal with no trials yet offers the quick way to enter a remembered history
        self.history_offer = QWidget()
        self.history_offer.setObjectName("historyOffer")
        offer_row = QHBoxLayout(self.history_offer)
        offer_row.setContentsMargins(0, 0, 0, 0)
        self.history_offer_label = QLabel(HISTORY_OFFER)
        self.history_offer_label.setWordWrap(True)
        self.history_offer_button = QPushButton("Enter the medicines you tried &before…")
        self.history_offer_button.setObjectName("historyOfferButton")
        self.history_offer_button.setToolTip("Your history: past trials, one after another (Add ▸ Your history)")
        self.history_offer_button.clicked.connect(self.add_history)
        offer_row.addWidget(self.history_offer_label, 1)
        offer_row.addWidget(self.history_offer_button, 0, Qt.AlignVCenter)
        self.history_offer.hide()

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(demo_row)
        column.addWidget(self.history_offer)
        column.addWidget(self.splitter, 1)
        self._column = column
        self.setCentralWidget(central)

        self.assessment_panel = None  # made with the lists (_build_journal_views)
        self.assessment_dock = QDockWidget("Assessment", self)
        self.assessment_dock.setObjectName("assessmentDock")
        self.assessment_dock.setWidget(QWidget())
        self.assessment_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
        self.addDockWidget(Qt.RightDockWidgetArea, self.assessment_dock)

        self._build_menus()
        if session is None:
            self._enable_journal_views(False)  # nothing to show or change until the journal is open
        self.caregiver = install_caregiver_control(self)  # who is entering records: owner or a caregiver
        if session is not None:
            session.changed.connect(self._on_session_changed)

        # the periodic backup (journal.opening's schedule says when one is due)
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(60_000)
        self._backup_timer.timeout.connect(self._on_backup_timer_timeout)
        self._backup_timer.start()

        fit_to_screen(self, 1400, 900)  # a 1366x768 laptop gets a window that fits, status bar and all
        self._restore_view_state()
        fit_to_screen(self)  # a window saved on a larger screen comes back onto, and within, this one
        if not self._saved_layout:
            self._default_layout()  # the first paint already in the proportions the filled window keeps
        if session is None:
            self.statusBar().showMessage(WAITING_TEXT)
            return
        self._build_journal_views()
        self.statusBar().showMessage(READY_TEXT)

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
        self.profile_action = self._action(
            "Your na&me and birth year…", self._on_profile_triggered, tip="The name and birth year the appointment report can show"
        )
        self.journal_menu.addAction(self.profile_action)
        self.own_journal_action = None
        if self.demo:
            self.own_journal_action = self._action(
                "Start my own &journal…", self._on_own_journal_triggered, tip="Close the demo and make or open your own journal"
            )
            self.journal_menu.addAction(self.own_journal_action)
        self.journal_menu.addSeparator()
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
            "history": self._action(
                "Your &history (past trials, one after another)…",
                self.add_history,
                "Ctrl+Shift+H",
                tip="Enter the medicines you took before, one after another, as you remember them",
            ),
            "therapies": self._action("Ps&ychotherapy course…", lambda: self.add_record("therapies")),
            "phq9": self._action("&PHQ-9 (depression)…", lambda: self.add_record("scores", _dialog_class("phq9")), "Ctrl+P"),
            "gad7": self._action("&GAD-7 (anxiety)…", lambda: self.add_record("scores", _dialog_class("gad7")), "Ctrl+G"),
            "checkins": self._action("&Daily check-in…", lambda: self.add_record("checkins"), "Ctrl+D"),
            "totals": self._action(
                "&Clinician-rated score (QIDS-SR16, MADRS, HAMD-17)…",
                lambda: self.add_record("scores", _dialog_class("totals")),
                "Ctrl+Shift+R",
            ),
            "episodes": self._action("&Episode…", lambda: self.add_record("episodes"), "Ctrl+Shift+E"),
            "sessions": self._action(
                "Treatment &session (esketamine, ketamine, ECT, rTMS)…", lambda: self.add_record("sessions"), "Ctrl+K"
            ),
            "labs": self._action("&Lab result…", lambda: self.add_record("labs"), "Ctrl+L"),
            "conditions": self._action("C&ondition…", lambda: self.add_record("conditions"), "Ctrl+Shift+O"),
            "notes": self._action("&Note for the next appointment…", lambda: self.add_record("notes"), "Ctrl+N"),
        }
        for key, action in self.add_actions.items():
            self.add_menu.addAction(action)
            if key in ("therapies", "checkins", "totals"):
                self.add_menu.addSeparator()

        self.edit_menu = bar.addMenu("&Edit")
        # an empty stack stands in while the journal is being opened; set_session brings the real one
        stack = self.session.undo_stack if self.session is not None else QUndoStack(self)
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
        for action in (self.timeline_panel.earlier_action, self.timeline_panel.later_action, self.timeline_panel.table_action):
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
        self.help_action = self._action("&Help: shortcuts, where your data lives, the rule", self._on_help_triggered, QKeySequence("F1"))
        self.help_dialog = None  # made when first asked for
        self.about_action = self._action("&What the journal does", self._on_about_triggered)
        self.crisis_action = self._action("&Crisis lines", self._on_crisis_triggered)
        self.help_menu.addAction(self.help_action)
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

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # queued: the rest of the window is painted and on screen before anything heavy runs
            QTimer.singleShot(0, self, self._on_first_paint_done)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        # should a platform never paint the frame itself, the journal still opens
        QTimer.singleShot(1000, self, self._on_first_paint_done)

    def _build_journal_views(self, *, fill: bool = True) -> None:
        """Put the record lists in their tabs and the assessment in its panel, in place of the empty pages the window first paints;
        filled from the journal shown, unless `fill` is False."""
        if self.lists:
            return
        from ui.assessment_panel import AssessmentPanel
        from ui.tables import RecordListPanel

        self.assessment_panel = AssessmentPanel(self.session)
        placeholder = self.assessment_dock.widget()
        self.assessment_dock.setWidget(self.assessment_panel)
        placeholder.deleteLater()
        current = self.tabs.currentIndex()
        for index, kind in enumerate(KINDS):
            panel = RecordListPanel(kind, self.session, TAB_TITLES[kind])
            panel.add_requested.connect(self._on_list_add_requested)
            panel.edit_requested.connect(self._on_list_edit_requested)
            panel.delete_requested.connect(self._on_list_delete_requested)
            self.lists[kind] = panel
            page = self.tabs.widget(index)
            self.tabs.insertTab(index, panel, TAB_TITLES[kind])
            self.tabs.removeTab(index + 1)
            page.deleteLater()
        self.tabs.setCurrentIndex(current)
        self._crisis_panel()
        if fill and self.session is not None and self._journal_shown:
            for panel in self.lists.values():
                panel.refresh()
            self.assessment_panel.refresh()
            self._update_history_offer()

    def _crisis_panel(self):
        """The crisis resources above the chart: hidden until an answer or Help ▸ Crisis lines calls for them."""
        if self.crisis_banner is None:
            from ui.crisis import CrisisPanel

            self.crisis_banner = CrisisPanel(dismissable=True)
            self.crisis_banner.hide()
            self._column.insertWidget(1, self.crisis_banner)
        return self.crisis_banner

    def _on_first_paint_done(self) -> None:
        if self._first_paint_done:
            return
        self._first_paint_done = True
        # A saved layout can hold a dock squeezed to a sliver (saved while it was still empty): give it room to read.
        squeezed = self.assessment_dock.width() < 24 * self.fontMetrics().averageCharWidth()
        if not self._saved_layout or squeezed:
            self._default_layout()  # docks take their size only once the window is laid out on screen
        had_session = self.session is not None
        self.first_painted.emit()  # start-up opens the journal now and calls set_session()
        if had_session:
            self._draw_chart()  # matplotlib is loaded only now, so opening never waits for the chart

    def _draw_chart(self, *, ready: bool = True) -> None:
        if self.session is None or not self._journal_shown:
            return  # locked (or closed) before the chart's turn came: it is drawn on unlocking
        self.timeline_panel.set_look(dark=self.look.dark, font_scale=self._chart_font_scale())
        self.timeline_panel.rebuild()
        if ready:
            self.chart_ready.emit()

    def build_chart_now(self) -> None:
        """Draw the chart without waiting for the first paint (screenshots and tests)."""
        if self.timeline_panel.timeline is None:
            self._first_paint_done = True
            if not self._saved_layout:
                self._default_layout()
            self._draw_chart()

    def _default_layout(self) -> None:
        """Room for the lists under the chart and a readable assessment panel, in proportion to the text size.

        On a small screen or at a large text size the panel never takes more than a third of the
        width, and the chart keeps two thirds of the height: its words wrap, it never squeezes the chart.
        """
        chars = self.fontMetrics().averageCharWidth()
        self.resizeDocks([self.assessment_dock], [min(max(360, 46 * chars), self.width() // 3)], Qt.Horizontal)
        self.splitter.setSizes([640, 320])

    def _chart_font_scale(self) -> float:
        """The chart's text grows with the window's, but stops at 125 %: at 150 % and 200 % its legend and
        labels would take the room of the chart itself (the window's own text still grows to 200 %)."""
        return min(self.look.text_scale, CHART_TEXT_SCALE_MAX)

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
        fit_to_screen(self)  # larger text never pushes the window (its status bar, its panel) off the screen
        self._default_layout()
        if self._journal_shown:
            for panel in self.lists.values():
                panel.refresh()  # column widths follow the text size
        self.timeline_panel.set_look(dark=self.look.dark, font_scale=self._chart_font_scale())

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        # the desktop switched between light and dark while the window is open
        if event.type() == event.Type.PaletteChange and self._first_paint_done:
            self.timeline_panel.set_look(dark=self.look.dark, font_scale=self._chart_font_scale())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.closing.emit()
        if self.import_worker is not None:
            self.import_worker.wait()  # an import half-way is finished (or undone whole) before the window goes
        self.save_view_state()
        super().closeEvent(event)

    # -- adding, editing, deleting ----------------------------------------------------------------

    def _dialog_for(self, kind: str, record=None):
        if kind == "scores":
            if record is not None and record.items:
                return _dialog_class("questionnaire")
            return _dialog_class("totals")
        return _dialog_class(kind)

    def add_record(self, kind: str, dialog_class=None):
        """Open the form for a new record of `kind`; returns the stored record, or None when cancelled."""
        if kind == "checkins" and dialog_class is None:
            from ui.checkin_dialog import TodayCheckInBox, todays_checkin

            today = todays_checkin(self.session)
            if today is not None:
                # a second check-in today is most often a change to the first: offer to edit it
                choice = TodayCheckInBox.ask(self)
                if choice is None:
                    return None
                if choice == "edit":
                    return self.edit_record(kind, today.id)
        dialog_class = dialog_class or self._dialog_for(kind)
        saved = dialog_class.ask(self, self.session)
        if saved is not None:
            self._after_saved(kind, saved, f"{_ADDED_WORDS[kind]} added.")
        return saved

    def add_history(self) -> list:
        """Your history: past trials entered one after another; each one added is a step Ctrl+Z undoes."""
        if self.session is None or not self._journal_shown:
            return []
        added = _dialog_class("history").ask(self, self.session)
        if added:
            self._build_journal_views()
            self.tabs.setCurrentWidget(self.lists["trials"])
            self.lists["trials"].select_id(added[-1].id)
            count = len(added)
            self.statusBar().showMessage(
                f"{count} past trial{'s' if count != 1 else ''} added. Ctrl+Z undoes the last one, each press one more."
            )
        return added

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
        self._build_journal_views()  # (saved in the moment between the chart's first paint and the lists)
        self.tabs.setCurrentWidget(self.lists[kind])
        self.lists[kind].select_id(saved.id)
        self.statusBar().showMessage(f"{message} Ctrl+Z undoes it.")
        from journal.records import ScaleScore

        if isinstance(saved, ScaleScore):
            from journal.clinical.scales import crisis_answer_given

            if crisis_answer_given(saved.scale, saved.items):
                # the form showed it already; the window keeps it in view (and the focus on it) until it is read
                panel = self._crisis_panel()
                panel.set_for_caregiver(bool(self.session.author))
                panel.alert()

    def current_list(self) -> RecordListPanel:
        self._build_journal_views()  # (a shortcut pressed in the moment before the window finished its first paint)
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
        self.timeline_panel.focus_chart()

    def _on_lists_focus_triggered(self) -> None:
        self.current_list().table.setFocus(Qt.ShortcutFocusReason)

    # -- refreshing what changed -------------------------------------------------------------------

    def _on_session_changed(self, changes: Changes) -> None:
        """Update only the views that one step changed: that kind's list, and the assessment and chart when it moves them."""
        if not self.lists:
            return  # the lists are not made yet: they read the journal when they are
        for kind, panel in self.lists.items():
            if changes.touches(kind):  # the trials list also follows the assessment (adequacy and outcome)
                panel.refresh()
        if changes.assessment and self.assessment_panel is not None:
            self.assessment_panel.refresh()
        if changes.chart and self.timeline_panel.timeline is not None:
            self.timeline_panel.show_changes(changes)  # new points on the lines drawn, or the chart drawn again
        if changes.touches("trials"):
            self._update_history_offer()

    def _update_history_offer(self) -> None:
        """Offer the quick history entry while the journal shown has no trials (hidden once one is added, back on undo)."""
        empty = self.session is not None and self._journal_shown and not self.session.records("trials")
        self.history_offer.setVisible(empty)

    # -- journal file actions ----------------------------------------------------------------------

    def _on_import_triggered(self) -> None:
        path = FileChooser.open_path(self, "Import a journal file", "Journal files (*.json)")
        if not path:
            return
        from journal.exchange.importing import import_file
        from ui.worker import Worker

        access = self.session.access
        journal = self.session.journal
        # an import is a big change: the journal as it was is kept first
        backup = (lambda: access.backup("import")) if access is not None else None
        # the journal's file is read and written off the window's thread; until it ends nothing
        # else may change the journal, and the periodic backup and the auto-lock wait for it
        self._enable_journal_views(False)
        self.statusBar().showMessage("Importing the file…")
        worker = Worker(lambda progress: import_file(journal, path, backup=backup, progress=progress), self, uses_journal=True)
        worker.progressed.connect(self._on_import_progressed)
        worker.succeeded.connect(self._on_import_done)
        worker.failed.connect(self._on_import_failed)
        worker.finished.connect(self._on_import_finished)
        self.import_worker = worker.start()

    def _on_import_progressed(self, progress) -> None:
        if progress.done is not None and progress.total:
            self.statusBar().showMessage(f"Importing the file… {progress.done:,} of {progress.total:,} records")

    def _on_import_finished(self) -> None:
        self.import_worker = None
        self._enable_journal_views(True)

    def _on_import_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        if isinstance(exc, ValidationError):
            shown = "\n".join(f"• {p}" for p in exc.problems[:30])
            more = f"\n… and {len(exc.problems) - 30} more." if len(exc.problems) > 30 else ""
            Notice.show(
                self,
                "Nothing was imported",
                f"The file has {len(exc.problems)} problem(s); the journal is as it was.\n\n{shown}{more}",
                warning=True,
            )
        elif isinstance(exc, JournalError):
            Notice.show(self, "Nothing was imported", str(exc), warning=True)
        else:  # a fault of this program: the import is one transaction, so nothing of it was stored
            Notice.show(self, "Nothing was imported", "Something went wrong while importing; the journal is as it was.", warning=True)

    def _on_import_done(self, outcome) -> None:
        access = self.session.access
        # an import is not undoable record by record; the undo history would no longer match
        self.session.undo_stack.clear()
        if access is not None:
            access.note_change()
        self.session.reload()
        warnings = "\n".join(f"• {w}" for w in outcome.warnings[:20])
        self.statusBar().showMessage("The file was imported.")
        if warnings:
            Notice.show(self, "Imported, with notes", f"The file was imported. Worth a look:\n\n{warnings}")

    def _on_export_triggered(self) -> None:
        path = FileChooser.save_path(self, "Export the journal", "Journal files (*.json)")
        if not path:
            return
        from journal.exchange.exporting import export_contents

        if not path.endswith(".json"):
            path += ".json"
        from ui.save_target import confirm_save_target, journal_path_of

        if not confirm_save_target(self, path, journal_path_of(self.session)):
            return
        try:
            export_contents(self.session.journal.contents(), path, "json")
        except JournalError as exc:  # names the file and why (journal.files.atomic), never a temporary file
            Notice.show(self, "Not exported", f"{exc} Nothing else changed.", warning=True)
            return
        except OSError as exc:
            Notice.show(self, "Not exported", f"The file could not be written: {exc.strerror or exc}. Nothing else changed.", warning=True)
            return
        self.statusBar().showMessage("The journal was exported. The file holds your health data: keep it somewhere private.")

    def _on_own_journal_triggered(self) -> None:
        """From the demo: close it (it is deleted) and let start-up make or open the person's own journal."""
        self.wants_own_journal = True
        self.own_journal_requested.emit()
        self.close()

    def _on_profile_triggered(self) -> None:
        from ui.profile_dialog import ProfileDialog

        if ProfileDialog.ask(self, self.session) is not None:
            self.statusBar().showMessage("Your name and birth year were saved in the journal. Ctrl+Z undoes it.")

    def _on_help_triggered(self) -> None:
        from ui.help import HelpDialog

        if self.help_dialog is None:
            self.help_dialog = HelpDialog(self)
        else:
            self.help_dialog.refresh()
        self.help_dialog.show()
        self.help_dialog.raise_()
        self.help_dialog.activateWindow()

    def _on_about_triggered(self) -> None:
        from ui.welcome import WelcomeDialog

        if WelcomeDialog.ask(self, offer_history=self._journal_shown) == "history":
            self.add_history()

    def _on_crisis_triggered(self) -> None:
        panel = self._crisis_panel()
        panel.set_for_caregiver(False)  # asked for from the menu, not after an answer a caregiver entered
        panel.alert()

    def _on_backup_timer_timeout(self) -> None:
        access = self.session.access if self.session is not None else None
        if access is None:
            return
        from ui.worker import journal_work_running

        if journal_work_running():
            return  # a backup, restore or import is at work on the file: the next tick makes the periodic one
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
        self.statusBar().showMessage(READY_TEXT)

    def clear_views(self) -> None:
        """Empty every view of health data (when the journal locks); set_session() fills them again."""
        for panel in self.lists.values():
            panel.model.clear()
        if self.assessment_panel is not None:
            self.assessment_panel.clear()
        self.timeline_panel.clear()
        if self.crisis_banner is not None:
            self.crisis_banner.hide()
        self.history_offer.hide()
        if self.help_dialog is not None:
            self.help_dialog.hide()  # it names the journal's file
        self.session.undo_stack.clear()
        self._journal_shown = False
        self._enable_journal_views(False)
        self.statusBar().clearMessage()
        self.statusBar().showMessage(LOCKED_TEXT)

    def set_session(self, session: JournalSession) -> None:
        """Show another open journal (after unlocking, say, or the one start-up opened): every view is rebuilt from it."""
        old = self.session
        if old is not None:
            old.changed.disconnect(self._on_session_changed)
        # Start-up: the chart with its data is what the person waits for, so it is drawn first; the
        # lists and the assessment panel are made and filled once it is on screen (_fill_views).
        chart_first = self.timeline_panel.canvas is None and self._first_paint_done
        if not chart_first:
            self._build_journal_views()  # the lists and the assessment panel come with the first journal shown
        self.session = session
        for panel in self.lists.values():
            panel.model.session = session
        if self.assessment_panel is not None:
            self.assessment_panel.session = session
        self.timeline_panel.session = session
        session.changed.connect(self._on_session_changed)
        self._rewire_undo(session)
        self._journal_shown = True
        self._enable_journal_views(True)
        if chart_first:
            self._draw_chart(ready=False)
            self.timeline_panel.when_painted(lambda: self._fill_views(session))
        else:
            session.reload()
            if self.timeline_panel.canvas is not None:
                self.timeline_panel.rebuild()
        if old is None:
            self.statusBar().showMessage(READY_TEXT)
        self.session_shown.emit(session)

    def _fill_views(self, session: JournalSession, panels: list[RecordListPanel] | None = None) -> None:
        """Make the lists and the assessment panel for the journal start-up opened, then fill them, the list on show
        first: one piece per turn of the event loop, so the window answers the keyboard and mouse in between."""
        if session is not self.session or not self._journal_shown:
            return  # locked or replaced meanwhile: set_session fills the next one
        if panels is None:
            self._build_journal_views(fill=False)
            panels = list(self.lists.values())
            QTimer.singleShot(0, self, lambda: self._fill_views(session, panels))
            return
        current = self.tabs.currentWidget()
        if panels:
            panel = next((p for p in panels if p is current), panels[0])
            panels.remove(panel)
            panel.refresh()
            QTimer.singleShot(0, self, lambda: self._fill_views(session, panels))
            return
        if self.assessment_panel is not None:
            self.assessment_panel.refresh()
        self._update_history_offer()
        self.chart_ready.emit()

    def _enable_journal_views(self, on: bool) -> None:
        """Let the person see and change the journal, or not (while it is being opened, or locked)."""
        self.centralWidget().setEnabled(on)
        self.assessment_dock.setEnabled(on)
        for action in (*self.add_actions.values(), self.import_action, self.export_action, self.profile_action):
            action.setEnabled(on)
        for installed in (self.appointment_action, self.diary_import_action):
            if installed is not None:
                installed.setEnabled(on)

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
