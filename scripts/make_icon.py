"""Makes resources/trial-journal.png (256x256) from resources/trial-journal.svg, the app's mark.

Run it after changing the SVG: `QT_QPA_PLATFORM=offscreen python scripts/make_icon.py`. The PNG
carries the marker text X-Trial-Journal-Icon, so installing and removing the desktop entry
only ever replaces or removes the app's own icon.
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SIZE = 256
MARKER_KEY = "X-Trial-Journal-Icon"  # journal.desktop looks for it in the PNG's text


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(RESOURCES / "trial-journal.svg"))
    if not renderer.isValid():
        print("resources/trial-journal.svg could not be read as SVG", file=sys.stderr)
        return 2
    image = QImage(SIZE, SIZE, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    image.setText(MARKER_KEY, "true")
    out = RESOURCES / "trial-journal.png"
    if not image.save(str(out), "PNG"):
        print(f"could not write {out}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
