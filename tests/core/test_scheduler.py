"""The scheduler seam: both schedulers keep the protocol's promises, and switching a deck
between them replays the log to exactly the states a direct computation gives."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import sm2
from quizapp.core.scheduler import (
    DEFAULT_FSRS_PARAMETERS,
    QUALITY_TO_RATING,
    FsrsMemory,
    FsrsScheduler,
    LoggedReview,
    Sm2Memory,
    Sm2Scheduler,
    fit_sm2_recall_at_interval,
    fsrs_rating,
    scheduler_for,
    sm2_recall,
)

DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


# A known log: scheduled answers on days 0, 3, 10, 11, 30, with two same-day drill answers
# on day 10 (SM-2 skips them; FSRS takes them as same-day reviews) and a cram answer that
# moves neither scheduler.
KNOWN_LOG = [
    LoggedReview(4, day(0), "new"),
    LoggedReview(4, day(3), "review"),
    LoggedReview(2, day(10), "review"),
    LoggedReview(1, day(10), "drill"),
    LoggedReview(4, day(10), "drill"),
    LoggedReview(5, day(11), "review"),
    LoggedReview(0, day(20), "cram"),
    LoggedReview(3, day(30), "review"),
]


# ------------------------------------------------------------------ the grade mapping


def test_quality_maps_to_fsrs_rating_with_the_same_pass_line() -> None:
    assert [fsrs_rating(q) for q in range(6)] == [1, 1, 1, 2, 3, 4]
    for q, rating in QUALITY_TO_RATING.items():
        assert (q >= sm2.PASS_THRESHOLD) == (rating >= 2)
    for bad in (-1, 6, True, 2.0):
        with pytest.raises(ValueError):
            fsrs_rating(bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------ SM-2 behind the seam


def test_sm2_state_from_known_log_is_sm2_by_hand() -> None:
    state = Sm2Scheduler().state_from_log(KNOWN_LOG)
    # day 0 q4: n1 I1 EF2.5 | day 3 q4: n2 I6 EF2.5 | day 10 q2: n0 I1 EF2.5 (unchanged)
    # day 11 q5: n1 I1 EF2.6 | day 30 q3: n2 I6 EF2.6−0.14 = 2.46
    assert state == Sm2Memory(sm2.Sm2State(2, Fraction(246, 100), 6), day(30))
    assert state.due == day(36)


def test_sm2_recall_is_the_stated_constant_at_the_interval() -> None:
    assert sm2_recall(0, 6, 0.9) == 1.0
    assert sm2_recall(6, 6, 0.9) == pytest.approx(0.9)
    assert sm2_recall(12, 6, 0.9) == pytest.approx(0.81)
    s = Sm2Scheduler()
    state = s.state_from_log(KNOWN_LOG[:2])  # interval 6 from day 3
    assert s.retrievability(state, day(9)) == pytest.approx(0.9)
    assert s.retrievability(state, day(6)) == pytest.approx(0.9**0.5)
    assert s.retrievability(s.new_state(), day(9)) == 0.0


def test_sm2_recall_constant_fit_recovers_the_learner_and_stays_near_the_prior_when_short() -> None:
    # 1000 answers at the due date, 800 right: the fit lands near 0.8 (prior worth 20).
    observations = [(1.0, i < 800) for i in range(1000)]
    assert fit_sm2_recall_at_interval(observations) == pytest.approx(
        (800 + 0.9 * 20) / 1020, abs=1e-6
    )
    # Two failures are not enough to move far from the stated 0.9.
    assert 0.8 < fit_sm2_recall_at_interval([(1.0, False), (1.0, False)]) < 0.9
    assert fit_sm2_recall_at_interval([]) == pytest.approx(0.9, abs=1e-9)


# ------------------------------------------------------------------ FSRS-6 by hand


def fsrs6_by_hand(
    log: list[tuple[int, int]], w: tuple[float, ...], retention: float
) -> tuple[float, float, int]:
    """FSRS-6 written out from its published equations, independent of the library:
    (stability, difficulty, interval) after (day, rating) answers; an answer on the day of
    the one before it is a same-day review (the short-term formula, w17..w19)."""
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1

    def d0(g: int) -> float:
        return w[4] - math.exp(w[5] * (g - 1)) + 1

    def clamp_d(d: float) -> float:
        return min(10.0, max(1.0, d))

    s = d = 0.0
    last = None
    for t, g in log:
        if last is None:
            s, d = w[g - 1], clamp_d(d0(g))
        else:
            r = (1 + factor * (t - last) / s) ** decay
            if t == last:
                growth = math.exp(w[17] * (g - 3 + w[18])) * s ** -w[19]
                s = max(0.001, s * (max(growth, 1.0) if g > 1 else growth))
            elif g == 1:
                s = min(
                    w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp(w[14] * (1 - r)),
                    s / math.exp(w[17] * w[18]),
                )
            else:
                hard = w[15] if g == 2 else 1.0
                easy = w[16] if g == 4 else 1.0
                s = s * (
                    1
                    + math.exp(w[8])
                    * (11 - d)
                    * s ** -w[9]
                    * (math.exp(w[10] * (1 - r)) - 1)
                    * hard
                    * easy
                )
            delta = -w[6] * (g - 3)
            d = clamp_d(w[7] * d0(4) + (1 - w[7]) * (d + delta * (10 - d) / 9))
        last = t
    interval = max(1, round(s / factor * (retention ** (1 / decay) - 1)))
    return s, d, interval


# KNOWN_LOG as FSRS takes it: (day, rating), the day-10 drill answers included, cram not.
KNOWN_RATINGS = [(0, 3), (3, 3), (10, 1), (10, 1), (10, 3), (11, 4), (30, 2)]


@pytest.mark.parametrize("retention", [0.9, 0.8])
def test_sm2_log_to_fsrs_state_equals_direct_fsrs6_computation(retention: float) -> None:
    fsrs = FsrsScheduler(desired_retention=retention)
    state = fsrs.state_from_log(KNOWN_LOG)
    s, d, interval = fsrs6_by_hand(KNOWN_RATINGS, DEFAULT_FSRS_PARAMETERS, retention)
    assert state.stability == pytest.approx(s, rel=1e-12)
    assert state.difficulty == pytest.approx(d, rel=1e-12)
    assert state.interval == interval
    assert state.last_review == day(30)


def test_the_drill_answers_change_the_fsrs_state_and_only_they_differ_from_skipping_them() -> None:
    """Without the two drill answers the by-hand state is another one: the test above
    would fail if FSRS skipped them."""
    fsrs = FsrsScheduler()
    skipped = [(t, g) for i, (t, g) in enumerate(KNOWN_RATINGS) if i not in (3, 4)]
    s_skip, d_skip, _ = fsrs6_by_hand(skipped, DEFAULT_FSRS_PARAMETERS, 0.9)
    state = fsrs.state_from_log(KNOWN_LOG)
    assert state.stability != pytest.approx(s_skip, rel=1e-6)
    assert state.difficulty != pytest.approx(d_skip, rel=1e-6)
    no_drill = [r for r in KNOWN_LOG if r.kind != "drill"]
    assert fsrs.state_from_log(no_drill).stability == pytest.approx(s_skip, rel=1e-12)


def test_fsrs_state_from_log_equals_py_fsrs_driven_directly_with_same_day_reviews() -> None:
    """py-fsrs itself, fed every answer at its own time of day (drills ten minutes apart),
    without learning steps or fuzz: the same state as the study-day replay."""
    import fsrs as py_fsrs

    engine = py_fsrs.Scheduler(
        parameters=DEFAULT_FSRS_PARAMETERS,
        desired_retention=0.9,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )
    card = py_fsrs.Card(card_id=7)
    for i, (t, g) in enumerate(KNOWN_RATINGS):
        # Each answer ten minutes later in the day than the one before: drills are ten
        # minutes apart, and the next day's answer comes a whole day (and more) later.
        at = datetime(2026, 3, 2, 18, 0, tzinfo=UTC) + timedelta(days=t, minutes=10 * i)
        card, _ = engine.review_card(card, py_fsrs.Rating(g), at)
    state = FsrsScheduler().state_from_log(KNOWN_LOG)
    assert state.stability == pytest.approx(card.stability, rel=1e-12)
    assert state.difficulty == pytest.approx(card.difficulty, rel=1e-12)
    assert state.interval == (card.due - card.last_review).days  # type: ignore[operator]


def test_fsrs_state_from_log_agrees_with_fsrs_rs_when_installed() -> None:
    import fsrs_rs_python as rs  # a dependency (the optimizer), so the check always runs

    days = [t for t, _ in KNOWN_RATINGS]
    item = rs.FSRSItem(
        [
            rs.FSRSReview(g, t - prev)
            for (t, g), prev in zip(KNOWN_RATINGS, [0, *days[:-1]], strict=True)
        ]
    )
    expected = rs.FSRS(list(DEFAULT_FSRS_PARAMETERS)).memory_state(item)
    state = FsrsScheduler().state_from_log(KNOWN_LOG)
    assert state.stability == pytest.approx(expected.stability, rel=1e-4)
    assert state.difficulty == pytest.approx(expected.difficulty, rel=1e-4)


def test_switching_sm2_to_fsrs_and_back_loses_nothing() -> None:
    sm2_scheduler, fsrs_scheduler = Sm2Scheduler(), FsrsScheduler()
    before = sm2_scheduler.state_from_log(KNOWN_LOG)
    under_fsrs = fsrs_scheduler.state_from_log(KNOWN_LOG)
    # Study on under FSRS, then switch back: SM-2 replays the whole log, FSRS days included.
    log = list(KNOWN_LOG)
    state = under_fsrs
    for n, q, kind in ((45, 4, "review"), (80, 1, "review"), (80, 4, "drill"), (81, 4, "review")):
        state, outcome = fsrs_scheduler.review(state, q, day(n))
        log.append(LoggedReview(q, outcome.day, kind))
    assert fsrs_scheduler.state_from_log(log) == state
    back = sm2_scheduler.state_from_log(log)
    stepwise = before  # SM-2's rules: the drill answer on day 80 moves nothing
    for n, q in ((45, 4), (80, 1), (81, 4)):
        stepwise, _ = sm2_scheduler.review(stepwise, q, day(n))
    assert back == stepwise
    # ...and switching back to FSRS once more gives FSRS's own state again.
    assert fsrs_scheduler.state_from_log(log) == state


def test_fsrs_state_from_sm2_without_a_log_matches_sm2_recall_at_the_interval() -> None:
    fsrs = FsrsScheduler()
    memory = Sm2Memory(sm2.Sm2State(4, Fraction(5, 2), 40), day(0))
    converted = fsrs.state_from_sm2(memory, recall_at_interval=0.85)
    assert converted.last_review == day(0)
    assert fsrs.retrievability(converted, day(40)) == pytest.approx(0.85)
    assert fsrs.state_from_sm2(Sm2Memory()) == FsrsMemory()


def test_datetimes_count_in_study_days() -> None:
    fsrs = FsrsScheduler(day_start_hour=4)
    state, _ = fsrs.review(fsrs.new_state(), 4, datetime(2026, 3, 2, 23, 0))
    # 02:00 two nights later still belongs to the study day of March 3rd: one day elapsed.
    _, outcome = fsrs.review(state, 4, datetime(2026, 3, 4, 2, 0))
    assert outcome.day == date(2026, 3, 3)
    assert outcome.elapsed_days == 1


def test_a_review_cannot_go_back_in_time() -> None:
    for scheduler in (Sm2Scheduler(), FsrsScheduler()):
        state, _ = scheduler.review(scheduler.new_state(), 4, day(5))  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            scheduler.review(state, 4, day(4))  # type: ignore[arg-type]


def test_scheduler_for_names_and_options() -> None:
    assert scheduler_for("sm2") == Sm2Scheduler()
    fsrs = scheduler_for("fsrs", desired_retention=0.85, max_interval=100)
    assert isinstance(fsrs, FsrsScheduler)
    assert (fsrs.desired_retention, fsrs.max_interval) == (0.85, 100)
    with pytest.raises(ValueError):
        scheduler_for("sm17")
    with pytest.raises(ValueError):
        FsrsScheduler(desired_retention=0.5)
    with pytest.raises(ValueError):
        FsrsScheduler(parameters=DEFAULT_FSRS_PARAMETERS[:20])


# ------------------------------------------------------------------ the protocol, both ways

qualities = st.integers(min_value=0, max_value=5)
gaps = st.integers(min_value=0, max_value=400)
caps = st.integers(min_value=1, max_value=36500)
answers = st.lists(st.tuples(gaps, qualities), min_size=1, max_size=12)


def both(max_interval: int) -> list[Sm2Scheduler | FsrsScheduler]:
    return [Sm2Scheduler(max_interval=max_interval), FsrsScheduler(max_interval=max_interval)]


def play(scheduler: Sm2Scheduler | FsrsScheduler, steps: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    state = scheduler.new_state()
    n = 0
    logged = []
    for gap, q in steps:
        n += gap
        state, outcome = scheduler.review(state, q, day(n))  # type: ignore[arg-type]
        logged.append((state, outcome))
    return state, logged, n


@settings(max_examples=60, deadline=None)
@given(steps=answers, cap=caps)
def test_review_is_pure_and_intervals_stay_within_the_cap(
    steps: list[tuple[int, int]], cap: int
) -> None:
    for scheduler in both(cap):
        _, logged, n = play(scheduler, steps)
        for state, outcome in logged:
            assert outcome.interval in range(1, cap + 1)  # at least a day, never past the cap
            assert state.interval == outcome.interval
            assert outcome.due == outcome.day + timedelta(days=outcome.interval)
        # Same inputs, same outputs; the inputs are left as they were.
        last_state = logged[-1][0]
        copy = type(last_state)(**last_state.__dict__)
        first = scheduler.review(last_state, 4, day(n + 1))  # type: ignore[arg-type]
        second = scheduler.review(last_state, 4, day(n + 1))  # type: ignore[arg-type]
        assert first == second
        assert last_state == copy


@settings(max_examples=60, deadline=None)
@given(steps=answers, gap=gaps)
def test_next_states_agree_with_review(steps: list[tuple[int, int]], gap: int) -> None:
    for scheduler in both(36500):
        state, _, n = play(scheduler, steps)
        now = day(n + gap)
        options = scheduler.next_states(state, now)  # type: ignore[arg-type]
        assert sorted(options) == list(range(6))
        for q, option in options.items():
            assert option == scheduler.review(state, q, now)[0]  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(steps=answers, extra=st.lists(st.tuples(qualities, st.sampled_from(["drill", "cram"]))))
def test_state_from_log_is_stepwise_review_of_the_kinds_each_scheduler_takes(
    steps: list[tuple[int, int]], extra: list[tuple[int, str]]
) -> None:
    """SM-2 skips drill and cram answers; FSRS skips cram and reviews each drill answer
    on its day (a same-day review)."""
    for scheduler in both(36500):
        state, logged, _ = play(scheduler, steps)
        log = [
            LoggedReview(o.quality, o.day, "new" if i == 0 else "review")
            for i, (_, o) in enumerate(logged)
        ]
        last_day = logged[-1][1].day
        noise = [LoggedReview(q, last_day, kind) for q, kind in extra]
        for q, kind in extra:
            if kind in scheduler.answer_kinds:
                state, _ = scheduler.review(state, q, last_day)  # type: ignore[arg-type]
        assert scheduler.state_from_log(log + noise) == state
    assert "drill" not in Sm2Scheduler().answer_kinds
    assert "drill" in FsrsScheduler().answer_kinds


def test_a_drill_answer_before_any_scheduled_answer_is_skipped_by_fsrs() -> None:
    fsrs = FsrsScheduler()
    assert fsrs.state_from_log([LoggedReview(1, day(0), "drill")]) == fsrs.new_state()
    assert fsrs.state_from_log(
        [LoggedReview(4, day(0), "drill"), *KNOWN_LOG]
    ) == fsrs.state_from_log(KNOWN_LOG)


@settings(max_examples=40, deadline=None)
@given(steps=answers)
def test_predicted_recall_is_a_probability_that_falls_with_time(
    steps: list[tuple[int, int]],
) -> None:
    for scheduler in both(36500):
        state, _, n = play(scheduler, steps)
        recalls = [scheduler.retrievability(state, day(n + t)) for t in (0, 1, 7, 30, 365)]  # type: ignore[arg-type]
        assert all(0.0 < r <= 1.0 for r in recalls)
        assert recalls == sorted(recalls, reverse=True)
