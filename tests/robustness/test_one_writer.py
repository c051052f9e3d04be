"""One writer per data directory, with two real `quizapp` processes.

The first opens the window (offscreen); the second is told the collection is already open,
brings the first one's window forward through the local socket, and exits without
touching the collection. The headless commands are refused while the window holds it.
"""

from __future__ import annotations

import hashlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from pytestqt.qtbot import QtBot

from quizapp.services.collection import open_collection
from quizapp.storage.database import DB_NAME
from quizapp.ui.single_instance import InstanceServer


def quizapp(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "quizapp", "--data-dir", str(data), *args]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_files(data: Path) -> dict[str, str]:
    """The collection and its WAL (the -shm file is shared memory for readers, not data)."""
    return {p.name: digest(p) for p in data.glob(f"{DB_NAME}*") if not p.name.endswith("-shm")}


class Lines:
    """Another process's stderr, line by line, waited on without polling.

    A thread reads the pipe into a queue; `wait_for` blocks on the queue until the line
    comes or the deadline passes. Everything read is kept for the final assertions.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.seen):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"timed out waiting for {text!r}; saw {self.seen}"
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, f"the process ended before {text!r}; saw {self.seen}"
            self.seen.append(line)

    def rest(self) -> str:
        """Everything, once the process has ended and closed the pipe."""
        self._thread.join(timeout=30)
        while not self._queue.empty():
            line = self._queue.get()
            if line is not None:
                self.seen.append(line)
        return "".join(self.seen)


def test_a_second_instance_brings_the_first_forward_and_never_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen(
        quizapp(data, "--verbose"),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert first.stderr is not None
    said = Lines(first.stderr)
    try:
        said.wait_for("listening for a second start")
        # The first instance's own writes at start-up are done once the day's backup is.
        said.wait_for("Backed up the collection for today")
        assert any((data / "backups").glob("*daily.sqlite3"))
        files_before = data_files(data)

        second = subprocess.run(
            quizapp(data), capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stderr and "brought forward" in second.stderr

        headless = subprocess.run(
            quizapp(data, "list"), capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert headless.returncode == 1
        assert "Another quizapp is already using" in headless.stderr

        assert data_files(data) == files_before  # neither wrote a byte
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    rest = said.rest()
    first.stderr.close()
    assert "brought this window forward" in rest


def test_a_second_start_before_the_first_window_listens_waits_for_it(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """The first window listens only once painted; a second start in that first second
    must wait for it, not show "already open" beside a window about to appear."""
    data = tmp_path / "data"
    held = open_collection(data)  # the lock is held, as by a first window still painting
    raised: list[bool] = []
    second = subprocess.Popen(
        quizapp(data),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert second.stderr is not None
    said = Lines(second.stderr)
    try:
        said.wait_for("waiting for the open window")
        server = InstanceServer(data, lambda: raised.append(True))  # the first window, painted
        assert server.listening
        qtbot.waitUntil(lambda: bool(raised), timeout=20_000)
        assert second.wait(timeout=30) == 0
        server.close()
    finally:
        if second.poll() is None:
            second.kill()
        held.close()
    assert "brought forward" in said.rest()
    second.stderr.close()
