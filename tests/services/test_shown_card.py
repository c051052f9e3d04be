"""The next card read in plain SQL (`storage.shown_rows`) is the card the ORM reads.

`study.current_card` left the ORM for speed; these tests keep the ORM's reading (the
code it replaced) as the reference and compare the two over every card of a collection
that has been answered, drilled, switched to FSRS, edited, suspended, retired and deleted
from, and over whole sittings with those changes made in the middle of them.
"""

from __future__ import annotations

import copy
from dataclasses import fields
from pathlib import Path

from sqlmodel import select

from quizapp.core.deck_options import DeckOptions
from quizapp.core.model import Kind
from quizapp.services import answering, cards, study
from quizapp.services.collection import Collection, open_collection
from quizapp.services.deck_options import set_deck_options
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from quizapp.storage import repo
from quizapp.storage.tables import CardRow
from tests.conftest import FakeClock
from tests.helpers.damage import held_check
from tests.helpers.decks import SAMPLE_ID, edited_sample
from tests.helpers.study import WRONG, answer_current, db_hash, in_file_order, undo_answer


def orm_view(col: Collection, uuid: str, *, is_drill: bool) -> tuple[bool, study.CardView] | None:
    """(retired, the view) as `current_card` built it through the ORM before."""
    with col.db.session() as session:
        found = repo.get_card_with_state(uuid, session=session)
        if found is None:
            return None
        row, state = found
        options = repo.get_deck_options(row.deck_id, session=session)
        return row.retired, study.CardView(
            card=repo.load_card(row),
            deck_name=repo.get_deck_name(row.deck_id, session=session),
            schedule=answering.schedule_of(state),
            is_drill=is_drill,
            scheduler=answering.deck_scheduler(col, options),
        )


def orm_current_card(col: Collection, sitting: study.Sitting) -> study.CardView | None:
    """The replaced `current_card`, step for step."""
    while True:
        uuid = sitting.queue.current()
        if uuid is None:
            return None
        found = orm_view(col, uuid, is_drill=False)
        if found is not None and not found[0]:
            break
        sitting.queue = sitting.queue.without(uuid)
        sitting.total = max(0, sitting.total - 1)
    _retired, view = found
    return study.CardView(
        view.card, view.deck_name, view.schedule, sitting.queue.is_drill(uuid), view.scheduler
    )


def same_view(fast: study.CardView | None, slow: study.CardView | None) -> None:
    assert fast == slow
    if fast is not None and slow is not None:  # equal and of the same types (1 != 1.0 here)
        for f in fields(fast.schedule):
            a, b = getattr(fast.schedule, f.name), getattr(slow.schedule, f.name)
            assert type(a) is type(b), f.name


def next_card_both_ways(col: Collection, sitting: study.Sitting) -> study.CardView | None:
    """`current_card` on the sitting, checked against the ORM's on a copy of it."""
    twin = copy.copy(sitting)
    slow = orm_current_card(col, twin)
    fast = study.current_card(col, sitting)
    same_view(fast, slow)
    assert (sitting.queue, sitting.total) == (twin.queue, twin.total)
    return fast


def every_card(col: Collection) -> list[tuple[str, bool]]:
    with col.db.session() as session:
        return [(r.uuid, r.retired) for r in session.exec(select(CardRow))]


def answer(col: Collection, s: study.Sitting, view: study.CardView, *, wrong: bool) -> None:
    """Any card rightly (its model answer) or wrongly, with a grade in the verdict's band."""
    given = WRONG[view.card.kind] if wrong else cards.model_answer(view.card)
    graded = study.check_answer(view.card, given)
    study.answer_current(col, s, graded, 1 if graded.verdict.correct is False else 5, seconds=2)


def lived_in(col: Collection, clock: FakeClock, tmp_path: Path) -> str:
    """The sample answered (one wrong: a drill today), a second deck of the learner's, the
    sample on FSRS, a card edited, one suspended, one retired by a re-import, one deleted.
    Returns the deleted card's uuid."""
    s = study.start_sitting(col)
    wrong = True
    while (view := study.current_card(col, s)) is not None:
        answer(col, s, view, wrong=wrong)
        wrong = False
    mine = cards.create_deck(col, "Mine").decks[0]
    for prompt in ("Which trait converts errors for `?`?", "Which trait is `Send`'s twin?"):
        data = cards.new_card_data(Kind.SHORT)
        data.update(prompt=prompt, answer=["E0382"])  # the helpers' right answer
        cards.add_card(col, mine, data)
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="fsrs"))
    clock.advance(days=1)
    plan = plan_import(col, read_bundle(edited_sample(tmp_path)))  # retires the flashcard
    assert plan.ok, plan.errors
    apply_import(col, plan)
    uuids = [u for u, retired in every_card(col) if not retired]
    data = cards.load_card(col, uuids[0]).data
    data["prompt"] += " (edited)"
    cards.edit_card(col, uuids[0], data)
    cards.set_suspended(col, [uuids[1]], True)
    gone = uuids[-1]  # one of "Mine", never answered
    cards.delete_cards(col, [gone])
    return gone


def test_every_card_reads_the_same_without_the_orm(
    team_col: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    gone = lived_in(team_col, clock, tmp_path)
    seen = every_card(team_col)
    assert any(retired for _u, retired in seen)
    with team_col.db.kept_reads() as rows:
        assert rows.read(gone) is None and orm_view(team_col, gone, is_drill=False) is None
        for uuid, _retired in seen:
            found = rows.read(uuid)
            assert found is not None
            retired, view = orm_view(team_col, uuid, is_drill=False)  # type: ignore[misc]
            assert found.retired is retired
            same_view(
                study.CardView(
                    found.card,
                    found.deck_name,
                    found.schedule,
                    False,
                    answering.deck_scheduler(team_col, found.options),
                ),
                view,
            )
    kinds = {rows.read(u).card.kind for u, _r in seen}  # type: ignore[union-attr]
    assert len(kinds) >= 4  # every codec path, not one kind of card
    schedules = {rows.read(u).schedule.stability is None for u, _r in seen}  # type: ignore[union-attr]
    assert schedules == {True, False}  # FSRS states and SM-2/new ones


def test_sittings_show_the_same_cards_through_changes_drills_and_undo(
    team_col: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    col = team_col
    in_file_order(col)
    s = study.start_sitting(col)
    view = next_card_both_ways(col, s)
    assert view is not None
    answer_current(col, s, right=False)  # comes back as a drill
    undo_answer(col, s)
    assert next_card_both_ways(col, s) == view  # undo brings the same card back
    answer_current(col, s, right=False)
    shown, drills = 1, 0
    while (view := next_card_both_ways(col, s)) is not None:
        drills += view.is_drill
        if shown == 2:  # cards still to come change under the sitting
            flashcard = "a0000000-0000-4000-8000-000000000005"  # last in file order
            assert s.queue.pending[-1] == flashcard
            plan = plan_import(col, read_bundle(edited_sample(tmp_path)))
            apply_import(col, plan)  # retires the flashcard, edits the output card's prompt
            cards.delete_cards(col, [s.queue.pending[1]], delete_history=True)
        answer_current(col, s, right=True, q=5 if view.is_drill else 4)
        shown += 1
    assert (shown, drills) == (4, 1) and s.finished  # 5 cards + 1 drill, 2 skipped
    gone = lived_in(col, clock, tmp_path)
    s = study.start_sitting(col)
    assert gone not in s.queue.pending
    while (view := next_card_both_ways(col, s)) is not None:
        answer(col, s, view, wrong=False)


def test_the_next_card_is_read_ahead_of_the_start_up_check_and_writes_nothing(
    col: Collection, clock: FakeClock
) -> None:
    """The read goes to the connection kept for answers, which the write gate holds: a read
    must neither wait for the check's verdict nor write."""
    data = col.db.path.parent
    col.close()
    release = held_check(data)
    again = open_collection(data, clock=clock, check_behind=True)
    try:
        gate = again.db.gate
        assert gate is not None and not gate.settled
        waited: list[str] = []
        gate.on_wait(lambda: (waited.append("waited"), release.set()))
        before = db_hash(again)
        s = study.start_sitting(again)
        view = next_card_both_ways(again, s)
        assert view is not None and view.card.id in s.queue.pending
        assert (waited, db_hash(again), gate.settled) == ([], before, False)
    finally:
        release.set()
        again.close()
