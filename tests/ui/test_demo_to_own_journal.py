"""From the demo, "Start my own journal": the demo closes and is deleted, then the person's own journal is made (no welcome again)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ui import app as app_module
from ui.main_window import MainWindow
from ui.passphrase_dialog import NewPassphrase, NewPassphraseDialog
from ui.welcome import WelcomeDialog


@pytest.fixture(autouse=True)
def keep_umask():
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def loop(monkeypatch, qapp, tmp_path):
    """Stands in for the event loop: each run looks at the window shown, then does what the test says with it."""
    seen: list[dict] = []
    steps: list = []

    def run(app) -> int:
        for _ in range(5):
            QApplication.processEvents()
        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        window.qsettings = QSettings(str(tmp_path / "window.ini"), QSettings.IniFormat)
        seen.append({"title": window.windowTitle(), "path": Path(window.session.journal.path),
                     "button": window.own_journal_button.isVisible(),
                     "menu": [a.text() for a in window.journal_menu.actions()]})
        steps.pop(0)(window)
        window.deleteLater()
        QApplication.processEvents()
        return 0

    monkeypatch.setattr(QApplication, "exec", lambda self: run(self))
    monkeypatch.setattr(MainWindow, "_restore_view_state", lambda self: None)
    return seen, steps


@pytest.mark.slow
def test_start_my_own_journal_closes_the_demo_and_makes_the_persons_journal(loop, monkeypatch, tmp_path):
    seen, steps = loop
    welcomed = []
    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None, *, offer_demo=False: welcomed.append(1) or "start"))
    monkeypatch.setattr(NewPassphraseDialog, "ask", classmethod(lambda cls, parent=None, allow_skip=True: NewPassphrase(None, False)))
    demo_folders = []
    real_mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: demo_folders.append(real_mkdtemp(*a, **k)) or demo_folders[-1])
    own = tmp_path / "data" / "journal.db"
    steps.append(lambda w: w.own_journal_button.click())  # the demo: the person chooses to start their own
    steps.append(lambda w: w.close())  # their own journal: looked at, then closed

    assert app_module.run(demo=True, journal_path=own) == 0

    demo, mine = seen
    assert "Demo journal" in demo["title"] and demo["button"]
    assert "Start my own &journal…" in demo["menu"]
    assert "Demo journal" not in mine["title"] and not mine["button"]
    assert "Start my own &journal…" not in mine["menu"]
    assert mine["path"] == own and own.exists()
    assert welcomed == []  # they have seen what the journal is: no welcome again
    (folder,) = demo_folders
    assert not Path(folder).exists()  # the demo is gone before the own journal opens


@pytest.mark.slow
def test_closing_the_demo_otherwise_starts_nothing_else(loop, tmp_path):
    seen, steps = loop
    own = tmp_path / "data" / "journal.db"
    steps.append(lambda w: w.close())
    assert app_module.run(demo=True, journal_path=own) == 0
    assert len(seen) == 1 and not own.exists()
