"""F1 opens a real help page: the window's shortcuts, where the data lives, and the rule the assessment applies."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.clinical.assessment import rule_text
from journal.safekeeping.profiles import default_root
from ui.help import HelpDialog


@pytest.mark.slow
def test_f1_opens_help_with_the_shortcuts_the_data_folder_and_the_rule(qtbot, window):
    qtbot.keyClick(window, Qt.Key_F1)
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    # the shortcuts the menus really have
    for entry, keys in (("PHQ-9 (depression)", "Ctrl+P"), ("Undo", "Ctrl+Z"), ("Find in this list", "Ctrl+F"),
                        ("Show 1 year", "Ctrl+2"), ("Help: shortcuts, where your data lives, the rule", "F1")):
        assert entry in text and keys in text, entry
    assert "Tab leaves the list" in text
    # where the data lives, from the same place the journal uses
    assert str(default_root()) in text and "backups" in text
    assert "no health data and no file names" in text
    # the rule as the assessment applies it, with this journal's settings
    assert rule_text(window.session.settings()) in text
    assert "Welcome to Trial Journal" not in text  # not the welcome again


@pytest.mark.slow
def test_help_follows_the_rule_settings_chosen(qtbot, window):
    window.help_action.trigger()
    window.session.change_settings(adequate_weeks=8)
    window.help_action.trigger()
    dialog = window.findChild(HelpDialog)
    assert "for at least 8 weeks" in dialog.text()


@pytest.mark.slow
def test_help_names_the_entries_other_pieces_add(qtbot, window):
    from ui.report_dialog import install_report_actions

    install_report_actions(window)
    window.help_action.trigger()
    assert "Appointment report (PDF)" in window.findChild(HelpDialog).text()
    assert "Ctrl+Shift+P" in window.findChild(HelpDialog).text()


@pytest.mark.slow
def test_the_welcome_is_still_in_the_help_menu(window):
    texts = [a.text() for a in window.help_menu.actions()]
    assert "&What the journal does" in texts and window.about_action.shortcut().isEmpty()
