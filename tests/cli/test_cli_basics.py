"""The command's own words: --version, help for every argument, the synced-folder warning, and nothing left beside a file that is not a journal."""

from __future__ import annotations

import argparse

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


def test_version_prints_the_version(tmp_path):
    result = run_cli(tmp_path, "--version")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"trial-journal {__version__}\n"


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
