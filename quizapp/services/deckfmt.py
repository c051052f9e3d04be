"""The canonical layout of a deck file (`quizapp fmt`) and new-card skeletons (`quizapp new-card`).

A team reviews deck files in pull requests, so two authors' edits must not differ in
layout alone. `format_text` gives every deck file one layout, defined in
docs/deck-format.md ("Canonical form"): fields in the documented order, each string's
style chosen by its field and its value (never by how it was typed), one blank line
between tables, and the author's comments kept where they were. It changes layout only:
every run checks that the result parses to exactly the same values and holds every
comment, so a file the rules cannot lay out faithfully (a comment inside a list) is
reported and left alone rather than quietly changed. That formatting twice gives the
same bytes is the tests' job (a property test over random layouts).

Comments are found with tomlkit, which keeps them but reads ~0.5 MB/s; a file without
comments (what `export` and `publish` write) is laid out from its values alone, so a
10,000-card deck takes ~3 s, not ~40.

`[cards.checked]` strings are laid out as `quizapp verify --write` writes them, so a
freshly verified file is already canonical there.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from quizapp.core.deck_layout import card_value_text, checked_text, toml_string, value_text
from quizapp.core.deckwriter import deck_to_data
from quizapp.core.model import Deck, Kind

DECK_ORDER = ("id", "name", "section", "description")
CARD_ORDER = (
    "id",
    "kind",
    "prompt",
    "code",
    "edition",
    "compiles",
    "errors",
    "messages",
    "line",
    "ask_error",
    "fixed",
    "stdout",
    "panics",
    "options",
    "answer",
    "explanations",
    "multiple",
    "back",
    "explanation",
    "tags",
)
CHECKED_ORDER = ("rustc", "diagnostic", "output", "digest")

Path_ = tuple[Any, ...]
"""Where a comment sits: ("deck",) is the [deck] header, ("deck", "name") its key, ..."""


class FormatError(Exception):
    """The file cannot be formatted; the message names the file and why."""


@dataclass
class _Comments:
    before: dict[Path_, list[str]] = field(default_factory=dict)
    after: dict[Path_, str] = field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Comments) and (self.before, self.after) == (
            other.before,
            other.after,
        )


# ---------------------------------------------------------------- format


def format_text(text: str, source: str = "deck") -> str:
    """`text` in canonical form; `FormatError` if it is not TOML or not shaped like a deck."""
    import tomli
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = text.removeprefix("\ufeff")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise FormatError(f"{source}: not valid TOML: {exc}") from exc
    _check_shape(data, source)
    if not _has_comments(text):
        # No comment to place: the values alone decide the text, and tomlkit (~2 s per
        # MB) is not needed. A "#" fewer in the result would mean a comment the scan
        # missed: then the careful path below runs instead.
        out = render(data, _Comments())
        if out.count("#") >= text.count("#") and tomli.loads(out) == data:
            return out
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:  # pragma: no cover - tomli accepted it
        raise FormatError(f"{source}: not valid TOML: {exc}") from exc
    out = render(data, _harvest(doc, source))
    if tomli.loads(out) != data:  # pragma: no cover - a bug here must never reach a file
        raise FormatError(f"{source}: formatting would change the values; file left alone")
    if sorted(_comments_in(out)) != sorted(_comments_in(text)):  # pragma: no cover - same
        raise FormatError(f"{source}: formatting would lose a comment; file left alone")
    return out


_TOKENS = re.compile(
    r"'''(?:[^']|'(?!''))*'''(?:'{1,2}(?!'))?"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2}(?!"))?'
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#",
    re.DOTALL,
)
"""TOML's four kinds of strings, and `#`: a `#` matched on its own starts a comment."""


def _comments_in(text: str) -> list[str]:
    """Every comment's text, in order: what formatting must neither lose nor invent."""
    found, pos = [], 0
    while (m := _TOKENS.search(text, pos)) is not None:
        if m.group() == "#":
            end = text.find("\n", m.start())
            end = len(text) if end < 0 else end
            found.append(text[m.start() : end].rstrip())
            pos = end
        else:
            pos = m.end()
    return found


def _has_comments(text: str) -> bool:
    return bool(_comments_in(text))


def format_deck(deck: Deck) -> str:
    """A deck from the collection as a canonical deck file (`decks publish` writes these)."""
    return render(deck_to_data(deck), _Comments())


def _check_shape(data: dict[str, Any], source: str) -> None:
    if not isinstance(data.get("deck"), dict):
        raise FormatError(f"{source}: no [deck] table; is this a quizapp deck file?")
    cards = data.get("cards", [])
    if not isinstance(cards, list) or not all(isinstance(c, dict) for c in cards):
        raise FormatError(f"{source}: cards must be [[cards]] tables")
    for index, card in enumerate(cards):
        checked = card.get("checked")
        if checked is not None and not isinstance(checked, dict):
            raise FormatError(f"{source}: cards[{index}].checked must be a table")
        for key, value in card.items():
            if isinstance(value, dict) and key != "checked":
                raise FormatError(f"{source}: cards[{index}].{key}: a table is not a card field")
    extra = set(data) - {"format", "deck", "cards"}
    if extra:
        raise FormatError(f"{source}: unknown top-level key {sorted(extra)[0]!r}")


def render(data: dict[str, Any], comments: _Comments) -> str:
    """The canonical text of parsed deck data, with `comments` placed where they belong."""
    c = comments
    lines: list[str] = []
    top = {k: v for k, v in data.items() if k not in ("deck", "cards")}
    if "cards" in data and not data["cards"]:
        top["cards"] = []
    _keys(lines, (), top, ("format", "cards"), c, lambda k, v: _value(k, v))
    _table(lines, ("deck",), "[deck]", data["deck"], DECK_ORDER, c, lambda k, v: _value(k, v))
    for index, card in enumerate(data.get("cards", [])):
        fields = {k: v for k, v in card.items() if k != "checked"}
        _table(lines, ("cards", index), "[[cards]]", fields, CARD_ORDER, c, _card_value)
        if "checked" in card:
            where = ("cards", index, "checked")
            _table(lines, where, "[cards.checked]", card["checked"], CHECKED_ORDER, c, _checked)
    tail = _block(c.before.get(("end",), []))
    if tail:
        lines += ["", *tail]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines) + "\n"


def _table(
    lines: list[str],
    where: Path_,
    header: str,
    values: dict[str, Any],
    order: tuple[str, ...],
    c: _Comments,
    show: Any,
) -> None:
    lines.append("")
    lines += _block(c.before.get(where, []), keep_gap=True)
    lines.append(header + _trailing(c.after.get(where)))
    _keys(lines, where, values, order, c, show)


def _keys(
    lines: list[str],
    where: Path_,
    values: dict[str, Any],
    order: tuple[str, ...],
    c: _Comments,
    show: Any,
) -> None:
    known = [k for k in order if k in values]
    for key in known + [k for k in values if k not in order]:
        lines += _block(c.before.get((*where, key), []))
        lines.append(
            f"{_key(key)} = {show(key, values[key])}{_trailing(c.after.get((*where, key)))}"
        )


def _block(comment_lines: list[str], *, keep_gap: bool = False) -> list[str]:
    """A comment block: blank runs collapsed, none at its start; one at its end only before a
    table header (a comment set apart from the table it precedes stays apart)."""
    out: list[str] = []
    for line in comment_lines:
        if line or (out and out[-1]):
            out.append(line)
    if out and not out[-1] and not keep_gap:
        out.pop()
    return out


def _trailing(comment: str | None) -> str:
    return f"  {comment}" if comment else ""


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def _value(key: str, value: Any) -> str:
    try:
        return value_text(key, value)
    except TypeError as exc:
        raise FormatError(str(exc)) from None


def _card_value(key: str, value: Any) -> str:
    try:
        return card_value_text(key, value)
    except TypeError as exc:
        raise FormatError(str(exc)) from None


def _checked(key: str, value: Any) -> str:
    try:
        return checked_text(key, value)
    except TypeError as exc:
        raise FormatError(str(exc)) from None


# ---------------------------------------------------------------- comments


def _harvest(doc: Any, source: str) -> _Comments:
    """Every comment of the file, keyed by what it sits above (or beside)."""
    from tomlkit.items import AoT, Array, Comment, Table, Whitespace

    found = _Comments()
    pending: list[str] = []

    def walk(body: Iterable[tuple[Any, Any]], where: Path_) -> None:
        for key, item in body:
            if isinstance(item, Comment):
                pending.append(item.as_string().strip())
            elif isinstance(item, Whitespace):
                if pending and "\n" in item.as_string():
                    pending.append("")
            elif isinstance(item, Table):
                if item.is_super_table():
                    raise FormatError(f"{source}: dotted table headers are not supported by fmt")
                enter((*where, key.key), item)
            elif isinstance(item, AoT):
                for index, table in enumerate(item.body):
                    enter((*where, key.key, index), table)
            else:
                here = (*where, key.key)
                if isinstance(item, Array) and any(
                    getattr(group, "comment", None) is not None for group in item._value
                ):
                    raise FormatError(
                        f"{source}: {_place(here)}: fmt keeps comments above a key or beside "
                        "it, not inside a list; move this one above the key"
                    )
                take(here)
                if item.trivia.comment:
                    found.after[here] = item.trivia.comment.strip()

    def enter(where: Path_, table: Any) -> None:
        take(where, header=True)
        if table.trivia.comment:
            found.after[where] = table.trivia.comment.strip()
        walk(table.value.body, where)

    def take(where: Path_, *, header: bool = False) -> None:
        if pending:
            found.before[where] = _block(pending, keep_gap=header)
            pending.clear()

    walk(doc.body, ())
    if pending:
        found.before[("end",)] = _block(pending)
    return found


def _place(where: Path_) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ---------------------------------------------------------------- new cards


KINDS = tuple(k.value for k in Kind)


def card_skeleton(kind: str) -> tuple[str, str]:
    """A `[[cards]]` table for `kind` with a fresh UUID, and that UUID.

    Everything but the author's text is valid by the deck format: the texts to write are
    left empty, and an empty prompt (or option, or accepted answer) fails `quizapp verify`,
    so a forgotten skeleton cannot pass CI. The skeleton is already in canonical form.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    card_id = str(uuid.uuid4())
    lines = [
        "[[cards]]",
        f'# New {kind} card: write the texts left empty ("") below; `quizapp verify` fails',
        "# until the question is written. The id is fresh: keep it, never reuse it.",
        f'id = "{card_id}"',
        f'kind = "{kind}"',
        'prompt = ""  # the question, Markdown',
    ]
    match Kind(kind):
        case Kind.COMPILES:
            lines += [
                "code = '''",
                "'''  # a whole program with fn main; rustc checks it as a binary crate",
                'compiles = true  # if false, list rustc\'s codes: errors = ["E0382"]',
            ]
        case Kind.OUTPUT:
            lines += [
                "code = '''",
                "'''  # a whole program with fn main",
                'stdout = ""  # exactly what it prints; `quizapp verify --run` checks it',
            ]
        case Kind.CHOICE:
            lines += [
                'options = ["", ""]  # 2 to 12 options, Markdown',
                "answer = [0]  # indexes (from 0) of the right options",
                "# explanations: one per option, why it is right or wrong",
                'explanations = [\n  "",\n  "",\n]',
            ]
        case Kind.SHORT:
            lines += ['answer = [""]  # accepted answers; case and backticks are ignored']
        case Kind.FLASHCARD:
            lines += ['back = ""  # the answer side, Markdown']
        case Kind.FIX:
            lines += [
                "code = '''",
                "'''  # a whole program with fn main that rustc rejects; the learner edits it",
                'errors = [""]  # rustc\'s codes for `code`, e.g. ["E0382"]',
                "fixed = '''",
                "'''  # a model fix, which rustc accepts",
            ]
    lines += ['explanation = ""  # shown after answering, Markdown (optional: delete if unused)']
    return "\n".join(lines) + "\n", card_id


def append_card(text: str, kind: str, source: str = "deck") -> tuple[str, str]:
    """`text` with a new card skeleton after its last card; every byte before it unchanged."""
    import tomli

    try:
        data = tomli.loads(text.removeprefix("\ufeff"))
    except tomli.TOMLDecodeError as exc:
        raise FormatError(f"{source}: not valid TOML: {exc}") from exc
    _check_shape(data, source)
    if "cards" in data and not data["cards"]:
        # `fmt` writes a deck without cards as `cards = []`: that one line makes way for the
        # first card. Any other spelling of an empty list is the author's to remove.
        empty = re.compile(r"^cards[ \t]*=[ \t]*\[[ \t]*\][ \t]*(?:#.*)?(?:\r?\n|$)", re.M)
        if len(empty.findall(text)) != 1:
            raise FormatError(
                f"{source}: the file says `cards = []`; delete that line, then add cards"
            )
        text = empty.sub("", text, count=1)
    skeleton, card_id = card_skeleton(kind)
    newline = "\r\n" if "\r\n" in text else "\n"  # a Windows-edited file stays one style
    if text and not text.endswith("\n"):
        text += newline
    out = text + newline + skeleton.replace("\n", newline)
    cards = tomli.loads(out.removeprefix("\ufeff"))["cards"]
    if cards[-1].get("id") != card_id:  # pragma: no cover - the skeleton is always last
        raise FormatError(f"{source}: the new card did not land last; file left alone")
    return out, card_id
