"""An Anki package's notes as quizapp flashcards, and optionally their scheduling.

- A note quizapp exported carries its original card in its "quizapp" field
  (`core.anki.carried`): it comes back as that card, with its kind, id and deck, however
  long it stayed in Anki. The scheduling Anki gave it is read like any other card's.
- Every other Anki card becomes one `flashcard`: its prompt and back come from the note's
  fields as its note type's templates show them (`core.anki.notes`), each field's HTML
  sanitized and turned into Markdown by `core.htmltext` (never interpreted). Media is not
  imported: images and sounds are dropped with the rest of the disallowed HTML. Their ids
  are listed in `Bundle.flattened` so the preview can say so.
- Its UUID is uuid5 of the note's GUID and the card's ordinal, so importing a newer export
  of the same Anki deck updates these cards instead of adding copies.
- Tags are the note's tags. Each Anki deck holding cards becomes a quizapp deck named as
  Anki shows it (`Rust::Ownership`), with a UUID derived from that name, so re-importing
  the deck updates it. A card in a filtered deck goes to its home deck.
- Scheduling, when asked for, is mapped as `core.anki.scheduling` documents.

Every table and column read is checked to exist and to hold the type expected; a problem
names the file, the collection member and the row (`deck.apkg: collection.anki21b: notes
row 12 (id 1700000000000): ...`).

This module only maps rows to cards: the zip, the temporary file and SQLite are
`quizapp.adapters.apkg`'s, which hands the rows over through `CollectionRows`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from quizapp.core.anki import carried
from quizapp.core.anki.notes import NoteType, Template, card_sides
from quizapp.core.anki.protobuf import read_string_field, read_varint_field
from quizapp.core.anki.scheduling import AnkiSchedule, day_of, progress_from_anki
from quizapp.core.bundle import Bundle, CardProgress, ImportFailed, progress_problem
from quizapp.core.htmltext import html_to_markdown
from quizapp.core.model import Card, Deck, Kind

ANKI_NAMESPACE = uuid.UUID("5b0c1d3e-8a52-4c5e-9f3a-6d2b7e41a9c0")
"""uuid5 namespace for ids derived from Anki's (never change it: ids must stay stable)."""
MAX_TEXT = 100_000
MAX_TAG = 100
MAX_DECK_NAME = 200
EMPTY_PROMPT = "(empty)"
_CLOZE_KIND = 1


class _Place(Exception):
    """A problem inside one row; the reader adds the file and member to the message."""


@dataclass(frozen=True)
class _Note:
    id: int
    guid: str
    mid: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


def card_uuid(guid: str, ord_: int) -> str:
    return str(uuid.uuid5(ANKI_NAMESPACE, f"card:{guid}:{ord_}"))


def deck_uuid(name: str) -> str:
    return str(uuid.uuid5(ANKI_NAMESPACE, f"deck:{name}"))


class CollectionRows(Protocol):
    """An opened Anki collection as the reader needs it: column names and rows, nothing else.

    `select` is only ever called with the table and column names in `COLUMNS`.
    """

    @property
    def member(self) -> str:
        """The package member the collection came from, for messages."""
        ...

    @property
    def legacy(self) -> bool:
        """True for the schema 11 layout (note types and decks as JSON in `col`); schema 15
        and later keep them in tables of their own (`notetypes`, `fields`, `templates`,
        `decks`)."""
        ...

    def columns(self, table: str) -> set[str]:
        """The table's column names; empty if there is no such table."""
        ...

    def select(self, table: str, columns: str, order_by: str = "") -> Iterable[tuple[Any, ...]]:
        """`SELECT columns FROM table ORDER BY order_by` (columns comma-separated)."""
        ...


def bundle_from_collection(
    col: CollectionRows, source: str, *, with_progress: bool = False
) -> Bundle:
    """The decks in an opened collection; raises `ImportFailed` naming the file and place."""
    try:
        return _read(col, source, with_progress)
    except _Place as err:
        raise ImportFailed(f"{source}: {col.member}: {err}") from err


COLUMNS = {
    "col": ("crt", "models", "decks"),
    "notes": ("id", "guid", "mid", "tags", "flds"),
    "cards": (
        "id",
        "nid",
        "did",
        "ord",
        "type",
        "queue",
        "due",
        "ivl",
        "factor",
        "reps",
        "lapses",
        "odue",
        "odid",
    ),
    "notetypes": ("id", "name", "config"),
    "fields": ("ntid", "ord", "name"),
    "templates": ("ntid", "ord", "config"),
    "decks": ("id", "name"),
}


def _check_schema(db: CollectionRows, legacy: bool) -> None:
    tables = ("col", "notes", "cards") if legacy else tuple(COLUMNS)
    for table in tables:
        columns = db.columns(table)
        if not columns:
            raise _Place(f"table {table!r} is missing: not an Anki collection")
        wanted = COLUMNS[table] if legacy or table != "col" else ("crt",)
        missing = [c for c in wanted if c not in columns]
        if missing:
            raise _Place(f"table {table!r} lacks column(s) {', '.join(missing)}")


def _read(col: CollectionRows, source: str, with_progress: bool) -> Bundle:
    db = col
    _check_schema(db, col.legacy)
    crt = _one_row(db, "col", "crt")
    created = day_of(_int(crt[0], "col", "crt"))
    if col.legacy:
        notetypes, deck_names = _legacy_notetypes_and_decks(db)
    else:
        notetypes, deck_names = _notetypes(db), _decks(db)
    cards_of = _cards_by_note(db)
    decks: dict[str, list[Card]] = {}
    # Decks of carried cards, by quizapp deck id: the deck, its name in Anki, its cards.
    kept: dict[str, tuple[carried.CarriedDeck, str, list[Card]]] = {}
    flattened: set[str] = set()
    progress: dict[str, CardProgress] = {}
    guids: set[str] = set()
    for row_number, note in enumerate(_notes(db), start=1):
        place = f"notes row {row_number} (id {note.id})"
        notetype = notetypes.get(note.mid)
        if notetype is None:
            raise _Place(f"{place}: note type {note.mid} does not exist")
        if note.guid in guids:
            raise _Place(f"{place}: GUID {note.guid!r} is used by another note")
        guids.add(note.guid)
        original = _carried(note, notetype)
        for ord_, did, schedule in cards_of.get(note.id, ()):
            anki_deck = deck_names.get(did, "Default")
            if original is not None and ord_ == 0:
                home, card = original
                kept.setdefault(home.id, (home, anki_deck, []))[2].append(card)
            else:
                card = _card(note, notetype, ord_, place)
                decks.setdefault(anki_deck, []).append(card)
                flattened.add(card.id)
            if with_progress and (p := progress_from_anki(schedule, created)) is not None:
                if (problem := progress_problem(p)) is not None:
                    raise _Place(f"{place}: card {ord_ + 1}: {problem}")
                progress[card.id] = p
    bundle_decks = []
    for name in sorted(decks, key=str.casefold):
        if len(name) > MAX_DECK_NAME:
            raise _Place(f"deck {name[:40]!r}...: name longer than {MAX_DECK_NAME} characters")
        bundle_decks.append(
            Deck(
                id=deck_uuid(name),
                name=name,
                description="Imported from Anki.",
                cards=tuple(decks[name]),
            )
        )
    for home, anki_name, cards in kept.values():
        bundle_decks.append(
            Deck(
                id=home.id,
                name=anki_name if len(anki_name) <= MAX_DECK_NAME else home.name,
                section=home.section,
                description=home.description,
                cards=tuple(cards),
            )
        )
    return Bundle(
        decks=tuple(bundle_decks),
        progress=progress,
        source=source,
        flattened=frozenset(flattened),
    )


def _carried(note: _Note, notetype: NoteType) -> tuple[carried.CarriedDeck, Card] | None:
    """The quizapp card a note carries, if its note type has the field and it decodes."""
    if carried.FIELD not in notetype.fields:
        return None
    at = notetype.fields.index(carried.FIELD)
    return carried.decode(note.fields[at]) if at < len(note.fields) else None


def _card(note: _Note, notetype: NoteType, ord_: int, place: str) -> Card:
    sides = card_sides(notetype, note.fields, ord_)
    prompt = "\n\n".join(filter(None, (html_to_markdown(f) for f in sides.front))) or EMPTY_PROMPT
    back = "\n\n".join(filter(None, (html_to_markdown(f) for f in sides.back)))
    for label, text in (("prompt", prompt), ("back", back)):
        if len(text) > MAX_TEXT:
            raise _Place(f"{place}: card {ord_ + 1}: {label} longer than {MAX_TEXT} characters")
    return Card(
        id=card_uuid(note.guid, ord_),
        kind=Kind.FLASHCARD,
        prompt=prompt,
        back=back,
        tags=note.tags,
    )


def _notes(db: CollectionRows) -> Iterator[_Note]:
    rows = db.select("notes", "id, guid, mid, tags, flds", "id")
    for row_number, (nid, guid, mid, tags, flds) in enumerate(rows, start=1):
        place = f"notes row {row_number}"
        nid = _int(nid, place, "id")
        place = f"{place} (id {nid})"
        guid, tags, flds = (
            _text(v, place, n) for v, n in ((guid, "guid"), (tags, "tags"), (flds, "flds"))
        )
        if not guid:
            raise _Place(f"{place}: guid is empty")
        tag_list = tuple(dict.fromkeys(tags.split()))
        for tag in tag_list:
            if len(tag) > MAX_TAG:
                raise _Place(f"{place}: tag {tag[:40]!r}... longer than {MAX_TAG} characters")
        yield _Note(nid, guid, _int(mid, place, "mid"), tag_list, tuple(flds.split("\x1f")))


def _cards_by_note(db: CollectionRows) -> dict[int, list[tuple[int, int, AnkiSchedule]]]:
    out: dict[int, list[tuple[int, int, AnkiSchedule]]] = {}
    rows = db.select("cards", ", ".join(COLUMNS["cards"]), "nid, ord")
    for row_number, row in enumerate(rows, start=1):
        place = f"cards row {row_number}"
        values = [_int(v, place, name) for v, name in zip(row, COLUMNS["cards"], strict=True)]
        _, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses, odue, odid = values
        if not 0 <= ord_ < 1000:
            raise _Place(f"{place} (id {values[0]}): ord {ord_} is out of range")
        schedule = AnkiSchedule(type_, queue, due, ivl, factor, reps, lapses, odue, odid)
        out.setdefault(nid, []).append((ord_, odid or did, schedule))
    return out


def _legacy_notetypes_and_decks(
    db: CollectionRows,
) -> tuple[dict[int, NoteType], dict[int, str]]:
    models_json, decks_json = _one_row(db, "col", "models, decks")
    models = _json_object(models_json, "col.models")
    decks = _json_object(decks_json, "col.decks")
    notetypes: dict[int, NoteType] = {}
    for key, model in models.items():
        place = f"col.models[{key}]"
        if not isinstance(model, dict):
            raise _Place(f"{place}: not an object")
        fields = _sorted_by_ord(model.get("flds"), f"{place}.flds")
        templates = _sorted_by_ord(model.get("tmpls"), f"{place}.tmpls")
        notetypes[_int_key(key, place)] = NoteType(
            name=_text(model.get("name", ""), place, "name"),
            fields=tuple(_text(f.get("name"), f"{place}.flds", "name") for f in fields),
            templates=tuple(
                Template(
                    _text(t.get("qfmt", ""), f"{place}.tmpls", "qfmt"),
                    _text(t.get("afmt", ""), f"{place}.tmpls", "afmt"),
                )
                for t in templates
            ),
            cloze=model.get("type") == _CLOZE_KIND,
        )
    names: dict[int, str] = {}
    for key, deck in decks.items():
        place = f"col.decks[{key}]"
        if not isinstance(deck, dict):
            raise _Place(f"{place}: not an object")
        names[_int_key(key, place)] = _text(deck.get("name"), place, "name")
    return notetypes, names


def _notetypes(db: CollectionRows) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, _, name in _checked_rows(
        db, "fields", "ntid, ord, name", "ntid, ord", (int, int, str)
    ):
        fields.setdefault(ntid, []).append(name)
    templates: dict[int, list[Template]] = {}
    for row_number, (ntid, _, config) in enumerate(
        _checked_rows(db, "templates", "ntid, ord, config", "ntid, ord", (int, int, bytes)),
        start=1,
    ):
        try:
            template = Template(read_string_field(config, 1), read_string_field(config, 2))
        except ValueError as err:
            raise _Place(f"templates row {row_number}: config: {err}") from err
        templates.setdefault(ntid, []).append(template)
    out: dict[int, NoteType] = {}
    for row_number, (ntid, name, config) in enumerate(
        _checked_rows(db, "notetypes", "id, name, config", "id", (int, str, bytes)),
        start=1,
    ):
        try:
            kind = read_varint_field(config, 1, 0)
        except ValueError as err:
            raise _Place(f"notetypes row {row_number}: config: {err}") from err
        out[ntid] = NoteType(
            name, tuple(fields.get(ntid, ())), tuple(templates.get(ntid, ())), kind == _CLOZE_KIND
        )
    return out


def _decks(db: CollectionRows) -> dict[int, str]:
    rows = _checked_rows(db, "decks", "id, name", "", (int, str))
    return {did: name.replace("\x1f", "::") for did, name in rows}


def _checked_rows(
    db: CollectionRows, table: str, columns: str, order_by: str, types: tuple[type, ...]
) -> list[tuple[Any, ...]]:
    out = []
    for row_number, row in enumerate(db.select(table, columns, order_by), start=1):
        for value, wanted in zip(row, types, strict=True):
            if not isinstance(value, wanted) or isinstance(value, bool):
                raise _Place(
                    f"{table} row {row_number}: {type(value).__name__} where {wanted.__name__} belongs"
                )
        out.append(tuple(row))
    return out


def _one_row(db: CollectionRows, table: str, columns: str) -> tuple[Any, ...]:
    for row in db.select(table, columns):
        return tuple(row)
    raise _Place(f"table {table!r} is empty")


def _json_object(raw: object, place: str) -> dict[str, Any]:
    try:
        value = json.loads(_text(raw, place, "value"))
    except json.JSONDecodeError as err:
        raise _Place(f"{place}: not valid JSON ({err})") from err
    if not isinstance(value, dict):
        raise _Place(f"{place}: not a JSON object")
    return value


def _sorted_by_ord(items: object, place: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _Place(f"{place}: not a list of objects")
    return sorted(items, key=lambda i: i.get("ord", 0) if isinstance(i.get("ord"), int) else 0)


def _int(value: object, place: str, column: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Place(f"{place}: {column} is {type(value).__name__}, not an integer")
    return value


def _int_key(key: str, place: str) -> int:
    try:
        return int(key)
    except ValueError as err:
        raise _Place(f"{place}: id is not a number") from err


def _text(value: object, place: str, column: str) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _Place(f"{place}: {column} is not UTF-8") from err
    if not isinstance(value, str):
        raise _Place(f"{place}: {column} is {type(value).__name__}, not text")
    return value
