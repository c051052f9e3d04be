"""Edit → Undo and Edit → Redo over the collection's one undo stack.

Every step on the stack is the row image one operation captured (`services.ops`), an
answer's as much as an import's, so undoing anything is the same restore
(`storage.row_images.restore`), run as an operation itself: one transaction, one published
`Changes` (with `undo` set, and the review-log ids an undone answer removed, so the sitting
that gave it takes it back).

Redo re-applies an undone operation. Undoing an operation first captures, in the same
transaction and before restoring, the rows the restore will change
(`row_images.capture_inverse`: the "after" state) and pushes that image on the redo
stack; redo restores it the same way, capturing in turn the image that undoes it again.
Any new operation clears the redo stack (one linear history, as in editors). Answers are
not redone: an undone answer was never given, the learner answers again, so undoing an
answer clears the redo stack too.

Linear order is what makes this safe: a step is only undone when nothing newer is left
above it, so the rows it puts back are the rows the operation left. What this process
cannot see (a review written some other way since) is refused by the restore instead of
being overwritten; the stack is then cleared, since the steps below assume that row.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.core.changes import Changes
from quizapp.core.ids import CardUuid, DeckUuid, ReviewId
from quizapp.core.wording import count as counted
from quizapp.services import ops
from quizapp.services.collection import Collection
from quizapp.services.undo_stack import Step
from quizapp.storage import row_images
from quizapp.storage.row_images import RowImage


class UndoFailed(Exception):
    """The newest step could not be undone; nothing changed. The message says why."""


class RedoFailed(UndoFailed):
    """The newest undone step could not be redone; nothing changed, the redo stack is cleared."""


@dataclass(frozen=True)
class Undone:
    label: str
    changes: Changes


def newest(col: Collection) -> Step | None:
    return col.undo.newest()


def newest_undone(col: Collection) -> Step | None:
    """What Edit → Redo would re-apply, or None."""
    return col.undo.newest_undone()


def undo_last(col: Collection) -> Undone | None:
    """Undo the newest step, in one transaction; None when there is nothing to undo.

    Raises `UndoFailed` when its rows cannot be put back without losing something written
    since; nothing is changed then, and the stack is cleared.
    """
    step = col.undo.newest()
    if step is None:
        return None
    try:
        inverse, changes = _restore(col, f"Undo {step.label}", step.image, inverse=not step.answer)
    except row_images.RestoreConflict as exc:
        col.undo.clear()
        raise UndoFailed(f"Cannot undo {step.label}: {exc}. Nothing was changed.") from exc
    redo = Step(step.seq, step.label, inverse) if inverse is not None else None
    col.undo.pop(step, redo=redo)
    return Undone(step.label, changes)


def redo_last(col: Collection) -> Undone | None:
    """Re-apply the newest undone operation, in one transaction; None when there is none.

    It becomes the newest undo step again. Raises `RedoFailed` when something written
    since (a review the stack did not see) stands in the way; nothing is changed then, and
    the redo stack is cleared.
    """
    step = col.undo.newest_undone()
    if step is None:
        return None
    try:
        before, changes = _restore(col, f"Redo {step.label}", step.image, inverse=True)
    except row_images.RestoreConflict as exc:
        col.undo.clear_redo()
        raise RedoFailed(f"Cannot redo {step.label}: {exc}. Nothing was changed.") from exc
    assert before is not None
    col.undo.pop_undone(step)
    col.undo.push(step.label, before, keep_redo=True)
    return Undone(step.label, changes)


def _restore(
    col: Collection, label: str, image: RowImage, *, inverse: bool
) -> tuple[RowImage | None, Changes]:
    """Restore `image` as one operation; with the image that takes the restore back."""

    def write(op: ops.Op) -> tuple[RowImage | None, Changes]:
        undoing = row_images.capture_inverse(image, session=op.session) if inverse else None
        restored = row_images.restore(image, session=op.session)
        changes = Changes(
            added=tuple(CardUuid(u) for u in restored.added),
            updated=tuple(CardUuid(u) for u in restored.updated),
            deleted=tuple(CardUuid(u) for u in restored.deleted),
            decks=tuple(DeckUuid(u) for u in restored.decks),
            answers_undone=tuple(ReviewId(i) for i in restored.reviews_removed),
            interviews=restored.interviews,
            # A card's text only when its own row came back: an undone answer restores
            # a schedule, and sync would send an unchanged text as a newer edit.
            card=bool(restored.added or restored.deleted or restored.content),
            deck=bool(restored.decks),
            schedule=True,
            history=True,
            undo=True,
        )
        op.changed(changes)
        return undoing, changes

    return ops.run(col, label, write)


def cards_label(verb: str, count: int) -> str:
    """ "Suspend 3 cards", "Delete 1 card"."""
    return f"{verb} {counted(count, 'card')}"
