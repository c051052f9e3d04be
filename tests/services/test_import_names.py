"""On import, a CSV or mdbook-quiz file's deck takes the name the learner chooses, or its
cards go into a deck of their own already here."""

from __future__ import annotations

import pytest

from quizapp.core.model import Kind
from quizapp.services import cards, undo
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, load_deck, plan_import
from quizapp.services.importers import read_bundle
from tests.conftest import DATA

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"


def test_a_csv_deck_takes_the_chosen_name(col: Collection) -> None:
    plan = plan_import(col, read_bundle(DATA / "cards.csv"), deck_name="  Team errors ")
    assert plan.ok and plan.decks[0].deck.name == "Team errors"
    apply_import(col, plan)
    names = {c.name for c in cards.list_deck_choices(col)}
    assert "Team errors" in names and "cards" not in names
    # Importing the same file again finds the same deck, whatever it is now called.
    again = plan_import(col, read_bundle(DATA / "cards.csv"), deck_name="Team errors")
    assert again.decks[0].exists and not again.decks[0].touches_anything


def test_a_bad_name_is_refused_by_the_deck_file_rules(col: Collection) -> None:
    plan = plan_import(col, read_bundle(DATA / "cards.csv"), deck_name="   ")
    assert not plan.ok and any("name" in e for e in plan.errors)


def test_cards_go_into_an_existing_deck_without_touching_its_own(col: Collection) -> None:
    mine = cards.create_deck(col, "Mine").decks[0]
    data = cards.new_card_data(Kind.SHORT)
    data.update(prompt="Mine already", answer=["x"])
    own = cards.add_card(col, mine, data).added[0]
    plan = plan_import(col, read_bundle(DATA / "cards.csv"), target_deck=mine)
    assert plan.ok, plan.errors
    (deck_plan,) = plan.decks
    assert deck_plan.exists and deck_plan.deck.name == "Mine" and deck_plan.removed == ()
    apply_import(col, plan)
    deck = load_deck(col, mine)
    assert deck.name == "Mine" and deck.cards[0].id == own
    assert len(deck.cards) == 1 + len(deck_plan.added)
    assert undo.newest(col) is not None  # one step: Edit → Undo takes them out again
    undo.undo_last(col)
    assert [c.id for c in load_deck(col, mine).cards] == [own]


def test_shipped_decks_take_no_imported_cards(col: Collection) -> None:
    plan = plan_import(col, read_bundle(DATA / "cards.csv"), target_deck=SAMPLE)
    assert not plan.ok and "ships with quizapp" in plan.errors[0]


@pytest.mark.parametrize("name", ["mdbook-quiz.toml"])
def test_an_mdbook_quiz_deck_takes_the_chosen_name(col: Collection, name: str) -> None:
    plan = plan_import(col, read_bundle(DATA / name), deck_name="Quiz: ownership")
    assert plan.ok, plan.errors
    apply_import(col, plan)
    assert "Quiz: ownership" in {c.name for c in cards.list_deck_choices(col)}
