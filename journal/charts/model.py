"""What the timeline shows, as plain data: the options, the series, the lanes and rows, the episodes, the marker, the ranges.

Read from the journal's records and the assessment only; nothing here draws, so nothing here
imports matplotlib. journal.charts.timeline draws this data; journal.charts.view moves the view over it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import numpy as np

from journal import words
from journal.charts.choices import MARKER_LABEL, PRESETS, extra_scales
from journal.charts.style import SESSION_MARKERS
from journal.clinical import scales
from journal.clinical.assessment import Assessment, TherapyVerdict, TrialVerdict, outcome_words
from journal.clinical.verdict_words import threshold_precision
from journal.records import ALL_SCALES, DAILY_FIELDS, DailyCheckIn, JournalContents, ScaleScore, Session, Therapy, Trial, latest_day

__all__ = [
    "EXTRA_SCALES",
    "TimelineOptions",
    "Band",
    "DoseSegment",
    "BarPiece",
    "TrialLane",
    "TherapyCourse",
    "TherapyLane",
    "SessionLane",
    "SessionMarker",
    "EpisodeSpan",
    "ThresholdMarker",
    "ChartData",
    "DailyWords",
    "SERIES_KINDS",
    "chart_data",
    "format_day",
    "rough_day",
    "about_day",
    "when_words",
    "POSSIBLE_TEXT",
    "UNKNOWN_DOSE",
    "THERAPY_LABEL",
    "range_for_preset",
    "rolling_mean_7",
    "trial_numbers",
    "lane_name",
    "PRINT_MIN_PT",
    "SCORE_GAP_DAYS",
    "ANXIETY_SCALES",
    "treatment_range",
]

EXTRA_SCALES = extra_scales()
PRINT_MIN_PT = 7.0  # the smallest text a printed chart holds
SCORE_GAP_DAYS = 56  # a score line breaks across more than eight weeks without a score (the points stay)
ANXIETY_SCALES = ("GAD-7",)  # drawn on a panel of their own, under the PHQ-9 bands, never over them
_LABEL_MAX = 26  # a lane's name beside its row, in characters
# trd-rules.md v2: threshold_possible is said in words and never given a date or a line.
POSSIBLE_TEXT = "TRD criteria may be met once remembered details are confirmed"
UNKNOWN_DOSE = "dose not recorded"
THERAPY_LABEL = "Psychotherapy"


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
    # A chart for paper (the report): only what lies from `start` to `end`, every lane named and every dose step
    # labelled at once, call-outs above the panels, no text under PRINT_MIN_PT; see journal.charts.printed.
    for_print: bool = False

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

    def fs(self, points: float) -> float:
        """A size in points at the chosen text size (markers too)."""
        return points * self.font_scale

    def text(self, points: float) -> float:
        """A text's size in points at the chosen text size: on paper never under PRINT_MIN_PT, whatever the scale."""
        size = points * self.font_scale
        return max(PRINT_MIN_PT, size) if self.for_print else size


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
    """One dose step: from `start` (its earliest day) to `end` (both days included) at `mg` a day (None: not remembered)."""

    start: date
    end: date
    mg: float | None
    label: str
    start_precision: str = "day"  # "month" or "year": the step began some day of that month or year

    @property
    def start_text(self) -> str:
        """When the step began, as entered: "8 Jan 2025", "~Mar 2019" or "~2019"."""
        return rough_day(self.start, self.start_precision)


@dataclass(frozen=True)
class BarPiece:
    """A part of a bar as drawn: days at a dose (`mg`, None when not remembered), or, when `rough`, the days a
    date entered as a month or a year could fall on (from its earliest to its latest day), drawn faded and dotted."""

    start: date
    end: date
    mg: float | None
    rough: bool
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
    pieces: tuple[BarPiece, ...] = ()  # the bar as drawn, the remembered dates' months or years faded
    end_precision: str = "day"
    entered_end: date | None = None  # the end's earliest day as entered (`end` is its latest)
    source: str | None = None
    number: int = 1  # the how-manyth trial of this generic drug, by start date: "escitalopram (2)"

    @property
    def name(self) -> str:
        """The drug as the chart names it: "escitalopram", "escitalopram (2)" for its second trial."""
        return self.drug + (f" ({self.number})" if self.number > 1 else "")

    @property
    def approximate(self) -> bool:
        return self.end_precision != "day" or any(s.start_precision != "day" or s.mg is None for s in self.segments)


@dataclass(frozen=True)
class TherapyCourse:
    """One psychotherapy course on the Psychotherapy row: its kind in words and its span (open-ended while it goes on)."""

    therapy_id: str
    kind: str
    label: str  # "CBT", or the person's own name for it
    start: date
    end: date  # last day drawn: the end's latest day, or the as-of date while it goes on
    ongoing: bool
    pieces: tuple[BarPiece, ...]
    text: str  # the hover words: "CBT, Sep 2021 to Jan 2022, 16 sessions: partial response"
    start_precision: str = "day"
    end_precision: str = "day"
    entered_end: date | None = None


@dataclass(frozen=True)
class TherapyLane:
    """The row holding every psychotherapy course (listed beside the trials, never counted)."""

    label: str
    row: int
    start: date
    end: date
    courses: tuple[TherapyCourse, ...]


@dataclass(frozen=True)
class SessionMarker:
    """One session as drawn on its treatment's row."""

    session_id: str
    when: datetime
    treatment: str
    row: int
    text: str
    phase: str | None = None  # induction, optimisation, maintenance (esketamine and ketamine courses)


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
    start_precision: str = "day"
    end_precision: str = "day"
    entered_end: date | None = None  # the end's earliest day as entered (`end` is its latest, or the as-of date)

    @property
    def rough_spans(self) -> tuple[tuple[date, date], ...]:
        """The days a start or end entered as a month or a year could fall on."""
        spans = []
        if self.start_precision != "day":
            spans.append((self.start, min(latest_day(self.start, self.start_precision), self.end)))
        if self.entered_end is not None and self.end_precision != "day":
            spans.append((max(self.entered_end, self.start), self.end))
        return tuple(spans)

    @property
    def start_text(self) -> str:
        return rough_day(self.start, self.start_precision)


@dataclass(frozen=True)
class ThresholdMarker:
    """The vertical line at the assessment's threshold date."""

    date: date
    label: str
    text: str
    approximate: bool = False  # the date rests on a remembered trial's month or year
    when_text: str = ""  # "8 Jan 2025", or "by about Mar 2018" when approximate

    @property
    def hover(self) -> str:
        return f"{self.label} {self.when_text}" if self.approximate else f"{self.label} on {format_day(self.date)}"


@dataclass
class ChartData:
    """Everything the timeline plots, worked out from the journal before anything is drawn."""

    as_of: date
    series: dict[str, list[tuple[date, int]]]
    score_texts: dict[str, list[str]]  # the hover words of each score, in the series' order
    score_top: float  # the highest total the score axis must hold
    bands: list[Band]
    daily_points: dict[str, list[tuple[date, int]]]
    daily_mean7: dict[str, list[tuple[date, float]]]
    daily_texts: dict[str, Sequence[str]]
    episodes: list[EpisodeSpan]
    lanes: list[TrialLane]
    session_lanes: list[SessionLane]
    sessions: list[SessionMarker]
    row_labels: list[str]  # the name beside each row, top to bottom
    lane_weight: int  # how many rows the lane panel is sized for
    marker: ThresholdMarker | None
    marker_on_right: bool  # the marker's words go on the side of its line with more of the journal
    full_range: tuple[date, date]
    therapy_lane: TherapyLane | None = None
    possible_text: str = ""  # POSSIBLE_TEXT when the criteria may be met once remembered details are confirmed; never dated
    # on paper, a threshold reached outside the dates shown is said in words instead of drawn: "... 8 Jan 2025, before these dates"
    marker_outside: str = ""

    @property
    def row_count(self) -> int:
        return len(self.row_labels)


# --------------------------------------------------------------------------- words and days


def format_day(d: date) -> str:
    """A date as people write it: 8 Jan 2025 (fixed English month names, whatever the locale)."""
    return f"{d.day} {words.MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"


def mg_text(mg: float) -> str:
    if float(mg).is_integer():
        return f"{int(mg)} mg"
    return f"{float(mg):.3f}".rstrip("0").rstrip(".") + " mg"


def clip_text(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "\u2026"


def lane_name(lane: TrialLane) -> str:
    """A trial's name beside its row: the drug (cut to a readable length), its number, "(add-on)"."""
    return clip_text(lane.drug) + (f" ({lane.number})" if lane.number > 1 else "") + (" (add-on)" if lane.augmentation else "")


def rough_day(d: date, precision: str = "day") -> str:
    """A date on the chart at the precision it was entered: "8 Jan 2025", "~Mar 2019" or "~2019", never a made-up day."""
    return format_day(d) if precision == "day" else "~" + words.date_words(d, precision)


def about_day(d: date, precision: str = "day") -> str:
    """The same in a table or a sentence: "2025-01-08", "about Mar 2019" or "about 2019"."""
    return d.isoformat() if precision == "day" else "about " + words.date_words(d, precision)


def when_words(when: date) -> str:
    """A check-in's day, with its time when it has one: "1 May 2025" or "1 May 2025 at 08:15"."""
    if isinstance(when, datetime):
        return f"{format_day(when)} at {when.hour:02d}:{when.minute:02d}"
    return format_day(when)


def episode_hover(ep: EpisodeSpan) -> str:
    if ep.ongoing:
        until = "ongoing"
    elif ep.entered_end is not None and ep.end_precision != "day":
        until = f"to {rough_day(ep.entered_end, ep.end_precision)}"
    else:
        until = f"to {format_day(ep.end)}"
    return f"{ep.label} from {ep.start_text} {until}"


def months_before(day: date, months: int) -> date:
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
    return [(date.fromordinal(int(d)), float(m)) for d, m in zip(days, means, strict=True)]


def record_days(contents: JournalContents) -> list[date]:
    days: list[date] = []
    for t in contents.trials:
        for step in t.doses:
            days.append(step.start)
        if t.end is not None:
            days.append(latest_day(t.end, t.end_precision))
    for e in contents.episodes:
        days.append(e.start)
        if e.end is not None:
            days.append(latest_day(e.end, e.end_precision))
    for p in contents.therapies:
        days.append(p.start)
        if p.end is not None:
            days.append(latest_day(p.end, p.end_precision))
    days.extend(s.date for s in contents.scores)
    days.extend(c.date for c in contents.checkins)
    days.extend(s.date for s in contents.sessions)
    return days


TREATMENT_RECENT_MONTHS = 24  # a treatment going on in the last two years is part of "the treatment years"
TREATMENT_MOST_MONTHS = 72  # and they reach back six years at most, so a three-month trial stays wide enough to read


def treatment_range(contents: JournalContents, today: date) -> tuple[date, date]:
    """The "treatment" preset, the window's first view: from the start of the current episode or of the first
    treatment (trial, psychotherapy, sessions) going on in the last two years, whichever is earlier, a month before
    it, up to today; never more than six years. A journal with neither shows its last year.

    The current episode is what the assessment judges, and recent treatment is what a person and a clinician
    talk about; twenty years of journal squeezed into one window reads as slivers.
    """
    recent = months_before(today, TREATMENT_RECENT_MONTHS)
    starts: list[date] = []
    for e in contents.episodes:
        if e.start <= today and (e.end is None or latest_day(e.end, e.end_precision) >= today):
            starts.append(e.start)  # the current episode (the latest that is open, or reaches today)
    for t in contents.trials:
        if t.doses and (t.end is None or latest_day(t.end, t.end_precision) >= recent) and t.start <= today:
            starts.append(min(s.start for s in t.doses))
    for p in contents.therapies:
        if (p.end is None or latest_day(p.end, p.end_precision) >= recent) and p.start <= today:
            starts.append(p.start)
    starts.extend(s.date for s in contents.sessions if recent <= s.date <= today)
    if not starts:
        return months_before(today, 12), today
    start = max(months_before(min(starts), 1), months_before(today, TREATMENT_MOST_MONTHS))
    return min(start, months_before(today, 3)), today


def range_for_preset(contents: JournalContents, preset: str, today: date) -> tuple[date, date]:
    """The (start, end) days of a zoom preset: "3 months" or "1 year" up to today, "all" the journal holds, or
    "treatment": the current episode and recent treatment (see treatment_range)."""
    key = preset.strip().lower() if isinstance(preset, str) else preset
    if key not in PRESETS:
        raise ValueError(f"Unknown zoom {preset!r}: choose {', '.join(PRESETS[:-1])} or {PRESETS[-1]}.")
    if key == "3 months":
        return months_before(today, 3), today
    if key == "1 year":
        return months_before(today, 12), today
    if key == "treatment":
        return treatment_range(contents, today)
    days = record_days(contents)
    if not days:
        return months_before(today, 3), today
    return min(days), max(max(days), today)


# --------------------------------------------------------------------------- the series


def _severity(scale: str, total: float) -> str:
    # The scale definitions (bands, ranges, severity words) live in journal.clinical.scales: the chart
    # never carries its own copy of a clinical figure.
    try:
        return str(scales.severity_label(scale, int(total)))
    except (ValueError, LookupError):  # an unknown scale or a total outside its range: show the number alone
        return ""


def _score_series(contents: JournalContents, options: TimelineOptions) -> tuple[dict, dict, float]:
    series: dict[str, list[tuple[date, int]]] = {}
    texts: dict[str, list[str]] = {}
    by_scale: dict[str, list[ScaleScore]] = {name: [] for name in options.shown_scales}
    for s in contents.scores:
        if s.scale in by_scale:
            by_scale[s.scale].append(s)
    top = float(scales.get_scale("PHQ-9").max_total)
    for name in options.shown_scales:
        # several a day in the journal's order (untimed first, then by time), a timed one at its time of day
        found = sorted(by_scale[name], key=lambda s: (s.date, s.time is not None, s.time or datetime.min.time(), s.id or ""))
        whens = [datetime.combine(s.date, s.time) if s.time is not None else s.date for s in found]
        series[name] = [(w, int(s.total)) for s, w in zip(found, whens, strict=True)]
        texts[name] = [
            f"{name} {s.total}" + (f" ({lab})" if (lab := _severity(name, s.total)) else "") + f" on {when_words(w)}"
            for s, w in zip(found, whens, strict=True)
        ]
        if found:
            top = max(top, float(scales.get_scale(name).max_total))
    return series, texts, top


def _bands() -> list[Band]:
    # PHQ-9 severity bands, half a point beyond each end so every whole score sits inside its band.
    band_list = list(scales.get_scale("PHQ-9").bands)
    bands: list[Band] = []
    for i, (low, high, label) in enumerate(band_list):
        y0 = float(low) - 0.5 if i else -0.6
        y1 = float(high) + 0.5 if i < len(band_list) - 1 else float(high) + 0.6
        bands.append(Band(int(low), int(high), str(label), y0, y1))
    return bands


class DailyWords(Sequence[str]):
    """The hover words of one daily field's check-ins, in the points' order, each worked out when first asked for.

    Twenty years of check-ins are thousands of points the pointer mostly never rests on; their
    words cost more to write than the points do to draw.
    """

    def __init__(self, said: str, points: Sequence[tuple[date, int]], means: Sequence[tuple[date, float]]) -> None:
        self._said = said
        self._points = points
        self._means = means
        self._mean_at: dict[date, float] | None = None

    def __len__(self) -> int:
        return len(self._points)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if self._mean_at is None:
            self._mean_at = dict(self._means)
        d, v = self._points[i]
        day = d.date() if isinstance(d, datetime) else d
        return f"{self._said} {v}/10 on {when_words(d)} (7-day mean {self._mean_at[day]:.1f})"


def _checkin_order(c: DailyCheckIn) -> tuple:
    return (c.date, c.time is not None, c.time or datetime.min.time(), c.id or "")


def _daily_series(contents: JournalContents, options: TimelineOptions) -> tuple[dict, dict, dict]:
    points_by: dict[str, list[tuple[date, int]]] = {}
    means_by: dict[str, list[tuple[date, float]]] = {}
    texts_by: dict[str, Sequence[str]] = {}
    if not options.daily:
        return points_by, means_by, texts_by
    # Several check-ins a day in the journal's order (untimed first, then by time); a timed one is
    # plotted at its time of day, so a morning and an evening check-in are two points in order.
    timed = any(c.time is not None for c in contents.checkins)
    # (untimed check-ins alone keep the journal's order of date then id; only times need sorting)
    checkins: list[DailyCheckIn] = sorted(contents.checkins, key=_checkin_order) if timed else list(contents.checkins)
    whens = [datetime.combine(c.date, c.time) if c.time is not None else c.date for c in checkins]
    for name in options.daily:
        points = [(w, int(v)) for c, w in zip(checkins, whens, strict=True) if (v := getattr(c, name)) is not None]
        means = rolling_mean_7(points)
        points_by[name] = points
        means_by[name] = means
        texts_by[name] = DailyWords(words.words_for(words.DAILY, name), points, means)
    return points_by, means_by, texts_by


def _episodes(contents: JournalContents, as_of: date) -> list[EpisodeSpan]:
    episodes: list[EpisodeSpan] = []
    for e in sorted(contents.episodes, key=lambda e: (e.start, e.id)):
        if e.end is None:
            end, entered_end = max(as_of, e.start), None
        else:
            # an end entered as a month or a year is drawn to its latest day (up to the as-of date when that is inside it)
            entered_end = e.end
            end = latest_day(e.end, e.end_precision)
            if e.end_precision != "day" and e.end <= as_of < end:
                end = as_of
        severity = words.words_for(words.EPISODE_SEVERITY, e.severity)
        label = f"episode ({severity})" if severity else "episode"
        episodes.append(EpisodeSpan(e.id, e.start, end, e.end is None, label, e.start_precision, e.end_precision, entered_end))
    return episodes


# --------------------------------------------------------------------------- lanes and rows


def _segments(trial: Trial, as_of: date) -> list[DoseSegment]:
    steps = sorted(trial.doses, key=lambda s: s.start)
    if not steps:
        return []
    last_day = _last_day(trial, as_of)
    out: list[DoseSegment] = []
    for i, step in enumerate(steps):
        seg_end = steps[i + 1].start - timedelta(days=1) if i + 1 < len(steps) else last_day
        seg_end = min(seg_end, last_day)
        if seg_end < step.start:
            continue  # a step the next one replaces on the same day, or one after the trial ended
        mg = None if step.mg_per_day is None else float(step.mg_per_day)
        out.append(DoseSegment(step.start, seg_end, mg, UNKNOWN_DOSE if mg is None else mg_text(mg), step.start_precision))
    return out


def _last_day(trial: Trial, as_of: date) -> date:
    """The last day a trial's bar reaches: its end's latest day, or the as-of date while it goes on."""
    if trial.end is None:
        return max(as_of, trial.doses[-1].start if trial.doses else as_of)
    return latest_day(trial.end, trial.end_precision)


def _pieces(
    parts: Sequence[tuple[date, date, float | None, str, str]], end_from: date | None, end_precision: str
) -> tuple[BarPiece, ...]:
    """Each (start, end, mg, start precision, label) part split into the days it surely covers and, faded, the
    days a start entered as a month or a year could fall on; the last part's end likewise from `end_from`."""
    pieces: list[BarPiece] = []
    for i, (start, end, mg, precision, label) in enumerate(parts):
        solid_from, solid_to = start, end
        if precision != "day":
            rough_to = min(latest_day(start, precision), end)
            said = rough_day(start, precision) + (f", {UNKNOWN_DOSE}" if mg is None and label == UNKNOWN_DOSE else "")
            pieces.append(BarPiece(start, rough_to, mg, True, said))
            solid_from = rough_to + timedelta(days=1)
        rough_end = None
        if i == len(parts) - 1 and end_from is not None and end_precision != "day":
            rough_end = BarPiece(max(end_from, solid_from), end, mg, True, rough_day(end_from, end_precision))
            solid_to = rough_end.start - timedelta(days=1)
        if solid_from <= solid_to:
            pieces.append(BarPiece(solid_from, solid_to, mg, False, label))
        if rough_end is not None and rough_end.start <= rough_end.end:
            pieces.append(rough_end)
    return tuple(pieces)


def _adequate_spans(
    lane_pieces: Sequence[BarPiece], verdict: TrialVerdict, assessment: Assessment
) -> tuple[tuple[date, date], ...]:
    # Only days inside the verdict's episode count (trd-rules.md), so only they are marked; and only days
    # the entries show at an adequate dose (the short reading): never a remembered month the trial may not have
    # started or may have ended in, nor a step whose dose is not remembered.
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
        candidates = []
        for i, p in enumerate(lane_pieces):
            if p.mg is None or p.mg < minimum:
                continue
            before = lane_pieces[i - 1] if i else None
            # a remembered change between two adequate doses is adequate either way; any other rough month is not sure
            if p.rough and not (before is not None and before.mg is not None and before.mg >= minimum and i + 1 < len(lane_pieces)):
                continue
            candidates.append((p.start, p.end))
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
    # an end remembered as a month or a year says so beside the bar: "stopped ~Dec 2019: did not work"
    when = f" {rough_day(trial.end, trial.end_precision)}" if trial.end_precision != "day" else ""
    if trial.stop_reason:
        return f"stopped{when}: {words.words_for(words.STOP_REASON, trial.stop_reason)}"
    return f"stopped{when}"


def _session_text(s: Session) -> str:
    said = words.words_for(words.TREATMENT, s.treatment)
    dose = f" {mg_text(s.dose_mg)}" if s.dose_mg is not None else ""
    number = f" {s.number_in_course}" if s.number_in_course is not None else ""
    phase = f" ({words.words_for(words.SESSION_PHASE, s.phase)})" if s.phase else ""
    return f"{said}{dose} session{number}{phase}, {format_day(s.date)}"


def trial_numbers(contents: JournalContents) -> dict[str, int]:
    """Each trial's number among the trials of its generic drug, by start date (1 for the first): the chart names the
    second trial of escitalopram "escitalopram (2)", so a table can number them the same way. A brand name counts as its
    generic drug (the drug catalog); a drug the catalog does not know is told by its name, case and spacing aside."""
    from journal.clinical.assessment import _drug_key  # the assessment's own "same drug", formulations as one
    from journal.clinical.catalog import load_catalog

    catalog = load_catalog()
    seen: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for t in sorted((t for t in contents.trials if t.doses), key=lambda t: (min(s.start for s in t.doses), t.id)):
        known = catalog.resolve(t.drug)
        key = _drug_key(known.generic if known is not None else None, t.drug)
        seen[key] = seen.get(key, 0) + 1
        numbers[t.id] = seen[key]
    return numbers


def _trial_lane(
    t: Trial, row: int, segs: list[DoseSegment], verdict: TrialVerdict | None, assessment: Assessment | None, number: int = 1
) -> TrialLane:
    parts = [(seg.start, seg.end, seg.mg, seg.start_precision, seg.label) for seg in segs]
    pieces = _pieces(parts, t.end, t.end_precision)
    spans = _adequate_spans(pieces, verdict, assessment) if verdict is not None and assessment else ()
    augmentation = t.augmentation or bool(verdict and verdict.augmentation)
    return TrialLane(
        trial_id=t.id,
        label=t.drug.strip() + (f" ({number})" if number > 1 else "") + (" (add-on)" if augmentation else ""),
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
        pieces=pieces,
        end_precision=t.end_precision if t.end is not None else "day",
        entered_end=t.end,
        source=t.source,
        number=number,
    )


def _therapy_text(p: Therapy, verdict: TherapyVerdict | None) -> str:
    kind = words.words_for(words.THERAPY_KIND, p.kind)
    name = f" ({p.name.strip()})" if p.name.strip() and p.name.strip() != kind else ""
    until = ", ongoing" if p.end is None else f" to {rough_day(p.end, p.end_precision)}"
    sessions = f", {p.sessions} session{'s' if p.sessions != 1 else ''}" if p.sessions is not None else ""
    outcome = f": {outcome_words(verdict.outcome)}" if verdict is not None and verdict.outcome != "unknown" else ""
    return f"{kind}{name}, {rough_day(p.start, p.start_precision)}{until}{sessions}{outcome}"


def _therapy_course(p: Therapy, as_of: date, verdict: TherapyVerdict | None) -> TherapyCourse:
    end = latest_day(p.end, p.end_precision) if p.end is not None else max(as_of, p.start)
    kind = words.words_for(words.THERAPY_KIND, p.kind)
    label = p.name.strip() if p.kind == "other" and p.name.strip() else kind
    pieces = _pieces([(p.start, end, None, p.start_precision, clip_text(label))], p.end, p.end_precision)
    return TherapyCourse(
        p.id, p.kind, clip_text(label), p.start, end, p.end is None, pieces, _therapy_text(p, verdict),
        p.start_precision, p.end_precision if p.end is not None else "day", p.end,
    )


@dataclass
class _Rows:
    lanes: list[TrialLane] = field(default_factory=list)
    session_lanes: list[SessionLane] = field(default_factory=list)
    sessions: list[SessionMarker] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    therapy_lane: TherapyLane | None = None


def _rows(contents: JournalContents, assessment: Assessment | None, as_of: date) -> _Rows:
    """One row per trial with a dose, one per session treatment and one for psychotherapy, in the order they
    began (the earliest on top)."""
    verdicts = {v.id: v for v in assessment.trials} if assessment is not None else {}
    order_keys: list[tuple[tuple, str, object]] = []
    trial_parts: dict[str, list[DoseSegment]] = {}
    for t in contents.trials:
        segs = _segments(t, as_of)
        if segs:
            trial_parts[t.id] = segs
            order_keys.append(((segs[0].start, 0, t.id), "trial", t))
    by_treatment: dict[str, list[Session]] = {}
    for s in contents.sessions:
        by_treatment.setdefault(s.treatment, []).append(s)
    order = {k: i for i, k in enumerate(SESSION_MARKERS)}
    for treatment, group in by_treatment.items():
        group.sort(key=lambda s: (s.datetime, s.id))
        order_keys.append(((group[0].date, 1, str(order.get(treatment, 99)) + treatment), "sessions", treatment))
    therapies = sorted(contents.therapies, key=lambda p: (p.start, p.id))
    if therapies:
        order_keys.append(((therapies[0].start, 2, ""), "therapies", THERAPY_LABEL))
    order_keys.sort(key=lambda r: r[0])  # chronological: the earliest trial on top, the latest at the bottom

    numbers = trial_numbers(contents)
    out = _Rows()
    for row, (_, kind, item) in enumerate(order_keys):
        if isinstance(item, Trial):
            lane = _trial_lane(item, row, trial_parts[item.id], verdicts.get(item.id), assessment, numbers.get(item.id, 1))
            out.lanes.append(lane)
            out.labels.append(lane_name(lane))
        elif kind == "therapies":
            listed = {v.id: v for v in assessment.therapies} if assessment is not None else {}
            courses = tuple(_therapy_course(p, as_of, listed.get(p.id)) for p in therapies)
            lane_end = max(c.end for c in courses)
            out.therapy_lane = TherapyLane(THERAPY_LABEL, row, courses[0].start, lane_end, courses)
            out.labels.append(THERAPY_LABEL)
        else:
            treatment = str(item)
            group = by_treatment[treatment]
            said = words.words_for(words.TREATMENT, treatment)
            out.session_lanes.append(SessionLane(treatment, f"{said} sessions", row, group[0].date, group[-1].date))
            for s in group:
                out.sessions.append(SessionMarker(s.id, s.datetime, treatment, row, _session_text(s), s.phase))
            out.labels.append(f"{said} sessions")
    return out


def _threshold_words(assessment: Assessment, when: date) -> str:
    """The threshold date as the chart says it: "8 Jan 2025", or "by about Mar 2018" (or "by about 2018") when it
    rests on a remembered trial's month or year (trd-rules.md v2: at that trial's precision)."""
    if not assessment.threshold_date_approximate:
        return format_day(when)
    return "by about " + words.date_words(when, threshold_precision(assessment))


def _marker(contents: JournalContents, assessment: Assessment | None) -> tuple[ThresholdMarker | None, bool]:
    if assessment is None or not assessment.threshold_met or assessment.threshold_date is None:
        return None, True
    when = assessment.threshold_date
    said = _threshold_words(assessment, when)
    marker = ThresholdMarker(when, MARKER_LABEL, f"{MARKER_LABEL}\n{said}", assessment.threshold_date_approximate, said)
    # The marker's words go on the side of the line with more room, so they never sit on the score they mark.
    known = [*(s.date for s in contents.scores), *(st.start for t in contents.trials for st in t.doses)]
    left_room = (when - min(known)).days if known else 0
    right_room = (max(known) - when).days if known else 1
    return marker, right_room >= left_room


# The parts of ChartData that read one kind of record only, and that kind: after a change to
# another kind they are what they were (journal.charts.update keeps them).
SERIES_KINDS = {"scores": ("series", "score_texts", "score_top"), "checkins": ("daily_points", "daily_mean7", "daily_texts")}


def chart_data(
    contents: JournalContents,
    assessment: Assessment | None,
    options: TimelineOptions,
    *,
    kept: ChartData | None = None,
    changed: Collection[str] = (),
) -> ChartData:
    """Work out everything the timeline shows from the journal and its assessment.

    With `kept` (worked out earlier from the same options), the series of a kind not in `changed`
    are taken from it rather than read again (see SERIES_KINDS); everything else is worked out anew.
    """
    as_of = options.as_of or (assessment.as_of if assessment is not None else None) or date.today()
    if kept is not None and "scores" not in changed:
        series, score_texts, top = kept.series, kept.score_texts, kept.score_top
    else:
        series, score_texts, top = _score_series(contents, options)
    if kept is not None and "checkins" not in changed:
        daily_points, daily_mean7, daily_texts = kept.daily_points, kept.daily_mean7, kept.daily_texts
    else:
        daily_points, daily_mean7, daily_texts = _daily_series(contents, options)
    rows = _rows(contents, assessment, as_of)
    marker, on_right = _marker(contents, assessment)
    days = record_days(contents)
    full_range = (min(days), max(max(days), as_of)) if days else (months_before(as_of, 3), as_of)
    data = ChartData(
        as_of=as_of,
        series=series,
        score_texts=score_texts,
        score_top=top,
        bands=_bands(),
        daily_points=daily_points,
        daily_mean7=daily_mean7,
        daily_texts=daily_texts,
        episodes=_episodes(contents, as_of),
        lanes=rows.lanes,
        session_lanes=rows.session_lanes,
        sessions=rows.sessions,
        row_labels=rows.labels,
        # the lane panel grows with the number of rows, up to the height of the score panel
        lane_weight=len({t.id for t in contents.trials if t.doses})
        + len({s.treatment for s in contents.sessions})
        + (1 if contents.therapies else 0),
        marker=marker,
        marker_on_right=on_right,
        full_range=full_range,
        therapy_lane=rows.therapy_lane,
        # never a date: the long reading's threshold rests on details still to be confirmed
        possible_text=POSSIBLE_TEXT if assessment is not None and assessment.threshold_possible and not assessment.threshold_met else "",
    )
    if options.for_print and (options.start is not None or options.end is not None):
        data = _within(data, options.start or data.full_range[0], options.end or data.full_range[1])
    return data


def _day(when: date) -> date:
    return when.date() if isinstance(when, datetime) else when


def _within(data: ChartData, start: date, end: date) -> ChartData:
    """The chart of the days from `start` to `end` only, for paper: the scores, check-ins, sessions, episodes and
    rows of other days left out (a trial or course crossing an end keeps its row and is drawn cut there), the rows
    numbered again from the top, and a threshold reached outside these days said in words rather than drawn."""

    def inside(when: date) -> bool:
        return start <= _day(when) <= end

    series, texts = {}, {}
    for name, points in data.series.items():
        keep = [i for i, (when, _) in enumerate(points) if inside(when)]
        series[name] = [points[i] for i in keep]
        texts[name] = [data.score_texts[name][i] for i in keep]
    daily_points: dict[str, list[tuple[date, int]]] = {}
    daily_mean7: dict[str, list[tuple[date, float]]] = {}
    daily_texts: dict[str, Sequence[str]] = {}
    for name, points in data.daily_points.items():
        daily_points[name] = [p for p in points if inside(p[0])]
        daily_mean7[name] = [m for m in data.daily_mean7[name] if inside(m[0])]
        daily_texts[name] = DailyWords(words.words_for(words.DAILY, name), daily_points[name], data.daily_mean7[name])

    def crosses(a: date, b: date) -> bool:
        return a <= end and b >= start

    kept_rows = sorted(
        {lane.row for lane in data.lanes if crosses(lane.start, lane.end)}
        | {lane.row for lane in data.session_lanes if any(m.row == lane.row and inside(m.when) for m in data.sessions)}
        | (
            {data.therapy_lane.row}
            if data.therapy_lane is not None and any(crosses(c.start, c.end) for c in data.therapy_lane.courses)
            else set()
        )
    )
    new_row = {old: new for new, old in enumerate(kept_rows)}
    lanes = [replace(lane, row=new_row[lane.row]) for lane in data.lanes if lane.row in new_row]
    session_lanes = [replace(lane, row=new_row[lane.row]) for lane in data.session_lanes if lane.row in new_row]
    sessions = [replace(m, row=new_row[m.row]) for m in data.sessions if m.row in new_row and inside(m.when)]
    therapy = data.therapy_lane
    if therapy is not None:
        courses = tuple(c for c in therapy.courses if crosses(c.start, c.end))
        therapy = replace(therapy, row=new_row[therapy.row], courses=courses) if therapy.row in new_row else None
    marker, outside = data.marker, ""
    if marker is not None and not start <= marker.date <= end:
        when = marker.when_text if marker.approximate else format_day(marker.date)
        side = "before" if marker.date < start else "after"
        outside = f"{marker.label} {'on ' if not marker.approximate else ''}{when}, {side} the dates shown"
        marker = None
    return replace(
        data,
        series=series,
        score_texts=texts,
        daily_points=daily_points,
        daily_mean7=daily_mean7,
        daily_texts=daily_texts,
        episodes=[ep for ep in data.episodes if crosses(ep.start, ep.end)],
        lanes=lanes,
        session_lanes=session_lanes,
        sessions=sessions,
        therapy_lane=therapy,
        row_labels=[data.row_labels[old] for old in kept_rows],
        lane_weight=len(kept_rows),
        marker=marker,
        marker_outside=outside,
        full_range=(start, end),
    )
