"""Try it, headless: a learner's edit compiled and run by the real rustc, and whose code it is."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from quizapp import rustc
from quizapp.services import tryit
from quizapp.services.collection import Collection, open_collection
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from tests.conftest import DATA, FakeClock

pytestmark = pytest.mark.rustc

MOVED = """fn main() {
    let s = String::from("hi");
    let t = s;
    println!("{s} {t}");
}
"""
FIXED = MOVED.replace("let t = s;", "let t = s.clone();")
SAMPLE_CARD = "a0000000-0000-4000-8000-000000000001"


def test_compiling_the_cards_snippet_gives_rustcs_diagnostic() -> None:
    tried = tryit.compile_snippet(MOVED)
    assert tried.rustc.startswith("rustc ")
    assert not tried.compile.success
    assert tried.compile.error_codes == ("E0382",)
    assert "error[E0382]: borrow of moved value: `s`" in tried.compile.diagnostic
    assert tried.run is None


def test_the_fixed_snippet_compiles_and_is_not_run() -> None:
    tried = tryit.compile_snippet(FIXED)
    assert tried.compile.success
    assert tried.compile.diagnostic == ""
    assert tried.run is None


def test_running_shows_stdout_and_a_clean_exit() -> None:
    tried = tryit.run_snippet(FIXED)
    assert tried.run is not None
    assert tried.run.stdout == "hi hi\n"
    assert tryit.describe_run(tried.run) == tryit.RunOutcome("exit status 0", ok=True)


def test_running_a_snippet_that_does_not_compile_runs_nothing() -> None:
    tried = tryit.run_snippet(MOVED)
    assert not tried.compile.success
    assert tried.run is None


def test_a_panic_and_an_endless_loop_are_described() -> None:
    panics = tryit.run_snippet('fn main() { eprintln!("x"); panic!("boom"); }', "2021")
    assert panics.run is not None
    outcome = tryit.describe_run(panics.run)
    assert outcome == tryit.RunOutcome("it panicked (exit status 101)", ok=False)
    assert "boom" in panics.run.stderr

    loops = tryit.run_snippet("fn main() { loop {} }", timeout=1)
    assert loops.run is not None and loops.run.timed_out
    assert tryit.describe_run(loops.run, timeout=1).text == "stopped: it did not finish within 1 s"


def test_a_cancelled_compile_raises_cancelled() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(rustc.Cancelled):
        tryit.compile_snippet(MOVED, cancel=cancel)


def test_the_edition_reaches_rustc() -> None:
    # `async` is a keyword from 2018 on: a variable named so compiles only in 2015.
    code = 'fn main() { let async = 1; println!("{}", async); }\n'
    assert tryit.compile_snippet(code, "2015").compile.success
    assert not tryit.compile_snippet(code, "2021").compile.success


def test_rustc_available_follows_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert tryit.rustc_available()
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not tryit.rustc_available()


def test_a_shipped_decks_card_is_shipped(col: Collection) -> None:
    assert tryit.deck_is_shipped(col, SAMPLE_CARD)


def test_an_imported_decks_card_is_not_shipped(tmp_path: Path, clock: FakeClock) -> None:
    col = open_collection(tmp_path / "imported", clock=clock)
    try:
        plan = plan_import(col, read_bundle(DATA / "sample.toml"))
        assert plan.ok, plan.errors
        apply_import(col, plan)
        assert not tryit.deck_is_shipped(col, SAMPLE_CARD)
        assert not tryit.deck_is_shipped(col, "no-such-card")
    finally:
        col.close()
