"""The events a device writes to its journal in a sync folder, and how they compact.

Each event is one JSON object on one line: `s` the device's sequence number (1, 2, 3, …
without gaps, which is how a reader knows it has not skipped a file), `h` its hybrid
logical clock (`core.hlc`), `t` its type, and the thing's current state. Events carry
state, not commands ("card X now reads …", not "change the prompt of X to …"), so applying
one twice, or an older one after a newer one, is harmless: last-writer-wins compares
clocks per thing (`key`), and answers are a union by their origin key.

Every event is about one thing, named by `key`; of two events with one key the later
clock wins. Compaction therefore keeps, of a device's own events, only the last one per
key: that keeps every answer not since undone and every tombstone (a delete, an undone
answer), which a device that had seen the older event still needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Event = dict[str, Any]

REVIEW = "review"
REVIEW_DELETED = "review_deleted"
CARD = "card"
CARD_DELETED = "card_deleted"
CARD_FLAGS = "card_flags"
CARD_RESET = "card_reset"
DECK = "deck"
DECK_DELETED = "deck_deleted"
SETTING = "setting"

TYPES = frozenset(
    {
        REVIEW,
        REVIEW_DELETED,
        CARD,
        CARD_DELETED,
        CARD_FLAGS,
        CARD_RESET,
        DECK,
        DECK_DELETED,
        SETTING,
    }
)
DELETES = frozenset({REVIEW_DELETED, CARD_DELETED, DECK_DELETED})


def key(event: Event) -> str:
    """The thing an event is about (also its row in the `sync_clock` table)."""
    t = event["t"]
    if t in (REVIEW, REVIEW_DELETED):
        return f"review:{event['o']}"
    if t in (CARD, CARD_DELETED):
        return f"card:{event['c']}"
    if t == CARD_FLAGS:
        return f"flags:{event['c']}"
    if t == CARD_RESET:
        return f"reset:{event['c']}"
    if t in (DECK, DECK_DELETED):
        return f"deck:{event['d']}"
    if t == SETTING:
        return f"setting:{event['k']}"
    raise ValueError(f"unknown event type {t!r}")


_NEEDS = {
    REVIEW: ("o", "c", "r"),
    REVIEW_DELETED: ("o",),
    CARD: ("c", "d", "p", "x"),
    CARD_DELETED: ("c",),
    CARD_FLAGS: ("c", "suspended"),
    CARD_RESET: ("c",),
    DECK: ("d", "name", "section", "description", "source", "source_digest", "position", "options"),
    DECK_DELETED: ("d",),
    SETTING: ("k", "v"),
}


def well_formed(event: object) -> bool:
    """Whether a line read from a journal is an event this version understands (one from
    a newer quizapp, of a type unknown here, stops that device's reading until upgraded)."""
    if not isinstance(event, dict):
        return False
    needs = _NEEDS.get(event.get("t"))  # type: ignore[arg-type]
    if needs is None or not isinstance(event.get("s"), int) or not isinstance(event.get("h"), str):
        return False
    return all(k in event for k in needs)


def compact(events: Iterable[Event]) -> list[Event]:
    """The last event per key, in sequence order: what a snapshot keeps."""
    last: dict[str, Event] = {}
    for event in events:
        k = key(event)
        last.pop(k, None)  # re-inserted at the end: the dict stays in sequence order
        last[k] = event
    return sorted(last.values(), key=lambda e: e["s"])
