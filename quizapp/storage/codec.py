"""A core `Card` to and from the JSON kept in `card.content`."""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable
from dataclasses import asdict, fields
from typing import Any

import orjson

from quizapp.core.card_text import card_text
from quizapp.core.deckwriter import card_piece
from quizapp.core.model import Card, Checked, Kind

_FIELD_ORDER = tuple(f.name for f in fields(Card))
_CARD_FIELDS = set(_FIELD_ORDER)
_KIND_OF = {kind.value: kind for kind in Kind}
_KIND_VALUE = {kind: kind.value for kind in Kind}
_SORTED_FIELDS = tuple(sorted(_FIELD_ORDER))
"""The stored JSON's key order (sorted, as `json.dumps(sort_keys=True)` writes them)."""
_sorted_values = operator.attrgetter(*_SORTED_FIELDS)


def card_to_json(card: Card) -> str:
    """Compact JSON with sorted keys: equal cards give equal text, so an import compares text.

    orjson writes exactly what `json.dumps(..., ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))` writes (pinned by tests/storage/test_codec.py), ten times
    faster: it was 0.14 s of a 10,000-card import. Text orjson refuses (a lone surrogate,
    which only a paste into the editor could bring) goes through `json` instead.
    """
    # Field by field, not dataclasses.asdict: asdict deep-copies every tuple, which made this
    # a third of an import's time. The JSON is the same (tuples are written as lists). All
    # fields in one attrgetter call, already in sorted order: half the time of a getattr each
    # and of orjson's own sort (0.49 -> 0.23 s for 100,000 cards).
    # Fields added after cards were first stored are written only when set (messages, line,
    # fixed), so a card that does not use them keeps the exact JSON it had and re-importing
    # an unchanged deck changes nothing. Tested one by one, not in a loop, and zip without
    # `strict` (`_sorted_values` gets exactly `_SORTED_FIELDS`): 0.21 -> 0.18 s.
    data: dict[str, Any] = dict(zip(_SORTED_FIELDS, _sorted_values(card), strict=False))
    data["kind"] = _KIND_VALUE[card.kind]
    if data["messages"] == ():
        del data["messages"]
    if data["line"] is None:
        del data["line"]
    if data["fixed"] == "":
        del data["fixed"]
    option = 0
    if card.checked is not None:
        data["checked"] = asdict(card.checked)
        option = orjson.OPT_SORT_KEYS  # the nested table's keys too
    try:
        return orjson.dumps(data, option=option).decode()
    except TypeError:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def card_from_json(text: str) -> Card:
    """The card stored as `text`. An export reads 100,000 of these: orjson parses the text
    in a third of the stdlib's time, and the one pass below replaces two (1.2 -> 0.8 s).
    Text orjson refuses (a lone surrogate) or reads otherwise (an integer past 64 bits, which
    it makes a float) goes to `json`, as before.
    """
    try:
        raw = orjson.loads(text)
    except ValueError:
        raw = json.loads(text)
    else:
        # orjson reads an integer past 64 bits as a float; a card's numbers are integers
        if type(raw.get("line")) is float or any(
            type(i) is float for i in raw.get("answer_indexes", ())
        ):
            raw = json.loads(text)
    data: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _CARD_FIELDS:
            data[key] = tuple(value) if type(value) is list else value
    data["kind"] = _KIND_OF.get(data["kind"]) or Kind(data["kind"])
    checked = data.get("checked")
    data["checked"] = Checked(**checked) if checked else None
    return Card(**data)


_QUOTED_ALIKE = re.compile("[\x7f\x85\u2028\u2029]")
"""Characters a deck file escapes that JSON writes as they are (with the backslash, which
JSON writes for every quote, control character and line break, that is all of them)."""


def stored_card_text(text: str) -> str:
    """The deck-file text (`deckwriter.card_piece`) of the card stored as `text`, without
    making a `Card`: an export of 100,000 cards spent ~1 s making and writing them."""
    return stored_cards_text((text,))


def stored_cards_text(texts: Iterable[str]) -> str:
    """`stored_card_text` of each of `texts`, joined: an export writes a batch of rows at a
    time, one call rather than a few per card.

    Stored text without a backslash holds no string that needs escaping (JSON escapes every
    quote, backslash, control character and line break), so `card_text` can quote each
    string as it is; whatever `card_text` does not vouch for goes the general way.
    """
    pieces: list[str] = []
    append = pieces.append
    loads = orjson.loads
    for text in texts:
        try:
            raw = loads(text)
        except ValueError:
            append(card_piece(card_from_json(text)))
            continue
        plain = "\\" not in text and (
            (text.isascii() and "\x7f" not in text) or _QUOTED_ALIKE.search(text) is None
        )
        piece = card_text(raw, plain) if type(raw) is dict else None
        append(card_piece(card_from_json(text)) if piece is None else piece)
    return "".join(pieces)
