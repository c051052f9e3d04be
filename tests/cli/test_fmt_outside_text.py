"""`quizapp fmt` and `new-card` quote a deck file's own keys in their errors: escaped and cut
like every other echo (issue 13.6, 13.7; found in the re-audit: both printed raw)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.app import main

ESC_KEY = "\\u001b]0;pwned\\u0007\\u001b[2J"


def deck_with_card_key(path: Path, key: str) -> Path:
    path.write_text(f'[deck]\nid = "x"\n\n[[cards]]\n"{key}" = {{ a = 1 }}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["fmt", "--check"], ["new-card", "--kind", "short"]])
def test_a_key_with_control_codes_is_shown_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = deck_with_card_key(tmp_path / "evil.toml", ESC_KEY)
    assert main([*command, str(path)]) != 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "cards[0].\\x1b]0;pwned\\x07\\x1b[2J: a table is not a card field" in err


@pytest.mark.parametrize("command", [["fmt", "--check"], ["new-card", "--kind", "short"]])
def test_a_huge_key_is_echoed_cut_to_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = deck_with_card_key(tmp_path / "huge.toml", "k" * 3_000_000)
    assert main([*command, str(path)]) != 0
    _, err = capsys.readouterr()
    assert "a table is not a card field" in err
    assert len(err) < 2000, len(err)
