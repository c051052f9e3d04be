"""Fitting FSRS to a log: the training items, the polite refusal, and a real fit."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from quizapp.core import fsrs_optimizer
from quizapp.core.fsrs_optimizer import (
    MIN_TRAINING_ITEMS,
    NotEnoughReviews,
    TrainingHistory,
    optimize,
    training_items,
)
from quizapp.core.scheduler import FSRS_PARAMETER_COUNT, FsrsScheduler, LoggedReview

D = date(2026, 1, 1)


def test_each_answer_after_the_first_is_one_item_with_its_history() -> None:
    logs = {"a": [(D + timedelta(days=3), 4), (D, 2), (D + timedelta(days=10), 5)], "b": [(D, 4)]}
    assert training_items(logs) == [
        TrainingHistory((1, 3), (0, 3)),
        TrainingHistory((1, 3, 4), (0, 3, 7)),
    ]


def test_a_short_log_is_refused_politely() -> None:
    logs = {i: [(D, 4), (D + timedelta(days=2), 4)] for i in range(MIN_TRAINING_ITEMS - 1)}
    with pytest.raises(NotEnoughReviews) as refused:
        optimize(logs)
    assert refused.value.items == MIN_TRAINING_ITEMS - 1
    assert "at least" in str(refused.value)


def simulated_logs(cards: int, seed: int) -> dict[int, list[tuple[date, int]]]:
    """Answers drawn from FSRS's own predictions, scheduled by FSRS."""
    rng = random.Random(seed)
    scheduler = FsrsScheduler()
    logs: dict[int, list[tuple[date, int]]] = {}
    for card in range(cards):
        state = scheduler.new_state()
        today = D + timedelta(days=card % 30)
        answers: list[tuple[date, int]] = []
        for _ in range(6):
            recall = scheduler.retrievability(state, today) if answers else 0.6
            q = 4 if rng.random() < recall else 1
            state, outcome = scheduler.review(state, q, today)
            answers.append((today, q))
            today = outcome.due
        logs[card] = answers
    return logs


def test_a_real_fit_gives_parameters_the_scheduler_accepts() -> None:
    assert fsrs_optimizer.optimizer_available()  # a dependency: Tools → Optimize needs it
    logs = simulated_logs(200, seed=3)
    parameters = optimize(logs)
    assert len(parameters) == FSRS_PARAMETER_COUNT
    fitted = FsrsScheduler(parameters)  # the library checks every bound
    state = fitted.state_from_log(
        [LoggedReview(4, D, "new"), LoggedReview(4, D + timedelta(days=3))]
    )
    assert state.stability is not None and state.stability > 0
