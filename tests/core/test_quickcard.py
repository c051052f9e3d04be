"""`quick_card` checks and makes a plain card in one pass: it must never accept a card the
three passes it replaces would refuse (the schema, then the rules across fields and cards),
and what it makes must be their `Card`, with the same ids remembered."""

from __future__ import annotations

import copy
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core import quickcard
from quizapp.core.deckfile import CARD_FIELDS, _card_schema_accepts, card_from_data, card_problems
from quizapp.core.deckwriter import card_to_data
from quizapp.core.model import Card, Kind
from quizapp.core.quickcard import quick_card
from tests.helpers.deck_strategies import cards

BROKEN = [
    None, True, False, 1.0, 2, -1, 0, 7, "", " ", "x\n", "2018", "2030", "E0382", [], [0],
    [1], [0, 0], [0, 1], [5], [-1], [""], ["a"], ["a b"], ["a\n"], [1.0], [True], ["a", "b"],
    ["a", ""], ["x"] * 13, {}, {"rustc": ""}, "x" * 100_001,
    "ABCDEF12-0000-4000-8000-000000000000", "not-a-uuid",
]  # fmt: skip
FIELDS = [*sorted(CARD_FIELDS), "other"]
"""Every field a card may have, and one it may not."""
EARLIER = "abcdef12-0000-4000-8000-000000000000"


def check(data: object) -> None:
    seen_quick: dict[str, int] = {"00000000-0000-0000-0000-000000000000": -1, EARLIER: 0}
    seen_slow = dict(seen_quick)
    made = quick_card(copy.deepcopy(data), 1, seen_quick)
    problems = card_problems(copy.deepcopy(data), 1, seen_slow)
    if made is None:
        assert len(seen_quick) == 2  # nothing remembered for a card left to the slow path
        return
    assert _card_schema_accepts(data), data
    assert problems == [], (data, problems)
    assert made == card_from_data(data)
    assert seen_quick == seen_slow


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cards(),
    st.sampled_from(FIELDS),
    st.sampled_from(range(len(BROKEN))),
    st.sampled_from(["keep", "drop", "set"]),
)
def test_a_quick_card_is_the_slow_paths_card_and_never_a_refused_one(
    card: Card, field: str, which: int, how: str
) -> None:
    data = copy.deepcopy(card_to_data(card))
    if how == "drop":
        data.pop(field, None)
    elif how == "set":
        data[field] = copy.deepcopy(BROKEN[which])
    check(data)


BASES = [
    Card(id="c1d2e3f4-0000-4000-8000-000000000001", kind=Kind.FLASHCARD, prompt="q", back="a"),
    Card(
        id="c1d2e3f4-0000-4000-8000-000000000002", kind=Kind.SHORT, prompt="q",
        accepted=("a", "b"), tags=("x", "y"), code="let x = 1;", explanation="e",
    ),
    Card(
        id="c1d2e3f4-0000-4000-8000-000000000003", kind=Kind.CHOICE, prompt="q",
        options=("a", "b", "c"), answer_indexes=(0, 2), explanations=("", "b", "c"),
        multiple=True, edition="2018",
    ),
]  # fmt: skip


def test_every_broken_field_of_each_quick_kind_is_left_to_the_slow_path() -> None:
    """Each field of each kind set to each broken value, or dropped: exhaustively, since a
    random draw rarely meets the one value a rule is about."""
    for card in BASES:
        base = card_to_data(card)
        check(base)
        for field in FIELDS:
            dropped = dict(base)
            dropped.pop(field, None)
            check(dropped)
            for value in BROKEN:
                check(base | {field: value})
    choice = card_to_data(BASES[2]) | {"answer": [0]}
    for n in (0, 1, 13):  # too few or too many options, all else agreeing with them
        check(choice | {"options": ["o"] * n, "explanations": [""] * n})


def test_the_common_kinds_are_made_quickly_and_a_duplicate_is_not() -> None:
    seen: dict[str, int] = {}
    plain = [
        Card(id=str(uuid.UUID(int=1, version=4)), kind=Kind.FLASHCARD, prompt="q", back="a"),
        Card(id=str(uuid.UUID(int=2, version=4)), kind=Kind.SHORT, prompt="q", accepted=("a",)),
        Card(
            id=str(uuid.UUID(int=3, version=4)), kind=Kind.CHOICE, prompt="q", options=("a", "b"),
            answer_indexes=(1,), explanations=("", "b"), tags=("t",), edition="2024",
        ),
    ]  # fmt: skip
    for i, card in enumerate(plain):
        assert quick_card(card_to_data(card), i, seen) == card
    assert quick_card(card_to_data(plain[0]), 3, seen) is None  # its id again
    assert seen == {c.id: i for i, c in enumerate(plain)}
    code_card = Card(id=str(uuid.UUID(int=4, version=4)), kind=Kind.OUTPUT, prompt="q", code="x")
    assert quick_card(card_to_data(code_card), 4, seen) is None  # the slow path's kind


def test_tags_seen_valid_before_never_let_a_bad_tag_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Valid tags are remembered (`quickcard._VALID_TAGS`) and then found by a set lookup: a
    list that also holds anything else must still go to the slow path, and the memory of
    tags stops growing at its bound."""
    monkeypatch.setattr(quickcard, "_VALID_TAGS", set())
    base = card_to_data(BASES[0])
    check(base | {"tags": ["known", "also-known"]})
    assert {"known", "also-known"} == quickcard._VALID_TAGS
    bad_tags: list[object] = [
        "",
        " ",
        "a b",
        "a\n",
        "x" * 101,
        1,
        1.0,
        True,
        None,
        {},
        [],
        ["known"],
        {"k": "v"},
    ]
    for bad in bad_tags:
        for tags in ([bad], ["known", bad], [bad, "known"]):
            assert quick_card(base | {"tags": tags}, 1, {}) is None, tags
            check(base | {"tags": tags})
    monkeypatch.setattr(quickcard, "_VALID_TAGS_KEPT", 3)
    for n in range(5):
        check(base | {"tags": ["known", f"new-{n}"]})
        assert quick_card(base | {"tags": [f"new-{n}"]}, 1, {}) is not None
    assert len(quickcard._VALID_TAGS) == 3
