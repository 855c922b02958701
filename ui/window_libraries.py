"""Before the window opens on Linux: are the system libraries that Qt's X11 support needs installed, and is the display reachable?

Qt's X11 (xcb) platform plugin links against a dozen small X libraries that a minimal
Debian, Ubuntu or Fedora does not install. Without one of them Qt prints a hint and aborts
with a core dump. This module looks first, without importing Qt, and says in plain words
which packages to install. It never stands in the way of the offscreen or Wayland platforms.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = [
    "SYSTEM_LIBRARIES",
    "XCB_LIBRARIES",
    "uses_x11",
    "missing_x11_libraries",
    "window_problem",
    "missing_library_message",
    "library_in_import_error",
]

# Every shared library that Qt's xcb plugin (plugins/platforms/libqxcb.so and
# lib/libQt6XcbQpa.so) needs from the system, with the package that holds it:
# (Debian and Ubuntu, Fedora).
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
}
# What Qt's own libraries (QtGui, QtWidgets) need from the system on any platform, offscreen too.
SYSTEM_LIBRARIES: dict[str, tuple[str, str]] = {
    **XCB_LIBRARIES,
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

Loader = Callable[[str], object]


def _load(name: str) -> object:
    """Load a shared library the way Qt's plugin loader would find it; OSError when it cannot."""
    return ctypes.CDLL(name)


def _platforms(env: Mapping[str, str]) -> list[str]:
    """The Qt platforms in the order Qt will try them (QT_QPA_PLATFORM is a ';' list of name[:options])."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [part.split(":", 1)[0].strip().lower() for part in chosen.split(";") if part.strip()]
    wayland_session = env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE", "").lower() != "x11"
    if wayland_session:
        return ["wayland", "xcb"]
    return ["xcb"] if env.get("DISPLAY") else []


def uses_x11(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will start on X11 first: Linux, with QT_QPA_PLATFORM unset (and an X display) or xcb."""
    if not platform.startswith("linux"):
        return False
    platforms = _platforms(env)
    return bool(platforms) and platforms[0] == "xcb"


def missing_x11_libraries(load: Loader | None = None) -> list[str]:
    """The X11 libraries Qt's xcb plugin needs that cannot be loaded, in a stable order (empty when all are there).

    When all the known ones load, the plugin itself is loaded too, so a library a newer Qt
    has come to need is still named.
    """
    load = load or _load
    missing = []
    for soname in XCB_LIBRARIES:
        try:
            load(soname)
        except OSError:
            missing.append(soname)
    if missing:
        return missing
    plugin = _xcb_plugin()
    if plugin is not None:
        try:
            load(str(plugin))
        except OSError as exc:
            soname = _library_in_message(str(exc))
            if soname:
                return [soname]
    return []


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    for folder in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


_MISSING = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


def _library_in_message(text: str) -> str | None:
    match = _MISSING.search(text)
    return match.group(1) if match else None


def library_in_import_error(exc: BaseException) -> str | None:
    """The system library named by an ImportError from loading Qt ("libEGL.so.1: cannot open shared object file"), or None."""
    return _library_in_message(str(exc))


def missing_library_message(missing: list[str], *, what: str = "Qt's X11 support") -> str:
    """The plain message for missing system libraries: which ones, and the packages to install on Debian/Ubuntu and Fedora."""
    debian = _unique(SYSTEM_LIBRARIES[s][0] for s in missing if s in SYSTEM_LIBRARIES)
    fedora = _unique(SYSTEM_LIBRARIES[s][1] for s in missing if s in SYSTEM_LIBRARIES)
    one = len(missing) == 1
    lines = [
        f"trial-journal: the window cannot open: {what} needs {'a system library' if one else 'system libraries'} "
        f"that {'is' if one else 'are'} not installed ({', '.join(missing)}).",
    ]
    if debian:
        lines += [
            f"Install {'it' if one else 'them'}, then start trial-journal again:",
            f"  Debian or Ubuntu:  sudo apt install {' '.join(debian)}",
            f"  Fedora:            sudo dnf install {' '.join(fedora)}",
        ]
    else:
        lines.append("Install the package of your system that provides it, then start trial-journal again.")
    lines.append("Your journal is untouched, and every command works without the window (trial-journal --help).")
    return "\n".join(lines)


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def _display_reachable(display: str, load: Loader) -> bool:
    """Whether the X server named by DISPLAY answers (libxcb's own connect); True when that cannot be told."""
    try:
        xcb = load("libxcb.so.1")
        connect, has_error, disconnect = xcb.xcb_connect, xcb.xcb_connection_has_error, xcb.xcb_disconnect
    except (OSError, AttributeError):
        return True
    connect.restype = ctypes.c_void_p
    connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    has_error.restype = ctypes.c_int
    has_error.argtypes = [ctypes.c_void_p]
    disconnect.restype = None
    disconnect.argtypes = [ctypes.c_void_p]
    conn = connect(display.encode(), None)
    if not conn:
        return False
    try:
        return has_error(conn) == 0
    finally:
        disconnect(conn)  # xcb_connect always returns a connection to free, even a failed one


def window_problem(env: Mapping[str, str] | None = None, platform: str | None = None, load: Loader | None = None) -> str | None:
    """What stops the window from opening on X11, as the message to print; None when nothing does (or it is not X11)."""
    env = os.environ if env is None else env
    load = load or _load
    if not uses_x11(env, platform or sys.platform):
        return None
    missing = missing_x11_libraries(load)
    if missing:
        return missing_library_message(missing)
    display = env.get("DISPLAY", "")
    if not display or not _display_reachable(display, load):
        said = f"the X display {display} (DISPLAY) does not answer" if display else "no X display is set (DISPLAY)"
        return (
            f"trial-journal: the window cannot open: {said}.\n"
            "Start trial-journal from a desktop session, or set DISPLAY to a display that is running.\n"
            "Your journal is untouched, and every command works without the window (trial-journal --help)."
        )
    return None
