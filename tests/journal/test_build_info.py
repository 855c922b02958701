"""--version's commit: the one the bundle's build wrote, else the git checkout's, else "unknown"."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from journal import build_info
from journal.build_info import build_commit, version_line


@pytest.fixture
def no_written_commit(monkeypatch):
    monkeypatch.setitem(sys.modules, "journal._build", None)  # importing it raises ModuleNotFoundError, as in a checkout


def test_the_commit_the_bundles_build_wrote_comes_first(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "journal._build", types.SimpleNamespace(COMMIT="abc1234"))
    assert version_line("0.3.0", project=tmp_path) == "trial-journal 0.3.0 (commit abc1234)"


def test_a_written_commit_of_the_wrong_shape_is_not_printed(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "journal._build", types.SimpleNamespace(COMMIT="not a commit; rm -rf"))
    assert version_line("0.3.0", project=tmp_path) == "trial-journal 0.3.0 (commit unknown)"
    monkeypatch.setitem(sys.modules, "journal._build", types.SimpleNamespace())  # a build file without its commit
    assert version_line("0.3.0", project=tmp_path) == "trial-journal 0.3.0 (commit unknown)"


def test_a_git_checkout_gives_its_short_commit(no_written_commit, tmp_path):
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    try:
        subprocess.run([*git, "init", "-q"], check=True, capture_output=True)
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "one"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available here")
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    assert build_commit(tmp_path) == head
    assert version_line("0.3.0", project=tmp_path) == f"trial-journal 0.3.0 (commit {head})"


def test_a_folder_that_is_not_a_checkout_says_commit_unknown(no_written_commit, tmp_path):
    assert version_line("0.3.0", project=tmp_path) == "trial-journal 0.3.0 (commit unknown)"


def test_git_missing_or_too_slow_says_commit_unknown(no_written_commit, monkeypatch, tmp_path):
    (tmp_path / ".git").mkdir()

    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout", 0))

    monkeypatch.setattr(build_info.subprocess, "run", slow)
    assert build_commit(tmp_path) is None
    monkeypatch.setattr(build_info.subprocess, "run", lambda *a, **k: (_ for _ in ()).throw(FileNotFoundError("git")))
    assert version_line("0.3.0", project=tmp_path) == "trial-journal 0.3.0 (commit unknown)"
