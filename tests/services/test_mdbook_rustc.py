"""The mdbook-quiz importer asks the real rustc for a program's errors, codeless ones too."""

from __future__ import annotations

import pytest

from quizapp.core.deckfile import validate_deck_data
from quizapp.core.deckwriter import deck_to_data
from quizapp.core.mdbook_quiz import parse_mdbook_quiz
from quizapp.core.model import Kind
from quizapp.services.quiz_errors import rustc_errors

CODELESS_QUIZ = '''
[[questions]]
type = "Tracing"
prompt.program = """
fn pick<'a, 'b>(x: &'a str, _y: &'b str) -> &'b str {
    x
}

fn main() {
    println!("{}", pick("a", "b"));
}
"""
answer.doesCompile = false
answer.lineNumber = 2
'''


@pytest.mark.rustc
def test_an_error_without_a_code_becomes_messages_and_the_line() -> None:
    deck = parse_mdbook_quiz(CODELESS_QUIZ, "q.toml", name="ch10", error_codes=rustc_errors)
    [card] = deck.cards
    assert card.kind is Kind.COMPILES and card.errors == ()
    assert card.messages == ("lifetime may not live long enough",) and card.line == 2
    assert validate_deck_data(deck_to_data(deck)) == []
