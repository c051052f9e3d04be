"""Deck files out: what `write_deck` writes reads back equal, and rewriting it is byte-stable."""

from __future__ import annotations

import tomllib
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from quizapp.core.deck_layout import toml_block, toml_string
from quizapp.core.deckfile import parse_deck_text
from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Checked, Deck, Kind
from tests.helpers.deck_strategies import decks, text

DATA = Path(__file__).parents[1] / "data"
DECKS = Path(__file__).parents[2] / "decks"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks())
def test_written_deck_reads_back_equal_and_rewrites_byte_for_byte(deck: Deck) -> None:
    written = write_deck(deck)
    again = parse_deck_text(written, "generated.toml")
    assert again == deck
    assert write_deck(again) == written


@given(text)
def test_strings_survive_tomllib(value: str) -> None:
    assert tomllib.loads(f"a = {toml_string(value)}")["a"] == value
    assert tomllib.loads(f"a = {toml_block(value)}")["a"] == value


def test_multi_line_code_is_a_literal_block() -> None:
    sample = parse_deck_text((DATA / "sample.toml").read_text(encoding="utf-8"), "sample.toml")
    written = write_deck(sample)
    assert "code = '''\nfn main() {\n    let s = String::from(\"hi\");\n" in written
    assert 'stdout = """' not in written
    # code that cannot be a literal block falls back to an escaped string, still exact
    card = Card(id=str(uuid.uuid4()), kind=Kind.OUTPUT, prompt="p", code="a'''b\nc", stdout="")
    deck = Deck(id=str(uuid.uuid4()), name="d", cards=(card,))
    assert "code = \"a'''b\\nc\"" in write_deck(deck)


def test_checked_table_is_written() -> None:
    card = Card(
        id="a0000000-0000-4000-8000-00000000000a",
        kind=Kind.COMPILES,
        prompt="p",
        code="fn main() {}\n",
        compiles=True,
        checked=Checked(rustc="rustc 1.95.0", digest="ff"),
    )
    written = write_deck(Deck(id="b0000000-0000-4000-8000-00000000000b", name="d", cards=(card,)))
    assert '[cards.checked]\nrustc = "rustc 1.95.0"\ndigest = "ff"\n' in written


def test_empty_deck_is_a_valid_file() -> None:
    deck = Deck(id="b0000000-0000-4000-8000-00000000000b", name="Empty")
    assert parse_deck_text(write_deck(deck), "empty.toml") == deck


def test_every_shipped_deck_round_trips() -> None:
    for path in sorted(DECKS.glob("*.toml")):
        deck = parse_deck_text(path.read_text(encoding="utf-8"), str(path))
        written = write_deck(deck)
        assert parse_deck_text(written, str(path)) == deck
        assert write_deck(parse_deck_text(written, str(path))) == written
