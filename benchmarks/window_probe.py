"""Child process of the window benchmarks: shows a window, says when it is first painted, then reports peak memory.

    python -m benchmarks.window_probe bare [--settle S]
    python -m benchmarks.window_probe app JOURNAL [--settle S]
    python -m benchmarks.window_probe bare-chart POINTS_JSON
    python -m benchmarks.window_probe app JOURNAL --chart

Prints `FIRST_PAINT <heavy modules already loaded>` the moment the top-level window gets its first paint event, keeps the
event loop running `--settle` seconds more (so work deferred until after the first paint,
such as loading matplotlib, is counted in memory), then prints `MAXRSS <kB>` and exits at once.
With `--chart` (and in `bare-chart`) it waits instead for a matplotlib canvas to finish painting a
figure that plots data, prints `CHART_DRAWN`, then `MAXRSS`. It watches from outside, with an
application-wide event filter (ui/first_paint.py's, the same one the program installs when
TRIAL_JOURNAL_FIRST_PAINT_REPORT asks for it, as the bundle's benchmark does).
"""

from __future__ import annotations

import argparse
import sys

from ui import first_paint


def _plots_data(widget) -> bool:
    """Whether `widget` is a matplotlib canvas whose figure plots at least one point (read without importing matplotlib)."""
    if not any(cls.__name__ == "FigureCanvasQTAgg" for cls in type(widget).__mro__):
        return False
    figure = getattr(widget, "figure", None)
    return any(len(line.get_xdata()) for ax in getattr(figure, "axes", ()) for line in ax.get_lines())


def _install_chart_probe(app) -> object:
    """Prints `CHART_DRAWN` once a canvas that plots data has handled its paint event, then the peak memory, and exits."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class ChartProbe(QObject):
        seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if not self.seen and event.type() == QEvent.Type.Paint and _plots_data(obj):
                self.seen = True
                # The filter sees the event before the canvas draws: the zero timer runs once its paint is done.
                QTimer.singleShot(0, _drawn)
            return False

    def _drawn() -> None:
        print("CHART_DRAWN", flush=True)
        first_paint.finish()

    probe = ChartProbe()
    app.installEventFilter(probe)
    return probe


def run_bare(settle_s: float) -> int:
    """The baseline: the least a PySide6 program can do to paint a main window of the same size."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    probe = first_paint.install(app, settle_s)  # noqa: F841 (kept alive while the loop runs)
    window = QMainWindow()
    window.setWindowTitle("Trial Journal")
    window.resize(1200, 800)
    window.show()
    return app.exec()


def run_bare_chart(points_file: str) -> int:
    """The chart's baseline: a bare main window holding a matplotlib canvas that plots the same points."""
    import json

    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    probe = _install_chart_probe(app)  # noqa: F841
    with open(points_file, encoding="utf-8") as f:
        points = json.load(f)
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    window = QMainWindow()
    window.setWindowTitle("Trial Journal")
    window.resize(1200, 800)
    figure = Figure(figsize=(10, 5), dpi=100)
    ax = figure.add_subplot()
    for xs, ys in points["series"]:
        ax.plot(xs, ys)
    ax.set_xlim(*points["xlim"])
    window.setCentralWidget(FigureCanvasQTAgg(figure))
    window.show()
    return app.exec()


def run_app(journal: str, settle_s: float, chart: bool = False) -> int:
    """The real window on a journal, started the way the `trial-journal` command starts it."""
    from PySide6.QtWidgets import QApplication

    # The app uses an existing QApplication if there is one, so the probe can be in place first.
    app = QApplication(sys.argv[:1])
    probe = _install_chart_probe(app) if chart else first_paint.install(app, settle_s)  # noqa: F841
    from ui.entry import main

    return main(["--journal", journal]) or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.window_probe")
    parser.add_argument("mode", choices=("bare", "app", "bare-chart"))
    parser.add_argument("journal", nargs="?", help="the journal (app), or the points to plot as JSON (bare-chart)")
    parser.add_argument("--settle", type=float, default=0.0, help="seconds to keep running after the first paint")
    parser.add_argument("--chart", action="store_true", help="app: wait for the timeline to be drawn with data, not the first paint")
    args = parser.parse_args(argv)
    if args.mode == "bare":
        return run_bare(args.settle)
    if not args.journal:
        parser.error(f"{args.mode} needs a file")
    if args.mode == "bare-chart":
        return run_bare_chart(args.journal)
    return run_app(args.journal, args.settle, chart=args.chart)


if __name__ == "__main__":
    sys.exit(main())
