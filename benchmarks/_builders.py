"""The synthetic collection the benchmarks share, described once so every builder agrees.

`plan_collection` draws, from one seeded generator, the decks, every card's content, its
schedule and its review history. `build_collection` writes that plan into a quizapp
collection; `vs_anki.py` writes the very same plan into an Anki collection, so the two are
compared on equal data. The draw order is fixed: changing it changes every figure recorded
in docs/performance.md, so append new draws after the old ones instead.
"""

from __future__ import annotations

import random
import resource
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DECKS = 14
LOGS_PER_CARD = 10
RARE_WORD = "zygomorphic"
COMMON_WORD = "mutex"
WORDS = [
    "borrow",
    "lifetime",
    "mutex",
    "arc",
    "send",
    "sync",
    "trait",
    "generic",
    "closure",
    "iterator",
    "future",
    "pin",
    "unsafe",
    "pointer",
    "slice",
    "vector",
    "string",
    "struct",
    "enum",
    "match",
    "macro",
    "crate",
    "module",
    "async",
    "await",
    "thread",
    "channel",
    "atomic",
    "ordering",
    "drop",
    "box",
    "refcell",
    "cell",
    "variance",
    "covariant",
    "invariant",
    "heap",
    "stack",
]


def peak_mib() -> float:
    """This process's peak resident memory, MiB. VmHWM, not ru_maxrss: Linux carries the
    parent's peak into a child's ru_maxrss across the fork and exec that start it (so a
    child of a parent that built a 100,000-card collection reported the parent's peak),
    while VmHWM belongs to the child's own address space."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthetic_card(rng: random.Random, index: int) -> Any:
    from quizapp.core.model import Card, Kind

    words = " ".join(rng.choice(WORDS) for _ in range(12))
    if index == 4242:
        words += f" {RARE_WORD}"
    card_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if index % 3 == 0:
        return Card(
            id=card_id,
            kind=Kind.SHORT,
            prompt=f"Which word? {words}",
            accepted=("borrow",),
            explanation=words,
            tags=(rng.choice(WORDS),),
        )
    return Card(
        id=card_id,
        kind=Kind.FLASHCARD,
        prompt=f"What is {words}?",
        back=words,
        explanation=f"Because {words}.",
        tags=(rng.choice(WORDS), rng.choice(WORDS)),
    )


@dataclass(frozen=True)
class PlannedLog:
    day: int
    """Study-day ordinal of the answer (never after today)."""
    step: int
    """0 for the card's first answer, then 1, 2, ..."""
    quality: int
    """SM-2 quality, 1-5."""


@dataclass(frozen=True)
class PlannedCard:
    index: int
    card: Any
    deck: int
    """1-based deck number."""
    position: int
    """Order within its deck (learners go through a deck in order)."""
    repetitions: int
    easiness_hundredths: int
    interval: int
    due_day: int | None
    """None for a new card."""
    drill_day: int | None
    """Today for a card failed earlier today (in the same-day drill), else None."""
    lapses: int
    suspended: bool
    logs: tuple[PlannedLog, ...]


def today_ordinal() -> int:
    from quizapp.core.sm2 import study_day

    return study_day(datetime.now(UTC), 4).toordinal()


def plan_collection(cards: int, seed: int, today: int) -> tuple[list[str], Iterator[PlannedCard]]:
    """The deck UUIDs, then (lazily) every card: 70% reviewed in deck order, 30% new, 0.2%
    failed today, reviews due from 3 days overdue to their interval ahead, 1% suspended,
    `LOGS_PER_CARD` answers each. The deck UUIDs must be drawn before the cards."""
    rng = random.Random(seed)
    deck_uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(DECKS)]

    def planned() -> Iterator[PlannedCard]:
        for i in range(cards):
            card = synthetic_card(rng, i)
            roll = rng.random()
            if i // DECKS >= 0.7 * cards / DECKS:  # new: learners go through a deck in order
                due, drill, reps, interval = None, None, 0, 0
            elif roll < 0.002:  # failed earlier today: in the drill
                due, drill, reps, interval = today + 1, today, 0, 1
            else:  # review: most in the future, some due or overdue
                interval = rng.choice((1, 6, 15, 38, 90, 200))
                due, drill, reps = today + rng.randint(-3, interval), None, rng.randint(1, 9)
            easiness = rng.randrange(130, 300, 2)
            lapses = rng.randint(0, 3)
            suspended = rng.random() < 0.01
            logs = []
            for r in range(LOGS_PER_CARD):
                day = today - 700 + r * 70 + rng.randint(0, 60)
                if drill is not None and r == LOGS_PER_CARD - 1:
                    day = today
                logs.append(PlannedLog(min(day, today), r, rng.randint(1, 5)))
            yield PlannedCard(
                index=i,
                card=card,
                deck=i % DECKS + 1,
                position=i // DECKS,
                repetitions=reps,
                easiness_hundredths=easiness,
                interval=interval,
                due_day=due,
                drill_day=drill,
                lapses=lapses,
                suspended=suspended,
                logs=tuple(logs),
            )

    return deck_uuids, planned()


def deck_name(deck: int) -> str:
    return f"Synthetic deck {deck:02}"


def build_collection(data_dir: Path, cards: int, seed: int = 7) -> dict[str, Any]:
    """Bulk-insert the synthetic collection through storage's engine and tables."""
    from sqlalchemy import insert

    from quizapp.storage.codec import card_to_json
    from quizapp.storage.database import open_database
    from quizapp.storage.tables import CardRow, CardState, DeckRow

    start = time.perf_counter()
    deck_uuids, planned = plan_collection(cards, seed, today_ordinal())
    db = open_database(data_dir)
    try:
        with db.engine.begin() as conn:
            conn.execute(
                insert(DeckRow),
                [
                    {
                        "id": d + 1,
                        "uuid": deck_uuids[d],
                        "name": deck_name(d + 1),
                        "section": "",
                        "description": "",
                        "source": "bench",
                        "source_digest": "",
                        "position": d,
                    }
                    for d in range(DECKS)
                ],
            )
            card_rows: list[dict[str, Any]] = []
            state_rows: list[dict[str, Any]] = []
            log_rows: list[tuple[Any, ...]] = []
            log_id = 0
            for p in planned:
                card = p.card
                card_rows.append(
                    {
                        "id": p.index + 1,
                        "uuid": card.id,
                        "deck_id": p.deck,
                        "position": p.position,
                        "kind": card.kind.value,
                        "prompt": card.prompt,
                        "code": "",
                        "explanation": card.explanation,
                        "tags": " ".join(card.tags),
                        "content": card_to_json(card),
                        "retired": False,
                    }
                )
                state_rows.append(
                    {
                        "card_id": p.index + 1,
                        "repetitions": p.repetitions,
                        "easiness_hundredths": p.easiness_hundredths,
                        "interval": p.interval,
                        "due_day": p.due_day,
                        "drill_day": p.drill_day,
                        "lapses": p.lapses,
                        "reviews": LOGS_PER_CARD,
                        "suspended": p.suspended,
                    }
                )
                for log in p.logs:
                    log_id += 1
                    r = log.step
                    log_rows.append(
                        (
                            log_id,
                            p.index + 1,
                            datetime.fromordinal(log.day).isoformat(" "),
                            log.day,
                            "review" if r else "new",
                            "{}",
                            True,
                            log.quality,
                            r,
                            r + 1,
                            250,
                            250,
                            r,
                            r + 1,
                            None,
                            None,
                            None,
                            4.0,
                        )
                    )
                if len(log_rows) >= 200_000 or p.index == cards - 1:
                    conn.execute(insert(CardRow), card_rows)
                    conn.execute(insert(CardState).prefix_with("OR REPLACE"), state_rows)
                    _insert_logs(conn, log_rows)
                    card_rows, state_rows, log_rows = [], [], []
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        db.close()
    size = (data_dir / "collection.sqlite3").stat().st_size
    return {
        "build_seconds": round(time.perf_counter() - start, 1),
        "db_mib": round(size / 2**20, 1),
    }


def _insert_logs(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    conn.exec_driver_sql(
        "INSERT INTO review_log (id, card_id, reviewed_at, study_day, kind, answer, correct, "
        "quality, repetitions_before, repetitions_after, easiness_before, easiness_after, "
        "interval_before, interval_after, due_day_before, due_day_after, drill_day_before, "
        "seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def import_deck(cards: int, seed: int) -> Any:
    """The deck an import benchmark reads: `cards` fresh synthetic cards, drawn from `seed`."""
    from quizapp.core.model import Deck

    rng = random.Random(seed)
    return Deck(
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        name=f"Imported {cards}",
        cards=tuple(synthetic_card(rng, i) for i in range(cards)),
    )


def write_deck_file(path: Path, cards: int, seed: int) -> None:
    from quizapp.core.deckwriter import write_deck

    path.write_text(write_deck(import_deck(cards, seed)), encoding="utf-8")


def right_answer(card: Any) -> Any:
    from quizapp.core.grading import (
        ChoiceAnswer,
        CompilesAnswer,
        OutputAnswer,
        SelfGraded,
        ShortAnswer,
    )
    from quizapp.core.model import Kind

    match card.kind:
        case Kind.SHORT:
            return ShortAnswer(card.accepted[0])
        case Kind.CHOICE:
            return ChoiceAnswer(frozenset(card.answer_indexes))
        case Kind.COMPILES:
            return CompilesAnswer(bool(card.compiles), card.errors[0] if card.errors else "")
        case Kind.OUTPUT:
            return OutputAnswer(card.stdout or "", card.panics)
        case _:
            return SelfGraded()
