"""The scheduler seam: SM-2 or FSRS-6 behind one protocol, chosen per deck.

Both schedulers answer the same four questions, as pure functions (time comes in as an
argument, states are frozen values, nothing is mutated):

- ``review(state, quality, now) -> (state, outcome)``: the state after one scheduled answer;
- ``next_states(state, now)``: every possible next state by grade, for the grade buttons;
- ``retrievability(state, now)``: the predicted probability of recalling the card now;
- ``state_from_log(reviews)``: the state a card's review log leads to. Switching a deck
  between SM-2 and FSRS replays each card's log through the new scheduler, so no history
  is lost either way and switching back gives exactly the state the card had before.

Decided here, once:

- **Grades.** quizapp's answers are SM-2 grades q 0..5 (``core.grading``). FSRS has four
  ratings; ``QUALITY_TO_RATING`` maps q 0, 1, 2 (every fail) to Again, 3 to Hard, 4 to Good
  and 5 to Easy. SM-2's pass line (q ≥ 3) is FSRS's pass line (rating ≥ Hard).
- **Which answers schedule.** Log kinds ``new`` and ``review`` (the one scheduled answer
  per card and day) move a card's state under either scheduler; cram answers (``cram``)
  never do. Same-day drill answers (``drill``) are where the two differ: SM-2 skips them,
  as it has always done (its rules say so), while FSRS takes each one as a same-day review,
  as FSRS-6 is built to (its short-term stability, w17..w19) and as Anki feeds it learning
  and relearning steps. ``Scheduler.answer_kinds`` says which kinds a scheduler takes.
- **Days, not minutes.** Elapsed time is counted in study days (a day starts at
  ``day_start_hour``, as in ``sm2.study_day``). FSRS runs without learning and relearning
  steps, since the same-day drill already brings failed cards back within the session;
  every scheduled answer therefore gives a whole-day interval, as SM-2's do.
- **No fuzz.** FSRS's random interval fuzz is off so a state is a function of its log.
- **FSRS-6** through the ``fsrs`` package (py-fsrs): 21 parameters, the library's defaults
  unless the deck has optimized ones, desired retention per deck (0.9 by default).
- **Predicted recall under SM-2.** SM-2 has no memory model, so recall is converted from
  its interval with an exponential forgetting curve R = r ** (t / I), t the study days since
  the last scheduled answer and I the interval it gave: recall at the due date is ``r``.
  ``r`` is ``SM2_RECALL_AT_INTERVAL`` (0.9) until the learner's own log is long enough to
  fit it (``fit_sm2_recall_at_interval``).

docs/scheduling.md states both schedulers in full.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Protocol, TypeVar

import fsrs

from quizapp.core import sm2
from quizapp.core.stats import SCHEDULED_KINDS

SCHEDULER_NAMES = ("sm2", "fsrs")
DEFAULT_SCHEDULER = "sm2"
DEFAULT_DESIRED_RETENTION = 0.9
DESIRED_RETENTION_RANGE = (0.7, 0.99)
"""Anki's bounds: below 0.7 reviews barely pay off, above 0.99 the workload explodes."""
FSRS_PARAMETER_COUNT = 21
DEFAULT_FSRS_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)

QUALITY_TO_RATING: dict[int, int] = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
"""q (SM-2 grade 0..5) -> FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy). The one place."""
RATING_TO_QUALITY: dict[int, int] = {1: 1, 2: 3, 3: 4, 4: 5}
"""The q each FSRS rating's button gives (``core.grading``: Again q=1, Hard 3, Good 4, Easy 5)."""

SM2_RECALL_AT_INTERVAL = 0.9
"""Stated recall of an SM-2 card on its due date, before the learner's log says otherwise."""
SM2_RECALL_FIT_BOUNDS = (0.5, 0.995)
SM2_RECALL_PRIOR_WEIGHT = 20.0
"""The stated constant counts as this many pseudo-answers at the due date when fitting."""


def fsrs_rating(quality: int) -> int:
    """The FSRS rating (1..4) of an SM-2 grade q (0..5)."""
    if (
        not isinstance(quality, int)
        or isinstance(quality, bool)
        or quality not in QUALITY_TO_RATING
    ):
        raise ValueError(f"quality is an integer from 0 to 5, not {quality!r}")
    return QUALITY_TO_RATING[quality]


def schedules(kind: str) -> bool:
    """Whether an answer of this log kind is a scheduled one (``new``, ``review``): the
    one answer per card and day that sets its interval under either scheduler."""
    return kind in SCHEDULED_KINDS


SM2_ANSWER_KINDS = SCHEDULED_KINDS
"""The log kinds SM-2 takes: its rules leave drill answers out."""
FSRS_ANSWER_KINDS = SCHEDULED_KINDS | {"drill"}
"""The log kinds FSRS takes: a drill answer is a same-day review to FSRS-6."""


Moment = datetime | date
"""A point in time: a ``datetime`` (converted to its study day) or the study day itself."""


@dataclass(frozen=True)
class LoggedReview:
    """One row of a card's review log, as much of it as scheduling needs."""

    quality: int
    at: Moment
    kind: str = "review"


@dataclass(frozen=True)
class ReviewOutcome:
    """What one scheduled answer did: the log row's scheduling part.

    ``predicted_recall`` is the scheduler's prediction just before the answer (None for a
    new card): storing it beside the outcome is what the calibration chart is drawn from.
    """

    quality: int
    rating: int
    day: date
    elapsed_days: int | None
    predicted_recall: float | None
    interval: int
    due: date


@dataclass(frozen=True)
class Sm2Memory:
    """A card under SM-2: the classic state plus the study day of its last scheduled answer."""

    sm2: sm2.Sm2State = field(default_factory=sm2.Sm2State)
    last_review: date | None = None

    @property
    def interval(self) -> int:
        return self.sm2.interval

    @property
    def due(self) -> date | None:
        return None if self.last_review is None else sm2.due_date(self.last_review, self.interval)


@dataclass(frozen=True)
class FsrsMemory:
    """A card under FSRS: stability (days until recall falls to 90%), difficulty (1..10),
    the interval last scheduled and the study day of the last scheduled answer."""

    stability: float | None = None
    difficulty: float | None = None
    interval: int = 0
    last_review: date | None = None

    def __post_init__(self) -> None:
        if (self.stability is None) != (self.difficulty is None):
            raise ValueError("stability and difficulty are both set or both unset")
        if self.stability is not None and self.stability <= 0:
            raise ValueError("stability is positive")
        if self.interval < 0:
            raise ValueError("interval is never negative")

    @property
    def is_new(self) -> bool:
        return self.stability is None

    @property
    def due(self) -> date | None:
        return None if self.last_review is None else sm2.due_date(self.last_review, self.interval)


CardMemory = Sm2Memory | FsrsMemory
S = TypeVar("S", Sm2Memory, FsrsMemory)


class Scheduler(Protocol[S]):
    """What the answer path, the grade buttons, the browser and the statistics ask of a
    deck's scheduler, whichever it is."""

    @property
    def name(self) -> str: ...

    @property
    def answer_kinds(self) -> frozenset[str]: ...

    def new_state(self) -> S: ...

    def review(self, state: S, quality: int, now: Moment) -> tuple[S, ReviewOutcome]: ...

    def next_states(self, state: S, now: Moment) -> dict[int, S]: ...

    def retrievability(self, state: S, now: Moment) -> float: ...

    def state_from_log(self, reviews: Iterable[LoggedReview]) -> S: ...


def _day(now: Moment, day_start_hour: int) -> date:
    if isinstance(now, datetime):
        return sm2.study_day(now, day_start_hour)
    return now


def _check_order(last: date | None, today: date) -> None:
    if last is not None and today < last:
        raise ValueError("a review cannot come before the card's last review")


def _elapsed(last: date | None, today: date) -> int | None:
    return None if last is None else max(0, (today - last).days)


def _taken(
    reviews: Iterable[LoggedReview], day_start_hour: int, kinds: frozenset[str]
) -> list[LoggedReview]:
    """The answers of these kinds in the order they were given (stable within a day)."""
    kept = [r for r in reviews if r.kind in kinds]
    return sorted(kept, key=lambda r: _day(r.at, day_start_hour))


def sm2_recall(elapsed_days: float, interval: int, recall_at_interval: float) -> float:
    """SM-2's predicted recall: R = r ** (t / I), so recall on the due date is ``r``."""
    if interval <= 0:
        return 0.0
    return float(recall_at_interval ** (max(0.0, elapsed_days) / interval))


def fit_sm2_recall_at_interval(
    observations: Iterable[tuple[float, bool]],
    *,
    prior: float = SM2_RECALL_AT_INTERVAL,
    prior_weight: float = SM2_RECALL_PRIOR_WEIGHT,
) -> float:
    """The learner's recall at an SM-2 due date, fitted on (t / I, passed) pairs.

    Maximum likelihood of R = r ** (t / I) over the scheduled answers, with the stated
    constant counting as ``prior_weight`` answers at t = I (so a short log stays near it).
    The log-likelihood is concave in ln r, so a bisection on its derivative finds the top.
    """
    xs: list[tuple[float, bool]] = [(max(0.0, x), bool(ok)) for x, ok in observations]
    lo_r, hi_r = SM2_RECALL_FIT_BOUNDS

    def slope(r: float) -> float:
        # d/dr of sum ok*x*ln r + (1-ok)*ln(1 - r**x), plus the prior's pseudo-answers at x=1.
        total = prior_weight * (prior / r - (1 - prior) / (1 - r))
        for x, ok in xs:
            if x == 0:
                continue
            if ok:
                total += x / r
            else:
                rx = r**x
                total -= x * rx / (r * (1 - rx)) if rx < 1 else 0.0
        return total

    if slope(hi_r) >= 0:
        return hi_r
    if slope(lo_r) <= 0:
        return lo_r
    lo, hi = lo_r, hi_r
    for _ in range(60):
        mid = (lo + hi) / 2
        if slope(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@dataclass(frozen=True)
class Sm2Scheduler:
    """SM-2 exactly as ``core.sm2`` states it, behind the seam."""

    max_interval: int = sm2.DEFAULT_MAX_INTERVAL
    day_start_hour: int = sm2.DEFAULT_DAY_START_HOUR
    recall_at_interval: float = SM2_RECALL_AT_INTERVAL

    def __post_init__(self) -> None:
        if not 0 < self.recall_at_interval < 1:
            raise ValueError("recall at the interval is a probability strictly inside (0, 1)")

    @property
    def name(self) -> str:
        return "sm2"

    @property
    def answer_kinds(self) -> frozenset[str]:
        return SM2_ANSWER_KINDS

    def new_state(self) -> Sm2Memory:
        return Sm2Memory()

    def review(
        self, state: Sm2Memory, quality: int, now: Moment
    ) -> tuple[Sm2Memory, ReviewOutcome]:
        rating = fsrs_rating(quality)
        today = _day(now, self.day_start_hour)
        _check_order(state.last_review, today)
        predicted = None if state.last_review is None else self.retrievability(state, today)
        after = Sm2Memory(sm2.review(state.sm2, quality, max_interval=self.max_interval), today)
        outcome = ReviewOutcome(
            quality=quality,
            rating=rating,
            day=today,
            elapsed_days=_elapsed(state.last_review, today),
            predicted_recall=predicted,
            interval=after.interval,
            due=sm2.due_date(today, after.interval),
        )
        return after, outcome

    def next_states(self, state: Sm2Memory, now: Moment) -> dict[int, Sm2Memory]:
        return {q: self.review(state, q, now)[0] for q in range(6)}

    def retrievability(self, state: Sm2Memory, now: Moment) -> float:
        """0.0 for a card never answered (readiness gives new cards their own prior)."""
        if state.last_review is None:
            return 0.0
        elapsed = _elapsed(state.last_review, _day(now, self.day_start_hour)) or 0
        return sm2_recall(elapsed, state.interval, self.recall_at_interval)

    def state_from_log(self, reviews: Iterable[LoggedReview]) -> Sm2Memory:
        state = self.new_state()
        for r in _taken(reviews, self.day_start_hour, SM2_ANSWER_KINDS):
            state, _ = self.review(state, r.quality, r.at)
        return state


_NOON = time(12, tzinfo=UTC)
_CARD_ID = 1
"""py-fsrs stamps a card id from the clock (and sleeps a millisecond) unless given one."""


@dataclass(frozen=True)
class FsrsScheduler:
    """FSRS-6 through py-fsrs, counted in study days, without learning steps or fuzz."""

    parameters: tuple[float, ...] = DEFAULT_FSRS_PARAMETERS
    desired_retention: float = DEFAULT_DESIRED_RETENTION
    max_interval: int = sm2.DEFAULT_MAX_INTERVAL
    day_start_hour: int = sm2.DEFAULT_DAY_START_HOUR
    _engine: fsrs.Scheduler = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        low, high = DESIRED_RETENTION_RANGE
        if not low <= self.desired_retention <= high:
            raise ValueError(f"desired retention is between {low} and {high}")
        if self.max_interval < 1:
            raise ValueError("max_interval must be at least one day")
        parameters = tuple(float(p) for p in self.parameters)
        object.__setattr__(self, "parameters", parameters)
        engine = fsrs.Scheduler(
            parameters=parameters,  # the library checks the count (21) and each bound
            desired_retention=self.desired_retention,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=self.max_interval,
            enable_fuzzing=False,
        )
        object.__setattr__(self, "_engine", engine)

    @property
    def name(self) -> str:
        return "fsrs"

    @property
    def answer_kinds(self) -> frozenset[str]:
        return FSRS_ANSWER_KINDS

    def new_state(self) -> FsrsMemory:
        return FsrsMemory()

    def _card(self, state: FsrsMemory) -> fsrs.Card:
        # Each study day is stood for by its noon UTC, so the library's whole-day elapsed
        # time is exactly the study-day difference.
        if state.stability is None or state.last_review is None:
            return fsrs.Card(card_id=_CARD_ID, state=fsrs.State.Learning, due=_at(date.min))
        return fsrs.Card(
            card_id=_CARD_ID,
            state=fsrs.State.Review,
            stability=state.stability,
            difficulty=state.difficulty,
            due=_at(state.due or state.last_review),
            last_review=_at(state.last_review),
        )

    def review(
        self, state: FsrsMemory, quality: int, now: Moment
    ) -> tuple[FsrsMemory, ReviewOutcome]:
        rating = fsrs_rating(quality)
        today = _day(now, self.day_start_hour)
        _check_order(state.last_review, today)
        predicted = None if state.is_new else self.retrievability(state, today)
        after = self._step(state, rating, today)
        interval = after.interval
        outcome = ReviewOutcome(
            quality=quality,
            rating=rating,
            day=today,
            elapsed_days=_elapsed(state.last_review, today),
            predicted_recall=predicted,
            interval=interval,
            due=sm2.due_date(today, interval),
        )
        return after, outcome

    def _step(self, state: FsrsMemory, rating: int, today: date) -> FsrsMemory:
        """The state one scheduled answer leads to (``review`` without its outcome)."""
        card, _ = self._engine.review_card(self._card(state), fsrs.Rating(rating), _at(today))
        assert card.stability is not None and card.difficulty is not None
        return FsrsMemory(
            stability=card.stability,
            difficulty=card.difficulty,
            interval=(card.due.date() - today).days,
            last_review=today,
        )

    def next_states(self, state: FsrsMemory, now: Moment) -> dict[int, FsrsMemory]:
        by_rating = {r: self.review(state, RATING_TO_QUALITY[r], now)[0] for r in (1, 2, 3, 4)}
        return {q: by_rating[r] for q, r in QUALITY_TO_RATING.items()}

    def retrievability(self, state: FsrsMemory, now: Moment) -> float:
        """FSRS-6's forgetting curve R = (1 + f·t/S) ** −w20; 0.0 for a card never answered."""
        if state.is_new or state.last_review is None:
            return 0.0
        today = _day(now, self.day_start_hour)
        return float(self._engine.get_card_retrievability(self._card(state), _at(today)))

    def state_from_log(self, reviews: Iterable[LoggedReview]) -> FsrsMemory:
        """The state the scheduled and drill answers lead to, a drill answer being a
        same-day review (a drill before any scheduled answer cannot happen and is skipped).
        The same steps as ``review``, without the recall predicted before each answer:
        switching a deck or refitting its parameters replays every card's log, and the
        predictions were a fifth of the work."""
        state = self.new_state()
        for r in _taken(reviews, self.day_start_hour, FSRS_ANSWER_KINDS):
            if state.is_new and not schedules(r.kind):
                continue
            today = _day(r.at, self.day_start_hour)
            _check_order(state.last_review, today)
            state = self._step(state, fsrs_rating(r.quality), today)
        return state

    def state_from_sm2(
        self, memory: Sm2Memory, recall_at_interval: float = SM2_RECALL_AT_INTERVAL
    ) -> FsrsMemory:
        """An FSRS state for a card whose SM-2 state has no log behind it (imported progress).

        Stability is chosen so FSRS's curve passes through SM-2's stated recall at the
        interval (R(I) = r); difficulty starts where FSRS starts a card first rated Good.
        A card with a log should be replayed (``state_from_log``) instead.
        """
        if memory.last_review is None or memory.interval == 0:
            return self.new_state()
        decay = -self.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        stability = memory.interval * factor / (recall_at_interval ** (1 / decay) - 1)
        # FSRS-6's initial difficulty for a first Good (rating 3): D0 = w4 − e^(w5·2) + 1.
        w = self.parameters
        difficulty = min(10.0, max(1.0, w[4] - math.exp(w[5] * 2) + 1))
        return FsrsMemory(
            stability=max(stability, fsrs.scheduler.STABILITY_MIN),
            difficulty=float(difficulty),
            interval=memory.interval,
            last_review=memory.last_review,
        )


def _at(day: date) -> datetime:
    return datetime.combine(day, _NOON)


def scheduler_for(
    name: str,
    *,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
    parameters: Sequence[float] | None = None,
    max_interval: int = sm2.DEFAULT_MAX_INTERVAL,
    day_start_hour: int = sm2.DEFAULT_DAY_START_HOUR,
    sm2_recall_at_interval: float = SM2_RECALL_AT_INTERVAL,
) -> Sm2Scheduler | FsrsScheduler:
    """A deck's scheduler from its stored options (``parameters`` None: FSRS-6's defaults)."""
    if name == "sm2":
        return Sm2Scheduler(max_interval, day_start_hour, sm2_recall_at_interval)
    if name == "fsrs":
        return FsrsScheduler(
            tuple(parameters) if parameters is not None else DEFAULT_FSRS_PARAMETERS,
            desired_retention,
            max_interval,
            day_start_hour,
        )
    raise ValueError(f"unknown scheduler {name!r}; one of {', '.join(SCHEDULER_NAMES)}")
