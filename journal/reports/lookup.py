"""What to look up, as one printed page to take to a pharmacy or a GP's office.

The page lists each remembered trial that could count once its details are confirmed
(trd-rules.md, "Remembered trials"): the drug, its dates and doses as the person entered them,
what to find with the minimum that would make it adequate, and a line to write the answer on.
It carries no verdict beyond that: whoever reads it at the counter only needs to know what to
find. Laid out with ReportLab in the report's own embedded fonts (journal.reports.pdf), and
always one page: a long list is set smaller rather than run onto a second.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, KeepInFrame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from journal.clinical.assessment import Assessment, TrialVerdict, assess
from journal.errors import JournalError
from journal.files.atomic import atomic_write
from journal.records import JournalContents, Settings, Trial
from journal.reports.facts import day, entered_day, mg, report_name
from journal.reports.pdf import _BOLD, _FONT, _esc, _register_fonts

__all__ = ["LookUpItem", "look_up_items", "lookup_page_bytes", "build_lookup_page", "TITLE", "NOT_A_DIAGNOSIS"]

TITLE = "Treatment details to look up"
INTRO = (
    "I am putting my treatment history together and remember these medicines only roughly. "
    "Could you look up the details below in your records (prescriptions, pharmacy or clinic records)? "
    "Please write what you find in the box beside each one."
)
NOT_A_DIAGNOSIS = "This page is not a diagnosis and asks for no advice: it lists details to find in records."
PAGE_SIZES = ("A4", "Letter")

_INK = "#1a1a1a"
_MUTED = "#555555"
_HEADING = "#1f3a5f"
_RULE = "#9aa8b8"


@dataclass(frozen=True)
class LookUpItem:
    """One medicine to look up: its name, what the person entered, and what to find."""

    drug: str
    entered: tuple[str, ...]  # "Started Mar 2019, dose not remembered", "Ended Sep 2019"
    find: tuple[str, ...]  # the assessment's words: "the dose (20 mg/day or more would count)", ...


def _entered(trial: Trial | None, v: TrialVerdict) -> tuple[str, ...]:
    """The trial's dates and doses as entered, a line each ("Started Mar 2019, dose not remembered", "Ended Sep 2019")."""
    if trial is None:
        said = (f"Started {v.entered_start}" if v.entered_start else "", f"Ended {v.entered_end}" if v.entered_end else "")
        return tuple(x for x in said if x)
    lines = []
    for i, step in enumerate(trial.doses):
        when = entered_day(step.start, step.start_precision)
        dose = "dose not remembered" if step.mg_per_day is None else f"{mg(step.mg_per_day)} mg/day"
        lines.append(f"Started {when}, {dose}" if i == 0 else f"From {when}, {dose}")
    lines.append(f"Ended {entered_day(trial.end, trial.end_precision)}" if trial.end is not None else "Still taking it")
    return tuple(lines)


def look_up_items(contents: JournalContents, a: Assessment) -> list[LookUpItem]:
    """The remembered trials that could count, in the assessment's order, with what to find for each."""
    by_id = {t.id: t for t in contents.trials}
    return [
        LookUpItem(v.drug, _entered(by_id.get(v.id), v), v.look_up)
        for v in a.trials
        if v.could_count and v.look_up
    ]


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=14, textColor=colors.HexColor(_INK))
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=_BOLD, fontSize=17, leading=21, textColor=colors.HexColor(_HEADING)),
        "name": ParagraphStyle("name", parent=body, fontSize=12, leading=16),
        "drug": ParagraphStyle("drug", parent=body, fontName=_BOLD, fontSize=12, leading=15, spaceBefore=4,
                               textColor=colors.HexColor(_HEADING)),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor(_MUTED)),
        "label": ParagraphStyle("label", parent=body, fontName=_BOLD, fontSize=10, leading=13),
    }


def _items_table(items: list[LookUpItem], st: dict[str, ParagraphStyle], width: float) -> Table:
    """One row a medicine: what the person remembers, what to look up, and a box to write what was found."""
    widths = [52 * mm, 70 * mm, width - 122 * mm]
    rows: list = [[Paragraph(f"<font name='{_BOLD}'>{h}</font>", st["small"]) for h in
                   ("Medicine, as I remember it", "Please look up", "What you found")]]
    for item in items:
        remembered = f"<font name='{_BOLD}' size='11.5'>{_esc(item.drug)}</font>" + "".join(f"<br/>{_esc(x)}" for x in item.entered)
        find = "<br/>".join(f"\u2022 {_esc(x)}" for x in item.find)
        rows.append([Paragraph(remembered, st["body"]), Paragraph(find, st["body"]), Spacer(1, 22 * mm)])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(_HEADING)),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor(_RULE)),
                # the answer box: ruled on every side, so it reads as a place to write
                ("BOX", (2, 1), (2, -1), 0.6, colors.HexColor(_RULE)),
                ("LINEBEFORE", (2, 1), (2, -1), 0.6, colors.HexColor(_RULE)),
            ]
        )
    )
    return table


def lookup_page_bytes(
    contents: JournalContents,
    assessment: Assessment | None = None,
    *,
    today: date | None = None,
    name_style: str = "none",
    page_size: str = "A4",
    assessment_settings: Settings | None = None,
) -> bytes:
    """The look-up page as PDF bytes; the assessment as of `today` unless one is given."""
    if page_size not in PAGE_SIZES:
        raise JournalError(f"The page size must be A4 or Letter, got {page_size!r}")
    today = today or date.today()
    name = report_name(contents.profile.display_name, name_style)
    if assessment is None:
        assessment = assess(contents, assessment_settings or contents.settings, today)
    items = look_up_items(contents, assessment)
    _register_fonts()
    st = _styles()
    size = A4 if page_size == "A4" else LETTER
    margin = 18 * mm
    width, height = size[0] - 2 * margin, size[1] - 2 * margin - 10 * mm
    story: list = [Paragraph(TITLE, st["title"])]
    if name:
        story.append(Paragraph(f"For: {_esc(name)}", st["name"]))
    story += [Spacer(1, 3 * mm), Paragraph(_esc(INTRO), st["body"]), Spacer(1, 4 * mm)]
    if items:
        story.append(_items_table(items, st, width))
    else:
        story.append(Paragraph("Nothing to look up: no remembered medicine is waiting for its details.", st["body"]))
    story += [Spacer(1, 6 * mm), Paragraph(f"Checked by (name, place, date): {'_' * 40}", st["body"])]
    buf = io.BytesIO()

    def foot(canv, _doc) -> None:
        canv.saveState()
        canv.setFont(_FONT, 8)
        canv.setFillColorRGB(0.33, 0.33, 0.33)
        canv.setStrokeColor(colors.HexColor(_RULE))
        canv.setLineWidth(0.5)
        canv.line(margin, margin + 4 * mm, size[0] - margin, margin + 4 * mm)
        canv.drawString(margin, margin, f"Made on {day(today)} with Trial Journal. {NOT_A_DIAGNOSIS}")
        canv.restoreState()

    doc = BaseDocTemplate(
        buf, pagesize=size, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
        title=TITLE, author="", subject="", creator="Trial Journal", producer="Trial Journal",
        initialFontName=_FONT, initialFontSize=10,
    )
    frame = Frame(margin, margin + 8 * mm, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=foot)])
    # One page whatever the list's length: a long list is set smaller, never run onto a second page.
    doc.build([KeepInFrame(width, height, story, mode="shrink")])
    return buf.getvalue()


def build_lookup_page(contents: JournalContents, out_path: str | os.PathLike[str], assessment: Assessment | None = None, **options) -> Path:
    """Write the look-up page to `out_path` atomically, readable by its owner only (as the report is)."""
    return atomic_write(Path(out_path), lookup_page_bytes(contents, assessment, **options))
