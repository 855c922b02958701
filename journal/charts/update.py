"""Bringing a drawn timeline up to date after one change, without drawing it again from scratch.

A check-in or a score changed moves the points of a line or two; everything else on the chart
(the panels, the lanes, the legend, the marker) stays as it is. `update_timeline` works out
again only the series of the kinds that changed (journal.charts.model keeps the others), and
when nothing but those series moved it gives the existing lines their new points. Whenever
anything else would look different (a new lane or row, a psychotherapy course, the marker or
its words moved, "may be met" said or no longer said, a scale's first score raising the score
axis, other options, other settings), it draws the whole chart again. A timed check-in or score
moves to its time of day like any other point. Either way the picture is the one `build_timeline` draws from the same journal.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields

from journal.charts.model import SERIES_KINDS, ChartData, TimelineOptions, chart_data
from journal.charts.timeline import adequate_weeks_of, broken_mean_line, broken_score_line, day_values, draw_timeline
from journal.charts.view import Timeline, ord_offset
from journal.clinical.assessment import Assessment
from journal.records import JournalContents

__all__ = ["update_timeline"]

# What a change to these parts of ChartData alone leaves as it was: the series' points and hover
# words, and the journal's first and last days (they only decide where "all" starts and ends).
_POINTS_ONLY = {name for parts in SERIES_KINDS.values() for name in parts} | {"full_range"}
_SHAPE = tuple(f.name for f in fields(ChartData) if f.name not in _POINTS_ONLY)


def update_timeline(
    timeline: Timeline,
    contents: JournalContents,
    assessment: Assessment | None,
    options: TimelineOptions | None = None,
    *,
    changed: Collection[str] | None = None,
) -> Timeline:
    """The timeline drawn for `contents`, on `timeline`'s figure: the same Timeline with new points where only
    the series of the `changed` kinds moved, else a new one drawn from scratch (None: anything may have changed).

    The days in view are the caller's to set again afterwards, as after `build_timeline`.
    """
    options = options or TimelineOptions()
    kept = timeline.data
    same_drawing = (
        kept is not None
        and changed is not None
        and options == timeline.options
        and adequate_weeks_of(assessment) == timeline.adequate_weeks
    )
    if not same_drawing or kept is None or changed is None:
        return draw_timeline(chart_data(contents, assessment, options), assessment, options, timeline.figure)
    data = chart_data(contents, assessment, options, kept=kept, changed=changed)
    if any(getattr(data, name) != getattr(kept, name) for name in _SHAPE):
        return draw_timeline(data, assessment, options, timeline.figure)
    _move_points(timeline, data)
    return timeline


def _move_points(timeline: Timeline, data: ChartData) -> None:
    """Give the score and check-in lines the points of `data`, and the pointer the words to find them by."""
    offset = ord_offset()
    artists = timeline.artists
    hover: list = []
    for name, points in data.series.items():
        xs, ys = day_values(points, offset)
        line = artists.score_lines[name]
        line.set_data(*broken_score_line(points, offset))
        if points:
            hover.append((line.axes, xs, ys, data.score_texts[name]))
    for name in timeline.options.daily:
        points = data.daily_points[name]
        xs, ys = day_values(points, offset)
        artists.daily_point_lines[name].set_data(xs, ys)
        artists.daily_mean_lines[name].set_data(*broken_mean_line(data.daily_mean7[name], offset))
        if points:
            hover.append((timeline.daily_ax, xs, ys, data.daily_texts[name]))
    # the session rows come last, as build_timeline lists them; they did not change
    hover.extend(entry for entry in timeline._hover_points if entry[0] is timeline.trial_ax)
    timeline._hover_points = hover
    timeline.series = data.series
    timeline.daily_points = data.daily_points
    timeline.daily_mean7 = data.daily_mean7
    timeline.full_range = data.full_range
    timeline.data = data
    timeline.figure.stale = True
