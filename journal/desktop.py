"""The app in the desktop's menu (Linux): its launcher entry and its icon, written and removed without administrator rights.

`install()` writes, in the person's own data folder (`$XDG_DATA_HOME`, `~/.local/share` when it is not set):
- `applications/trial-journal.desktop`, the launcher, which runs this program (the bundle's program when
  it is the bundle, else this Python with `-m ui.entry`) and never names a journal;
- `icons/hicolor/256x256/apps/trial-journal.png` and `icons/hicolor/scalable/apps/trial-journal.svg`, its icon.

Each file is the app's own only when it carries the app's marker (a line of the entry, a text of the
icon): a file of that name without it is never replaced nor removed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from journal.errors import JournalError
from journal.files.atomic import atomic_write
from journal.files.desktop_file import carries_line, desktop_entry

__all__ = ["LauncherFiles", "Removed", "launcher_files", "program_command", "install", "remove", "ENTRY_MARKER", "ICON_MARKER"]

ENTRY_MARKER = "X-Trial-Journal-Launcher=true"
ICON_MARKER = b"X-Trial-Journal-Icon"  # in the PNG's text (scripts/make_icon.py) and the SVG's first comment
ICON_NAME = "trial-journal"
NOT_LINUX = (
    "The desktop entry is for Linux (and other desktops that follow the XDG rules); on {system} it is not needed: "
    "start Trial Journal from the folder it was unpacked to. Nothing was written."
)


@dataclass(frozen=True)
class LauncherFiles:
    """Where the launcher and its icons go, whether or not they are there."""

    entry: Path
    png: Path
    svg: Path

    def all(self) -> tuple[Path, Path, Path]:
        return (self.png, self.svg, self.entry)


@dataclass(frozen=True)
class Removed:
    """What `remove()` did: the app's files it removed, and files of the same names it left because they are not the app's."""

    removed: list[Path]
    not_ours: list[Path]


def program_command(*, frozen: bool | None = None, executable: str | None = None) -> list[str]:
    """What starts this program: the bundle's own program when it is the bundle, else this Python running the app."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = sys.executable if executable is None else executable
    if not executable:
        raise JournalError("The program's own path is not known (Python did not say where it runs from), so no launcher was written.")
    return [executable] if frozen else [executable, "-m", "ui.entry"]


def _system_name(platform: str) -> str | None:
    """The system's name when it is not an XDG desktop ("macOS", "Windows"), else None."""
    if platform == "darwin":
        return "macOS"
    if platform in ("win32", "cygwin"):
        return "Windows"
    return None


def launcher_files(*, home: Path | None = None, env: Mapping[str, str] | None = None) -> LauncherFiles:
    """Where the launcher and its icons go: under $XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute."""
    if env is None:
        env = os.environ if home is None else {}  # a home handed in is a whole home: the real environment never leaks in
    home = Path.home() if home is None else Path(home)
    data = env.get("XDG_DATA_HOME")
    base = Path(data) if data and Path(data).is_absolute() else home / ".local" / "share"
    icons = base / "icons" / "hicolor"
    return LauncherFiles(
        entry=base / "applications" / f"{ICON_NAME}.desktop",
        png=icons / "256x256" / "apps" / f"{ICON_NAME}.png",
        svg=icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
    )


def _ours(path: Path) -> bool:
    """Whether the file at `path` is the app's own launcher or icon (it carries the marker)."""
    if path.suffix == ".desktop":
        return carries_line(path, ENTRY_MARKER)
    if path.is_symlink() or not path.is_file():
        return False
    try:
        return ICON_MARKER in path.read_bytes()
    except OSError:
        return False


def _icon(name: str) -> bytes:
    data = resources.files("resources").joinpath(name).read_bytes()
    if ICON_MARKER not in data:
        raise JournalError(f"The app's icon resources/{name} has lost its marker ({ICON_MARKER.decode()}); run scripts/make_icon.py.")
    return data


def _entry(command: Sequence[str]) -> bytes:
    for i, part in enumerate(command):
        bad = next((ch for ch in part if ord(ch) < 32 or ord(ch) == 127), None)
        if not part or bad is not None:
            raise JournalError(
                f"Part {i + 1} of the program's command ({part!r}) cannot be written into a desktop entry. Nothing was written."
            )
    return desktop_entry(
        command,
        comment="Your private journal",  # plain: the menu is seen by whoever looks at the screen
        marker=ENTRY_MARKER,
        extra=[f"Icon={ICON_NAME}", "Categories=Utility;", "StartupNotify=true"],
    )


def install(
    command: Sequence[str] | None = None,
    *,
    home: Path | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Path]:
    """Writes the launcher and its icons (replacing the app's own earlier ones); returns the paths written.

    Refused with a plain message, before anything is written, on macOS and Windows, and when a file
    that is not the app's is where one of them goes.
    """
    system = _system_name(sys.platform if platform is None else platform)
    if system is not None:
        raise JournalError(NOT_LINUX.format(system=system))
    files = launcher_files(home=home, env=env)
    taken = [path for path in files.all() if (path.exists() or path.is_symlink()) and not _ours(path)]
    if taken:
        raise JournalError(
            f"{taken[0]} is already there and was not written by Trial Journal, so it was left as it is. Nothing was written."
        )
    entry = _entry(program_command() if command is None else list(command))
    contents = {files.png: _icon("trial-journal.png"), files.svg: _icon("trial-journal.svg"), files.entry: entry}
    written = []
    for path, data in contents.items():  # the icons first: the entry never names an icon that is not there yet
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(atomic_write(path, data, mode=0o644))
    return written


def remove(*, home: Path | None = None, platform: str | None = None, env: Mapping[str, str] | None = None) -> Removed:
    """Removes the app's own launcher and icons; files of the same names that are not the app's are left alone."""
    system = _system_name(sys.platform if platform is None else platform)
    if system is not None:
        raise JournalError(NOT_LINUX.format(system=system).replace("Nothing was written.", "Nothing was removed."))
    files = launcher_files(home=home, env=env)
    removed, not_ours = [], []
    for path in (files.entry, files.png, files.svg):  # the entry first: it never names an icon already gone
        if not (path.exists() or path.is_symlink()):
            continue
        if _ours(path):
            path.unlink()
            removed.append(path)
        else:
            not_ours.append(path)
    return Removed(removed=removed, not_ours=not_ours)
