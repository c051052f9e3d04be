"""What the deck list's context menu does: rename, delete, options and export of one deck.

Each write is a service operation (`services.cards`), so it is one Edit → Undo step and
every open view hears of it through the collection's `Changes`; nothing here redraws
anything. The dialogs are opened window-modal with `open()` and returned, so the window
never blocks in a nested event loop and a test can answer them like a learner.

Shipped decks: renaming or deleting one is refused with the reason (its file would bring
the name, or the whole deck, back at the next start), said before anything is asked.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox

from quizapp.core.wording import count
from quizapp.ui.deck_list import DeckListPage
from quizapp.ui.host import Host
from quizapp.ui.plain import plain_box, plain_label

OPTIONS_MISSING = (
    "Per-deck options (daily limits, new-card order, scheduler) are not part of this "
    "build of quizapp yet."
)


def connect_deck_actions(host: Host, page: DeckListPage) -> None:
    page.rename_requested.connect(lambda uuid: rename_deck(host, uuid))
    page.delete_requested.connect(lambda uuid: delete_deck(host, uuid))
    page.options_requested.connect(lambda uuid: open_options(host, uuid))
    page.export_requested.connect(lambda uuid: export_deck(host, uuid))


def rename_deck(host: Host, deck_uuid: str) -> QInputDialog | None:
    """Ask for the new name (the old one selected); None when the deck cannot be renamed."""
    from quizapp.services import cards  # on first use: not before the first paint

    contents = cards.deck_contents(host.col, deck_uuid)
    if contents.shipped:
        _refuse(
            host,
            "Rename deck",
            f"“{contents.name}” ships with quizapp: its name comes from its deck file and would "
            "come back at the next update, so it cannot be renamed.",
        )
        return None
    dialog = QInputDialog(host.widget())
    dialog.setWindowTitle("Rename deck")
    dialog.setLabelText(f"New name for “{contents.name}”:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(contents.name)
    for label in dialog.findChildren(QLabel):  # the name is the file's, not markup
        plain_label(label)

    def done(name: str) -> None:
        if not name.strip() or name.strip() == contents.name:
            return
        try:
            cards.rename_deck(host.col, deck_uuid, name)
        except cards.CardError as exc:
            _refuse(host, "Rename deck", str(exc))
            return
        host.statusBar().showMessage(f"Renamed “{contents.name}” to “{name.strip()}”", 5000)

    dialog.textValueSelected.connect(done)
    dialog.open()
    return dialog


def delete_deck(host: Host, deck_uuid: str) -> QMessageBox:
    """Say what goes (cards, reviews) and that Edit → Undo brings it back; delete on Delete."""
    from quizapp.services import cards  # on first use: not before the first paint

    contents = cards.deck_contents(host.col, deck_uuid)
    if contents.shipped:
        return _refuse(
            host,
            "Delete deck",
            f"“{contents.name}” ships with quizapp and would come back at the next start, so "
            "it cannot be deleted. To keep it out of study, suspend its cards in the browser "
            "(Go → Browse cards…, select them, Suspend).",
        )
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Delete deck",
        f"Delete “{contents.name}” with its {count(contents.cards, 'card')} and "
        f"{count(contents.reviews, 'review')} of history?",
        QMessageBox.StandardButton.Cancel,
        host.widget(),
    )
    plain_box(box)
    box.setInformativeText(
        "A backup is taken first, and Edit → Undo brings the deck back while quizapp is open."
    )
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def done() -> None:
        if box.clickedButton() is not delete:
            return
        try:
            cards.delete_deck(host.col, deck_uuid)
        except cards.CardError as exc:
            _refuse(host, "Delete deck", str(exc))
            return
        host.statusBar().showMessage(
            f"Deleted “{contents.name}” (Edit → Undo brings it back)", 8000
        )

    box.finished.connect(lambda _result: done())
    box.open()
    return box


def open_options(host: Host, deck_uuid: str) -> object:
    """The deck options dialog, from its own module; said plainly when it is not there."""
    try:
        from quizapp.ui.deck_options_dialog import (  # type: ignore[import-not-found,unused-ignore]
            open_deck_options,
        )
    except ImportError:
        return _refuse(host, "Deck options", OPTIONS_MISSING)
    return open_deck_options(host, deck_uuid)


def export_deck(host: Host, deck_uuid: str) -> None:
    from quizapp.services import cards  # on first use: not before the first paint
    from quizapp.ui import import_dialog

    import_dialog.choose_and_export(
        host, (deck_uuid, cards.deck_contents(host.col, deck_uuid).name)
    )


def _refuse(host: Host, title: str, text: str) -> QMessageBox:
    box = plain_box(QMessageBox(QMessageBox.Icon.Information, title, text, parent=host.widget()))
    box.open()
    return box
