"""The two kinds of identity, kept apart by type.

A deck or card has a UUID that travels with it in deck files, exports, progress files and
sync journals: it is what a learner's history follows across re-imports and machines. The
database also gives every row an integer id, which means nothing outside one collection
file. Mixing them up is a silent bug (an int where a UUID was meant matches nothing), so
each has its own `NewType` and the row ids never leave `storage` and `services`.
"""

from __future__ import annotations

from typing import NewType

CardUuid = NewType("CardUuid", str)
"""A card's stable identity (deck file `id`), always lower-case."""
DeckUuid = NewType("DeckUuid", str)
"""A deck's stable identity (deck file `[deck].id`), always lower-case."""
CardRowId = NewType("CardRowId", int)
"""`card.id` in one collection file."""
DeckRowId = NewType("DeckRowId", int)
"""`deck.id` in one collection file."""
ReviewId = NewType("ReviewId", int)
"""`review_log.id` in one collection file."""


def card_uuid(text: str) -> CardUuid:
    """The canonical (lower-case, trimmed) form: the same card whatever case a file used."""
    return CardUuid(text.strip().lower())


def deck_uuid(text: str) -> DeckUuid:
    return DeckUuid(text.strip().lower())
