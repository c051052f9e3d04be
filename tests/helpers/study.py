"""Answering cards headlessly, the way a learner would, and reading what was logged."""

from __future__ import annotations

import hashlib
import sqlite3

from sqlmodel import select

from quizapp.core.grading import ChoiceAnswer, CompilesAnswer, OutputAnswer, SelfGraded, ShortAnswer
from quizapp.core.model import Kind
from quizapp.services import answering, study, undo
from quizapp.services.collection import Collection
from quizapp.storage.tables import ReviewLog

RIGHT = {
    Kind.COMPILES: CompilesAnswer(False, "E0382"),
    Kind.OUTPUT: OutputAnswer("0\n1\n2"),
    Kind.CHOICE: ChoiceAnswer(frozenset({1})),
    Kind.SHORT: ShortAnswer("E0382"),
    Kind.FLASHCARD: SelfGraded(),
}


WRONG = {
    Kind.COMPILES: CompilesAnswer(True),
    Kind.OUTPUT: OutputAnswer("0\n1\n2\n3"),
    Kind.CHOICE: ChoiceAnswer(frozenset({0})),
    Kind.SHORT: ShortAnswer("E0499"),
    Kind.FLASHCARD: SelfGraded(),
}


def answer_current(
    col: Collection, s: study.Sitting, *, right: bool = True, q: int | None = None
) -> answering.Answered:
    view = study.current_card(col, s)
    assert view is not None
    answer = (RIGHT if right else WRONG)[view.card.kind]
    quality = q if q is not None else (4 if right else 1)
    return study.answer_card(col, s, view, answer, quality, seconds=2.5)


def logs(col: Collection) -> list[ReviewLog]:
    with col.db.session() as session:
        return list(session.exec(select(ReviewLog).order_by(ReviewLog.id)))


def study_everything(col: Collection) -> None:
    s = study.start_sitting(col)
    while not s.finished:
        answer_current(col, s)


def db_hash(col: Collection) -> str:
    """Every row of every table, so "nothing changed" can be asserted exactly."""
    conn = sqlite3.connect(col.db.path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def undo_answer(col: Collection, sitting: study.Sitting) -> str | None:
    """Edit → Undo as the study page does it: the one undo, then the sitting takes back
    its answer from the published `Changes`; the card to show again, or None."""
    undone = undo.undo_last(col)
    if undone is None:
        return None
    return sitting.take_back(undone.changes)


def in_file_order(col: Collection) -> None:
    """Every deck's new cards in file order, for a test that names the card studied first
    (the default mixes kinds, seeded by the day)."""
    from dataclasses import replace

    from quizapp.services import deck_options

    for summary in study.deck_overview(col):
        options = deck_options.deck_options(col, summary.uuid)
        deck_options.set_deck_options(col, summary.uuid, replace(options, new_order="file"))
