"""The card a sitting shows next, read in one plain SQL statement on the raw sqlite3
connection: what the study page waits on between an answer's commit and the next card.

Through the ORM this was three queries (the card with its state, then its deck twice), each
with SQLAlchemy's per-statement work and a SQLModel object built per row, ~1.8 ms at
100,000 cards against the answer's own ~0.2 ms. Here it is one fixed string, which sqlite3
prepares once on the connection `Database.kept_reads` lends out and keeps. Only reads: the
start-up check's write gate lets them through before its verdict.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from quizapp.core.model import Card
from quizapp.core.review import Schedule
from quizapp.storage.answer_rows import SCHEDULE_COLUMNS
from quizapp.storage.codec import card_from_json

_SCHEDULE = ", ".join(f"s.{c}" for c in SCHEDULE_COLUMNS)
_READ = (
    f"SELECT c.content, c.retired, d.name, d.options, {_SCHEDULE} "
    "FROM card c JOIN card_state s ON s.card_id = c.id LEFT JOIN deck d ON d.id = c.deck_id "
    "WHERE c.uuid = ?"
)


@dataclass(frozen=True, slots=True)
class ShownRow:
    """A card as the study page needs it: the card, whether it left its deck, the deck's
    name and stored options (JSON), the card's schedule."""

    card: Card
    retired: bool
    deck_name: str
    options: str
    schedule: Schedule


class ShownRows:
    """The next card's read on one DBAPI connection, outside any transaction."""

    __slots__ = ("_conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def read(self, card_uuid: str) -> ShownRow | None:
        """The card with its state and deck; None if it has no row (deleted)."""
        found = self._conn.execute(_READ, (card_uuid,)).fetchall()  # reset: no read lock kept
        if not found:
            return None
        (row,) = found
        content, retired, name, options = row[:4]
        return ShownRow(
            card=card_from_json(content),
            retired=bool(retired),
            deck_name="" if name is None else name,  # as `repo.get_deck_name` for no deck
            options="{}" if options is None else options,
            schedule=Schedule(*row[4:]),
        )
