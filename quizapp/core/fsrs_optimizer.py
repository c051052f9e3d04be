"""Fitting FSRS-6's 21 parameters to the learner's own review log (optional).

The fitting is done by fsrs-rs, the Rust optimizer Anki ships, through ``fsrs-rs-python``
(a 0.6 MB wheel, installed with quizapp; py-fsrs's own optimizer needs torch). The app
runs without it: ``optimizer_available()`` says whether the menu item can work.

Input is each card's answers that FSRS takes (log kinds ``new``, ``review`` and ``drill``;
cram answers never schedule), as (study day, q) pairs in the order given. A drill answer
is a same-day review (0 days since the previous answer), which is what FSRS-6's
short-term parameters w17..w19 are fitted on, as Anki builds its training items from
learning and relearning steps too. Each scheduled answer after a card's first becomes one
training item: the card's history up to and including it, as (rating, days since the
previous answer). Same-day answers are in the history but are not items of their own
(Anki's rule: the model is scored on recall across days).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.core.scheduler import FSRS_PARAMETER_COUNT, fsrs_rating

MIN_TRAINING_ITEMS = 400
"""Fewer answers after a first one than this and the fit is noise: the optimizer refuses.
fsrs-rs itself starts from a pretrain on first answers, but a few hundred reviews are the
least it learns the forgetting curve from (Anki asks for a few hundred as well)."""


class OptimizerUnavailable(RuntimeError):
    """fsrs-rs-python is missing (it is a dependency; a trimmed install may lack its wheel)."""


class NotEnoughReviews(ValueError):
    """The log is too short to learn parameters from."""

    def __init__(self, items: int, needed: int = MIN_TRAINING_ITEMS) -> None:
        super().__init__(
            f"{items} reviews after a first answer; at least {needed} are needed to fit "
            "FSRS to your memory. Keep the defaults until then."
        )
        self.items = items
        self.needed = needed


def optimizer_available() -> bool:
    return importlib.util.find_spec("fsrs_rs_python") is not None


@dataclass(frozen=True)
class TrainingHistory:
    """One training item: a card's scheduled answers up to one of them."""

    ratings: tuple[int, ...]
    delta_days: tuple[int, ...]


def training_items(logs: Mapping[Any, Sequence[tuple[date, int]]]) -> list[TrainingHistory]:
    """Training items from each card's answers ((study day, q), in the order given)."""
    items: list[TrainingHistory] = []
    for answers in logs.values():
        ordered = sorted(answers, key=lambda a: a[0])
        ratings: list[int] = []
        deltas: list[int] = []
        previous: date | None = None
        for day, quality in ordered:
            ratings.append(fsrs_rating(quality))
            deltas.append(0 if previous is None else (day - previous).days)
            previous = day
            if len(ratings) > 1 and deltas[-1] > 0:
                items.append(TrainingHistory(tuple(ratings), tuple(deltas)))
    return items


def optimize(
    logs: Mapping[Any, Sequence[tuple[date, int]]],
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[float, ...]:
    """FSRS-6 parameters fitted to these logs, or ``NotEnoughReviews`` / ``OptimizerUnavailable``.

    Long: seconds for tens of thousands of answers. Call it off the GUI thread.
    """
    items = training_items(logs)
    if len(items) < MIN_TRAINING_ITEMS:
        raise NotEnoughReviews(len(items))
    if not optimizer_available():
        raise OptimizerUnavailable("the FSRS optimizer (fsrs-rs-python) is not installed")
    import fsrs_rs_python as rs

    if progress is not None:
        progress(f"fitting FSRS to {len(items)} reviews")
    rs_items = [
        rs.FSRSItem([rs.FSRSReview(r, d) for r, d in zip(h.ratings, h.delta_days, strict=True)])
        for h in items
    ]
    fitted = rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(rs_items)
    if len(fitted) != FSRS_PARAMETER_COUNT:
        raise RuntimeError(f"the optimizer returned {len(fitted)} parameters, not 21")
    return tuple(round(float(p), 4) for p in fitted)
