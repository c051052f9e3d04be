"""The "if this compiled, what would go wrong?" cards show programs that rustc really rejects.

They are choice cards, so `verify` does not compile their code; this test does. Each card's
explanations name the error codes rustc gives, and the test holds them to exactly those codes,
so a future rustc that accepts one of these programs (or rejects it for another reason) is
noticed instead of leaving a card that asks about a program which now compiles.
"""

from __future__ import annotations

import re

import pytest

from quizapp import rustc
from quizapp.adapters.files import load_deck_file
from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.model import Card, Kind

TAG = "if-it-compiled"
_CODE = re.compile(r"\bE\d{4}\b")


def _cards() -> list[Card]:
    cards = []
    for path in sorted(shipped_decks_dir().glob("*.toml")):
        cards += [c for c in load_deck_file(path).cards if TAG in c.tags]
    return cards


def test_there_are_at_least_twenty_such_cards() -> None:
    cards = _cards()
    assert len(cards) >= 20
    assert all(c.kind is Kind.CHOICE and c.code for c in cards)
    assert all(len(c.explanations) == len(c.options) for c in cards)


@pytest.mark.rustc
@pytest.mark.slow
@pytest.mark.parametrize("card", _cards(), ids=lambda c: c.id[:8])
def test_rustc_rejects_the_program_with_the_codes_the_card_names(card: Card) -> None:
    named = set(_CODE.findall(" ".join((card.explanation, *card.explanations))))
    result = rustc.check(card.code, card.edition)
    assert not result.success
    assert not result.uncoded_errors
    assert set(result.error_codes) == named
