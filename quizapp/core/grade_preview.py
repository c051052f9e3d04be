"""What each grade would do to a card, before the learner picks one: the grade buttons' text.

A button that only says "1d" tells a new learner nothing: on a new card every grade
schedules it for tomorrow. What differs is what follows, so each grade's preview holds

- the next interval (when the card comes back),
- the interval after that, assuming the learner answers Good at that next review
  (``THEN_QUALITY``) on its due day: SM-2's Hard, Good and Easy all give a new card 1 day,
  but a different easiness, and FSRS a different stability, so the one after differs;
- under SM-2, the change in easiness in hundredths (FSRS has no easiness to show).

Both intervals come from the deck's scheduler (``Scheduler.next_states``), the same code
that schedules the answer, so a button never promises what the answer will not do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quizapp.core.review import Schedule
from quizapp.core.scheduler import FsrsMemory, FsrsScheduler, Sm2Memory, Sm2Scheduler

THEN_QUALITY = 4
"""The grade assumed for the review after next: Good, the answer a learner plans for."""


@dataclass(frozen=True)
class GradePreview:
    quality: int
    interval: int
    """Days until the card comes back after this grade."""
    then: int
    """Days it gets at that next review if it is answered Good there."""
    ease_change: int | None
    """SM-2's change of easiness in hundredths (−14 for Hard, +10 for Easy); None for FSRS."""


def preview_grades(
    schedule: Schedule, scheduler: Sm2Scheduler | FsrsScheduler, today: date
) -> dict[int, GradePreview]:
    """Every grade's (0..5) preview for a card with this stored schedule, answered today."""
    if isinstance(scheduler, FsrsScheduler):
        fsrs_now = schedule.fsrs_memory(scheduler, today)
        return {
            q: GradePreview(q, after.interval, _fsrs_then(scheduler, after), None)
            for q, after in scheduler.next_states(fsrs_now, today).items()
        }
    sm2_now = schedule.sm2_memory(today)
    return {
        q: GradePreview(
            q,
            after.interval,
            _sm2_then(scheduler, after),
            int(after.sm2.easiness * 100) - schedule.easiness_hundredths,
        )
        for q, after in scheduler.next_states(sm2_now, today).items()
    }


def _sm2_then(scheduler: Sm2Scheduler, after: Sm2Memory) -> int:
    assert after.due is not None  # reviewed: it has a due day
    return scheduler.next_states(after, after.due)[THEN_QUALITY].interval


def _fsrs_then(scheduler: FsrsScheduler, after: FsrsMemory) -> int:
    assert after.due is not None
    return scheduler.next_states(after, after.due)[THEN_QUALITY].interval


def fail_grades_alike(previews: dict[int, GradePreview], qualities: list[int]) -> bool:
    """Whether these grades change the schedule identically (SM-2's and FSRS's fails do)."""
    seen = {(p.interval, p.then, p.ease_change) for q, p in previews.items() if q in qualities}
    return len(seen) <= 1
