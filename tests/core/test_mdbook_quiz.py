"""mdbook-quiz files: each question type becomes the matching card kind; bad ones say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.bundle import ImportFailed
from quizapp.core.deckfile import validate_deck_data
from quizapp.core.deckwriter import deck_to_data
from quizapp.core.mdbook_quiz import parse_mdbook_quiz
from quizapp.core.model import Kind

QUIZ = (Path(__file__).parents[1] / "data" / "mdbook-quiz.toml").read_text(encoding="utf-8")


def test_every_question_type_becomes_a_card_that_obeys_the_deck_rules() -> None:
    deck = parse_mdbook_quiz(QUIZ, "q.toml", name="ch04", error_codes=lambda code: ("E0505",))
    assert validate_deck_data(deck_to_data(deck)) == []
    kinds = [c.kind for c in deck.cards]
    assert kinds == [
        Kind.COMPILES,
        Kind.OUTPUT,
        Kind.CHOICE,
        Kind.CHOICE,
        Kind.SHORT,
        Kind.FLASHCARD,
    ]
    broken, prints, single, multi, short, prose = deck.cards
    assert broken.id == "c1000000-0000-4000-8000-000000000001"
    assert broken.compiles is False and broken.errors == ("E0505",)
    assert broken.explanation.startswith("rustc rejects line 5.")
    assert "moves `v`" in broken.explanation
    assert prints.stdout == "12" and prints.code.startswith("fn main()")
    assert prints.explanation == "The loop adds each element once."
    assert sorted(single.options) == ["`Clone`", "`Copy`", "`Drop`", "`Sized`"]
    assert [single.options[i] for i in single.answer_indexes] == ["`Copy`"]
    assert len(single.explanations) == 4 and not single.is_multi_select
    assert multi.options == ("`Arc<i32>`", "`Rc<i32>`", "`String`")  # sortAnswers
    assert multi.answer_indexes == (0, 2) and multi.is_multi_select
    assert short.accepted == ("mut", "`mut`")
    assert prose.back.startswith("Exclusive access")


def test_same_file_gives_the_same_deck_each_time() -> None:
    first = parse_mdbook_quiz(QUIZ, "q.toml", name="ch04")
    again = parse_mdbook_quiz(QUIZ, "q.toml", name="ch04")
    assert first == again
    assert first.cards[5].id == again.cards[5].id  # derived, since the question has no id


def test_without_rustc_a_broken_program_asks_for_the_line() -> None:
    deck = parse_mdbook_quiz(QUIZ, "q.toml", name="ch04")
    card = deck.cards[0]
    assert card.kind is Kind.SHORT and card.accepted == ("5",)
    assert "which line" in card.prompt.lower()


def test_shuffled_options_do_not_always_put_the_answer_first() -> None:
    firsts = set()
    for n in range(8):
        text = QUIZ.replace(
            "c1000000-0000-4000-8000-000000000003", f"c1000000-0000-4000-8000-00000000010{n}"
        )
        card = parse_mdbook_quiz(text, "q.toml", name="x").cards[2]
        firsts.add(card.answer_indexes[0])
    assert len(firsts) > 1


@pytest.mark.parametrize(
    ("old", "new", "place", "words"),
    [
        (
            'type = "ShortAnswer"',
            'type = "Informational"',
            "q.toml:54: questions[4].type",
            "unknown question type 'Informational'",
        ),
        (
            "answer.doesCompile = true",
            'answer.doesCompile = "yes"',
            "q.toml:32: questions[1].answer.doesCompile",
            "true or false",
        ),
        (
            'answer.answer = "mut"',
            "answer.answer = 3",
            "questions[4].answer.answer",
            "must be a string",
        ),
        (
            "prompt.sortAnswers = true",
            "prompt.sortAnswer = true",
            "questions[3].prompt.sortAnswer",
            "unknown field",
        ),
        (
            'context = "The loop',
            'colour = "red"\ncontext = "The loop',
            "questions[1].colour",
            "unknown field",
        ),
    ],
)
def test_bad_questions_name_file_line_and_field(old: str, new: str, place: str, words: str) -> None:
    assert old in QUIZ
    with pytest.raises(ImportFailed) as info:
        parse_mdbook_quiz(QUIZ.replace(old, new, 1), "q.toml", name="x")
    assert place in str(info.value) and words in str(info.value)


def test_not_toml_is_refused() -> None:
    with pytest.raises(ImportFailed, match=r"q.toml: not valid TOML"):
        parse_mdbook_quiz("[[questions]\n", "q.toml", name="x")
