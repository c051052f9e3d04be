"""The replay's two reads share one temporary table of card ids: a second read of other ids,
or of the same ids after a rollback took them out, reads those ids' rows, never stale ones;
each card comes with its deck's id and that deck's options read once."""

from __future__ import annotations

from typing import Any

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
