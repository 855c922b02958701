"""The timeline of a version-2 journal, tested by what a person sees: remembered months and years faded and
dotted over the whole month or year, doses not remembered crossed and named, psychotherapy on its own row,
session phases in words, the threshold "by about" a month, "may be met" in words and never at a date, and
several check-ins a day in time order. Built from records and assess() directly."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D

from journal.charts import MARKER_LABEL, TimelineOptions, build_timeline, set_range, update_timeline
from journal.charts.model import POSSIBLE_TEXT, UNKNOWN_DOSE, chart_data
from journal.charts.style import BAR_MAX_H, ROUGH_HATCH, UNKNOWN_HATCH
from journal.clinical.assessment import assess
from journal.records import (
    DailyCheckIn,
    DoseStep,
    Episode,
    JournalContents,
    Rating,
    ScaleScore,
    Session,
    Therapy,
    Trial,
    replace,
)

AS_OF = date(2026, 12, 1)
EPISODE = Episode("e1", date(2018, 1, 1), None, "severe", start_precision="year")
VENLAFAXINE = Trial(
    "t0", "venlafaxine", (DoseStep(date(2018, 2, 1), 225),), end=date(2018, 8, 31), stop_reason="ineffective", rating=Rating("none")
)
SERTRALINE = Trial(
    "t1",
    "sertraline",
    (DoseStep(date(2019, 3, 1), 50, "month"), DoseStep(date(2019, 6, 1), 150, "month")),
    end=date(2019, 12, 1),
    end_precision="month",
    stop_reason="ineffective",
    rating=Rating("none"),
    source="memory",
)
MIRTAZAPINE = Trial("t2", "mirtazapine", (DoseStep(date(2020, 1, 1), None, "year"),), end=date(2020, 1, 1), end_precision="year")
CBT = Therapy("p1", "cbt", date(2021, 9, 1), start_precision="month", end=date(2022, 1, 1), end_precision="month", sessions=16,
              rating=Rating("partial"))
ACTIVATION = Therapy("p2", "behavioural_activation", date(2026, 5, 4))


def esketamine() -> tuple[Session, ...]:
    out = [Session(f"i{n}", datetime(2026, 6, 1, 10) + timedelta(days=3 * n), "esketamine", 56, n + 1, phase="induction") for n in range(8)]
    out += [Session(f"o{n}", datetime(2026, 7, 1, 10) + timedelta(days=7 * n), "esketamine", 84, 9 + n, phase="optimisation") for n in range(4)]
    out += [Session(f"m{n}", datetime(2026, 8, 1, 10) + timedelta(days=14 * n), "esketamine", 84, 13 + n, phase="maintenance") for n in range(4)]
    return tuple(out)


def journal(**changes) -> JournalContents:
    base = dict(
        episodes=(EPISODE,),
        trials=(VENLAFAXINE, SERTRALINE, MIRTAZAPINE),
        therapies=(CBT, ACTIVATION),
        sessions=esketamine(),
        scores=(ScaleScore("s1", date(2018, 1, 20), "PHQ-9", 19), ScaleScore("s2", date(2026, 11, 1), "PHQ-9", 15)),
    )
    base.update(changes)
    return JournalContents(**base)


def draw(contents: JournalContents, **options):
    timeline = build_timeline(contents, assess(contents, as_of=AS_OF), TimelineOptions(as_of=AS_OF, **options))
    FigureCanvasAgg(timeline.figure)
    return timeline


def x(d: date) -> float:
    return float(mdates.date2num(d))


def xs_of(collection) -> list[tuple[float, float]]:
    return [(min(p.vertices[:, 0]), max(p.vertices[:, 0])) for p in collection.get_paths()]


def lane(timeline, trial_id):
    return next(lane for lane in timeline.lanes if lane.trial_id == trial_id)


def legend_labels(timeline) -> list[str]:
    return [t.get_text() for t in timeline.artists.legend.get_texts()]


def shown_texts(ax) -> list[str]:
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.texts if t.get_visible()]


# --------------------------------------------------------------------------- remembered months and years


def test_a_month_remembered_is_drawn_faded_and_dotted_over_the_whole_month_and_labelled_as_entered():
    tl = draw(journal())
    sertraline = lane(tl, "t1")
    rough = [(p.start, p.end, p.label) for p in sertraline.pieces if p.rough]
    # the start's month, the month the dose changed in, and the month it ended in: each from its first day to its last
    assert rough == [
        (date(2019, 3, 1), date(2019, 3, 31), "~Mar 2019"),
        (date(2019, 6, 1), date(2019, 6, 30), "~Jun 2019"),
        (date(2019, 12, 1), date(2019, 12, 31), "~Dec 2019"),
    ]
    # the days it surely covers are drawn solid, none of them in a remembered month
    solid = [(p.start, p.end) for p in sertraline.pieces if not p.rough]
    assert solid == [(date(2019, 4, 1), date(2019, 5, 31)), (date(2019, 7, 1), date(2019, 11, 30))]
    faded = tl.artists.rough_collection
    assert faded.get_hatch() == ROUGH_HATCH and faded in tl.trial_ax.collections
    assert all(ls[1] is not None for ls in faded.get_linestyle())  # a dotted edge, so it shows without colour
    assert (x(date(2019, 3, 1)), x(date(2019, 4, 1))) in xs_of(faded)
    assert sertraline.end_text == "stopped ~Dec 2019: did not work"
    assert "~ remembered month or year (any day in it)" in legend_labels(tl)


def test_a_year_remembered_covers_the_whole_year_and_reads_as_the_year():
    tl = draw(journal())
    mirtazapine = lane(tl, "t2")
    (piece,) = mirtazapine.pieces
    assert (piece.start, piece.end, piece.rough) == (date(2020, 1, 1), date(2020, 12, 31), True)
    assert piece.label == f"~2020, {UNKNOWN_DOSE}"
    assert (x(date(2020, 1, 1)), x(date(2021, 1, 1))) in xs_of(tl.artists.unknown_dose_collection)
    set_range(tl, date(2019, 6, 1), date(2021, 6, 1))
    assert f"~2020, {UNKNOWN_DOSE}" in shown_texts(tl.trial_ax)


def test_a_remembered_first_month_is_named_before_its_bar_when_the_bar_has_no_room_for_it():
    tl = draw(journal())
    set_range(tl, date(2018, 6, 1), date(2022, 6, 1))
    texts = {t.get_text(): t for t in tl.trial_ax.texts if t.get_visible()}
    shown_texts(tl.trial_ax)
    assert "~Mar 2019" in texts
    assert texts["~Mar 2019"].get_position()[0] < x(date(2019, 3, 1))
    assert texts["~Mar 2019"].get_horizontalalignment() == "right"


def test_hovering_a_remembered_month_says_it_may_be_any_day_in_it():
    tl = draw(journal())
    words = tl.hover_text(x(date(2019, 3, 10)), lane(tl, "t1").row, tl.trial_ax)
    assert "sertraline 50 mg/day from ~Mar 2019" in words
    assert "remembered as Mar 2019: any day from 1 Mar 2019 to 31 Mar 2019" in words


def test_the_adequate_strip_covers_only_days_the_entries_show_at_an_adequate_dose():
    tl = draw(journal())
    sertraline = lane(tl, "t1")
    # not the month it may have started in, nor the month it may have ended in; the change between two adequate doses is adequate
    assert sertraline.adequate_spans == ((date(2019, 4, 1), date(2019, 11, 30)),)


def test_an_episode_remembered_as_a_year_is_faded_and_dotted_over_the_year_and_its_label_says_so():
    tl = draw(journal())
    (ep,) = tl.episodes
    assert ep.rough_spans == ((date(2018, 1, 1), date(2018, 12, 31)),)
    assert len(tl.artists.episode_rough_collections) == 2  # across both panels
    assert all(c.get_hatch() for c in tl.artists.episode_rough_collections)
    score_solid, _ = tl.artists.episode_collections
    assert xs_of(score_solid) == [(x(date(2019, 1, 1)), x(AS_OF) + 1)]
    assert tl.artists.episode_texts[0].get_text() == " episode (severe), from ~2018"
    set_range(tl, date(2017, 12, 1), date(2020, 1, 1))
    assert "episode (severe) from ~2018 ongoing" in tl.hover_text(x(date(2019, 5, 1)), 5.0, tl.score_ax)


def test_an_episode_end_remembered_as_a_month_reaches_the_end_of_that_month():
    ended = Episode("e0", date(2016, 5, 1), date(2017, 2, 1), "moderate", end_precision="month")
    tl = draw(journal(episodes=(ended, EPISODE)))
    first = tl.episodes[0]
    assert (first.end, first.rough_spans) == (date(2017, 2, 28), ((date(2017, 2, 1), date(2017, 2, 28)),))


# --------------------------------------------------------------------------- doses not remembered


def test_a_dose_not_remembered_is_crossed_unfilled_at_no_height_that_reads_as_a_dose_and_named():
    unknown = Trial("t3", "bupropion", (DoseStep(date(2023, 1, 10), 150), DoseStep(date(2023, 4, 1), None)), end=date(2023, 9, 1))
    tl = draw(journal(trials=(VENLAFAXINE, unknown)))
    bupropion = lane(tl, "t3")
    assert [(s.mg, s.label) for s in bupropion.segments] == [(150.0, "150 mg"), (None, UNKNOWN_DOSE)]
    crossed = tl.artists.unknown_dose_collection
    assert crossed.get_hatch() == UNKNOWN_HATCH
    assert crossed.get_facecolor().size == 0 or crossed.get_facecolor()[0][3] == 0  # unfilled
    (path,) = crossed.get_paths()
    assert max(path.vertices[:, 1]) - min(path.vertices[:, 1]) == pytest.approx(BAR_MAX_H)
    # the known dose alone decides how tall the other bars are; none of them is drawn where the dose is unknown
    assert all(max(p.vertices[:, 0]) <= x(date(2023, 4, 1)) for p in tl.artists.dose_collection.get_paths() if min(p.vertices[:, 0]) >= x(date(2023, 1, 1)))
    assert UNKNOWN_DOSE in legend_labels(tl)
    assert "bupropion dose not recorded, from 1 Apr 2023" in tl.hover_text(x(date(2023, 6, 1)), bupropion.row, tl.trial_ax)
    set_range(tl, date(2023, 1, 1), date(2023, 10, 1))
    assert UNKNOWN_DOSE in shown_texts(tl.trial_ax)
    assert all(lo <= hi for lo, hi in bupropion.adequate_spans)
    assert all(e < date(2023, 4, 1) for _, e in bupropion.adequate_spans)  # no adequacy where the dose is not known


def test_a_trial_with_no_dose_remembered_at_all_draws_and_saves():
    unknown = Trial("t4", "nortriptyline", (DoseStep(date(2022, 3, 1), None, "month"),), end=date(2022, 5, 1), end_precision="month")
    tl = draw(journal(trials=(unknown,)))
    for fmt in ("png", "pdf", "svg"):
        tl.figure.savefig(io.BytesIO(), format=fmt)
    assert tl.artists.dose_collection.get_paths() == []
    assert [p.label for p in lane(tl, "t4").pieces] == [f"~Mar 2022, {UNKNOWN_DOSE}", UNKNOWN_DOSE, "~May 2022"]


# --------------------------------------------------------------------------- psychotherapy


def test_psychotherapy_has_its_own_row_with_each_course_its_kind_in_words_and_an_ongoing_one_open_ended():
    tl = draw(journal())
    therapy = tl.therapy_lane
    assert therapy is not None and therapy.label == "Psychotherapy"
    assert tl._row_labels[therapy.row] == "Psychotherapy"
    assert [(c.label, c.start, c.end, c.ongoing) for c in therapy.courses] == [
        ("CBT", date(2021, 9, 1), date(2022, 1, 31), False),
        ("behavioural activation", date(2026, 5, 4), AS_OF, True),
    ]
    assert therapy.courses[0].text.startswith("CBT, ~Sep 2021 to ~Jan 2022, 16 sessions: partial response")
    assert [p.label for p in therapy.courses[0].pieces if p.rough] == ["~Sep 2021", "~Jan 2022"]
    assert tl.artists.therapy_collection in tl.trial_ax.collections
    assert tl.artists.therapy_rough_collection.get_hatch() == ROUGH_HATCH
    arrows = tl.artists.therapy_arrows
    assert list(arrows.get_xdata()) == [x(AS_OF) + 1] and arrows.get_marker() == ">"
    set_range(tl, date(2021, 6, 1), date(2022, 4, 1))
    assert "CBT" in shown_texts(tl.trial_ax)
    set_range(tl, date(2026, 4, 1), AS_OF)
    assert "behavioural activation (ongoing)" in shown_texts(tl.trial_ax)
    assert "Psychotherapy: behavioural activation, 4 May 2026, ongoing" in tl.hover_text(x(date(2026, 7, 1)), therapy.row, tl.trial_ax)


def test_a_journal_without_psychotherapy_has_no_psychotherapy_row():
    tl = draw(journal(therapies=()))
    assert tl.therapy_lane is None and "Psychotherapy" not in tl._row_labels


# --------------------------------------------------------------------------- session phases


def test_esketamine_phases_are_told_by_words_and_by_the_markers_fill_not_by_colour_alone():
    tl = draw(journal())
    lines = tl.artists.session_phase_lines
    assert set(lines) == {("esketamine", "induction"), ("esketamine", "optimisation"), ("esketamine", "maintenance")}
    fills = {phase: line.get_fillstyle() for (_, phase), line in lines.items()}
    assert len(set(fills.values())) == 3  # filled, half filled, open
    # one legend entry shows the three markers side by side and names the phases in the same order
    assert "esketamine sessions: induction, optimisation, maintenance" in legend_labels(tl)
    (together,) = [h for h in tl.artists.legend_slot.handles if isinstance(h, tuple)]
    assert [h.get_fillstyle() for h in together] == [fills["induction"], fills["optimisation"], fills["maintenance"]]
    assert len(lines["esketamine", "induction"].get_xdata()) == 8
    set_range(tl, date(2026, 5, 20), date(2026, 10, 1))
    shown = shown_texts(tl.trial_ax)
    assert {"induction", "optimisation", "maintenance"} <= set(shown)
    row = tl.session_lanes[0].row
    assert "(induction)" in tl.hover_text(mdates.date2num(datetime(2026, 6, 1, 10)), row, tl.trial_ax)


def test_sessions_without_a_phase_look_as_before():
    plain = tuple(replace(s, phase=None) for s in esketamine())
    tl = draw(journal(sessions=plain))
    assert tl.artists.session_phase_lines == {} and tl.artists.phase_texts == []
    assert len(tl.artists.session_lines["esketamine"].get_xdata()) == len(plain)
    assert "esketamine sessions" in legend_labels(tl)


# --------------------------------------------------------------------------- the threshold


def test_a_threshold_resting_on_a_remembered_month_is_marked_by_about_that_month():
    contents = journal(trials=(VENLAFAXINE, replace(SERTRALINE, doses=(DoseStep(date(2019, 3, 1), 150, "month"),))))
    a = assess(contents, as_of=AS_OF)
    assert a.threshold_met and a.threshold_date_approximate
    tl = draw(contents)
    assert tl.marker is not None and tl.marker.date == a.threshold_date
    assert tl.marker.text == f"{MARKER_LABEL}\nby about Dec 2019"
    assert tl.artists.marker_text.get_text() == f"{MARKER_LABEL}\nby about Dec 2019"
    assert len(tl.artists.marker_lines) == 2  # the line stays
    assert f"{MARKER_LABEL} by about Dec 2019" in tl.hover_text(x(a.threshold_date), 10.0, tl.score_ax)


def test_a_threshold_that_may_be_met_is_said_in_words_and_never_drawn_as_a_dated_line():
    unknown = replace(SERTRALINE, doses=(DoseStep(date(2019, 3, 1), None, "month"),))
    contents = journal(trials=(VENLAFAXINE, unknown))
    a = assess(contents, as_of=AS_OF)
    assert a.threshold_possible and not a.threshold_met
    tl = draw(contents)
    assert tl.marker is None and tl.artists.marker_lines == [] and tl.artists.marker_text is None
    text = tl.artists.possible_text
    assert text is not None and text.get_text() == POSSIBLE_TEXT == "TRD criteria may be met once remembered details are confirmed"
    assert text.get_transform() == tl.score_ax.transAxes  # fixed in the panel's corner: it stands at no date
    # no vertical line anywhere: every line on either panel is data, none spans the panel at one x
    for ax in (tl.score_ax, tl.trial_ax):
        for line in ax.lines:
            xs = list(line.get_xdata())
            assert not (len(xs) == 2 and xs[0] == xs[1]), line.get_label()
    assert MARKER_LABEL not in legend_labels(tl)
    before = text.get_position()
    set_range(tl, date(2019, 1, 1), date(2020, 1, 1))
    assert text.get_position() == before and text.get_visible()


def test_nothing_is_said_of_what_may_be_met_when_the_criteria_are_met():
    tl = draw(journal())
    assert tl.marker is not None and tl.possible_text == "" and tl.artists.possible_text is None


# --------------------------------------------------------------------------- check-ins with a time


def test_several_check_ins_a_day_are_plotted_in_time_order_at_their_time_of_day():
    day = date(2026, 11, 20)
    checkins = (
        DailyCheckIn("d2", day, mood=7, time=time(20, 30)),
        DailyCheckIn("d1", day, mood=3, time=time(8, 15)),
        DailyCheckIn("d0", day, mood=5),
    )
    tl = draw(journal(checkins=checkins), daily=("mood",))
    dots = tl.artists.daily_point_lines["mood"]
    assert list(dots.get_ydata()) == [5, 3, 7]  # the untimed first, then morning, then evening
    assert list(dots.get_xdata()) == pytest.approx([x(day), x(day) + (8 * 60 + 15) / 1440, x(day) + (20 * 60 + 30) / 1440])
    assert tl.daily_mean7["mood"] == [(day, 5.0)]
    evening = x(day) + (20 * 60 + 30) / 1440
    set_range(tl, day - timedelta(days=1), day + timedelta(days=1))
    tl.figure.canvas.draw()
    y = 7
    px, py = tl.daily_ax.transData.transform((evening, y))
    data_x, data_y = tl.score_ax.transData.inverted().transform((px, py))
    assert "mood 7/10 on 20 Nov 2026 at 20:30" in tl.hover_text(data_x, data_y, tl.score_ax)


# --------------------------------------------------------------------------- after an edit


def test_adding_a_course_of_psychotherapy_draws_the_chart_again_with_its_row():
    contents = journal(therapies=())
    a = assess(contents, as_of=AS_OF)
    options = TimelineOptions(as_of=AS_OF)
    tl = build_timeline(contents, a, options)
    more = replace(contents, therapies=(CBT,))
    after = update_timeline(tl, more, assess(more, as_of=AS_OF), options, changed={"therapies"})
    assert after is not tl and after.therapy_lane is not None
    assert [c.therapy_id for c in after.therapy_lane.courses] == ["p1"]
    assert chart_data(more, assess(more, as_of=AS_OF), options).therapy_lane == after.therapy_lane


def test_a_timed_check_in_changed_moves_its_point_to_its_time_without_a_new_drawing():
    day = date(2026, 11, 20)
    contents = journal(checkins=(DailyCheckIn("d1", day, mood=3, time=time(8, 0)),))
    a = assess(contents, as_of=AS_OF)
    options = TimelineOptions(as_of=AS_OF, daily=("mood",))
    tl = build_timeline(contents, a, options)
    changed = replace(contents, checkins=(DailyCheckIn("d1", day, mood=3, time=time(8, 0)), DailyCheckIn("d2", day, mood=6, time=time(21, 0))))
    after = update_timeline(tl, changed, a, options, changed={"checkins"})
    assert after is tl
    assert list(tl.artists.daily_point_lines["mood"].get_xdata()) == pytest.approx([x(day) + 8 / 24, x(day) + 21 / 24])


def test_no_none_dose_is_used_as_a_number_anywhere_in_the_drawing():
    every_unknown = tuple(replace(t, doses=tuple(replace(s, mg_per_day=None) for s in t.doses)) for t in (VENLAFAXINE, SERTRALINE))
    tl = draw(journal(trials=every_unknown))
    set_range(tl, date(2018, 1, 1), date(2020, 6, 1))
    tl.figure.canvas.draw()
    for lane_ in tl.lanes:
        for seg in lane_.segments:
            assert seg.mg is None and seg.label == UNKNOWN_DOSE
            assert "mg" not in tl.hover_text(x(seg.end), lane_.row, tl.trial_ax).split(" from ")[0]
    assert not any(isinstance(a, Line2D) and a.get_label().startswith("6 weeks") for a in tl.trial_ax.lines)


def test_words_beside_a_bar_are_never_cut_at_the_panel_edge_and_phase_words_wait_for_room_above_the_markers():
    tl = draw(journal())
    set_range(tl, date(2019, 2, 25), date(2022, 6, 1))  # the bar starts a few days into the view: no room before it
    assert "~Mar 2019" not in shown_texts(tl.trial_ax)
    tl.figure.set_size_inches(10, 3.2)  # a short chart: room for words beside the bars, not above the markers
    tl.figure.canvas.draw()
    set_range(tl, date(2026, 5, 20), date(2026, 10, 1))
    assert not {"induction", "optimisation", "maintenance"} & set(shown_texts(tl.trial_ax))


def test_two_questionnaires_on_one_day_are_two_points_in_time_order_and_say_their_time():
    day = date(2026, 11, 3)
    scores = (ScaleScore("q2", day, "PHQ-9", 9, time=time(19, 0)), ScaleScore("q1", day, "PHQ-9", 14, time=time(7, 30)))
    tl = draw(journal(scores=scores))
    line = tl.artists.score_lines["PHQ-9"]
    assert list(line.get_ydata()) == [14, 9]
    assert list(line.get_xdata()) == pytest.approx([x(day) + 7.5 / 24, x(day) + 19 / 24])
    set_range(tl, day - timedelta(days=1), day + timedelta(days=1))
    tl.figure.canvas.draw()
    assert "PHQ-9 9 (mild) on 3 Nov 2026 at 19:00" in tl.hover_text(x(day) + 19 / 24, 9, tl.score_ax)


def test_the_markers_words_turn_to_the_side_of_its_line_with_more_of_the_view():
    tl = draw(journal())
    when = tl.marker.date
    set_range(tl, when - timedelta(days=900), when + timedelta(days=30))  # the line near the right edge
    assert tl.artists.marker_text.get_horizontalalignment() == "right"
    set_range(tl, when - timedelta(days=30), when + timedelta(days=900))
    assert tl.artists.marker_text.get_horizontalalignment() == "left"
