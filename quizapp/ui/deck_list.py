"""The first page: every deck with today's new, learning and due counts.

Right-click (or the menu key) on a deck opens what Anki's gear menu offers: Study,
Rename…, Delete…, Options…, Export…. The page only says what was asked for (signals);
`ui.deck_actions` does it, so this page stays a view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor, QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.palette import palette
from quizapp.core.wording import count
from quizapp.services.overview import DeckSummary
from quizapp.ui.plain import plain_label, plain_tip
from quizapp.ui.theme import current_theme

COLUMNS = ("Deck", "New", "Learning", "Due", "Cards")


class DeckListPage(QWidget):
    study_requested = Signal(list)
    """The deck uuids to study; an empty list means every deck."""
    rename_requested = Signal(str)
    delete_requested = Signal(str)
    options_requested = Signal(str)
    export_requested = Signal(str)
    """Each with the deck's uuid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Decks")
        self.title.setObjectName("title")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("muted")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i in range(1, len(COLUMNS)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(lambda item, _col: self._study_item(item))
        self.tree.currentItemChanged.connect(lambda *_: self._update_description())
        # Right-click on a row, or the menu key (Shift+F10) for the selected row.
        for widget in (self.tree, self.tree.viewport()):
            widget.installEventFilter(self)
        self.menu: QMenu | None = None
        """The open context menu, if any (kept so it is not collected while shown)."""
        self.description = plain_label(QLabel(""))  # a deck's section comes from its file
        self.description.setWordWrap(True)
        self.description.setObjectName("muted")
        self.study_button = QPushButton("Study deck  (Enter)")
        self.study_button.setObjectName("primary")
        self.study_button.clicked.connect(lambda: self._study_item(self.tree.currentItem()))
        self.all_button = QPushButton("Study all: due and new  (A)")
        self.all_button.setToolTip(
            "Every deck in one session: the cards due today, then today's new cards "
            "(each deck's daily limit)"
        )
        self.all_button.clicked.connect(lambda: self.study_requested.emit([]))
        buttons = QHBoxLayout()
        buttons.addWidget(self.description, 1)
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.study_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._summaries: list[DeckSummary] = []
        study_all = QShortcut(
            QKeySequence("A"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        study_all.activated.connect(self._study_all)
        for keys, signal in (
            ("F2", self.rename_requested),
            (QKeySequence.StandardKey.Delete, self.delete_requested),
        ):
            shortcut = QShortcut(
                QKeySequence(keys), self.tree, context=Qt.ShortcutContext.WidgetShortcut
            )
            shortcut.activated.connect(lambda s=signal: self._on_current(s))

    def deck_menu(self, deck_uuid: str) -> QMenu:
        """The context menu of one deck (the study button's rules decide Study's state)."""
        found = next((s for s in self._summaries if s.uuid == deck_uuid), None)
        menu = QMenu(self)
        study = menu.addAction("Study", lambda: self.study_requested.emit([deck_uuid]))
        study.setEnabled(found is not None and found.counts.total > 0)
        menu.addSeparator()
        menu.addAction("Rename…", lambda: self.rename_requested.emit(deck_uuid)).setShortcut(
            QKeySequence("F2")
        )
        menu.addAction("Delete…", lambda: self.delete_requested.emit(deck_uuid)).setShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete)
        )
        menu.addSeparator()
        menu.addAction("Options…", lambda: self.options_requested.emit(deck_uuid))
        menu.addAction("Export…", lambda: self.export_requested.emit(deck_uuid))
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            self._show_menu(event)
            return True
        return super().eventFilter(watched, event)

    def _show_menu(self, event: QContextMenuEvent) -> None:
        """At the row clicked; from the keyboard, at the selected row (not under the mouse)."""
        viewport = self.tree.viewport()
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            at = viewport.mapFromGlobal(event.globalPos())
            item = self.tree.itemAt(at)
        else:
            item = self.tree.currentItem()
            at = self.tree.visualItemRect(item).center() if item is not None else QPoint()
        if item is None:
            return
        self.tree.setCurrentItem(item)
        self.menu = self.deck_menu(item.data(0, Qt.ItemDataRole.UserRole))
        self.menu.popup(viewport.mapToGlobal(at))

    def _on_current(self, signal: SignalInstance) -> None:
        item = self.tree.currentItem()
        if item is not None:
            signal.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def show_decks(self, summaries: list[DeckSummary]) -> None:
        current = self.tree.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        self._summaries = summaries
        self.tree.clear()
        pal = palette(current_theme())
        colours = {1: pal.accent, 2: pal.bad, 3: pal.good}
        for s in summaries:
            values = (s.name, s.counts.new, s.counts.learning, s.counts.due, s.cards)
            item = QTreeWidgetItem([str(v) for v in values])
            item.setData(0, Qt.ItemDataRole.UserRole, s.uuid)
            item.setToolTip(0, plain_tip(s.section or s.name))
            for col in range(1, len(COLUMNS)):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                if col in colours and values[col]:
                    item.setForeground(col, QBrush(QColor(colours[col])))
            self.tree.addTopLevelItem(item)
            if s.uuid == keep:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        due = sum(s.counts.total for s in summaries)
        self.subtitle.setText(
            f"{count(len(summaries), 'deck')} · {count(sum(s.cards for s in summaries), 'card')} · "
            + (f"{due:,} to study today" if due else "nothing left for today")
        )
        self.all_button.setEnabled(due > 0)
        self._update_description()

    def select(self, deck_uuid: str) -> None:
        """Make `deck_uuid`'s row the current one, if it is listed."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == deck_uuid:
                self.tree.setCurrentItem(item)
                return

    def _update_description(self) -> None:
        item = self.tree.currentItem()
        uuid = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        found = next((s for s in self._summaries if s.uuid == uuid), None)
        self.description.setText(found.section if found else "")
        self.study_button.setEnabled(found is not None and found.counts.total > 0)

    def _study_item(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.study_requested.emit([item.data(0, Qt.ItemDataRole.UserRole)])

    def _study_all(self) -> None:
        if self.all_button.isEnabled():
            self.study_requested.emit([])
