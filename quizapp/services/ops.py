"""The one operation runner: every write to the collection goes through `run`.

An operation is a named function that gets an `Op` (the open transaction) and returns a
value. The runner, in this order:

1. opens one transaction;
2. lets the operation capture the rows it is about to change (`Op.capture`, before it
   writes; `storage.row_images`) and write;
3. notes the rows it inserted, and commits (any exception rolls everything back: an
   operation is all or nothing);
   (just before, the collection's stagers write what must commit with it: the sync
   journal's outbox, `Collection.stage`);
4. records one undo step under the operation's label;
5. hands the operation's `Changes` to every listener of the collection (the main window,
   which passes it to every open view).

Anki's `CollectionOp`/`OpChanges` is the model. The runner does not care which thread
calls it: long operations (imports) run it on a worker thread, and the window hears of
their `Changes` through a queued signal like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from quizapp.core.changes import Changes
from quizapp.services.collection import Collection
from quizapp.storage import answer_rows, row_images
from quizapp.storage.database import Session
from quizapp.storage.row_images import RowImage

T = TypeVar("T")
_NOTHING = Changes()


class Op:
    """One operation while it runs: its transaction, and what it says it changed."""

    def __init__(
        self,
        col: Collection,
        label: str,
        session: Session | None,
        rows: answer_rows.AnswerRows | None = None,
    ) -> None:
        self.col = col
        self.label = label
        """May be refined while running ("Suspend 3 cards" once the count is known)."""
        self._session = session
        self._rows = rows
        self.changes = _NOTHING
        self.undoable = True
        """An operation that turns out to change nothing clears this: no empty undo step."""
        self._image: RowImage | None = None
        self._complete = False

    @property
    def session(self) -> Session:
        """The ORM session of the transaction (an answer's operation has none: `run_answer`)."""
        if self._session is None:
            raise RuntimeError(f"{self.label}: an answer's operation writes through answer_rows")
        return self._session

    @property
    def answer_rows(self) -> answer_rows.AnswerRows:
        """The answer's statements in this transaction (`storage.answer_rows`)."""
        if self._rows is None:
            self._rows = answer_rows.rows_of(self.session)
        return self._rows

    def capture(
        self,
        *,
        decks: list[int] | tuple[int, ...] = (),
        cards: list[int] | tuple[int, ...] = (),
        states: list[int] | tuple[int, ...] = (),
        histories: list[int] | tuple[int, ...] = (),
        interviews: list[int] | tuple[int, ...] = (),
    ) -> None:
        """Before writing: copy the rows about to change (row ids; see `row_images.capture`).

        Called once per operation; an operation that only inserts calls it with nothing,
        which still records where the new rows start.
        """
        if self._image is not None:
            raise RuntimeError(f"{self.label}: rows are captured once, before any write")
        self._image = row_images.capture(
            session=self.session,
            decks=decks,
            cards=cards,
            states=states,
            histories=histories,
            interviews=interviews,
        )

    def capture_image(self, image: RowImage) -> None:
        """For an operation that already holds every row it changed (an answer reads its
        one state row anyway): the complete image, built without another query."""
        if self._image is not None:
            raise RuntimeError(f"{self.label}: rows are captured once")
        self._image = image
        self._complete = True

    def changed(self, changes: Changes) -> None:
        """Say what the operation changed (several calls add up)."""
        self.changes = changes if self.changes is _NOTHING else self.changes.merged(changes)

    def finish(self) -> RowImage | None:
        if self._image is None or self._complete:
            return self._image
        return row_images.note_added(self._image, session=self.session)


def run(
    col: Collection,
    label: str,
    write: Callable[[Op], T],
    *,
    answer: bool = False,
) -> T:
    """Run `write` as one operation: one transaction, one undo step, one `Changes`.

    `answer` marks a study answer's step (undone, it is not redone). An operation that
    never called `Op.capture` is not undoable (a setting, a sync of the shipped decks).
    """
    with col.db.session() as session:
        op = Op(col, label, session)
        value = write(op)
        image = op.finish()
        changes = replace(op.changes, label=op.label)
        col.before_commit(session, changes)
        session.commit()
    _after_commit(col, op, image, changes, answer=answer)
    return value


def run_answer(col: Collection, label: str, write: Callable[[Op], T]) -> T:
    """`run` for one study answer (undone, it is not redone), on the connection the
    collection keeps for answers (`Database.answer_transaction`): the same transaction,
    commit before returning, undo step and `Changes`, without an ORM session. `write`
    reads and writes through `op.answer_rows` only.

    While something stages writes into every operation (the sync journal's outbox, which
    must commit with the answer or not at all), the answer takes `run`'s session instead:
    the stagers write through it, in the same transaction."""
    if col.stages_operations():
        return run(col, label, write, answer=True)
    with col.db.answer_transaction() as rows:
        op = Op(col, label, None, rows)
        value = write(op)
        image = op.finish()
    _after_commit(col, op, image, replace(op.changes, label=op.label), answer=True)
    return value


def _after_commit(
    col: Collection, op: Op, image: RowImage | None, changes: Changes, *, answer: bool
) -> None:
    """The undo step and the `Changes` (the very value the stagers saw before the commit)."""
    if image is not None and op.undoable:
        col.undo.push(op.label, image, answer=answer)
    col.publish(changes)


def publish(col: Collection, changes: Changes) -> None:
    """For what changed outside a transaction of ours (a restored backup file)."""
    col.publish(changes)
