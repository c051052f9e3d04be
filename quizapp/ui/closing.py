"""Esc and Ctrl+W close every window but the main one, as in Anki and any browser.

Dialogs already close on Esc (Qt rejects them), so they get Ctrl+W (and the platform's
other Close keys, such as Ctrl+F4); windows of their own (statistics, browser) get Esc
too. Closing goes through `close()`, so each window's own `closeEvent`/`reject` still
decides what closing means (stop rustc, cancel an import, ask about unsaved edits).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def close_keys(escape: bool) -> list[QKeySequence]:
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Close))
    if QKeySequence("Ctrl+W") not in keys:
        keys.append(QKeySequence("Ctrl+W"))
    if escape:
        keys.append(QKeySequence(Qt.Key.Key_Escape))
    return keys


def add_close_keys(window: QWidget, *, escape: bool = False, skip_close: bool = False) -> None:
    """Shortcuts on `window` that close it; `skip_close` when a menu action has Ctrl+W."""
    for keys in close_keys(escape):
        if skip_close and keys != QKeySequence(Qt.Key.Key_Escape):
            continue
        shortcut = QShortcut(keys, window, context=Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(window.close)
