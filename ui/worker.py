"""Long work off the window's thread: one helper runs a plain function and reports how far it got and how it ended.

The report, the CSV and FHIR exports, backups, "Check journal" and restoring a backup all run
through `Worker`, so the window keeps painting and answering while they work:

    worker = Worker(lambda progress: write_report(contents, path), parent=dialog)
    worker.succeeded.connect(...)   # the function's result, on the window's thread
    worker.failed.connect(...)      # the exception it raised, on the window's thread
    worker.start()

The function runs on another thread, so it must touch no widget. It is handed one argument,
`progress`, to call as `progress(done, total)` or `progress(phrase="Checking the copy…")`; each
call reaches `progressed` on the window's thread as a `Progress`.

The journal's SQLite connections may move between threads but never be used by two at once:
work that reads or writes the open journal's file is started with `uses_journal=True`, and
while any such work runs `journal_work_running()` is true, so the periodic backup and the
auto-lock wait for it instead of closing or copying the file under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot

__all__ = ["Progress", "ProgressCallback", "Worker", "journal_work_running"]


@dataclass(frozen=True)
class Progress:
    """How far the work got: `done` of `total` steps when it counts them, and/or a phrase saying what it is doing."""

    done: int | None = None
    total: int | None = None
    phrase: str = ""

    @property
    def fraction(self) -> float | None:
        """From 0 to 1 when the work counts its steps, else None."""
        if self.done is None or not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))


class ProgressCallback(Protocol):
    def __call__(self, done: int | None = None, total: int | None = None, phrase: str = "") -> None: ...


class _Thread(QThread):
    """The thread itself; what it says is relayed to the Worker's slots, so it arrives on the window's thread."""

    said = Signal(object)  # Progress
    ended = Signal(object, object)  # result, exception

    def __init__(self, work: Callable[[ProgressCallback], Any], parent: QObject):
        super().__init__(parent)
        self._work = work

    def say(self, done: int | None = None, total: int | None = None, phrase: str = "") -> None:
        self.said.emit(Progress(done, total, phrase))

    def run(self) -> None:  # runs on the other thread: touches no widget
        try:
            result = self._work(self.say)
        except Exception as exc:  # noqa: BLE001 - whatever went wrong is shown by the one who started the work
            self.ended.emit(None, exc)
        else:
            self.ended.emit(result, None)


class Worker(QObject):
    """Runs one function off the window's thread; its progress, result or error arrive on the window's thread."""

    progressed = Signal(object)  # Progress
    succeeded = Signal(object)  # whatever the function returned
    failed = Signal(object)  # the exception it raised (nothing it was writing is left half-done: see each use)
    finished = Signal()  # after succeeded or failed

    _journal_work: ClassVar[set[Worker]] = set()

    def __init__(self, work: Callable[[ProgressCallback], Any], parent: QObject | None = None, *, uses_journal: bool = False):
        super().__init__(parent)
        self._uses_journal = uses_journal
        self._thread = _Thread(work, self)
        # slots of this object, which lives on the window's thread: each signal is queued there
        self._thread.said.connect(self._on_thread_said)
        self._thread.ended.connect(self._on_thread_ended)
        # the thread's own end comes after the last signal sent from it: only then is the work over
        self._thread.finished.connect(self._on_thread_finished)
        self._started = False

    @property
    def running(self) -> bool:
        return self._started and not self._thread.isFinished()

    def start(self) -> Worker:
        """Start the work (once); returns the worker, to keep or connect to."""
        if self._started:
            raise RuntimeError("a Worker runs its work once")
        self._started = True
        if self._uses_journal:
            Worker._journal_work.add(self)
        self._thread.start()
        return self

    def wait(self, msecs: int = -1) -> bool:
        """Block until the work is over (a dialog closing waits for a file half-written); False on timeout."""
        if not self._started:
            return True
        return self._thread.wait() if msecs < 0 else self._thread.wait(msecs)

    @Slot(object)
    def _on_thread_said(self, progress: Progress) -> None:
        self.progressed.emit(progress)

    @Slot(object, object)
    def _on_thread_ended(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)

    @Slot()
    def _on_thread_finished(self) -> None:
        Worker._journal_work.discard(self)
        self.finished.emit()


def journal_work_running() -> bool:
    """Whether work on the open journal's file (a backup, a restore, an import) is running off the window's thread."""
    return bool(Worker._journal_work)
