"""New cards interleaved across kinds and decks, seeded by the study day (issue 12, item 1)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import groupby
from pathlib import Path

import pytest

from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.deck_options import DeckOptions, options_from_json
from quizapp.core.queue import DeckCandidates, Limits, day_seed, interleave, order_new, plan_session
from quizapp.services import cards, deck_options, study
from quizapp.services.collection import Collection, open_collection
from quizapp.services.decks import sync_shipped_decks
from tests.conftest import FakeClock

# A deck written like deck 01: eight compile cards, then the other kinds.
EIGHT_COMPILES_FIRST = [(f"c{i}", "compiles") for i in range(8)] + [
    ("o1", "output"),
    ("q1", "choice"),
    ("s1", "short"),
    ("o2", "output"),
    ("c8", "compiles"),
    ("q2", "choice"),
]


def kind_of(uuid: str) -> str:
    return dict(EIGHT_COMPILES_FIRST)[uuid]


def test_mixed_order_opens_with_every_kind_and_keeps_each_kinds_file_order() -> None:
    mixed = order_new(EIGHT_COMPILES_FIRST, order="mixed", seed=day_seed(739944))
    assert sorted(mixed) == sorted(u for u, _ in EIGHT_COMPILES_FIRST)
    assert {kind_of(u) for u in mixed[:4]} == {"compiles", "output", "choice", "short"}
    for kind in ("compiles", "output", "choice"):
        in_file = [u for u, k in EIGHT_COMPILES_FIRST if k == kind]
        assert [u for u in mixed if kind_of(u) == kind] == in_file
    longest_run = max(len(list(run)) for _kind, run in groupby(kind_of(u) for u in mixed))
    assert longest_run <= 4  # never the file's eight compile cards in a row


def test_the_mix_is_the_same_all_day_and_differs_between_days() -> None:
    day = order_new(EIGHT_COMPILES_FIRST, seed=day_seed(739944))
    assert order_new(EIGHT_COMPILES_FIRST, seed=day_seed(739944)) == day
    others = {tuple(order_new(EIGHT_COMPILES_FIRST, seed=day_seed(739944 + n))) for n in range(5)}
    assert len(others) > 1


def test_file_order_is_kept_when_the_deck_asks_for_it() -> None:
    assert order_new(EIGHT_COMPILES_FIRST, order="file", seed="x") == [
        u for u, _ in EIGHT_COMPILES_FIRST
    ]


def test_study_all_interleaves_the_decks_new_cards() -> None:
    a = DeckCandidates(new=[f"a{i}" for i in range(6)])
    b = DeckCandidates(new=[f"b{i}" for i in range(6)])
    queue = plan_session([a, b], Limits(new_per_day=6), seed=day_seed(1))
    first_six = queue.pending[:6]
    assert any(u.startswith("a") for u in first_six) and any(u.startswith("b") for u in first_six)
    assert [u for u in queue.pending if u.startswith("a")] == list(a.new)
    assert interleave([list(a.new), list(b.new)], seed="s") == interleave(
        [list(a.new), list(b.new)], seed="s"
    )


def test_new_order_is_a_bounded_deck_option() -> None:
    assert DeckOptions().new_order == "mixed"
    options, problems = options_from_json('{"new_order": "file"}')
    assert options.new_order == "file" and problems == []
    options, problems = options_from_json('{"new_order": "shuffled-by-moon"}')
    assert options.new_order == "mixed" and problems and "new_order" in problems[0]
    assert options_from_json(replace(DeckOptions(), new_order="file").to_json())[0].new_order == (
        "file"
    )


@pytest.fixture
def shipped(tmp_path: Path, clock: FakeClock) -> Collection:
    collection = open_collection(tmp_path / "shipped", clock=clock)
    assert sync_shipped_decks(collection, shipped_decks_dir()).errors == []
    return collection


def first_kinds(col: Collection, deck_uuids: list[str] | None, n: int = 12) -> list[str]:
    sitting = study.start_sitting(col, deck_uuids)
    return [cards.load_card(col, u).data["kind"] for u in sitting.queue.pending[:n]]


def test_the_first_12_new_cards_of_every_shipped_deck_hold_three_kinds(
    shipped: Collection,
) -> None:
    overview = study.deck_overview(shipped)
    assert len(overview) >= 14
    for deck in overview:
        kinds = first_kinds(shipped, [deck.uuid])
        assert len(set(kinds)) >= 3, (deck.name, kinds)
        assert max(Counter(kinds).values()) <= 8, (deck.name, kinds)


def test_a_sitting_started_twice_on_one_day_brings_the_same_cards(shipped: Collection) -> None:
    deck = study.deck_overview(shipped)[0].uuid
    assert study.start_sitting(shipped, [deck]).queue == study.start_sitting(shipped, [deck]).queue


def test_study_all_mixes_decks_and_a_deck_in_file_order_keeps_it(shipped: Collection) -> None:
    overview = study.deck_overview(shipped)
    sitting = study.start_sitting(shipped)
    decks = {cards.load_card(shipped, u).deck_uuid for u in sitting.queue.pending[:20]}
    assert len(decks) >= 3
    first = overview[0].uuid
    options = deck_options.deck_options(shipped, first)
    deck_options.set_deck_options(shipped, first, replace(options, new_order="file"))
    kinds = first_kinds(shipped, [first], n=8)
    assert kinds == ["compiles"] * 8  # deck 01 as written: eight compile cards first
