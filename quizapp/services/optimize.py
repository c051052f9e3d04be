"""Fitting FSRS to the learner's own log, and forecasting a deck's workload.

Both are slow (seconds) and read-mostly: the window runs them on a worker thread with a
progress bar, the CLI in the foreground. Storing the fitted parameters is an ordinary
deck-options operation (`services.deck_options`), so it is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from quizapp.core import fsrs_optimizer
from quizapp.core.deck_options import DeckOptions
from quizapp.core.queue import Limits
from quizapp.core.scheduler import FSRS_ANSWER_KINDS, FsrsScheduler
from quizapp.core.workload import WorkloadForecast, simulate_workload
from quizapp.services import answering, deck_options
from quizapp.services.collection import Collection
from quizapp.storage import repo
from quizapp.storage.tables import CardState

NotEnoughReviews = fsrs_optimizer.NotEnoughReviews
OptimizerUnavailable = fsrs_optimizer.OptimizerUnavailable


def optimize_deck(
    col: Collection, deck_uuid: str, *, progress: Callable[[str], None] | None = None
) -> DeckOptions:
    """Fit FSRS-6's parameters to the deck's review log and keep them (with today's date).

    Raises `NotEnoughReviews` (politely: the log is too short to learn from) or
    `OptimizerUnavailable`; nothing is stored then.
    """
    logs = _scheduled_answers(col, deck_uuid)
    fitted = fsrs_optimizer.optimize(logs, progress=progress)
    options = replace(
        deck_options.deck_options(col, deck_uuid),
        fsrs_parameters=fitted,
        optimized_on=col.today().isoformat(),
        optimized_reviews=len(fsrs_optimizer.training_items(logs)),
    )
    deck_options.set_deck_options(col, deck_uuid, options)
    return options


def training_size(col: Collection, deck_uuid: str) -> int:
    """How many reviews the optimizer would learn from (it needs `MIN_TRAINING_ITEMS`)."""
    return len(fsrs_optimizer.training_items(_scheduled_answers(col, deck_uuid)))


def forecast_workload(
    col: Collection,
    deck_uuid: str,
    *,
    desired_retention: float | None = None,
    scheduler: str | None = None,
    days: int = 365,
    seed: int = 0,
    limits: Limits | None = None,
) -> WorkloadForecast:
    """Expected reviews per day over `days` days for the deck under its scheduler, or
    under FSRS at `desired_retention` (what Anki's simulator answers: "what would 0.85
    cost me?"), or under `scheduler` ("sm2"/"fsrs") when given: the deck-options dialog
    shows the workload of the choice on screen before it is saved, with the daily `limits`
    on screen too; by default the deck's own, or Settings'."""
    options = deck_options.deck_options(col, deck_uuid)
    if desired_retention is not None:
        options = replace(options, scheduler="fsrs", desired_retention=desired_retention)
    if scheduler is not None:
        options = replace(options, scheduler=scheduler)
    planner = answering.deck_scheduler(col, options.to_json())
    held = limits or options.limits(Limits(col.settings.new_per_day, col.settings.reviews_per_day))
    today = col.today()
    with col.db.session() as session:
        deck = repo.get_deck_by_uuid(deck_uuid, session=session)
        if deck is None or deck.id is None:
            raise deck_options.DeckOptionsError(f"no deck with id {deck_uuid}")
        cards = repo.list_deck_cards(deck.id, session=session)
        rows = [session.get(CardState, c.id) for c in cards if not c.retired]
    schedules_now = [answering.schedule_of(s) for s in rows if s is not None and not s.suspended]
    if isinstance(planner, FsrsScheduler):
        states: list[object] = [s.fsrs_memory(planner, today) for s in schedules_now]
    else:
        states = [s.sm2_memory(today) for s in schedules_now]
    return simulate_workload(
        planner,
        states,  # type: ignore[arg-type]
        start=today,
        days=days,
        new_per_day=held.new_per_day,
        reviews_per_day=held.reviews_per_day,
        seed=seed,
    )


def _scheduled_answers(col: Collection, deck_uuid: str) -> dict[int, list[tuple[date, int]]]:
    with col.db.session() as session:
        deck = repo.get_deck_by_uuid(deck_uuid, session=session)
        if deck is None or deck.id is None:
            raise deck_options.DeckOptionsError(f"no deck with id {deck_uuid}")
        ids = [c.id for c in repo.list_deck_cards(deck.id, session=session) if c.id is not None]
        logs = repo.list_reviews(ids, session=session)
    return {
        card: [
            (date.fromordinal(r.study_day), r.quality) for r in rows if r.kind in FSRS_ANSWER_KINDS
        ]
        for card, rows in logs.items()
    }
