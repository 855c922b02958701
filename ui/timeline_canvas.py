"""The timeline's matplotlib canvas, in a module of its own so the window paints before matplotlib is loaded."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QSizePolicy

MIN_HEIGHT = 220


class TimelineCanvas(FigureCanvasQTAgg):
    """The matplotlib canvas; arrow keys pan, and it can take keyboard focus like any control."""

    pan_requested = Signal(float)  # fraction of the visible width; negative = earlier

    def __init__(self, figure: Figure):
        super().__init__(figure)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName("Timeline chart")
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumHeight(MIN_HEIGHT)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key_Left:
            self.pan_requested.emit(-0.25)
        elif event.key() == Qt.Key_Right:
            self.pan_requested.emit(0.25)
        else:
            super().keyPressEvent(event)


def new_canvas() -> TimelineCanvas:
    """A canvas on a new figure the size the chart is built for (10 x 5 inches at 100 dpi, stretched to the panel)."""
    return TimelineCanvas(Figure(figsize=(10, 5), dpi=100))
