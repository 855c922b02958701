"""Adding, checking, editing and undoing trials through the real trial dialog, as a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.records import DoseStep, Episode, Rating, Trial
from tests.ui.conftest import click, days_ago, shortcut, toggle, type_into
from ui.forms import ConfirmBox, DiscardBox
from ui.trial_dialog import TrialDialog


def fill_sertraline(qtbot, dialog, *, end: str | None = None) -> None:
    """Zoloft (a brand) from 120 days ago at 50 mg, 100 mg from 92 days ago; ended `end` when given."""
    qtbot.keyClicks(dialog.drug_edit, "Zoloft")
    first = dialog.doses.rows[0]
    type_into(qtbot, first["start"], days_ago(120).isoformat())
    qtbot.keyClicks(first["mg"], "50")
    click(qtbot, dialog.doses.add_button)
    second = dialog.doses.rows[1]
    type_into(qtbot, second["start"], days_ago(92).isoformat())
    qtbot.keyClicks(second["mg"], "100")
    if end is not None:
        toggle(qtbot, dialog.ongoing_check)
        type_into(qtbot, dialog.end_field, end)


@pytest.mark.slow
def test_adding_a_trial_with_two_dose_steps_shows_it_in_the_list(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        fill_sertraline(qtbot, dialog, end=days_ago(10).isoformat())
        # the catalog's minimum and its source appear as soon as the brand name is typed
        seen["info"] = dialog.drug_info.text()
        dialog.adherence_combo.setFocus()
        qtbot.keyClick(dialog.adherence_combo, Qt.Key_Down)  # "Good"
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert "sertraline" in seen["info"]
    assert "50 mg/day, MGH-ATRQ list" in seen["info"]
    (trial,) = journal.trials.list()
    assert trial.drug == "sertraline"  # the brand resolved to its generic name
    assert trial.doses == (DoseStep(days_ago(120), 50.0), DoseStep(days_ago(92), 100.0))
    assert trial.end == days_ago(10)
    assert trial.adherence == "good"
    trials = window.lists["trials"]
    assert trials.visible_ids() == [trial.id]
    assert trials.cell_text(trial.id, "Doses") == "50 → 100 mg/day"
    assert trials.cell_text(trial.id, "Adherence") == "good"
    assert "Trial added" in window.statusBar().currentMessage()


@pytest.mark.slow
def test_a_validation_error_is_shown_beside_its_field_and_nothing_typed_is_lost(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        # the end is before the second step starts: the journal refuses it
        fill_sertraline(qtbot, dialog, end=days_ago(100).isoformat())
        qtbot.keyClicks(dialog.note_edit, "Felt flat on it")
        click(qtbot, dialog.save_button)
        end_error = dialog._error_slots["end"][0]
        seen["visible"] = dialog.isVisible()
        seen["end_error"] = end_error.text() if end_error.isVisible() else ""
        seen["typed"] = (
            dialog.drug_edit.text(),
            [(r["start"].text(), r["mg"].text()) for r in dialog.doses.rows],
            dialog.end_field.text(),
            dialog.note_edit.toPlainText(),
        )
        seen["stored_before_fix"] = journal.trials.list()
        # correcting the one field is enough: everything else is still there
        type_into(qtbot, dialog.end_field, days_ago(30).isoformat())
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert seen["visible"]
    assert "must be on or after the last dose step's start" in seen["end_error"]
    assert seen["typed"] == (
        "Zoloft",
        [(days_ago(120).isoformat(), "50"), (days_ago(92).isoformat(), "100")],
        days_ago(100).isoformat(),
        "Felt flat on it",
    )
    assert seen["stored_before_fix"] == []
    (trial,) = journal.trials.list()
    assert trial.end == days_ago(30) and trial.note == "Felt flat on it"


@pytest.mark.slow
def test_a_dose_that_is_not_a_number_is_named_on_its_own_row(qtbot, monkeypatch, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        fill_sertraline(qtbot, dialog)
        type_into(qtbot, dialog.doses.rows[1]["mg"], "lots")
        click(qtbot, dialog.save_button)
        row_error = dialog.doses.rows[1]["error"]
        seen["error"] = row_error.text() if row_error.isVisible() else ""
        seen["first_row_error"] = dialog.doses.rows[0]["error"].isVisible()
        monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, parent, *a, **k: True))  # "Discard changes"
        dialog.reject()

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert "Dose step 2" in seen["error"] and "not a number" in seen["error"]
    assert not seen["first_row_error"]
    assert journal.trials.list() == []


@pytest.mark.slow
def test_a_dose_above_the_typical_maximum_asks_before_saving(qtbot, window, dialogs, journal, monkeypatch):
    questions = []
    answers = iter([False, True])

    def confirm(cls, parent, title, text):
        questions.append(text)
        return next(answers)

    monkeypatch.setattr(ConfirmBox, "ask", classmethod(confirm))

    def fill(dialog):
        fill_sertraline(qtbot, dialog)
        type_into(qtbot, dialog.doses.rows[1]["mg"], "300")
        click(qtbot, dialog.save_button)  # "No": back to the form, nothing saved
        questions.append(("still open", dialog.isVisible(), journal.trials.list()))
        click(qtbot, dialog.save_button)  # "Yes": kept as entered

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert "300 mg/day" in questions[0] and "typical maximum" in questions[0] and "200 mg/day" in questions[0]
    assert questions[1] == ("still open", True, [])
    (trial,) = journal.trials.list()
    assert trial.doses[1].mg_per_day == 300.0


@pytest.mark.slow
def test_a_drug_the_catalog_does_not_know_is_kept_as_typed(qtbot, window, dialogs, journal):
    seen = {}

    def fill(dialog):
        qtbot.keyClicks(dialog.drug_edit, "Moodbetterol")
        seen["info"] = dialog.drug_info.text()
        type_into(qtbot, dialog.doses.rows[0]["start"], days_ago(20).isoformat())
        qtbot.keyClicks(dialog.doses.rows[0]["mg"], "10")
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert "Not in the drug catalog" in seen["info"]
    (trial,) = journal.trials.list()
    assert trial.drug == "Moodbetterol" and trial.end is None


def _stored_trial(journal) -> Trial:
    change = journal.trials.add(
        Trial(
            id="",
            drug="sertraline",
            doses=(DoseStep(days_ago(120), 50.0), DoseStep(days_ago(92), 100.0)),
            end=days_ago(10),
            adherence="good",
        )
    )
    return change.record


@pytest.mark.slow
def test_edit_then_undo_and_redo(qtbot, journal, session, dialogs, qsettings, look):
    trial = _stored_trial(journal)
    from ui.main_window import MainWindow

    window = MainWindow(session, settings=qsettings, look=look)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    trials = window.lists["trials"]
    assert trials.cell_text(trial.id, "Doses") == "50 → 100 mg/day"

    def fill(dialog):
        assert dialog.windowTitle() == "Edit trial"
        type_into(qtbot, dialog.doses.rows[1]["mg"], "150")
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    trials.table.setFocus()
    trials.select_id(trial.id)
    shortcut(qtbot, window, Qt.Key_E)
    assert trials.cell_text(trial.id, "Doses") == "50 → 150 mg/day"
    assert journal.trials.get(trial.id).doses[1].mg_per_day == 150.0

    shortcut(qtbot, window, Qt.Key_Z)
    assert trials.cell_text(trial.id, "Doses") == "50 → 100 mg/day"
    assert journal.trials.get(trial.id).doses[1].mg_per_day == 100.0

    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert trials.cell_text(trial.id, "Doses") == "50 → 150 mg/day"


@pytest.mark.slow
def test_delete_then_undo_brings_the_trial_back_with_its_id(qtbot, window, journal):
    trial = _stored_trial(journal)
    window.session.reload()
    trials = window.lists["trials"]
    trials.table.setFocus()
    assert trials.select_id(trial.id)

    qtbot.keyClick(trials.table, Qt.Key_Delete)
    assert trials.visible_ids() == []
    assert journal.trials.list() == []
    assert "Ctrl+Z brings it back" in window.statusBar().currentMessage()

    shortcut(qtbot, window, Qt.Key_Z)
    assert trials.visible_ids() == [trial.id]
    assert journal.trials.get(trial.id) == trial


@pytest.mark.slow
def test_a_rating_and_side_effects_are_saved_with_the_trial(qtbot, window, dialogs, journal):
    from ui.forms import set_combo_value

    def fill(dialog):
        fill_sertraline(qtbot, dialog, end=days_ago(10).isoformat())
        set_combo_value(dialog.rating_combo, "partial")
        qtbot.keyClicks(dialog.improvement_edit, "30")
        type_into(qtbot, dialog.rating_date, days_ago(10).isoformat())
        set_combo_value(dialog.stop_combo, "side_effects")
        click(qtbot, dialog.side_effects.add_button)
        row = dialog.side_effects.rows[0]
        qtbot.keyClicks(row["name"], "nausea")
        set_combo_value(row["severity"], 2)
        type_into(qtbot, row["start"], days_ago(118).isoformat())
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    (trial,) = journal.trials.list()
    assert trial.rating == Rating("partial", 30.0, days_ago(10))
    assert trial.stop_reason == "side_effects"
    assert [(s.name, s.severity, s.start) for s in trial.side_effects] == [("nausea", 2, days_ago(118))]
    assert window.lists["trials"].cell_text(trial.id, "Side effects") == "nausea"


@pytest.mark.slow
def test_the_episode_makes_the_trials_list_show_adequacy_at_a_glance(qtbot, window, journal):
    journal.episodes.add(Episode(id="", start=days_ago(200)))
    trial = _stored_trial(journal)
    window.session.reload()
    text = window.lists["trials"].cell_text(trial.id, "Adequate?")
    # 50 mg from day 120 to day 10 before today: 111 days at or above sertraline's 50 mg minimum
    assert text == "yes, 15 weeks at an adequate dose"


# -- remembered trials (version 2) -------------------------------------------------------------------------


@pytest.mark.slow
def test_a_remembered_trial_with_months_a_year_and_a_dose_not_remembered(qtbot, window, dialogs, journal):
    from datetime import date

    from ui.forms import set_combo_value

    seen = {}

    def fill(dialog):
        qtbot.keyClicks(dialog.drug_edit, "venlafaxine")
        first = dialog.doses.rows[0]
        toggle(qtbot, first["start"].rough_check)  # "I don't remember exactly"
        type_into(qtbot, first["start"], "2019-03")
        toggle(qtbot, first["unknown"])  # "I don't remember the dose"
        seen["dose field off"] = not first["mg"].isEnabled()
        seen["hint"] = dialog.dose_check.text()
        toggle(qtbot, dialog.ongoing_check)
        toggle(qtbot, dialog.end_field.rough_check)
        type_into(qtbot, dialog.end_field, "2019")
        set_combo_value(dialog.source_combo, "memory")
        set_combo_value(dialog.rating_combo, "none")
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert seen["dose field off"]
    assert "don't remember" in seen["hint"] and "150 mg/day" in seen["hint"]
    (trial,) = journal.trials.list()
    assert trial.doses == (DoseStep(date(2019, 3, 1), None, "month"),)
    assert (trial.end, trial.end_precision, trial.source) == (date(2019, 1, 1), "year", "memory")
    assert window.session.assessment().trials[0].approximate


@pytest.mark.slow
def test_a_month_typed_without_ticking_the_box_says_how_to_keep_it(qtbot, window, dialogs, journal):
    from datetime import date

    seen = {}

    def fill(dialog):
        qtbot.keyClicks(dialog.drug_edit, "sertraline")
        first = dialog.doses.rows[0]
        type_into(qtbot, first["start"], "2019-03")
        qtbot.keyClicks(first["mg"], "100")
        click(qtbot, dialog.save_button)
        seen["error"] = first["error"].text() if first["error"].isVisible() else ""
        seen["kept"] = first["start"].text()
        toggle(qtbot, first["start"].rough_check)
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    assert "Dose step 1: start date" in seen["error"]
    assert "'2019-03' is a month, not a day" in seen["error"] and "I don't remember exactly" in seen["error"]
    assert seen["kept"] == "2019-03"
    (trial,) = journal.trials.list()
    assert trial.doses == (DoseStep(date(2019, 3, 1), 100.0, "month"),)


def test_a_remembered_trial_opens_at_the_precision_it_was_entered(qtbot, session):
    from datetime import date

    trial = Trial(
        id="t-1",
        drug="venlafaxine",
        doses=(DoseStep(date(2019, 3, 1), None, "month"), DoseStep(date(2020, 1, 1), 225.0, "year")),
        end=date(2020, 1, 1),
        end_precision="year",
        source="records",
    )
    dialog = TrialDialog(session, trial)
    qtbot.addWidget(dialog)
    dialog.show()
    first, second = dialog.doses.rows
    assert (first["start"].text(), first["start"].roughly, first["unknown"].isChecked(), first["mg"].text()) == ("2019-03", True, True, "")
    assert (second["start"].text(), second["start"].roughly, second["mg"].text()) == ("2020", True, "225")
    assert (dialog.end_field.text(), dialog.end_field.roughly) == ("2020", True)
    assert dialog.source_combo.currentData() == "records"
    # nothing changed: the form gives back the very record it was opened with
    assert dialog.build_record() == trial
    assert not dialog.has_changes()


@pytest.mark.slow
def test_making_a_remembered_trial_exact_moves_the_verdict(qtbot, window, dialogs, journal):
    from datetime import date

    journal.episodes.add(Episode(id="", start=date(2018, 1, 1)))
    journal.trials.add(
        Trial(id="", drug="sertraline", doses=(DoseStep(date(2018, 2, 1), 100.0),), end=date(2018, 6, 1), adherence="good",
              rating=Rating("none"))
    )
    remembered = journal.trials.add(
        Trial(id="", drug="venlafaxine", doses=(DoseStep(date(2019, 3, 1), None, "month"),), end=date(2019, 9, 1),
              end_precision="month", rating=Rating("none"), source="memory")
    ).record
    window.session.reload()
    before = window.session.assessment()
    verdict_before = window.assessment_panel.verdict_label.text()
    assert (before.failed_adequate_count, before.possible_count, before.threshold_met) == (1, 2, False)

    def fill(dialog):
        step = dialog.doses.rows[0]
        toggle(qtbot, step["unknown"])  # the pharmacy record arrived: 225 mg/day from 4 March
        type_into(qtbot, step["mg"], "225")
        toggle(qtbot, step["start"].rough_check)
        type_into(qtbot, step["start"], "2019-03-04")
        toggle(qtbot, dialog.end_field.rough_check)
        type_into(qtbot, dialog.end_field, "2019-09-20")
        from ui.forms import set_combo_value

        set_combo_value(dialog.source_combo, "records")
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    trials = window.lists["trials"]
    trials.table.setFocus()
    trials.select_id(remembered.id)
    shortcut(qtbot, window, Qt.Key_E)

    stored = journal.trials.get(remembered.id)
    assert stored.doses == (DoseStep(date(2019, 3, 4), 225.0),) and (stored.end, stored.end_precision) == (date(2019, 9, 20), "day")
    assert stored.source == "records" and not stored.approximate
    after = window.session.assessment()
    assert (after.failed_adequate_count, after.threshold_met) == (2, True)
    assert window.assessment_panel.verdict_label.text() != verdict_before

    shortcut(qtbot, window, Qt.Key_Z)  # undo goes back to the remembered trial
    assert journal.trials.get(remembered.id) == remembered
    assert window.session.assessment().threshold_met is False
