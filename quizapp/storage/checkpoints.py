"""The WAL's checkpoint, moved off the answer.

SQLite checkpoints on the commit that takes the WAL past 1,000 pages: it copies the WAL
into the collection file and syncs it. On the answer path that made about one answer in 80
take 100-140 ms instead of 0.1 ms at 100,000 cards (far more on a slow disk), a stall
between the grade and the next card. The connection kept for answers turns the automatic
checkpoint off (`PRAGMA wal_autocheckpoint=0`), and every `EVERY` answers a thread with a
connection of its own runs a PASSIVE checkpoint, which never blocks a writer or a reader:
the answers go on while it copies. Every other connection keeps SQLite's own checkpoint,
and closing the collection checkpoints as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

EVERY = 256
"""Answers between checkpoints: about 2,500 WAL pages (10 MiB) at 9-12 pages an answer.
Every 64 answers (the WAL near SQLite's own 1,000 pages) put a checkpoint beside one
answer in 8 of a back-to-back sitting, and those set its p95; every 256, the p95 of the
first 500 answers was 0.18-0.23 ms against 0.21-0.27 ms, the median and the last 500
answers' median unchanged (docs/performance.md, "The answer's slow 5%"). Fewer copies
of the same index pages, too: a page changed by 200 answers is copied once."""
TIMEOUT = 5.0


class Checkpointer:
    """Counts answers and runs the checkpoint behind them, one at a time, on one thread.

    The thread and its connection are made at the first checkpoint and kept until `close`:
    starting a thread per checkpoint made the answer that started it wait 2-4 ms (the new
    thread held the GIL while it opened its connection), one answer in 64. Now the answer
    only sets a flag and notifies."""

    def __init__(self, path: Path, may_write: Callable[[], bool]) -> None:
        self.path = path
        self.may_write = may_write
        """False while the start-up check runs or after it failed: a checkpoint writes
        the collection file, so it waits like any write."""
        self.done = 0
        """Checkpoints that ran (for tests and benchmarks)."""
        self._since = 0
        self._thread: threading.Thread | None = None
        self._state = threading.Condition()
        self._due = False
        self._running = False
        self._closed = False

    def answered(self) -> None:
        """After an answer's commit: ask for a checkpoint when one is due and none runs."""
        self._since += 1
        if self._since < EVERY:
            return
        with self._state:
            if not (self._due or self._running):
                self._ask()

    def soon(self) -> None:
        """After a bulk commit that skipped SQLite's own checkpoint (an import's: copying its
        ~120 MB of WAL into the file was ~0.4 s of the import's wait): run one behind it,
        after the one running now, if any, has finished."""
        with self._state:
            self._ask()

    def _ask(self) -> None:
        """With the state held: one more checkpoint is due (the thread made at the first)."""
        if self._closed or not self.may_write():
            return
        self._since = 0
        self._due = True
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._serve, name="quizapp-checkpoint", daemon=True
            )
            self._thread.start()
        self._state.notify_all()

    def _serve(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                with self._state:
                    while not self._due and not self._closed:
                        self._state.wait()
                    if not self._due:
                        return  # closed, nothing asked for
                    self._due, self._running = False, True
                try:
                    if conn is None:
                        conn = sqlite3.connect(self.path, timeout=TIMEOUT)
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.done += 1
                except sqlite3.Error:
                    pass  # a busy or full disk: the next one, or the close's, checkpoints
                finally:
                    with self._state:
                        self._running = False
                        self._state.notify_all()
        finally:
            if conn is not None:
                conn.close()

    def join(self) -> None:
        """Wait until no checkpoint is asked for or running."""
        with self._state:
            while self._due or self._running:
                self._state.wait()

    def close(self) -> None:
        """Finish a checkpoint asked for, then end the thread and close its connection
        (before the collection closes and its lock goes)."""
        with self._state:
            self._closed = True
            self._state.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()
