"""An export writes stored cards straight to text (`codec.stored_card_text`), so a deck full
of awkward strings (quotes, backslashes, triple quotes, control characters, text beyond the
BMP, multi-line code) must come out as the canonical file and import back to the same cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Checked, Deck, Kind
from quizapp.services import exchange
from quizapp.services.collection import Collection, open_collection
from quizapp.services.exchange import apply_import, export_deck, load_deck, plan_import
from quizapp.services.importers import read_bundle
from quizapp.storage.codec import stored_cards_text
from tests.helpers.deck_strategies import AWKWARD

DECK_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
CODE = 'fn main() {\n    let s = "a \\"quoted\\" \\\\ path";\n    println!("{s} \'\'\'");\n}\n'


def awkward_deck() -> Deck:
    cards: list[Card] = []
    for i, text in enumerate(AWKWARD):
        shown = text or "empty"
        uid = f"00000000-0000-4000-8000-{i:012d}"
        match i % 5:
            case 0:
                card = Card(id=uid, kind=Kind.FLASHCARD, prompt=shown, back=text, explanation=text)
            case 1:
                card = Card(id=uid, kind=Kind.SHORT, prompt=shown, accepted=(shown, "🦀 ok"))
            case 2:
                card = Card(
                    id=uid, kind=Kind.CHOICE, prompt=shown, options=(shown, '"b"', "c\\d"),
                    answer_indexes=(0,), explanations=(text, "", "🦀"),
                )  # fmt: skip
            case 3:
                card = Card(
                    id=uid, kind=Kind.OUTPUT, prompt=shown, code=CODE + text, stdout=text,
                    checked=Checked(rustc="rustc 1.95.0", output=text),
                )  # fmt: skip
            case _:
                card = Card(
                    id=uid, kind=Kind.COMPILES, prompt=shown, code=CODE, compiles=True,
                    tags=("quotes", "𝔘nicode"),
                )  # fmt: skip
        cards.append(card)
    return Deck(
        id=DECK_ID, name='Awkward "deck" \\ 🦀', description="two\nlines", cards=tuple(cards)
    )


def import_file(col: Collection, path: Path) -> None:
    plan = plan_import(col, read_bundle(path))
    assert plan.ok, plan.errors
    apply_import(col, plan)


def test_awkward_strings_export_canonically_and_import_back_equal(
    col: Collection, tmp_path: Path
) -> None:
    deck = awkward_deck()
    source = tmp_path / "awkward.toml"
    source.write_text(write_deck(deck), encoding="utf-8")
    import_file(col, source)
    out = tmp_path / "out.toml"
    exported = export_deck(col, DECK_ID, out)
    assert exported.cards == len(AWKWARD)
    text = out.read_text(encoding="utf-8")
    assert text == write_deck(deck)  # the bytes every export wrote before
    other = open_collection(tmp_path / "fresh")
    try:
        import_file(other, out)
        assert load_deck(other, DECK_ID).cards == deck.cards
    finally:
        other.close()


def test_an_empty_deck_and_a_deck_of_batches_export_as_write_deck(
    col: Collection, tmp_path: Path
) -> None:
    # the export writes 2,000 stored rows per batch: none, exactly one batch, one card over
    for n, count in enumerate((0, 2000, 2001)):
        plain = [
            Card(
                id=f"0000000{n}-0000-4000-8000-{i:012d}", kind=Kind.FLASHCARD, prompt="q", back="b"
            )
            for i in range(count)
        ]
        deck = Deck(id=f"1c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d{n}", name=f"d{n}", cards=tuple(plain))
        source = tmp_path / f"d{n}.toml"
        source.write_text(write_deck(deck), encoding="utf-8")
        import_file(col, source)
        out = tmp_path / f"out{n}.toml"
        exported = export_deck(col, deck.id, out)
        assert exported.cards == count
        assert out.read_text(encoding="utf-8") == write_deck(deck)


def test_an_export_that_fails_half_way_sets_the_connection_back(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = tuple(
        Card(id=f"00000009-0000-4000-8000-{i:012d}", kind=Kind.FLASHCARD, prompt="q", back="b")
        for i in range(4500)
    )
    deck = Deck(id="2c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", name="big", cards=cards)
    source = tmp_path / "big.toml"
    source.write_text(write_deck(deck), encoding="utf-8")
    import_file(col, source)

    def cache_size() -> int:
        with col.db.session() as session:
            return int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())

    usual = cache_size()
    batches = 0

    def failing(texts: list[str]) -> str:
        nonlocal batches
        batches += 1
        if batches == 2:
            raise OSError("disk full")
        return stored_cards_text(texts)

    monkeypatch.setattr(exchange, "stored_cards_text", failing)
    out = tmp_path / "out.toml"
    with pytest.raises(OSError, match="disk full"):
        export_deck(col, deck.id, out)
    assert not out.exists()
    assert cache_size() == usual
    monkeypatch.setattr(exchange, "stored_cards_text", stored_cards_text)
    assert export_deck(col, deck.id, out).cards == 4500
    assert out.read_text(encoding="utf-8") == write_deck(deck)
    assert cache_size() == usual
