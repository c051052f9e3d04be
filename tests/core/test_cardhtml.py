"""What a learner sees after answering a code card: rustc's stored verdict, read from the deck.

The diagnostic must reach the learner verbatim (a reworded or re-wrapped `error[E0382]` is not
what rustc says), highlighted, with the rustc it was checked with, and whether or not this
machine has a rustc: it comes from the deck file, not from a compile.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.adapters.files import load_deck_file
from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.cardhtml import (
    answer_html,
    answer_parts,
    diagnostic_html,
    output_diff,
    output_diff_html,
)
from quizapp.core.checked import card_digest
from quizapp.core.grading import CompilesAnswer, OutputAnswer, grade
from quizapp.core.model import Card, Checked, Kind
from quizapp.core.palette import palette


def visible_text(fragment: str) -> str:
    """The text a browser shows: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def shipped_card(deck_file: str, want: object) -> Card:
    deck = load_deck_file(shipped_decks_dir() / deck_file)
    return next(c for c in deck.cards if want(c))  # type: ignore[operator]


def borrow_of_moved_value() -> Card:
    return shipped_card(
        "01-ownership.toml",
        lambda c: (
            c.kind is Kind.COMPILES
            and c.errors == ("E0382",)
            and c.checked is not None
            and "borrow of moved value" in c.checked.diagnostic
        ),
    )


def answered(card: Card, theme: str = "light") -> str:
    answer = CompilesAnswer(compiles=False, error_code="E0382")
    return answer_html(card, answer, grade(card, answer), theme)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_shipped_compile_fail_card_shows_rustcs_diagnostic_verbatim_and_the_version(
    theme: str,
) -> None:
    card = borrow_of_moved_value()
    assert card.checked is not None
    shown = visible_text(answered(card, theme))
    assert "error[E0382]: borrow of moved value" in shown
    assert card.checked.diagnostic.rstrip("\n") in shown  # every line, every column
    assert "checked with rustc 1.95.0" in shown


def test_the_stored_diagnostic_shows_on_a_machine_without_rustc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no rustc to be found
    assert shutil.which("rustc") is None
    shown = visible_text(answered(borrow_of_moved_value()))
    assert "error[E0382]: borrow of moved value" in shown
    assert "checked with rustc 1.95.0" in shown


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_diagnostic_is_coloured_as_rustc_colours_it(theme: str) -> None:
    pal = palette(theme)
    text = (
        "error[E0382]: borrow of moved value: `v`\n"
        " --> main.rs:4:20\n"
        "  |\n"
        "3 |     drop(v);\n"
        "  |          - value moved here\n"
        '4 |     println!("{}", v.len());\n'
        "  |                    ^ value borrowed here after move\n"
        "help: consider cloning the value\n"
        "  |\n"
        "3 |     drop(v.clone());\n"
        "  |           ++++++++\n"
    )
    out = diagnostic_html(text, theme)
    assert f'<span style="color:{pal.bad}; font-weight:bold;">error[E0382]:</span>' in out
    assert f'<span style="color:{pal.bad}; font-weight:bold;">^</span>' in out
    assert f'<span style="color:{pal.bad};">value borrowed here after move</span>' in out
    assert f'<span style="color:{pal.accent}; font-weight:bold;">-</span>' in out
    assert f'<span style="color:{pal.accent};">value moved here</span>' in out
    assert f'<span style="color:{pal.good}; font-weight:bold;">+</span>' in out
    assert f"background-color:{pal.code_bg}" in out
    assert visible_text(out) == text.rstrip("\n")


def test_markup_in_a_diagnostic_is_shown_not_interpreted() -> None:
    out = diagnostic_html("error: expected `<script>`, found `&`\n", "light")
    assert "<script>" not in out
    assert visible_text(out) == "error: expected `<script>`, found `&`"


def test_a_stale_stored_diagnostic_is_not_shown() -> None:
    """An author edited the code since `verify --write`: the stored text no longer applies."""
    card = borrow_of_moved_value()
    edited = replace(card, code=card.code.replace("total_len(words)", "total_len(words.clone())"))
    shown = visible_text(answered(edited))
    assert "error[E0382]" not in shown
    assert "rustc says" not in shown
    assert "checked with" not in shown


def test_a_card_that_compiles_says_so_with_the_version() -> None:
    card = shipped_card(
        "01-ownership.toml", lambda c: c.kind is Kind.COMPILES and c.compiles and c.checked
    )
    answer = CompilesAnswer(compiles=True)
    shown = visible_text(answer_html(card, answer, grade(card, answer), "light"))
    assert "rustc compiles it without errors · checked with rustc 1.95.0" in shown


def test_an_output_card_shows_what_rustc_ran_with_the_version() -> None:
    card = Card(
        id="b0000000-0000-4000-8000-000000000001",
        kind=Kind.OUTPUT,
        prompt="What does it print?",
        code='fn main() { println!("{}", 1 + 1); }\n',
        stdout="2\n",
    )
    card = replace(
        card, checked=Checked(rustc="rustc 1.95.0 (x 2026)", output="2\n", digest=card_digest(card))
    )
    answer = OutputAnswer(stdout="3\n")
    shown = visible_text(answer_html(card, answer, grade(card, answer), "dark"))
    assert "It printschecked with rustc 1.95.0" in shown.replace("\n", "")
    assert "Your answer against the output" in shown
    assert "- 3" in shown and "+ 2" in shown


def test_a_wrong_output_answer_is_diffed_line_by_line_against_the_output() -> None:
    assert output_diff("a\nb  \nx\nd\n", "a\nb\nc\nd") == [
        (" ", "a"),
        (" ", "b"),
        ("-", "x"),
        ("+", "c"),
        (" ", "d"),
    ]
    assert output_diff("", "1") == [("+", "1")]
    assert "&lt;T&gt;" in output_diff_html("<T>", "x", "light")


def test_the_verdict_and_explanation_come_before_rustcs_diagnostic() -> None:
    card = Card(
        id="b0000000-0000-4000-8000-000000000002",
        kind=Kind.COMPILES,
        prompt="Does it compile?",
        code="fn main() { let v = vec![1]; let w = v; v.len(); }\n",
        compiles=False,
        errors=("E0382",),
        explanation="`v` moved into `w`.",
    )
    card = replace(
        card,
        checked=Checked(
            rustc="rustc 1.95.0 (x 2026)",
            diagnostic="error[E0382]: borrow of moved value: `v`\n",
            digest=card_digest(card),
        ),
    )
    answer = CompilesAnswer(False, "E0382")
    parts = answer_parts(card, answer, grade(card, answer), "light")
    assert "moved into" in visible_text(parts.main) and "E0382]" not in visible_text(parts.main)
    assert "borrow of moved value" in visible_text(parts.diagnostic)
    whole = visible_text(answer_html(card, answer, grade(card, answer), "light"))
    assert whole.index("moved into") < whole.index("borrow of moved value")


def test_a_card_never_checked_shows_no_rustc_note() -> None:
    card = replace(borrow_of_moved_value(), checked=None)
    shown = visible_text(answered(card))
    assert "Right: it does not compile" in shown
    assert "rustc says" not in shown
    assert "checked with" not in shown
