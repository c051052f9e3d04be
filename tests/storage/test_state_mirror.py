"""Every card's state row carries the card's uuid, deck, retired flag and position.

The deck counts and the next card read only `card_state` (one index range per deck), so
these copies must be right however a card was written: one at a time through the ORM,
in bulk through `insert_cards`, or moved and retired afterwards.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from quizapp.core.model import Card, Deck, Kind
from quizapp.storage import repo
from quizapp.storage.database import open_database


def card(n: int) -> Card:
    return Card(
        id=f"20000000-0000-4000-8000-{n:012d}", kind=Kind.FLASHCARD, prompt=f"q{n}", back="a"
    )


def mismatches(session: object) -> list[tuple[object, ...]]:
    return list(
        session.execute(  # type: ignore[attr-defined]
            text(
                "SELECT c.id FROM card c JOIN card_state s ON s.card_id = c.id "
                "WHERE s.uuid IS NOT c.uuid OR s.deck_id IS NOT c.deck_id "
                "OR s.retired IS NOT c.retired OR s.position IS NOT c.position"
            )
        )
    )


def test_state_rows_mirror_cards_written_every_way(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    try:
        with db.session() as session:
            first = repo.save_deck(
                Deck(id="30000000-0000-4000-8000-000000000001", name="A"),
                source="",
                digest="",
                position=0,
                session=session,
            )
            second = repo.save_deck(
                Deck(id="30000000-0000-4000-8000-000000000002", name="B"),
                source="",
                digest="",
                position=1,
                session=session,
            )
            assert first.id is not None and second.id is not None
            repo.save_card(card(1), deck_id=first.id, position=0, existing=None, session=session)
            repo.insert_cards(
                [repo.card_values(card(n), deck_id=second.id, position=n) for n in range(2, 50)],
                session=session,
            )
            session.flush()
            assert mismatches(session) == []
            states = session.execute(text("SELECT count(*) FROM card_state")).scalar_one()
            assert states == 49
            session.execute(
                text("UPDATE card SET deck_id = :d, position = 7 WHERE id = 1"), {"d": second.id}
            )
            session.execute(text("UPDATE card SET retired = 1 WHERE id = 2"))
            assert mismatches(session) == []
            session.commit()
    finally:
        db.close()
