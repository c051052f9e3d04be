"""Collections whose integrity check is still running, or fails, for the paint-first start."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from quizapp.storage import early_check
from quizapp.storage.database import DB_NAME

PAGE = 4096


def add_filler(data_dir: Path, rows: int = 400) -> None:
    """A table written last, so its pages are the file's last: damaging them leaves the
    collection's own tables readable (the deck list paints) while quick_check fails."""
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        conn.execute("CREATE TABLE filler (x TEXT)")
        conn.executemany(
            "INSERT INTO filler VALUES (hex(randomblob(500)))", [() for _ in range(rows)]
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def damage_last_pages(data_dir: Path, pages: int = 20) -> None:
    path = data_dir / DB_NAME
    raw = bytearray(path.read_bytes())
    for offset in range(len(raw) - pages * PAGE, len(raw)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))


def held_check(data_dir: Path) -> threading.Event:
    """Start `data_dir`'s integrity check as `quizapp.app` would, held until the returned
    event is set: the test decides when the verdict comes, with no sleep."""
    release = threading.Event()
    real: Callable[[Path], tuple[int, str]] = early_check.read_version_and_check

    def read(path: Path) -> tuple[int, str]:
        release.wait()
        return real(path)

    early_check.start(data_dir, read)
    return release
