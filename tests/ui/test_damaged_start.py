"""A damaged journal at start-up: the window names its newest good backup and offers to restore it right there."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from journal.opening import open_journal
from journal.records import Episode
from tests.ui.test_startup import _Exec, fake_exec, keep_umask  # noqa: F401 - fixtures, used by name
from ui import app as app_module
from ui.main_window import Notice


def _journal_with_a_backup_then_damaged(tmp_path):
    path = tmp_path / "journal.db"
    access = open_journal(path, create=True)
    from datetime import date

    access.journal.episodes.add(Episode(id="", start=date(2025, 1, 6)))
    made = access.backup("manual")
    access.close(backup=False)
    path.write_text("the journal was overwritten by something else\n" * 100)
    return path, made


@pytest.mark.slow
def test_a_damaged_journal_offers_its_newest_good_backup_and_opens_with_it(fake_exec, monkeypatch, tmp_path):
    path, made = _journal_with_a_backup_then_damaged(tmp_path)
    offered, notices = [], []
    monkeypatch.setattr(app_module.RestoreOffer, "ask", classmethod(lambda cls, parent, text: offered.append(text) or True))
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: notices.append(text)))

    assert app_module.run(journal_path=path) == 0
    (text,) = offered
    assert made.path.name in text and made.made_at.astimezone().strftime("%d %b %Y %H:%M") in text
    assert "kept in the backups folder" in text
    assert len(fake_exec.windows) == 1  # the window opened, with the backup's journal
    assert "was restored" in notices[0]
    assert path.read_bytes().startswith(b"SQLite format 3")
    kept = [p for p in (tmp_path / "backups").iterdir() if p.name.startswith("damaged-") or "-restore" in p.name]
    assert kept, "the damaged file is kept"


def test_declining_the_backup_leaves_the_damaged_file_and_says_so(fake_exec, monkeypatch, tmp_path):
    path, made = _journal_with_a_backup_then_damaged(tmp_path)
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(app_module.RestoreOffer, "ask", classmethod(lambda cls, parent, text: False))
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: shown.append(text)))
    assert app_module.run(journal_path=path) == 2
    assert made.path.name in shown[0]
    assert path.read_bytes() == before
    assert fake_exec.windows == []


def test_the_offer_has_a_restore_button_and_a_quit_button(qapp, monkeypatch):
    seen = []

    def exec_(box):
        seen.append([b.text() for b in box.buttons()])
        restore = next(b for b in box.buttons() if "Restore" in b.text())
        restore.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert app_module.RestoreOffer.ask(None, "The journal is damaged.") is True
    assert sorted(t.replace("&", "") for t in seen[0]) == ["Quit", "Restore this backup"]
