"""The short welcome shown when a new journal is made: what the journal does, and that everything stays on this computer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

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
<p>Start with <b>Add ▸ Trial</b> (Ctrl+T) or <b>Add ▸ PHQ-9</b> (Ctrl+P).
Every change can be undone with Ctrl+Z.</p>
"""


class WelcomeDialog(QDialog):
    """Shown once, on the first run; Help ▸ About the journal shows the same words later."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Trial Journal")
        text = QLabel(WELCOME_HTML, self)
        text.setWordWrap(True)
        text.setTextFormat(Qt.RichText)
        text.setAccessibleName("Welcome")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok, self)
        buttons.button(QDialogButtonBox.Ok).setText("Start")
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(560, 420)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> None:
        """Show the welcome modally; tests replace this hook."""
        dialog = cls(parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
