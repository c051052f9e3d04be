"""Daily limits, reviews before new cards, and the same-day drill."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.queue import (
    DRILL_GAP,
    DeckCandidates,
    Limits,
    SessionQueue,
    counts_for,
    plan_session,
)


def ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def test_counts_respect_limits_and_what_was_done_today() -> None:
    deck = DeckCandidates(
        due=ids("r", 300), new=ids("n", 50), new_done_today=15, reviews_done_today=10
    )
    counts = counts_for(deck, Limits(new_per_day=20, reviews_per_day=200))
    assert (counts.new, counts.due) == (5, 190)
    assert counts_for(deck, Limits(new_per_day=10)).new == 0


def test_reviews_come_before_new_cards_across_decks() -> None:
    a = DeckCandidates(due=["a-r"], new=["a-n"])
    b = DeckCandidates(due=["b-r"], new=["b-n"])
    queue = plan_session([a, b], Limits())
    assert queue.pending == ("a-r", "b-r", "a-n", "b-n")


def test_limits_apply_per_deck() -> None:
    a = DeckCandidates(new=ids("a", 30))
    b = DeckCandidates(new=ids("b", 30))
    queue = plan_session([a, b], Limits(new_per_day=5))
    assert len(queue.pending) == 10


def test_drill_card_returns_after_a_gap_until_it_scores_four() -> None:
    queue = SessionQueue(pending=tuple(ids("c", 6)))
    queue = queue.after_answer("c0", 2)
    seen = []
    for _ in range(DRILL_GAP):
        card = queue.current()
        assert card != "c0"
        seen.append(card)
        queue = queue.after_answer(card, 4)
    assert queue.current() == "c0"
    queue = queue.after_answer("c0", 3)  # a pass, but below 4: again
    assert queue.is_drill("c0")
    while queue.current() != "c0":
        queue = queue.after_answer(queue.current(), 5)
    queue = queue.after_answer("c0", 4)
    assert not queue.is_drill("c0")


def test_last_card_failed_comes_straight_back() -> None:
    queue = SessionQueue(pending=("only",)).after_answer("only", 0)
    assert queue.current() == "only"
    assert queue.after_answer("only", 5).current() is None


def test_drill_cards_from_earlier_today_come_first() -> None:
    deck = DeckCandidates(due=["r"], new=["n"], drill=["d"])
    assert plan_session([deck], Limits()).current() == "d"


@given(st.lists(st.integers(0, 5), min_size=1, max_size=60))
def test_session_ends_only_when_every_card_scored_four(grades: list[int]) -> None:
    queue = SessionQueue(pending=tuple(ids("c", 5)))
    last: dict[str, int] = {}
    for q in grades:
        card = queue.current()
        if card is None:
            break
        queue = queue.after_answer(card, q)
        last[card] = q
    if queue.current() is None:
        assert all(q >= 4 for q in last.values())
        assert set(last) == set(ids("c", 5))
    assert queue.remaining == len(queue.pending) + len(queue.drill)


def test_each_deck_is_held_to_its_own_daily_limits() -> None:
    """Study all over two decks: one deck's own limit of 1 new card does not cut the other's."""
    a = DeckCandidates(new=["a1", "a2", "a3"], due=["ad1", "ad2"])
    b = DeckCandidates(new=["b1", "b2", "b3"], due=["bd1"])
    queue = plan_session([a, b], [Limits(new_per_day=1, reviews_per_day=1), Limits()])
    assert sorted(queue.pending) == ["a1", "ad1", "b1", "b2", "b3", "bd1"]


@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 5), st.booleans()), max_size=80),
    st.integers(0, 12),
)
def test_the_queue_moves_as_a_rebuilt_list_would(
    steps: list[tuple[int, int, bool]], size: int
) -> None:
    """The O(1) queue against the plain model it replaces: every answer removes the card
    from wherever it is, a grade under 4 drills it; answers out of turn included."""
    cards = ids("c", size)
    queue = SessionQueue(pending=tuple(cards))
    pending, drill, step = list(cards), [], 0
    for pick, q, in_turn in steps:
        card = queue.current() if in_turn else f"c{pick}"
        if card is None:
            break
        before = queue
        queue = queue.after_answer(card, q)
        pending = [c for c in pending if c != card]
        drill = [d for d in drill if d[0] != card]
        if q < 4:
            drill.append((card, step + 1 + DRILL_GAP))
        step += 1
        assert queue.pending == tuple(pending) and queue.drill == tuple(drill)
        assert queue.step == step and queue.remaining == len(pending) + len(drill)
        assert before.step == step - 1  # values: the previous queue is left as it was
    assert queue == SessionQueue(tuple(pending), tuple(drill), step, step)
