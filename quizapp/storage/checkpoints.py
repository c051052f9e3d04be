"""The WAL's checkpoint, moved off the answer.

SQLite checkpoints on the commit that takes the WAL past 1,000 pages: it copies the WAL
into the collection file and syncs it. On the answer path that made about one answer in 80
take 100-140 ms instead of 0.1 ms at 100,000 cards (far more on a slow disk), a stall
between the grade and the next card. The connection kept for answers turns the automatic
checkpoint off (`PRAGMA wal_autocheckpoint=0`), and every `EVERY` answers a thread with a
connection of its own runs a PASSIVE checkpoint, which never blocks a writer or a reader:
the answers go on while it copies. Every other connection keeps SQLite's own checkpoint,
and closing the collection checkpoints as before. A bulk import turns it off for its one
commit too (`repo.defer_checkpoint`) and asks for one behind it (`soon`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

EVERY = 64
"""Answers between checkpoints: about 600 WAL pages at 9-12 pages an answer, so the WAL
stays near the 1,000 pages (4 MiB) SQLite would keep it at."""
TIMEOUT = 5.0


class Checkpointer:
    """Counts answers and runs the checkpoint behind them, one at a time."""

    def __init__(self, path: Path, may_write: Callable[[], bool]) -> None:
        self.path = path
        self.may_write = may_write
        """False while the start-up check runs or after it failed: a checkpoint writes
        the collection file, so it waits like any write."""
        self.done = 0
        """Checkpoints that ran (for tests and benchmarks)."""
        self._since = 0
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def answered(self) -> None:
        """After an answer's commit: start a checkpoint when one is due and none runs."""
        self._since += 1
        if self._since < EVERY:
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            if not self.may_write():
                return
            self._since = 0
            self._thread = threading.Thread(
                target=self._run, name="quizapp-checkpoint", daemon=True
            )
            self._thread.start()

    def soon(self) -> None:
        """After a bulk commit that skipped SQLite's own checkpoint (an import's: copying its
        ~120 MB of WAL into the file was ~0.4 s of the import's wait): run one behind it,
        after the one running now, if any, has finished."""
        with self._lock:
            if not self.may_write():
                return
            before = self._thread
            self._since = 0
            self._thread = threading.Thread(
                target=self._after, args=(before,), name="quizapp-checkpoint", daemon=True
            )
            self._thread.start()

    def _after(self, before: threading.Thread | None) -> None:
        if before is not None:
            before.join()
        self._run()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=TIMEOUT)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.done += 1
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # a busy or full disk: the next one, or the close's, checkpoints instead

    def join(self) -> None:
        """Wait for a running checkpoint (before the collection closes and its lock goes)."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()
