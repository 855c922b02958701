"""The appointment report: a PDF a busy clinician can read in a minute, with the detail behind it.

ReportLab lays out real, selectable text in DejaVu Sans (matplotlib's own bundled font, so no
system font is needed and Latin, Greek and Cyrillic names print; CJK needs a font the app does
not ship). The timeline chart stays vector: the figure from journal.charts is drawn straight
onto the page by journal.reports.pdf_chart, its labels in the same embedded fonts.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from journal.charts import TimelineOptions, build_timeline, print_height
from journal.clinical.scales import get_scale
from journal.errors import JournalError
from journal.files.atomic import atomic_write
from journal.records import JournalContents, Settings
from journal.reports.facts import NOT_A_DIAGNOSIS, SECTIONS, ReportFacts, day, report_facts
from journal.reports.pdf_chart import draw_figure

__all__ = ["build_report", "report_bytes", "PAGE_SIZES", "SECTION_KEYS"]

PAGE_SIZES = ("A4", "Letter")
SECTION_KEYS = tuple(key for key, _ in SECTIONS)

_FONT = "DejaVuSans"
_BOLD = "DejaVuSans-Bold"
_ITALIC = "DejaVuSans-Oblique"

# Quiet colours that print well in greyscale; nothing relies on colour alone.
_INK = "#1a1a1a"
_MUTED = "#555555"
_HEADING = "#1f3a5f"
_RULE = "#9aa8b8"
_HEAD_BG = "#e6ecf2"
_ZEBRA = "#f5f7f9"
_NOTICE_BG = "#fff3d6"
_NOTICE_EDGE = "#a86b00"
_DEMO_BG = "#e8eef7"
_DEMO_EDGE = "#1f3a5f"
_QUESTION_CUT = 280  # characters of a long question shown on page one


@cache
def _register_fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(_ITALIC, str(folder / "DejaVuSans-Oblique.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT + "-BoldOblique", str(folder / "DejaVuSans-BoldOblique.ttf")))
    addMapping(_FONT, 0, 0, _FONT)
    addMapping(_FONT, 1, 0, _BOLD)
    addMapping(_FONT, 0, 1, _ITALIC)
    addMapping(_FONT, 1, 1, _FONT + "-BoldOblique")


@dataclass
class _Styles:
    body: Any
    small: Any
    title: Any
    h2: Any
    cell: Any
    cell_bold: Any
    head: Any
    h3: Any
    notice: Any
    name: Any
    small_right: Any
    long_text: Any
    h2_tight: Any
    fine: Any


def _styles() -> _Styles:
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=11.6, textColor=colors.HexColor(_INK))
    return _Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7.8, leading=9.8, textColor=colors.HexColor(_MUTED)),
        title=ParagraphStyle("title", parent=body, fontName=_BOLD, fontSize=15, leading=18, textColor=colors.HexColor(_HEADING)),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=_BOLD, fontSize=10.5, leading=13, spaceBefore=9, spaceAfter=3,
            textColor=colors.HexColor(_HEADING),
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=7.8, leading=9.6),
        cell_bold=ParagraphStyle("cell_bold", parent=body, fontName=_BOLD, fontSize=7.8, leading=9.6),
        head=ParagraphStyle("head", parent=body, fontName=_BOLD, fontSize=7.4, leading=9, textColor=colors.HexColor(_HEADING)),
        h3=ParagraphStyle(
            "h3", parent=body, fontName=_BOLD, fontSize=8.6, leading=11, spaceBefore=6, spaceAfter=2,
            textColor=colors.HexColor(_HEADING),
        ),
        notice=ParagraphStyle("notice", parent=body, fontSize=8.6, leading=11),
        name=ParagraphStyle("name", parent=body, fontSize=11.5, leading=15),
        small_right=ParagraphStyle(
            "small_right", parent=body, fontSize=7.8, leading=9.8, textColor=colors.HexColor(_MUTED), alignment=2
        ),
        long_text=ParagraphStyle("long_text", parent=body, fontSize=8.6, leading=11, leftIndent=8, spaceAfter=1),
        fine=ParagraphStyle("fine", parent=body, fontSize=7.2, leading=8.8, textColor=colors.HexColor(_MUTED)),
        h2_tight=ParagraphStyle(
            "h2_tight", parent=body, fontName=_BOLD, fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=1,
            textColor=colors.HexColor(_HEADING),
        ),
    )


def _esc(text: str) -> str:
    """Text made safe for ReportLab's little markup language (names and notes may hold < or &)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- page furniture ---------------------------------------------------------------------


def _numbered_canvas(footer_y: float, right_x: float):
    """A canvas that holds its pages until the end, so each can say "page N of M"."""

    class _NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(_FONT, 7.5)
                self.setFillColorRGB(0.33, 0.33, 0.33)
                self.drawRightString(right_x, footer_y, f"page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return _NumberedCanvas


class _Chart(Flowable):
    """The timeline, as tall as it would like where there is room, shorter rather than off page one.

    The figure is built only once its height is known, because the chart decides which dose
    labels fit when it is built.
    """

    def __init__(self, build: Callable[[float, float], Figure], width: float, preferred: float, smallest: float):
        super().__init__()
        self.build, self.width, self.preferred, self.smallest = build, width, preferred, smallest
        self.height = preferred

    def wrap(self, available_width, available_height):
        self.height = max(self.smallest, min(self.preferred, available_height))
        return self.width, self.height

    def draw(self) -> None:
        figure = self.build(self.width, self.height)
        fonts = {(False, False): _FONT, (True, False): _BOLD, (False, True): _ITALIC, (True, True): _FONT + "-BoldOblique"}
        draw_figure(figure, self.canv, self.width, self.height, fonts)


# --- building blocks ----------------------------------------------------------------------


def _table(rows, widths, st: _Styles, *, head_rows: int = 1, zebra: bool = True, long: bool = False):
    cls = LongTable if long else Table
    t = cls(rows, colWidths=widths, repeatRows=head_rows, hAlign="LEFT", splitInRow=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LINEBELOW", (0, head_rows - 1), (-1, head_rows - 1), 0.6, colors.HexColor(_RULE)),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, colors.HexColor(_RULE)),
    ]
    if head_rows:
        style.append(("BACKGROUND", (0, 0), (-1, head_rows - 1), colors.HexColor(_HEAD_BG)))
    if zebra:
        for i in range(head_rows + 1, len(rows), 2):
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor(_ZEBRA)))
    t.setStyle(_table_style(style))
    return t


def _table_style(commands: list) -> TableStyle:
    # A table sets its cells' font even when they hold paragraphs; left alone it would name
    # Helvetica, which the file does not embed.
    # Plain-text cells (see _row) take this font and size, the same as the cell style's.
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), _FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 7.8),
            ("LEADING", (0, 0), (-1, -1), 9.6),
            ("TEXTCOLOR", (0, 0), (-1, -1), _hex(_INK)),
            *commands,
        ]
    )


def _p(text: str, style) -> Any:
    return Paragraph(text, style)


def _cells(values, style) -> list:
    return [_p(_esc(v) if isinstance(v, str) else v, style) for v in values]


# A cell of a table is kept to about this many lines; longer text (a long note) is cut short
# there and printed in full below the table, where it flows across pages like any paragraph.
_CELL_LINES = 8
_EXCERPT_LINES = 4


class _Overflow:
    """Text too long for its table cell, printed in full after the table: (label, text) in order."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def cell(self, value: str, width: float, label: str) -> str:
        """The value, or when it would take more than _CELL_LINES lines of its column, its start and a pointer."""
        room = max(width - 6.5, 20.0)
        # No character of 7.8 pt DejaVu Sans is wider than 8 pt: most cells fit without measuring.
        if value.count("\n") < _CELL_LINES and (
            len(value) * 8 <= room * (_CELL_LINES - 1) or pdfmetrics.stringWidth(value, _FONT, 7.8) <= room * (_CELL_LINES - 1)
        ):
            return value
        self.items.append((label, value))
        per_line = max(int(room / 4.6), 8)  # characters of an average line
        excerpt = value[: per_line * _EXCERPT_LINES]
        cut = excerpt.rfind(" ")
        if cut > len(excerpt) // 2:
            excerpt = excerpt[:cut]
        excerpt = " ".join(excerpt.split())
        return f"{excerpt} … (in full below: {label})"

    def flowables(self, st: _Styles) -> list:
        out: list = []
        for label, text in self.items:
            out.append(_p(f"<font name='{_BOLD}'>{_esc(label)}</font>", st.cell))
            out.extend(_long_text(text, st.long_text))
        return out


def _long_text(text: str, style) -> list:
    """Free text as paragraphs that split across pages, one per line the person wrote."""
    return [_p(_esc(line) if line.strip() else "&nbsp;", style) for line in text.split("\n")]


def _row(values: list[str], widths: list[float], st: _Styles, overflow: _Overflow | None = None, label: str = "") -> list:
    """A table row whose short cells stay plain strings, which draw many times faster than
    paragraphs (a 20-year journal has thousands); a cell too wide for its column wraps, and
    one too long for a cell (given `overflow`) is cut short and printed in full below."""
    out: list = []
    for value, width in zip(values, widths, strict=False):  # a short row leaves its last columns empty
        if overflow is not None:
            value = overflow.cell(value, width, label)
        if "\n" not in value and pdfmetrics.stringWidth(value, _FONT, 7.8) <= width - 6.5:
            out.append(value)
        else:
            # a paragraph joins lines: the line breaks of a cell ("Other scales", times) are kept as breaks
            out.append(_p(_esc(value).replace("\n", "<br/>"), st.cell))
    return out


def _fit(text: str, room: float, size: float) -> str:
    """The text, cut with an ellipsis where it would run past `room` points in the body font."""
    if pdfmetrics.stringWidth(text, _FONT, size) <= room:
        return text
    low, high = 0, min(len(text), int(room))  # no character is narrower than 1 pt at these sizes
    while low < high:
        mid = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:mid] + "\u2026", _FONT, size) <= room:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "\u2026"


def _short(text: str, limit: int = 40) -> str:
    """A name cut short for a pointer to text printed in full further down."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _sentence(text: str) -> str:
    """A caveat ended with a full stop, so several in a row read apart (a drug's name keeps its own case)."""
    text = text.strip()
    return text + ("" if not text or text[-1] in ".!?" else ".")


def _heading(text: str, st: _Styles):
    return _p(_esc(text), st.h2)


def _none(text: str, st: _Styles):
    return _p(_esc(text), st.small)


# --- the sections ---------------------------------------------------------------------------


def _title_block(f: ReportFacts, st: _Styles, width: float) -> list:
    left = [_p("Appointment summary", st.title)]
    if f.name:
        born = f"<font name='{_FONT}' size='9'> \u00b7 born {f.birth_year}</font>" if f.birth_year else ""
        left.append(_p(f"<font name='{_BOLD}' size='11.5'>{_esc(f.name)}</font>{born}", st.name))
    right = [_p(_esc(f.range_text), st.small_right), _p(f"Generated {day(f.generated)}", st.small_right)]
    if f.made_up:
        # the demo's report says so at the top of page one, where a reader looks first
        left.insert(1, _p(f"<font name='{_BOLD}'>Made-up data (a demo journal).</font> Not a real person's records.", st.notice))
    t = Table([[left, right]], colWidths=[width * 0.66, width * 0.34])
    t.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, _hex(_HEADING)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [t, Spacer(1, 6)]


def _hex(value: str):
    return colors.HexColor(value)


def _medications(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.medications:
        return [_none("No medication trial in this range.", st)]
    widths = [28 * mm, 22 * mm, 16 * mm, 17 * mm, 17 * mm, 31 * mm, 18 * mm, 0]
    widths[7] = width - sum(widths)
    head = _cells(
        ["Drug (class)", "Dates", "Dose (mg/day)", "Weeks at adequate dose", "Adequate", "Outcome", "Stopped", "Side effects"],
        st.head,
    )
    rows = [head]
    overflow = _Overflow()
    for r in f.medications:
        label = f"{_short(r.drug)}, {r.dates}"
        muted = [r.drug_class]
        if r.role == "add-on":
            muted.append("add-on")
        if r.entered_as:
            muted.append(f"entered as {r.entered_as}")
        drug = f"<font name='{_BOLD}'>{_esc(r.drug)}</font><br/><font size='6.8' color='{_MUTED}'>{_esc(', '.join(muted))}</font>"
        if r.source:
            # remembered dates and doses are marked in words beside the drug, not by a colour
            drug += f"<br/><font name='{_ITALIC}' size='6.8'>{_esc(r.source)}</font>"
        outcome = _esc(r.outcome)
        if r.counts:
            outcome = f"<font name='{_BOLD}'>{outcome}</font><br/>counts toward the rule"
        elif r.could_count:
            outcome += f"<br/><font name='{_ITALIC}'>could count once the remembered details are confirmed</font>"
        rows.append(
            [
                _p(drug, st.cell),
                *_cells([r.dates, overflow.cell(r.doses, widths[2], f"doses of {label}"), r.weeks_adequate, r.adequate], st.cell),
                _p(outcome, st.cell),
                *_cells([r.stop, overflow.cell(r.side_effects, widths[7], f"side effects of {label}")], st.cell),
            ]
        )
    out: list = [_table(rows, widths, st, long=len(rows) > 30), *overflow.flowables(st)]
    detail = [r for r in f.medications if r.reasons or r.caveats]
    if detail:
        out.append(_p("Why each trial was judged as it was", st.h3))
        for r in detail:
            words = "; ".join(_esc(x) for x in (*r.reasons, *(f"caveat: {c}" for c in r.caveats)))
            out.append(_p(f"<font name='{_BOLD}'>{_esc(r.drug)}</font> ({_esc(r.dates)}): {words}.", st.small))
    return out + _therapies(f, st, width)


def _therapies(f: ReportFacts, st: _Styles, width: float) -> list:
    """The psychotherapy courses under the trials: listed, never counted toward the rule (trd-rules.md v2)."""
    if not f.therapies:
        return []
    widths = [36 * mm, 30 * mm, 15 * mm, 34 * mm, 22 * mm, 0]
    widths[5] = width - sum(widths)
    rows = [_cells(["Psychotherapy", "Dates", "Sessions", "Outcome", "Stopped", "Where from; note"], st.head)]
    overflow = _Overflow()
    for p in f.therapies:
        note = "; ".join(x for x in (p.source, p.note) if x)
        rows.append(_row([p.kind, p.dates, p.sessions, p.outcome, p.stop, note], widths, st, overflow, f"{_short(p.kind)}, {p.dates}"))
    return [
        _p("Psychotherapy courses (listed, never counted toward the rule)", st.h3),
        _table(rows, widths, st, long=len(rows) > 30),
        *overflow.flowables(st),
    ]


def _scores(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.scores:
        return [_none("No scale scores in this range.", st)]
    # One row per date: PHQ-9 and GAD-7 are usually filled in together, and a clinician
    # reads them side by side.
    widths = [20 * mm, 34 * mm, 26 * mm, 24 * mm, 21 * mm, 23 * mm, 0]
    widths[6] = width - sum(widths)
    rows = [
        _cells(
            ["Date", "PHQ-9", "PHQ-9 answers (questions 1-9)", "GAD-7", "GAD-7 answers (1-7)", "Other scales", "Difficulty; entered by"],
            st.head,
        )
    ]
    by_date: dict[date, list] = {}
    for r in f.scores:
        by_date.setdefault(r.date, []).append(r)
    for d, scores in by_date.items():
        cells: dict[str, list[str]] = {"PHQ-9": [], "PHQ-9 answers": [], "GAD-7": [], "GAD-7 answers": [], "other": [], "extra": []}
        crisis = False
        for r in scores:
            total = f"{r.total} {r.severity}"
            if r.scale in ("PHQ-9", "GAD-7"):
                cells[r.scale].append(total)
                cells[r.scale + " answers"].append(r.answers)
                crisis = crisis or r.crisis
            else:
                cells["other"].append(f"{r.scale} {total}")
            if r.difficulty:
                cells["extra"].append(r.difficulty)
            if r.entered_by:
                cells["extra"].append(f"{r.scale} entered by {r.entered_by}")
        times = sorted({r.time for r in scores if r.time})
        row = _row(
            ["\n".join([day(d), *times]), *("\n".join(cells[k]) for k in ("PHQ-9", "PHQ-9 answers", "GAD-7", "GAD-7 answers", "other")),
             "; ".join(cells["extra"])],
            widths,
            st,
        )
        if crisis:
            answers = "<br/>".join(_esc(a) for a in cells["PHQ-9 answers"])
            row[2] = _p(f"{answers}<br/><font name='{_BOLD}'>question 9 above 0</font>", st.cell)
        rows.append(row)
    return [_table(rows, widths, st, long=len(rows) > 30)]


def _sessions(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.sessions:
        return [_none("No sessions in this range.", st)]
    # the date and time on one line; the monitoring wraps in its own column
    widths = [28 * mm, 20 * mm, 11 * mm, 8 * mm, 26 * mm, 22 * mm, 17 * mm, 26 * mm, 0]
    widths[8] = width - sum(widths)
    rows = [
        _cells(
            [
                "Date and time", "Treatment, phase", "Dose", "No.", "Blood pressure before → after",
                "Dissociation, sedation, nausea (0-10)", "Mood 1, 2, 7 days after (0-10)", "Monitoring; transport home", "Note",
            ],
            st.head,
        )
    ]
    overflow = _Overflow()
    flagged = []
    for r in f.sessions:
        note = "; ".join(x for x in (r.note, f"entered by {r.entered_by}" if r.entered_by else "") if x)
        treatment = f"{r.treatment}, {r.phase}" if r.phase else r.treatment
        going_home = "; ".join(x for x in (r.monitoring, f"transport home: {r.transport}") if x)
        row = _row(
            [r.when, treatment, r.dose, r.number, r.blood_pressure, r.ratings, r.mood_after, going_home, note],
            widths,
            st,
            overflow,
            f"session of {r.when}",
        )
        if r.transport_missing:
            # no driving until the next day after esketamine (ketamine.md): said in words and marked
            row[7] = _p(_esc(r.monitoring + "; " if r.monitoring else "")
                        + f"<font name='{_BOLD}'>\u26a0 no transport home arranged</font>", st.cell)
            flagged.append(len(rows))
        rows.append(row)
    table = _table(rows, widths, st, long=len(rows) > 30)
    if flagged:
        table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), _hex(_NOTICE_BG)) for i in flagged]))
    return [table, *overflow.flowables(st)]


def _labs(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.labs:
        return [_none("No lab results in this range.", st)]
    widths = [24 * mm, 50 * mm, 20 * mm, 20 * mm, 0]
    widths[4] = width - sum(widths)
    rows = [_cells(["Date", "Test", "Value", "Unit", "Note"], st.head)]
    overflow = _Overflow()
    rows += [
        _row([day(d), test, value, unit, note], widths, st, overflow, f"{_short(test)} on {day(d)}")
        for d, test, value, unit, note in f.labs
    ]
    return [_table(rows, widths, st, long=len(rows) > 30), *overflow.flowables(st)]


def _conditions(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.conditions:
        return [_none("No other conditions recorded.", st)]
    widths = [55 * mm, 25 * mm, 24 * mm, 0]
    widths[3] = width - sum(widths)
    rows = [_cells(["Condition", "Status", "Since", "Note"], st.head)]
    overflow = _Overflow()
    rows += [_row(list(c), widths, st, overflow, _short(c[0])) for c in f.conditions]
    return [_table(rows, widths, st, long=len(rows) > 30), *overflow.flowables(st)]


def _workup(f: ReportFacts, st: _Styles, width: float) -> list:
    widths = [45 * mm, 42 * mm, 24 * mm, 0]
    widths[3] = width - sum(widths)
    rows = [_cells(["Area", "Item", "In the journal?", "Latest"], st.head)]
    previous = None
    for w in f.workup:
        mark = "\u2713 recorded" if w.recorded else "\u25cb not yet"
        research = _is_research_marker(w.name)
        if research and not w.recorded:
            cell = f"<font color='{_MUTED}'>\u25cb not recorded (a research marker)</font>"
        else:
            cell = f"<font name='{_BOLD}'>{mark}</font>" if not w.recorded else mark
        rows.append(
            [
                _p(_esc(w.group) if w.group != previous else "", st.cell),
                _p(_esc(w.name) + (f"<br/><font size='7' color='{_MUTED}'>mostly used in research</font>" if research else ""), st.cell),
                _p(cell, st.cell),
                _p(_esc(w.detail if w.recorded else ""), st.cell),
            ]
        )
        previous = w.group
    return [
        _p("The tests and comorbidity assessments people with hard-to-treat depression often ask about, and which of "
           "them this journal holds. A missing item may simply not have been entered.", st.small),
        _table(rows, widths, st, zebra=False),
    ]


def _is_research_marker(name: str) -> bool:
    """IL-6: scales.md and questions.md call it mostly a research marker, so a missing one is not flagged as a gap."""
    return "il-6" in name.casefold() or "interleukin" in name.casefold()


def _entries(f: ReportFacts, st: _Styles, width: float) -> list:
    rows = [_cells(["Entered by", "Records"], st.head)]
    overflow = _Overflow()
    for author, kind, items in f.entries:
        which = overflow.cell(", ".join(items), width - 40 * mm, f"{kind.lower()} entered by {_short(author)}")
        rows.append([_p(_esc(author), st.cell), _p(f"<font name='{_BOLD}'>{_esc(kind)} ({len(items)})</font>: " + _esc(which), st.cell)])
    return [
        _p("Everything else was entered by the person themselves.", st.small),
        _table(rows, [40 * mm, width - 40 * mm], st, long=len(rows) > 30),
        *overflow.flowables(st),
    ]


# --- page one, for a two-minute read --------------------------------------------------------------


def _box(rows: list, width: float, background: str, edge: str) -> Table:
    box = Table(rows, colWidths=[width], splitInRow=1)
    box.setStyle(
        _table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _hex(background)),
                ("BOX", (0, 0), (-1, -1), 1.0, _hex(edge)),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return box


def _item9_box(f: ReportFacts, st: _Styles, width: float) -> list:
    """Question 9 newest first: the latest answer and its date, earlier answers above 0 as a count; the crisis lines."""
    if f.item9_latest is None:
        return []
    scale = get_scale("PHQ-9")
    item = scale.items[scale.crisis_item - 1].text if scale.crisis_item else "question 9"
    text = f"<font name='{_BOLD}'>PHQ-9 question 9 answered above 0</font> (\u201c{_esc(item)}\u201d): {_esc(f.item9_latest)}"
    if f.item9_older:
        text += (
            f"; {f.item9_older} earlier answer{'s' if f.item9_older != 1 else ''} above 0"
            f" in this report's dates, the most recent {_esc(f.item9_last_positive or '')}"
        )
    text += ". Please ask about it. Question 9 on its own is not a suicide-risk assessment."
    lines = " \u00b7 ".join(_esc(line) for line in f.crisis_lines)
    return [
        _box([[_p(text, st.notice)], [_p(f"If you feel unsafe now: {lines}.", st.small)]], width, _NOTICE_BG, _NOTICE_EDGE),
        Spacer(1, 5),
    ]


def _page_one_summary(f: ReportFacts, st: _Styles, width: float) -> list:
    def lines(items, style=st.body) -> list:
        return [_p(_esc(i), style) for i in items]

    verdict = [
        _p(f"<font name='{_BOLD}'>{_esc(f.summary)}</font>", st.body),
        _p(_esc(f.rule), st.fine),
    ]
    verdict += [_p("\u2022 " + _esc(_sentence(c)), st.fine) for c in f.caveats]
    if f.look_up:
        verdict.append(_p("Remembered trials that could count once these details are confirmed (pharmacy or clinic records):", st.small))
        verdict += [_p("\u2022 " + _esc(line), st.small) for line in f.look_up]
    maudsley = [_p(_esc(f.maudsley), st.body)]
    if f.maudsley_parts:
        maudsley.append(_p(_esc("; ".join(f.maudsley_parts)), st.fine))
    rows = [
        [_p("Episode", st.cell_bold), _p(_esc(f.episode), st.body)],
        [_p("Taking now", st.cell_bold), lines(f.current_medications) or [_p("No medication recorded as current.", st.body)]],
    ]
    if f.current_sessions:
        rows.append([_p("Sessions", st.cell_bold), lines(f.current_sessions)])
    rows.append([_p("TRD criteria, for discussion", st.cell_bold), verdict])
    rows.append([_p("Maudsley staging", st.cell_bold), maudsley])
    scale = f.primary_scale
    if f.recent_primary:
        recent = ", ".join(f"{total} ({day(d)}{' ' + at if at else ''})" for d, total, _, at in f.recent_primary)
        text = f"{_esc(recent)}; newest first"
        if f.primary_note:
            text = f"<font name='{_BOLD}'>{_esc(f.primary_note)}</font> " + text
        rows.append([_p(f"Last {scale} totals", st.cell_bold), _p(text, st.body)])
    else:
        rows.append([_p(f"Last {scale} totals", st.cell_bold), _p(_esc(f.primary_note or f"No {scale} score recorded."), st.body)])
    t = Table(rows, colWidths=[27 * mm, width - 27 * mm], hAlign="LEFT", splitInRow=1)
    t.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, _hex(_RULE)),
            ]
        )
    )
    return [t, Spacer(1, 2)]


def _treatment_table(f: ReportFacts, st: _Styles, width: float) -> list:
    """The treatment history of the report's dates in the MGH-ATRQ's terms: one row per trial, course or run of sessions."""
    if not f.treatment:
        return [_none("No treatment recorded in this report's dates.", st)]
    widths = [28 * mm, 21 * mm, 16 * mm, 14 * mm, 16 * mm, 18 * mm, 22 * mm, 17 * mm, 0]
    widths[-1] = width - sum(widths)
    scale = f.primary_scale
    head = _cells(
        ["Treatment (class)", "Dates", "Highest dose", "Weeks ade\u00adquate", "Adhe\u00adrence", f"{scale} before → last",
         "Outcome", "Stopped", "Counts toward the rule?"],
        ParagraphStyle("head_small", parent=st.head, fontSize=6.8, leading=8.2),
    )
    rows = [head]
    style_extra = []
    for i, r in enumerate(f.treatment, start=1):
        kind = r.kind if r.kind not in ("antidepressant",) else ""
        muted = ", ".join(x for x in (kind, r.detail) if x)
        name = f"<font name='{_BOLD}'>{_esc(r.name)}</font>"
        if muted:
            name += f"<br/><font size='7' color='{_MUTED}'>{_esc(muted)}</font>"
        if r.remembered:
            name += f"<br/><font name='{_ITALIC}' size='7'>{_esc(r.remembered)}</font>"
        counts = f"<font name='{_BOLD}'>{_esc(r.counts)}</font>" if r.counted else _esc(r.counts)
        rows.append([
            _p(name, st.cell),
            *_cells([r.dates, r.highest, r.weeks, r.adherence, r.scores, r.outcome, r.stop], st.cell),
            _p(counts, st.cell),
        ])
        if r.kind in ("psychotherapy", "sessions"):
            style_extra.append(("LINEABOVE", (0, i), (-1, i), 0.3, _hex(_RULE)))
    table = _table(rows, widths, st, zebra=True)
    if style_extra:
        table.setStyle(TableStyle(style_extra))
    return [table]


def _questions(f: ReportFacts, st: _Styles, width: float) -> list:
    out: list = []
    if not f.questions:
        out.append(_none("No questions or notes marked for this appointment.", st))
    else:
        rows = []
        for q in f.questions:
            by = f" <font size='7' color='{_MUTED}'>(entered by {_esc(q.author)})</font>" if q.author else ""
            text = q.text
            if q.cut:
                text = " ".join(text.split())[:_QUESTION_CUT].rsplit(" ", 1)[0] + " \u2026 (in full in the appendix)"
            rows.append([_p(day(q.date), st.cell), _p(_esc(text) + by, st.cell)])
        out.append(_table(rows, [22 * mm, width - 22 * mm], st, head_rows=0, zebra=False))
    if f.earlier_questions:
        n = len(f.earlier_questions)
        out.append(_p(f"{n} earlier question{'s' if n != 1 else ''} and note{'s' if n != 1 else ''} in the appendix.", st.small))
    return out


# --- behind page one --------------------------------------------------------------------------------


def _judged(f: ReportFacts, st: _Styles, width: float) -> list:
    detail = [r for r in f.medications if (r.reasons or r.caveats)]
    out: list = []
    for r in detail:
        words = "; ".join(_esc(x) for x in (*r.reasons, *(f"caveat: {c}" for c in r.caveats)))
        out.append(_p(f"<font name='{_BOLD}'>{_esc(r.drug)}</font> ({_esc(r.dates)}): {words}.", st.small))
    return out or [_none("No trial in this report's dates.", st)]


def _earlier_history(f: ReportFacts, st: _Styles, width: float) -> list:
    """Each earlier episode's trials, one line each: what a clinician scans for drugs already tried."""
    if not f.earlier:
        return [_none("No treatment recorded before this report's dates.", st)]
    widths = [42 * mm, 37 * mm, 22 * mm, 13 * mm, 36 * mm, 0]
    widths[-1] = width - sum(widths)
    rows = [_cells(["Drug (class)", "Dates", "Doses", "Weeks ade\u00adquate", "Outcome", "Stopped; counted in its episode?"], st.head)]
    spans = []
    for episode in f.earlier:
        spans.append(len(rows))
        rows.append([_p(f"<font name='{_BOLD}'>{_esc(episode.label)}</font>", st.cell), "", "", "", "", ""])
        for r in episode.rows:
            drug = f"{r.drug} ({r.drug_class}{', add-on' if r.role == 'add-on' else ''})"
            if r.source:
                drug += f", {r.source}"
            counted = "counted" if r.counts else ("could count" if r.could_count else "not counted")
            rows.append(_row([drug, r.dates, r.doses, r.weeks_adequate, r.short_outcome, f"{r.stop}; {counted}"], widths, st))
    table = _table(rows, widths, st, zebra=False, long=True)
    table.setStyle(TableStyle([cmd for i in spans for cmd in (("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), _hex(_ZEBRA)))]))
    return [table]


def _score_months(f: ReportFacts, st: _Styles, width: float) -> list:
    if f.whole_history:
        return _scores(f, st, width)
    if not f.score_months:
        return [_none("No scale scores in this report's dates.", st)]
    scales = [s for s in ("PHQ-9", "GAD-7") if any(name == s for m in f.score_months for name, _ in m.by_scale)]
    widths = [18 * mm] + [52 * mm] * len(scales) + [0, 20 * mm]
    widths[-2] = width - sum(widths)
    rows = [_cells(["Month", *scales, "Other scales", "Question 9 above 0"], st.head)]
    for m in f.score_months:
        cells = dict(m.by_scale)
        other = "\n".join(f"{name}: {text}" for name, text in m.by_scale if name not in scales)
        nine = str(m.item9_positive) if m.item9_positive else ""
        rows.append(_row([m.month, *(cells.get(s, "") for s in scales), other, nine], widths, st))
    return [_p("One row per month, newest first; the whole-history report lists every score with its answers.", st.small),
            _table(rows, widths, st, long=len(rows) > 30)]


def _checkins(f: ReportFacts, st: _Styles, width: float) -> list:
    return [_p(_esc(f.daily_summary), st.body)] if f.daily_summary else [_none("No daily check-ins in the last 4 weeks.", st)]


def _lab_grid(f: ReportFacts, st: _Styles, width: float) -> list:
    grid = f.lab_grid
    if grid is None or not grid.rows:
        return [_none("No lab results in this report's dates.", st)]
    out: list = []
    per_table = 6
    for first in range(0, len(grid.tests), per_table):
        tests = grid.tests[first : first + per_table]
        widths = [22 * mm] + [(width - 22 * mm) / len(tests)] * len(tests)
        rows = [_cells(["Date", *tests], st.head)]
        for d, values in grid.rows:
            chosen = values[first : first + per_table]
            if any(chosen):
                rows.append(_row([d, *chosen], widths, st))
        out.append(_table(rows, widths, st, long=len(rows) > 30))
    notes = [(d, test, note) for d, test, _, _, note in f.labs if note]
    if notes:
        out.append(_p("Notes: " + "; ".join(f"{_esc(test)} on {day(d)}: {_esc(note)}" for d, test, note in notes), st.small))
    return out


def _earlier_questions(f: ReportFacts, st: _Styles, width: float) -> list:
    rows: list = []
    out: list = []
    for q in f.earlier_questions:
        by = f" <font size='7' color='{_MUTED}'>(entered by {_esc(q.author)})</font>" if q.author else ""
        if len(q.text) > 600 or q.text.count("\n") > 6:
            if rows:
                out.append(_table(rows, [22 * mm, width - 22 * mm], st, head_rows=0, zebra=False))
                rows = []
            out.append(_p(f"<font name='{_BOLD}'>{day(q.date)}</font>{by}", st.cell))
            out.extend(_long_text(q.text, st.long_text))
            continue
        rows.append([_p(day(q.date), st.cell), _p(_esc(q.text) + by, st.cell)])
    if rows:
        out.append(_table(rows, [22 * mm, width - 22 * mm], st, head_rows=0, zebra=False))
    return out


# --- the chart --------------------------------------------------------------------------------


def _chart(contents: JournalContents, f: ReportFacts, width: float) -> _Chart:
    """The timeline of journal.charts for the report's range, at the page's width."""
    scales = [s for s in ("GAD-7",) if any(x.scale == s for x in contents.scores)]
    primary = f.assessment.settings.primary_scale
    if primary != "PHQ-9" and any(x.scale == primary for x in contents.scores):
        scales.append(primary)
    options = TimelineOptions(scales=tuple(scales), start=f.start, end=f.end, as_of=f.end, font_scale=0.85, for_print=True)

    def build(w: float, h: float) -> Figure:
        figure = Figure(figsize=(w / 72, h / 72), dpi=72)
        build_timeline(contents, f.assessment, options, figure=figure)
        return figure

    # As tall as naming every trial at 7 pt or more takes, and no shorter.
    preferred, smallest = print_height(contents, f.assessment, options, width)
    return _Chart(build, width, preferred, smallest=smallest)


# --- the document ---------------------------------------------------------------------------


def report_bytes(
    contents: JournalContents,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    name_style: str = "initials",
    page_size: str = "A4",
    sections: set[str] | None = None,
    assessment_settings: Settings | None = None,
    whole_history: bool = False,
) -> bytes:
    """The appointment report as PDF bytes (for a preview, or to write with build_report)."""

    if page_size not in PAGE_SIZES:
        raise JournalError(f"The page size must be A4 or Letter, got {page_size!r}")
    wanted = set(SECTION_KEYS) if sections is None else set(sections)
    unknown = wanted - set(SECTION_KEYS)
    if unknown:
        raise JournalError(f"Unknown report section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTION_KEYS)}")
    facts = report_facts(
        contents, start=start, end=end, today=today, name_style=name_style, assessment_settings=assessment_settings,
        whole_history=whole_history,
    )
    _register_fonts()
    page = _Page(A4 if page_size == "A4" else LETTER)
    buf = io.BytesIO()
    doc = _document(buf, page, facts)
    doc.build(_story(contents, facts, wanted, _styles(), page.width), canvasmaker=_numbered_canvas(9 * mm, page.size[0] - page.margin_x))
    return buf.getvalue()


@dataclass(frozen=True)
class _Page:
    """The page's size and margins in points, and the width the text runs across."""

    size: tuple[float, float]
    margin_x: float = 15 * mm
    margin_top: float = 17 * mm
    margin_bottom: float = 16 * mm

    @property
    def width(self) -> float:
        return self.size[0] - 2 * self.margin_x


def _document(buf: io.BytesIO, page: _Page, facts: ReportFacts) -> BaseDocTemplate:
    """The PDF document: one frame a page, with the running head (from page 2) and the foot every page carries."""
    size, margin_x = page.size, page.margin_x
    # The running head beside "Appointment summary" is cut to its room (a name may be 200 characters).
    room = page.width - 40 * mm - pdfmetrics.stringWidth(f"{facts.range_text} \u00b7 ", _FONT, 7.5)
    running = " \u00b7 ".join(x for x in (_fit(facts.name or "", room, 7.5), facts.range_text) if x)

    def furniture(canv, doc) -> None:
        canv.saveState()
        canv.setFont(_FONT, 7.5)
        canv.setFillColorRGB(0.33, 0.33, 0.33)
        if doc.page > 1:
            canv.drawString(margin_x, size[1] - 10 * mm, "Appointment summary")
            canv.drawRightString(size[0] - margin_x, size[1] - 10 * mm, running)
            canv.setStrokeColor(_hex(_RULE))
            canv.setLineWidth(0.5)
            canv.line(margin_x, size[1] - 11.5 * mm, size[0] - margin_x, size[1] - 11.5 * mm)
        canv.setStrokeColor(_hex(_RULE))
        canv.setLineWidth(0.5)
        canv.line(margin_x, 12.5 * mm, size[0] - margin_x, 12.5 * mm)
        canv.drawString(margin_x, 9 * mm, NOT_A_DIAGNOSIS)
        canv.restoreState()

    doc = BaseDocTemplate(
        buf,
        pagesize=size,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=page.margin_top,
        bottomMargin=page.margin_bottom,
        title=" \u00b7 ".join(x for x in ("Appointment summary", facts.name) if x),
        author=facts.name or "",  # as the person chose: full name, initials or none
        subject=facts.range_text,
        lang="en",
        creator="Trial Journal",
        producer="Trial Journal",
        # Without this every page would name Helvetica, a font the file does not embed.
        initialFontName=_FONT,
        initialFontSize=9,
    )
    frame = Frame(margin_x, page.margin_bottom, page.width, size[1] - page.margin_top - page.margin_bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture)])
    return doc


def _story(contents: JournalContents, facts: ReportFacts, wanted: set[str], st: _Styles, width: float) -> list:
    """The report's flowables in print order: page one for a two-minute read, then the appendix behind it.

    Page one: the title, the item-9 notice, the summary (episode, medicines now, the verdict for
    discussion, Maudsley, the last primary-scale totals), the treatment table, the questions
    kept for this appointment and the timeline. Behind it, each wanted section under its heading.
    """
    titles = dict(SECTIONS)
    story: list = [*_title_block(facts, st, width), *_item9_box(facts, st, width)]
    if "summary" in wanted:
        story += _page_one_summary(facts, st, width)
    if "medications" in wanted:
        story += [_p("Treatment in this report's dates", st.h2_tight), *_treatment_table(facts, st, width)]
    if "notes" in wanted:
        story += [CondPageBreak(20 * mm), _p(_esc(facts.questions_heading), st.h2_tight), *_questions(facts, st, width)]
    if "timeline" in wanted:
        chart = _chart(contents, facts, width)
        # the heading goes with the chart: both on page one when there is room for the chart's least height
        story += [CondPageBreak(chart.smallest + 18), _p(_esc(titles["timeline"]), st.h2_tight), chart]  # h2_tight: 18 pt
    # the appendix starts on a page of its own, unless the timeline already took the next page
    story.append(CondPageBreak(200 * mm if "timeline" not in wanted else 60 * mm))
    story.append(_p("Behind page one", st.title))
    story.append(_p(_esc(facts.dates_note) + " The medication history of earlier episodes is listed in full; "
                    + ("every table is kept." if facts.whole_history else "the whole-history report keeps every table."), st.small))
    builders: list[tuple[str, str, Callable[[ReportFacts, _Styles, float], list]]] = []
    if facts.whole_history:
        # the full table says why each trial was judged as it was, under it
        builders.append(("medications", "Medication history, every trial", _medications))
    else:
        builders.append(("medications", "Why each trial in this report's dates was judged as it was", _judged))
        builders.append(("medications", "Medication history of earlier episodes", _earlier_history))
        if facts.therapies:
            builders.append(("medications", "Psychotherapy courses", _therapies))
    builders += [
        ("scores", titles["scores"], _score_months),
        ("scores", "Daily check-ins", _checkins),
        ("sessions", titles["sessions"], _sessions),
        ("labs", titles["labs"], _lab_grid),
        ("conditions", titles["conditions"], _conditions),
        ("workup", titles["workup"], _workup),
        ("notes", "Earlier questions and notes", _earlier_questions),
        ("entries", titles["entries"], _entries),
    ]
    for key, title, build in builders:
        if key not in wanted:
            continue
        if key == "entries" and not facts.entries:
            continue
        if title.startswith("Earlier questions") and not facts.earlier_questions:
            continue
        # A heading never sits alone at the foot of a page.
        story += [CondPageBreak(28 * mm), _heading(title, st), *build(facts, st, width), Spacer(1, 2)]
    return story


def build_report(
    contents: JournalContents,
    out_path: str | os.PathLike[str],
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    name_style: str = "initials",
    page_size: str = "A4",
    sections: set[str] | None = None,
    assessment_settings: Settings | None = None,
    whole_history: bool = False,
) -> Path:
    """Write the appointment report to `out_path` atomically, readable by its owner only (0600)."""
    pdf = report_bytes(
        contents,
        start=start,
        end=end,
        today=today,
        name_style=name_style,
        page_size=page_size,
        sections=sections,
        assessment_settings=assessment_settings,
        whole_history=whole_history,
    )
    return atomic_write(Path(out_path), pdf)
