"""One window per data directory: a second quizapp brings the first one's window forward.

The file lock in `storage.database` is what keeps a second instance from ever writing; this
module only makes the refusal friendly. The first instance listens on a local socket named
after its data directory (QLocalServer); a second one that finds the collection locked
connects, says "raise", and exits after telling the learner where the open window is.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise\n"
ACK = b"ok\n"
TIMEOUT_MS = 1500
RETRY_SECONDS = 0.1


def server_name(data_dir: Path) -> str:
    """The same name for the same directory, however it was spelled on the command line."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:20]
    return f"quizapp-{digest}"


class InstanceServer(QObject):
    """Listens for later instances; calls `on_raise` on the GUI thread for each."""

    def __init__(self, data_dir: Path, on_raise: Callable[[], None]) -> None:
        super().__init__()
        self.on_raise = on_raise
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(data_dir)
        # A socket left by a killed instance would block listening; we hold the file lock,
        # so no live instance owns the name.
        QLocalServer.removeServer(name)
        self.listening = self.server.listen(name)
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        # Bound methods, not lambdas over `self`: a lambda held by a socket's connection kept
        # this object alive until that socket's deleteLater, whose destructor then deleted the
        # server, the socket's own parent, again (a crash once the window closed).
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    def _read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            socket.write(ACK)
            socket.flush()
            self.on_raise()

    def close(self) -> None:
        self.server.close()


def ask_running_instance_to_raise(
    data_dir: Path, patience: float = 0.0, on_wait: Callable[[], None] | None = None
) -> bool:
    """True when an instance on `data_dir` answered and brought its window forward.

    The first instance listens only once its window is painted, so a second start in its
    first second finds no server yet: keep asking for `patience` seconds (calling
    `on_wait` once, before the first wait) rather than show an "already open" box
    beside a window about to appear."""
    deadline = time.monotonic() + patience
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    while not socket.waitForConnected(TIMEOUT_MS):
        if time.monotonic() >= deadline:
            return False
        if on_wait is not None:
            on_wait()
            on_wait = None
        time.sleep(RETRY_SECONDS)
        socket.abort()
        socket.connectToServer(server_name(data_dir))
    socket.write(RAISE)
    socket.flush()
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readAll().data()) == ACK
    socket.disconnectFromServer()
    return answered
