"""The app in the desktop's menu: its launcher and icons written in a temporary home, replaced and removed, never another's file."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from journal.desktop import ENTRY_MARKER, ICON_MARKER, install, launcher_files, program_command, remove
from journal.errors import JournalError

COMMAND = ["/opt/Trial Journal/trial-journal"]
ENTRY = Path(".local/share/applications/trial-journal.desktop")
PNG = Path(".local/share/icons/hicolor/256x256/apps/trial-journal.png")
SVG = Path(".local/share/icons/hicolor/scalable/apps/trial-journal.svg")
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _lines(home: Path) -> list[str]:
    return (home / ENTRY).read_text(encoding="utf-8").splitlines()


def test_install_writes_the_launcher_and_both_icons_where_the_desktop_looks(tmp_path):
    written = install(COMMAND, home=tmp_path, platform="linux")
    assert set(written) == {tmp_path / ENTRY, tmp_path / PNG, tmp_path / SVG}
    lines = _lines(tmp_path)
    assert lines[0] == "[Desktop Entry]"
    assert {"Type=Application", "Name=Trial Journal", "Icon=trial-journal", ENTRY_MARKER} <= set(lines)
    assert 'Exec="/opt/Trial Journal/trial-journal"' in lines
    assert (tmp_path / PNG).read_bytes() == (RESOURCES / "trial-journal.png").read_bytes()
    assert (tmp_path / SVG).read_bytes() == (RESOURCES / "trial-journal.svg").read_bytes()
    for path in written:  # the menu reads them as any other program's: readable, not executable
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_the_png_icon_is_256_pixels_square():
    data = (RESOURCES / "trial-journal.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert int.from_bytes(data[16:20], "big") == 256 and int.from_bytes(data[20:24], "big") == 256
    assert ICON_MARKER in data and ICON_MARKER in (RESOURCES / "trial-journal.svg").read_bytes()


def test_xdg_data_home_is_honoured_and_a_relative_one_ignored(tmp_path):
    data = tmp_path / "data"
    install(COMMAND, home=tmp_path, platform="linux", env={"XDG_DATA_HOME": str(data)})
    assert (data / "applications" / "trial-journal.desktop").is_file()
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "trial-journal.png").is_file()
    assert not (tmp_path / ENTRY).exists()
    assert launcher_files(home=tmp_path, env={"XDG_DATA_HOME": "relative/data"}).entry == tmp_path / ENTRY


def test_install_again_replaces_the_apps_own_files(tmp_path):
    install(["/old/trial-journal"], home=tmp_path, platform="linux")
    install(COMMAND, home=tmp_path, platform="linux")
    lines = _lines(tmp_path)
    assert 'Exec="/opt/Trial Journal/trial-journal"' in lines and "Exec=/old/trial-journal" not in lines


@pytest.mark.parametrize("taken", [ENTRY, PNG, SVG])
def test_a_file_that_is_not_the_apps_is_never_replaced_and_nothing_is_written(tmp_path, taken):
    (tmp_path / taken).parent.mkdir(parents=True)
    (tmp_path / taken).write_bytes(b"someone else's")
    with pytest.raises(JournalError, match="was not written by Trial Journal") as caught:
        install(COMMAND, home=tmp_path, platform="linux")
    assert str(tmp_path / taken) in str(caught.value)
    assert (tmp_path / taken).read_bytes() == b"someone else's"
    assert [p for p in (ENTRY, PNG, SVG) if (tmp_path / p).exists()] == [taken]


def test_remove_takes_away_only_the_apps_own_files(tmp_path):
    install(COMMAND, home=tmp_path, platform="linux")
    (tmp_path / SVG).write_text("<svg>someone else's</svg>")
    done = remove(home=tmp_path, platform="linux")
    assert done.removed == [tmp_path / ENTRY, tmp_path / PNG]
    assert done.not_ours == [tmp_path / SVG]
    assert not (tmp_path / ENTRY).exists() and not (tmp_path / PNG).exists()
    assert (tmp_path / SVG).read_text() == "<svg>someone else's</svg>"
    again = remove(home=tmp_path, platform="linux")
    assert again.removed == [] and again.not_ours == [tmp_path / SVG]


def test_a_link_where_the_entry_goes_is_not_the_apps(tmp_path):
    target = tmp_path / "elsewhere.desktop"
    target.write_text(f"[Desktop Entry]\n{ENTRY_MARKER}\n")
    (tmp_path / ENTRY).parent.mkdir(parents=True)
    os.symlink(target, tmp_path / ENTRY)
    with pytest.raises(JournalError, match="was not written by Trial Journal"):
        install(COMMAND, home=tmp_path, platform="linux")
    assert remove(home=tmp_path, platform="linux").removed == []
    assert target.exists() and (tmp_path / ENTRY).is_symlink()


@pytest.mark.parametrize(("platform", "name"), [("darwin", "macOS"), ("win32", "Windows")])
def test_other_systems_are_told_plainly_it_is_for_linux(tmp_path, platform, name):
    for action in (lambda: install(COMMAND, home=tmp_path, platform=platform), lambda: remove(home=tmp_path, platform=platform)):
        with pytest.raises(JournalError, match=f"for Linux.*on {name}"):
            action()
    assert list(tmp_path.iterdir()) == []


def test_the_launcher_runs_the_program_and_never_names_a_journal(tmp_path):
    assert program_command(frozen=True, executable="/opt/tj/trial-journal") == ["/opt/tj/trial-journal"]
    assert program_command(frozen=False, executable="/usr/bin/python3") == ["/usr/bin/python3", "-m", "ui.entry"]
    install(home=tmp_path, platform="linux")
    exec_line = next(line for line in _lines(tmp_path) if line.startswith("Exec="))
    assert exec_line.startswith("Exec=") and sys.executable.replace(" ", "") in exec_line.replace('"', "").replace(" ", "")
    assert exec_line.endswith(" -m ui.entry") and "journal.db" not in exec_line and "--journal" not in exec_line


def test_a_command_with_a_control_character_is_refused(tmp_path):
    with pytest.raises(JournalError, match=r"Part 2 .*cannot be written into a desktop entry"):
        install(["/opt/tj", "a\nb"], home=tmp_path, platform="linux")
    assert not (tmp_path / ENTRY).exists()
