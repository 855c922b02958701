"""A second start finds the open window through a socket in the person's own runtime folder, never the shared /tmp."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from journal.safekeeping.locking import channel_name
from ui.single_window import WindowChannel, channel_address

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Windows uses named pipes, not socket files")


def test_the_window_socket_is_in_the_private_runtime_folder(qtbot, tmp_path):
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])  # the test run's own (tests/conftest.py)
    widget = QWidget()
    qtbot.addWidget(widget)
    channel = WindowChannel(tmp_path / "journal.db", widget)
    assert channel.listening
    socket = Path(channel.server.fullServerName())
    assert socket.parent == runtime and socket.exists()
    assert not (Path(tempfile.gettempdir()) / channel.name).exists()


def test_a_runtime_folder_others_can_reach_or_a_missing_one_is_not_used(tmp_path, monkeypatch):
    journal = tmp_path / "journal.db"
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chmod(shared, 0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    assert channel_address(journal) == channel_name(journal)  # Qt's own place, as before
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "gone"))
    assert channel_address(journal) == channel_name(journal)
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert channel_address(journal) == channel_name(journal)
    private = Path(tempfile.mkdtemp(prefix="tj-"))  # 0700, and short as /run/user/1000 is
    try:
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(private))
        assert channel_address(journal) == str(private / channel_name(journal))
        deep = private / ("x" * 80)
        deep.mkdir(mode=0o700)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
        assert channel_address(journal) == channel_name(journal)  # too long for a socket's path
    finally:
        shutil.rmtree(private)
