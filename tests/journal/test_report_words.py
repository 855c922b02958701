"""The report's verdict is written for the clinician who reads it: for discussion, with each source's grade, no ids."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from journal.records import DoseStep, Episode, JournalContents, Rating, Trial
from journal.reports.pdf import report_bytes

D = date.fromisoformat
IDS = ("t-d93140", "t-5be0a7", "t-aa01f3", "t-0c4d11", "e-41b7c2")


def _contents() -> JournalContents:
    return JournalContents(
        episodes=(Episode(id="e-41b7c2", start=D("2025-01-06"), severity="moderate"),),
        trials=(
            Trial("t-d93140", "sertraline", (DoseStep(D("2025-01-10"), 100.0),), end=D("2025-04-01"),
                  rating=Rating("none", 10, D("2025-04-01"))),  # adherence not recorded: a caveat
            Trial("t-5be0a7", "escitalopram", (DoseStep(D("2025-04-05"), 20.0),), end=D("2025-06-30"),
                  adherence="good", rating=Rating("none", 5, D("2025-06-30"))),
            Trial("t-aa01f3", "liothyronine", (DoseStep(D("2025-05-01"), 0.025),), end=D("2025-06-30"), adherence="good"),
            Trial("t-0c4d11", "vortioxetine", (DoseStep(D("2025-07-07"), 20.0),), adherence="good",
                  rating=Rating("response", 60, D("2025-09-20"))),
        ),
    )


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_report_verdict_is_for_discussion_and_names_what_was_counted():
    text = _text(report_bytes(_contents(), today=D("2025-10-01")))
    assert (
        "By the person's own records, the criteria for treatment-resistant depression appear to be met as of 30 Jun 2025: "
        "2 different antidepressants taken at an adequate dose for long enough did not work well enough in this episode. "
        "Counted: sertraline and escitalopram. Since then: vortioxetine, ongoing, response so far. For discussion."
    ) in text
    assert "please discuss this with your clinician" not in text.lower()
    assert "judged by the person's own rating or else by PHQ-9 scores" in text
    assert "sertraline: adherence not recorded" in text


def test_the_report_keeps_each_sources_grade_and_never_shows_a_trial_id():
    text = _text(report_bytes(_contents(), today=D("2025-10-01")))
    assert "at least 100 mg/day" not in text  # the minimum shown is the catalog's, with its source
    assert "at least 50 mg/day, MGH-ATRQ list, grade A" in text
    assert "at least 0.025 mg/day, commonly cited figure, not yet checked against a primary source, grade C" in text
    assert "a usual figure" not in text
    for internal in IDS:
        assert internal not in text, f"the internal id {internal} is in the report"
