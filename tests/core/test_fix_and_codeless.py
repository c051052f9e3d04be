"""The fields issue 14 added: codeless errors (`messages`), the blamed `line`, `fix` cards."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizapp.core.cardhtml import answer_html
from quizapp.core.checked import card_digest
from quizapp.core.deckfile import DeckFileError, parse_deck_text
from quizapp.core.deckwriter import write_deck
from quizapp.core.grading import (
    NO_CODE,
    CompilesAnswer,
    FixAnswer,
    FixAttempt,
    answer_from_json,
    answer_to_json,
    count_unsafe,
    grade,
    grade_options,
)
from quizapp.core.model import Card, Kind

HEAD = 'format = 1\n\n[deck]\nid = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"\nname = "T"\n\n'
CODELESS = """[[cards]]
id = "a0000000-0000-4000-8000-000000000001"
kind = "compiles"
prompt = "Does it compile?"
code = '''
fn f<'a>(x: &'a str) -> &'static str {
    x
}
'''
compiles = false
messages = ["  lifetime may not live long enough "]
line = 2
"""
FIX = """[[cards]]
id = "a0000000-0000-4000-8000-000000000002"
kind = "fix"
prompt = "Make it compile."
code = '''
fn main() {
    let v = vec![1];
    let w = v;
    println!("{v:?}");
}
'''
errors = ["E0382"]
line = 4
fixed = '''
fn main() {
    let v = vec![1];
    let w = &v;
    println!("{v:?} {w:?}");
}
'''
stdout = "[1] [1]"
explanation = "Borrow instead of moving."
"""


def parse(*cards: str) -> list[Card]:
    return list(parse_deck_text(HEAD + "\n".join(cards), "t.toml").cards)


def problems(*cards: str) -> str:
    with pytest.raises(DeckFileError) as info:
        parse(*cards)
    return str(info.value)


def test_codeless_error_and_line_are_read_trimmed() -> None:
    [card] = parse(CODELESS)
    assert card.messages == ("lifetime may not live long enough",)
    assert card.errors == () and card.line == 2 and card.does_not_compile


def test_fix_card_is_read_and_written_back_the_same() -> None:
    cards = parse(FIX, CODELESS)
    fix = cards[0]
    assert fix.kind is Kind.FIX and fix.errors == ("E0382",) and fix.line == 4
    assert "let w = &v;" in fix.fixed and fix.stdout == "[1] [1]"
    deck = parse_deck_text(HEAD + FIX + "\n" + CODELESS, "t.toml")
    text = write_deck(deck)
    assert parse_deck_text(text, "again.toml") == deck
    assert "fixed = '''" in text


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('messages = ["  lifetime may not live long enough "]', "", "names its error codes"),
        ("line = 2", "line = 9", "line 9 is not in `code` (3 lines)"),
        ("compiles = false", "compiles = true", "a card that compiles has no error messages"),
    ],
)
def test_codeless_card_rules(old: str, new: str, words: str) -> None:
    assert words in problems(CODELESS.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('errors = ["E0382"]', "", "a fix card names the error codes"),
        ("fixed = '''", "fixd = '''", "unknown field"),
        ('kind = "fix"', 'kind = "output"', "fixed: is not used by a output card"),
    ],
)
def test_fix_card_rules(old: str, new: str, words: str) -> None:
    assert words in problems(FIX.replace(old, new))


def test_line_is_not_for_output_cards() -> None:
    text = FIX.replace('kind = "fix"', 'kind = "output"').split("fixed =")[0] + 'stdout = "x"\n'
    assert "line: is not used by a output card" in problems(text)


def test_new_fields_change_the_digest_only_when_set() -> None:
    [card] = parse(CODELESS)
    from dataclasses import replace

    bare = replace(card, messages=(), line=None, errors=("E0000",))
    with_line = replace(bare, line=2)
    assert card_digest(bare) != card_digest(with_line) != card_digest(card)


def test_naming_an_error_without_a_code() -> None:
    [card] = parse(CODELESS)
    asked = replace(card, ask_error=True)
    assert grade(asked, CompilesAnswer(False, NO_CODE, line=2)).correct is True
    assert grade(asked, CompilesAnswer(False, "E0382", line=2)).correct is False
    assert grade(asked, CompilesAnswer(False, "", line=2)).correct is False
    assert grade(card, CompilesAnswer(False, "", line=2)).correct is True
    assert "an error without a code" in grade(card, CompilesAnswer(True)).summary


def test_the_line_is_part_of_the_answer() -> None:
    [card] = parse(CODELESS)
    assert grade(card, CompilesAnswer(False, line=2)).correct is True
    wrong = grade(card, CompilesAnswer(False, line=1))
    assert wrong.correct is False and "line 2" in wrong.summary and "line 1" in wrong.summary
    assert grade(card, CompilesAnswer(False)).correct is False
    answer = CompilesAnswer(False, NO_CODE, line=3)
    assert answer_from_json(card, answer_to_json(answer)) == answer


def test_a_fix_is_graded_on_rustcs_verdict() -> None:
    [card] = parse(FIX)
    good = FixAttempt(compiled=True, ran=True, stdout="[1] [1]\n")
    assert grade(card, FixAnswer(card.fixed, good)).correct is True
    assert grade(card, FixAnswer(card.code, FixAttempt(compiled=False))).correct is False
    other = FixAttempt(compiled=True, ran=True, stdout="[1]")
    assert grade(card, FixAnswer(card.fixed, other)).summary.endswith("prints something else.")
    panicked = FixAttempt(compiled=True, ran=True, stdout="[1] [1]", run_ok=False)
    assert grade(card, FixAnswer(card.fixed, panicked)).correct is False
    unsafe = card.fixed.replace("let w = &v;", "let w = unsafe { &*(&v as *const Vec<i32>) };")
    verdict = grade(card, FixAnswer(unsafe, good))
    assert verdict.correct is False and "unsafe" in verdict.summary


def test_without_rustc_a_fix_is_self_graded() -> None:
    [card] = parse(FIX)
    verdict = grade(card, FixAnswer("whatever"))
    assert verdict.correct is None and grade_options(verdict)[0].label == "Again"
    not_run = grade(card, FixAnswer(card.fixed, FixAttempt(compiled=True)))
    assert not_run.correct is None


def test_fix_answers_round_trip_through_the_review_log() -> None:
    [card] = parse(FIX)
    answer = FixAnswer("fn main() {}", FixAttempt(True, "", True, "x", False, "rustc 1.95.0"))
    assert answer_from_json(card, answer_to_json(answer)) == answer
    assert answer_from_json(card, answer_to_json(FixAnswer("c"))) == FixAnswer("c")


def test_unsafe_in_comments_and_strings_does_not_count() -> None:
    code = 'fn main() {\n    // unsafe\n    let s = "unsafe";\n    unsafe { f() }\n}\n'
    assert count_unsafe(code) == 1


def test_the_answer_shows_the_model_fix_and_your_diagnostic() -> None:
    [card] = parse(FIX)
    attempt = FixAttempt(compiled=False, diagnostic="error[E0382]: borrow of moved value")
    verdict = grade(card, FixAnswer(card.code, attempt))
    html = answer_html(card, FixAnswer(card.code, attempt), verdict, "light")
    assert "rustc on your version" in html and "A fix" in html and "borrow of moved" in html


def test_a_preview_of_a_fix_card_is_self_graded() -> None:
    """The browser and editor preview with `SelfGraded`; a fix card must not refuse it."""
    from quizapp.core.grading import SelfGraded

    [card] = parse(FIX)
    verdict = grade(card, SelfGraded())
    assert verdict.correct is None
    assert "A fix" in answer_html(card, SelfGraded(), verdict, "light")
