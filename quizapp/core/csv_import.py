"""CSV and TSV files (a spreadsheet, another app's export) as a quizapp deck.

The first row names the columns; each further row is a card. Columns (any order, case and
surrounding spaces ignored):

| column | meaning |
|---|---|
| `prompt` (or `front`, `question`) | required: the question, Markdown |
| `back` | the answer side of a flashcard |
| `kind` | `flashcard` (the default), `short`, `choice`, `compiles` or `output` |
| `answer` | short: accepted answers; choice: the text of the right option(s); compiles: `yes`/`no`; output: what it prints |
| `options` | choice: the options |
| `errors` | compiles: rustc error codes when it does not compile (`E0382 E0499`) |
| `code` | Rust source, kept verbatim |
| `explanation` | shown after answering |
| `tags` | separated by spaces or commas |
| `id` | the card's UUID; without it one is derived from the deck and the prompt |

Lists inside a cell (answers, options) are one per line, or separated by `|` on one line.
Cells that hold HTML (exports from Anki and the like) are sanitized and turned into
Markdown by `htmltext.html_to_markdown`; `code` is never treated as HTML, and neither is a
cell whose only "tags" are Rust generics like `Vec<String>`.

The derived UUID (uuid5 of the deck id, the kind and the prompt) keeps a card's identity
across re-imports of an edited file as long as its prompt stays, so progress is kept.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

from quizapp.core.bundle import ImportFailed
from quizapp.core.htmltext import html_to_markdown
from quizapp.core.model import Card, Deck, Kind

NAMESPACE = uuid.UUID("3f9a4c61-2b8e-4d1a-9c7f-5e0b6a2d8c14")
"""Parent of the UUIDs derived for CSV decks and for rows without an `id`."""

_ALIASES = {"front": "prompt", "question": "prompt"}
COLUMNS = (
    "prompt",
    "back",
    "kind",
    "answer",
    "options",
    "errors",
    "code",
    "explanation",
    "tags",
    "id",
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HTML_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "body",
        "br",
        "code",
        "del",
        "div",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "li",
        "link",
        "meta",
        "object",
        "ol",
        "p",
        "pre",
        "s",
        "script",
        "small",
        "span",
        "strike",
        "strong",
        "style",
        "sub",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
        "embed",
        "form",
        "math",
        "video",
        "audio",
        "source",
    ]
)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_YES = {"yes", "true", "y", "1", "compiles"}
_NO = {"no", "false", "n", "0"}


def deck_id_for(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"csv:{name}"))


def parse_csv(text: str, source: str, *, name: str, delimiter: str | None = None) -> Deck:
    """The rows of `text` as a deck called `name`; `ImportFailed` names file, line and column."""
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFailed(f"{source}:1: the header row is broken: {exc}") from exc
    if not header or not any(h.strip() for h in header):
        raise ImportFailed(f"{source}:1: the first row must name the columns (prompt, back, ...)")
    columns = _columns(header, source)
    deck_id = deck_id_for(name)
    cards: list[Card] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{source}:{start}: the row is broken: {exc}")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            problems.append(
                f"{source}:{start}: the row has {len(row)} cells but the header names "
                f"{len(columns)} columns"
            )
            continue
        cells = {col: row[i] if i < len(row) else "" for i, col in enumerate(columns)}
        try:
            card = _card(cells, deck_id)
        except _Bad as exc:
            problems.append(f"{source}:{start}: column {exc.column!r}: {exc}")
            continue
        if card.id in seen:
            problems.append(
                f"{source}:{start}: column 'id': the same card as line {seen[card.id]} "
                f"(id {card.id}); give each row its own prompt or an `id` column"
            )
            continue
        seen[card.id] = start
        cards.append(card)
    if problems:
        raise ImportFailed("\n".join(problems))
    return Deck(id=deck_id, name=name, description="Imported from a CSV file.", cards=tuple(cards))


def sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _columns(header: list[str], source: str) -> list[str]:
    out = []
    for raw in header:
        name = raw.strip().lower().lstrip("\ufeff")
        name = _ALIASES.get(name, name)
        if name not in COLUMNS:
            raise ImportFailed(
                f"{source}:1: column {raw!r}: unknown column (known: {', '.join(COLUMNS)}, "
                "front, question)"
            )
        if name in out:
            raise ImportFailed(f"{source}:1: column {raw!r}: named twice")
        out.append(name)
    if "prompt" not in out:
        raise ImportFailed(f"{source}:1: there is no `prompt` (or `front`) column")
    return out


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _card(cells: dict[str, str], deck_id: str) -> Card:
    kind_name = cells.get("kind", "").strip().lower() or "flashcard"
    try:
        kind = Kind(kind_name)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise _Bad("kind", f"unknown kind {kind_name!r} (known: {known})") from None
    prompt = markdown(cells["prompt"]).strip()
    if not prompt:
        raise _Bad("prompt", "is empty")
    common: dict[str, Any] = {
        "id": _card_id(cells.get("id", ""), deck_id, kind, prompt),
        "kind": kind,
        "prompt": prompt,
        "explanation": markdown(cells.get("explanation", "")).strip(),
        "tags": tuple(t for t in re.split(r"[\s,]+", cells.get("tags", "")) if t),
        "code": _code(cells.get("code", "")),
    }
    answer = cells.get("answer", "")
    if kind is Kind.FLASHCARD:
        return Card(**common, back=markdown(cells.get("back", "") or answer).strip())
    if kind is Kind.SHORT:
        accepted = tuple(markdown(a) for a in split_list(answer))
        if not accepted:
            raise _Bad("answer", "a short card needs at least one accepted answer")
        return Card(**common, accepted=accepted)
    if kind is Kind.CHOICE:
        return _choice(common, cells.get("options", ""), answer)
    if not common["code"].strip():
        raise _Bad("code", f"a {kind.value} card needs code")
    if kind is Kind.OUTPUT:
        return Card(**common, stdout=answer.replace("\r\n", "\n"))
    verdict = answer.strip().lower()
    if verdict not in _YES | _NO:
        raise _Bad("answer", f"{answer!r}: say whether it compiles with `yes` or `no`")
    errors = tuple(e.upper() for e in re.split(r"[\s,|]+", cells.get("errors", "")) if e)
    for code in errors:
        if not re.fullmatch(r"E[0-9]{4}", code):
            raise _Bad("errors", f"{code!r} is not a rustc error code like E0382")
    return Card(**common, compiles=verdict in _YES, errors=errors)


def _choice(common: dict[str, Any], options_cell: str, answer: str) -> Card:
    options = [markdown(o) for o in split_list(options_cell)]
    if len(options) < 2:
        raise _Bad("options", "a choice card needs at least two options")
    indexes = []
    for right in split_list(answer):
        text = markdown(right)
        if text not in options:
            raise _Bad("answer", f"{right!r} is not one of the options")
        indexes.append(options.index(text))
    if not indexes:
        raise _Bad("answer", "name the right option(s) by their text")
    return Card(
        **common,
        options=tuple(options),
        answer_indexes=tuple(sorted(set(indexes))),
        explanations=("",) * len(options),
    )


def split_list(cell: str) -> list[str]:
    """A cell holding several values: one per line, or `|`-separated on one line."""
    parts = cell.splitlines() if "\n" in cell.strip() else cell.split("|")
    return [p.strip() for p in parts if p.strip()]


def markdown(cell: str) -> str:
    """Cell text as Markdown: HTML is sanitized and converted, anything else is kept."""
    text = cell.replace("\r\n", "\n")
    is_html = any(m.group(1).lower() in _HTML_TAGS for m in _TAG.finditer(text))
    return html_to_markdown(text) if is_html or _ENTITY.search(text) else text


def _code(cell: str) -> str:
    code = cell.replace("\r\n", "\n")
    return code + "\n" if code.strip() and not code.endswith("\n") else code


def _card_id(given: str, deck_id: str, kind: Kind, prompt: str) -> str:
    given = given.strip()
    if given:
        if not _UUID.match(given):
            raise _Bad("id", f"{given!r} is not a UUID")
        return given.lower()
    return str(uuid.uuid5(uuid.UUID(deck_id), f"{kind.value}\n{prompt}"))
