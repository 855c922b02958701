"""The short welcome shown when a new journal is made: what the journal does, and that everything stays on this computer."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QScrollArea, QTimeEdit, QVBoxLayout, QWidget

from ui.fit import fit_to_screen
from ui.forms import LeaveBox

WELCOME_HTML = """
<h2>Welcome to Trial Journal</h2>
<p>This journal helps you keep track of a long search for treatment that works:
the antidepressants you have tried, at which doses and for how long, how you felt
(PHQ-9, GAD-7 and quick daily check-ins), side effects, episodes, labs and sessions
of esketamine, ketamine, ECT or rTMS.</p>
<p>From what you write down it shows, on one timeline, when the published criteria for
treatment-resistant depression <b>appear</b> to be met, and explains every step.
It never diagnoses and never advises doses: take what it shows to your clinician.</p>
<p><b>Everything stays on this computer.</b> Nothing is sent anywhere: there is no
account, no cloud and no tracking.</p>
<p>Most of a long search happened before a journal: start with <b>Add ▸ Your history</b>
(Ctrl+Shift+H) to enter the medicines you took before, one after another, as you remember them.
A month or just a year is fine, and so is not remembering the dose; you can make them exact later.</p>
<p>Then <b>Add ▸ Trial</b> (Ctrl+T) for what you take now, or <b>Add ▸ PHQ-9</b> (Ctrl+P).
Every change can be undone with Ctrl+Z.</p>
"""
DEMO_OFFER = (
    "<p>Would you like to look around first? The demo journal holds a made-up story; "
    "it is deleted when you close it, and your own journal is made the next time you start.</p>"
)


class WelcomeDialog(QDialog):
    """Shown on the first run, before the journal is made (it can offer the demo); Help ▸ What the journal does shows it later."""

    # the check-in reminder's time chosen on the last welcome that started a journal ("20:00"), or None
    chosen_checkin_time: str | None = None

    def __init__(self, parent: QWidget | None = None, *, offer_demo: bool = False, offer_history: bool = False):
        super().__init__(parent)
        self.choice = "start"
        self.first_run = offer_demo
        self.setWindowTitle("Welcome")  # the desktop adds "Trial Journal" after it
        text = QLabel(WELCOME_HTML + (DEMO_OFFER if offer_demo else ""), self)
        text.setWordWrap(True)
        text.setTextFormat(Qt.RichText)
        text.setAccessibleName("Welcome")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok, self)
        start = buttons.button(QDialogButtonBox.Ok)
        start.setText("&Start my journal" if offer_demo else "&Start")
        start.setDefault(True)
        buttons.accepted.connect(self.accept)
        if offer_demo:
            demo = buttons.addButton("Look at the &demo journal first", QDialogButtonBox.ActionRole)
            demo.clicked.connect(self._on_demo_button_clicked)
        self.history_button = None
        if offer_history:
            # shown from the window: the history can be entered straight away
            self.history_button = buttons.addButton("Enter your &history (past trials)…", QDialogButtonBox.ActionRole)
            self.history_button.clicked.connect(self._on_history_button_clicked)
        # the daily check-in reminder is offered once, here, on the first run (off unless the person ticks it)
        self.checkin_box: QCheckBox | None = None
        self.checkin_time_edit: QTimeEdit | None = None
        offer_row = None
        if offer_demo:
            self.checkin_box = QCheckBox("&Remind me to check in every day at")
            self.checkin_time_edit = QTimeEdit(QTime(20, 0))
            self.checkin_time_edit.setDisplayFormat("HH:mm")
            self.checkin_time_edit.setAccessibleName("Time of the daily check-in reminder")
            self.checkin_time_edit.setEnabled(False)
            self.checkin_box.toggled.connect(self.checkin_time_edit.setEnabled)
            offer_row = QHBoxLayout()
            offer_row.addWidget(self.checkin_box)
            offer_row.addWidget(self.checkin_time_edit)
            offer_row.addStretch(1)
        layout = QVBoxLayout(self)
        # the words scroll on a small screen or at a large text size; the buttons stay in view
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(text)
        layout.addWidget(scroll, 1)
        if offer_row is not None:
            layout.addLayout(offer_row)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def checkin_time(self) -> str | None:
        """The daily check-in reminder's time the person chose ("20:00"), or None for no reminder."""
        if self.checkin_box is None or self.checkin_time_edit is None or not self.checkin_box.isChecked():
            return None
        return self.checkin_time_edit.time().toString("HH:mm")

    def showEvent(self, event) -> None:  # noqa: N802
        fit_to_screen(self)
        super().showEvent(event)

    def reject(self) -> None:
        """Esc never starts the journal by itself: on the first run it asks whether to close Trial Journal instead."""
        if not self.first_run:
            super().reject()  # shown again from the Help menu: Esc simply closes it
            return
        if LeaveBox.ask(
            self,
            "Close Trial Journal?",
            "Nothing has been made yet. Close Trial Journal now? The welcome comes back the next time you start it.",
            "&Close Trial Journal",
            "&Stay here",
        ):
            self.choice = "quit"
            super().reject()

    def _on_demo_button_clicked(self) -> None:
        self.choice = "demo"
        self.accept()

    def _on_history_button_clicked(self) -> None:
        self.choice = "history"
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, offer_demo: bool = False, offer_history: bool = False) -> str:
        """Show the welcome modally: "demo" for the demo, "history" to enter past trials, "quit" when the person chose to close,
        else "start". Tests replace this hook."""
        dialog = cls(parent, offer_demo=offer_demo, offer_history=offer_history)
        try:
            dialog.exec()
            cls.chosen_checkin_time = dialog.checkin_time() if dialog.choice == "start" else None
            return dialog.choice
        finally:
            dialog.deleteLater()
