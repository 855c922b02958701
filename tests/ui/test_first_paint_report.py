"""The first-paint report the benchmarks time the program by (TRIAL_JOURNAL_FIRST_PAINT_REPORT): asked for, the
program prints two marker lines, nothing of the journal, and leaves; not asked for, it installs nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import journal_file_with_a_trial
from ui import first_paint

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("value", "settle"), [("", None), ("0", 0.0), ("2.5", 2.5), (" 3 ", 3.0), ("soon", None),
                                               ("-1", None), ("99999", None)])
def test_the_report_is_asked_for_with_a_number_of_seconds(monkeypatch, value, settle):
    monkeypatch.setenv(first_paint.ENV, value)
    assert first_paint.settle_from_environment() == settle


def test_without_the_variable_the_window_installs_no_watcher(monkeypatch, qapp):
    monkeypatch.delenv(first_paint.ENV, raising=False)
    assert first_paint.install_if_asked(qapp) is None


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="runs the real command offscreen")
def test_the_program_asked_for_its_first_paint_prints_only_the_two_markers_and_leaves(tmp_path):
    from benchmarks.window import child_env

    path = journal_file_with_a_trial(tmp_path / "journal.db")
    env = {**child_env(tmp_path / "scratch"), first_paint.ENV: "0.5"}
    done = subprocess.run([sys.executable, "-m", "ui.entry", "--journal", str(path)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["FIRST_PAINT", "MAXRSS"]
    assert "Moodbetterol" not in done.stdout + done.stderr and str(path) not in done.stdout
    assert int(lines[1].split()[1]) > 0  # the peak memory in kB
