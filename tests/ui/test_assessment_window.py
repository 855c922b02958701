"""The assessment panel and the chart's marker follow the records and the rule's settings at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from matplotlib import dates as mdates
from PySide6.QtCore import Qt

from journal.records import DoseStep, Episode, Rating, Trial
from tests.ui.conftest import click, days_ago, shortcut, toggle, type_into
from ui.forms import set_combo_value
from ui.trial_dialog import TrialDialog


def _first_failed_trial(journal) -> Trial:
    """Sertraline 100 mg for 12 weeks, rated "no improvement" on its last day."""
    return journal.trials.add(
        Trial(
            id="",
            drug="sertraline",
            doses=(DoseStep(days_ago(400), 100.0),),
            end=days_ago(316),
            adherence="good",
            stop_reason="ineffective",
            rating=Rating("none", None, days_ago(316)),
        )
    ).record


def _marker_x(window) -> float:
    line = window.timeline_panel.timeline.artists.marker_lines[0]
    return float(line.get_xdata()[0])


@pytest.mark.slow
def test_a_second_failed_trial_brings_the_verdict_and_the_marker(qtbot, window, dialogs, journal):
    journal.episodes.add(Episode(id="", start=days_ago(450), severity="moderate"))
    _first_failed_trial(journal)
    window.session.reload()
    assert window.timeline_panel.marker_date() is None
    assert "not" in window.assessment_panel.verdict_label.text().lower()

    def fill(dialog):
        qtbot.keyClicks(dialog.drug_edit, "escitalopram")
        type_into(qtbot, dialog.doses.rows[0]["start"], days_ago(300).isoformat())
        qtbot.keyClicks(dialog.doses.rows[0]["mg"], "20")
        toggle(qtbot, dialog.ongoing_check)
        type_into(qtbot, dialog.end_field, days_ago(230).isoformat())
        set_combo_value(dialog.adherence_combo, "good")
        set_combo_value(dialog.rating_combo, "none")
        type_into(qtbot, dialog.rating_date, days_ago(230).isoformat())
        click(qtbot, dialog.save_button)

    dialogs.on(TrialDialog, fill)
    shortcut(qtbot, window, Qt.Key_T)

    expected = days_ago(230)  # the second failure: the rating's date, after 6 weeks at 20 mg were reached
    assessment = window.session.assessment()
    assert assessment.threshold_met and assessment.threshold_date == expected
    verdict = window.assessment_panel.verdict_label.text()
    assert "appear to be met" in verdict and expected.isoformat() in verdict
    assert "not a diagnosis" in window.assessment_panel.reminder_label.text()
    details = window.assessment_panel.details_label.text()
    assert "sertraline" in details and "escitalopram" in details
    # the chart plots the marker at that day, on both panels
    assert window.timeline_panel.marker_date() == expected
    assert _marker_x(window) == mdates.date2num(expected)
    assert len(window.timeline_panel.timeline.artists.marker_lines) == 2
    assert window.timeline_panel.timeline.marker.label == "TRD criteria appear met"


@pytest.mark.slow
def test_changing_the_weeks_setting_moves_the_marker_at_once(qtbot, window, journal):
    """Rated at week 3, so each trial fails on its adequacy date: start + 7 x weeks - 1."""
    journal.episodes.add(Episode(id="", start=days_ago(450)))
    for drug, start in (("sertraline", 400), ("escitalopram", 250)):
        journal.trials.add(
            Trial(
                id="",
                drug=drug,
                doses=(DoseStep(days_ago(start), 100.0 if drug == "sertraline" else 20.0),),
                end=days_ago(start - 90),
                adherence="good",
                rating=Rating("none", None, days_ago(start - 20)),
            )
        )
    window.session.reload()
    second_start = days_ago(250)
    assert window.timeline_panel.marker_date() == second_start + timedelta(days=41)

    combo = window.assessment_panel.weeks_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_Down)  # 6 -> 8 weeks
    assert window.session.settings().adequate_weeks == 8
    assert journal.settings().adequate_weeks == 8
    assert window.timeline_panel.marker_date() == second_start + timedelta(days=55)
    assert _marker_x(window) == mdates.date2num(second_start + timedelta(days=55))
    assert "8 weeks" in window.assessment_panel.rule_label.text()

    qtbot.keyClick(combo, Qt.Key_Up)
    qtbot.keyClick(combo, Qt.Key_Up)  # 4 weeks
    assert window.timeline_panel.marker_date() == second_start + timedelta(days=27)

    shortcut(qtbot, window, Qt.Key_Z)  # a settings change is undone like any other
    assert journal.settings().adequate_weeks == 6
    assert combo.currentData() == 6
    assert window.timeline_panel.marker_date() == second_start + timedelta(days=41)


@pytest.mark.slow
def test_counting_augmentation_is_a_setting_the_panel_changes(qtbot, window, journal):
    journal.episodes.add(Episode(id="", start=days_ago(450)))
    _first_failed_trial(journal)
    # aripiprazole added to sertraline, failed: counts only when augmentation is counted
    journal.trials.add(
        Trial(
            id="",
            drug="aripiprazole",
            doses=(DoseStep(days_ago(390), 5.0),),
            end=days_ago(320),
            adherence="good",
            rating=Rating("none", None, days_ago(320)),
        )
    )
    window.session.reload()
    assert window.timeline_panel.marker_date() is None

    toggle(qtbot, window.assessment_panel.augmentation_check)
    assert journal.settings().count_augmentation is True
    assert window.timeline_panel.marker_date() == days_ago(316)
    assert window.assessment_panel.augmentation_check.isChecked()


@pytest.mark.slow
def test_remembered_trials_saved_in_the_journal_show_what_may_be_met_and_what_to_look_up(qtbot, window, journal):
    from datetime import date

    journal.episodes.add(Episode(id="", start=days_ago(3000), severity="moderate"))
    _first_failed_trial(journal)
    # "Some time in that year, about 100 mg, it did nothing": could count once the months are found
    year = days_ago(2000).year
    journal.trials.add(
        Trial(
            id="",
            drug="escitalopram",
            doses=(DoseStep(date(year, 1, 1), 20.0, start_precision="year"),),
            end=date(year, 1, 1),
            end_precision="year",
            adherence="good",
            rating=Rating("none"),
            source="memory",
        )
    )
    window.session.reload()
    panel = window.assessment_panel
    verdict = panel.verdict_label.text()
    assert "do not appear to be met" in verdict
    assert "May be met once remembered details are confirmed: 1 failed trial is certain, 1 more could count." in verdict
    assert window.timeline_panel.marker_date() is None
    assert f"escitalopram, {year}: the month it started and the month it ended" in panel.look_up_label.text()
    assert panel.look_up_button.isVisible()
    assert f"From memory, approximate: started {year}, ended {year}." in panel.details_label.text()
