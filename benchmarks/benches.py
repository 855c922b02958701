"""The in-process benchmarks: assessment, open-and-list, import, timeline, zoom/pan and the PDF report."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.data import BenchJournal, table_rows
from benchmarks.measure import Timing, timed


def _contents(bj: BenchJournal):
    from journal.opening import open_file

    with open_file(bj.db_path, create=False) as journal:
        return journal.contents()


# ------------------------------------------------------------------------------------ assessment


def assessment(bj: BenchJournal, runs: int) -> Timing:
    """assess() over the whole journal as the window calls it: contents in, verdict out."""
    from journal.clinical.assessment import assess
    from journal.clinical.catalog import load_catalog

    contents = _contents(bj)
    catalog = load_catalog()
    today = date.today()
    return timed(lambda _: assess(contents, contents.settings, as_of=today, catalog=catalog), runs=runs)


# ------------------------------------------------------------------------------- open and list


def open_and_list(bj: BenchJournal, runs: int) -> Timing:
    """opening.open_file + contents() + close, against plain sqlite3 reading every row of every table."""
    from journal.opening import open_file

    def app(_: Any) -> None:
        journal = open_file(bj.db_path, create=False)
        journal.contents()
        journal.close()

    tables = list(table_rows(bj.db_path)[1])

    def raw(_: Any) -> None:
        con = sqlite3.connect(bj.db_path)
        for name in tables:
            con.execute(f'SELECT * FROM "{name}"').fetchall()
        con.close()

    return timed(app, baseline=raw, runs=runs)


# ---------------------------------------------------------------------------------------- import


def import_file(bj: BenchJournal, runs: int, folder: Path) -> Timing:
    """`trial-journal import` into a new journal (read, check, create, insert, commit) against
    plain sqlite3 creating the same tables and inserting the same rows in one transaction."""
    from journal.exchange.jsonfile import load_file
    from journal.opening import open_file

    schema, rows = table_rows(bj.db_path)
    counter = iter(range(10**9))

    def fresh_path() -> Path:
        # Flush the previous run's writes first, so neither side pays for the other's fsync.
        os.sync()
        return folder / f"import-{bj.years}y-{next(counter)}.db"

    def app(path: Path) -> None:
        result = load_file(bj.json_path)
        journal = open_file(path, create=True)
        journal.import_contents(result.contents, result.settings_changes, validated=True)
        journal.close()

    def raw(path: Path) -> None:
        con = sqlite3.connect(path)
        with con:
            for sql in schema:
                con.execute(sql)
            for name, (columns, values) in rows.items():
                marks = ", ".join("?" * len(columns))
                con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', values)
        con.close()

    try:
        return timed(app, setup=fresh_path, baseline=raw, baseline_setup=fresh_path, runs=runs)
    finally:
        for path in folder.glob(f"import-{bj.years}y-*"):
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------- diary import

_MOODS = ("rad", "good", "meh", "bad", "awful", "good", "meh")


def daylio_export(bj: BenchJournal, folder: Path) -> Path:
    """A Daylio export as long as the journal's history: two entries a day, newest first, activities and a note on some."""
    from datetime import timedelta

    end = date.fromisoformat(max(s["date"] for s in bj.data["scores"]))
    days = bj.years * 365
    lines = ["\ufefffull_date,date,weekday,time,mood,activities,scales,note_title,note"]
    for i in range(days):
        day = end - timedelta(days=i)
        for hour, k in ((21, i), (8, i + 3)):
            note = f'"Day {i}<br>slept &amp; walked"' if k % 5 == 0 else '""'
            when = f'{day.isoformat()},"{day:%b %d}",{day:%A},{hour}:{k % 60:02d}'
            lines.append(f'{when},{_MOODS[k % 7]},"walk | work | taking SSRI",,,{note}')
    path = folder / f"daylio_export_{bj.years}y.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def diary_import(bj: BenchJournal, runs: int, folder: Path) -> Timing:
    """`trial-journal import-app` of a Daylio export (read, plan, store) into a new journal, against the journal's own
    import of the same check-ins from its JSON file (read, check, store): what reading another app's format costs."""
    import json

    from journal.exchange.diaries import DiaryChoices, plan_import, read_diary, store_plan
    from journal.exchange.importing import import_file as import_json
    from journal.opening import open_file

    export = daylio_export(bj, folder)
    rows = export.read_text(encoding="utf-8").count("\n") - 1
    checkins = [
        {"id": f"d{i}", "date": line.split(",", 1)[0], "scale": "daily", "mood": 5, "time": "21:00", "note": "walk"}
        for i, line in enumerate(export.read_text(encoding="utf-8").splitlines()[1:])
    ]
    same = folder / f"same-checkins-{bj.years}y.json"
    same.write_text(json.dumps({"format": "trial-journal", "version": 2, "scores": checkins}), encoding="utf-8")
    assert len(checkins) == rows
    counter = iter(range(10**9))

    def fresh_path() -> Path:
        os.sync()
        return folder / f"diary-{bj.years}y-{next(counter)}.db"

    def app(path: Path) -> None:
        plan = plan_import(read_diary(export), DiaryChoices())
        with open_file(path, create=True) as journal:
            store_plan(journal, plan)

    def own(path: Path) -> None:
        with open_file(path, create=True) as journal:
            import_json(journal, same)

    try:
        return timed(app, setup=fresh_path, baseline=own, baseline_setup=fresh_path, runs=runs)
    finally:
        for path in folder.glob(f"diary-{bj.years}y-*"):
            path.unlink(missing_ok=True)


# ------------------------------------------------------------------------------ timeline charts

# The window's chart: a 10 x 5 inch figure at 100 dpi (ui/timeline.py), opened on the last year.
FIG_SIZE, FIG_DPI = (10, 5), 100


def _chart_inputs(bj: BenchJournal):
    from journal.clinical.assessment import assess

    contents = _contents(bj)
    today = date.today()
    return contents, assess(contents, contents.settings, as_of=today), today


def _build(contents, verdict, today: date, preset: str | None):
    from matplotlib.figure import Figure

    from journal import charts

    figure = Figure(figsize=FIG_SIZE, dpi=FIG_DPI)
    timeline = charts.build_timeline(contents, verdict, charts.TimelineOptions(as_of=today), figure=figure)
    if preset is not None:
        charts.set_range(timeline, *charts.range_for_preset(contents, preset, today))
    return timeline


def _line_points(fig) -> list[tuple[Any, Any]]:
    """The x/y data of every line the timeline plots: the baseline draws the very same points."""
    points = []
    for ax in fig.axes:
        for line in ax.get_lines():
            x, y = line.get_xdata(orig=False), line.get_ydata(orig=False)
            if len(x) > 1:
                points.append((x, y))
    return points


def timeline(bj: BenchJournal, runs: int, preset: str = "1 year") -> Timing:
    """Build the timeline as the window does (scores, trial lanes, sessions, marker; `preset` in view)
    and draw it with Agg, against a bare matplotlib line plot of the same points and x range."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    contents, verdict, today = _chart_inputs(bj)
    reference = _build(contents, verdict, today, preset)
    FigureCanvasAgg(reference.figure).draw()
    points = _line_points(reference.figure)
    xlim = reference.xlim

    def app(_: Any) -> None:
        tl = _build(contents, verdict, today, preset)
        FigureCanvasAgg(tl.figure).draw()

    def bare(_: Any) -> None:
        fig = Figure(figsize=FIG_SIZE, dpi=FIG_DPI)
        ax = fig.add_subplot()
        for x, y in points:
            ax.plot(x, y)
        ax.set_xlim(*xlim)
        FigureCanvasAgg(fig).draw()

    return timed(app, baseline=bare, runs=runs)


def zoom_pan(bj: BenchJournal, runs: int) -> Timing:
    """One redraw after a zoom preset or a pan, as the window does it (absolute target).

    Alternates: the last 3 months, pan back a month, pan back another month, the last year.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from journal import charts

    contents, verdict, today = _chart_inputs(bj)
    tl = _build(contents, verdict, today, "1 year")
    canvas = FigureCanvasAgg(tl.figure)
    canvas.draw()
    moves = [
        lambda: charts.set_range(tl, *charts.range_for_preset(contents, "3 months", today)),
        lambda: charts.pan(tl, -30),
        lambda: charts.pan(tl, -30),
        lambda: charts.set_range(tl, *charts.range_for_preset(contents, "1 year", today)),
    ]
    state = {"i": 0}

    def step(_: Any) -> None:
        moves[state["i"] % len(moves)]()
        state["i"] += 1
        canvas.draw()

    return timed(step, runs=runs, warmup=len(moves))


# ---------------------------------------------------------------------------------- PDF report


def report(bj: BenchJournal, runs: int, folder: Path, *, whole_history: bool = False) -> Timing:
    """The appointment report written as a PDF: the default one (page one, the earlier history behind it), or the whole history."""
    from journal.reports.pdf import build_report

    contents = _contents(bj)
    out = folder / f"report-{bj.years}y.pdf"
    today = date.today()
    try:
        return timed(lambda _: build_report(contents, out, today=today, whole_history=whole_history), runs=runs)
    finally:
        out.unlink(missing_ok=True)


def scratch_folder(on_disk: bool = False) -> Path:
    """Where the run's journals live: in memory (tmpfs) unless `on_disk`.

    On a disk shared with other work, one fsync can take from 1 to 300 ms, which swamped the
    import baseline (a 40 ms job) and made its ratio a measure of the disk, not of the code.
    In tmpfs both sides do the same work minus the wait for the disk.
    """
    shm = Path("/dev/shm")
    if not on_disk and shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="trial-journal-bench-", dir=shm))
    return Path(tempfile.mkdtemp(prefix="trial-journal-bench-"))


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
