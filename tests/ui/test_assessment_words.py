"""The assessment panel's words: what was counted, what is helping now, no trial ids and no sources' jargon."""

from __future__ import annotations

from journal.records import DoseStep, Episode, Rating, Trial
from tests.ui.conftest import days_ago
from ui.assessment_panel import AssessmentPanel


def _add(journal, drug, start, end, mg, rating=None, adherence="good") -> str:
    trial = Trial(
        id="",
        drug=drug,
        doses=(DoseStep(days_ago(start), float(mg)),),
        end=days_ago(end) if end is not None else None,
        adherence=adherence,
        rating=rating,
    )
    return journal.trials.add(trial).record.id


def test_the_panel_names_what_was_counted_and_what_is_helping_without_ids(qtbot, session, journal):
    journal.episodes.add(Episode(id="", start=days_ago(450), severity="moderate"))
    ids = [
        # 12 weeks each, rated "no better" on the last day; sertraline's adherence not recorded
        _add(journal, "sertraline", 400, 316, 100, Rating("none", 10, days_ago(316)), adherence=None),
        _add(journal, "escitalopram", 300, 216, 20, Rating("none", 5, days_ago(216))),
        # liothyronine (a grade C minimum) as an add-on, not counted under the default rule
        _add(journal, "liothyronine", 290, 216, 0.025),
        # still running, going well
        _add(journal, "vortioxetine", 120, None, 20, Rating("response", 60, days_ago(10))),
    ]
    session.reload()
    panel = AssessmentPanel(session)
    qtbot.addWidget(panel)
    panel.refresh()

    verdict = panel.verdict_label.text()
    assert "appear to be met as of" in verdict
    assert "2 different antidepressants taken at an adequate dose for long enough did not work well enough" in verdict
    assert "Counted: sertraline and escitalopram." in verdict
    assert "Since then: vortioxetine, ongoing, response so far." in verdict
    assert "Failed adequate trials that count: <b>2</b>" in verdict
    assert "rule needs" not in verdict

    details = panel.details_label.text()
    assert "adherence not recorded (counted as taken as prescribed)" in details
    assert "a usual figure, not yet confirmed by a published source" in details
    assert "commonly cited" not in details and "grade C" not in details
    shown = " ".join(label.text() for label in (panel.verdict_label, panel.rule_label, panel.details_label, panel.maudsley_label))
    for internal in ids:
        assert internal not in shown, f"the internal id {internal} is on the screen"


def test_with_no_failed_trial_the_panel_sets_no_goal(qtbot, session, journal):
    journal.episodes.add(Episode(id="", start=days_ago(450), severity="moderate"))
    _add(journal, "sertraline", 400, 380, 100)  # stopped after three weeks
    session.reload()
    panel = AssessmentPanel(session)
    qtbot.addWidget(panel)
    panel.refresh()
    verdict = panel.verdict_label.text()
    assert "do not appear to be met" in verdict
    assert "no trial in this episode was taken at an adequate dose for long enough" in verdict
    assert "0 antidepressants" not in verdict and "rule needs" not in verdict
