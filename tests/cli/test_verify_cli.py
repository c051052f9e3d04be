"""`quizapp verify` as a deck author and CI see it: lines, summary, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.app import main

pytestmark = pytest.mark.rustc

DECK = """\
format = 1

[deck]
id = "d0000000-0000-4000-8000-00000000000c"
name = "CLI deck"

[[cards]]
id = "c0000000-0000-4000-8000-000000000001"
kind = "compiles"
prompt = "Does it compile?"
code = '''
fn main() {
    let s = String::from("hi");
    let t = s;
    println!("{s} {t}");
}
'''
compiles = false
errors = ["E0382"]

[[cards]]
id = "c0000000-0000-4000-8000-000000000002"
kind = "output"
prompt = "What does it print?"
code = '''
fn main() {
    println!("{}", 6 * 7);
}
'''
stdout = "42\\n"

[[cards]]
id = "c0000000-0000-4000-8000-000000000003"
kind = "short"
prompt = "The move error?"
answer = ["E0382"]
"""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "deck.toml"
    path.write_text(DECK, encoding="utf-8")
    return path


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["verify", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_good_deck_exits_zero(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = verify(capsys, "--run", str(deck))
    assert code == 0
    assert out == ["3 passed, 0 failed"]
    assert "code cards" not in err  # stderr is not a terminal here: no progress lines


def test_run_says_how_the_programs_are_contained(
    deck: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, err = verify(capsys, "--run", str(deck))
    assert "verify --run: It runs in a sandbox (bubblewrap): no network" in err
    monkeypatch.setenv("QUIZAPP_NO_SANDBOX", "1")
    _, _, err = verify(capsys, "--run", "--no-cache", str(deck))
    assert "verify --run: There is no sandbox on this computer" in err
    assert "it can read and change your files and use the network" in err


def test_a_wrong_error_code_prints_one_line_and_fails(
    deck: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck.write_text(DECK.replace('errors = ["E0382"]', 'errors = ["E0499"]'), encoding="utf-8")
    code, out, _ = verify(capsys, "--run", "--jobs", "2", str(deck))
    assert code == 1
    assert out == [
        f"{deck}: card c0000000-0000-4000-8000-000000000001: "
        "expected errors [E0499], rustc gave [E0382]",
        "2 passed, 1 failed",
    ]


def test_foreign_output_cards_are_skipped_without_run(
    deck: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = verify(capsys, str(deck))
    assert code == 0
    assert out[-1] == "2 passed, 0 failed, 1 skipped"
    assert out[0].startswith(f"{deck}: card c0000000-0000-4000-8000-000000000002: needs --run")


def test_write_then_verify_passes(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = verify(capsys, "--run", "--write", str(deck))
    assert code == 0
    assert f"wrote {deck}" in err
    text = deck.read_text(encoding="utf-8")
    assert text.startswith(DECK.split("[[cards]]")[0])
    assert text.count("[cards.checked]") == 2
    code, out, err = verify(capsys, "--run", "--no-cache", str(deck))
    assert (code, out) == (0, ["3 passed, 0 failed"])
    assert "2 compiled, 0 from the cache" in err


def test_a_malformed_deck_names_file_line_and_field(
    deck: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck.write_text(DECK.replace('kind = "short"', 'kind = "essay"'), encoding="utf-8")
    code, out, _ = verify(capsys, str(deck))
    assert code == 1
    line = DECK.splitlines().index('kind = "short"') + 1
    assert out[0].startswith(f"{deck}:{line}: cards[2].kind: 'essay' is not one of")
    assert out[-1] == "0 passed, 1 failed"


def test_jobs_must_be_positive(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["verify", "--jobs", "0", str(deck)])
    assert exit_info.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_missing_rustc_exits_2_and_says_how_to_install(deck: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "no-bin")}
    done = subprocess.run(
        [sys.executable, "-m", "quizapp", "verify", str(deck)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "rustc was not found" in done.stderr
    assert "https://rustup.rs" in done.stderr
    assert done.stdout == ""


def test_lint_flags_a_card_without_explanation_and_fails(
    deck: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = verify(capsys, "--run", str(deck))
    assert code == 0, "the same deck passes without --lint"
    code, out, _err = verify(capsys, "--run", "--lint", str(deck))
    assert code == 1
    flagged = [line for line in out if "lint: no explanation" in line]
    assert len(flagged) == 3 and "card c0000000-0000-4000-8000-000000000001" in flagged[0]
    assert out[-1] == "3 passed, 3 failed"
