"""Queries for statistics, mock interviews, question sets and cram.

Verb-first, `*, session`, never commit (the services do). Rows come back as the plain
values of `core.stats` and `core.interview`, so the figures are computed outside SQL.
A card's section is its deck's `section`, or the deck's name when the deck has none.

The review log is summed up here (`review_totals`), not handed over row by row: a million
rows as Python objects took 6 s; so are the cards (`card_totals`): 100,000 `CardSummary`s took
0.4 s to build and 0.35 s to walk. The statistics queries read plain columns through
`text()`, and `card_state`'s copies of the card's uuid, deck and position (kept by
triggers, see migrations.py) instead of the wide `card` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, text
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from quizapp.core.model import Card as CoreCard
from quizapp.core.model import Kind
from quizapp.core.sm2 import PASS_THRESHOLD
from quizapp.core.stats import (
    FORECAST_DAYS,
    MASTERY_LEVELS,
    MATURE_DAYS,
    SCHEDULED_KINDS,
    CardTotals,
    Mastery,
    Retention,
    ReviewRow,
    ReviewTotals,
)
from quizapp.core.stats import (
    CardRow as CardSummary,
)
from quizapp.storage.codec import card_from_json
from quizapp.storage.tables import (
    CardRow,
    CardState,
    DeckRow,
    Interview,
    InterviewAnswer,
    QuestionSet,
    QuestionSetCard,
    ReviewLog,
)


def _section(deck: DeckRow) -> str:
    return deck.section or deck.name


_STAT_CARDS_SQL = text(
    "SELECT uuid, deck_id, repetitions, interval, easiness_hundredths, due_day, suspended, "
    "position FROM card_state WHERE NOT retired"
)
"""`card_state` alone (its copies of uuid, deck and position): reading the wide `card` rows
for nothing the figures use took half a second at 100,000 cards. Sorted in Python."""


def list_stat_cards(*, session: Session) -> list[CardSummary]:
    """Every card still in a deck, with its SM-2 state, in deck order (the row-by-row
    reference `card_totals` is tested against; the statistics themselves use the totals)."""
    decks = {
        deck_id: (position, section or name)
        for deck_id, position, section, name in session.execute(
            text("SELECT id, position, section, name FROM deck")
        )
    }
    rows = sorted(session.execute(_STAT_CARDS_SQL), key=lambda row: (decks[row[1]][0], row[7]))
    return [
        CardSummary(
            uuid=uuid,
            section=decks[deck_id][1],
            repetitions=repetitions,
            interval=interval,
            easiness_hundredths=easiness,
            due_day=due_day,
            suspended=bool(suspended),
        )
        for uuid, deck_id, repetitions, interval, easiness, due_day, suspended, _ in rows
    ]


# `core.stats.mastery_level` in SQL: 0 new, 1 learning, 2 young, 3 mature (MASTERY_LEVELS' order).
_MASTERY_BY_DECK_SQL = text(
    "SELECT deck_id, CASE WHEN due_day IS NULL THEN 0 WHEN repetitions < 2 THEN 1 "
    "WHEN interval >= :mature THEN 3 ELSE 2 END AS level, count(*) "
    "FROM card_state WHERE NOT retired GROUP BY deck_id, level"
)
_ANSWERED_BY_INTERVAL_SQL = text(
    "SELECT interval, count(*) FROM card_state "
    "WHERE NOT retired AND due_day IS NOT NULL GROUP BY interval"
)
_ANSWERED_BY_EASINESS_SQL = text(
    "SELECT easiness_hundredths, count(*) FROM card_state "
    "WHERE NOT retired AND due_day IS NOT NULL GROUP BY easiness_hundredths"
)
# Only cards due before the forecast's end, found through ix_card_state_due_day.
_DUE_BY_DAY_SQL = text(
    "SELECT max(0, due_day - :today) AS ahead, count(*) FROM card_state "
    "WHERE due_day < :today + :days AND NOT retired AND NOT suspended GROUP BY ahead"
)


def card_totals(today: int, *, session: Session) -> CardTotals:
    """The cards still in a deck counted up (suspended ones too, except in the forecast).

    Equal to `core.stats.card_totals_from_rows(list_stat_cards(...), today)`, which
    tests/storage/test_stats_totals.py checks. `today` is a day ordinal.
    """
    sections = deck_sections(session=session)
    levels: dict[str, list[int]] = {}
    for deck_id, level, n in session.execute(_MASTERY_BY_DECK_SQL, {"mature": MATURE_DAYS}):
        levels.setdefault(sections[deck_id], [0] * len(MASTERY_LEVELS))[level] += n
    return CardTotals(
        mastery_by_section={section: Mastery(*counts) for section, counts in levels.items()},
        intervals={value: n for value, n in session.execute(_ANSWERED_BY_INTERVAL_SQL)},
        easiness={value: n for value, n in session.execute(_ANSWERED_BY_EASINESS_SQL)},
        due={
            offset: n
            for offset, n in session.execute(
                _DUE_BY_DAY_SQL, {"today": today, "days": FORECAST_DAYS}
            )
        },
    )


class QuestionCard(NamedTuple):
    uuid: str
    kind: str
    section: str
    deck_name: str
    suspended: bool
    prompt: str


_QUESTION_CARDS_SQL = text(
    "SELECT s.uuid, c.kind, s.deck_id, s.suspended, c.prompt, s.position "
    "FROM card_state AS s CROSS JOIN card AS c ON c.id = s.card_id "
    "WHERE NOT s.retired AND c.kind IN :kinds"
).bindparams(bindparam("kinds", expanding=True))
_QUESTION_CARDS_NO_PROMPT_SQL = text(
    "SELECT s.uuid, c.kind, s.deck_id, s.suspended, '', s.position "
    "FROM card AS c INDEXED BY ix_card_kind CROSS JOIN card_state AS s ON s.card_id = c.id "
    "WHERE NOT s.retired AND c.kind IN :kinds"
).bindparams(bindparam("kinds", expanding=True))
"""Without prompts, the kinds come from their index (migrations step 5), not the wide rows."""


def list_question_cards(
    kinds: Sequence[str], *, session: Session, prompts: bool = True
) -> list[QuestionCard]:
    """Every card of these kinds still in a deck (suspended too), in deck order, with its
    prompt from its own column (no card's JSON is parsed); `prompts=False` leaves them ""."""
    decks = {
        deck_id: (position, section or name, name)
        for deck_id, position, section, name in session.execute(
            text("SELECT id, position, section, name FROM deck")
        )
    }
    sql = _QUESTION_CARDS_SQL if prompts else _QUESTION_CARDS_NO_PROMPT_SQL
    rows = session.execute(sql, {"kinds": list(kinds)})
    return [
        QuestionCard(uuid, kind, decks[deck_id][1], decks[deck_id][2], bool(suspended), prompt)
        for uuid, kind, deck_id, suspended, prompt, _ in sorted(
            rows, key=lambda row: (decks[row[2]][0], row[5])
        )
    ]


def deck_sections(*, session: Session) -> dict[int, str]:
    """Each deck's section by deck id."""
    rows = session.execute(text("SELECT id, section, name FROM deck"))
    return {deck_id: section or name for deck_id, section, name in rows}


_SCHEDULED_SQL = "kind IN ({})".format(", ".join(f"'{k}'" for k in sorted(SCHEDULED_KINDS)))

# The two sums over the whole log read only a covering index (migrations step 5: review_log
# (study_day, card_id, kind, quality) and (card_id, kind, quality)), already in the order
# they group by: no table row is read and nothing is sorted. At 1,000,000 answers: per day
# 0.1 s, per card 0.2 s (they were 0.8 s and 0.5 s sorting table rows).
_BY_DAY_SQL = text(
    "SELECT study_day, count(*), "
    f"sum({_SCHEDULED_SQL} AND quality >= :passing), sum({_SCHEDULED_SQL}) "
    "FROM review_log INDEXED BY ix_review_log_day GROUP BY study_day"
)
_SCHEDULED_BY_CARD_SQL = text(
    "SELECT s.uuid, s.deck_id, a.total, a.failed FROM ("
    "SELECT card_id, count(*) AS total, sum(quality < :passing) AS failed "
    f"FROM review_log INDEXED BY ix_review_log_card WHERE {_SCHEDULED_SQL} GROUP BY card_id"
    ") AS a JOIN card_state AS s ON s.card_id = a.card_id"
)
_CHOICE_ANSWERS_SQL = text(
    "SELECT c.uuid, c.deck_id, r.answer, count(*) "
    "FROM card AS c JOIN review_log AS r ON r.card_id = c.id "
    "WHERE c.kind = :choice GROUP BY c.id, r.answer"
)


_ANSWERS_BY_DAY_SQL = text(
    "SELECT study_day, count(*) FROM review_log INDEXED BY ix_review_log_day GROUP BY study_day"
)
_CARDS_AND_DUE_SQL = text(
    "SELECT (SELECT count(*) FROM card_state WHERE NOT retired), "
    "(SELECT count(*) FROM card_state INDEXED BY ix_card_state_study "
    "WHERE due_day <= :today AND NOT retired AND NOT suspended)"
)
"""The due count scans the study index, which holds every column it reads (28 ms at 300,000
cards); through the due-day index it read each due card's row (0.3 s)."""


_STUDY_DAYS_SQL = text(
    "WITH RECURSIVE days(day) AS ("
    "SELECT (SELECT min(study_day) FROM review_log INDEXED BY ix_review_log_day) "
    "UNION ALL SELECT (SELECT min(study_day) FROM review_log INDEXED BY ix_review_log_day "
    "WHERE study_day > days.day) FROM days WHERE days.day IS NOT NULL"
    ") SELECT day FROM days WHERE day IS NOT NULL"
)
_ANSWERS_SINCE_SQL = text(
    "SELECT study_day, count(*) FROM review_log INDEXED BY ix_review_log_day "
    "WHERE study_day >= :since GROUP BY study_day"
)


def study_days(*, session: Session) -> list[int]:
    """Every day with an answer, ascending: one step of the day index per day (the next day
    is the smallest after the last), never its answers (a few ms at 3,000,000 answers and
    611 days, where counting them reads every answer's index entry: 0.14 s)."""
    return [day for (day,) in session.execute(_STUDY_DAYS_SQL)]


def answers_per_day_since(since: int, *, session: Session) -> dict[int, int]:
    """Answers per study day from `since` on: what the heatmap draws. Its cost is the
    answers of those weeks, however long the log before them."""
    return {day: n for day, n in session.execute(_ANSWERS_SINCE_SQL, {"since": since})}


def answers_per_day(*, session: Session) -> dict[int, int]:
    """Answers per study day, every kind: the per-day sum without its retention columns
    reads only the day index's first column (0.14 s at 3,000,000 answers, against 0.6)."""
    return {day: n for day, n in session.execute(_ANSWERS_BY_DAY_SQL)}


def cards_and_due(today: int, *, session: Session) -> tuple[int, int]:
    """(cards still in a deck, of them due today or overdue and not suspended)."""
    cards, due = session.execute(_CARDS_AND_DUE_SQL, {"today": today}).one()
    return int(cards), int(due)


def review_totals(*, session: Session) -> ReviewTotals:
    """The whole review log summed up (retired cards included: their history still counts).

    Equal to `core.stats.totals_from_reviews(list_stat_reviews(...), choice uuids)`, which
    tests/storage/test_stats_totals.py checks. Weeks start on Monday: day ordinal 1 is a
    Monday, so a week starts at `day - (day - 1) % 7`, `core.stats.week_start`'s value.
    """
    per_day: dict[int, int] = {}
    by_week: dict[int, list[int]] = {}
    for day, answers, passed, scheduled in session.execute(
        _BY_DAY_SQL, {"passing": PASS_THRESHOLD}
    ):
        per_day[day] = answers
        if scheduled:
            week = by_week.setdefault(day - (day - 1) % 7, [0, 0])
            week[0] += passed
            week[1] += scheduled
    return replace(
        scheduled_totals(session=session),
        answers_per_day=per_day,
        scheduled_by_week={week: Retention(*n) for week, n in by_week.items()},
        choice_answers=choice_answer_counts(session=session),
    )


def scheduled_totals(*, session: Session) -> ReviewTotals:
    """Only what a mock interview weighs its questions by: scheduled answers per section
    and failures per card (the other fields are left empty). One sort of the log."""
    sections = deck_sections(session=session)
    by_section: dict[str, list[int]] = {}
    failures: dict[str, tuple[str, int]] = {}
    for uuid, deck_id, total, failed in session.execute(
        _SCHEDULED_BY_CARD_SQL, {"passing": PASS_THRESHOLD}
    ):
        section = sections[deck_id]
        counts = by_section.setdefault(section, [0, 0])
        counts[0] += total - failed
        counts[1] += total
        if failed:
            failures[uuid] = (section, failed)
    return ReviewTotals(
        scheduled_by_section={section: Retention(*n) for section, n in by_section.items()},
        failures=failures,
    )


def choice_answer_counts(*, session: Session) -> dict[tuple[str, str, str], int]:
    """Answers given to choice cards, per (card uuid, section, stored answer text)."""
    sections = deck_sections(session=session)
    return {
        (uuid, sections[deck_id], answer): n
        for uuid, deck_id, answer, n in session.execute(
            _CHOICE_ANSWERS_SQL, {"choice": Kind.CHOICE.value}
        )
    }


def list_stat_reviews(*, session: Session) -> list[ReviewRow]:
    """The whole review log (retired cards included: their history still counts), oldest first."""
    query: Any = (
        select_columns(
            col(CardRow.uuid),
            col(DeckRow.section),
            col(DeckRow.name),
            col(ReviewLog.study_day),
            col(ReviewLog.kind),
            col(ReviewLog.quality),
            col(ReviewLog.correct),
            col(ReviewLog.answer),
            col(ReviewLog.seconds),
        )
        .join(CardRow, col(CardRow.id) == col(ReviewLog.card_id))
        .join(DeckRow, col(DeckRow.id) == col(CardRow.deck_id))
        .order_by(col(ReviewLog.id))
    )
    rows = session.exec(query)
    return [
        ReviewRow(
            card_uuid=uuid,
            section=section or name,
            study_day=day,
            log_kind=kind,
            quality=quality,
            correct=correct,
            answer=answer,
            seconds=seconds,
        )
        for uuid, section, name, day, kind, quality, correct, answer, seconds in rows
    ]


def get_cards_of_kind(kind: Kind, *, session: Session) -> dict[str, CoreCard]:
    rows = session.exec(select(CardRow).where(CardRow.kind == kind.value))
    return {row.uuid: card_from_json(row.content) for row in rows}


def get_cards_with_section(
    uuids: Sequence[str], *, session: Session
) -> dict[str, tuple[CardRow, CoreCard, str, str]]:
    """(row, card, section, deck name) by uuid, for the given cards."""
    found: dict[str, tuple[CardRow, CoreCard, str, str]] = {}
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        for row, deck in session.exec(
            select(CardRow, DeckRow)
            .join(DeckRow, col(DeckRow.id) == col(CardRow.deck_id))
            .where(col(CardRow.uuid).in_(wanted[start : start + 500]))
        ):
            found[row.uuid] = (row, card_from_json(row.content), _section(deck), deck.name)
    return found


def list_suspended(uuids: Sequence[str], *, session: Session) -> set[str]:
    """Which of these cards (still in a deck) are suspended."""
    found: set[str] = set()
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        found.update(
            session.exec(
                select(CardRow.uuid)
                .join(CardState, col(CardState.card_id) == col(CardRow.id))
                .where(
                    col(CardRow.uuid).in_(wanted[start : start + 500]),
                    col(CardState.suspended).is_(True),
                    col(CardRow.retired).is_(False),
                )
            )
        )
    return found


def list_studyable_cards(
    *,
    deck_uuid: str | None = None,
    section: str | None = None,
    tag: str | None = None,
    session: Session,
) -> list[tuple[str, str]]:
    """(card uuid, deck uuid) of the cards in a deck, a section or with a tag (not retired,
    not suspended), in deck order.

    From `card_state`'s copies of uuid, deck and position; the wide `card` rows are read only
    for a tag (their `tags` column). Cramming all 100,000 cards took 0.5 s through ORM rows.
    """
    decks = {
        deck_id: (position, uuid, deck_section or name)
        for deck_id, position, uuid, deck_section, name in session.execute(
            text("SELECT id, position, uuid, section, name FROM deck")
        )
    }
    wanted = {
        deck_id
        for deck_id, (_position, uuid, deck_section) in decks.items()
        if (deck_uuid is None or uuid == deck_uuid) and (section is None or deck_section == section)
    }
    if tag is None:
        rows: Any = session.execute(_STUDYABLE_SQL)
    else:
        rows = (
            (uuid, deck_id, position)
            for uuid, deck_id, position, tags in session.execute(_STUDYABLE_WITH_TAGS_SQL)
            if tag in tags.split()
        )
    chosen = sorted(
        (decks[deck_id][0], position, uuid, deck_id)
        for uuid, deck_id, position in rows
        if deck_id in wanted
    )
    return [(uuid, decks[deck_id][1]) for _p, _q, uuid, deck_id in chosen]


_STUDYABLE_SQL = text(
    "SELECT uuid, deck_id, position FROM card_state WHERE NOT retired AND NOT suspended"
)
_STUDYABLE_WITH_TAGS_SQL = text(
    "SELECT s.uuid, s.deck_id, s.position, c.tags FROM card_state AS s "
    "JOIN card AS c ON c.id = s.card_id WHERE NOT s.retired AND NOT s.suspended"
)


def list_tags(*, session: Session) -> list[str]:
    tags: set[str] = set()
    for words in session.exec(select(CardRow.tags).where(col(CardRow.retired).is_(False))):
        tags.update(words.split())
    return sorted(tags)


def set_suspended(card_uuid: str, suspended: bool, *, session: Session) -> bool:
    """False when the card does not exist."""
    found = session.exec(
        select(CardState)
        .join(CardRow, col(CardRow.id) == col(CardState.card_id))
        .where(CardRow.uuid == card_uuid)
    ).first()
    if found is None:
        return False
    found.suspended = suspended
    session.add(found)
    return True


# --- interviews ---------------------------------------------------------------------------


def add_interview(row: Interview, card_ids: Sequence[int], *, session: Session) -> Interview:
    session.add(row)
    session.flush()
    assert row.id is not None
    for position, card_id in enumerate(card_ids, start=1):
        session.add(InterviewAnswer(interview_id=row.id, position=position, card_id=card_id))
    session.flush()
    return row


def get_interview(uuid: str, *, session: Session) -> Interview | None:
    return session.exec(select(Interview).where(Interview.uuid == uuid)).first()


def list_interviews(*, session: Session) -> list[Interview]:
    """Finished interviews, newest first."""
    return list(
        session.exec(
            select(Interview)
            .where(col(Interview.finished_at).is_not(None))
            .order_by(col(Interview.started_at).desc(), col(Interview.id).desc())
        )
    )


def list_interview_answers(
    interview_id: int, *, session: Session
) -> list[tuple[InterviewAnswer, CardRow, DeckRow]]:
    return [
        (answer, card, deck)
        for answer, card, deck in session.exec(
            select(InterviewAnswer, CardRow, DeckRow)
            .join(CardRow, col(CardRow.id) == col(InterviewAnswer.card_id))
            .join(DeckRow, col(DeckRow.id) == col(CardRow.deck_id))
            .where(InterviewAnswer.interview_id == interview_id)
            .order_by(col(InterviewAnswer.position))
        )
    ]


def get_interview_answer(
    interview_id: int, position: int, *, session: Session
) -> InterviewAnswer | None:
    return session.exec(
        select(InterviewAnswer).where(
            InterviewAnswer.interview_id == interview_id, InterviewAnswer.position == position
        )
    ).first()


# --- question sets ------------------------------------------------------------------------


def get_question_set(name: str, *, session: Session) -> QuestionSet | None:
    return session.exec(select(QuestionSet).where(QuestionSet.name == name)).first()


def list_question_sets(*, session: Session) -> list[QuestionSet]:
    return list(session.exec(select(QuestionSet).order_by(col(QuestionSet.name))))


def save_question_set(
    name: str,
    uuid: str,
    card_ids: Sequence[int],
    *,
    description: str,
    created_at: datetime,
    session: Session,
) -> QuestionSet:
    """Create the set, or replace the cards of the one with this name."""
    row = get_question_set(name, session=session) or QuestionSet(
        uuid=uuid, name=name, created_at=created_at
    )
    row.description = description
    session.add(row)
    session.flush()
    assert row.id is not None
    for old in session.exec(select(QuestionSetCard).where(QuestionSetCard.set_id == row.id)):
        session.delete(old)
    session.flush()
    for position, card_id in enumerate(card_ids, start=1):
        session.add(QuestionSetCard(set_id=row.id, position=position, card_id=card_id))
    session.flush()
    return row


def list_question_set_cards(set_id: int, *, session: Session) -> list[str]:
    """The set's card uuids in order (retired cards included: the set still names them)."""
    return list(
        session.exec(
            select(CardRow.uuid)
            .join(QuestionSetCard, col(QuestionSetCard.card_id) == col(CardRow.id))
            .where(QuestionSetCard.set_id == set_id)
            .order_by(col(QuestionSetCard.position))
        )
    )


def delete_question_set(name: str, *, session: Session) -> bool:
    row = get_question_set(name, session=session)
    if row is None:
        return False
    for old in session.exec(select(QuestionSetCard).where(QuestionSetCard.set_id == row.id)):
        session.delete(old)
    session.flush()
    session.delete(row)
    return True


_CARD_MEMORIES = text(
    "SELECT c.uuid, d.uuid, CASE WHEN d.section != '' THEN d.section ELSE d.name END, "
    "d.options, s.repetitions, s.easiness_hundredths, s.interval, s.due_day, s.drill_day, "
    "s.lapses, s.reviews, s.stability, s.difficulty, s.last_review_day "
    "FROM card_state s JOIN card c ON c.id = s.card_id JOIN deck d ON d.id = c.deck_id "
    "WHERE c.retired = 0 AND s.suspended = 0"
)


def list_card_memories(*, session: Session) -> list[tuple[Any, ...]]:
    """Every studyable card's (uuid, deck uuid, section, deck options JSON, then the state
    columns of `core.review.Schedule` in its field order): what predicted recall needs."""
    return [tuple(row) for row in session.execute(_CARD_MEMORIES)]


_MEMORIES_OF = text(
    "SELECT c.uuid, d.options, s.repetitions, s.easiness_hundredths, s.interval, s.due_day, "
    "s.drill_day, s.lapses, s.reviews, s.stability, s.difficulty, s.last_review_day "
    "FROM card_state s JOIN card c ON c.id = s.card_id JOIN deck d ON d.id = c.deck_id "
    "WHERE c.uuid IN :uuids"
).bindparams(bindparam("uuids", expanding=True))


_ALL_MEMORIES = text(
    "SELECT c.uuid, d.options, s.repetitions, s.easiness_hundredths, s.interval, s.due_day, "
    "s.drill_day, s.lapses, s.reviews, s.stability, s.difficulty, s.last_review_day "
    "FROM card_state s JOIN card c ON c.id = s.card_id JOIN deck d ON d.id = c.deck_id"
)
SCAN_ABOVE = 5_000
"""Past this many cards one scan of every row is quicker than looking them up 500 at a time."""


def list_memories_of(uuids: Sequence[str], *, session: Session) -> list[tuple[Any, ...]]:
    """(uuid, deck options JSON, then the `Schedule` columns) of these cards, suspended ones
    included: the browser shows a recall for every row it draws, a page at a time."""
    wanted = list(uuids)
    if len(wanted) > SCAN_ABOVE:
        chosen = set(wanted)
        return [tuple(row) for row in session.execute(_ALL_MEMORIES) if row[0] in chosen]
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        out += [tuple(row) for row in session.execute(_MEMORIES_OF, {"uuids": chunk})]
    return out


_PREDICTIONS = text(
    "SELECT predicted_recall, quality FROM review_log "
    "WHERE predicted_recall IS NOT NULL AND kind IN ('new', 'review')"
)


def list_predictions(*, session: Session) -> list[tuple[float, int]]:
    """(recall predicted before a scheduled answer, the grade it got)."""
    return [(float(p), int(q)) for p, q in session.execute(_PREDICTIONS)]


_FIRST_ANSWERS = text("SELECT quality FROM review_log WHERE kind = 'new'")


def list_first_answers(*, session: Session) -> list[int]:
    """The grade of every card's first scheduled answer (how new cards tend to go)."""
    return [int(q) for (q,) in session.execute(_FIRST_ANSWERS)]
