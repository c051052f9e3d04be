"""File → Subscribe to a deck repository… and File → Update deck subscriptions.

The window's side of `services.subscriptions`: git runs in a worker (a clone can take a
while), then the dialog shows, per repository, the same per-deck preview as File →
Import… (added, changed, removed: hidden with history kept), and nothing is taken until
the learner presses Apply. Cancel on a new subscription removes its clone again.

The main window calls `add_subscription_actions(file_menu, window)`; this module needs
from the window only `col`, `show_decks()` and `statusBar()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.wording import count
from quizapp.services.collection import Collection
from quizapp.ui import worker
from quizapp.ui.closing import add_close_keys
from quizapp.ui.host import Host

if TYPE_CHECKING:  # the services come on first use: git and the import pipeline are not
    # needed to paint the deck list
    from quizapp.services import subscriptions as subs
    from quizapp.services.exchange import ImportResult


def add_subscription_actions(menu: QMenu, window: Host) -> tuple[QAction, QAction]:
    """Add the two actions to `menu` (File); returns them (subscribe, update)."""
    subscribe = QAction("Subscribe to a deck &repository…", window)
    subscribe.setToolTip("Follow a team's decks kept in git (a URL or a folder)")
    subscribe.triggered.connect(lambda: ask_and_subscribe(window))
    update = QAction("&Update deck subscriptions", window)
    update.setToolTip("Fetch every subscribed repository and show what changed")
    update.triggered.connect(lambda: open_update_dialog(window))
    menu.addAction(subscribe)
    menu.addAction(update)
    return subscribe, update


class RepositoryAsk(QDialog):
    """The repository's URL or folder, and optionally a branch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.setWindowTitle("Subscribe to a deck repository")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.org/team/rust-decks.git or a folder")
        self.url.setMinimumWidth(420)
        browse = QPushButton("Folder…")
        browse.clicked.connect(self._browse)
        self.branch = QLineEdit()
        self.branch.setPlaceholderText("the repository's default branch")
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Repository:", row)
        form.addRow("Branch:", self.branch)
        note = QLabel(
            "Its decks are imported with a preview first. Code in them runs only when you "
            "allow it, as for any deck someone gave you."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A deck repository")
        if folder:
            self.url.setText(folder)


def ask_and_subscribe(window: Host) -> SubscriptionDialog | None:
    ask = RepositoryAsk(window)
    if ask.exec() != QDialog.DialogCode.Accepted or not ask.url.text().strip():
        return None
    return open_subscribe_dialog(window, ask.url.text().strip(), ask.branch.text().strip())


def open_subscribe_dialog(window: Host, url: str, branch: str = "") -> SubscriptionDialog:
    from quizapp.services import subscriptions as subs

    col: Collection = window.col

    def job(_progress: Any, _cancel: Any) -> list[subs.Pending]:
        return [subs.prepare_subscribe(col, url, branch=branch)]

    return _open(window, SubscriptionDialog(col, f"Subscribe to {url}", job, window))


def open_update_dialog(window: Host) -> SubscriptionDialog:
    from quizapp.services import subscriptions as subs

    col: Collection = window.col

    def job(_progress: Any, _cancel: Any) -> list[subs.Pending]:
        found = subs.list_subscriptions(col)
        if not found:
            raise subs.SubscriptionError(
                "No subscriptions yet: File → Subscribe to a deck repository… adds one."
            )
        return [subs.prepare_update(col, sub) for sub in found]

    return _open(window, SubscriptionDialog(col, "Update deck subscriptions", job, window))


def _open(window: Host, dialog: SubscriptionDialog) -> SubscriptionDialog:
    dialog.applied.connect(lambda results: _after(window, results))
    dialog.open()
    window.subscription_dialog = dialog
    return dialog


def _after(window: Host, results: list[ImportResult]) -> None:
    window.show_decks()
    added = sum(d.added for r in results for d in r.decks)
    changed = sum(d.changed for r in results for d in r.decks)
    hidden = sum(d.retired for r in results for d in r.decks)
    window.statusBar().showMessage(
        f"Subscriptions: {count(added, 'card')} added, {changed} changed, {hidden} hidden", 5000
    )


class SubscriptionDialog(QDialog):
    applied = Signal(object)
    """The list of `ImportResult`s, once applied."""

    def __init__(
        self, col: Collection, title: str, prepare: worker.Job, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.pending: list[subs.Pending] = []
        self.job: worker.Worker | None = None
        self.setWindowTitle(title)
        self.resize(720, 560)
        self.heading = QLabel("Fetching…")
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.errors = QLabel("")
        self.errors.setObjectName("error")
        self.errors.setWordWrap(True)
        self.errors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.apply_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel")
        buttons = QDialogButtonBox()
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.clicked.connect(self.start_apply)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.progress)
        layout.addWidget(buttons)
        self.job = worker.start(prepare)
        self.job.signals.finished.connect(self._prepared)
        self.job.signals.failed.connect(self._failed)

    def _prepared(self, pending: list[subs.Pending]) -> None:
        from quizapp.services import subscriptions as subs
        from quizapp.ui.import_dialog import _deck_item  # on first use: start-up stays light

        self.job = None
        self.pending = pending
        self.progress.hide()
        for p in pending:
            sub = p.subscription
            top = QTreeWidgetItem([f"{sub.name}  —  {sub.url} at {p.commit[:12]}"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for deck_plan in p.plan.decks:
                top.addChild(_deck_item(deck_plan))
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        changing = [p for p in pending if p.changes_anything]
        if changing:
            self.heading.setText(
                "What the repositories change. Your progress stays with each card; removed "
                "cards are hidden and keep their history."
            )
            self.apply_button.setEnabled(True)
            self.apply_button.setFocus()
        else:
            for p in pending:
                subs.mark_up_to_date(self.col, p)
            self.heading.setText("Everything is up to date.")
            self.cancel_button.setText("Close")

    def start_apply(self) -> None:
        from quizapp.services import subscriptions as subs

        if not self.pending or self.job is not None:
            return
        self.apply_button.setEnabled(False)
        self.progress.show()
        col, pending = self.col, list(self.pending)

        def job(_progress: Any, _cancel: Any) -> list[ImportResult]:
            results = []
            for p in pending:
                if p.changes_anything:
                    results.append(subs.apply_subscription(col, p))
                else:
                    subs.mark_up_to_date(col, p)
            return results

        self.job = worker.start(job)
        self.job.signals.finished.connect(self._applied)
        self.job.signals.failed.connect(self._failed)

    def _applied(self, results: list[ImportResult]) -> None:
        self.job = None
        self.pending = []
        self.applied.emit(results)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress.hide()
        self.heading.setText("Nothing was changed.")
        self.errors.setText(str(exc))
        self.errors.show()
        self.apply_button.setEnabled(False)
        self.cancel_button.setText("Close")

    def reject(self) -> None:
        from quizapp.services import subscriptions as subs

        if self.job is not None:
            return  # git or the import is running; it cannot be stopped half-way
        for p in self.pending:
            subs.discard(self.col, p)
        self.pending = []
        super().reject()
