"""Every window and dialog fits the screen it opens on: never larger than the space the desktop leaves free, never off its edge.

A window asks for the size it would like (`fit_to_screen(window, 760, 820)`); on a small laptop screen, or
at a large text size, it gets at most the available area (the taskbar and panels left out) and its
content scrolls, while the dialog's button row stays in view.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget

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
    if window.windowState() & (Qt.WindowMaximized | Qt.WindowFullScreen):
        return  # the desktop already sizes it to the screen
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


class WrapLayout(QLayout):
    """Items side by side while they fit the width, wrapping onto the next line when they do not (never sideways scrolling)."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 18, line_spacing: int = 4):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's names)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientations:  # noqa: N802
        return Qt.Orientations(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = sum(i.sizeHint().width() for i in self._items) + self._spacing * max(0, len(self._items) - 1)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y = area.x(), y + line_height + self._line_spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(min(hint.width(), area.width()), hint.height())))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()


class FitsScreen:
    """Mixed in before QDialog: each time the dialog is shown it is fitted to its screen (fit_to_screen)."""

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[misc]
        fit_to_screen(self)  # type: ignore[arg-type]
