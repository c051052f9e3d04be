"""The study loop on a real collection: answers, schedule, limits, day rollover, undo, re-import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.core.model import Kind
from quizapp.core.settings import Settings
from quizapp.services import study
from quizapp.services.collection import Collection, open_collection
from quizapp.services.decks import sync_shipped_decks
from quizapp.services.settings import save_settings
from quizapp.storage.tables import CardState
from tests.conftest import FakeClock
from tests.helpers.study import WRONG, answer_current, in_file_order, logs, undo_answer


def test_overview_counts_new_cards(col: Collection) -> None:
    [deck] = study.deck_overview(col)
    assert (deck.name, deck.cards, deck.counts.new, deck.counts.due) == ("Sample", 5, 5, 0)


def test_a_session_answers_every_kind_and_logs_each(col: Collection) -> None:
    in_file_order(col)
    s = study.start_sitting(col)
    kinds = []
    while not s.finished:
        kinds.append(study.current_card(col, s).card.kind)  # type: ignore[union-attr]
        result = answer_current(col, s)
        assert result.verdict.correct in (True, None)
        assert result.due == date(2026, 11, 25)
    assert kinds == [k for k in Kind if k is not Kind.FIX]  # the sample has no fix card
    rows = logs(col)
    assert len(rows) == 5
    assert all(r.kind == "new" and r.quality == 4 and r.interval_after == 1 for r in rows)
    assert rows[0].easiness_before == 250 and rows[0].seconds == 2.5
    summary = study.summarize(col, s)
    assert summary.answered == 5 and summary.correct_percent == 100.0
    assert summary.next_due == date(2026, 11, 25) and summary.seconds == pytest.approx(12.5)


def test_grade_outside_the_band_is_refused(col: Collection) -> None:
    s = study.start_sitting(col)
    view = study.current_card(col, s)
    assert view is not None
    with pytest.raises(ValueError, match="band"):
        study.answer_card(col, s, view, WRONG[view.card.kind], 4, seconds=1)
    assert logs(col) == []


def test_failed_card_is_drilled_without_changing_the_schedule(col: Collection) -> None:
    s = study.start_sitting(col)
    first = study.current_card(col, s)
    assert first is not None
    answer_current(col, s, right=False)
    for _ in range(3):
        answer_current(col, s)
    again = study.current_card(col, s)
    assert again is not None and again.card.id == first.card.id and again.is_drill
    drill = answer_current(col, s, q=5)
    assert (
        drill.was_drill and drill.state_after.interval == 1 and drill.state_after.repetitions == 0
    )
    rows = logs(col)
    assert [r.kind for r in rows] == ["new", "new", "new", "new", "drill"]
    assert rows[-1].interval_before == rows[-1].interval_after == 1


def test_next_day_brings_exactly_the_scheduled_cards(col: Collection, clock: FakeClock) -> None:
    s = study.start_sitting(col)
    while not s.finished:
        answer_current(col, s)
    assert study.deck_overview(col)[0].counts.total == 0
    clock.set_local(2026, 11, 25, 3, 59)  # before 04:00 it is still the 24th
    assert study.deck_overview(col)[0].counts.total == 0
    clock.set_local(2026, 11, 25, 4, 0)
    assert study.deck_overview(col)[0].counts.due == 5
    s = study.start_sitting(col)
    while not s.finished:
        result = answer_current(col, s)
        assert result.state_after.interval == 6
        assert result.due == date(2026, 12, 1)
    clock.set_local(2026, 11, 30, 12)
    assert study.deck_overview(col)[0].counts.due == 0
    clock.set_local(2026, 12, 1, 12)
    assert study.deck_overview(col)[0].counts.due == 5


def test_day_start_hour_is_a_setting(col: Collection, clock: FakeClock) -> None:
    s = study.start_sitting(col)
    while not s.finished:
        answer_current(col, s)
    save_settings(col, Settings(day_start_hour=0))
    clock.set_local(2026, 11, 25, 0, 30)
    assert study.deck_overview(col)[0].counts.due == 5


def test_new_card_limit_holds_for_the_day(col: Collection, clock: FakeClock) -> None:
    save_settings(col, Settings(new_per_day=2))
    assert study.deck_overview(col)[0].counts.new == 2
    s = study.start_sitting(col)
    assert s.total == 2
    answer_current(col, s)
    answer_current(col, s)
    assert s.finished
    assert study.deck_overview(col)[0].counts.new == 0
    assert study.start_sitting(col).total == 0  # a new session the same day adds no new cards
    clock.set_local(2026, 11, 25, 12)
    assert study.deck_overview(col)[0].counts.new == 2


def test_review_limit(col: Collection, clock: FakeClock) -> None:
    s = study.start_sitting(col)
    while not s.finished:
        answer_current(col, s)
    save_settings(col, Settings(reviews_per_day=3))
    clock.set_local(2026, 11, 25, 12)
    assert study.deck_overview(col)[0].counts.due == 3
    s = study.start_sitting(col)
    answer_current(col, s)
    assert study.deck_overview(col)[0].counts.due == 2


def test_undo_restores_state_log_and_queue(col: Collection) -> None:
    s = study.start_sitting(col)
    first = study.current_card(col, s)
    assert first is not None
    answer_current(col, s)
    assert undo_answer(col, s) == first.card.id
    assert logs(col) == []
    assert s.answered == 0 and s.queue.current() == first.card.id
    with col.db.session() as session:
        states = list(session.exec(select(CardState)))
    assert all(st.due_day is None and st.reviews == 0 and st.drill_day is None for st in states)
    assert study.deck_overview(col)[0].counts.new == 5
    assert undo_answer(col, s) is None


def test_undo_of_a_drill_answer(col: Collection) -> None:
    in_file_order(col)
    s = study.start_sitting(col)
    answer_current(col, s, right=False)
    while not study.current_card(col, s).is_drill:  # type: ignore[union-attr]
        answer_current(col, s)
    answer_current(col, s, q=5)
    undo_answer(col, s)
    view = study.current_card(col, s)
    assert view is not None and view.is_drill
    with col.db.session() as session:
        assert session.get(CardState, 1).drill_day is not None  # type: ignore[union-attr]


def test_reimport_of_an_updated_deck_keeps_progress(
    col: Collection, sample_decks: Path, clock: FakeClock
) -> None:
    s = study.start_sitting(col)
    while not s.finished:
        answer_current(col, s)
    path = sample_decks / "sample.toml"
    text = path.read_text()
    text = text.replace("Does this compile?", "Does this snippet compile?")
    # drop the flashcard (the last card) and add a new short card
    text = text[: text.rindex("[[cards]]")] + (
        '[[cards]]\nid = "a0000000-0000-4000-8000-000000000009"\nkind = "short"\n'
        'prompt = "Trait for types that can be sent to another thread?"\nanswer = ["Send"]\n'
    )
    path.write_text(text)
    report = sync_shipped_decks(col, sample_decks)
    assert report.errors == []
    [change] = report.changes
    assert (change.added, change.updated, change.retired) == (1, 1, 1)
    assert len(logs(col)) == 5  # history intact, including the retired card's
    clock.set_local(2026, 11, 25, 12)
    [deck] = study.deck_overview(col)
    assert (deck.cards, deck.counts.due, deck.counts.new) == (5, 4, 1)
    s = study.start_sitting(col)
    view = study.current_card(col, s)
    assert view is not None and view.card.prompt.startswith("Does this snippet compile?")
    assert view.state.repetitions == 1


def test_unchanged_shipped_decks_are_not_reimported(col: Collection, sample_decks: Path) -> None:
    assert sync_shipped_decks(col, sample_decks).changes == []


def test_broken_deck_is_skipped_and_others_load(
    tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    (sample_decks / "broken.toml").write_text('format = 1\n[deck]\nid = "x"\nname = "Broken"\n')
    col = open_collection(tmp_path / "other", clock=clock)
    try:
        report = sync_shipped_decks(col, sample_decks)
        assert len(report.changes) == 1
        assert len(report.errors) == 1 and "broken.toml:3: deck.id" in report.errors[0]
        assert [d.name for d in study.deck_overview(col)] == ["Sample"]
    finally:
        col.close()


def test_settings_are_stored_and_bad_values_fall_back(tmp_path: Path, clock: FakeClock) -> None:
    col = open_collection(tmp_path / "d", clock=clock)
    save_settings(col, Settings(new_per_day=7, theme="dark"))
    with pytest.raises(ValueError):
        save_settings(col, Settings(day_start_hour=30))
    from quizapp.storage import repo

    with col.db.session() as session:
        repo.put_setting(
            "settings", {"new_per_day": -3, "theme": "neon", "reviews_per_day": 50}, session=session
        )
        session.commit()
    col.close()
    again = open_collection(tmp_path / "d", clock=clock)
    try:
        assert again.settings == Settings(new_per_day=20, theme="system", reviews_per_day=50)
        assert len(again.warnings) == 2 and "new_per_day" in again.warnings[0]
    finally:
        again.close()


def test_a_card_deleted_while_a_sitting_runs_is_skipped(col: Collection) -> None:
    """The browser or a deck delete may remove the card a sitting would show next."""
    from quizapp.services import cards

    s = study.start_sitting(col)
    first = study.current_card(col, s)
    assert first is not None
    total = s.total
    cards.delete_cards(col, [first.card.id])
    following = study.current_card(col, s)
    assert following is not None and following.card.id != first.card.id
    assert s.total == total - 1 and first.card.id not in s.queue.pending
