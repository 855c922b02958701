"""Which build this is: the version and the commit it was made from, as `trial-journal --version` prints them.

The commit comes from `journal/_build.py` (COMMIT = "..."), which the bundle's build writes; else,
in a git checkout, from `git rev-parse --short HEAD` run quietly in the project folder; else it is
"unknown".
"""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

__all__ = ["build_commit", "version_line"]

PROJECT = Path(__file__).resolve().parent.parent
_COMMIT_SHAPE = re.compile(r"^[0-9a-f]{4,40}$")
GIT_TIMEOUT_S = 2.0


def _written_commit() -> str | None:
    """The commit the bundle's build wrote into journal/_build.py, if there is one of the right shape."""
    try:
        build = importlib.import_module("journal._build")  # imported by name: it is there only in a built bundle
    except ModuleNotFoundError as exc:
        if exc.name != "journal._build":
            raise
        return None
    try:
        commit = build.COMMIT
    except AttributeError:  # a _build.py without its commit
        return None
    return commit if isinstance(commit, str) and _COMMIT_SHAPE.match(commit) else None


def _git_commit(project: Path) -> str | None:
    """The checkout's short commit, or None when it is not a git checkout or git is not there, slow or unhappy."""
    if not (project / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(project), "rev-parse", "--short", "HEAD"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and _COMMIT_SHAPE.match(commit) else None


def build_commit(project: Path | None = None) -> str | None:
    """The short commit this program was built from, or None when it cannot be known."""
    return _written_commit() or _git_commit(PROJECT if project is None else project)


def version_line(version: str, program: str = "trial-journal", project: Path | None = None) -> str:
    """"trial-journal 0.3.0 (commit abc1234)", or "(commit unknown)" when the commit cannot be known."""
    return f"{program} {version} (commit {build_commit(project) or 'unknown'})"
