"""The window benchmarks, each against a bare PySide6 window: start to first paint, to the timeline drawn with data, and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60


@dataclass
class ProbeRuns:
    """Every child run's time to first paint (ms) and peak resident memory (MB)."""

    paint_ms: list[float] = field(default_factory=list)
    maxrss_mb: list[float] = field(default_factory=list)
    loaded_before_paint: list[str] = field(default_factory=list)

    @property
    def paint_median(self) -> float:
        return statistics.median(self.paint_ms)

    @property
    def maxrss_median(self) -> float:
        return statistics.median(self.maxrss_mb)


def child_env(scratch: Path) -> dict[str, str]:
    """Offscreen Qt, and config/data/cache folders inside the scratch folder so no real settings are touched."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                     ("MPLCONFIGDIR", "mpl")):
        (scratch / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(scratch / sub)
    (scratch / "run").mkdir(mode=0o700, exist_ok=True)  # the window's local socket, never in the shared /tmp
    env["XDG_RUNTIME_DIR"] = str(scratch / "run")
    # An installed Trial Journal runs from compiled bytecode (pip writes it); without this the
    # children would compile ui/ and journal/ from source on every start and time the compiler.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("TRIAL_JOURNAL_DEBUG", None)
    return env


def probe_once(args: list[str], env: dict[str, str], settle_s: float, marker: str = "FIRST_PAINT") -> tuple[float, float, list[str]]:
    """One window probe child (benchmarks.window_probe with `args`); see `run_once`."""
    return run_once([sys.executable, "-m", "benchmarks.window_probe", *args, "--settle", str(settle_s)], env, marker)


def run_once(cmd: list[str], env: dict[str, str], marker: str = "FIRST_PAINT") -> tuple[float, float, list[str]]:
    """One child process: milliseconds from spawn to its `marker` line (its first paint, or CHART_DRAWN when the
    timeline has been drawn with data), its peak memory in MB, and the heavy libraries it had loaded by its first paint.
    The child is the window probe, or a program started with TRIAL_JOURNAL_FIRST_PAINT_REPORT (ui/first_paint.py)."""
    paint_ms = rss_kb = None
    loaded: list[str] = []
    with tempfile.TemporaryFile(mode="w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=ROOT)
        # A window stuck on a dialog would never print; the watchdog ends it so the run goes on.
        watchdog = threading.Timer(TIMEOUT_S, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith(marker) and paint_ms is None:
                    paint_ms = (time.perf_counter() - start) * 1000.0
                    parts = line.split()
                    loaded = parts[1].split(",") if len(parts) > 1 else []
                elif line.startswith("MAXRSS"):
                    rss_kb = int(line.split()[1])
                    break
            proc.wait(timeout=TIMEOUT_S)
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if paint_ms is None or rss_kb is None:
            err.seek(0)
            raise RuntimeError(
                f"{Path(cmd[0]).name} {' '.join(cmd[1:])} did not report {marker} (exit {proc.returncode}):\n{err.read()[-2000:]}"
            )
    return paint_ms, rss_kb / 1024.0, loaded


def probe_pair(baseline_args: list[str], args: list[str], env: dict[str, str], *, runs: int, settle_s: float,
               warmup: int = 1, marker: str = "FIRST_PAINT") -> tuple[ProbeRuns, ProbeRuns]:
    """As `probe`, for a measured child and its baseline taking turns (baseline, measured, baseline, ...), so a busy
    moment of a shared machine slows both alike; returns (measured, baseline)."""
    def command(these: list[str]) -> list[str]:
        return [sys.executable, "-m", "benchmarks.window_probe", *these, "--settle", str(settle_s)]

    return run_pair(command(baseline_args), command(args), env, env, runs=runs, warmup=warmup, marker=marker)


def run_pair(baseline_cmd: list[str], cmd: list[str], baseline_env: dict[str, str], env: dict[str, str], *, runs: int,
             warmup: int = 1, marker: str = "FIRST_PAINT") -> tuple[ProbeRuns, ProbeRuns]:
    """Two programs taking turns (baseline, measured, baseline, ...), each with its own environment, after `warmup`
    rounds that fill the OS file cache; returns (measured, baseline)."""
    for _ in range(warmup):
        run_once(baseline_cmd, baseline_env, marker)
        run_once(cmd, env, marker)
    measured, baseline = ProbeRuns(), ProbeRuns()
    for _ in range(runs):
        for these, their_env, out in ((baseline_cmd, baseline_env, baseline), (cmd, env, measured)):
            ms, mb, loaded = run_once(these, their_env, marker)
            out.paint_ms.append(round(ms, 1))
            out.maxrss_mb.append(round(mb, 1))
            out.loaded_before_paint = loaded
    return measured, baseline


def probe(args: list[str], env: dict[str, str], *, runs: int, settle_s: float, warmup: int = 1,
          marker: str = "FIRST_PAINT") -> ProbeRuns:
    """Median over several fresh processes; the warm-up run fills the OS file cache as a second launch would."""
    for _ in range(warmup):
        probe_once(args, env, settle_s, marker)
    out = ProbeRuns()
    for _ in range(runs):
        ms, mb, loaded = probe_once(args, env, settle_s, marker)
        out.paint_ms.append(round(ms, 1))
        out.maxrss_mb.append(round(mb, 1))
        out.loaded_before_paint = loaded
    return out


def chart_points(db_path: Path, scratch: Path) -> Path:
    """The points the chart's baseline plots, written as JSON in the scratch folder: the journal's last year of
    PHQ-9 totals and daily mood, with that year as the x range. Made-up data, removed with the scratch folder."""
    import json
    from datetime import date

    from matplotlib import dates as mdates

    from journal.charts.model import months_before
    from journal.opening import open_file

    with open_file(db_path, create=False) as journal:
        contents = journal.contents()
    today = date.today()
    start = months_before(today, 12)

    def x(d: date) -> float:
        return float(mdates.date2num(d))

    phq = sorted((s.date, s.total) for s in contents.scores if s.scale == "PHQ-9" and start <= s.date <= today)
    mood = sorted((c.date, c.mood) for c in contents.checkins if c.mood is not None and start <= c.date <= today)
    series = [[[x(d) for d, _ in pts], [float(v) for _, v in pts]] for pts in (phq, mood)]
    path = scratch / f"chart-points-{db_path.stem}.json"
    path.write_text(json.dumps({"series": series, "xlim": [x(start), x(today) + 1]}), encoding="utf-8")
    return path
