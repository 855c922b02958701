"""The timeline on paper: every row named, every dose step labelled where it can be, call-outs above the panels.

A printed chart cannot be zoomed or pointed at, so what the window shows on demand is laid out
once, for the dates asked for (TimelineOptions.start and end, `for_print=True`):

- each trial's drug name is printed: beside its row when one row a trial fits the height, else
  with the rows packed (several trials one after another on a row) and each name on its row,
  over the start of its bar;
- each dose step's dose ("20 mg", or "20" where the unit does not fit) on a line over its bar,
  never over another label; a step too short for even the number is left unlabelled, and the
  chart then says so above the panels (the report's medication table lists every dose);
- the "criteria appear met" words, the episodes' names and the notes stand on lines above the
  panels, over no data; the PHQ-9 bands are named in the right margin, outside the panel;
- no text is smaller than PRINT_MIN_PT (7 pt) at any text size.

`plan` works the rows and the words out in points, without drawing (so `print_height` can ask
how tall the chart wants to be); `finish_print` and `label_print` place the panels and the words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure
from matplotlib.transforms import Affine2D, blended_transform_factory

from journal.charts.layout import text_pt
from journal.charts.model import (
    ANXIETY_SCALES,
    ChartData,
    TimelineOptions,
    format_day,
    lane_name,
)
from journal.charts.style import RowGeometry

if TYPE_CHECKING:
    from journal.charts.view import Timeline
    from journal.clinical.assessment import Assessment
    from journal.records import JournalContents

__all__ = ["print_height", "plan", "PrintPlan", "DOSES_IN_TABLE", "print_geometry"]

# the rows' heights in points: at least ROW_MIN_PT (a name and a bar), ROW_PT where the page has room
ROW_MIN_PT = 19.0
ROW_PT = 22.0
ROW_MOST_PT = 26.0
_SESSION_HALF_PT = 5.0  # half a session's mark, which is centred on its day
SCORE_MIN_PT, SCORE_PT = 62.0, 140.0  # the score panel (at its least, PHQ-9's five bands are 11 pt tall each: their 7 pt names fit)
ANXIETY_MIN_PT, ANXIETY_PT = 32.0, 54.0  # GAD-7's panel
TALLEST_PT = 600.0  # taller than this, the rows are packed rather than one a trial
GAP_PT = 6.0  # between the panels
TOP_PT = 3.0
TEXT_LINE = 0.45  # the top of each row, in rows, holds its words; the bar and the strip sit under them
DOSES_IN_TABLE = "Doses of the steps too short to label here are in the medication table."
_PAD = 3.0  # points between two words on a line


_BAR_BOTTOM, _BAR_MAX_H = 0.34, 0.37
PRINT_GEOMETRY_BAR_MID = _BAR_BOTTOM - _BAR_MAX_H / 2  # the middle of a bar, below its row's centre


def print_geometry() -> RowGeometry:
    """Where a bar sits in its row on paper: rows are r-0.5 (top) .. r+0.5; the words 0..0.45 of it, the bar
    0.47..0.84, the adequate-dose strip 0.86..0.97."""
    return RowGeometry(bar_bottom=_BAR_BOTTOM, bar_min_h=0.17, bar_max_h=_BAR_MAX_H, strip=(0.36, 0.47), marker_y=PRINT_GEOMETRY_BAR_MID)


@dataclass
class Placed:
    """One word or phrase as placed on paper: x in points from the figure's left edge, and where it goes."""

    text: str
    x: float
    width: float
    row: int = -1  # a lane row; -1 for the header
    line: int = 0  # a header line
    kind: str = "dose"  # name, dose, end, course, phase, marker, episode, note
    ha: str = "left"
    ref: object = None  # the phase Text this places, for "phase"


@dataclass
class PrintPlan:
    """The chart on paper, in points: margins, the rows (which trial on which row), the words and where they go."""

    width: float
    left: float
    right: float
    packed: bool
    rows: dict[int, int]  # each lane's row in the data -> its row on paper
    row_count: int
    header: list[Placed] = field(default_factory=list)
    header_lines: int = 0
    labels: list[Placed] = field(default_factory=list)
    unlabelled_steps: int = 0  # dose steps no label fits, even as a number
    x0: float = 0.0  # the days at the panel's edges (matplotlib day numbers)
    x1: float = 1.0

    @property
    def panel_w(self) -> float:
        return max(1.0, self.width - self.left - self.right)

    def px(self, x: float) -> float:
        """A day number's x in points from the figure's left edge."""
        return self.left + (x - self.x0) / (self.x1 - self.x0) * self.panel_w


def _line_h(size: float) -> float:
    return text_pt("Ag", size)[1] * 1.2


def _w(text: str, size: float, bold: bool = False) -> float:
    return text_pt(text, size)[0] * (1.08 if bold else 1.0) + 1.0


def _view(data: ChartData, options: TimelineOptions) -> tuple[float, float]:
    from journal.charts.view import day_num

    start = options.start or data.full_range[0]
    end = options.end or data.full_range[1]
    return day_num(start) - 0.5, day_num(end) + 1.5


def _items(data: ChartData) -> list[tuple[int, str, date, date, bool]]:
    """Each row's (row, name, first day, last day, goes on), top to bottom."""
    items = [(lane.row, lane_name(lane), lane.start, lane.end, lane.ongoing) for lane in data.lanes]
    for lane in data.session_lanes:
        items.append((lane.row, lane.label, lane.start, lane.end, False))
    if data.therapy_lane is not None:
        t = data.therapy_lane
        items.append((t.row, t.label, t.start, t.end, any(c.ongoing for c in t.courses)))
    return sorted(items)


def _margins(data: ChartData, options: TimelineOptions, packed: bool) -> tuple[float, float]:
    tick = options.text(9)
    label_h = text_pt("score (total)", options.text(10))[1]
    names = [] if packed else [name for _, name, *_ in _items(data)]
    tick_w = max([text_pt(n, tick)[0] for n in names] + [text_pt("00", tick)[0]])
    left = 4.0 + label_h + 4.0 + tick_w + 7.0
    last = len(data.bands) - 1
    band_w = max(text_pt(f"PHQ-9 {b.label}" if i == last else b.label, options.text(7.5))[0] for i, b in enumerate(data.bands))
    right = max(4.0 + band_w + 4.0, 6.0 + text_pt("2025", tick)[0] / 2.0)
    if options.daily:
        right = 6.0 + 7.0 + text_pt("10", tick)[0] + 4.0 + label_h
    return left, right


def _pack(data: ChartData, p: PrintPlan, name_pt: float) -> dict[int, int]:
    """Rows for paper, packed: each item on the first row where its bar and its name (over the bar's start) come
    after the last one there, in the order they began."""
    ends: list[float] = []
    rows: dict[int, int] = {}
    lo, hi = p.left + 1.0, p.width - p.right - 1.0
    for row, name, start, end, ongoing in sorted(_items(data), key=lambda i: (i[2], i[0])):
        w = _w(name, name_pt, bold=True)
        a = min(max(lo, p.px(_num(start))), hi - w)  # a name at the right edge is moved left to be whole
        b = max(p.px(_num(end) + 1) + (8.0 if ongoing else 0.0), a + w) + 2 * _PAD
        for i, last in enumerate(ends):
            if last <= a:
                ends[i] = b
                rows[row] = i
                break
        else:
            rows[row] = len(ends)
            ends.append(b)
    return rows


def _num(d: date | float) -> float:
    from journal.charts.view import day_num

    return day_num(d) if isinstance(d, date) else float(d)


class _Line:
    """What is taken on one line, as (x0, x1) in points, so a new word goes only where it overlaps none."""

    def __init__(self, lo: float, hi: float) -> None:
        self.lo, self.hi = lo, hi
        self.taken: list[tuple[float, float]] = []

    def free(self, a: float, b: float) -> bool:
        return self.lo <= a and b <= self.hi and all(b + _PAD <= x0 or a >= x1 + _PAD for x0, x1 in self.taken)

    def take(self, a: float, b: float) -> None:
        self.taken.append((a, b))

    def first_free(self, a: float, width: float, latest: float) -> float | None:
        """The leftmost x from `a` up to `latest` where `width` fits, or None."""
        x = a
        for x0, x1 in sorted(self.taken):
            if self.free(x, x + width):
                break
            if x1 + _PAD > x and x0 < x + width + _PAD:
                x = x1 + _PAD
        if x <= latest and self.free(x, x + width):
            return x
        return None


def plan(data: ChartData, options: TimelineOptions, width: float, height: float | None, legend_h: float) -> PrintPlan:
    """The chart on paper `width` points wide (and `height` tall, None for as tall as it likes): one row a trial where
    they fit, else packed; then every name and dose placed where it overlaps nothing."""
    x0, x1 = _view(data, options)
    name_pt = options.text(8)
    one_each = {row: row for row, *_ in _items(data)}
    unpacked = PrintPlan(width, *_margins(data, options, False), False, one_each, data.row_count, x0=x0, x1=x1)
    packed = PrintPlan(width, *_margins(data, options, True), True, {}, 0, x0=x0, x1=x1)
    packed.rows = _pack(data, packed, name_pt)
    packed.row_count = max(packed.rows.values(), default=-1) + 1
    for p in (unpacked, packed):
        _place_words(data, options, p)
    choice = unpacked
    if packed.row_count < unpacked.row_count:
        if height is None:
            tall = fixed_height(data, options, unpacked, legend_h) + unpacked.row_count * ROW_PT + _panels_pt(options, preferred=True)
            choice = packed if tall > TALLEST_PT else unpacked
        else:
            need = fixed_height(data, options, unpacked, legend_h) + unpacked.row_count * ROW_MIN_PT + _panels_pt(options, preferred=False)
            choice = unpacked if height >= need else packed
    return choice


def _panels_pt(options: TimelineOptions, *, preferred: bool) -> float:
    anxious = any(s in ANXIETY_SCALES for s in options.shown_scales)
    if preferred:
        return SCORE_PT + (ANXIETY_PT + GAP_PT if anxious else 0.0)
    return SCORE_MIN_PT + (ANXIETY_MIN_PT + GAP_PT if anxious else 0.0)


def fixed_height(data: ChartData, options: TimelineOptions, p: PrintPlan, legend_h: float) -> float:
    """Everything but the panels: the header lines, the gap, the dates under the lanes, the legend."""
    header = p.header_lines * _line_h(options.text(8.5)) + (3.0 if p.header_lines else 0.0)
    dates = 7.0 + 2 * _line_h(options.text(9)) + 4.0
    return TOP_PT + header + GAP_PT + dates + legend_h


def _place_words(data: ChartData, options: TimelineOptions, p: PrintPlan) -> None:
    """Every name, dose and end on its row's line, and the call-outs on the lines above the panels."""
    size = options.text(7.5)
    name_pt = options.text(8)
    lo, hi = p.left + 1.0, p.width - p.right - 1.0
    words: dict[int, _Line] = {}
    bars: dict[int, _Line] = {}

    def line(store: dict[int, _Line], row: int) -> _Line:
        return store.setdefault(row, _Line(lo, hi))

    def span(a: date, b: date) -> tuple[float, float]:
        return max(lo, p.px(_num(a))), min(hi, p.px(_num(b) + 1))

    # the marker's line first: no word is drawn across it
    if data.marker is not None:
        mx = p.px(_num(data.marker.date) + 0.5)
        for row in set(p.rows.values()):
            for store in (words, bars):
                line(store, row).take(mx - 1.5, mx + 1.5)
    # then the bars: an end's words go only where no bar is
    for lane in data.lanes:
        a, b = span(lane.start, lane.end)
        line(bars, p.rows[lane.row]).take(a, b + (8.0 if lane.ongoing else 0.0))
    if data.therapy_lane is not None:
        for c in data.therapy_lane.courses:
            a, b = span(c.start, c.end)
            line(bars, p.rows[data.therapy_lane.row]).take(a, b + (8.0 if c.ongoing else 0.0))
    # sessions too: packed onto a trial's row, their marks are drawn where an end's words would go
    for session_lane in data.session_lanes:
        a, b = span(session_lane.start, session_lane.end)
        line(bars, p.rows[session_lane.row]).take(a - _SESSION_HALF_PT, b + _SESSION_HALF_PT)
    # the names, when the rows are packed: over the start of the bar
    if p.packed:
        for row, name, start, _end, _ in _items(data):
            w = _w(name, name_pt, bold=True)
            a = min(max(lo, p.px(_num(start))), hi - w)
            line(words, p.rows[row]).take(a, a + w)
            p.labels.append(Placed(name, a, w, p.rows[row], kind="name"))
    # each dose step's dose, in the order of the steps
    for lane in data.lanes:
        row = p.rows[lane.row]
        for seg in lane.segments:
            a, b = span(seg.start, seg.end)
            if b <= a:
                continue  # outside the dates shown
            short = seg.label.removesuffix(" mg")
            # over its own step if it fits there ("20 mg", else "20"), else running on past it ("20", else "20 mg");
            # always starting at the step's start (or a hair after another word), so it reads as that step's
            tries = [(seg.label, True)] if seg.mg is None else [(seg.label, True), (short, True), (short, False), (seg.label, False)]
            for form, within in tries:
                w = _w(form, size)
                latest = b + 1.0 - w if within else a + min(_PAD, (b - a) / 2.0)
                x = line(words, row).first_free(a, w, latest)
                if x is not None:
                    line(words, row).take(x, x + w)
                    p.labels.append(Placed(form, x, w, row, kind="dose"))
                    break
            else:
                if seg.mg is not None:
                    p.unlabelled_steps += 1  # (a dose not recorded is crossed, and the legend says so)
    # each psychotherapy course's kind over its bar, where it has room
    if data.therapy_lane is not None:
        row = p.rows[data.therapy_lane.row]
        for c in data.therapy_lane.courses:
            a, b = span(c.start, c.end)
            w = _w(c.label, size)
            x = line(words, row).first_free(a, w, max(a, b - w))
            if x is not None and b > a:
                line(words, row).take(x, x + w)
                p.labels.append(Placed(c.label, x, w, row, kind="course"))
    # how each trial ended, after its bar, where no bar is
    for lane in data.lanes:
        end_x = p.px(_num(lane.end) + 1) + (9.0 if lane.ongoing else 3.0)
        if lane.ongoing or end_x > hi:
            continue  # the arrow says it goes on
        w = _w(lane.end_text, size)
        bar_line = line(bars, p.rows[lane.row])
        if bar_line.free(end_x, end_x + w):
            bar_line.take(end_x, end_x + w)
            p.labels.append(Placed(lane.end_text, end_x, w, p.rows[lane.row], kind="end"))
    _place_header(data, options, p)


def _place_header(data: ChartData, options: TimelineOptions, p: PrintPlan) -> None:
    """The marker's words at its line, the episodes' names at their starts, then one line for each note."""
    size = options.text(8.5)
    # line 0 is the one over the panel: the marker's line reaches up to it through no other words
    lines = [_Line(2.0, p.width - 2.0), _Line(2.0, p.width - 2.0)]
    used = 0
    if data.marker is not None:
        when = data.marker.when_text if data.marker.approximate else format_day(data.marker.date)
        said = f"{data.marker.label} {when}"
        w = _w(said, size, bold=True)
        mx = p.px(_num(data.marker.date) + 0.5)
        right = mx + 3.0 + w <= p.width - 2.0
        x = mx + 3.0 if right else max(2.0, mx - 3.0 - w)
        lines[0].take(x, x + w)
        p.header.append(Placed(said, x, w, line=0, kind="marker"))
        used = 1
    for ep in data.episodes:
        said = ep.label + (f", from {ep.start_text}" if ep.start_precision != "day" else "")
        w = _w(said, size)
        x = min(max(p.left, p.px(_num(ep.start))), p.width - 2.0 - w)
        for n, ln in enumerate(lines):
            if ln.free(x, x + w):
                ln.take(x, x + w)
                p.header.append(Placed(said, x, w, line=n, kind="episode"))
                used = max(used, n + 1)
                break
    notes = [n for n in (data.marker_outside, data.possible_text) if n]
    if p.unlabelled_steps:
        notes.append(DOSES_IN_TABLE)
    for note in notes:
        p.header.append(Placed(note, p.left, _w(note, size), line=used, kind="note"))
        used += 1
    p.header_lines = used


# --------------------------------------------------------------------------- drawing it


def for_drawing(figure: Figure, data: ChartData, options: TimelineOptions) -> tuple[ChartData, PrintPlan]:
    """The plan for `figure`'s size, and `data` with its rows as they go on paper."""
    width, height = figure.get_figwidth() * 72.0, figure.get_figheight() * 72.0
    p = plan(data, options, width, height, _legend_guess(data, options, width))
    return _on_rows(data, p), p


def _on_rows(data: ChartData, p: PrintPlan) -> ChartData:
    rows = p.rows
    therapy = data.therapy_lane
    labels = [""] * p.row_count
    if not p.packed:
        labels = list(data.row_labels)
    return replace(
        data,
        lanes=[replace(lane, row=rows[lane.row]) for lane in data.lanes],
        session_lanes=[replace(lane, row=rows[lane.row]) for lane in data.session_lanes],
        sessions=[replace(m, row=rows[m.row]) for m in data.sessions],
        therapy_lane=replace(therapy, row=rows[therapy.row]) if therapy is not None else None,
        row_labels=labels,
        lane_weight=p.row_count,
    )


def _legend_guess(data: ChartData, options: TimelineOptions, width: float) -> float:
    """About how tall the legend will be, before it is made: its entries' words, as many columns as fit."""
    said = [name for name, points in data.series.items() if points or name == "PHQ-9"]
    if data.episodes:
        said.append("episode")
    if data.lanes:
        said += ["antidepressant (taller = higher dose)", "adequate dose", "6 weeks at an adequate dose reached"]
    if any(lane.augmentation for lane in data.lanes):
        said.append("augmentation (add-on)")
    said += [lane.label for lane in data.session_lanes]
    if data.marker is not None:
        said.append(data.marker.label)
    size = options.text(8.5)
    entry = max((text_pt(s, size)[0] + 4.8 * size for s in said), default=0.0)
    cols = max(1, int((width * 0.96) // max(1.0, entry)))
    rows = -(-len(said) // cols)
    return (2 * 0.4 + 0.5) * size + rows * text_pt("Ag", size)[1] + max(0, rows - 1) * 0.5 * size


def finish_print(figure: Figure, score_ax, anxiety_ax, trial_ax, daily_ax, data: ChartData, d: Any) -> None:
    """Put the panels where the plan has them for the figure's size, the bands' names in the right margin."""
    p: PrintPlan = d.plan
    options = d.options
    width, height = figure.get_figwidth() * 72.0, figure.get_figheight() * 72.0
    legend_h = d.artists.legend_slot.height_pt() if d.artists.legend_slot is not None else 0.0
    if d.artists.legend_slot is not None:
        d.artists.legend_slot.fit(width / 72.0)
        legend_h = d.artists.legend_slot.height_pt()
    fixed = fixed_height(data, options, p, legend_h)
    gaps = GAP_PT if anxiety_ax is not None else 0.0
    avail = max(30.0, height - fixed - gaps)
    rows = max(1, p.row_count)
    anxiety_h = 0.0
    if anxiety_ax is not None:
        anxiety_h = min(ANXIETY_PT, max(ANXIETY_MIN_PT * 0.75, avail * 0.2))
    score_min = min(SCORE_MIN_PT, avail * 0.4)
    row_pt = min(ROW_MOST_PT, max(ROW_MIN_PT * 0.6, (avail - anxiety_h - score_min) / rows))
    lanes_h = row_pt * rows if p.row_count else min(60.0, avail * 0.25)
    score_h = max(20.0, avail - anxiety_h - lanes_h)
    header = fixed - TOP_PT - GAP_PT - (7.0 + 2 * _line_h(options.text(9)) + 4.0) - legend_h
    bottom = legend_h + 7.0 + 2 * _line_h(options.text(9)) + 4.0
    fx, fw = p.left / width, p.panel_w / width
    top = height - TOP_PT - header
    score_rect = (fx, (top - score_h) / height, fw, score_h / height)
    score_ax.set_position(score_rect)
    if daily_ax is not None:
        daily_ax.set_position(score_rect)
    if anxiety_ax is not None:
        anxiety_ax.set_position((fx, (top - score_h - GAP_PT - anxiety_h) / height, fw, anxiety_h / height))
    trial_ax.set_position((fx, bottom / height, fw, lanes_h / height))
    figure.set_layout_engine("none")
    d.print_box = (top, bottom, row_pt)
    # the ylabels at a fixed place left of the numbers, as on screen
    from matplotlib.transforms import ScaledTranslation

    numbers_w = text_pt("00", options.text(9))[0] + 10.0
    for ax in (score_ax, anxiety_ax):
        if ax is not None:
            ax.yaxis.set_label_coords(0.0, 0.5, transform=ax.transAxes + ScaledTranslation(-numbers_w / 72.0, 0.0, figure.dpi_scale_trans))
    # the PHQ-9 bands named outside the panel, on its right, where no data is; every other one on a short panel
    texts = d.artists.band_texts
    if texts:
        low, high = score_ax.get_ylim()
        spacing = min(b.high - b.low + 1 for b in data.bands) * score_h / (high - low)
        step = max(1, math.ceil(_line_h(options.text(7.5)) / max(0.1, spacing)))
        move = ScaledTranslation(4.0 / 72.0, 0.0, figure.dpi_scale_trans)
        for i, text in enumerate(texts):
            text.set_x(1.0)
            text.set_transform(score_ax.get_yaxis_transform() + move)
            text.set_horizontalalignment("left")
            text.set_clip_on(False)
            text.set_visible(not options.daily and (len(texts) - 1 - i) % step == 0)


def label_print(timeline: Timeline, data: ChartData, d: Any) -> None:
    """The names, doses, ends and call-outs as planned, and the rows' names beside them when one row a trial."""
    p: PrintPlan = d.plan
    figure, ax = timeline.figure, timeline.trial_ax
    theme, options = d.theme, d.options
    top, _bottom, _row_pt = d.print_box
    ax.set_ylim(max(p.row_count, 1) - 0.5, -0.5)
    if not p.packed and p.row_count:
        ax.set_yticks(range(p.row_count), list(data.row_labels))
        ax.tick_params(axis="y", labelsize=options.text(9), length=0)
    points = Affine2D().scale(1 / 72.0) + figure.dpi_scale_trans
    on_rows = blended_transform_factory(points, ax.transData)
    size = options.text(7.5)
    for placed in p.labels:
        style = {"name": ("normal", "bold"), "end": ("italic", "normal")}.get(placed.kind, ("normal", "normal"))
        y = placed.row - 0.5 + TEXT_LINE / 2.0
        if placed.kind == "end":
            y = placed.row + PRINT_GEOMETRY_BAR_MID
        timeline.artists.print_labels.append(
            ax.text(
                placed.x, y, placed.text, transform=on_rows, ha="left", va="center",
                fontsize=options.text(8) if placed.kind == "name" else size,
                fontstyle=style[0], fontweight=style[1], color=theme.text, zorder=7, clip_on=False, in_layout=False,
            )
        )
    for text, *_ in timeline.artists.phase_texts:
        text.set_visible(False)  # on paper the markers' fill and the legend say the phase
    head = options.text(8.5)
    line_h = _line_h(head)
    for placed in p.header:
        y = top + 3.0 + (placed.line + 0.5) * line_h
        timeline.artists.header_texts.append(
            figure.text(
                placed.x / (figure.get_figwidth() * 72.0), y / (figure.get_figheight() * 72.0), placed.text,
                ha="left", va="center", fontsize=head, color=theme.text if placed.kind != "episode" else theme.muted,
                fontweight="bold" if placed.kind == "marker" else "normal",
                fontstyle="italic" if placed.kind == "note" else "normal", in_layout=False,
            )
        )
    if data.marker is not None:
        # the marker's line reaches up to its words
        mx = p.px(_num(data.marker.date) + 0.5)
        figure.add_artist(
            _line(figure, mx, timeline.score_ax.get_position().y1 * figure.get_figheight() * 72.0, top + 3.0 + 0.9 * line_h, theme.text)
        )



def _line(figure: Figure, x: float, y0: float, y1: float, colour: str):
    from matplotlib.lines import Line2D

    w, h = figure.get_figwidth() * 72.0, figure.get_figheight() * 72.0
    return Line2D([x / w, x / w], [y0 / h, y1 / h], transform=figure.transFigure, color=colour, linewidth=1.2, linestyle=(0, (3, 1.5)))


# --------------------------------------------------------------------------- the height the report asks for


def print_height(
    contents: JournalContents, assessment: Assessment | None, options: TimelineOptions, width_pt: float
) -> tuple[float, float]:
    """How tall the timeline wants to be on paper `width_pt` points wide: (preferred, smallest), in points.

    At the preferred height each trial has a row of its own, named beside it, when that is no taller than
    TALLEST_PT (600 pt); else the rows are packed and each name printed over its bar. At the smallest height
    the rows are packed when that saves rows, ROW_MIN_PT each, and every name and dose label is still at
    least 7 pt. `options` are those the chart will be built with (for_print is assumed). Build the chart
    with a figure of the same width and any height from smallest up; taller gives the scores more room.
    """
    from journal.charts.model import chart_data

    if not isinstance(width_pt, (int, float)) or isinstance(width_pt, bool) or not math.isfinite(width_pt) or width_pt < 144:
        raise ValueError(f"The chart needs a width of at least 144 points (2 inches), not {width_pt!r}.")
    options = replace(options, for_print=True)
    data = chart_data(contents, assessment, options)
    legend_h = _legend_guess(data, options, float(width_pt))
    preferred = plan(data, options, float(width_pt), None, legend_h)
    rows_pref = max(1, preferred.row_count)
    tall = fixed_height(data, options, preferred, legend_h) + _panels_pt(options, preferred=True) + rows_pref * ROW_PT
    x0, x1 = _view(data, options)
    packed = PrintPlan(float(width_pt), *_margins(data, options, True), True, {}, 0, x0=x0, x1=x1)
    packed.rows = _pack(data, packed, options.text(8))
    packed.row_count = max(packed.rows.values(), default=-1) + 1
    _place_words(data, options, packed)
    least = preferred if preferred.row_count <= packed.row_count else packed
    small = fixed_height(data, options, least, legend_h) + _panels_pt(options, preferred=False) + max(1, least.row_count) * ROW_MIN_PT
    # a long history packed onto many rows is given them at their least height rather than run off the page
    return round(max(small, min(tall, TALLEST_PT)), 1), round(small, 1)

