"""No write before the integrity check has passed, while the window paints ahead of it.

The window reads the deck list while `PRAGMA quick_check` still reads the file in its own
thread (`early_check.Check`, its own read-only connection). Reads change nothing; writes
must wait. The gate is SQLite's authorizer on every connection of the collection's engine:
SQLite asks it about each statement as it is prepared, so no write can slip past it,
whichever service, thread or raw connection issues it. Asked about a write:

- while the check runs, it waits for the verdict (the calling thread blocks; an answer
  given 200 ms after start waits out the rest of the check, then is committed as usual);
- after a passed check, it allows it (and the engine takes the authorizer off each
  connection as it is next checked out, so the answer path pays nothing once started);
- after a failed check, it denies it: the statement fails to prepare, nothing is written,
  and `Database.session` turns that into `CollectionCorrupt`.

Temporary tables and the connection's own settings (journal mode, foreign keys...) are not
writes to the file and pass.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from quizapp.storage.early_check import Check, Outcome

_WRITES = frozenset(
    getattr(sqlite3, name)
    for name in (
        "SQLITE_ALTER_TABLE",
        "SQLITE_ANALYZE",
        "SQLITE_CREATE_INDEX",
        "SQLITE_CREATE_TABLE",
        "SQLITE_CREATE_TRIGGER",
        "SQLITE_CREATE_VIEW",
        "SQLITE_CREATE_VTABLE",
        "SQLITE_DELETE",
        "SQLITE_DROP_INDEX",
        "SQLITE_DROP_TABLE",
        "SQLITE_DROP_TRIGGER",
        "SQLITE_DROP_VIEW",
        "SQLITE_DROP_VTABLE",
        "SQLITE_INSERT",
        "SQLITE_REINDEX",
        "SQLITE_UPDATE",
    )
)
_TEMP_ONLY = frozenset(
    getattr(sqlite3, name)
    for name in (
        "SQLITE_CREATE_TEMP_INDEX",
        "SQLITE_CREATE_TEMP_TABLE",
        "SQLITE_CREATE_TEMP_TRIGGER",
        "SQLITE_CREATE_TEMP_VIEW",
        "SQLITE_DROP_TEMP_INDEX",
        "SQLITE_DROP_TEMP_TABLE",
        "SQLITE_DROP_TEMP_TRIGGER",
        "SQLITE_DROP_TEMP_VIEW",
    )
)
_CONNECTION_PRAGMAS = frozenset(
    {
        "foreign_keys",
        "journal_mode",
        "synchronous",
        "cache_size",
        "busy_timeout",
        "temp_store",
        "wal_autocheckpoint",
    }
)
"""Pragmas that set this connection's behaviour; any other pragma given a value (user_version,
wal_checkpoint...) counts as a write."""


class WriteGate:
    """The verdict of one integrity check, and the authorizer that enforces it."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.path = check.path
        self._waiting: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def on_wait(self, callback: Callable[[], None]) -> None:
        """Call `callback()` (in the writing thread) whenever a write starts waiting."""
        with self._lock:
            self._waiting.append(callback)

    @property
    def settled(self) -> bool:
        return self.check.done

    @property
    def passed(self) -> bool:
        return self.check.done and failure(self.path, self.check.wait()) is None

    def verdict(self) -> str | None:
        """None once the check has passed; else what is wrong. Waits for the check."""
        return failure(self.path, self.check.wait())

    def when_settled(self, callback: Callable[[str | None], None]) -> None:
        """`callback(verdict)` once the check ends: now if it has, else in the check's thread."""
        self.check.when_done(lambda outcome: callback(failure(self.path, outcome)))

    def wait_for_write(self) -> str | None:
        """Before a write: the verdict, waited for (telling `on_wait` listeners) if not in."""
        if not self.check.done:
            with self._lock:
                listeners = list(self._waiting)
            for listener in listeners:
                listener()
        return self.verdict()

    def authorize(
        self, action: int, arg1: str | None, arg2: str | None, dbname: str | None, _src: str | None
    ) -> int:
        if dbname == "temp" or action in _TEMP_ONLY:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA:
            if arg2 is None or (arg1 or "").lower() in _CONNECTION_PRAGMAS:
                return sqlite3.SQLITE_OK
        elif action not in _WRITES:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_OK if self.wait_for_write() is None else sqlite3.SQLITE_DENY


def failure(path: Path, outcome: Outcome) -> str | None:
    """None if the check passed, else the sentence the damaged-collection dialog shows."""
    if isinstance(outcome, BaseException):
        return f"{path} is damaged: {outcome}."
    _version, check = outcome
    return None if check == "ok" else f"{path} is damaged: {check}."
