"""The CLI never prints a file's text raw, and never echoes a huge value (issue 13.6, 13.7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.app import main

ESC_NAME = "Evil\\u001b[2J\\u001b]0;pwned\\u0007\\u001b]52;c;ZWNobyBoaQ==\\u0007"


def deck_file(path: Path, name: str, prompt: str) -> Path:
    path.write_text(
        'format = 1\n\n[deck]\nid = "11111111-2222-4333-8444-555555555555"\n'
        f'name = "{name}"\n\n[[cards]]\nid = "11111111-2222-4333-8444-000000000001"\n'
        f'kind = "flashcard"\nprompt = "{prompt}"\nback = "b"\n',
        encoding="utf-8",
    )
    return path


def test_import_preview_and_list_show_escapes_not_control_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    path = deck_file(tmp_path / "evil.toml", ESC_NAME, "Hi\\u001b[8mhidden\\u202e")
    assert main(["--data-dir", data, "import", "--yes", str(path)]) == 0
    assert main(["--data-dir", data, "list"]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out
    assert "Evil\\x1b[2J\\x1b]0;pwned\\x07" in out
    assert "+ Hi\\x1b[8mhidden\\u202e" in out


def test_a_huge_bad_value_is_echoed_cut_to_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = deck_file(tmp_path / "huge.toml", "Huge", "x" * 3_000_000)
    assert main(["--data-dir", str(tmp_path / "data"), "import", "--yes", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "is too long" in err and "nothing was changed" in err
    assert len(err) < 2000, len(err)


def test_an_error_quoting_control_codes_shows_them_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"prompt,back\nq\x1b[2J,a,extra\n")
    assert main(["--data-dir", str(tmp_path / "data"), "import", "--yes", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "\x1b" not in err
