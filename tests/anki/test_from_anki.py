"""Packages written by the real Anki library read into quizapp: every note, tag and deck."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from quizapp.adapters.apkg import read_apkg
from quizapp.core.anki.reader import card_uuid
from quizapp.core.bundle import Bundle
from quizapp.core.model import Card, Kind
from quizapp.core.sm2 import study_day
from tests.anki.conftest import AnkiSource, rename_member

FORMATS = ["anki21b", "anki21", "anki2"]


def export(source: AnkiSource, tmp_path: Path, fmt: str) -> Path:
    if fmt == "anki21b":
        path = source.export(tmp_path / "current.apkg", legacy=False)
    else:
        path = source.export(tmp_path / "legacy.apkg", legacy=True)
        if fmt == "anki2":
            # Anki before 2.1 wrote only collection.anki2; today's library can no longer
            # write it, so the same schema-11 collection is moved to that name.
            path = rename_member(
                path, "collection.anki21", "collection.anki2", tmp_path / "old.apkg"
            )
    with zipfile.ZipFile(path) as archive:
        assert f"collection.{fmt}" in archive.namelist()
    return path


def cards_by_prompt(bundle: Bundle) -> dict[str, Card]:
    return {card.prompt: card for deck in bundle.decks for card in deck.cards}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_note_tag_and_deck_arrives(anki_source: AnkiSource, tmp_path: Path, fmt: str) -> None:
    bundle = read_apkg(export(anki_source, tmp_path, fmt))

    assert [d.name for d in bundle.decks] == [
        "Rust",
        "Rust::Ownership",
        "Rust::Ownership::Borrowing",
    ]
    assert [len(d.cards) for d in bundle.decks] == [3, 1, 2]
    cards = cards_by_prompt(bundle)
    assert all(card.kind is Kind.FLASHCARD for card in cards.values())

    basic = cards["What does `let t = s;` do to a *String*?"]
    assert basic.back == "It **moves** it."
    assert basic.tags == ("ownership", "rust::move")

    # Basic (and reversed card): one card per template, each asking the other side.
    assert cards["&mut T"].back == "a unique borrow"
    assert cards["a unique borrow"].back == "&mut T"
    assert cards["a unique borrow"].tags == ("borrowing",)

    # Cloze: one card per deletion, the others shown as plain text.
    first = cards["A [...] owns its heap value; an Rc shares it."]
    assert first.back == "A **Box** owns its heap value; an Rc shares it.\n\nextra"
    assert first.tags == ("smart-pointers",)
    assert "A Box owns its heap value; an [shared pointer] shares it." in cards


@pytest.mark.parametrize("fmt", FORMATS)
def test_scripts_and_event_handlers_are_sanitized_away(
    anki_source: AnkiSource, tmp_path: Path, fmt: str
) -> None:
    bundle = read_apkg(export(anki_source, tmp_path, fmt))
    hostile = next(c for c in bundle.decks[0].cards if c.prompt.startswith("Why"))
    assert hostile.prompt == "Why **move**?"
    assert hostile.back == "oklink"
    for text in (hostile.prompt, hostile.back):
        for bad in ("script", "alert", "onerror", "<img", "javascript", "href"):
            assert bad not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_ids_derive_from_note_guid_and_ordinal(
    anki_source: AnkiSource, tmp_path: Path, fmt: str
) -> None:
    path = export(anki_source, tmp_path, fmt)
    first, again = read_apkg(path), read_apkg(path)
    assert first == again
    ids = [c.id for d in first.decks for c in d.cards]
    assert len(set(ids)) == len(ids) == 6
    note = anki_source.col.get_note(anki_source.notes["reversed"])
    borrowing = first.decks[2]
    assert {c.id for c in borrowing.cards} == {card_uuid(note.guid, 0), card_uuid(note.guid, 1)}


def test_a_changed_note_updates_the_same_card(anki_source: AnkiSource, tmp_path: Path) -> None:
    before = read_apkg(anki_source.export(tmp_path / "a.apkg", legacy=False))
    note = anki_source.col.get_note(anki_source.notes["basic"])
    note.fields[1] = "It moves it; `s` is unusable."
    anki_source.col.update_note(note)
    after = read_apkg(anki_source.export(tmp_path / "b.apkg", legacy=False))
    old, new = before.decks[1].cards[0], after.decks[1].cards[0]
    assert old.id == new.id
    assert new.back == "It moves it; `s` is unusable."


@pytest.mark.parametrize("fmt", FORMATS)
def test_scheduling_maps_onto_sm2_when_asked(
    anki_source: AnkiSource, tmp_path: Path, fmt: str
) -> None:
    col = anki_source.col
    basic = col.get_note(anki_source.notes["basic"]).cards()[0]
    col.sched.set_due_date([basic.id], "5!")  # a review card: interval 5, due in 5 days
    basic.load()
    basic.factor, basic.reps, basic.lapses = 2130, 7, 2
    col.update_card(basic)
    forward, backward = col.get_note(anki_source.notes["reversed"]).cards()
    col.sched.set_due_date([forward.id], "40!")
    col.sched.suspend_cards([backward.id])

    path = export(anki_source, tmp_path, fmt)
    assert read_apkg(path).progress == {}
    bundle = read_apkg(path, with_progress=True)
    cards = cards_by_prompt(bundle)
    today = study_day(datetime.now())

    progress = bundle.progress[cards["What does `let t = s;` do to a *String*?"].id]
    assert progress.state.interval == 5
    assert progress.state.easiness == Fraction(213, 100)
    assert progress.state.repetitions == 2  # 1 day, then 6: a second pass reaches 5 days
    assert progress.due == today + timedelta(days=5)
    assert (progress.lapses, progress.reviews, progress.suspended) == (2, 7, False)

    long = bundle.progress[cards["&mut T"].id]
    assert long.state.interval == 40
    assert long.state.easiness == Fraction(5, 2)
    assert long.state.repetitions == 5  # passes reach 1, 6, 15, 38, then 95 ≥ 40 days
    assert long.due == today + timedelta(days=40)

    suspended = bundle.progress[cards["a unique borrow"].id]
    assert suspended.suspended and suspended.state.is_new and suspended.due is None

    assert len(bundle.progress) == 3  # the cards never studied carry no progress
