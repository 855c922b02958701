"""The assessment panel with remembered trials: what is certain, what may be, what to look up and a page to print for it."""

from __future__ import annotations

import os
import re
import stat
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from journal.records import DoseStep, Episode, JournalContents, Profile, Rating, Therapy, Trial, parse_partial
from tests.ui.conftest import TODAY, click, toggle
from ui.assessment_panel import AssessmentPanel
from ui.report_dialog import PathChooser
from ui.save_target import ReplaceQuestion

D = date.fromisoformat


def _trial(tid, drug, steps, end=None, source=None) -> Trial:
    end_day, end_precision = parse_partial(end) if end else (None, "day")
    doses = tuple(DoseStep(parse_partial(s)[0], mg, start_precision=parse_partial(s)[1]) for s, mg in steps)
    return Trial(tid, drug, doses, end=end_day, end_precision=end_precision, adherence="good", rating=Rating("none"), source=source)


def remembered_contents(name: str | None = "Zoë Łukasiewicz-Øster") -> JournalContents:
    """One certain failed trial (escitalopram, from records) and one remembered only by its year, dose forgotten (sertraline)."""
    return JournalContents(
        profile=Profile(display_name=name),
        episodes=(Episode("e1", D("2018-01-01"), severity="moderate"),),
        trials=(
            _trial("t-aa11", "sertraline", [("2019", None)], "2019", source="memory"),
            _trial("t-bb22", "escitalopram", [("2020-01-01", 10)], "2020-06-01", source="records"),
        ),
        therapies=(
            Therapy("p-cc33", "cbt", D("2021-09-01"), start_precision="month", end=D("2022-01-01"), end_precision="month",
                    sessions=16, rating=Rating("partial", 30)),
        ),
    )


def _feed(session, contents: JournalContents) -> None:
    """The window's contents as the journal would hand them over (the assessment follows them)."""
    session._contents = contents
    session._assessment = None


@pytest.fixture
def panel(qtbot, session):
    _feed(session, remembered_contents())
    panel = AssessmentPanel(session)
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    panel.refresh()
    return panel


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def test_the_panel_says_what_is_certain_and_what_may_be(panel):
    verdict = _plain(panel.verdict_label.text())
    assert "do not appear to be met" in verdict
    assert "May be met once remembered details are confirmed: 1 failed trial is certain, 1 more could count." in verdict
    assert "Failed adequate trials that count: 1" in verdict


def test_what_to_look_up_names_each_detail_with_the_minimum_that_would_count(panel):
    assert panel.look_up_heading.isVisible() and panel.look_up_button.isVisible()
    look = _plain(panel.look_up_label.text())
    assert ("sertraline, 2019: the month it started, the dose (50 mg/day or more would count) and the month it ended "
            "(6 weeks or more at an adequate dose would count)") in look
    assert "escitalopram" not in look  # certain already: nothing to look up
    assert panel.look_up_button.accessibleName() == "Save what to look up as a page to print"


def test_a_remembered_trial_is_marked_with_its_dates_as_entered_and_its_unknown_dose(panel):
    details = _plain(panel.details_label.text())
    sertraline = details[details.index("sertraline"):details.index("escitalopram")]
    assert "could count once the remembered details are confirmed" in sertraline
    assert "From memory, approximate: started 2019, ended 2019; dose not recorded." in sertraline
    assert "2019-12-31" not in details and "2019-01-01" not in details  # no day the person never gave
    for internal in ("t-aa11", "t-bb22", "p-cc33"):
        assert internal not in details


def test_psychotherapy_courses_are_listed_and_never_counted(panel):
    assert panel.therapies_heading.text() == "Psychotherapy courses (listed, never counted)"
    assert "CBT, Sep 2021 to Jan 2022, 16 sessions: partial response (25-49 % better)" in _plain(
        panel.therapies_label.text()
    )


def test_an_exact_journal_has_nothing_to_look_up(qtbot, session):
    exact = remembered_contents()
    _feed(session, JournalContents(episodes=exact.episodes, trials=exact.trials[1:]))
    panel = AssessmentPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    assert "May be met" not in panel.verdict_label.text()
    assert not panel.look_up_button.isVisible() and not panel.look_up_heading.isVisible()
    assert not panel.therapies_label.isVisible()


@pytest.mark.slow
def test_the_button_saves_a_one_page_pdf_to_print_off_the_window_thread(qtbot, panel, tmp_path, monkeypatch):
    target = tmp_path / "for-the-pharmacy"
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(target)))
    panel.look_up_button.setFocus()
    with qtbot.waitSignal(panel.look_up_saved, timeout=30_000) as blocker:
        qtbot.keyClick(panel.look_up_button, Qt.Key_Space)  # from the keyboard, as a person would
    path = blocker.args[0]
    assert path.endswith("for-the-pharmacy.pdf")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    pages = PdfReader(path).pages
    assert len(pages) == 1
    text = re.sub(r"\s+", " ", pages[0].extract_text())
    assert "Treatment details to look up" in text
    assert "sertraline Started 2019, dose not remembered Ended 2019" in text
    assert "the dose (50 mg/day or more would count)" in text
    assert f"Made on {TODAY.day} {TODAY:%b %Y}" in text and "not a diagnosis" in text
    assert "Zoë" not in text  # no name unless asked for
    assert "Saved for-the-pharmacy.pdf" in panel.look_up_status.text()

    qtbot.waitUntil(lambda: panel.look_up_job is None and panel.look_up_button.isEnabled(), timeout=5_000)
    toggle(qtbot, panel.look_up_name_check)
    monkeypatch.setattr(ReplaceQuestion, "ask", classmethod(lambda cls, parent, p: True))
    with qtbot.waitSignal(panel.look_up_saved, timeout=30_000):
        click(qtbot, panel.look_up_button)
    assert "For: Zoë Łukasiewicz-Øster" in PdfReader(path).pages[0].extract_text()


@pytest.mark.slow
def test_an_existing_file_is_never_replaced_unasked(qtbot, panel, tmp_path, monkeypatch):
    mine = tmp_path / "letter.pdf"
    mine.write_text("a letter I wrote")
    monkeypatch.setattr(PathChooser, "save_path", classmethod(lambda cls, *a: str(tmp_path / "letter")))
    asked = []
    monkeypatch.setattr(ReplaceQuestion, "ask", classmethod(lambda cls, parent, p: asked.append(p) or False))
    click(qtbot, panel.look_up_button)
    assert asked == [mine] and panel.look_up_job is None
    assert mine.read_text() == "a letter I wrote"
    assert "not saved" in panel.look_up_status.text()


def test_the_name_box_is_off_when_the_journal_holds_no_name(qtbot, session):
    _feed(session, remembered_contents(name=None))
    panel = AssessmentPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    assert not panel.look_up_name_check.isEnabled()
    assert "Your name and birth year" in panel.look_up_name_check.toolTip()


def test_a_threshold_resting_on_a_remembered_month_is_given_as_about_that_month(qtbot, session):
    # escitalopram fails on 2020-06-01; fluoxetine, March to September 2021 at 40 mg, fails on its end read as 2021-09-01:
    # the threshold date rests on a month the person remembered, so it is "by about September 2021", never a day
    contents = JournalContents(
        episodes=(Episode("e1", D("2018-01-01"), severity="moderate"),),
        trials=(
            _trial("t1", "escitalopram", [("2020-01-01", 10)], "2020-06-01", source="records"),
            _trial("t2", "fluoxetine", [("2021-03", 40)], "2021-09", source="memory"),
        ),
    )
    _feed(session, contents)
    panel = AssessmentPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    verdict = _plain(panel.verdict_label.text())
    assert "appear to be met by about September 2021" in verdict
    assert "Marked on the timeline by about September 2021." in verdict
    assert "2021-09-01" not in verdict and "May be met" not in verdict
    assert not panel.look_up_button.isVisible()  # both trials are certain: nothing to look up
    details = _plain(panel.details_label.text())
    fluoxetine = details[details.index("fluoxetine"):]
    assert "From memory, approximate: started Mar 2021, ended Sep 2021." in fluoxetine
    assert "failure date about Sep 2021" in fluoxetine and "2021-09-01" not in fluoxetine
