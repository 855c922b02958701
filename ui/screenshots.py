"""Screenshots of the window with the demo journal, the trial dialog and the PHQ-9 form: `python -m ui.screenshots --out shots/`."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def take(out: Path) -> list[Path]:
    """Render every screenshot offscreen into `out`; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from journal.demo import open_demo_journal
    from ui.main_window import MainWindow
    from ui.questionnaire_dialog import Phq9Dialog
    from ui.session import JournalSession
    from ui.theme import Look
    from ui.trial_dialog import TrialDialog

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    look = Look(app)
    folder = Path(tempfile.mkdtemp(prefix="trial-journal-shots-"))
    written: list[Path] = []
    today = date.today()
    journal = open_demo_journal(folder, today=today)
    try:
        session = JournalSession(journal, demo=True, today=today)
        def shot(widget, name: str) -> None:
            _settle(app)
            path = out / f"{name}.png"
            widget.grab().save(str(path))
            written.append(path)

        for theme, scale, name, size in (
            ("light", 1.0, "main-window", (1500, 950)),
            ("dark", 1.0, "main-window-dark", (1500, 950)),
            ("light", 1.5, "main-window-150", (1800, 1150)),
        ):
            # a settings file of its own, so screenshots never touch (or read) the person's window settings
            settings = QSettings(str(folder / f"{name}.ini"), QSettings.IniFormat)
            settings.setValue("view/theme", theme)
            settings.setValue("view/text_scale", scale)
            window = MainWindow(session, settings=settings, look=look)
            window.resize(*size)
            window.show()
            window.build_chart_now()
            trials = window.lists["trials"]
            trials.select_id(trials.visible_ids()[0])
            shot(window, name)
            window.close()
            window.deleteLater()

        look.apply("light", 1.0)
        trial = next(t for t in session.records("trials") if t.drug == "sertraline")
        dialog = TrialDialog(session, trial)
        dialog.show()
        dialog.resize(860, 1060)  # after show: a form fits the (offscreen) screen when first shown
        shot(dialog, "trial-dialog")
        dialog.done(0)  # closed as it is: a changed form would otherwise ask about its changes

        dialog = Phq9Dialog(session)
        dialog.show()
        dialog.resize(1000, 1180)  # after show: a form fits the (offscreen) screen when first shown
        for row, value in zip(dialog.rows, (2, 3, 2, 3, 1, 2, 2, 1), strict=False):
            row.set_value(value)
        shot(dialog, "phq9-form")
        dialog.rows[8].set_value(1)  # item 9 above 0: the crisis panel appears at the top at once
        dialog.difficulty_row.set_value(2)
        shot(dialog, "phq9-crisis-panel")
        dialog.done(0)  # closed as it is: a changed form would otherwise ask about its changes

        look.apply("dark", 1.5)
        dialog = Phq9Dialog(session)
        dialog.show()
        dialog.resize(1300, 1500)  # after show: a form fits the (offscreen) screen when first shown
        for row, value in zip(dialog.rows, (1, 1, 2, 2, 0, 1, 1, 0, 1), strict=False):
            row.set_value(value)
        shot(dialog, "phq9-form-dark-150")
        dialog.done(0)  # closed as it is: a changed form would otherwise ask about its changes
        look.apply("system", 1.0)
    finally:
        journal.close()
        shutil.rmtree(folder, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("shots"), help="folder for the PNG files (default: shots/)")
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
