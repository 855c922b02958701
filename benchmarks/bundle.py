"""The desktop bundle's benchmarks: its unpacked size, and its start to first paint beside the pip-installed program.

Both programs are started the same way, `trial-journal --journal JOURNAL`, offscreen, with
TRIAL_JOURNAL_FIRST_PAINT_REPORT set (ui/first_paint.py): each prints a line at its window's first paint, which is
timed from the process's spawn. They take turns, after a warm-up round each, so a busy moment slows both alike.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

from benchmarks import window
from scripts.build_bundle import NAME, size_mb

__all__ = ["build", "checked", "first_paint", "pip_program", "program_name", "size_mb"]  # size_mb: the build script's count

ROOT = Path(__file__).resolve().parent.parent


def program_name() -> str:
    return f"{NAME}.exe" if platform.system() == "Windows" else NAME


def pip_program() -> Path:
    """The `trial-journal` command pip installed beside this Python (in the virtual environment's bin or Scripts)."""
    path = Path(sys.executable).parent / program_name()
    if not path.is_file():
        raise RuntimeError(f"no pip-installed {NAME} beside {sys.executable}: pip install -e . first")
    return path


def build(scratch: Path) -> Path:
    """Builds the bundle from this checkout into the scratch folder (about a minute) and returns its folder."""
    if not _has_pyinstaller():
        raise RuntimeError('PyInstaller is not installed: pip install -e ".[bundle]" to measure the bundle')
    dist = scratch / "dist"
    print("building the desktop bundle from this checkout (about a minute) ...", file=sys.stderr, flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "scripts/build_bundle.py", "--dist", str(dist), "--no-archive"], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the bundle did not build (exit {done.returncode}): {(done.stderr or done.stdout)[-1500:]}")
    return dist / NAME


def _has_pyinstaller() -> bool:
    import importlib.util

    return importlib.util.find_spec("PyInstaller") is not None


def checked(folder: Path) -> Path:
    """`folder` if it holds a bundle's program, else a clear error."""
    if not (folder / program_name()).is_file():
        raise RuntimeError(f"{folder} holds no {program_name()}: build it with python scripts/build_bundle.py")
    return folder


def bundle_env(env: dict[str, str]) -> dict[str, str]:
    """The child environment without what only a Python program reads (the bundle would ignore it anyway)."""
    return {k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONPYCACHEPREFIX", "PYTHONHOME")}


def first_paint(folder: Path, journal: Path, env: dict[str, str], *, runs: int) -> tuple[window.ProbeRuns, window.ProbeRuns]:
    """(bundle, pip-installed): each program's runs from spawn to the first paint of its window on `journal`."""
    asked = {**env, "TRIAL_JOURNAL_FIRST_PAINT_REPORT": "0"}
    pip_cmd = [str(pip_program()), "--journal", str(journal)]
    bundle_cmd = [str(folder / program_name()), "--journal", str(journal)]
    return window.run_pair(pip_cmd, bundle_cmd, asked, bundle_env(asked), runs=runs)
