"""Drill answers in a real collection under FSRS: each one is a same-day review that moves
the card's memory, the stored state is what the log replays to (on a switch and after a
merge), undo puts the state back exactly, and SM-2 decks keep ignoring them."""

from __future__ import annotations

from quizapp.core import log_replay
from quizapp.core.deck_options import DeckOptions
from quizapp.core.scheduler import FsrsScheduler, Sm2Scheduler
from quizapp.services import study, undo
from quizapp.services.collection import Collection
from quizapp.services.deck_options import set_deck_options
from tests.conftest import FakeClock
from tests.helpers.decks import SAMPLE_ID
from tests.helpers.study import answer_current, logs
from tests.helpers.undo_checks import dump
from tests.services.test_deck_options import scheduled_log, states, study_for_a_while


def test_fsrs_states_built_by_answering_are_what_the_log_replays_to(
    col: Collection, clock: FakeClock
) -> None:
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="fsrs"))
    study_for_a_while(col, clock)
    drilled = {r.card_id for r in logs(col) if r.kind == "drill"}
    assert drilled, "the study above fails a card a day, so some were drilled"
    fsrs = FsrsScheduler()
    moved_by_drills = 0
    for uuid, state in states(col).items():
        log = scheduled_log(col, state.card_id)
        direct = fsrs.state_from_log(log)
        assert (state.stability, state.difficulty, state.interval) == (
            direct.stability,
            direct.difficulty,
            direct.interval,
        ), uuid
        rows = [
            (r.reviewed_at.isoformat(" "), r.study_day, r.kind, r.quality, r.correct)
            for r in logs(col)
            if r.card_id == state.card_id
        ]
        replayed = log_replay.replay(rows, reset_at=None, scheduler=fsrs, max_interval=36500)
        assert (replayed.stability, replayed.difficulty, replayed.due_day) == (
            state.stability,
            state.difficulty,
            state.due_day,
        ), uuid
        if state.card_id in drilled:
            without = fsrs.state_from_log(r for r in log if r.kind != "drill")
            moved_by_drills += without.stability != state.stability
    assert moved_by_drills == len(drilled)  # skipping the drills would give other states


def test_a_drill_answer_under_fsrs_moves_the_memory_and_undoes_exactly(
    col: Collection, clock: FakeClock
) -> None:
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="fsrs"))
    study_for_a_while(col, clock)
    clock.advance(days=30)
    s = study.start_sitting(col)
    failed = answer_current(col, s, right=False)
    assert failed.kind in ("new", "review") and failed.schedule.drilling(col.today())
    while True:
        view = study.current_card(col, s)
        assert view is not None
        if view.is_drill:
            break
        answer_current(col, s)
    assert view.card.id == failed.card_uuid
    before = dump(col)
    drilled = answer_current(col, s)
    assert drilled.kind == "drill"
    assert drilled.schedule.stability != failed.schedule.stability
    assert drilled.schedule.reviews == failed.schedule.reviews
    assert logs(col)[-1].kind == "drill" and logs(col)[-1].predicted_recall is None
    undo.undo_last(col)
    assert dump(col) == before


def test_an_sm2_deck_still_ignores_drill_answers_and_a_switch_back_restores_it(
    col: Collection, clock: FakeClock
) -> None:
    study_for_a_while(col, clock)
    assert any(r.kind == "drill" for r in logs(col))
    sm2_states = {
        u: (s.repetitions, s.easiness_hundredths, s.interval, s.due_day)
        for u, s in states(col).items()
    }
    sm2 = Sm2Scheduler()
    for state in states(col).values():
        log = scheduled_log(col, state.card_id)
        assert sm2.state_from_log(log) == sm2.state_from_log(r for r in log if r.kind != "drill")
        assert sm2.state_from_log(log).interval == state.interval
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="fsrs"))
    fsrs = FsrsScheduler()
    for state in states(col).values():
        assert state.stability == fsrs.state_from_log(scheduled_log(col, state.card_id)).stability
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="sm2"))
    assert {
        u: (s.repetitions, s.easiness_hundredths, s.interval, s.due_day)
        for u, s in states(col).items()
    } == sm2_states
