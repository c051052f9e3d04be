"""The digest that ties a card's stored `[cards.checked]` to what was actually checked.

`quizapp verify --write` stores rustc's diagnostic or the program's output in the deck so a
learner without rustc still sees them. An author who later edits the code, the edition or
the answer makes that stored text a lie; the digest is how both `verify` and the app notice.
It lives in core because the app shows (or hides) stored diagnostics by the same rule.

Only what decides rustc's verdict goes in: the code, the edition, the kind and the expected
answer. Prompt, explanation and tags can change freely without invalidating anything.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from quizapp.core.model import Card, Kind

DIGEST_VERSION = 1
"""Bumped if the digest's input ever changes, so old digests read as stale, not as equal."""


def card_digest(card: Card) -> str:
    """A hex sha256 over the card's code, edition, kind and expected answer."""
    if not card.kind.has_code:
        raise ValueError(f"card {card.id} is a {card.kind} card; only code cards have a digest")
    payload = [DIGEST_VERSION, str(card.kind), card.code, card.edition, expectation(card)]
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def expectation(card: Card) -> dict[str, Any]:
    """The part of a code card that rustc confirms or refutes."""
    if card.kind is Kind.FIX:
        return {
            "errors": sorted(set(card.errors)),
            "messages": sorted(set(card.messages)),
            "line": card.line,
            "fixed": card.fixed,
            "stdout": card.stdout,
        }
    if card.kind is Kind.COMPILES:
        out: dict[str, Any] = {"compiles": card.compiles, "errors": sorted(set(card.errors))}
        # Only when set, so the digests stored before these fields existed stay valid.
        if card.messages:
            out["messages"] = sorted(set(card.messages))
        if card.line is not None:
            out["line"] = card.line
        return out
    return {"stdout": card.stdout, "panics": card.panics}


def checked_is_current(card: Card) -> bool:
    """Whether the card's stored `checked` still describes this card (not whether rustc agrees)."""
    return card.checked is not None and card.checked.digest == card_digest(card)
