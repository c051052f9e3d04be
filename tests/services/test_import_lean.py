"""The leaner import of a big new deck: the same rows, the same refusals, a restored cache.

`apply_import` skips reading back a new deck's cards to hide none, checks the preview by
taking the preview's own card lines where they name the same cards, and `insert_cards`
holds SQLite's page cache smaller during the bulk insert; none of it may change what is
written or what is refused.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Deck, Kind
from quizapp.services.collection import Collection
from quizapp.services.exchange import _first_line, apply_import, plan_import
from quizapp.services.importers import read_bundle
from quizapp.storage import repo
from tests.helpers.study import db_hash

CARDS = repo._BULK_ROWS + 100  # through the bulk path, triggers paused


def big_deck(seed: int, count: int = CARDS) -> Deck:
    return Deck(
        id=str(uuid.UUID(int=seed, version=4)),
        name=f"Big {seed}",
        cards=tuple(
            Card(
                id=str(uuid.UUID(int=seed * 100_000 + n, version=4)),
                kind=Kind.FLASHCARD,
                prompt=f"What does lifetime {n} of deck {seed} say?",
                back=f"answer {n}",
                tags=("lifetime", f"t{n % 3}"),
            )
            for n in range(count)
        ),
    )


def deck_file(tmp_path: Path, deck: Deck) -> Path:
    path = tmp_path / f"{deck.name}.toml"
    path.write_text(write_deck(deck), encoding="utf-8")
    return path


def rows(col: Collection, deck_uuid: str) -> dict[str, object]:
    conn = sqlite3.connect(col.db.path)
    try:
        (deck_id,) = conn.execute("SELECT id FROM deck WHERE uuid = ?", (deck_uuid,)).fetchone()
        cards = conn.execute(
            "SELECT uuid, position, retired FROM card WHERE deck_id = ? ORDER BY position",
            (deck_id,),
        ).fetchall()
        states = conn.execute(
            "SELECT count(*) FROM card_state WHERE deck_id = ? AND NOT retired", (deck_id,)
        ).fetchone()[0]
        size = conn.execute("SELECT cards FROM deck_size WHERE deck_id = ?", (deck_id,)).fetchone()
        found = conn.execute(
            "SELECT count(*) FROM card_fts JOIN card ON card.id = card_fts.rowid "
            "WHERE card_fts MATCH 'lifetime' AND card.deck_id = ?",
            (deck_id,),
        ).fetchone()[0]
        return {"cards": cards, "states": states, "size": size[0], "found": found}
    finally:
        conn.close()


def test_a_new_deck_gets_every_row_and_hides_nothing(col: Collection, tmp_path: Path) -> None:
    deck = big_deck(1)
    result = apply_import(col, plan_import(col, read_bundle(deck_file(tmp_path, deck))))
    (done,) = result.decks
    assert (done.added, done.retired, done.deleted) == (CARDS, 0, 0)
    got = rows(col, deck.id)
    assert got["cards"] == [(c.id, n, 0) for n, c in enumerate(deck.cards)]
    assert (got["states"], got["size"], got["found"]) == (CARDS, CARDS, CARDS)


def test_a_reimport_still_hides_the_cards_the_file_dropped(col: Collection, tmp_path: Path) -> None:
    deck = big_deck(2)
    apply_import(col, plan_import(col, read_bundle(deck_file(tmp_path, deck))))
    shorter = Deck(id=deck.id, name=deck.name, cards=deck.cards[:-3])
    result = apply_import(col, plan_import(col, read_bundle(deck_file(tmp_path, shorter))))
    assert result.decks[0].retired == 3
    assert [r for *_, r in rows(col, deck.id)["cards"]] == [0] * (CARDS - 3) + [1] * 3  # type: ignore[attr-defined]


def test_a_preview_applied_twice_is_refused_the_second_time(
    col: Collection, tmp_path: Path
) -> None:
    plan = plan_import(col, read_bundle(deck_file(tmp_path, big_deck(3))))
    apply_import(col, plan)
    before = db_hash(col)
    with pytest.raises(ImportFailed, match="changed since the preview"):
        apply_import(col, plan)
    assert db_hash(col) == before


def test_a_card_taken_by_another_deck_since_the_preview_is_refused(
    col: Collection, tmp_path: Path
) -> None:
    deck = big_deck(4)
    plan = plan_import(col, read_bundle(deck_file(tmp_path, deck)))
    thief = Deck(id=str(uuid.UUID(int=99, version=4)), name="Other", cards=deck.cards[5:6])
    apply_import(col, plan_import(col, Bundle(decks=(thief,), source="other.toml")))
    before = db_hash(col)
    with pytest.raises(ImportFailed, match="already belongs to the deck 'Other'"):
        apply_import(col, plan)
    assert db_hash(col) == before


def test_the_page_cache_is_set_back_after_a_bulk_insert(col: Collection, tmp_path: Path) -> None:
    apply_import(col, plan_import(col, read_bundle(deck_file(tmp_path, big_deck(5)))))
    with col.db.session() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -32768


@given(st.text(max_size=300))
def test_a_first_line_is_the_first_non_blank_line_cut_to_width(text: str) -> None:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    assert _first_line(text) == (line if len(line) <= 100 else line[:99] + "…")
