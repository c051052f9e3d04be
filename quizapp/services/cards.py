"""Writing and managing cards: the editor's and the browser's use cases.

Each public function that writes is one transaction and returns a `Changes` value saying
which cards and decks it touched, so the views refresh only what changed. Each is also one
step of Edit → Undo: it captures the rows it is about to change (`services.undo`) in that
same transaction, and records the step once it has committed.

A card is edited as a dict in the deck file's shape (`card_data`), and checked with the
deck file's own rules (`quizapp.core.deckfile.validate_card_data`): a card the editor
accepts is a card a deck file accepts, and the reverse.

Rules that keep progress and updates safe:

- A card with review history is deleted only when the caller says `delete_history=True`;
  `count_reviews` tells the window what to put in its confirmation.
- `reset_progress` makes cards new again but keeps their review log, and the lapse and
  review counts that summarise it.
- Shipped decks are replaced from their files when quizapp updates. A shipped card may be
  edited (the next update of its deck may overwrite the text; the editor says so), but
  cards cannot be added to, moved into or out of a shipped deck: the update would hide the
  added ones, and refuse to load a deck whose cards live elsewhere. Copy a shipped card
  into a deck of your own instead (`duplicate_card` with a target deck).
"""

from __future__ import annotations

import threading
import uuid as uuid_module
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from quizapp import rustc
from quizapp.core.changes import Changes
from quizapp.core.checked import card_digest, checked_is_current
from quizapp.core.deckfile import Problem, card_from_data, validate_card_data, validate_deck_data
from quizapp.core.deckwriter import card_to_data
from quizapp.core.grading import (
    Answer,
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
)
from quizapp.core.ids import CardUuid, DeckUuid
from quizapp.core.model import Card, Checked, Kind
from quizapp.core.model import Deck as CoreDeck
from quizapp.core.sources import EDITOR_SOURCE, is_shipped
from quizapp.services import ops
from quizapp.services.collection import Collection
from quizapp.services.undo import cards_label
from quizapp.storage import repo, search
from quizapp.storage.database import Session
from quizapp.storage.search import SORT_KEYS, BrowserRow, CardQuery
from quizapp.storage.tables import CardRow, CardState, DeckRow

__all__ = [
    "SORT_KEYS",
    "BrowserRow",
    "CardError",
    "CardQuery",
    "Changes",
    "CodeCheck",
    "DeckChoice",
    "DeckContents",
    "EditableCard",
    "HasHistory",
    "InvalidCard",
    "Problem",
]

USER_DECK_SOURCE = EDITOR_SOURCE


class CardError(Exception):
    """An operation the collection refuses; the message says why and what to do instead."""


class InvalidCard(CardError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems)
        )


class HasHistory(CardError):
    """Deleting these cards would delete reviews; ask, then call again with delete_history."""

    def __init__(self, reviews: int, cards: int) -> None:
        self.reviews = reviews
        self.cards = cards
        super().__init__(
            f"{cards} of these cards have {reviews} reviews in their history; deleting them "
            "deletes those reviews too"
        )


@dataclass(frozen=True)
class DeckChoice:
    uuid: str
    name: str
    shipped: bool


@dataclass(frozen=True)
class EditableCard:
    data: dict[str, Any]
    deck_uuid: str
    deck_name: str
    shipped: bool
    reviews: int


# --- decks -----------------------------------------------------------------------------


def list_deck_choices(col: Collection) -> list[DeckChoice]:
    with col.db.session() as session:
        return [
            DeckChoice(d.uuid, d.name, _is_shipped(d)) for d in repo.list_decks(session=session)
        ]


def validate_deck_fields(name: str, section: str = "", description: str = "") -> list[Problem]:
    """A deck's name, section and description, by the deck file's rules."""
    data = {
        "format": 1,
        "deck": {"id": str(uuid_module.uuid4()), "name": name},
        "cards": [],
    }
    if section:
        data["deck"]["section"] = section  # type: ignore[index]
    if description:
        data["deck"]["description"] = description  # type: ignore[index]
    return [
        Problem(None, p.field.removeprefix("deck."), p.message) for p in validate_deck_data(data)
    ]


def create_deck(col: Collection, name: str, section: str = "", description: str = "") -> Changes:
    problems = validate_deck_fields(name, section, description)
    if problems:
        raise InvalidCard(problems)
    deck = CoreDeck(
        id=str(uuid_module.uuid4()), name=name, section=section, description=description
    )

    def write(op: ops.Op) -> Changes:
        op.capture()
        position = len(repo.list_decks(session=op.session))
        repo.save_deck(
            deck, source=USER_DECK_SOURCE, digest="", position=position, session=op.session
        )
        return Changes(decks=(DeckUuid(deck.id),), deck=True)

    return _run(col, f"New deck {name}", write)


def rename_deck(col: Collection, deck_uuid: str, name: str) -> Changes:
    """A deck of one's own takes any valid name; a shipped deck's name is its file's.

    A shipped deck is refused rather than renamed: its name comes back from its file at
    the next update of quizapp, and a rename that quietly undoes itself costs more trust
    than a clear no.
    """
    name = name.strip()
    problems = validate_deck_fields(name)
    if problems:
        raise InvalidCard(problems)

    def write(op: ops.Op) -> Changes:
        row = _deck(deck_uuid, op.session)
        assert row.id is not None
        if row.name == name:
            op.undoable = False
            op.capture()
            return Changes()
        if _is_shipped(row):
            raise CardError(
                f"“{row.name}” ships with quizapp: its name comes from its deck file and "
                "would come back at the next update, so it cannot be renamed"
            )
        op.capture(decks=[row.id])
        row.name = name
        op.session.add(row)
        return Changes(decks=(DeckUuid(deck_uuid),), deck=True)

    return _run(col, "Rename deck", write)


@dataclass(frozen=True)
class DeckContents:
    """What deleting a deck takes with it: what its confirmation says."""

    uuid: str
    name: str
    shipped: bool
    cards: int
    """Every card of the deck, retired ones included (they go too)."""
    reviews: int


def deck_contents(col: Collection, deck_uuid: str) -> DeckContents:
    with col.db.session() as session:
        row = _deck(deck_uuid, session)
        assert row.id is not None
        ids = [c.id for c in repo.list_deck_cards(row.id, session=session) if c.id is not None]
        return DeckContents(
            uuid=row.uuid,
            name=row.name,
            shipped=_is_shipped(row),
            cards=len(ids),
            reviews=repo.count_reviews(ids, session=session),
        )


def delete_deck(col: Collection, deck_uuid: str, *, backup: bool = True) -> Changes:
    """Delete a deck of one's own with its cards and their history, as one undo step.

    A backup is taken first (the history of a deck is the one thing an undo stack that
    ends with the session cannot bring back tomorrow). A shipped deck is refused: it would
    come back, cards and all, at the next start; suspend its cards to keep it out of study.
    """
    contents = deck_contents(col, deck_uuid)
    if contents.shipped:
        raise CardError(
            f"“{contents.name}” ships with quizapp and would come back at the next start; "
            "it cannot be deleted. To keep it out of study, suspend its cards in the browser."
        )
    if backup:
        from quizapp.services.backup import take_backup

        take_backup(col, "before-delete")

    def write(op: ops.Op) -> Changes:
        row = _deck(deck_uuid, op.session)
        _refuse_shipped(row, "delete it")
        assert row.id is not None
        rows = repo.list_deck_cards(row.id, session=op.session)
        ids = [c.id for c in rows if c.id is not None]
        uuids = tuple(CardUuid(c.uuid) for c in rows)
        op.capture(decks=[row.id], histories=ids)
        reviews = repo.delete_cards(ids, session=op.session)
        op.session.delete(row)
        op.session.flush()
        return Changes(
            deleted=uuids,
            decks=(DeckUuid(deck_uuid),),
            reviews_deleted=reviews,
            card=True,
            deck=True,
            schedule=True,
            history=reviews > 0,
        )

    return _run(col, f"Delete deck {contents.name}", write)


# --- one card ----------------------------------------------------------------------------


def new_card_data(kind: Kind) -> dict[str, Any]:
    """A fresh card of this kind (new UUID), with the fields its kind requires."""
    data: dict[str, Any] = {"id": str(uuid_module.uuid4()), "kind": kind.value, "prompt": ""}
    if kind is Kind.COMPILES:
        data.update(code="fn main() {\n}\n", compiles=True)
    elif kind is Kind.OUTPUT:
        data.update(code='fn main() {\n    println!("hello");\n}\n', stdout="hello\n")
    elif kind is Kind.CHOICE:
        data.update(options=["", ""], answer=[0], explanations=["", ""])
    elif kind is Kind.SHORT:
        data.update(answer=[""])
    else:
        data.update(back="")
    return data


def card_data(card: Card) -> dict[str, Any]:
    """A card as a deck file writes it, so the editor and deck files share one shape."""
    return card_to_data(card)


def validate_card(data: dict[str, Any]) -> list[Problem]:
    """The deck file's rules, for one card: what the editor shows while the learner types."""
    return validate_card_data(data)


def preview_card(data: dict[str, Any]) -> Card:
    """The card the form describes, for the live preview, even while it is not yet valid.

    Only the shape is needed (strings, lists, booleans), which the form always gives. A
    stored rustc result is kept only while it still describes the code and answer.
    """
    card = card_from_data({**data, "prompt": data.get("prompt", ""), "checked": None})
    checked = data.get("checked")
    if isinstance(checked, dict) and card.kind.has_code and checked.get("rustc"):
        with_checked = replace(card, checked=Checked(**checked))
        if checked_is_current(with_checked):
            return with_checked
    return card


def model_answer(card: Card) -> Answer:
    """The right answer, so the preview can show what a learner sees after answering."""
    match card.kind:
        case Kind.COMPILES:
            code = card.errors[0] if card.ask_error and card.errors else ""
            return CompilesAnswer(compiles=bool(card.compiles), error_code=code)
        case Kind.OUTPUT:
            return OutputAnswer(stdout=card.stdout or "", panics=card.panics)
        case Kind.CHOICE:
            return ChoiceAnswer(selected=frozenset(card.answer_indexes))
        case Kind.SHORT:
            return ShortAnswer(text=card.accepted[0] if card.accepted else "")
    return SelfGraded()


def load_card(col: Collection, card_uuid: str) -> EditableCard:
    with col.db.session() as session:
        row = _card(card_uuid, session)
        deck = session.get(DeckRow, row.deck_id)
        assert deck is not None and row.id is not None
        return EditableCard(
            data=card_data(repo.load_card(row)),
            deck_uuid=deck.uuid,
            deck_name=deck.name,
            shipped=_is_shipped(deck),
            reviews=repo.count_reviews([row.id], session=session),
        )


def add_card(col: Collection, deck_uuid: str, data: dict[str, Any]) -> Changes:
    """Add a card at the end of a deck of one's own. A missing `id` gets a fresh UUID."""
    data = {**data, "id": data.get("id") or str(uuid_module.uuid4())}
    card = _valid_card(data)

    def write(op: ops.Op) -> Changes:
        deck = _deck(deck_uuid, op.session)
        _refuse_shipped(deck, "add cards to it")
        if repo.get_cards_by_uuid([card.id], session=op.session):
            raise CardError(f"a card with id {card.id} already exists")
        assert deck.id is not None
        op.capture()
        position = repo.next_card_position(deck.id, session=op.session)
        repo.save_card(card, deck_id=deck.id, position=position, existing=None, session=op.session)
        op.session.flush()
        return Changes(added=(CardUuid(card.id),), decks=(DeckUuid(deck_uuid),), card=True)

    return _run(col, "Add card", write)


def edit_card(col: Collection, card_uuid: str, data: dict[str, Any]) -> Changes:
    """Replace a card's content, keeping its id, deck, place and schedule.

    A stored rustc result (`checked`) that no longer matches the code and answer is
    dropped rather than shown as if it still held.
    """
    if str(data.get("id", "")).lower() != card_uuid.lower():
        raise CardError("a card's id cannot be changed; duplicate the card instead")
    card = _valid_card(data)
    if card.checked is not None and card.kind.has_code and card.checked.digest:
        if card.checked.digest != card_digest(card):
            card = replace(card, checked=None)
    elif card.checked is not None and not card.kind.has_code:
        card = replace(card, checked=None)

    def write(op: ops.Op) -> Changes:
        row = _card(card_uuid, op.session)
        deck = op.session.get(DeckRow, row.deck_id)
        assert deck is not None and row.id is not None
        op.capture(cards=[row.id])
        repo.save_card(
            card, deck_id=row.deck_id, position=row.position, existing=row, session=op.session
        )
        return Changes(updated=(CardUuid(card.id),), decks=(DeckUuid(deck.uuid),), card=True)

    return _run(col, "Edit card", write)


def duplicate_card(col: Collection, card_uuid: str, deck_uuid: str | None = None) -> Changes:
    """A copy with a new UUID and no progress, in `deck_uuid` or else the card's own deck."""

    def write(op: ops.Op) -> Changes:
        row = _card(card_uuid, op.session)
        source_deck = op.session.get(DeckRow, row.deck_id)
        assert source_deck is not None
        target = _deck(deck_uuid, op.session) if deck_uuid else source_deck
        _refuse_shipped(target, "add a copy to it; choose a deck of your own")
        copy = replace(repo.load_card(row), id=str(uuid_module.uuid4()))
        assert target.id is not None
        op.capture()
        position = repo.next_card_position(target.id, session=op.session)
        repo.save_card(
            copy, deck_id=target.id, position=position, existing=None, session=op.session
        )
        op.session.flush()
        return Changes(added=(CardUuid(copy.id),), decks=(DeckUuid(target.uuid),), card=True)

    return _run(col, "Copy card", write)


# --- many cards (the browser's selection) ---------------------------------------------------


def count_reviews(col: Collection, card_uuids: Iterable[str]) -> int:
    """Reviews in these cards' history: what the delete confirmation says will be lost."""
    with col.db.session() as session:
        rows = repo.get_cards_by_uuid(card_uuids, session=session).values()
        return repo.count_reviews([r.id for r in rows if r.id is not None], session=session)


def delete_cards(
    col: Collection, card_uuids: Iterable[str], *, delete_history: bool = False
) -> Changes:
    """Delete cards; those with reviews only with `delete_history=True` (else `HasHistory`)."""
    wanted = list(dict.fromkeys(card_uuids))

    def write(op: ops.Op) -> Changes:
        rows = _cards(wanted, op.session)
        if not delete_history:
            with_history = [
                (n, row)
                for row in rows
                if row.id is not None and (n := repo.count_reviews([row.id], session=op.session))
            ]
            if with_history:
                raise HasHistory(sum(n for n, _ in with_history), len(with_history))
        decks = _deck_uuids(rows, op.session)
        op.capture(histories=[r.id for r in rows if r.id is not None])
        op.undoable = bool(wanted)
        reviews = repo.delete_cards([r.id for r in rows if r.id is not None], session=op.session)
        return Changes(
            deleted=tuple(CardUuid(u) for u in wanted),
            decks=decks,
            reviews_deleted=reviews,
            card=True,
            schedule=True,
            history=reviews > 0,
        )

    return _run(col, cards_label("Delete", len(wanted)), write)


def set_suspended(col: Collection, card_uuids: Iterable[str], suspended: bool) -> Changes:
    """Suspended cards stay in the collection with their history but never come up to study."""
    return _update_states(
        col,
        card_uuids,
        lambda state: setattr(state, "suspended", suspended),
        "Suspend" if suspended else "Unsuspend",
    )


def reset_progress(col: Collection, card_uuids: Iterable[str]) -> Changes:
    """Make cards new again: SM-2 state back to the start, not due, not drilling.

    The review log is kept (history is never lost by a reset), and so are the lapse and
    review counts that summarise it.
    """

    def reset(state: CardState) -> None:
        state.repetitions, state.easiness_hundredths, state.interval = 0, 250, 0
        state.due_day = state.drill_day = None

    return _update_states(col, card_uuids, reset, "Reset")


def move_cards(col: Collection, card_uuids: Iterable[str], deck_uuid: str) -> Changes:
    """Move cards to the end of another deck, keeping their ids, schedule and history."""
    wanted = list(dict.fromkeys(card_uuids))

    def write(op: ops.Op) -> Changes:
        session = op.session
        target = _deck(deck_uuid, session)
        _refuse_shipped(target, "move cards into it")
        rows = _cards(wanted, session)
        decks = {*_deck_uuids(rows, session), DeckUuid(deck_uuid)}
        for row in rows:
            source = session.get(DeckRow, row.deck_id)
            if source is not None and _is_shipped(source) and source.id != target.id:
                raise CardError(
                    f"“{source.name}” ships with quizapp; its cards cannot leave it "
                    "(the next update would bring them back). Copy them instead."
                )
        assert target.id is not None
        op.capture(cards=[r.id for r in rows if r.id is not None])
        position = repo.next_card_position(target.id, session=session)
        moved: list[CardUuid] = []
        for row in rows:
            if row.deck_id == target.id:
                continue
            row.deck_id, row.position = target.id, position
            position += 1
            session.add(row)
            moved.append(CardUuid(row.uuid))
        op.label = cards_label("Move", len(moved))
        op.undoable = bool(moved)
        return Changes(updated=tuple(moved), decks=tuple(sorted(decks)), card=True)

    return _run(col, "Move cards", write)


# --- search ------------------------------------------------------------------------------


def search_cards(
    col: Collection, query: CardQuery, *, stop: Callable[[], bool] | None = None
) -> list[str]:
    """Every matching card's UUID in the query's order; load rows with `browser_rows`.
    `stop`: checked as SQLite works; when it says so, `search.SearchStopped` is raised."""
    with col.db.session() as session, search.stoppable(session, stop):
        return search.search_card_uuids(query, col.today().toordinal(), session=session)


def first_card_uuids(
    col: Collection, query: CardQuery, limit: int, *, stop: Callable[[], bool] | None = None
) -> list[str]:
    """The first `limit` of `search_cards`'s UUIDs, without sorting every match."""
    with col.db.session() as session, search.stoppable(session, stop):
        return search.first_uuids(query, col.today().toordinal(), limit, session=session)


def browser_rows(col: Collection, card_uuids: Sequence[str]) -> list[BrowserRow]:
    with col.db.session() as session:
        return search.get_browser_rows(card_uuids, session=session)


def list_tags(col: Collection) -> list[str]:
    with col.db.session() as session:
        return search.list_tags(session=session)


# --- rustc --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """What the real compiler (and, when allowed, a run) says about a snippet."""

    compiles: bool
    errors: tuple[str, ...]
    diagnostic: str
    uncoded_errors: tuple[str, ...]
    rustc_version: str
    ran: bool = False
    stdout: str = ""
    panics: bool = False
    problem: str = ""
    """Why the run says nothing about the answer (timed out, printed too much)."""


def check_code(
    code: str, edition: str, *, run: bool, cancel: threading.Event | None = None
) -> CodeCheck:
    """Compile `code`, and run it when `run` (only with the learner's consent: it is code).

    Slow: call it off the GUI thread. Raises `rustc.RustcError` (missing, timed out,
    cancelled) for problems of the environment rather than of the code.
    """
    version = rustc.rustc_version()
    if not run:
        compiled = rustc.check(code, edition, cancel=cancel)
        return _code_check(compiled, version)
    done = rustc.run(code, edition, cancel=cancel)
    result = _code_check(done.compile, version)
    if done.run is None:
        return result
    problem = ""
    if done.run.timed_out:
        problem = "the program did not finish (killed by the timeout)"
    elif done.run.truncated:
        problem = f"the program printed more than {rustc.OUTPUT_CAP} bytes (killed)"
    return replace(
        result, ran=True, stdout=done.run.stdout, panics=done.run.panicked, problem=problem
    )


def apply_code_check(data: dict[str, Any], result: CodeCheck) -> dict[str, Any]:
    """The card with the compiler's answer filled in, and `checked` recording it."""
    out = {k: v for k, v in data.items() if k not in ("checked",)}
    if out.get("kind") == Kind.COMPILES.value:
        out["compiles"] = result.compiles
        out.pop("errors", None)
        if not result.compiles:
            out["errors"] = list(result.errors)
        if result.compiles:
            out.pop("ask_error", None)
    elif out.get("kind") == Kind.OUTPUT.value and result.ran and not result.problem:
        out["stdout"] = result.stdout
        out["panics"] = result.panics
    else:
        return out
    card = preview_card(out)
    out["checked"] = {
        "rustc": result.rustc_version,
        "digest": card_digest(card),
        **({"diagnostic": result.diagnostic} if result.diagnostic else {}),
        **({"output": result.stdout} if result.ran and result.stdout else {}),
    }
    return out


def _code_check(compiled: rustc.CompileResult, version: str) -> CodeCheck:
    return CodeCheck(
        compiles=compiled.success,
        errors=compiled.error_codes,
        diagnostic="" if compiled.success else compiled.diagnostic,
        uncoded_errors=compiled.uncoded_errors,
        rustc_version=version,
    )


# --- helpers ------------------------------------------------------------------------------


def _valid_card(data: dict[str, Any]) -> Card:
    problems = validate_card_data(data)
    if problems:
        raise InvalidCard(problems)
    return card_from_data(data)


def _is_shipped(deck: DeckRow) -> bool:
    return is_shipped(deck.source)


def _run(col: Collection, label: str, write: Callable[[ops.Op], Changes]) -> Changes:
    """One of this module's operations through the runner: what `write` returns is both
    the `Changes` every view hears and the function's own value."""

    def changing(op: ops.Op) -> Changes:
        changes = write(op)
        op.changed(changes)
        return changes

    return ops.run(col, label, changing)


def _refuse_shipped(deck: DeckRow, doing: str) -> None:
    if _is_shipped(deck):
        raise CardError(
            f"“{deck.name}” ships with quizapp and is replaced when quizapp updates; cannot {doing}"
        )


def _deck(deck_uuid: str, session: Session) -> DeckRow:
    row = repo.get_deck_by_uuid(deck_uuid, session=session)
    if row is None:
        raise CardError(f"no deck with id {deck_uuid}")
    return row


def _card(card_uuid: str, session: Session) -> CardRow:
    row = repo.get_cards_by_uuid([card_uuid], session=session).get(card_uuid)
    if row is None:
        raise CardError(f"no card with id {card_uuid}")
    return row


def _cards(card_uuids: Sequence[str], session: Session) -> list[CardRow]:
    found = repo.get_cards_by_uuid(card_uuids, session=session)
    missing = [u for u in card_uuids if u not in found]
    if missing:
        raise CardError(f"no card with id {missing[0]}")
    return [found[u] for u in card_uuids]


def _deck_uuids(rows: Iterable[CardRow], session: Session) -> tuple[DeckUuid, ...]:
    uuids: set[DeckUuid] = set()
    for deck_id in {r.deck_id for r in rows}:
        deck = session.get(DeckRow, deck_id)
        if deck is not None:
            uuids.add(DeckUuid(deck.uuid))
    return tuple(sorted(uuids))


def _update_states(col: Collection, card_uuids: Iterable[str], change: Any, verb: str) -> Changes:
    wanted = list(dict.fromkeys(card_uuids))

    def write(op: ops.Op) -> Changes:
        rows = _cards(wanted, op.session)
        op.capture(states=[r.id for r in rows if r.id is not None])
        op.undoable = bool(wanted)
        for row in rows:
            state = op.session.get(CardState, row.id)
            assert state is not None
            change(state)
            op.session.add(state)
        decks = _deck_uuids(rows, op.session)
        return Changes(updated=tuple(CardUuid(u) for u in wanted), decks=decks, schedule=True)

    return _run(col, cards_label(verb, len(wanted)), write)
