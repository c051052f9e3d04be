"""A card's stored JSON: the exact text is part of the contract.

An import decides that a card changed by comparing the stored text with the text of the
file's card, so the encoder must give the same text for the same card, whichever path
wrote it (orjson, or `json` for text orjson refuses) and whichever quizapp version stored it
(earlier versions used `json.dumps` with these options).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace

from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.model import Card, Checked, Kind
from quizapp.storage.codec import card_from_json, card_to_json

# Every code point, lone surrogates included (the editor can hand us one from a paste).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)


def stdlib_json(card: Card) -> str:
    data = {f.name: getattr(card, f.name) for f in fields(Card)}
    data["kind"] = card.kind.value
    # Fields added later are stored only when set, so older cards keep their exact text.
    for name, default in (("messages", ()), ("line", None), ("fixed", "")):
        if data[name] == default:
            del data[name]
    if card.checked is not None:
        data["checked"] = asdict(card.checked)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


cards = st.builds(
    Card,
    id=st.uuids().map(str),
    kind=st.sampled_from(list(Kind)),
    prompt=any_text,
    explanation=any_text,
    tags=st.lists(any_text, max_size=3).map(tuple),
    code=any_text,
    compiles=st.none() | st.booleans(),
    errors=st.lists(st.sampled_from(["E0382", "E0499"]), max_size=2).map(tuple),
    stdout=st.none() | any_text,
    options=st.lists(any_text, max_size=4).map(tuple),
    answer_indexes=st.lists(st.integers(0, 5), max_size=3).map(tuple),
    accepted=st.lists(any_text, max_size=3).map(tuple),
    back=any_text,
    messages=st.lists(any_text, max_size=2).map(tuple),
    line=st.none() | st.integers(1, 50),
    fixed=any_text,
    checked=st.none() | st.builds(Checked, rustc=any_text, diagnostic=any_text, output=any_text),
)


@given(cards)
def test_stored_text_is_what_the_stdlib_encoder_writes(card: Card) -> None:
    assert card_to_json(card) == stdlib_json(card)


@given(cards)
def test_a_card_comes_back_equal(card: Card) -> None:
    assert card_from_json(card_to_json(card)) == card


def test_control_characters_and_line_separators_are_written_alike() -> None:
    card = Card(id="x", kind=Kind.FLASHCARD, prompt="a\x00b\x1f\x7f\u2028\u2029\ufeff\U0001f980")
    assert card_to_json(card) == stdlib_json(card)
    assert card_to_json(replace(card, prompt="\ud800")) == stdlib_json(
        replace(card, prompt="\ud800")
    )


def test_a_card_without_the_later_fields_keeps_its_old_text() -> None:
    """Stored before `messages`, `line` and `fixed` existed: the same card gives the same text."""
    card = Card(id="x", kind=Kind.COMPILES, prompt="p", code="fn main() {}", compiles=True)
    assert not {"messages", "line", "fixed"} & set(json.loads(card_to_json(card)))
    fix = replace(card, kind=Kind.FIX, compiles=None, fixed="f", line=2, messages=("m",))
    assert card_from_json(card_to_json(fix)) == fix


@given(cards)
def test_stored_text_reads_as_the_stdlib_decoder_reads_it(card: Card) -> None:
    """orjson reads the stored text; the stdlib's reading of it is the reference."""
    text = card_to_json(card)
    from_stdlib = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(text).items()}
    from_stdlib["kind"] = Kind(from_stdlib["kind"])
    checked = from_stdlib.get("checked")
    from_stdlib["checked"] = Checked(**checked) if checked else None
    assert card_from_json(text) == Card(**from_stdlib)


def test_text_orjson_refuses_is_read_by_the_stdlib() -> None:
    """A lone surrogate (only a paste into the editor brings one) was stored by `json`."""
    card = Card(id="x", kind=Kind.FLASHCARD, prompt="a\ud800b")
    text = card_to_json(card)
    assert card_from_json(text) == card


def test_integers_past_64_bits_stay_integers() -> None:
    """orjson would read them as floats; the schema sets no upper bound on `line`."""
    card = Card(
        id="x", kind=Kind.CHOICE, prompt="p", options=("a", "b"), answer_indexes=(2**70 + 1,)
    )
    assert card_from_json(card_to_json(card)).answer_indexes == (2**70 + 1,)
    back = card_from_json(card_to_json(replace(card, answer_indexes=(0,), line=2**64 + 1)))
    assert back.line == 2**64 + 1 and type(back.line) is int
