"""Running the real command in tests: its own process, with the person's data folder moved away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FULL = REPO / "tests" / "fixtures" / "full_journal.json"


def run_cli(home: Path, *args: str | os.PathLike) -> subprocess.CompletedProcess:
    """The real command in its own process, with HOME moved so the person's data folder is never touched."""
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    return subprocess.run(
        [sys.executable, "-m", "journal.cli", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
