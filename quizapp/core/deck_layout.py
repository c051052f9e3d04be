"""How each value of a deck file is written: the canonical layout's rules, in one place.

`quizapp fmt` (`services.deckfmt`) lays out a file by these rules, and every writer of deck
files (`deckwriter` for `export` and `publish`, `card_text` for a bulk export) writes by
them too, so a file quizapp wrote is already canonical: a team that commits an export and
runs `quizapp fmt --check` in CI sees no change. docs/deck-format.md ("Canonical form")
states the rules for people.
"""

from __future__ import annotations

import re
from typing import Any

WIDTH = 100
"""Lines longer than this are wrapped where the format allows (prose, long lists)."""

PROSE = frozenset({"prompt", "explanation", "back", "description"})
"""One-line prose too long for a line is wrapped with TOML's line-ending backslash."""
BLOCKS = frozenset({"prompt", "explanation", "back", "description", "stdout"})
"""Multi-line values of these are `'''` blocks when their content allows."""
CODE = frozenset({"code", "fixed"})
"""Source code: a `'''` block whenever its content allows, even on one line."""
ONE_PER_LINE = frozenset({"explanations"})
"""Lists written one item per line whatever their length."""


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_MUST_ESCAPE = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]')
"""TOML's required escapes, plus the characters Python and editors treat as line breaks."""


def toml_string(value: str) -> str:
    """A one-line TOML basic string."""
    return '"' + _MUST_ESCAPE.sub(_escape, value) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


_NOT_LITERAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]|'''|[ \t]\n|[ \t]$|'$")


def toml_block(value: str) -> str:
    """A multi-line literal string for multi-line text, when its content allows one.

    Literal strings have no escapes, so they cannot hold `'''` or control characters; text
    with trailing blanks on a line also stays a basic string, because editors strip them
    silently and the file would then say something else. A value ending in a quote would
    run into the closing `'''`.
    """
    if "\n" not in value or _NOT_LITERAL.search(value):
        return toml_string(value)
    return "'''\n" + value + "'''"


def card_value_text(key: str, value: Any) -> str:
    """The text after `key = ` for a value of a `[[cards]]` table."""
    if key in CODE and isinstance(value, str) and literal_ok(value):
        return "'''\n" + value + "'''"
    return value_text(key, value)


def value_text(key: str, value: Any) -> str:
    """The text after `key = ` for a value of the `[deck]` table or the top level (and of a
    card's field that is not code)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return string_text(key, value)
    if isinstance(value, list):
        return list_text(key, value)
    raise TypeError(f"{key}: a {type(value).__name__} is not a deck value")


def string_text(key: str, value: str) -> str:
    """A string by its field: blocks for multi-line text, wrapped prose, else one line."""
    if "\n" in value:
        return toml_block(value) if key in BLOCKS else toml_string(value)
    one_line = toml_string(value)
    if key not in PROSE or len(key) + 3 + len(one_line) <= WIDTH:
        return one_line
    return wrapped(value)


def checked_text(key: str, value: Any) -> str:
    """A `[cards.checked]` value as `quizapp verify --write` writes it (tomlkit's basic
    strings), so a freshly verified file is already canonical there."""
    if isinstance(value, str):
        if "\r" in value and "\n" in value:
            # A multi-line string would hold a CR LF as it is, and a TOML reader may
            # read it back as a bare LF: escaped on one line instead, nothing is lost.
            return toml_string(value)
        import tomlkit

        return str(tomlkit.string(value, multiline="\n" in value).as_string())
    return value_text(key, value)


"""What a `'''` block cannot hold faithfully (see `toml_block`)."""


def literal_ok(value: str) -> bool:
    """Whether a `'''` block holds `value` faithfully (see `toml_block`)."""
    return not _NOT_LITERAL.search(value)


_GAP = re.compile(r"(?<=\S) (?=\S)")
"""A single space between two words: where a line may end with `\\` and lose nothing."""

_QUOTE_ESCAPE = re.compile(r'(?<!\\)((?:\\\\)*)\\"(?!\\"|$)')
"""`\\"` not needed in a `\"\"\"` string: a quote neither before another quote nor last."""


def wrapped(value: str, *, plain: bool = False) -> str:
    """A one-line value as a `\"\"\"` string wrapped at WIDTH with line-ending backslashes.

    A line-ending backslash drops the newline and the next line's leading blanks, so a line
    ends only at a single space before a word: the space stays on the line before the
    backslash, and the value reads back unchanged. `plain`: the caller knows the value needs
    no escape at all (a bulk export's plain rows), so it is not searched for one.
    """
    escaped = value if plain else _QUOTE_ESCAPE.sub(r'\1"', toml_string(value)[1:-1])
    if escaped.isascii() and "  " not in escaped and escaped.strip(" ") == escaped:
        # Every space is a gap (escaped ASCII text has no other blank): each line is the
        # longest run of words that fits, found with `rfind` (a bulk export wraps ~100,000
        # prompts; the word-by-word loop below cost 5 us each).
        return _wrapped_at_spaces(escaped)
    return _wrapped_by_words(escaped)


_LINE = WIDTH - 2
"""How long a wrapped line's text may be before its ending ` \\`."""


def _wrapped_at_spaces(escaped: str) -> str:
    lines, start, end = [], 0, len(escaped)
    while end - start > _LINE:
        cut = escaped.rfind(" ", start, start + _LINE + 1)
        if cut < 0:  # a word longer than a line: it has the line to itself
            cut = escaped.find(" ", start + 1)
            if cut < 0:
                break
        lines.append(escaped[start:cut] + " \\")
        start = cut + 1
    lines.append(escaped[start:] + '"""')
    return '"""\n' + "\n".join(lines)


def _wrapped_by_words(escaped: str) -> str:
    lines, current = [], ""
    for word in _GAP.split(escaped):
        if current and len(current) + 1 + len(word) + 2 > WIDTH:
            lines.append(current + " \\")
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current + '"""')
    return '"""\n' + "\n".join(lines)


def list_text(key: str, items: list[Any]) -> str:
    """On one line when it fits and the field allows; else one item a line."""
    shown = [toml_string(v) if isinstance(v, str) else value_text(key, v) for v in items]
    inline = f"[{', '.join(shown)}]"
    if key not in ONE_PER_LINE and len(key) + 3 + len(inline) <= WIDTH:
        return inline
    return "\n".join(["[", *(f"  {item}," for item in shown), "]"])
