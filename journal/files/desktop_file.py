"""Desktop entry files (the XDG `.desktop` format): the launcher and the start-at-login entry write them the same way.

An entry is the app's own only when it carries the app's marker line; the callers never replace
nor remove a file of the same name that lacks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["exec_argument", "desktop_entry", "carries_line", "plain_file_bytes"]

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_argument(part: str) -> str:
    """One argument of a desktop entry's Exec key: quoted when it must be, field codes and backslashes escaped."""
    if any(ch in _RESERVED for ch in part):
        part = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in part) + '"'
    # "%" starts a field code; then the value's own string escapes, which apply before the quoting
    return part.replace("%", "%%").replace("\\", "\\\\")


def desktop_entry(command: Sequence[str], *, comment: str, marker: str, extra: Sequence[str] = ()) -> bytes:
    """The text of an application entry that runs `command`, with `extra` key lines and the marker last."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Trial Journal",
        f"Comment={comment}",
        "Exec=" + " ".join(exec_argument(part) for part in command),
        "Terminal=false",
        *extra,
        marker,
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def plain_file_bytes(path: Path) -> bytes | None:
    """The bytes of the file at `path` when it is a plain file (not a link) that can be read, else None."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def carries_line(path: Path, marker: str) -> bool:
    """Whether the file at `path` is a plain file (not a link) with `marker` as one of its lines."""
    data = plain_file_bytes(path)
    return data is not None and any(line.strip() == marker for line in data.decode("utf-8", errors="replace").splitlines())
