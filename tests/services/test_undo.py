"""Edit → Undo over every operation: do, undo, and the database is exactly as it was.

After each undo the whole database (every user table, ordered, and the schema) must equal
the dump taken before the operation, and the rows the triggers derive must be in step:
the FTS5 index passes its integrity check and finds what `card` holds, `deck_size` equals
a count, and `card_state` mirrors its card.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.core.bundle import Bundle, CardProgress
from quizapp.core.deckfile import parse_deck_text
from quizapp.core.model import Card, Deck, Kind
from quizapp.core.sm2 import Sm2State
from quizapp.services import answering, cards, cram, study, undo
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from quizapp.services.undo_stack import MAX_STEPS
from tests.helpers.decks import edited_sample
from tests.helpers.study import answer_current, logs, study_everything
from tests.helpers.undo_checks import check_derived, dump, undo_restores

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"
COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"
FLASH = "a0000000-0000-4000-8000-000000000005"


def short_card(prompt: str) -> dict[str, object]:
    data = cards.new_card_data(Kind.SHORT)
    data.update(prompt=prompt, answer=["From"], tags=["errors"])
    return data


def own_deck(col: Collection, name: str = "Mine") -> str:
    deck = cards.create_deck(col, name).decks[0]
    col.undo.clear()
    return deck


# --- the browser's operations -------------------------------------------------------------


def test_suspend_and_unsuspend_are_undone(col: Collection) -> None:
    changes = undo_restores(
        col, lambda: cards.set_suspended(col, [CHOICE, SHORT], True), "Suspend 2 cards"
    )
    assert set(changes.updated) == {CHOICE, SHORT} and changes.decks == (SAMPLE,)
    cards.set_suspended(col, [CHOICE], True)
    undo_restores(col, lambda: cards.set_suspended(col, [CHOICE], False), "Unsuspend 1 card")


def test_reset_progress_is_undone(col: Collection) -> None:
    study_everything(col)
    col.undo.clear()
    undo_restores(col, lambda: cards.reset_progress(col, [COMPILES, FLASH]), "Reset 2 cards")


def test_move_is_undone(col: Collection) -> None:
    mine = own_deck(col)
    cards.add_card(col, mine, short_card("Which trait converts errors?"))
    other = own_deck(col, "Other")
    [uuid] = cards.search_cards(col, cards.CardQuery(text="converts"))
    changes = undo_restores(col, lambda: cards.move_cards(col, [uuid], other), "Move 1 card")
    assert changes.updated == (uuid,) and set(changes.decks) == {mine, other}


def test_delete_with_history_is_undone_with_every_review(col: Collection) -> None:
    study_everything(col)
    s = study.start_sitting(col)  # nothing due today: answer more through a cram sitting
    assert s.finished
    reviews = [(r.id, r.card_id, r.quality, r.reviewed_at) for r in logs(col)]
    col.undo.clear()
    changes = undo_restores(
        col,
        lambda: cards.delete_cards(col, [COMPILES, CHOICE, FLASH], delete_history=True),
        "Delete 3 cards",
        words=("spawn", "ownership"),
    )
    assert set(changes.added) == {COMPILES, CHOICE, FLASH} and changes.decks == (SAMPLE,)
    assert [(r.id, r.card_id, r.quality, r.reviewed_at) for r in logs(col)] == reviews
    assert cards.search_cards(col, cards.CardQuery(text="spawn")) == [CHOICE]


# --- the editor's operations --------------------------------------------------------------


def test_editing_a_card_is_undone_and_search_finds_the_old_text(col: Collection) -> None:
    data = cards.load_card(col, CHOICE).data
    data["prompt"] = "Which bound lets a zygomorphic closure cross threads?"
    undo_restores(
        col, lambda: cards.edit_card(col, CHOICE, data), "Edit card", words=("zygomorphic", "spawn")
    )
    assert cards.search_cards(col, cards.CardQuery(text="zygomorphic")) == []
    assert cards.search_cards(col, cards.CardQuery(text="spawn")) == [CHOICE]


def test_adding_and_copying_cards_are_undone(col: Collection) -> None:
    mine = own_deck(col)
    changes = undo_restores(
        col,
        lambda: cards.add_card(col, mine, short_card("A zygomorphic question")),
        "Add card",
        words=("zygomorphic",),
    )
    assert len(changes.deleted) == 1 and changes.decks == (mine,)
    undo_restores(col, lambda: cards.duplicate_card(col, CHOICE, mine), "Copy card")


def test_creating_and_renaming_a_deck_are_undone(col: Collection) -> None:
    changes = undo_restores(col, lambda: cards.create_deck(col, "Mine"), "New deck Mine")
    assert len(changes.decks) == 1
    mine = own_deck(col)
    undo_restores(col, lambda: cards.rename_deck(col, mine, "Renamed"), "Rename deck")


# --- imports ------------------------------------------------------------------------------


def test_an_add_only_import_is_undone(col: Collection, tmp_path: Path) -> None:
    made = tuple(
        Card(
            id=f"d0000000-0000-4000-8000-{i:012d}",
            kind=Kind.SHORT,
            prompt=f"Zygomorphic {i}",
            accepted=("x",),
        )
        for i in range(250)  # past the bulk insert's threshold: triggers paused and rebuilt
    )
    bundle = Bundle(
        decks=(Deck(id="d0000000-0000-4000-8000-ffffffffffff", name="Big", cards=made),),
        source=str(tmp_path / "big.toml"),
    )
    changes = undo_restores(
        col,
        lambda: apply_import(col, plan_import(col, bundle)),
        "Import big.toml",
        words=("zygomorphic",),
    )
    assert len(changes.deleted) == 250
    assert changes.decks == ("d0000000-0000-4000-8000-ffffffffffff",)
    assert undo.newest(col) is None


def test_an_add_only_import_captures_id_ranges_not_rows(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_bytes((Path(__file__).parent.parent / "data" / "cards.csv").read_bytes())
    apply_import(col, plan_import(col, read_bundle(path)))
    step = undo.newest(col)
    assert step is not None and step.image is not None
    assert step.image.tables == ()
    assert len(step.image.added_cards) == 4 and len(step.image.added_decks) == 1


@pytest.mark.parametrize(
    "options",
    [{}, {"delete_removed": True}, {"with_progress": True}],
    ids=["retire", "delete-removed", "with-progress"],
)
def test_an_import_that_changes_renames_and_removes_is_undone(
    team_col: Collection, tmp_path: Path, options: dict[str, bool]
) -> None:
    if not options.get("with_progress"):
        study_everything(team_col)  # else the file's scheduling applies to the never-studied cards
        team_col.undo.clear()
    path = edited_sample(tmp_path)
    text = path.read_text(encoding="utf-8").replace('name = "Sample"', 'name = "Renamed sample"')
    path.write_text(text, encoding="utf-8")
    bundle = read_bundle(path)
    if options.get("with_progress"):
        deck = parse_deck_text(text, str(path))
        due = CardProgress(Sm2State(2, Sm2State(0).easiness, 6), None, 0, 2, True)
        bundle = Bundle(
            decks=(deck,),
            source=str(path),
            progress={c.id: due for c in deck.cards},
        )
    results = []
    changes = undo_restores(
        team_col,
        lambda: results.append(apply_import(team_col, plan_import(team_col, bundle), **options)),
        "Import team-sample.toml",
        words=("program", "send"),
    )
    assert SAMPLE in changes.decks and len(changes.deleted) == 1
    assert results[0].progress_applied == (5 if options.get("with_progress") else 0)


# --- one linear order ---------------------------------------------------------------------


def test_answer_then_suspend_are_undone_newest_first(col: Collection) -> None:
    before = dump(col)
    s = study.start_sitting(col)
    answered = answer_current(col, s).card_uuid
    cards.set_suspended(col, [SHORT, FLASH], True)
    first = undo.undo_last(col)  # the suspend is newer: it goes first
    assert first is not None and first.label == "Suspend 2 cards"
    assert not s.owns(first.changes) and s.answered == 1
    second = undo.undo_last(col)
    assert second is not None and second.label == answering.STUDY_LABEL
    assert s.owns(second.changes) and s.take_back(second.changes) == answered
    assert s.answered == 0 and s.queue.current() == answered
    assert dump(col) == before
    check_derived(col)
    assert undo.undo_last(col) is None


def test_cram_answers_share_the_stack(col: Collection) -> None:
    before = dump(col)
    cards.set_suspended(col, [FLASH], True)
    sitting = cram.start_cram(col, deck_uuid=SAMPLE)
    view = study.current_card(col, sitting)
    assert view is not None
    study.answer_card(col, sitting, view, cards.model_answer(view.card), 4, seconds=1.0)
    step = undo.newest(col)
    assert step is not None and step.label == "last cram answer"
    undone = [undo.undo_last(col), undo.undo_last(col)]
    assert [u.label for u in undone if u] == ["last cram answer", "Suspend 1 card"]
    assert undone[0] is not None and sitting.take_back(undone[0].changes) == view.card.id
    assert dump(col) == before and not sitting.given


def test_a_review_the_stack_did_not_see_blocks_the_undo_and_nothing_changes(
    col: Collection,
) -> None:
    mine = own_deck(col)
    cards.add_card(col, mine, short_card("Which trait converts errors?"))
    s = study.start_sitting(col, [mine])
    answer_current(col, s, right=False)
    answer_step = undo.newest(col)
    assert answer_step is not None
    col.undo.pop(answer_step)  # as if the review came from somewhere undo cannot see
    before = dump(col)
    with pytest.raises(undo.UndoFailed, match="reviewed since"):
        undo.undo_last(col)
    assert dump(col) == before and undo.newest(col) is None


def test_the_stack_keeps_the_newest_steps_up_to_its_bound(col: Collection) -> None:
    for i in range(MAX_STEPS + 5):
        cards.set_suspended(col, [CHOICE], i % 2 == 0)
    steps = col.undo.steps()
    assert len(steps) == MAX_STEPS
    assert steps[-1].seq == MAX_STEPS + 5
    assert [s.seq for s in steps] == sorted(s.seq for s in steps)


def test_the_stack_tells_listeners(col: Collection) -> None:
    heard: list[str | None] = []
    stop = col.undo.subscribe(lambda: heard.append(getattr(undo.newest(col), "label", None)))
    cards.set_suspended(col, [CHOICE], True)
    undo.undo_last(col)
    stop()
    cards.set_suspended(col, [CHOICE], True)
    assert heard == ["Suspend 1 card", None]


def test_a_card_in_a_question_set_and_an_interview_is_deleted_and_undone(
    col: Collection,
) -> None:
    from quizapp.core.grading import CompilesAnswer
    from quizapp.services import interview

    interview.save_question_set(col, "Warm-up", [COMPILES, CHOICE])
    run = interview.start_question_set(col, "Warm-up")
    interview.answer_question(col, run, CompilesAnswer(compiles=True))
    col.undo.clear()
    # An interview answer is history: deleting the card must be asked for, like reviews.
    with pytest.raises(cards.HasHistory):
        cards.delete_cards(col, [COMPILES])
    undo_restores(
        col,
        lambda: cards.delete_cards(col, [COMPILES], delete_history=True),
        "Delete 1 card",
        words=("spawn",),
    )
    assert interview.question_set_cards(col, "Warm-up") == [COMPILES, CHOICE]
    cards.delete_cards(col, [COMPILES], delete_history=True)
    assert interview.question_set_cards(col, "Warm-up") == [CHOICE]
    assert [q.card.id for q in interview.start_question_set(col, "Warm-up").questions] == [CHOICE]


# --- redo ---------------------------------------------------------------------------------


def test_a_new_operation_or_answer_clears_the_redo_stack(col: Collection) -> None:
    cards.set_suspended(col, [CHOICE], True)
    undo.undo_last(col)
    assert getattr(undo.newest_undone(col), "label", None) == "Suspend 1 card"
    cards.set_suspended(col, [SHORT], True)
    assert undo.newest_undone(col) is None and undo.redo_last(col) is None

    undo.undo_last(col)
    s = study.start_sitting(col)
    answer_current(col, s)
    assert undo.newest_undone(col) is None


def test_undoing_an_answer_clears_the_redo_stack(col: Collection) -> None:
    s = study.start_sitting(col)
    answer_current(col, s)
    cards.set_suspended(col, [SHORT], True)
    undo.undo_last(col)
    assert undo.newest_undone(col) is not None
    answer = undo.undo_last(col)
    assert answer is not None and answer.label == answering.STUDY_LABEL
    assert undo.newest_undone(col) is None


def test_redo_after_redo_and_undo_keeps_the_linear_order(col: Collection) -> None:
    before = dump(col)
    cards.set_suspended(col, [CHOICE], True)
    cards.set_suspended(col, [SHORT], True)
    after = dump(col)
    assert [u.label for u in (undo.undo_last(col), undo.undo_last(col)) if u] == [
        "Suspend 1 card",
        "Suspend 1 card",
    ]
    assert dump(col) == before
    assert undo.redo_last(col) is not None and undo.redo_last(col) is not None
    assert dump(col) == after and undo.redo_last(col) is None
    check_derived(col)


def test_a_review_the_stack_did_not_see_blocks_the_redo_and_nothing_changes(
    col: Collection,
) -> None:
    mine = own_deck(col)
    cards.add_card(col, mine, short_card("Which trait converts errors?"))
    s = study.start_sitting(col, [mine])
    answer_current(col, s, right=False)
    [uuid] = cards.search_cards(col, cards.CardQuery(text="converts"))
    col.undo.clear()
    cards.set_suspended(col, [uuid], True)
    undo.undo_last(col)
    conn = sqlite3.connect(col.db.path)  # a review written some way the stack cannot see
    columns = [c for (_, c, *_rest) in conn.execute("PRAGMA table_info(review_log)") if c != "id"]
    names = ", ".join(columns)
    conn.execute(f"INSERT INTO review_log ({names}) SELECT {names} FROM review_log")
    conn.commit()
    conn.close()
    before = dump(col)
    with pytest.raises(undo.RedoFailed, match=r"Cannot redo Suspend 1 card: .*reviewed since"):
        undo.redo_last(col)
    assert dump(col) == before and undo.newest_undone(col) is None
