"""The pure pieces: scheduling each way, templates and clozes, the protobuf reader."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.adapters.apkg import read_apkg, write_apkg
from quizapp.adapters.files import load_deck_file
from quizapp.core.anki.notes import NoteType, Sides, Template, card_sides, cloze_text
from quizapp.core.anki.protobuf import fields, read_string_field, read_varint_field
from quizapp.core.anki.scheduling import (
    AnkiSchedule,
    anki_from_progress,
    easiness_from_factor,
    estimated_repetitions,
    progress_from_anki,
)
from quizapp.core.bundle import Bundle, CardProgress
from quizapp.core.sm2 import Sm2State, review
from tests.conftest import DATA

CREATED = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("factor", "easiness"),
    [(2500, "2.5"), (2130, "2.13"), (2135, "2.14"), (1000, "1.3"), (0, "2.5"), (3333, "3.33")],
)
def test_easiness_is_factor_over_1000_in_hundredths_floored(factor: int, easiness: str) -> None:
    assert easiness_from_factor(factor) == Fraction(easiness)


@given(st.integers(1, 36500), st.integers(130, 400))
def test_estimated_repetitions_let_the_next_pass_grow_from_anki_interval(
    interval: int, hundredths: int
) -> None:
    easiness = Fraction(hundredths, 100)
    n = estimated_repetitions(interval, easiness)
    nxt = review(Sm2State(n, easiness, interval), 4)
    assert nxt.interval >= interval


def test_learning_and_relearning_cards_are_failed_sm2_cards() -> None:
    due_time = int(datetime(2026, 3, 2, 15, 0).timestamp())
    learning = progress_from_anki(AnkiSchedule(1, 1, due_time, 0, 0, 2, 0), CREATED)
    assert learning == CardProgress(Sm2State(0, Fraction(5, 2), 1), date(2026, 3, 2), 0, 2)
    relearning = progress_from_anki(AnkiSchedule(3, 3, 40, 10, 1900, 9, 3), CREATED)
    assert relearning == CardProgress(
        Sm2State(0, Fraction(19, 10), 1), CREATED + timedelta(days=40), 3, 9
    )


def test_a_filtered_deck_card_counts_from_its_original_due() -> None:
    card = AnkiSchedule(2, 2, due=-100_000, ivl=3, factor=2500, reps=3, lapses=0, odue=12, odid=7)
    progress = progress_from_anki(card, CREATED)
    assert progress is not None and progress.due == CREATED + timedelta(days=12)


def test_new_cards_carry_nothing_unless_suspended() -> None:
    assert progress_from_anki(AnkiSchedule(0, 0, 5, 0, 0, 0, 0), CREATED) is None
    suspended = progress_from_anki(AnkiSchedule(0, -1, 5, 0, 0, 0, 0), CREATED)
    assert suspended == CardProgress(Sm2State(), None, suspended=True)
    buried = progress_from_anki(AnkiSchedule(2, -2, 5, 4, 2500, 3, 0), CREATED)
    assert buried is not None and not buried.suspended


def test_progress_goes_to_anki_columns() -> None:
    progress = CardProgress(Sm2State(4, Fraction(218, 100), 30), date(2026, 2, 1), 2, 11, True)
    assert anki_from_progress(progress, CREATED, 9) == AnkiSchedule(2, -1, 31, 30, 2180, 11, 2)
    assert anki_from_progress(None, CREATED, 9) == AnkiSchedule(0, 0, 9, 0, 0, 0, 0)


def test_our_package_reads_back_with_its_progress(tmp_path: Path) -> None:
    deck = load_deck_file(DATA / "sample.toml")
    today = date.today()
    progress = {
        deck.cards[0].id: CardProgress(
            Sm2State(3, Fraction(236, 100), 15), today + timedelta(7), 1, 5
        ),
        deck.cards[4].id: CardProgress(Sm2State(1, Fraction(5, 2), 1), today - timedelta(2), 0, 1),
    }
    path = tmp_path / "s.apkg"
    write_apkg(Bundle((deck,), progress), path, now=datetime.now())
    back = read_apkg(path, with_progress=True)
    (read_deck,) = back.decks
    assert read_deck.name == "Sample" and len(read_deck.cards) == 5
    got = sorted(back.progress.values(), key=lambda p: p.state.interval)
    assert [(p.state.interval, p.state.easiness, p.due, p.lapses, p.reviews) for p in got] == [
        (1, Fraction(5, 2), today - timedelta(2), 0, 1),
        (15, Fraction(236, 100), today + timedelta(7), 1, 5),
    ]
    assert read_deck.cards == deck.cards  # the cards themselves, not flashcards of them
    assert read_deck.id == deck.id and back.flattened == frozenset()


BASIC_REVERSED = NoteType(
    "Basic (and reversed card)",
    ("Front", "Back"),
    (
        Template("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        Template("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
    ),
)


def test_templates_choose_each_cards_sides() -> None:
    assert card_sides(BASIC_REVERSED, ("f", "b"), 0).front == ("f",)
    assert card_sides(BASIC_REVERSED, ("f", "b"), 1).front == ("b",)
    assert card_sides(BASIC_REVERSED, ("f", "b"), 1).back == ("f",)
    typed = NoteType("Type", ("Q", "A"), (Template("{{Q}} {{type:A}}", "{{FrontSide}}"),))
    assert card_sides(typed, ("q", "a"), 0) == Sides(("q",), ("a",))
    odd = NoteType("Odd", ("One", "Two", "Three"), (Template("static text", "{{Tags}}"),))
    sides = card_sides(odd, ("1", "", "3"), 0)
    assert (sides.front, sides.back) == (("1",), ("3",))


def test_cloze_hides_one_deletion_and_shows_the_rest() -> None:
    text = "{{c1::Box}} owns; {{c2::Rc::pointer}} shares; {{c1::Vec}} grows"
    assert cloze_text(text, 1, reveal=False) == "[...] owns; Rc shares; [...] grows"
    assert cloze_text(text, 2, reveal=False) == "Box owns; [pointer] shares; Vec grows"
    assert cloze_text(text, 2, reveal=True) == "Box owns; <b>Rc</b> shares; Vec grows"


def test_protobuf_fields() -> None:
    data = b"\x08\x96\x01" + b"\x12\x03abc" + b"\x1d\x01\x00\x00\x00"
    assert fields(data) == {1: 150, 2: b"abc", 3: 1}
    assert read_varint_field(data, 1) == 150 and read_string_field(data, 2) == "abc"
    assert read_varint_field(b"", 1, 0) == 0
    for broken in (b"\x08", b"\x12\x05ab", b"\x0b", b"\x08" + b"\xff" * 11):
        with pytest.raises(ValueError):
            fields(broken)
