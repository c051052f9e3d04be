"""Packages quizapp writes, imported by the real Anki library into a fresh collection."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from quizapp.adapters.apkg import write_apkg
from quizapp.adapters.files import load_deck_file
from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.anki import carried
from quizapp.core.anki.writer import NOTETYPE_NAME
from quizapp.core.bundle import Bundle, CardProgress
from quizapp.core.model import Card, Deck, Kind
from quizapp.core.sm2 import Sm2State, study_day
from tests.conftest import DATA

NOW = datetime(2026, 11, 24, 12, 0)


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[Collection]:
    col = Collection(str(tmp_path / "target.anki2"))
    yield col
    col.close()


def import_into(col: Collection, path: Path) -> None:
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
    )


def notes_by_guid(col: Collection) -> dict[str, object]:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


def sample() -> Deck:
    return load_deck_file(DATA / "sample.toml")


def test_every_card_of_every_kind_arrives_as_a_note(anki: Collection, tmp_path: Path) -> None:
    deck = sample()
    path = tmp_path / "sample.apkg"
    write_apkg(Bundle((deck,)), path, now=NOW)
    import_into(anki, path)

    notes = notes_by_guid(anki)
    assert set(notes) == {card.id for card in deck.cards}
    assert anki.decks.by_name("Sample") is not None
    for card in deck.cards:
        note = notes[card.id]
        assert note.note_type()["name"] == NOTETYPE_NAME
        assert list(note.keys()) == ["Front", "Back", carried.FIELD]
        assert carried.decode(note[carried.FIELD]) is not None  # the card itself, kept
        assert note.tags == list(card.tags)
        (anki_card,) = note.cards()
        assert anki.decks.name(anki_card.did) == "Sample"

    compiles, output, choice, short, flashcard = (notes[c.id] for c in deck.cards)
    assert "Does it compile?" in compiles["Front"]
    assert "String" in compiles["Front"] and "style=" in compiles["Front"]  # inline styles
    assert "It does not compile: E0382." in compiles["Back"]
    assert "moves the" in compiles["Back"]  # the explanation
    assert "0\n1\n2" in output["Back"]
    assert all(f"<b>{x}.</b>" in choice["Front"] for x in "ABC")
    assert "Answer: B" in choice["Back"]
    assert "<code" in choice["Back"] and "Sync" in choice["Back"]
    assert "E0382" in short["Back"] and "E0382" not in short["Front"]
    assert "<strong>declaration</strong>" in flashcard["Back"]


def test_a_shipped_deck_arrives_whole(anki: Collection, tmp_path: Path) -> None:
    deck = load_deck_file(sorted(shipped_decks_dir().glob("*.toml"))[0])
    path = tmp_path / "shipped.apkg"
    write_apkg(Bundle((deck,)), path, now=NOW)
    import_into(anki, path)
    assert len(anki.find_notes("")) == len(deck.cards) > 20
    did = anki.decks.id_for_name(deck.name)
    assert did is not None
    assert len(anki.find_cards(f"did:{did}")) == len(deck.cards)
    assert {t for c in deck.cards for t in c.tags} <= set(anki.tags.all())


def test_markup_in_a_deck_reaches_anki_as_text(anki: Collection, tmp_path: Path) -> None:
    card = Card(
        id="b0000000-0000-4000-8000-000000000001",
        kind=Kind.FLASHCARD,
        prompt='<script>alert(1)</script><img src=x onerror="alert(2)">',
        back="fine",
    )
    deck = Deck(id="b0000000-0000-4000-8000-0000000000d0", name="Team::Idioms", cards=(card,))
    path = tmp_path / "team.apkg"
    write_apkg(Bundle((deck,)), path, now=NOW)
    import_into(anki, path)
    (note,) = notes_by_guid(anki).values()
    assert "<script" not in note["Front"] and "<img" not in note["Front"]
    assert "&lt;script&gt;" in note["Front"]
    assert anki.decks.name(note.cards()[0].did) == "Team::Idioms"


def test_re_export_updates_the_notes_instead_of_adding_more(
    anki: Collection, tmp_path: Path
) -> None:
    deck = sample()
    write_apkg(Bundle((deck,)), tmp_path / "v1.apkg", now=NOW)
    import_into(anki, tmp_path / "v1.apkg")
    flashcard = dataclasses.replace(deck.cards[4], back="Declaration order, then nested fields.")
    changed = dataclasses.replace(deck, cards=(*deck.cards[:4], flashcard))
    write_apkg(Bundle((changed,)), tmp_path / "v2.apkg", now=NOW + timedelta(minutes=5))
    import_into(anki, tmp_path / "v2.apkg")
    notes = notes_by_guid(anki)
    assert len(notes) == 5
    assert "Declaration order, then nested fields." in notes[flashcard.id]["Back"]


def test_scheduling_goes_with_the_cards_when_given(anki: Collection, tmp_path: Path) -> None:
    deck = sample()
    now = datetime.now()
    today = study_day(now)
    reviewed, suspended = deck.cards[0].id, deck.cards[1].id
    progress = {
        reviewed: CardProgress(
            Sm2State(3, Fraction(236, 100), 15), today + timedelta(days=7), 1, 5
        ),
        suspended: CardProgress(
            Sm2State(1, Fraction(5, 2), 1), today - timedelta(days=3), 0, 1, True
        ),
    }
    path = tmp_path / "progress.apkg"
    write_apkg(Bundle((deck,), progress), path, now=now)
    import_into(anki, path)
    notes = notes_by_guid(anki)

    card = notes[reviewed].cards()[0]
    assert (card.type, card.queue, card.ivl, card.factor) == (2, 2, 15, 2360)
    assert (card.reps, card.lapses) == (5, 1)
    assert card.due - anki.sched.today == 7

    late = notes[suspended].cards()[0]
    assert (late.type, late.queue, late.ivl) == (2, -1, 1)
    assert late.due - anki.sched.today == -3

    fresh = notes[deck.cards[2].id].cards()[0]
    assert (fresh.type, fresh.queue) == (0, 0)
