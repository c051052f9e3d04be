"""Anki's scheduling columns and quizapp's SM-2 state, each way.

Anki 2.1's default scheduler descends from SM-2, so most of a card's state carries over.

From Anki (`cards` row → `CardProgress`):

- a new card (`type` 0) has no progress, unless it is suspended (`queue` -1);
- a review card (`type` 2): easiness = `factor`/1000 rounded to hundredths, at least 1.3
  (2.5 when Anki stored none); interval = `ivl` days (1 to 36500); due = the collection's
  creation day (`col.crt`, read in local time) + `due` days; repetitions is estimated, since
  Anki does not keep SM-2's count: the number of passes in a row SM-2 needs to reach `ivl`
  with this easiness (1 for a day, 2 up to 6 days, then ×EF per pass), so the next pass
  grows the interval from where Anki left it rather than restarting at 1 or 6 days;
- a learning or relearning card (`type` 1 or 3) is what SM-2 calls a failed card:
  repetitions 0, interval 1 day, easiness from `factor`; due is the day of Anki's due
  time (`due` is a Unix time for intraday learning, a day number otherwise: a value above
  10^9 is read as a time);
- a card in a filtered deck counts from its home deck (`odid`) and original due (`odue`);
- lapses = `lapses`, reviews = `reps`, suspended = `queue` -1 (buried cards are not).

To Anki (quizapp export with scheduling): a card never studied is new; any other card is a
review card with `ivl` = interval, `factor` = easiness×1000, `due` = days from the exported
collection's creation day, `reps`/`lapses` from the counts, `queue` -1 when suspended.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from quizapp.core.bundle import CardProgress
from quizapp.core.sm2 import DEFAULT_MAX_INTERVAL, INITIAL_EASINESS, MIN_EASINESS, Sm2State

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
SUSPENDED = -1
_UNIX_TIME_ABOVE = 1_000_000_000


@dataclass(frozen=True)
class AnkiSchedule:
    """The scheduling columns of an Anki `cards` row."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    odue: int = 0
    odid: int = 0


def easiness_from_factor(factor: int) -> Fraction:
    if factor <= 0:
        return INITIAL_EASINESS
    return max(MIN_EASINESS, Fraction(round(Fraction(factor, 10)), 100))


def estimated_repetitions(interval: int, easiness: Fraction) -> int:
    """Passes in a row SM-2 takes to reach `interval` days (see the module docstring)."""
    n, reached = 1, 1
    while reached < interval and n < 100:
        n += 1
        reached = 6 if n == 2 else math.ceil(reached * easiness)
    return n


def progress_from_anki(card: AnkiSchedule, created: date) -> CardProgress | None:
    """The SM-2 progress for an Anki card; None for a new card that is not suspended."""
    suspended = card.queue == SUSPENDED
    due = card.odue if card.odid and card.odue else card.due
    if card.type not in (LEARNING, REVIEW, RELEARNING):
        return CardProgress(Sm2State(), None, suspended=True) if suspended else None
    easiness = easiness_from_factor(card.factor)
    if card.type == REVIEW:
        interval = min(max(card.ivl, 1), DEFAULT_MAX_INTERVAL)
        state = Sm2State(estimated_repetitions(interval, easiness), easiness, interval)
        due_day = _day(created, due)
    else:
        state = Sm2State(0, easiness, 1)
        due_day = _time_day(due) if due > _UNIX_TIME_ABOVE else _day(created, due)
    return CardProgress(
        state,
        due_day,
        lapses=max(card.lapses, 0),
        reviews=max(card.reps, 0),
        suspended=suspended,
    )


def anki_from_progress(progress: CardProgress | None, created: date, position: int) -> AnkiSchedule:
    """Anki's columns for a card; `position` orders new cards."""
    if progress is None or (progress.state.is_new and progress.due is None):
        queue = SUSPENDED if progress is not None and progress.suspended else NEW
        return AnkiSchedule(NEW, queue, position, 0, 0, 0, 0)
    state = progress.state
    due = progress.due or created
    return AnkiSchedule(
        REVIEW,
        SUSPENDED if progress.suspended else REVIEW,
        (due - created).days,
        max(state.interval, 1),
        int(state.easiness * 1000),
        progress.reviews,
        progress.lapses,
    )


def day_of(timestamp: int) -> date:
    """The local day of a Unix time (Anki's `col.crt` is the start of a local day)."""
    return _time_day(timestamp)


def _day(created: date, days: int) -> date:
    try:
        return created + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _time_day(timestamp: int) -> date:
    try:
        return datetime.fromtimestamp(timestamp).date()
    except (OverflowError, OSError, ValueError):
        return date.max
