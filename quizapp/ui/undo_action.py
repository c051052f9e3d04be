"""Edit → Undo <what> and Edit → Redo <what>: actions whose text and state follow the
collection's undo stack (`RedoAction`: Ctrl+Shift+Z or Ctrl+Y, the platform's Redo keys).

The main window owns it; its Ctrl+Z is an application shortcut, so the browser and the
editor have it too (and show it in their menus), while a focused text box keeps Ctrl+Z
for its own typing, as text boxes do. The stack can change on a worker thread (an
import records its step there): the action hears of it through a queued signal and
updates on the GUI thread.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from quizapp.services import undo
from quizapp.services.collection import Collection


class _Notifier(QObject):
    changed = Signal()


class UndoAction(QAction):
    verb = "&Undo"
    keys = QKeySequence.StandardKey.Undo

    def __init__(self, col: Collection, parent: QObject) -> None:
        super().__init__(self.verb, parent)
        self.col = col
        self.setShortcuts(self.keys)
        self.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self._notifier = _Notifier(self)
        self._notifier.changed.connect(self.refresh)
        unsubscribe = col.undo.subscribe(self._stack_changed)
        self.destroyed.connect(lambda *_: unsubscribe())
        self.refresh()

    def _stack_changed(self) -> None:
        """Called on whichever thread changed the stack; the update runs on the GUI thread."""
        with contextlib.suppress(RuntimeError):  # the window closed while an import ran on
            self._notifier.changed.emit()

    def step(self) -> undo.Step | None:
        return undo.newest(self.col)

    def refresh(self) -> None:
        step = self.step()
        label = step.label.replace("&", "&&") if step is not None else ""
        self.setText(f"{self.verb} {label}" if label else self.verb)
        self.setEnabled(step is not None)


class RedoAction(UndoAction):
    """Edit → Redo <what>: the newest undone operation, until something new is done."""

    verb = "&Redo"
    keys = QKeySequence.StandardKey.Redo

    def step(self) -> undo.Step | None:
        return undo.newest_undone(self.col)


def find_undo_action(widget: QObject, name: str = "undo_action") -> QAction | None:
    """The main window's undo (or, by `name`, redo) action, from one of its windows."""
    parent = widget.parent()
    while parent is not None:
        action = getattr(parent, name, None)
        if isinstance(action, QAction):
            return action
        parent = parent.parent()
    return None
