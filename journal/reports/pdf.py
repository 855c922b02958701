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

from journal.charts import TimelineOptions, build_timeline
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
            out.append(_p(_esc(value), st.cell))
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


def _item9_notice(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.item9_answers:
        return []
    scale = get_scale("PHQ-9")
    item = scale.items[scale.crisis_item - 1].text if scale.crisis_item else "question 9"
    text = (
        f"<font name='{_BOLD}'>PHQ-9 question 9 answered above 0</font> (\u201c{_esc(item)}\u201d): "
        + "; ".join(_esc(a) for a in f.item9_answers)
        + ". Please ask about it. Question 9 on its own is not a suicide-risk assessment."
    )
    lines = " \u00b7 ".join(_esc(line) for line in f.crisis_lines)
    box = Table(
        [[_p(text, st.notice)], [_p(f"If you feel unsafe now: {lines}.", st.small)]],
        colWidths=[width],
        splitInRow=1,
    )
    box.setStyle(
        _table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _hex(_NOTICE_BG)),
                ("BOX", (0, 0), (-1, -1), 1.0, _hex(_NOTICE_EDGE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [box, Spacer(1, 6)]


def _summary(f: ReportFacts, st: _Styles, width: float) -> list:
    def lines(items, style=st.body) -> list:
        return [_p(_esc(i), style) for i in items]

    verdict = [_p(f"<font name='{_BOLD}'>{_esc(f.summary)}</font>", st.body), _p(_esc(f.rule), st.small)]
    if f.caveats:
        verdict.append(_p("Caveats: " + " ".join(_esc(_sentence(c)) for c in f.caveats), st.small))
    maudsley = [_p(_esc(f.maudsley), st.body)]
    if f.maudsley_parts:
        maudsley.append(_p(_esc("; ".join(f.maudsley_parts)), st.small))
    taking = lines(f.current_medications) or [_p("No medication recorded as current.", st.body)]
    rows = [
        [_p("Episode", st.cell_bold), _p(_esc(f.episode), st.body)],
        [_p("Taking now", st.cell_bold), taking],
    ]
    if f.current_sessions:
        rows.append([_p("Sessions", st.cell_bold), lines(f.current_sessions)])
    rows.append([_p("TRD criteria", st.cell_bold), verdict])
    if f.look_up:
        # Remembered trials that could count: what would settle each, for the person to look up
        look = [_p("Remembered trials that could count once these details are confirmed (pharmacy or clinic records):", st.small)]
        look += [_p("\u2022 " + _esc(line), st.body) for line in f.look_up]
        rows.append([_p("To look up", st.cell_bold), look])
    rows.append([_p("Maudsley staging", st.cell_bold), maudsley])
    if f.daily_summary:
        rows.append([_p("Check-ins", st.cell_bold), _p(_esc(f.daily_summary), st.body)])
    t = Table(rows, colWidths=[26 * mm, width - 26 * mm], hAlign="LEFT", splitInRow=1)
    t.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, _hex(_RULE)),
            ]
        )
    )
    out: list = [t, Spacer(1, 4)]
    if f.latest_scores:
        head = _cells(["Scale", "Latest", "Date", "Severity", "Change"], st.head)
        body = [
            _cells([s.scale, f"{s.total} of {s.max_total}", f"{day(s.date)} {s.time}".rstrip(), s.severity, s.change_text], st.cell)
            for s in f.latest_scores
        ]
        out += [
            _p("Latest scores", st.h2),
            _table([head, *body], [22 * mm, 20 * mm, 30 * mm, 32 * mm, width - 104 * mm], st, zebra=False),
        ]
    return out


def _notes(f: ReportFacts, st: _Styles, width: float) -> list:
    if not f.appointment_notes:
        return [_none("No notes or questions marked for this appointment.", st)]
    out: list = []
    rows: list = []
    room = width - 24 * mm - 6.5
    for d, text, author in f.appointment_notes:
        by = f" <font size='7' color='{_MUTED}'>(entered by {_esc(author)})</font>" if author else ""
        if text.count("\n") < 3 * _CELL_LINES and len(text) * 9 <= room * 3 * _CELL_LINES:
            rows.append([_p(day(d), st.cell), _p(_esc(text) + by, st.body)])
            continue
        # A long note is not squeezed into a table row: it flows across pages in full.
        if rows:
            out.append(_table(rows, [24 * mm, width - 24 * mm], st, head_rows=0, zebra=False))
            rows = []
        out.append(_p(f"<font name='{_BOLD}'>{day(d)}</font>{by}", st.cell))
        out.extend(_long_text(text, st.long_text))
        out.append(Spacer(1, 3))
    if rows:
        out.append(_table(rows, [24 * mm, width - 24 * mm], st, head_rows=0, zebra=False))
    return out


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
    for r in f.sessions:
        note = "; ".join(x for x in (r.note, f"entered by {r.entered_by}" if r.entered_by else "") if x)
        treatment = f"{r.treatment}, {r.phase}" if r.phase else r.treatment
        going_home = "; ".join(x for x in (r.monitoring, f"transport home: {r.transport}") if x)
        rows.append(
            _row(
                [r.when, treatment, r.dose, r.number, r.blood_pressure, r.ratings, r.mood_after, going_home, note],
                widths,
                st,
                overflow,
                f"session of {r.when}",
            )
        )
    return [_table(rows, widths, st, long=len(rows) > 30), *overflow.flowables(st)]


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
        rows.append(
            [
                _p(_esc(w.group) if w.group != previous else "", st.cell),
                _p(_esc(w.name), st.cell),
                _p(f"<font name='{_BOLD}'>{mark}</font>" if not w.recorded else mark, st.cell),
                _p(_esc(w.detail if w.recorded else ""), st.cell),
            ]
        )
        previous = w.group
    return [
        _p("The tests and comorbidity assessments people with hard-to-treat depression often ask about, and which of "
           "them this journal holds. A missing item may simply not have been entered.", st.small),
        _table(rows, widths, st, zebra=False),
    ]


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


# --- the chart --------------------------------------------------------------------------------


def _chart(contents: JournalContents, f: ReportFacts, width: float) -> _Chart:
    """The timeline of journal.charts for the report's range, at the page's width."""
    scales = [s for s in ("GAD-7",) if any(x.scale == s for x in contents.scores)]
    primary = f.assessment.settings.primary_scale
    if primary != "PHQ-9" and any(x.scale == primary for x in contents.scores):
        scales.append(primary)
    options = TimelineOptions(scales=tuple(scales), start=f.start, end=f.end, as_of=f.end, font_scale=0.85)

    def build(w: float, h: float) -> Figure:
        figure = Figure(figsize=(w / 72, h / 72), dpi=72)
        build_timeline(contents, f.assessment, options, figure=figure)
        return figure

    # Room for every lane when the page has it.
    rows = len(f.medications) + len(f.current_sessions)
    preferred = 72 * min(5.4, max(3.0, 2.0 + 0.3 * rows))
    return _Chart(build, width, preferred, smallest=72 * 2.6)


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
) -> bytes:
    """The appointment report as PDF bytes (for a preview, or to write with build_report)."""

    if page_size not in PAGE_SIZES:
        raise JournalError(f"The page size must be A4 or Letter, got {page_size!r}")
    wanted = set(SECTION_KEYS) if sections is None else set(sections)
    unknown = wanted - set(SECTION_KEYS)
    if unknown:
        raise JournalError(f"Unknown report section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTION_KEYS)}")
    facts = report_facts(
        contents, start=start, end=end, today=today, name_style=name_style, assessment_settings=assessment_settings
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
        title="Appointment summary",
        author="",
        subject="",
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
    """The report's flowables in print order: the title, the item-9 notice, then each wanted section under its heading."""
    story: list = [*_title_block(facts, st, width), *_item9_notice(facts, st, width)]
    if "summary" in wanted:
        story += _summary(facts, st, width)
    builders: dict[str, Callable[[ReportFacts, _Styles, float], list]] = {
        "timeline": lambda f, st_, w: [_chart(contents, f, w)],
        "notes": _notes,
        "medications": _medications,
        "scores": _scores,
        "sessions": _sessions,
        "labs": _labs,
        "conditions": _conditions,
        "workup": _workup,
        "entries": _entries,
    }
    for key, title in SECTIONS:
        if key not in builders or key not in wanted:
            continue
        if key == "entries" and not facts.entries:
            continue
        # A heading never sits alone at the foot of a page (nor the chart's, above no chart).
        room = 72 * 2.6 + 20 if key == "timeline" else 28 * mm
        story += [CondPageBreak(room), _heading(title, st), *builders[key](facts, st, width), Spacer(1, 2)]
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
    )
    return atomic_write(Path(out_path), pdf)
