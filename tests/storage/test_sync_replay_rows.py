"""The replay's two reads share one temporary table of card ids: a second read of other ids,
or of the same ids after a rollback took them out, reads those ids' rows, never stale ones;
each card comes with its deck's id and that deck's options read once."""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.storage import sync_rows


def ids_and_decks(session: Any) -> list[tuple[int, int, str]]:
    rows = session.connection().exec_driver_sql(
        "SELECT c.id, c.deck_id, d.options FROM card c JOIN deck d ON d.id = c.deck_id "
        "ORDER BY c.id"
    )
    return [tuple(r) for r in rows]


def test_each_read_of_the_replay_gets_the_ids_it_asked_for(col: Any) -> None:
    with col.db.session() as session:
        cards = ids_and_decks(session)
        assert len(cards) >= 3
        first, rest = [cards[0][0]], [c for c, _d, _o in cards[1:]]
        assert sync_rows.logs_for_replay(first, "x:", session=session) == {}
        inputs, options = sync_rows.replay_inputs(rest, session=session)
        assert sorted(inputs) == rest  # not the first read's id
        for card_id, deck_id, deck_options in cards[1:]:
            assert inputs[card_id][1] == deck_id
            assert options[deck_id] == deck_options
        again, _ = sync_rows.replay_inputs(rest, session=session)
        assert again == inputs


def test_a_rollback_that_empties_the_table_fills_it_again(col: Any) -> None:
    with col.db.session() as session:
        ids = [c for c, _d, _o in ids_and_decks(session)]
        session.connection()  # the transaction the savepoint sits in
        savepoint = session.begin_nested()
        filled, _ = sync_rows.replay_inputs(ids, session=session)
        savepoint.rollback()  # the temporary rows go with it
        after, _ = sync_rows.replay_inputs(ids, session=session)
        assert sorted(after) == sorted(filled) == ids


def test_the_table_holds_every_id_of_a_read_of_thousands(col: Any) -> None:
    with col.db.session() as session:
        ids = [c for c, _d, _o in ids_and_decks(session)]
        asked = [*ids, *range(10**6, 10**6 + 1234)]  # past the 500 ids of one statement
        inputs, _ = sync_rows.replay_inputs(asked, session=session)
        held = session.connection().exec_driver_sql("SELECT id FROM temp.sync_cards ORDER BY id")
        assert [i for (i,) in held] == sorted(asked)
        assert sorted(inputs) == ids


def logged(n: int) -> list[Any]:
    day = 739677 + n
    return [f"2026-03-02 09:00:{n:02d}.000000", day, "review", "{}", True, 4,
            n, n + 1, 250, 250, n, n + 1, day, day + 1, None, 2.0, None]  # fmt: skip


def replay_read(session: Any, ids: list[int]) -> tuple[dict[int, Any], list[str]]:
    """What `logs_for_replay` returns for `ids`, and how SQLite ran its read of the log."""
    raw = session.connection().connection.dbapi_connection
    statements: list[str] = []
    raw.set_trace_callback(statements.append)
    try:
        found = sync_rows.logs_for_replay(ids, "x:", session=session)
    finally:
        raw.set_trace_callback(None)
    read = next(s for s in statements if "review_log r" in s)
    plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + read)]
    return found, plan


def test_a_replay_of_few_cards_reads_their_answers_through_the_card_index(
    col: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with col.db.session() as session:
        ids = [c for c, _d, _o in ids_and_decks(session)]
        rows = [(ids[n % len(ids)], f"{'e' * 32}:{n}", *logged(n)) for n in range(30)]
        sync_rows.insert_reviews(rows, session=session)
        whole, whole_plan = replay_read(session, ids[:2])  # 2 of a few cards: many
        inputs = sync_rows.replay_inputs(ids[:2], session=session)
        monkeypatch.setattr(sync_rows, "FEW_CARDS", 1)  # now few
        few, few_plan = replay_read(session, ids[:2])
        assert sync_rows.replay_inputs(ids[:2], session=session) == inputs
    assert not any("ix_review_log_card" in step for step in whole_plan)
    assert any("USING INDEX ix_review_log_card" in step for step in few_plan)
    assert few == whole and sorted(few) == ids[:2]
    assert sum(map(len, few.values())) == sum(r[0] in ids[:2] for r in rows)
