"""PHQ-9 and GAD-7 forms: exact wording, the total and its band, and the crisis panel the moment item 9 is above 0."""

from __future__ import annotations

from datetime import time as TimeOfDay

import pytest
from PySide6.QtCore import Qt

from journal.clinical.scales import CRISIS_RESOURCES, get_scale
from journal.records import ScaleScore
from tests.ui.conftest import click, shortcut, type_into
from ui.forms import DiscardBox
from ui.questionnaire_dialog import Gad7Dialog, Phq9Dialog, QuestionnaireDialog
from ui.record_dialogs import ScoreTotalDialog


def answer_by_keyboard(qtbot, dialog, answers) -> None:
    """Answer each question by pressing its digit on the question's first answer, as a keyboard user does."""
    for row, value in zip(dialog.rows, answers, strict=False):  # the answers given so far, from the first question
        row.buttons[0].setFocus()
        qtbot.keyClick(row.buttons[0], str(value))


@pytest.mark.slow
def test_phq9_item_9_above_zero_shows_the_crisis_panel_at_once(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        seen["wording"] = [row.question_label.text() for row in dialog.rows]
        answer_by_keyboard(qtbot, dialog, [1, 2, 1, 2, 1, 1, 0, 0])
        seen["before_item_9"] = dialog.crisis_panel.isVisible()
        dialog.rows[8].buttons[0].setFocus()
        qtbot.keyClick(dialog.rows[8].buttons[0], "1")
        # shown now, before anything is saved
        seen["after_item_9"] = dialog.crisis_panel.isVisible()
        seen["panel_text"] = dialog.crisis_panel.text()
        seen["total"] = dialog.total_label.text()
        click(qtbot, dialog.save_button)

    dialogs.on(Phq9Dialog, fill)
    shortcut(qtbot, window, Qt.Key_P)

    scale = get_scale("PHQ-9")
    assert seen["wording"] == [f"{item.number}. {item.text}" for item in scale.items]
    assert seen["before_item_9"] is False
    assert seen["after_item_9"] is True
    for line in CRISIS_RESOURCES.lines:
        assert line.contact in seen["panel_text"]
    assert CRISIS_RESOURCES.safety_plan in seen["panel_text"]
    assert CRISIS_RESOURCES.advice in seen["panel_text"]
    assert seen["total"] == "Total: 9 of 27 (mild)"
    (score,) = journal.scores.list()
    assert score.scale == "PHQ-9" and score.items == (1, 2, 1, 2, 1, 1, 0, 0, 1) and score.total == 9
    # the window keeps the crisis lines in view after the form closes
    assert window.crisis_banner.isVisible()
    assert window.lists["scores"].cell_text(score.id, "Flag") == "⚠ item 9 answered 1"


def test_the_crisis_panel_comes_back_every_time_item_9_goes_above_zero(qtbot, session):
    dialog = Phq9Dialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    item9 = dialog.rows[8]
    shown = []
    for value in (2, 0, 1):
        item9.buttons[0].setFocus()
        qtbot.keyClick(item9.buttons[0], str(value))
        shown.append(dialog.crisis_panel.isVisible())
    assert shown == [True, False, True]


@pytest.mark.slow
def test_unanswered_questions_are_named_and_the_answers_given_are_kept(qtbot, monkeypatch, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        answer_by_keyboard(qtbot, dialog, [3, 3, 3])
        click(qtbot, dialog.save_button)
        seen["errors"] = [row.error.isVisible() for row in dialog.rows]
        seen["answers"] = dialog.answers()
        seen["open"] = dialog.isVisible()
        monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent, *a, **k: True))  # "Discard changes"
        dialog.reject()

    dialogs.on(Phq9Dialog, fill)
    shortcut(qtbot, window, Qt.Key_P)

    assert seen["open"]
    assert seen["errors"] == [False, False, False] + [True] * 6
    assert seen["answers"] == [3, 3, 3] + [None] * 6
    assert journal.scores.list() == []


@pytest.mark.slow
def test_gad7_has_its_own_wording_credit_and_no_crisis_panel(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        seen["credit"] = dialog.findChild(type(dialog.total_label), "credit").text()
        answer_by_keyboard(qtbot, dialog, [3, 3, 3, 3, 3, 3, 3])
        seen["crisis"] = dialog.crisis_panel.isVisible()
        seen["total"] = dialog.total_label.text()
        click(qtbot, dialog.save_button)

    dialogs.on(Gad7Dialog, fill)
    shortcut(qtbot, window, Qt.Key_G)

    assert seen["credit"] == get_scale("GAD-7").credit
    assert seen["crisis"] is False
    assert seen["total"] == "Total: 21 of 21 (severe)"
    (score,) = journal.scores.list()
    assert score.scale == "GAD-7" and score.total == 21


@pytest.mark.slow
def test_editing_a_phq9_opens_it_with_its_answers(qtbot, window, dialogs, journal):
    from journal.records import ScaleScore

    stored = journal.scores.add(
        ScaleScore(id="", date=window.session.today, scale="PHQ-9", total=4, items=(1, 1, 1, 1, 0, 0, 0, 0, 0))
    ).record
    window.session.reload()
    seen = {}

    def fill(dialog):
        seen["answers"] = dialog.answers()
        dialog.rows[4].buttons[0].setFocus()
        qtbot.keyClick(dialog.rows[4].buttons[0], "3")
        click(qtbot, dialog.save_button)

    dialogs.on(QuestionnaireDialog, fill)
    window.edit_record("scores", stored.id)

    assert seen["answers"] == [1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert journal.scores.get(stored.id).total == 7


@pytest.mark.slow
def test_a_clinician_rated_total_is_checked_against_its_scale(qtbot, window, dialogs, journal):
    from ui.forms import set_combo_value

    seen = {}

    def fill(dialog):
        set_combo_value(dialog.scale_combo, "MADRS")
        seen["max"] = dialog.total_spin.maximum()
        dialog.total_spin.setFocus()
        dialog.total_spin.lineEdit().selectAll()
        qtbot.keyClicks(dialog.total_spin, "31")
        seen["band"] = dialog.severity_label.text()
        click(qtbot, dialog.save_button)

    dialogs.on(ScoreTotalDialog, fill)
    shortcut(qtbot, window, Qt.Key_R, Qt.ControlModifier | Qt.ShiftModifier)

    assert seen["max"] == 60
    assert seen["band"] == "Severity band: moderate"
    (score,) = journal.scores.list()
    assert (score.scale, score.total, score.items) == ("MADRS", 31, None)


@pytest.mark.slow
def test_a_date_that_is_not_a_date_is_named_beside_the_date(qtbot, monkeypatch, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        type_into(qtbot, dialog.date_field, "31/12/2024")
        answer_by_keyboard(qtbot, dialog, [0] * 9)
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["date"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        seen["answers"] = dialog.answers()
        monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent, *a, **k: True))  # "Discard changes"
        dialog.reject()

    dialogs.on(Phq9Dialog, fill)
    shortcut(qtbot, window, Qt.Key_P)

    assert "not a date" in seen["error"] and "YYYY-MM-DD" in seen["error"]
    assert seen["answers"] == [0] * 9
    assert journal.scores.list() == []


@pytest.mark.slow
def test_a_questionnaire_keeps_its_time_after_an_edit_through_the_window(qtbot, window, dialogs, journal):
    stored = journal.scores.add(
        ScaleScore(id="", date=window.session.today, scale="PHQ-9", total=4, items=(1, 1, 1, 1, 0, 0, 0, 0, 0), time=TimeOfDay(7, 15))
    ).record
    window.session.reload()
    seen = {}

    def fill(dialog):
        seen["time"] = dialog.time_field.text()
        dialog.rows[4].buttons[0].setFocus()
        qtbot.keyClick(dialog.rows[4].buttons[0], "2")
        click(qtbot, dialog.save_button)

    dialogs.on(QuestionnaireDialog, fill)
    window.edit_record("scores", stored.id)

    assert seen["time"] == "07:15"  # its own time, not the time now
    edited = journal.scores.get(stored.id)
    assert (edited.total, edited.time) == (6, TimeOfDay(7, 15))
    assert window.lists["scores"].cell_text(stored.id, "Time") == "07:15"
