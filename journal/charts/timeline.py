"""Drawing the timeline: scale scores above, one lane per trial below, on one shared date axis.

build_timeline works out what to show (journal.charts.model), then draws it panel by panel, in
the order the pieces overlap: scores and the PHQ-9 bands, daily check-ins, episodes, trial lanes
and session rows, the threshold marker, the legend; then fixes the margins (journal.charts.layout)
and puts the days asked for in view (journal.charts.view).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from matplotlib import dates as mdates
from matplotlib import ticker as mticker
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import NullFormatter

from journal import words
from journal.charts.choices import MARKER_LABEL
from journal.charts.fast import HandlesTogether, LegendSlot, StillYAxes
from journal.charts.layout import lay_out
from journal.charts.model import (
    ANXIETY_SCALES,
    SCORE_GAP_DAYS,
    UNKNOWN_DOSE,
    BarPiece,
    ChartData,
    SessionLane,
    SessionMarker,
    TherapyLane,
    TimelineOptions,
    TrialLane,
    chart_data,
)
from journal.charts.style import (
    ADDON_HATCH,
    ADEQUATE_HATCH,
    DAILY_STYLE,
    PHASE_FILL,
    ROUGH_ALPHA,
    ROUGH_HATCH,
    ROUGH_LINE,
    SCALE_STYLE,
    SESSION_MARKERS,
    UNKNOWN_HATCH,
    RowGeometry,
    Theme,
    theme_for,
)
from journal.charts.view import Timeline, TimelineArtists, ord_offset, set_range
from journal.clinical import scales
from journal.clinical.assessment import Assessment
from journal.records import JournalContents

__all__ = ["build_timeline", "draw_timeline", "day_values", "broken_mean_line", "broken_score_line", "adequate_weeks_of"]


@dataclass
class _Drawing:
    """What every drawing step needs: the theme, the options, where the days sit on the x axis, and what has been drawn."""

    theme: Theme
    options: TimelineOptions
    offset: float  # a day's x is its ordinal plus this
    artists: TimelineArtists = field(default_factory=TimelineArtists)
    geometry: RowGeometry = field(default_factory=RowGeometry)
    legend_handles: list = field(default_factory=list)
    hover_points: list = field(default_factory=list)  # (axes, xs, ys, words) for each series the pointer can find
    plan: Any = None  # on paper: journal.charts.printed.PrintPlan
    print_box: tuple = ()

    def x(self, d: date) -> float:
        return d.toordinal() + self.offset


def build_timeline(
    contents: JournalContents,
    assessment: Assessment | None,
    options: TimelineOptions | None = None,
    figure: Figure | None = None,
) -> Timeline:
    """Draw the whole timeline onto `figure` (cleared first; a new one when None) and return what was drawn."""
    options = options or TimelineOptions()
    return draw_timeline(chart_data(contents, assessment, options), assessment, options, figure)


def draw_timeline(data: ChartData, assessment: Assessment | None, options: TimelineOptions, figure: Figure | None = None) -> Timeline:
    """Draw what `data` (worked out with `options`) holds onto `figure`, cleared first; a new one when None."""
    d = _Drawing(theme_for(options.dark), options, ord_offset())
    if figure is None:
        figure = Figure(figsize=(10, 6.5), dpi=100)
    if options.for_print:
        from journal.charts.printed import for_drawing, print_geometry

        data, d.plan = for_drawing(figure, data, options)  # the rows as they go on paper, packed when many
        d.geometry = print_geometry()
    ratios = (3.0, min(3.0, max(1.4, 0.45 * data.lane_weight)))
    anxious = any(name in ANXIETY_SCALES for name in options.shown_scales)
    score_ax, trial_ax, anxiety_ax = _panels(figure, d, ratios, anxious)

    _draw_scores(score_ax, anxiety_ax, data, d)
    _draw_bands(score_ax, data, d)
    if anxiety_ax is not None:
        _draw_anxiety_bands(anxiety_ax, d)
    daily_ax = _draw_daily(score_ax, data, d) if options.daily else None
    _draw_episodes(score_ax, trial_ax, data, d)
    _draw_lanes(trial_ax, data.lanes, d, assessment)
    _draw_therapies(trial_ax, data.therapy_lane, d)
    _draw_rough_legend(data, d)
    _draw_sessions(trial_ax, data.session_lanes, data.sessions, d)
    _draw_row_texts(trial_ax, data, d)
    _draw_marker(score_ax, trial_ax, data, d)
    _draw_possible(score_ax, data, d)
    if d.legend_handles:
        d.artists.legend_slot = LegendSlot(figure, d.legend_handles, options.text(8.5), d.theme.text)
        figure.add_artist(d.artists.legend_slot)
    if options.for_print:
        from journal.charts.printed import finish_print

        finish_print(figure, score_ax, anxiety_ax, trial_ax, daily_ax, data, d)
    else:
        lay_out(
            figure, score_ax, trial_ax, daily_ax, ratios, data.row_labels, options, d.artists.legend_slot,
            d.artists.band_texts, anxiety_ax,
        )
        figure.add_artist(StillYAxes(figure, (score_ax, *((anxiety_ax,) if anxiety_ax is not None else ()), trial_ax)))

    timeline = Timeline(
        figure=figure,
        score_ax=score_ax,
        trial_ax=trial_ax,
        daily_ax=daily_ax,
        anxiety_ax=anxiety_ax,
        options=options,
        as_of=data.as_of,
        series=data.series,
        daily_points=data.daily_points,
        daily_mean7=data.daily_mean7,
        lanes=data.lanes,
        session_lanes=data.session_lanes,
        sessions=data.sessions,
        episodes=data.episodes,
        marker=data.marker,
        bands=data.bands,
        full_range=data.full_range,
        artists=d.artists,
        _theme=d.theme,
        _hover_points=d.hover_points,
        _row_count=data.row_count,
        _row_labels=data.row_labels,
        data=data,
        adequate_weeks=adequate_weeks_of(assessment),
        therapy_lane=data.therapy_lane,
        possible_text=data.possible_text,
    )
    set_range(timeline, options.start, options.end)
    if options.for_print:
        from journal.charts.printed import label_print

        label_print(timeline, data, d)
    return timeline


def adequate_weeks_of(assessment: Assessment | None) -> int | None:
    return assessment.settings.adequate_weeks if assessment is not None else None


def _style_axes(ax: Axes, theme: Theme, options: TimelineOptions) -> None:
    ax.set_facecolor(theme.axes_bg)
    for spine in ax.spines.values():
        spine.set_color(theme.muted)
    ax.tick_params(colors=theme.text, labelsize=options.text(9), which="both")
    ax.yaxis.label.set_color(theme.text)
    ax.xaxis.label.set_color(theme.text)
    ax.yaxis.label.set_fontsize(options.text(10))


def _panels(figure: Figure, d: _Drawing, ratios: tuple[float, float], anxious: bool) -> tuple[Axes, Axes, Axes | None]:
    """The score panel above and the lane panel below, sharing their date ticks; between them, when GAD-7 is shown,
    its own small panel, so it is never read against the PHQ-9 bands."""
    figure.clear()
    figure.set_facecolor(d.theme.figure_bg)
    grid = figure.add_gridspec(3 if anxious else 2, 1, height_ratios=(ratios[0], 1.0, ratios[1]) if anxious else ratios)
    score_ax = figure.add_subplot(grid[0])
    anxiety_ax = figure.add_subplot(grid[1], label="anxiety") if anxious else None
    # Not shared with sharex: matplotlib then measures both panels' date labels on every draw.
    # journal.charts.view keeps the two in step instead.
    trial_ax = figure.add_subplot(grid[-1])
    upper = (score_ax, *((anxiety_ax,) if anxiety_ax is not None else ()))
    for ax in (*upper, trial_ax):
        _style_axes(ax, d.theme, d.options)
        ax.grid(True, axis="x", color=d.theme.grid, linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
    # Same locator settings on every panel, so their grid lines meet; only the lowest one is labelled.
    for ax in upper:
        ax.tick_params(labelbottom=False)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        ax.xaxis.set_major_formatter(NullFormatter())
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    trial_ax.xaxis.set_major_locator(locator)
    trial_ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return score_ax, trial_ax, anxiety_ax


# --------------------------------------------------------------------------- the score panel


def _draw_scores(score_ax: Axes, anxiety_ax: Axes | None, data: ChartData, d: _Drawing) -> None:
    """Each scale's scores as a line with its own marker, broken across a gap of more than eight weeks; GAD-7 on its
    own panel when it has one."""
    for name, points in data.series.items():
        ax = anxiety_ax if anxiety_ax is not None and name in ANXIETY_SCALES else score_ax
        xs, ys = day_values(points, d.offset)
        marker, style, width = SCALE_STYLE[name]
        (line,) = ax.plot(
            *broken_score_line(points, d.offset),
            marker=marker,
            linestyle=style,
            linewidth=width,
            markersize=d.options.fs(5),
            color=d.theme.scale_colours[name],
            label=name,
            zorder=4 if name == "PHQ-9" else 3,
        )
        d.artists.score_lines[name] = line
        d.legend_handles.append(line)
        if points:
            d.hover_points.append((ax, xs, ys, data.score_texts[name]))
    shown = [n for n in data.series if anxiety_ax is None or n not in ANXIETY_SCALES]
    top = max([float(scales.get_scale(n).max_total) for n in shown if data.series[n]] + [float(scales.get_scale("PHQ-9").max_total)])
    score_ax.set_ylim(-0.6, (top if anxiety_ax is not None else data.score_top) + 0.6)
    score_ax.set_ylabel("score (total)")
    if anxiety_ax is not None:
        anxiety_ax.set_ylim(-0.6, max(float(scales.get_scale(n).max_total) for n in ANXIETY_SCALES) + 0.6)
        anxiety_ax.set_ylabel("GAD-7")


def _draw_anxiety_bands(ax: Axes, d: _Drawing) -> None:
    """GAD-7's own severity bands behind its line, lighter than PHQ-9's, and its cut-offs as the axis numbers."""
    bands = scales.get_scale("GAD-7").bands
    for i, band in enumerate(bands):
        y0 = float(band.low) - 0.5 if i else -0.6
        y1 = float(band.high) + 0.5 if i < len(bands) - 1 else float(band.high) + 0.6
        alpha = d.theme.band_alpha + d.theme.band_alpha_step * i * 0.75
        d.artists.anxiety_band_patches.append(ax.axhspan(y0, y1, facecolor=d.theme.band, alpha=alpha, linewidth=0, zorder=0.5))
    ax.set_yticks([float(b.low) for b in bands[1:]] + [float(bands[-1].high)])
    ax.yaxis.set_major_formatter(mticker.FormatStrFormatter("%d"))


def _draw_bands(ax: Axes, data: ChartData, d: _Drawing) -> None:
    last = len(data.bands) - 1
    for i, band in enumerate(data.bands):
        alpha = d.theme.band_alpha + d.theme.band_alpha_step * i
        patch = ax.axhspan(band.y0, band.y1, facecolor=d.theme.band, alpha=alpha, linewidth=0, zorder=0.5)
        d.artists.band_patches.append(patch)
        text = ax.text(
            0.995,
            (band.low + band.high) / 2.0,
            f"PHQ-9 {band.label}" if i == last else band.label,
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=d.options.text(7.5),
            color=d.theme.muted,
            zorder=1,
            clip_on=True,
            in_layout=False,
        )
        d.artists.band_texts.append(text)


def day_values(points: Sequence[tuple[date, float]], offset: float) -> tuple[np.ndarray, np.ndarray]:
    """The x (a day's ordinal plus `offset`, plus the time of day's fraction for a check-in with a time) and y
    of each (day, value), as the chart plots them."""
    xs = np.fromiter(
        (day.toordinal() + ((day.hour * 60 + day.minute) / 1440.0 if type(day) is datetime else 0.0) for day, _ in points),
        dtype=float,
        count=len(points),
    ) + offset
    ys = np.fromiter((v for _, v in points), dtype=float, count=len(points))
    return xs, ys


def broken_score_line(
    points: Sequence[tuple[date, float]], offset: float, gap_days: float = SCORE_GAP_DAYS
) -> tuple[np.ndarray, np.ndarray]:
    """A scale's line: broken (a nan) across more than `gap_days` without a score, so no slope is drawn through
    months nobody scored; every point keeps its marker."""
    xs, ys = day_values(points, offset)
    breaks = np.flatnonzero(np.diff(xs) > gap_days) + 1
    return np.insert(xs, breaks, math.nan), np.insert(ys, breaks, math.nan)


def broken_mean_line(means: Sequence[tuple[date, float]], offset: float) -> tuple[np.ndarray, np.ndarray]:
    """The 7-day mean's line: a week with no check-in breaks it rather than drawing a slope through days nobody rated."""
    xs, ys = day_values(means, offset)
    # a gap (nan) before each day more than 6 days after the one before it
    breaks = np.flatnonzero(np.diff(xs) > 6) + 1
    return np.insert(xs, breaks, math.nan), np.insert(ys, breaks, math.nan)


def _draw_daily(score_ax: Axes, data: ChartData, d: _Drawing) -> Axes:
    """The daily check-ins on their own 0-10 axis, behind the scale lines (the scales are what the assessment reads)."""
    theme, options = d.theme, d.options
    daily_ax = score_ax.twinx()
    _style_axes(daily_ax, theme, options)
    daily_ax.set_zorder(score_ax.get_zorder() - 1)
    daily_ax.patch.set_visible(True)
    daily_ax.patch.set_facecolor(theme.axes_bg)
    score_ax.patch.set_visible(False)
    daily_ax.set_ylim(-0.3, 10.3)
    daily_ax.set_ylabel("daily check-in (0-10)")
    for name in options.daily:
        points = data.daily_points[name]
        colour = theme.daily_colours[name]
        xs, ys = day_values(points, d.offset)
        (dots,) = daily_ax.plot(xs, ys, linestyle="none", marker=".", markersize=options.fs(4), alpha=0.35, color=colour, zorder=2)
        d.artists.daily_point_lines[name] = dots
        mx, my = broken_mean_line(data.daily_mean7[name], d.offset)
        (mean_line,) = daily_ax.plot(
            mx,
            my,
            linestyle=DAILY_STYLE[name],
            linewidth=1.5,
            color=colour,
            label=f"{words.words_for(words.DAILY, name)} (7-day mean)",
            zorder=2.5,
        )
        d.artists.daily_mean_lines[name] = mean_line
        d.legend_handles.append(mean_line)
        if points:
            d.hover_points.append((daily_ax, xs, ys, data.daily_texts[name]))
    return daily_ax


def _minus(start: date, end: date, holes: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """The days from `start` to `end` without those of `holes` (in order, inside the span)."""
    out: list[tuple[date, date]] = []
    at = start
    for h0, h1 in holes:
        if h0 > at:
            out.append((at, min(end, date.fromordinal(h0.toordinal() - 1))))
        at = max(at, date.fromordinal(h1.toordinal() + 1))
    if at <= end:
        out.append((at, end))
    return out


def _draw_episodes(score_ax: Axes, trial_ax: Axes, data: ChartData, d: _Drawing) -> None:
    """Each episode as a light span across both panels, its name at the top of the score panel; a start or end
    entered as a month or a year is drawn fainter and dotted over the whole month or year it could fall in."""
    if not data.episodes:
        return
    theme = d.theme

    def box(a: date, b: date) -> list:
        x0, x1 = d.x(a), d.x(b) + 1
        return [(x0, 0.0), (x1, 0.0), (x1, 1.0), (x0, 1.0)]

    verts = [box(a, b) for ep in data.episodes for a, b in _minus(ep.start, ep.end, ep.rough_spans)]
    rough = [box(a, b) for ep in data.episodes for a, b in ep.rough_spans if a <= b]
    for ax in (score_ax, trial_ax):
        coll = PolyCollection(
            verts,
            transform=ax.get_xaxis_transform(),
            facecolors=theme.episode,
            alpha=theme.episode_alpha,
            edgecolors="none",
            zorder=0.2,
        )
        ax.add_collection(coll, autolim=False)
        d.artists.episode_collections.append(coll)
        if rough:
            faint = PolyCollection(
                rough,
                transform=ax.get_xaxis_transform(),
                facecolors=to_rgba(theme.episode, theme.episode_alpha * 0.5),
                edgecolors="none",
                hatch="..",
                hatchcolor=to_rgba(theme.muted, 0.4),
                hatch_linewidth=0.6,
                zorder=0.2,
            )
            ax.add_collection(faint, autolim=False)
            d.artists.episode_rough_collections.append(faint)
    for ep in data.episodes if not d.options.for_print else ():  # on paper they are named above the panels
        said = ep.label + (f", from {ep.start_text}" if ep.start_precision != "day" else "")
        d.artists.episode_texts.append(
            score_ax.text(
                d.x(ep.start),
                0.985,
                " " + said,
                transform=score_ax.get_xaxis_transform(),
                ha="left",
                va="top",
                fontsize=d.options.text(8),
                color=theme.muted,
                zorder=5,
                clip_on=True,
                in_layout=False,
            )
        )
    d.legend_handles.append(Patch(facecolor=theme.episode, alpha=min(1.0, theme.episode_alpha * 2.5), label="episode"))


# --------------------------------------------------------------------------- the lane panel


@dataclass
class _Bars:
    """Every dose bar (taller = higher dose) of the lanes as plain shapes, by how it is drawn, and the strips and ticks."""

    solid: list = field(default_factory=list)
    solid_colours: list = field(default_factory=list)
    addon: list = field(default_factory=list)  # an add-on's days at a dose: hatched as well as coloured, for grey-scale print
    addon_colours: list = field(default_factory=list)
    rough: list = field(default_factory=list)  # a remembered month or year: faded, dotted
    rough_colours: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # a dose not remembered: crossed, unfilled, at no height that reads as a dose
    unknown_styles: list = field(default_factory=list)
    strips: list = field(default_factory=list)
    adequacy_x: list = field(default_factory=list)
    adequacy_y: list = field(default_factory=list)
    kinds_seen: set = field(default_factory=set)


def _box(x0: float, x1: float, y0: float, y1: float) -> list:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _add_piece(bars: _Bars, piece: BarPiece, r: float, top_mg: float, colour: str, d: _Drawing, addon: bool = False) -> None:
    x0, x1 = d.x(piece.start), d.x(piece.end) + 1  # the last day is covered all day
    if piece.mg is None:
        # the whole height a bar may take, crossed and unfilled: a dose not remembered is not a low one
        g = d.geometry
        bars.unknown.append(_box(x0, x1, r + g.bar_bottom - g.bar_max_h, r + g.bar_bottom))
        bars.unknown_styles.append(ROUGH_LINE if piece.rough else "solid")
        return
    frac = piece.mg / top_mg if top_mg > 0 else 0.0
    g = d.geometry
    h = g.bar_min_h + (g.bar_max_h - g.bar_min_h) * max(0.0, min(1.0, frac))
    verts = _box(x0, x1, r + g.bar_bottom - h, r + g.bar_bottom)
    if piece.rough:
        bars.rough.append(verts)
        bars.rough_colours.append(colour)
    elif addon:
        bars.addon.append(verts)
        bars.addon_colours.append(colour)
    else:
        bars.solid.append(verts)
        bars.solid_colours.append(colour)


def _bar_shapes(lanes: Sequence[TrialLane], d: _Drawing) -> _Bars:
    """Every dose bar, adequate-dose strip and adequacy tick of the lanes, as plain shapes."""
    bars = _Bars()
    for lane in lanes:
        r = float(lane.row)
        top_mg = max((s.mg for s in lane.segments if s.mg is not None), default=0.0)
        kind = "augmentation" if lane.augmentation else "antidepressant"
        bars.kinds_seen.add(kind)
        colour = d.theme.bar_colours[kind]
        for piece in lane.pieces:
            _add_piece(bars, piece, r, top_mg, colour, d, lane.augmentation)
        for s, e in lane.adequate_spans:
            bars.strips.append(_box(d.x(s), d.x(e) + 1, r + d.geometry.strip[0], r + d.geometry.strip[1]))
        if lane.adequacy_date is not None:
            bars.adequacy_x.append(d.x(lane.adequacy_date) + 0.5)
            bars.adequacy_y.append(r + (d.geometry.strip[0] + d.geometry.strip[1]) / 2.0)
    return bars


def _draw_rough(ax: Axes, verts: list, colours: list, d: _Drawing) -> PolyCollection:
    """The days a date remembered as a month or a year could fall on: the bar's colour faded, dotted, a dotted edge."""
    coll = PolyCollection(
        verts,
        facecolors=[to_rgba(c, ROUGH_ALPHA) for c in colours],
        edgecolors=colours,
        linestyles=ROUGH_LINE,
        linewidths=1.0,
        hatch=ROUGH_HATCH,
        hatchcolor=to_rgba(d.theme.text, 0.55),
        zorder=2,
    )
    ax.add_collection(coll, autolim=False)
    return coll


def _draw_lanes(ax: Axes, lanes: Sequence[TrialLane], d: _Drawing, assessment: Assessment | None) -> None:
    if not lanes:
        return
    theme, options, artists = d.theme, d.options, d.artists
    bars = _bar_shapes(lanes, d)
    solid = PolyCollection(bars.solid, facecolors=bars.solid_colours, edgecolors=theme.axes_bg, linewidths=1.0, zorder=2)
    ax.add_collection(solid, autolim=False)
    artists.dose_collection = solid
    # always made, empty too, so a journal's artists do not grow with the kinds of trial it holds; hatched on
    # paper, for grey-scale print (in the window Agg's hatching of every bar would cost a third of each zoom)
    addon = PolyCollection(
        bars.addon, facecolors=bars.addon_colours, edgecolors=theme.axes_bg, linewidths=1.0,
        hatch=ADDON_HATCH if options.for_print else None, hatchcolor=to_rgba(theme.bar_text, 0.75), hatch_linewidth=0.8, zorder=2,
    )
    ax.add_collection(addon, autolim=False)
    artists.addon_collection = addon
    if bars.rough:
        artists.rough_collection = _draw_rough(ax, bars.rough, bars.rough_colours, d)
    if bars.unknown:
        unknown = PolyCollection(
            bars.unknown, facecolors="none", edgecolors=theme.muted, linestyles=bars.unknown_styles, linewidths=1.0,
            hatch=UNKNOWN_HATCH, hatchcolor=to_rgba(theme.text, 0.6), zorder=2,
        )
        ax.add_collection(unknown, autolim=False)
        artists.unknown_dose_collection = unknown
    artists.ongoing_arrows = _draw_ongoing(ax, [(lane.end, lane.row) for lane in lanes if lane.ongoing], d)
    said = {"antidepressant": "antidepressant (taller = higher dose)", "augmentation": "augmentation (add-on)"}
    for kind in ("antidepressant", "augmentation"):
        if kind in bars.kinds_seen:
            patch = Patch(facecolor=theme.bar_colours[kind], edgecolor="none", label=said[kind])
            if kind == "augmentation" and options.for_print:
                patch.set_hatch(ADDON_HATCH)
                patch.set_hatchcolor(to_rgba(theme.bar_text, 0.75))
            d.legend_handles.append(patch)
    if bars.unknown:
        d.legend_handles.append(
            Patch(facecolor="none", edgecolor=theme.muted, hatch=UNKNOWN_HATCH, hatchcolor=to_rgba(theme.text, 0.6), label=UNKNOWN_DOSE)
        )
    if bars.strips:
        strip = PolyCollection(bars.strips, facecolors="none", edgecolors=theme.text, linewidths=0.9, hatch=ADEQUATE_HATCH, zorder=3)
        ax.add_collection(strip, autolim=False)
        artists.adequate_collection = strip
        d.legend_handles.append(Patch(facecolor="none", edgecolor=theme.text, hatch=ADEQUATE_HATCH, label="adequate dose"))
    if bars.adequacy_x:
        weeks = assessment.settings.adequate_weeks if assessment is not None else None
        (tick,) = ax.plot(
            bars.adequacy_x,
            bars.adequacy_y,
            linestyle="none",
            marker="|",
            markersize=options.fs(12),
            markeredgewidth=2.5,
            color=theme.marker,
            zorder=5,
            label=f"{weeks} weeks at an adequate dose reached" if weeks else "adequate duration reached",
        )
        artists.adequacy_line = tick
        d.legend_handles.append(tick)


def _draw_ongoing(ax: Axes, ends: list[tuple[date, int]], d: _Drawing) -> Line2D | None:
    """The arrow after the last day of each bar that goes on (a trial, a psychotherapy course)."""
    if not ends:
        return None
    # The arrow is drawn even at the panel's edge, where the word "ongoing" has no room.
    (arrows,) = ax.plot(
        [d.x(end) + 1 for end, _ in ends],
        [row + d.geometry.bar_bottom - d.geometry.bar_min_h / 2 for _, row in ends],
        linestyle="none",
        marker=">",
        markersize=d.options.fs(6),
        color=d.theme.text,
        zorder=5,
        clip_on=False,
    )
    return arrows


def _draw_therapies(ax: Axes, lane: TherapyLane | None, d: _Drawing) -> None:
    """The Psychotherapy row: each course a full-height bar, its kind in words on it (see journal.charts.view),
    its remembered months or years faded and dotted, an arrow after one that goes on."""
    if lane is None:
        return
    theme = d.theme
    r = float(lane.row)
    solid: list = []
    rough: list = []
    for course in lane.courses:
        for piece in course.pieces:
            g = d.geometry
            verts = _box(d.x(piece.start), d.x(piece.end) + 1, r + g.bar_bottom - g.bar_max_h, r + g.bar_bottom)
            (rough if piece.rough else solid).append(verts)
    coll = PolyCollection(solid, facecolors=theme.therapy, edgecolors=theme.axes_bg, linewidths=1.0, zorder=2)
    ax.add_collection(coll, autolim=False)
    d.artists.therapy_collection = coll
    if rough:
        d.artists.therapy_rough_collection = _draw_rough(ax, rough, [theme.therapy] * len(rough), d)
    # no legend entry: the row is named "Psychotherapy" and each bar its kind, so the legend keeps its room for the rest
    d.artists.therapy_arrows = _draw_ongoing(ax, [(c.end, lane.row) for c in lane.courses if c.ongoing], d)


def _draw_rough_legend(data: ChartData, d: _Drawing) -> None:
    """One legend entry for every faded, dotted stretch: a date remembered as a month or a year."""
    courses = data.therapy_lane.courses if data.therapy_lane is not None else ()
    if any(p.rough for lane in data.lanes for p in lane.pieces) or any(p.rough for c in courses for p in c.pieces):
        d.legend_handles.append(
            Patch(
                facecolor=to_rgba(d.theme.bar_colours["antidepressant"], ROUGH_ALPHA),
                edgecolor=d.theme.bar_colours["antidepressant"],
                linestyle=ROUGH_LINE,
                hatch=ROUGH_HATCH,
                hatchcolor=to_rgba(d.theme.text, 0.55),
                label="~ remembered month or year (any day in it)",
            )
        )


def _draw_sessions(ax: Axes, session_lanes: Sequence[SessionLane], markers: Sequence[SessionMarker], d: _Drawing) -> None:
    """Each treatment's sessions on its row; an esketamine or ketamine course's phases each with their own fill
    and legend entry, and the phase named in words where each run of a phase begins (see journal.charts.view)."""
    for lane in session_lanes:
        mine = [m for m in markers if m.treatment == lane.treatment]
        xs = np.array([mdates.date2num(m.when.replace(tzinfo=None)) for m in mine], dtype=float)
        ys = np.full(len(mine), float(lane.row) + d.geometry.marker_y)
        phases = list(dict.fromkeys(m.phase for m in mine))
        colour = d.theme.session_colours.get(lane.treatment, d.theme.text)
        phase_lines: list[Line2D] = []
        for phase in phases:
            picked = [i for i, m in enumerate(mine) if m.phase == phase] if phase is not None or len(phases) > 1 else None
            label = lane.label if phase is None else f"{lane.label}: {words.words_for(words.SESSION_PHASE, phase)}"
            (line,) = ax.plot(
                xs if picked is None else xs[picked],
                ys if picked is None else ys[picked],
                linestyle="none",
                marker=SESSION_MARKERS.get(lane.treatment, "X"),
                markersize=d.options.fs(7),
                fillstyle=PHASE_FILL.get(phase, "full"),
                markerfacecoloralt=d.theme.axes_bg,
                markeredgecolor=d.theme.axes_bg if phase is None else colour,
                markeredgewidth=0.6 if phase is None else 1.2,
                color=colour,
                zorder=4,
                label=label,
            )
            if phase is None or lane.treatment not in d.artists.session_lines:
                d.artists.session_lines[lane.treatment] = line
            if phase is not None:
                d.artists.session_phase_lines[(lane.treatment, phase)] = line
                phase_lines.append(line)
            else:
                d.legend_handles.append(line)
        if phase_lines:
            # one legend entry for the course: its phases' markers side by side, named in the same order
            said = ", ".join(words.words_for(words.SESSION_PHASE, p) for p in phases if p is not None)
            d.legend_handles.append(HandlesTogether(phase_lines, f"{lane.label}: {said}"))
        d.hover_points.append((ax, xs, ys, [m.text for m in mine]))
        if any(phases):
            _phase_texts(ax, lane, mine, xs, d)


def _phase_texts(ax: Axes, lane: SessionLane, mine: Sequence[SessionMarker], xs: np.ndarray, d: _Drawing) -> None:
    """The phase in words above the first session of each run of one phase ("induction", "maintenance")."""
    runs: list[tuple[int, int]] = []  # first and last index of each run
    for i, m in enumerate(mine):
        if m.phase is None:
            continue
        if runs and mine[runs[-1][1]].phase == m.phase and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    for first, last in runs:
        said = words.words_for(words.SESSION_PHASE, mine[first].phase)
        text = ax.text(
            xs[first], lane.row - 0.22, said, ha="left", va="bottom", fontsize=d.options.text(7.5), color=d.theme.text,
            fontstyle="italic", zorder=5, clip_on=True, in_layout=False,
        )
        d.artists.phase_texts.append((text, float(xs[first]), float(xs[last])))


def _draw_row_texts(ax: Axes, data: ChartData, d: _Drawing) -> None:
    """The hint shown when the rows are too thin to name, and the words of an empty lane panel."""
    ax.tick_params(axis="y", length=0)
    ax.set_yticks([])
    if not d.options.for_print:  # on paper every row is named (journal.charts.printed)
        d.artists.rows_hint = ax.text(
            0.005, 0.98, "", transform=ax.transAxes, ha="left", va="top",
            color=d.theme.muted, fontsize=d.options.text(8), zorder=7, in_layout=False,
        )
    if not data.row_count:
        d.artists.empty_text = ax.text(
            0.5, 0.5, "No trials or sessions recorded yet", transform=ax.transAxes,
            ha="center", va="center", color=d.theme.muted, fontsize=d.options.text(9), in_layout=False,
        )


def _draw_marker(score_ax: Axes, trial_ax: Axes, data: ChartData, d: _Drawing) -> None:
    """The threshold marker across both panels, its words on a plate at the top of the score panel."""
    marker = data.marker
    if marker is None:
        return
    theme = d.theme
    x = d.x(marker.date)
    for ax in (score_ax, *(a for a in score_ax.figure.axes if a.get_label() == "anxiety"), trial_ax):
        d.artists.marker_lines.append(
            # Drawn in the text colour: no series uses it, so the line cannot be mistaken for data.
            ax.axvline(x, color=theme.text, linestyle=(0, (6, 2)), linewidth=2.0, zorder=6, label=MARKER_LABEL)
        )
    if d.options.for_print:
        d.legend_handles.append(d.artists.marker_lines[0])
        return  # its words go above the panels, over nothing (journal.charts.printed)
    on_right = data.marker_on_right
    d.artists.marker_text = score_ax.annotate(
        marker.text,
        xy=(x, 0.97),
        xycoords=score_ax.get_xaxis_transform(),
        xytext=(6 if on_right else -6, 0),
        textcoords="offset points",
        ha="left" if on_right else "right",
        va="top",
        multialignment="left",
        fontsize=d.options.text(9),
        fontweight="bold",
        color=theme.text,
        bbox={"boxstyle": "round,pad=0.25", "facecolor": theme.axes_bg, "edgecolor": theme.text, "linewidth": 0.8, "alpha": 0.92},
        zorder=8,
        annotation_clip=True,
        in_layout=False,
    )
    d.legend_handles.append(d.artists.marker_lines[0])


def _draw_possible(score_ax: Axes, data: ChartData, d: _Drawing) -> None:
    """When the criteria may be met once remembered details are confirmed: said in words, in a corner of the score
    panel that stays put as the days move, and never as a line or at a date (trd-rules.md v2)."""
    if not data.possible_text or d.options.for_print:  # on paper: a line above the panels
        return
    d.artists.possible_text = score_ax.text(
        0.008,
        0.88,
        data.possible_text,
        transform=score_ax.transAxes,
        ha="left",
        va="top",
        fontsize=d.options.text(8.5),
        fontstyle="italic",
        color=d.theme.text,
        bbox={"boxstyle": "round,pad=0.3", "facecolor": d.theme.axes_bg, "edgecolor": d.theme.text, "linewidth": 0.8,
              "linestyle": (0, (3, 2)), "alpha": 0.92},
        zorder=8,
        in_layout=False,
    )
