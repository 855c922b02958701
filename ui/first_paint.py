"""The first-paint report the benchmarks read: when is the first window painted, and how much memory did it take.

With TRIAL_JOURNAL_FIRST_PAINT_REPORT set to a number of seconds, the program prints `FIRST_PAINT <heavy libraries
already loaded>` the moment its first top-level window gets its first paint event, keeps running that many seconds
(so work deferred until after the first paint is counted), prints `MAXRSS <kB>` and leaves at once, without the
backup on close. The benchmarks time the desktop bundle this way, a program they cannot put code into, and the
pip-installed program the same way beside it. Nothing of the journal is printed: only those two marker lines.

The variable is read once, at the window's start; without it nothing is installed and the window runs as always.
"""

from __future__ import annotations

import os
import sys

ENV = "TRIAL_JOURNAL_FIRST_PAINT_REPORT"
# Heavy libraries the window should load only after the first paint (or off the GUI thread);
# the marker line names those already imported when the window first paints.
WATCHED = ("matplotlib", "reportlab", "sqlalchemy", "alembic", "numpy")


def peak_memory_kb() -> int:
    """This process's peak resident memory in kB (0 where the system does not tell it, as on Windows)."""
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes, Linux kB


def finish() -> None:
    """Prints the peak memory and leaves at once: closing the window would start its backup on close, which is no
    part of the figures and would only make each run wait."""
    print(f"MAXRSS {peak_memory_kb()}", flush=True)
    os._exit(0)


def install(app, settle_s: float) -> object:
    """Watches `app` for the first paint of a top-level window; returns the watcher, to keep alive while the loop runs."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    class FirstPaintWatcher(QObject):
        painted = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if not self.painted and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.isWindow():
                self.painted = True
                loaded = ",".join(m for m in WATCHED if m in sys.modules)
                print(f"FIRST_PAINT {loaded}", flush=True)
                QTimer.singleShot(int(settle_s * 1000), finish)
            return False

    watcher = FirstPaintWatcher(app)
    app.installEventFilter(watcher)
    return watcher


def settle_from_environment() -> float | None:
    """The seconds asked for by TRIAL_JOURNAL_FIRST_PAINT_REPORT, or None when it is unset or not a number."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        settle = float(text)
    except ValueError:
        return None
    return settle if 0 <= settle < 3600 else None


def install_if_asked(app) -> object | None:
    """Installs the watcher when the environment asks for the first-paint report; returns it, or None."""
    settle = settle_from_environment()
    return None if settle is None else install(app, settle)
