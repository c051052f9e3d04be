"""A choice card's options in a fresh order each time it is shown.

Learners remember "the answer is C" instead of the answer; shuffling on every showing stops
that. The card shown is a copy with its options, explanations and right answers permuted
alike; the learner's pick is mapped back (`to_original`) before it is graded for the
record, so the log and every statistic speak of the option, never of a position. The
shuffle is seeded from the card, the study day and the sitting's step, so a test (or a
learner retracing a sitting) gets the same order again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from quizapp.core.grading import Answer, ChoiceAnswer
from quizapp.core.model import Card, Kind


def showing_seed(card_id: str, study_day: int, step: int) -> str:
    """One showing of a card: the same card shown again later in a sitting gets a new order."""
    return f"{card_id}:{study_day}:{step}"


@dataclass(frozen=True)
class Shown:
    card: Card
    """The card as shown: options in the shown order."""
    order: tuple[int, ...]
    """order[shown position] = the option's index in the card file."""

    def to_original(self, answer: Answer) -> Answer:
        """The learner's pick, as indexes of the card file (what is graded and logged)."""
        if not isinstance(answer, ChoiceAnswer):
            return answer
        return ChoiceAnswer(
            frozenset(self.order[i] for i in answer.selected if i < len(self.order))
        )


def shuffled(card: Card, seed: str) -> Shown:
    """`card` with its options shuffled by `seed`; any other kind comes back as it is."""
    n = len(card.options)
    if card.kind is not Kind.CHOICE or n < 2:
        return Shown(card, tuple(range(n)))
    order = list(range(n))
    random.Random(seed).shuffle(order)
    back = {original: shown for shown, original in enumerate(order)}
    explanations = (
        tuple(card.explanations[i] if i < len(card.explanations) else "" for i in order)
        if card.explanations
        else ()
    )
    return Shown(
        replace(
            card,
            options=tuple(card.options[i] for i in order),
            explanations=explanations,
            answer_indexes=tuple(sorted(back[i] for i in card.answer_indexes if i in back)),
        ),
        tuple(order),
    )
