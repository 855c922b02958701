"""Before the window opens on X11: a missing system library is named with the package to install, never a core dump."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from ui import app as app_module
from ui import window_libraries
from ui.window_libraries import XCB_LIBRARIES, library_in_import_error, window_problem

REPO = Path(__file__).resolve().parents[2]
X11 = {"DISPLAY": ":0"}


def loader_without(*absent: str, display_answers: bool = True):
    """A library loader on which `absent` are not installed; the X server answers or not."""
    asked: list[str] = []

    def load(name: str):
        asked.append(name)
        if Path(name).name in absent:
            raise OSError(f"{Path(name).name}: cannot open shared object file: No such file or directory")
        if name == "libxcb.so.1":
            return SimpleNamespace(
                xcb_connect=lambda display, screen: 1,
                xcb_connection_has_error=lambda conn: 0 if display_answers else 1,
                xcb_disconnect=lambda conn: None,
            )
        return object()

    load.asked = asked
    return load


def test_a_missing_x11_library_stops_the_window_with_the_package_to_install(monkeypatch, capsys, tmp_path):
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(window_libraries, "_load", loader_without("libxcb-icccm.so.4"))

    assert app_module.run(journal_path=tmp_path / "journal.db") == 2

    said = capsys.readouterr().err
    assert "the window cannot open" in said and "libxcb-icccm.so.4" in said
    assert "sudo apt install libxcb-icccm4\n" in said
    assert "sudo dnf install xcb-util-wm\n" in said
    assert "Traceback" not in said
    assert list(tmp_path.iterdir()) == []  # no journal was made, nothing was left


def test_every_missing_library_is_listed_and_each_package_named_once():
    said = window_problem(X11, "linux", loader_without("libxcb-keysyms.so.1", "libxcb-randr.so.0", "libxcb-shape.so.0"))
    assert "(libxcb-keysyms.so.1, libxcb-randr.so.0, libxcb-shape.so.0)" in said
    assert "sudo apt install libxcb-keysyms1 libxcb-randr0 libxcb-shape0\n" in said
    assert "sudo dnf install xcb-util-keysyms libxcb\n" in said


def test_a_library_a_newer_qt_needs_is_still_named():
    # every known library loads, but the plugin itself names one more
    if window_libraries._xcb_plugin() is None:
        pytest.skip("this Qt has no xcb plugin")
    known = loader_without()

    def load(name: str):
        if name.endswith("libqxcb.so"):
            raise OSError("libxcb-newthing.so.2: cannot open shared object file: No such file or directory")
        return known(name)

    said = window_problem(X11, "linux", load)
    assert "libxcb-newthing.so.2" in said and "provides it" in said


def test_a_display_that_does_not_answer_is_said_plainly():
    said = window_problem({"DISPLAY": ":7"}, "linux", loader_without(display_answers=False))
    assert "the X display :7 (DISPLAY) does not answer" in said
    assert window_problem({"DISPLAY": ":7"}, "linux", loader_without()) is None


@pytest.mark.parametrize(
    "env",
    [
        {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"},
        {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
        {"QT_QPA_PLATFORM": "minimal"},
    ],
)
def test_offscreen_and_wayland_are_never_held_up(env):
    load = loader_without(*XCB_LIBRARIES)
    assert window_problem(env, "linux", load) is None
    assert load.asked == []


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_other_systems_are_not_checked(platform):
    load = loader_without(*XCB_LIBRARIES)
    assert window_problem(X11, platform, load) is None and load.asked == []


def test_an_explicit_xcb_platform_is_checked():
    said = window_problem({"QT_QPA_PLATFORM": "xcb:nograb", "DISPLAY": ":0"}, "linux", loader_without("libxcb-cursor.so.0"))
    assert "sudo apt install libxcb-cursor0\n" in said


@pytest.mark.skipif(window_libraries._xcb_plugin() is None, reason="this Qt has no xcb plugin")
def test_every_x11_library_the_installed_plugin_needs_has_its_package_named():
    plugin = window_libraries._xcb_plugin()
    needed = set()
    for binary in (plugin, plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6"):
        if binary.exists():
            needed |= {m.decode() for m in re.findall(rb"lib(?:xcb[\w-]*|xkbcommon-x11|X11-xcb)\.so\.\d+", binary.read_bytes())}
    assert needed and needed <= set(XCB_LIBRARIES)


def test_a_missing_library_in_an_import_error_is_found():
    exc = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert library_in_import_error(exc) == "libEGL.so.1"
    assert library_in_import_error(ImportError("No module named 'PySide6'")) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is checked on Linux")
def test_the_real_command_prints_the_packages_and_exits_2_without_a_core_dump(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(DISPLAY=":0", PYTHONPATH=str(REPO))
    code = (
        "import sys, ui.window_libraries as w\n"
        "real = w._load\n"
        "def load(name):\n"
        "    if name.endswith('libxcb-keysyms.so.1'):\n"
        "        raise OSError(name + ': cannot open shared object file')\n"
        "    return real(name)\n"
        "w._load = load\n"
        "from ui.entry import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--journal", str(tmp_path / "j.db")],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    # the faked one is named among the packages to install (with any this machine really lacks)
    assert re.search(r"sudo apt install [^\n]*\blibxcb-keysyms1\b", result.stderr), result.stderr
    assert "Traceback" not in result.stderr and "core dumped" not in result.stderr
    assert not (tmp_path / "j.db").exists()
