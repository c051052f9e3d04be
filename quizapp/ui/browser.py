"""The card browser: search every card, filter, sort, preview, and act on a selection.

Smooth at 300,000 cards because nothing is loaded that is not looked at: a search returns
only the matching cards' UUIDs in order, and the table model reads a row's columns only
when the view draws it, a page per query by UUID, keeping a few pages. Each key starts
the search at once, held; the result is shown after a short pause in typing, and a newer
key replaces the search (stopped inside SQLite).

The search runs in a worker (`ui.worker`, its own pooled SQLite connection), never on the
GUI thread: the window keeps drawing and taking keys while a slow one runs. It answers in
two steps, the first screen (`browse.first_page`, a LIMIT that stops early, with its
rows read there too) and then, once that screen is drawn, every match; each search carries
a number, and an answer that is not the newest search's is dropped, so a stale result
never replaces a newer one.

Keys: Enter opens the editor, Ctrl+J suspends or unsuspends, Del deletes (asking first
only when review history would go with the cards), Ctrl+F goes to the search box, and
Ctrl+Z is the main window's Edit → Undo: every action here is one undo step.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QFontMetrics, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.cardhtml import KIND_LABELS, answer_html, full_page
from quizapp.core.changes import Changes
from quizapp.core.grading import grade
from quizapp.core.model import Kind
from quizapp.core.palette import palette
from quizapp.core.wording import count as counted
from quizapp.services import browse, cards
from quizapp.services.cards import SORT_KEYS, BrowserRow, CardQuery
from quizapp.services.collection import Collection
from quizapp.ui import plain, worker
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.closing import add_close_keys
from quizapp.ui.editor import CardEditor
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.match_highlight import MatchDelegate, search_words
from quizapp.ui.theme import current_theme
from quizapp.ui.undo_action import find_undo_action

PAGE = 200
"""Rows read per query: a few screens, so a scroll rarely waits and never reads much."""
CACHED_PAGES = 8
"""Pages kept in memory (1,600 rows): what is on screen and a little either side."""
SEARCH_DELAY_MS = 120
"""The pause in typing after which the result is shown. The search itself starts at each
key (`search(held=True)`) and is usually done by then, so this is most of the wait from
the last key to the first screen (the target is 0.2 s). Most learners pause longer than
this between keys anyway: the pause mostly spares a fast typist's screen the flicker."""
DRAW_WAIT_S = 2.0
"""At most this long a search's worker waits for its first screen to be drawn."""
COLUMNS = (
    "Deck",
    "Kind",
    "Prompt",
    "Tags",
    "Due",
    "Interval",
    "Ease",
    "Lapses",
    "Reviews",
    "Suspended",
    "Recall",
)
_NUMERIC = {5, 6, 7, 8, 10}
PROMPT_COLUMN = 2
PROMPT_MIN = 180
"""Narrower than this the prompt says too little: the table scrolls sideways instead."""
HEADER_PADDING = 14
"""Room beside a column's title for the header's margins: the numeric columns are as
wide as their titles, so the prompt keeps what is left."""
Role = Qt.ItemDataRole


class CardTableModel(QAbstractTableModel):
    """The search result: every UUID up front, row contents fetched a page at a time.

    The table has a row for every match from the start (the scroll bar shows the whole
    result, as Anki's browser does), but a row's columns are read from the database only
    when the view draws it, a page of `PAGE` rows per query, and only the last
    `CACHED_PAGES` pages are kept. So jumping to the end of 100,000 cards reads one page,
    and memory stays flat however far the learner scrolls.

    A search's UUIDs come from a worker, the first screen's first: the table shows those
    rows while the rest are found, then grows to the whole result (rows appended, so the
    selection and the scroll position stay).
    """

    searched = Signal()
    """The newest search's whole result is in the table."""
    _first_found = Signal(object)
    """(search number, first UUIDs), emitted from the worker thread."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.query = CardQuery()
        self.uuids: list[str] = []
        self._pages: OrderedDict[int, list[BrowserRow | None]] = OrderedDict()
        self.pages_loaded = 0
        """How many page queries ran since the last search (the tests and benchmarks read it)."""
        self.today = col.today().toordinal()
        self.searching = False
        """A search is running: `uuids` is the previous result, or its first screen."""
        self.complete = True
        """`uuids` is the whole result (not only its first screen)."""
        self._number = 0
        self._shown = 0
        """The search whose first screen is in `uuids`."""
        self._job: worker.Worker | None = None
        self._held = False
        """The running search is not to be shown yet (`search(held=True)`)."""
        self._waiting: list[tuple[Any, Any]] = []
        """What a held search sent meanwhile, shown on `release`."""
        self._drawn = threading.Event()
        """Set once the running search's first screen is drawn: its worker goes on then."""
        self.draw_now: Callable[[], None] | None = None
        """Draws the table now (the window sets it): the first screen is drawn before the
        rest of the search goes on."""
        self._first_found.connect(self._show_first)
        self._take_colours()

    def _take_colours(self) -> None:
        """Once per search, not per cell: `data` is called for every visible cell."""
        pal = palette(current_theme())
        self.muted, self.overdue = QBrush(QColor(pal.muted)), QBrush(QColor(pal.bad))

    def row_at(self, row: int) -> BrowserRow | None:
        """The row's columns (None if its card was deleted since the search), fetched on demand."""
        number, offset = divmod(row, PAGE)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch_page(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def cached_pages(self) -> int:
        return len(self._pages)

    def _fetch_page(self, number: int) -> list[BrowserRow | None]:
        wanted = self.uuids[number * PAGE : (number + 1) * PAGE]
        found = {r.uuid: r for r in browse.browser_rows(self.col, wanted)}
        page: list[BrowserRow | None] = [found.get(uuid) for uuid in wanted]
        self._pages[number] = page
        self.pages_loaded += 1
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    # --- what Qt asks -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.uuids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Role.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.uuids):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Role.DisplayRole:
            return self._text(row, column)
        if role == Role.ToolTipRole and column == 2:
            # The prompt is a file's: as written, never markup (an <img> of /dev/zero hung
            # the window on hover), and cut, since a prompt may be 100,000 characters.
            from quizapp.core.shown import clip
            from quizapp.ui.plain import plain_tip

            return plain_tip(clip(row.prompt, 1000))
        if role == Role.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Role.ForegroundRole:
            if row.suspended:
                return self.muted
            if column == 4 and row.due_day is not None and row.due_day < self.today:
                return self.overdue
            if column in (4, 6) and row.reviews == 0:
                return self.muted
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.search(replace(self.query, sort=SORT_KEYS[column], descending=descending))

    # --- what the browser asks ----------------------------------------------------------

    def search(self, query: CardQuery, *, held: bool = False) -> None:
        """Start a new search in a worker; the rows shown change when its answer comes.

        An older search still running is told to stop (SQLite abandons its statement, and
        the pool's thread is free for the new one), and whatever it sends later is
        ignored: only the newest search's answer is shown.

        `held`: search now but show nothing until `release` (the learner is still typing).
        The worker finds the first screen meanwhile, so when the typing pauses it only has
        to be drawn: the pause no longer adds the search's own time to the wait.
        """
        self.query = query
        self._number += 1
        self._held, self._waiting = held, []
        drawn = self._drawn = threading.Event()
        number, col, first_found = self._number, self.col, self._first_found

        def job(_progress: Any, cancel: Any) -> tuple[int, list[str]] | None:
            first = browse.first_page(col, query, PAGE, stop=cancel.is_set)
            if first is not None and not cancel.is_set():
                # The first screen's columns too, here: the GUI thread then only draws.
                rows = {r.uuid: r for r in browse.browser_rows(col, first)}
                try:
                    first_found.emit((number, first, [rows.get(u) for u in first]))
                except RuntimeError:  # the window closed meanwhile
                    return None
                if len(first) < PAGE:
                    return number, first  # that is every match
                # The rest waits until the first screen is drawn: the two would share the
                # GIL (SQLAlchemy's statement, SQLite's progress calls), and the drawing is
                # what the learner waits for. Bounded, in case nothing is ever drawn.
                waited = 0.0
                while not drawn.wait(0.05) and waited < DRAW_WAIT_S:
                    waited += 0.05
                    if cancel.is_set():
                        return None
            if cancel.is_set():
                return None
            return number, browse.search_cards(col, query, stop=cancel.is_set)

        if self._job is not None:
            self._job.cancel()
        self.searching = True
        self._job = worker.start(job)
        self._job.signals.finished.connect(self._show_all)
        self._job.signals.failed.connect(self._failed)

    def held_for(self, query: CardQuery) -> bool:
        """Whether the search running, held back, is for exactly `query`."""
        return self.searching and self._held and query == self.query

    def release(self) -> None:
        """Show the held search: what it has found so far at once, the rest as it comes."""
        self._held = False
        waiting, self._waiting = self._waiting, []
        for show, found in waiting:
            show(found)

    def _show_first(self, found: tuple[int, list[str], list[BrowserRow | None]]) -> None:
        number, uuids, rows = found
        if number != self._number:
            return
        if self._held:
            self._waiting.append((self._show_first, found))
            return
        self._reset(uuids, complete=len(uuids) < PAGE, first_page=rows)
        self._shown = number
        if self.draw_now is not None:
            self.draw_now()
        self._drawn.set()

    def _show_all(self, found: tuple[int, list[str]] | None) -> None:
        if found is None or found[0] != self._number:
            return
        if self._held:
            self._waiting.append((self._show_all, found))
            return
        uuids = found[1]
        shown = len(self.uuids)
        if self._shown != self._number or uuids[:shown] != self.uuids:
            self._reset(uuids, complete=True)  # no first screen shown, or it moved meanwhile
        elif len(uuids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(uuids) - 1)
            self.uuids = uuids
            self.endInsertRows()
        self.complete, self.searching, self._job = True, False, None
        self.searched.emit()

    def _failed(self, exc: object) -> None:
        if self._job is None or self.sender() is not self._job.signals:
            return
        self.searching, self._job = False, None
        raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    def _reset(
        self,
        uuids: list[str],
        *,
        complete: bool,
        first_page: list[BrowserRow | None] | None = None,
    ) -> None:
        """`first_page`: the first page's rows, read by the search's worker."""
        self.beginResetModel()
        self.today = self.col.today().toordinal()
        self._take_colours()
        self.uuids = uuids
        self.complete = complete
        self._pages.clear()
        self.pages_loaded = 0
        if first_page is not None:
            self._pages[0] = first_page
            self.pages_loaded = 1
        self.endResetModel()

    def reread_rows(self) -> None:
        """Every row is read again when next drawn: a deck's scheduler or parameters changed
        what its cards' recall is, though no card's own row changed."""
        if self.searching:
            self.search(self.query, held=self._held)  # the answer on its way may predate it
            return
        self._pages.clear()
        if self.uuids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.uuids) - 1, len(COLUMNS) - 1)
            )

    def uses_recall(self) -> bool:
        """Whether the result's membership or order depends on predicted recall."""
        return self.query.sort == "recall" or bool(browse.parse_recall_filters(self.query.text)[1])

    def uuid_at(self, row: int) -> str:
        return self.uuids[row]

    def refresh(self, changes: Changes) -> None:
        """Drop deleted rows and re-read changed ones; the order of the rest is kept."""
        if self.searching:
            self.search(self.query, held=self._held)  # the answer on its way may predate it
            return
        gone = set(changes.deleted)
        if gone:
            for i in reversed([i for i, uuid in enumerate(self.uuids) if uuid in gone]):
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.uuids[i]
                self.endRemoveRows()
            self._pages.clear()  # rows moved up: every cached page is off by some rows
        touched = set(changes.updated)
        for i in [i for i, uuid in enumerate(self.uuids) if uuid in touched]:
            self._pages.pop(i // PAGE, None)  # read again when next drawn
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    @staticmethod
    def _text(row: BrowserRow, column: int) -> str:
        match column:
            case 0:
                return row.deck_name
            case 1:
                return row.kind
            case 2:
                first = next((line for line in row.prompt.splitlines() if line.strip()), "")
                return first[:120]
            case 3:
                return row.tags
            case 4:
                if row.due_day is not None:
                    return date.fromordinal(row.due_day).isoformat()
                return "never answered" if row.reviews == 0 else "new (reset)"
            case 5:
                return f"{row.interval}d" if row.due_day is not None else ""
            case 6:  # the starting ease of a card never answered says nothing about it
                return f"{row.easiness_hundredths / 100:.2f}" if row.reviews else "—"
            case 7:
                return str(row.lapses)
            case 8:
                return str(row.reviews)
            case 9:
                return "yes" if row.suspended else ""
            case _:
                return "" if row.recall is None else f"{row.recall * 100:.0f} %"


class BrowserWindow(QMainWindow):
    tags_loaded = Signal()
    """The tag filter's list is filled (it is read in a worker)."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self, escape=True, skip_close=True)
        self.col = col
        listen_for_changes(col, self, self.on_changes)
        self.setWindowTitle("Browse cards — quizapp")
        resize_to_fit(self, 1400, 800)
        self.model = CardTableModel(col, self)
        self._searched_now = False

        self.search_box = QLineEdit()
        self.search_box.setMaxLength(500)  # the search reads no more (storage.search)
        self.search_box.setPlaceholderText(
            "Search prompt, code, explanation and tags… (r<0.8: predicted recall below 80 %)"
        )
        self.search_box.setClearButtonEnabled(True)
        self.deck_filter = QComboBox()
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("Any kind", None)
        for kind in Kind:
            self.kind_filter.addItem(KIND_LABELS[kind], kind.value)
        self.tag_filter = QComboBox()
        self.due_filter = QComboBox()
        for label, value in (
            ("Any time", None),
            ("Due today", "today"),
            ("Overdue", "overdue"),
            ("New", "new"),
        ):
            self.due_filter.addItem(label, value)
        self.lapses_filter = QSpinBox()
        self.lapses_filter.setRange(0, 999)
        self.lapses_filter.setPrefix("lapses ≥ ")
        self.lapses_filter.setSpecialValueText("any lapses")
        self.suspended_filter = QComboBox()
        for label, value in (
            ("Suspended or not", None),
            ("Suspended", True),
            ("Not suspended", False),
        ):
            self.suspended_filter.addItem(label, value)
        self.reload_filters(opening=True)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # The prompt takes what the others leave (`_fit_prompt`), so every column, Recall
        # last, is on screen at the window's first size; the rest are as narrow as their
        # headers.
        widths = (115, 70, 0, 90, 104)  # deck, kind, prompt, tags, due ("never answ…")
        bold = QFont(header.font())
        bold.setBold(True)  # the theme draws header titles bold
        titles = QFontMetrics(bold)
        for column, title in enumerate(COLUMNS):
            if column == PROMPT_COLUMN:
                continue
            width = titles.horizontalAdvance(title) + HEADER_PADDING
            self.table.setColumnWidth(column, max(width, widths[column] if column < 5 else 0))
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.matches = MatchDelegate(self.table)
        for column in (2, 3):  # prompt and tags: where the typed words are searched
            self.table.setItemDelegateForColumn(column, self.matches)
        self.model.modelReset.connect(
            lambda: setattr(self.matches, "words", search_words(self.model.query.text))
        )
        self.table.setSortingEnabled(True)  # runs the first search, once
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _index: self.open_editor())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.document().setDocumentMargin(12)
        self.status = QLabel("")
        self.status.setObjectName("muted")

        filters = QHBoxLayout()
        for widget in (
            self.deck_filter,
            self.kind_filter,
            self.tag_filter,
            self.due_filter,
            self.lapses_filter,
            self.suspended_filter,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        top = QVBoxLayout()
        top.addWidget(self.search_box)
        top.addLayout(filters)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([1030, 370])
        splitter.splitterMoved.connect(lambda *_: self._fit_prompt())
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(central)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DELAY_MS)
        self.debounce.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._typed())
        self.search_box.returnPressed.connect(self.run_search)
        for combo in (
            self.deck_filter,
            self.kind_filter,
            self.tag_filter,
            self.due_filter,
            self.suspended_filter,
        ):
            combo.currentIndexChanged.connect(lambda _i: self.run_search())
        self.lapses_filter.valueChanged.connect(lambda _v: self._typed())
        self.model.draw_now = self._draw_now
        self._build_actions()
        self.model.modelReset.connect(self._after_search)
        self.model.searched.connect(self._show_count)
        self._after_search()  # the table's sort indicator already ran the first search

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_prompt)  # once the table has its new size

    def _fit_prompt(self) -> None:
        """Give the prompt what the other columns leave of the table's width."""
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(len(COLUMNS)) if c != PROMPT_COLUMN)
        room = self.table.viewport().width() - others
        self.table.setColumnWidth(PROMPT_COLUMN, max(PROMPT_MIN, room))

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Cards")
        self.undo_action = find_undo_action(self)
        if self.undo_action is not None:  # the same action as Edit → Undo: one stack
            menu.addAction(self.undo_action)
            if (redo_action := find_undo_action(self, "redo_action")) is not None:
                menu.addAction(redo_action)  # and Edit → Redo
            menu.addSeparator()

        def action(text: str, keys: QKeySequence.StandardKey | str | None, slot: Any) -> QAction:
            act = QAction(text, self)
            if isinstance(keys, QKeySequence.StandardKey):
                act.setShortcuts(keys)  # every binding of the platform (Close: Ctrl+W, Ctrl+F4)
            elif keys is not None:
                act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            menu.addAction(act)
            self.addAction(act)
            return act

        self.open_action = action("&Open in editor", "Return", self.open_editor)
        self.open_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.suspend_action = action("&Suspend / unsuspend", "Ctrl+J", self.toggle_suspended)
        self.reset_action = action("&Reset progress…", None, self.reset_progress)
        self.move_action = action("&Move to deck…", "Ctrl+Shift+M", self.move_to_deck)
        menu.addSeparator()
        self.delete_action = action(
            "&Delete…", QKeySequence.StandardKey.Delete, self.delete_selected
        )
        menu.addSeparator()
        find = action("&Find", QKeySequence.StandardKey.Find, self._focus_search)
        find.setText("&Find")
        menu.addSeparator()
        action("&Close window", QKeySequence.StandardKey.Close, self.close)
        self.selection_actions = [
            self.open_action,
            self.suspend_action,
            self.reset_action,
            self.move_action,
            self.delete_action,
        ]
        self._selection_changed()

    # --- searching ----------------------------------------------------------------------

    def reload_filters(self, *, opening: bool = False) -> None:
        """Decks and tags change as cards are written; refill the lists, keeping the choice.
        `opening`: the first search is about to start; read the tags after it."""
        keep_deck, keep_tag = self.deck_filter.currentData(), self.tag_filter.currentData()
        for combo in (self.deck_filter, self.tag_filter):
            combo.blockSignals(True)
            combo.clear()
        self.deck_filter.addItem("All decks", None)
        for deck in cards.list_deck_choices(self.col):
            self.deck_filter.addItem(deck.name, deck.uuid)
        self.tag_filter.addItem("Any tag", None)
        if keep_tag is not None:  # until the list comes: the choice stays, and filters
            self.tag_filter.addItem(keep_tag, keep_tag)
        for combo, keep in ((self.deck_filter, keep_deck), (self.tag_filter, keep_tag)):
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)
        # Every tag means reading every card's tags (0.2 s at 300,000 cards): in a worker,
        # after the search on its way (the two would share the cores and the GIL).
        if self.model.searching or opening:
            self.model.searched.connect(self._read_tags, Qt.ConnectionType.SingleShotConnection)
        else:
            self._read_tags()

    def _read_tags(self) -> None:
        col = self.col
        self.tags_job = worker.start(lambda _progress, _cancel: cards.list_tags(col))
        self.tags_job.signals.finished.connect(self._fill_tags)

    def _fill_tags(self, tags: list[str]) -> None:
        if self.sender() is not self.tags_job.signals:
            return  # an older list
        keep = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("Any tag", None)
        for tag in tags:
            self.tag_filter.addItem(tag, tag)
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(keep)))
        self.tag_filter.blockSignals(False)
        self.tags_loaded.emit()

    def current_query(self) -> CardQuery:
        return CardQuery(
            text=self.search_box.text(),
            deck_uuid=self.deck_filter.currentData(),
            kind=self.kind_filter.currentData(),
            tag=self.tag_filter.currentData(),
            due=self.due_filter.currentData(),
            min_lapses=self.lapses_filter.value(),
            suspended=self.suspended_filter.currentData(),
            sort=self.model.query.sort,
            descending=self.model.query.descending,
        )

    def _typed(self) -> None:
        """A key in the search box (or the lapses box): search at once, show it when the
        typing pauses. A key before then replaces the search (it is stopped in SQLite)."""
        self.debounce.start()
        self.model.search(self.current_query(), held=True)

    def run_search(self) -> None:
        """Show the result of what is typed and chosen now: the held search when it is for
        exactly that, otherwise a new one."""
        self.debounce.stop()
        query = self.current_query()
        if self.model.held_for(query):
            self.model.release()
        else:
            self.model.search(query)

    def _search_again(self) -> None:
        """The cards changed: a new search, never one that started before the change."""
        self.debounce.stop()
        self.model.search(self.current_query())

    def _draw_now(self) -> None:
        if self.table.isVisible():
            self.table.viewport().repaint()

    def _after_search(self) -> None:
        self._show_count()
        if self.model.rowCount():
            self._searched_now = True
            try:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(0, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            finally:
                self._searched_now = False
        else:
            self._selection_changed()

    def _show_count(self) -> None:
        n = len(self.model.uuids)
        if n == 0 and self.model.searching:
            self.status.setText("Searching…")  # not "0 cards match" before the answer
            return
        note = browse.cap_note(self.model.query.text)
        note = f" ({note})" if note else ""
        if not self.model.complete:
            self.status.setText(f"{n:,}+ cards match (counting the rest…){note}")
            return
        self.status.setText(f"{counted(n, 'card')} match{note}")

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # --- selection and preview ----------------------------------------------------------

    def selected_uuids(self) -> list[str]:
        return [self.model.uuid_at(r) for r in self._selected_rows()]

    def _selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return sorted(r for r in rows if r < self.model.rowCount())

    def _selection_changed(self) -> None:
        chosen = self.selected_uuids()
        for act in self.selection_actions:
            act.setEnabled(bool(chosen))
        self.open_action.setEnabled(len(chosen) == 1)
        if len(chosen) != 1:
            self.preview.setHtml(
                "" if not chosen else f"<p>{counted(len(chosen), 'card')} selected</p>"
            )
            return
        if self._searched_now:
            # A search selected its first row: the table is drawn first, the preview next.
            QTimer.singleShot(0, self, lambda: self._preview_if_still(chosen[0]))
            return
        self.show_preview(chosen[0])

    def _preview_if_still(self, uuid: str) -> None:
        if self.selected_uuids() == [uuid]:
            self.show_preview(uuid)

    def show_preview(self, uuid: str) -> None:
        theme = current_theme()
        card = cards.preview_card(cards.load_card(self.col, uuid).data)
        answer = cards.model_answer(card)
        self.preview.setHtml(
            full_page(card, theme, answer_html(card, answer, grade(card, answer), theme))
        )

    def _context_menu(self, position: Any) -> None:
        menu = QMenu(self)
        for act in self.selection_actions:
            menu.addAction(act)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # --- actions ------------------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        """Whoever wrote (this window, the editor, an import, study, an undo), show it here.

        Rows are re-read one by one when the change names its cards; a change too big to
        name them (an import of thousands) or one that adds cards runs the search again,
        so new cards that match appear in their place.
        """
        if not (changes.card or changes.deck or changes.schedule or changes.collection):
            return
        if changes.undo:
            self.show_undone(changes)
            return
        if changes.deck or changes.added or changes.collection:
            self.reload_filters()
        if changes.collection or changes.added or (changes.card and not changes.cards):
            self._search_again()
            return
        if changes.deck and (changes.schedule or not changes.cards):
            # a deck's scheduler or FSRS parameters: its cards' recall moved
            if self.model.uses_recall():
                self._search_again()
                return
            self.model.reread_rows()
        self.model.refresh(changes)
        self._show_count()
        self._selection_changed()

    def open_editor(self) -> CardEditor | None:
        chosen = self.selected_uuids()
        if len(chosen) != 1:
            return None
        editor = CardEditor(self.col, card_uuid=chosen[0], parent=self)
        editor.show()
        self.editor = editor
        return editor

    def toggle_suspended(self) -> None:
        chosen = self.selected_uuids()
        if not chosen:
            return
        # Only the selected rows: reading every row would query all of a 100,000-card result.
        selected = (self.model.row_at(i) for i in self._selected_rows())
        suspend = not all(row.suspended for row in selected if row is not None)
        if self._run(lambda: cards.set_suspended(self.col, chosen, suspend)):
            self._say_done(("Suspended" if suspend else "Unsuspended"), len(chosen))

    def reset_progress(self) -> None:
        chosen = self.selected_uuids()
        if not chosen:
            return
        answer = QMessageBox.question(
            self,
            "Reset progress",
            f"Make {len(chosen)} card(s) new again? Their schedule starts over; their review "
            "history is kept.",
        )
        if answer == QMessageBox.StandardButton.Yes and self._run(
            lambda: cards.reset_progress(self.col, chosen)
        ):
            self._say_done("Reset", len(chosen))

    def move_to_deck(self) -> None:
        chosen = self.selected_uuids()
        own = [d for d in cards.list_deck_choices(self.col) if not d.shipped]
        if not chosen:
            return
        if not own:
            QMessageBox.information(
                self,
                "Move to deck",
                "Cards can only move into a deck of your own. Make one with Edit → New deck… first.",
            )
            return
        name, ok = QInputDialog.getItem(
            self, "Move to deck", f"Move {len(chosen)} card(s) to:", [d.name for d in own], 0, False
        )
        if ok:
            target = next(d for d in own if d.name == name)
            if self._run(lambda: cards.move_cards(self.col, chosen, target.uuid)):
                self._say_done("Moved", len(chosen))

    def delete_selected(self) -> None:
        chosen = self.selected_uuids()
        if not chosen:
            return
        reviews = cards.count_reviews(self.col, chosen)
        if reviews:
            # Undo brings them back, but only until quizapp closes: history still asks first.
            text = (
                f"Delete {len(chosen)} card(s)?\n\n{reviews} review(s) in their history will "
                "be deleted too. Edit → Undo (Ctrl+Z) brings them back until you quit quizapp."
            )
            box = QMessageBox(QMessageBox.Icon.Warning, "Delete cards", text, parent=self)
            delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            self.delete_box = box
            box.exec()
            if box.clickedButton() is not delete:
                return
        if self._run(lambda: cards.delete_cards(self.col, chosen, delete_history=bool(reviews))):
            self._say_done("Deleted", len(chosen))

    def _run(self, operation: Any) -> bool:
        """Run one of the browser's operations; the table redraws from its `Changes`."""
        try:
            operation()
        except cards.CardError as exc:
            plain.warning(self, "Not done", str(exc))
            return False
        return True

    def _say_done(self, done: str, count: int) -> None:
        self.statusBar().showMessage(f"{done} {counted(count, 'card')} (Ctrl+Z to undo)", 6000)

    def show_undone(self, changes: Changes) -> None:
        """After Edit → Undo: cards that came back need a new search to find their place."""
        if changes.added or changes.decks:
            self.reload_filters()
        if changes.added or (changes.decks and self.model.uses_recall()):
            self._search_again()
            return
        if changes.decks:
            self.model.reread_rows()  # an undone switch of scheduler moves every recall
        self.model.refresh(changes)
        self._show_count()
        self._selection_changed()
