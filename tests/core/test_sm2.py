"""SM-2 as DESIGN.md states it: tables of known sequences and properties over all inputs."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.sm2 import (
    MIN_EASINESS,
    Sm2State,
    due_date,
    next_states,
    review,
    review_hundredths,
    study_day,
    updated_easiness,
)


def test_a_new_card_is_n0_ef_2_5_interval_0() -> None:
    state = Sm2State()
    assert (state.repetitions, float(state.easiness), state.interval) == (0, 2.5, 0)
    assert state.is_new


@pytest.mark.parametrize(
    ("quality", "delta"),
    [
        (5, Fraction(10, 100)),
        (4, Fraction(0)),
        (3, Fraction(-14, 100)),
        (2, Fraction(-32, 100)),
        (1, Fraction(-54, 100)),
        (0, Fraction(-80, 100)),
    ],
)
def test_easiness_formula_steps(quality: int, delta: Fraction) -> None:
    assert updated_easiness(Fraction(25, 10), quality) == Fraction(25, 10) + delta


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        # (n, EF, I) after each sequence of grades, worked out by hand from the formula.
        ([4], (1, "2.5", 1)),
        ([4, 4], (2, "2.5", 6)),
        ([4, 4, 4], (3, "2.5", 15)),  # ceil(6 * 2.5)
        ([4, 4, 4, 4], (4, "2.5", 38)),  # ceil(15 * 2.5) = ceil(37.5)
        ([5, 5, 5], (3, "2.8", 17)),  # EF 2.7 before the 3rd: ceil(6 * 2.7) = ceil(16.2)
        ([3, 3, 3], (3, "2.08", 14)),  # EF 2.36 -> 2.22 before the 3rd: ceil(6 * 2.22) = 14
        ([4, 4, 2], (0, "2.5", 1)),  # a fail resets n and I, EF unchanged
        ([5, 5, 1, 4], (1, "2.7", 1)),  # after a fail, the count starts again from 1 day
    ],
)
def test_known_sequences(grades: list[int], expected: tuple[int, str, int]) -> None:
    state = Sm2State()
    for q in grades:
        state = review(state, q)
    n, ef, interval = expected
    assert (state.repetitions, state.easiness, state.interval) == (n, Fraction(ef), interval)


def test_interval_uses_easiness_before_the_update() -> None:
    state = Sm2State(repetitions=2, easiness=Fraction(13, 10), interval=6)
    after = review(state, 5)
    assert after.interval == math.ceil(6 * 1.3)  # not 6 * 1.4
    assert after.easiness == Fraction(14, 10)


def test_fail_keeps_easiness() -> None:
    state = Sm2State(repetitions=5, easiness=Fraction(18, 10), interval=100)
    for q in (0, 1, 2):
        assert review(state, q) == Sm2State(repetitions=0, easiness=Fraction(18, 10), interval=1)


def test_easiness_floor_is_1_3() -> None:
    state = Sm2State(repetitions=3, easiness=Fraction(14, 10), interval=10)
    assert review(state, 3).easiness == MIN_EASINESS


def test_interval_cap_and_custom_cap() -> None:
    state = Sm2State(repetitions=10, easiness=Fraction(5), interval=30000)
    assert review(state, 5).interval == 36500
    assert review(state, 5, max_interval=365).interval == 365


def test_due_date_counts_from_the_review_day_and_never_overflows() -> None:
    assert due_date(date(2026, 11, 24), 6) == date(2026, 11, 30)
    assert due_date(date(9999, 1, 1), 36500) == date.max


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        review(Sm2State(), 6)
    with pytest.raises(ValueError):
        review(Sm2State(), True)
    with pytest.raises(ValueError):
        Sm2State(easiness=Fraction(12, 10))
    with pytest.raises(ValueError):
        Sm2State(easiness=Fraction(1, 3) + 2)


def test_study_day_starts_at_the_configured_hour() -> None:
    before = datetime(2026, 11, 24, 3, 59).astimezone()
    after = datetime(2026, 11, 24, 4, 0).astimezone()
    assert study_day(before) == date(2026, 11, 23)
    assert study_day(after) == date(2026, 11, 24)
    assert study_day(before, day_start_hour=0) == date(2026, 11, 24)
    assert study_day(datetime(2026, 11, 24, 5, 59), day_start_hour=6) == date(2026, 11, 23)


def test_next_states_lists_every_grade() -> None:
    outcomes = next_states(Sm2State(repetitions=1, easiness=Fraction(5, 2), interval=1))
    assert sorted(outcomes) == [0, 1, 2, 3, 4, 5]
    assert outcomes[4].interval == 6 and outcomes[1].interval == 1


states = st.builds(
    Sm2State,
    repetitions=st.integers(0, 50),
    easiness=st.integers(130, 500).map(lambda h: Fraction(h, 100)),
    interval=st.integers(0, 36500),
)
grades = st.integers(0, 5)


@given(states, grades)
def test_review_is_pure_and_deterministic(state: Sm2State, q: int) -> None:
    copy = Sm2State(state.repetitions, state.easiness, state.interval)
    assert review(state, q) == review(state, q)
    assert state == copy


@given(states, grades)
def test_easiness_stays_on_the_hundredths_grid_and_above_the_floor(state: Sm2State, q: int) -> None:
    after = review(state, q)
    assert after.easiness >= MIN_EASINESS
    assert (after.easiness * 100).denominator == 1
    assert float(after.easiness) == pytest.approx(
        after.easiness.numerator / after.easiness.denominator
    )


@given(states, grades)
def test_pass_increments_fail_resets(state: Sm2State, q: int) -> None:
    after = review(state, q)
    if q >= 3:
        assert after.repetitions == state.repetitions + 1
        assert 0 < after.interval <= 36500
    else:
        assert (after.repetitions, after.interval, after.easiness) == (0, 1, state.easiness)


@given(states)
def test_higher_grades_never_give_shorter_intervals(state: Sm2State) -> None:
    intervals = [review(state, q).interval for q in range(6)]
    assert intervals == sorted(intervals)


@given(st.lists(st.integers(3, 5), min_size=3, max_size=40))
def test_intervals_grow_while_passing(qs: list[int]) -> None:
    state = Sm2State()
    previous = 0
    for q in qs:
        state = review(state, q)
        assert state.interval >= previous
        previous = state.interval


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(0, 23)
)
def test_study_day_is_within_a_day_of_the_calendar_day(now: datetime, hour: int) -> None:
    day = study_day(now, hour)
    assert now.date() - timedelta(days=1) <= day <= now.date()


@given(
    st.integers(0, 50),
    st.integers(130, 400),
    st.integers(0, 40000),
    st.integers(0, 5),
    st.integers(1, 36500),
)
def test_review_in_hundredths_is_the_formula_in_fractions(
    n: int, ef: int, interval: int, quality: int, max_interval: int
) -> None:
    """The answer's integer path against the formula written out on exact fractions."""
    got = review_hundredths(n, ef, interval, quality, max_interval=max_interval)
    easiness = Fraction(ef, 100)
    if quality < 3:
        want = (0, ef, 1)
    else:
        steps = {1: 1, 2: 6}
        raw = steps.get(n + 1, math.ceil(interval * easiness))
        new_ef = updated_easiness(easiness, quality)
        want = (n + 1, int(new_ef * 100), min(max(raw, 1), max_interval))
        assert new_ef * 100 == int(new_ef * 100)
    assert got == want
