"""The appointment report, read back as a clinician's PDF reader would: its words, pages, fonts and file."""

from __future__ import annotations

import io
import os
import re
import stat
from datetime import date

import pytest
from pypdf import PdfReader

from journal.clinical.assessment import assess
from journal.clinical.verdict_words import CLINICIAN, headline
from journal.errors import JournalError
from journal.files import atomic
from journal.records import DoseStep, Episode, JournalContents, Rating, Trial, replace
from journal.reports.facts import plain_dates, report_name
from journal.reports.pdf import build_report, report_bytes
from tests.journal.report_sample import TODAY, UNICODE_NAME, sample_contents


def _pages(pdf: bytes) -> list[str]:
    # Paragraphs wrap, so words are compared with runs of white space folded to one space.
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def full_report() -> bytes:
    return report_bytes(sample_contents(), today=TODAY, name_style="full")


@pytest.fixture(scope="module")
def pages(full_report) -> list[str]:
    return _pages(full_report)


@pytest.mark.slow
def test_page_one_holds_the_summary_a_clinician_reads_first(pages):
    first = pages[0]
    expected = plain_dates(headline(assess(sample_contents(), None, TODAY), CLINICIAN))
    assert "appear to be met as of 1 Jul 2025" in expected
    assert expected in first
    assert "Rule: at least 2 different antidepressants" in first
    assert "Maudsley" in first and "6 of 15 (mild)" in first
    assert "Current episode since 6 Jan 2025" in first
    assert "bupropion 300 mg/day" in first and "aripiprazole 2 mg/day" in first
    # The last PHQ-9 totals, newest first, with their dates; the latest is recent, so not flagged as old.
    assert "Last PHQ-9 totals 19 (25 Aug 2025), 15 (25 Jun 2025), 14 (28 Mar 2025), 16 (8 Jan 2025)" in first
    assert "before this report" not in first
    # the treatment table of the episode, in the MGH-ATRQ's terms, is on page one too
    assert "PHQ-9 16 → 14" in first and "no: add-on, not counted by this rule" in first
    assert "Ask about a thyroid panel" in first
    # A note not marked for the appointment stays out of the report.
    assert not any("brighter after the second spray" in p for p in pages)


def test_item_9_above_zero_is_flagged_on_page_one_with_crisis_lines(pages):
    first = pages[0]
    assert "PHQ-9 question 9 answered above 0" in first
    assert "25 Aug 2025" in first and "Several days" in first
    assert "988" in first and "116 123" in first
    assert "not a suicide-risk assessment" in first


def test_every_trial_appears_with_its_outcome(pages):
    text = " ".join(pages)
    history = text[text.index("Treatment in this report's dates"):text.index("Score history")]
    for drug, outcome in (
        ("sertraline", "no response"),
        ("venlafaxine", "no response"),
        ("bupropion", "outcome not known"),
        ("aripiprazole", "not an adequate trial"),
    ):
        assert drug in history
        row = history[history.index(drug):]
        assert outcome in row[:400], f"{drug}: {outcome!r} not beside it"
    assert "entered as Effexor XR" in history
    assert "SSRI" in history and "SNRI" in history
    assert "yes" in history[history.index("sertraline"):][:300]
    whole = " ".join(_pages(report_bytes(sample_contents(), today=TODAY, whole_history=True)))
    assert "nausea (mild)" in whole  # side effects are in the whole history's table
    assert "no response, 10 % better" in whole


def test_detail_sections_are_all_there(pages):
    text = " ".join(pages)
    for heading in (
        "Medication history",
        "Score history",
        "Sessions: esketamine, ketamine, ECT, rTMS",
        "Lab results",
        "Other conditions",
        "Workup checklist",
        "Records entered by someone else",
    ):
        assert heading in text
    assert "128/82 → 141/88" in text  # blood pressure before and after the first esketamine session
    assert "generalised anxiety Diagnosed 1 May 2019" in text
    assert "caregiver (Marta)" in text


def test_workup_checklist_says_what_is_recorded_and_what_is_not(pages):
    text = " ".join(pages)
    workup = text[text.index("Workup checklist"):]
    assert re.search(r"C-reactive protein \(CRP\) ✓ recorded latest 4\.2 mg/L on 1 Feb 2025", workup)
    # IL-6 is mostly a research marker: not flagged as a gap
    assert re.search(r"Interleukin-6 \(IL-6\) mostly used in research ○ not recorded \(a research marker\)", workup)
    assert re.search(r"Morning cortisol ○ not yet", workup)
    # "generalised anxiety" is recorded, so the anxiety assessment counts as looked into.
    assert re.search(r"Anxiety ✓ recorded", workup)
    assert re.search(r"ADHD ✓ recorded suspected", workup)
    assert re.search(r"PTSD ○ not yet", workup)
    assert re.search(r"Chronic pain ○ not yet", workup)


def test_every_page_is_numbered_and_says_it_is_not_a_diagnosis(pages):
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"page {n} of {len(pages)}" in page
        assert "not a diagnosis" in page


def test_unicode_name_prints_as_real_text_in_embedded_fonts(full_report, pages):
    assert UNICODE_NAME in pages[0]
    reader = PdfReader(io.BytesIO(full_report))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, f"{font['/BaseFont']} is not embedded"
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile", "/FontFile3")), font["/BaseFont"]
            assert "DejaVu" in font["/BaseFont"]


def test_the_timeline_is_vector_with_text_labels(full_report, pages):
    reader = PdfReader(io.BytesIO(full_report))
    assert all(len(page.images) == 0 for page in reader.pages), "the chart must not be a bitmap"
    # The chart is on page one when its least height fits there (tested for 20 years in
    # test_report_page_one); this episode's five treatment rows and question 9 push it to page two.
    first = next(page for page in pages if "Timeline" in page)
    # Labels only the chart draws, found as text: the chart is vector shapes and real words.
    assert "esketamine sessions" in first
    assert "adequate dose" in first
    assert "stopped: did not work" in first
    assert "100 mg" in first and "225 mg" in first  # each dose step labelled on paper


def test_name_styles(tmp_path):
    contents = sample_contents()
    initials = " ".join(_pages(report_bytes(contents, today=TODAY, sections={"summary"})))
    assert "Z. Ł.-Ø. Ζ. Ж." in initials
    assert "Łukasiewicz" not in initials and "1984" not in initials
    nameless = report_bytes(contents, today=TODAY, name_style="none", sections={"summary"})
    text = " ".join(_pages(nameless))
    assert "Łukasiewicz" not in text and "Z. Ł." not in text
    assert "Łukasiewicz" not in str(PdfReader(io.BytesIO(nameless)).metadata)
    assert report_name("Anna-Maria de la Cruz", "initials") == "A.-M. d. l. C."
    assert report_name(None, "full") is None
    with pytest.raises(JournalError):
        report_name("Sam", "nickname")


def test_a4_and_letter(tmp_path):
    contents = sample_contents()
    a4 = PdfReader(io.BytesIO(report_bytes(contents, today=TODAY, sections={"summary"})))
    letter = PdfReader(io.BytesIO(report_bytes(contents, today=TODAY, page_size="Letter", sections={"summary"})))
    assert [round(float(x)) for x in a4.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(x)) for x in letter.pages[0].mediabox[2:]] == [612, 792]
    with pytest.raises(JournalError, match="A4 or Letter"):
        report_bytes(contents, today=TODAY, page_size="A5")


def test_sections_can_be_left_out():
    text = " ".join(_pages(report_bytes(sample_contents(), today=TODAY, sections={"summary", "labs"})))
    assert "Lab results" in text and "CRP" in text
    assert "Medication history" not in text and "Score history" not in text and "Workup checklist" not in text
    with pytest.raises(JournalError, match="Unknown report section"):
        report_bytes(sample_contents(), today=TODAY, sections={"summary", "horoscope"})


def test_a_start_after_the_end_is_refused_plainly():
    with pytest.raises(JournalError, match="would start on 2 Sep 2025, after it ends on 1 Sep 2025"):
        report_bytes(sample_contents(), start=date(2025, 9, 2), today=TODAY)


def test_date_range_limits_what_is_listed():
    pdf = report_bytes(sample_contents(), start=date(2025, 6, 1), end=date(2025, 8, 31), today=TODAY)
    text = " ".join(_pages(pdf))
    assert "Records from 1 Jun 2025 to 31 Aug 2025" in text
    assert "MADRS" not in text  # its only score is from March
    treatment = text[text.index("Treatment in this report's dates"):text.index("Behind page one")]
    assert "sertraline" not in treatment  # ended in April: listed with the earlier history instead
    assert "venlafaxine" in treatment


def test_a_trial_of_an_earlier_episode_is_judged_in_that_episode():
    old = Trial(
        "t0", "citalopram", (DoseStep(date(2022, 3, 1), 20),), end=date(2022, 6, 1),
        stop_reason="ineffective", adherence="good", rating=Rating("none", 5, date(2022, 6, 1)),
    )
    contents = replace(
        sample_contents(),
        episodes=(Episode("e0", date(2022, 2, 1), date(2022, 12, 1), "mild"), *sample_contents().episodes),
        trials=(old, *sample_contents().trials),
    )
    text = " ".join(_pages(report_bytes(contents, today=TODAY, sections={"medications"})))
    earlier = text[text.index("Medication history of earlier episodes"):]
    assert "Episode from 1 Feb 2022 to 1 Dec 2022, mild at onset" in earlier
    row = earlier[earlier.index("citalopram"):]
    assert "no response" in row[:300]
    whole = " ".join(_pages(report_bytes(contents, today=TODAY, sections={"medications"}, whole_history=True)))
    every = whole[whole.index("Medication history, every trial"):]
    assert "no response, 5 % better" in every[every.index("citalopram"):][:300]


def test_an_empty_journal_still_makes_a_clear_report():
    text = " ".join(_pages(report_bytes(JournalContents(), today=TODAY)))
    assert "do not appear to be met" in text
    assert "No medication recorded as current." in text
    assert "No treatment recorded in this report's dates." in text
    assert "page 1 of" in text


def test_written_privately_and_atomically(tmp_path, monkeypatch):
    out = tmp_path / "report.pdf"
    build_report(sample_contents(), out, today=TODAY, sections={"summary"})
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert out.read_bytes().startswith(b"%PDF")
    earlier = out.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        build_report(sample_contents(), out, today=TODAY)
    assert out.read_bytes() == earlier
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_failure_while_building_leaves_the_earlier_report(tmp_path, monkeypatch):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF earlier")
    import journal.reports.pdf as report_module

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(report_module, "build_timeline", broken)
    with pytest.raises(RuntimeError):
        build_report(sample_contents(), out, today=TODAY)
    assert out.read_bytes() == b"%PDF earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_records_a_caregiver_entered_are_listed_only_within_the_reports_dates():
    from journal.records import EntryBy, Note
    from journal.reports.facts import report_facts

    base = sample_contents()
    early = Note(id="n-early", date=date(2024, 1, 10), text="Drove Sam to the clinic", for_appointment=False)
    late = Note(id="n-late", date=TODAY, text="Sam slept badly all week", for_appointment=False)
    contents = replace(
        base,
        notes=(*base.notes, early, late),
        entries_by=(EntryBy(record="n-early", author="Alex"), EntryBy(record="n-late", author="Alex")),
    )
    everything = report_facts(contents, today=TODAY, whole_history=True)
    recent = report_facts(contents, start=date(TODAY.year, 1, 1), today=TODAY)
    listed_all = [which for author, kind, items in everything.entries if author == "Alex" for which in items]
    listed_recent = [which for author, kind, items in recent.entries if author == "Alex" for which in items]
    assert len(listed_all) == 2
    assert len(listed_recent) == 1 and "2024" not in listed_recent[0]


# --- long text -------------------------------------------------------------------------------


def _long_note(words: int) -> str:
    return " ".join(f"w{i:04d}" for i in range(words))


def test_a_1300_word_appointment_note_flows_across_pages_in_full():
    from journal.records import Note

    note = "First line of the letter.\n" + _long_note(1300) + "\nLast line: what should we try next?"
    base = sample_contents()
    contents = replace(base, notes=(*base.notes, Note("n-long", date(2025, 8, 29), note, True)))
    pages = _pages(report_bytes(contents, today=TODAY, sections={"notes"}))
    holding = [i for i, page in enumerate(pages) if re.search(r"w\d{4}", page)]
    assert len(holding) >= 2  # it went on to the next page instead of stopping the report
    text = " ".join(pages)
    for word in ("First line of the letter.", "w0000", "w0650", "w1299", "Last line: what should we try next?"):
        assert word in text, word
    # the short notes around it are still listed as before
    assert "Ask about a thyroid panel" in text and "sweating from venlafaxine" in text


def test_a_long_note_in_a_table_shows_its_start_there_and_all_of_it_below():
    from journal.records import Lab

    base = sample_contents()
    note = "Taken at 8 am after a bad night. " + _long_note(900)
    session = replace(base.sessions[0], note=note)
    lab = Lab("l9", date(2025, 2, 1), "IL-6", 3.0, "pg/mL", note)
    contents = replace(base, sessions=(session, *base.sessions[1:]), labs=(*base.labs, lab))
    text = " ".join(_pages(report_bytes(contents, today=TODAY, sections={"sessions", "labs"})))
    assert text.count("w0899") == 2  # once for the session, once for the lab, each in full
    assert "(in full below: session of" in text
    assert "IL-6 on 1 Feb 2025: Taken at 8 am" in text  # a lab's note under the grid, whole
    assert text.count("Taken at 8 am") >= 3  # the session's start in its table and in full, and the lab's


@pytest.mark.slow
def test_every_field_at_its_length_limit_makes_a_report():
    from journal.limits import NAME_LIMIT, NOTE_LIMIT
    from journal.records import EntryBy, Note

    base = sample_contents(name="N" * NAME_LIMIT)
    long_word = "x" * NOTE_LIMIT  # no space to break at
    contents = replace(
        base,
        trials=tuple(replace(t, drug=t.drug + "y" * (NAME_LIMIT - len(t.drug)), note=long_word) for t in base.trials),
        sessions=tuple(replace(s, note=long_word) for s in base.sessions),
        notes=(*base.notes, Note("n-max", date(2025, 8, 29), _long_note(4000)[:NOTE_LIMIT], True)),
        entries_by=(EntryBy("n-max", "A" * NAME_LIMIT),),
    )
    pages = _pages(report_bytes(contents, today=TODAY, name_style="full"))
    assert "Appointment summary" in pages[0] and "N" * 20 in pages[0]
    assert all(re.search(r"page \d+ of \d+", page) for page in pages)
