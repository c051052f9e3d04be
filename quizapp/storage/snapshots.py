"""Consistent copies of a collection file, made with SQLite's online backup API.

A raw file copy of a live WAL database can miss committed pages still in the `-wal` file
or catch a page mid-write; `sqlite3.Connection.backup` copies a consistent snapshot page by
page while other connections keep working. A copy is written under a temporary name and
renamed into place, so a half-written backup never looks like a finished one.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def copy_database(source: Path, target: Path) -> Path:
    """Write a consistent copy of the database `source` to `target` (replaced atomically)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(partial)
        try:
            src.backup(dest)
            # A backup is one self-contained file: no -wal beside it to lose.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    with partial.open("rb") as f:
        os.fsync(f.fileno())
    partial.replace(target)
    return target


def copy_into(source: Path, target: Path) -> None:
    """Overwrite the live database `target` with the contents of `source`, in one transaction.

    Goes through SQLite (not the file system), so a `target` in WAL mode stays consistent
    and other connections see either the old or the new contents, never a mix.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target, timeout=5)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def integrity(path: Path, *, quick: bool = False) -> str:
    """'ok', or what SQLite found wrong with the file (including 'not a database')."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


def schema_version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


BACKUP_DIR = "backups"
"""Backups live in this folder of the data directory."""
BACKUP_SUFFIX = ".sqlite3"


def new_backup_path(data_dir: Path, reason: str, stamp: str) -> Path:
    """`backups/<stamp>-<reason>.sqlite3`, with a counter if that name is taken.

    The stamp (local `YYYYMMDD-HHMMSS`) comes first so names sort by age; the name's stem
    is the backup's id on the command line.
    """
    folder = data_dir / BACKUP_DIR
    path = folder / f"{stamp}-{reason}{BACKUP_SUFFIX}"
    n = 2
    while path.exists():
        path = folder / f"{stamp}-{reason}-{n}{BACKUP_SUFFIX}"
        n += 1
    return path
