"""verify_paths against the real rustc, on deck files written into tmp_path."""

from __future__ import annotations

import re
import textwrap
import tomllib
from pathlib import Path

import pytest

from quizapp import rustc
from quizapp.adapters.files import load_deck_file
from quizapp.services.verify import NEEDS_RUN, VerifyReport, verify_paths

pytestmark = pytest.mark.rustc

DECK_A = "d0000000-0000-4000-8000-00000000000a"
DECK_B = "d0000000-0000-4000-8000-00000000000b"
MOVED = (
    'fn main() {\n    let s = String::from("hi");\n    let t = s;\n    println!("{s} {t}");\n}\n'
)
COUNT = 'fn main() {\n    for i in 0..3 {\n        println!("{i}");\n    }\n}\n'


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(folder))
    return folder


def uid(n: int) -> str:
    return f"a0000000-0000-4000-8000-{n:012d}"


def card(n: int, kind: str, code: str | None = None, **fields: object) -> str:
    lines = ["[[cards]]", f'id = "{uid(n)}"', f'kind = "{kind}"', 'prompt = "Q?"']
    if code is not None:
        lines.append(f"code = '''\n{code}'''")
    for key, value in fields.items():
        lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def write_deck(folder: Path, name: str, *cards: str, deck_id: str = DECK_A) -> Path:
    head = f'format = 1\n\n[deck]\nid = "{deck_id}"\nname = "Test deck"\n\n'
    path = folder / name
    path.write_text(head + "\n".join(cards), encoding="utf-8")
    return path


def lines(report: VerifyReport) -> list[str]:
    return [f.render() for f in report.failures]


def good_cards() -> list[str]:
    return [
        card(1, "compiles", "fn main() {}\n", compiles=True),
        card(2, "compiles", MOVED, compiles=False, errors=["E0382"], ask_error=True),
        card(3, "output", COUNT, stdout="0\n1\n2\n"),
        card(
            4,
            "output",
            'fn main() {\n    print!("a");\n    panic!("b");\n}\n',
            stdout="a",
            panics=True,
        ),
        card(5, "flashcard", back="Yes."),
    ]


def test_a_correct_deck_passes(tmp_path: Path) -> None:
    path = write_deck(tmp_path, "good.toml", *good_cards())
    report = verify_paths([path], jobs=2, run_foreign=True)
    assert lines(report) == []
    assert (report.passed, report.failed, report.skipped) == (5, 0, 0)
    assert report.summary() == "5 passed, 0 failed"
    assert report.rustc_version == rustc.rustc_version()


def test_a_directory_means_its_toml_files(tmp_path: Path) -> None:
    write_deck(tmp_path, "one.toml", card(1, "flashcard", back="x"))
    write_deck(tmp_path, "two.toml", card(2, "flashcard", back="y"), deck_id=DECK_B)
    (tmp_path / "notes.txt").write_text("not a deck")
    report = verify_paths([tmp_path])
    assert (report.decks, report.passed, report.failed) == (2, 2, 0)


@pytest.mark.parametrize(
    ("the_card", "expected"),
    [
        (card(7, "compiles", MOVED, compiles=True), "expected it to compile, rustc gave [E0382]"),
        (
            card(7, "compiles", "fn main() {}\n", compiles=False, errors=["E0382"]),
            "expected errors [E0382], but it compiles",
        ),
        (
            card(7, "compiles", MOVED, compiles=False, errors=["E0499"]),
            "expected errors [E0499], rustc gave [E0382]",
        ),
        (
            card(7, "compiles", "fn main() { let x = ; }\n", compiles=False, errors=["E0382"]),
            "expected errors [E0382], rustc gave [] and an error without a code: "
            "'expected expression, found `;`'",
        ),
        (
            card(7, "output", COUNT, stdout="1\n2\n3\n"),
            "expected stdout '1\\n2\\n3\\n', got '0\\n1\\n2\\n'",
        ),
        (card(7, "output", COUNT, panics=True), "expected a panic, but it exited with code 0"),
        (
            card(
                7,
                "output",
                'fn main() {\n    print!("x");\n    panic!("boom");\n}\n',
                stdout="y",
                panics=True,
            ),
            "expected stdout 'y' before the panic, got 'x'",
        ),
        (
            card(7, "output", 'fn main() {\n    panic!("boom");\n}\n', stdout=""),
            "expected no panic, but it panicked: thread 'main'",
        ),
        (
            card(7, "output", MOVED, stdout="hi hi\n"),
            "expected it to compile and run, rustc gave [E0382]",
        ),
    ],
    ids=[
        "wrong-compiles",
        "compiles-after-all",
        "wrong-error-code",
        "error-without-code",
        "wrong-stdout",
        "no-panic",
        "stdout-before-panic",
        "unexpected-panic",
        "output-card-that-does-not-compile",
    ],
)
def test_a_wrong_answer_fails_with_a_line_naming_the_card(
    tmp_path: Path, the_card: str, expected: str
) -> None:
    path = write_deck(
        tmp_path, "bad.toml", card(1, "compiles", "fn main() {}\n", compiles=True), the_card
    )
    report = verify_paths([path], jobs=2, run_foreign=True)
    assert (report.passed, report.failed) == (1, 1)
    [line] = lines(report)
    assert line.startswith(f"{path}: card {uid(7)}: {expected}")


def test_a_malformed_field_fails_with_file_line_and_field(tmp_path: Path) -> None:
    bad = card(1, "compiles", "fn main() {}\n", compiles=True, edition="2020")
    path = write_deck(tmp_path, "bad.toml", bad)
    report = verify_paths([path])
    assert report.failed == 1
    [line] = lines(report)
    assert re.match(rf"{re.escape(str(path))}:\d+: cards\[0\]\.edition: ", line)


def test_a_missing_path_fails(tmp_path: Path) -> None:
    report = verify_paths([tmp_path / "nope.toml"])
    assert report.failed == 1
    assert lines(report) == [f"{tmp_path / 'nope.toml'}: no such file or directory"]


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    first = write_deck(tmp_path, "a.toml", card(1, "flashcard", back="x"))
    second = write_deck(
        tmp_path,
        "b.toml",
        card(1, "flashcard", back="x"),
        card(2, "flashcard", back="y"),
        deck_id=DECK_A,
    )
    report = verify_paths([first, second])
    assert lines(report) == [
        f"{second}: deck {DECK_A}: duplicate deck id (also in {first})",
        f"{second}: card {uid(1)}: duplicate id (also used in {first})",
    ]
    assert (report.passed, report.failed) == (2, 2)


def test_the_cache_makes_a_second_run_skip_rustc(tmp_path: Path) -> None:
    path = write_deck(tmp_path, "good.toml", *good_cards())
    cold = verify_paths([path], jobs=2, run_foreign=True)
    warm = verify_paths([path], jobs=2, run_foreign=True)
    assert (cold.compiles, cold.cache_hits) == (4, 0)
    assert (warm.compiles, warm.cache_hits) == (0, 4)
    assert warm.summary() == cold.summary() == "5 passed, 0 failed"
    uncached = verify_paths([path], jobs=2, run_foreign=True, use_cache=False)
    assert uncached.compiles == 4


def test_the_cache_keys_on_code_not_on_the_answer(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path, "deck.toml", card(1, "compiles", MOVED, compiles=False, errors=["E0382"])
    )
    assert verify_paths([path]).compiles == 1
    write_deck(tmp_path, "deck.toml", card(1, "compiles", MOVED, compiles=False, errors=["E0499"]))
    rejudged = verify_paths([path])
    assert rejudged.compiles == 0
    assert rejudged.failed == 1


def test_the_cache_dir_argument_wins(tmp_path: Path, cache_dir: Path) -> None:
    path = write_deck(tmp_path, "deck.toml", card(1, "compiles", "fn main() {}\n", compiles=True))
    own = tmp_path / "own-cache"
    verify_paths([path], cache_dir=own)
    assert (own / "verify-cache.json").exists()
    assert not cache_dir.exists()


def test_foreign_output_cards_are_compiled_but_not_run(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path,
        "foreign.toml",
        card(1, "output", COUNT, stdout="wrong, but never run"),
        card(2, "output", MOVED, stdout="x"),
        card(3, "compiles", "fn main() {}\n", compiles=True),
    )
    report = verify_paths([path])
    assert (report.passed, report.failed, report.skipped) == (1, 1, 1)
    assert [s.render() for s in report.skips] == [f"{path}: card {uid(1)}: {NEEDS_RUN}"]
    assert report.summary() == "1 passed, 1 failed, 1 skipped"
    ran = verify_paths([path], run_foreign=True)
    assert (ran.passed, ran.failed, ran.skipped) == (1, 2, 0)


def test_a_program_that_loops_forever_fails_by_timeout_and_is_not_cached(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path, "loop.toml", card(1, "output", "fn main() {\n    loop {}\n}\n", stdout="")
    )
    report = verify_paths([path], run_foreign=True, run_timeout=1)
    assert lines(report) == [
        f"{path}: card {uid(1)}: the program did not finish (killed by the timeout)"
    ]
    assert verify_paths([path], run_foreign=True, run_timeout=1).compiles == 1


def test_progress_is_reported_up_to_the_total(tmp_path: Path) -> None:
    path = write_deck(tmp_path, "good.toml", *good_cards())
    seen: list[tuple[int, int]] = []
    verify_paths([path], run_foreign=True, progress_callback=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def checked_block(digest: str, **fields: str) -> str:
    body = "".join(f"{k} = {_toml(v)}\n" for k, v in fields.items())
    return f'\n[cards.checked]\n{body}digest = "{digest}"\n'


def test_write_then_verify_passes_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    cards = good_cards()
    cards[1] = cards[1].replace('prompt = "Q?"', 'prompt   =   "Q?"   # odd spacing kept')
    path = write_deck(tmp_path, "deck.toml", "# A comment that must survive.\n", *cards)
    original = path.read_text(encoding="utf-8")

    written = verify_paths([path], run_foreign=True, write=True)
    assert written.written == (path,)
    assert written.failed == 0
    text = path.read_text(encoding="utf-8")
    assert text.count("[cards.checked]") == 4
    without = re.sub(r"\[cards\.checked\]\n.*?(?=\[\[cards\]\]|\Z)", "", text, flags=re.S)
    assert without.rstrip("\n") == original.rstrip("\n")

    data = tomllib.loads(text)
    moved = data["cards"][1]["checked"]
    assert moved["rustc"] == rustc.rustc_version()
    assert moved["diagnostic"].startswith("error[E0382]: borrow of moved value: `s`\n --> main.rs:")
    assert data["cards"][2]["checked"]["output"] == "0\n1\n2\n"
    assert data["cards"][3]["checked"]["output"] == "a"
    assert "diagnostic" not in data["cards"][0]["checked"]
    assert "checked" not in data["cards"][4]

    again = verify_paths([path], run_foreign=True)
    assert lines(again) == []
    assert verify_paths([path], run_foreign=True, write=True).written == ()
    assert path.read_text(encoding="utf-8") == text


def test_a_stale_digest_fails_until_written(tmp_path: Path) -> None:
    stale = card(1, "compiles", MOVED, compiles=False, errors=["E0382"]) + checked_block(
        "0" * 64, rustc=rustc.rustc_version(), diagnostic="old"
    )
    path = write_deck(tmp_path, "deck.toml", stale)
    report = verify_paths([path])
    [line] = lines(report)
    assert line.startswith(
        f"{path}: card {uid(1)}: stale [cards.checked]: its digest does not match"
    )
    assert verify_paths([path], write=True).failed == 0
    assert verify_paths([path]).failed == 0


def test_the_same_rustc_giving_another_diagnostic_is_stale(tmp_path: Path) -> None:
    plain = write_deck(
        tmp_path, "deck.toml", card(1, "compiles", MOVED, compiles=False, errors=["E0382"])
    )
    verify_paths([plain], write=True)
    digest = load_deck_file(plain).cards[0].checked.digest  # type: ignore[union-attr]
    edited = card(1, "compiles", MOVED, compiles=False, errors=["E0382"]) + checked_block(
        digest, rustc=rustc.rustc_version(), diagnostic="error[E0382]: something else\n"
    )
    path = write_deck(tmp_path, "deck.toml", edited)
    [line] = lines(verify_paths([path]))
    assert line == (
        f"{path}: card {uid(1)}: stale [cards.checked]: {rustc.rustc_version()} now gives a "
        "different diagnostic; run `quizapp verify --write`"
    )
    older = edited.replace(rustc.rustc_version(), "rustc 1.0.0 (a28a6f0 2015-05-15)")
    write_deck(tmp_path, "deck.toml", older)
    assert verify_paths([path]).failed == 0, "another rustc may word it differently"


def test_missing_rustc_is_an_error_only_when_code_needs_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = write_deck(tmp_path, "plain.toml", card(1, "flashcard", back="x"))
    code = write_deck(
        tmp_path, "code.toml", card(2, "compiles", "fn main() {}\n", compiles=True), deck_id=DECK_B
    )
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert verify_paths([plain]).passed == 1
    with pytest.raises(rustc.RustcMissing):
        verify_paths([code])


def test_equal_snippets_are_compiled_once(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path,
        "deck.toml",
        card(1, "compiles", MOVED, compiles=False, errors=["E0382"]),
        card(2, "compiles", MOVED, compiles=False, errors=["E0382"], ask_error=True),
    )
    report = verify_paths([path], use_cache=False)
    assert (report.compiles, report.passed) == (1, 2)


def test_test_helpers_write_what_they_mean(tmp_path: Path) -> None:
    """Guards the helpers above: a typo there would make every other test vacuous."""
    path = write_deck(tmp_path, "deck.toml", *good_cards())
    deck = load_deck_file(path)
    assert [c.kind.value for c in deck.cards] == [
        "compiles",
        "compiles",
        "output",
        "output",
        "flashcard",
    ]
    assert deck.cards[1].code == MOVED
    assert deck.cards[3].stdout == "a" and deck.cards[3].panics
    assert textwrap.dedent(deck.cards[2].code) == COUNT


def test_run_grades_output_as_the_app_does_final_newlines_ignored(tmp_path: Path) -> None:
    """`stdout = "hi"` against a program printing `hi\\n`: the app accepts it, so does verify."""
    hello = 'fn main() {\n    println!("hi");\n}\n'
    path = write_deck(
        tmp_path,
        "newline.toml",
        card(1, "output", hello, stdout="hi"),
        card(2, "output", hello, stdout="hi\n\n"),
        card(3, "output", hello, stdout="ho"),
    )
    report = verify_paths([path], run_foreign=True, use_cache=False)
    assert (report.passed, report.failed) == (2, 1)
    [line] = lines(report)
    assert line.startswith(f"{path}: card {uid(3)}: expected stdout ")
