"""The editor's and browser's card operations, on a real collection."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from quizapp.core.model import Kind
from quizapp.core.queue import SessionQueue
from quizapp.services import cards, study
from quizapp.services.cards import CardQuery
from quizapp.services.collection import Collection
from quizapp.storage.tables import CardRow, CardState, ReviewLog
from tests.helpers.study import answer_current, in_file_order, logs

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"
COMPILES = "a0000000-0000-4000-8000-000000000001"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"
FLASH = "a0000000-0000-4000-8000-000000000005"


def own_deck(col: Collection, name: str = "Mine") -> str:
    return cards.create_deck(col, name).decks[0]


def short_card(prompt: str = "Which trait makes `?` convert errors?") -> dict[str, object]:
    data = cards.new_card_data(Kind.SHORT)
    data.update(prompt=prompt, answer=["From"], tags=["errors"])
    return data


def review_count(col: Collection) -> int:
    with col.db.session() as session:
        return session.exec(select(func.count()).select_from(ReviewLog)).one()


def state_of(col: Collection, uuid: str) -> CardState:
    with col.db.session() as session:
        card = session.exec(select(CardRow).where(CardRow.uuid == uuid)).one()
        state = session.get(CardState, card.id)
        assert state is not None
        return state


def answer_first_card(col: Collection, deck: str = SAMPLE) -> str:
    """Study the deck's first card and answer it; returns its uuid."""
    session = study.start_sitting(col, [deck])
    view = study.current_card(col, session)
    assert view is not None
    answer = cards.model_answer(view.card)
    study.answer_card(col, session, view, answer, 4, seconds=1.0)
    return view.card.id


def sample_counts(col: Collection) -> tuple[int, int]:
    summary = next(s for s in study.deck_overview(col) if s.uuid == SAMPLE)
    return summary.counts.new, summary.cards


def test_create_and_rename_a_deck(col: Collection) -> None:
    uuid = own_deck(col)
    assert len(uuid) == 36 and uuid != own_deck(col, "Other")
    cards.rename_deck(col, uuid, "Renamed")
    choices = {c.uuid: c for c in cards.list_deck_choices(col)}
    assert choices[uuid].name == "Renamed" and not choices[uuid].shipped
    assert choices[SAMPLE].shipped
    with pytest.raises(cards.InvalidCard, match="name"):
        cards.rename_deck(col, uuid, "")


def test_add_then_find_then_study_a_card(col: Collection) -> None:
    deck = own_deck(col)
    changes = cards.add_card(col, deck, short_card())
    (uuid,) = changes.added
    assert changes.decks == (deck,)
    assert cards.search_cards(col, CardQuery(text="convert")) == [uuid]
    loaded = cards.load_card(col, uuid)
    assert loaded.data["answer"] == ["From"] and loaded.deck_uuid == deck and not loaded.shipped
    session = study.start_sitting(col, [deck])
    view = study.current_card(col, session)
    assert view is not None and view.card.id == uuid


def test_an_invalid_card_is_refused_with_the_deck_files_words(col: Collection) -> None:
    deck = own_deck(col)
    data = cards.new_card_data(Kind.CHOICE)
    data.update(prompt="Pick", options=["a", "b"], answer=[5], explanations=["", ""])
    problems = cards.validate_card(data)
    assert [(p.field, p.message) for p in problems] == [
        ("answer", "index 5 is out of range (2 options)")
    ]
    with pytest.raises(cards.InvalidCard, match="out of range"):
        cards.add_card(col, deck, data)
    assert cards.search_cards(col, CardQuery(deck_uuid=deck)) == []


def test_cards_cannot_be_added_to_a_shipped_deck(col: Collection) -> None:
    with pytest.raises(cards.CardError, match="ships with quizapp"):
        cards.add_card(col, SAMPLE, short_card())


def test_edit_keeps_id_schedule_and_history(col: Collection) -> None:
    uuid = answer_first_card(col)
    before = state_of(col, uuid)
    data = cards.load_card(col, uuid).data
    data["prompt"] = "Does this compile, with the quokka?"
    changes = cards.edit_card(col, uuid, data)
    assert changes.updated == (uuid,)
    assert cards.load_card(col, uuid).data["prompt"].endswith("quokka?")
    assert state_of(col, uuid) == before
    assert review_count(col) == 1
    assert cards.search_cards(col, CardQuery(text="quokka")) == [uuid]
    with pytest.raises(cards.CardError, match="id cannot be changed"):
        cards.edit_card(col, uuid, {**data, "id": "b0000000-0000-4000-8000-000000000009"})


def test_editing_the_code_drops_a_stale_rustc_result(col: Collection) -> None:
    data = cards.load_card(col, COMPILES).data
    check = cards.CodeCheck(
        compiles=False,
        errors=("E0382",),
        diagnostic="error[E0382]",
        uncoded_errors=(),
        rustc_version="rustc 1",
    )
    checked = cards.apply_code_check(data, check)
    cards.edit_card(col, COMPILES, checked)
    assert cards.load_card(col, COMPILES).data["checked"]["diagnostic"] == "error[E0382]"
    checked["code"] = checked["code"] + "\n// changed\n"
    cards.edit_card(col, COMPILES, checked)
    assert "checked" not in cards.load_card(col, COMPILES).data


def test_duplicate_gets_a_new_id_and_no_progress(col: Collection) -> None:
    deck = own_deck(col)
    answer_first_card(col)
    with pytest.raises(cards.CardError, match="ships with quizapp"):
        cards.duplicate_card(col, COMPILES)
    (copy,) = cards.duplicate_card(col, COMPILES, deck).added
    assert copy != COMPILES
    original, duplicate = cards.load_card(col, COMPILES), cards.load_card(col, copy)
    assert {**duplicate.data, "id": COMPILES} == original.data
    assert duplicate.reviews == 0 and state_of(col, copy).due_day is None
    (again,) = cards.duplicate_card(col, copy).added
    assert cards.load_card(col, again).deck_uuid == deck


def test_delete_without_history(col: Collection) -> None:
    changes = cards.delete_cards(col, [SHORT])
    assert changes.deleted == (SHORT,) and changes.reviews_deleted == 0
    assert SHORT not in cards.search_cards(col, CardQuery())
    assert sample_counts(col) == (4, 4)


def test_delete_with_history_needs_to_be_asked_for(col: Collection) -> None:
    uuid = answer_first_card(col)
    assert cards.count_reviews(col, [uuid, SHORT]) == 1
    with pytest.raises(cards.HasHistory) as refused:
        cards.delete_cards(col, [SHORT, uuid])
    assert refused.value.reviews == 1 and refused.value.cards == 1
    assert SHORT in cards.search_cards(col, CardQuery())  # nothing changed
    assert review_count(col) == 1
    changes = cards.delete_cards(col, [SHORT, uuid], delete_history=True)
    assert changes.reviews_deleted == 1
    assert review_count(col) == 0
    remaining = cards.search_cards(col, CardQuery())
    assert len(remaining) == 3 and SHORT not in remaining and uuid not in remaining


def test_suspend_takes_cards_out_of_study_and_back(col: Collection) -> None:
    assert sample_counts(col) == (5, 5)
    cards.set_suspended(col, [CHOICE, SHORT], True)
    assert sample_counts(col)[0] == 3
    assert cards.search_cards(col, CardQuery(suspended=True)) == [CHOICE, SHORT]
    cards.set_suspended(col, [CHOICE], False)
    assert sample_counts(col)[0] == 4


def test_reset_progress_makes_a_card_new_and_keeps_its_log(col: Collection) -> None:
    in_file_order(col)
    uuid = answer_first_card(col)
    assert state_of(col, uuid).due_day is not None
    cards.reset_progress(col, [uuid])
    state = state_of(col, uuid)
    assert (state.repetitions, state.easiness_hundredths, state.interval) == (0, 250, 0)
    assert state.due_day is None and state.reviews == 1
    assert review_count(col) == 1
    assert cards.search_cards(col, CardQuery(due="new"))[0] == uuid


def test_move_to_another_deck(col: Collection) -> None:
    deck = own_deck(col)
    (mine,) = cards.add_card(col, deck, short_card()).added
    other = own_deck(col, "Other")
    changes = cards.move_cards(col, [mine], other)
    assert changes.updated == (mine,) and set(changes.decks) == {deck, other}
    assert cards.search_cards(col, CardQuery(deck_uuid=other)) == [mine]
    with pytest.raises(cards.CardError, match="cannot leave it"):
        cards.move_cards(col, [SHORT], other)
    with pytest.raises(cards.CardError, match="ships with quizapp"):
        cards.move_cards(col, [mine], SAMPLE)
    assert cards.search_cards(col, CardQuery(deck_uuid=SAMPLE))[-1] == FLASH


def test_unknown_cards_and_decks_are_refused(col: Collection) -> None:
    ghost = "c0000000-0000-4000-8000-000000000000"
    for call in (
        lambda: cards.set_suspended(col, [SHORT, ghost], True),
        lambda: cards.move_cards(col, [SHORT], ghost),
        lambda: cards.load_card(col, ghost),
    ):
        with pytest.raises(cards.CardError, match="no "):
            call()
    assert not state_of(col, SHORT).suspended


@pytest.mark.rustc
def test_check_code_reports_the_real_error(col: Collection) -> None:
    data = cards.load_card(col, COMPILES).data
    data.update(compiles=True)
    data.pop("errors", None)
    result = cards.check_code(data["code"], "2021", run=False)
    assert (result.compiles, result.errors) == (False, ("E0382",))
    filled = cards.apply_code_check(data, result)
    assert filled["compiles"] is False and filled["errors"] == ["E0382"]
    assert cards.validate_card(filled) == []


@pytest.mark.rustc
def test_check_code_runs_an_output_card(col: Collection) -> None:
    data = cards.new_card_data(Kind.OUTPUT)
    data.update(prompt="?", code='fn main() { println!("a"); panic!("b"); }', stdout="")
    result = cards.check_code(data["code"], "2021", run=True)
    filled = cards.apply_code_check(data, result)
    assert (filled["stdout"], filled["panics"]) == ("a\n", True)
    assert cards.validate_card(filled) == []


def test_the_newest_answers_id_is_never_given_again_after_its_card_is_deleted(
    col: Collection,
) -> None:
    """A review-log id is half of its answer's sync key (`device:id`): SQLite used to hand a
    deleted newest row's id to the next answer, so two answers shared one key and a merge
    on another machine kept one of them (schema 11: AUTOINCREMENT)."""
    own = cards.create_deck(col, "Mine").decks[0]
    first, second = short_card("first?"), short_card("second?")
    cards.add_card(col, own, first)
    cards.add_card(col, own, second)
    sitting = study.Sitting((own,), SessionQueue(pending=(first["id"],)), 1)
    answer_current(col, sitting, right=False)
    newest = logs(col)[-1].id
    assert newest is not None
    cards.delete_cards(col, [first["id"]], delete_history=True)
    assert all(r.id != newest for r in logs(col))
    sitting = study.Sitting((own,), SessionQueue(pending=(second["id"],)), 1)
    answer_current(col, sitting, right=False)
    assert logs(col)[-1].id == newest + 1
