"""The journal's code stays readable: no function or method in journal/ runs over 100 lines unless it says why.

The convention: a function that has to be long carries a comment `# long: <why>` on the line
right above its `def` (above its decorators, if it has any), e.g.

    # long: one table of every question of the PHQ-9, read top to bottom like the paper form
    def phq9_items() -> list[Item]:

A bare `# long:` with no reason does not count. The length is counted from the `def` line to the
function's last line, blank lines and its docstring included: what a reader has to scroll through.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LONGEST = 100
MARK = "# long:"


def _reason_above(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The reason of a `# long: <why>` comment right above the function (and its decorators), if any."""
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    above = lines[first - 2].strip() if first >= 2 else ""
    if above.startswith(MARK):
        return above[len(MARK) :].strip() or None
    return None


def long_functions(path: Path) -> list[str]:
    """Every function or method in the file over LONGEST lines without a reason, as 'file:line name (n lines)'."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > LONGEST and _reason_above(lines, node) is None:
            found.append(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path.name}:{node.lineno} {node.name} ({length} lines)")
    return found


@pytest.mark.slow
def test_no_function_in_the_journal_is_over_100_lines_unless_it_says_why():
    files = sorted((REPO / "journal").rglob("*.py"))
    assert files
    offenders = [found for path in files for found in long_functions(path)]
    assert offenders == [], "split these, or say why above the def with '# long: <why>':\n" + "\n".join(offenders)


def _function(body_lines: int, above: str = "", decorator: str = "") -> str:
    body = "".join(f"    x{i} = {i}\n" for i in range(body_lines))
    return f"{above}{decorator}def f():\n{body}"


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        (_function(99), False),  # 100 lines with the def: the most allowed
        (_function(100), True),
        (_function(100, above="# long: one table, read top to bottom\n"), False),
        (_function(100, above="# long:\n"), True),  # a reason is needed, not just the word
        (_function(100, above="# long: why\n", decorator="@staticmethod\n"), False),
        (_function(100, above="# long: not right above\n\n"), True),
        ("class C:\n" + "".join("    " + line + "\n" for line in _function(100).splitlines()), True),  # methods too
        ("def outer():\n" + "".join("    " + line + "\n" for line in _function(100).splitlines()), True),  # and nested ones
    ],
)
def test_the_length_check_sees_long_functions_and_their_reasons(tmp_path, source, flagged):
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    assert bool(long_functions(probe)) is flagged
