"""The appointment report with format version 2's records: remembered trials as entered, doses not remembered,
what to look up, psychotherapy courses, an esketamine session's monitoring and a score's time of day."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from journal.reports.facts import outline, report_facts
from journal.reports.pdf import SECTION_KEYS, report_bytes
from tests.journal.report_sample import TODAY, sample_v2_contents

WORDS = set(SECTION_KEYS)  # the timeline too: the chart draws remembered dates and doses not recorded


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture(scope="module")
def text() -> str:
    # the whole history keeps every table as it was; page one is checked on its own below
    return _text(report_bytes(sample_v2_contents(), today=TODAY, name_style="full", sections=WORDS, whole_history=True))


def _history(text: str) -> str:
    return text[text.index("Medication history"):text.index("Score history")]


def test_a_remembered_trial_reads_as_entered_and_marked_from_memory(text):
    history = _history(text)
    row = history[history.index("fluoxetine"):]
    assert row.startswith("fluoxetine SSRI from memory, approximate Mar 2019 – Sep 2019 dose not recorded")
    assert "could count once the remembered details are confirmed" in row[:300]
    # a month from a clinic letter is marked as approximate too, and never shown as a day
    assert "citalopram SSRI from records; dates or dose approximate May 2021 – Nov 2021 20 mg" in history
    assert "1 Mar 2019" not in text and "1 May 2021" not in text and "1 Nov 2021" not in text
    # the reasons worked out on days the entries do not give say "about" the month instead
    why = history[history.index("Why each trial"):]
    assert "citalopram (May 2021 – Nov 2021): 6 weeks at an adequate dose" in why and "about Jul 2021" in why


def test_the_summary_lists_what_to_look_up_for_the_clinician(text):
    first = text[: text.index("Treatment in this report's dates")]
    assert "Remembered trials that could count once these details are confirmed" in first
    assert "fluoxetine, Mar 2019: the day it started, the dose (20 mg/day or more would count)" in first
    assert "For discussion." in first
    assert "discuss with your clinician" not in text.lower() and "talk it through with your clinician" not in text.lower()
    assert "Current episode since 2019 (about 6 years 8 months)" in first


def test_a_psychotherapy_course_is_in_the_treatment_history_and_never_counted(text):
    history = _history(text)
    assert "Psychotherapy courses (listed, never counted toward the rule)" in history
    assert "CBT Sep 2021 – Jan 2022 16 partial response, 30 % better other reason from memory, approximate" in history
    assert "Behavioural activation 2 Jun 2025 – ongoing 4 outcome not known ongoing" in history
    # a course from records entered by its month is approximate in its dates only: it has no dose
    from journal.records import replace

    base = sample_v2_contents()
    course = replace(base.therapies[1], start_precision="month", source="records")
    facts = report_facts(replace(base, therapies=(base.therapies[0], course)), today=TODAY)
    assert facts.therapies[1].source == "from records; dates approximate"
    assert facts.therapies[1].dates == "Jun 2025 – ongoing"


def test_the_session_table_holds_the_monitoring_and_a_score_its_time(text):
    sessions = text[text.index("Sessions: esketamine"):]
    assert "Esketamine, induction" in sessions
    assert "128/82 → 135/85 at 40 min → 141/88" in sessions
    assert "lowest SpO2 96 %; monitored 120 min; ready to leave; transport home: yes" in sessions
    assert "126/80 → 138/86" in sessions  # a session without the 40-minute reading reads as before
    assert "Last PHQ-9 totals 19 (25 Aug 2025 08:30)" in text  # the latest score, with the time it was written down
    scores = text[text.index("Score history"):text.index("Sessions: esketamine")]
    assert "25 Aug 2025 08:30 19 moderately severe" in scores


def test_the_preview_lines_say_the_same():
    facts = report_facts(sample_v2_contents(), today=TODAY, name_style="full", whole_history=True)
    lines = [line for _, items in outline(facts) for line in items]
    page_one = [line for _, items in outline(report_facts(sample_v2_contents(), today=TODAY)) for line in items]
    assert any(line.startswith("fluoxetine (antidepressant), Mar 2019 – Sep 2019") and "(from memory)" in line for line in page_one)
    assert "fluoxetine (SSRI), Mar 2019 – Sep 2019, dose not recorded: not an adequate trial (from memory, approximate)" in lines
    assert any(line.startswith("CBT (psychotherapy, listed, never counted), Sep 2021 – Jan 2022, sessions: 16") for line in lines)
    assert any("fluoxetine, Mar 2019: the day it started" in line for line in lines)
    assert any("Esketamine induction 56 mg 128/82 → 135/85 at 40 min → 141/88 lowest SpO2 96 %" in line for line in lines)


def test_a_current_trial_with_a_dose_not_remembered_says_so():
    from datetime import date

    from journal.records import DoseStep, Trial, replace

    base = sample_v2_contents()
    now = Trial("t-now", "mirtazapine", (DoseStep(date(2025, 6, 1), None, start_precision="month"),), source="memory")
    facts = report_facts(replace(base, trials=(*base.trials, now)), today=TODAY)
    assert "mirtazapine dose not recorded (NaSSA) since Jun 2025 (from memory, approximate)" in facts.current_medications


def test_the_summary_names_the_latest_sessions_phase():
    from journal.records import replace

    base = sample_v2_contents()
    facts = report_facts(base, today=TODAY)
    assert facts.current_sessions == ("Esketamine: 2 sessions, 5 Aug 2025 to 8 Aug 2025, latest 56 mg",)  # the latest has no phase
    later = replace(base, sessions=tuple(replace(s, phase="maintenance") if s.id == "k2" else s for s in base.sessions))
    assert report_facts(later, today=TODAY).current_sessions == (
        "Esketamine: 2 sessions, 5 Aug 2025 to 8 Aug 2025, latest 56 mg (maintenance phase)",
    )


def test_an_earlier_episode_ended_in_a_remembered_month_is_judged_as_of_that_months_last_day():
    from datetime import date

    from journal.clinical.assessment import assess
    from journal.records import DoseStep, Episode, JournalContents, Rating, Settings, Trial
    from journal.reports.facts import _verdicts

    # an earlier episode "to Jun 2023": a trial ending 2023-06-20 lies inside it, and ended before its end
    earlier = Episode(id="e0", start=date(2023, 1, 1), end=date(2023, 6, 1), end_precision="month")
    current = Episode(id="e1", start=date(2025, 1, 1))
    trial = Trial(id="t0", drug="sertraline", doses=(DoseStep(date(2023, 3, 1), 100.0),), end=date(2023, 6, 20),
                  rating=Rating("none"))
    contents = JournalContents(episodes=(earlier, current), trials=(trial,))
    verdicts = _verdicts(contents, Settings(), assess(contents, as_of=date(2025, 6, 1)), None)
    assert (verdicts["t0"].failure_date, verdicts["t0"].counts) == (date(2023, 6, 20), True)
