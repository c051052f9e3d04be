"""Undo: one linear stack per open collection over study answers and every operation.

As in Anki, Edit → Undo takes back the newest thing done, whatever it was: an answer (study
or cram), or an operation of the browser, the editor or an import ("Undo Suspend 3 cards").
The stack lives in memory and is lost on quit; it holds at most `MAX_OPERATIONS` operations.

- An operation captures, in its own transaction and before it writes, the rows it will
  change (`storage.row_images`); after it commits it calls `record_operation`. Undo
  restores those rows in one transaction and returns a `cards.Changes` for the views.
- An answer is recorded by `study.answer_card` / `cram.answer_cram` (`record_answer`);
  undoing it goes through their own undo, which restores the state from the log row.

Redo (Edit → Redo) re-applies an undone operation. Undoing an operation first captures,
in the same transaction and before restoring, the rows the restore will change
(`row_images.capture_inverse`: the "after" state) and pushes that image on the redo
stack; redo restores it the same way, capturing in turn the image that undoes it again.
Any new operation or answer clears the redo stack (one linear history, as in editors).
Answers are not redone: an undone answer was never given, the learner answers again, so
undoing an answer clears the redo stack too.

Linear order is what makes this safe: an entry is only undone when nothing newer is left
above it, so the rows it puts back are the rows the operation left. What this process
cannot see (a review written some other way since) is refused by the restore instead of
being overwritten; the stack is then cleared, since the steps below assume that row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from quizapp.storage import row_images
from quizapp.storage.row_images import RowImage

if TYPE_CHECKING:
    from quizapp.services.cards import Changes
    from quizapp.services.collection import Collection

MAX_OPERATIONS = 30
"""Operations kept (Anki keeps 30 too); answers cost no row images and are not counted."""

ANSWER_LABEL = "last answer"


class UndoFailed(Exception):
    """The newest step could not be undone; nothing changed. The message says why."""


class RedoFailed(UndoFailed):
    """The newest undone step could not be redone; nothing changed, the redo stack is cleared."""


@dataclass(frozen=True)
class Step:
    seq: int
    """Position in the one linear order of everything done since the collection opened."""
    label: str
    """What was done, for "Undo <label>": "Suspend 3 cards", "Import deck.toml"."""
    image: RowImage | None = None
    """An operation: the rows to put back."""
    sitting: object | None = None
    """An answer: the study or cram session whose newest answer this is."""


@dataclass(frozen=True)
class Undone:
    label: str
    changes: Changes
    card_uuid: str | None = None
    """For an answer: the card to show again."""


class UndoStack:
    """The steps of one collection; pushed from worker threads (imports), read by the window."""

    def __init__(self) -> None:
        self._steps: list[Step] = []
        self._redo: list[Step] = []
        self._seq = 0
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def newest(self) -> Step | None:
        with self._lock:
            return self._steps[-1] if self._steps else None

    def steps(self) -> list[Step]:
        with self._lock:
            return list(self._steps)

    def newest_undone(self) -> Step | None:
        """The step Edit → Redo would re-apply."""
        with self._lock:
            return self._redo[-1] if self._redo else None

    def push(
        self,
        label: str,
        *,
        image: RowImage | None = None,
        sitting: object = None,
        keep_redo: bool = False,
    ) -> Step:
        """Push a step; something new done clears the redo stack (`keep_redo`: a redo)."""
        with self._lock:
            if not keep_redo:
                self._redo.clear()
            self._seq += 1
            step = Step(self._seq, label, image, sitting)
            self._steps.append(step)
            operations = [i for i, s in enumerate(self._steps) if s.image is not None]
            if len(operations) > MAX_OPERATIONS:
                # The oldest operation goes, and what lies below it: it can never be reached.
                del self._steps[: operations[-MAX_OPERATIONS - 1] + 1]
        self._changed()
        return step

    def remove(self, step: Step, *, redo: Step | None = None) -> None:
        """Drop an undone step; `redo` is what redoes it (else the redo stack is cleared)."""
        with self._lock:
            if step in self._steps:
                self._steps.remove(step)
            if redo is None:
                self._redo.clear()
            else:
                self._redo.append(redo)
        self._changed()

    def pop_undone(self, step: Step) -> None:
        """The redo step was re-applied (its undo step is pushed separately)."""
        with self._lock:
            if step in self._redo:
                self._redo.remove(step)
        self._changed()

    def clear_redo(self) -> None:
        with self._lock:
            self._redo.clear()
        self._changed()

    def clear(self) -> None:
        with self._lock:
            self._steps.clear()
            self._redo.clear()
        self._changed()

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` (from whatever thread changed the stack) on every change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()


def stack(col: Collection) -> UndoStack:
    return col.undo


def newest(col: Collection) -> Step | None:
    return col.undo.newest()


def newest_undone(col: Collection) -> Step | None:
    """What Edit → Redo would re-apply, or None."""
    return col.undo.newest_undone()


def capture(session: Session, **rows: list[int]) -> RowImage:
    """`row_images.capture` for an operation about to write (see its arguments)."""
    return row_images.capture(session=session, **rows)


def finish_capture(image: RowImage, session: Session) -> RowImage:
    """After the writes, before the commit: note the rows the operation inserted."""
    return row_images.note_added(image, session=session)


def record_operation(col: Collection, label: str, image: RowImage) -> None:
    """After the operation committed: it can now be undone."""
    col.undo.push(label, image=image)


def record_answer(col: Collection, sitting: object, label: str = ANSWER_LABEL) -> None:
    col.undo.push(label, sitting=sitting)


def answer_is_newest(col: Collection, sitting: object) -> bool:
    """Whether the newest step is an answer of `sitting` (its own undo may take it back)."""
    step = col.undo.newest()
    return step is not None and step.sitting is sitting


def forget_answer(col: Collection, sitting: object) -> None:
    """The sitting took back its newest answer: drop its step."""
    step = col.undo.newest()
    if step is not None and step.sitting is sitting:
        col.undo.remove(step)


def undo_last(col: Collection) -> Undone | None:
    """Undo the newest step, in one transaction; None when there is nothing to undo.

    Raises `UndoFailed` when its rows cannot be put back without losing something written
    since; nothing is changed then, and the stack is cleared.
    """
    from quizapp.services.cards import Changes  # cards records its operations here

    step = col.undo.newest()
    if step is None:
        return None
    if step.sitting is not None:
        uuid = _take_back_answer(col, step.sitting)
        col.undo.clear_redo()  # answers are not redone: the learner answers again
        changes = Changes(updated=(uuid,) if uuid else ())
        return Undone(step.label, changes, card_uuid=uuid)
    assert step.image is not None
    try:
        after, restored = _restore(col, step.image)
    except row_images.RestoreConflict as exc:
        col.undo.clear()
        raise UndoFailed(f"Cannot undo {step.label}: {exc}. Nothing was changed.") from exc
    col.undo.remove(step, redo=Step(step.seq, step.label, image=after))
    return Undone(step.label, _changes(restored))


def redo_last(col: Collection) -> Undone | None:
    """Re-apply the newest undone operation, in one transaction; None when there is none.

    It becomes the newest undo step again. Raises `RedoFailed` when something written
    since (a review the stack did not see) stands in the way; nothing is changed then, and
    the redo stack is cleared.
    """
    step = col.undo.newest_undone()
    if step is None:
        return None
    assert step.image is not None
    try:
        before, restored = _restore(col, step.image)
    except row_images.RestoreConflict as exc:
        col.undo.clear_redo()
        raise RedoFailed(f"Cannot redo {step.label}: {exc}. Nothing was changed.") from exc
    col.undo.pop_undone(step)
    col.undo.push(step.label, image=before, keep_redo=True)
    return Undone(step.label, _changes(restored))


def _restore(col: Collection, image: RowImage) -> tuple[RowImage, row_images.Restored]:
    """Restore `image` in one transaction; with the image that takes the restore back."""
    with col.db.session() as session:
        inverse = row_images.capture_inverse(image, session=session)
        restored = row_images.restore(image, session=session)
        session.commit()
    return inverse, restored


def _changes(restored: row_images.Restored) -> Changes:
    from quizapp.services.cards import Changes  # cards records its operations here

    return Changes(
        added=restored.added,
        updated=restored.updated,
        deleted=restored.deleted,
        decks=restored.decks,
    )


def _take_back_answer(col: Collection, sitting: object) -> str | None:
    from quizapp.services import cram, study  # they record their answers here

    if isinstance(sitting, cram.CramSession):
        return cram.undo_cram(col, sitting)
    assert isinstance(sitting, study.StudySession)
    return study.undo_last(col, sitting)


def cards_label(verb: str, count: int) -> str:
    """ "Suspend 3 cards", "Delete 1 card"."""
    return f"{verb} {count} card{'' if count == 1 else 's'}"
