"""What the learner's memory looks like today, under each deck's scheduler: the predicted
recall of every card, readiness per section, and how well those predictions have held.

Predicted recall is the deck scheduler's own (`core.scheduler`): FSRS's forgetting curve,
or SM-2's interval converted by the stated curve (docs/scheduling.md). A card never
reviewed has no prediction; readiness counts it at the learner's own rate for first
answers, shrunk towards a stated prior (`core.readiness.new_card_recall`).

Calibration is what earns the numbers trust, or visibly does not: every scheduled answer
stored the recall predicted just before it, so predictions can be set against outcomes
(bins, RMSE, log loss), and each mock interview stored the readiness it was asked under,
so readiness can be set against interview scores (Brier score over time).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from quizapp.core import readiness as core
from quizapp.core.review import Schedule
from quizapp.services import answering
from quizapp.services.collection import Collection
from quizapp.storage import stats_repo
from quizapp.storage.tables import Interview


@dataclass(frozen=True)
class CardRecall:
    card_uuid: str
    deck_uuid: str
    section: str
    recall: float | None
    """Predicted recall today; None for a card never reviewed."""


@dataclass(frozen=True)
class MemoryReport:
    readiness: dict[str, float]
    """Section -> the predicted chance of answering one of its questions right today."""
    new_card_recall: float
    calibration: list[core.CalibrationBin]
    rmse: float | None
    log_loss: float | None
    predictions: int
    interviews: list[core.InterviewCalibration]

    def to_json(self) -> dict[str, object]:
        return {
            "readiness": {k: round(v, 4) for k, v in self.readiness.items()},
            "new_card_recall": round(self.new_card_recall, 4),
            "recall_calibration": {
                "predictions": self.predictions,
                "rmse_over_bins": self.rmse,
                "log_loss": self.log_loss,
                "bins": [
                    {
                        "from": b.lower,
                        "to": b.upper,
                        "count": b.count,
                        "predicted": round(b.mean_predicted, 4),
                        "observed": round(b.observed, 4),
                    }
                    for b in self.calibration
                ],
            },
            "interview_calibration": [
                {
                    "day": i.day.isoformat(),
                    "predicted": round(i.predicted, 4),
                    "score": round(i.score, 4),
                    "brier": round(i.brier, 4),
                    "running_brier": round(i.running_brier, 4),
                }
                for i in self.interviews
            ],
        }


def card_recalls(col: Collection) -> list[CardRecall]:
    """Every studyable card's predicted recall today, each under its deck's scheduler."""
    today = col.today()
    with col.db.session() as session:
        rows = stats_repo.list_card_memories(session=session)
    out = []
    for uuid, deck_uuid, section, options, *state in rows:
        schedule = Schedule(*state)
        scheduler = answering.deck_scheduler(col, options)
        out.append(CardRecall(uuid, deck_uuid, section, schedule.recall(scheduler, today)))
    return out


def recalls_of(col: Collection, card_uuids: Sequence[str]) -> dict[str, float | None]:
    """Predicted recall today of these cards (suspended ones too), by UUID; None for a card
    never reviewed. What the browser asks for the rows it draws, not for every card."""
    today = col.today()
    with col.db.session() as session:
        rows = stats_repo.list_memories_of(card_uuids, session=session)
    out: dict[str, float | None] = {}
    known: dict[tuple[object, ...], float | None] = {}
    for uuid, options, *state in rows:
        # Many cards share a memory: recall it once (r<0.8 over 100,000 cards). The drill
        # day and the lapse and review counters are bookkeeping, not memory: left out.
        repetitions, easiness, interval, due, _drill, _lapses, _reviews, *fsrs = state
        key = (options, repetitions, easiness, interval, due, *fsrs)
        if key not in known:
            scheduler = answering.deck_scheduler(col, options)
            known[key] = Schedule(*state).recall(scheduler, today)
        out[uuid] = known[key]
    return out


def new_card_recall(col: Collection) -> float:
    with col.db.session() as session:
        first = stats_repo.list_first_answers(session=session)
    return core.new_card_recall(q >= 3 for q in first)


def section_readiness(col: Collection) -> dict[str, float]:
    """Readiness per section today: the mean predicted recall of its cards."""
    by_section: dict[str, list[float | None]] = {}
    for card in card_recalls(col):
        by_section.setdefault(card.section, []).append(card.recall)
    return core.readiness_by_section(by_section, new_card_recall(col))


def memory_report(col: Collection) -> MemoryReport:
    with col.db.session() as session:
        predictions = stats_repo.list_predictions(session=session)
        interviews = stats_repo.list_interviews(session=session)
        asked = {
            i.uuid: [
                a.correct
                for a, _card, _deck in stats_repo.list_interview_answers(i.id, session=session)
            ]
            for i in interviews
            if i.id is not None
        }
    pairs = [(p, q >= 3) for p, q in predictions]
    table = core.calibration_table(pairs)
    series = []
    for interview in interviews:
        found = interview_predictions(interview, asked.get(interview.uuid, []))
        if found is not None:
            series.append(found)
    return MemoryReport(
        readiness=section_readiness(col),
        new_card_recall=new_card_recall(col),
        calibration=table,
        rmse=core.rmse_over_bins(table),
        log_loss=core.log_loss(pairs),
        predictions=len(pairs),
        interviews=core.interview_calibration(series),
    )


PREDICTED_KEY = "predicted_readiness"
"""In an interview's stored config: per question, its section's readiness at the start."""


def interview_predictions(
    interview: Interview, answers: list[bool | None]
) -> tuple[date, list[tuple[float, bool]]] | None:
    """(day, [(readiness before, answered right)]) of a finished interview that stored its
    predictions; None for one from before they were stored."""
    try:
        config = json.loads(interview.config)
    except ValueError:
        return None
    predicted = config.get(PREDICTED_KEY) if isinstance(config, dict) else None
    if not isinstance(predicted, list) or len(predicted) != len(answers):
        return None
    pairs = [
        (float(p), bool(right))
        for p, right in zip(predicted, answers, strict=True)
        if isinstance(p, int | float) and 0.0 <= p <= 1.0
    ]
    return interview.started_at.date(), pairs
