"""The desktop bundle, built by scripts/build_bundle.py, runs on a computer with no Python: with an empty environment
it prints its version, opens the demo window, imports the full journal file and assesses it, and stays within 250 MB.

The build takes about 70 s on a fast machine (PyInstaller analyses every import, then the libraries are stripped), so
these run whenever PyInstaller is installed (the test extra has it, so CI builds the bundle); TRIAL_JOURNAL_BUNDLE_TEST=0 leaves them out.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE = PROJECT / "tests" / "fixtures" / "full_journal.json"

pytestmark = [
    pytest.mark.xdist_group("bundle"),  # one worker builds it once for all of them
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason='PyInstaller is not installed: pip install -e ".[bundle]" to test the bundle'),
    pytest.mark.skipif(os.environ.get("TRIAL_JOURNAL_BUNDLE_TEST") == "0",
                       reason="TRIAL_JOURNAL_BUNDLE_TEST=0 leaves out building the bundle (over a minute)"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The bundle folder, built once for this module into a temporary dist folder."""
    dist = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "scripts/build_bundle.py", "--dist", str(dist)], cwd=PROJECT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return dist / "trial-journal"


def _program(bundle: Path) -> Path:
    return bundle / ("trial-journal.exe" if platform.system() == "Windows" else "trial-journal")


def _empty_env(home: Path, **more: str) -> dict[str, str]:
    """What a double-click gives at most: a PATH without Python and a HOME, nothing of this venv."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **more}


def _run(bundle: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(_program(bundle)), *args], env=_empty_env(home), capture_output=True, text=True, cwd=home)


def test_the_bundle_prints_its_version(bundle, tmp_path):
    from journal import __version__

    done = _run(bundle, tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout
    assert "commit unknown" not in done.stdout and "(commit " in done.stdout  # the build's commit, written into the bundle


def test_the_bundle_imports_and_assesses_the_full_journal(bundle, tmp_path):
    db = tmp_path / "x.db"
    imported = _run(bundle, tmp_path, "import", str(FIXTURE), "--journal", str(db))
    assert imported.returncode == 0, imported.stderr
    assert "Imported" in imported.stdout and "5 trials" in imported.stdout

    assessed = _run(bundle, tmp_path, "assess", "--journal", str(db))
    assert assessed.returncode == 0, assessed.stderr
    assert "Maudsley Staging Method score" in assessed.stdout
    assert "Traceback" not in assessed.stderr


def test_the_bundle_opens_the_demo_window_for_ten_seconds(bundle, tmp_path):
    proc = subprocess.Popen([str(_program(bundle)), "--demo"], env=_empty_env(tmp_path, QT_QPA_PLATFORM="offscreen"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass  # still showing the demo after 10 s: what should happen
    else:
        _, err = proc.communicate()
        pytest.fail(f"the demo window closed by itself (exit {proc.returncode}):\n{err[-3000:]}")
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err[-3000:]
    assert "Warning" not in err, err[-3000:]  # e.g. matplotlib's about the 3D toolkit left out of the bundle
    assert "UTF-8 locale" not in err, err[-3000:]  # Qt's complaint when no locale is set, as under env -i


def test_the_unpacked_bundle_is_at_most_250_mb(bundle):
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    assert size <= 250e6, f"the bundle is {size / 1e6:.0f} MB unpacked"


def test_the_bundle_comes_with_its_archive(bundle):
    from scripts.build_bundle import version

    archives = [p.name for p in bundle.parent.iterdir() if p.name.startswith(f"trial-journal-{version()}-")]
    assert len(archives) == 1 and archives[0].endswith((".tar.gz", ".zip")), archives


def test_the_bundle_reports_its_first_paint_when_the_benchmarks_ask(bundle, tmp_path):
    # the bundle benchmark times the bundle by this report (ui/first_paint.py); without it the row could not be measured
    env = _empty_env(tmp_path, QT_QPA_PLATFORM="offscreen", TRIAL_JOURNAL_FIRST_PAINT_REPORT="0")
    done = subprocess.run([str(_program(bundle)), "--demo"], env=env, capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["FIRST_PAINT", "MAXRSS"]


def test_the_bundle_takes_every_command_the_installed_program_takes(bundle, tmp_path):
    installed = subprocess.run([sys.executable, "-m", "ui.entry", "--help"], env=_empty_env(tmp_path, PYTHONPATH=str(PROJECT)),
                               capture_output=True, text=True, cwd=tmp_path)
    frozen = _run(bundle, tmp_path, "--help")
    assert frozen.returncode == installed.returncode == 0, frozen.stderr + installed.stderr
    assert "import" in frozen.stdout and "report" in frozen.stdout and "restore" in frozen.stdout
    assert frozen.stdout == installed.stdout  # the same commands, options and defaults, word for word
