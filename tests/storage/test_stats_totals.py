"""The review log and the cards summed up in SQL equal the row-by-row references in core.stats.

`stats_repo.review_totals` groups a million rows in SQLite; `core.stats.totals_from_reviews`
walks `list_stat_reviews`' rows one by one and is the definition. Both run here on a real
SQLite file holding every log kind, passes and fails, readable and unreadable choice
answers, several sections (two decks sharing one, a deck named for lack of a section),
several weeks, and the history of a retired card.

Likewise `stats_repo.card_totals` against `core.stats.card_totals_from_rows` over
`list_stat_cards`, on cards new, learning, young and mature, suspended, retired, overdue and
due past the forecast, with EF at its 1.3 floor, at 2.5 and above 2.7, in four sections.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from quizapp.core.model import Card, Deck, Kind
from quizapp.core.stats import (
    FORECAST_DAYS,
    CardTotals,
    Mastery,
    Retention,
    card_totals_from_rows,
    totals_from_reviews,
    week_start,
)
from quizapp.storage import repo, stats_repo
from quizapp.storage.database import DB_NAME, Database, open_database
from quizapp.storage.tables import ReviewLog

MONDAY = date(2026, 11, 2).toordinal()
KINDS = ("new", "review", "drill", "cram")


def uuid(n: int) -> str:
    return f"60000000-0000-4000-8000-{n:012d}"


def choice(n: int) -> Card:
    return Card(
        id=uuid(n),
        kind=Kind.CHOICE,
        prompt=f"Which bound, {n}?",
        options=("`Sync`", "`Send`", "`Copy`"),
        answer_indexes=(1,),
        explanations=("no", "yes", "no"),
    )


def short(n: int) -> Card:
    return Card(id=uuid(n), kind=Kind.SHORT, prompt=f"Which code, {n}?", accepted=("E0382",))


# (deck name, section, cards); "Own" is the section of two decks, "Threads" a deck's name
DECKS = (
    ("Ownership I", "Own", (choice(1), short(2))),
    ("Threads", "", (short(3), choice(4))),
    ("Ownership II", "Own", (short(5),)),
)
RETIRED = uuid(3)
CARDS = [c.id for _n, _s, cards in DECKS for c in cards]
CHOICE_CARDS = {uuid(1), uuid(4)}


def build(path: Path) -> Database:
    db = open_database(path)
    with db.session() as session:
        for position, (name, section, cards) in enumerate(DECKS):
            deck = repo.save_deck(
                Deck(
                    id=f"70000000-0000-4000-8000-00000000000{position}", name=name, section=section
                ),
                source="",
                digest="",
                position=position,
                session=session,
            )
            assert deck.id is not None
            for i, card in enumerate(cards):
                repo.save_card(card, deck_id=deck.id, position=i, existing=None, session=session)
        session.flush()
        repo.retire_cards(
            repo.get_card_with_state(RETIRED, session=session)[0].deck_id,  # type: ignore[index]
            keep={uuid(4)},
            session=session,
        )
        session.commit()
    return db


def pick(*indexes: Any) -> str:
    return json.dumps({"selected": list(indexes)})


ANSWERS = (pick(0), pick(1), pick(0, 2), pick(2), "not json", pick("x"), json.dumps([0]), "")

# (card, day after MONDAY, kind, quality, answer): five weeks, a Sunday and a Monday
KNOWN_LOG = [
    (1, 0, "new", 1, pick(0)),
    (1, 0, "drill", 4, pick(1)),
    (1, 1, "review", 4, pick(1)),
    (1, 6, "review", 2, pick(0, 2)),
    (1, 7, "cram", 1, pick(0)),
    (1, 7, "review", 0, "not json"),
    (2, 0, "new", 5, '{"text": "E0382"}'),
    (2, 13, "review", 3, '{"text": "E0382"}'),
    (3, 2, "new", 2, '{"text": "no"}'),  # the retired card: its history still counts
    (3, 3, "review", 1, '{"text": "no"}'),
    (3, 3, "drill", 1, '{"text": "no"}'),
    (3, 20, "review", 4, '{"text": "E0382"}'),
    (4, 14, "new", 1, pick(2)),
    (4, 14, "drill", 1, pick("x")),
    (4, 15, "cram", 0, json.dumps([0])),
    (4, 28, "review", 3, pick(1)),
    (5, 27, "new", 0, ""),
    (5, 28, "review", 1, ""),
    (5, 34, "cram", 5, ""),
]


def write_log(db: Database, log: list[tuple[int, int, str, int, str]]) -> None:
    with db.session() as session:
        session.execute(text("DELETE FROM review_log"))
        ids = {
            row.uuid: row.id
            for row, _state in (
                repo.get_card_with_state(u, session=session)  # type: ignore[misc]
                for u in CARDS
            )
        }
        for card, day, kind, quality, answer in log:
            session.add(
                ReviewLog(
                    card_id=ids[uuid(card)],
                    reviewed_at=datetime(2026, 11, 2, tzinfo=UTC),
                    study_day=MONDAY + day,
                    kind=kind,
                    answer=answer,
                    correct=quality >= 3,
                    quality=quality,
                    repetitions_before=0,
                    repetitions_after=0,
                    easiness_before=250,
                    easiness_after=250,
                    interval_before=0,
                    interval_after=0,
                )
            )
        session.commit()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = build(tmp_path_factory.mktemp("stats") / "data")
    yield database
    database.close()


def sql_and_reference(db: Database) -> tuple[Any, Any]:
    with db.session() as session:
        totals = stats_repo.review_totals(session=session)
        reviews = stats_repo.list_stat_reviews(session=session)
    return totals, totals_from_reviews(reviews, CHOICE_CARDS)


def test_sql_totals_equal_the_reference_on_a_known_log(db: Database) -> None:
    write_log(db, KNOWN_LOG)
    totals, reference = sql_and_reference(db)
    assert totals == reference
    # and the reference says what the definitions say
    assert totals.answers == len(KNOWN_LOG)
    assert totals.scheduled_by_section == {
        "Own": Retention(3, 8),  # two decks, one section
        "Threads": Retention(2, 5),  # the retired card's answers included
    }
    assert sorted(totals.scheduled_by_week) == [MONDAY + 7 * w for w in range(5)]
    assert totals.failures == {
        uuid(1): ("Own", 3),
        uuid(3): ("Threads", 2),
        uuid(4): ("Threads", 1),
        uuid(5): ("Own", 2),
    }
    assert totals.choice_answers[(uuid(1), "Own", pick(0))] == 2  # new and cram alike
    assert totals.choice_answers[(uuid(4), "Threads", json.dumps([0]))] == 1
    assert not any(u in {uuid(2), uuid(3), uuid(5)} for u, _s, _a in totals.choice_answers)


def test_the_interview_part_is_the_same_as_in_the_whole(db: Database) -> None:
    write_log(db, KNOWN_LOG)
    with db.session() as session:
        part = stats_repo.scheduled_totals(session=session)
        whole = stats_repo.review_totals(session=session)
    assert part.scheduled_by_section == whole.scheduled_by_section
    assert part.failures == whole.failures


def test_the_sql_week_starts_on_core_stats_monday() -> None:
    for day in range(MONDAY - 30, MONDAY + 400):
        assert day - (day - 1) % 7 == week_start(day)


def test_an_empty_log_sums_to_nothing(db: Database) -> None:
    write_log(db, [])
    totals, reference = sql_and_reference(db)
    assert totals == reference
    assert totals.answers == 0 and totals.scheduled_by_section == {}


def test_cards_come_in_deck_order_without_the_retired_one(db: Database) -> None:
    with db.session() as session:
        cards = stats_repo.list_stat_cards(session=session)
        questions = stats_repo.list_question_cards(["choice"], session=session)
        bare = stats_repo.list_question_cards(["choice", "short"], session=session, prompts=False)
    assert [(c.uuid, c.section) for c in cards] == [
        (uuid(1), "Own"),
        (uuid(2), "Own"),
        (uuid(4), "Threads"),
        (uuid(5), "Own"),
    ]
    assert all(c.is_new and not c.suspended for c in cards)
    assert [(q.uuid, q.deck_name, q.prompt) for q in questions] == [
        (uuid(1), "Ownership I", "Which bound, 1?"),
        (uuid(4), "Threads", "Which bound, 4?"),
    ]
    # Without prompts (the interview's draw, read from the kind index): same cards, same order.
    assert [(q.uuid, q.kind, q.section, q.prompt) for q in bare] == [
        (uuid(1), "choice", "Own", ""),
        (uuid(2), "short", "Own", ""),
        (uuid(4), "choice", "Threads", ""),
        (uuid(5), "short", "Own", ""),
    ]


entries = st.tuples(
    st.integers(1, 5),
    st.integers(-10, 60),
    st.sampled_from(KINDS),
    st.integers(0, 5),
    st.sampled_from(ANSWERS),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(entries, max_size=40))
def test_sql_totals_equal_the_reference_on_any_log(
    db: Database, log: list[tuple[int, int, str, int, str]]
) -> None:
    write_log(db, log)
    totals, reference = sql_and_reference(db)
    assert totals == reference


def test_an_index_the_statistics_name_comes_back_if_dropped(tmp_path: Path) -> None:
    """The sums use INDEXED BY; a file some other tool changed must not break them."""
    open_database(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("DROP INDEX ix_review_log_day")
    conn.execute("DROP INDEX ix_review_log_card")
    conn.commit()
    conn.close()
    db = open_database(tmp_path)
    try:
        with db.session() as session:
            assert stats_repo.review_totals(session=session).answers == 0
    finally:
        db.close()


# --- the cards ----------------------------------------------------------------------------

TODAY = MONDAY + 22
# (deck name, section, number of cards): "Own" is the section of two decks, "Threads" a name
STATE_DECKS = (("Ownership I", "Own", 4), ("Threads", "", 3), ("Ownership II", "Own", 3))
STATE_DECKS += (("Traits", "Tr", 4),)
STATE_CARDS = [uuid(100 + n) for n in range(sum(size for _n, _s, size in STATE_DECKS))]

# (repetitions, interval, EF hundredths, due day from TODAY or None for new, suspended, retired)
State = tuple[int, int, int, int | None, bool, bool]
KNOWN_STATES: list[State] = [
    (0, 0, 250, None, False, False),  # Own: new
    (1, 1, 250, 0, False, False),  # learning, due today
    (2, 6, 236, -3, False, False),  # young, overdue: counts today
    (3, 21, 270, 12, False, False),  # mature (the line), due in 12
    (4, 40, 130, 5, True, False),  # Threads: mature, suspended: not in the forecast
    (0, 1, 200, -1, False, False),  # learning (failed back), overdue
    (5, 400, 290, FORECAST_DAYS, False, False),  # mature, due just past the forecast
    (3, 20, 250, 29, False, False),  # Own (II): young, the forecast's last day
    (6, 90, 310, 80, False, True),  # retired: counted nowhere
    (0, 0, 250, None, True, False),  # new and suspended
    (2, 30, 131, 3, False, False),  # Tr: mature, EF just above the floor
    (1, 1, 250, 1, False, False),  # learning
    (3, 14, 268, 0, False, False),  # young
    (0, 0, 250, None, False, True),  # new and retired
]


@pytest.fixture(scope="module")
def cards_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(tmp_path_factory.mktemp("cards") / "data")
    with database.session() as session:
        cards = iter(STATE_CARDS)
        for position, (name, section, size) in enumerate(STATE_DECKS):
            deck = repo.save_deck(
                Deck(
                    id=f"71000000-0000-4000-8000-00000000000{position}", name=name, section=section
                ),
                source="",
                digest="",
                position=position,
                session=session,
            )
            assert deck.id is not None
            for i in range(size):
                card = Card(id=next(cards), kind=Kind.SHORT, prompt=f"{i}?", accepted=("x",))
                repo.save_card(card, deck_id=deck.id, position=i, existing=None, session=session)
        session.commit()
    yield database
    database.close()


def write_states(db: Database, states: list[State]) -> None:
    """One state per card in STATE_CARDS' order; the retired flag goes on the card row and
    reaches `card_state` through its mirror trigger, as a real retirement does."""
    with db.session() as session:
        for card_uuid, (reps, interval, ef, due, suspended, retired) in zip(
            STATE_CARDS, states, strict=True
        ):
            session.execute(
                text("UPDATE card SET retired = :retired WHERE uuid = :uuid"),
                {"retired": retired, "uuid": card_uuid},
            )
            session.execute(
                text(
                    "UPDATE card_state SET repetitions = :reps, interval = :interval, "
                    "easiness_hundredths = :ef, due_day = :due, suspended = :suspended "
                    "WHERE uuid = :uuid"
                ),
                {
                    "reps": reps,
                    "interval": interval,
                    "ef": ef,
                    "due": None if due is None else TODAY + due,
                    "suspended": suspended,
                    "uuid": card_uuid,
                },
            )
        session.commit()


def card_sql_and_reference(db: Database) -> tuple[CardTotals, CardTotals]:
    with db.session() as session:
        totals = stats_repo.card_totals(TODAY, session=session)
        cards = stats_repo.list_stat_cards(session=session)
    return totals, card_totals_from_rows(cards, TODAY)


def test_sql_card_totals_equal_the_reference_on_known_cards(cards_db: Database) -> None:
    write_states(cards_db, KNOWN_STATES)
    totals, reference = card_sql_and_reference(cards_db)
    assert totals == reference
    # and the reference says what the definitions say
    assert totals.cards == 12  # two retired cards left out
    assert totals.mastery_by_section == {
        "Own": Mastery(new=2, learning=1, young=2, mature=1),  # two decks, one section
        "Threads": Mastery(learning=1, mature=2),  # suspended cards count here
        "Tr": Mastery(learning=1, young=1, mature=1),  # its new card is retired
    }
    assert totals.intervals == {1: 3, 6: 1, 21: 1, 40: 1, 400: 1, 20: 1, 30: 1, 14: 1}
    assert totals.easiness[130] == 1 and totals.easiness[290] == 1 and 310 not in totals.easiness
    assert totals.due == {0: 4, 1: 1, 3: 1, 12: 1, 29: 1}


def test_no_cards_count_to_nothing(cards_db: Database) -> None:
    write_states(cards_db, [(0, 0, 250, None, False, True)] * len(STATE_CARDS))
    totals, reference = card_sql_and_reference(cards_db)
    assert totals == reference == CardTotals()


states = st.tuples(
    st.integers(0, 6),
    st.one_of(st.sampled_from((0, 1, 6, 20, 21, 365, 366)), st.integers(0, 500)),
    st.one_of(st.sampled_from((130, 250, 268, 270, 300)), st.integers(130, 350)),
    st.one_of(st.none(), st.integers(-40, 2 * FORECAST_DAYS)),
    st.booleans(),
    st.booleans(),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(states, min_size=len(STATE_CARDS), max_size=len(STATE_CARDS)))
def test_sql_card_totals_equal_the_reference_on_any_cards(
    cards_db: Database, states: list[State]
) -> None:
    write_states(cards_db, states)
    totals, reference = card_sql_and_reference(cards_db)
    assert totals == reference
