"""Mock interviews: plan, answer under a clock, report, history, and question sets.

An interview never touches SM-2 while it runs: its answers go to `interview_answer`, not
to the review log or `card_state`. Only `feed_results`, which the learner chooses at the
end, records the answers as ordinary reviews, all in one operation (one undo step that
also clears the interview's "fed" mark).

Every time is read from the collection's clock (`Collection.now`), so the window's
countdown and the recorded seconds agree, and tests drive time-outs with a fake clock.
Each answer is committed as it is given: a crash mid-interview loses nothing answered.
"""

from __future__ import annotations

import random
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.core import interview as core
from quizapp.core.changes import Changes
from quizapp.core.deckfile import DeckFileError, parse_deck_bytes
from quizapp.core.grading import Answer, answer_from_json, answer_to_json, default_quality, grade
from quizapp.core.ids import CardUuid
from quizapp.core.model import Card, Deck, Kind
from quizapp.core.stats import failures_by_card, section_weakness
from quizapp.core.sync_events import feed_tag
from quizapp.services import answering, memory, ops
from quizapp.services.collection import Collection
from quizapp.services.decks import import_deck
from quizapp.storage import feed_rows, repo, stats_repo
from quizapp.storage.tables import Interview

__all__ = [
    "InterviewRun",
    "NoQuestions",
    "QuestionSetError",
    "ReportNotSaved",
]


_INTERVIEW_KIND_NAMES = tuple(kind.value for kind in core.INTERVIEW_KINDS)
"""Only these are read for an interview: flashcards never are (draw_questions skips them)."""


class NoQuestions(Exception):
    """Nothing to ask: the chosen sections hold no card the app can grade."""


class QuestionSetError(Exception):
    """A question set that cannot be saved, found or read; the message says why."""


class ReportNotSaved(Exception):
    """A report file that cannot be written; the message names it and the reason."""


@dataclass(frozen=True)
class Question:
    position: int
    card: Card
    section: str
    deck_name: str


@dataclass
class InterviewRun:
    """An interview in progress. The service functions below move it along."""

    uuid: str
    interview_id: int
    config: core.InterviewConfig
    started_at: datetime
    questions: list[Question]
    index: int = 0
    question_started_at: datetime | None = None
    results: list[core.AskedQuestion] = field(default_factory=list)

    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def session_deadline(self) -> datetime | None:
        limit = self.config.seconds_per_session
        return None if limit is None else self.started_at + timedelta(seconds=limit)

    def remaining(self, now: datetime) -> float | None:
        """Seconds left for the current question, the tighter of both limits; None: no limit."""
        left: list[float] = []
        if self.config.seconds_per_question and self.question_started_at is not None:
            used = (now - self.question_started_at).total_seconds()
            left.append(self.config.seconds_per_question - used)
        deadline = self.session_deadline
        if deadline is not None:
            left.append((deadline - now).total_seconds())
        return max(0.0, min(left)) if left else None

    def session_remaining(self, now: datetime) -> float | None:
        deadline = self.session_deadline
        return None if deadline is None else max(0.0, (deadline - now).total_seconds())


@dataclass(frozen=True)
class HistoryEntry:
    uuid: str
    title: str
    started_at: datetime
    score: core.Score
    fed: bool


@dataclass(frozen=True)
class FeedResult:
    fed: int
    skipped_timeouts: int


def list_sections(col: Collection) -> list[str]:
    with col.db.session() as session:
        return list(dict.fromkeys(d.section or d.name for d in repo.list_decks(session=session)))


def draw_interview(
    col: Collection, config: core.InterviewConfig, rng: random.Random | None = None
) -> list[str]:
    """The questions a mock interview will ask (weighted, see core.interview).

    Only reads: it reads every question card and every card's failures (~0.65 s at 100,000
    cards), so the window draws on a worker and starts with `start_interview(drawn=...)`.
    """
    rng = rng or random.Random()
    with col.db.session() as session:
        cards = stats_repo.list_question_cards(
            _INTERVIEW_KIND_NAMES, session=session, prompts=False
        )
        totals = stats_repo.scheduled_totals(session=session)
    wanted = set(config.sections)
    failures = failures_by_card(totals)
    candidates = [
        core.Candidate(c.uuid, c.section, Kind(c.kind), failures.get(c.uuid, 0))
        for c in cards
        if not c.suspended and (not wanted or c.section in wanted)
    ]
    chosen = core.draw_questions(candidates, config.count, rng, section_weakness(totals))
    if not chosen:
        raise NoQuestions("No question to ask: the chosen sections hold no card the app can grade.")
    return chosen


def start_interview(
    col: Collection,
    config: core.InterviewConfig,
    rng: random.Random | None = None,
    *,
    readiness: Mapping[str, float] | None = None,
    drawn: list[str] | None = None,
) -> InterviewRun:
    """Record the interview's start over `drawn` questions (drawn here when None).

    ``readiness`` is each section's readiness as the setup computed it off the GUI thread
    (``memory.section_readiness``, ~0.7 s at 100,000 cards); None computes it here.
    """
    chosen = drawn if drawn is not None else draw_interview(col, config, rng)
    return _begin(col, config, chosen, title="Mock interview", readiness=readiness)


def start_question_set(
    col: Collection,
    name: str,
    config: core.InterviewConfig | None = None,
    *,
    readiness: Mapping[str, float] | None = None,
) -> InterviewRun:
    """Rerun a saved set: its questions in its order, with the given time limits."""
    with col.db.session() as session:
        row = stats_repo.get_question_set(name, session=session)
        if row is None or row.id is None:
            raise QuestionSetError(f"There is no question set named {name!r}.")
        uuids = stats_repo.list_question_set_cards(row.id, session=session)
    base = config or core.InterviewConfig()
    run_config = core.InterviewConfig(
        count=max(1, len(uuids)),
        seconds_per_question=base.seconds_per_question,
        seconds_per_session=base.seconds_per_session,
        set_name=name,
    )
    if not uuids:
        raise NoQuestions(f"The question set {name!r} is empty.")
    return _begin(col, run_config, uuids, title=name, readiness=readiness)


def _begin(
    col: Collection,
    config: core.InterviewConfig,
    uuids: list[str],
    *,
    title: str,
    readiness: Mapping[str, float] | None,
) -> InterviewRun:
    now = col.now()
    ready = memory.section_readiness(col) if readiness is None else readiness

    def write(op: ops.Op) -> tuple[Interview, list[Question]]:
        session = op.session
        found = stats_repo.get_cards_with_section(uuids, session=session)
        present = [u for u in uuids if u in found]
        row = Interview(
            uuid=str(uuidlib.uuid4()),
            title=title,
            config=_dump(
                {
                    **config.to_dict(),
                    # What readiness said before the first question, for its calibration.
                    memory.PREDICTED_KEY: [round(ready.get(found[u][2], 0.0), 4) for u in present],
                }
            ),
            started_at=now.astimezone(UTC),
        )
        card_ids = [found[u][0].id for u in present]
        stats_repo.add_interview(row, [i for i in card_ids if i is not None], session=session)
        op.changed(Changes(history=True, interviews=(row.uuid,)))
        questions = [
            Question(position, found[u][1], found[u][2], found[u][3])
            for position, u in enumerate(present, start=1)
        ]
        return row, questions

    row, questions = ops.run(col, f"Start {title}", write)
    assert row.id is not None
    return InterviewRun(
        uuid=row.uuid,
        interview_id=row.id,
        config=config,
        started_at=now,
        questions=questions,
        question_started_at=now,
    )


def begin_question(col: Collection, run: InterviewRun) -> Question | None:
    """Start the clock on the current question (the window calls this as it shows it)."""
    run.question_started_at = col.now()
    return run.current


def answer_question(col: Collection, run: InterviewRun, answer: Answer | None) -> bool:
    """Record the current question's answer (None: its time ran out); True if it was right.

    No verdict is shown during the interview; the return value is for tests and the log.
    When the session's own time is up, the rest of the questions are recorded as missed.
    """
    question = run.current
    if question is None:
        raise ValueError("the interview is over")
    now = col.now()
    started = run.question_started_at or now
    seconds = max(0.0, (now - started).total_seconds())
    if run.config.seconds_per_question:
        seconds = min(seconds, float(run.config.seconds_per_question))
    timed_out = answer is None
    correct = False if answer is None else bool(grade(question.card, answer).correct)
    stored = "" if answer is None else answer_to_json(answer)
    _store(col, run, question, correct, timed_out, seconds, stored, now)
    run.index += 1
    run.question_started_at = now
    deadline = run.session_deadline
    if deadline is not None and now >= deadline:
        while run.current is not None:
            _store(col, run, run.current, False, True, 0.0, "", now)
            run.index += 1
    return correct


def time_up(col: Collection, run: InterviewRun) -> bool:
    """Record a time-out if the current question's time (or the session's) is over."""
    if run.current is None:
        return False
    left = run.remaining(col.now())
    if left is None or left > 0:
        return False
    answer_question(col, run, None)
    return True


def _store(
    col: Collection,
    run: InterviewRun,
    question: Question,
    correct: bool,
    timed_out: bool,
    seconds: float,
    answer: str,
    now: datetime,
) -> None:

    def write(op: ops.Op) -> None:
        row = stats_repo.get_interview_answer(
            run.interview_id, question.position, session=op.session
        )
        if row is None:
            raise LookupError(f"question {question.position} of the interview is missing")
        row.answer, row.correct, row.timed_out = answer, correct, timed_out
        row.seconds, row.answered_at = seconds, now.astimezone(UTC)
        op.session.add(row)
        op.changed(Changes(history=True, interviews=(run.uuid,)))

    ops.run(col, "Interview answer", write)
    run.results.append(
        core.AskedQuestion(
            position=question.position,
            card=question.card,
            section=question.section,
            deck_name=question.deck_name,
            correct=correct,
            timed_out=timed_out,
            seconds=seconds,
            answer=answer,
        )
    )


def finish_interview(col: Collection, run: InterviewRun) -> core.InterviewReport:
    """Close the interview (unanswered questions count as missed) and build its report."""
    now = col.now()
    while run.current is not None:
        _store(col, run, run.current, False, True, 0.0, "", now)
        run.index += 1

    def write(op: ops.Op) -> None:
        row = stats_repo.get_interview(run.uuid, session=op.session)
        assert row is not None
        row.finished_at = now.astimezone(UTC)
        op.session.add(row)
        op.changed(Changes(history=True, interviews=(run.uuid,)))

    ops.run(col, "Finish interview", write)
    return load_report(col, run.uuid)


def load_report(col: Collection, interview_uuid: str) -> core.InterviewReport:
    """The report of a past interview, rebuilt from what was stored."""
    with col.db.session() as session:
        row = stats_repo.get_interview(interview_uuid, session=session)
        if row is None or row.id is None:
            raise LookupError(f"no interview {interview_uuid}")
        answers = stats_repo.list_interview_answers(row.id, session=session)
    asked = [
        core.AskedQuestion(
            position=a.position,
            card=repo.load_card(card),
            section=deck.section or deck.name,
            deck_name=deck.name,
            correct=bool(a.correct),
            timed_out=a.timed_out,
            seconds=a.seconds,
            answer=a.answer,
        )
        for a, card, deck in answers
    ]
    config = core.InterviewConfig.from_dict(_load(row.config))
    return core.build_report(asked, config, _local(row.started_at), title=row.title)


def list_history(col: Collection) -> list[HistoryEntry]:
    """Finished interviews, newest first, with their scores."""
    with col.db.session() as session:
        rows = stats_repo.list_interviews(session=session)
        scores = {}
        for row in rows:
            assert row.id is not None
            answers = stats_repo.list_interview_answers(row.id, session=session)
            scores[row.uuid] = core.Score(
                sum(bool(a.correct) for a, _c, _d in answers), len(answers)
            )
    return [
        HistoryEntry(r.uuid, r.title, _local(r.started_at), scores[r.uuid], r.fed_at is not None)
        for r in rows
    ]


def feed_results(col: Collection, interview_uuid: str) -> FeedResult:
    """Let the interview count as reviews: each answered question goes through SM-2.

    Right answers are graded Good (q=4), wrong ones Wrong (q=1), as Enter would in a study
    session. Questions whose time ran out have no answer to grade and are left on their
    schedule. An interview feeds the schedule at most once.
    """

    def write(op: ops.Op) -> FeedResult:
        session = op.session
        row = stats_repo.get_interview(interview_uuid, session=session)
        if row is None or row.id is None:
            raise LookupError(f"no interview {interview_uuid}")
        if row.fed_at is not None:
            op.undoable = False
            return FeedResult(0, 0)
        answers = stats_repo.list_interview_answers(row.id, session=session)
        todo = [(card, a.answer) for a, card, _d in answers if not a.timed_out and a.answer]
        skipped = sum(a.timed_out for a, _c, _d in answers)
        states = {card.uuid: answering.state_of(op, CardUuid(card.uuid)) for card, _stored in todo}
        op.capture(states=[s.card_id for s in states.values()], interviews=[row.id])
        row.fed_at = col.now().astimezone(UTC)
        session.add(row)
        session.flush()
        # Which feed its answers are: fed on two machines before they sync, one counts.
        tag = feed_tag(interview_uuid, feed_rows.fed_mark(interview_uuid, session=session) or "")
        given: list[int] = []
        for card_row, stored in todo:
            card = repo.load_card(card_row)
            answer = answer_from_json(card, stored)
            if answer is None:
                continue
            graded = answering.check(card, answer)
            quality = default_quality(graded.verdict)
            recorded = answering.record(op, states[card.id], graded, quality, seconds=0.0)
            given.append(recorded.review_id)
            # A card asked twice is reviewed twice: read its state again for the next.
            states[card.id] = answering.state_of(op, CardUuid(card.id))
        feed_rows.tag_answers(given, tag, session=session)
        fed = len(given)
        op.changed(Changes(history=True, interviews=(interview_uuid,)))
        return FeedResult(fed=fed, skipped_timeouts=skipped)

    result: FeedResult = ops.run(col, "Count interview as reviews", write)
    return result


# --- question sets ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSetInfo:
    name: str
    description: str
    size: int


def save_question_set(
    col: Collection, name: str, card_uuids: list[str], description: str = ""
) -> QuestionSetInfo:
    """Save (or replace) a hand-picked set. Flashcards are left out: interviews are graded."""
    name = name.strip()
    if not name:
        raise QuestionSetError("A question set needs a name.")

    def write(op: ops.Op) -> int:
        session = op.session
        found = stats_repo.get_cards_with_section(card_uuids, session=session)
        ids = [
            found[u][0].id
            for u in dict.fromkeys(card_uuids)
            if u in found and found[u][1].kind in core.INTERVIEW_KINDS
        ]
        if not ids:
            raise QuestionSetError(
                "Pick at least one question the app can grade (not a flashcard)."
            )
        saved = stats_repo.save_question_set(
            name,
            str(uuidlib.uuid4()),
            [i for i in ids if i is not None],
            description=description,
            created_at=col.now().astimezone(UTC),
            session=session,
        )
        op.changed(Changes(history=True, question_sets=(saved.uuid,)))
        return len(ids)

    size = ops.run(col, f"Save question set {name}", write)
    return QuestionSetInfo(name, description, size)


def list_question_sets(col: Collection) -> list[QuestionSetInfo]:
    with col.db.session() as session:
        return [
            QuestionSetInfo(
                row.name,
                row.description,
                len(stats_repo.list_question_set_cards(row.id, session=session)) if row.id else 0,
            )
            for row in stats_repo.list_question_sets(session=session)
        ]


def question_set_cards(col: Collection, name: str) -> list[str]:
    with col.db.session() as session:
        row = stats_repo.get_question_set(name, session=session)
        if row is None or row.id is None:
            raise QuestionSetError(f"There is no question set named {name!r}.")
        return stats_repo.list_question_set_cards(row.id, session=session)


def delete_question_set(col: Collection, name: str) -> bool:

    def write(op: ops.Op) -> bool:
        row = stats_repo.get_question_set(name, session=op.session)
        gone = stats_repo.delete_question_set(name, session=op.session)
        op.changed(Changes(history=gone, question_sets=(row.uuid,) if row is not None else ()))
        return gone

    result: bool = ops.run(col, f"Delete question set {name}", write)
    return result


def question_set_deck(col: Collection, name: str) -> Deck:
    """The set as a deck: its own id and name, the cards' own ids (so history can match)."""
    with col.db.session() as session:
        row = stats_repo.get_question_set(name, session=session)
        if row is None or row.id is None:
            raise QuestionSetError(f"There is no question set named {name!r}.")
        uuids = stats_repo.list_question_set_cards(row.id, session=session)
        found = stats_repo.get_cards_with_section(uuids, session=session)
        return Deck(
            id=row.uuid,
            name=row.name,
            section="Question set",
            description=row.description or f"Mock-interview question set {row.name!r}.",
            cards=tuple(found[u][1] for u in uuids if u in found),
        )


def export_question_set(col: Collection, name: str, path: Path) -> Path:
    """Write the set as a deck file (core.deckwriter), to share or keep in git."""
    from quizapp.core.deckwriter import write_deck

    text = write_deck(question_set_deck(col, name))
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise QuestionSetError(f"Cannot write {path}: {exc.strerror}.") from exc
    return path


def import_question_set(col: Collection, path: Path) -> QuestionSetInfo:
    """Read a shared set: cards this collection has are used as they are (with their
    history); cards it lacks are imported as a deck named after the set."""
    try:
        deck = parse_deck_bytes(path.read_bytes(), str(path))
    except OSError as exc:
        raise QuestionSetError(f"Cannot read {path}: {exc.strerror}.") from exc
    except DeckFileError as exc:
        raise QuestionSetError(str(exc)) from exc
    with col.db.session() as session:
        known = repo.get_cards_by_uuid([c.id for c in deck.cards], session=session)
    missing = tuple(c for c in deck.cards if c.id not in known)
    if missing:
        import_deck(
            col, Deck(deck.id, deck.name, deck.section, deck.description, missing), source=str(path)
        )
    return save_question_set(col, deck.name, [c.id for c in deck.cards], deck.description)


def _dump(data: dict[str, object]) -> str:
    import json

    return json.dumps(data, sort_keys=True)


def _load(text: str) -> dict[str, object]:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _local(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; ours are stored in UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone()


@dataclass(frozen=True)
class Pickable:
    """A question an interviewer can hand-pick."""

    uuid: str
    deck_name: str
    section: str
    kind: str
    prompt: str


def pickable_questions(col: Collection) -> list[Pickable]:
    """Every card an interview can ask (not flashcards, not retired), in deck order."""
    with col.db.session() as session:
        rows = stats_repo.list_question_cards(_INTERVIEW_KIND_NAMES, session=session)
    return [Pickable(r.uuid, r.deck_name, r.section, r.kind, r.prompt) for r in rows]


def save_report(col: Collection, interview_uuid: str, path: Path) -> Path:
    """Write a report as Markdown (`.md`) or HTML (`.html`/`.htm`), chosen by the suffix."""
    report = load_report(col, interview_uuid)
    as_html = path.suffix.lower() in (".html", ".htm")
    text = core.report_html(report) if as_html else core.report_markdown(report)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportNotSaved(f"Cannot write {path}: {exc.strerror}.") from exc
    return path
