"""The app's mark (resources/trial-journal.svg and .png) as the window's and the tray's icon: no words, nothing about health."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon, QPixmap

__all__ = ["app_icon"]


def app_icon() -> QIcon:
    """The app's icon, from its PNG (and its SVG where Qt can draw SVG), for every size the desktop asks for."""
    icon = QIcon()
    folder = resources.files("resources")
    pixmap = QPixmap()
    if pixmap.loadFromData(folder.joinpath("trial-journal.png").read_bytes(), "PNG"):
        icon.addPixmap(pixmap)
    svg = folder.joinpath("trial-journal.svg")
    with resources.as_file(svg) as path:
        scalable = QIcon(str(path))
        for size in (16, 22, 24, 32, 48, 64):  # drawn sharp at the small sizes a tray and a title bar use
            small = scalable.pixmap(size, size)
            if not small.isNull():
                icon.addPixmap(small)
    return icon
