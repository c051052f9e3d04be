"""The browser's search against a real SQLite file: FTS5 kept in step, filters, order, pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.services.collection import Collection, open_collection
from quizapp.storage import search
from quizapp.storage.database import DB_NAME
from quizapp.storage.search import CardQuery
from quizapp.storage.tables import CardRow, CardState

COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"
FLASH = "a0000000-0000-4000-8000-000000000005"
ALL = [COMPILES, OUTPUT, CHOICE, SHORT, FLASH]


def find(col: Collection, **kwargs: object) -> list[str]:
    with col.db.session() as session:
        return search.search_card_uuids(
            CardQuery(**kwargs),  # type: ignore[arg-type]
            col.today().toordinal(),
            session=session,
        )


def set_state(col: Collection, uuid: str, **values: object) -> None:
    with col.db.session() as session:
        card = session.exec(select(CardRow).where(CardRow.uuid == uuid)).one()
        state = session.get(CardState, card.id)
        assert state is not None
        for key, value in values.items():
            setattr(state, key, value)
        session.add(state)
        session.commit()


def test_finds_words_in_prompt_code_explanation_and_tags(col: Collection) -> None:
    assert find(col, text="bound") == [CHOICE]  # prompt
    assert find(col, text="println") == [COMPILES, OUTPUT]  # code
    assert find(col, text="Ranges") == [OUTPUT]  # explanation
    assert find(col, text="ownership") == [COMPILES]  # tags
    assert find(col, text="") == ALL


def test_words_are_prefixes_and_all_are_required(col: Collection) -> None:
    assert find(col, text="owner") == [COMPILES]
    assert find(col, text="Does comp") == [COMPILES]
    assert find(col, text="Does nothing") == []


def test_fts_syntax_typed_by_the_learner_is_searched_as_text(col: Collection) -> None:
    for typed in ['"', "AND", "NEAR(", "a:b", "*", "E0382)", "'static"]:
        find(col, text=typed)  # must not raise
    assert find(col, text="E0382)") == [SHORT]  # its explanation; `errors` is not indexed
    assert find(col, text="::") == ALL  # nothing searchable: no text filter


def test_index_follows_edits_and_deletes(col: Collection) -> None:
    with col.db.session() as session:
        card = session.exec(select(CardRow).where(CardRow.uuid == SHORT)).one()
        card.prompt = "Which zygomorphic error?"
        session.add(card)
        session.commit()
    assert find(col, text="zygomorphic") == [SHORT]
    assert find(col, text="rustc give") == []
    with col.db.session() as session:
        card = session.exec(select(CardRow).where(CardRow.uuid == SHORT)).one()
        state = session.get(CardState, card.id)
        session.delete(state)
        session.flush()
        session.delete(card)
        session.commit()
    assert find(col, text="zygomorphic") == []


def test_filters(col: Collection) -> None:
    today = col.today().toordinal()
    set_state(col, COMPILES, due_day=today - 3, lapses=2)
    set_state(col, OUTPUT, due_day=today)
    set_state(col, CHOICE, due_day=today + 5, suspended=True)
    assert find(col, kind="choice") == [CHOICE]
    assert find(col, tag="ownership") == [COMPILES]
    assert find(col, tag="owner") == []  # tags match whole
    assert find(col, due="today") == [COMPILES, OUTPUT]
    assert find(col, due="overdue") == [COMPILES]
    assert find(col, due="new") == [SHORT, FLASH]
    assert find(col, min_lapses=2) == [COMPILES]
    assert find(col, suspended=True) == [CHOICE]
    assert find(col, suspended=False) == [COMPILES, OUTPUT, SHORT, FLASH]
    assert find(col, deck_uuid="6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f") == ALL
    assert find(col, deck_uuid="00000000-0000-4000-8000-000000000000") == []
    assert find(col, text="println", due="overdue") == [COMPILES]


def test_sorting_by_each_column(col: Collection) -> None:
    today = col.today().toordinal()
    set_state(col, CHOICE, due_day=today + 1, interval=9, easiness_hundredths=130, reviews=4)
    set_state(col, SHORT, due_day=today + 7, interval=2, easiness_hundredths=300, reviews=1)
    assert find(col, sort="due") == [CHOICE, SHORT, COMPILES, OUTPUT, FLASH]
    assert find(col, sort="due", descending=True)[:2] == [SHORT, CHOICE]  # new cards still last
    assert find(col, sort="interval", descending=True)[:2] == [CHOICE, SHORT]
    assert find(col, sort="ease")[0] == CHOICE
    assert find(col, sort="reviews", descending=True)[:2] == [CHOICE, SHORT]
    assert find(col, sort="kind") == [CHOICE, COMPILES, FLASH, OUTPUT, SHORT]
    assert find(col, sort="prompt") == [COMPILES, FLASH, OUTPUT, CHOICE, SHORT]
    for key in search.SORT_KEYS:
        assert sorted(find(col, sort=key)) == sorted(ALL)


def test_pages_add_up_to_the_whole_result(col: Collection) -> None:
    whole = find(col, sort="prompt")
    with col.db.session() as session:
        pages = [
            search.search_card_uuids(
                CardQuery(sort="prompt"), 0, session=session, offset=offset, limit=2
            )
            for offset in (0, 2, 4)
        ]
        assert search.count_cards(CardQuery(text="println"), 0, session=session) == 2
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [u for page in pages for u in page] == whole


def test_browser_rows_come_in_the_order_asked(col: Collection) -> None:
    with col.db.session() as session:
        rows = search.get_browser_rows([FLASH, "nope", COMPILES], session=session)
        assert search.list_tags(session=session) == ["ownership"]
    assert [r.uuid for r in rows] == [FLASH, COMPILES]
    assert rows[1].deck_name == "Sample" and rows[1].kind == "compiles"
    assert rows[1].tags == "ownership" and rows[1].due_day is None


def test_a_collection_from_before_the_index_gets_it_built(
    col: Collection, tmp_path: Path, clock: object
) -> None:
    path = col.db.path
    col.close()
    conn = sqlite3.connect(path)
    for name in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER card_fts_{name}")
    conn.execute("DROP TABLE card_fts")
    conn.commit()
    conn.close()
    assert path.name == DB_NAME
    reopened = open_collection(path.parent, clock=clock)  # type: ignore[arg-type]
    try:
        assert find(reopened, text="ownership") == [COMPILES]
        assert find(reopened, text="Ranges") == [OUTPUT]
    finally:
        reopened.close()


def test_the_first_screen_is_the_head_of_the_whole_result(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`first_uuids` walks decks in order and stops early; it must find exactly what the
    whole search puts first, in every order, with every filter, a rare word or a common one,
    with and without planner statistics."""
    from quizapp.core.model import Card, Deck, Kind
    from quizapp.services.decks import import_deck

    for d, name in enumerate(("b deck", "A deck", "c deck")):
        made = tuple(
            Card(
                id=f"d000000{d}-0000-4000-8000-{i:012d}",
                kind=Kind.SHORT,
                prompt=f"Question {i} about {'mutex' if i % 3 else 'borrow'}"
                + (" quokka" if i == 17 else ""),
                accepted=("x",),
                tags=("t1",) if i % 2 else (),
            )
            for i in range(40)
        )
        import_deck(
            col,
            Deck(id=f"d000000{d}-0000-4000-8000-ffffffffffff", name=name, cards=made),
            source="test",
        )
    set_state(col, "d0000001-0000-4000-8000-000000000005", suspended=True, lapses=3)
    monkeypatch.setattr(search, "FEW_MATCHES", 4)  # the common words walk the decks
    today = col.today().toordinal()
    queries = [
        CardQuery(**kwargs)  # type: ignore[arg-type]
        for kwargs in (
            {},
            {"text": "mutex"},
            {"text": "borrow", "descending": True},
            {"text": "quokka"},
            {"text": "question", "tag": "t1", "kind": "short"},
            {"text": "mutex", "deck_uuid": "d0000002-0000-4000-8000-ffffffffffff"},
            {"suspended": True},
            {"min_lapses": 1, "descending": True},
            {"text": "mutex", "sort": "due"},
        )
    ]
    for analysed in (False, True):
        if analysed:
            with col.db.session() as session:
                session.connection().exec_driver_sql("ANALYZE")
                session.commit()
        for query in queries:
            with col.db.session() as session:
                whole = search.search_card_uuids(query, today, session=session)
                for limit in (1, 7, 50, 200):
                    first = search.first_uuids(query, today, limit, session=session)
                    assert first == whole[:limit], (query, limit, analysed)


def test_a_stopped_search_ends_part_way(col: Collection) -> None:
    """A newer search replaces this one: SQLite abandons the statement when told to."""
    from quizapp.core.model import Card, Deck, Kind
    from quizapp.services import cards
    from quizapp.services.decks import import_deck

    made = tuple(
        Card(
            id=f"d0000000-0000-4000-8000-{i:012d}",
            kind=Kind.SHORT,
            prompt=f"Q {i}",
            accepted=("x",),
        )
        for i in range(3000)
    )
    import_deck(
        col, Deck(id="d0000000-0000-4000-8000-ffffffffffff", name="Big", cards=made), source="test"
    )
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(search.SearchStopped):
        cards.search_cards(col, CardQuery(sort="prompt"), stop=stop)
    assert len(cards.search_cards(col, CardQuery(sort="prompt"), stop=lambda: False)) == 3005
    with col.db.session() as session:  # the connection went back to the pool without a handler
        assert len(search.search_card_uuids(CardQuery(), 0, session=session)) == 3005


def test_the_whole_result_in_deck_order_from_the_state_rows_is_the_cards_own(
    col: Collection,
) -> None:
    """In deck order the whole result is read from the cards' state rows (their mirrored
    uuid, deck, retired flag and position); it must be exactly what the cards' own rows
    give (the same search with a LIMIT reads those), after moves, retirements, a suspended
    and a lapsed card, overdue and new cards, in both directions, with every filter. (Only
    a search with words takes that path: without, every card of a deck is read anyway.)"""
    from quizapp.core.model import Card, Deck, Kind
    from quizapp.services.cards import move_cards
    from quizapp.services.decks import import_deck

    def deck(d: int, name: str, keep: range) -> Deck:
        made = tuple(
            Card(
                id=f"e000000{d}-0000-4000-8000-{i:012d}",
                kind=Kind.SHORT,
                prompt=f"Question {i} about {'mutex' if i % 3 else 'borrow'}",
                accepted=("x",),
            )
            for i in keep
        )
        return Deck(id=f"e000000{d}-0000-4000-8000-ffffffffffff", name=name, cards=made)

    for d, name in enumerate(("b deck", "A deck", "C deck")):
        import_deck(col, deck(d, name, range(30)), source="test")
    import_deck(col, deck(2, "C deck", range(10, 30)), source="test")  # ten retired
    move_cards(
        col, [f"e0000000-0000-4000-8000-{i:012d}" for i in (4, 5, 6)], deck(1, "", range(0)).id
    )
    today = col.today().toordinal()
    set_state(col, "e0000001-0000-4000-8000-000000000005", suspended=True, lapses=3)
    set_state(col, "e0000000-0000-4000-8000-000000000007", due_day=today - 2, lapses=1)
    set_state(col, "e0000002-0000-4000-8000-000000000011", due_day=today)
    set_state(col, "e0000000-0000-4000-8000-000000000004", due_day=today + 3)
    queries = [
        CardQuery(**kwargs)  # type: ignore[arg-type]
        for kwargs in (
            {"text": "question"},
            {"text": "question", "descending": True},
            {"text": "mutex"},
            {"text": "borrow", "descending": True},
            {"text": "question 1"},
            {"text": "mutex", "deck_uuid": "e0000001-0000-4000-8000-ffffffffffff"},
            {"text": "question", "suspended": True},
            {"text": "question", "suspended": False, "descending": True},
            {"text": "question", "min_lapses": 1},
            {"text": "question", "due": "today"},
            {"text": "question", "due": "overdue"},
            {"due": "new", "text": "mutex"},
            {"sort": "recall", "text": "mutex"},
        )
    ]
    with col.db.session() as session:
        retired = session.connection().exec_driver_sql("SELECT count(*) FROM card WHERE retired")
        assert retired.scalar_one() == 10
        for query in queries:
            assert search._state_only(query), query  # the path under test
            whole = search.search_card_uuids(query, today, session=session)
            own = search.search_card_uuids(query, today, session=session, limit=10**6)
            assert whole == own and whole, query
    assert find(col)[:3] == [f"e0000001-0000-4000-8000-{i:012d}" for i in range(3)]  # "A deck"
