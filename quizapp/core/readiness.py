"""Readiness per section, and the scores that say whether predicted recall deserves trust.

- **Readiness** of a section today: the predicted probability of answering a random
  question of it right, i.e. the mean predicted recall over its cards. A card never
  answered has no memory to predict from; it counts at the new-card prior
  (``NEW_CARD_RECALL``, or the learner's own first-answer rate once there are enough
  first answers: ``new_card_recall``).
- **Brier score**: mean of (predicted − outcome)², outcome 1 for right and 0 for wrong. After
  a mock interview each question gives one pair (its section's readiness predicted before
  the interview, whether it was answered right). 0 is perfect; always saying 0.5 scores 0.25.
- **Calibration table**: the (predicted, outcome) pairs in equal-width bins of the
  prediction, each bin's mean prediction beside its observed pass rate.
- **RMSE over bins**: sqrt(Σ n_b (p̄_b − ō_b)² / Σ n_b) over that table, the weighted distance
  between the diagonal and the calibration curve. The public FSRS benchmark bins
  differently (by review history), so its figures are comparable in spirit, not digit for
  digit.
- **Log loss**: mean of −[o ln p + (1−o) ln(1−p)], with p clipped to [1e-6, 1 − 1e-6].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

NEW_CARD_RECALL = 0.35
"""Stated chance of answering a never-seen card right: roughly a guess among a few choices
or a yes/no compile question with some knowledge of Rust. Replaced by the learner's own
first-answer rate as it accumulates (``new_card_recall``)."""
NEW_CARD_PRIOR_WEIGHT = 10.0
DEFAULT_BINS = 10
LOG_LOSS_CLIP = 1e-6

Pair = tuple[float, bool | float]
"""(predicted probability, outcome): the outcome is True/1.0 for right, False/0.0 for wrong."""


def new_card_recall(
    first_answers: Iterable[bool],
    *,
    prior: float = NEW_CARD_RECALL,
    prior_weight: float = NEW_CARD_PRIOR_WEIGHT,
) -> float:
    """The learner's pass rate on first answers, shrunk towards the stated prior (a Beta
    prior worth ``prior_weight`` answers) so three lucky guesses do not read as 100%."""
    right = total = 0
    for ok in first_answers:
        total += 1
        right += bool(ok)
    return (right + prior * prior_weight) / (total + prior_weight)


def readiness(recalls: Iterable[float | None], new_recall: float = NEW_CARD_RECALL) -> float | None:
    """Mean predicted recall over a section's cards; ``None`` stands for a new card.

    None for a section without cards (there is nothing to be ready for).
    """
    total = 0.0
    count = 0
    for r in recalls:
        total += new_recall if r is None else r
        count += 1
    return total / count if count else None


def readiness_by_section(
    recalls: Mapping[str, Iterable[float | None]], new_recall: float = NEW_CARD_RECALL
) -> dict[str, float]:
    """Readiness of every section that has cards."""
    out: dict[str, float] = {}
    for section, values in recalls.items():
        r = readiness(values, new_recall)
        if r is not None:
            out[section] = r
    return out


def _checked(pairs: Iterable[Pair]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p, o in pairs:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"a prediction is a probability, not {p!r}")
        outcome = float(o)
        if not 0.0 <= outcome <= 1.0:
            raise ValueError(f"an outcome is 0 or 1 (or a rate between), not {o!r}")
        out.append((float(p), outcome))
    return out


def brier_score(pairs: Iterable[Pair]) -> float | None:
    """Mean squared distance between prediction and outcome; None without pairs."""
    checked = _checked(pairs)
    if not checked:
        return None
    return sum((p - o) ** 2 for p, o in checked) / len(checked)


def log_loss(pairs: Iterable[Pair]) -> float | None:
    """Mean negative log-likelihood of the outcomes; None without pairs."""
    checked = _checked(pairs)
    if not checked:
        return None
    total = 0.0
    for p, o in checked:
        q = min(max(p, LOG_LOSS_CLIP), 1 - LOG_LOSS_CLIP)
        total -= o * math.log(q) + (1 - o) * math.log(1 - q)
    return total / len(checked)


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed: float
    """The fraction answered right (the mean outcome) in this bin."""


def calibration_table(pairs: Iterable[Pair], bins: int = DEFAULT_BINS) -> list[CalibrationBin]:
    """Equal-width bins of the prediction over [0, 1]; empty bins are left out.

    A prediction of exactly 1.0 falls in the last bin.
    """
    if bins < 1:
        raise ValueError("at least one bin")
    sums = [[0, 0.0, 0.0] for _ in range(bins)]
    for p, o in _checked(pairs):
        b = min(int(p * bins), bins - 1)
        sums[b][0] += 1
        sums[b][1] += p
        sums[b][2] += o
    return [
        CalibrationBin(b / bins, (b + 1) / bins, int(n), p / n, o / n)
        for b, (n, p, o) in enumerate(sums)
        if n
    ]


def rmse_over_bins(table: Sequence[CalibrationBin]) -> float | None:
    """Count-weighted root mean square gap between prediction and outcome over the bins."""
    n = sum(b.count for b in table)
    if not n:
        return None
    return math.sqrt(sum(b.count * (b.mean_predicted - b.observed) ** 2 for b in table) / n)


@dataclass(frozen=True)
class InterviewCalibration:
    """One mock interview: what readiness predicted before it, and what happened."""

    day: date
    predicted: float
    """Mean over its questions of their section's readiness before the interview."""
    score: float
    """The fraction of its questions answered right."""
    brier: float
    """This interview's Brier score over its questions."""
    running_brier: float
    """Brier score over every question of this and all earlier interviews."""


def interview_calibration(
    interviews: Iterable[tuple[date, Sequence[Pair]]],
) -> list[InterviewCalibration]:
    """The statistics' "readiness against results" series, one point per mock interview.

    Each interview is its day and one (readiness of the question's section before the
    interview, answered right) pair per question; interviews without questions are skipped.
    """
    out: list[InterviewCalibration] = []
    total = 0.0
    count = 0
    for day, pairs in sorted(interviews, key=lambda item: item[0]):
        checked = _checked(pairs)
        if not checked:
            continue
        squares = sum((p - o) ** 2 for p, o in checked)
        total += squares
        count += len(checked)
        out.append(
            InterviewCalibration(
                day=day,
                predicted=sum(p for p, _ in checked) / len(checked),
                score=sum(o for _, o in checked) / len(checked),
                brier=squares / len(checked),
                running_brier=total / count,
            )
        )
    return out
