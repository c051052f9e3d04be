"""Outside text in the Qt widgets that would otherwise read it as markup.

A QLabel, a tooltip and a message box guess from the text's first line whether it is HTML
(`Qt::mightBeRichText`). A deck named or sectioned `X<img src="/dev/zero">` (from any file
the learner imported) made such a widget load the image, a read that never ends: the
window hung as soon as the deck was selected in the list, studied, renamed or deleted.
Deck names, sections, question-set names and error messages that quote a file go
through here; card content is rendered by `core.render`, which escapes it already.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(label: QLabel) -> QLabel:
    """`label`, showing whatever it is given as text, never as markup."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` as written (tooltips have no text format to set)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def plain_box(box: QMessageBox) -> QMessageBox:
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warning(parent: QWidget | None, title: str, text: str) -> None:
    """`QMessageBox.warning` for a message that may quote a file: shown as plain text."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    plain_box(box).exec()
