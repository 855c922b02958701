"""The `edit` benchmark: one edit in the window to every view updated, against reading the whole journal again.

The real main window runs in this process on an offscreen Qt platform, shown, with its lists,
assessment panel and chart built. One run changes one check-in through the window's session
(`session.update`, as the check-in form does) and then lets Qt finish everything that change
queued (repaints, the chart's redraw) until its event queue is idle. The baseline is what the
window did after every edit before it kept its contents up to date: read the journal again
(`journal.contents()`), work out the assessment again and rebuild every view (`session.reload()`),
then the same wait for an idle event queue.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.data import BenchJournal
from benchmarks.measure import Timing, timed


def _settle(app: Any) -> None:
    """Let Qt deliver everything queued until nothing is left (posted events, paints, deferred draws)."""
    for _ in range(3):
        app.sendPostedEvents()
        app.processEvents()


def _application(folder: Path) -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("MPLCONFIGDIR", str(folder / "mpl"))
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["trial-journal-bench"])


def edit(bj: BenchJournal, runs: int, folder: Path) -> Timing:
    """One check-in changed through the window's session until the window is idle, against `session.reload()`."""
    app = _application(folder)
    from PySide6.QtCore import QSettings

    from journal.opening import open_file
    from ui.main_window import MainWindow
    from ui.session import JournalSession

    # A copy: the edits must not change the journal the other benchmarks read.
    path = folder / f"edit-{bj.years}y.db"
    shutil.copyfile(bj.db_path, path)
    journal = open_file(path, create=False)
    window = None
    try:
        session = JournalSession(journal)
        settings = QSettings(str(folder / f"edit-{bj.years}y-window.ini"), QSettings.IniFormat)
        window = MainWindow(session, settings=settings)
        window.show()
        window.build_chart_now()
        _settle(app)
        checkin = session.contents().checkins[-1]
        moods = iter(range(10**9))

        def one_edit(_: Any) -> None:
            session.update("checkins", replace(checkin, mood=next(moods) % 11))
            _settle(app)

        def read_again(_: Any) -> None:
            session.reload()
            _settle(app)

        return timed(one_edit, baseline=read_again, runs=runs)
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
            _settle(app)
        journal.close()
        for leftover in folder.glob(f"edit-{bj.years}y*"):
            leftover.unlink(missing_ok=True)
