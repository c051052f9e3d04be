"""One window per data directory: a second quizapp brings the first one's window forward.

The file lock in `storage.database` is what keeps a second instance from ever writing; this
module only makes the refusal friendly. The first instance listens on a local socket named
after its data directory (QLocalServer); a second one that finds the collection locked
connects, says "raise", and exits after telling the learner where the open window is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise\n"
ACK = b"ok\n"
TIMEOUT_MS = 1500


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
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            socket.write(ACK)
            socket.flush()
            self.on_raise()

    def close(self) -> None:
        self.server.close()


def ask_running_instance_to_raise(data_dir: Path) -> bool:
    """True when an instance on `data_dir` answered and brought its window forward."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(RAISE)
    socket.flush()
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readAll().data()) == ACK
    socket.disconnectFromServer()
    return answered
