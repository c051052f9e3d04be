"""Where a deck came from, as `deck.source` records it, and what that says about trust.

quizapp trusts the decks it ships (their code is run by `verify` and Try it without a
foreign-code warning); every other source is someone else's deck.
"""

from __future__ import annotations

SHIPPED_PREFIX = "shipped:"
"""`shipped:<file name>`: a deck that ships with quizapp."""
EDITOR_SOURCE = "editor"
"""A deck made in the editor."""


def is_shipped(source: str) -> bool:
    return source.startswith(SHIPPED_PREFIX)
