"""The command's own words: --version, help for every argument, the synced-folder warning, and nothing left beside a file that is not a journal."""

from __future__ import annotations

import argparse
import re

import pytest

from journal import __version__
from journal.cli import COMMANDS, build_parser
from tests.cli.helpers import FULL, run_cli

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process


def _parsers() -> dict[str, argparse.ArgumentParser]:
    top = build_parser()
    found = {"trial-journal": top}
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update({f"trial-journal {name}": p for name, p in action.choices.items()})
    return found


def test_version_prints_the_version_and_the_builds_commit(tmp_path):
    result = run_cli(tmp_path, "--version")
    assert result.returncode == 0 and result.stderr == ""
    assert re.fullmatch(rf"trial-journal {re.escape(__version__)} \(commit ([0-9a-f]{{4,40}}|unknown)\)\n", result.stdout), result.stdout


def test_the_desktop_entry_is_installed_and_removed_in_the_home_and_says_what_it_wrote(tmp_path):
    entry = tmp_path / ".local" / "share" / "applications" / "trial-journal.desktop"
    png = tmp_path / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "trial-journal.png"
    svg = tmp_path / ".local" / "share" / "icons" / "hicolor" / "scalable" / "apps" / "trial-journal.svg"
    result = run_cli(tmp_path, "--install-desktop-entry")
    assert result.returncode == 0 and result.stderr == ""
    for path in (entry, png, svg):
        assert f"wrote {path}" in result.stdout and path.is_file()
    assert "-m ui.entry" in entry.read_text() and "journal.db" not in entry.read_text()
    result = run_cli(tmp_path, "--remove-desktop-entry")
    assert result.returncode == 0
    for path in (entry, png, svg):
        assert f"removed {path}" in result.stdout and not path.exists()
    again = run_cli(tmp_path, "--remove-desktop-entry")
    assert again.returncode == 0 and "no Trial Journal menu entry or icon to remove" in again.stdout


def test_the_desktop_entry_flags_are_given_alone(tmp_path):
    both = run_cli(tmp_path, "--install-desktop-entry", "--remove-desktop-entry")
    assert both.returncode == 2 and "not allowed with argument --install-desktop-entry" in both.stderr
    with_command = run_cli(tmp_path, "--install-desktop-entry", "assess")
    assert with_command.returncode == 2 and "without a command; got the command 'assess' as well" in with_command.stderr
    assert not (tmp_path / ".local" / "share" / "applications").exists()


def test_every_command_is_in_the_help():
    parsers = _parsers()
    assert set(parsers) == {"trial-journal", *(f"trial-journal {c}" for c in COMMANDS)}


@pytest.mark.parametrize("where", list(_parsers()))
def test_every_argument_has_help_with_its_default(where):
    for action in _parsers()[where]._actions:
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue
        name = "/".join(action.option_strings) or action.metavar or action.dest
        assert action.help, f"{where} {name} has no help"
        if action.option_strings and not action.required:
            assert "(default: " in action.help, f"{where} {name} does not say its default"
            if isinstance(action.default, str):
                assert f"(default: {action.default})" in action.help, f"{where} {name}"
        if action.metavar == "DATE":
            assert "YYYY-MM-DD" in action.help, f"{where} {name} does not say how to write a date"


def test_the_help_says_how_dates_are_written_and_where_the_journal_is(tmp_path):
    result = run_cli(tmp_path, "report", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert (
        "--from DATE the first day the report covers, written YYYY-MM-DD (default: the start of the current episode, "
        "or 24 months back when none is current)" in text
    )
    assert "--whole-history cover every record and keep every table in full" in text
    compact = "".join(result.stdout.split())  # a long path may be wrapped at a hyphen
    assert f"(default:{tmp_path / '.local' / 'share' / 'TrialJournal' / 'journal.db'})" in compact
    top = " ".join(run_cli(tmp_path, "--help").stdout.split())
    assert "Dates are written YYYY-MM-DD" in top
    for command in COMMANDS:
        assert f" {command} " in top


def test_the_command_without_a_window_names_every_command():
    import io
    from contextlib import redirect_stderr

    from journal.cli import main

    err = io.StringIO()
    with redirect_stderr(err):
        assert main([]) == 2
    for command in COMMANDS:
        assert f"trial-journal {command} " in err.getvalue()


def test_import_into_a_synced_folder_warns_as_the_window_does(tmp_path):
    from journal.files.hygiene import folder_warning

    folder = tmp_path / "Dropbox" / "journals"
    folder.mkdir(parents=True)
    result = run_cli(tmp_path, "import", FULL, "--journal", folder / "j.db")
    assert result.returncode == 0, result.stderr
    assert (folder / "j.db").exists()  # a warning, not a refusal
    assert "synced by Dropbox" in result.stderr
    assert folder_warning(folder) in result.stderr  # the very words the window shows
    assert "Traceback" not in result.stderr


def test_import_into_a_local_folder_gives_no_warning(tmp_path):
    result = run_cli(tmp_path, "import", FULL, "--journal", tmp_path / "j.db")
    assert result.returncode == 0 and "warning" not in result.stderr


GARBAGE_COMMANDS = {
    "assess": ["assess"],
    "export": ["export", "--out", "OUT"],
    "report": ["report", "--out", "OUT"],
    "backup": ["backup"],
    "import": ["import", str(FULL)],
    "restore": ["restore", "GARBAGE"],
}


@pytest.mark.parametrize("command", list(GARBAGE_COMMANDS))
def test_a_file_that_is_not_a_journal_is_refused_and_nothing_is_left_beside_it(tmp_path, command):
    place = tmp_path / "place"
    place.mkdir()
    garbage = place / "notes.txt"
    garbage.write_text("shopping: bread, milk\n", encoding="utf-8")
    args = [str(place / "out") if a == "OUT" else str(garbage) if a == "GARBAGE" else a for a in GARBAGE_COMMANDS[command]]
    result = run_cli(tmp_path, *args, "--journal", garbage)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert garbage.read_text(encoding="utf-8") == "shopping: bread, milk\n"
    assert sorted(p.name for p in place.iterdir()) == ["notes.txt"]  # no .lock, -wal, backups or output
