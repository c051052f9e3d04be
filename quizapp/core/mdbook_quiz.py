"""mdbook-quiz files (the Rust Book's quizzes) as a quizapp deck.

An mdbook-quiz file is TOML with `[[questions]]`, each of a `type`:

- `Tracing` (`prompt.program`, `answer.doesCompile`, `answer.stdout`, `answer.lineNumber`):
  a program that compiles becomes an `output` card; one that does not becomes a `compiles`
  card. quizapp's `compiles` cards name rustc's error codes, which the quiz does not
  carry; a caller may pass `error_codes`. The importer does not: it would compile a
  file's code while merely reading it, before any preview or consent. Without codes the
  card becomes a `short` card asking for the line rustc rejects, which is what
  the quiz itself asks (or, when the quiz names no line, a yes/no `choice`: does it
  compile?). `quiz_bundle` lists those cards in `Bundle.uncompiled`, and
  `with_rustc_errors` turns one into the `compiles` card once rustc has been asked, after
  the preview and with the learner's go-ahead (`services.quiz_errors`).
- `MultipleChoice` (`prompt.prompt`, `prompt.distractors`, `answer.answer` as one string or
  a list, optional `prompt.answerIndex` / `prompt.sortAnswers`) becomes a `choice` card.
  Without a fixed order the options are shuffled by a seed taken from the question, so a
  re-import gives the same order and the right answer is not always first.
- `ShortAnswer` (`prompt.prompt`, `answer.answer`, `answer.alternatives`) becomes a `short`
  card, or a `flashcard` when `prompt.response` asks for long prose or code, which no
  string comparison can grade.

`context` becomes the explanation; a `multipart` context is put before the prompt. A
question's `id` is its UUID when it is one; otherwise the UUID is derived from the deck and
the question's content, so re-importing the same file updates rather than duplicates.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.deckfile import TOO_DEEP, too_deep
from quizapp.core.model import Card, Deck, Kind


@dataclass(frozen=True)
class RustcErrors:
    """What rustc says about a program that does not compile, as a card states it.

    With `messages`, a program whose errors have no code ("lifetime may not live long
    enough") still becomes a `compiles` card; with `line`, the card asks for the line, as
    the quiz does (`services.quiz_errors.rustc_errors` makes one from the local rustc).
    """

    codes: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    """Primary messages of the errors without an `E0000` code."""
    line: int | None = None
    """The line of `code` the first error's primary span blames."""


ErrorCodes = Callable[[str], "tuple[str, ...] | RustcErrors"]
"""Given a program, the rustc errors it fails with (empty when unknown); a bare tuple is
codes only."""

NAMESPACE = uuid.UUID("8c3b8a2e-1d7f-4c55-9a0e-6f3e2b1d4c7a")
"""Parent of the UUIDs derived for quiz files and for questions without one."""

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TYPES = ("Tracing", "MultipleChoice", "ShortAnswer")
_QUESTION_KEYS = {"type", "id", "prompt", "answer", "context", "multipart", "promptExplanation"}
_PROMPT_KEYS = {
    "Tracing": {"program"},
    "MultipleChoice": {"prompt", "distractors", "answerIndex", "sortAnswers"},
    "ShortAnswer": {"prompt", "response"},
}
_ANSWER_KEYS = {
    "Tracing": {"doesCompile", "stdout", "lineNumber"},
    "MultipleChoice": {"answer"},
    "ShortAnswer": {"answer", "alternatives"},
}
_HEADER = re.compile(r"^\s*\[\[\s*questions\s*\]\]")
LINE_QUESTION = "This program does not compile. On which line does rustc report the error?"
"""What a non-compiling program asks until rustc's errors are known (the quiz's own question)."""
COMPILE_QUESTION = "Does this program compile?"


def is_mdbook_quiz(data: dict[str, Any]) -> bool:
    """Whether parsed TOML is an mdbook-quiz file rather than a quizapp deck."""
    return "questions" in data and "deck" not in data and "format" not in data


def deck_id_for(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"mdbook-quiz:{name}"))


def parse_mdbook_quiz(
    text: str, source: str, *, name: str, error_codes: ErrorCodes | None = None
) -> Deck:
    """The quiz in `text` as a deck called `name`; `ImportFailed` names file, line and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImportFailed(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise ImportFailed(f"{source}: {TOO_DEEP}") from exc
    if too_deep(data):
        raise ImportFailed(f"{source}: {TOO_DEEP}")
    return quiz_to_deck(data, text, source, name=name, error_codes=error_codes)


def quiz_to_deck(
    data: dict[str, Any],
    text: str,
    source: str,
    *,
    name: str,
    error_codes: ErrorCodes | None = None,
) -> Deck:
    return _read(data, text, source, name=name, error_codes=error_codes)[0]


def quiz_bundle(data: dict[str, Any], text: str, source: str, *, name: str) -> Bundle:
    """The quiz as a bundle, compiling nothing: its non-compiling programs are listed in
    `uncompiled` (with their place in the file) for a later, consented compile."""
    deck, uncompiled = _read(data, text, source, name=name, error_codes=None)
    return Bundle(decks=(deck,), source=source, uncompiled=uncompiled)


def _read(
    data: dict[str, Any],
    text: str,
    source: str,
    *,
    name: str,
    error_codes: ErrorCodes | None,
) -> tuple[Deck, dict[str, str]]:
    questions = data.get("questions")
    if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
        raise ImportFailed(f"{source}: questions: must be an array of [[questions]] tables")
    multipart = data.get("multipart") or {}
    if not isinstance(multipart, dict):
        raise ImportFailed(f"{source}: multipart: must be a table of Markdown strings")
    text_lines = text.splitlines()
    starts = [i for i, line in enumerate(text_lines) if _HEADER.match(line)]
    deck_id = deck_id_for(name)
    cards = []
    uncompiled: dict[str, str] = {}
    problems = []
    for index, question in enumerate(questions):
        try:
            card = _card(question, deck_id, multipart, error_codes or (lambda _code: ()))
        except _Bad as exc:
            line = _line_of(text_lines, starts, index, exc.field.lstrip("."))
            where = f"{source}:{line}" if line else source
            problems.append(f"{where}: questions[{index}]{exc.field}: {exc}")
            continue
        cards.append(card)
        if is_uncompiled(card):
            line = _line_of(text_lines, starts, index, "")
            uncompiled[card.id] = f"{source}:{line}: questions[{index}]" if line else source
    if problems:
        raise ImportFailed("\n".join(problems))
    deck = Deck(
        id=deck_id, name=name, description="Imported from an mdbook-quiz file.", cards=tuple(cards)
    )
    return deck, uncompiled


def is_uncompiled(card: Card) -> bool:
    """A non-compiling Tracing program read without rustc's errors (the line or yes/no form)."""
    return (
        "mdbook-quiz" in card.tags
        and bool(card.code)
        and card.kind in (Kind.SHORT, Kind.CHOICE)
        and card.prompt.endswith((LINE_QUESTION, COMPILE_QUESTION))
    )


def with_rustc_errors(card: Card, said: RustcErrors) -> Card | None:
    """The `compiles` card an uncompiled Tracing card becomes once rustc's errors are known;
    None when rustc named none (the card stays as the quiz asks it)."""
    if not (said.codes or said.messages) or not is_uncompiled(card):
        return None
    lead = card.prompt[: -len(LINE_QUESTION if card.kind is Kind.SHORT else COMPILE_QUESTION)]
    code = card.code
    at = said.line if said.line is not None and 1 <= said.line <= len(code.splitlines()) else None
    ask = "If not, which error does rustc give" + (", and on which line?" if at else "?")
    return Card(
        id=card.id,
        kind=Kind.COMPILES,
        prompt=f"{lead}{COMPILE_QUESTION} {ask}",
        explanation=card.explanation,
        tags=card.tags,
        code=code,
        edition=card.edition,
        compiles=False,
        errors=tuple(sorted(set(said.codes))),
        messages=tuple(sorted({m.strip() for m in said.messages if m.strip()})),
        line=at,
    )


def _line_of(lines: list[str], starts: list[int], index: int, field: str) -> int | None:
    """The line of `field` (`answer.doesCompile`) in question `index`, else of its header."""
    if index >= len(starts):
        return None
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    parts = [re.escape(p) for p in field.split(".") if p]
    if parts:
        key = re.compile(r"^\s*" + r"\s*\.\s*".join(parts) + r"\s*=")
        for i in range(starts[index] + 1, end):
            if key.match(lines[i]):
                return i + 1
    return starts[index] + 1


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = f".{field}" if field else ""


def _card(
    q: dict[str, Any], deck_id: str, multipart: dict[str, Any], error_codes: ErrorCodes
) -> Card:
    kind = q.get("type")
    if kind not in _TYPES:
        raise _Bad(
            "type",
            f"unknown question type {kind!r}; quizapp imports {', '.join(_TYPES)}",
        )
    _known_keys(q, _QUESTION_KEYS, "")
    prompt = _table(q, "prompt")
    answer = _table(q, "answer")
    _known_keys(prompt, _PROMPT_KEYS[kind], "prompt.")
    _known_keys(answer, _ANSWER_KEYS[kind], "answer.")
    common: dict[str, Any] = {
        "id": _card_id(q, deck_id),
        "explanation": _text(q, "context", "", optional=True),
        "tags": ("mdbook-quiz",),
    }
    part = q.get("multipart")
    lead = ""
    if part is not None:
        if not isinstance(part, str) or part not in multipart:
            raise _Bad("multipart", f"{part!r} is not a key of the [multipart] table")
        lead = str(multipart[part]).strip() + "\n\n"
    if kind == "Tracing":
        return _tracing(prompt, answer, common, lead, error_codes)
    if kind == "MultipleChoice":
        return _choice(prompt, answer, common, lead, str(common["id"]))
    return _short(prompt, answer, common, lead)


def _tracing(
    prompt: dict[str, Any],
    answer: dict[str, Any],
    common: dict[str, Any],
    lead: str,
    error_codes: ErrorCodes,
) -> Card:
    program = _text(prompt, "program", "prompt.")
    if not program.strip():
        raise _Bad("prompt.program", "is empty")
    code = program if program.endswith("\n") else program + "\n"
    compiles = answer.get("doesCompile")
    if not isinstance(compiles, bool):
        raise _Bad("answer.doesCompile", "must be true or false")
    if compiles:
        return Card(
            **common,
            kind=Kind.OUTPUT,
            prompt=lead + "What does this program print?",
            code=code,
            stdout=_text(answer, "stdout", "answer.", optional=True),
        )
    line = answer.get("lineNumber")
    if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 1):
        raise _Bad("answer.lineNumber", "must be a line number (1 or more)")
    where = f"rustc rejects line {line}." if line is not None else ""
    explanation = "\n\n".join(p for p in (where, common.pop("explanation")) if p)
    if line is not None:
        card = Card(
            **common,
            kind=Kind.SHORT,
            prompt=lead + LINE_QUESTION,
            code=code,
            accepted=(str(line),),
            explanation=explanation,
        )
    else:  # the quiz names no line: until rustc is asked, the question is yes or no
        card = Card(
            **common,
            kind=Kind.CHOICE,
            prompt=lead + COMPILE_QUESTION,
            code=code,
            options=("Yes", "No"),
            answer_indexes=(1,),
            explanations=("", "rustc rejects it."),
            explanation=explanation,
        )
    found = error_codes(code)
    said = found if isinstance(found, RustcErrors) else RustcErrors(codes=tuple(found))
    return with_rustc_errors(card, said) or card


def _choice(
    prompt: dict[str, Any], answer: dict[str, Any], common: dict[str, Any], lead: str, seed: str
) -> Card:
    right = answer.get("answer")
    rights = [right] if isinstance(right, str) else right
    if not isinstance(rights, list) or not rights or not all(isinstance(r, str) for r in rights):
        raise _Bad("answer.answer", "must be a string or a list of strings")
    wrong = prompt.get("distractors")
    if not isinstance(wrong, list) or not all(isinstance(w, str) for w in wrong):
        raise _Bad("prompt.distractors", "must be a list of strings")
    options: list[str] = list(wrong)
    index = prompt.get("answerIndex")
    if isinstance(index, int) and not isinstance(index, bool) and len(rights) == 1:
        options.insert(min(max(index, 0), len(options)), rights[0])
    else:
        options += rights
        if prompt.get("sortAnswers") is True:
            options.sort()
        else:
            random.Random(seed).shuffle(options)
    return Card(
        **common,
        kind=Kind.CHOICE,
        prompt=lead + _text(prompt, "prompt", "prompt."),
        options=tuple(options),
        answer_indexes=tuple(sorted(options.index(r) for r in set(rights))),
        explanations=("",) * len(options),
        multiple=isinstance(right, list),
    )


def _short(
    prompt: dict[str, Any], answer: dict[str, Any], common: dict[str, Any], lead: str
) -> Card:
    text = lead + _text(prompt, "prompt", "prompt.")
    right = _text(answer, "answer", "answer.")
    others = answer.get("alternatives", [])
    if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
        raise _Bad("answer.alternatives", "must be a list of strings")
    if prompt.get("response") in ("long", "code"):
        return Card(**common, kind=Kind.FLASHCARD, prompt=text, back=right)
    accepted = tuple(dict.fromkeys(a for a in (right, *others) if a.strip()))
    if not accepted:
        raise _Bad("answer.answer", "is empty")
    return Card(**common, kind=Kind.SHORT, prompt=text, accepted=accepted)


def _card_id(q: dict[str, Any], deck_id: str) -> str:
    given = q.get("id")
    if isinstance(given, str) and _UUID.match(given):
        return given.lower()
    if given is not None and not isinstance(given, str):
        raise _Bad("id", "must be a string")
    basis = given if given else json.dumps(q, sort_keys=True, ensure_ascii=False, default=str)
    return str(uuid.uuid5(uuid.UUID(deck_id), basis))


def _table(q: dict[str, Any], key: str) -> dict[str, Any]:
    value = q.get(key)
    if not isinstance(value, dict):
        raise _Bad(key, f"must be a table (`{key}.field = ...`)")
    return value


def _text(table: dict[str, Any], key: str, prefix: str, *, optional: bool = False) -> str:
    value = table.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise _Bad(prefix + key, "is missing" if value is None else "must be a string")
    return value


def _known_keys(table: dict[str, Any], known: set[str], prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise _Bad(prefix + unknown[0], f"unknown field (known fields: {', '.join(sorted(known))})")
