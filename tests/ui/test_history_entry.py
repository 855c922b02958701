"""Entering a remembered history of past trials one after another, by keyboard alone, as the MGH-ATRQ asks them."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit

from journal.records import DoseStep, Rating, Trial
from tests.ui.conftest import shortcut
from ui.forms import DiscardBox
from ui.history_dialog import HistoryDialog

# Six past trials as a person would give them: (medicine, started, ended, dose or None, how well it
# worked as presses of Down in its list, the percent, why it stopped as presses of Down, the source as presses of Down).
# The lists: how well: not sure / none / partial / response / remission; why: not stopped / did not help / side effects / ...;
# source: not said / from memory (the default) / from records.
SIX = (
    ("sertraline", "2014-03", "2014-09", "150", 1, "", 1, 0),
    ("Lexapro", "2015", "2015", None, 2, "30", 2, 0),
    ("venlafaxine", "2016-02-15", "2016-08", "225", 1, "", 1, 1),
    ("mirtazapine", "2017-05", "2017-11", "30", 1, "", 2, 0),
    ("bupropion", "2018", "2019-01", "300", 2, "", 1, 0),
    ("lithium", "2019-06", "2020", None, 1, "", 1, -1),
)


def _tab(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)


def _press(qtbot, key, times: int) -> None:
    for _ in range(abs(times)):
        qtbot.keyClick(QApplication.focusWidget(), key)


def _enter_one(qtbot, dialog, row) -> None:
    """One trial by keyboard: type, Tab from field to field, Space for a box, Down in a list, Enter to add."""
    drug, started, ended, dose, rating_steps, pct, stop_steps, source_steps = row
    assert QApplication.focusWidget() is dialog.drug_edit  # each row starts on the medicine
    qtbot.keyClicks(dialog.drug_edit, drug)
    _tab(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), started)  # "I don't remember exactly" is ticked: a month or a year will do
    _tab(qtbot)  # the start's "I don't remember exactly"
    _tab(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), ended)
    _tab(qtbot)  # the end's "I don't remember exactly"
    _tab(qtbot)
    assert QApplication.focusWidget() is dialog.mg_edit
    if dose is None:
        _tab(qtbot)
        assert QApplication.focusWidget() is dialog.unknown_check
        qtbot.keyClick(dialog.unknown_check, Qt.Key_Space)
    else:
        qtbot.keyClicks(dialog.mg_edit, dose)
        _tab(qtbot)
    _tab(qtbot)
    assert QApplication.focusWidget() is dialog.rating_combo
    _press(qtbot, Qt.Key_Down, rating_steps)
    _tab(qtbot)
    if QApplication.focusWidget() is dialog.improvement_edit:
        qtbot.keyClicks(dialog.improvement_edit, pct)
        _tab(qtbot)
    assert QApplication.focusWidget() is dialog.stop_combo
    _press(qtbot, Qt.Key_Down, stop_steps)
    _tab(qtbot)
    assert QApplication.focusWidget() is dialog.source_combo
    _press(qtbot, Qt.Key_Down if source_steps > 0 else Qt.Key_Up, source_steps)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)  # Add and next


def _drive(monkeypatch, qtbot, fill):
    """HistoryDialog.ask opens the real dialog non-modally and lets the test type into it."""
    opened = []

    def ask(cls, parent, session, record=None):
        dialog = cls(session, None, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
        opened.append(dialog)
        fill(dialog)
        if parent is not None and not dialog.isVisible():
            parent.activateWindow()
            qtbot.waitUntil(parent.isActiveWindow, timeout=5_000)
        return list(dialog.added)

    monkeypatch.setattr(HistoryDialog, "ask", classmethod(ask))
    return opened


@pytest.mark.slow
def test_six_past_trials_by_keyboard_alone(qtbot, monkeypatch, window, journal):
    seen = {}

    def fill(dialog):
        for row in SIX:
            _enter_one(qtbot, dialog, row)
            seen.setdefault("errors", []).append(dialog.general_error.text() if dialog.general_error.isVisible() else "")
        seen["listed"] = [dialog.added_list.item(i).text() for i in range(dialog.added_list.count())]
        seen["focus after the last"] = QApplication.focusWidget() is dialog.drug_edit
        seen["cleared"] = (dialog.drug_edit.text(), dialog.start_field.text(), dialog.mg_edit.text(), dialog.source_combo.currentData())
        qtbot.keyClick(dialog.drug_edit, Qt.Key_Escape)  # an empty row closes without asking
        seen["closed"] = not dialog.isVisible()

    _drive(monkeypatch, qtbot, fill)
    assert window.history_offer.isVisible()  # an empty journal offers the history
    shortcut(qtbot, window, Qt.Key_H, Qt.ControlModifier | Qt.ShiftModifier)

    assert seen["errors"] == [""] * 6
    assert seen["closed"] and seen["focus after the last"]
    assert seen["cleared"] == ("", "", "", "memory")
    assert len(seen["listed"]) == 6
    assert seen["listed"][1] == "escitalopram, 2015 to 2015, dose not remembered, partial improvement, stopped: side effects, from memory, approximate"
    trials = sorted(journal.trials.list(), key=lambda t: t.start)
    got = [
        (t.drug, t.doses, t.end, t.end_precision, t.source, t.rating.response if t.rating else None, t.stop_reason, t.augmentation)
        for t in trials
    ]
    assert got == [
        ("sertraline", (DoseStep(date(2014, 3, 1), 150.0, "month"),), date(2014, 9, 1), "month", "memory", "none", "ineffective", False),
        ("escitalopram", (DoseStep(date(2015, 1, 1), None, "year"),), date(2015, 1, 1), "year", "memory", "partial", "side_effects", False),
        ("venlafaxine", (DoseStep(date(2016, 2, 15), 225.0, "day"),), date(2016, 8, 1), "month", "records", "none", "ineffective", False),
        ("mirtazapine", (DoseStep(date(2017, 5, 1), 30.0, "month"),), date(2017, 11, 1), "month", "memory", "none", "side_effects", False),
        ("bupropion", (DoseStep(date(2018, 1, 1), 300.0, "year"),), date(2019, 1, 1), "month", "memory", "partial", "ineffective", False),
        ("lithium", (DoseStep(date(2019, 6, 1), None, "month"),), date(2020, 1, 1), "year", None, "none", "ineffective", True),
    ]
    assert trials[1].rating == Rating("partial", 30.0)
    # the window shows them: the list, the assessment panel, and the offer is gone
    assert sorted(window.lists["trials"].visible_ids()) == sorted(t.id for t in trials)
    details = window.assessment_panel.details_label.text()
    for drug in ("sertraline", "escitalopram", "venlafaxine", "mirtazapine", "bupropion", "lithium"):
        assert drug in details
    assert not window.history_offer.isVisible()
    assert "6 past trials added" in window.statusBar().currentMessage()

    # each trial added was one step: Ctrl+Z takes back the last one first
    shortcut(qtbot, window, Qt.Key_Z)
    assert sorted(t.drug for t in journal.trials.list()) == ["bupropion", "escitalopram", "mirtazapine", "sertraline", "venlafaxine"]


@pytest.mark.slow
def test_a_bad_date_is_named_beside_its_field_and_nothing_typed_is_lost(qtbot, monkeypatch, window, journal, spoken):
    seen = {}

    def fill(dialog):
        qtbot.keyClicks(dialog.drug_edit, "sertraline")
        qtbot.keyClicks(dialog.start_field.line, "March 19")
        qtbot.keyClicks(dialog.mg_edit, "100")
        qtbot.keyClick(dialog.mg_edit, Qt.Key_Return)
        error = dialog._error_slots["doses[0].start"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        seen["focus"] = QApplication.focusWidget() is dialog.start_field.line
        seen["kept"] = (dialog.drug_edit.text(), dialog.start_field.text(), dialog.mg_edit.text())
        seen["stored"] = journal.trials.list()
        dialog.start_field.line.selectAll()
        qtbot.keyClicks(dialog.start_field.line, "Mar 2019")  # a month in words is read too
        qtbot.keyClick(dialog.start_field.line, Qt.Key_Return)
        seen["listed"] = dialog.added_list.count()
        qtbot.keyClicks(dialog.drug_edit, "venlafaxine")  # typed, not added: Done asks first
        answers = []
        monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent: answers.append(1) or False))
        qtbot.keyClick(dialog.drug_edit, Qt.Key_Escape)
        seen["asked, still open"] = (answers, dialog.isVisible(), dialog.drug_edit.text())
        monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent: True))
        dialog.done_button.click()
        seen["closed"] = (dialog.isVisible(), dialog.result())

    _drive(monkeypatch, qtbot, fill)
    window.add_actions["history"].trigger()

    assert "not a date, a month or a year: 'March 19'" in seen["error"]
    assert seen["focus"] and seen["kept"] == ("sertraline", "March 19", "100") and seen["stored"] == []
    assert seen["listed"] == 1
    assert ("Added sertraline, 1 so far. Next medicine.", False) in spoken  # said when the focus jumps back to the top
    assert seen["asked, still open"] == ([1], True, "venlafaxine")
    assert seen["closed"] == (False, QDialog.Accepted)
    (trial,) = journal.trials.list()
    assert trial.doses == (DoseStep(date(2019, 3, 1), 100.0, "month"),) and trial.end is None and trial.source == "memory"


def test_the_history_form_names_every_control_and_binds_each_alt_key_once(qtbot, session):
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QWidget

    dialog = HistoryDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    kinds = (QLineEdit, QComboBox, QAbstractButton, QListWidget)
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(dialog)]
    assert [w for w in controls if not w.accessibleName() and not isinstance(w.parent(), QComboBox)] == []
    names = {w.accessibleName() for w in controls}
    assert {"Medicine", "Started", "Started: I don't remember exactly (give a month or a year)", "Dose in mg per day",
            "I don't remember the dose", "Trials added this time", "Add and next", "Done"} <= names
    keys: dict[str, list[str]] = {}
    for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
        m = re.search(r"&([^&\s])", w.text().replace("&&", ""))
        if m and w.isVisibleTo(dialog):
            keys.setdefault(m.group(1).lower(), []).append(w.text())
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}
    assert dialog.save_button.isDefault()  # Enter adds the row


@pytest.mark.slow
def test_the_offer_comes_back_when_the_only_trial_is_undone(qtbot, window, journal):
    assert window.history_offer.isVisible()
    window.session.add("trials", Trial(id="", drug="sertraline", doses=(DoseStep(date(2020, 1, 1), 100.0),)))
    assert not window.history_offer.isVisible()
    shortcut(qtbot, window, Qt.Key_Z)
    assert window.history_offer.isVisible()


def test_the_welcome_from_the_help_menu_offers_the_history(qtbot, monkeypatch, window):
    from ui.welcome import WelcomeDialog

    opened = []
    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None, *, offer_demo=False, offer_history=False: "history"))
    monkeypatch.setattr(HistoryDialog, "ask", classmethod(lambda cls, parent, session, record=None: opened.append(session) or []))
    window.about_action.trigger()
    assert opened == [window.session]
    from PySide6.QtWidgets import QLabel

    dialog = WelcomeDialog(window, offer_history=True)
    qtbot.addWidget(dialog)
    assert "Add ▸ Your history" in dialog.findChild(QLabel).text()
    assert WelcomeDialog(window).history_button is None  # the first run's welcome has no journal to add to yet
    dialog.history_button.click()
    assert dialog.choice == "history"


@pytest.mark.slow
@pytest.mark.parametrize("scale", (1.0, 1.5, 2.0))
def test_the_history_form_fits_a_laptop_screen_at_every_text_size(qtbot, monkeypatch, session, look, scale):
    from PySide6.QtCore import QRect

    import ui.fit

    laptop = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(ui.fit, "available_geometry", lambda widget: QRect(laptop))
    look.apply(text_scale=scale)
    dialog = HistoryDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert laptop.contains(dialog.frameGeometry())
    assert dialog.save_button.isVisible() and dialog.done_button.isVisible()
    assert dialog.scroll.widget().width() <= dialog.scroll.viewport().width()  # nothing cut off on the right
