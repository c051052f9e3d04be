"""File → Sync folder…: the window's side of `services.sync`.

Once the learner has chosen a folder, the window merges on start, every five minutes
while open and on close; merges run on a worker thread, and the views redraw themselves
from the `Changes` the merge publishes, like after any other operation. A merge that
fails (the folder's drive is not mounted) says so in the status bar and tries again next
time; the journal keeps what this machine did meanwhile.

The main window calls `add_sync_actions(file_menu, window)`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from quizapp.services import sync
from quizapp.ui import worker
from quizapp.ui.host import Host

EVERY_MS = 5 * 60 * 1000


class SyncController(QObject):
    """Runs merges for one window: when asked, on a timer, and once more on close."""

    def __init__(self, host: Host) -> None:
        super().__init__(host.widget())
        self.host = host
        self.running: worker.Worker | None = None
        self.last_report: sync.SyncReport | None = None
        self.last_error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        host.widget().installEventFilter(self)
        if sync.attach(host.col) is not None:
            self.timer.start()
            QTimer.singleShot(0, self.sync_now)

    def choose(self) -> None:
        start = sync.sync_folder(self.host.col)
        chosen = QFileDialog.getExistingDirectory(
            self.host.widget(),
            "A folder your machines share (Syncthing, Dropbox, a network share…)",
            str(start or Path.home()),
        )
        if chosen:
            self.sync_now(Path(chosen))

    def sync_now(self, folder: Path | None = None) -> worker.Worker | None:
        if self.running is not None:
            return None
        col = self.host.col

        def job(_progress: Any, _cancel: Any) -> sync.SyncReport:
            return sync.sync(col, folder)

        self.running = worker.start(job)
        self.running.signals.finished.connect(self._done)
        self.running.signals.failed.connect(self._failed)
        return self.running

    def _done(self, report: sync.SyncReport) -> None:
        self.running = None
        self.last_report, self.last_error = report, ""
        if not self.timer.isActive():
            self.timer.start()
        if report.warnings:  # a device left out: say which and why (already escaped)
            self.host.statusBar().showMessage(f"Sync: skipped {report.warnings[0]}", 15000)
        else:
            self.host.statusBar().showMessage(report.lines()[0], 5000)

    def _failed(self, exc: BaseException) -> None:
        self.running = None
        self.last_error = str(exc)
        self.host.statusBar().showMessage(f"Sync: {exc}", 8000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.host.widget():
            self.timer.stop()
            if sync.sync_folder(self.host.col) is not None:
                with contextlib.suppress(sync.SyncError, OSError):
                    sync.sync(self.host.col)  # the last merge waits: the window is going
            sync.detach(self.host.col)
        return False


def add_sync_actions(menu: QMenu, host: Host) -> SyncController:
    """File → Sync folder… and Sync now; returns the controller (kept by the window)."""
    controller = SyncController(host)
    choose = QAction("S&ync folder…", host.widget())
    choose.setToolTip("Share your study with your other machines through a synced folder")
    choose.triggered.connect(controller.choose)
    now = QAction("Sync &now", host.widget())
    now.triggered.connect(lambda: controller.sync_now())
    menu.addAction(choose)
    menu.addAction(now)
    return controller
