"""Running slow work (rustc, imports, backups) off the GUI thread, with progress and cancel.

The job is a plain function `job(progress, cancel) -> result`: `progress(done, total)` may be
called from the worker thread, `cancel` is a `threading.Event` the job checks (and passes
to `quizapp.rustc`, which kills its child process). Results and errors come back as Qt
signals on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

Progress = Callable[[int, int], None]
Job = Callable[[Progress, threading.Event], Any]


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Worker(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancel_event = threading.Event()
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.job(self.signals.progress.emit, self.cancel_event)
        except BaseException as exc:  # a worker thread must never take the app down
            self._emit(
                self.signals.cancelled if self.cancel_event.is_set() else self.signals.failed, exc
            )
            return
        self._emit(
            self.signals.cancelled if self.cancel_event.is_set() else self.signals.finished, result
        )

    def _emit(self, signal: Any, value: Any) -> None:
        """Report back, unless the receiver is gone: when the window closes while a job
        (say the daily backup) still runs, Qt deletes the signal object first."""
        try:
            if signal is self.signals.cancelled:
                signal.emit()
            else:
                signal.emit(value)
        except RuntimeError:
            pass

    def cancel(self) -> None:
        self.cancel_event.set()


_RUNNING: set[Worker] = set()


def start(job: Job) -> Worker:
    """Start `job` on the global pool; keep the returned worker to connect to and cancel it.

    The job is handed to the pool on the next turn of the event loop, not now: callers
    connect to the worker's signals right after this returns, and a job that fails at once
    (a malformed file) would otherwise emit before anyone listens, and the dialog would wait
    forever.
    """
    worker = Worker(job)
    _RUNNING.add(worker)
    for signal in (worker.signals.finished, worker.signals.failed, worker.signals.cancelled):
        signal.connect(lambda *_: _RUNNING.discard(worker))
    QTimer.singleShot(0, worker.signals, lambda: QThreadPool.globalInstance().start(worker))
    return worker
