"""Light, dark or the system's look, and the text size: applied to the whole application from the palette and resources/*.qss."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
THEME_LABELS = {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}
TEXT_SCALES = (1.0, 1.25, 1.5, 2.0)


def is_dark(palette: QPalette) -> bool:
    """A dark theme is one whose window colour is dark; the chart follows it."""
    return palette.color(QPalette.Window).lightness() < 128


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 37, 40), QColor(28, 28, 30), QColor(236, 236, 236)
    for group in (QPalette.Active, QPalette.Inactive):
        p.setColor(group, QPalette.Window, window)
        p.setColor(group, QPalette.WindowText, text)
        p.setColor(group, QPalette.Base, base)
        p.setColor(group, QPalette.AlternateBase, QColor(44, 44, 48))
        p.setColor(group, QPalette.ToolTipBase, QColor(50, 50, 54))
        p.setColor(group, QPalette.ToolTipText, text)
        p.setColor(group, QPalette.PlaceholderText, QColor(170, 170, 170))
        p.setColor(group, QPalette.Text, text)
        p.setColor(group, QPalette.Button, QColor(50, 50, 54))
        p.setColor(group, QPalette.ButtonText, text)
        p.setColor(group, QPalette.BrightText, QColor(255, 120, 120))
        p.setColor(group, QPalette.Link, QColor(120, 180, 255))
        p.setColor(group, QPalette.Highlight, QColor(64, 120, 200))
        p.setColor(group, QPalette.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.Light, QColor(80, 80, 86))
        p.setColor(group, QPalette.Midlight, QColor(62, 62, 68))
        p.setColor(group, QPalette.Mid, QColor(44, 44, 48))
        p.setColor(group, QPalette.Dark, QColor(20, 20, 22))
        p.setColor(group, QPalette.Shadow, QColor(0, 0, 0))
    # disabled text stays readable (grey, not invisible) for people who rely on contrast
    p.setColor(QPalette.Disabled, QPalette.Window, window)
    p.setColor(QPalette.Disabled, QPalette.Base, base)
    p.setColor(QPalette.Disabled, QPalette.Button, QColor(44, 44, 48))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor(150, 150, 150))
    return p


def _stylesheet(dark: bool) -> str:
    name = "dark.qss" if dark else "light.qss"
    folder = resources.files("resources")
    # images the style sheet draws (the dark check box's tick) are named from the resources folder
    return folder.joinpath(name).read_text(encoding="utf-8").replace("{resources}", Path(str(folder)).as_posix())


class Look:
    """Remembers the system's own palette, style and font at start, so "follow the system" can go back to them."""

    def __init__(self, app: QApplication):
        self.app = app
        self.system_palette = QPalette(app.palette())
        self.system_style = app.style().name()
        self.base_font = QFont(app.font())
        self.theme = "system"
        self.text_scale = 1.0

    def apply(self, theme: str | None = None, text_scale: float | None = None) -> None:
        if theme is not None:
            if theme not in THEMES:
                raise ValueError(f"unknown theme {theme!r}")
            self.theme = theme
        if text_scale is not None:
            self.text_scale = text_scale
        app = self.app
        if self.theme == "system":
            app.setStyle(self.system_style)
            app.setPalette(self.system_palette)
        else:
            # Fusion draws every control from the palette, so light and dark look whole
            app.setStyle(QStyleFactory.create("Fusion"))
            app.setPalette(_dark_palette() if self.theme == "dark" else app.style().standardPalette())
        font = QFont(self.base_font)
        if self.base_font.pointSizeF() > 0:
            font.setPointSizeF(self.base_font.pointSizeF() * self.text_scale)
        else:
            font.setPixelSize(round(self.base_font.pixelSize() * self.text_scale))
        app.setFont(font)
        # set again after the font: a style sheet pins the fonts of the widgets it has polished
        app.setStyleSheet(_stylesheet(is_dark(app.palette())))

    @property
    def dark(self) -> bool:
        return is_dark(self.app.palette())
