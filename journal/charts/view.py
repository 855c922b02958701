"""The drawn timeline as the window uses it: the Timeline and its artists, the days in view and what lies under the pointer.

Moving the view never rebuilds the chart: it sets the panels' limits, fits the lane rows and
their names to what is in view, and shows the labels that have room.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from journal.charts.fast import LegendSlot
from journal.charts.model import (
    Band,
    BarPiece,
    ChartData,
    EpisodeSpan,
    SessionLane,
    SessionMarker,
    TherapyLane,
    ThresholdMarker,
    TimelineOptions,
    TrialLane,
    episode_hover,
    format_day,
    mg_text,
)
from journal.charts.style import BAR_BOTTOM, BAR_MIN_H, LIGHT, MIN_ROWS, Theme

__all__ = ["Timeline", "TimelineArtists", "set_range", "pan", "refit", "ord_offset", "day_num"]


@dataclass
class TimelineArtists:
    """The matplotlib artists behind the model, for tests and for cheap updates on zoom."""

    score_lines: dict[str, Line2D] = field(default_factory=dict)
    daily_point_lines: dict[str, Line2D] = field(default_factory=dict)
    daily_mean_lines: dict[str, Line2D] = field(default_factory=dict)
    band_patches: list[Rectangle] = field(default_factory=list)
    band_texts: list[Text] = field(default_factory=list)
    episode_collections: list[PolyCollection] = field(default_factory=list)
    episode_texts: list[Text] = field(default_factory=list)
    dose_collection: PolyCollection | None = None
    adequate_collection: PolyCollection | None = None
    adequacy_line: Line2D | None = None
    # Made when first in view (a long journal has hundreds of steps, most never looked at closely).
    dose_texts: dict[tuple[str, int], Text] = field(default_factory=dict)  # (trial id, step index)
    end_texts: dict[str, Text] = field(default_factory=dict)  # by trial id
    session_lines: dict[str, Line2D] = field(default_factory=dict)
    marker_lines: list[Line2D] = field(default_factory=list)
    marker_text: Annotation | None = None
    empty_text: Text | None = None
    rows_hint: Text | None = None
    ongoing_arrows: Line2D | None = None
    legend_slot: LegendSlot | None = None
    # Version 2: remembered months or years (faded, dotted), doses not remembered (crossed), psychotherapy, phases.
    episode_rough_collections: list[PolyCollection] = field(default_factory=list)
    rough_collection: PolyCollection | None = None
    unknown_dose_collection: PolyCollection | None = None
    therapy_collection: PolyCollection | None = None
    therapy_rough_collection: PolyCollection | None = None
    therapy_arrows: Line2D | None = None
    therapy_texts: dict[tuple[str, int], Text] = field(default_factory=dict)  # (therapy id, piece index), made when in view
    session_phase_lines: dict[tuple[str, str], Line2D] = field(default_factory=dict)  # (treatment, phase)
    phase_texts: list[tuple[Text, float, float]] = field(default_factory=list)  # each run's words, its first and last x
    possible_text: Text | None = None
    addon_collection: PolyCollection | None = None  # add-ons' days at a dose, hatched
    anxiety_band_patches: list[Rectangle] = field(default_factory=list)
    # on paper: the words above the panels (marker, episodes, notes), the dose and name labels on the rows
    header_texts: list[Text] = field(default_factory=list)
    print_labels: list[Text] = field(default_factory=list)

    @property
    def legend(self) -> Legend | None:
        return self.legend_slot.legend if self.legend_slot is not None else None


@dataclass
class Timeline:
    """A built timeline: the figure, its axes, everything plotted as plain data, and hover look-up."""

    figure: Figure
    score_ax: Axes
    trial_ax: Axes
    daily_ax: Axes | None
    options: TimelineOptions
    as_of: date
    series: dict[str, list[tuple[date, int]]]
    daily_points: dict[str, list[tuple[date, int]]]
    daily_mean7: dict[str, list[tuple[date, float]]]
    lanes: list[TrialLane]
    session_lanes: list[SessionLane]
    sessions: list[SessionMarker]
    episodes: list[EpisodeSpan]
    marker: ThresholdMarker | None
    bands: list[Band]
    full_range: tuple[date, date]
    artists: TimelineArtists
    range: tuple[date, date] | None = None
    _theme: Theme = field(default=LIGHT, repr=False)
    _hover_points: list = field(default_factory=list, repr=False)
    _row_count: int = 0
    _row_labels: list[str] = field(default_factory=list, repr=False)
    _ticks_shown: tuple | None = field(default=None, repr=False)
    # what the drawing was made from, so an update after a change can tell what moved (journal.charts.update)
    data: ChartData | None = field(default=None, repr=False)
    adequate_weeks: int | None = None
    therapy_lane: TherapyLane | None = None
    possible_text: str = ""  # the criteria may be met once remembered details are confirmed: words only, never a date
    anxiety_ax: Axes | None = None  # GAD-7's own panel, when shown

    @property
    def xlim(self) -> tuple[float, float]:
        lo, hi = self.trial_ax.get_xlim()
        return float(lo), float(hi)

    def hover_text(self, x: date | datetime | float, y: float, axes: Axes | None) -> str:
        """Plain words for what lies under the pointer at (x, y) in `axes` data coordinates; "" for nothing."""
        if axes is None or x is None or y is None:
            return ""
        xnum = day_num(x)
        if not (math.isfinite(xnum) and math.isfinite(float(y))):
            return ""
        radius = _hover_radius(self)
        px, py = axes.transData.transform((xnum, float(y)))
        hits: list[tuple[float, str]] = []
        if axes is self.trial_ax:
            hits.extend(_trial_hits(self, xnum, float(y), px, radius))
        elif axes is self.score_ax or (axes is not None and axes in (self.daily_ax, self.anxiety_ax)):
            hits.extend(_point_hits(self, px, py, radius))
        else:
            return ""
        if self.marker is not None:
            mx = axes.transData.transform((day_num(self.marker.date), 0.0))[0]
            if abs(mx - px) <= radius:
                hits.append((abs(mx - px) + 0.5, self.marker.hover))
        hits.sort(key=lambda h: h[0])
        lines = list(dict.fromkeys(text for _, text in hits))[:6]
        if not lines:
            day = _day_of(xnum)
            for ep in self.episodes:
                if ep.start <= day <= ep.end:
                    lines.append(episode_hover(ep))
        return "\n".join(lines)



def ord_offset() -> float:
    # date2num of a day is its ordinal plus a constant (which depends on matplotlib's epoch setting);
    # plain integer arithmetic is much faster than date2num over thousands of dates.
    ref = date(2000, 1, 1)
    return float(mdates.date2num(ref)) - ref.toordinal()


def day_num(x: date | datetime | float) -> float:
    if isinstance(x, datetime):
        return float(mdates.date2num(x.replace(tzinfo=None)))
    if isinstance(x, date):
        return x.toordinal() + ord_offset()
    return float(x)


def _day_of(xnum: float) -> date:
    return date.fromordinal(int(math.floor(xnum - ord_offset())))


def _hover_radius(timeline: Timeline) -> float:
    return max(6.0, 5.0 * timeline.options.font_scale) * timeline.figure.dpi / 72.0



# --------------------------------------------------------------------------- zoom and pan


def set_range(timeline: Timeline, start: date | None, end: date | None) -> None:
    """Show the days from `start` to `end` (None: the journal's first or last day); moves the view, never rebuilds."""
    first, last = timeline.full_range
    start = start if start is not None else first
    end = end if end is not None else last
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValueError(f"The chart's range {name} must be a day, not {value!r}.")
    if start > end:
        raise ValueError(f"The chart's range starts on {format_day(start)}, after it ends on {format_day(end)}.")
    timeline.range = (start, end)
    x0, x1 = day_num(start), day_num(end) + 1
    # A little room at both ends keeps a point on the first or last day whole, not cut in half.
    pad = 0.5 if timeline.options.for_print else max(0.5, (x1 - x0) * 0.015)  # paper shows the dates asked for, no more
    _apply_xlim(timeline, x0 - pad, x1 + pad)


def pan(timeline: Timeline, days: float) -> None:
    """Slide the view by `days` (negative: back in time), keeping its width; for dragging the chart."""
    if not isinstance(days, (int, float)) or isinstance(days, bool) or not math.isfinite(days):
        raise ValueError(f"The chart can only move by a number of days, not {days!r}.")
    x0, x1 = timeline.xlim
    _apply_xlim(timeline, x0 + days, x1 + days)
    timeline.range = (_day_of(x0 + days), _day_of(x1 + days - 1))


def refit(timeline: Timeline) -> None:
    """After the figure changed size: the same days in view, the rows, their names and the words fitted to the new size."""
    engine = timeline.figure.get_layout_engine()
    if engine is not None:
        engine.execute(timeline.figure)  # the panels' new places, so what fits is measured on them
    _apply_xlim(timeline, *timeline.xlim)


def _apply_xlim(timeline: Timeline, x0: float, x1: float) -> None:
    timeline.score_ax.set_xlim(x0, x1)  # the daily axis is its twin and follows
    timeline.trial_ax.set_xlim(x0, x1)
    if timeline.anxiety_ax is not None:
        timeline.anxiety_ax.set_xlim(x0, x1)
    if timeline.options.for_print:
        return  # on paper the rows and their words are laid out once, for the dates asked for (journal.charts.printed)
    _fit_rows(timeline, x0, x1)
    _show_fitting_labels(timeline, x0, x1)
    _turn_marker_words(timeline, x0, x1)
    offset = ord_offset()
    # Keep each episode's label in view while enough of the episode is to hold it.
    days_per_px = (x1 - x0) / max(1.0, timeline.score_ax.bbox.width)
    font_px = timeline.options.text(8) * timeline.figure.dpi / 72.0
    for ep, text in zip(timeline.episodes, timeline.artists.episode_texts, strict=True):
        e0 = max(ep.start.toordinal() + offset, x0)
        e1 = min(ep.end.toordinal() + offset + 1, x1)
        text.set_x(e0)
        text.set_visible(e1 - e0 >= len(text.get_text()) * 0.6 * font_px * days_per_px)


def _turn_marker_words(timeline: Timeline, x0: float, x1: float) -> None:
    """The marker's words on the side of its line with more of the view, so they are never cut at the panel's edge."""
    text, marker = timeline.artists.marker_text, timeline.marker
    if text is None or marker is None:
        return
    mx = day_num(marker.date)
    on_right = (x1 - mx) >= (mx - x0)
    if (text.get_horizontalalignment() == "left") != on_right:
        text.set_horizontalalignment("left" if on_right else "right")
        text.xyann = (6 if on_right else -6, 0)


def _fit_rows(timeline: Timeline, x0: float, x1: float) -> None:
    # Only the rows with something in view take up the lane panel, so a 20-year journal
    # zoomed to 3 months shows a few readable lanes rather than eighty slivers.
    offset = ord_offset()
    lanes: list[TrialLane | SessionLane | TherapyLane] = [*timeline.lanes, *timeline.session_lanes]
    if timeline.therapy_lane is not None:
        lanes.append(timeline.therapy_lane)
    visible = [
        lane.row
        for lane in lanes
        if lane.start.toordinal() + offset < x1 and lane.end.toordinal() + offset + 1 > x0
    ]
    if timeline._row_count == 0:
        lo, hi = 0, MIN_ROWS - 1
    elif visible:
        lo, hi = min(visible), max(visible)
    else:
        lo, hi = 0, timeline._row_count - 1
    hi = max(hi, lo + MIN_ROWS - 1)
    ax = timeline.trial_ax
    ax.set_ylim(hi + 0.5, lo - 0.5)
    # Names for the rows in view only: matplotlib formats every tick it is given, seen or not.
    rows = range(lo, min(hi, timeline._row_count - 1) + 1)
    row_px = max(1.0, ax.bbox.height) / (hi - lo + 1)
    tick_pt = timeline.options.text(9)
    fits_pt = row_px * 0.8 * 72.0 / timeline.figure.dpi
    hint = timeline.artists.rows_hint
    if fits_pt >= min(tick_pt, 6.0):
        ticks = (tuple(rows), round(min(tick_pt, fits_pt), 1))
        message = ""
    else:
        ticks = ((), tick_pt)
        message = f"{len(rows)} rows: zoom in, or point at a bar, to read its name"
    if ticks != timeline._ticks_shown:
        timeline._ticks_shown = ticks
        ax.set_yticks(list(ticks[0]), [timeline._row_labels[r] for r in ticks[0]])
        ax.tick_params(axis="y", labelsize=ticks[1])
    if hint is not None:
        hint.set_text(message)


def _show_fitting_labels(timeline: Timeline, x0: float, x1: float) -> None:
    ax = timeline.trial_ax
    artists = timeline.artists
    options, theme = timeline.options, timeline._theme
    lo, hi = sorted(ax.get_ylim())
    rows_in_view = max(1.0, hi - lo)
    width_px = max(1.0, ax.bbox.width)
    row_px = max(1.0, ax.bbox.height) / rows_in_view
    days_per_px = (x1 - x0) / width_px
    label_pt = options.text(7.5)
    font_px = label_pt * timeline.figure.dpi / 72.0
    rows_fit = row_px >= 2.2 * font_px
    ends_fit = row_px >= 1.3 * font_px
    offset = ord_offset()
    for hidden in (*artists.dose_texts.values(), *artists.end_texts.values()):
        hidden.set_visible(False)
    for lane in timeline.lanes:
        if not lo - 1 < lane.row < hi + 1:
            continue
        r = float(lane.row)
        for i, piece in enumerate(lane.pieces):
            # Centre the label on the part of the step in view, and show it only if it fits there.
            s0 = max(piece.start.toordinal() + offset, x0)
            s1 = min(piece.end.toordinal() + offset + 1, x1)
            needed = (len(piece.label) * 0.6 * font_px + 6) * days_per_px
            inside = s1 - s0 >= needed
            # a first step remembered as a month or a year says so before the bar when the bar has no room for it
            bar_x = piece.start.toordinal() + offset
            before = not inside and i == 0 and piece.rough and x0 + needed <= bar_x < x1  # whole, left of the bar
            if not ((rows_fit or (before and ends_fit)) and (inside or before)):
                continue
            said = _piece_text(ax, artists.dose_texts, (lane.trial_id, i), piece, r, label_pt, theme)
            if inside:
                said.set_x((s0 + s1) / 2.0)
                said.set_horizontalalignment("center")
            else:
                said.set_x(piece.start.toordinal() + offset - 2 * days_per_px)
                said.set_horizontalalignment("right")
            said.set_visible(True)
        end_x = lane.end.toordinal() + offset + 1
        if ends_fit and x0 <= end_x < x1:
            text = artists.end_texts.get(lane.trial_id)
            if text is None:
                text = ax.annotate(
                    lane.end_text,
                    xy=(end_x, r + BAR_BOTTOM - BAR_MIN_H / 2),
                    xytext=(9 if lane.ongoing else 3, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=label_pt,
                    color=theme.text,
                    fontstyle="italic",
                    zorder=4,
                    annotation_clip=False,
                    clip_on=True,
                    in_layout=False,
                )
                artists.end_texts[lane.trial_id] = text
            text.set_visible(True)
    _show_therapy_labels(timeline, x0, x1, lo, hi, rows_fit, days_per_px, font_px, label_pt)
    _show_phase_labels(timeline, x0, x1, days_per_px, font_px, rows_fit)  # above the markers: only where rows have room


def _piece_text(
    ax: Axes, store: dict, key: tuple, piece: BarPiece, y: float, label_pt: float, theme: Theme, *, dosed: bool = True
) -> Text:
    """The words on a part of a bar, made when first shown; on a faded or crossed part, on a plate so they read."""
    text = store.get(key)
    if text is None:
        plain = not piece.rough and (piece.mg is not None or not dosed)
        text = ax.text(
            0.0, y, piece.label, ha="center", va="center", fontsize=label_pt,
            color=theme.bar_text if plain else theme.text, fontstyle="normal" if plain else "italic",
            bbox=None if plain else {"boxstyle": "square,pad=0.1", "facecolor": theme.axes_bg, "edgecolor": "none", "alpha": 0.85},
            zorder=4, clip_on=True, in_layout=False,
        )
        store[key] = text
    return text


def _show_therapy_labels(
    timeline: Timeline, x0: float, x1: float, lo: float, hi: float, rows_fit: bool, days_per_px: float, font_px: float, label_pt: float
) -> None:
    """Each psychotherapy course's kind on its bar, and "~Sep 2021" on a remembered month, where they fit."""
    lane, artists = timeline.therapy_lane, timeline.artists
    for hidden in artists.therapy_texts.values():
        hidden.set_visible(False)
    if lane is None or not lo - 1 < lane.row < hi + 1:
        return
    offset = ord_offset()
    for course in lane.courses:
        for i, piece in enumerate(course.pieces):
            s0 = max(piece.start.toordinal() + offset, x0)
            s1 = min(piece.end.toordinal() + offset + 1, x1)
            longer = piece.label + " (ongoing)" if course.ongoing and not piece.rough and i == len(course.pieces) - 1 else piece.label
            # the kind alone when "(ongoing)" has no room: the arrow after the bar says it goes on
            said = next((w for w in (longer, piece.label) if s1 - s0 >= (len(w) * 0.6 * font_px + 6) * days_per_px), None)
            if not rows_fit or said is None:
                continue
            key = (course.therapy_id, i)
            text = _piece_text(timeline.trial_ax, artists.therapy_texts, key, piece, lane.row, label_pt, timeline._theme, dosed=False)
            text.set_text(said)
            text.set_x((s0 + s1) / 2.0)
            text.set_visible(True)


def _show_phase_labels(timeline: Timeline, x0: float, x1: float, days_per_px: float, font_px: float, fits: bool) -> None:
    """A session phase's words where its run begins, when there is room before the next run's words."""
    texts = timeline.artists.phase_texts
    for i, (text, first, _last) in enumerate(texts):
        room_to = texts[i + 1][1] if i + 1 < len(texts) and texts[i + 1][0].get_position()[1] == text.get_position()[1] else x1
        needed = (len(text.get_text()) * 0.6 * font_px + 4) * days_per_px
        text.set_visible(fits and x0 <= first < x1 and room_to - first >= needed)


# --------------------------------------------------------------------------- hover


def _point_hits(timeline: Timeline, px: float, py: float, radius: float) -> list[tuple[float, str]]:
    hits: list[tuple[float, str]] = []
    for ax, xs, ys, texts in timeline._hover_points:
        if ax is timeline.trial_ax or len(xs) == 0:
            continue
        pts = ax.transData.transform(np.column_stack([xs, ys]))
        dist = np.hypot(pts[:, 0] - px, pts[:, 1] - py)
        i = int(np.argmin(dist))
        if dist[i] <= radius:
            # Several entries on one day and value (two PHQ-9s of 16) read as one line.
            hits.append((float(dist[i]), texts[i]))
    return hits


def _trial_hits(timeline: Timeline, xnum: float, y: float, px: float, radius: float) -> list[tuple[float, str]]:
    row = int(round(y))
    if abs(y - row) > 0.5:
        return []
    offset = ord_offset()
    hits: list[tuple[float, str]] = []
    for lane in timeline.lanes:
        if lane.row != row:
            continue
        for seg in lane.segments:
            if seg.start.toordinal() + offset <= xnum < seg.end.toordinal() + offset + 1:
                dose = f"{seg.label}/day" if seg.mg is not None else f"{seg.label},"
                hits.append((1.0, f"{lane.name} {dose} from {seg.start_text}"))
                day = _day_of(xnum)
                if any(s <= day <= e for s, e in lane.adequate_spans):
                    minimum = f"{mg_text(lane.min_adequate_mg)}/day" if lane.min_adequate_mg is not None else ""
                    source = f", {lane.min_source}" if lane.min_source and minimum else ""
                    hits.append((1.1, f"adequate dose (minimum {minimum}{source})" if minimum else "adequate dose"))
        end_x = lane.end.toordinal() + offset + 1
        end_px = timeline.trial_ax.transData.transform((end_x, 0.0))[0]
        if xnum >= end_x and px - end_px <= 12 * radius:
            if lane.ongoing:
                hits.append((2.0, f"{lane.name} ongoing as of {format_day(timeline.as_of)}"))
            elif lane.entered_end is not None and lane.end_precision != "day":
                hits.append((2.0, f"{lane.name} {lane.end_text}"))  # the words hold the month or year
            else:
                hits.append((2.0, f"{lane.name} {lane.end_text} ({format_day(lane.end)})"))
        for piece in lane.pieces:
            if piece.rough and piece.start.toordinal() + offset <= xnum < piece.end.toordinal() + offset + 1:
                hits.append((1.05, f"remembered as {piece.label[1:]}: any day from {format_day(piece.start)} to {format_day(piece.end)}"))
    therapies = timeline.therapy_lane
    if therapies is not None and therapies.row == row:
        for course in therapies.courses:
            if course.start.toordinal() + offset <= xnum < course.end.toordinal() + offset + 1:
                hits.append((1.0, f"Psychotherapy: {course.text}"))
    for ax, xs, ys, texts in timeline._hover_points:
        if ax is not timeline.trial_ax or len(xs) == 0 or int(ys[0]) != row:
            continue
        sx = ax.transData.transform(np.column_stack([xs, ys]))[:, 0]
        dist = np.abs(sx - px)
        for i in np.argsort(dist, kind="stable")[:3]:
            if dist[i] <= radius:
                hits.append((float(dist[i]), texts[int(i)]))
    return hits
