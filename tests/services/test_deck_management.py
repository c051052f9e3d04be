"""Renaming and deleting decks, as Anki does: one undo step each, shipped decks refused."""

from __future__ import annotations

import pytest

from quizapp.core.grading import ShortAnswer
from quizapp.core.model import Kind
from quizapp.services import backup, cards, study, undo
from quizapp.services.collection import Collection
from tests.helpers.undo_checks import undo_restores

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"


def deck_with_history(col: Collection) -> tuple[str, list[str]]:
    """A deck of one's own with two cards, one of them answered."""
    deck = cards.create_deck(col, "Mine").decks[0]
    uuids = []
    for prompt in ("Zygomorphic one?", "Zygomorphic two?"):
        data = cards.new_card_data(Kind.SHORT)
        data.update(prompt=prompt, answer=["x"])
        uuids.append(cards.add_card(col, deck, data).added[0])
    sitting = study.start_sitting(col, [deck])
    view = study.current_card(col, sitting)
    assert view is not None
    study.answer_card(col, sitting, view, ShortAnswer(text="x"), 4, seconds=1.0)
    return deck, uuids


def test_deleting_a_deck_takes_its_cards_and_history_and_is_one_undo_step(
    col: Collection,
) -> None:
    deck, uuids = deck_with_history(col)
    contents = cards.deck_contents(col, deck)
    assert (contents.cards, contents.reviews, contents.shipped) == (2, 1, False)
    changes = undo_restores(
        col, lambda: cards.delete_deck(col, deck), "Delete deck Mine", words=("zygomorphic",)
    )
    assert deck in changes.decks
    cards.delete_deck(col, deck)
    assert deck not in {c.uuid for c in cards.list_deck_choices(col)}
    assert cards.search_cards(col, cards.CardQuery(text="zygomorphic")) == []
    for uuid in uuids:
        with pytest.raises(cards.CardError, match="no card"):
            cards.load_card(col, uuid)


def test_a_backup_is_taken_before_a_deck_is_deleted(col: Collection) -> None:
    deck, _ = deck_with_history(col)
    before = {b.id for b in backup.list_backups(col.data_dir)}
    cards.delete_deck(col, deck)
    taken = [b for b in backup.list_backups(col.data_dir) if b.id not in before]
    assert [b.reason for b in taken] == ["before-delete"]


def test_shipped_decks_are_neither_renamed_nor_deleted(col: Collection) -> None:
    with pytest.raises(cards.CardError, match="would come back at the next start"):
        cards.delete_deck(col, SAMPLE)
    with pytest.raises(cards.CardError, match="ships with quizapp"):
        cards.rename_deck(col, SAMPLE, "My sample")
    assert SAMPLE in {c.uuid for c in cards.list_deck_choices(col)}


def test_renaming_to_the_same_name_is_no_undo_step(col: Collection) -> None:
    deck = cards.create_deck(col, "Mine").decks[0]
    step = undo.newest(col)
    cards.rename_deck(col, deck, "  Mine ")
    assert undo.newest(col) is step
