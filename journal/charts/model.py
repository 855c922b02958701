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
from journal.clinical.assessment import Assessment, TrialVerdict
from journal.records import ALL_SCALES, DAILY_FIELDS, DailyCheckIn, JournalContents, ScaleScore, Session, Trial

__all__ = [
    "EXTRA_SCALES",
    "TimelineOptions",
    "Band",
    "DoseSegment",
    "TrialLane",
    "SessionLane",
    "SessionMarker",
    "EpisodeSpan",
    "ThresholdMarker",
    "ChartData",
    "DailyWords",
    "SERIES_KINDS",
    "chart_data",
    "format_day",
    "range_for_preset",
    "rolling_mean_7",
]

EXTRA_SCALES = extra_scales()
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_MAX = 26  # a lane's name beside its row, in characters


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

    def fs(self, points: float) -> float:
        """A text size in points at the chosen text size."""
        return points * self.font_scale


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

    @property
    def row_count(self) -> int:
        return len(self.row_labels)


# --------------------------------------------------------------------------- words and days


def format_day(d: date) -> str:
    """A date as people write it: 8 Jan 2025 (fixed English month names, whatever the locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def mg_text(mg: float) -> str:
    if float(mg).is_integer():
        return f"{int(mg)} mg"
    return f"{float(mg):.3f}".rstrip("0").rstrip(".") + " mg"


def clip_text(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "\u2026"


def episode_hover(ep: EpisodeSpan) -> str:
    until = "ongoing" if ep.ongoing else f"to {format_day(ep.end)}"
    return f"{ep.label} from {format_day(ep.start)} {until}"


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
        return months_before(today, 3), today
    if key == "1 year":
        return months_before(today, 12), today
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
        found = sorted(by_scale[name], key=lambda s: (s.date, s.id))
        series[name] = [(s.date, int(s.total)) for s in found]
        texts[name] = [
            f"{name} {s.total}" + (f" ({lab})" if (lab := _severity(name, s.total)) else "") + f" on {format_day(s.date)}"
            for s in found
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
        return f"{self._said} {v}/10 on {format_day(d)} (7-day mean {self._mean_at[d]:.1f})"


def _daily_series(contents: JournalContents, options: TimelineOptions) -> tuple[dict, dict, dict]:
    points_by: dict[str, list[tuple[date, int]]] = {}
    means_by: dict[str, list[tuple[date, float]]] = {}
    texts_by: dict[str, Sequence[str]] = {}
    if not options.daily:
        return points_by, means_by, texts_by
    checkins: list[DailyCheckIn] = sorted(contents.checkins, key=lambda c: (c.date, c.id))
    for name in options.daily:
        points = [(c.date, int(v)) for c in checkins if (v := getattr(c, name)) is not None]
        means = rolling_mean_7(points)
        points_by[name] = points
        means_by[name] = means
        texts_by[name] = DailyWords(words.words_for(words.DAILY, name), points, means)
    return points_by, means_by, texts_by


def _episodes(contents: JournalContents, as_of: date) -> list[EpisodeSpan]:
    episodes: list[EpisodeSpan] = []
    for e in sorted(contents.episodes, key=lambda e: (e.start, e.id)):
        end = e.end if e.end is not None else max(as_of, e.start)
        severity = words.words_for(words.EPISODE_SEVERITY, e.severity)
        label = f"episode ({severity})" if severity else "episode"
        episodes.append(EpisodeSpan(e.id, e.start, end, e.end is None, label))
    return episodes


# --------------------------------------------------------------------------- lanes and rows


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
        out.append(DoseSegment(step.start, seg_end, float(step.mg_per_day), mg_text(step.mg_per_day)))
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
        return f"stopped: {words.words_for(words.STOP_REASON, trial.stop_reason)}"
    return "stopped"


def _session_text(s: Session) -> str:
    said = words.words_for(words.TREATMENT, s.treatment)
    dose = f" {mg_text(s.dose_mg)}" if s.dose_mg is not None else ""
    number = f" {s.number_in_course}" if s.number_in_course is not None else ""
    return f"{said}{dose} session{number}, {format_day(s.date)}"


def _trial_lane(t: Trial, row: int, segs: list[DoseSegment], verdict: TrialVerdict | None, assessment: Assessment | None) -> TrialLane:
    spans = _adequate_spans(segs, verdict, assessment) if verdict is not None and assessment else ()
    augmentation = t.augmentation or bool(verdict and verdict.augmentation)
    return TrialLane(
        trial_id=t.id,
        label=t.drug.strip() + (" (add-on)" if augmentation else ""),
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


@dataclass
class _Rows:
    lanes: list[TrialLane] = field(default_factory=list)
    session_lanes: list[SessionLane] = field(default_factory=list)
    sessions: list[SessionMarker] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def _rows(contents: JournalContents, assessment: Assessment | None, as_of: date) -> _Rows:
    """One row per trial with a dose and one per session treatment, in the order they began (the earliest on top)."""
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
    order_keys.sort(key=lambda r: r[0])  # chronological: the earliest trial on top, the latest at the bottom

    out = _Rows()
    for row, (_, _kind, item) in enumerate(order_keys):
        if isinstance(item, Trial):
            lane = _trial_lane(item, row, trial_parts[item.id], verdicts.get(item.id), assessment)
            out.lanes.append(lane)
            out.labels.append(clip_text(lane.drug) + (" (add-on)" if lane.augmentation else ""))
        else:
            treatment = str(item)
            group = by_treatment[treatment]
            said = words.words_for(words.TREATMENT, treatment)
            out.session_lanes.append(SessionLane(treatment, f"{said} sessions", row, group[0].date, group[-1].date))
            for s in group:
                out.sessions.append(SessionMarker(s.id, s.datetime, treatment, row, _session_text(s)))
            out.labels.append(f"{said} sessions")
    return out


def _marker(contents: JournalContents, assessment: Assessment | None) -> tuple[ThresholdMarker | None, bool]:
    if assessment is None or not assessment.threshold_met or assessment.threshold_date is None:
        return None, True
    when = assessment.threshold_date
    marker = ThresholdMarker(when, MARKER_LABEL, f"{MARKER_LABEL}\n{format_day(when)}")
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
    return ChartData(
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
        lane_weight=len({t.id for t in contents.trials if t.doses}) + len({s.treatment for s in contents.sessions}),
        marker=marker,
        marker_on_right=on_right,
        full_range=full_range,
    )
