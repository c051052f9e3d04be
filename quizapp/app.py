"""Composition root: the application, the collection, the shipped decks and the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from quizapp import __version__
from quizapp.services.collection import Collection, CollectionError, open_collection, resolve_data_dir
from quizapp.services.decks import sync_shipped_decks
from quizapp.ui.main_window import MainWindow
from quizapp.ui.theme import apply_theme, effective_theme


def make_app() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("quizapp")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    return app


def open_window(col: Collection, decks_dir: Path | None = None) -> MainWindow:
    """Load the shipped decks, then show the window; broken deck files are reported, not fatal."""
    app = make_app()
    apply_theme(app, effective_theme(col.settings.theme))
    report = sync_shipped_decks(col, decks_dir)
    window = MainWindow(col)
    problems = col.warnings + report.errors
    if problems:
        window.show()
        box = QMessageBox(QMessageBox.Icon.Warning, "Some decks were skipped", "", parent=window)
        box.setText(f"{len(report.errors)} deck file(s) could not be loaded; the others are ready.")
        box.setDetailedText("\n\n".join(problems))
        box.setInformativeText(problems[0].splitlines()[0])
        box.open()
        window.load_problems = box  # type: ignore[attr-defined]
    return window


def run_window(data_dir: str | None) -> int:
    app = make_app()
    path = resolve_data_dir(data_dir)
    try:
        col = open_collection(path)
    except CollectionError as exc:
        QMessageBox.critical(None, "quizapp cannot open its collection", str(exc))
        return 1
    window = open_window(col)
    window.show()
    try:
        return app.exec()
    finally:
        col.close()


__all__ = ["QGuiApplication", "open_window", "run_window"]
