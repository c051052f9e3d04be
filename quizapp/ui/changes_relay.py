"""How a view hears of every write: the collection's `Changes`, on the GUI thread.

The one runner (`services.ops`) publishes a `Changes` after every committed operation, on
whatever thread ran it (an import runs on a worker). `listen_for_changes` gives a widget a
small relay object, its child, that re-emits each one as a Qt signal: Qt delivers a signal
emitted on another thread as a queued call on the GUI thread, and one emitted on the GUI
thread at once. The relay unsubscribes when the widget goes, so a closed window is never
called.

Every view (deck list, study and cram pages, browser, editor, statistics, interview)
subscribes this way and decides for itself whether a `Changes` concerns it; no view tells
another to redraw.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from quizapp.core.changes import Changes
from quizapp.services.collection import Collection


class ChangesRelay(QObject):
    arrived = Signal(object)

    def __init__(self, col: Collection, parent: QObject) -> None:
        super().__init__(parent)
        self._unlisten = col.listen(self._publish)
        self.destroyed.connect(lambda *_: self._unlisten())

    def _publish(self, changes: Changes) -> None:
        with contextlib.suppress(RuntimeError):  # the view closed while a worker wrote
            self.arrived.emit(changes)


def listen_for_changes(
    col: Collection, view: QObject, on_changes: Callable[[Changes], None]
) -> ChangesRelay:
    relay = ChangesRelay(col, view)
    relay.arrived.connect(on_changes)
    return relay
