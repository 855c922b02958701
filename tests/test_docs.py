"""The README a new user reads: one command table with every command, and commands that run on any machine."""

from __future__ import annotations

import re
from pathlib import Path

from journal.cli import COMMANDS

REPO = Path(__file__).resolve().parents[1]


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else None]


def test_the_command_table_is_one_table_with_every_command():
    section = _section((REPO / "README.md").read_text(encoding="utf-8"), "The command line")
    lines = section.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| command |"))
    table = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break  # a blank line ends a Markdown table: whatever follows is no longer in it
        table.append(line)
    for command in COMMANDS:
        assert any(row.startswith(f"| `trial-journal {command}") for row in table), f"{command} is not in the table"
    assert not any(line.startswith("| `trial-journal") for line in lines[first + len(table) :])


def test_the_readmes_name_no_machine_and_run_python_from_the_projects_environment():
    for readme in (REPO / "README.md", REPO / "benchmarks" / "README.md"):
        text = readme.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])/(work|root|home/\w+|Users/\w+)/", text), readme
        # every `python -m ...` or `python script.py` is run with the environment's Python
        assert not re.search(r"(?<![/\\\w])python3? (-m |\S+\.py)(?!venv)", text), readme


def _quick_start_commands() -> list[list[str]]:
    quick = _section((REPO / "README.md").read_text(encoding="utf-8"), "Quick start")
    blocks = re.findall(r"```(?:sh|bat)\n(.*?)```", quick, flags=re.S)
    return [[line for line in block.splitlines() if line.strip() and not line.startswith("#")] for block in blocks]


def test_the_quick_start_is_two_commands_per_system():
    unix, windows = _quick_start_commands()[:2]
    assert len(unix) == 2 and len(windows) == 2
    assert "pip install ." in unix[0] and unix[0].endswith(".venv/bin/trial-journal")
    assert "pip install ." in windows[0] and windows[0].endswith(".venv\\Scripts\\trial-journal")
    assert "[test]" in unix[1] and unix[1].endswith("-m pytest -n auto")
    assert "[test]" in windows[1] and windows[1].endswith("-m pytest -n auto")


def test_ci_runs_the_readmes_test_command_exactly():
    unix_tests = _quick_start_commands()[0][1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert unix_tests in ci.splitlines()
