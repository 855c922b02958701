"""The quick check-in by keyboard alone, the smaller forms, and the lists' search and sorting."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.records import Condition, Lab, Note, ScaleScore
from tests.ui.conftest import click, days_ago, shortcut, toggle, type_into
from ui.checkin_dialog import CheckInDialog
from ui.forms import DiscardBox, set_combo_value
from ui.record_dialogs import ConditionDialog, EpisodeDialog, LabDialog, NoteDialog, SessionDialog


@pytest.mark.slow
def test_a_daily_check_in_by_keyboard_alone(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        # focus starts on the date (today); Tab walks down the form in reading order
        assert QApplication.focusWidget() is dialog.date_field.line
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        assert QApplication.focusWidget() is dialog.time_field.line  # the time, now unless changed
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        mood = QApplication.focusWidget()
        seen["first_slider"] = mood.accessibleName()
        for _ in range(6):  # from 0 ("not rated" until it moves) to 6
            qtbot.keyClick(mood, Qt.Key_Right)
        seen["mood_label"] = dialog.sliders["mood"].value_label.text()
        qtbot.keyClick(mood, Qt.Key_Tab)  # to mood's "Not rated", now unticked
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        anxiety = QApplication.focusWidget()
        for _ in range(3):
            qtbot.keyClick(anxiety, Qt.Key_Right)
        for _ in range(8):  # anxiety's "Not rated"; sleep quality, energy, pain (each slider and its tick): left not rated
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        hours = QApplication.focusWidget()
        seen["hours_field"] = hours.accessibleName()
        hours.lineEdit().selectAll() if hasattr(hours, "lineEdit") else None
        qtbot.keyClicks(hours, "6.5")
        qtbot.keyClick(hours, Qt.Key_Tab)
        qtbot.keyClicks(QApplication.focusWidget(), "walked to the shop")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)  # Enter saves

    dialogs.on(CheckInDialog, fill)
    shortcut(qtbot, window, Qt.Key_D)

    assert seen["first_slider"] == "Mood"
    assert seen["mood_label"] == "6 of 10"
    assert seen["hours_field"] == "Hours slept"
    (checkin,) = journal.checkins.list()
    assert checkin.date == window.session.today
    assert (checkin.mood, checkin.anxiety, checkin.sleep_quality, checkin.energy, checkin.pain) == (6, 3, None, None, None)
    assert checkin.hours_slept == 6.5 and checkin.note == "walked to the shop"
    assert window.lists["checkins"].cell_text(checkin.id, "Mood") == "6"


@pytest.mark.slow
def test_a_check_in_with_nothing_rated_says_so(qtbot, monkeypatch, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        click(qtbot, dialog.save_button)
        seen["message"] = dialog.general_error.text() if dialog.general_error.isVisible() else ""
        monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent, *a, **k: True))  # "Discard changes"
        dialog.reject()

    dialogs.on(CheckInDialog, fill)
    shortcut(qtbot, window, Qt.Key_D)

    assert "at least one rating" in seen["message"]
    assert journal.checkins.list() == []


@pytest.mark.slow
def test_an_episode_and_its_end_before_its_start(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        type_into(qtbot, dialog.start_field, days_ago(300).isoformat())
        type_into(qtbot, dialog.end_field, days_ago(400).isoformat())
        set_combo_value(dialog.severity_combo, "severe")
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["end"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        type_into(qtbot, dialog.end_field, "")
        click(qtbot, dialog.save_button)

    dialogs.on(EpisodeDialog, fill)
    shortcut(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)

    assert "must be on or after the start" in seen["error"]
    (episode,) = journal.episodes.list()
    assert (episode.start, episode.end, episode.severity) == (days_ago(300), None, "severe")
    assert window.lists["episodes"].cell_text(episode.id, "Ended") == "ongoing"


def test_a_lab_result_offers_the_units_of_a_known_test(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        dialog.test_combo.setFocus()
        dialog.test_combo.lineEdit().selectAll()
        qtbot.keyClicks(dialog.test_combo, "CRP")
        seen["units"] = [dialog.unit_combo.itemText(i) for i in range(dialog.unit_combo.count())]
        qtbot.keyClicks(dialog.value_edit, "4,2")  # a decimal comma is read as a point
        click(qtbot, dialog.save_button)

    dialogs.on(LabDialog, fill)
    shortcut(qtbot, window, Qt.Key_L)

    assert seen["units"] == ["mg/L"]
    (lab,) = journal.labs.list()
    assert (lab.test, lab.value, lab.unit) == ("CRP", 4.2, "mg/L")


@pytest.mark.slow
def test_a_condition_with_its_status(qtbot, window, dialogs, journal):
    def fill(dialog):
        dialog.name_combo.lineEdit().selectAll()
        qtbot.keyClicks(dialog.name_combo, "insomnia")
        set_combo_value(dialog.status_combo, "diagnosed")
        type_into(qtbot, dialog.since_field, "2019-05-01")
        click(qtbot, dialog.save_button)

    dialogs.on(ConditionDialog, fill)
    shortcut(qtbot, window, Qt.Key_O, Qt.ControlModifier | Qt.ShiftModifier)

    (condition,) = journal.conditions.list()
    assert (condition.name, condition.status, condition.since.isoformat()) == ("insomnia", "diagnosed", "2019-05-01")


@pytest.mark.slow
def test_an_esketamine_session_with_blood_pressure(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        type_into(qtbot, dialog.date_field, days_ago(2).isoformat())
        qtbot.keyClicks(dialog.dose_edit, "56")
        qtbot.keyClicks(dialog.number_edit, "3")
        qtbot.keyClicks(dialog.bp_before_edit, "128 82")
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["bp_before"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        type_into(qtbot, dialog.bp_before_edit, "128/82")
        qtbot.keyClicks(dialog.bp_after_edit, "141/88")
        toggle(qtbot, dialog.transport_check)
        click(qtbot, dialog.save_button)

    dialogs.on(SessionDialog, fill)
    shortcut(qtbot, window, Qt.Key_K)

    assert "systolic/diastolic" in seen["error"]
    (session,) = journal.sessions.list()
    assert session.treatment == "esketamine" and session.dose_mg == 56.0 and session.number_in_course == 3
    assert (session.bp_before, session.bp_after, session.transport_arranged) == ((128, 82), (141, 88), True)
    assert isinstance(session.datetime, datetime) and session.datetime.tzinfo is not None
    assert session.date == days_ago(2)


@pytest.mark.slow
def test_a_note_for_the_next_appointment(qtbot, window, dialogs, journal):
    def fill(dialog):
        qtbot.keyClicks(dialog.text_edit, "Ask about a thyroid panel")
        click(qtbot, dialog.save_button)

    dialogs.on(NoteDialog, fill)
    shortcut(qtbot, window, Qt.Key_N)

    (note,) = journal.notes.list()
    assert note.text == "Ask about a thyroid panel" and note.for_appointment
    assert window.lists["notes"].cell_text(note.id, "For next appointment") == "yes"


@pytest.mark.slow
def test_a_note_past_its_length_limit_says_so_beside_the_text(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        dialog.text_edit.setPlainText("Questions for Dr Okafor. " + "x" * 20_000)
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["text"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        seen["stored_meanwhile"] = len(journal.notes.list())
        dialog.text_edit.setPlainText("Questions for Dr Okafor.")
        click(qtbot, dialog.save_button)

    dialogs.on(NoteDialog, fill)
    shortcut(qtbot, window, Qt.Key_N)

    assert "a note may have at most 20,000 characters, this one has 20,025" in seen["error"]
    assert seen["stored_meanwhile"] == 0
    (note,) = journal.notes.list()
    assert note.text == "Questions for Dr Okafor."


@pytest.mark.slow
def test_search_and_sort_a_list(qtbot, window, journal):
    for n, test, value in ((30, "CRP", 4.2), (20, "TSH", 2.1), (10, "CRP", 1.5)):
        journal.labs.add(Lab(id="", date=days_ago(n), test=test, value=value, unit="mg/L"))
    journal.notes.add(Note(id="", date=days_ago(5), text="nothing to do with labs"))
    window.session.reload()
    window.tabs.setCurrentWidget(window.lists["labs"])
    labs = window.lists["labs"]
    ids = {journal.labs.get(i).date: i for i in labs.visible_ids()}
    assert labs.visible_ids() == [ids[days_ago(10)], ids[days_ago(20)], ids[days_ago(30)]]  # newest first

    shortcut(qtbot, window, Qt.Key_F)
    assert QApplication.focusWidget() is labs.search
    qtbot.keyClicks(labs.search, "crp")
    assert labs.visible_ids() == [ids[days_ago(10)], ids[days_ago(30)]]

    labs.search.clear()
    header = labs.table.horizontalHeader()
    value_column = [c.header for c in labs.model.columns].index("Value")
    click_pos = header.sectionViewportPosition(value_column) + header.sectionSize(value_column) // 2
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(click_pos, header.height() // 2))
    values = [journal.labs.get(i).value for i in labs.visible_ids()]
    assert values in ([1.5, 2.1, 4.2], [4.2, 2.1, 1.5])

    # a new record takes its place in the order the person chose, and the selection stays
    labs.select_id(ids[days_ago(20)])
    journal.labs.add(Lab(id="", date=days_ago(1), test="IL-6", value=3.0, unit="pg/mL"))
    window.session.reload()
    again = [journal.labs.get(i).value for i in labs.visible_ids()]
    assert again == sorted(values + [3.0], reverse=values[0] > values[-1])
    assert labs.selected_id() == ids[days_ago(20)]


@pytest.mark.slow
def test_scores_list_shows_severity_in_words(qtbot, window, journal):
    stored = journal.scores.add(ScaleScore(id="", date=days_ago(3), scale="PHQ-9", total=16)).record
    window.session.reload()
    assert window.lists["scores"].cell_text(stored.id, "Severity") == "moderately severe"


@pytest.mark.slow
def test_caregiver_authorship_comes_back_when_a_delete_is_undone(qtbot, window, journal):
    stored = journal.conditions.add(Condition(id="", name="ADHD")).record
    journal.set_author(stored.id, "caregiver")
    window.session.reload()
    window.delete_record("conditions", stored.id)
    assert journal.conditions.list() == []
    shortcut(qtbot, window, Qt.Key_Z)
    assert journal.author_of(stored.id) == "caregiver"


@pytest.mark.slow
def test_importing_a_file_from_the_window_and_a_bad_one_changing_nothing(qtbot, window, journal, monkeypatch, tmp_path):
    import json

    from journal.exchange.jsonfile import contents_to_json
    from journal.records import DoseStep, JournalContents, Trial
    from ui.main_window import FileChooser, Notice

    good = tmp_path / "good.json"
    contents = JournalContents(trials=(Trial(id="t9", drug="sertraline", doses=(DoseStep(days_ago(60), 50.0),)),))
    good.write_text(json.dumps(contents_to_json(contents)), encoding="utf-8")
    bad = tmp_path / "bad.json"
    data = contents_to_json(contents)
    data["trials"][0]["id"] = "t10"
    data["trials"][0]["doses"][0]["mg_per_day"] = -50
    bad.write_text(json.dumps(data), encoding="utf-8")
    notices = []
    monkeypatch.setattr(Notice, "show", classmethod(lambda cls, parent, title, text, warning=False: notices.append((title, text))))

    monkeypatch.setattr(FileChooser, "open_path", classmethod(lambda cls, parent, title, filter_: str(good)))
    shortcut(qtbot, window, Qt.Key_I)
    # the import runs off the window's thread: the journal's views wait for it, then show what came in
    assert not window.import_action.isEnabled()
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=10_000)
    assert window.statusBar().currentMessage() == "The file was imported."
    assert window.lists["trials"].visible_ids() == ["t9"]
    assert window.import_action.isEnabled()

    monkeypatch.setattr(FileChooser, "open_path", classmethod(lambda cls, parent, title, filter_: str(bad)))
    shortcut(qtbot, window, Qt.Key_I)
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=10_000)
    title, text = notices[-1]
    assert title == "Nothing was imported"
    assert "trials[t10].doses[0].mg_per_day" in text and "-50" in text
    assert [t.id for t in journal.trials.list()] == ["t9"]


# -- remembered dates and the session's monitoring (version 2) -------------------------------------------


@pytest.mark.slow
def test_an_episode_remembered_by_the_year_and_the_month(qtbot, window, dialogs, journal):
    from datetime import date

    seen = {}

    def fill(dialog):
        toggle(qtbot, dialog.start_field.rough_check)
        type_into(qtbot, dialog.start_field, "2017")
        toggle(qtbot, dialog.end_field.rough_check)
        type_into(qtbot, dialog.end_field, "2016-11")  # before the start: the journal refuses it
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["end"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        type_into(qtbot, dialog.end_field, "2018-11")
        click(qtbot, dialog.save_button)

    dialogs.on(EpisodeDialog, fill)
    shortcut(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)

    assert "must be on or after the start (2017)" in seen["error"]
    (episode,) = journal.episodes.list()
    assert (episode.start, episode.start_precision, episode.end, episode.end_precision) == (date(2017, 1, 1), "year", date(2018, 11, 1), "month")

    reopened = EpisodeDialog(window.session, episode)
    qtbot.addWidget(reopened)
    assert (reopened.start_field.text(), reopened.start_field.roughly, reopened.end_field.text()) == ("2017", True, "2018-11")


@pytest.mark.slow
def test_a_condition_known_since_a_year(qtbot, window, dialogs, journal):
    from datetime import date

    seen = {}

    def fill(dialog):
        dialog.name_combo.lineEdit().selectAll()
        qtbot.keyClicks(dialog.name_combo, "hypothyroidism")
        type_into(qtbot, dialog.since_field, "2012")  # a year without the box ticked: named, with what to do
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["since"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        toggle(qtbot, dialog.since_field.rough_check)
        click(qtbot, dialog.save_button)

    dialogs.on(ConditionDialog, fill)
    shortcut(qtbot, window, Qt.Key_O, Qt.ControlModifier | Qt.ShiftModifier)

    assert "'2012' is a year, not a day" in seen["error"]
    (condition,) = journal.conditions.list()
    assert (condition.since, condition.since_precision) == (date(2012, 1, 1), "year")


@pytest.mark.slow
def test_an_esketamine_session_with_the_clinics_monitoring(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        type_into(qtbot, dialog.date_field, days_ago(1).isoformat())
        set_combo_value(dialog.phase_combo, "induction")
        qtbot.keyClicks(dialog.bp_before_edit, "128/82")
        qtbot.keyClicks(dialog.bp_40min_edit, "146-90")
        qtbot.keyClicks(dialog.spo2_edit, "42")
        qtbot.keyClicks(dialog.minutes_edit, "120")
        click(qtbot, dialog.save_button)
        seen["bp"] = dialog._error_slots["bp_40min"][0].text()
        seen["spo2"] = dialog._error_slots["spo2_min"][0].text()
        type_into(qtbot, dialog.bp_40min_edit, "146/90")
        type_into(qtbot, dialog.spo2_edit, "94")
        toggle(qtbot, dialog.ready_check)
        toggle(qtbot, dialog.transport_check)
        click(qtbot, dialog.save_button)

    dialogs.on(SessionDialog, fill)
    shortcut(qtbot, window, Qt.Key_K)

    assert "systolic/diastolic" in seen["bp"]
    assert "50" in seen["spo2"] and "42" in seen["spo2"]  # the allowed range, and what was typed
    (session,) = journal.sessions.list()
    assert (session.phase, session.bp_40min, session.spo2_min, session.monitored_minutes) == ("induction", (146, 90), 94.0, 120)
    assert session.ready_to_leave and session.transport_arranged

    reopened = SessionDialog(window.session, session)
    qtbot.addWidget(reopened)
    assert (reopened.phase_combo.currentData(), reopened.bp_40min_edit.text(), reopened.spo2_edit.text()) == ("induction", "146/90", "94")
    assert reopened.minutes_edit.text() == "120" and reopened.ready_check.isChecked()


def test_an_episode_that_runs_into_another_is_refused_naming_it(qtbot, window, dialogs, journal):
    from datetime import date

    from journal.records import Episode

    window.session.add("episodes", Episode(id="", start=date(2019, 1, 1), start_precision="year", end=date(2020, 6, 1),
                                           end_precision="month"))
    seen = {}

    def fill(dialog):
        toggle(qtbot, dialog.start_field.rough_check)
        type_into(qtbot, dialog.start_field, "2020-06")  # the month the earlier episode ended in
        click(qtbot, dialog.save_button)
        error = dialog._error_slots["start"][0]
        seen["error"] = error.text() if error.isVisible() else ""
        type_into(qtbot, dialog.start_field, "2020-07")
        click(qtbot, dialog.save_button)

    dialogs.on(EpisodeDialog, fill)
    shortcut(qtbot, window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)

    assert "runs into the episode from 2019 to Jun 2020: episodes may not overlap" in seen["error"]
    assert [(e.start, e.start_precision) for e in journal.episodes.list()] == [(date(2019, 1, 1), "year"), (date(2020, 7, 1), "month")]
