"""Every window and dialog fits the screen it opens on: never larger than the space the desktop leaves free, never off its edge.

A window asks for the size it would like (`fit_to_screen(window, 760, 820)`); on a small laptop screen, or
at a large text size, it gets at most the available area (the taskbar and panels left out) and its
content scrolls, while the dialog's button row stays in view.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# room left for the title bar and borders the desktop draws around a window (not known before it is shown)
FRAME_ALLOWANCE = QSize(16, 48)


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen a window may use (tests replace this to act as a small screen)."""
    screen = widget.screen() if widget.screen() is not None else QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(0, 0, 1024, 700)
    return screen.availableGeometry()


def _frame_extra(window: QWidget) -> QSize:
    frame, inner = window.frameGeometry(), window.geometry()
    extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if window.isVisible() and extra.height() > 0:
        return extra
    return QSize(max(extra.width(), FRAME_ALLOWANCE.width()), max(extra.height(), FRAME_ALLOWANCE.height()))


def room_for(window: QWidget) -> QSize:
    """The largest size the window's own area may take on its screen, frame included."""
    area = available_geometry(window)
    extra = _frame_extra(window)
    return QSize(max(200, area.width() - extra.width()), max(200, area.height() - extra.height()))


def fit_to_screen(window: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Give the window the size it asks for (or keeps), bounded by its screen, and keep it on the screen.

    A top-level layout never lets a window shrink below what its content needs; forms therefore keep
    their fields in a scrolling area (ui.forms.RecordDialog), so the bound can always be met.
    """
    room = room_for(window)
    wanted = QSize(width if width is not None else window.width(), height if height is not None else window.height())
    size = wanted.boundedTo(room).expandedTo(window.minimumSize().boundedTo(room))
    window.resize(size)
    keep_on_screen(window)


def keep_on_screen(window: QWidget) -> None:
    """Move the window so that all of it, frame included, lies inside the available area."""
    area = available_geometry(window)
    extra = _frame_extra(window)
    outer = QSize(window.width() + extra.width(), window.height() + extra.height())
    pos = window.frameGeometry().topLeft() if window.isVisible() else window.pos()
    x = min(max(pos.x(), area.left()), area.left() + max(0, area.width() - outer.width()))
    y = min(max(pos.y(), area.top()), area.top() + max(0, area.height() - outer.height()))
    if QPoint(x, y) != pos:
        window.move(x, y)
