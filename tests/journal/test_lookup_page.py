"""The page to print for a pharmacy or a GP's office: what to look up for each remembered trial that could count."""

from __future__ import annotations

import io
import os
import re
import stat
from datetime import date

import pytest
from pypdf import PdfReader

from journal.clinical.assessment import assess
from journal.errors import JournalError
from journal.records import DoseStep, Episode, JournalContents, Profile, Rating, Settings, Trial, parse_partial
from journal.reports.lookup import build_lookup_page, lookup_page_bytes

D = date.fromisoformat
TODAY = D("2025-06-01")


def _trial(tid, drug, steps, end=None, source="memory") -> Trial:
    end_day, end_precision = parse_partial(end) if end else (None, "day")
    doses = tuple(DoseStep(*parse_partial(s)[:1], mg, start_precision=parse_partial(s)[1]) for s, mg in steps)
    return Trial(tid, drug, doses, end=end_day, end_precision=end_precision, adherence="good", rating=Rating("none"), source=source)


def _contents(*more: Trial, name: str | None = "Zoë Łukasiewicz-Øster") -> JournalContents:
    return JournalContents(
        profile=Profile(display_name=name),
        episodes=(Episode("e1", D("1999-01-01"), severity="moderate"),),
        trials=(
            # "2019, I don't remember the dose": could count once the dose and the months are found
            _trial("t1", "sertraline", [("2019", None)], "2019"),
            # from records, exact: counts as it is, nothing to look up
            _trial("t2", "escitalopram", [("2020-01-01", 10)], "2020-06-01", source="records"),
            *more,
        ),
    )


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_page_lists_what_to_find_with_the_dates_as_entered_and_a_line_for_the_answer():
    (page,) = _pages(lookup_page_bytes(_contents(), today=TODAY, name_style="full"))
    assert "Treatment details to look up For: Zoë Łukasiewicz-Øster" in page
    assert "Medicine, as I remember it Please look up What you found" in page
    assert "sertraline Started 2019, dose not remembered Ended 2019 • the month it started" in page
    assert "the month it started" in page and "the dose (50 mg/day or more would count)" in page
    assert "the month it ended (6 weeks or more at an adequate dose would count)" in page
    assert "Checked by (name, place, date)" in page
    assert "Made on 1 Jun 2025" in page and "not a diagnosis" in page
    # nothing to find for a trial that already counts, and no verdict words for the counter
    assert "escitalopram" not in page
    for jargon in ("criteria", "treatment-resistant", "counts toward", "failed"):
        assert jargon not in page.lower()


def test_the_name_is_printed_only_when_chosen():
    (page,) = _pages(lookup_page_bytes(_contents(), today=TODAY))
    assert "Zoë" not in page and "For:" not in page
    (page,) = _pages(lookup_page_bytes(_contents(), today=TODAY, name_style="initials"))
    assert "For: Z. Ł.-Ø." in page


def test_a_long_list_still_fits_one_page():
    many = [_trial(f"m{i}", drug, [(f"{2000 + i}", None)], f"{2000 + i}") for i, drug in enumerate(
        ("fluoxetine", "paroxetine", "citalopram", "venlafaxine", "duloxetine", "mirtazapine", "vortioxetine", "bupropion",
         "agomelatine", "trazodone", "amitriptyline", "nortriptyline", "clomipramine", "imipramine"))]
    contents = _contents(*many)
    a = assess(contents, Settings(), as_of=TODAY)
    assert sum(v.could_count for v in a.trials) >= 12
    pages = _pages(lookup_page_bytes(contents, a, today=TODAY))
    assert len(pages) == 1
    assert "fluoxetine" in pages[0] and "imipramine" in pages[0]


def test_the_file_is_private_and_an_unknown_page_size_is_refused(tmp_path):
    path = build_lookup_page(_contents(), tmp_path / "look-up.pdf", today=TODAY, page_size="Letter")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(PdfReader(str(path)).pages) == 1
    with pytest.raises(JournalError, match="A4 or Letter"):
        lookup_page_bytes(_contents(), today=TODAY, page_size="A5")
