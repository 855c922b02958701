"""The crisis panel shown at once, every time, when PHQ-9 item 9 is answered above 0: crisis lines, the safety-plan line, the advice."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAccessibleWidget, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from journal.clinical.scales import CRISIS_RESOURCES, CRISIS_RESOURCES_FOR_CAREGIVER, CrisisResources
from ui.announce import announce


def crisis_resources(*, for_caregiver: bool = False) -> CrisisResources:
    """The panel's words for whoever is at the keyboard: the person themself, or a caregiver entering their answers."""
    return CRISIS_RESOURCES_FOR_CAREGIVER if for_caregiver else CRISIS_RESOURCES


def crisis_html(*, for_caregiver: bool = False) -> str:
    """The panel's words, all from scales.md (through journal.clinical.scales), in the order they are shown."""
    c = crisis_resources(for_caregiver=for_caregiver)
    lines = "".join(f"<li><b>{escape(line.label)}:</b> {escape(line.contact)}</li>" for line in c.lines)
    return (
        f"<p style='font-size:large'><b>{escape(c.heading)}</b></p>"
        f"<ul style='margin-top:0; margin-bottom:0'>{lines}</ul>"
        f"<p><b>{escape(c.safety_plan)}</b></p>"
        f"<p>{escape(c.advice)} {escape(c.not_an_assessment)} {escape(c.offline)}</p>"
    )


_ALERT_ROLE = getattr(QAccessible.Role, "AlertMessage", None) or QAccessible.Role.Alert
_factory_installed = False


def _alert_role_factory(key: str, obj):
    # a screen reader hears the panel as an alert, not as one more plain panel
    if key == "CrisisPanel" and isinstance(obj, CrisisPanel):
        return QAccessibleWidget(obj, _ALERT_ROLE)  # Qt owns it and lets it go with the panel
    return None


def _install_alert_role() -> None:
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_alert_role_factory)
        _factory_installed = True


class CrisisPanel(QFrame):
    """A panel that cannot be missed: a heavy border, a heading with a sign, and the crisis lines in words."""

    dismissed = Signal()

    def __init__(self, *, dismissable: bool = False, for_caregiver: bool = False, parent: QWidget | None = None):
        _install_alert_role()
        super().__init__(parent)
        self.for_caregiver = for_caregiver
        self.setObjectName("crisisPanel")
        self.setFrameShape(QFrame.Box)
        self.setAccessibleName("Crisis resources")
        self.text_label = QLabel(self)
        self.text_label.setObjectName("crisisText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.RichText)
        self.text_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.text_label.setFocusPolicy(Qt.StrongFocus)
        self._show_words()
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
        return "\n".join(crisis_resources(for_caregiver=self.for_caregiver).text_lines())

    def set_for_caregiver(self, for_caregiver: bool) -> None:
        """Word the panel for a caregiver entering someone's answers, or for the person themself."""
        if for_caregiver != self.for_caregiver:
            self.for_caregiver = for_caregiver
            self._show_words()

    def alert(self) -> None:
        """Show the panel so it cannot be missed by eye or by ear.

        It comes first in the reading order, takes the keyboard focus, and a screen reader says its
        words at once, interrupting whatever it was reading (an assertive announcement).
        """
        self.lower()  # first among its siblings: a screen reader reaches it before the form or the chart
        self.show()
        self.text_label.setFocus(Qt.OtherFocusReason)
        announce(self, " ".join(crisis_resources(for_caregiver=self.for_caregiver).text_lines()), assertive=True)

    def _show_words(self) -> None:
        self.text_label.setText(crisis_html(for_caregiver=self.for_caregiver))
        words = " ".join(crisis_resources(for_caregiver=self.for_caregiver).text_lines())
        self.text_label.setAccessibleDescription(words)
        self.setAccessibleDescription(words)

    def _on_close_button_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()
