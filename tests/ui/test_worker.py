"""The one helper for long work: the function runs off the window's thread; progress, result and error arrive on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from ui.worker import Progress, Worker, journal_work_running


def test_the_work_runs_elsewhere_and_its_result_and_progress_arrive_on_the_window_thread(qtbot, qapp):
    seen: dict[str, object] = {}
    arrived: list[tuple[Progress, bool]] = []

    def work(progress):
        seen["work_thread"] = threading.get_ident()
        for step in range(3):
            progress(step + 1, 3)
        progress(phrase="Checking the copy…")
        return "written"

    worker = Worker(work)
    worker.progressed.connect(lambda p: arrived.append((p, QThread.currentThread() is qapp.thread())))
    worker.succeeded.connect(lambda result: seen.update(result=result, on_window_thread=QThread.currentThread() is qapp.thread()))
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()

    assert seen["work_thread"] != threading.get_ident()
    assert seen["result"] == "written" and seen["on_window_thread"]
    assert [p for p, _ in arrived] == [Progress(1, 3), Progress(2, 3), Progress(3, 3), Progress(phrase="Checking the copy…")]
    assert all(on_window for _, on_window in arrived)
    assert [p.fraction for p, _ in arrived] == [1 / 3, 2 / 3, 1.0, None]
    assert not worker.running


def test_an_error_is_handed_back_not_raised(qtbot):
    errors: list[BaseException] = []
    results: list[object] = []

    def work(progress):
        raise OSError("the disk is full")

    worker = Worker(work)
    worker.failed.connect(errors.append)
    worker.succeeded.connect(results.append)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    assert [str(e) for e in errors] == ["the disk is full"] and results == []


def test_work_on_the_journal_holds_off_the_periodic_backup_and_the_lock(qtbot):
    release = threading.Event()
    worker = Worker(lambda progress: release.wait(10), uses_journal=True)
    other = Worker(lambda progress: None)  # a report, say: it reads a snapshot, never the file
    assert not journal_work_running()
    worker.start()
    with qtbot.waitSignal(other.finished, timeout=10_000):
        other.start()
    assert journal_work_running() and worker.running
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        release.set()
    assert not journal_work_running()


def test_a_worker_runs_once(qtbot):
    worker = Worker(lambda progress: 1)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    with pytest.raises(RuntimeError):
        worker.start()
    assert worker.wait()
