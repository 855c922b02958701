"""Fonts for a computer that has none Qt can find: the window then uses the DejaVu Sans that matplotlib carries.

Qt draws text with the system's fonts and ships none of its own. A minimal Linux (a fresh container, a bare
window manager) can have no font at all, and the window would then show every letter as an empty box, while the
chart, drawn by matplotlib with its own DejaVu fonts, stays readable. The same files serve the window: they are in
the desktop bundle (matplotlib's mpl-data) and in every pip install. The system's fonts are used whenever the
window's font can draw a letter: this only fills the gap.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

FAMILY = "DejaVu Sans"
# Regular, bold, oblique and bold oblique: the window uses bold headings and italic notes.
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")


def carried_font_folder() -> Path | None:
    """matplotlib's folder of TrueType fonts, found without importing matplotlib (it loads after the first paint)."""
    places: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None:
        places += [Path(p) for p in (spec.submodule_search_locations or ())]
    bundled = getattr(sys, "_MEIPASS", None)  # the desktop bundle's own folder
    if bundled:
        places.append(Path(bundled) / "matplotlib")
    for place in places:
        folder = place / "mpl-data" / "fonts" / "ttf"
        if (folder / FILES[0]).is_file():
            return folder
    return None


def ensure_fonts(app, *, folder: Path | None = None) -> bool:
    """When the window's font has no letter to draw (no font file on this computer), registers the carried DejaVu Sans
    and makes it the window's font; returns whether it did. Call after the QApplication is made and before anything
    remembers its font. fontconfig lists its generic names ("Sans Serif", ...) even with no font behind them, so the
    test is whether the font holds the letter A."""
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    if QFontMetrics(app.font()).inFont("A"):
        return False
    folder = folder or carried_font_folder()
    if folder is None:
        return False
    added = [QFontDatabase.addApplicationFont(str(folder / name)) for name in FILES if (folder / name).is_file()]
    if not any(font_id >= 0 for font_id in added):
        return False
    font = QFont(app.font())
    font.setFamily(FAMILY)
    app.setFont(font)
    return True
