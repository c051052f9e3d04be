"""A big deck file through the streamed reader and writer, on a real collection.

The file is larger than the reader's 1 MiB chunks and its 64 KiB parse batches, so a
problem near its end is met long after the first cards were checked and made: the import
must still be refused whole, naming the place, with nothing written.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from quizapp.core.bundle import ImportFailed
from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Deck, Kind
from quizapp.services import importers
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, export_deck, load_deck, plan_import
from quizapp.services.importers import read_bundle
from tests.helpers.study import db_hash

DECK_ID = "7d3c9a55-2f4e-4b8a-9c61-0e5f7a2b1c34"


def big_deck(count: int = 4000) -> Deck:
    """~1.5 MB of deck file: code blocks, lists and prose, as real decks hold."""
    cards = []
    for n in range(count):
        cid = str(uuid.UUID(int=n + 1, version=4))
        if n % 2:
            cards.append(
                Card(
                    id=cid,
                    kind=Kind.OUTPUT,
                    prompt=f"What does program {n} print?",
                    code=f'fn main() {{\n    println!("{n}");\n}}\n',
                    stdout=f"{n}",
                    tags=("print", f"t{n % 7}"),
                    explanation="Because it prints it. " * 8,
                )
            )
        else:
            cards.append(
                Card(
                    id=cid,
                    kind=Kind.CHOICE,
                    prompt=f"Which is {n}?",
                    options=(f"{n}", f"{n + 1}", "neither"),
                    answer_indexes=(0,),
                    explanations=("yes", "no", "no"),
                    explanation="The first. " * 10,
                )
            )
    return Deck(id=DECK_ID, name="Big deck", cards=tuple(cards))


def test_a_bad_card_near_the_end_refuses_the_whole_file(col: Collection, tmp_path: Path) -> None:
    text = write_deck(big_deck())
    assert len(text) > 1.2 * 2**20
    good = "answer = [0]\nexplanations"
    at = text.rfind(good)  # the last choice card
    text = text[:at] + "answer = [7]\nexplanations" + text[at + len(good) :]
    line = text[:at].count("\n") + 1
    path = tmp_path / "big.toml"
    path.write_text(text, encoding="utf-8")
    before = db_hash(col)
    with pytest.raises(ImportFailed) as info:
        apply_import(col, plan_import(col, read_bundle(path)))
    assert f"big.toml:{line}: cards[3998].answer: index 7 is out of range (3 options)" in str(
        info.value
    )
    assert db_hash(col) == before


def test_a_big_file_imports_and_exports_byte_for_byte(col: Collection, tmp_path: Path) -> None:
    deck = big_deck()
    path = tmp_path / "big.toml"
    path.write_bytes(write_deck(deck).encode("utf-8"))
    bundle = read_bundle(path)
    assert bundle.decks == (deck,)
    apply_import(col, plan_import(col, bundle))
    assert load_deck(col, DECK_ID) == deck
    out = tmp_path / "out.toml"
    exported = export_deck(col, DECK_ID, out)
    assert (exported.deck.name, exported.cards) == ("Big deck", 4000)
    assert out.read_bytes() == path.read_bytes()


def test_a_file_over_the_streamed_cap_is_refused_unread(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_STREAMED_DECK_BYTES", 100_000)
    path = tmp_path / "big.toml"
    path.write_text(write_deck(big_deck(1000)), encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"big.toml: the file is \d+ bytes; the limit is 100000"):
        read_bundle(path)


def test_invalid_utf8_late_in_the_file_names_its_line(tmp_path: Path) -> None:
    raw = write_deck(big_deck()).encode("utf-8")
    at = raw.rfind(b"Which is")
    path = tmp_path / "big.toml"
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    line = raw[:at].count(b"\n") + 1
    with pytest.raises(ImportFailed, match=rf"big.toml:{line}: the file is not UTF-8 text"):
        read_bundle(path)
