"""One change updates only what it touched: that kind's list, and the assessment panel and chart when it moves them."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from journal.records import DailyCheckIn, DoseStep, Lab, Note, ScaleScore, Trial
from tests.ui.conftest import click, days_ago, shortcut
from ui.record_dialogs import NoteDialog
from ui.session import KINDS, Changes


class Rebuilds:
    """Counts every refresh of each list, of the assessment panel ("assessment") and of the chart ("chart")."""

    def __init__(self, window, monkeypatch):
        self.counts: Counter[str] = Counter()
        for kind, panel in window.lists.items():
            self._count(monkeypatch, panel, "refresh", kind)
        self._count(monkeypatch, window.assessment_panel, "refresh", "assessment")
        # every change reaches the chart through show_changes (new points, or the chart drawn again)
        self._count(monkeypatch, window.timeline_panel, "show_changes", "chart")

    def _count(self, monkeypatch, target, method: str, name: str) -> None:
        real = getattr(target, method)

        def counted(*args, **kwargs):
            self.counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(target, method, counted)

    def take(self) -> dict[str, int]:
        """What was rebuilt since the last look."""
        seen = dict(self.counts)
        self.counts.clear()
        return seen


@pytest.fixture
def rebuilds(window, monkeypatch):
    return Rebuilds(window, monkeypatch)


@pytest.mark.slow
def test_a_note_added_edited_deleted_and_undone_rebuilds_only_the_notes_list(qtbot, window, dialogs, journal, rebuilds):
    def write(dialog):
        qtbot.keyClicks(dialog.text_edit, "Ask about a thyroid panel")
        click(qtbot, dialog.save_button)

    dialogs.on(NoteDialog, write)
    shortcut(qtbot, window, Qt.Key_N)
    (note,) = journal.notes.list()
    assert rebuilds.take() == {"notes": 1}
    assert window.lists["notes"].visible_ids() == [note.id]

    def rewrite(dialog):
        dialog.text_edit.setPlainText("Ask about lithium levels")
        click(qtbot, dialog.save_button)

    dialogs.on(NoteDialog, rewrite)
    window.lists["notes"].select_id(note.id)
    shortcut(qtbot, window, Qt.Key_E)
    assert rebuilds.take() == {"notes": 1}
    assert window.lists["notes"].cell_text(note.id, "Text") == "Ask about lithium levels"

    window.lists["notes"].select_id(note.id)
    window.delete_selected_action.trigger()
    assert rebuilds.take() == {"notes": 1}
    assert journal.notes.list() == [] and window.lists["notes"].visible_ids() == []

    shortcut(qtbot, window, Qt.Key_Z)  # the note comes back
    assert rebuilds.take() == {"notes": 1}
    assert window.lists["notes"].visible_ids() == [note.id]
    assert window.lists["notes"].cell_text(note.id, "Text") == "Ask about lithium levels"

    shortcut(qtbot, window, Qt.Key_Z)  # back to the first words
    assert rebuilds.take() == {"notes": 1}
    assert window.lists["notes"].cell_text(note.id, "Text") == "Ask about a thyroid panel"
    assert window.session.contents() == journal.contents()


@pytest.mark.slow
def test_a_check_in_redraws_its_list_and_the_chart_but_not_the_assessment(window, journal, rebuilds):
    session = window.session
    checkin = session.add("checkins", DailyCheckIn(id="", date=days_ago(1), mood=4))
    assert rebuilds.take() == {"checkins": 1, "chart": 1}
    session.update("checkins", replace(checkin, mood=7))
    assert rebuilds.take() == {"checkins": 1, "chart": 1}
    assert window.lists["checkins"].cell_text(checkin.id, "Mood") == "7"
    assert [c.mood for c in window.timeline_panel.session.contents().checkins] == [7]
    session.undo_stack.undo()
    assert rebuilds.take() == {"checkins": 1, "chart": 1}
    assert window.lists["checkins"].cell_text(checkin.id, "Mood") == "4"


@pytest.mark.slow
def test_a_check_in_moves_the_chart_s_points_without_drawing_it_again(window):
    session, panel = window.session, window.timeline_panel
    checkin = session.add("checkins", DailyCheckIn(id="", date=days_ago(2), mood=4))
    timeline, lines = panel.timeline, dict(panel.timeline.artists.daily_point_lines)
    session.update("checkins", replace(checkin, mood=7))
    assert panel.timeline is timeline and panel.timeline.artists.daily_point_lines == lines  # the same figure and lines
    assert panel.timeline.daily_points["mood"] == [(days_ago(2), 7)]
    assert list(lines["mood"].get_ydata()) == [7.0]
    session.add("trials", Trial(id="", drug="sertraline", doses=(DoseStep(start=days_ago(30), mg_per_day=50.0),)))
    assert panel.timeline is not timeline  # a new lane: drawn again
    assert [lane.drug for lane in panel.timeline.lanes] == ["sertraline"]


@pytest.mark.slow
def test_a_trial_moves_the_assessment_its_panel_and_the_chart(window, journal, rebuilds):
    session = window.session
    trial = session.add(
        "trials",
        Trial(id="", drug="sertraline", end=days_ago(20), doses=(DoseStep(start=days_ago(120), mg_per_day=150.0),)),
    )
    # the trials list once (not once for the list and again for its adequacy column)
    assert rebuilds.take() == {"trials": 1, "assessment": 1, "chart": 1}
    assert window.lists["trials"].visible_ids() == [trial.id]
    assert session.assessment().trials[0].id == trial.id
    assert f"Failed adequate trials that count: <b>{session.assessment().failed_adequate_count}</b>" in (
        window.assessment_panel.verdict_label.text()
    )

    session.add("scores", ScaleScore(id="", scale="PHQ-9", date=days_ago(10), total=21))
    seen = rebuilds.take()
    assert seen["scores"] == 1 and seen["chart"] == 1
    assert set(seen) <= {"scores", "chart", "assessment", "trials"}
    assert set(seen) - {"chart", "scores"} in (set(), {"assessment", "trials"})  # both or neither: they show the same verdicts


def test_a_lab_or_a_condition_never_redraws_the_chart(window, rebuilds):
    window.session.add("labs", Lab(id="", date=days_ago(3), test="TSH", value=2.1, unit="mIU/L"))
    assert rebuilds.take() == {"labs": 1}


@pytest.mark.slow
def test_settings_move_the_assessment_and_the_chart_and_no_other_list(window, rebuilds):
    window.session.change_settings(adequate_weeks=8)
    assert rebuilds.take() == {"trials": 1, "assessment": 1, "chart": 1}
    window.session.undo_stack.undo()
    assert rebuilds.take() == {"trials": 1, "assessment": 1, "chart": 1}
    assert window.session.settings() == window.session.journal.contents().settings


@pytest.mark.slow
def test_reading_the_journal_again_rebuilds_every_view(window, rebuilds):
    window.session.reload()
    assert rebuilds.take() == {**{kind: 1 for kind in KINDS}, "assessment": 1, "chart": 1}


@pytest.mark.slow
def test_the_held_contents_stay_those_of_the_journal(window, journal):
    session = window.session
    changes: list[Changes] = []
    session.changed.connect(changes.append)
    session.contents()  # held from here on
    a = session.add("notes", Note(id="", date=days_ago(3), text="b"))
    b = session.add("notes", Note(id="", date=days_ago(3), text="a"))
    session.add("notes", Note(id="", date=days_ago(9), text="older"))
    session.update("notes", replace(a, date=days_ago(30)))
    session.set_author("Sam")
    by_sam = session.add("labs", Lab(id="", date=days_ago(2), test="CRP", value=1.0, unit="mg/L"))
    session.set_author(None)
    assert session.contents() == journal.contents()
    assert session.contents().author_of(by_sam.id) == "Sam"
    session.delete("labs", by_sam.id)
    session.delete("notes", b.id)
    assert session.contents() == journal.contents()
    session.undo_stack.undo()
    session.undo_stack.undo()  # the lab comes back, entered by Sam
    assert session.contents() == journal.contents()
    assert session.contents().author_of(by_sam.id) == "Sam"
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert session.contents() == journal.contents()
    while session.undo_stack.canRedo():
        session.undo_stack.redo()
    assert session.contents() == journal.contents()
    assert all(not c.everything for c in changes)
    assert {kind for c in changes for kind in c.kinds} == {"notes", "labs"}


@pytest.mark.slow
def test_one_edit_keeps_the_lists_order_search_and_selection(qtbot, window, rebuilds):
    session = window.session
    notes = window.lists["notes"]
    old = session.add("notes", Note(id="", date=days_ago(20), text="thyroid panel"))
    resets: list[int] = []
    notes.model.modelReset.connect(lambda: resets.append(1))  # from here on each edit changes rows, not the whole list
    mid = session.add("notes", Note(id="", date=days_ago(10), text="sleep"))
    new = session.add("notes", Note(id="", date=days_ago(1), text="thyroid again"))
    assert notes.visible_ids() == [new.id, mid.id, old.id]  # newest first
    notes.select_id(mid.id)
    session.update("notes", replace(old, date=days_ago(0)))  # now the newest: it moves to the top
    assert notes.visible_ids() == [old.id, new.id, mid.id]
    assert notes.selected_id() == mid.id
    qtbot.keyClicks(notes.search, "thyroid")
    assert notes.visible_ids() == [old.id, new.id]
    session.add("notes", Note(id="", date=days_ago(5), text="thyroid dose question"))
    session.add("notes", Note(id="", date=days_ago(4), text="nothing to do with it"))
    assert [notes.cell_text(i, "Text") for i in notes.visible_ids()] == ["thyroid panel", "thyroid again", "thyroid dose question"]
    assert notes.count_text() == "3 of 5 notes shown"
    session.delete("notes", new.id)
    assert [notes.cell_text(i, "Text") for i in notes.visible_ids()] == ["thyroid panel", "thyroid dose question"]
    assert rebuilds.take() == {"notes": 7}
    assert resets == []
