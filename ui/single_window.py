"""One window per journal: a second start that finds the journal open asks the open window to come forward."""

from __future__ import annotations

import os
import stat

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from journal.safekeeping.locking import channel_name

__all__ = ["WindowChannel", "channel_address"]

_REQUEST = b"come-forward\n"
_MAX_SOCKET_PATH = 100  # a Unix socket's path must fit in about 104 bytes (macOS) or 108 (Linux)


def channel_address(journal_path: str | os.PathLike[str]) -> str:
    """Where the window's socket for a journal lives.

    On Linux, in the person's own runtime folder ($XDG_RUNTIME_DIR: theirs alone, emptied at
    logout) when there is one; otherwise Qt's own place (the person's temporary folder, or a
    named pipe on Windows). Both windows of a second start work it out the same way.
    """
    name = channel_name(journal_path)
    if os.name != "posix":
        return name
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not runtime or not os.path.isabs(runtime):
        return name
    try:
        st = os.stat(runtime)
    except OSError:
        return name
    private = stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not (st.st_mode & 0o077)
    address = os.path.join(runtime, name)
    return address if private and len(os.fsencode(address)) <= _MAX_SOCKET_PATH else name


class WindowChannel(QObject):
    """Listens, for the window that holds a journal, on a local socket only this user can reach.

    The socket's name is a hash of the journal's path (journal.safekeeping.locking.channel_name): it
    says nothing about the person, and no data passes but one fixed request.
    """

    asked = Signal()

    def __init__(self, journal_path: str | os.PathLike[str], window: QWidget):
        super().__init__(window)
        self.window = window
        self.name = channel_name(journal_path)
        self.address = channel_address(journal_path)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.UserAccessOption)
        # The one-writer lock is ours, so a socket left by a killed window is stale: clear it.
        QLocalServer.removeServer(self.address)
        self.listening = self.server.listen(self.address)
        self.server.newConnection.connect(self._on_server_new_connection)

    def _on_server_new_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_socket_ready_read(socket)

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll()).startswith(_REQUEST.strip()):
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            self.asked.emit()

    @staticmethod
    def ask_to_come_forward(journal_path: str | os.PathLike[str], timeout_ms: int = 1000) -> bool:
        """From a second start: ask the window holding `journal_path` to come forward; False if none answered."""
        socket = QLocalSocket()
        socket.connectToServer(channel_address(journal_path))
        if not socket.waitForConnected(timeout_ms):
            return False
        written = socket.write(_REQUEST)
        # flush() may already have sent everything, and then there is nothing left to wait for.
        if not socket.flush() and socket.bytesToWrite():
            socket.waitForBytesWritten(timeout_ms)
        sent = written == len(_REQUEST) and socket.bytesToWrite() == 0
        socket.disconnectFromServer()
        return sent
