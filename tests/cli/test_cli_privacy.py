"""The real command with an encrypted journal: passphrases only from a file or stdin, exit 2 and nothing changed when wrong."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process

REPO = Path(__file__).resolve().parents[2]
FULL = REPO / "tests" / "fixtures" / "full_journal.json"
PASS = "a long enough passphrase"


def run_cli(home: Path, *args: str | os.PathLike, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    return subprocess.run(
        [sys.executable, "-m", "journal.cli", *map(str, args)],
        cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    return result.stderr


@pytest.fixture
def encrypted(tmp_path):
    """A journal made by `import` with a passphrase file, holding a marker string."""
    marker = "CLI-MARK-" + secrets.token_hex(6)
    data = json.loads(FULL.read_text(encoding="utf-8"))
    data["notes"] = [*data.get("notes", []), {"id": "n-marker", "date": "2025-03-02", "text": marker, "for_appointment": False}]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text(PASS + "\n")
    db = tmp_path / "journal" / "j.db"
    result = run_cli(tmp_path, "import", source, "--journal", db, "--passphrase-file", pass_file)
    assert result.returncode == 0, result.stderr
    return db, pass_file, marker


def test_import_with_a_passphrase_file_makes_an_encrypted_journal_that_only_the_passphrase_opens(tmp_path, encrypted):
    db, pass_file, marker = encrypted
    assert Path(f"{db}.keys").exists()
    for f in db.parent.rglob("*"):
        if f.is_file():
            assert marker.encode() not in f.read_bytes(), f
    before = _digest(db)

    assert "--passphrase-file" in _refused(run_cli(tmp_path, "assess", "--journal", db, "--json"))
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    assert "does not open" in _refused(run_cli(tmp_path, "export", "--out", tmp_path / "x.json", "--journal", db, "--passphrase-file", wrong))
    assert not (tmp_path / "x.json").exists()
    assert _digest(db) == before

    out = tmp_path / "out.json"
    result = run_cli(tmp_path, "export", "--out", out, "--journal", db, "--passphrase-file", "-", stdin=PASS + "\n")
    assert result.returncode == 0, result.stderr
    assert marker in out.read_text(encoding="utf-8")


def test_backup_and_restore_commands_on_an_encrypted_journal(tmp_path, encrypted):
    db, pass_file, marker = encrypted
    result = run_cli(tmp_path, "backup", "--journal", db, "--passphrase-file", pass_file)
    assert result.returncode == 0, result.stderr
    assert "written and checked" in result.stdout
    listing = run_cli(tmp_path, "backup", "--list", "--journal", db)
    assert listing.returncode == 0 and "made by hand" in listing.stdout
    backup = Path(listing.stdout.splitlines()[0].split("\t")[0])
    assert marker.encode() not in backup.read_bytes()

    result = run_cli(tmp_path, "restore", backup.name, "--journal", db, "--passphrase-file", pass_file)
    assert result.returncode == 0, result.stderr
    assert "is kept in" in result.stdout


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from journal.opening import open_journal
    from journal.safekeeping.keystore import read_passphrase
    access = open_journal(sys.argv[1], passphrase=read_passphrase(sys.argv[2]))
    print("open", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_journal_open_in_another_process_is_refused_then_free_after_a_kill(tmp_path, encrypted):
    db, pass_file, _ = encrypted
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db), str(pass_file)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert "already open" in _refused(run_cli(tmp_path, "assess", "--journal", db, "--passphrase-file", pass_file))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()  # waits, and closes its output pipe
    assert run_cli(tmp_path, "assess", "--journal", db, "--passphrase-file", pass_file).returncode == 0
