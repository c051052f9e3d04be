"""Fakes a few weeks of a learner through the real services, so statistics have something to show.

    python scripts/fake_learner.py DIR [--days 42] [--seed 1]

Builds (or extends) the collection in DIR with the shipped decks and a learner who studies
most evenings, does better in some sections than others, keeps picking the same wrong option
on some choice cards, fails one card every time (a leech), crams once a week and sits a mock
interview now and then. Time comes from a stepping clock, never the wall clock, so the same
seed gives the same history. Everything is written by the services the window uses.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp.core.grading import (  # noqa: E402
    Answer,
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
    Verdict,
    grade_options,
    right_errors,
)
from quizapp.core.interview import InterviewConfig  # noqa: E402
from quizapp.core.model import Card, Kind  # noqa: E402
from quizapp.core.settings import Settings  # noqa: E402
from quizapp.services import cram, interview, study  # noqa: E402
from quizapp.services.collection import Collection, open_collection  # noqa: E402
from quizapp.services.decks import sync_shipped_decks  # noqa: E402
from quizapp.services.settings import save_settings  # noqa: E402

SKILL = {0: 0.93, 1: 0.88, 2: 0.84, 3: 0.7, 4: 0.78, 5: 0.66, 6: 0.8}
"""Chance of a right answer by deck position (mod 7): some sections are harder for this learner."""


class SteppingClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def step(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def right_answer(card: Card) -> Answer:
    if card.kind is Kind.COMPILES:
        # an error rustc gives without a code is named by the picker's "no code"
        return CompilesAnswer(bool(card.compiles), "" if card.compiles else right_errors(card)[0])
    if card.kind is Kind.OUTPUT:
        return OutputAnswer(card.stdout or "", card.panics)
    if card.kind is Kind.CHOICE:
        return ChoiceAnswer(frozenset(card.answer_indexes))
    if card.kind is Kind.SHORT:
        return ShortAnswer(card.accepted[0])
    return SelfGraded()


def wrong_answer(card: Card) -> Answer:
    if card.kind is Kind.COMPILES:
        return CompilesAnswer(not card.compiles)
    if card.kind is Kind.OUTPUT:
        return OutputAnswer("I am not sure\n", not card.panics)
    if card.kind is Kind.CHOICE:
        wrong = [i for i in range(len(card.options)) if i not in card.answer_indexes]
        return ChoiceAnswer(frozenset(wrong[:1]))  # always the same tempting option
    if card.kind is Kind.SHORT:
        return ShortAnswer("no idea")
    return SelfGraded()


def pick_quality(verdict: Verdict, right: bool, drill: bool, rng: random.Random) -> int:
    """A grade inside the band the answer earned (flashcards: the learner's own call)."""
    allowed = [o.quality for o in grade_options(verdict) if o.quality is not None]
    passing = [q for q in allowed if q >= (4 if drill else 3)]
    failing = [q for q in allowed if q < 3]
    if verdict.correct is None:
        return rng.choice(passing) if right else failing[0]
    return rng.choice(passing if verdict.correct else failing)


def study_evening(
    col: Collection,
    clock: SteppingClock,
    decks: list[str],
    skill: dict[str, float],
    leech: str,
    rng: random.Random,
) -> int:
    sitting = study.start_sitting(col, decks)
    answered = 0
    while (view := study.current_card(col, sitting)) is not None:
        chance = 0.95 if view.is_drill else skill[view.card.id]
        right = rng.random() < chance and (view.is_drill or view.card.id != leech)
        given = right_answer(view.card) if right else wrong_answer(view.card)
        verdict = study.check_answer(view.card, given).verdict
        quality = pick_quality(verdict, right, view.is_drill, rng)
        clock.step(rng.uniform(6, 45))
        study.answer_card(col, sitting, view, given, quality, seconds=rng.uniform(4, 40))
        answered += 1
        if answered > 400:
            break
    return answered


def sit_interview(
    col: Collection, clock: SteppingClock, skill: dict[str, float], rng: random.Random
) -> None:
    run = interview.start_interview(col, InterviewConfig(count=10, seconds_per_question=90), rng)
    while run.current is not None:
        interview.begin_question(col, run)
        card = run.current.card
        clock.step(rng.uniform(10, 100))
        if interview.time_up(col, run):
            continue
        right = rng.random() < skill[card.id]
        interview.answer_question(col, run, right_answer(card) if right else wrong_answer(card))
    interview.finish_interview(col, run)


def fake_learner(
    col: Collection, clock: SteppingClock, days: int, rng: random.Random
) -> dict[str, int]:
    overview = study.deck_overview(col)
    decks = [d.uuid for d in overview]
    skill: dict[str, float] = {}
    for position, deck in enumerate(overview):
        sitting = cram.start_cram(col, deck_uuid=deck.uuid, rng=rng)
        for uuid in sitting.queue.pending:
            skill[uuid] = min(0.98, max(0.45, rng.gauss(SKILL[position % 7], 0.08)))
    leech = cram.start_cram(col, deck_uuid=decks[4], rng=rng).queue.pending[0]
    totals = {"answers": 0, "days": 0, "interviews": 0}
    for day in range(days):
        clock.now = clock.now.replace(hour=19, minute=rng.randint(0, 50))
        if rng.random() < 0.15 and day < days - 4:
            clock.step(24 * 3600)
            continue
        today = decks[: 3 + min(day // 5, len(decks) - 3)]
        totals["answers"] += study_evening(col, clock, today, skill, leech, rng)
        totals["days"] += 1
        if day % 7 == 3:
            sitting = cram.start_cram(col, deck_uuid=decks[3], limit=8, rng=rng)
            while (view := study.current_card(col, sitting)) is not None:
                right = rng.random() < skill[view.card.id]
                given = right_answer(view.card) if right else wrong_answer(view.card)
                study.answer_card(col, sitting, view, given, 4 if right else 1, seconds=8)
        if day % 10 == 5:
            sit_interview(col, clock, skill, rng)
            totals["interviews"] += 1
        clock.now = clock.now.replace(hour=12) + timedelta(days=1)
    return totals


def build(data_dir: Path, days: int, seed: int, end: datetime) -> tuple[Collection, SteppingClock]:
    clock = SteppingClock(end - timedelta(days=days))
    col = open_collection(data_dir, clock=clock)
    sync_shipped_decks(col)
    save_settings(col, Settings(new_per_day=2, theme=col.settings.theme))
    totals = fake_learner(col, clock, days, random.Random(seed))
    print(
        f"{data_dir}: {totals['answers']} answers on {totals['days']} days, {totals['interviews']} interviews"
    )
    return col, clock


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--days", type=int, default=42)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    end = datetime(2026, 11, 24, 12, 0).astimezone()
    col, _clock = build(args.data_dir, args.days, args.seed, end)
    col.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
