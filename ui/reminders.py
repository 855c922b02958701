"""Reminders in the window: the "Due" strip above the chart, and discreet desktop notifications while the app runs.

What is due comes from journal.reminders.due_items (the check-in, a PHQ-9 or GAD-7, the
appointment report, the next session). The strip shows each item with its action (open
today's check-in, the questionnaire, the report, the session form), "Done" and "Later". A
notification goes out when an item falls due (a dated item from 9:00), and again every 10
minutes, at most 4 times, until it is answered (done, or the thing itself recorded), put off
("Later": an hour) or marked done. What fell due while the app was closed is on the strip at
the next start.

A notification names no medicine, scale or score unless the person chose detailed words
(Journal ▸ Reminders…); while the journal is locked it says only "Trial Journal: something is
due" and the strip shows nothing until it is unlocked. What was marked done is kept in the
window's settings only as short one-way fingerprints (nothing of what was due can be read back).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as TimeOfDay
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QSystemTrayIcon, QVBoxLayout, QWidget

from journal.errors import JournalError
from journal.reminders import LOCKED_NOTICE, Due, due_items
from ui.notify import Notifier

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = [
    "DueStrip", "Reminders", "install_reminders", "make_tray", "to_tray", "bring_back",
    "REPEAT_MINUTES", "MOST_NOTICES", "LATER_MINUTES", "DETAILED_KEY",
]

REPEAT_MINUTES = 10  # a notification not answered comes back this often ...
MOST_NOTICES = 4  # ... this many times in all
LATER_MINUTES = 60  # "Later" puts an item off for this long
DATED_FROM = TimeOfDay(9, 0)  # an item with a day but no time of its own is notified from this hour
TICK_MS = 30_000
DETAILED_KEY = "reminders/detailed"  # the person chose notifications that say what is due (off: discreet)
_DONE_KEY = "reminders/done"
_DONE_KEPT = 200

_ACTION_WORDS = {
    "checkin": "Check in now…",
    "appointment": "Make the report…",
    "session": "Log the session…",
}
_TITLES = {"checkin": "Daily check-in", "questionnaire": "Questionnaire", "appointment": "Appointment", "session": "Next session"}


def _action_words(item: Due) -> str:
    if item.kind == "questionnaire":
        return f"Fill in the {item.scale or 'questionnaire'}…"
    return _ACTION_WORDS[item.kind]


def item_words(item: Due) -> str:
    """What the strip says of one item, in words (never by colour alone): what, why, and how late."""
    words = f"{_TITLES[item.kind]}: {item.why}"  # an appointment's why counts its open questions already
    if item.ask_transport and "transport" not in item.why.casefold():
        words += " Transport home arranged? No driving until the next day."
    if item.overdue_days == 1:
        words += " Overdue by a day."
    elif item.overdue_days > 1:
        words += f" Overdue by {item.overdue_days} days."
    return words


class DueStrip(QFrame):
    """One row per thing due: what and why, its action, "Done" and "Later". Hidden when nothing is due."""

    action_requested = Signal(object)  # the Due
    done_requested = Signal(object)
    later_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dueStrip")
        self.setFrameShape(QFrame.StyledPanel)
        self.setAccessibleName("Due now")
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(8, 4, 8, 4)
        self._column.setSpacing(2)
        self.rows: list[tuple[Due, QLabel, QPushButton, QPushButton, QPushButton]] = []
        self.hide()

    def show_items(self, items: list[Due]) -> None:
        """Show these items (in this order); the strip hides when there are none."""
        if [r[0] for r in self.rows] == items:
            return
        had_focus = any(w.hasFocus() for r in self.rows for w in r[2:])
        for row in self.rows:
            for widget in row[1:]:
                widget.hide()
                widget.deleteLater()
        while self._column.count():
            self._column.takeAt(0)
        self.rows = []
        for item in items:
            line = QHBoxLayout()
            label = QLabel(item_words(item))
            label.setWordWrap(True)
            act = QPushButton(_action_words(item))
            done = QPushButton("Done")
            later = QPushButton("Later")
            for button, verb in ((act, _action_words(item).rstrip("…")), (done, "Done"), (later, "Later")):
                button.setAccessibleName(f"{verb}: {_TITLES[item.kind]}")
                button.setAutoDefault(False)
            act.clicked.connect(lambda _=False, i=item: self.action_requested.emit(i))
            done.clicked.connect(lambda _=False, i=item: self.done_requested.emit(i))
            later.clicked.connect(lambda _=False, i=item: self.later_requested.emit(i))
            line.addWidget(label, 1)
            for button in (act, done, later):
                line.addWidget(button)
            self._column.addLayout(line)
            self.rows.append((item, label, act, done, later))
        self.setVisible(bool(items))
        if had_focus and self.rows:
            self.rows[0][2].setFocus()


@dataclass
class _Noticed:
    count: int
    last: datetime


class Reminders(QObject):
    """Works out what is due every half minute (and after every change), shows it on the strip, and notifies."""

    changed = Signal()  # the strip's items changed

    def __init__(self, window: MainWindow, notifier: Notifier, *, clock: Callable[[], datetime] | None = None):
        super().__init__(window)
        self.window = window
        self.notifier = notifier
        self.clock = clock or (lambda: datetime.now().replace(microsecond=0))
        self.strip = DueStrip()
        self.items: list[Due] = []  # what is due, as last worked out (kept while locked: the locked notice needs to know)
        self.shown: list[Due] = []
        self._noticed: dict[str, _Noticed] = {}
        self._later: dict[str, datetime] = {}
        self._locked = False
        self.tray: QSystemTrayIcon | None = None
        self.strip.action_requested.connect(self._on_action_requested)
        self.strip.done_requested.connect(self.mark_done)
        self.strip.later_requested.connect(self.put_off)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    # -- what is due ---------------------------------------------------------------------------------

    def _journal_open(self) -> bool:
        session = self.window.session
        access = getattr(session, "access", None) if session is not None else None
        return session is not None and not self._locked and not (access is not None and access.locked)

    def refresh(self) -> None:
        """Work out what is due now, show it, and send what notifications are due."""
        now = self.clock()
        if self._journal_open():
            session = self.window.session
            # the whole day's items, each shown and notified once its hour comes: so that while the journal is locked
            # (and cannot be read) the check-in's hour still brings the locked notice; closed under us (locking),
            # the last items stand until it opens again
            with contextlib.suppress(JournalError):
                self.items = due_items(session.contents(), now.date())
            done = self._done()
            self.shown = [
                i for i in self.items
                if self._fingerprint(i) not in done and self._later.get(i.key, now) <= now and self._come(i, now, strip=True)
            ]
        else:
            self.shown = []
        self.strip.show_items(self.shown)
        self._notify(now)
        self.changed.emit()

    def _waiting(self, now: datetime) -> list[Due]:
        """What may be notified now: due, not done, not put off, and its hour come."""
        done = self._done() if self._journal_open() else set()
        return [
            item for item in self.items
            if self._fingerprint(item) not in done and self._later.get(item.key, now) <= now and self._come(item, now)
        ]

    @staticmethod
    def _come(item: Due, now: datetime, *, strip: bool = False) -> bool:
        """Whether the item's hour has come: the check-in's time; for a notification, a dated item from 9:00 and a
        session at its time on its day (from 9:00 the day before). The strip shows a dated item all day."""
        if item.due < now.date():
            return True  # overdue
        if item.kind == "checkin":
            return item.at is None or now.time() >= item.at
        if strip:
            return True
        at = item.event_time if item.kind == "session" and item.event_day == now.date() else None
        return now.time() >= (at or DATED_FROM)

    def _notify(self, now: datetime) -> None:
        ready = self._waiting(now)
        keys = {i.key for i in ready}
        for key in [k for k in self._noticed if k not in keys]:
            del self._noticed[key]  # answered, done or put off: its count starts again if it comes back
        calling = []
        for item in ready:
            seen = self._noticed.get(item.key)
            if seen is None or (seen.count < MOST_NOTICES and now - seen.last >= timedelta(minutes=REPEAT_MINUTES)):
                calling.append(item)
        if not calling:
            return
        for item in calling:
            seen = self._noticed.get(item.key)
            self._noticed[item.key] = _Noticed((seen.count if seen else 0) + 1, now)
        self.notifier.send(self.notice_text(calling))

    def notice_text(self, items: list[Due]) -> str:
        """The one line a notification says: nothing of what is due while locked, discreet unless the person chose more."""
        if not self._journal_open():
            return LOCKED_NOTICE
        if len(items) > 1:
            return f"Trial Journal: {len(items)} things are due"
        item = items[0]
        if self.window.qsettings.value(DETAILED_KEY, False, type=bool):
            return f"Trial Journal: {item_words(item)}"
        return item.discreet

    # -- what the person does ------------------------------------------------------------------------

    def _on_action_requested(self, item: Due) -> None:
        w = self.window
        if item.kind == "checkin":
            w.add_actions["checkins"].trigger()
        elif item.kind == "questionnaire":
            w.add_actions["gad7" if item.scale == "GAD-7" else "phq9"].trigger()
        elif item.kind == "session":
            w.add_actions["sessions"].trigger()
        elif item.kind == "appointment":
            report = (w.report_actions or {}).get("report") or w.appointment_action
            if report is not None:
                report.trigger()
        self.refresh()

    def mark_done(self, item: Due) -> None:
        """Hide the item for good (its day and kind): it is not shown or notified again."""
        fingerprints = [f for f in self._stored_done() if f]
        fingerprints.append(self._fingerprint(item))
        self.window.qsettings.setValue(_DONE_KEY, fingerprints[-_DONE_KEPT:])
        self.refresh()

    def put_off(self, item: Due) -> None:
        """Hide the item for an hour; it comes back then, notifications and all."""
        self._later[item.key] = self.clock() + timedelta(minutes=LATER_MINUTES)
        self.refresh()

    # -- locking -------------------------------------------------------------------------------------

    def journal_locked(self) -> None:
        self._locked = True
        self.refresh()

    def journal_unlocked(self) -> None:
        self._locked = False
        self.refresh()

    # -- what was marked done: one-way fingerprints, by journal ---------------------------------------

    def _journal_id(self) -> str:
        session = self.window.session
        try:
            return session.contents().state.journal_id or "" if session is not None else ""
        except JournalError:
            return ""

    def _fingerprint(self, item: Due) -> str:
        return hashlib.sha256(f"{self._journal_id()}|{item.key}".encode()).hexdigest()[:20]

    def _stored_done(self) -> list[str]:
        value = self.window.qsettings.value(_DONE_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _done(self) -> set[str]:
        return set(self._stored_done())


def _tray_icon_image() -> QIcon:
    """The app's plain mark for the tray: no words, nothing that says what the app is about to someone looking on."""
    from ui.icon import app_icon

    return app_icon()


def make_tray(window: MainWindow) -> QSystemTrayIcon | None:
    """The tray icon, where the desktop has a tray: click it to open the window; its menu opens, locks or quits."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(_tray_icon_image(), window)
    tray.setToolTip("Trial Journal")
    menu = QMenu(window)
    menu.addAction("&Open Trial Journal", lambda: bring_back(window))
    if window.auto_lock is not None:
        menu.addAction(window.auto_lock.lock_action)
    menu.addSeparator()
    menu.addAction("&Quit", window.close)
    tray.setContextMenu(menu)
    tray.activated.connect(lambda reason: bring_back(window) if reason in (QSystemTrayIcon.Trigger, QSystemTrayIcon.DoubleClick) else None)
    tray.show()
    return tray


def bring_back(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


def to_tray(window: MainWindow) -> None:
    """Put the window out of the way: into the tray where there is one, else minimized to the taskbar."""
    reminders = window.reminders
    if reminders is not None and reminders.tray is not None and reminders.tray.isVisible():
        window.hide()
    else:
        window.showMinimized()


def install_reminders(
    window: MainWindow, *, notifier: Notifier | None = None, clock: Callable[[], datetime] | None = None, tray: bool = True
) -> Reminders:
    """The "Due" strip above the chart, the tray icon (where the desktop has a tray) and the notifications, following
    the window's journal, its changes and its lock."""
    icon = make_tray(window) if tray else None
    reminders = Reminders(window, notifier or Notifier(icon, parent=window), clock=clock)
    reminders.tray = icon
    column = window._column
    column.insertWidget(column.indexOf(window.splitter), reminders.strip)

    def _follow(session) -> None:
        session.changed.connect(lambda _changes: reminders.refresh())

    if window.session is not None:
        _follow(window.session)
    window.session_shown.connect(lambda session: (_follow(session), reminders.journal_unlocked()))
    lock = window.auto_lock
    if lock is not None:
        lock.locked.connect(reminders.journal_locked)
    window.reminders = reminders
    from ui.reminders_dialog import install_reminders_action  # the dialog's module reads this one's settings key

    install_reminders_action(window)
    QTimer.singleShot(0, reminders.refresh)  # what fell due while the app was closed shows at once
    return reminders
