"""The answer's own reads and writes, in plain SQL on the raw sqlite3 connection: the hot
path of the whole app.

An answer reads one state row (with its deck's options), updates it and appends one
review-log row, and nothing else. SQLAlchemy's per-statement work (an execution context, a
result proxy, its transaction bookkeeping) cost more than SQLite's, so these statements go
straight to the DBAPI connection: either the one `Database.answer_transaction` keeps for
answers, or, inside an ORM operation (a mock interview fed to the schedule), that
session's own connection (`rows_of`). The statements are fixed strings, which sqlite3
prepares once per connection and keeps.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlmodel import Session

from quizapp.core.review import Entry, Schedule
from quizapp.storage import row_images

_WRITE = (
    "UPDATE card_state SET repetitions = ?, easiness_hundredths = ?, interval = ?, "
    "due_day = ?, drill_day = ?, lapses = ?, reviews = ?, stability = ?, difficulty = ?, "
    "last_review_day = ? WHERE card_id = ?"
)
LOG_COLUMNS = (
    "card_id",
    "reviewed_at",
    "study_day",
    "kind",
    "answer",
    "correct",
    "quality",
    "repetitions_before",
    "repetitions_after",
    "easiness_before",
    "easiness_after",
    "interval_before",
    "interval_after",
    "due_day_before",
    "due_day_after",
    "drill_day_before",
    "seconds",
    "predicted_recall",
)
_INSERT = (
    f"INSERT INTO review_log ({', '.join(LOG_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in LOG_COLUMNS)})"
)
SCHEDULE_COLUMNS = (
    "repetitions",
    "easiness_hundredths",
    "interval",
    "due_day",
    "drill_day",
    "lapses",
    "reviews",
    "stability",
    "difficulty",
    "last_review_day",
)
"""In `core.review.Schedule`'s field order (checked below: `Schedule(*values)` is built)."""
if tuple(f.name for f in fields(Schedule)) != SCHEDULE_COLUMNS:
    raise ImportError("answer_rows.SCHEDULE_COLUMNS no longer follows core.review.Schedule")
_READ = (
    f"SELECT c.id, d.options, {', '.join(f's.{c}' for c in SCHEDULE_COLUMNS)}, s.* "
    "FROM card c JOIN card_state s ON s.card_id = c.id JOIN deck d ON d.id = c.deck_id "
    "WHERE c.uuid = ?"
)
_WHOLE_ROW = 2 + len(SCHEDULE_COLUMNS)
"""Where `s.*` starts in `_READ`'s row: the row undo puts back, as SQLite holds it."""


@dataclass(frozen=True, slots=True)
class StateRow:
    """A card's whole `card_state` row as SQLite holds it, its schedule, its deck's options."""

    columns: tuple[str, ...]
    row: tuple[Any, ...]
    options: str
    card_id: int
    schedule: Schedule

    def get(self, column: str) -> Any:
        return self.row[self.columns.index(column)]


class AnswerRows:
    """The answer's statements on one DBAPI connection, inside its open transaction."""

    __slots__ = ("_conn",)

    _columns: ClassVar[dict[int, tuple[str, ...]]] = {}
    """`card_state`'s column names by the row's width: read from the cursor's description
    once (building it costs more than the lookup), again only if a migration widens it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def read_state(self, card_uuid: str) -> StateRow | None:
        cursor = self._conn.execute(_READ, (card_uuid,))
        found = cursor.fetchall()  # to the end: the statement is reset, no read lock kept
        if not found:
            return None
        (row,) = found
        columns = self._columns.get(len(row))
        if columns is None:
            columns = tuple(d[0] for d in cursor.description[_WHOLE_ROW:])
            self._columns[len(row)] = columns
        return StateRow(
            columns,
            row[_WHOLE_ROW:],
            row[1] or "{}",
            row[0],
            Schedule(*row[2:_WHOLE_ROW]),
        )

    def write_answer(
        self,
        state: StateRow,
        after: Schedule | None,
        entry: Entry,
        *,
        answer: str,
        reviewed_at: datetime,
        seconds: float,
    ) -> int:
        """Write the new schedule (None: unchanged) and append the log row; the row's id."""
        conn = self._conn
        card_id = state.card_id
        if after is not None:
            conn.execute(
                _WRITE,
                (
                    after.repetitions,
                    after.easiness_hundredths,
                    after.interval,
                    after.due_day,
                    after.drill_day,
                    after.lapses,
                    after.reviews,
                    after.stability,
                    after.difficulty,
                    after.last_review_day,
                    card_id,
                ),
            )
        before, now = entry.before, entry.after
        review_id = conn.execute(
            _INSERT,
            (  # in LOG_COLUMNS' order
                card_id,
                _timestamp(reviewed_at),
                entry.study_day,
                entry.kind,
                answer,
                entry.correct,
                entry.quality,
                before.repetitions,
                now.repetitions,
                before.easiness_hundredths,
                now.easiness_hundredths,
                before.interval,
                now.interval,
                before.due_day,
                now.due_day,
                before.drill_day,
                max(0.0, seconds),
                entry.predicted_recall,
            ),
        ).lastrowid
        assert review_id is not None
        return review_id


def rows_of(session: Session) -> AnswerRows:
    """The answer's statements inside an ORM session's transaction, on its own connection."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return AnswerRows(raw)


def answer_image(state: StateRow, review_id: int, *, schedule_changed: bool) -> row_images.RowImage:
    """What undoing this answer puts back: the state row as it was, and no log row above
    the one it added (so it is removed, and any review since it refuses the undo)."""
    return row_images.image_of_answer(
        state.columns, state.row if schedule_changed else None, review_id
    )


def _timestamp(moment: datetime) -> str:
    """As SQLAlchemy stores a DateTime in SQLite: UTC, naive, microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
