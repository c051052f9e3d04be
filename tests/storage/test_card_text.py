"""An export writes each stored card's text straight from its JSON (`codec.stored_card_text`,
`core.card_text`): the bytes must be the general writer's (`deckwriter.card_piece`), for
every kind and every awkward string, and anything the fast writer does not expect must take
the general path rather than be written differently."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.card_text import card_text
from quizapp.core.deckwriter import card_piece
from quizapp.core.model import Card, Checked, Kind
from quizapp.storage.codec import card_from_json, card_to_json, stored_card_text
from tests.helpers import deck_strategies as ds

# Text with nothing to escape: the fast path's common case, drawn on purpose.
plain = st.text(st.characters(min_codepoint=0x20, exclude_characters='"\\\x7f'), max_size=30)


@st.composite
def plain_cards(draw: st.DrawFn) -> Card:
    card = draw(ds.cards())
    swaps = {"prompt": draw(plain.filter(bool)), "explanation": draw(plain)}
    if card.kind is Kind.FLASHCARD:
        swaps["back"] = draw(plain)
    if card.kind is Kind.SHORT:
        swaps["accepted"] = tuple(draw(st.lists(plain.filter(bool), min_size=1, max_size=30)))
    fields = {name: getattr(card, name) for name in Card.__dataclass_fields__}
    return Card(**(fields | swaps))


@settings(max_examples=400)
@given(st.one_of(ds.cards(), plain_cards()))
def test_stored_text_writes_the_general_writers_bytes(card: Card) -> None:
    stored = card_to_json(card)
    assert stored_card_text(stored) == card_piece(card)
    # a valid card is always written by the fast writer, not handed back (the stdlib reads
    # what orjson refuses: a lone surrogate)
    assert card_text(json.loads(stored), plain=False) == card_piece(card)


@given(plain_cards())
def test_plain_text_is_quoted_without_escaping(card: Card) -> None:
    stored = card_to_json(card)
    if "\\" not in stored and "\x85" not in stored and "\u2028" not in stored:
        assert card_text(orjson.loads(stored), plain=True) == card_piece(card)


@pytest.mark.parametrize(
    "card",
    [
        Card(
            id="c", kind=Kind.CHOICE, prompt="p", options=tuple("x" * 30 for _ in range(5)),
            answer_indexes=tuple(range(40)), explanations=("", "why"),
            checked=Checked(rustc="1.95", diagnostic="a\nb", output="", digest="ab12"),
        ),
        Card(id="c", kind=Kind.CHOICE, prompt="p"),  # empty lists, in plain text
        Card(id="c", kind=Kind.FIX, prompt="p", code="x", fixed="y", stdout=""),
        Card(id="c", kind=Kind.FLASHCARD, prompt="p", tags=tuple("t" * 20 for _ in range(6))),
        Card(id="c", kind=Kind.OUTPUT, prompt="p", code="a\nb", panics=True, edition="2024"),
    ],
)  # fmt: skip
def test_edge_layouts_match(card: Card) -> None:
    stored = card_to_json(card)
    assert stored_card_text(stored) == card_piece(card)
    assert card_text(orjson.loads(stored), plain="\\" not in stored) == card_piece(card)


BASE = json.loads(card_to_json(Card(id="c1", kind=Kind.COMPILES, prompt="p", code="fn x")))


@pytest.mark.parametrize(
    "change",
    [
        {"line": True},  # the general writer writes `line = true`
        {"line": 12345678901234567890123},  # orjson reads it as a float
        {"line": "3"},
        {"prompt": 5},
        {"tags": [1, "a"]},
        {"checked": {"rustc": "1", "diagnostic": "d", "extra": 1}},
        {"checked": {"diagnostic": "no rustc"}},
        {"unknown_field": "dropped"},
        {"kind": "essay"},
        {"prompt": "lone \ud800 surrogate"},
    ],
)
def test_an_unexpected_shape_is_written_or_refused_as_the_general_path_does(
    change: dict[str, object],
) -> None:
    stored = json.dumps(BASE | change, ensure_ascii=False)
    try:
        expected = card_piece(card_from_json(stored))
    except (TypeError, ValueError) as refused:
        with pytest.raises(type(refused)):
            stored_card_text(stored)
    else:
        assert stored_card_text(stored) == expected
