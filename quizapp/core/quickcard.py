"""The common card of a big deck file checked and made in one pass.

Reading a card took three passes over its table: `deckfile.card_plainly_valid` (is it surely
valid by the schema?), `deckfile.card_problems` (the rules a schema cannot say, in a
generator) and `deckfile.card_from_data` (the `Card`): ~1 s of a 100,000-card import's
~1.4 s read, for cards that are nearly all plain flashcard, short-answer or choice cards.
`quick_card` does all three at once for those kinds when the card has only their own fields,
and gives None for anything else or anything wrong, which then takes the three passes as
before (so every message, and its line, is theirs). It never accepts a card those passes
refuse, and the `Card` is theirs (a property test over valid and broken cards holds both).
"""

from __future__ import annotations

import sys
from typing import Any

from quizapp.core.deckfile import (
    _EDITIONS,
    _TAG,
    _TEXT_MAX,
    _UUID,
    lowered,
)
from quizapp.core.model import Card, Kind

_COMMON = frozenset({"id", "kind", "prompt", "code", "edition", "explanation", "tags"})
_KEYS = {
    "flashcard": _COMMON | {"back"},
    "short": _COMMON | {"answer"},
    "choice": _COMMON | {"options", "answer", "explanations", "multiple"},
}
"""The fields a quick card of each kind may have (only what the kind itself uses)."""
_intern = sys.intern


def quick_card(c: Any, index: int, seen: dict[str, int]) -> Card | None:
    """The card of table `c` (number `index` in the file), or None: then ask `deckfile`.

    `seen` is `card_problems`' ids met so far; it gets this card's id only when a card is
    returned, as `card_problems` would have recorded it.
    """
    if type(c) is not dict:
        return None
    kind: Any = c.get("kind")
    keys = _KEYS.get(kind) if type(kind) is str else None
    if keys is None or not keys.issuperset(c):
        return None
    cid, prompt = c.get("id"), c.get("prompt")
    if not (
        type(cid) is str
        and _UUID.fullmatch(cid)
        and type(prompt) is str
        and 0 < len(prompt) <= _TEXT_MAX
    ):
        return None
    get = c.get
    code, explanation = get("code", ""), get("explanation", "")
    if not (
        type(code) is str
        and len(code) <= _TEXT_MAX
        and type(explanation) is str
        and len(explanation) <= _TEXT_MAX
    ):
        return None
    edition = get("edition", "2021")
    if type(edition) is not str or edition not in _EDITIONS:
        return None
    tags = get("tags", ())
    if tags != () and (type(tags) is not list or not _tags_valid(tags)):
        return None
    back: Any = ""
    options: tuple[str, ...] = ()
    indexes: tuple[int, ...] = ()
    explanations: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    multiple = False
    if kind == "flashcard":
        back = get("back")
        if type(back) is not str or len(back) > _TEXT_MAX:
            return None
    elif kind == "short":
        answer = get("answer")
        if type(answer) is not list or not answer or not all(type(a) is str and a for a in answer):
            return None
        accepted = tuple(answer)
    else:
        answer, found, notes = get("answer"), get("options"), get("explanations")
        multiple = get("multiple", False)
        if not (
            type(found) is list
            and 2 <= len(found) <= 12
            and all(type(o) is str and o for o in found)
            and type(answer) is list
            and answer
            and all(type(a) is int and 0 <= a < len(found) for a in answer)
            and len(set(answer)) == len(answer)
            and type(notes) is list
            and len(notes) == len(found)
            and all(type(e) is str for e in notes)
            and type(multiple) is bool
        ):
            return None
        options, indexes, explanations = tuple(found), tuple(answer), tuple(notes)
    low = lowered(cid)
    if low in seen:
        return None  # a duplicate: `card_problems` says which card has it
    seen[low] = index
    return Card(
        low,
        _KIND[kind],
        prompt,
        explanation,
        tuple(map(_intern, tags)),
        code,
        edition,
        None,
        (),
        False,
        (),
        None,
        None,
        False,
        options,
        indexes,
        explanations,
        multiple,
        accepted,
        back,
        "",
        None,
    )


_KIND = {kind.value: kind for kind in Kind}


def _tags_valid(tags: list[Any]) -> bool:
    """Every tag a string the schema's tag pattern takes. A deck uses a few tags on
    thousands of cards: one already seen valid is found in `_VALID_TAGS` (a set lookup)
    instead of matched again (0.05 s of a 100,000-card read)."""
    try:
        if _VALID_TAGS.issuperset(tags):
            return True
    except TypeError:  # an unhashable value (a table or an array): not a tag
        return False
    if not all(type(t) is str and _TAG.fullmatch(t) for t in tags):
        return False
    if len(_VALID_TAGS) < _VALID_TAGS_KEPT:
        _VALID_TAGS.update(tags)
    return True


_VALID_TAGS: set[str] = set()
"""Tags found valid (validity depends on the text alone, so this holds across files)."""
_VALID_TAGS_KEPT = 10_000
"""At most this many are kept (~1 MiB), whatever a file holds; past it, tags are matched."""
