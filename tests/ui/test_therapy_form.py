"""Adding, checking, editing and undoing a course of psychotherapy through its form, by keyboard, as a person would."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

import ui.fit
from journal.records import Episode, Rating, Therapy
from tests.ui.conftest import click, shortcut, toggle, type_into
from ui.forms import DiscardBox, set_combo_value
from ui.therapy_dialog import TherapyDialog


def _open(qtbot, session, record=None) -> TherapyDialog:
    dialog = TherapyDialog(session, record)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.slow
def test_a_remembered_cbt_course_from_the_add_menu(qtbot, window, dialogs, journal):
    journal.episodes.add(Episode(id="", start=date(2021, 1, 1)))
    window.session.reload()
    seen = {}

    def fill(dialog):
        seen["title"] = dialog.windowTitle()
        seen["focus"] = QApplication.focusWidget() is dialog.kind_combo
        set_combo_value(dialog.kind_combo, "cbt")
        toggle(qtbot, dialog.start_field.rough_check)
        type_into(qtbot, dialog.start_field, "2021-09")
        toggle(qtbot, dialog.end_field.rough_check)
        type_into(qtbot, dialog.end_field, "2022-01")
        qtbot.keyClicks(dialog.sessions_edit, "16")
        set_combo_value(dialog.rating_combo, "partial")
        qtbot.keyClicks(dialog.improvement_edit, "30")
        set_combo_value(dialog.stop_combo, "other")
        set_combo_value(dialog.source_combo, "memory")
        qtbot.keyClicks(dialog.note_edit, "group course at the clinic")
        click(qtbot, dialog.save_button)

    dialogs.on(TherapyDialog, fill)
    window.add_actions["therapies"].trigger()

    assert seen["title"] == "Add psychotherapy course" and seen["focus"]
    (therapy,) = journal.therapies.list()
    assert (therapy.kind, therapy.start, therapy.start_precision, therapy.end, therapy.end_precision) == (
        "cbt", date(2021, 9, 1), "month", date(2022, 1, 1), "month")
    assert (therapy.sessions, therapy.rating, therapy.stop_reason, therapy.source) == (16, Rating("partial", 30.0), "other", "memory")
    assert therapy.note == "group course at the clinic"
    assert window.lists["therapies"].visible_ids() == [therapy.id]
    assert "Therapy added" in window.statusBar().currentMessage()
    assert any(v.id == therapy.id for v in window.session.assessment().therapies)  # listed beside the trials

    shortcut(qtbot, window, Qt.Key_Z)
    assert journal.therapies.list() == []


@pytest.mark.slow
def test_other_needs_a_name_and_a_bad_count_is_named_beside_it(qtbot, monkeypatch, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        set_combo_value(dialog.kind_combo, "other")
        type_into(qtbot, dialog.start_field, "2020-02-10")
        qtbot.keyClicks(dialog.sessions_edit, "a dozen")
        click(qtbot, dialog.save_button)
        seen["name"] = dialog._error_slots["name"][0].text()
        seen["sessions"] = dialog._error_slots["sessions"][0].text()
        seen["focus"] = QApplication.focusWidget() is dialog.name_edit
        seen["stored"] = journal.therapies.list()
        qtbot.keyClicks(dialog.name_edit, "schema therapy")
        type_into(qtbot, dialog.sessions_edit, "12")
        click(qtbot, dialog.save_button)

    dialogs.on(TherapyDialog, fill)
    window.add_actions["therapies"].trigger()

    assert "needed when the kind is Other" in seen["name"]
    assert "not a number: 'a dozen'" in seen["sessions"]
    assert seen["focus"] and seen["stored"] == []
    (therapy,) = journal.therapies.list()
    assert (therapy.kind, therapy.name, therapy.start, therapy.start_precision, therapy.sessions) == (
        "other", "schema therapy", date(2020, 2, 10), "day", 12)


@pytest.mark.slow
def test_editing_a_course_shows_its_dates_as_entered_and_undo_restores_it(qtbot, window, dialogs, journal):
    stored = journal.therapies.add(
        Therapy(id="", kind="ipt", start=date(2019, 1, 1), start_precision="year", sessions=10, source="memory")
    ).record
    window.session.reload()
    seen = {}

    def fill(dialog):
        seen["shown"] = (dialog.windowTitle(), dialog.start_field.text(), dialog.start_field.roughly, dialog.end_field.text())
        # a clinic letter gives the exact dates
        toggle(qtbot, dialog.start_field.rough_check)
        type_into(qtbot, dialog.start_field, "2019-04-02")
        type_into(qtbot, dialog.end_field, "2019-07-30")
        set_combo_value(dialog.source_combo, "records")
        click(qtbot, dialog.save_button)

    dialogs.on(TherapyDialog, fill)
    window.edit_record("therapies", stored.id)

    assert seen["shown"] == ("Edit psychotherapy course", "2019", True, "")
    changed = journal.therapies.get(stored.id)
    assert (changed.start, changed.start_precision, changed.end, changed.source) == (date(2019, 4, 2), "day", date(2019, 7, 30), "records")
    shortcut(qtbot, window, Qt.Key_Z)
    assert journal.therapies.get(stored.id) == stored


def test_an_unchanged_course_gives_back_the_record_it_was_opened_with(qtbot, session):
    record = Therapy(id="p-1", kind="dbt", start=date(2018, 5, 1), start_precision="month", end=date(2019, 1, 1), end_precision="year",
                     sessions=40, stop_reason="remission", rating=Rating("remission"), source="records", note="weekly")
    dialog = _open(qtbot, session, record)
    assert dialog.build_record() == record
    assert not dialog.has_changes()


def test_every_control_is_named_and_tab_walks_the_form_down(qtbot, session):
    dialog = _open(qtbot, session)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    kinds = (QLineEdit, QComboBox, QAbstractButton, QPlainTextEdit)
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(dialog) and not isinstance(w.parent(), QComboBox)]
    assert [w for w in controls if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))] == []
    assert "Started: I don't remember exactly (give a month or a year)" in {w.accessibleName() for w in controls}

    first = QApplication.focusWidget()
    visited = [first]
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        w = QApplication.focusWidget()
        if w is first or w in visited:
            break
        visited.append(w)
    assert dialog.save_button in visited
    assert dialog.start_field.rough_check in visited and dialog.end_field.rough_check in visited
    order = [(w.mapTo(dialog, QPoint(0, w.height() // 2)).y(), w) for w in visited]
    for (y_a, a), (y_b, b) in zip(order, order[1:], strict=False):
        assert y_b >= y_a - a.height(), f"Tab goes back up from {a.accessibleName()} to {b.accessibleName()}"

    keys: dict[str, list[str]] = {}
    for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
        m = re.search(r"&([^&\s])", w.text().replace("&&", ""))
        if m and w.isVisibleTo(dialog):
            keys.setdefault(m.group(1).lower(), []).append(w.text())
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}


@pytest.mark.slow
@pytest.mark.parametrize("scale", (1.0, 1.5, 2.0))
def test_the_form_fits_a_laptop_screen_at_every_text_size(qtbot, monkeypatch, session, look, scale):
    laptop = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(ui.fit, "available_geometry", lambda widget: QRect(laptop))
    monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, *a, **k: True))
    look.apply(text_scale=scale)
    dialog = _open(qtbot, session)
    assert laptop.contains(dialog.frameGeometry())
    assert dialog.save_button.isVisible()
    assert dialog.scroll.widget().width() <= dialog.scroll.viewport().width()


def test_the_add_menu_offers_the_course_and_the_history_by_keyboard(window):
    texts = [a.text() for a in window.add_menu.actions() if not a.isSeparator()]
    assert "Ps&ychotherapy course…" in texts and any(t.startswith("Your &history") for t in texts)
    letters = [re.search(r"&(.)", t).group(1).lower() for t in texts]
    assert len(letters) == len(set(letters)), texts  # each entry its own Alt letter
