"""A core `Card` to and from the JSON kept in `card.content`."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from quizapp.core.model import Card, Checked, Kind

_FIELD_ORDER = tuple(f.name for f in fields(Card))
_CARD_FIELDS = set(_FIELD_ORDER)


def card_to_json(card: Card) -> str:
    # Field by field, not dataclasses.asdict: asdict deep-copies every tuple, which made this
    # a third of an import's time. The JSON is the same (tuples are written as lists).
    data: dict[str, Any] = {name: getattr(card, name) for name in _FIELD_ORDER}
    data["kind"] = card.kind.value
    if card.checked is not None:
        data["checked"] = asdict(card.checked)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def card_from_json(text: str) -> Card:
    data: dict[str, Any] = {k: v for k, v in json.loads(text).items() if k in _CARD_FIELDS}
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = tuple(value)
    data["kind"] = Kind(data["kind"])
    checked = data.get("checked")
    data["checked"] = Checked(**checked) if checked else None
    return Card(**data)
