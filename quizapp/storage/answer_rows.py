"""The answer's own reads and writes, in plain SQL: the hot path of the whole app.

An answer reads one state row (with its deck's options), updates it and appends one
review-log row, and nothing else; building SQLModel objects for that cost more than the
three statements themselves (a profile of 500 answers at 100,000 cards: a third of the
time). The statements are fixed strings, which sqlite3 prepares once and keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from quizapp.storage import row_images

_READ = (
    "SELECT s.*, d.options FROM card c JOIN card_state s ON s.card_id = c.id "
    "JOIN deck d ON d.id = c.deck_id WHERE c.uuid = ?"
)
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


@dataclass(frozen=True)
class StateRow:
    """A card's whole `card_state` row as SQLite holds it, and its deck's options."""

    columns: tuple[str, ...]
    row: tuple[Any, ...]
    options: str

    def get(self, column: str) -> Any:
        return self.row[self.columns.index(column)]

    @property
    def card_id(self) -> int:
        return int(self.get("card_id"))


def read_state(card_uuid: str, *, session: Session) -> StateRow | None:
    result = session.connection().exec_driver_sql(_READ, (card_uuid,))
    found = result.first()
    if found is None:
        return None
    names = tuple(result.keys())
    return StateRow(names[:-1], tuple(found)[:-1], str(found[-1] or "{}"))


def write_answer(
    state: StateRow,
    schedule: dict[str, Any] | None,
    log: dict[str, Any],
    *,
    session: Session,
) -> int:
    """Write the new schedule (None: unchanged) and append the log row; the row's id."""
    conn = session.connection()
    if schedule is not None:
        conn.exec_driver_sql(_WRITE, (*(schedule[c] for c in SCHEDULE_COLUMNS), state.card_id))
    values = dict(log, reviewed_at=_timestamp(log["reviewed_at"]))
    result = conn.exec_driver_sql(_INSERT, tuple(values[c] for c in LOG_COLUMNS))
    review_id = result.lastrowid
    assert isinstance(review_id, int)
    return review_id


def answer_image(state: StateRow, review_id: int, *, schedule_changed: bool) -> row_images.RowImage:
    """What undoing this answer puts back: the state row as it was, and no log row above
    the one it added (so it is removed, and any review since it refuses the undo)."""
    return row_images.image_of_answer(
        state.columns, state.row if schedule_changed else None, review_id
    )


def _timestamp(moment: datetime) -> str:
    """As SQLAlchemy stores a DateTime in SQLite: UTC, naive, microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
