"""One writer per data directory, with two real `quizapp` processes.

The first opens the window (offscreen); the second is told the collection is already open,
brings the first one's window forward through the local socket, and exits without
touching the collection. The headless commands are refused while the window holds it.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quizapp.storage.database import DB_NAME
from quizapp.ui.single_instance import server_name


def quizapp(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "quizapp", "--data-dir", str(data), *args]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_files(data: Path) -> dict[str, str]:
    """The collection and its WAL (the -shm file is shared memory for readers, not data)."""
    return {p.name: digest(p) for p in data.glob(f"{DB_NAME}*") if not p.name.endswith("-shm")}


def wait_for(condition: object, what: str, seconds: float = 60) -> None:
    """Poll another process's state (no Qt event loop here to wait on)."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_second_instance_brings_the_first_forward_and_never_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen(
        quizapp(data), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    try:
        socket_file = Path(tempfile.gettempdir()) / server_name(data)
        wait_for(socket_file.exists, "the first instance to listen")
        # The first instance's own writes at start-up are done once the day's backup is.
        wait_for(lambda: any((data / "backups").glob("*daily.sqlite3")), "the daily backup")
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
        _, first_err = first.communicate(timeout=30)
    assert "brought this window forward" in first_err
