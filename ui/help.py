"""Help ▸ Help (F1): the keyboard shortcuts the window really has, where the journal keeps its files, and the rule it applies."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QTextBrowser, QVBoxLayout, QWidget

from ui.fit import FitsScreen

__all__ = ["HelpDialog", "help_html", "shortcut_rows"]

# Keys that belong to a control rather than to a menu entry, so no menu lists them.
CONTROL_KEYS = (
    ("In a list", "Up and Down move from record to record; Enter edits the record; Tab leaves the list"),
    ("On the chart", "Left and Right move it earlier or later"),
    ("Tabs of the lists", "Alt with the underlined letter of a tab (Alt+T trials, Alt+S scores, …)"),
    ("In a form", "Ctrl+Enter saves; Escape closes without saving"),
)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: Any) -> list[tuple[str, str, str]]:
    """(menu, entry, keys) for every menu entry that has a shortcut, read from the window's own menus."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{where} ▸ {_plain(action.menu().title())}")
                continue
            keys = [k.toString(QKeySequence.NativeText) for k in action.shortcuts() if not k.isEmpty()]
            if keys:
                rows.append((where, _plain(action.text()), " or ".join(keys)))

    for menu_action in window.menuBar().actions():
        if menu_action.menu() is not None:
            walk(menu_action.menu(), _plain(menu_action.menu().title()))
    return rows


def _data_html(window: Any) -> str:
    from journal.safekeeping.profiles import default_root

    session = getattr(window, "session", None)
    if session is not None and session.demo:
        journal = "<p>This is the demo journal: it lives in a private temporary folder and is deleted when the window closes.</p>"
    else:
        access = getattr(session, "access", None) if session is not None else None
        where = f"<p>The journal open now: <code>{escape(str(access.path))}</code>.</p>" if access is not None else ""
        journal = where + (
            "<p>Each journal is one file. Its backups are kept in the <code>backups</code> folder beside it "
            "(Journal ▸ Backups and Check journal). Further journals on this account live in "
            "<code>profiles</code>, each in a folder named by a random id, never by the person.</p>"
        )
    root = escape(str(default_root()))
    settings = getattr(window, "qsettings", None)
    settings_file = f" (<code>{escape(settings.fileName())}</code>)" if settings is not None else ""
    return (
        f"<p>The data folder: <code>{root}</code>. The default journal is <code>journal.db</code> there.</p>"
        + journal
        + "<p>Nothing is sent anywhere. The window's own settings"
        + settings_file
        + " hold only its size, layout, theme, text size and idle time: no health data and no file names.</p>"
    )


def _rule_html(window: Any) -> str:
    from journal.clinical.assessment import rule_text
    from journal.records import Settings

    session = getattr(window, "session", None)
    settings = session.settings() if session is not None and getattr(window, "_journal_shown", True) else Settings()
    from ui.assessment_panel import NOT_A_DIAGNOSIS

    return (
        "<p>The journal marks when the criteria for treatment-resistant depression <b>appear</b> to be met, "
        "by this rule and the settings chosen in the assessment panel:</p>"
        f"<p>{escape(rule_text(settings))}</p>"
        f"<p>{escape(NOT_A_DIAGNOSIS)}</p>"
    )


def help_html(window: Any) -> str:
    """The help page for `window`: everything in it is read from what the window and the journal do."""
    from journal.clinical.scales import CRISIS_RESOURCES

    keys = "".join(
        f"<tr><td>{escape(entry)}</td><td>{escape(menu)}</td><td><b>{escape(shortcut)}</b></td></tr>"
        for menu, entry, shortcut in shortcut_rows(window)
    )
    controls = "".join(f"<tr><td>{escape(where)}</td><td colspan='2'>{escape(what)}</td></tr>" for where, what in CONTROL_KEYS)
    crisis = "".join(f"<li>{escape(str(line))}</li>" for line in CRISIS_RESOURCES.lines)
    return (
        "<h2>Keyboard shortcuts</h2>"
        "<table cellpadding='3'><tr><th align='left'>Entry</th><th align='left'>Menu</th><th align='left'>Keys</th></tr>"
        f"{keys}{controls}</table>"
        "<h2>Where your data lives</h2>"
        f"{_data_html(window)}"
        "<h2>The assessment rule</h2>"
        f"{_rule_html(window)}"
        "<h2>Crisis lines</h2>"
        f"<ul>{crisis}</ul><p>Help ▸ Crisis lines shows them in the window at any time.</p>"
    )


class HelpDialog(FitsScreen, QDialog):
    """The help page in a window of its own, beside the journal (not modal): read with the keyboard or a screen reader."""

    def __init__(self, window: Any, parent: QWidget | None = None):
        super().__init__(parent if parent is not None else window)
        self.setObjectName("helpDialog")
        self.setWindowTitle("Trial Journal help")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpText")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Help")
        self.browser.setTextInteractionFlags(Qt.TextBrowserInteraction | Qt.TextSelectableByKeyboard)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.window_shown = window
        self.refresh()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(max(640, 90 * chars), 640)

    def refresh(self) -> None:
        """Read the page again (the rule's settings or the shortcuts may have changed)."""
        self.browser.setHtml(help_html(self.window_shown))

    def text(self) -> str:
        return self.browser.toPlainText()
