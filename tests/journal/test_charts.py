"""The timeline chart, tested by what it plots: its data model and its matplotlib artists."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pytest
from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from journal.charts import (
    MARKER_LABEL,
    TimelineOptions,
    build_timeline,
    format_day,
    pan,
    range_for_preset,
    rolling_mean_7,
    set_range,
)
from journal.clinical.assessment import Assessment, EpisodeRef, Maudsley, TrialVerdict
from journal.clinical.scales import get_scale
from journal.records import DailyCheckIn, DoseStep, Episode, JournalContents, ScaleScore, Session, Settings, Trial

AS_OF = date(2025, 6, 1)


def num(d: date) -> float:
    return float(mdates.date2num(d))


def contents(**changes) -> JournalContents:
    base = dict(
        episodes=(Episode("e1", date(2024, 12, 1), None, "severe"),),
        trials=(
            Trial(
                "t1",
                "sertraline",
                (DoseStep(date(2025, 1, 1), 50), DoseStep(date(2025, 2, 7), 100)),
                end=date(2025, 4, 15),
                stop_reason="side_effects",
                adherence="good",
            ),
            Trial(
                "t2",
                "escitalopram",
                (DoseStep(date(2024, 10, 1), 10), DoseStep(date(2025, 1, 5), 20)),
            ),
        ),
        scores=(
            ScaleScore("s1", date(2025, 1, 8), "PHQ-9", 16),
            ScaleScore("s2", date(2025, 2, 1), "PHQ-9", 14),
            ScaleScore("s3", date(2025, 3, 15), "PHQ-9", 12),
            ScaleScore("g1", date(2025, 1, 8), "GAD-7", 10),
            ScaleScore("g2", date(2025, 3, 15), "GAD-7", 7),
        ),
        checkins=(
            DailyCheckIn("c1", date(2025, 5, 1), mood=2, anxiety=7),
            DailyCheckIn("c2", date(2025, 5, 2), mood=4),
            DailyCheckIn("c3", date(2025, 5, 3), mood=6),
            DailyCheckIn("c4", date(2025, 5, 10), mood=8),
            DailyCheckIn("c5", date(2025, 5, 12), mood=2),
        ),
        sessions=(
            Session("x1", datetime(2025, 5, 2, 10, 0), "esketamine", dose_mg=56, number_in_course=1),
            Session("x2", datetime(2025, 5, 6, 10, 0), "esketamine", dose_mg=56, number_in_course=2),
            Session("x3", datetime(2025, 5, 20, 9, 0), "ect", number_in_course=1),
        ),
    )
    base.update(changes)
    return JournalContents(**base)


def verdict(trial_id: str, drug: str, minimum: float | None, first_day: date, last_day: date, **kw) -> TrialVerdict:
    fields = dict(
        id=trial_id,
        drug=drug,
        adequate=True,
        longest_adequate_run_days=60,
        adequacy_date=None,
        outcome="non-response",
        improvement_pct=None,
        failure_date=None,
        counts=True,
        first_day=first_day,
        last_day=last_day,
        min_adequate_mg=minimum,
        min_source="MGH-ATRQ list",
    )
    fields.update(kw)
    return TrialVerdict(**fields)


def assessment(*, met: bool = True, sertraline_min: float = 100) -> Assessment:
    return Assessment(
        as_of=AS_OF,
        settings=Settings(),
        episode=EpisodeRef("e1", date(2024, 12, 1), None, False),
        maudsley=Maudsley(None, None, ("no failed antidepressant",)),
        failed_adequate_count=2 if met else 1,
        threshold_met=met,
        threshold_date=date(2025, 3, 20) if met else None,
        trials=(
            verdict("t1", "sertraline", sertraline_min, date(2025, 1, 1), date(2025, 4, 15), adequacy_date=date(2025, 3, 20)),
            verdict("t2", "escitalopram", 10, date(2024, 12, 1), AS_OF, adequacy_date=date(2025, 1, 11)),
        ),
    )


def lane(timeline, trial_id):
    return next(lane for lane in timeline.lanes if lane.trial_id == trial_id)


def rect_x(verts) -> tuple[float, float]:
    xs = [v[0] for v in verts]
    return min(xs), max(xs)


def rect_y(verts) -> tuple[float, float]:
    ys = [v[1] for v in verts]
    return min(ys), max(ys)


def legend_labels(timeline) -> list[str]:
    return [t.get_text() for t in timeline.artists.legend.get_texts()]


# --------------------------------------------------------------------------- scores


def test_phq9_line_plots_every_phq9_score_at_its_date():
    tl = build_timeline(contents(), assessment())
    line = tl.artists.score_lines["PHQ-9"]
    assert line in tl.score_ax.lines
    assert list(line.get_xdata()) == [num(date(2025, 1, 8)), num(date(2025, 2, 1)), num(date(2025, 3, 15))]
    assert list(line.get_ydata()) == [16, 14, 12]
    assert tl.series["PHQ-9"] == [(date(2025, 1, 8), 16), (date(2025, 2, 1), 14), (date(2025, 3, 15), 12)]


def test_phq9_is_shown_even_when_no_extra_scale_is_switched_on_and_gad7_is_not():
    tl = build_timeline(contents(), None)
    assert list(tl.series) == ["PHQ-9"]
    assert [line.get_label() for line in tl.score_ax.lines if not line.get_label().startswith("_")] == ["PHQ-9"]


def test_severity_bands_are_shaded_at_the_phq9_totals_they_cover_and_labelled():
    tl = build_timeline(contents(), None)
    bands = get_scale("PHQ-9").bands
    assert [(b.low, b.high, b.label) for b in tl.bands] == [(b.low, b.high, b.label) for b in bands]
    assert len(tl.artists.band_patches) == len(bands)
    for band, patch in zip(bands, tl.artists.band_patches, strict=True):
        assert patch in tl.score_ax.patches
        y0, y1 = patch.get_y(), patch.get_y() + patch.get_height()
        # Every whole total of the band lies inside the patch, and no total of a neighbouring band does.
        assert y0 < band.low and band.high < y1
        assert band.low - 1 < y0 and y1 < band.high + 1
    labels = " | ".join(t.get_text() for t in tl.artists.band_texts)
    for band in bands:
        assert band.label in labels
    # Higher bands are shaded more strongly, so severity reads without colour.
    alphas = [p.get_alpha() for p in tl.artists.band_patches]
    assert alphas == sorted(alphas) and alphas[0] < alphas[-1]


def _lightness(rgb) -> float:
    """CIE L* (0 black .. 100 white) of an sRGB colour: how light it looks."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_in_the_dark_theme_each_phq9_band_is_told_from_the_next_at_a_glance():
    tl = build_timeline(contents(), None, TimelineOptions(dark=True))
    background = np.array(to_rgb(tl.score_ax.get_facecolor()))
    seen = []
    for patch in tl.artists.band_patches:
        colour, alpha = np.array(to_rgb(patch.get_facecolor())), patch.get_alpha()
        seen.append(_lightness(alpha * colour + (1 - alpha) * background))
    steps = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    # each band at least 3 L* lighter than the one below it (about the least difference seen on a dim screen)
    assert min(steps) >= 3.0, [round(s, 1) for s in steps]


def test_switching_gad7_on_adds_its_line_and_switching_it_off_removes_it():
    off = TimelineOptions()
    on = off.with_scale("GAD-7", True)
    tl_on = build_timeline(contents(), None, on)
    gad = tl_on.artists.score_lines["GAD-7"]
    # on a panel of its own under the scores, never read against the PHQ-9 bands
    assert gad in tl_on.anxiety_ax.lines and gad not in tl_on.score_ax.lines
    assert [y for y in gad.get_ydata() if not math.isnan(y)] == [10, 7]
    assert "GAD-7" in legend_labels(tl_on)
    # Shape and line style differ from PHQ-9's, not only the colour.
    phq = tl_on.artists.score_lines["PHQ-9"]
    assert (gad.get_marker(), gad.get_linestyle()) != (phq.get_marker(), phq.get_linestyle())

    tl_off = build_timeline(contents(), None, on.with_scale("GAD-7", False))
    assert "GAD-7" not in tl_off.series
    assert all(line.get_label() != "GAD-7" for line in tl_off.score_ax.lines)
    assert "GAD-7" not in legend_labels(tl_off)


def test_a_scale_with_a_larger_range_widens_the_score_axis():
    madrs = contents(scores=contents().scores + (ScaleScore("m1", date(2025, 2, 1), "MADRS", 44),))
    tl = build_timeline(madrs, None, TimelineOptions(scales=("MADRS",)))
    assert tl.score_ax.get_ylim()[1] >= 44
    tl_phq = build_timeline(madrs, None)
    assert 27 <= tl_phq.score_ax.get_ylim()[1] < 30


# --------------------------------------------------------------------------- daily check-ins


def test_rolling_mean_uses_the_values_of_the_day_and_the_six_before_skipping_gaps():
    points = [
        (date(2025, 5, 1), 2),
        (date(2025, 5, 2), 4),
        (date(2025, 5, 3), 6),
        (date(2025, 5, 10), 8),  # 1-3 May are more than 6 days back
        (date(2025, 5, 12), 2),  # 10 May is inside the window
    ]
    assert rolling_mean_7(points) == [
        (date(2025, 5, 1), 2.0),
        (date(2025, 5, 2), 3.0),
        (date(2025, 5, 3), 4.0),
        (date(2025, 5, 10), 8.0),
        (date(2025, 5, 12), 5.0),
    ]
    assert rolling_mean_7([(date(2025, 5, 7), 3), (date(2025, 5, 1), 9)]) == [(date(2025, 5, 1), 9.0), (date(2025, 5, 7), 6.0)]
    assert rolling_mean_7([]) == []


def test_daily_mood_is_drawn_as_light_points_with_its_seven_day_mean_broken_across_a_week_without_entries():
    tl = build_timeline(contents(), None, TimelineOptions(daily=("mood",)))
    assert tl.daily_ax is not None
    assert tl.daily_points["mood"] == [
        (date(2025, 5, 1), 2), (date(2025, 5, 2), 4), (date(2025, 5, 3), 6), (date(2025, 5, 10), 8), (date(2025, 5, 12), 2)
    ]
    dots = tl.artists.daily_point_lines["mood"]
    assert dots in tl.daily_ax.lines
    assert list(dots.get_ydata()) == [2, 4, 6, 8, 2]
    assert dots.get_linestyle() == "None" and dots.get_alpha() < 1
    mean = tl.artists.daily_mean_lines["mood"]
    ys = list(mean.get_ydata())
    assert ys[:3] == [2.0, 3.0, 4.0]
    assert math.isnan(ys[3])  # 3 May to 10 May: no line through days nobody rated
    assert ys[4:] == [8.0, 5.0]
    assert "mood (7-day mean)" in legend_labels(tl)
    assert tl.daily_ax.get_ylim()[0] <= 0 and tl.daily_ax.get_ylim()[1] >= 10


def test_daily_fields_switched_off_add_no_axis():
    tl = build_timeline(contents(), None)
    assert tl.daily_ax is None and tl.daily_points == {}


# --------------------------------------------------------------------------- trial lanes


def test_a_trial_with_two_dose_steps_has_two_labelled_segments_the_higher_dose_taller():
    tl = build_timeline(contents(), assessment())
    sert = lane(tl, "t1")
    assert sert.label == "sertraline"
    assert [(s.start, s.end, s.mg, s.label) for s in sert.segments] == [
        (date(2025, 1, 1), date(2025, 2, 6), 50.0, "50 mg"),
        (date(2025, 2, 7), date(2025, 4, 15), 100.0, "100 mg"),
    ]
    # The artists: one rectangle per step, ending where the next begins, the last through its final day.
    verts = tl.artists.dose_collection.get_paths()
    rows = [v.vertices for v in verts if rect_y(v.vertices)[0] > sert.row - 0.5 and rect_y(v.vertices)[1] < sert.row + 0.5]
    assert len(rows) == 2
    assert rect_x(rows[0]) == (num(date(2025, 1, 1)), num(date(2025, 2, 7)))
    assert rect_x(rows[1]) == (num(date(2025, 2, 7)), num(date(2025, 4, 16)))
    h50, h100 = (np.ptp([v[1] for v in r]) for r in rows)
    assert h100 > h50
    shown = {key: t.get_text() for key, t in tl.artists.dose_texts.items() if t.get_visible()}
    assert shown[("t1", 0)] == "50 mg" and shown[("t1", 1)] == "100 mg"


def test_the_adequate_portion_starts_at_the_first_step_at_or_above_the_minimum():
    tl = build_timeline(contents(), assessment(sertraline_min=100))
    assert lane(tl, "t1").adequate_spans == ((date(2025, 2, 7), date(2025, 4, 15)),)
    tl50 = build_timeline(contents(), assessment(sertraline_min=50))
    assert lane(tl50, "t1").adequate_spans == ((date(2025, 1, 1), date(2025, 4, 15)),)


def test_the_adequate_portion_is_restricted_to_the_current_episode_and_drawn_hatched_with_a_legend_entry():
    tl = build_timeline(contents(), assessment())
    esc = lane(tl, "t2")
    # 10 mg from October was adequate, but only days from the episode's start count.
    assert esc.adequate_spans == ((date(2024, 12, 1), AS_OF),)
    strip = tl.artists.adequate_collection
    assert strip is not None and strip in tl.trial_ax.collections
    assert strip.get_hatch()
    starts = sorted(rect_x(p.vertices)[0] for p in strip.get_paths())
    assert starts == [num(date(2024, 12, 1)), num(date(2025, 2, 7))]
    assert "adequate dose" in legend_labels(tl)


def test_a_dose_below_the_minimum_in_the_middle_splits_the_adequate_portion():
    dip = Trial(
        "t1",
        "sertraline",
        (DoseStep(date(2025, 1, 1), 100), DoseStep(date(2025, 2, 1), 25), DoseStep(date(2025, 2, 15), 100)),
        end=date(2025, 4, 1),
    )
    tl = build_timeline(contents(trials=(dip,)), assessment())
    assert lane(tl, "t1").adequate_spans == (
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 15), date(2025, 4, 1)),
    )


def test_without_an_assessment_nothing_is_marked_adequate_and_there_is_no_marker():
    tl = build_timeline(contents(), None)
    assert all(lane.adequate_spans == () for lane in tl.lanes)
    assert tl.artists.adequate_collection is None
    assert "adequate dose" not in legend_labels(tl)
    assert tl.marker is None and tl.artists.marker_lines == []


def test_a_stopped_trial_says_why_at_the_end_of_its_bar_and_an_ongoing_one_runs_to_the_as_of_date():
    tl = build_timeline(contents(), assessment())
    sert, esc = lane(tl, "t1"), lane(tl, "t2")
    assert sert.end_text == "stopped: side effects" and not sert.ongoing
    assert esc.ongoing and esc.end == AS_OF and esc.end_text == "ongoing"
    ends = tl.artists.end_texts
    assert ends["t1"].get_text() == "stopped: side effects" and ends["t1"].get_visible()
    assert ends["t1"].xy[0] == num(date(2025, 4, 16))
    assert ends["t2"].get_text() == "ongoing" and ends["t2"].xy[0] == num(date(2025, 6, 2))
    arrows = tl.artists.ongoing_arrows
    assert arrows is not None and list(arrows.get_xdata()) == [num(date(2025, 6, 2))]


def test_lanes_are_in_chronological_order_earliest_on_top():
    tl = build_timeline(contents(), assessment())
    rows = {lane.trial_id: lane.row for lane in tl.lanes}
    rows.update({s.treatment: s.row for s in tl.session_lanes})
    assert rows["t2"] < rows["t1"] < rows["esketamine"] < rows["ect"]
    bottom, top = tl.trial_ax.get_ylim()
    assert top < bottom  # row 0 is drawn at the top
    labels = [t.get_text() for t in tl.trial_ax.get_yticklabels()]
    assert labels[:2] == ["escitalopram", "sertraline"]


def test_an_augmentation_trial_is_labelled_as_an_add_on_not_only_coloured():
    aug = Trial("t3", "aripiprazole", (DoseStep(date(2025, 2, 1), 5),), augmentation=True, end=date(2025, 3, 1))
    tl = build_timeline(contents(trials=contents().trials + (aug,)), None)
    assert lane(tl, "t3").label == "aripiprazole (add-on)"
    assert any("augmentation" in label for label in legend_labels(tl))


def test_an_episode_is_a_labelled_span_across_both_panels():
    tl = build_timeline(contents(), None, TimelineOptions(as_of=AS_OF))
    (ep,) = tl.episodes
    assert (ep.start, ep.end, ep.ongoing, ep.label) == (date(2024, 12, 1), AS_OF, True, "episode (severe)")
    score_span, trial_span = tl.artists.episode_collections
    assert score_span in tl.score_ax.collections and trial_span in tl.trial_ax.collections
    assert rect_x(score_span.get_paths()[0].vertices) == (num(date(2024, 12, 1)), num(date(2025, 6, 2)))
    assert tl.artists.episode_texts[0].get_text().strip() == "episode (severe)"


# --------------------------------------------------------------------------- sessions


def test_sessions_are_markers_whose_shape_depends_on_the_treatment():
    tl = build_timeline(contents(), None)
    esk, ect = tl.artists.session_lines["esketamine"], tl.artists.session_lines["ect"]
    assert esk.get_marker() != ect.get_marker()
    assert list(esk.get_xdata()) == [mdates.date2num(datetime(2025, 5, 2, 10)), mdates.date2num(datetime(2025, 5, 6, 10))]
    assert [m.treatment for m in tl.sessions] == ["esketamine", "esketamine", "ect"]
    labels = legend_labels(tl)
    assert "esketamine sessions" in labels and "ECT sessions" in labels


# --------------------------------------------------------------------------- the marker


def test_the_marker_is_a_labelled_line_at_the_threshold_date_across_both_panels():
    tl = build_timeline(contents(), assessment(met=True))
    assert tl.marker is not None
    assert (tl.marker.date, tl.marker.label) == (date(2025, 3, 20), "TRD criteria appear met")
    assert len(tl.artists.marker_lines) == 2
    for line, ax in zip(tl.artists.marker_lines, (tl.score_ax, tl.trial_ax), strict=True):
        assert line in ax.lines
        assert list(line.get_xdata()) == [num(date(2025, 3, 20))] * 2
    text = tl.artists.marker_text.get_text()
    assert MARKER_LABEL in text and "20 Mar 2025" in text
    assert MARKER_LABEL in legend_labels(tl)


def test_no_marker_when_the_threshold_is_not_met():
    tl = build_timeline(contents(), assessment(met=False))
    assert tl.marker is None
    assert tl.artists.marker_lines == [] and tl.artists.marker_text is None
    everything = [t.get_text() for ax in (tl.score_ax, tl.trial_ax) for t in ax.texts] + legend_labels(tl)
    assert not any(MARKER_LABEL in text for text in everything)


# --------------------------------------------------------------------------- zoom and pan


def test_range_presets_reach_back_from_today():
    c = contents()
    assert range_for_preset(c, "3 months", AS_OF) == (date(2025, 3, 1), AS_OF)
    assert range_for_preset(c, "1 year", AS_OF) == (date(2024, 6, 1), AS_OF)
    assert range_for_preset(c, "all", AS_OF) == (date(2024, 10, 1), AS_OF)
    assert range_for_preset(c, "3 months", date(2025, 5, 31)) == (date(2025, 2, 28), date(2025, 5, 31))
    assert range_for_preset(JournalContents(), "all", AS_OF) == (date(2025, 3, 1), AS_OF)
    with pytest.raises(ValueError, match="3 months, 1 year, all or treatment"):
        range_for_preset(c, "fortnight", AS_OF)


@pytest.mark.slow
def test_the_three_month_preset_sets_the_x_limits_to_those_months():
    c = contents()
    tl = build_timeline(c, assessment())
    start, end = range_for_preset(c, "3 months", AS_OF)
    set_range(tl, start, end)
    x0, x1 = tl.xlim
    assert x0 <= num(start) < x0 + 3 and x1 - 3 < num(end) + 1 <= x1
    assert tl.score_ax.get_xlim() == tl.trial_ax.get_xlim()
    assert tl.range == (start, end)
    # The 8 Jan PHQ-9 is out of view; the 15 Mar one is in it.
    assert num(date(2025, 1, 8)) < x0 < num(date(2025, 3, 15)) < x1


def test_zooming_in_shows_only_the_rows_with_something_in_view():
    early = Trial("t0", "mirtazapine", (DoseStep(date(2020, 1, 1), 30),), end=date(2020, 6, 1))
    c = contents(trials=(early,) + contents().trials)
    tl = build_timeline(c, None)
    assert lane(tl, "t0").row == 0
    set_range(tl, date(2025, 3, 1), AS_OF)
    bottom, top = tl.trial_ax.get_ylim()
    assert top >= 0.5  # the 2020 trial's row is scrolled away
    assert "mirtazapine" not in [t.get_text() for t in tl.trial_ax.get_yticklabels()]
    set_range(tl, None, None)
    assert "mirtazapine" in [t.get_text() for t in tl.trial_ax.get_yticklabels()]


def test_options_start_and_end_set_the_first_view_and_pan_slides_it():
    tl = build_timeline(contents(), None, TimelineOptions(start=date(2025, 1, 1), end=date(2025, 1, 31)))
    assert tl.range == (date(2025, 1, 1), date(2025, 1, 31))
    before = tl.xlim
    pan(tl, 10)
    assert tl.xlim == pytest.approx((before[0] + 10, before[1] + 10))
    with pytest.raises(ValueError, match="after it ends"):
        set_range(tl, date(2025, 2, 1), date(2025, 1, 1))


# --------------------------------------------------------------------------- hover


@pytest.mark.slow
def test_hover_over_a_phq9_point_names_its_total_band_and_date():
    tl = build_timeline(contents(), assessment(met=False))
    assert tl.hover_text(date(2025, 1, 8), 16, tl.score_ax) == "PHQ-9 16 (moderately severe) on 8 Jan 2025"
    # Still right after a real draw has laid the figure out, and from the daily axis on top of it.
    tl2 = build_timeline(contents(), assessment(met=False), TimelineOptions(daily=("mood",)))
    FigureCanvasAgg(tl2.figure).draw()
    x, y = tl2.score_ax.transData.transform((num(date(2025, 2, 1)), 14))
    dx, dy = tl2.daily_ax.transData.inverted().transform((x + 2, y))
    assert tl2.hover_text(dx, dy, tl2.daily_ax) == "PHQ-9 14 (moderate) on 1 Feb 2025"


def test_hover_over_a_dose_step_and_a_session_says_what_it_is():
    tl = build_timeline(contents(), assessment())
    sert = lane(tl, "t1")
    text = tl.hover_text(date(2025, 3, 1), sert.row, tl.trial_ax)
    assert text.splitlines()[0] == "sertraline 100 mg/day from 7 Feb 2025"
    assert "adequate dose (minimum 100 mg/day, MGH-ATRQ list)" in text
    assert tl.hover_text(date(2025, 1, 20), sert.row, tl.trial_ax) == "sertraline 50 mg/day from 1 Jan 2025"
    row = next(s.row for s in tl.session_lanes if s.treatment == "esketamine")
    assert tl.hover_text(datetime(2025, 5, 2, 10), row, tl.trial_ax) == "esketamine 56 mg session 1, 2 May 2025"
    ect_row = next(s.row for s in tl.session_lanes if s.treatment == "ect")
    assert tl.hover_text(datetime(2025, 5, 20, 9), ect_row, tl.trial_ax) == "ECT session 1, 20 May 2025"


def test_hover_near_the_marker_names_it_and_over_empty_space_names_only_the_episode():
    tl = build_timeline(contents(), assessment())
    assert "TRD criteria appear met on 20 Mar 2025" in tl.hover_text(date(2025, 3, 20), 25, tl.score_ax)
    assert tl.hover_text(date(2025, 5, 25), 25, tl.score_ax) == "episode (severe) from 1 Dec 2024 ongoing"
    assert tl.hover_text(date(2024, 11, 1), 25, tl.score_ax) == ""
    assert tl.hover_text(date(2025, 1, 8), 16, None) == ""


# --------------------------------------------------------------------------- themes, text size, robustness


def test_dark_theme_has_dark_backgrounds_and_light_text():
    tl = build_timeline(contents(), assessment(), TimelineOptions(dark=True))
    assert sum(to_rgb(tl.figure.get_facecolor())) < 0.5
    assert sum(to_rgb(tl.trial_ax.get_facecolor())) < 0.6
    tick = tl.trial_ax.get_xticklabels()[0]
    assert sum(to_rgb(tick.get_color())) > 2.4
    light = build_timeline(contents(), assessment())
    assert sum(to_rgb(light.figure.get_facecolor())) > 2.9


def test_font_scale_makes_the_text_larger():
    normal = build_timeline(contents(), assessment())
    large = build_timeline(contents(), assessment(), TimelineOptions(font_scale=1.5))
    assert large.artists.marker_text.get_fontsize() == pytest.approx(1.5 * normal.artists.marker_text.get_fontsize())
    assert large.artists.legend.get_texts()[0].get_fontsize() == pytest.approx(
        1.5 * normal.artists.legend.get_texts()[0].get_fontsize()
    )


def test_options_name_what_is_wrong():
    with pytest.raises(ValueError, match="'BDI'"):
        TimelineOptions(scales=("BDI",))
    with pytest.raises(ValueError, match="'joy'"):
        TimelineOptions(daily=("joy",))
    with pytest.raises(ValueError, match="text size"):
        TimelineOptions(font_scale=0)
    with pytest.raises(ValueError, match="after it ends"):
        TimelineOptions(start=date(2025, 2, 1), end=date(2025, 1, 1))


def test_an_empty_journal_draws_and_says_there_is_nothing_yet():
    tl = build_timeline(JournalContents(), None, TimelineOptions(as_of=AS_OF))
    assert tl.lanes == [] and tl.series == {"PHQ-9": []}
    assert "No trials" in tl.artists.empty_text.get_text()
    FigureCanvasAgg(tl.figure).draw()


def test_rebuilding_onto_the_same_figure_replaces_the_chart():
    fig = Figure()
    first = build_timeline(contents(), assessment(), TimelineOptions(daily=("mood",)), figure=fig)
    second = build_timeline(contents(), None, figure=fig)
    assert second.figure is fig and first.figure is fig
    assert set(fig.axes) == {second.score_ax, second.trial_ax}


def test_format_day():
    assert format_day(date(2025, 1, 8)) == "8 Jan 2025"


@pytest.mark.slow
def test_a_long_journal_uses_a_fixed_number_of_plot_artists_whatever_its_length():
    from benchmarks.generator import synthetic_journal
    from journal.exchange.jsonfile import parse_contents

    def artist_count(years: int) -> tuple[int, int]:
        c = parse_contents(synthetic_journal(years, end=AS_OF), today=AS_OF).contents
        tl = build_timeline(c, None, TimelineOptions(scales=("GAD-7",), daily=("mood", "anxiety"), as_of=AS_OF))
        axes = [tl.score_ax, tl.trial_ax, tl.daily_ax]
        return sum(len(ax.lines) + len(ax.collections) + len(ax.patches) for ax in axes), len(c.checkins)

    short, short_checkins = artist_count(2)
    long, long_checkins = artist_count(20)
    assert long_checkins > 5 * short_checkins
    assert long == short  # thousands of check-ins and dozens of trials, still a handful of artists


@pytest.mark.slow
def test_the_legend_is_drawn_when_saved_first_and_looks_the_same_when_redrawn():
    import io

    import matplotlib.image as mpimg

    tl = build_timeline(contents(), assessment())
    canvas = FigureCanvasAgg(tl.figure)
    # Saved before any on-screen draw: matplotlib's measuring pass must not leave a blank legend behind.
    saved = io.BytesIO()
    tl.figure.savefig(saved, format="png")
    saved.seek(0)
    image = (mpimg.imread(saved)[..., :3] * 255).round().astype(np.uint8)
    box = tl.artists.legend.get_window_extent(canvas.get_renderer())
    height = image.shape[0]
    rows = slice(int(height - box.y1), int(height - box.y0))
    cols = slice(int(box.x0), int(box.x1))
    assert image[rows, cols].min() < 128  # the legend's words, dark on the light background
    canvas.draw()
    first = np.asarray(canvas.buffer_rgba())[rows, cols, :3].copy()
    assert (first == image[rows, cols]).all()
    pan(tl, -20)
    canvas.draw()
    assert (np.asarray(canvas.buffer_rgba())[rows, cols, :3] == first).all()


def _saved_rgba(figure) -> np.ndarray:
    """The figure as a file gets it: every part drawn for real, nothing pasted from a previous draw."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="rgba", dpi=figure.dpi)
    width, height = (int(round(v)) for v in figure.bbox.size)
    return np.frombuffer(buffer.getvalue(), dtype=np.uint8).reshape(height, width, 4)


def _on_screen(canvas) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.slow
@pytest.mark.parametrize("options", [TimelineOptions(), TimelineOptions(dark=True, font_scale=2.0)], ids=["light", "dark-200%"])
def test_zooming_and_panning_look_exactly_like_a_chart_drawn_afresh(options):
    # Redraws paste the axis names and the legend back from earlier draws; not one pixel may differ.
    older = tuple(
        Trial(f"o{year}", drug, (DoseStep(date(year, 3, 1), 20),), end=date(year, 9, 1))
        for year, drug in ((2019, "fluoxetine"), (2020, "paroxetine"), (2021, "duloxetine"), (2022, "mirtazapine"))
    )
    journal = contents(trials=contents().trials + older)
    tl = build_timeline(journal, assessment(), options, figure=Figure(figsize=(10, 5), dpi=100))
    canvas = FigureCanvasAgg(tl.figure)
    names_seen = set()
    moves = [
        lambda: set_range(tl, *range_for_preset(journal, "3 months", AS_OF)),
        lambda: pan(tl, -30),
        lambda: pan(tl, -30),
        lambda: set_range(tl, date(2021, 1, 1), date(2022, 12, 31)),  # other lanes in view
        lambda: set_range(tl, *range_for_preset(journal, "all", AS_OF)),
        lambda: pan(tl, -400),
    ]
    for move in moves:
        move()
        assert (_on_screen(canvas) == _saved_rgba(tl.figure)).all()
        names_seen.add(tuple(t.get_text() for t in tl.trial_ax.get_yticklabels()))
    assert len(names_seen) >= 2  # the lane names changed along the way


@pytest.mark.slow
def test_a_rebuilt_chart_shows_its_own_lane_names_and_legend_never_the_last_ones():
    first = build_timeline(contents(), assessment(), figure=Figure(figsize=(10, 5), dpi=100))
    _on_screen(FigureCanvasAgg(first.figure))
    # the same rows, dates and legend: only the names differ
    renamed = contents(
        trials=tuple(replace(t, drug={"sertraline": "fluoxetine", "escitalopram": "venlafaxine"}[t.drug]) for t in contents().trials)
    )
    second = build_timeline(renamed, assessment(), figure=Figure(figsize=(10, 5), dpi=100))
    assert [lane.drug for lane in second.lanes] != [lane.drug for lane in first.lanes]
    canvas = FigureCanvasAgg(second.figure)
    assert (_on_screen(canvas) == _saved_rgba(second.figure)).all()
    same_again = build_timeline(contents(), assessment(), figure=Figure(figsize=(10, 5), dpi=100))
    assert (_on_screen(FigureCanvasAgg(same_again.figure)) == _saved_rgba(same_again.figure)).all()


def test_forgetting_the_saved_pixels_keeps_nothing_of_the_chart():
    from journal.charts import fast

    tl = build_timeline(contents(), assessment(), figure=Figure(figsize=(10, 5), dpi=100))
    _on_screen(FigureCanvasAgg(tl.figure))
    assert fast._SAVED_PIXELS  # the axis names and the legend, kept for the next draw
    fast.forget_saved_pixels()
    assert not fast._SAVED_PIXELS


def test_the_legend_columns_are_as_wide_as_their_own_labels_so_it_takes_few_rows():
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from journal.charts.fast import LegendSlot

    labels = [
        "PHQ-9", "mood (7-day mean)", "episode", "antidepressant (taller = higher dose)", "augmentation (add-on)",
        "adequate dose", "6 weeks at an adequate dose reached", "esketamine sessions", "TRD criteria appear met",
    ]
    figure = Figure(figsize=(9.7, 3.0))  # the chart's width on a 1366x768 laptop beside the assessment panel
    slot = LegendSlot(figure, [Line2D([], [], label=text) for text in labels], 8.5 * 1.25, "black")  # chart text at 150 %
    # every column as wide as the longest label would give 2 columns and 5 rows
    assert slot.rows == 3
    assert slot.legend._ncols == 3
    # and it still never runs wider than the figure
    assert slot._width_pt(slot.legend._ncols) <= 9.7 * 72.0


def _drawn_at(tl, width_in: float, height_in: float):
    tl.figure.set_size_inches(width_in, height_in)
    canvas = FigureCanvasAgg(tl.figure)
    canvas.draw()
    return canvas.get_renderer()


def test_on_a_short_chart_with_large_text_the_key_gives_way_to_the_panels_and_says_so():
    from journal.charts.fast import ROOM_NOTE

    # 150 % text in the chart a 1366x768 laptop leaves (about 9.2 x 2.6 inches once the tool bar wraps): the key's
    # rows would take nearly half the height and squash both panels into a strip
    tl = build_timeline(contents(), assessment(), TimelineOptions(font_scale=1.5))
    renderer = _drawn_at(tl, 9.2, 2.6)
    slot = tl.artists.legend_slot
    assert slot.hidden_for_room
    note = slot.get_window_extent(renderer)
    assert slot.room_note.get_text() == ROOM_NOTE and note.x0 >= 0 and note.x1 <= 9.2 * tl.figure.dpi  # one line, inside
    score = tl.score_ax.get_window_extent(renderer)
    trials = tl.trial_ax.get_window_extent(renderer)
    assert score.height + trials.height > 0.5 * 2.6 * tl.figure.dpi  # the panels keep over half (the key: a quarter)
    assert trials.y0 > note.y1  # the line sits under the dates, not over the lanes

    # made taller (the splitter dragged down, a larger screen), the key comes back
    renderer = _drawn_at(tl, 9.2, 7.0)
    assert not slot.hidden_for_room
    assert slot.get_window_extent(renderer).height > 5 * slot.fontsize  # rows of the key, not the line


def test_at_200_percent_text_the_line_in_the_keys_place_still_fits_the_chart():
    tl = build_timeline(contents(), assessment(), TimelineOptions(font_scale=2.0))
    renderer = _drawn_at(tl, 9.2, 3.0)
    assert tl.artists.legend_slot.hidden_for_room
    note = tl.artists.legend_slot.get_window_extent(renderer)
    assert note.x0 >= 0 and note.x1 <= 9.2 * tl.figure.dpi


def test_at_ordinary_text_on_a_laptop_the_key_is_shown():
    tl = build_timeline(contents(), assessment())
    _drawn_at(tl, 9.8, 3.6)  # the chart at 100 % text on a 1366x768 screen
    assert not tl.artists.legend_slot.hidden_for_room
    assert "PHQ-9" in legend_labels(tl)


def test_forgetting_the_saved_pixels_also_forgets_the_words_kept_for_drawing_text():
    from journal.charts import fast

    tl = build_timeline(contents(), assessment(), figure=Figure(figsize=(10, 5), dpi=100))
    _on_screen(FigureCanvasAgg(tl.figure))
    assert any("sertraline" in key[0] for key in fast._TEXT_LAYOUTS)  # laid out once, drawn again on each zoom
    assert fast._GLYPHS
    fast.forget_saved_pixels()
    assert not fast._TEXT_LAYOUTS and not fast._GLYPHS


def test_text_is_drawn_as_agg_draws_it_when_the_chart_is_saved():
    from journal.charts import fast

    tl = build_timeline(contents(), assessment(), figure=Figure(figsize=(10, 5), dpi=100))
    canvas = FigureCanvasAgg(tl.figure)
    _on_screen(canvas)
    assert "draw_text" in canvas.get_renderer().__dict__  # on screen: layouts and glyphs kept between draws
    _saved_rgba(tl.figure)
    assert "draw_text" not in canvas.get_renderer().__dict__
    fast.forget_saved_pixels()


# --------------------------------------------------------------------------- updating after a change

UPDATE_OPTIONS = TimelineOptions(scales=("GAD-7",), daily=("mood", "anxiety"), as_of=AS_OF)


def _pixels(timeline) -> np.ndarray:
    canvas = timeline.figure.canvas
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _drawn(journal: JournalContents, judged: Assessment, options: TimelineOptions = UPDATE_OPTIONS):
    figure = Figure(figsize=(10, 6.5), dpi=60)
    FigureCanvasAgg(figure)
    timeline = build_timeline(journal, judged, options, figure=figure)
    set_range(timeline, date(2024, 9, 1), AS_OF)
    return timeline


def _updated(before: JournalContents, after: JournalContents, changed: set[str], judged_after: Assessment | None = None):
    from journal.charts import update_timeline

    timeline = _drawn(before, assessment())
    before_pixels = _pixels(timeline)  # drawn once, as on screen, before the change
    updated = update_timeline(timeline, after, judged_after or assessment(), UPDATE_OPTIONS, changed=changed)
    set_range(updated, date(2024, 9, 1), AS_OF)
    return timeline, updated, before_pixels


def _artist_data(timeline) -> dict:
    a = timeline.artists
    lines = {**{f"score {k}": v for k, v in a.score_lines.items()}, **{f"dots {k}": v for k, v in a.daily_point_lines.items()},
             **{f"mean {k}": v for k, v in a.daily_mean_lines.items()}}
    def plain(values) -> list:  # nan (a gap in the 7-day mean) equals nan here
        return [None if math.isnan(v) else float(v) for v in values]

    return {name: (plain(line.get_xdata()), plain(line.get_ydata())) for name, line in lines.items()}


CHECKINS = contents().checkins
SCORES = contents().scores


@pytest.mark.parametrize(
    ("after", "changed"),
    [
        (contents(checkins=(CHECKINS[0], replace(CHECKINS[1], mood=9), *CHECKINS[2:])), {"checkins"}),
        (contents(checkins=(*CHECKINS, DailyCheckIn("c6", date(2025, 5, 30), mood=5, anxiety=3))), {"checkins"}),
        (contents(checkins=CHECKINS[1:]), {"checkins"}),
        (contents(scores=(*SCORES[:2], replace(SCORES[2], total=20), *SCORES[3:])), {"scores"}),
        (contents(scores=(*SCORES, ScaleScore("s4", date(2025, 5, 25), "PHQ-9", 8))), {"scores"}),
    ],
    ids=["check-in edited", "check-in added", "check-in deleted", "score edited", "score added"],
)
@pytest.mark.slow
def test_an_update_after_a_check_in_or_a_score_moves_the_points_and_draws_what_a_fresh_build_draws(after, changed):
    timeline, updated, before_pixels = _updated(contents(), after, changed)
    fresh = _drawn(after, assessment())
    assert updated is timeline  # the same figure, axes and lines: only their points moved
    assert updated.score_ax is timeline.score_ax and updated.artists.legend_slot is timeline.artists.legend_slot
    assert _artist_data(updated) == _artist_data(fresh)
    assert updated.series == fresh.series and updated.daily_points == fresh.daily_points
    assert updated.daily_mean7 == fresh.daily_mean7 and updated.full_range == fresh.full_range
    assert not np.array_equal(before_pixels, _pixels(fresh))  # the change shows
    assert np.array_equal(_pixels(updated), _pixels(fresh))
    x, y = num(date(2025, 5, 2)), 4.0 if "checkins" not in changed or after.checkins[1].mood == 4 else 9.0
    assert updated.hover_text(x, y, updated.daily_ax) == fresh.hover_text(x, y, fresh.daily_ax)


@pytest.mark.parametrize(
    ("after", "changed", "judged"),
    [
        (contents(trials=contents().trials[:1]), {"trials"}, None),  # a lane goes
        (contents(sessions=contents().sessions[:2]), {"sessions"}, None),  # a row of sessions goes
        (contents(episodes=()), {"episodes"}, None),  # the episode's span and legend entry go
        (contents(), {"scores"}, assessment(met=False)),  # the marker goes
        (contents(scores=(*SCORES, ScaleScore("m1", date(2025, 3, 1), "MADRS", 30))), {"scores"}, None),  # not shown
    ],
    ids=["trial deleted", "session deleted", "episode deleted", "verdict moved", "hidden scale"],
)
@pytest.mark.slow
def test_an_update_that_changes_more_than_points_draws_what_a_fresh_build_draws(after, changed, judged):
    judged = judged or assessment()
    _, updated, _ = _updated(contents(), after, changed, judged)
    fresh = _drawn(after, judged)
    assert legend_labels(updated) == legend_labels(fresh)
    assert [lane.trial_id for lane in updated.lanes] == [lane.trial_id for lane in fresh.lanes]
    assert updated.marker == fresh.marker
    assert np.array_equal(_pixels(updated), _pixels(fresh))


@pytest.mark.slow
def test_an_update_with_other_options_or_settings_draws_the_chart_again():
    from journal.charts import update_timeline

    timeline = _drawn(contents(), assessment())
    other = TimelineOptions(daily=("mood",), as_of=AS_OF)
    assert update_timeline(timeline, contents(), assessment(), other, changed={"checkins"}) is not timeline
    timeline = _drawn(contents(), assessment())
    stricter = replace(assessment(), settings=Settings(adequate_weeks=8))
    assert update_timeline(timeline, contents(), stricter, UPDATE_OPTIONS, changed={"checkins"}) is not timeline
    timeline = _drawn(contents(), assessment())
    assert update_timeline(timeline, contents(), assessment(), UPDATE_OPTIONS, changed=None) is not timeline


def _demo_timeline(height_px: float, font_scale: float):
    from journal.clinical.assessment import assess
    from journal.demo import demo_journal
    from journal.exchange.jsonfile import parse_contents

    today = date(2026, 12, 2)
    contents = parse_contents(demo_journal(today)).contents
    figure = Figure(figsize=(970 / 96, height_px / 96), dpi=96)
    timeline = build_timeline(contents, assess(contents, as_of=today), TimelineOptions(font_scale=font_scale, daily=("mood",)), figure)
    FigureCanvasAgg(figure).draw()  # the layout fits the panels' text to them as it draws
    return timeline


def test_a_short_score_panel_shortens_its_axis_titles_and_names_every_other_band():
    # a laptop at 150 % text: the titles would run past the panel's ends and the band names overlap
    # the demo's rows (an earlier episode, psychotherapy) leave the scores about 80 px of this, even with the key
    # hidden for room (at 320 px the hidden key leaves them 110 px, where the full titles fit)
    timeline = _demo_timeline(260, 1.25)
    titles = [ax.get_ylabel() for ax in timeline.figure.axes if ax.get_ylabel()]
    assert "score" in titles and "check-in" in titles
    assert "score (total)" not in titles and "daily check-in (0-10)" not in titles
    shown = [t.get_text() for t in timeline.artists.band_texts if t.get_visible()]
    assert shown == ["minimal", "moderate", "PHQ-9 severe"]  # the top band, which names the scale, stays


def test_a_tall_score_panel_keeps_its_full_titles_and_every_band_name():
    timeline = _demo_timeline(700, 1.0)
    titles = [ax.get_ylabel() for ax in timeline.figure.axes if ax.get_ylabel()]
    assert "score (total)" in titles and "daily check-in (0-10)" in titles
    assert all(t.get_visible() for t in timeline.artists.band_texts)
    assert len(timeline.artists.band_texts) == 5
