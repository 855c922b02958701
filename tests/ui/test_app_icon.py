"""The app's mark: the same picture as the launcher's icon, at the sizes a title bar and a tray ask for."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from ui.icon import app_icon
from ui.reminders import _tray_icon_image

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def test_the_icon_is_the_apps_png_and_has_small_sizes(qapp):
    icon = app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 22, 32, 48, 256} <= sizes
    drawn = icon.pixmap(256, 256).toImage().convertToFormat(QImage.Format_ARGB32)
    png = QImage(str(RESOURCES / "trial-journal.png")).convertToFormat(QImage.Format_ARGB32)
    for x, y in ((128, 128), (128, 110), (20, 128), (2, 2)):  # the sun, the water, a corner left clear
        assert drawn.pixelColor(x, y) == png.pixelColor(x, y), (x, y)
    assert png.pixelColor(2, 2).alpha() == 0 and png.pixelColor(128, 110).alpha() == 255


def test_the_tray_shows_the_same_mark(qapp):
    tray = _tray_icon_image().pixmap(32, 32).toImage()
    mark = app_icon().pixmap(32, 32).toImage()
    assert tray == mark and not tray.isNull()
