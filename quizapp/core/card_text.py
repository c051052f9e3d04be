"""One card's deck-file text written straight from its stored fields, for a bulk export.

`deckwriter` goes stored fields -> `Card` -> dict in file order -> one line per field through
a generic, type-dispatching writer. At 100,000 cards that was ~1.1 s of an export's 1.5 s.
Here each kind has its own short writer over the parsed stored fields (the dict
`codec.card_to_json`'s text reads back to), and a card whose strings need no quoting at all
(the caller knows it from the stored text in one pass) skips the escaping regexes.

The bytes are `deckwriter`'s by construction, and a property test holds them equal on cards
of every kind with awkward text. Whatever shape this does not expect (an unknown kind, a
number that is not an integer, a `checked` table with other keys, a value of the wrong type)
gives None, and the caller takes `deckwriter`'s general path, which also raises whatever
that path raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quizapp.core.deck_layout import (
    PROSE,
    WIDTH,
    card_value_text,
    checked_text,
    toml_string,
    wrapped,
)

_WIDTH = WIDTH
"""An array longer than this on one line gets a line each (`deck_layout.list_text`)."""
_CHECKED_KEYS = frozenset({"rustc", "diagnostic", "output", "digest"})


def card_text(raw: dict[str, Any], plain: bool) -> str | None:
    """`deckwriter.card_piece(card)` for the card stored as `raw`, or None where this cannot
    vouch for the same bytes.

    `plain`: no string in `raw` holds a quote, a backslash, a control character, a line
    break or any other character `toml_string` escapes, so every string is written as
    `"` + text + `"` (the caller decides it from the stored JSON text as a whole).
    """
    try:
        kind = raw["kind"]
        if plain:
            body = _PLAIN_BODY.get(kind)
            if body is not None:
                return _plain_card(raw, kind, body(raw))
        write = _BY_KIND.get(kind)
        if write is None:
            return None
        if plain:
            return write(raw, _quoted, _plain_field, _plain_array, _plain_lines)
        return write(raw, toml_string, _field, _array, _lines)
    except (_Refused, KeyError, TypeError, AttributeError):
        return None  # an unexpected shape: the general path writes it (or refuses it)


class _Refused(Exception):
    """A shape the writers below do not vouch for."""


_Quote = Callable[[str], str]
_Field = Callable[[str, str], str]
"""A string field's text by the canonical layout's rules for that field (`deck_layout`)."""
_Array = Callable[[str, Any], str]
"""An array of strings: its opening (`key = [`) and the values, quoted by the writer."""


def _quoted(value: str) -> str:
    return '"' + value + '"'


def _field(key: str, value: str) -> str:
    return card_value_text(key, value)


def _plain_field(key: str, value: str) -> str:
    """`_field` for text with nothing to escape and no line break: one line if it fits,
    prose wrapped if not, code as a block when a block can hold it."""
    if key in ("code", "fixed"):
        return card_value_text(key, value)
    return _plain_prose(key, value)


def _plain_prose(key: str, value: str) -> str:
    """`key = "value"` if it fits on a line (`deck_layout.string_text`), else prose wrapped."""
    if key in PROSE:
        return _one_line_or_wrapped(value, WIDTH - len(key) - 5)
    return '"' + value + '"'


def _one_line_or_wrapped(value: str, room: int) -> str:
    """Plain prose quoted on its line if it takes at most `room` characters, else wrapped."""
    return '"' + value + '"' if len(value) <= room else wrapped(value, plain=True)


_PROMPT_ROOM, _EXPLANATION_ROOM, _BACK_ROOM = (
    WIDTH - len(key) - 5 for key in ("prompt", "explanation", "back")
)
"""What `key = ""` leaves of a line, for the quick writers' prose fields."""


def _array(opening: str, values: Any) -> str:
    items = [toml_string(v) for v in values]
    inline = opening + ", ".join(items) + "]"
    if len(inline) <= _WIDTH:
        return inline
    return opening + "".join(["\n  " + item + "," for item in items]) + "\n]"


def _lines(opening: str, values: Any) -> str:
    return opening + "".join(["\n  " + toml_string(v) + "," for v in values]) + "\n]"


def _plain_array(opening: str, values: Any) -> str:
    if not values:
        return opening + "]"
    inline = opening + '"' + '", "'.join(values) + '"]'
    if len(inline) <= _WIDTH:
        return inline
    return _plain_lines(opening, values)


def _plain_lines(opening: str, values: Any) -> str:
    if not values:
        return opening + "\n]"
    return opening + '\n  "' + '",\n  "'.join(values) + '",\n]'


def _head(raw: dict[str, Any], kind: str, q: _Quote, b: _Field, has_code: bool) -> str:
    out = "\n\n[[cards]]\nid = " + q(raw["id"]) + kind + b("prompt", raw["prompt"])
    code = raw.get("code", "")
    if code or has_code:
        out += "\ncode = " + b("code", code)
    edition = raw.get("edition", "2021")
    if edition != "2021":
        out += "\nedition = " + q(edition)
    return out


def _tail(raw: dict[str, Any], out: str, q: _Quote, b: _Field, array: _Array) -> str:
    explanation = raw.get("explanation", "")
    if explanation:
        out += "\nexplanation = " + b("explanation", explanation)
    tags = raw.get("tags")
    if tags:
        out += "\n" + array("tags = [", tags)
    checked = raw.get("checked")
    if checked:
        out += _checked(checked)
    return out


def _checked(checked: Any) -> str:
    """As `verify --write` writes it (`deck_layout.checked_text`)."""
    if type(checked) is not dict or "rustc" not in checked or not checked.keys() <= _CHECKED_KEYS:
        raise _Refused
    if any(type(v) is not str for v in checked.values()):
        raise _Refused  # `deckwriter` writes what else it is
    out = "\n\n[cards.checked]\nrustc = " + checked_text("rustc", checked["rustc"])
    for key in ("diagnostic", "output", "digest"):
        value = checked.get(key, "")
        if value:
            out += "\n" + key + " = " + checked_text(key, value)
    return out


def _line(raw: dict[str, Any]) -> str:
    line = raw.get("line")
    if line is None:
        return ""
    if type(line) is not int:
        raise _Refused  # `deckwriter` writes a bool, a float or a string otherwise
    return f"\nline = {line}"


def _compiles(raw: dict[str, Any], q: _Quote, b: _Field, array: _Array, lines: _Array) -> str:
    out = _head(raw, _KIND["compiles"], q, b, True)
    out += "\ncompiles = true" if raw.get("compiles") else "\ncompiles = false"
    errors = raw.get("errors")
    if errors:
        out += "\n" + array("errors = [", errors)
    messages = raw.get("messages")
    if messages:
        out += "\n" + array("messages = [", messages)
    out += _line(raw)
    if raw.get("ask_error"):
        out += "\nask_error = true"
    return _tail(raw, out, q, b, array)


def _output(raw: dict[str, Any], q: _Quote, b: _Field, array: _Array, lines: _Array) -> str:
    out = _head(raw, _KIND["output"], q, b, True)
    stdout = raw.get("stdout")
    if stdout is not None:
        out += "\nstdout = " + b("stdout", stdout)
    if raw.get("panics"):
        out += "\npanics = true"
    return _tail(raw, out, q, b, array)


def _choice(raw: dict[str, Any], q: _Quote, b: _Field, array: _Array, lines: _Array) -> str:
    out = _head(raw, _KIND["choice"], q, b, False)
    return _tail(raw, _choice_body(raw, out, array, lines), q, b, array)


def _choice_body(raw: dict[str, Any], out: str, array: _Array, lines: _Array) -> str:
    out += "\n" + array("options = [", raw.get("options", ()))
    indexes = raw.get("answer_indexes", ())
    if any(type(i) is not int for i in indexes):
        raise _Refused  # `deckwriter` writes a bool, a float or a string otherwise
    inline = "\nanswer = [" + ", ".join([str(i) for i in indexes]) + "]"
    if len(inline) > _WIDTH + 1:
        inline = "\nanswer = [" + "".join([f"\n  {i}," for i in indexes]) + "\n]"
    out += inline + "\n" + lines("explanations = [", raw.get("explanations", ()))
    if raw.get("multiple"):
        out += "\nmultiple = true"
    return out


def _short(raw: dict[str, Any], q: _Quote, b: _Field, array: _Array, lines: _Array) -> str:
    out = _head(raw, _KIND["short"], q, b, False)
    out += "\n" + array("answer = [", raw.get("accepted", ()))
    return _tail(raw, out, q, b, array)


def _flashcard(raw: dict[str, Any], q: _Quote, b: _Field, array: _Array, lines: _Array) -> str:
    out = _head(raw, _KIND["flashcard"], q, b, False)
    out += "\nback = " + b("back", raw.get("back", ""))
    return _tail(raw, out, q, b, array)


def _fix(raw: dict[str, Any], q: _Quote, b: _Field, array: _Array, lines: _Array) -> str:
    out = _head(raw, _KIND["fix"], q, b, True)
    out += "\n" + array("errors = [", raw.get("errors", ()))
    messages = raw.get("messages")
    if messages:
        out += "\n" + array("messages = [", messages)
    out += _line(raw) + "\nfixed = " + b("fixed", raw.get("fixed", ""))
    stdout = raw.get("stdout")
    if stdout is not None:
        out += "\nstdout = " + b("stdout", stdout)
    return _tail(raw, out, q, b, array)


_KIND = {
    kind: f'\nkind = "{kind}"\nprompt = '
    for kind in ("compiles", "output", "choice", "short", "flashcard", "fix")
}
_BY_KIND: dict[str, Callable[[dict[str, Any], _Quote, _Field, _Array, _Array], str]] = {
    "compiles": _compiles,
    "output": _output,
    "choice": _choice,
    "short": _short,
    "flashcard": _flashcard,
    "fix": _fix,
}


# The kinds without code, in plain text: nearly every card of a big deck, and nearly the only
# plain ones (code has line breaks, so JSON escapes it). The writers above, with every string
# quoted inline instead of through a quoting function passed in, and the head and tail in one
# call, its parts joined once: ~40% less time per card. The bytes are the same by the same rules (the plain-card
# property test holds them equal).


def _plain_card(raw: dict[str, Any], kind: str, body: str) -> str:
    """`_head` + `body` + `_tail` in plain text, its parts joined once (`join` also refuses
    a value that is not a string, as `+` does).

    The fields are read by subscript, not `get` with a default (7 ms of 100,000 cards):
    `codec.card_to_json` stores every field but `messages`, `line` and `fixed`, which these
    kinds do not use; a row without one (no quizapp wrote it) raises KeyError and is written
    by the general path."""
    parts = ['\n\n[[cards]]\nid = "', raw["id"], _PLAIN_KIND[kind]]
    parts += ("\nprompt = ", _one_line_or_wrapped(raw["prompt"], _PROMPT_ROOM))
    code = raw["code"]
    if code:
        parts += ("\ncode = ", card_value_text("code", code))
    edition = raw["edition"]
    if edition != "2021":
        parts += ('\nedition = "', edition, '"')
    parts.append(body)
    explanation = raw["explanation"]
    if explanation:
        parts += ("\nexplanation = ", _one_line_or_wrapped(explanation, _EXPLANATION_ROOM))
    tags = raw["tags"]
    if tags:
        inline = '\ntags = ["' + '", "'.join(tags) + '"]'
        parts.append(inline if len(inline) <= _WIDTH + 1 else "\n" + _plain_lines("tags = [", tags))
    checked = raw["checked"]
    if checked:
        parts.append(_checked(checked))
    return "".join(parts)


def _plain_flashcard(raw: dict[str, Any]) -> str:
    return "\nback = " + _one_line_or_wrapped(raw["back"], _BACK_ROOM)


def _plain_short(raw: dict[str, Any]) -> str:
    return "\n" + _plain_array("answer = [", raw["accepted"])


def _plain_choice(raw: dict[str, Any]) -> str:
    return _choice_body(raw, "", _plain_array, _plain_lines)


_PLAIN_KIND = {kind: f'"\nkind = "{kind}"' for kind in ("choice", "short", "flashcard")}
_PLAIN_BODY: dict[str, Callable[[dict[str, Any]], str]] = {
    "choice": _plain_choice,
    "short": _plain_short,
    "flashcard": _plain_flashcard,
}
