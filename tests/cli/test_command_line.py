"""The command line behaves like cargo's and git's: options anywhere, quiet pipes, shared files."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.cli import build_parser
from tests.conftest import DATA


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_global_options_work_before_and_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    assert run(capsys, "--data-dir", str(before), "list")[0] == 0
    status, out, _ = run(capsys, "list", "--data-dir", str(after))
    assert status == 0 and "Deck" in out
    assert (after / "collection.sqlite3").is_file()
    status, _, _ = run(capsys, "import", str(DATA / "cards.csv"), "--yes", "--data-dir", str(after))
    assert status == 0
    status, out, _ = run(capsys, "list", "--data-dir", str(after))
    assert "cards" in out.split()


def test_a_global_option_before_the_command_is_not_reset_by_the_commands_copy() -> None:
    args = build_parser().parse_args(["--data-dir", "X", "-v", "list"])
    assert args.data_dir == "X" and args.verbose
    args = build_parser().parse_args(["backup", "list", "--data-dir", "Y"])
    assert args.data_dir == "Y" and not args.verbose


def test_exports_get_the_users_normal_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    run(capsys, "--data-dir", str(data), "import", "--yes", str(DATA / "cards.csv"))
    old = os.umask(0o022)
    try:
        out = tmp_path / "cards.toml"
        assert run(capsys, "--data-dir", str(data), "export", "cards", "-o", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        package = tmp_path / "cards.apkg"
        assert run(capsys, "--data-dir", str(data), "export", "cards", "-o", str(package))[0] == 0
        assert stat.S_IMODE(package.stat().st_mode) == 0o644
        os.chmod(out, 0o640)  # a file the user restricted keeps its mode when overwritten
        assert run(capsys, "--data-dir", str(data), "export", "cards", "-o", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        progress = tmp_path / "progress.json"
        os.umask(0o077)
        assert run(capsys, "--data-dir", str(data), "export-progress", "-o", str(progress))[0] == 0
        assert stat.S_IMODE(progress.stat().st_mode) == 0o600
    finally:
        os.umask(old)


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_is_drawn_on_a_terminal_and_nowhere_else() -> None:
    from quizapp.cli.verify import _Progress

    for tty in (True, False):
        stream = _Stream(tty)
        progress = _Progress(stream)
        for done in range(0, 101, 10):
            progress(done, 100)
        progress.finish()
        text = stream.getvalue()
        if tty:
            assert "\rverify: 100/100 code cards" in text and text.endswith("\n")
        else:
            assert text == ""  # a CI log or a pipe gets only the findings
