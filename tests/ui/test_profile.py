"""Journal ▸ Your name and birth year: typed in the window, checked by the journal's rules, undoable, and used by the report."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.records import Profile
from tests.ui.conftest import click, type_into
from ui.forms import DiscardBox
from ui.profile_dialog import ProfileDialog
from ui.report_dialog import ReportDialog


def fill_profile(qtbot, name: str, year: str, seen: dict | None = None):
    def fill(dialog):
        type_into(qtbot, dialog.name_field, name)
        type_into(qtbot, dialog.year_field, year)
        click(qtbot, dialog.save_button)
        if seen is not None:
            seen["open"] = dialog.isVisible()
            seen["errors"] = dialog.findChildren(type(dialog.general_error))
            seen["year_text"] = dialog.year_field.text()
            seen["year_described"] = dialog.year_field.accessibleDescription()
            if dialog.isVisible():
                dialog.reject()  # closing a changed form asks first (answered "Discard changes" below)

    return fill


@pytest.mark.slow
def test_the_name_and_birth_year_are_entered_in_the_window_and_reach_the_report(qtbot, window, dialogs, journal):
    texts = [a.text() for a in window.journal_menu.actions()]
    assert "Your na&me and birth year…" in texts
    dialogs.on(ProfileDialog, fill_profile(qtbot, "Sam Rivera", "1984"))
    window.profile_action.trigger()
    assert journal.profile() == Profile(display_name="Sam Rivera", birth_year=1984)

    report = ReportDialog(window.session, window)
    qtbot.addWidget(report)
    assert report.no_name_hint is None
    report.name_box.setCurrentIndex(report.name_box.findData("full"))
    report.refresh_preview()
    assert "Sam Rivera" in report.preview.toPlainText()
    report.name_box.setCurrentIndex(report.name_box.findData("initials"))
    report.refresh_preview()
    assert "Sam Rivera" not in report.preview.toPlainText()


@pytest.mark.slow
def test_the_change_is_undone_with_ctrl_z(qtbot, window, dialogs, journal):
    journal.set_profile(Profile(display_name="Sam", birth_year=1990))
    dialogs.on(ProfileDialog, fill_profile(qtbot, "Samantha", "1991"))
    window.profile_action.trigger()
    assert journal.profile() == Profile(display_name="Samantha", birth_year=1991)
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert journal.profile() == Profile(display_name="Sam", birth_year=1990)


@pytest.mark.slow
def test_a_birth_year_the_journal_refuses_is_named_beside_the_field_and_nothing_changes(qtbot, window, dialogs, journal, monkeypatch):
    asked = []
    monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent: asked.append(parent) or True))
    journal.set_profile(Profile(display_name="Sam", birth_year=1990))
    seen: dict = {}
    dialogs.on(ProfileDialog, fill_profile(qtbot, "Sam", "1850", seen))
    window.profile_action.trigger()
    assert seen["open"]  # the form stays, with what was typed
    assert seen["year_text"] == "1850"
    assert "1900" in seen["year_described"] and "birth_year" not in seen["year_described"]
    assert journal.profile() == Profile(display_name="Sam", birth_year=1990)
    assert len(asked) == 1  # the changed form asked before its typing was thrown away


@pytest.mark.slow
def test_a_year_that_is_not_a_number_is_named_too(qtbot, window, dialogs, journal, monkeypatch):
    asked = []
    monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent: asked.append(parent) or True))
    seen: dict = {}
    dialogs.on(ProfileDialog, fill_profile(qtbot, "Sam", "nineteen", seen))
    window.profile_action.trigger()
    assert seen["open"] and "not a number" in seen["year_described"]
    assert journal.profile() == Profile()
    assert len(asked) == 1


@pytest.mark.slow
def test_the_report_says_where_to_add_a_name_when_the_journal_has_none(qtbot, window):
    report = ReportDialog(window.session, window)
    qtbot.addWidget(report)
    assert report.no_name_hint is not None and "Journal ▸ Your name and birth year" in report.no_name_hint.text()
