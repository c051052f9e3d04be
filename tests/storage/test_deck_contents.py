"""An export reads a deck's stored cards in batches (`repo.iter_deck_content_batches`): in
the deck's order, without its retired cards, never an empty batch, with the connection's page
cache held small while it reads (a read-through of the whole deck ran faster and used less
memory) and set back afterwards, also when the reader stops early."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from quizapp.core.model import Card, Deck, Kind
from quizapp.storage import repo
from quizapp.storage.database import open_database


def rows(deck_ids: list[int], count: int) -> list[dict[str, Any]]:
    """Cards alternating between the decks, every ninth retired."""
    out = []
    for n in range(count):
        card = Card(id=f"40000000-0000-4000-8000-{n:012d}", kind=Kind.FLASHCARD, prompt=f"q{n}")
        values = repo.card_values(card, deck_id=deck_ids[n % 2], position=n)
        values["retired"] = n % 9 == 0
        out.append(values)
    return out


def cache_size(session: Any) -> int:
    return int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_batches_in_order_without_retired_cards_and_the_cache_set_back(tmp_path: Path) -> None:
    db = open_database(tmp_path / "data")
    try:
        with db.session() as session:
            decks = []
            for i in (1, 2):
                deck = Deck(id=f"50000000-0000-4000-8000-00000000000{i}", name=f"D{i}")
                row = repo.save_deck(deck, source="", digest="", position=i, session=session)
                assert row.id is not None
                decks.append(row.id)
            made = rows(decks, 10_000)
            repo.insert_cards(reversed(made), session=session)  # ids against the positions
            session.commit()
            usual = cache_size(session)
            assert usual != -repo._READ_THROUGH_CACHE_KIB

            batches = repo.iter_deck_content_batches(decks[0], session=session)
            first = next(batches)
            assert cache_size(session) == -repo._READ_THROUGH_CACHE_KIB
            got = first + [text for batch in batches for text in batch]
            assert cache_size(session) == usual

            kept = [r for r in made if r["deck_id"] == decks[0] and not r["retired"]]
            assert [json.loads(text)["id"] for text in got] == [r["uuid"] for r in kept]
            sizes = [len(b) for b in repo.iter_deck_content_batches(decks[0], session=session)]
            assert sizes == [2000, 2000, len(kept) - 4000] and len(kept) > 4000
            assert list(repo.iter_deck_contents(decks[0], session=session)) == got

            stopped = repo.iter_deck_content_batches(decks[1], session=session)
            next(stopped)
            stopped.close()  # an export that failed half-way
            assert cache_size(session) == usual
            assert list(repo.iter_deck_content_batches(12345, session=session)) == []
    finally:
        db.close()
