"""Start-up: no display, the demo journal in a private temporary folder, the first-run welcome, and what the window remembers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from journal.records import DoseStep, Trial
from tests.ui.conftest import days_ago, journal_file_with_a_trial
from ui import app as app_module
from ui.main_window import MainWindow
from ui.passphrase_dialog import NewPassphrase, NewPassphraseDialog, OpenPassphraseDialog
from ui.welcome import WelcomeDialog

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def keep_umask():
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_display_available(env, platform, expected):
    assert app_module.display_available(env, platform) is expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the no-display check is for Linux")
def test_with_no_display_the_command_names_the_command_line_instead(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from ui.entry import main; sys.exit(main(sys.argv[1:]))",
         "--journal", str(tmp_path / "j.db")],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "no display" in result.stderr
    from journal.cli import COMMANDS

    assert {"import", "export", "assess", "report", "backup", "restore"} <= set(COMMANDS)
    for command in COMMANDS:  # every command, so none is forgotten when one is added
        assert f"trial-journal {command} " in result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "j.db").exists()  # nothing was made


class _Exec:
    """Stands in for the event loop: lets queued start-up work run, looks at the window, closes it."""

    def __init__(self):
        self.windows: list[dict] = []

    def __call__(self, app) -> int:
        for _ in range(5):
            QApplication.processEvents()
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        for w in windows:
            self.windows.append(
                {
                    "title": w.windowTitle(),
                    "banner": w.demo_banner.text() if w.demo_banner.isVisible() else "",
                    "trials": len(w.session.records("trials")),
                    "marker": w.session.assessment().threshold_met,
                    "path": Path(w.session.journal.path),
                    "icon sizes": {size.width() for size in w.windowIcon().availableSizes()},
                    "desktop file": QApplication.desktopFileName(),
                }
            )
            w.qsettings = QSettings(str(self.settings_path), QSettings.IniFormat)
            w.close()
            w.deleteLater()
        QApplication.processEvents()
        return 0


@pytest.fixture
def fake_exec(monkeypatch, qapp, tmp_path):
    runner = _Exec()
    runner.settings_path = tmp_path / "window.ini"
    monkeypatch.setattr(QApplication, "exec", lambda self: runner(self))
    # the real QSettings of this user are never touched by a test
    monkeypatch.setattr(MainWindow, "_restore_view_state", lambda self: None)
    return runner


@pytest.mark.slow
def test_the_demo_is_labelled_private_and_removed_on_exit(fake_exec, monkeypatch):
    made = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):
        path = real_mkdtemp(*args, **kwargs)
        made.append((path, stat.S_IMODE(os.stat(path).st_mode)))
        return path

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    assert app_module.run(demo=True) == 0

    (window,) = fake_exec.windows
    assert "Demo journal (made-up data)" in window["title"]
    assert window["banner"].startswith("Demo journal — made-up data")
    assert window["trials"] >= 2 and window["marker"]  # the story reaches the marker
    ((folder, mode),) = made
    assert mode == 0o700
    assert Path(folder) == window["path"].parent
    assert not Path(folder).exists()  # removed with everything in it when the window closed
    # the app's mark in the title bar and the task bar, matched to the launcher --install-desktop-entry writes
    assert {16, 256} <= window["icon sizes"] and window["desktop file"] == "trial-journal"


@pytest.mark.slow
def test_the_first_run_makes_the_journal_and_welcomes_once(fake_exec, monkeypatch, tmp_path):
    welcomed = []

    def ask(cls, parent=None, *, offer_demo=False):
        welcomed.append(offer_demo)
        return "start"

    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(ask))
    monkeypatch.setattr(NewPassphraseDialog, "ask", classmethod(lambda cls, parent=None, allow_skip=True: NewPassphrase(None, False)))
    path = tmp_path / "data" / "journal.db"

    assert app_module.run(journal_path=path) == 0
    assert path.exists() and welcomed == [True]
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert "Demo" not in fake_exec.windows[0]["title"]

    assert app_module.run(journal_path=path) == 0
    assert welcomed == [True]  # only when the journal was new


@pytest.mark.slow
def test_a_journal_with_a_passphrase_asks_for_it_until_it_is_right(fake_exec, monkeypatch, tmp_path):
    from journal.opening import open_journal

    path = tmp_path / "journal.db"
    open_journal(path, passphrase="correct horse battery", create=True).close(backup=False)
    answers = iter([("wrong horse battery", None), ("correct horse battery", None)])
    messages = []

    def ask(cls, message="", parent=None, *, label=None):
        messages.append(message)
        return next(answers)

    monkeypatch.setattr(OpenPassphraseDialog, "ask", classmethod(ask))
    assert app_module.run(journal_path=path) == 0
    assert messages[0] == "" and "does not open this journal" in messages[1]
    assert len(fake_exec.windows) == 1


@pytest.mark.slow
def test_cancelling_the_passphrase_opens_nothing(fake_exec, monkeypatch, tmp_path):
    from journal.opening import open_journal

    path = tmp_path / "journal.db"
    open_journal(path, passphrase="correct horse battery", create=True).close(backup=False)
    monkeypatch.setattr(OpenPassphraseDialog, "ask", classmethod(lambda cls, message="", parent=None, *, label=None: None))
    assert app_module.run(journal_path=path) == 2
    assert fake_exec.windows == []


@pytest.mark.slow
def test_the_first_run_can_look_at_the_demo_first(fake_exec, monkeypatch, tmp_path):
    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None, *, offer_demo=False: "demo"))
    path = tmp_path / "data" / "journal.db"
    assert app_module.run(journal_path=path) == 0
    (window,) = fake_exec.windows
    assert "Demo journal" in window["title"]
    assert not path.exists()  # the person's own journal is made only when they start it


def test_the_welcome_offers_the_demo_by_keyboard(qtbot):
    dialog = WelcomeDialog(offer_demo=True)
    qtbot.addWidget(dialog)
    dialog.show()
    demo = next(b for b in dialog.findChildren(QPushButton) if "demo" in b.text())
    qtbot.keyClick(demo, Qt.Key_Space)
    assert dialog.choice == "demo" and dialog.result() == QDialog.Accepted


def test_a_journal_open_elsewhere_gets_a_clear_message(fake_exec, monkeypatch, tmp_path):
    from journal.safekeeping.locking import JournalLock
    from ui.main_window import Notice

    shown = []
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: shown.append(text)))
    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None, *, offer_demo=False: "start"))
    monkeypatch.setattr(NewPassphraseDialog, "ask", classmethod(lambda cls, parent=None, allow_skip=True: NewPassphrase(None, False)))
    path = tmp_path / "journal.db"
    with JournalLock(path):
        assert app_module.run(journal_path=path) == 2
    assert "already open" in shown[0]
    assert fake_exec.windows == []


@pytest.mark.slow
def test_the_window_remembers_its_size_but_no_health_data(qtbot, journal, session, look, tmp_path):
    journal.trials.add(Trial(id="", drug="Moodbetterol", doses=(DoseStep(days_ago(10), 10.0),), note="private words"))
    ini = tmp_path / "window.ini"
    window = MainWindow(session, settings=QSettings(str(ini), QSettings.IniFormat), look=look)
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 560)
    size = window.size()
    window.close()

    text = ini.read_text(encoding="utf-8", errors="replace")
    assert "geometry" in text
    for private in ("Moodbetterol", "private words", str(journal.path), journal.path.name):
        assert private not in text

    again = MainWindow(session, settings=QSettings(str(ini), QSettings.IniFormat), look=look)
    qtbot.addWidget(again)
    assert again.size() == size
    fresh = MainWindow(session, settings=QSettings(str(tmp_path / "fresh.ini"), QSettings.IniFormat), look=look)
    qtbot.addWidget(fresh)
    assert fresh.size() != size  # the size came from the settings, not the default


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and folder modes as on Linux")
def test_the_real_demo_command_cleans_up_when_stopped(tmp_path):
    import signal
    import time

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path), PYTHONPATH=str(REPO))
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ui.entry import main; sys.exit(main(sys.argv[1:]))", "--demo"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        folders: list[Path] = []
        # the window is up once the demo journal is in its folder
        while time.monotonic() < deadline and not any(f.glob("*.db") for f in folders):
            folders = list(tmp_path.glob("trial-journal-demo-*"))
            time.sleep(0.2)
        (folder,) = folders
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        time.sleep(1.0)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err.decode(errors="replace")
    assert not folder.exists()


@pytest.mark.slow
def test_the_window_is_on_screen_before_its_journal_and_fills_in_once_opened(qtbot, journal, session, qsettings, look):
    from ui.timeline import WAITING_TEXT

    journal.trials.add(Trial(id="", drug="Moodbetterol", doses=(DoseStep(days_ago(10), 10.0),)))
    window = MainWindow(None, settings=qsettings, look=look)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=10_000):
        window.show()
    # the shell: its menus and tabs, saying what it is doing, with nothing to change yet
    assert window.statusBar().currentMessage() == WAITING_TEXT
    assert window.timeline_panel.waiting_label.isVisible() and window.timeline_panel.waiting_label.text() == WAITING_TEXT
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())][:2] == ["&Trials", "&Scores"]
    assert not window.centralWidget().isEnabled()
    assert not any(a.isEnabled() for a in window.add_actions.values())
    assert window.timeline_panel.timeline is None

    with qtbot.waitSignal(window.chart_ready, timeout=10_000):
        window.set_session(session)
    assert window.lists["trials"].cell_text(journal.trials.list()[0].id, "Drug") == "Moodbetterol"
    assert window.centralWidget().isEnabled() and all(a.isEnabled() for a in window.add_actions.values())
    assert [lane.drug for lane in window.timeline_panel.timeline.lanes] == ["Moodbetterol"]
    assert not window.timeline_panel.waiting_label.isVisible()
    assert "Everything stays on this computer" in window.statusBar().currentMessage()


@pytest.mark.slow
def test_start_up_draws_the_chart_before_it_makes_and_fills_the_lists(qtbot, journal, session, qsettings, look):
    journal.trials.add(Trial(id="", drug="Moodbetterol", doses=(DoseStep(days_ago(10), 10.0),)))
    window = MainWindow(None, settings=qsettings, look=look)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=10_000):
        window.show()
    with qtbot.waitSignal(window.chart_ready, timeout=10_000):
        window.set_session(session)
        # the chart is drawn as the journal comes in; the lists wait until it is on screen
        assert [lane.drug for lane in window.timeline_panel.timeline.lanes] == ["Moodbetterol"]
        assert window.lists == {} and window.assessment_panel is None
    assert window.lists["trials"].cell_text(journal.trials.list()[0].id, "Drug") == "Moodbetterol"
    assert "Failed adequate trials that count" in window.assessment_panel.verdict_label.text()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the probe runs the real command offscreen")
def test_the_real_window_paints_before_the_journal_chart_and_report_libraries_load(tmp_path):
    from benchmarks.window import child_env

    path = journal_file_with_a_trial(tmp_path / "journal.db")
    scratch = tmp_path / "scratch"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.window_probe", "app", str(path), "--settle", "3"],
        env=child_env(scratch), capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    painted = [line for line in result.stdout.splitlines() if line.startswith("FIRST_PAINT")]
    assert painted, result.stderr[-2000:]
    loaded_at_first_paint = painted[0].split()[1:]
    assert loaded_at_first_paint == []  # no matplotlib, numpy, SQLAlchemy or report library yet: the window did not wait
    assert "MAXRSS" in result.stdout  # and it kept running while the journal and the chart came in
    assert "Traceback" not in result.stderr


def test_looking_whether_a_journal_is_open_elsewhere_leaves_no_lock_file(tmp_path):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a journal", encoding="utf-8")
    assert app_module._held_elsewhere(garbage) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
