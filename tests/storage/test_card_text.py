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
from quizapp.storage.codec import (
    card_from_json,
    card_to_json,
    stored_card_text,
    stored_cards_text,
)
from tests.helpers import deck_strategies as ds

# Text with nothing to escape: the fast path's common case, drawn on purpose. No lone
# surrogates: orjson refuses them, so such a card is the general path's (tested below).
plain = st.text(
    st.characters(min_codepoint=0x20, exclude_characters='"\\\x7f', exclude_categories=["Cs"]),
    max_size=30,
)


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
    # plain as `codec.stored_card_text` decides it: nothing JSON or a deck file escapes
    if "\\" not in stored and not any(c in stored for c in "\x7f\x85\u2028\u2029"):
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


# Every string plain, in every field a kind uses: the quick writers of the kinds without code
# (`card_text._plain_card`) and the general writers' plain quoting must give the same bytes,
# with and without code, another edition, a `checked` table and lists past the inline width.
all_plain = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x2FF, exclude_characters='"\\\x7f\x85')
    | st.sampled_from("🦀日本"),
    max_size=40,
)
one_line = all_plain.filter(lambda s: s.strip() == s and bool(s))


@st.composite
def all_plain_cards(draw: st.DrawFn) -> Card:
    card = draw(ds.cards())
    count = len(card.options)
    swaps: dict[str, object] = {
        "prompt": draw(one_line),
        "explanation": draw(all_plain),
        "tags": tuple(draw(st.lists(st.from_regex(r"\A[a-z0-9-]{1,25}\Z"), max_size=8))),
        "code": draw(st.just("") | one_line) if not card.kind.has_code else draw(one_line),
        "checked": draw(
            st.none()
            | st.builds(
                Checked, rustc=one_line, diagnostic=all_plain, output=all_plain,
                digest=st.sampled_from(["", "ab12"]),
            )
        ),
    }  # fmt: skip
    if card.kind is Kind.FLASHCARD:
        swaps["back"] = draw(all_plain)
    if card.kind is Kind.SHORT:
        swaps["accepted"] = tuple(draw(st.lists(one_line, min_size=1, max_size=12)))
    if card.kind is Kind.CHOICE:
        swaps["options"] = tuple(draw(st.lists(one_line, min_size=count, max_size=count)))
        swaps["explanations"] = tuple(draw(st.lists(all_plain, min_size=count, max_size=count)))
    if card.kind in (Kind.COMPILES, Kind.FIX):
        swaps["messages"] = tuple(draw(st.lists(one_line, max_size=2)))
    if card.kind is Kind.FIX:
        swaps["fixed"] = draw(one_line)
    if card.kind in (Kind.OUTPUT, Kind.FIX) and card.stdout is not None:
        swaps["stdout"] = draw(all_plain)
    fields = {name: getattr(card, name) for name in Card.__dataclass_fields__}
    return Card(**(fields | swaps))


@settings(max_examples=600)
@given(all_plain_cards())
def test_a_card_plain_in_every_field_is_written_by_the_quick_writers(card: Card) -> None:
    stored = card_to_json(card)
    assert "\\" not in stored  # the plain path is the one under test
    assert card_text(orjson.loads(stored), plain=True) == card_piece(card)
    assert stored_card_text(stored) == card_piece(card)


@settings(max_examples=100)
@given(st.lists(st.one_of(ds.cards(), plain_cards(), all_plain_cards()), max_size=8))
def test_a_batch_of_rows_is_each_card_written_in_turn(cards: list[Card]) -> None:
    rows = [card_to_json(card) for card in cards]
    # rows the quick path hands back, among the others: refused by orjson, and a shape the
    # writers do not vouch for
    odd = [
        json.dumps(BASE | {"prompt": "lone \ud800 surrogate"}, ensure_ascii=False),
        json.dumps(BASE | {"line": True}),
    ]
    rows[1:1] = odd
    expected = "".join(card_piece(card_from_json(row)) for row in rows)
    assert stored_cards_text(rows) == expected
    assert stored_cards_text(iter(rows)) == expected
    assert stored_cards_text([]) == ""


@pytest.mark.parametrize("kind", [Kind.FLASHCARD, Kind.SHORT, Kind.CHOICE])
@pytest.mark.parametrize("width", [99, 100, 101])
def test_a_list_at_the_inline_width_is_laid_out_as_the_general_writer_does(
    kind: Kind, width: int
) -> None:
    # `tags = ["…"]`, `answer = ["…"]` and `options = ["…", "x"]` exactly `width` long
    long = "t" * (width - len('tags = [""]'))
    answer = "a" * (width - len('answer = [""]'))
    option = "o" * (width - len('options = ["", "x"]'))
    card = Card(
        id="c", kind=kind, prompt="p", tags=(long,), back="b",
        accepted=(answer,) if kind is Kind.SHORT else (),
        options=(option, "x") if kind is Kind.CHOICE else (),
        answer_indexes=(0,) if kind is Kind.CHOICE else (),
        explanations=("", "") if kind is Kind.CHOICE else (),
    )  # fmt: skip
    stored = card_to_json(card)
    assert card_text(orjson.loads(stored), plain=True) == card_piece(card)
    assert stored_card_text(stored) == card_piece(card)
    assert ("tags = [\n" in card_piece(card)) is (width > 100)


CHOICE = Card(
    id="c4", kind=Kind.CHOICE, prompt="p", options=("x", "y"), answer_indexes=(1,),
    explanations=("", "why"),
)  # fmt: skip
PLAIN_BASES = [
    json.loads(card_to_json(Card(id="c2", kind=Kind.FLASHCARD, prompt="p", back="b", tags=("t",)))),
    json.loads(card_to_json(Card(id="c3", kind=Kind.SHORT, prompt="p", accepted=("a",)))),
    json.loads(card_to_json(CHOICE)),
]


@pytest.mark.parametrize("base", PLAIN_BASES, ids=lambda b: b["kind"])
@pytest.mark.parametrize(
    "key", ["code", "edition", "explanation", "tags", "checked", "back", "accepted", "options"]
)
def test_a_plain_row_missing_a_field_is_written_as_the_general_path_does(
    base: dict[str, object], key: str
) -> None:
    # quizapp stores every field (but three these kinds do not use); a row without one is
    # read with its default by `card_from_json`, and must come out as that card does
    stored = json.dumps({k: v for k, v in base.items() if k != key})
    assert "\\" not in stored
    assert stored_card_text(stored) == card_piece(card_from_json(stored))
