"""Which of a note's fields make the front and the back of each of its Anki cards.

An Anki note holds fields; its note type's templates say which fields each card shows.
quizapp reads the templates rather than assuming a layout, so "Basic (and reversed card)"
yields one card asking Front and one asking Back, as in Anki:

- a standard note type's card `ord` uses template `ord`: the fields its front template
  names (`{{Front}}`, `{{text:Front}}`...) become the prompt, the fields its back template
  adds (and any `{{type:Field}}` the front asks to type) become the back. A template that
  names no field, or a card without a template, falls back to the first field as the prompt
  and the others as the back;
- a cloze note's card `ord` is cloze number `ord + 1`: the prompt is the cloze field with
  that deletion shown as `[...]` (or `[hint]`) and the others as plain text; the back shows
  it in bold, followed by the fields the back template adds (usually "Back Extra").

Fields stay HTML here; the caller sanitizes them (`core.htmltext`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REFERENCE = re.compile(r"\{\{([^#/^{}][^{}]*)\}\}")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::((?:(?!\}\}).)*?))?\}\}", re.DOTALL)
_SPECIAL = {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"}


@dataclass(frozen=True)
class Template:
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    cloze: bool = False


@dataclass(frozen=True)
class Sides:
    front: tuple[str, ...]
    """HTML pieces of the prompt, empty ones left out."""
    back: tuple[str, ...]


def _references(template: str, fields: tuple[str, ...]) -> list[tuple[str, str]]:
    """(filter, field) for each field a template shows, in order, special names left out."""
    out = []
    for match in _REFERENCE.finditer(template):
        parts = [p.strip() for p in match.group(1).split(":")]
        name, filters = parts[-1], parts[:-1]
        if name in fields and name not in _SPECIAL:
            out.append((filters[0] if filters else "", name))
    return out


def card_sides(notetype: NoteType, values: tuple[str, ...], ord_: int) -> Sides:
    by_name = dict(zip(notetype.fields, values, strict=False))
    if notetype.cloze:
        return _cloze_sides(notetype, by_name, ord_)
    template = notetype.templates[ord_] if 0 <= ord_ < len(notetype.templates) else None
    front_refs = _references(template.front, notetype.fields) if template else []
    shown = [name for kind, name in front_refs if kind != "type"]
    if not shown:
        return _first_and_rest(values)
    assert template is not None
    typed = [name for kind, name in front_refs if kind == "type"]
    back = [name for _, name in _references(template.back, notetype.fields)]
    back_fields = _unique([*typed, *(n for n in back if n not in shown)])
    return Sides(_values(by_name, _unique(shown)), _values(by_name, back_fields))


def _cloze_sides(notetype: NoteType, by_name: dict[str, str], ord_: int) -> Sides:
    template = notetype.templates[0] if notetype.templates else Template("", "")
    front_refs = _references(template.front, notetype.fields)
    cloze_fields = _unique([name for kind, name in front_refs if kind == "cloze"])
    if not cloze_fields:
        cloze_fields = list(notetype.fields[:1])
    number = ord_ + 1
    extra = [
        name
        for kind, name in _references(template.back, notetype.fields)
        if kind != "cloze" and name not in cloze_fields
    ]
    texts = _values(by_name, cloze_fields)
    return Sides(
        tuple(cloze_text(t, number, reveal=False) for t in texts),
        tuple(cloze_text(t, number, reveal=True) for t in texts) + _values(by_name, extra),
    )


def cloze_text(text: str, number: int, *, reveal: bool) -> str:
    """The text with cloze `number` hidden (or revealed in bold) and the others as plain text."""

    def replace(match: re.Match[str]) -> str:
        answer, hint = match.group(2), match.group(3)
        if int(match.group(1)) != number:
            return answer
        if reveal:
            return f"<b>{answer}</b>"
        return f"[{hint}]" if hint else "[...]"

    return _CLOZE.sub(replace, text)


def _first_and_rest(values: tuple[str, ...]) -> Sides:
    return Sides(
        tuple(v for v in values[:1] if v.strip()), tuple(v for v in values[1:] if v.strip())
    )


def _values(by_name: dict[str, str], names: list[str]) -> tuple[str, ...]:
    return tuple(by_name[n] for n in names if by_name.get(n, "").strip())


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))
