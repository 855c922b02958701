"""Words a screen reader speaks without the focus moving: Qt's announcement event (Qt 6.8 and later), else an alert event."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget

try:  # Qt 6.8 and later
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # pragma: no cover - older Qt
    QAccessibleAnnouncementEvent = None


def announce(widget: QWidget, message: str, *, assertive: bool = False) -> None:
    """Have a screen reader say `message` now, on behalf of `widget`; `assertive` interrupts what it is reading.

    Polite for news such as "12 of 40 scores shown"; assertive only for what cannot wait (the crisis lines).
    """
    if not message:
        return
    if QAccessibleAnnouncementEvent is not None:
        event = QAccessibleAnnouncementEvent(widget, message)
        event.setPoliteness(
            QAccessible.AnnouncementPoliteness.Assertive if assertive else QAccessible.AnnouncementPoliteness.Polite
        )
    else:  # pragma: no cover - older Qt: the alert role's event makes the widget's name and description read out
        event = QAccessibleEvent(widget, QAccessible.Event.Alert)
    QAccessible.updateAccessibility(event)
