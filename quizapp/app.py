"""Composition root: parses the command line, then runs a headless command or the window.

Qt is imported only when the window is wanted, so `quizapp list` and `quizapp verify`
start fast and run where no display libraries are installed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.cli import build_parser, run_command
from quizapp.services.collection import (
    Collection,
    CollectionError,
    open_collection,
    resolve_data_dir,
)
from quizapp.services.decks import sync_shipped_decks

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from quizapp.ui.main_window import MainWindow


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status = run_command(args)
    return run_window(args.data_dir) if status is None else status


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


def open_window(col: Collection, decks_dir: Path | None = None) -> MainWindow:
    """Load the shipped decks, then build the window; broken deck files are reported, not fatal."""
    from PySide6.QtWidgets import QMessageBox

    from quizapp.ui.main_window import MainWindow
    from quizapp.ui.theme import apply_theme, effective_theme, follow_system

    app = make_app()
    apply_theme(app, effective_theme(col.settings.theme))
    follow_system(app, lambda: col.settings.theme)
    report = sync_shipped_decks(col, decks_dir)
    window = MainWindow(col)
    problems = col.warnings + report.errors
    if problems:
        window.show()
        box = QMessageBox(QMessageBox.Icon.Warning, "Some decks were skipped", "", parent=window)
        box.setText(f"{len(report.errors)} deck file(s) could not be loaded; the others are ready.")
        box.setInformativeText(problems[0].splitlines()[0])
        box.setDetailedText("\n\n".join(problems))
        box.open()
        window.load_problems = box
    return window


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


def run_window(data_dir: str | None) -> int:
    app = make_app()
    path = resolve_data_dir(data_dir)
    try:
        col = open_collection(path)
    except CollectionError as exc:
        collection_error_box(exc).exec()
        return 1
    try:
        window = open_window(col)
        window.show()
        return app.exec()
    finally:
        col.close()


if __name__ == "__main__":
    sys.exit(main())
