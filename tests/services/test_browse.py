"""The browser's recall search: `r<0.5` in the search box and the sort by predicted recall,
checked against recall computed here from the stored states by SM-2's stated curve."""

from __future__ import annotations

import pytest
from sqlmodel import select

from quizapp.core.scheduler import SM2_RECALL_AT_INTERVAL
from quizapp.services import browse
from quizapp.services.browse import RecallFilter, parse_recall_filters
from quizapp.services.cards import CardQuery
from quizapp.services.collection import Collection
from quizapp.storage.tables import CardRow, CardState

COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"
FLASH = "a0000000-0000-4000-8000-000000000005"


def set_state(col: Collection, uuid: str, **values: object) -> None:
    with col.db.session() as session:
        card = session.exec(select(CardRow).where(CardRow.uuid == uuid)).one()
        state = session.get(CardState, card.id)
        assert state is not None
        for key, value in values.items():
            setattr(state, key, value)
        session.add(state)
        session.commit()


def reviewed(col: Collection) -> None:
    """Four cards last reviewed 10 days ago at different intervals; the flashcard is new."""
    today = col.today().toordinal()
    for uuid, interval in ((COMPILES, 1), (OUTPUT, 2), (CHOICE, 6), (SHORT, 30)):
        set_state(
            col,
            uuid,
            repetitions=2,
            interval=interval,
            due_day=today - 10 + interval,
            last_review_day=today - 10,
        )


def expected_recall(col: Collection) -> dict[str, float]:
    """SM-2's stated conversion (docs/scheduling.md): R = 0.9 ** (elapsed / interval)."""
    today = col.today().toordinal()
    with col.db.session() as session:
        rows = session.exec(select(CardRow, CardState).where(CardRow.id == CardState.card_id)).all()
    return {
        card.uuid: SM2_RECALL_AT_INTERVAL ** ((today - state.last_review_day) / state.interval)
        for card, state in rows
        if state.last_review_day is not None
    }


def test_tokens_are_taken_out_of_the_text() -> None:
    assert parse_recall_filters("borrow r<0.8 mut") == ("borrow mut", [RecallFilter("<", 0.8)])
    assert parse_recall_filters("r>=95%") == ("", [RecallFilter(">=", 0.95)])
    assert parse_recall_filters("R>90") == ("", [RecallFilter(">", 0.9)])
    assert parse_recall_filters("r<150 rust") == ("r<150 rust", [])
    assert parse_recall_filters("r<x") == ("r<x", [])


def test_r_below_a_half_finds_exactly_the_cards_predicted_below_a_half(col: Collection) -> None:
    reviewed(col)
    recall = expected_recall(col)
    assert sorted(recall) == sorted([COMPILES, OUTPUT, CHOICE, SHORT])
    for typed, keep in (
        ("r<0.5", lambda r: r < 0.5),
        ("r<0.8", lambda r: r < 0.8),
        ("r>0.95", lambda r: r > 0.95),
        ("r>=0.5 r<0.9", lambda r: 0.5 <= r < 0.9),
    ):
        found = browse.search_cards(col, CardQuery(text=typed))
        assert sorted(found) == sorted(u for u, r in recall.items() if keep(r)), typed
    assert browse.search_cards(col, CardQuery(text="r<0.5")) == [COMPILES]
    # the rest of the text still goes to the full-text index
    assert sorted(browse.search_cards(col, CardQuery(text="println"))) == [COMPILES, OUTPUT]
    assert browse.search_cards(col, CardQuery(text="println r>0.5")) == [OUTPUT]


def test_sorting_by_recall_puts_never_reviewed_cards_last(col: Collection) -> None:
    reviewed(col)
    recall = expected_recall(col)
    by_recall = sorted(recall, key=lambda u: recall[u])
    assert browse.search_cards(col, CardQuery(sort="recall")) == [*by_recall, FLASH]
    assert browse.search_cards(col, CardQuery(sort="recall", descending=True)) == [
        *reversed(by_recall),
        FLASH,
    ]


def test_rows_carry_their_recall(col: Collection) -> None:
    reviewed(col)
    recall = expected_recall(col)
    rows = {r.uuid: r.recall for r in browse.browser_rows(col, [SHORT, FLASH, COMPILES])}
    assert rows[FLASH] is None
    assert rows[SHORT] == pytest.approx(recall[SHORT])
    assert rows[COMPILES] == pytest.approx(recall[COMPILES])
