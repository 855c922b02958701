"""The appointment report for a two-minute read: page one for any length of history, the rest behind it.

Read back as a psychiatrist's PDF reader would: the text of each page.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from journal.exchange.jsonfile import parse_contents
from journal.records import (
    DoseStep,
    Episode,
    JournalContents,
    JournalState,
    Note,
    Profile,
    ScaleScore,
    Session,
    Trial,
    replace,
)
from journal.reports.facts import report_facts
from journal.reports.pdf import report_bytes
from tests.journal.report_sample import TODAY, sample_contents

YEARS_END = date(2026, 12, 1)


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def twenty_years() -> JournalContents:
    from benchmarks.generator import synthetic_journal

    result = parse_contents(synthetic_journal(20, end=YEARS_END), today=YEARS_END)
    return replace(result.contents, settings=replace(result.contents.settings, **result.settings_changes))


@pytest.mark.slow
@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_twenty_years_fit_in_six_pages_with_the_essentials_on_page_one(twenty_years, page_size):
    pages = _pages(report_bytes(twenty_years, today=YEARS_END, page_size=page_size))
    assert len(pages) <= 6, f"{len(pages)} pages"
    first = pages[0]
    for words in ("Treatment in this report's dates", "TRD criteria, for discussion", "Last PHQ-9 totals", "Maudsley"):
        assert words in first, words
    # the timeline is on page one too, on Letter (18 mm shorter) as on A4
    chart_page = pages[0]
    assert "Timeline" in chart_page
    # the current episode's trial is in the table on page one, and named on the chart's lane
    current = [t for t in twenty_years.trials if t.start >= date(2026, 7, 28)]
    assert current and all(t.drug in first and t.drug in chart_page.split("Timeline", 1)[1] for t in current)
    # the last six totals, newest first
    totals = re.search(r"Last PHQ-9 totals ((?:\d+ \(\d+ \w+ \d{4}\), ){5}\d+ \(\d+ \w+ \d{4}\))", first)
    assert totals, first[:2000]
    # the earlier history is behind page one, every earlier trial on one line
    behind = " ".join(pages[1:])
    assert "Medication history of earlier episodes" in behind
    assert behind.count("Episode from ") == 6


@pytest.mark.slow
def test_the_whole_history_keeps_every_table(twenty_years):
    default = _pages(report_bytes(twenty_years, today=YEARS_END))
    whole = _pages(report_bytes(twenty_years, today=YEARS_END, whole_history=True))
    assert len(whole) > len(default)
    text = " ".join(whole)
    assert "Medication history, every trial" in text
    assert "Records up to 1 Dec 2026" in text
    # every score's day is listed (the default lists months in the report's dates)
    oldest = min(s.date for s in twenty_years.scores)
    assert f"{oldest.day} {oldest:%b %Y}" in text


def test_question_9_shows_the_latest_answer_first_and_counts_the_earlier_ones():
    base = sample_contents()
    nine = [(date(2025, 3, 1), 2), (date(2025, 5, 1), 1), (date(2025, 7, 1), 1), (date(2025, 8, 20), 0)]
    scores = tuple(
        ScaleScore(f"q{i}", d, "PHQ-9", 13 + q, items=(2, 2, 2, 2, 1, 2, 1, 1, q)) for i, (d, q) in enumerate(nine)
    )
    contents = replace(base, scores=scores)
    first = _pages(report_bytes(contents, today=TODAY))[0]
    assert "latest answer “Not at all” (0) on 20 Aug 2025" in first
    assert "3 earlier answers above 0 in this report's dates, the most recent “Several days” (1) on 1 Jul 2025" in first
    assert "988" in first  # the crisis lines as always
    # newest first: the latest answer is named before any earlier one
    assert first.index("20 Aug 2025") < first.index("1 Jul 2025")


def test_an_old_latest_score_is_flagged_in_plain_words():
    base = sample_contents()
    old = tuple(s for s in base.scores if s.scale == "PHQ-9" and s.date <= date(2025, 3, 31))
    contents = replace(base, scores=old)
    facts = report_facts(contents, today=date(2026, 7, 1))
    assert facts.primary_note == "Latest PHQ-9 15 months before this report."
    first = _pages(report_bytes(contents, today=date(2026, 7, 1)))[0]
    assert "Latest PHQ-9 15 months before this report." in first


def test_the_maudsley_score_is_a_range_when_the_severity_at_onset_is_missing():
    base = sample_contents()
    contents = replace(base, episodes=(replace(base.episodes[0], severity=None),))
    facts = report_facts(contents, today=TODAY)
    # duration 1, failed antidepressants (2) 1, augmentation 1; severity 1-5
    assert facts.maudsley == "4–8 of 15, severity at onset not recorded"
    assert "ECT used: no (0)" in facts.maudsley_parts
    ect = Session("x1", base.sessions[0].datetime, "ect")
    with_ect = report_facts(replace(base, sessions=(*base.sessions, ect)), today=TODAY)
    assert with_ect.maudsley == "7 of 15 (moderate)" and "ECT used: 1" in with_ect.maudsley_parts


def test_page_one_lists_only_the_questions_since_the_last_report():
    base = sample_contents()
    notes = tuple(Note(f"q{i}", date(2025, 1, 10) + timedelta(days=20 * i), f"Question number {i}?", True) for i in range(11))
    contents = replace(base, notes=notes, state=JournalState(journal_id="x", last_report=date(2025, 3, 1)))
    facts = report_facts(contents, today=TODAY)
    assert facts.questions_heading == "Questions and notes since the last report (1 Mar 2025)"
    shown = [q.text for q in facts.questions]
    assert len(shown) == 8 and shown[0] == "Question number 10?"  # at most a screenful, newest first
    assert all(q.date > date(2025, 3, 1) for q in facts.questions)
    pages = _pages(report_bytes(contents, today=TODAY))
    assert "Question number 10?" in pages[0] and "Question number 1?" not in pages[0]
    assert "earlier questions and notes in the appendix" in pages[0]
    behind = " ".join(pages[1:])
    assert "Earlier questions and notes" in behind and "Question number 1?" in behind
    # the journal keeps the report's day, not its hour: a question written that day, after the report, is not lost
    later = replace(contents, notes=(*notes[-2:], Note("same-day", date(2025, 3, 1), "Written after the report?", True)))
    assert "Written after the report?" in [q.text for q in report_facts(later, today=TODAY).questions]
    # with no report made yet, the questions of the report's dates are listed
    fresh = report_facts(replace(contents, state=JournalState()), today=TODAY)
    assert fresh.questions_heading == "Questions and notes for this appointment" and fresh.questions[0].text == "Question number 10?"


def test_a_dose_under_one_milligram_prints_in_micrograms():
    base = sample_contents()
    t3 = Trial("lt", "liothyronine", (DoseStep(date(2025, 8, 2), 0.025),), augmentation=True)
    contents = replace(base, trials=(*base.trials, t3))
    facts = report_facts(contents, today=TODAY)
    assert any("liothyronine 25 micrograms/day" in line for line in facts.current_medications)
    assert any(r.name == "liothyronine" and r.highest == "25 micrograms/day" for r in facts.treatment)


def test_an_esketamine_session_without_transport_home_is_marked_in_words():
    base = sample_contents()
    alone = replace(base.sessions[1], transport_arranged=False)
    contents = replace(base, sessions=(base.sessions[0], alone))
    text = " ".join(_pages(report_bytes(contents, today=TODAY)))
    assert text.count("no transport home arranged") == 1
    assert "no transport home arranged" not in " ".join(_pages(report_bytes(base, today=TODAY)))


def test_a_percentage_is_never_printed_without_the_scores_it_comes_from():
    # an earlier trial measured from a low baseline: 5 -> 19 is "280 % worse"
    ep = Episode("e0", date(2023, 1, 1), date(2023, 12, 31), "moderate")
    old = Trial("t0", "citalopram", (DoseStep(date(2023, 2, 1), 20),), end=date(2023, 5, 1), adherence="good")
    scores = (
        ScaleScore("b", date(2023, 1, 25), "PHQ-9", 5),
        ScaleScore("c", date(2023, 4, 20), "PHQ-9", 19),
    )
    base = sample_contents()
    contents = replace(base, episodes=(ep, *base.episodes), trials=(old, *base.trials), scores=(*scores, *base.scores))
    text = " ".join(_pages(report_bytes(contents, today=TODAY)))
    assert "no response (PHQ-9 5 → 19)" in text  # the one-line history: the scores, no percentage
    whole = " ".join(_pages(report_bytes(contents, today=TODAY, whole_history=True)))
    assert "280 % worse (PHQ-9 5 → 19)" in whole
    for printed in (text, whole):
        assert not re.search(r"% worse(?! \(PHQ-9)", printed)


def test_the_pdf_says_its_title_author_and_language():
    pdf = report_bytes(sample_contents(name="Sam Rivers"), today=TODAY, name_style="full")
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Appointment summary · Sam Rivers" and meta.author == "Sam Rivers"
    assert b"/Lang (en)" in pdf
    hidden = PdfReader(io.BytesIO(report_bytes(sample_contents(name="Sam Rivers"), today=TODAY, name_style="none"))).metadata
    assert hidden.title == "Appointment summary" and not hidden.author
    assert b"Sam Rivers" not in report_bytes(sample_contents(name="Sam Rivers"), today=TODAY, name_style="none")


def test_the_demo_report_says_its_data_is_made_up():
    from journal.demo import demo_journal

    result = parse_contents(demo_journal(TODAY), today=TODAY)
    first = _pages(report_bytes(result.contents, today=TODAY))[0]
    assert "Made-up data (a demo journal)." in first
    assert "made-up data" not in " ".join(_pages(report_bytes(sample_contents(), today=TODAY)))


def test_an_empty_journal_and_one_with_no_current_episode_say_what_they_cover():
    empty = report_facts(JournalContents(profile=Profile()), today=TODAY)
    assert empty.dates_note == "No current episode is recorded: this report covers the last 24 months (from 1 Sep 2023)."
    assert empty.treatment == () and empty.recent_primary == () and empty.primary_note == "No PHQ-9 score recorded."
    base = sample_contents()
    ended = replace(base, episodes=(replace(base.episodes[0], end=date(2025, 8, 1)),))
    facts = report_facts(ended, today=TODAY)
    assert facts.start == date(2023, 9, 1)


def test_the_reasons_speak_to_the_clinician_of_the_person():
    text = " ".join(_pages(report_bytes(sample_contents(), today=TODAY)))
    assert "from the person's own rating" in text
    assert "your own" not in text
