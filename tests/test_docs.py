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


def test_the_quick_start_is_two_commands_per_system():
    quick = _section((REPO / "README.md").read_text(encoding="utf-8"), "Quick start")
    blocks = re.findall(r"```(?:sh|bat)\n(.*?)```", quick, flags=re.S)
    assert len(blocks[0].strip().splitlines()) == 2 and len(blocks[1].strip().splitlines()) == 2
    assert "pip install ." in blocks[0] and ".venv/bin/trial-journal" in blocks[0]
    assert "pip install ." in blocks[1] and ".venv\\Scripts\\trial-journal" in blocks[1]
