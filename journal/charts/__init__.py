"""The timeline chart: scale scores above, one lane per trial below, on one shared date axis."""

from __future__ import annotations

import inspect
import math
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date, datetime, timedelta
from typing import Sequence

import numpy as np
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import LayoutEngine
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.ticker import NullFormatter
from matplotlib.transforms import Bbox, ScaledTranslation

from journal.clinical.assessment import Assessment, TrialVerdict
# the window reads these before matplotlib is loaded, so they live apart
from journal.charts.choices import MARKER_LABEL, PRESETS, extra_scales
from journal.records import ALL_SCALES, DAILY_FIELDS, DailyCheckIn, JournalContents, Session, Trial

EXTRA_SCALES = extra_scales()

__all__ = [
    "TimelineOptions",
    "Timeline",
    "TimelineArtists",
    "Band",
    "DoseSegment",
    "TrialLane",
    "SessionLane",
    "SessionMarker",
    "EpisodeSpan",
    "ThresholdMarker",
    "build_timeline",
    "set_range",
    "pan",
    "range_for_preset",
    "rolling_mean_7",
    "format_day",
    "PRESETS",
    "EXTRA_SCALES",
    "MARKER_LABEL",
    "SESSION_MARKERS",
]


# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
_OI_ORANGE = "#E69F00"
_OI_SKY = "#56B4E9"
_OI_GREEN = "#009E73"
_OI_YELLOW = "#F0E442"
_OI_BLUE = "#0072B2"
_OI_VERMILLION = "#D55E00"
_OI_PURPLE = "#CC79A7"

# Shape and line style carry each series too, so colour is never the only signal.
_SCALE_STYLE = {
    "PHQ-9": ("o", "-", 2.0),
    "GAD-7": ("s", "--", 1.6),
    "QIDS-SR16": ("^", ":", 1.6),
    "MADRS": ("D", "-.", 1.6),
    "HAMD-17": ("v", (0, (5, 1, 1, 1, 1, 1)), 1.6),
}
_DAILY_STYLE = {
    "mood": "-",
    "anxiety": "--",
    "sleep_quality": ":",
    "energy": "-.",
    "pain": (0, (3, 1, 1, 1)),
}
_DAILY_WORDS = {
    "mood": "mood",
    "anxiety": "anxiety",
    "sleep_quality": "sleep quality",
    "energy": "energy",
    "pain": "pain",
}
SESSION_MARKERS = {"esketamine": "D", "ketamine_iv": "^", "ect": "s", "rtms": "P", "other": "X"}
_SESSION_WORDS = {
    "esketamine": "esketamine",
    "ketamine_iv": "IV ketamine",
    "ect": "ECT",
    "rtms": "rTMS",
    "other": "other treatment",
}
_STOP_WORDS = {
    "ineffective": "not effective",
    "side_effects": "side effects",
    "remission": "remission",
    "cost": "cost",
    "clinician_advice": "clinician's advice",
    "other": "other reason",
}
_SEVERITY_WORDS = {"severe_psychotic": "severe with psychosis"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Row geometry of the trial lanes (y grows downwards: the axis is inverted so the first row is on top).
_BAR_BOTTOM = 0.15  # every dose bar sits on this line, so taller means a higher dose
_BAR_MIN_H = 0.30
_BAR_MAX_H = 0.60
_STRIP = (0.20, 0.42)  # the hatched "adequate dose" strip under the bars
_MIN_ROWS = 4  # a lone trial stays a bar, not a wall of colour
_LABEL_MAX = 26


@dataclass(frozen=True)
class _Theme:
    figure_bg: str
    axes_bg: str
    text: str
    muted: str
    grid: str
    episode: str
    episode_alpha: float
    band: str
    bar_text: str
    marker: str
    scale_colours: dict
    daily_colours: dict
    session_colours: dict
    bar_colours: dict
    # PHQ-9 bands: the lowest band's opacity, and how much more each higher band has (a dark window needs more)
    band_alpha: float = 0.02
    band_alpha_step: float = 0.04


_LIGHT = _Theme(
    figure_bg="#ffffff",
    axes_bg="#ffffff",
    text="#1a1a1a",
    muted="#4d4d4d",
    grid="#dcdcdc",
    episode="#7f7f7f",
    episode_alpha=0.13,
    band=_OI_VERMILLION,
    bar_text="#111111",
    marker=_OI_VERMILLION,
    scale_colours={"PHQ-9": _OI_BLUE, "GAD-7": _OI_VERMILLION, "QIDS-SR16": _OI_GREEN, "MADRS": _OI_PURPLE, "HAMD-17": _OI_ORANGE},
    daily_colours={"mood": _OI_SKY, "anxiety": _OI_VERMILLION, "sleep_quality": _OI_GREEN, "energy": _OI_ORANGE, "pain": "#000000"},
    session_colours={"esketamine": _OI_PURPLE, "ketamine_iv": _OI_ORANGE, "ect": _OI_GREEN, "rtms": _OI_BLUE, "other": "#000000"},
    bar_colours={"antidepressant": _OI_SKY, "augmentation": _OI_ORANGE},
)
_DARK = _Theme(
    figure_bg="#1b1b1d",
    axes_bg="#242427",
    text="#ececec",
    muted="#bdbdbd",
    grid="#3c3c41",
    episode="#d0d0d0",
    episode_alpha=0.09,
    band=_OI_VERMILLION,
    bar_text="#111111",
    marker=_OI_ORANGE,
    scale_colours={"PHQ-9": _OI_SKY, "GAD-7": _OI_VERMILLION, "QIDS-SR16": _OI_GREEN, "MADRS": _OI_PURPLE, "HAMD-17": _OI_ORANGE},
    daily_colours={"mood": _OI_YELLOW, "anxiety": _OI_VERMILLION, "sleep_quality": _OI_GREEN, "energy": _OI_ORANGE, "pain": "#ffffff"},
    session_colours={"esketamine": _OI_PURPLE, "ketamine_iv": _OI_ORANGE, "ect": _OI_GREEN, "rtms": _OI_SKY, "other": _OI_YELLOW},
    bar_colours={"antidepressant": _OI_SKY, "augmentation": _OI_ORANGE},
    band_alpha=0.03,
    band_alpha_step=0.08,
)


class _TimelineLayout(LayoutEngine):
    """Keeps fixed margins in inches (measured once, at build) and stretches the two panels between them.

    Constrained layout measures every tick label and legend entry on every draw, which costs
    more than drawing the data; zooming and panning never change the margins, and a resize
    only needs the panels stretched.
    """

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(
        self,
        score_ax: Axes,
        trial_ax: Axes,
        daily_ax: Axes | None,
        ratios: tuple[float, float],
        margins: tuple[float, float, float, float, float],
        legend: _LegendSlot | None = None,
    ) -> None:
        super().__init__()
        self.legend = legend
        self.score_ax = score_ax
        self.trial_ax = trial_ax
        self.daily_ax = daily_ax
        self.ratios = ratios
        self.margins = margins  # left, right, top, bottom (without the legend), gap between the panels (inches)

    def execute(self, fig) -> None:
        left, right, top, bottom, gap = self.margins
        width, height = fig.get_size_inches()
        if self.legend is not None:
            self.legend.fit(width)  # a narrower window wraps the legend onto more rows
            bottom += self.legend.height_pt() / 72.0
        panel_w = max(0.2, width - left - right)
        panels_h = max(0.4, height - top - bottom - gap)
        score_h = panels_h * self.ratios[0] / (self.ratios[0] + self.ratios[1])
        trial_h = panels_h - score_h
        x0 = min(left, max(0.0, width - panel_w)) / width
        w = panel_w / width
        bottom = min(bottom, max(0.0, height - panels_h - gap))
        score_rect = (x0, (bottom + trial_h + gap) / height, w, score_h / height)
        self.score_ax.set_position(score_rect)
        if self.daily_ax is not None:
            self.daily_ax.set_position(score_rect)
        self.trial_ax.set_position((x0, bottom / height, w, trial_h / height))


_TEXT_PATH = TextToPath()


@lru_cache(maxsize=1024)
def _text_pt(text: str, size_pt: float) -> tuple[float, float]:
    """Width and height (with descent) of one line of text in points, without needing a renderer."""
    if not text:
        return 0.0, 0.0
    w, h, _ = _TEXT_PATH.get_text_width_height_descent(text, FontProperties(size=size_pt), ismath=False)
    return float(w), float(h)


# Pixels of the parts of the chart that look the same from one draw to the next, and mostly from
# one build to the next (the legend, the y axes' numbers and lane names): a zoom, a pan, or a
# rebuild after a change pastes them instead of drawing their text again. Each is keyed by
# everything that decides how it looks, so a different look is never pasted. In memory only;
# forget_saved_pixels() drops them (the window does when the journal locks).
_SAVED_PIXELS: OrderedDict = OrderedDict()
_SAVED_PIXELS_MAX = 8


def forget_saved_pixels() -> None:
    """Drop every saved piece of a drawn chart (they show drug names)."""
    _SAVED_PIXELS.clear()


def _saved_pixels(key: tuple):
    region = _SAVED_PIXELS.get(key)
    if region is not None:
        _SAVED_PIXELS.move_to_end(key)
    return region


def _save_pixels(key: tuple, region) -> None:
    _SAVED_PIXELS[key] = region
    _SAVED_PIXELS.move_to_end(key)
    while len(_SAVED_PIXELS) > _SAVED_PIXELS_MAX:
        _SAVED_PIXELS.popitem(last=False)


def _keeps_pixels(figure: Figure, renderer) -> bool:
    """Only a real on-screen Agg draw is kept and reused: saving a file, or a measuring pass with
    drawing switched off (its draw_* are then plain functions, not methods), always draws afresh."""
    return (
        hasattr(renderer, "copy_from_bbox")
        and inspect.ismethod(getattr(renderer, "draw_text", None))
        and not figure.canvas.is_saving()
    )


def _canvas_key(figure: Figure, renderer) -> tuple:
    return (getattr(renderer, "width", None), getattr(renderer, "height", None), renderer.dpi, to_rgba(figure.get_facecolor()))


def _handle_look(handle) -> tuple:
    """What a legend entry's symbol looks like (its colours, line, marker, hatch), as plain values."""
    if isinstance(handle, Line2D):
        return (
            "line", to_rgba(handle.get_color()), handle.get_linestyle(), handle.get_linewidth(), str(handle.get_marker()),
            handle.get_markersize(), str(handle.get_markerfacecolor()), str(handle.get_markeredgecolor()), handle.get_alpha(),
        )
    if isinstance(handle, Patch):
        return ("patch", handle.get_facecolor(), handle.get_edgecolor(), handle.get_hatch(), handle.get_alpha(), handle.get_linewidth())
    return (type(handle).__name__, repr(handle))


class _LegendSlot(Artist):
    """The figure legend under both panels: as many columns as the figure's width holds, redrawn cheaply.

    The legend never changes when the view is zoomed or panned, and rarely when the chart is
    rebuilt, yet laying out and rasterising its entries is a quarter of a redraw; once drawn by
    Agg its pixels are pasted back (see _SAVED_PIXELS) while its entries, their look, the text
    and the figure's size stay the same. It sits outside both panels on the plain figure
    background, so the saved pixels hold nothing that moves. Other renderers (PDF, SVG) always
    draw it for real.
    """

    def __init__(self, figure: Figure, handles: list, fontsize: float, colour: str) -> None:
        super().__init__()
        self.set_figure(figure)
        self.set_zorder(5)
        self.handles = handles
        self.labels = [h.get_label() for h in handles]
        self.fontsize = fontsize
        self.colour = colour
        # Each label's width plus the handle, the gap after it and the gap to the next column (legend
        # defaults, in font sizes): the columns are as wide as their own longest label, not all as the longest.
        self.entry_pt = [_text_pt(label, fontsize)[0] + (2.0 + 0.8 + 2.0) * fontsize for label in self.labels]
        self.legend: Legend | None = None
        self.rows = 0
        self._ncols: int | None = None
        self._look = (tuple(self.labels), fontsize, colour, tuple(_handle_look(h) for h in handles))
        self.fit(figure.get_figwidth())

    def fit(self, width_in: float) -> None:
        """Lay the entries out for a figure `width_in` inches wide (a new legend only when the columns change)."""
        room = width_in * 72.0 * 0.96 - 0.8 * self.fontsize
        ncols = 1
        for tried in range(len(self.handles), 1, -1):  # the most columns that fit: the fewest rows under the chart
            if self._width_pt(tried) <= room:
                ncols = tried
                break
        if ncols == self._ncols:
            return
        self._ncols = ncols
        self.rows = -(-len(self.handles) // ncols)
        self.legend = Legend(
            self.figure,
            self.handles,
            self.labels,
            loc="lower center",
            bbox_transform=self.figure.transSubfigure,
            ncols=ncols,
            fontsize=self.fontsize,
            frameon=False,
            labelcolor=self.colour,
        )

    def _width_pt(self, ncols: int) -> float:
        """The legend's width in `ncols` columns, split into runs as matplotlib's Legend splits them (numpy.array_split)."""
        count = len(self.entry_pt)
        size, extra = divmod(count, ncols)
        width, start = 0.0, 0
        for column in range(ncols):
            end = start + size + (1 if column < extra else 0)
            if end > start:
                width += max(self.entry_pt[start:end])
            start = end
        return width

    def height_pt(self) -> float:
        text_h = _text_pt("Ag", self.fontsize)[1]
        # Border pad above and below plus the pad to the figure's edge, then the rows and the gaps between them.
        return (2 * 0.4 + 0.5) * self.fontsize + self.rows * text_h + max(0, self.rows - 1) * 0.5 * self.fontsize

    def get_window_extent(self, renderer=None):
        if self.legend is None:
            return super().get_window_extent(renderer)
        return self.legend.get_window_extent(renderer)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.legend is None:
            return
        usable = _keeps_pixels(self.figure, renderer)
        key = ("legend", _canvas_key(self.figure, renderer), self._look, self._ncols)
        saved = _saved_pixels(key) if usable else None
        if saved is not None:
            renderer.restore_region(saved)
        else:
            self.legend.draw(renderer)
            if usable:
                box = self.legend.get_window_extent(renderer).padded(2)
                _save_pixels(key, renderer.copy_from_bbox(box))
        self.stale = False


class _StillYAxes(Artist):
    """The panels' y axes (score numbers, lane names, the axis label): pasted from saved pixels while they look the same.

    Zooming and panning never move a y axis, yet drawing their text is a third of a redraw. The
    panels' y axes are marked animated, so the panels leave them out of an on-screen draw, and
    this figure artist draws them first of all, on the bare background, into the margin left of
    the panels: for real when a limit, tick, name, text size, colour, size or dpi changed, keeping
    the margin's pixels after each axis (see _SAVED_PIXELS); pasted back otherwise. (The score
    axis never changes on zoom; the lane names do when other rows come into view, and then only
    they are drawn again.) Everything else that reaches into the margin (dates, the marker's
    label, the legend) is drawn after it, as before. Saving a file always draws the real axes
    where they belong (matplotlib draws animated artists when saving), and this artist then
    draws nothing.
    """

    def __init__(self, figure: Figure, axes: Sequence[Axes]) -> None:
        super().__init__()
        self.set_figure(figure)
        self.axes_list = list(axes)
        for ax in self.axes_list:
            ax.yaxis.set_animated(True)
        self.set_zorder(-1)  # before the panels (zorder 0): only the figure's background is drawn yet
        self.set_in_layout(False)

    @staticmethod
    def _axis_look(ax: Axes) -> tuple:
        """Everything that decides how a y axis looks, as plain values."""
        axis = ax.yaxis
        locs = [float(x) for x in axis.get_major_locator()()]
        names = tuple(axis.get_major_formatter().format_ticks(locs)) if locs else ()
        label = axis.label
        return (
            ax.get_ylim(), ax.bbox.bounds, tuple(locs), names, repr(sorted(axis.get_tick_params(which="major").items())),
            label.get_text(), label.get_fontsize(), to_rgba(label.get_color()), label.get_rotation(),
            tuple(label.get_transform().transform((0.0, 0.0))), axis.get_visible(),
        )

    def _margin(self) -> Bbox:
        # Agg clips each panel's contents at its left edge rounded to a pixel: the margin ends there
        right = round(min(ax.bbox.x0 for ax in self.axes_list))
        return Bbox.from_extents(0, 0, max(right, 0), round(self.figure.bbox.height))

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.figure.canvas.is_saving():
            return
        usable = _keeps_pixels(self.figure, renderer)
        margin = self._margin()
        keys = []
        if usable:
            key: tuple = ("y axes", _canvas_key(self.figure, renderer), margin.bounds)
            for ax in self.axes_list:
                ax.apply_aspect()
                key = (key, self._axis_look(ax))  # an axis's pixels also hold those drawn before it
                keys.append(key)
        first = 0
        for i in reversed(range(len(keys))):
            saved = _saved_pixels(keys[i])
            if saved is not None:
                renderer.restore_region(saved)
                first = i + 1
                break
        for i in range(first, len(self.axes_list)):
            ax = self.axes_list[i]
            ax.apply_aspect()  # as the panel's own draw would, before its axis is drawn
            ax.yaxis.draw(renderer)
            if usable and margin.width > 0:
                _save_pixels(keys[i], renderer.copy_from_bbox(margin))
        self.stale = False


# --------------------------------------------------------------------------- options and model


@dataclass(frozen=True)
class TimelineOptions:
    """What the timeline shows: PHQ-9 always, plus the scales and daily fields switched on."""

    scales: tuple[str, ...] = ()
    daily: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    dark: bool = False
    font_scale: float = 1.0
    as_of: date | None = None  # where ongoing trials stop; None = the assessment's as-of date, else today

    def __post_init__(self) -> None:
        scales = (self.scales,) if isinstance(self.scales, str) else tuple(self.scales)
        daily = (self.daily,) if isinstance(self.daily, str) else tuple(self.daily)
        for name in scales:
            if name not in ALL_SCALES:
                raise ValueError(f"The chart cannot show the scale {name!r}: choose from {', '.join(ALL_SCALES)}.")
        for name in daily:
            if name not in DAILY_FIELDS:
                raise ValueError(f"The chart cannot show the daily field {name!r}: choose from {', '.join(DAILY_FIELDS)}.")
        if isinstance(self.font_scale, bool) or not isinstance(self.font_scale, (int, float)):
            raise ValueError(f"The text size must be a number such as 1.0 or 1.5, not {self.font_scale!r}.")
        if not math.isfinite(self.font_scale) or not 0.5 <= self.font_scale <= 4.0:
            raise ValueError(f"The text size must be between 0.5 and 4 times normal, not {self.font_scale!r}.")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(
                f"The chart's range starts on {format_day(self.start)}, after it ends on {format_day(self.end)}."
            )
        # Keep the order of ALL_SCALES / DAILY_FIELDS so the legend reads the same whatever was clicked first.
        object.__setattr__(self, "scales", tuple(s for s in EXTRA_SCALES if s in scales))
        object.__setattr__(self, "daily", tuple(f for f in DAILY_FIELDS if f in daily))

    @property
    def shown_scales(self) -> tuple[str, ...]:
        return ("PHQ-9", *self.scales)

    def with_scale(self, name: str, shown: bool) -> TimelineOptions:
        """These options with one extra scale switched on or off (PHQ-9 stays on)."""
        rest = tuple(s for s in self.scales if s != name)
        return replace(self, scales=rest + ((name,) if shown else ()))

    def with_daily(self, name: str, shown: bool) -> TimelineOptions:
        """These options with one daily field switched on or off."""
        rest = tuple(f for f in self.daily if f != name)
        return replace(self, daily=rest + ((name,) if shown else ()))


@dataclass(frozen=True)
class Band:
    """One shaded PHQ-9 severity band: totals low..high, drawn from y0 to y1 (half a point beyond)."""

    low: int
    high: int
    label: str
    y0: float
    y1: float


@dataclass(frozen=True)
class DoseSegment:
    """One dose step as drawn: from `start` to `end` (both days included) at `mg` a day."""

    start: date
    end: date
    mg: float
    label: str


@dataclass(frozen=True)
class TrialLane:
    """One trial's row: its dose bar, the adequate-dose span(s) and what the end of the bar says."""

    trial_id: str
    label: str
    drug: str
    row: int
    start: date
    end: date  # last day drawn: the trial's end, or the as-of date while it is ongoing
    ongoing: bool
    augmentation: bool
    segments: tuple[DoseSegment, ...]
    adequate_spans: tuple[tuple[date, date], ...] = ()
    adequacy_date: date | None = None
    min_adequate_mg: float | None = None
    min_source: str | None = None
    stop_reason: str | None = None
    end_text: str = ""


@dataclass(frozen=True)
class SessionMarker:
    """One session as drawn on its treatment's row."""

    session_id: str
    when: datetime
    treatment: str
    row: int
    text: str


@dataclass(frozen=True)
class SessionLane:
    """The row holding every session of one treatment (esketamine, IV ketamine, ECT, rTMS, other)."""

    treatment: str
    label: str
    row: int
    start: date
    end: date


@dataclass(frozen=True)
class EpisodeSpan:
    """A depressive episode as a light span across both panels; an open episode runs to the as-of date."""

    episode_id: str
    start: date
    end: date
    ongoing: bool
    label: str


@dataclass(frozen=True)
class ThresholdMarker:
    """The vertical line at the assessment's threshold date."""

    date: date
    label: str
    text: str


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
    marker_text: Text | None = None
    empty_text: Text | None = None
    rows_hint: Text | None = None
    ongoing_arrows: Line2D | None = None
    legend_slot: _LegendSlot | None = None

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
    _theme: _Theme = field(default=_LIGHT, repr=False)
    _hover_points: list = field(default_factory=list, repr=False)
    _row_count: int = 0
    _row_labels: list[str] = field(default_factory=list, repr=False)
    _ticks_shown: tuple | None = field(default=None, repr=False)

    @property
    def xlim(self) -> tuple[float, float]:
        lo, hi = self.trial_ax.get_xlim()
        return float(lo), float(hi)

    def hover_text(self, x: date | datetime | float, y: float, axes: Axes | None) -> str:
        """Plain words for what lies under the pointer at (x, y) in `axes` data coordinates; "" for nothing."""
        if axes is None or x is None or y is None:
            return ""
        xnum = _num(x)
        if not (math.isfinite(xnum) and math.isfinite(float(y))):
            return ""
        radius = _hover_radius(self)
        px, py = axes.transData.transform((xnum, float(y)))
        hits: list[tuple[float, str]] = []
        if axes is self.trial_ax:
            hits.extend(_trial_hits(self, xnum, float(y), px, radius))
        elif axes is self.score_ax or (self.daily_ax is not None and axes is self.daily_ax):
            hits.extend(_point_hits(self, px, py, radius))
        else:
            return ""
        if self.marker is not None:
            mx = axes.transData.transform((_num(self.marker.date), 0.0))[0]
            if abs(mx - px) <= radius:
                hits.append((abs(mx - px) + 0.5, f"{MARKER_LABEL} on {format_day(self.marker.date)}"))
        hits.sort(key=lambda h: h[0])
        lines = list(dict.fromkeys(text for _, text in hits))[:6]
        if not lines:
            day = _day_of(xnum)
            for ep in self.episodes:
                if ep.start <= day <= ep.end:
                    lines.append(_episode_hover(ep))
        return "\n".join(lines)


# --------------------------------------------------------------------------- small helpers


def format_day(d: date) -> str:
    """A date as people write it: 8 Jan 2025 (fixed English month names, whatever the locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _mg_text(mg: float) -> str:
    if float(mg).is_integer():
        return f"{int(mg)} mg"
    return f"{float(mg):.3f}".rstrip("0").rstrip(".") + " mg"


def _ord_offset() -> float:
    # date2num of a day is its ordinal plus a constant (which depends on matplotlib's epoch setting);
    # plain integer arithmetic is much faster than date2num over thousands of dates.
    ref = date(2000, 1, 1)
    return float(mdates.date2num(ref)) - ref.toordinal()


def _num(x: date | datetime | float) -> float:
    if isinstance(x, datetime):
        return float(mdates.date2num(x.replace(tzinfo=None)))
    if isinstance(x, date):
        return x.toordinal() + _ord_offset()
    return float(x)


def _day_of(xnum: float) -> date:
    return date.fromordinal(int(math.floor(xnum - _ord_offset())))


def _clip_text(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "\u2026"


def _fs(options: TimelineOptions, points: float) -> float:
    return points * options.font_scale


def _hover_radius(timeline: Timeline) -> float:
    return max(6.0, 5.0 * timeline.options.font_scale) * timeline.figure.dpi / 72.0


def _episode_hover(ep: EpisodeSpan) -> str:
    until = "ongoing" if ep.ongoing else f"to {format_day(ep.end)}"
    return f"{ep.label} from {format_day(ep.start)} {until}"


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # 31 May minus 3 months is the last day of February, not an error.
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    return date(year, month, 28)


def rolling_mean_7(points: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    """Trailing 7-day mean for each day that has a value: the mean of every value dated that day or the 6 before.

    Days without a value are simply absent (a gap is not a zero), as with pandas' rolling("7D").mean().
    """
    if not points:
        return []
    ords = np.fromiter((d.toordinal() for d, _ in points), dtype=np.int64, count=len(points))
    vals = np.fromiter((float(v) for _, v in points), dtype=float, count=len(points))
    order = np.argsort(ords, kind="stable")
    ords, vals = ords[order], vals[order]
    sums = np.concatenate(([0.0], np.cumsum(vals)))
    days = np.unique(ords)
    left = np.searchsorted(ords, days - 6, side="left")
    right = np.searchsorted(ords, days, side="right")
    means = (sums[right] - sums[left]) / (right - left)
    return [(date.fromordinal(int(d)), float(m)) for d, m in zip(days, means)]


def _record_days(contents: JournalContents) -> list[date]:
    days: list[date] = []
    for t in contents.trials:
        for step in t.doses:
            days.append(step.start)
        if t.end is not None:
            days.append(t.end)
    for e in contents.episodes:
        days.append(e.start)
        if e.end is not None:
            days.append(e.end)
    days.extend(s.date for s in contents.scores)
    days.extend(c.date for c in contents.checkins)
    days.extend(s.date for s in contents.sessions)
    return days


def range_for_preset(contents: JournalContents, preset: str, today: date) -> tuple[date, date]:
    """The (start, end) days of a zoom preset: "3 months" or "1 year" up to today, or "all" the journal holds."""
    key = preset.strip().lower() if isinstance(preset, str) else preset
    if key not in PRESETS:
        raise ValueError(f"Unknown zoom {preset!r}: choose {', '.join(PRESETS[:-1])} or {PRESETS[-1]}.")
    if key == "3 months":
        return _months_before(today, 3), today
    if key == "1 year":
        return _months_before(today, 12), today
    days = _record_days(contents)
    if not days:
        return _months_before(today, 3), today
    return min(days), max(max(days), today)


# --------------------------------------------------------------------------- building


def _scales_module():
    # The scale definitions (bands, ranges, severity words) live in journal.clinical.scales, read from
    # resources: the chart never carries its own copy of a clinical figure.
    from journal.clinical import scales

    return scales


def _severity(scale: str, total: float) -> str:
    try:
        return str(_scales_module().severity_label(scale, int(total)))
    except (ValueError, LookupError):  # an unknown scale or a total outside its range: show the number alone
        return ""


def _segments(trial: Trial, as_of: date) -> list[DoseSegment]:
    steps = sorted(trial.doses, key=lambda s: s.start)
    if not steps:
        return []
    last_day = trial.end if trial.end is not None else max(as_of, steps[-1].start)
    out: list[DoseSegment] = []
    for i, step in enumerate(steps):
        seg_end = steps[i + 1].start - timedelta(days=1) if i + 1 < len(steps) else last_day
        seg_end = min(seg_end, last_day)
        if seg_end < step.start:
            continue  # a step the next one replaces on the same day, or one after the trial ended
        out.append(DoseSegment(step.start, seg_end, float(step.mg_per_day), _mg_text(step.mg_per_day)))
    return out


def _adequate_spans(
    segments: Sequence[DoseSegment], verdict: TrialVerdict, assessment: Assessment
) -> tuple[tuple[date, date], ...]:
    # Only days inside the verdict's episode count (trd-rules.md), so only they are marked.
    ep = assessment.episode
    lo = verdict.first_day or (ep.start if ep is not None else None)
    hi = verdict.last_day or ((ep.end or assessment.as_of) if ep is not None else assessment.as_of)
    hi = min(hi, assessment.as_of)
    minimum = verdict.min_adequate_mg
    runs: list[list[date]] = []
    if minimum is None:
        if verdict.adequate_from is None:
            return ()
        candidates = [(verdict.adequate_from, hi)]
    else:
        candidates = [(s.start, s.end) for s in segments if s.mg >= minimum]
    for s, e in candidates:
        if lo is not None:
            s = max(s, lo)
        e = min(e, hi)
        if e < s:
            continue
        if runs and runs[-1][1] + timedelta(days=1) >= s:
            runs[-1][1] = max(runs[-1][1], e)
        else:
            runs.append([s, e])
    return tuple((s, e) for s, e in runs)


def _end_text(trial: Trial) -> str:
    if trial.end is None:
        return "ongoing"
    if trial.stop_reason:
        return f"stopped: {_STOP_WORDS.get(trial.stop_reason, trial.stop_reason.replace('_', ' '))}"
    return "stopped"


def _session_text(s: Session) -> str:
    words = _SESSION_WORDS.get(s.treatment, s.treatment)
    dose = f" {_mg_text(s.dose_mg)}" if s.dose_mg is not None else ""
    number = f" {s.number_in_course}" if s.number_in_course is not None else ""
    return f"{words}{dose} session{number}, {format_day(s.date)}"


def _style_axes(ax: Axes, theme: _Theme, options: TimelineOptions) -> None:
    ax.set_facecolor(theme.axes_bg)
    for spine in ax.spines.values():
        spine.set_color(theme.muted)
    ax.tick_params(colors=theme.text, labelsize=_fs(options, 9), which="both")
    ax.yaxis.label.set_color(theme.text)
    ax.xaxis.label.set_color(theme.text)
    ax.yaxis.label.set_fontsize(_fs(options, 10))


def build_timeline(
    contents: JournalContents,
    assessment: Assessment | None,
    options: TimelineOptions | None = None,
    figure: Figure | None = None,
) -> Timeline:
    """Draw the whole timeline onto `figure` (cleared first; a new one when None) and return what was drawn."""
    options = options or TimelineOptions()
    theme = _DARK if options.dark else _LIGHT
    as_of = options.as_of or (assessment.as_of if assessment is not None else None) or date.today()
    scales = _scales_module()
    offset = _ord_offset()

    if figure is None:
        figure = Figure(figsize=(10, 6.5), dpi=100)
    figure.clear()
    figure.set_facecolor(theme.figure_bg)
    # The lane panel grows with the number of rows, up to the height of the score panel.
    n_rows = len({t.id for t in contents.trials if t.doses}) + len({s.treatment for s in contents.sessions})
    ratios = (3.0, min(3.0, max(1.4, 0.45 * n_rows)))
    grid = figure.add_gridspec(2, 1, height_ratios=ratios)
    score_ax = figure.add_subplot(grid[0])
    # Not shared with sharex: matplotlib then measures both panels' date labels on every draw.
    # _apply_xlim keeps the two in step instead.
    trial_ax = figure.add_subplot(grid[1])
    for ax in (score_ax, trial_ax):
        _style_axes(ax, theme, options)
        ax.grid(True, axis="x", color=theme.grid, linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
    score_ax.tick_params(labelbottom=False)
    # Same locator settings on both panels, so their grid lines meet; only the lower one is labelled.
    score_ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    score_ax.xaxis.set_major_formatter(NullFormatter())
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    trial_ax.xaxis.set_major_locator(locator)
    trial_ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

    artists = TimelineArtists()
    legend_handles: list = []
    hover_points: list = []

    # --- scale scores -------------------------------------------------------------------
    series: dict[str, list[tuple[date, int]]] = {}
    by_scale: dict[str, list] = {name: [] for name in options.shown_scales}
    for s in contents.scores:
        if s.scale in by_scale:
            by_scale[s.scale].append(s)
    top = float(scales.get_scale("PHQ-9").max_total)
    for name in options.shown_scales:
        scores = sorted(by_scale[name], key=lambda s: (s.date, s.id))
        series[name] = [(s.date, int(s.total)) for s in scores]
        xs = np.array([s.date.toordinal() + offset for s in scores], dtype=float)
        ys = np.array([float(s.total) for s in scores], dtype=float)
        marker, style, width = _SCALE_STYLE[name]
        (line,) = score_ax.plot(
            xs,
            ys,
            marker=marker,
            linestyle=style,
            linewidth=width,
            markersize=_fs(options, 5),
            color=theme.scale_colours[name],
            label=name,
            zorder=4 if name == "PHQ-9" else 3,
        )
        artists.score_lines[name] = line
        legend_handles.append(line)
        if scores:
            top = max(top, float(scales.get_scale(name).max_total))
            texts = [
                f"{name} {s.total}" + (f" ({lab})" if (lab := _severity(name, s.total)) else "") + f" on {format_day(s.date)}"
                for s in scores
            ]
            hover_points.append((score_ax, xs, ys, texts))
    score_ax.set_ylim(-0.6, top + 0.6)
    score_ax.set_ylabel("score (total)")

    # PHQ-9 severity bands, half a point beyond each end so every whole score sits inside its band.
    bands: list[Band] = []
    phq = scales.get_scale("PHQ-9")
    band_list = list(phq.bands)
    for i, (low, high, label) in enumerate(band_list):
        y0 = float(low) - 0.5 if i else -0.6
        y1 = float(high) + 0.5 if i < len(band_list) - 1 else float(high) + 0.6
        bands.append(Band(int(low), int(high), str(label), y0, y1))
        alpha = theme.band_alpha + theme.band_alpha_step * i
        patch = score_ax.axhspan(y0, y1, facecolor=theme.band, alpha=alpha, linewidth=0, zorder=0.5)
        artists.band_patches.append(patch)
        text = score_ax.text(
            0.995,
            (low + high) / 2.0,
            f"PHQ-9 {label}" if i == len(band_list) - 1 else str(label),
            transform=score_ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=_fs(options, 7.5),
            color=theme.muted,
            zorder=1,
            clip_on=True,
            in_layout=False,
        )
        artists.band_texts.append(text)

    # --- daily check-ins on their own 0-10 axis -----------------------------------------
    daily_points: dict[str, list[tuple[date, int]]] = {}
    daily_mean7: dict[str, list[tuple[date, float]]] = {}
    daily_ax: Axes | None = None
    if options.daily:
        daily_ax = score_ax.twinx()
        _style_axes(daily_ax, theme, options)
        # The daily cloud sits behind the scale lines: the scales are what the assessment reads.
        daily_ax.set_zorder(score_ax.get_zorder() - 1)
        daily_ax.patch.set_visible(True)
        daily_ax.patch.set_facecolor(theme.axes_bg)
        score_ax.patch.set_visible(False)
        daily_ax.set_ylim(-0.3, 10.3)
        daily_ax.set_ylabel("daily check-in (0-10)")
        checkins: list[DailyCheckIn] = sorted(contents.checkins, key=lambda c: (c.date, c.id))
        for name in options.daily:
            points = [(c.date, int(v)) for c in checkins if (v := getattr(c, name)) is not None]
            means = rolling_mean_7(points)
            daily_points[name] = points
            daily_mean7[name] = means
            colour = theme.daily_colours[name]
            words = _DAILY_WORDS[name]
            xs = np.array([d.toordinal() + offset for d, _ in points], dtype=float)
            ys = np.array([v for _, v in points], dtype=float)
            (dots,) = daily_ax.plot(
                xs, ys, linestyle="none", marker=".", markersize=_fs(options, 4), alpha=0.35, color=colour, zorder=2
            )
            artists.daily_point_lines[name] = dots
            mx, my = _broken_mean_line(means, offset)
            (mean_line,) = daily_ax.plot(
                mx, my, linestyle=_DAILY_STYLE[name], linewidth=1.5, color=colour, label=f"{words} (7-day mean)", zorder=2.5
            )
            artists.daily_mean_lines[name] = mean_line
            legend_handles.append(mean_line)
            if points:
                mean_at = dict(means)
                texts = [f"{words} {v}/10 on {format_day(d)} (7-day mean {mean_at[d]:.1f})" for d, v in points]
                hover_points.append((daily_ax, xs, ys, texts))

    # --- episodes across both panels ----------------------------------------------------
    episodes: list[EpisodeSpan] = []
    for e in sorted(contents.episodes, key=lambda e: (e.start, e.id)):
        end = e.end if e.end is not None else max(as_of, e.start)
        severity = _SEVERITY_WORDS.get(e.severity or "", (e.severity or "").replace("_", " "))
        label = f"episode ({severity})" if severity else "episode"
        episodes.append(EpisodeSpan(e.id, e.start, end, e.end is None, label))
    if episodes:
        verts = [
            [(x0, 0.0), (x1, 0.0), (x1, 1.0), (x0, 1.0)]
            for ep in episodes
            for x0, x1 in [(ep.start.toordinal() + offset, ep.end.toordinal() + offset + 1)]
        ]
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
            artists.episode_collections.append(coll)
        for ep in episodes:
            artists.episode_texts.append(
                score_ax.text(
                    ep.start.toordinal() + offset,
                    0.985,
                    " " + ep.label,
                    transform=score_ax.get_xaxis_transform(),
                    ha="left",
                    va="top",
                    fontsize=_fs(options, 8),
                    color=theme.muted,
                    zorder=5,
                    clip_on=True,
                    in_layout=False,
                )
            )
        legend_handles.append(Patch(facecolor=theme.episode, alpha=min(1.0, theme.episode_alpha * 2.5), label="episode"))

    # --- trial lanes and session rows ---------------------------------------------------
    verdicts = {v.id: v for v in assessment.trials} if assessment is not None else {}
    rows: list[tuple[tuple, str, object]] = []
    trial_parts: dict[str, list[DoseSegment]] = {}
    for t in contents.trials:
        segs = _segments(t, as_of)
        if segs:
            trial_parts[t.id] = segs
            rows.append(((segs[0].start, 0, t.id), "trial", t))
    by_treatment: dict[str, list[Session]] = {}
    for s in contents.sessions:
        by_treatment.setdefault(s.treatment, []).append(s)
    order = {k: i for i, k in enumerate(SESSION_MARKERS)}
    for treatment, group in by_treatment.items():
        group.sort(key=lambda s: (s.datetime, s.id))
        rows.append(((group[0].date, 1, str(order.get(treatment, 99)) + treatment), "sessions", treatment))
    rows.sort(key=lambda r: r[0])  # chronological: the earliest trial on top, the latest at the bottom

    lanes: list[TrialLane] = []
    session_lanes: list[SessionLane] = []
    session_markers: list[SessionMarker] = []
    tick_labels: list[str] = []
    for row, (_, kind, item) in enumerate(rows):
        if kind == "trial":
            t: Trial = item  # type: ignore[assignment]
            segs = trial_parts[t.id]
            verdict = verdicts.get(t.id)
            spans = _adequate_spans(segs, verdict, assessment) if verdict is not None and assessment else ()
            augmentation = t.augmentation or bool(verdict and verdict.augmentation)
            label = t.drug.strip() + (" (add-on)" if augmentation else "")
            lanes.append(
                TrialLane(
                    trial_id=t.id,
                    label=label,
                    drug=t.drug.strip(),
                    row=row,
                    start=segs[0].start,
                    end=segs[-1].end,
                    ongoing=t.end is None,
                    augmentation=augmentation,
                    segments=tuple(segs),
                    adequate_spans=spans,
                    adequacy_date=verdict.adequacy_date if verdict is not None else None,
                    min_adequate_mg=verdict.min_adequate_mg if verdict is not None else None,
                    min_source=verdict.min_source if verdict is not None else None,
                    stop_reason=t.stop_reason,
                    end_text=_end_text(t),
                )
            )
            tick_labels.append(_clip_text(t.drug.strip()) + (" (add-on)" if augmentation else ""))
        else:
            treatment: str = item  # type: ignore[assignment]
            group = by_treatment[treatment]
            words = _SESSION_WORDS.get(treatment, treatment)
            session_lanes.append(SessionLane(treatment, f"{words} sessions", row, group[0].date, group[-1].date))
            for s in group:
                session_markers.append(SessionMarker(s.id, s.datetime, treatment, row, _session_text(s)))
            tick_labels.append(f"{words} sessions")

    _draw_lanes(trial_ax, lanes, theme, options, artists, legend_handles, offset, assessment)
    _draw_sessions(trial_ax, session_lanes, session_markers, theme, options, artists, legend_handles, hover_points)
    trial_ax.tick_params(axis="y", length=0)
    trial_ax.set_yticks([])
    artists.rows_hint = trial_ax.text(
        0.005, 0.98, "", transform=trial_ax.transAxes, ha="left", va="top",
        color=theme.muted, fontsize=_fs(options, 8), zorder=7, in_layout=False,
    )
    if not rows:
        artists.empty_text = trial_ax.text(
            0.5, 0.5, "No trials or sessions recorded yet", transform=trial_ax.transAxes,
            ha="center", va="center", color=theme.muted, fontsize=_fs(options, 9), in_layout=False,
        )

    # --- the threshold marker across both panels ----------------------------------------
    marker: ThresholdMarker | None = None
    if assessment is not None and assessment.threshold_met and assessment.threshold_date is not None:
        when = assessment.threshold_date
        marker = ThresholdMarker(when, MARKER_LABEL, f"{MARKER_LABEL}\n{format_day(when)}")
        x = when.toordinal() + offset
        for ax in (score_ax, trial_ax):
            artists.marker_lines.append(
                # Drawn in the text colour: no series uses it, so the line cannot be mistaken for data.
                ax.axvline(x, color=theme.text, linestyle=(0, (6, 2)), linewidth=2.0, zorder=6, label=MARKER_LABEL)
            )
        # Level text on a plate at the top of the score panel, on the side of the line with more room,
        # so it never sits on the line or on the score it marks.
        known = [d for d in (
            *(s.date for s in contents.scores), *(st.start for t in contents.trials for st in t.doses),
        )]
        left_room = (when - min(known)).days if known else 0
        right_room = (max(known) - when).days if known else 1
        on_right = right_room >= left_room
        artists.marker_text = score_ax.annotate(
            marker.text,
            xy=(x, 0.97),
            xycoords=score_ax.get_xaxis_transform(),
            xytext=(6 if on_right else -6, 0),
            textcoords="offset points",
            ha="left" if on_right else "right",
            va="top",
            multialignment="left",
            fontsize=_fs(options, 9),
            fontweight="bold",
            color=theme.text,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": theme.axes_bg, "edgecolor": theme.text, "linewidth": 0.8, "alpha": 0.92},
            zorder=8,
            annotation_clip=True,
            in_layout=False,
        )
        legend_handles.append(artists.marker_lines[0])

    if legend_handles:
        artists.legend_slot = _LegendSlot(figure, legend_handles, _fs(options, 8.5), theme.text)
        figure.add_artist(artists.legend_slot)

    # Margins measured once from the text they must hold; zoom and pan only move the limits.
    tick_pt, label_pt = _fs(options, 9), _fs(options, 10)
    widest = sorted(set(tick_labels), key=len, reverse=True)[:4] + ["00"]
    tick_w = max(_text_pt(label, tick_pt)[0] for label in widest)
    label_h = _text_pt("score (total)", label_pt)[1]
    line_h = _text_pt("Ag", tick_pt)[1]
    tick_room = 7.0  # tick length and pad, in points
    left = 6.0 + label_h + 4.0 + tick_w + tick_room
    if daily_ax is not None:
        right = 6.0 + tick_room + _text_pt("10", tick_pt)[0] + 4.0 + label_h
    else:
        right = 8.0 + _text_pt("2025", tick_pt)[0] / 2.0  # the last date label overhangs the panel
    bottom = 4.0 + tick_room + 2 * line_h + 6.0  # the dates and the year under them; the legend adds its own
    margins = (left / 72.0, right / 72.0, 8.0 / 72.0, bottom / 72.0, 6.0 / 72.0)
    layout = _TimelineLayout(score_ax, trial_ax, daily_ax, ratios, margins, artists.legend_slot)
    # Axis labels at fixed offsets beside the tick labels: left to matplotlib, every axis measures
    # all its tick labels and the panel's frame on each draw just to place its label.
    numbers_w = _text_pt("00", tick_pt)[0] + tick_room + 3.0
    score_ax.yaxis.set_label_coords(
        0.0, 0.5, transform=score_ax.transAxes + ScaledTranslation(-numbers_w / 72.0, 0.0, figure.dpi_scale_trans)
    )
    if daily_ax is not None:
        daily_ax.yaxis.set_label_coords(
            1.0, 0.5, transform=daily_ax.transAxes + ScaledTranslation(numbers_w / 72.0, 0.0, figure.dpi_scale_trans)
        )
    for axis in (score_ax.xaxis, trial_ax.xaxis, trial_ax.yaxis):
        axis.set_label_coords(0.5, 0.5)  # unlabelled; this only turns the measuring off
    figure.set_layout_engine(layout)
    layout.execute(figure)
    figure.add_artist(_StillYAxes(figure, (score_ax, trial_ax)))

    days = _record_days(contents)
    full_range = (min(days), max(max(days), as_of)) if days else (_months_before(as_of, 3), as_of)
    timeline = Timeline(
        figure=figure,
        score_ax=score_ax,
        trial_ax=trial_ax,
        daily_ax=daily_ax,
        options=options,
        as_of=as_of,
        series=series,
        daily_points=daily_points,
        daily_mean7=daily_mean7,
        lanes=lanes,
        session_lanes=session_lanes,
        sessions=session_markers,
        episodes=episodes,
        marker=marker,
        bands=bands,
        full_range=full_range,
        artists=artists,
        _theme=theme,
        _hover_points=hover_points,
        _row_count=len(rows),
        _row_labels=tick_labels,
    )
    set_range(timeline, options.start, options.end)
    return timeline


def _broken_mean_line(means: Sequence[tuple[date, float]], offset: float) -> tuple[np.ndarray, np.ndarray]:
    # A week with no check-in breaks the line rather than drawing a slope through days nobody rated.
    xs: list[float] = []
    ys: list[float] = []
    previous: date | None = None
    for d, m in means:
        if previous is not None and (d - previous).days > 6:
            xs.append(math.nan)
            ys.append(math.nan)
        xs.append(d.toordinal() + offset)
        ys.append(m)
        previous = d
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def _draw_lanes(
    ax: Axes,
    lanes: Sequence[TrialLane],
    theme: _Theme,
    options: TimelineOptions,
    artists: TimelineArtists,
    legend_handles: list,
    offset: float,
    assessment: Assessment | None,
) -> None:
    if not lanes:
        return
    bar_verts: list = []
    bar_colours: list[str] = []
    strip_verts: list = []
    adequacy_x: list[float] = []
    adequacy_y: list[float] = []
    kinds_seen: set[str] = set()
    for lane in lanes:
        r = float(lane.row)
        top_mg = max((s.mg for s in lane.segments), default=0.0)
        kind = "augmentation" if lane.augmentation else "antidepressant"
        kinds_seen.add(kind)
        for seg in lane.segments:
            x0 = seg.start.toordinal() + offset
            x1 = seg.end.toordinal() + offset + 1  # the last day is covered all day
            frac = seg.mg / top_mg if top_mg > 0 else 0.0
            h = _BAR_MIN_H + (_BAR_MAX_H - _BAR_MIN_H) * max(0.0, min(1.0, frac))
            y0, y1 = r + _BAR_BOTTOM - h, r + _BAR_BOTTOM
            bar_verts.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            bar_colours.append(theme.bar_colours[kind])
        for s, e in lane.adequate_spans:
            x0 = s.toordinal() + offset
            x1 = e.toordinal() + offset + 1
            strip_verts.append([(x0, r + _STRIP[0]), (x1, r + _STRIP[0]), (x1, r + _STRIP[1]), (x0, r + _STRIP[1])])
        if lane.adequacy_date is not None:
            adequacy_x.append(lane.adequacy_date.toordinal() + offset + 0.5)
            adequacy_y.append(r + (_STRIP[0] + _STRIP[1]) / 2.0)
    bars = PolyCollection(
        bar_verts, facecolors=bar_colours, edgecolors=theme.axes_bg, linewidths=1.0, zorder=2
    )
    ax.add_collection(bars, autolim=False)
    artists.dose_collection = bars
    ongoing = [lane for lane in lanes if lane.ongoing]
    if ongoing:
        # The arrow is drawn even at the panel's edge, where the word "ongoing" has no room.
        (arrows,) = ax.plot(
            [lane.end.toordinal() + offset + 1 for lane in ongoing],
            [lane.row + _BAR_BOTTOM - _BAR_MIN_H / 2 for lane in ongoing],
            linestyle="none",
            marker=">",
            markersize=_fs(options, 6),
            color=theme.text,
            zorder=5,
            clip_on=False,
        )
        artists.ongoing_arrows = arrows
    words = {"antidepressant": "antidepressant (taller = higher dose)", "augmentation": "augmentation (add-on)"}
    for kind in ("antidepressant", "augmentation"):
        if kind in kinds_seen:
            legend_handles.append(Patch(facecolor=theme.bar_colours[kind], edgecolor="none", label=words[kind]))
    if strip_verts:
        strip = PolyCollection(
            strip_verts, facecolors="none", edgecolors=theme.text, linewidths=0.9, hatch="////", zorder=3
        )
        ax.add_collection(strip, autolim=False)
        artists.adequate_collection = strip
        legend_handles.append(Patch(facecolor="none", edgecolor=theme.text, hatch="////", label="adequate dose"))
    if adequacy_x:
        weeks = assessment.settings.adequate_weeks if assessment is not None else None
        (tick,) = ax.plot(
            adequacy_x,
            adequacy_y,
            linestyle="none",
            marker="|",
            markersize=_fs(options, 12),
            markeredgewidth=2.5,
            color=theme.marker,
            zorder=5,
            label=f"{weeks} weeks at an adequate dose reached" if weeks else "adequate duration reached",
        )
        artists.adequacy_line = tick
        legend_handles.append(tick)


def _draw_sessions(
    ax: Axes,
    session_lanes: Sequence[SessionLane],
    markers: Sequence[SessionMarker],
    theme: _Theme,
    options: TimelineOptions,
    artists: TimelineArtists,
    legend_handles: list,
    hover_points: list,
) -> None:
    for lane in session_lanes:
        mine = [m for m in markers if m.treatment == lane.treatment]
        xs = np.array([mdates.date2num(m.when.replace(tzinfo=None)) for m in mine], dtype=float)
        ys = np.full(len(mine), float(lane.row))
        (line,) = ax.plot(
            xs,
            ys,
            linestyle="none",
            marker=SESSION_MARKERS.get(lane.treatment, "X"),
            markersize=_fs(options, 7),
            markeredgecolor=theme.axes_bg,
            markeredgewidth=0.6,
            color=theme.session_colours.get(lane.treatment, theme.text),
            zorder=4,
            label=lane.label,
        )
        artists.session_lines[lane.treatment] = line
        legend_handles.append(line)
        hover_points.append((ax, xs, ys, [m.text for m in mine]))


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
    x0, x1 = _num(start), _num(end) + 1
    # A little room at both ends keeps a point on the first or last day whole, not cut in half.
    pad = max(0.5, (x1 - x0) * 0.015)
    _apply_xlim(timeline, x0 - pad, x1 + pad)


def pan(timeline: Timeline, days: float) -> None:
    """Slide the view by `days` (negative: back in time), keeping its width; for dragging the chart."""
    if not isinstance(days, (int, float)) or isinstance(days, bool) or not math.isfinite(days):
        raise ValueError(f"The chart can only move by a number of days, not {days!r}.")
    x0, x1 = timeline.xlim
    _apply_xlim(timeline, x0 + days, x1 + days)
    timeline.range = (_day_of(x0 + days), _day_of(x1 + days - 1))


def _apply_xlim(timeline: Timeline, x0: float, x1: float) -> None:
    timeline.score_ax.set_xlim(x0, x1)  # the daily axis is its twin and follows
    timeline.trial_ax.set_xlim(x0, x1)
    _fit_rows(timeline, x0, x1)
    _show_fitting_labels(timeline, x0, x1)
    offset = _ord_offset()
    # Keep each episode's label in view while enough of the episode is to hold it.
    days_per_px = (x1 - x0) / max(1.0, timeline.score_ax.bbox.width)
    font_px = _fs(timeline.options, 8) * timeline.figure.dpi / 72.0
    for ep, text in zip(timeline.episodes, timeline.artists.episode_texts):
        e0 = max(ep.start.toordinal() + offset, x0)
        e1 = min(ep.end.toordinal() + offset + 1, x1)
        text.set_x(e0)
        text.set_visible(e1 - e0 >= (len(ep.label) + 1) * 0.6 * font_px * days_per_px)


def _fit_rows(timeline: Timeline, x0: float, x1: float) -> None:
    # Only the rows with something in view take up the lane panel, so a 20-year journal
    # zoomed to 3 months shows a few readable lanes rather than eighty slivers.
    offset = _ord_offset()
    visible = [
        lane.row
        for lane in (*timeline.lanes, *timeline.session_lanes)
        if lane.start.toordinal() + offset < x1 and lane.end.toordinal() + offset + 1 > x0
    ]
    if timeline._row_count == 0:
        lo, hi = 0, _MIN_ROWS - 1
    elif visible:
        lo, hi = min(visible), max(visible)
    else:
        lo, hi = 0, timeline._row_count - 1
    hi = max(hi, lo + _MIN_ROWS - 1)
    ax = timeline.trial_ax
    ax.set_ylim(hi + 0.5, lo - 0.5)
    # Names for the rows in view only: matplotlib formats every tick it is given, seen or not.
    rows = range(lo, min(hi, timeline._row_count - 1) + 1)
    row_px = max(1.0, ax.bbox.height) / (hi - lo + 1)
    tick_pt = _fs(timeline.options, 9)
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
    label_pt = _fs(options, 7.5)
    font_px = label_pt * timeline.figure.dpi / 72.0
    rows_fit = row_px >= 2.2 * font_px
    ends_fit = row_px >= 1.3 * font_px
    offset = _ord_offset()
    for text in (*artists.dose_texts.values(), *artists.end_texts.values()):
        text.set_visible(False)
    for lane in timeline.lanes:
        if not lo - 1 < lane.row < hi + 1:
            continue
        r = float(lane.row)
        for i, seg in enumerate(lane.segments):
            # Centre the label on the part of the step in view, and show it only if it fits there.
            s0 = max(seg.start.toordinal() + offset, x0)
            s1 = min(seg.end.toordinal() + offset + 1, x1)
            needed = (len(seg.label) * 0.6 * font_px + 6) * days_per_px
            if not (rows_fit and s1 - s0 >= needed):
                continue
            text = artists.dose_texts.get((lane.trial_id, i))
            if text is None:
                text = ax.text(
                    0.0, r, seg.label, ha="center", va="center", fontsize=label_pt, color=theme.bar_text,
                    zorder=4, clip_on=True, in_layout=False,
                )
                artists.dose_texts[(lane.trial_id, i)] = text
            text.set_x((s0 + s1) / 2.0)
            text.set_visible(True)
        end_x = lane.end.toordinal() + offset + 1
        if ends_fit and x0 <= end_x < x1:
            text = artists.end_texts.get(lane.trial_id)
            if text is None:
                text = ax.annotate(
                    lane.end_text,
                    xy=(end_x, r + _BAR_BOTTOM - _BAR_MIN_H / 2),
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
    offset = _ord_offset()
    hits: list[tuple[float, str]] = []
    for lane in timeline.lanes:
        if lane.row != row:
            continue
        for seg in lane.segments:
            if seg.start.toordinal() + offset <= xnum < seg.end.toordinal() + offset + 1:
                hits.append((1.0, f"{lane.drug} {seg.label}/day from {format_day(seg.start)}"))
                day = _day_of(xnum)
                if any(s <= day <= e for s, e in lane.adequate_spans):
                    minimum = f"{_mg_text(lane.min_adequate_mg)}/day" if lane.min_adequate_mg is not None else ""
                    source = f", {lane.min_source}" if lane.min_source and minimum else ""
                    hits.append((1.1, f"adequate dose (minimum {minimum}{source})" if minimum else "adequate dose"))
        end_x = lane.end.toordinal() + offset + 1
        end_px = timeline.trial_ax.transData.transform((end_x, 0.0))[0]
        if xnum >= end_x and px - end_px <= 12 * radius:
            if lane.ongoing:
                hits.append((2.0, f"{lane.drug} ongoing as of {format_day(timeline.as_of)}"))
            else:
                hits.append((2.0, f"{lane.drug} {lane.end_text} ({format_day(lane.end)})"))
    for ax, xs, ys, texts in timeline._hover_points:
        if ax is not timeline.trial_ax or len(xs) == 0 or int(ys[0]) != row:
            continue
        sx = ax.transData.transform(np.column_stack([xs, ys]))[:, 0]
        dist = np.abs(sx - px)
        for i in np.argsort(dist, kind="stable")[:3]:
            if dist[i] <= radius:
                hits.append((float(dist[i]), texts[int(i)]))
    return hits
