"""Outside text shown safely: control characters visible, echoed values cut (issue 13.6, 13.7)."""

from __future__ import annotations

import unicodedata

from quizapp.core.shown import MAX_ECHO, clip, shown, visible


def test_every_control_character_and_bidi_override_becomes_an_escape() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert visible("\x9b31m") == "\\x9b31m"  # the one-byte CSI of C1
    assert visible("abc\u202edef") == "abc\\u202edef"
    assert visible("one\ntwo") == "one\\x0atwo"
    assert visible("one\ntwo\x1b", keep_newlines=True) == "one\ntwo\\x1b"
    assert visible("ünïcödé, 漢字 and emoji 🦀 stay") == "ünïcödé, 漢字 and emoji 🦀 stay"
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cc":
            assert "\\" in visible(char), hex(code)


def test_clip_cuts_long_values_and_says_how_long() -> None:
    assert clip("short") == "short"
    long = "x" * (30 * 1024 * 1024)
    cut = clip(long)
    assert len(cut) < MAX_ECHO + 40
    assert f"…[{len(long)} characters]…" in cut and cut.endswith("x" * 40)
    assert clip("'" + "y" * 5000 + "' is too long").endswith("' is too long")
    assert shown("\x1b" * 1000).startswith("\\x1b")
    assert len(shown("\x1b" * 1000)) < 4 * MAX_ECHO + 40
