"""File > Backups…: the collection's backups, restore one, take one now; and the offer of
the latest good backup when the collection is found damaged at start-up.

Backups are copied in a worker thread (`ui.worker`): at 100,000 cards a copy takes about a
second, which the window must not freeze for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.services import backup
from quizapp.services.collection import Collection, CollectionError
from quizapp.ui import worker
from quizapp.ui.closing import add_close_keys


class BackupsDialog(QDialog):
    """Lists backups, newest first; Restore asks first and backs up the current state."""

    def __init__(
        self,
        col: Collection,
        parent: QWidget | None = None,
        *,
        on_restored: Callable[[backup.RestoreResult], None] | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.on_restored = on_restored
        self.setWindowTitle("Backups — quizapp")
        self.resize(560, 420)
        self.info = QLabel(
            f"Kept in {backup.backups_dir(col.data_dir)}: one at the first start of each day, "
            f"one before every import and restore; the last {backup.keep_count(col)} are kept."
        )
        self.info.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.now_button = QPushButton("Back up &now")
        self.now_button.clicked.connect(self.back_up_now)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.now_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.running: worker.Worker | None = None
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for info in backup.list_backups(self.col.data_dir):
            item = QListWidgetItem(f"{info.label}   ({info.bytes / 2**20:.1f} MB)")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.status.setText("No backups yet.")
        self._selection_changed()

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_id() is not None and self.running is None)

    def back_up_now(self) -> None:
        self._run(lambda _p, _c: backup.take_backup(self.col), "Backing up…")

    def restore_selected(self, *, confirmed: bool = False) -> None:
        backup_id = self.selected_id()
        if backup_id is None:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                "Restore this backup?",
                f"Replace the collection with the backup {backup_id}?\n\nThe current state is "
                "backed up first, so this can be undone by restoring that backup.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(lambda _p, _c: backup.restore_backup(self.col, backup_id), "Restoring…")

    def _run(self, job: Any, message: str) -> None:
        self.status.setText(message)
        self.restore_button.setEnabled(False)
        self.now_button.setEnabled(False)
        self.running = worker.start(job)
        self.running.signals.finished.connect(self._done)
        self.running.signals.failed.connect(self._failed)

    def _done(self, result: object) -> None:
        self.running = None
        self.now_button.setEnabled(True)
        if isinstance(result, backup.RestoreResult):
            safety = f"; the state before it is {result.safety.id}" if result.safety else ""
            self.status.setText(f"Restored {result.restored.id}{safety}.")
            if self.on_restored is not None:
                self.on_restored(result)
        elif isinstance(result, backup.BackupInfo):
            self.status.setText(f"Backed up as {result.id}.")
        self.reload()

    def _failed(self, exc: object) -> None:
        self.running = None
        self.now_button.setEnabled(True)
        self._selection_changed()
        if isinstance(exc, CollectionError | LookupError):
            self.status.setText(str(exc))
        else:
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))


def start_daily_backup(
    col: Collection,
    report: Callable[[str], None],
    *,
    report_none: Callable[[str], None] | None = None,
) -> worker.Worker:
    """The day's backup in a worker thread, if none was taken today; `report` tells the learner.

    `report_none` hears when no backup was needed (one was taken earlier today): the
    learner is not told, but `quizapp --verbose` says so.
    """

    def job(_progress: Any, _cancel: Any) -> backup.BackupInfo | None:
        return backup.daily_backup(col)

    def done(result: object) -> None:
        if isinstance(result, backup.BackupInfo):
            report(f"Backed up the collection for today ({result.id})")
        elif report_none is not None:
            report_none("the collection was already backed up today")

    def failed(exc: object) -> None:
        report(f"The daily backup failed: {exc}")

    running = worker.start(job)
    running.signals.finished.connect(done)
    running.signals.failed.connect(failed)
    return running


def damaged_collection_box(
    message: str, latest: backup.BackupInfo | None, parent: QWidget | None = None
) -> QMessageBox:
    """Says the collection is damaged and, when a good backup exists, offers to restore it.

    The damaged file is never overwritten: restoring moves it aside first. The box's
    `restore_button` (None without a backup) is the choice to restore.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The collection file is damaged")
    box.setText("The collection file is damaged")
    if latest is None:
        box.setInformativeText(
            message + "\n\nThere is no good backup to restore. Nothing has been changed "
            "or overwritten."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.restore_button = None  # type: ignore[attr-defined]
        return box
    box.setInformativeText(
        f"{message}\n\nThe latest good backup is from {latest.taken_at:%Y-%m-%d %H:%M} "
        f"({latest.reason}). Restoring it keeps the damaged file beside it, renamed; "
        "answers given since that backup are not in it."
    )
    restore = box.addButton("Restore that backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.restore_button = restore  # type: ignore[attr-defined]
    return box
