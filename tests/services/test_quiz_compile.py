"""An mdbook-quiz file's programs are compiled after the preview, with consent, by the real
rustc under its limits: each non-compiling Tracing card gets its verdict and error codes,
and the cards rustc could not fill in are named with their place in the file."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from quizapp import rustc
from quizapp.core.deckfile import validate_deck_data
from quizapp.core.deckwriter import deck_to_data
from quizapp.core.model import Kind
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, find_deck, load_deck, plan_import
from quizapp.services.importers import read_bundle
from quizapp.services.quiz_errors import compile_consent_text, compile_uncompiled
from tests.conftest import DATA

MOVED, LIFETIME, HUGE, WRONG, PRINTS = (
    f"d2000000-0000-4000-8000-00000000000{n}" for n in range(1, 6)
)


@pytest.fixture
def quiz(tmp_path: Path) -> Path:
    path = tmp_path / "ch04-tracing.toml"
    shutil.copyfile(DATA / "mdbook-quiz-tracing.toml", path)
    return path


def test_reading_lists_the_programs_to_compile_with_their_place(quiz: Path) -> None:
    bundle = read_bundle(quiz)
    assert bundle.uncompiled == {
        MOVED: f"{quiz}:3: questions[0]",
        LIFETIME: f"{quiz}:17: questions[1]",
        HUGE: f"{quiz}:32: questions[2]",
        WRONG: f"{quiz}:46: questions[3]",
    }
    cards = {c.id: c for c in bundle.decks[0].cards}
    assert cards[MOVED].kind is Kind.SHORT and cards[MOVED].accepted == ("4",)
    # The quiz names no line for this one: until rustc is asked it is a yes/no question.
    assert cards[LIFETIME].kind is Kind.CHOICE and cards[LIFETIME].options == ("Yes", "No")
    assert cards[PRINTS].kind is Kind.OUTPUT
    assert validate_deck_data(deck_to_data(bundle.decks[0])) == []


@pytest.mark.rustc
def test_compiling_fills_in_each_verdict_and_code_then_the_import_keeps_them(
    col: Collection, quiz: Path
) -> None:
    bundle = read_bundle(quiz)
    seen: list[tuple[int, int]] = []
    compiled = compile_uncompiled(bundle, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert compiled.filled == 3
    [left] = compiled.left
    assert left.card_uuid == WRONG and left.place == f"{quiz}:46: questions[3]"
    assert left.why == "rustc compiles it, though the quiz says it does not"
    assert compiled.bundle.uncompiled == {WRONG: f"{quiz}:46: questions[3]"}

    plan = plan_import(col, compiled.bundle)
    assert plan.ok, plan.errors
    apply_import(col, plan)
    cards = {c.id: c for c in load_deck(col, find_deck(col, "ch04-tracing")).cards}
    moved = cards[MOVED]
    assert moved.kind is Kind.COMPILES and moved.compiles is False
    assert moved.errors == ("E0382",) and moved.line == 4
    assert moved.explanation.startswith("rustc rejects line 4.")
    lifetime = cards[LIFETIME]
    assert lifetime.kind is Kind.COMPILES and lifetime.errors == ()
    assert lifetime.messages == ("lifetime may not live long enough",) and lifetime.line == 2
    # A terabyte static: rustc stops at its memory limit and says E0080, in a fraction of
    # a second, instead of growing to 9 GB.
    assert cards[HUGE].kind is Kind.COMPILES and cards[HUGE].errors == ("E0080",)
    assert cards[WRONG].kind is Kind.SHORT and cards[WRONG].accepted == ("3",)
    assert cards[PRINTS].kind is Kind.OUTPUT

    # Imported again without compiling: what rustc said is kept, not turned back into
    # line questions; only the card it could not answer for is still without a code.
    again = plan_import(col, read_bundle(quiz))
    assert again.ok and again.decks[0].changed == () and again.decks[0].unchanged == 5
    assert again.bundle.uncompiled == {WRONG: f"{quiz}:46: questions[3]"}


def test_without_rustc_the_import_still_works_and_says_which_cards_lack_a_code(
    col: Collection, quiz: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rustc.containment()  # probed (once per process) with the real PATH, bwrap on it
    monkeypatch.setenv("PATH", str(quiz.parent))  # no rustc here
    bundle = read_bundle(quiz)
    compiled = compile_uncompiled(bundle)
    assert compiled.filled == 0
    assert [x.card_uuid for x in compiled.left] == [MOVED, LIFETIME, HUGE, WRONG]
    assert all("rustc was not found" in x.why for x in compiled.left)
    plan = plan_import(col, compiled.bundle)
    assert plan.ok
    apply_import(col, plan)
    kinds = [c.kind for c in load_deck(col, find_deck(col, "ch04-tracing")).cards]
    assert kinds == [Kind.SHORT, Kind.CHOICE, Kind.SHORT, Kind.SHORT, Kind.OUTPUT]


@pytest.mark.rustc
def test_a_cancelled_compile_raises_and_fills_in_nothing(quiz: Path) -> None:
    bundle = read_bundle(quiz)
    stop = threading.Event()
    stop.set()
    with pytest.raises(rustc.Cancelled):
        compile_uncompiled(bundle, cancel=stop)
    assert len(bundle.uncompiled) == 4  # the bundle read is a value: untouched


@pytest.mark.rustc
def test_the_consent_says_whose_code_and_how_rustc_is_contained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said = compile_consent_text(4)
    assert "compile 4 programs" in said and "never runs them" in said
    assert "whoever made the file" in said
    assert "sandbox (bubblewrap): no network" in said and "2 GiB of memory" in said
    monkeypatch.setenv(rustc.NO_SANDBOX_ENV, "1")
    assert "There is no sandbox on this computer" in compile_consent_text(1)
