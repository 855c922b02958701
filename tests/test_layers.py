"""The journal core never touches Qt, and the window never talks SQL: checked by import-linter and by reading every file."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept():
    # import-linter's `lint-imports` console script, run through this interpreter so the
    # virtualenv's copy is used wherever the tests run from.
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command(['--no-cache']))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout, result.stdout


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, anywhere in it (top level, inside functions, under `if`), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's own package
                package = path.relative_to(REPO).with_suffix("").parts[: -node.level]
                base = ".".join(package)
                name = f"{base}.{node.module}" if node.module else base
                found.append((node.lineno, name))
                if not node.module:
                    found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            elif node.module:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((node.lineno, arg.value))
    return found


def _is_dynamic_import(node: ast.Call) -> bool:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id == "__import__" or f.id == "import_module"
    return isinstance(f, ast.Attribute) and f.attr == "import_module"


def _top(name: str) -> str:
    return name.split(".")[0]


def _files(folder: str) -> list[Path]:
    files = sorted((REPO / folder).rglob("*.py"))
    assert files, f"no Python files under {folder}/"
    return files


@pytest.mark.slow
def test_the_journal_core_never_imports_qt_or_the_window():
    offences = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in _files("journal")
        for line, name in imported_modules(path)
        if _top(name) in ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")
    ]
    assert offences == []


@pytest.mark.slow
def test_the_window_never_imports_sql():
    offences = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in _files("ui")
        for line, name in imported_modules(path)
        if _top(name) in ("sqlalchemy", "alembic", "sqlite3", "sqlcipher3") or name in ("journal.storage", "journal.migrations")
        or name.startswith(("journal.storage.", "journal.migrations."))
    ]
    assert offences == []


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("import PySide6\n", "PySide6"),
        ("def f():\n    from PySide6.QtWidgets import QWidget\n", "PySide6.QtWidgets"),
        ("def f():\n    if True:\n        import ui.entry as e\n", "ui.entry"),
        ("import importlib\nimportlib.import_module('PySide6.QtCore')\n", "PySide6.QtCore"),
        ("try:\n    import sqlalchemy.orm\nexcept ImportError:\n    pass\n", "sqlalchemy.orm"),
    ],
)
def test_the_scan_sees_imports_wherever_they_hide(tmp_path, source, name):
    # The scan is only worth having if it finds the lazy and hidden imports too.
    fake = tmp_path / "probe.py"
    fake.write_text(source, encoding="utf-8")
    assert name in [n for _, n in imported_modules(fake)]


def test_the_records_and_the_public_names_load_light():
    # `import journal` and the record classes are what a script or a form needs first: they must not
    # pull in SQLAlchemy (the facade and storage load only when a journal is opened), yet the
    # public names are all there when asked for.
    code = (
        "import sys, journal, journal.records, journal.kinds, journal.words, journal.errors, journal.limits\n"
        "assert 'sqlalchemy' not in sys.modules, sorted(m for m in sys.modules if m.startswith('journal'))\n"
        "assert journal.Trial is journal.records.Trial\n"
        "from journal import Journal, open_journal\n"
        "assert Journal.__module__ == 'journal.facade' and open_journal.__module__ == 'journal.opening'\n"
        "assert all(hasattr(journal, name) for name in journal.__all__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
