"""Starting the window: the Qt application, the collection opened with its notices and
dialogs, the main window with the shipped decks loaded, and the single-instance server.

`quizapp.app` (the composition root) stays free of Qt so the command-line subcommands start
fast and run where no display libraries are installed; it imports this module only when the
window is wanted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from quizapp.adapters.paths import data_dir_from
from quizapp.services.startup import warm_deck_list

if TYPE_CHECKING:  # imported when used: the deck list paints before SQLAlchemy loads
    from quizapp.services.collection import Collection, CollectionError
    from quizapp.ui.main_window import MainWindow

START_PATIENCE = 3.0
"""How long a second start waits for the first window to listen (it listens once painted,
about a second after its own start) before saying the collection is in use elsewhere."""


def make_app() -> QApplication:
    from PySide6.QtWidgets import QApplication

    from quizapp import __version__

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("quizapp")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    return app


def open_window(
    col: Collection, decks_dir: Path | None = None, *, sync_later: bool = False
) -> MainWindow:
    """Load the shipped decks, then build the window; broken deck files are reported, not fatal.

    `sync_later` (the desktop start): when the collection already shows decks, the window is
    built from them and the shipped decks are checked after the first paint instead
    (`window.sync_shipped`: reading and hashing the 14 files, a query per deck); a change
    then redraws the list like any operation's. A new collection loads them first, having
    nothing else to show.
    """
    from quizapp.ui.main_window import MainWindow
    from quizapp.ui.theme import apply_theme, effective_theme, follow_system

    app = make_app()
    apply_theme(app, effective_theme(col.settings.theme))
    follow_system(app, lambda: col.settings.theme)
    if not sync_later:
        from quizapp.services.decks import sync_shipped_decks

        report = sync_shipped_decks(col, decks_dir)
        window = MainWindow(col)
        _report_problems(window, col.warnings + report.errors, len(report.errors))
        return window
    window = MainWindow(col)
    if window.decks.tree.topLevelItemCount() == 0:
        load_shipped_decks(window, col, decks_dir)
    else:
        window.sync_shipped = lambda: load_shipped_decks(window, col, decks_dir)
    return window


def load_shipped_decks(window: MainWindow, col: Collection, decks_dir: Path | None) -> None:
    """Sync the shipped decks into the open window's collection and say what was skipped."""
    from quizapp.services.decks import sync_shipped_decks

    report = sync_shipped_decks(col, decks_dir)
    if report.unwritable and col.db.refusal() is not None:
        return  # the start-up check failed: its own dialog says so
    if report.changes and window.stack.currentWidget() is window.decks:
        window.show_decks()
    _report_problems(window, col.warnings + report.errors, len(report.errors))


def _report_problems(window: MainWindow, problems: list[str], skipped: int) -> None:
    from PySide6.QtWidgets import QMessageBox

    if not problems:
        return
    window.show()
    box = QMessageBox(QMessageBox.Icon.Warning, "Some decks were skipped", "", parent=window)
    box.setText(f"{skipped} deck file(s) could not be loaded; the others are ready.")
    box.setInformativeText(problems[0].splitlines()[0])
    box.setDetailedText("\n\n".join(problems))
    box.open()
    window.load_problems = box


def collection_error_box(exc: CollectionError) -> QMessageBox:
    """Says what is wrong with the collection file and what to do; the file is left as it is."""
    from PySide6.QtWidgets import QMessageBox

    from quizapp.services.collection import CollectionCorrupt, CollectionLocked, CollectionTooNew

    titles = {
        CollectionLocked: "quizapp is already open",
        CollectionCorrupt: "The collection file is damaged",
        CollectionTooNew: "This collection needs a newer quizapp",
    }
    title = next(
        (t for kind, t in titles.items() if isinstance(exc, kind)),
        "quizapp cannot open its collection",
    )
    box = QMessageBox(QMessageBox.Icon.Critical, title, title)
    box.setInformativeText(str(exc) + "\n\nNothing has been changed or overwritten.")
    return box


def run_window(data_dir: str | None, *, verbose: bool = False, warmed: bool = False) -> int:
    """The window's whole life: paint the deck list, open the collection, run until closed.
    `warmed`: the deck list's pages are being read already (`quizapp.app` starts that
    before Qt is imported)."""
    path = data_dir_from(data_dir)

    def say(text: str) -> None:
        if verbose:
            print(f"quizapp: {text}", file=sys.stderr, flush=True)

    # The deck list's pages are read while Qt loads, and the list painted before SQLAlchemy
    # loads. The integrity check starts only once the main window has painted
    # (`Started.show`): its read of the whole file would compete with both for the disk.
    if not warmed:
        warm_deck_list(path)
    app = make_app()
    from quizapp.ui.first_paint import first_glance

    glimpse = first_glance(app, path)
    from PySide6.QtCore import QTimer

    import quizapp.ui.main_window  # noqa: F401  (loaded behind the painted deck list)
    from quizapp.services.collection import (
        CollectionCorrupt,
        CollectionError,
        CollectionLocked,
    )

    # Python runs a signal handler only when it runs at all: while Qt's loop waits, a
    # SIGTERM would wait too. This tick lets it kill rustc and quit promptly.
    signal_tick = QTimer()
    signal_tick.timeout.connect(lambda: None)
    signal_tick.start(250)

    try:
        col = open_with_notice(path)
    except CollectionError as exc:
        if glimpse is not None:
            glimpse.close()  # what follows says why there is no deck list
        if isinstance(exc, CollectionLocked):
            return already_open(path, exc)
        if not isinstance(exc, CollectionCorrupt):
            collection_error_box(exc).exec()
            return 1
        restored = offer_latest_good_backup(path, exc)
        if restored is None:
            return 1
        col = restored
    started = Started(path, col, say)
    started.replaces = glimpse
    servers: list[Any] = []

    def listen() -> None:
        """After the first paint: the single-instance server (QtNetwork) is not needed to
        draw the deck list, and a second start meanwhile is refused by the lock anyway."""
        from quizapp.ui.single_instance import InstanceServer

        server = InstanceServer(path, lambda: bring_forward(started.window))
        servers.append(server)
        if server.listening:
            say("listening for a second start on this collection")

    try:
        if not started.show(col, after_paint=listen):
            return 1
        status = app.exec()
        for server in servers:
            server.close()
        return status
    finally:
        started.col.close()


class Started:
    """The running window and its collection, from the first paint on.

    The deck list paints while the integrity check still reads the file; the check's
    verdict arrives later (`ui.start_check`). Passed: the day's backup starts. Failed: the
    collection is closed (every write was held back, and is refused from now on), and the
    damaged-collection dialog opens over the painted window; a restored backup gets a new
    window, declining quits.
    """

    def __init__(
        self,
        path: Path,
        col: Collection,
        say: Callable[[str], None],
        *,
        decks_dir: Path | None = None,
        quit: Callable[[int], None] = QApplication.exit,
    ) -> None:
        self.path = path
        self.quit = quit
        self.decks_dir = decks_dir
        self.col = col
        self.say = say
        self.window: MainWindow | None = None
        self.relay: object = None
        self.damaged_box: QMessageBox | None = None
        self.replaces: QWidget | None = None
        """The deck list painted before the collection opened (`ui.first_paint`): the
        main window takes its place and it closes."""

    def show(self, col: Collection, after_paint: Callable[[], None] | None = None) -> bool:
        """Paint `col`'s deck list now, and act on the check's verdict when it comes;
        `after_paint` runs once the deck list has painted, with the check's start."""
        from quizapp.services import guidance
        from quizapp.services.collection import CollectionCorrupt
        from quizapp.ui.start_check import damaged_read, watch_start_check

        self.col = col
        # A first start opens with the welcome, over the deck list: a study asked of the
        # painted list would start under it, before the learner has read a word of it.
        welcome_due = not guidance.read_guidance(col).welcome_shown
        try:
            window = open_window(col, self.decks_dir, sync_later=True)
        except Exception as exc:  # a damaged page read before the verdict was in
            verdict = damaged_read(col, exc)
            if verdict is None:
                raise
            col.close()
            restored = offer_latest_good_backup(self.path, CollectionCorrupt(verdict))
            return restored is not None and self.show(restored, after_paint)
        study_asked: list[str] | None = None
        if self.replaces is not None:
            from quizapp.ui.first_paint import early_input

            selected, study_asked = early_input(self.replaces)
            if selected is not None:
                window.decks.select(selected)
            window.setGeometry(self.replaces.geometry())
        window.show()
        if self.replaces is not None:
            self.replaces.close()
            self.replaces = None
        if study_asked is not None and not welcome_due:  # asked of the painted list
            from PySide6.QtCore import QTimer

            asked = study_asked
            QTimer.singleShot(0, lambda: window.start_study(asked))
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
        self.window = window
        self.say(f"opened {col.db.path}")
        later = [f for f in (window.sync_shipped, after_paint) if f is not None]
        self.relay = watch_start_check(
            col,
            window.decks.tree.viewport(),
            self._passed,
            self._failed,
            lambda: [f() for f in later],
        )
        return True

    def _passed(self) -> None:
        from quizapp.ui.backups import start_daily_backup

        self.say("the collection passed its integrity check")
        window = self.window
        assert window is not None

        def report_backup(text: str) -> None:
            from shiboken6 import isValid

            if isValid(window):  # a window closed before its backup ended has no status bar
                window.statusBar().showMessage(text, 5000)
            self.say(text)

        start_daily_backup(self.col, report_backup, report_none=self.say)

    def _failed(self, verdict: str) -> None:
        from quizapp.ui.start_check import offer_backup_over

        self.say(f"the integrity check failed: {verdict}")
        assert self.window is not None
        self.col.close()
        self.damaged_box = offer_backup_over(
            self.window,
            self.path,
            verdict,
            self._restored,
            lambda again: collection_error_box(again).exec(),
        )

    def _restored(self, col: Collection | None) -> None:
        if col is None or not self.show(col):
            self.quit(1)


def open_with_notice(data_dir: Path) -> Collection:
    """`open_collection`, with `upgrade_notice` on screen while an old collection upgrades."""
    from quizapp.services.collection import open_collection

    upgrading = upgrade_notice(data_dir)
    try:
        # The window reads while the integrity check runs; writes wait for its verdict.
        return open_collection(data_dir, check_behind=True)
    finally:
        if upgrading is not None:
            upgrading.close()


def upgrade_notice(data_dir: Path) -> QWidget | None:
    """'Upgrading your collection…' while a collection made by an older quizapp is upgraded.

    The upgrade (a backup first, then the migration steps) runs before the main window
    exists and takes seconds at 100,000 cards (2.7 s for step 5): without this the app
    shows nothing that long. None when there is nothing to upgrade (or nothing readable;
    opening the collection then says what is wrong).
    """
    from quizapp.services.collection import needs_upgrade

    if not needs_upgrade(data_dir):
        return None
    from quizapp.ui.busy import notice

    return notice(
        "Upgrading your collection for this version of quizapp…\n"
        "A backup of it is taken first. This happens once."
    )


def bring_forward(window: MainWindow) -> None:
    """Another quizapp was started on this collection: show this window instead."""
    window.showNormal()
    window.raise_()
    window.activateWindow()
    window.statusBar().showMessage(
        "quizapp was started again on this collection; this window is the one using it.", 8000
    )
    print("quizapp: another start on this collection brought this window forward", file=sys.stderr)


def already_open(path: Path, exc: CollectionError) -> int:
    """A second instance: bring the first one's window forward and exit, never writing."""
    from quizapp.ui.single_instance import ask_running_instance_to_raise

    def waiting() -> None:
        print("quizapp: waiting for the open window on this collection to answer", file=sys.stderr)

    if ask_running_instance_to_raise(path, patience=START_PATIENCE, on_wait=waiting):
        print(
            f"quizapp is already open on {path}; its window was brought forward.", file=sys.stderr
        )
        return 0
    collection_error_box(exc).exec()
    return 1


def offer_latest_good_backup(path: Path, exc: CollectionError) -> Collection | None:
    """The collection is damaged: offer the newest good backup; None if the learner declines."""
    from quizapp.services import backup
    from quizapp.services.collection import CollectionError, open_collection
    from quizapp.ui.backups import damaged_collection_box

    latest = backup.latest_good_backup(path)
    box = damaged_collection_box(str(exc), latest)
    box.exec()
    chosen = box.clickedButton()
    if latest is None or chosen is None or chosen is not box.restore_button:  # type: ignore[attr-defined]
        return None
    try:
        backup.restore_damaged(path, latest.id)
        return open_collection(path)
    except CollectionError as again:
        collection_error_box(again).exec()
        return None
