"""Decks and progress in and out of the collection: one import pipeline for every format.

Every reader (`services.importers`) turns a file into a `Bundle`; this module does the rest
the same way for all of them:

1. `plan_import` compares the bundle with the collection and says, per deck, which cards
   will be added, changed, removed (in the collection's deck but no longer in the file) and
   left alone, without writing anything. Conflicts (a card that belongs to another deck, a
   UUID used twice, a deck that breaks the deck-file rules) are errors naming the file.
2. `apply_import` carries the plan out in one transaction. Cards are matched by UUID, so
   they keep their schedule and review log. Removed cards are retired (hidden, history
   kept) unless the learner asked to delete them: the only path here that deletes history.
   Scheduling carried by the bundle is applied only when asked, and only to cards this
   collection has never reviewed: a learner's own history always wins. Cancel or any error
   rolls everything back. Cards are written with one bulk statement per chunk (a 10,000-card
   deck in ~0.3 s); a backup is taken first when the import alters what the collection
   already holds (see `apply_import`).

The shipped decks loaded at start-up (`services.decks`) go through the same two steps.

Progress alone (`export_progress` / `import_progress`) moves a learner's schedule and review
log between machines as JSON keyed by card UUID; importing merges, never drops a review.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.core.bundle import Bundle, CardProgress, ImportFailed
from quizapp.core.changes import Changes
from quizapp.core.deckwriter import deck_to_data
from quizapp.core.gcpause import collector_paused
from quizapp.core.ids import CardUuid, DeckUuid
from quizapp.core.model import Card, Deck
from quizapp.core.shown import shown
from quizapp.core.sm2 import Sm2State
from quizapp.core.sources import SHIPPED_PREFIX as SHIPPED
from quizapp.core.sources import is_shipped
from quizapp.services import ops
from quizapp.services.collection import Collection
from quizapp.services.importers import (
    read_text,
    write_atomically,
    write_toml_pieces,
    writer_for,
)
from quizapp.storage import repo
from quizapp.storage.codec import card_from_json, card_to_json, stored_cards_text
from quizapp.storage.tables import CardRow, CardState, ReviewLog

if TYPE_CHECKING:
    from quizapp.core.progressfile import LoggedReview

# The deck-file rules (`core.deckfile`, with its schema and TOML libraries), the progress file
# and backups are imported where an import needs them: an export does not (a fresh export
# process spent ~7 ms of a 0.33 s export importing them).

Progress = Callable[[int, int], None]
"""`(done, total)`, called from whatever thread runs the import."""

IMPORTED_PREFIX = "import:"
SHIPPED_PREFIX = SHIPPED  # re-exported: the shipped decks' source prefix (core.sources)
"""The source of a deck that comes with quizapp (`services.decks` loads them); Try it trusts
their code. Only the shipped decks' own sync may write into such a deck."""


class StoredValueError(ValueError):
    """A value in the collection that cannot be written out (a day no calendar has)."""


class ImportCancelled(Exception):
    """The learner cancelled; the transaction was rolled back and nothing changed."""


@dataclass(frozen=True, slots=True)
class CardLine:
    """A card as the preview lists it. Slotted: a plan holds one per card added."""

    uuid: str
    prompt: str
    reviews: int = 0
    """For removed cards: how many reviews deleting it would lose."""


@dataclass(frozen=True)
class DeckPlan:
    deck: Deck
    exists: bool
    renamed_from: str | None
    added: tuple[CardLine, ...]
    changed: tuple[CardLine, ...]
    removed: tuple[CardLine, ...]
    unchanged: int
    source: str
    digest: str
    position: int

    @property
    def removed_reviews(self) -> int:
        return sum(c.reviews for c in self.removed)

    @property
    def alters_existing(self) -> bool:
        """Whether applying it changes, hides or renames anything already in the collection."""
        return bool(self.changed or self.removed or self.renamed_from is not None)

    @property
    def touches_anything(self) -> bool:
        return bool(
            not self.exists
            or self.renamed_from is not None
            or self.added
            or self.changed
            or self.removed
        )

    def summary(self) -> tuple[Any, ...]:
        """What apply must find again: if the collection moved meanwhile, the plan is stale."""
        return (
            self.deck.id,
            self.exists,
            tuple(c.uuid for c in self.added),
            tuple(c.uuid for c in self.changed),
            tuple(c.uuid for c in self.removed),
        )


@dataclass(frozen=True)
class ImportPlan:
    bundle: Bundle
    decks: tuple[DeckPlan, ...]
    errors: tuple[str, ...] = ()
    progress_cards: int = 0
    """Cards of the bundle that carry scheduling (applied only when asked)."""
    source: str | None = None
    """The `source` the plan was asked for (`plan_import`); apply checks against it again."""
    into_existing: bool = False
    """The bundle's one deck goes into a deck already here (`plan_import(target_deck=)`):
    its cards are added and updated there, and the deck's other cards stay as they are."""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def card_count(self) -> int:
        return sum(len(d.deck.cards) for d in self.decks)


@dataclass(frozen=True)
class DeckResult:
    deck_uuid: str
    name: str
    added: int = 0
    changed: int = 0
    retired: int = 0
    deleted: int = 0
    reviews_deleted: int = 0


@dataclass(frozen=True)
class ImportResult:
    decks: tuple[DeckResult, ...]
    progress_applied: int = 0
    progress_kept_local: int = 0
    """Cards whose scheduling in the file was ignored because this collection has history."""
    deck_uuids: tuple[str, ...] = field(default=())


def plan_import(
    col: Collection,
    bundle: Bundle,
    *,
    source: str | None = None,
    digest: str | None = None,
    position: int | None = None,
    validated: bool = False,
    deck_name: str | None = None,
    target_deck: str | None = None,
) -> ImportPlan:
    """What importing `bundle` would do; writes nothing.

    For a file of one deck, `deck_name` names the deck it makes (a CSV is otherwise named
    after its file), or `target_deck` (a deck's uuid) puts its cards into a deck of one's
    own already here instead: added at its end, the deck's other cards left alone.

    Every deck is checked by the deck-file rules unless `validated` says the deck-file
    parser already did (the shipped decks at start-up), or the deck-file reader of
    `services.importers` did (`Bundle.validated`): each deck is validated once.

    `source`, `digest` and `position` are stored on the decks when given (the shipped decks
    use them); otherwise a deck already in the collection keeps its own and a new one is
    marked as imported from the bundle's file and added at the end of the list.
    """
    with col.db.session() as session, collector_paused():
        if bundle.uncompiled:  # an mdbook-quiz file: keep what rustc said on an earlier import
            from quizapp.services.quiz_errors import known_verdicts

            bundle = known_verdicts(session, bundle)
        if deck_name is not None or target_deck is not None:
            bundle, problem = _retarget(session, bundle, deck_name, target_deck)
            if problem:
                return ImportPlan(bundle=bundle, decks=(), errors=(problem,))
            validated = False  # a renamed deck is checked again by the deck-file rules
        return _plan(
            session,
            bundle,
            source,
            digest,
            position,
            validate=not validated,
            into_existing=target_deck is not None,
        )


def _retarget(
    session: Any, bundle: Bundle, deck_name: str | None, target_deck: str | None
) -> tuple[Bundle, str]:
    """The bundle with its one deck renamed or pointed at `target_deck`; or why not."""
    if len(bundle.decks) != 1:
        return bundle, f"{_file_name(bundle)} holds {len(bundle.decks)} decks; choose no name"
    (deck,) = bundle.decks
    if target_deck is not None:
        row = repo.get_deck_by_uuid(target_deck, session=session)
        if row is None:
            return bundle, f"no deck with id {target_deck}"
        if is_shipped(row.source):
            return bundle, (
                f"“{row.name}” ships with quizapp and is replaced when it updates; "
                "import into a deck of your own"
            )
        deck = replace(
            deck, id=row.uuid, name=row.name, section=row.section, description=row.description
        )
    elif deck_name is not None:
        deck = replace(deck, name=deck_name.strip())
    return replace(bundle, decks=(deck,), validated=False), ""  # a changed deck is checked again


def _plan(
    session: Any,
    bundle: Bundle,
    source: str | None,
    digest: str | None,
    position: int | None,
    *,
    validate: bool,
    existing: dict[str, CardRow] | None = None,
    into_existing: bool = False,
    lines: bool = True,
    preview: ImportPlan | None = None,
) -> ImportPlan:
    """The plan; `existing` (the bundle's cards already stored, by uuid) if the caller has it.

    Without `lines` the cards' first lines are left empty: apply's check that the preview
    still holds compares uuids only, and 100,000 first lines were 6% of an import. For that
    check, `preview`'s own card lines are taken wherever they name the same cards, rather
    than a second line per card (6 MiB at 100,000 cards, at the import's peak).
    """
    first_line = _first_line if lines else _no_line
    where = f"{bundle.source}: " if bundle.source else ""
    errors = _bundle_problems(bundle, where) if validate else _duplicate_ids(bundle, where)
    all_uuids = [c.id for d in bundle.decks for c in d.cards]
    if existing is None:
        existing = repo.get_cards_by_uuid(all_uuids, session=session)
    deck_rows = {row.id: row for row in repo.list_decks(session=session)}
    next_position = len(deck_rows)
    plans = []
    for number, deck in enumerate(bundle.decks):
        row = repo.get_deck_by_uuid(deck.id, session=session)
        for index, card in enumerate(deck.cards):
            found = existing.get(card.id)
            if found is not None and (row is None or found.deck_id != row.id):
                other = deck_rows.get(found.deck_id)
                errors.append(
                    f"{where}{_deck_place(bundle, deck)}cards[{index}].id: card {card.id} "
                    f"already belongs to the deck {other.name if other else '?'!r}; "
                    "card ids must be unique across decks"
                )
        current = (
            [] if row is None or row.id is None else repo.list_deck_cards(row.id, session=session)
        )
        in_file = {c.id for c in deck.cards} if current else set()  # 4 MiB at 100,000 cards
        removed_rows = [
            r for r in current if not into_existing and not r.retired and r.uuid not in in_file
        ]
        del in_file
        reviews = _reviews_per_card([r.id for r in removed_rows if r.id is not None], session)
        added: list[Card] = []
        changed: list[Card] = []
        unchanged = 0
        for card in deck.cards:
            before = existing.get(card.id)
            if before is None:
                added.append(card)
            elif before.retired or before.content != card_to_json(card):
                changed.append(card)
            else:
                unchanged += 1
        earlier = preview.decks[number] if preview and number < len(preview.decks) else None
        if earlier is not None and earlier.deck.id != deck.id:
            earlier = None
        if row is None:
            new_position, next_position = next_position, next_position + 1
        elif _takes_over_shipped(row.source, source) and (
            added or changed or removed_rows or row.name != deck.name
        ):
            errors.append(
                f"{where}{_deck_place(bundle, deck)}deck.id: {deck.id} is the id of the deck "
                f"{row.name!r} that comes with quizapp; a file cannot replace it "
                "(give the deck an id of its own)"
            )
        plans.append(
            DeckPlan(
                deck=deck,
                exists=row is not None,
                renamed_from=row.name if row is not None and row.name != deck.name else None,
                added=_card_lines(added, first_line, earlier.added if earlier else None),
                changed=_card_lines(changed, first_line, earlier.changed if earlier else None),
                removed=tuple(
                    CardLine(r.uuid, first_line(r.prompt), reviews.get(r.id or 0, 0))
                    for r in removed_rows
                ),
                unchanged=unchanged,
                source=source
                if source is not None
                else (row.source if row is not None else IMPORTED_PREFIX + _file_name(bundle)),
                digest=digest
                if digest is not None
                else (row.source_digest if row is not None else ""),
                position=position
                if position is not None
                else (row.position if row is not None else new_position),
            )
        )
    known = set(all_uuids) if bundle.progress else set()
    return ImportPlan(
        bundle=bundle,
        decks=tuple(plans),
        errors=tuple(errors),
        progress_cards=sum(1 for u in bundle.progress if u in known),
        source=source,
        into_existing=into_existing,
    )


def _card_lines(
    cards: list[Card], first_line: Callable[[str], str], earlier: tuple[CardLine, ...] | None
) -> tuple[CardLine, ...]:
    """The cards' preview lines; `earlier` itself when it lists the same cards in order."""
    if (
        earlier is not None
        and len(earlier) == len(cards)
        and all(line.uuid == card.id for line, card in zip(earlier, cards, strict=True))
    ):
        return earlier
    return tuple(CardLine(card.id, first_line(card.prompt)) for card in cards)


def _takes_over_shipped(stored_source: str, new_source: str | None) -> bool:
    """Whether an import would write into a shipped deck from anything but the shipped files.

    The shipped sync passes its own `shipped:` source; a learner's import passes none (or
    an `import:` one), so a deck file that reuses a shipped deck's id is refused instead of
    replacing the deck's cards while the deck keeps its trusted source.
    """
    return stored_source.startswith(SHIPPED_PREFIX) and not (new_source or "").startswith(
        SHIPPED_PREFIX
    )


def _bundle_problems(bundle: Bundle, where: str) -> list[str]:
    """The deck-file rules, for decks from any format, and UUIDs unique across the bundle."""
    from quizapp.core.deckfile import validate_deck_data

    errors = []
    for deck in bundle.decks:
        if bundle.validated:
            continue
        place = _deck_place(bundle, deck)
        for problem in validate_deck_data(deck_to_data(deck)):
            errors.append(f"{where}{place}{problem.field}: {problem.message}")
    return errors + _duplicate_ids(bundle, where)


def _duplicate_ids(bundle: Bundle, where: str) -> list[str]:
    """Card UUIDs used by two decks of the bundle, and decks that appear twice."""
    errors = []
    seen: dict[str, tuple[int, int]] = {}
    if len(bundle.decks) > 1:  # within one deck, the deck-file rules report it
        for number, deck in enumerate(bundle.decks):
            for index, card in enumerate(deck.cards):
                first = seen.setdefault(card.id, (number, index))
                if first[0] != number:
                    here = f"{_deck_place(bundle, deck)}cards[{index}]"
                    there = f"{_deck_place(bundle, bundle.decks[first[0]])}cards[{first[1]}]"
                    errors.append(f"{where}{here}.id: duplicate id {card.id} (also {there})")
    deck_ids = [d.id for d in bundle.decks]
    for dup in sorted({d for d in deck_ids if deck_ids.count(d) > 1}):
        errors.append(f"{where}deck.id: the deck {dup} appears twice")
    return errors


def _deck_place(bundle: Bundle, deck: Deck) -> str:
    return f"deck {deck.name!r}: " if len(bundle.decks) > 1 else ""


def _no_line(_text: str) -> str:
    return ""


def _first_line(text: str, width: int = 100) -> str:
    if text.isprintable():  # no line break of any kind (all are unprintable): one line
        line = text.strip()
    else:
        line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def _file_name(bundle: Bundle) -> str:
    return Path(bundle.source).name if bundle.source else "unknown"


def _reviews_per_card(card_ids: list[int], session: Any) -> dict[int, int]:
    return {cid: len(logs) for cid, logs in repo.list_reviews(card_ids, session=session).items()}


def apply_import(
    col: Collection,
    plan: ImportPlan,
    *,
    delete_removed: bool = False,
    with_progress: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    backup: bool = True,
) -> ImportResult:
    """Carry out `plan` in one transaction; `ImportFailed` or `ImportCancelled` change nothing.

    With `backup` (the default) the collection is backed up first (`services.backup`)
    whenever the import alters what the collection already holds: it changes or hides
    existing cards, renames a deck, deletes removed cards and their history, or applies
    the file's scheduling. An import that only adds (a new deck, new cards) changes nothing
    that exists and is one transaction, so copying the whole collection (~0.4-1.5 s at
    100,000 cards) would protect nothing; it is skipped (docs/performance.md).
    """
    if not plan.ok:
        raise ImportFailed("\n".join(plan.errors))
    if backup and _needs_backup(plan, delete_removed=delete_removed, with_progress=with_progress):
        from quizapp.services import backup as backups

        backups.before_import(col)
    total = max(1, plan.card_count)
    step = max(1, total // 200)
    done = 0
    report = progress or (lambda _done, _total: None)
    report(0, total)

    def write(op: ops.Op) -> tuple[list[DeckResult], int, int]:
        nonlocal done
        session = op.session
        results = []
        applied = kept = 0
        # One lookup serves both the stale-preview check and the writes below.
        existing = repo.get_cards_by_uuid(
            [c.id for d in plan.bundle.decks for c in d.cards], session=session
        )
        fresh = _plan(
            session,
            plan.bundle,
            plan.source,
            None,
            None,
            validate=False,
            existing=existing,
            into_existing=plan.into_existing,
            lines=False,
            preview=plan,
        )
        if fresh.errors:
            raise ImportFailed("\n".join(fresh.errors))
        if [d.summary() for d in fresh.decks] != [d.summary() for d in plan.decks]:
            raise ImportFailed(
                f"{plan.bundle.source or 'the import'}: the collection changed since the "
                "preview; preview the import again"
            )
        del fresh  # a line per card, not needed during the insert
        if deferred:
            repo.defer_checkpoint(session)
        _capture_for_undo(
            op,
            plan,
            existing,
            delete_removed=delete_removed,
            with_progress=with_progress,
            sync=not backup,
        )
        for deck_plan in plan.decks:
            deck = deck_plan.deck
            row = repo.save_deck(
                deck,
                source=deck_plan.source,
                digest=deck_plan.digest,
                position=deck_plan.position,
                session=session,
            )
            assert row.id is not None
            # Into a deck already here: new cards go after its own, updated ones stay put.
            after = repo.next_card_position(row.id, session=session) if plan.into_existing else 0
            changed_rows = [
                {**values, "id": before.id}
                for index, card in enumerate(deck.cards)
                if (before := existing.get(card.id)) is not None
                and _differs(
                    before,
                    values := repo.card_values(
                        card,
                        deck_id=row.id,
                        position=before.position if plan.into_existing else after + index,
                    ),
                )
            ]
            repo.update_cards(changed_rows, session=session)

            def tick() -> None:
                nonlocal done
                done += 1
                if done % step == 0:
                    report(done, total)

            repo.insert_cards(
                _new_rows(deck, existing, row.id, after, cancel, tick), session=session
            )
            retired = deleted = lost = 0
            removed = {c.uuid for c in deck_plan.removed}
            if plan.into_existing or not deck_plan.exists:
                # The deck's own cards are not the file's to hide; a deck made just now holds
                # only the file's cards (reading 100,000 of them back to find none to hide
                # cost 0.2 s and filled SQLite's 32 MiB page cache).
                pass
            elif delete_removed:
                gone = [
                    c.id
                    for c in repo.list_deck_cards(row.id, session=session)
                    if c.uuid in removed and c.id is not None
                ]
                lost = repo.delete_cards(gone, session=session)
                deleted = len(gone)
            else:
                retired = repo.retire_cards(row.id, {c.id for c in deck.cards}, session=session)
            results.append(
                DeckResult(
                    deck_uuid=deck.id,
                    name=deck.name,
                    added=len(deck_plan.added),
                    changed=len(deck_plan.changed),
                    retired=retired,
                    deleted=deleted,
                    reviews_deleted=lost,
                )
            )
        if with_progress and plan.bundle.progress:
            # The bulk insert gave the new cards ids the ORM has not seen: look them up.
            existing = repo.get_cards_by_uuid(list(plan.bundle.progress), session=session)
            applied, kept = _apply_bundle_progress(session, plan.bundle, existing)
        if cancel is not None and cancel.is_set():
            raise ImportCancelled("the import was cancelled; nothing was changed")
        op.changed(
            Changes(
                added=_few(CardUuid(c.uuid) for d in plan.decks for c in d.added),
                updated=_few(CardUuid(c.uuid) for d in plan.decks for c in d.changed),
                deleted=_few(CardUuid(c.uuid) for d in plan.decks for c in d.removed),
                decks=tuple(DeckUuid(d.deck.id) for d in plan.decks),
                card=True,
                deck=True,
                schedule=with_progress or delete_removed,
                history=delete_removed,
            )
        )
        return results, applied, kept

    # A big import's commit leaves SQLite's checkpoint to a thread behind it (0.4 s of a
    # 100,000-card import's wait); a small one's costs nothing worth a thread.
    deferred = plan.card_count >= _DEFER_CHECKPOINT_FROM
    with collector_paused():
        results, applied, kept = ops.run(col, f"Import {_file_name(plan.bundle)}", write)
    if deferred:
        col.db.checkpoints.soon()
    report(total, total)
    return ImportResult(
        decks=tuple(results),
        progress_applied=applied,
        progress_kept_local=kept,
        deck_uuids=tuple(d.deck.id for d in plan.decks),
    )


_DEFER_CHECKPOINT_FROM = 5_000
"""Cards in an import from which its commit's checkpoint runs behind it (`repo.defer_checkpoint`)."""


def _new_rows(
    deck: Deck,
    existing: dict[str, CardRow],
    deck_id: int,
    after: int,
    cancel: threading.Event | None,
    tick: Callable[[], None],
) -> Iterator[dict[str, Any]]:
    """The rows of the deck's new cards, made as the insert takes them (2,000 at a time):
    100,000 cards' rows and JSON held at once were ~100 MiB of an import's peak."""
    for index, card in enumerate(deck.cards):
        if cancel is not None and cancel.is_set():
            raise ImportCancelled("the import was cancelled; nothing was changed")
        if card.id not in existing:
            yield repo.card_values(card, deck_id=deck_id, position=after + index)
        tick()


def _few(uuids: Iterable[CardUuid], most: int = 2000) -> tuple[CardUuid, ...]:
    """Card UUIDs for a `Changes`, or none when there are too many to be worth listing:
    views then reload whatever they show of cards (`Changes.card` is set)."""
    listed = tuple(uuids)
    return listed if len(listed) <= most else ()


def _capture_for_undo(
    op: ops.Op,
    plan: ImportPlan,
    existing: dict[str, CardRow],
    *,
    delete_removed: bool,
    with_progress: bool,
    sync: bool,
) -> None:
    """The rows this import will change, for Edit → Undo; None for the shipped decks' sync.

    Cards it adds and decks it creates are not copied (undo deletes the ids above the
    collection's largest), so an add-only import captures a few deck rows and nothing else.
    The sync at start-up (`decks.import_deck`: shipped decks, no backup) is not a step the
    learner took, so it is not offered for undo; a shipped deck imported by hand is.
    """
    if sync and all(is_shipped(d.source) for d in plan.decks):
        return
    session = op.session
    decks = [repo.get_deck_by_uuid(d.deck.id, session=session) for d in plan.decks]
    removed = repo.get_cards_by_uuid(
        [c.uuid for d in plan.decks for c in d.removed], session=session
    )
    removed_ids = [r.id for r in removed.values() if r.id is not None]
    progress = plan.bundle.progress if with_progress else {}
    op.capture(
        decks=[d.id for d in decks if d is not None and d.id is not None],
        cards=[r.id for r in existing.values() if r.id is not None]
        + ([] if delete_removed else removed_ids),
        states=[r.id for u, r in existing.items() if u in progress and r.id is not None],
        histories=removed_ids if delete_removed else [],
    )


def _needs_backup(plan: ImportPlan, *, delete_removed: bool, with_progress: bool) -> bool:
    """Whether applying `plan` could change or lose something the collection holds now."""
    return (
        any(d.alters_existing for d in plan.decks)
        or (delete_removed and any(d.removed for d in plan.decks))
        or (with_progress and plan.progress_cards > 0)
    )


_CARD_COLUMNS = ("deck_id", "position", "kind", "prompt", "code", "explanation", "tags")


def _differs(row: CardRow, values: dict[str, Any]) -> bool:
    """Whether writing `values` would change the stored card (unchanged ones are not written)."""
    return (
        row.retired
        or row.content != values["content"]
        or any(getattr(row, c) != values[c] for c in _CARD_COLUMNS)
    )


def _apply_bundle_progress(
    session: Any, bundle: Bundle, rows: dict[str, CardRow]
) -> tuple[int, int]:
    ids = [r.id for u, r in rows.items() if u in bundle.progress and r.id is not None]
    history = repo.list_reviews(ids, session=session)
    applied = kept = 0
    for uuid, prog in bundle.progress.items():
        row = rows.get(uuid)
        if row is None or row.id is None:
            continue
        state = session.get(CardState, row.id)
        if state is None:
            continue
        if history.get(row.id) or state.reviews or state.due_day is not None:
            kept += 1
            continue
        _set_state(state, prog)
        session.add(state)
        applied += 1
    return applied, kept


def _set_state(state: CardState, prog: CardProgress) -> None:
    state.repetitions = prog.state.repetitions
    state.easiness_hundredths = int(prog.state.easiness * 100)
    state.interval = prog.state.interval
    state.due_day = prog.due.toordinal() if prog.due is not None else None
    state.lapses, state.reviews, state.suspended = prog.lapses, prog.reviews, prog.suspended
    state.drill_day = None


# ---------------------------------------------------------------- export


def load_deck(col: Collection, deck_uuid: str) -> Deck:
    """A deck as it stands in the collection: its cards in order, retired ones left out."""
    with col.db.session() as session:
        row = repo.get_deck_by_uuid(deck_uuid.lower(), session=session)
        if row is None or row.id is None:
            raise LookupError(f"no deck with id {deck_uuid}")
        with closing(repo.iter_deck_content_batches(row.id, session=session)) as batches:
            cards = [card_from_json(c) for batch in batches for c in batch]
        return Deck(
            id=row.uuid,
            name=row.name,
            section=row.section,
            description=row.description,
            cards=tuple(cards),
        )


def find_deck(col: Collection, name_or_uuid: str) -> str:
    """The UUID of the deck named so (exactly, then ignoring case) or with that UUID."""
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
    key = name_or_uuid.strip()
    for matches in (
        [d for d in decks if d.uuid == key.lower()],
        [d for d in decks if d.name == key],
        [d for d in decks if d.name.casefold() == key.casefold()],
    ):
        if len(matches) == 1:
            return matches[0].uuid
        if len(matches) > 1:
            raise LookupError(f"{len(matches)} decks are called {key!r}; use the deck's id")
    raise LookupError(f"no deck called {key!r} (see `quizapp list`)")


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the deck, and how many cards.

    `deck.cards` holds the cards only where the format needed them all in memory (an Anki
    package); a deck file is streamed from the collection and its `deck` has none.
    """

    deck: Deck
    cards: int


def export_deck(
    col: Collection, deck_uuid: str, path: Path, *, with_progress: bool = False
) -> Exported:
    """Write a deck to `path` in the format its extension names (see `importers.WRITERS`).

    A deck file (`.toml`) is written 2,000 cards at a time straight from the collection
    (`importers.write_toml_pieces`, `codec.stored_cards_text`), the bytes
    `deckwriter.write_deck` gives for the deck.
    """
    write = writer_for(path)
    if path.suffix.lower() == ".toml":
        count = 0

        def counted(batches: Iterable[list[str]]) -> Iterator[str]:
            nonlocal count
            for contents in batches:
                count += len(contents)
                yield stored_cards_text(contents)

        with col.db.session() as session:
            row = repo.get_deck_by_uuid(deck_uuid.lower(), session=session)
            if row is None or row.id is None:
                raise LookupError(f"no deck with id {deck_uuid}")
            head = Deck(
                id=row.uuid, name=row.name, section=row.section, description=row.description
            )
            # closed here on an error too, so the reader sets its connection back in the session
            with closing(repo.iter_deck_content_batches(row.id, session=session)) as batches:
                write_toml_pieces(head, counted(batches), path)
        return Exported(head, count)
    deck = load_deck(col, deck_uuid)
    progress = _deck_progress(col, deck) if with_progress else {}
    write(Bundle(decks=(deck,), progress=progress, source=str(path)), path)
    return Exported(deck, len(deck.cards))


def _deck_progress(col: Collection, deck: Deck) -> dict[str, CardProgress]:
    wanted = {c.id for c in deck.cards}
    with col.db.session() as session:
        pairs = repo.list_card_states(session=session)
    return {card.uuid: _card_progress(state) for card, state in pairs if card.uuid in wanted}


# ---------------------------------------------------------------- progress alone


@dataclass(frozen=True)
class ProgressImport:
    cards: int
    reviews_added: int
    states_taken: int
    """Cards whose schedule came from the file because its last review was newer."""


def export_progress(col: Collection, path: Path) -> int:
    """Write every card's schedule and review log to `path`; returns how many cards."""
    from quizapp.core.progressfile import CardRecord, LoggedReview, progress_to_json

    with col.db.session() as session:
        pairs = repo.list_card_states(session=session)
        logs = repo.list_reviews([c.id for c, _ in pairs if c.id is not None], session=session)
    records = {}
    for card, state in pairs:
        log = logs.get(card.id or 0, [])
        if not (state.reviews or state.due_day is not None or state.suspended or log):
            continue
        try:
            records[card.uuid] = CardRecord(
                progress=_card_progress(state), log=tuple(_logged(r, LoggedReview) for r in log)
            )
        except (ValueError, OverflowError) as exc:
            raise StoredValueError(
                f"card {card.uuid}: a stored day or value is out of range ({exc}); "
                "nothing was written"
            ) from exc
    write_atomically(path, progress_to_json(records, col.now()).encode("utf-8"))
    return len(records)


def import_progress(col: Collection, path: Path) -> ProgressImport:
    """Merge a progress file by card UUID, in one transaction; a bad file changes nothing.

    Reviews the collection lacks are added; none is ever removed. A card takes the file's
    schedule only when the file's latest review is newer than the collection's.
    """
    from quizapp.core.progressfile import MAX_PROGRESS_FILE_BYTES, LoggedReview, parse_progress

    records = parse_progress(read_text(path, MAX_PROGRESS_FILE_BYTES), str(path))

    def write(op: ops.Op) -> ProgressImport:
        session = op.session
        added = taken = 0
        rows = repo.get_cards_by_uuid(list(records), session=session)
        unknown = sorted(set(records) - set(rows))
        if unknown:
            shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
            raise ImportFailed(
                f"{path}: cards[{unknown[0]!r}]: {len(unknown)} card(s) are not in this "
                f"collection ({shown}); import their decks first"
            )
        ids = [r.id for r in rows.values() if r.id is not None]
        op.capture(states=ids)
        history = repo.list_reviews(ids, session=session)
        for uuid, record in records.items():
            row = rows[uuid]
            assert row.id is not None
            local = history.get(row.id, [])
            have = {_logged(r, LoggedReview).key for r in local}
            for review in record.log:
                if review.key not in have:
                    repo.add_review(_log_row(row.id, review), session=session)
                    have.add(review.key)
                    added += 1
            latest_local = max((_utc(r.reviewed_at) for r in local), default=None)
            latest_file = max((r.reviewed_at for r in record.log), default=None)
            if latest_file is not None and (latest_local is None or latest_file > latest_local):
                state = session.get(CardState, row.id)
                assert state is not None
                _set_state(state, record.progress)
                session.add(state)
                taken += 1
        op.changed(Changes(updated=_few(CardUuid(u) for u in records), schedule=True, history=True))
        return ProgressImport(cards=len(records), reviews_added=added, states_taken=taken)

    result: ProgressImport = ops.run(col, f"Import progress {path.name}", write)
    return result


def _card_progress(state: CardState) -> CardProgress:
    return CardProgress(
        state=Sm2State(
            repetitions=state.repetitions,
            easiness=Fraction(state.easiness_hundredths, 100),
            interval=state.interval,
        ),
        due=date.fromordinal(state.due_day) if state.due_day is not None else None,
        lapses=state.lapses,
        reviews=state.reviews,
        suspended=state.suspended,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; the log stores UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _day_or_none(day: int | None) -> date | None:
    return None if day is None else date.fromordinal(day)


def _logged(r: ReviewLog, logged: type[LoggedReview]) -> LoggedReview:
    """`r` as a progress file's review (`logged` is `progressfile.LoggedReview`, imported by
    the caller: an import statement per review would cost ~0.6 µs each)."""
    return logged(
        reviewed_at=_utc(r.reviewed_at),
        study_day=date.fromordinal(r.study_day),
        kind=r.kind,
        quality=r.quality,
        correct=r.correct,
        answer=r.answer,
        repetitions_before=r.repetitions_before,
        repetitions_after=r.repetitions_after,
        easiness_before=r.easiness_before,
        easiness_after=r.easiness_after,
        interval_before=r.interval_before,
        interval_after=r.interval_after,
        due_before=_day_or_none(r.due_day_before),
        due_after=_day_or_none(r.due_day_after),
        seconds=r.seconds,
    )


def _log_row(card_id: int, r: LoggedReview) -> ReviewLog:
    return ReviewLog(
        card_id=card_id,
        reviewed_at=r.reviewed_at.astimezone(UTC),
        study_day=r.study_day.toordinal(),
        kind=r.kind,
        answer=r.answer,
        correct=r.correct,
        quality=r.quality,
        repetitions_before=r.repetitions_before,
        repetitions_after=r.repetitions_after,
        easiness_before=r.easiness_before,
        easiness_after=r.easiness_after,
        interval_before=r.interval_before,
        interval_after=r.interval_after,
        due_day_before=r.due_before.toordinal() if r.due_before else None,
        due_day_after=r.due_after.toordinal() if r.due_after else None,
        seconds=r.seconds,
    )


def summarize_plan(plan: ImportPlan) -> list[str]:
    """The plan as lines a person reads before saying yes (the CLI prints these)."""
    lines = []
    for d in plan.decks:
        # Names and prompts are the file's: `shown` escapes control characters and cuts them.
        head = f"{shown(d.deck.name)}: " + ("update" if d.exists else "new deck")
        if d.renamed_from is not None:
            head += f" (renamed from {shown(d.renamed_from)!r})"
        lines.append(head)
        lines.append(
            f"  {len(d.added)} to add, {len(d.changed)} to change, {len(d.removed)} removed "
            f"from the file, {d.unchanged} unchanged"
        )
        for label, items in (("+", d.added), ("~", d.changed), ("-", d.removed)):
            for item in items[:10]:
                lines.append(f"  {label} {shown(item.prompt)}")
            if len(items) > 10:
                lines.append(f"  {label} ... and {len(items) - 10} more")
        if d.removed:
            lines.append(
                f"  removed cards are hidden and keep their history ({d.removed_reviews} "
                "reviews) unless --delete-removed"
            )
    if plan.progress_cards:
        lines.append(
            f"{plan.progress_cards} cards carry scheduling; applied with --with-progress "
            "(only to cards never reviewed here)"
        )
    if plan.bundle.flattened:
        flat = len(plan.bundle.flattened)
        lines.append(
            f"{flat} of {plan.card_count} cards become flashcards: their Anki notes carry no "
            "quizapp card (made in Anki, or exported by an older quizapp)"
        )
    if plan.into_existing:
        lines.append("added to a deck already here: its own cards stay as they are")
    return lines


__all__ = [
    "CardLine",
    "DeckPlan",
    "DeckResult",
    "ImportCancelled",
    "ImportFailed",
    "ImportPlan",
    "ImportResult",
    "ProgressImport",
    "apply_import",
    "export_deck",
    "export_progress",
    "find_deck",
    "import_progress",
    "load_deck",
    "plan_import",
]
