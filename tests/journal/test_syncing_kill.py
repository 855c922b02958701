"""A sync killed at any moment (SIGKILL, as a power cut or a killed process) loses nothing: the journal opens, and syncing again
brings both computers to the same journal with every note typed on either."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest

from journal import records as r
from journal.opening import open_file

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"), pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
KILLS = 6


def _sync_command(journal: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "ui.entry", "sync", "--folder", str(folder), "--journal", str(journal)]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}


def _sync_and_kill(journal: Path, folder: Path, delay: float) -> None:
    """Start `trial-journal sync` and SIGKILL it after `delay` seconds (or let it be, if it finished first)."""
    proc = subprocess.Popen(_sync_command(journal, folder), cwd=REPO, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()


def _sync(journal: Path, folder: Path) -> None:
    done = subprocess.run(_sync_command(journal, folder), cwd=REPO, env=_environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "skipped" not in done.stdout, done.stdout


def _notes(path: Path) -> dict[str, str]:
    with open_file(path) as journal:
        return {n.id: n.text for n in journal.notes.list()}


def test_a_sync_killed_at_random_moments_loses_nothing_and_both_computers_end_alike(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    home, work = tmp_path / "home" / "j.db", tmp_path / "work" / "j.db"
    rng = random.Random(20250102)
    typed_on: dict[Path, dict[str, str]] = {home: {}, work: {}}  # each note's latest words, by the computer they were typed on
    with open_file(home) as journal:  # a large journal, so a sync takes long enough to be killed inside
        notes = [r.Note(id=str(uuid.uuid4()), date=date(2025, 1, 2), text=f"home note {i} " + "words " * 40) for i in range(3000)]
        journal.apply_sync({"notes": notes}, {})
        typed_on[home].update({n.id: n.text for n in notes})
    with open_file(work) as journal:
        note = journal.notes.add(r.Note(id="", date=date(2025, 1, 2), text="work's first note")).record
        typed_on[work][note.id] = note.text
    for run in range(KILLS):
        with open_file(home) as journal:
            for note in rng.sample(journal.notes.list(), 20):
                typed_on[home][note.id] = f"edited at home in run {run}: {note.text[:20]}"
                journal.notes.update(r.replace(note, text=typed_on[home][note.id]))
        with open_file(work) as journal:
            note = journal.notes.add(r.Note(id="", date=date(2025, 1, 2), text=f"typed at work in run {run}")).record
            typed_on[work][note.id] = note.text
        _sync_and_kill(rng.choice([home, work]), folder, rng.uniform(0.05, 0.6))
        for path in (home, work):  # each opens after the kill (its lock is gone) and holds every note typed on it, as typed
            held = _notes(path)
            assert {rid: held.get(rid) for rid in typed_on[path]} == typed_on[path], f"run {run}"
    for _ in range(2):
        _sync(home, folder)
        _sync(work, folder)
    assert _notes(home) == _notes(work) == {**typed_on[home], **typed_on[work]}
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".part")]
