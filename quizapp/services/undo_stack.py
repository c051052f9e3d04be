"""The collection's one undo history: a linear stack of row images, and its redo stack.

As in Anki, Edit → Undo takes back the newest thing done, whatever it was: an answer in
study, cram or an interview fed to the schedule, or an operation of the browser, the editor
or an import. Every step is the same thing, the rows one operation changed
(`storage.row_images`), recorded by the one runner (`services.ops`). The stack lives in
memory and is lost on quit.

Pushing is constant-time whatever the session's length: the count of operations is kept
as it goes rather than recounted, and a long study session is bounded like the rest.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from quizapp.storage.row_images import RowImage

MAX_STEPS = 200
"""Steps kept. Answers are steps too (a study session is often longer than Anki's 30
operations), and a step holds only the rows it changed, so 200 cost little memory."""


@dataclass(frozen=True)
class Step:
    seq: int
    """Position in the one linear order of everything done since the collection opened."""
    label: str
    """What was done, for "Undo <label>": "Suspend 3 cards", "Answer", "Import deck.toml"."""
    image: RowImage
    """The rows to put back."""
    answer: bool = False
    """An answer: undone, it was never given, so it is not redone (the learner answers
    again) and undoing it clears the redo stack."""


class UndoStack:
    """The steps of one collection; pushed from worker threads (imports), read by the window."""

    def __init__(self, limit: int = MAX_STEPS) -> None:
        self._steps: deque[Step] = deque(maxlen=limit)
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
        self, label: str, image: RowImage, *, answer: bool = False, keep_redo: bool = False
    ) -> Step:
        """Push a step; something new done clears the redo stack (`keep_redo`: a redo)."""
        with self._lock:
            if not keep_redo:
                self._redo.clear()
            self._seq += 1
            step = Step(self._seq, label, image, answer)
            self._steps.append(step)  # the deque drops the oldest beyond its bound
        self._changed()
        return step

    def pop(self, step: Step, *, redo: Step | None = None) -> None:
        """Drop the undone newest step; `redo` is what redoes it (else redo is cleared)."""
        with self._lock:
            if self._steps and self._steps[-1] is step:
                self._steps.pop()
            if redo is None:
                self._redo.clear()
            else:
                self._redo.append(redo)
        self._changed()

    def pop_undone(self, step: Step) -> None:
        """The redo step was re-applied (its undo step is pushed separately)."""
        with self._lock:
            if self._redo and self._redo[-1] is step:
                self._redo.pop()
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
