"""quizapp → Anki → quizapp: a deck studied in Anki comes back as the same cards.

The real Anki library imports our package, studies in it (a due date set as a review
would), exports it again, and quizapp imports that export: every card keeps its id,
kind, code, answers, options, explanations and rustc check, in the same deck.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import (
    DeckIdLimit,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from quizapp.core.model import Deck
from quizapp.services import cards
from quizapp.services.collection import Collection, open_collection
from quizapp.services.decks import sync_shipped_decks
from quizapp.services.exchange import (
    apply_import,
    export_deck,
    find_deck,
    load_deck,
    plan_import,
)
from quizapp.services.importers import read_bundle
from tests.conftest import FakeClock


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[AnkiCollection]:
    col = AnkiCollection(str(tmp_path / "anki.anki2"))
    yield col
    col.close()


SHIPPED = "Ownership & affine types"
"""The first shipped deck: every kind of card, code, diagnostics, explanations."""


def shipped_deck(col: Collection) -> Deck:
    return load_deck(col, find_deck(col, SHIPPED))


def quizapp_collection(path: Path, clock: FakeClock, *, shipped: bool) -> Collection:
    col = open_collection(path, clock=clock)
    if shipped:
        assert sync_shipped_decks(col).errors == []
    return col


def through_anki(anki: AnkiCollection, package: Path, out: Path, *, legacy: bool) -> Path:
    """Import into Anki, study there, export again."""
    anki.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
    )
    first = anki.find_cards("")[0]
    anki.sched.set_due_date([first], "5!")  # studied in Anki: a review due in 5 days
    deck_id = anki.decks.id_for_name(SHIPPED)
    assert deck_id is not None
    anki.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=legacy
        ),
        limit=DeckIdLimit(deck_id),
    )
    return out


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "anki2"])
def test_a_shipped_deck_comes_back_from_anki_unchanged(
    anki: AnkiCollection, tmp_path: Path, clock: FakeClock, legacy: bool
) -> None:
    source = quizapp_collection(tmp_path / "source", clock, shipped=True)
    original = shipped_deck(source)
    package = tmp_path / "ownership.apkg"
    export_deck(source, original.id, package)
    source.close()
    again = through_anki(anki, package, tmp_path / "from-anki.apkg", legacy=legacy)

    fresh = quizapp_collection(tmp_path / "fresh", clock, shipped=False)
    bundle = read_bundle(again)
    assert bundle.flattened == frozenset()
    plan = plan_import(fresh, bundle)
    assert plan.ok, plan.errors
    apply_import(fresh, plan, with_progress=True)
    back = load_deck(fresh, original.id)
    assert back.name == original.name and back.section == original.section
    assert len(back.cards) == len(original.cards)
    by_id = {c.id: c for c in back.cards}
    for card in original.cards:
        came = by_id[card.id]
        assert (came.kind, came.code, came.explanation) == (card.kind, card.code, card.explanation)
        assert (came.accepted, came.options, came.answer_indexes, came.explanations) == (
            card.accepted,
            card.options,
            card.answer_indexes,
            card.explanations,
        )
        assert (came.compiles, came.errors, came.stdout) == (
            card.compiles,
            card.errors,
            card.stdout,
        )
        assert came == card  # and everything else a deck file says
    assert plan.progress_cards >= 1  # Anki's scheduling came along, applied when asked
    rows = cards.browser_rows(fresh, [c.id for c in original.cards])
    studied = [r for r in rows if r.due_day is not None]
    assert len(studied) == 1 and studied[0].interval >= 1  # the one card studied in Anki
    fresh.close()


def test_importing_it_where_the_deck_is_shipped_changes_nothing(
    anki: AnkiCollection, tmp_path: Path, clock: FakeClock
) -> None:
    """The same deck, not a second deck of flashcards beside it."""
    col = quizapp_collection(tmp_path / "data", clock, shipped=True)
    original = shipped_deck(col)
    package = tmp_path / "ownership.apkg"
    export_deck(col, original.id, package)
    again = through_anki(anki, package, tmp_path / "from-anki.apkg", legacy=False)
    plan = plan_import(col, read_bundle(again))
    assert plan.ok, plan.errors
    (deck_plan,) = plan.decks
    assert deck_plan.exists and deck_plan.deck.id == original.id
    assert (len(deck_plan.added), len(deck_plan.changed), len(deck_plan.removed)) == (0, 0, 0)
    assert deck_plan.unchanged == len(original.cards)
    col.close()


def test_notes_made_in_anki_or_damaged_there_become_flashcards_and_are_listed(
    anki: AnkiCollection, tmp_path: Path, clock: FakeClock
) -> None:
    col = quizapp_collection(tmp_path / "data", clock, shipped=True)
    original = shipped_deck(col)
    package = tmp_path / "ownership.apkg"
    export_deck(col, original.id, package)
    anki.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
    )
    deck_id = anki.decks.id_for_name(original.name)
    assert deck_id is not None
    damaged = anki.get_note(anki.find_notes("")[0])
    damaged["quizapp"] = "quizapp-card-v1:not base64 at all"
    anki.update_note(damaged)
    made = anki.new_note(anki.models.by_name("Basic"))
    made["Front"], made["Back"] = "What is a <b>move</b>?", "A transfer of ownership."
    anki.add_note(made, deck_id)
    out = tmp_path / "from-anki.apkg"
    anki.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        ),
        limit=DeckIdLimit(deck_id),
    )
    bundle = read_bundle(out)
    assert len(bundle.flattened) == 2
    flat = [c for d in bundle.decks for c in d.cards if c.id in bundle.flattened]
    assert {c.kind.value for c in flat} == {"flashcard"}
    assert sum(len(d.cards) for d in bundle.decks) == len(original.cards) + 1
    col.close()
