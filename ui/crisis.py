"""The crisis panel shown at once, every time, when PHQ-9 item 9 is answered above 0: crisis lines, the safety-plan line, the advice."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from journal.scales import CRISIS_RESOURCES


def crisis_html() -> str:
    """The panel's words, all from scales.md (through journal.scales), in the order they are shown."""
    c = CRISIS_RESOURCES
    lines = "".join(f"<li><b>{escape(line.label)}:</b> {escape(line.contact)}</li>" for line in c.lines)
    return (
        f"<p style='font-size:large'><b>{escape(c.heading)}</b></p>"
        f"<ul style='margin-top:0; margin-bottom:0'>{lines}</ul>"
        f"<p><b>{escape(c.safety_plan)}</b></p>"
        f"<p>{escape(c.advice)} {escape(c.not_an_assessment)} {escape(c.offline)}</p>"
    )


class CrisisPanel(QFrame):
    """A panel that cannot be missed: a heavy border, a heading with a sign, and the crisis lines in words."""

    dismissed = Signal()

    def __init__(self, *, dismissable: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crisisPanel")
        self.setFrameShape(QFrame.Box)
        self.setAccessibleName("Crisis resources")
        self.text_label = QLabel(crisis_html(), self)
        self.text_label.setObjectName("crisisText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.RichText)
        self.text_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.text_label.setFocusPolicy(Qt.StrongFocus)
        self.text_label.setAccessibleName("Crisis resources")
        self.text_label.setAccessibleDescription(" ".join(CRISIS_RESOURCES.text_lines()))
        # sized relative to the text, so it grows with View > Text size
        sign = QLabel("<span style='font-size:xx-large'>⚠</span>", self)
        sign.setObjectName("crisisSign")
        sign.setAlignment(Qt.AlignTop)
        sign.setAccessibleName("Important")
        row = QHBoxLayout()
        row.addWidget(sign, 0, Qt.AlignTop)
        row.addWidget(self.text_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        self.close_button = None
        if dismissable:
            self.close_button = QPushButton("I have read this", self)
            self.close_button.setAccessibleName("Close the crisis panel: I have read this")
            self.close_button.clicked.connect(self._on_close_button_clicked)
            layout.addWidget(self.close_button, 0, Qt.AlignRight)

    def text(self) -> str:
        """The panel's words as plain text (what a screen reader reads)."""
        return "\n".join(CRISIS_RESOURCES.text_lines())

    def _on_close_button_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()
