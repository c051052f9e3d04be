"""Question sets and mock interviews on devices sharing a sync folder (tests/helpers/
sync_devices.py): questions the app grades, an interview run through the real service, and
what a learner sees of them, without machine-local row ids."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text

from quizapp.core.grading import ShortAnswer
from quizapp.core.interview import InterviewConfig
from quizapp.core.model import Kind
from quizapp.services import cards, interview, memory
from tests.helpers.sync_devices import Device, carry


def add_questions(device: Device, count: int) -> list[str]:
    deck = cards.create_deck(device.col, "Borrowing").decks[0]
    uuids = []
    for i in range(count):
        data = cards.new_card_data(Kind.SHORT)
        data.update(prompt=f"Which error is a move {i}?", answer=[f"E{i:04d}"])
        cards.add_card(device.col, deck, data)
        uuids.append(data["id"])
    return uuids


def run_interview(device: Device, uuids: list[str], *, right: int) -> str:
    """Answers the first `right` questions right, the next wrong, lets the rest time out."""
    run = interview.start_interview(
        device.col, InterviewConfig(count=len(uuids)), drawn=uuids, readiness={"Borrowing": 0.7}
    )
    for n in range(len(run.questions)):
        interview.begin_question(device.col, run)
        question = run.current
        assert question is not None
        number = int(question.card.prompt.split()[-1].rstrip("?"))
        if n < right:
            interview.answer_question(device.col, run, ShortAnswer(f"E{number:04d}"))
        elif n == right:
            interview.answer_question(device.col, run, ShortAnswer("no idea"))
        else:
            break
    interview.finish_interview(device.col, run)
    return run.uuid


def exchange(*devices: Device) -> None:
    """Everyone syncs, every file goes everywhere, everyone syncs again."""
    for d in devices:
        d.sync()
    for d in devices:
        for other in devices:
            if other is not d:
                carry(d, other)
    for d in devices:
        d.sync()


def history_of(device: Device) -> dict[str, Any]:
    """What a learner sees of their interviews and sets, without machine-local row ids."""
    entries = interview.list_history(device.col)
    reports = {}
    for e in entries:
        r = interview.load_report(device.col, e.uuid)
        reports[e.uuid] = (
            r.overall,
            [(q.card.id, q.correct, q.timed_out, q.seconds, q.answer) for q in r.questions],
        )
    calibration = [
        (round(i.brier, 6), round(i.running_brier, 6))
        for i in memory.memory_report(device.col).interviews
    ]
    sets = {
        s.name: (s.description, interview.question_set_cards(device.col, s.name))
        for s in interview.list_question_sets(device.col)
    }
    return {
        "history": [(e.uuid, e.title, e.score, e.fed) for e in entries],
        "reports": reports,
        "calibration": calibration,
        "sets": sets,
    }


def later(device: Device, than: Device) -> None:
    """Set `device`'s wall clock a minute past `than`'s: what it does next is later."""
    device.clock.now = max(device.clock.now, than.clock.now + timedelta(minutes=1))


def fed_log(device: Device) -> list[tuple[str, str, str, int]]:
    """(feed, card, time, quality) of each answer a fed mock interview gave, in the log;
    checks on the way that each interview counts only its current feed's answers."""
    with device.col.db.session() as session:
        rows = session.execute(
            text(
                "SELECT r.feed, c.uuid, r.reviewed_at, r.quality, i.fed_at FROM review_log r"
                " JOIN card c ON c.id = r.card_id"
                " LEFT JOIN interview i ON i.uuid = substr(r.feed, 1, 36)"
                " WHERE r.feed IS NOT NULL"
            )
        ).all()
    for feed, _card, _at, _q, fed_at in rows:
        assert fed_at is not None and feed == f"{feed[:36]}@{fed_at}", (device.name, feed)
    return sorted((str(f), str(c), str(t), int(q)) for f, c, t, q, _ in rows)


def parked_answers(device: Device) -> int:
    with device.col.db.session() as session:
        return int(session.execute(text("SELECT count(*) FROM sync_parked_review")).scalar_one())
