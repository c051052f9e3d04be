"""Each kind is graded as documented, and grades are held to the band the answer earned."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.adapters.files import load_deck_file
from quizapp.core.grading import (
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
    Verdict,
    default_quality,
    grade,
    grade_options,
    normalize_error_code,
    quality_allowed,
)
from quizapp.core.model import Card, Kind

DECK = load_deck_file(Path(__file__).parents[1] / "data" / "sample.toml")
BY_KIND = {c.kind: c for c in DECK.cards}


def test_compiles_card() -> None:
    card = BY_KIND[Kind.COMPILES]
    assert grade(card, CompilesAnswer(compiles=False)).correct is True
    assert grade(card, CompilesAnswer(compiles=True)).correct is False
    assert grade(card, CompilesAnswer(compiles=False, error_code="e382")).correct is True
    wrong_code = grade(card, CompilesAnswer(compiles=False, error_code="E0499"))
    assert wrong_code.correct is False and "E0382" in wrong_code.summary


def test_compiles_card_that_asks_for_the_error() -> None:
    card = Card(
        id="x",
        kind=Kind.COMPILES,
        prompt="?",
        code="fn main(){}",
        compiles=False,
        errors=("E0382", "E0505"),
        ask_error=True,
    )
    assert grade(card, CompilesAnswer(False)).correct is False
    assert grade(card, CompilesAnswer(False, "E0505")).correct is True
    assert grade(card, CompilesAnswer(False, "0382")).correct is True


def test_output_card_ignores_trailing_whitespace_only() -> None:
    card = BY_KIND[Kind.OUTPUT]
    assert grade(card, OutputAnswer("0\n1\n2")).correct is True
    assert grade(card, OutputAnswer("0  \r\n1\n2\n\n")).correct is True
    assert grade(card, OutputAnswer("0\n1\n2\n3")).correct is False
    assert grade(card, OutputAnswer(" 0\n1\n2")).correct is False
    assert grade(card, OutputAnswer("0\n1\n2", panics=True)).correct is False


def test_output_card_that_panics() -> None:
    card = Card(id="x", kind=Kind.OUTPUT, prompt="?", code="...", stdout="start\n", panics=True)
    assert grade(card, OutputAnswer("start", panics=True)).correct is True
    assert grade(card, OutputAnswer("start", panics=False)).correct is False
    assert grade(card, OutputAnswer("", panics=True)).correct is False


def test_choice_single_and_multi() -> None:
    card = BY_KIND[Kind.CHOICE]
    assert grade(card, ChoiceAnswer(frozenset({1}))).correct is True
    assert grade(card, ChoiceAnswer(frozenset({0}))).correct is False
    multi = Card(
        id="m",
        kind=Kind.CHOICE,
        prompt="?",
        options=("a", "b", "c"),
        answer_indexes=(0, 2),
        explanations=("", "", ""),
    )
    assert multi.is_multi_select
    assert grade(multi, ChoiceAnswer(frozenset({0, 2}))).correct is True
    assert grade(multi, ChoiceAnswer(frozenset({0}))).correct is False
    assert grade(multi, ChoiceAnswer(frozenset({0, 1, 2}))).correct is False


def test_short_answer_normalisation() -> None:
    card = Card(id="s", kind=Kind.SHORT, prompt="?", accepted=("T: Send + 'static", "E0382"))
    for given in ("e0382", "  `E0382` ", "t:  send + 'static"):
        assert grade(card, ShortAnswer(given)).correct is True, given
    for given in ("", "E0383", "Send"):
        assert grade(card, ShortAnswer(given)).correct is False, given


def test_flashcard_is_self_graded() -> None:
    verdict = grade(BY_KIND[Kind.FLASHCARD], SelfGraded())
    assert verdict.correct is None
    assert [o.quality for o in grade_options(verdict)] == [1, 3, 4, 5]


def test_wrong_kind_of_answer_is_a_bug() -> None:
    with pytest.raises(TypeError):
        grade(BY_KIND[Kind.SHORT], CompilesAnswer(True))


@pytest.mark.parametrize(
    ("correct", "allowed", "default"),
    [(True, {3, 4, 5}, 4), (False, {0, 1, 2}, 1), (None, {1, 3, 4, 5}, 4)],
)
def test_grade_bands(correct: bool | None, allowed: set[int], default: int) -> None:
    verdict = Verdict(correct, "")
    assert {q for q in range(6) if quality_allowed(verdict, q)} == allowed
    assert default_quality(verdict) == default
    assert [o.key for o in grade_options(verdict)] == [1, 2, 3, 4]


def test_error_code_normalisation() -> None:
    assert normalize_error_code("E0382") == "E0382"
    assert normalize_error_code("e382") == "E0382"
    assert normalize_error_code("nothing") == ""
