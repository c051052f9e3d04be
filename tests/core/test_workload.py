"""The workload simulator: seeded, within the daily limits, and cheaper at lower retention."""

from __future__ import annotations

from datetime import date

import pytest

from quizapp.core.scheduler import FsrsScheduler, LoggedReview, Sm2Scheduler
from quizapp.core.workload import simulate_workload

START = date(2026, 6, 1)


def test_same_seed_same_forecast_other_seed_other_forecast() -> None:
    fsrs = FsrsScheduler()
    cards = [fsrs.new_state()] * 60
    a = simulate_workload(fsrs, cards, start=START, days=90, seed=7, runs=3)
    b = simulate_workload(fsrs, cards, start=START, days=90, seed=7, runs=3)
    c = simulate_workload(fsrs, cards, start=START, days=90, seed=8, runs=3)
    assert a == b
    assert a.reviews != c.reviews
    assert a.days[0] == START and len(a.days) == 90


def test_limits_are_kept_and_every_new_card_is_introduced_in_order() -> None:
    sm2 = Sm2Scheduler()
    cards = [sm2.new_state()] * 50
    forecast = simulate_workload(
        sm2, cards, start=START, days=60, new_per_day=10, reviews_per_day=15, runs=2
    )
    assert forecast.new[:5] == (10.0,) * 5
    assert sum(forecast.new) == pytest.approx(50)
    assert max(forecast.reviews) <= 15
    assert forecast.reviews[0] == 0.0  # nothing is due on the first day


def test_cards_already_studied_come_due_on_their_dates() -> None:
    fsrs = FsrsScheduler()
    studied = fsrs.state_from_log([LoggedReview(4, date(2026, 5, 30), "new")])
    assert studied.due is not None
    forecast = simulate_workload(fsrs, [studied] * 5, start=START, days=10, runs=1)
    offset = (studied.due - START).days
    assert forecast.reviews[offset] == 5.0
    assert sum(forecast.new) == 0


def test_lower_desired_retention_asks_for_fewer_reviews() -> None:
    cards = [FsrsScheduler().new_state()] * 80
    high = simulate_workload(FsrsScheduler(desired_retention=0.95), cards, start=START, days=120)
    low = simulate_workload(FsrsScheduler(desired_retention=0.8), cards, start=START, days=120)
    assert low.total_reviews < high.total_reviews


def test_under_fsrs_a_failed_answer_is_drilled_the_same_day_and_that_moves_the_card() -> None:
    """As in the app: an answer below Good sends the card to the day's drill, which ends
    with a Good. FSRS takes that as a same-day review; SM-2 ignores it. With short-term
    parameters that weigh a same-day review (w17, w18 raised), a Hard then the drill's Good
    puts the first review days later than the Hard alone would."""
    weights = list(FsrsScheduler().parameters)
    weights[17], weights[18] = 1.5, 0.9
    fsrs = FsrsScheduler(parameters=tuple(weights))
    hard, alone = fsrs.review(fsrs.new_state(), 3, START)
    _, drilled = fsrs.review(hard, 4, START)
    assert drilled.due > alone.due
    forecast = simulate_workload(
        fsrs, [fsrs.new_state()], start=START, days=30, runs=1, first_rating_prob=(0, 1, 0, 0)
    )
    assert forecast.reviews.index(1.0) == (drilled.due - START).days

    sm2 = Sm2Scheduler()
    plain = simulate_workload(
        sm2, [sm2.new_state()], start=START, days=30, runs=1, first_rating_prob=(0, 1, 0, 0)
    )
    first = sm2.review(sm2.new_state(), 3, START)[1].due
    assert plain.reviews.index(1.0) == (first - START).days  # the drill changed nothing
