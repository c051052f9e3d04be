"""Counts in words, for every message that counts something: "1 card", "2 cards",
"300,743 cards". One rule, so that no message says "1 cards" and every count groups its
digits the same way."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and its noun, agreeing (`plural` where adding an "s" is wrong), digits grouped."""
    return f"{n:,} {noun if n == 1 else (plural if plural is not None else noun + 's')}"
