"""The start-up integrity check, startable before anything heavy is imported.

`PRAGMA quick_check` reads the whole collection (about 0.4 s at 100,000 cards warm, seconds
when the file is not in the page cache) without holding the GIL. Started by
`quizapp.app.main` as its very first act, it runs while Python imports SQLAlchemy, SQLModel
and Qt. This module imports only the standard library for that reason, and its connection
is read-only: the check never writes.

Two ways to take the result. The command line (`open_database` as it always was) waits for
it before opening. The window takes the `Check` itself (`take`) and starts it only after its
first paint, so the check's read of the whole file (708 MB at 300,000 cards) competes with
neither the imports nor the deck list for the disk and the CPU; `storage.write_gate` holds
every write back until the check's verdict, starting the check if it has not begun.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

DB_NAME = "collection.sqlite3"
LOCK_NAME = "collection.lock"
"""Held by the one quizapp using the collection (`database`); here, with the file's name, for
what looks before SQLAlchemy is imported."""

Outcome = tuple[int, str] | BaseException
Reader = Callable[[Path], tuple[int, str]]


def read_version_and_check(path: Path) -> tuple[int, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    return int(version), str(check)


class Check:
    """One integrity check of one file in a thread of its own: running, then done.

    `read` is the reading itself; tests pass one they can hold back, to see what the app
    does while a check is still running.
    """

    def __init__(self, path: Path, read: Reader = read_version_and_check) -> None:
        self.path = path
        self._read = read
        self._done = threading.Event()
        self._outcome: Outcome | None = None
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[Outcome], None]] = []
        self._thread = threading.Thread(target=self._run, name="quizapp-integrity-check")
        self._thread.daemon = True
        self._began = False

    def start(self) -> Check:
        """Begin reading (once; later calls do nothing)."""
        with self._lock:
            if not self._thread.is_alive() and not self._done.is_set() and not self._began:
                self._began = True
                self._thread.start()
        return self

    @property
    def started(self) -> bool:
        return self._began

    def _run(self) -> None:
        try:
            outcome: Outcome = self._read(self.path)
        except BaseException as exc:  # handed to whoever waits for the outcome
            outcome = exc
        with self._lock:
            self._outcome = outcome
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(outcome)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> Outcome:
        """The outcome, waiting for it if the check still runs (the GIL is free meanwhile);
        a check not started yet starts now: whoever needs the verdict never waits forever."""
        self.start()
        self._done.wait()
        assert self._outcome is not None
        return self._outcome

    def when_done(self, callback: Callable[[Outcome], None]) -> None:
        """Call `callback(outcome)` once: now if done, else from the check's thread."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
            outcome = self._outcome
        assert outcome is not None
        callback(outcome)


_STARTED: dict[Path, Check] = {}


def start(data_dir: Path, read: Reader = read_version_and_check) -> None:
    """Begin checking `data_dir`'s collection in a thread; a no-op if there is none yet."""
    path = data_dir / DB_NAME
    if path in _STARTED or not path.is_file():
        return
    _STARTED[path] = Check(path, read).start()


def take(path: Path) -> Check:
    """The check of `path` started early, or a new one not started yet (the window starts
    it once it has painted; waiting for its outcome starts it too): the caller owns it."""
    early = _STARTED.pop(path, None)
    return early if early is not None else Check(path)


def result(path: Path) -> tuple[int, str]:
    """The (schema version, quick_check) of `path`: the early result if one was started.

    An early check that failed is not trusted: the check runs again here, so its error is
    raised in the caller's thread with the caller's handling.
    """
    early = _STARTED.pop(path, None)
    if early is not None:
        outcome = early.wait()
        if not isinstance(outcome, BaseException):
            return outcome
    return read_version_and_check(path)
