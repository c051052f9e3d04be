"""Text from outside (deck names, prompts, the values an error quotes) made safe to show.

A deck file, a CSV or an `.apkg` decides what its names and prompts hold. Printed raw to a
terminal, `\\x1b[2J` clears the screen (hiding the preview's "42 removed" before its y/N
question), OSC 0 sets the window title and OSC 52 writes the clipboard; bidirectional
overrides reorder what a reader sees. `visible` shows every such character as an escape.
An error that quotes a 30 MiB prompt would write 30 MB to stderr or freeze the window
drawing it: `clip` cuts what is echoed to about 200 characters and says how much was cut.
"""

from __future__ import annotations

import re

MAX_ECHO = 200
"""Characters of an outside value quoted in a message or a label."""

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (Unicode category Cc: C0, DEL, C1) and the bidirectional controls."""
_UNSAFE_BUT_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with control characters (C0, DEL, C1) and bidi overrides as visible escapes.

    `keep_newlines` leaves line breaks alone, for text whose lines are quizapp's own.
    """
    return (_UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE).sub(_escape, text)


def clip(text: str, limit: int = MAX_ECHO) -> str:
    """At most about `limit` characters of `text`: its start and end, and how long it was.

    The end is kept because messages put the verdict after the value (`'xxx…' is too long`).
    """
    if len(text) <= limit:
        return text
    tail = min(40, limit // 4)
    return f"{text[: limit - tail]}…[{len(text)} characters]…{text[-tail:]}"


def shown(text: str, limit: int = MAX_ECHO) -> str:
    """An outside value as a message or a label quotes it: clipped, then made visible."""
    return visible(clip(text, limit))
