"""The appointment report dialog and the export entries, driven as a person would."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from journal.records import DoseStep, Episode, Note, ScaleScore, Trial
from tests.ui.conftest import days_ago
from ui.report_dialog import PathChooser, ReportDialog, install_report_actions


def _fill(session) -> None:
    session.add("episodes", Episode("", days_ago(200), None, "moderate"))
    session.add("trials", Trial("", "sertraline", (DoseStep(days_ago(190), 50), DoseStep(days_ago(160), 100))))
    session.add("scores", ScaleScore("", days_ago(195), "PHQ-9", 18))
    session.add("scores", ScaleScore("", days_ago(10), "PHQ-9", 12))
    session.add("notes", Note("", days_ago(3), "Ask whether to raise the dose", True))


@pytest.mark.slow
def test_preview_follows_the_sections_chosen(qtbot, window):
    _fill(window.session)
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    text = dialog.preview.toPlainText()
    assert "MEDICATION HISTORY" in text and "sertraline" in text
    assert "PHQ-9 12" in text
    assert "Ask whether to raise the dose" in text
    dialog.section_boxes["medications"].setChecked(False)
    qtbot.waitUntil(lambda: "MEDICATION HISTORY" not in dialog.preview.toPlainText(), timeout=2000)
    assert "PHQ-9 12" in dialog.preview.toPlainText()


@pytest.mark.slow
def test_custom_range_with_start_after_end_cannot_be_saved(qtbot, window):
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.range_box.setCurrentIndex(dialog.range_box.findData("custom"))
    assert dialog.from_edit.isEnabled()
    dialog.from_edit.setDate(dialog.to_edit.date().addDays(5))
    qtbot.waitUntil(lambda: not dialog.save_button.isEnabled(), timeout=2000)
    assert "start date is after the end date" in dialog.preview.toPlainText()


@pytest.mark.slow
def test_save_writes_a_private_pdf_off_the_window_thread(qtbot, window, tmp_path, monkeypatch):
    _fill(window.session)
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    target = tmp_path / "for-dr-lee"
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(target)))
    with qtbot.waitSignal(dialog.saved, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    path = blocker.args[0]
    assert path.endswith("for-dr-lee.pdf")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = PdfReader(path).pages[0].extract_text()
    assert "Appointment summary" in text and "Ask whether to raise the dose" in text
    assert "Saved for-dr-lee.pdf" in dialog.status.text()
    # the journal remembers the day, so the next report lists only the questions since
    assert window.session.journal.state().last_report == window.session.today


@pytest.mark.slow
def test_the_whole_history_is_a_choice_of_what_the_report_covers(qtbot, window):
    _fill(window.session)
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.options()["whole_history"] is False
    assert "This report covers the current episode" in dialog.preview.toPlainText()
    dialog.range_box.setFocus()
    dialog.range_box.setCurrentIndex(dialog.range_box.findData("all"))
    assert dialog.options()["whole_history"] is True and dialog.options()["start"] is None
    qtbot.waitUntil(lambda: "The whole history: every record" in dialog.preview.toPlainText(), timeout=2000)


@pytest.mark.slow
def test_a_failed_save_says_so_and_keeps_the_dialog_usable(qtbot, window, tmp_path):
    dialog = ReportDialog(window.session, window)
    qtbot.addWidget(dialog)
    job = dialog.save(str(tmp_path / "no-such-folder" / "r.pdf"))
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=2000)
    assert "not saved" in dialog.status.text() and "does not exist" in dialog.status.text()


@pytest.mark.slow
def test_journal_menu_offers_report_and_exports(qtbot, window, tmp_path, monkeypatch):
    _fill(window.session)
    actions = install_report_actions(window)
    assert set(actions) == {"report", "csv", "fhir"}
    assert actions["report"] in window.journal_menu.actions()
    target = tmp_path / "export"
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(target)))
    actions["csv"].trigger()
    qtbot.waitUntil(lambda: (tmp_path / "export.zip").exists() and "Exported" in window.statusBar().currentMessage(), timeout=30_000)
    with zipfile.ZipFile(tmp_path / "export.zip") as zf:
        assert "sertraline" in zf.read("trials.csv").decode("utf-8-sig")


def test_the_preview_shows_remembered_trials_as_entered_and_what_to_look_up(qtbot, session):
    from tests.journal.report_sample import sample_v2_contents

    session._contents = sample_v2_contents()  # the journal's contents as the window holds them
    session._assessment = None
    dialog = ReportDialog(session)
    qtbot.addWidget(dialog)
    dialog.range_box.setCurrentIndex(dialog.range_box.findData("all"))
    dialog.refresh_preview()
    text = dialog.preview.toPlainText()
    assert "fluoxetine (SSRI), Mar 2019 – Sep 2019, dose not recorded: not an adequate trial (from memory, approximate)" in text
    assert "What to look up (remembered trials that could count):" in text
    assert "fluoxetine, Mar 2019: the day it started, the dose (20 mg/day or more would count)" in text
    assert "CBT (psychotherapy, listed, never counted), Sep 2021 – Jan 2022, sessions: 16" in text
    assert "Esketamine induction 56 mg 128/82 → 135/85 at 40 min → 141/88 lowest SpO2 96 %; monitored 120 min; ready to leave" in text
    assert "For discussion." in text
