"""`quizapp import` of an mdbook-quiz file: rustc names the errors only with `--compile` (or
a yes at the terminal), after the preview; otherwise the cards left without are listed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from quizapp import rustc
from quizapp.adapters.files import load_deck_file
from quizapp.app import main
from quizapp.core.model import Kind
from tests.conftest import DATA


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def quiz(tmp_path: Path) -> Path:
    path = tmp_path / "tracing.toml"
    shutil.copyfile(DATA / "mdbook-quiz-tracing.toml", path)
    return path


def kinds_after(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> list[Kind]:
    out = tmp_path / "out.toml"
    assert run(capsys, "--data-dir", str(data), "export", "tracing", "-o", str(out))[0] == 0
    return [c.kind for c in load_deck_file(out).cards]


@pytest.mark.rustc
def test_compile_names_the_errors_after_the_preview(
    tmp_path: Path, quiz: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    status, out, err = run(capsys, "--data-dir", str(data), "import", str(quiz), "--compile")
    assert status == 0, err
    assert out.index("5 to add") < out.index("rustc named the errors of 3 cards")
    assert "--compile: quizapp would compile 4 programs" in err
    assert f"{quiz}:46: questions[3]: rustc compiles it, though the quiz says it does not" in out
    assert kinds_after(capsys, data, tmp_path) == [
        Kind.COMPILES,
        Kind.COMPILES,
        Kind.COMPILES,
        Kind.SHORT,
        Kind.OUTPUT,
    ]


@pytest.mark.rustc
def test_without_consent_nothing_is_compiled_and_the_cards_are_named(
    tmp_path: Path, quiz: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    status, out, _ = run(capsys, "--data-dir", str(data), "import", str(quiz), "--yes")
    assert status == 0
    assert "4 cards left without rustc's error code" in out
    for line in (3, 17, 32, 46):
        assert f"{quiz}:{line}: questions[" in out
    assert "quizapp import --compile has rustc name them." in out
    assert Kind.COMPILES not in kinds_after(capsys, data, tmp_path)


@pytest.mark.rustc
def test_at_a_terminal_it_asks_and_no_compiles_nothing(
    tmp_path: Path,
    quiz: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter(["n", "y"])  # compile? no. import? yes.
    asked: list[str] = []

    def answer(question: str) -> str:
        asked.append(question)
        return next(answers)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    data = tmp_path / "data"
    status, out, _ = run(capsys, "--data-dir", str(data), "import", str(quiz))
    assert status == 0
    assert asked == ["Compile them to name their errors? [y/N] ", "Import? [y/N] "]
    assert "quizapp would compile 4 programs" in out and "it never runs them" in out
    assert Kind.COMPILES not in kinds_after(capsys, data, tmp_path)


def test_compile_without_rustc_still_imports_and_says_why(
    tmp_path: Path,
    quiz: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rustc.containment()  # probed (once per process) with the real PATH, bwrap on it
    monkeypatch.setenv("PATH", str(tmp_path))  # no rustc
    data = tmp_path / "data"
    status, out, _ = run(capsys, "--data-dir", str(data), "import", str(quiz), "--compile")
    assert status == 0
    assert "rustc named the errors of 0 cards" in out
    assert f"{quiz}:3: questions[0]: rustc was not found on the PATH" in out
    assert "tracing: 5 added" in out
