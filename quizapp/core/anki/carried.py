"""The original quizapp card, carried through Anki in a note field Anki keeps.

Anki can show our cards only as front and back, so an export flattens them
(`core.anki.faces`). To come back whole, each note also holds the card as its deck file
writes it, with its deck's identity, in a third field ("quizapp") that no template shows.
Anki keeps every field of a note through study, edits of other fields and its own
exports, so reading such a package gives back the same card, kind and id, in the same
deck; only notes without the field (made in Anki, or an older export) become flashcards.

The field is base64 of UTF-8 JSON behind a version prefix: no `<`, `&` or quote for
Anki's HTML editor to rewrite, nothing a tag search or sort field would trip on. A
field that does not decode, or whose card breaks the deck-file rules, is treated as
absent: the note is read as a flashcard rather than failing the whole import.

Edits made in Anki to the Front or Back of such a note are not read back: the carried
card is the source of truth, as a deck file is.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from quizapp.core.deckfile import card_from_data, validate_card_data
from quizapp.core.deckwriter import card_to_data
from quizapp.core.model import Card, Deck

FIELD = "quizapp"
"""The note field's name (after Front and Back)."""
PREFIX = "quizapp-card-v1:"


@dataclass(frozen=True)
class CarriedDeck:
    """The deck a carried card belongs to in quizapp."""

    id: str
    name: str
    section: str = ""
    description: str = ""


def encode(deck: Deck, card: Card) -> str:
    head: dict[str, Any] = {"id": deck.id, "name": deck.name}
    if deck.section:
        head["section"] = deck.section
    if deck.description:
        head["description"] = deck.description
    raw = json.dumps({"deck": head, "card": card_to_data(card)}, ensure_ascii=False)
    return PREFIX + base64.b64encode(raw.encode("utf-8")).decode("ascii")


def decode(field: str) -> tuple[CarriedDeck, Card] | None:
    """The deck and card a field carries; None when it carries none that is sound."""
    text = field.strip()
    if not text.startswith(PREFIX):
        return None
    try:
        data = json.loads(base64.b64decode(text[len(PREFIX) :], validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    head, card = data.get("deck"), data.get("card")
    if not isinstance(head, dict) or not isinstance(card, dict) or validate_card_data(card):
        return None
    strings = {k: v for k, v in head.items() if isinstance(v, str)}
    if not strings.get("id") or not strings.get("name"):
        return None
    deck = CarriedDeck(
        id=strings["id"].lower(),
        name=strings["name"],
        section=strings.get("section", ""),
        description=strings.get("description", ""),
    )
    return deck, card_from_data(card)
