"""What the bundle's build asks of PyInstaller on each system (scripts/build_bundle.py): checked without building,
so the Windows and macOS choices are tested here too, though only CI builds those bundles."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.autostart import LAUNCH_AGENT_LABEL
from scripts import build_bundle

PROJECT = Path(__file__).resolve().parent.parent


def _args(monkeypatch, system: str, tmp_path: Path) -> list[str]:
    monkeypatch.setattr(build_bundle, "_system", lambda: system)
    return build_bundle.pyinstaller_args(tmp_path / "dist", tmp_path / "work", tmp_path / "main.py")


def _value(args: list[str], option: str) -> str | None:
    return args[args.index(option) + 1] if option in args else None


@pytest.mark.parametrize("system", ["linux", "windows", "macos"])
def test_every_system_builds_one_folder_named_trial_journal_with_the_resources_and_migrations(monkeypatch, tmp_path, system):
    args = _args(monkeypatch, system, tmp_path)
    assert "--onedir" in args and _value(args, "--name") == "trial-journal"
    data = [args[i + 1] for i, a in enumerate(args) if a == "--add-data"]
    assert any(d.startswith(str(PROJECT / "resources")) for d in data)
    assert any(d.startswith(str(PROJECT / "journal" / "migrations")) for d in data)
    assert "sqlcipher3" in args  # the encrypted journal's driver, loaded by name


def test_linux_keeps_its_console_so_the_commands_print(monkeypatch, tmp_path):
    args = _args(monkeypatch, "linux", tmp_path)
    assert "--windowed" not in args and "--icon" not in args  # the desktop entry carries the icon on Linux


@pytest.mark.parametrize("system", ["windows", "macos"])
def test_windows_and_macos_get_a_windowed_program_with_the_journals_icon(monkeypatch, tmp_path, system):
    args = _args(monkeypatch, system, tmp_path)
    assert "--windowed" in args
    icon = Path(_value(args, "--icon"))
    assert icon == PROJECT / "resources" / "trial-journal.png" and icon.is_file()


def test_the_macos_app_is_identified_as_its_login_item_is(monkeypatch, tmp_path):
    assert _value(_args(monkeypatch, "macos", tmp_path), "--osx-bundle-identifier") == LAUNCH_AGENT_LABEL
    assert "--osx-bundle-identifier" not in _args(monkeypatch, "windows", tmp_path)
