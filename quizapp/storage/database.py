"""Opening a collection safely: one writer, never overwrite what we do not understand.

Before anything is written, the file is checked: it must be an SQLite database, pass
`PRAGMA quick_check`, and not come from a newer quizapp. Each failure raises a distinct
error the window can explain; in none of them is the file touched. A lock file keeps a
second instance from writing alongside the first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from quizapp.storage import search, tables
from quizapp.storage.tables import SCHEMA_VERSION

DB_NAME = "collection.sqlite3"
LOCK_NAME = "collection.lock"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class CollectionError(Exception):
    """A problem with the collection file that the learner can act on (not a bug)."""


class CollectionLocked(CollectionError):
    pass


class CollectionCorrupt(CollectionError):
    pass


class CollectionTooNew(CollectionError):
    pass


class CollectionUnwritable(CollectionError):
    pass


@dataclass
class Database:
    path: Path
    engine: Engine
    lock: FileLock | None = field(default=None, repr=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed only by the caller (the service)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_database(data_dir: Path, *, lock: bool = True) -> Database:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CollectionUnwritable(
            f"Cannot create the data directory {data_dir}: {exc.strerror}."
        ) from exc
    path = data_dir / DB_NAME
    file_lock = _acquire_lock(data_dir) if lock else None
    try:
        _check_existing(path)
        engine = _make_engine(path)
        _create_schema(engine)
    except BaseException:
        if file_lock is not None:
            file_lock.release()
        raise
    return Database(path=path, engine=engine, lock=file_lock)


def _acquire_lock(data_dir: Path) -> FileLock:
    file_lock = FileLock(str(data_dir / LOCK_NAME), timeout=0)
    try:
        file_lock.acquire()
    except Timeout as exc:
        raise CollectionLocked(
            f"Another quizapp is already using {data_dir}. Close it first, or start this one "
            "with another --data-dir."
        ) from exc
    except OSError as exc:
        raise CollectionUnwritable(f"Cannot lock {data_dir}: {exc.strerror}.") from exc
    return file_lock


def _check_existing(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as f:
        if f.read(16) != _SQLITE_MAGIC:
            raise CollectionCorrupt(f"{path} is not a quizapp collection (not an SQLite database).")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CollectionCorrupt(f"{path} is damaged: {exc}.") from exc
    if version > SCHEMA_VERSION:
        raise CollectionTooNew(
            f"{path} was written by a newer quizapp (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}). Update quizapp; the file has not been changed."
        )
    if check != "ok":
        raise CollectionCorrupt(f"{path} is damaged: {check}.")


def _make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 5})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL + synchronous=NORMAL survives an application crash or kill with every
        # committed transaction intact; only a power cut can lose the last few.
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        if version == 0:
            SQLModel.metadata.create_all(conn, tables=_our_tables())
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
        # The browser's full-text index; a collection from before it gets it built here.
        search.ensure_search_index(conn)


def _our_tables() -> list[Any]:
    """Only quizapp's tables: other SQLModel tables in the process are not ours to create."""
    return [SQLModel.metadata.tables[name] for name in _TABLE_NAMES]


_TABLE_NAMES = [
    str(t.__tablename__)
    for t in (tables.Deck, tables.Card, tables.CardState, tables.ReviewLog, tables.Setting)
]
