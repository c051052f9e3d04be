"""verify on codeless errors, the blamed line and fix cards, against the real rustc."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.adapters.files import load_deck_file
from quizapp.services.verify import NEEDS_RUN, verify_paths
from tests.services.test_verify import MOVED, card, lines, write_deck

pytestmark = pytest.mark.rustc

ESCAPES = (
    "fn pick<'a, 'b>(x: &'a str, _y: &'b str) -> &'b str {\n    x\n}\n\n"
    'fn main() {\n    println!("{}", pick("a", "b"));\n}\n'
)
LIFETIME = "lifetime may not live long enough"
MOVED_FIXED = MOVED.replace("let t = s;", "let t = s.clone();")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(folder))
    return folder


def test_a_codeless_error_card_passes(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path, "d.toml", card(1, "compiles", ESCAPES, compiles=False, messages=[LIFETIME])
    )
    report = verify_paths([path])
    assert report.ok, lines(report)


def test_a_wrong_message_fails_and_names_what_rustc_said(tmp_path: Path) -> None:
    wrong = card(1, "compiles", ESCAPES, compiles=False, messages=["borrowed data escapes"])
    report = verify_paths([write_deck(tmp_path, "d.toml", wrong)])
    assert report.failed == 1
    assert LIFETIME in lines(report)[0] and "borrowed data escapes" in lines(report)[0]


def test_the_line_rustc_blames_is_checked(tmp_path: Path) -> None:
    right = card(1, "compiles", MOVED, compiles=False, errors=["E0382"], line=4)
    assert verify_paths([write_deck(tmp_path, "a.toml", right)]).ok
    wrong = card(1, "compiles", MOVED, compiles=False, errors=["E0382"], line=3)
    report = verify_paths([write_deck(tmp_path, "b.toml", wrong)])
    assert report.failed == 1
    assert "blame line 3" in lines(report)[0] and "line 4" in lines(report)[0]


def fix(n: int, **fields: object) -> str:
    values: dict[str, object] = {"errors": ["E0382"]}
    values.update(fields)
    fixed = values.pop("fixed", MOVED_FIXED)
    text = card(n, "fix", MOVED, **values)
    return text + f"fixed = '''\n{fixed}'''\n"


def test_a_fix_card_passes_when_the_code_fails_and_the_fix_prints_stdout(tmp_path: Path) -> None:
    path = write_deck(tmp_path, "d.toml", fix(1, stdout="hi hi\n", line=4))
    report = verify_paths([path], run_foreign=True, write=True)
    assert report.ok and not report.skips, lines(report)
    checked = load_deck_file(path).cards[0].checked
    assert checked is not None and "E0382" in checked.diagnostic and checked.output == "hi hi\n"
    assert verify_paths([path], run_foreign=True).ok


def test_a_fix_that_does_not_compile_fails(tmp_path: Path) -> None:
    report = verify_paths([write_deck(tmp_path, "d.toml", fix(1, fixed=MOVED))])
    assert report.failed == 1
    assert "the fix does not compile" in lines(report)[0]


def test_a_fix_card_whose_code_compiles_fails(tmp_path: Path) -> None:
    text = card(1, "fix", MOVED_FIXED, errors=["E0382"]) + f"fixed = '''\n{MOVED_FIXED}'''\n"
    report = verify_paths([write_deck(tmp_path, "d.toml", text)])
    assert report.failed == 1
    assert "the given code: expected errors [E0382], but it compiles" in lines(report)[0]


def test_a_fix_printing_something_else_fails(tmp_path: Path) -> None:
    report = verify_paths([write_deck(tmp_path, "d.toml", fix(1, stdout="bye"))], run_foreign=True)
    assert report.failed == 1 and "expected stdout 'bye'" in lines(report)[0]


def test_a_foreign_fix_with_stdout_is_compiled_but_not_run(tmp_path: Path) -> None:
    report = verify_paths([write_deck(tmp_path, "d.toml", fix(1, stdout="bye"))])
    assert report.ok and [s.message for s in report.skips] == [NEEDS_RUN]
