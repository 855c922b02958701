"""Starting the window: the default journal (with a welcome on first run) or a labelled demo in a private temporary folder."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEM = 2

def no_display_message() -> str:
    """What to say when Linux has no display: the window cannot open, and every command that works without it."""
    from journal.cli import commands_overview

    return (
        "trial-journal: no display is available (DISPLAY and WAYLAND_DISPLAY are not set), so the window cannot open.\n"
        "Everything else works from the command line:\n"
        f"{commands_overview()}\n"
        "(each takes --journal PATH; dates are written YYYY-MM-DD; see trial-journal --help)"
    )


def display_available(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """False on Linux with no X11 or Wayland display and no Qt platform chosen (a server, an SSH session)."""
    if not platform.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


def run(
    argv: Sequence[str] | None = None,
    *,
    journal_path: str | os.PathLike[str] | None = None,
    demo: bool = False,
    passphrase_file: str | None = None,
    tray: bool = False,
) -> int:
    """Open the window and return the exit status when it closes (2 when it could not open).

    `argv` are extra arguments for Qt (usually none); `journal_path` defaults to the journal
    in the person's data folder; `demo` opens a made-up journal in a temporary folder instead;
    `tray` (the login entry's --tray) puts the window in the tray once the journal is open.
    """
    if not display_available():
        print(no_display_message(), file=sys.stderr)
        return EXIT_PROBLEM
    from ui.window_libraries import window_problem

    problem = window_problem()  # a missing X11 library would make Qt abort with a core dump
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_PROBLEM

    from journal.files.hygiene import apply_private_umask

    apply_private_umask()  # before anything is written: every file and folder is the user's alone

    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:  # Qt's own libraries need a system library that is not installed
        from ui.window_libraries import library_in_import_error, missing_library_message

        missing = library_in_import_error(exc)
        if missing is None:
            raise
        print(missing_library_message([missing], what="Qt"), file=sys.stderr)
        return EXIT_PROBLEM

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "trial-journal", *(argv or ())])
    app.setApplicationName("Trial Journal")
    app.setOrganizationName("TrialJournal")
    app.setApplicationDisplayName("Trial Journal")
    app.setDesktopFileName("trial-journal")  # the launcher's name: its icon and name stand for the window in the dock

    from ui.first_paint import install_if_asked

    watcher = install_if_asked(app)  # noqa: F841 (the benchmarks' first-paint report; kept alive while the loop runs)

    from ui.fonts import ensure_fonts

    ensure_fonts(app)  # a computer with no fonts at all gets the DejaVu Sans matplotlib carries, not empty boxes

    from PySide6.QtCore import QTimer

    from ui.icon import app_icon

    # drawn once the event loop runs (about 13 ms of SVG and PNG): the first paint does not wait for the title bar's icon
    QTimer.singleShot(0, lambda: app.setWindowIcon(app_icon()))

    from ui.theme import Look

    look = Look(app)
    look.apply()
    with _quit_on_signals(app):
        if demo:
            return _run_demo(app, look, journal_path, passphrase_file)
        return _run_journal(app, look, journal_path, passphrase_file, tray=tray)


@contextmanager
def _quit_on_signals(app):
    """Ctrl+C or a polite kill closes the window the normal way, so the demo folder is removed and the journal backed up."""
    import signal

    from PySide6.QtCore import QTimer

    names = [n for n in ("SIGINT", "SIGTERM") if hasattr(signal, n)]
    previous = {n: signal.getsignal(getattr(signal, n)) for n in names}
    for name in names:
        # queued, so a signal that comes while the window is still being built is not lost
        signal.signal(getattr(signal, name), lambda *_args: QTimer.singleShot(0, app.quit))
    # Python runs a signal handler only when it gets control back from Qt's event loop
    timer = QTimer()
    timer.setInterval(300)
    timer.timeout.connect(lambda: None)
    timer.start()
    try:
        yield
    finally:
        timer.stop()
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _show_then_open(app, window, open_step) -> int:
    """Paint the window at once, then run `open_step` and the event loop; returns the exit status.

    The window is shown empty ("Opening your journal…"): the journal, the lists and, after
    them, matplotlib for the chart come only once it is on screen. `open_step` puts the journal
    in the window and returns None, or returns an exit status when the window should go instead
    (the person cancelled, the journal could not be opened). A fault in it ends the event loop
    and is raised here, as it was when the journal was opened before the window.
    """
    from PySide6.QtCore import QThread

    outcome: dict = {}

    def _on_window_first_painted() -> None:
        try:
            status = open_step()
        except BaseException as exc:  # noqa: BLE001 - raised again below, outside the event loop
            outcome["error"] = exc
            status = EXIT_PROBLEM
        if status is not None:
            outcome["status"] = status
            window.hide()  # never used: its size and place are not remembered
            window.deleteLater()
            if QThread.currentThread().loopLevel() > 0:  # leaving a loop that is not running would stop the next one
                app.exit(status)

    window.first_painted.connect(_on_window_first_painted)
    window.show()
    code = app.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("status", code)


def _run_demo(app, look, journal_path=None, passphrase_file=None) -> int:
    """The demo journal; its "Start my own journal" closes it (deleted) and then makes or opens the person's own."""
    status, wants_own_journal = _run_demo_window(app, look)
    if wants_own_journal:
        return _run_journal(app, look, journal_path, passphrase_file, after_demo=True)
    return status


def _run_demo_window(app, look):
    from ui.main_window import MainWindow

    # mkdtemp makes the folder 0700; it and everything in it go when the window closes
    folder = Path(tempfile.mkdtemp(prefix="trial-journal-demo-"))
    opened = []
    wanted = []
    try:
        window = MainWindow(None, look=look, demo=True)
        window.own_journal_requested.connect(lambda: wanted.append(True))

        def open_demo() -> None:
            from journal.demo import open_demo_journal
            from ui.appointment_dialog import install_appointment_action
            from ui.diary_import_dialog import install_diary_import_action
            from ui.reminders import install_reminders
            from ui.report_dialog import install_report_actions
            from ui.session import JournalSession

            journal = open_demo_journal(folder, today=date.today())
            opened.append(journal)
            window.set_session(JournalSession(journal, demo=True))
            install_diary_import_action(window)
            install_appointment_action(window)
            install_report_actions(window)  # the demo shows what a report looks like, too
            install_reminders(window)

        status = _show_then_open(app, window, open_demo)
        return status, bool(wanted)
    finally:
        for journal in opened:
            journal.close()
        shutil.rmtree(folder, ignore_errors=True)


def _run_journal(app, look, journal_path, passphrase_file, *, after_demo: bool = False, tray: bool = False) -> int:
    from journal.cli import default_journal_path
    from ui.main_window import MainWindow, Notice

    path = Path(journal_path).expanduser() if journal_path else default_journal_path()
    if not journal_path:
        from ui.startup_profiles import start_journal_path

        # several journals on this account: the chooser, or the only one (ui/startup_profiles.py)
        path = start_journal_path(path, passphrase_file=passphrase_file)
        if path is None:
            return EXIT_OK  # the chooser was closed: nothing opened
    new = None
    checkin_time = None
    if not path.exists() and not passphrase_file:
        from ui.passphrase_dialog import NewPassphraseDialog
        from ui.welcome import WelcomeDialog

        # first run: say what the journal is before making it, and offer the demo to look around
        # (not again when the person comes from the demo's "Start my own journal")
        choice = None if after_demo else WelcomeDialog.ask(None, offer_demo=True)
        if choice == "quit":
            return EXIT_OK  # closed from the welcome: nothing was made
        if choice == "demo":
            return _run_demo(app, look, journal_path, passphrase_file)
        checkin_time = WelcomeDialog.chosen_checkin_time if choice == "start" else None
        new = NewPassphraseDialog.ask(None)
        if new is None:
            return EXIT_OK  # cancelled before anything was made
    held = _held_elsewhere(path)
    if held is not None:
        # a second start: the window that has this journal comes forward, and none is shown here
        return _already_open(path, held, Notice)

    window = MainWindow(None, look=look)
    opened = []

    def open_journal_in_window() -> int | None:
        from PySide6.QtCore import QTimer

        from journal.errors import JournalError, JournalLockedError
        from ui.appointment_dialog import install_appointment_action
        from ui.diary_import_dialog import install_diary_import_action
        from ui.lock import install_privacy_pieces
        from ui.passphrase_dialog import RecoveryCodeDialog
        from ui.reminders import install_reminders, to_tray
        from ui.report_dialog import install_report_actions
        from ui.session import JournalSession
        from ui.single_window import WindowChannel
        from ui.startup_profiles import install_journal_switch
        from ui.sync_dialog import install_sync

        try:
            access = _open_access(path, passphrase_file, new, window)
        except JournalLockedError as exc:  # opened elsewhere in the moment since the check above
            return _already_open(path, exc, Notice, window)
        except (JournalError, OSError) as exc:
            text = str(exc) if isinstance(exc, JournalError) else f"The journal could not be opened: {exc.strerror or exc}."
            return _cannot_open(Notice, text, window)
        if access is None:
            return EXIT_PROBLEM  # the person cancelled the passphrase prompt
        opened.append(access)
        if access.recovery_code:
            RecoveryCodeDialog.show_code(access.recovery_code)  # shown once, never stored in the clear
        if checkin_time:
            # the daily check-in reminder the person asked for on the welcome, kept in the new journal
            reminders = access.journal.settings().reminders
            access.journal.update_settings(reminders=dataclasses.replace(reminders, checkin_time=checkin_time))
        window.set_session(JournalSession(access.journal, access=access))
        install_privacy_pieces(window)  # auto-lock, passphrase entries, backups and Check journal
        install_diary_import_action(window)  # Journal ▸ Import a diary from another app…
        install_appointment_action(window)  # Journal ▸ Prepare for my appointment…
        install_report_actions(window)
        install_reminders(window)  # the "Due" strip above the chart and the desktop notifications
        install_sync(window)  # Journal ▸ Sync folder…, and syncing at open, every few minutes and at close
        install_journal_switch(window)  # Journal ▸ Switch journal… (locks this one first)
        WindowChannel(access.path, window)  # a second start brings this window forward
        if tray:
            QTimer.singleShot(0, window, lambda: to_tray(window))  # started at login: out of the way until opened
        if access.folder_warning:
            QTimer.singleShot(0, window, lambda: Notice.show(window, "Where the journal is kept", access.folder_warning, warning=True))
        return None

    try:
        return _show_then_open(app, window, open_journal_in_window)
    finally:
        for access in opened:
            warning = access.close()  # backs up (when the journal checks out), closes, lets go of the lock
            if warning:
                print(f"trial-journal: {warning}", file=sys.stderr)


def _held_elsewhere(path: Path):
    """The JournalLockedError when another window or program has the journal open now, else None.

    Only a look: the lock is taken for real when the journal is opened.
    """
    from journal.errors import JournalLockedError
    from journal.safekeeping.locking import JournalLock

    if not path.parent.is_dir():
        return None
    try:
        look = JournalLock(path).acquire()
        look.release(remove=look.created)  # a look leaves nothing behind; opening makes the lock file for good
    except JournalLockedError as exc:
        return exc
    except OSError:
        return None  # opening the journal will say what is wrong
    return None


def _already_open(path: Path, exc: Exception, notice, parent=None) -> int:
    from ui.single_window import WindowChannel

    if WindowChannel.ask_to_come_forward(path):
        print("trial-journal: this journal is already open; its window was brought forward.", file=sys.stderr)
        return EXIT_OK
    return _cannot_open(notice, str(exc), parent)


def _cannot_open(notice, text: str, parent=None) -> int:
    notice.show(parent, "Trial Journal", text, warning=True)
    print(f"trial-journal: {text}", file=sys.stderr)
    return EXIT_PROBLEM


def _open_access(path: Path, passphrase_file: str | None, new, parent=None):
    """The journal opened with its one-writer lock and key; None when the person cancelled the passphrase prompt.

    `new` is the choice made for a journal that does not exist yet (journal.opening makes it).
    """
    from journal.errors import WrongPassphraseError
    from journal.opening import open_journal
    from journal.safekeeping import keystore
    from ui.passphrase_dialog import OpenPassphraseDialog

    if passphrase_file:
        return _open_or_offer_backup(path, parent, passphrase=keystore.read_passphrase(passphrase_file))
    if new is not None:
        return open_journal(path, passphrase=new.passphrase, with_recovery_code=new.recovery_code, create=True)
    passphrase = recovery = None
    while True:
        try:
            return _open_or_offer_backup(path, parent, passphrase=passphrase, recovery=recovery)
        except WrongPassphraseError as exc:  # also "a passphrase is needed", before any was typed
            message = str(exc) if (passphrase or recovery) else ""
            answer = OpenPassphraseDialog.ask(message, parent)
            if answer is None:
                return None
            passphrase, recovery = answer


class RestoreOffer:
    """A damaged journal's newest good backup, offered right where the damage is reported. Tests replace `ask`."""

    @classmethod
    def ask(cls, parent, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Warning, "The journal is damaged", text, QMessageBox.NoButton, parent)
        restore = box.addButton("&Restore this backup", QMessageBox.AcceptRole)
        box.addButton("&Quit", QMessageBox.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore


def _open_or_offer_backup(path: Path, parent, *, passphrase: str | None = None, recovery: str | None = None):
    """Open the journal; when it is damaged and has a good backup, offer to restore that backup and open it.

    Declining (or no good backup) raises the DamagedJournalError, which is shown as it is.
    """
    from journal.errors import DamagedJournalError
    from journal.opening import open_journal, restore_journal
    from ui.main_window import Notice

    try:
        return open_journal(path, passphrase=passphrase, recovery_code=recovery, create=True)
    except DamagedJournalError as exc:
        damaged = exc
        if exc.backup is None:
            raise
    backup = damaged.backup
    text = (
        f"{damaged}\n\nRestore that backup ({backup.describe()}) now? Anything entered after it was made is not "
        "in it. The damaged file is kept in the backups folder first, so nothing is lost."
    )
    if not RestoreOffer.ask(parent, text):
        raise damaged
    restore_journal(path, backup.path, passphrase=passphrase, recovery_code=recovery)
    Notice.show(parent, "Backup restored", f"The backup from {backup.describe()} was restored; the journal opens with it now.")
    return open_journal(path, passphrase=passphrase, recovery_code=recovery, create=True)


if __name__ == "__main__":
    from ui.entry import main

    sys.exit(main(sys.argv[1:]))
