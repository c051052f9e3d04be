"""Counts in words agree with their number, and group their digits alike everywhere."""

from __future__ import annotations

from quizapp.core.wording import count


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert count(1, "card") == "1 card"
    assert count(0, "card") == "0 cards"
    assert count(2, "other device") == "2 other devices"
    assert count(300_743, "card") == "300,743 cards"
    assert count(1, "match", "matches") == "1 match"
    assert count(3, "match", "matches") == "3 matches"
