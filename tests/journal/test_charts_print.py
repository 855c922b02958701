"""The timeline on paper (TimelineOptions(for_print=True)), tested by what a clinician reading the printed report sees."""

from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import combinations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from journal import charts
from journal.charts import TimelineOptions, build_timeline, print_height
from journal.charts.printed import DOSES_IN_TABLE
from journal.charts.style import ADDON_HATCH
from journal.clinical.assessment import assess
from journal.records import DoseStep, Episode, JournalContents, ScaleScore, Trial

TODAY = date(2026, 5, 1)
WIDTH = 510.0  # an A4 page's text width in points


def _synthetic(years: int) -> JournalContents:
    from benchmarks.generator import synthetic_journal
    from journal.exchange.jsonfile import parse_contents

    return parse_contents(synthetic_journal(years, end=TODAY), today=TODAY).contents


def _demo() -> JournalContents:
    from journal.demo import demo_journal
    from journal.exchange.jsonfile import parse_contents

    return parse_contents(demo_journal(TODAY), today=TODAY).contents


def _print(contents, start=None, font_scale=0.85, height=None, scales=("GAD-7",)):
    a = assess(contents, as_of=TODAY)
    options = TimelineOptions(scales=scales, start=start, end=TODAY, as_of=TODAY, font_scale=font_scale, for_print=True)
    preferred, smallest = print_height(contents, a, options, WIDTH)
    h = height or preferred
    figure = Figure(figsize=(WIDTH / 72, h / 72), dpi=72)
    tl = build_timeline(contents, a, options, figure=figure)
    FigureCanvasAgg(figure).draw()
    return tl, (preferred, smallest)


def _texts(tl) -> list[Text]:
    """Every text the page shows: tick labels only of the ticks in view (matplotlib draws no others)."""
    ticks = {id(label) for ax in tl.figure.axes for axis in (ax.xaxis, ax.yaxis) for tick in axis.get_major_ticks() + axis.get_minor_ticks()
             for label in (tick.label1, tick.label2)}
    drawn = {id(tick.label1) for ax in tl.figure.axes for axis in (ax.xaxis, ax.yaxis) for tick in axis._update_ticks() if axis.get_visible()}
    return [
        t for t in tl.figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (id(t) not in ticks or id(t) in drawn)
    ]


def _printed_words(tl) -> str:
    return "\n".join(t.get_text() for t in _texts(tl))


def _two_escitaloprams() -> JournalContents:
    return JournalContents(
        episodes=(Episode("e1", date(2024, 6, 1), None, "moderate"),),
        trials=(
            Trial("t1", "escitalopram", (DoseStep(date(2024, 7, 1), 10), DoseStep(date(2024, 9, 1), 20)), end=date(2024, 12, 1)),
            Trial("t2", "sertraline", (DoseStep(date(2025, 1, 1), 50), DoseStep(date(2025, 3, 1), 100)), end=date(2025, 6, 1)),
            Trial("t3", "Lexapro", (DoseStep(date(2025, 7, 1), 10), DoseStep(date(2025, 9, 1), 20)), end=None),
            Trial("t4", "aripiprazole", (DoseStep(date(2025, 10, 1), 2), DoseStep(date(2025, 12, 1), 5)), augmentation=True),
        ),
        scores=(
            ScaleScore("s1", date(2024, 7, 1), "PHQ-9", 18),
            ScaleScore("s2", date(2024, 8, 1), "PHQ-9", 16),
            ScaleScore("s3", date(2025, 3, 1), "PHQ-9", 14),  # seven months later: the line breaks
            ScaleScore("s4", date(2025, 4, 1), "PHQ-9", 12),
            ScaleScore("g1", date(2024, 7, 1), "GAD-7", 12),
        ),
    )


@pytest.mark.slow
@pytest.mark.parametrize("start", [None, TODAY - timedelta(days=730)], ids=["all", "24 months"])
def test_every_trial_in_a_twenty_year_history_is_named_on_paper(start):
    contents = _synthetic(20)
    tl, _ = _print(contents, start=start)
    words = _printed_words(tl)
    assert "zoom in" not in words and "point at a bar" not in words
    shown = [lane for lane in tl.lanes if start is None or lane.end >= start]
    assert shown
    for lane in shown:
        assert lane.name in words, lane.name  # "escitalopram (3)" as well as "escitalopram"


def test_a_second_trial_of_the_same_generic_drug_is_numbered_by_start_date():
    contents = _two_escitaloprams()
    tl, _ = _print(contents)
    names = {lane.trial_id: lane.name for lane in tl.lanes}
    assert names["t1"] == "escitalopram" and names["t3"] == "Lexapro (2)"  # Lexapro is escitalopram (the catalog)
    assert charts.trial_numbers(contents) == {"t1": 1, "t2": 1, "t3": 2, "t4": 1}
    words = _printed_words(tl)
    assert "Lexapro (2)" in words
    # in the window too: its row, and what the pointer reads on the bar
    window = build_timeline(contents, assess(contents, as_of=TODAY), TimelineOptions(as_of=TODAY))
    assert "Lexapro (2)" in window._row_labels
    lane = next(lane for lane in window.lanes if lane.trial_id == "t3")
    assert window.hover_text(date(2025, 8, 1), lane.row, window.trial_ax).startswith("Lexapro (2) 10 mg/day")


def test_each_dose_step_is_labelled_on_paper_over_its_own_step():
    contents = _two_escitaloprams()
    tl, _ = _print(contents)
    doses = [t for t in tl.artists.print_labels if t.get_text().split()[0].replace(".", "").isdigit()]
    said = sorted(t.get_text().removesuffix(" mg") for t in doses)
    assert said == sorted(["10", "20", "50", "100", "10", "20", "2", "5"])
    assert DOSES_IN_TABLE not in _printed_words(tl)  # every step had room: no "see the table"


@pytest.mark.slow
def test_steps_too_short_to_label_send_the_reader_to_the_table():
    tl, _ = _print(_synthetic(20))  # twenty years on one page: weeks-long steps are a point wide
    assert DOSES_IN_TABLE in _printed_words(tl)


def test_a_score_line_breaks_across_more_than_eight_weeks_and_keeps_its_points():
    tl, _ = _print(_two_escitaloprams())
    ys = list(tl.artists.score_lines["PHQ-9"].get_ydata())
    assert [y for y in ys if y == y] == [18, 16, 14, 12]
    assert ys == [18, 16, ys[2], 14, 12] and ys[2] != ys[2]  # one gap, after the point of 1 Aug 2024


@pytest.mark.slow
@pytest.mark.parametrize("which", ["demo", "demo 24 months", "synthetic 24 months", "synthetic all"])
def test_no_words_overlap_each_other_or_run_off_the_page(which):
    contents = _demo() if which.startswith("demo") else _synthetic(20)
    start = TODAY - timedelta(days=730) if "24" in which else None
    tl, _ = _print(contents, start=start)
    renderer = tl.figure.canvas.get_renderer()
    page = tl.figure.bbox
    boxes = []
    for text in _texts(tl):
        box = text.get_window_extent(renderer)
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, text.get_text()
        boxes.append((text.get_text(), box.shrunk(0.98, 0.9)))
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)


@pytest.mark.slow
def test_call_outs_stand_over_no_data():
    tl, _ = _print(_demo(), start=TODAY - timedelta(days=730))
    renderer = tl.figure.canvas.get_renderer()
    panels = [ax.get_window_extent(renderer) for ax in (tl.score_ax, tl.anxiety_ax, tl.trial_ax)]
    called_out = [t for t in tl.artists.header_texts if t.get_visible()]
    assert any(charts.MARKER_LABEL in t.get_text() for t in called_out)
    for text in called_out:
        box = text.get_window_extent(renderer)
        assert not any(box.overlaps(panel) for panel in panels), text.get_text()
    # and the PHQ-9 bands are named outside the panel, on its right
    for text in tl.artists.band_texts:
        if text.get_visible():
            assert text.get_window_extent(renderer).x0 >= panels[0].x1


@pytest.mark.slow
@pytest.mark.parametrize("font_scale", [0.5, 0.85, 1.0])
def test_no_printed_text_is_smaller_than_7_pt(font_scale):
    tl, _ = _print(_demo(), start=TODAY - timedelta(days=730), font_scale=font_scale)
    sizes = {t.get_text(): t.get_fontsize() for t in _texts(tl)}
    legend = tl.artists.legend
    sizes.update({t.get_text(): t.get_fontsize() for t in legend.get_texts()})
    small = {k: v for k, v in sizes.items() if v < 7.0}
    assert not small


@pytest.mark.slow
def test_print_height_gives_every_lane_a_readable_row_and_the_chart_keeps_them_at_its_smallest():
    contents = _demo()
    a = assess(contents, as_of=TODAY)
    options = TimelineOptions(scales=("GAD-7",), start=TODAY - timedelta(days=730), end=TODAY, as_of=TODAY, font_scale=0.85, for_print=True)
    preferred, smallest = charts.print_height(contents, a, options, WIDTH)
    assert 200 < smallest <= preferred <= 842
    tl, _ = _print(contents, start=TODAY - timedelta(days=730), height=smallest)
    renderer = tl.figure.canvas.get_renderer()
    rows = max(1, len(tl.trial_ax.get_yticks()))
    row_px = tl.trial_ax.get_window_extent(renderer).height / rows
    assert row_px >= 7.0 * 1.5  # a 7 pt name and its bar in each row
    names = [t.get_text() for t in tl.trial_ax.get_yticklabels()]
    assert all(lane.name in " ".join(names) + _printed_words(tl) for lane in tl.lanes)
    with pytest.raises(ValueError, match="width"):
        charts.print_height(contents, a, options, 0)


def test_gad7_has_its_own_panel_under_the_phq9_bands():
    tl, _ = _print(_two_escitaloprams())
    gad = tl.artists.score_lines["GAD-7"]
    assert gad.axes is tl.anxiety_ax and gad not in tl.score_ax.lines
    assert not any(patch in tl.anxiety_ax.patches for patch in tl.artists.band_patches)
    assert tl.anxiety_ax.get_position().y1 <= tl.score_ax.get_position().y0


def test_add_on_bars_are_hatched_and_the_report_renderer_draws_the_hatch(monkeypatch):
    from reportlab.pdfgen.canvas import Canvas

    from journal.reports import pdf_chart

    tl, _ = _print(_two_escitaloprams())
    addon = tl.artists.addon_collection
    assert addon is not None and addon.get_hatch() == ADDON_HATCH and len(addon.get_paths()) == 2
    assert tl.artists.dose_collection.get_hatch() in (None, "")  # antidepressants plain: a pattern tells them apart
    hatches: list[str] = []
    real = pdf_chart._ReportLabRenderer._hatch

    def seen(self, gc, path, transform):
        hatches.append(gc.get_hatch())
        real(self, gc, path, transform)

    monkeypatch.setattr(pdf_chart._ReportLabRenderer, "_hatch", seen)
    canv = Canvas(io.BytesIO())
    fonts = {(False, False): "Helvetica", (True, False): "Helvetica-Bold", (False, True): "Helvetica-Oblique", (True, True): "Helvetica"}
    w, h = tl.figure.get_figwidth() * 72, tl.figure.get_figheight() * 72
    pdf_chart.draw_figure(tl.figure, canv, w, h, fonts)
    assert hatches.count(ADDON_HATCH) >= 3  # both bars, and the legend's entry


def test_a_remembered_trial_still_looks_remembered_on_paper():
    remembered = Trial("r1", "fluoxetine", (DoseStep(date(2024, 3, 1), 20, "month"),), end=date(2024, 9, 1), end_precision="month")
    contents = JournalContents(trials=(remembered,), scores=(ScaleScore("s1", date(2024, 5, 1), "PHQ-9", 15),))
    tl, _ = _print(contents, scales=())
    assert tl.artists.rough_collection is not None and len(tl.artists.rough_collection.get_paths()) == 2


def test_paper_shows_only_the_dates_it_is_given_and_a_trial_crossing_the_start_keeps_its_name():
    contents = JournalContents(
        trials=(
            Trial("old", "paroxetine", (DoseStep(date(2019, 1, 1), 20),), end=date(2019, 6, 1)),
            Trial("across", "venlafaxine", (DoseStep(date(2024, 1, 1), 75), DoseStep(date(2024, 8, 1), 150)), end=date(2024, 12, 1)),
            Trial("now", "bupropion", (DoseStep(date(2025, 2, 1), 150),)),
        ),
        scores=(ScaleScore("s0", date(2019, 3, 1), "PHQ-9", 20), ScaleScore("s1", date(2024, 9, 1), "PHQ-9", 15)),
    )
    start = date(2024, 6, 1)
    tl, _ = _print(contents, start=start, scales=())
    assert [lane.trial_id for lane in tl.lanes] == ["across", "now"]  # nothing of 2019
    assert [p[0] for p in tl.series["PHQ-9"]] == [date(2024, 9, 1)]
    words = _printed_words(tl)
    assert "paroxetine" not in words and "venlafaxine" in words and "150" in words
    x0, x1 = tl.trial_ax.get_xlim()
    from journal.charts.view import day_num

    assert x0 == pytest.approx(day_num(start) - 0.5) and x1 == pytest.approx(day_num(TODAY) + 1.5)


def test_a_trials_end_words_never_print_over_session_marks_packed_onto_its_row():
    from datetime import datetime, time

    from journal.records import Session

    # sertraline stops, esketamine sessions start days later, escitalopram after them: packed, the
    # sessions share sertraline's row, where "stopped: did not work" would run over their marks
    sessions = tuple(
        Session(f"s{i}", datetime.combine(date(2026, 1, 14) + timedelta(days=3 * i), time(10)), "esketamine", 56) for i in range(6)
    )
    contents = JournalContents(
        episodes=(Episode("e1", date(2025, 11, 1), None, "severe"),),
        trials=(
            Trial("t1", "sertraline", (DoseStep(date(2025, 11, 5), 100),), end=date(2026, 1, 1), stop_reason="ineffective"),
            Trial("t2", "escitalopram", (DoseStep(date(2026, 3, 1), 10),)),
        ),
        scores=tuple(ScaleScore(f"p{i}", date(2025, 11, 1) + timedelta(days=14 * i), "PHQ-9", 18) for i in range(12)),
        sessions=sessions,
    )
    start = date(2025, 10, 1)
    _, (_, smallest) = _print(contents, start=start, scales=())
    tl, _ = _print(contents, start=start, scales=(), height=smallest)
    renderer = tl.figure.canvas.get_renderer()
    marks = [
        tl.trial_ax.transData.transform((x, y))
        for line in tl.artists.session_lines.values()
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    ]
    assert marks
    for text in _texts(tl):
        box = text.get_window_extent(renderer).expanded(1.0, 1.0)
        assert not any(box.x0 - 3 <= mx <= box.x1 + 3 and box.y0 - 3 <= my <= box.y1 + 3 for mx, my in marks), text.get_text()
