"""The start-up integrity check, startable before anything heavy is imported.

`PRAGMA quick_check` reads the whole collection (about 0.4 s at 100,000 cards) without
holding the GIL. Started by `quizapp.app.main` as its very first act, it runs while Python
imports SQLAlchemy, SQLModel and Qt (about 0.7 s), so by the time `open_database` needs the
result it is usually ready. This module imports only the standard library for that reason.
Read-only: nothing is written; `open_database` still waits for the result before its first
write, so the check gates every write exactly as before.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

DB_NAME = "collection.sqlite3"

Outcome = tuple[int, str] | BaseException
_STARTED: dict[Path, tuple[threading.Thread, list[Outcome]]] = {}


def read_version_and_check(path: Path) -> tuple[int, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    return int(version), str(check)


def start(data_dir: Path) -> None:
    """Begin checking `data_dir`'s collection in a thread; a no-op if there is none yet."""
    path = data_dir / DB_NAME
    if path in _STARTED or not path.is_file():
        return
    outcome: list[Outcome] = []

    def check() -> None:
        try:
            outcome.append(read_version_and_check(path))
        except BaseException as exc:  # handed to the caller of `result`, who decides
            outcome.append(exc)

    thread = threading.Thread(target=check, name="quizapp-integrity-check", daemon=True)
    _STARTED[path] = (thread, outcome)
    thread.start()


def result(path: Path) -> tuple[int, str]:
    """The (schema version, quick_check) of `path`: the early result if one was started.

    An early check that failed is not trusted: the check runs again here, so its error is
    raised in the caller's thread with the caller's handling.
    """
    early = _STARTED.pop(path, None)
    if early is not None:
        thread, outcome = early
        thread.join()
        if outcome and not isinstance(outcome[0], BaseException):
            return outcome[0]
    return read_version_and_check(path)
