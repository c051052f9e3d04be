"""A large batch of new cards gets exactly the rows the insert triggers would have made.

`repo.insert_cards` writes the state rows, the search index and the deck sizes of a big
batch itself, set-wise, with the three insert triggers dropped for the batch. These tests
compare that with the trigger path card for card, and check that the triggers come back
unchanged, also when the batch fails half-way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quizapp.core.model import Card, Deck, Kind
from quizapp.storage import repo
from quizapp.storage.database import open_database

BIG = repo._BULK_ROWS + 50
SMALL = repo._BULK_ROWS - 1


def card(n: int) -> Card:
    word = ("borrow", "lifetime", "mutex", "arc")[n % 4]
    return Card(
        id=f"40000000-0000-4000-8000-{n:012d}",
        kind=Kind.FLASHCARD,
        prompt=f"Why does {word} number {n} matter?",
        back="because",
        code=f"fn f{n}() {{}}" if n % 2 else "",
        explanation=f"The {word} explanation.",
        tags=(word,),
    )


def two_decks(session: Any) -> list[int]:
    ids = []
    for i in (1, 2):
        row = repo.save_deck(
            Deck(id=f"50000000-0000-4000-8000-00000000000{i}", name=f"D{i}"),
            source="",
            digest="",
            position=i,
            session=session,
        )
        assert row.id is not None
        ids.append(row.id)
    return ids


def card_rows(deck_ids: list[int], numbers: range, *, retired_every: int) -> list[dict[str, Any]]:
    """Cards alternating between the decks; every `retired_every`-th one retired."""
    rows = []
    for n in numbers:
        values = repo.card_values(card(n), deck_id=deck_ids[n % 2], position=n)
        values["retired"] = bool(retired_every and n % retired_every == 0)
        rows.append(values)
    return rows


def import_cards(data_dir: Path, count: int, *, batch: int, retired_every: int) -> dict[str, Any]:
    """Insert `count` cards into two decks, `batch` per call; return the derived tables."""
    db = open_database(data_dir)
    try:
        with db.session() as session:
            decks = two_decks(session)
            for start in range(0, count, batch):
                numbers = range(start, min(count, start + batch))
                repo.insert_cards(
                    card_rows(decks, numbers, retired_every=retired_every), session=session
                )
            session.commit()
        with db.session() as session:
            return snapshot(session)
    finally:
        db.close()


def snapshot(session: Any) -> dict[str, Any]:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in session.execute(text(sql))]

    return {
        "states": rows(
            "SELECT c.uuid, s.uuid, s.deck_id, s.retired, s.position, s.repetitions, "
            "s.easiness_hundredths, s.interval, s.lapses, s.reviews, s.suspended, s.due_day "
            "FROM card c JOIN card_state s ON s.card_id = c.id ORDER BY c.uuid"
        ),
        "sizes": rows(
            "SELECT d.uuid, s.cards FROM deck_size s JOIN deck d ON d.id = s.deck_id "
            "ORDER BY d.uuid"
        ),
        "search": {
            word: rows(
                "SELECT c.uuid FROM card_fts JOIN card c ON c.id = card_fts.rowid "
                f"WHERE card_fts MATCH '{word}' ORDER BY c.uuid"
            )
            for word in ("mutex", "explanation", "f7", "arc")
        },
        "triggers": rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY 1"),
        "cards": rows("SELECT count(*) FROM card")[0][0],
    }


def test_a_big_batch_makes_the_same_rows_as_the_triggers(tmp_path: Path) -> None:
    bulk = import_cards(tmp_path / "bulk", BIG, batch=BIG, retired_every=7)
    # The same cards in small batches: every derived row written by the triggers.
    expected = import_cards(tmp_path / "one_by_one", BIG, batch=SMALL, retired_every=7)

    assert bulk["cards"] == BIG
    assert bulk == expected
    assert len(bulk["states"]) == BIG
    assert bulk["search"]["mutex"], "the search index has the bulk-inserted cards"
    # Retired cards are not counted in their deck's size, as the trigger does it.
    assert sum(n for _uuid, n in bulk["sizes"]) == BIG - len(range(0, BIG, 7))


def test_a_failed_batch_leaves_no_card_and_the_triggers_in_place(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    try:
        with db.session() as session:
            decks = two_decks(session)
            before = snapshot(session)
            rows = card_rows(decks, range(BIG), retired_every=0)
            rows.append(rows[3])  # the same uuid twice: the batch fails at its last row
            with pytest.raises(IntegrityError):
                repo.insert_cards(rows, session=session)
            # Still inside the caller's transaction: the savepoint undid the batch only.
            assert snapshot(session) == before
            assert before["triggers"], "the schema has its triggers"
            # The transaction goes on, and a card inserted now gets its rows from the triggers.
            repo.insert_cards(card_rows(decks, range(1, 2), retired_every=0), session=session)
            session.commit()
        with db.session() as session:
            after = snapshot(session)
        assert after["cards"] == 1
        assert len(after["states"]) == 1
        assert after["search"]["explanation"] != []
        assert after["triggers"] == before["triggers"]
    finally:
        db.close()
