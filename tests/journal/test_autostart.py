"""Start at login, in the tray: the app's own entry written and removed in a temporary home, on each system, never another's file."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from journal.autostart import LAUNCH_AGENT_LABEL, disable, enable, entry_path, is_enabled
from journal.errors import JournalError

COMMAND = ["/opt/trial-journal/bin/trial-journal", "--tray"]
PLATFORMS = ["linux", "darwin", "win32"]
WHERE = {
    "linux": Path(".config/autostart/trial-journal.desktop"),
    "darwin": Path(f"Library/LaunchAgents/{LAUNCH_AGENT_LABEL}.plist"),
    "win32": Path("AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/trial-journal.cmd"),
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_entry_is_written_where_the_system_looks_and_removed_again(tmp_path, platform):
    assert not is_enabled(home=tmp_path, platform=platform)
    path = enable(COMMAND, home=tmp_path, platform=platform)
    assert path == tmp_path / WHERE[platform]
    assert path.is_file()
    assert is_enabled(home=tmp_path, platform=platform)
    assert "--tray" in path.read_text(encoding="utf-8")
    assert disable(home=tmp_path, platform=platform) is True
    assert not path.exists()
    assert not is_enabled(home=tmp_path, platform=platform)
    assert disable(home=tmp_path, platform=platform) is False  # nothing left to remove


def test_the_linux_entry_is_a_desktop_entry_that_runs_the_command():
    text = _written("linux", COMMAND)
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    assert "Type=Application" in lines and "Name=Trial Journal" in lines
    assert "Exec=/opt/trial-journal/bin/trial-journal --tray" in lines
    assert "X-Trial-Journal-Autostart=true" in lines


def test_the_desktop_entry_quotes_spaces_and_escapes_percent_signs_and_backslashes():
    text = _written("linux", ["/opt/Trial Journal/python", "-c", "print('100%')", "a\\b"])
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/opt/Trial Journal/python" -c "print(\'100%%\')" "a\\\\\\\\b"'


def test_the_macos_entry_is_a_launch_agent_run_at_login():
    agent = plistlib.loads(_written("darwin", COMMAND).encode("utf-8"))
    assert agent["Label"] == LAUNCH_AGENT_LABEL
    assert agent["ProgramArguments"] == COMMAND
    assert agent["RunAtLoad"] is True


def test_the_windows_entry_is_a_small_cmd_file_that_starts_the_app_and_returns():
    raw = _written("win32", ["C:\\Program Files\\Trial Journal\\pythonw.exe", "-m", "ui.entry", "--tray", "50%"])
    lines = raw.split("\r\n")
    assert lines[0] == "@echo off"
    assert 'start "" "C:\\Program Files\\Trial Journal\\pythonw.exe" "-m" "ui.entry" "--tray" "50%%"' in lines


def _written(platform: str, command: list[str]) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        return enable(command, home=Path(home), platform=platform).read_bytes().decode("utf-8")


def test_xdg_config_home_is_honoured_and_a_relative_one_ignored(tmp_path):
    config = tmp_path / "elsewhere"
    path = enable(COMMAND, home=tmp_path, platform="linux", env={"XDG_CONFIG_HOME": str(config)})
    assert path == config / "autostart" / "trial-journal.desktop"
    assert is_enabled(home=tmp_path, platform="linux", env={"XDG_CONFIG_HOME": str(config)})
    assert not is_enabled(home=tmp_path, platform="linux")
    relative = enable(COMMAND, home=tmp_path, platform="linux", env={"XDG_CONFIG_HOME": "relative/config"})
    assert relative == tmp_path / ".config" / "autostart" / "trial-journal.desktop"


def test_appdata_is_where_windows_keeps_the_startup_folder(tmp_path):
    roaming = tmp_path / "Roaming here"
    path = enable(COMMAND, home=tmp_path, platform="win32", env={"APPDATA": str(roaming)})
    assert path == roaming / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "trial-journal.cmd"


def test_a_home_handed_in_is_never_redirected_by_the_real_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "real-config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "real-appdata"))
    assert entry_path(home=tmp_path / "home", platform="linux") == tmp_path / "home" / WHERE["linux"]
    assert entry_path(home=tmp_path / "home", platform="win32") == tmp_path / "home" / WHERE["win32"]
    # with no home handed in, the person's own environment decides
    assert entry_path(platform="linux") == tmp_path / "real-config" / "autostart" / "trial-journal.desktop"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_apps_own_earlier_entry_is_replaced(tmp_path, platform):
    enable(["/old/trial-journal", "--tray"], home=tmp_path, platform=platform)
    path = enable(COMMAND, home=tmp_path, platform=platform)
    text = path.read_text(encoding="utf-8")
    assert "/opt/trial-journal/bin/trial-journal" in text and "/old/" not in text


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_file_that_is_not_the_apps_is_never_replaced_nor_removed(tmp_path, platform):
    path = tmp_path / WHERE[platform]
    path.parent.mkdir(parents=True)
    theirs = b"someone else's entry\n" if platform != "darwin" else plistlib.dumps({"Label": "com.example.other"})
    path.write_bytes(theirs)
    with pytest.raises(JournalError, match="was not written by Trial Journal") as refused:
        enable(COMMAND, home=tmp_path, platform=platform)
    assert str(path) in str(refused.value)
    assert not is_enabled(home=tmp_path, platform=platform)
    assert disable(home=tmp_path, platform=platform) is False
    assert path.read_bytes() == theirs


def test_a_link_where_the_entry_goes_is_not_followed(tmp_path):
    target = tmp_path / "target.desktop"
    target.write_text("[Desktop Entry]\nX-Trial-Journal-Autostart=true\n", encoding="utf-8")
    path = tmp_path / WHERE["linux"]
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    with pytest.raises(JournalError):
        enable(COMMAND, home=tmp_path, platform="linux")
    assert disable(home=tmp_path, platform="linux") is False
    assert target.exists() and path.is_symlink()


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ([*COMMAND, "--journal", "/home/sam/my journal.db"], "never names a file of yours: part 3 of the command is --journal"),
        ([*COMMAND, "--journal=/home/sam/j.db"], "part 3 of the command is --journal"),
        ([*COMMAND, "--passphrase-file", "/home/sam/pass.txt"], "part 3 of the command is --passphrase-file"),
        ([], "needs the command to run"),
        (["/opt/tj", ""], "needs the command to run"),
        (["/opt/tj", "--tray\nrm -rf ~"], "part 2 of the command to start at login holds a control character"),
    ],
)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_command_that_names_a_journal_or_cannot_be_written_is_refused_and_nothing_is_written(tmp_path, platform, command, words):
    with pytest.raises(JournalError) as refused:
        enable(command, home=tmp_path, platform=platform)
    assert words.lower() in str(refused.value).lower()
    assert not (tmp_path / WHERE[platform]).exists()


def test_a_double_quote_cannot_go_into_the_windows_entry(tmp_path):
    with pytest.raises(JournalError, match="double quote"):
        enable(["C:\\tj.exe", 'say "hi"'], home=tmp_path, platform="win32")
    assert not (tmp_path / WHERE["win32"]).exists()


def test_no_journal_path_or_health_word_is_in_any_entry(tmp_path):
    for platform in PLATFORMS:
        text = enable(COMMAND, home=tmp_path / platform, platform=platform).read_text(encoding="utf-8").lower()
        for word in (".db", "journal.db", "phq", "depress", "sertraline"):
            assert word not in text, (platform, word)
