"""The start-up integrity check's verdict, heard on the GUI thread after the first paint.

The window paints the deck list while `PRAGMA quick_check` still reads the file in its own
thread; every write waits for the verdict meanwhile (`storage.write_gate`). This module
hands the verdict to the GUI thread: a passed check lets the start-up's own writes go (the
day's backup); a failed one disables the window and shows the damaged-collection dialog
over it (window-modal), offering the newest good backup as before the window painted first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from quizapp.services.collection import Collection, CollectionCorrupt, CollectionError


class VerdictRelay(QObject):
    """Lives on the GUI thread; the check's thread emits, the GUI thread receives (queued)."""

    settled = Signal(object)

    def __init__(self, on_passed: Callable[[], None], on_failed: Callable[[str], None]) -> None:
        super().__init__()
        self._on_passed = on_passed
        self._on_failed = on_failed
        self.verdict: str | None = None
        self.heard = False
        self.settled.connect(self._hear, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _hear(self, verdict: object) -> None:
        if self.heard:
            return
        self.heard = True
        self.verdict = verdict if isinstance(verdict, str) else None
        if self.verdict is None:
            self._on_passed()
        else:
            self._on_failed(self.verdict)


START_AFTER_MS = 1000
"""If the deck list has not painted by then (a minimised start), the check starts anyway."""


class _FirstPaint(QObject):
    """Runs `then` once, just after `widget`'s first paint has been handled."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def watch_start_check(
    col: Collection,
    painted: QWidget,
    on_passed: Callable[[], None],
    on_failed: Callable[[str], None],
    after_paint: Callable[[], None] | None = None,
) -> VerdictRelay:
    """Start the check once `painted` (the deck list) has painted, and call `on_passed()` or
    `on_failed(what is wrong)` on the GUI thread when it ends (at once when there is none:
    a new collection). A write before then starts the check itself and waits for it.
    `after_paint` runs once too, just before the check starts."""
    relay = VerdictRelay(on_passed, on_failed)
    gate = col.db.gate
    pending = [after_paint] if after_paint is not None else []
    if gate is None:
        relay.settled.emit(None)
    else:
        gate.when_settled(lambda verdict: _tell(relay, verdict))
        pending.append(gate.check.start)

    def painted_once() -> None:
        while pending:
            pending.pop(0)()

    relay.first_paint = _FirstPaint(painted, painted_once)  # type: ignore[attr-defined]
    QTimer.singleShot(START_AFTER_MS, relay, painted_once)
    return relay


def _tell(relay: VerdictRelay, verdict: str | None) -> None:
    """Hand the verdict to the GUI thread, from the check's thread. A window closed before
    the check ended (a quick quit at 300,000 cards, where the check takes seconds) has
    deleted the relay: there is nobody left to tell, and no error to print."""
    with contextlib.suppress(RuntimeError):  # "Signal source has been deleted"
        relay.settled.emit(verdict)


def damaged_read(col: Collection, exc: BaseException) -> str | None:
    """A read that failed before the verdict: what the check found wrong if it was damage
    (waiting for the verdict), None if the file is sound and `exc` is a bug to raise."""
    if isinstance(exc, CollectionCorrupt):
        return str(exc)
    gate = col.db.gate
    return gate.verdict() if gate is not None else None


def offer_backup_over(
    window: QWidget,
    data_dir: Path,
    message: str,
    then: Callable[[Collection | None], None],
    explain: Callable[[CollectionError], None],
) -> QMessageBox:
    """The damaged-collection dialog over the painted `window`, modal to it.

    The caller has closed the damaged collection (its lock released, so the restore can move
    the file aside). `then` gets the restored collection, or None if the learner quit or
    there was no good backup; `explain` shows a restore that failed.
    """
    from quizapp.services import backup
    from quizapp.services.collection import open_collection
    from quizapp.ui.backups import damaged_collection_box

    latest = backup.latest_good_backup(data_dir)
    box = damaged_collection_box(message, latest, parent=window)
    box.setWindowModality(Qt.WindowModality.WindowModal)  # nothing behind it takes input

    def chosen(_result: int) -> None:
        restore = getattr(box, "restore_button", None)
        if latest is None or restore is None or box.clickedButton() is not restore:
            then(None)
            return
        try:
            backup.restore_damaged(data_dir, latest.id)
            restored = open_collection(data_dir)
        except CollectionError as again:
            explain(again)
            then(None)
            return
        then(restored)

    box.finished.connect(chosen)
    box.open()
    return box
