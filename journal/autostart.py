"""Start at login, in the tray: the app's own autostart entry, written and removed without administrator rights.

One entry per system, in the person's own folders:
- Linux and other XDG desktops: `trial-journal.desktop` in `$XDG_CONFIG_HOME/autostart`
  (`~/.config/autostart` when it is not set);
- macOS: a LaunchAgent, `~/Library/LaunchAgents/<LAUNCH_AGENT_LABEL>.plist` (it runs from the next login);
- Windows: `trial-journal.cmd` in the Startup folder (`%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup`).

An entry is the app's own only when it carries the app's marker (the XDG key, the LaunchAgent's
label, the .cmd's first remark): a file of that name without it is never replaced nor removed.
The command may not name a journal nor a passphrase file, so the entry holds no file name of the
person's and nothing about their health.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path

from journal.errors import JournalError
from journal.files.atomic import atomic_write
from journal.files.desktop_file import carries_line, desktop_entry, plain_file_bytes

__all__ = ["enable", "disable", "is_enabled", "entry_path", "LAUNCH_AGENT_LABEL"]

LAUNCH_AGENT_LABEL = "org.trialjournal.TrialJournal"
_DESKTOP_MARKER = "X-Trial-Journal-Autostart=true"
_CMD_MARKER = "rem Trial Journal: start at login, in the tray."
_NAMES_A_FILE = ("--journal", "--passphrase-file")


def _system(platform: str | None) -> str:
    """"macos", "windows" or "xdg" (Linux and every other desktop that follows the XDG rules)."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return "macos"
    if platform in ("win32", "cygwin"):
        return "windows"
    return "xdg"


def _environment(home: Path | None, env: Mapping[str, str] | None) -> tuple[Path, Mapping[str, str]]:
    # A home handed in is a whole home: the real environment's folders never leak into it.
    if env is None:
        env = os.environ if home is None else {}
    return (Path.home() if home is None else Path(home)), env


def entry_path(*, home: Path | None = None, platform: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Where the app's autostart entry lives on this system (whether or not it is there)."""
    home, env = _environment(home, env)
    system = _system(platform)
    if system == "macos":
        return home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    if system == "windows":
        appdata = env.get("APPDATA")
        roaming = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return roaming / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "trial-journal.cmd"
    config = env.get("XDG_CONFIG_HOME")
    # the XDG rules ignore a relative XDG_CONFIG_HOME
    base = Path(config) if config and Path(config).is_absolute() else home / ".config"
    return base / "autostart" / "trial-journal.desktop"


def enable(
    command: list[str], *, home: Path | None = None, platform: str | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """Writes the entry that starts `command` at login (replacing the app's own earlier one); returns its path.

    Refused with a plain message when the command is empty, names a journal or a passphrase
    file, holds a character the entry cannot carry, or when a file that is not the app's is
    already where the entry goes.
    """
    _check_command(command)
    path = entry_path(home=home, platform=platform, env=env)
    if (path.exists() or path.is_symlink()) and not _ours(path):
        raise JournalError(
            f"{path} is already there and was not written by Trial Journal, so it was left as it is. "
            "Start at login was not turned on."
        )
    system = _system(platform)
    if system == "macos":
        data = _launch_agent(command)
    elif system == "windows":
        data = _startup_cmd(command)
    else:
        data = _desktop_entry(command)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, data, mode=0o644)


def disable(*, home: Path | None = None, platform: str | None = None, env: Mapping[str, str] | None = None) -> bool:
    """Removes the app's own entry; True when one was removed, False when there was none (another file is left alone)."""
    path = entry_path(home=home, platform=platform, env=env)
    if not path.is_file() or not _ours(path):
        return False
    path.unlink()
    return True


def is_enabled(*, home: Path | None = None, platform: str | None = None, env: Mapping[str, str] | None = None) -> bool:
    """Whether the app's own entry is there (a file of the same name that is not the app's does not count)."""
    path = entry_path(home=home, platform=platform, env=env)
    return path.is_file() and _ours(path)


# --------------------------------------------------------------------------- the command


def _check_command(command: list[str]) -> None:
    if not command or not all(isinstance(part, str) and part for part in command):
        raise JournalError(f"Start at login needs the command to run, each part a word of text, got {command!r}.")
    for i, part in enumerate(command):
        if part.split("=", 1)[0] in _NAMES_A_FILE:
            raise JournalError(
                f"Start at login never names a file of yours: part {i + 1} of the command is {part.split('=', 1)[0]}. "
                "The window opens the journal it opened last."
            )
        bad = next((ch for ch in part if ord(ch) < 32 or ord(ch) == 127), None)
        if bad is not None:
            raise JournalError(
                f"Part {i + 1} of the command to start at login holds a control character ({bad!r}), which the entry cannot carry."
            )


def _ours(path: Path) -> bool:
    """Whether the file at `path` carries the app's marker."""
    if path.suffix != ".plist":
        return carries_line(path, _CMD_MARKER if path.suffix == ".cmd" else _DESKTOP_MARKER)
    data = plain_file_bytes(path)
    if data is None:
        return False
    try:
        found = plistlib.loads(data)
    except Exception:  # noqa: BLE001 - any file that is not a readable plist is not ours
        return False
    return isinstance(found, dict) and found.get("Label") == LAUNCH_AGENT_LABEL


# --------------------------------------------------------------------------- XDG


def _desktop_entry(command: list[str]) -> bytes:
    return desktop_entry(
        command, comment="Start Trial Journal at login, in the tray", marker=_DESKTOP_MARKER, extra=["X-GNOME-Autostart-enabled=true"]
    )


# --------------------------------------------------------------------------- macOS


def _launch_agent(command: list[str]) -> bytes:
    agent = {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",  # only in a graphical login, where a tray exists
    }
    return plistlib.dumps(agent, fmt=plistlib.FMT_XML)


# --------------------------------------------------------------------------- Windows


def _cmd_argument(part: str) -> str:
    if '"' in part:
        raise JournalError(f"The command to start at login cannot hold a double quote on Windows, got {part!r}.")
    return '"' + part.replace("%", "%%") + '"'  # a batch file reads %NAME% as a variable; inside quotes & | < > are plain


def _startup_cmd(command: list[str]) -> bytes:
    lines = [
        "@echo off",
        _CMD_MARKER,
        "chcp 65001 >nul",  # the file is UTF-8: a folder name with accents reads right
        "rem Written by Trial Journal; turning start at login off removes it.",
        # start "" returns at once, so the console closes while the app runs
        'start "" ' + " ".join(_cmd_argument(part) for part in command),
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")
