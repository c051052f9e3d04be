"""A big merge's writes (its new answers, then its cards' schedules) run on another thread
while the merge goes on in Python.

Each batch of rows is bound here into a private in-memory database (binding is the
interpreter's work, and a year's 200,000 answers and 75,000 schedules cost 0.5 s of it),
handed over as that database's image, and moved into the collection in one statement on
the writer's thread, which SQLite runs without the interpreter's lock. So the merge binds
the next batch, and reschedules cards, while SQLite writes the last one: binding into the
collection's own connection would wait for SQLite's writing, and SQLite's writing for it.

The writes are in the order asked for, inside the caller's transaction (its session's
connection, which nothing else may use until `wait` has returned); nothing is committed
here. A SQLite without images (`serialize`) or without UPDATE ... FROM (before 3.33)
gets the same writes in order when `wait` is called, on the caller's thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from quizapp.storage.sync_rows import (
    REVIEW_COLUMNS,
    STATE_COLUMNS,
    insert_many,
    insert_reviews,
    write_states,
)

SCHEMA = "sync_batch"
"""The name a batch's image is opened under on the collection's connection."""

ANSWER_COLUMNS = ("card_id", "origin", *REVIEW_COLUMNS)
"""An answer row's values, in this order."""
SCHEDULE_ROW = (*STATE_COLUMNS, "card_id")
"""A schedule row's values, in this order (`sync_rows.write_states`)."""

_INSERT_ANSWERS = (
    f"INSERT OR IGNORE INTO review_log ({', '.join(ANSWER_COLUMNS)}) "
    f"SELECT {', '.join(ANSWER_COLUMNS)} FROM {SCHEMA}.batch ORDER BY rowid"
)
_UPDATE_STATES = (
    f"UPDATE card_state SET {', '.join(f'{c} = b.{c}' for c in STATE_COLUMNS)} "
    f"FROM {SCHEMA}.batch AS b WHERE card_state.card_id = b.card_id"
)


def images_work() -> bool:
    """Whether this SQLite and driver take batches as images (see the module)."""
    return hasattr(sqlite3.Connection, "serialize") and sqlite3.sqlite_version_info >= (3, 33)


_KINDS = {
    "answers": (ANSWER_COLUMNS, _INSERT_ANSWERS),
    "schedules": (SCHEDULE_ROW, _UPDATE_STATES),
}
"""A batch's columns and the statement that moves it into the collection, by kind."""


class MergeWriter:
    """Answers (`add_answers`) and schedules (`set_schedules`) written behind; `wait`.

    The thread and the attached schema come with the first batch: a merge with nothing to
    write (most syncs of a window left open) starts neither."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._later: list[tuple[str, Sequence[tuple[Any, ...]]]] = []
        self._moved: list[Future[int]] = []
        self._pool: ThreadPoolExecutor | None = None

    def add_answers(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(card id, origin, *REVIEW_COLUMNS) each, sorted by origin (the origin index then
        fills in order); an origin already in the log is skipped. `wait` counts the new."""
        self._send("answers", rows)

    def set_schedules(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(*STATE_COLUMNS, card id) each, sorted by card id (the table's pages in order)."""
        self._send("schedules", rows)

    def _send(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if not images_work():
            self._later.append((kind, rows))
            return
        if self._pool is None:
            _attach(self._session)  # on this thread, before the writer's first statement
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizapp-merge-write")
        columns, statement = _KINDS[kind]
        raw = self._session.connection().connection.dbapi_connection
        moved = self._pool.submit(_move, raw, _image(columns, rows), statement)
        self._moved.append(moved)

    def wait(self) -> int:
        """Wait for every write asked for; returns how many answers were new, or raises the
        first write's error (the caller's transaction then rolls back)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            return sum(moved.result() for moved in self._moved)
        added = 0
        for kind, rows in self._later:
            if kind == "answers":
                added += insert_reviews(rows, session=self._session)
            else:
                write_states(rows, session=self._session)
        return added


def _image(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> bytes:
    """The rows as a private database's image, in one table `batch`, in order."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute(f"CREATE TABLE batch ({', '.join(columns)})")
        conn.execute("BEGIN")
        insert_many(conn, "batch", len(columns), rows)
        conn.execute("COMMIT")
        return conn.serialize()
    finally:
        conn.close()


def _move(raw: Any, image: bytes, statement: str) -> int:
    """One batch into the collection; how many rows it added (0 for an update)."""
    raw.deserialize(image, name=SCHEMA)
    cursor = raw.cursor()
    cursor.execute(statement)
    return int(cursor.rowcount) if statement is _INSERT_ANSWERS else 0


def _attach(session: Session) -> None:
    fairy = session.connection().connection
    if not fairy.info.get(SCHEMA):
        fairy.dbapi_connection.execute(f"ATTACH ':memory:' AS {SCHEMA}")  # type: ignore[union-attr]
        fairy.info[SCHEMA] = True
        engine = session.get_bind()
        if not event.contains(engine, "checkin", _detach):
            event.listen(engine, "checkin", _detach)


def _detach(dbapi_connection: Any, record: Any) -> None:
    """A batch's image goes with the transaction that wrote it (SQLite detaches a database
    only outside one): a connection back in the pool holds no copy of a year's answers.
    Only a connection that attached one is asked (this runs on every return to the pool)."""
    if not record.info.pop(SCHEMA, False) or dbapi_connection is None:
        return  # nothing attached here; or invalidated: closed, with all it held
    dbapi_connection.execute(f"DETACH {SCHEMA}")
