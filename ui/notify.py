"""Desktop notifications, with nothing in them that names a medicine, a scale or a score unless the person chose so.

Where a notification goes:
1. The desktop's own notifications through desktop-notifier: on Linux the freedesktop service
   over D-Bus (it shows on GNOME without a tray, and on KDE, Xfce and the rest), on macOS the
   Notification Center, on Windows a toast. It talks only to the desktop, never to a network.
   It is sent off the window's thread, so a slow notification service never freezes the window.
2. When the desktop has no such service (no D-Bus session, say), the tray icon's message
   (QSystemTrayIcon.showMessage), where the desktop has a tray.
3. With neither, nothing pops up: the window's "Due" strip still shows what is due.

A notification is text the person's screen shows to anyone near it: callers pass only the
discreet line (journal.reminders.Due.discreet, or LOCKED_NOTICE while the journal is locked).
"""

from __future__ import annotations

import os
import sys
import threading

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

__all__ = ["Notifier", "APP_TITLE", "desktop_service"]

APP_TITLE = "Trial Journal"


def desktop_service() -> bool:
    """Whether the desktop's own notifications can be reached: on Linux only with a D-Bus session; elsewhere always."""
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:
        return False
    return QDBusConnection.sessionBus().isConnected()


def _send_to_desktop(text: str) -> None:
    # desktop-notifier runs its own small event loop for the call; on this thread it touches nothing of Qt's.
    try:
        from desktop_notifier import DesktopNotifierSync

        DesktopNotifierSync(app_name=APP_TITLE).send(title=APP_TITLE, message=text)
    except Exception:  # noqa: BLE001 - a notification that cannot be shown is not an error: the strip shows what is due
        pass


class Notifier(QObject):
    """Sends one line to the desktop. `sent` keeps what was sent this run, in memory only (the window's tests read it)."""

    def __init__(self, tray: QSystemTrayIcon | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.tray = tray
        self.sent: list[str] = []

    def send(self, text: str) -> str:
        """Show `text` as a desktop notification; says where it went ("desktop", "tray" or "none")."""
        self.sent.append(text)
        if desktop_service():
            threading.Thread(target=_send_to_desktop, args=(text,), name="notification", daemon=True).start()
            return "desktop"
        tray = self.tray
        if tray is not None and tray.isVisible() and QSystemTrayIcon.supportsMessages():
            tray.showMessage(APP_TITLE, text, QIcon(), 15_000)
            return "tray"
        return "none"
