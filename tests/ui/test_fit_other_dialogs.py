"""The help, report, appointment, caregiver and passphrase dialogs fit a 1366x768 laptop at every text size, as the forms do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

import ui.fit
from ui.appointment_dialog import AppointmentDialog
from ui.caregiver import EnteringAsDialog
from ui.diary_import_dialog import DiaryImportDialog
from ui.help import HelpDialog
from ui.passphrase_dialog import NewPassphraseDialog, OpenPassphraseDialog, RecoveryCodeDialog
from ui.reminders_dialog import RemindersDialog
from ui.report_dialog import ReportDialog


def _diary():
    from pathlib import Path

    from journal.exchange.diaries import read_diary

    return read_diary(Path(__file__).resolve().parents[1] / "journal" / "diaries" / "fixtures" / "daylio_export_2024_05_20.csv")


LAPTOP = QRect(0, 0, 1366, 728)  # a 1366x768 screen with a 40-pixel panel

MAKERS = {
    "appointment": lambda window: AppointmentDialog(window.session, window, make_report=lambda: None),
    "diary import": lambda window: DiaryImportDialog(window.session, _diary(), "daylio_export_2024_05_20.csv", window),
    "help": lambda window: HelpDialog(window, window),
    "reminders": lambda window: RemindersDialog(window),
    "report": lambda window: ReportDialog(window.session, window),
    "entering as": lambda window: EnteringAsDialog(["Sam", "Alex"], None, window),
    "new passphrase": lambda window: NewPassphraseDialog(window),
    "passphrase": lambda window: OpenPassphraseDialog("This journal is protected by a passphrase.", window),
    "recovery code": lambda window: RecoveryCodeDialog("ABCDE-FGHJK-LMNPQ-RSTVW-XYZ23", window),
}


@pytest.mark.slow
@pytest.mark.parametrize("scale", (1.0, 1.5, 2.0))
@pytest.mark.parametrize("name", sorted(MAKERS))
def test_the_dialog_lies_on_a_laptop_screen(qtbot, monkeypatch, window, look, name, scale):
    monkeypatch.setattr(ui.fit, "available_geometry", lambda widget: QRect(LAPTOP))
    look.apply(text_scale=scale)
    dialog = MAKERS[name](window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert LAPTOP.contains(dialog.frameGeometry()), f"{name}: {dialog.frameGeometry()} at {scale:.0%} text"
    dialog.hide()
