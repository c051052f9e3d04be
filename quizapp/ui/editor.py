"""The card editor: a form that follows the card's kind, a live preview, checks as you type.

The form is turned into a card in the deck file's shape on every change and checked with
the deck file's own rules (`cards.validate_card`): each message appears under its field,
and Save stays disabled until there are none. The preview shows the question and, under
it, what a learner sees after answering right, rendered exactly as the study page does.

"Check with rustc" asks the real compiler, off the GUI thread (`ui.worker`), and fills in
whether the code compiles, its error codes and, for output cards, what it prints and
whether it panics. Running a program is running someone's code, so it asks first.

Shipped cards can be edited, but the editor says that the next quizapp update of the deck
may overwrite the change, and offers to copy the card into a deck of one's own instead.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.cardhtml import KIND_LABELS, answer_html, full_page
from quizapp.core.changes import Changes
from quizapp.core.grading import grade, letter
from quizapp.core.model import Kind
from quizapp.core.palette import palette
from quizapp.rustc import EDITIONS
from quizapp.services import cards
from quizapp.services.cards import CodeCheck, Problem
from quizapp.services.collection import Collection
from quizapp.ui import plain, worker
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.closing import add_close_keys
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.plain import plain_label
from quizapp.ui.theme import current_theme
from quizapp.ui.try_it import CodeEditor
from quizapp.ui.undo_action import find_undo_action

PREVIEW_DELAY_MS = 150
_FIELD_OF = re.compile(r"^([a-z_]+)")


def monospace() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def _text_box(lines: int, mono: bool = False) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    if mono:
        box.setFont(monospace())
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    height = box.fontMetrics().lineSpacing() * lines + 16
    box.setMinimumHeight(height)
    box.setMaximumHeight(height * 3)
    return box


def _error_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {palette(current_theme()).bad}; font-size: 12px;")
    label.setVisible(False)
    return label


class OptionRow(QWidget):
    """One choice option: correct?, its text, and why it is right or wrong."""

    removed = Signal(object)
    edited = Signal()

    def __init__(self, text: str = "", explanation: str = "", correct: bool = False) -> None:
        super().__init__()
        self.correct = QCheckBox("correct")
        self.correct.setChecked(correct)
        self.text = QLineEdit(text)
        self.text.setPlaceholderText("Option (Markdown)")
        self.explanation = QLineEdit(explanation)
        self.explanation.setPlaceholderText("Why it is right or wrong")
        self.remove = QPushButton("−")
        self.remove.setToolTip("Remove this option")
        self.remove.setFixedWidth(36)
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.correct, 0, 0)
        layout.addWidget(self.text, 0, 1)
        layout.addWidget(self.remove, 0, 2)
        layout.addWidget(self.explanation, 1, 1)
        self.correct.toggled.connect(lambda _c: self.edited.emit())
        self.text.textChanged.connect(lambda _t: self.edited.emit())
        self.explanation.textChanged.connect(lambda _t: self.edited.emit())


class CardEditor(QDialog):
    """Add a card (`deck_uuid`) or edit one (`card_uuid`); not modal, several may be open."""

    saved = Signal(object)
    """A `cards.Changes` after each save, duplicate or delete."""
    check_done = Signal(object)
    """The `CodeCheck` (or the error) when "Check with rustc" finishes."""

    def __init__(
        self,
        col: Collection,
        *,
        card_uuid: str | None = None,
        deck_uuid: str | None = None,
        kind: Kind = Kind.SHORT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.Window)
        resize_to_fit(self, 1180, 820)
        listen_for_changes(col, self, self.on_changes)
        self.card_uuid: str | None = None
        self.base: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.check_worker: worker.Worker | None = None
        self.run_consent = False
        self._loading = False
        self.touched = False
        """Whether the learner has edited this card yet: problems show only from then on."""
        self._build()
        if card_uuid is not None:
            self.load(card_uuid)
        else:
            self.start_new(deck_uuid, kind)

    # --- building the form --------------------------------------------------------------

    def _build(self) -> None:
        self.deck_box = QComboBox()
        self.deck_label = plain_label(QLabel(""))  # a deck's name comes from its file
        self.kind_box = QComboBox()
        for kind in Kind:
            self.kind_box.addItem(f"{kind.value} — {KIND_LABELS[kind]}", kind.value)
        self.shipped_note = QLabel("")
        self.shipped_note.setWordWrap(True)
        self.shipped_note.setStyleSheet(
            f"background: {palette(current_theme()).code_bg}; padding: 8px; border-radius: 6px;"
        )
        self.copy_button = QPushButton("Copy to my deck…")
        self.copy_button.clicked.connect(self.copy_to_own_deck)
        shipped = QHBoxLayout()
        shipped.addWidget(self.shipped_note, 1)
        shipped.addWidget(self.copy_button)
        self.shipped_row = QWidget()
        self.shipped_row.setLayout(shipped)

        self.prompt = _text_box(3)
        self.prompt.setPlaceholderText("The question, in Markdown")
        # Try it's editor: Rust coloured as on the cards, 4-space Tab, Enter keeps the indent.
        self.code = CodeEditor(current_theme())
        height = self.code.fontMetrics().lineSpacing() * 8 + 16
        self.code.setMinimumHeight(height)
        self.code.setMaximumHeight(height * 3)
        self.code.setPlaceholderText("fn main() {\n}")
        self.edition = QComboBox()
        self.edition.addItems(list(EDITIONS))
        self.compiles = QCheckBox("It compiles")
        self.errors = QLineEdit()
        self.errors.setFont(monospace())
        self.errors.setPlaceholderText("E0382 E0499 (the codes rustc gives)")
        self.ask_error = QCheckBox("Ask the learner for the error code")
        self.stdout = _text_box(3, mono=True)
        self.stdout.setPlaceholderText("What the program prints (exactly)")
        self.panics = QCheckBox("It panics (after printing the above)")
        self.options_box = QVBoxLayout()
        self.options_box.setSpacing(2)
        self.option_rows: list[OptionRow] = []
        self.add_option = QPushButton("+ Add option")
        self.add_option.clicked.connect(lambda: self._add_option_row(OptionRow()))
        self.multiple = QCheckBox("Several options may be picked")
        self.accepted = _text_box(2, mono=True)
        self.accepted.setPlaceholderText("One accepted answer per line")
        self.back = _text_box(4)
        self.back.setPlaceholderText("The answer side, in Markdown")
        self.explanation = _text_box(3)
        self.explanation.setPlaceholderText("Why (Markdown), shown after answering")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("ownership borrowing (separated by spaces)")

        self.check_button = QPushButton("Check with rustc")
        self.check_button.setToolTip(
            "Compile the code with your rustc (and run it, for an output card) and fill in "
            "the answer from what it says"
        )
        self.check_button.clicked.connect(self.check_with_rustc)
        self.cancel_check = QPushButton("Cancel")
        self.cancel_check.clicked.connect(self.cancel_rustc)
        self.check_progress = QProgressBar()
        self.check_progress.setRange(0, 0)
        self.check_progress.setTextVisible(False)
        self.check_status = QLabel("")
        self.check_status.setObjectName("muted")
        self.check_status.setWordWrap(True)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.check_progress, 1)
        check_row.addWidget(self.cancel_check)
        check_row.addWidget(self.check_status, 2)
        self._set_checking(False)

        self.field_errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = form
        self.rows: dict[str, tuple[QWidget, ...]] = {}

        def add(name: str, label: str, *widgets: QWidget | QHBoxLayout | QVBoxLayout) -> None:
            holder = QWidget()
            inner = QVBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            for w in widgets:
                if isinstance(w, QWidget):
                    inner.addWidget(w)
                else:
                    inner.addLayout(w)
            error = _error_label()
            inner.addWidget(error)
            self.field_errors[name] = error
            title = QLabel(label)
            form.addRow(title, holder)
            self.rows[name] = (title, holder)

        deck_row = QHBoxLayout()
        deck_row.addWidget(self.deck_box, 1)
        deck_row.addWidget(self.deck_label, 1)
        new_deck = QPushButton("New deck…")
        new_deck.clicked.connect(self.new_deck)
        self.new_deck_button = new_deck
        deck_row.addWidget(new_deck)
        add("deck", "Deck", deck_row)
        add("kind", "Kind", self.kind_box)
        add("prompt", "Prompt", self.prompt)
        code_row = QHBoxLayout()
        code_row.addWidget(QLabel("Edition"))
        code_row.addWidget(self.edition)
        code_row.addStretch(1)
        add("code", "Code", self.code, code_row)
        add("compiles", "Compiles", self.compiles, self.ask_error)
        add("errors", "Errors", self.errors)
        add("stdout", "Output", self.stdout, self.panics)
        options_col = QVBoxLayout()
        options_col.addLayout(self.options_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_option)
        buttons.addWidget(self.multiple)
        buttons.addStretch(1)
        options_col.addLayout(buttons)
        add("options", "Options", options_col)
        add("answer", "Accepted", self.accepted)
        add("back", "Back", self.back)
        add("explanation", "Explanation", self.explanation)
        add("tags", "Tags", self.tags)
        check_holder = QWidget()
        check_holder.setLayout(check_row)
        form.addRow(QLabel(""), check_holder)
        self.rows["check"] = (check_holder,)

        form_widget = QWidget()
        form_widget.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)

        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.document().setDocumentMargin(14)
        preview_side = QVBoxLayout()
        preview_title = QLabel(
            "Preview — the question, then what the learner sees after a right answer"
        )
        preview_title.setObjectName("muted")
        preview_side.addWidget(preview_title)
        preview_side.addWidget(self.preview, 1)
        preview_widget = QWidget()
        preview_widget.setLayout(preview_side)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(preview_widget)
        splitter.setSizes([640, 540])

        self.general_errors = _error_label()
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Save  (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("primary")
        self.duplicate_button = self.buttons.addButton(
            "Duplicate", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.delete_button = self.buttons.addButton(
            "Delete…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        self.close_button.clicked.connect(self.close)
        save_key = QAction(self)
        save_key.setShortcut(QKeySequence.StandardKey.Save)
        save_key.triggered.connect(lambda _c=False: self.save())
        self.addAction(save_key)

        layout = QVBoxLayout(self)
        layout.addWidget(self.shipped_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.general_errors)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        # Edit → Undo of the main window (one stack; Ctrl+Z outside a text box does the same):
        # text boxes keep Ctrl+Z for their typing, so the editor shows the action as a button.
        self.undo_button = QToolButton()
        undo_action = find_undo_action(self)
        if undo_action is not None:
            self.undo_button.setDefaultAction(undo_action)
        self.undo_button.setVisible(undo_action is not None)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.update_preview)
        for box in (
            self.prompt,
            self.code,
            self.stdout,
            self.accepted,
            self.back,
            self.explanation,
        ):
            box.textChanged.connect(self.on_edited)
        for line in (self.errors, self.tags):
            line.textChanged.connect(lambda _t: self.on_edited())
        for check in (self.compiles, self.ask_error, self.panics, self.multiple):
            check.toggled.connect(lambda _c: self.on_edited())
        self.edition.currentIndexChanged.connect(lambda _i: self.on_edited())
        self.kind_box.currentIndexChanged.connect(lambda _i: self.on_kind_changed())

    def _add_option_row(self, row: OptionRow) -> None:
        self.option_rows.append(row)
        self.options_box.addWidget(row)
        row.removed.connect(self._remove_option_row)
        row.edited.connect(self.on_edited)
        self.on_edited()

    def _remove_option_row(self, row: OptionRow) -> None:
        self.option_rows.remove(row)
        self.options_box.removeWidget(row)
        row.deleteLater()
        self.on_edited()

    # --- loading ------------------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        """Decks made or renamed elsewhere appear in the deck box; a card deleted elsewhere
        while it is open here can no longer be saved, and the editor says so."""
        if changes.deck and self.card_uuid is None:
            self._fill_decks(self.deck_box.currentData())
        if self.card_uuid is not None and self.card_uuid in changes.deleted:
            self.status.setText("This card was deleted; Edit → Undo brings it back.")
            self.save_button.setEnabled(False)
        elif self.card_uuid is not None and changes.undo and self.card_uuid in changes.cards:
            self.save_button.setEnabled(True)

    def _fill_decks(self, selected: str | None) -> None:
        self.deck_box.blockSignals(True)
        self.deck_box.clear()
        for deck in cards.list_deck_choices(self.col):
            if not deck.shipped:
                self.deck_box.addItem(deck.name, deck.uuid)
        self.deck_box.setCurrentIndex(max(0, self.deck_box.findData(selected)))
        self.deck_box.blockSignals(False)

    def start_new(self, deck_uuid: str | None, kind: Kind) -> None:
        """An empty card of `kind`, to be added to one of the learner's own decks."""
        self.card_uuid = None
        self._fill_decks(deck_uuid)
        self.setWindowTitle("Add card — quizapp")
        self.deck_box.setVisible(True)
        self.new_deck_button.setVisible(True)
        self.deck_label.setVisible(False)
        self.kind_box.setEnabled(True)
        self.shipped_row.setVisible(False)
        self.duplicate_button.setVisible(False)
        self.delete_button.setVisible(False)
        self.save_button.setText("Add  (Ctrl+S)")
        self._load_data(cards.new_card_data(kind))

    def load(self, card_uuid: str) -> None:
        found = cards.load_card(self.col, card_uuid)
        self.card_uuid = card_uuid
        self.setWindowTitle(f"Edit card — {found.deck_name} — quizapp")
        self.deck_box.setVisible(False)
        self.new_deck_button.setVisible(False)
        self.deck_label.setText(found.deck_name)
        self.deck_label.setVisible(True)
        self.kind_box.setEnabled(found.reviews == 0)
        self.kind_box.setToolTip(
            "" if found.reviews == 0 else "A card with review history keeps its kind"
        )
        self.shipped_row.setVisible(found.shipped)
        self.shipped_note.setText(
            f"This card ships with quizapp (“{found.deck_name}”). You can edit it, but the next "
            "quizapp update of this deck may overwrite your changes. To keep your version, "
            "copy it into a deck of your own."
        )
        self.duplicate_button.setVisible(True)
        self.delete_button.setVisible(True)
        self.save_button.setText("Save  (Ctrl+S)")
        self._load_data(found.data)
        self.status.setText(
            f"{found.reviews} review(s) in this card's history"
            if found.reviews
            else "Not studied yet"
        )

    def _load_data(self, data: dict[str, Any]) -> None:
        """Put a card (deck-file shape) into the form."""
        self._loading = True
        self.base = dict(data)
        kind = Kind(data["kind"])
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind.value))
        self.prompt.setPlainText(data.get("prompt", ""))
        self.code.setPlainText(data.get("code", ""))
        self.edition.setCurrentText(data.get("edition", "2021"))
        self.compiles.setChecked(bool(data.get("compiles", True)))
        self.errors.setText(" ".join(data.get("errors", [])))
        self.ask_error.setChecked(bool(data.get("ask_error", False)))
        self.stdout.setPlainText(data.get("stdout") or "")
        self.panics.setChecked(bool(data.get("panics", False)))
        for row in list(self.option_rows):
            self.options_box.removeWidget(row)
            row.deleteLater()
        self.option_rows = []
        if kind is Kind.CHOICE:
            answer = set(data.get("answer", []))
            explanations = list(data.get("explanations", []))
            for i, text in enumerate(data.get("options", [])):
                why = explanations[i] if i < len(explanations) else ""
                self._add_option_row(OptionRow(text, why, i in answer))
        self.multiple.setChecked(bool(data.get("multiple", False)))
        self.accepted.setPlainText("\n".join(data.get("answer", [])) if kind is Kind.SHORT else "")
        self.back.setPlainText(data.get("back", ""))
        self.explanation.setPlainText(data.get("explanation", ""))
        self.tags.setText(" ".join(data.get("tags", [])))
        self._loading = False
        self._show_fields(kind)
        # A fresh card is all empty fields: say what is missing once the learner has
        # started, not as a wall of red before the first key (Save stays off meanwhile).
        self.touched = self.card_uuid is not None  # an existing card's problems are news
        self._refresh()

    # --- the form as a card -------------------------------------------------------------

    def kind(self) -> Kind:
        return Kind(self.kind_box.currentData())

    def card_data(self) -> dict[str, Any]:
        """The form as a card in the deck file's shape (what validation and save take)."""
        kind = self.kind()
        data: dict[str, Any] = {
            "id": self.base.get("id"),
            "kind": kind.value,
            "prompt": self.prompt.toPlainText(),
        }
        code = self.code.toPlainText()
        if code or kind.has_code:
            data["code"] = code
        if self.edition.currentText() != "2021":
            data["edition"] = self.edition.currentText()
        if self.explanation.toPlainText():
            data["explanation"] = self.explanation.toPlainText()
        tags = self.tags.text().split()
        if tags:
            data["tags"] = tags
        if kind is Kind.COMPILES:
            data["compiles"] = self.compiles.isChecked()
            errors = [e for e in re.split(r"[\s,;]+", self.errors.text().strip().upper()) if e]
            if errors:
                data["errors"] = errors
            if self.ask_error.isChecked():
                data["ask_error"] = True
        elif kind is Kind.OUTPUT:
            stdout = self.stdout.toPlainText()
            if stdout or not (self.base.get("stdout") is None and self.panics.isChecked()):
                data["stdout"] = stdout
            data["panics"] = self.panics.isChecked()
        elif kind is Kind.CHOICE:
            data["options"] = [row.text.text() for row in self.option_rows]
            data["answer"] = [
                i for i, row in enumerate(self.option_rows) if row.correct.isChecked()
            ]
            data["explanations"] = [row.explanation.text() for row in self.option_rows]
            if self.multiple.isChecked():
                data["multiple"] = True
        elif kind is Kind.SHORT:
            data["answer"] = [
                line.strip() for line in self.accepted.toPlainText().splitlines() if line.strip()
            ]
        else:
            data["back"] = self.back.toPlainText()
        checked = self.base.get("checked")
        if checked and kind.has_code and self.base.get("kind") == kind.value:
            data["checked"] = checked
        return data

    def on_kind_changed(self) -> None:
        if self._loading:
            return
        kind = self.kind()
        if kind is Kind.CHOICE and not self.option_rows:
            for _ in range(2):
                self._add_option_row(OptionRow())
        self._show_fields(kind)
        self.on_edited()

    def _show_fields(self, kind: Kind) -> None:
        visible = {
            "compiles": kind is Kind.COMPILES,
            "errors": kind is Kind.COMPILES,
            "stdout": kind is Kind.OUTPUT,
            "options": kind is Kind.CHOICE,
            "answer": kind is Kind.SHORT,
            "back": kind is Kind.FLASHCARD,
            "check": kind.has_code,
        }
        for name, shown in visible.items():
            for widget in self.rows[name]:
                widget.setVisible(shown)
        self.code.setPlaceholderText(
            "fn main() {\n}" if kind.has_code else "Optional code shown under the prompt"
        )

    def on_edited(self) -> None:
        if self._loading:
            return
        self.touched = True
        self._refresh()

    def _refresh(self) -> None:
        self.validate()
        self.preview_timer.start()

    def validate(self) -> list[Problem]:
        """Check the form with the deck file's rules; messages go under their fields."""
        data = self.card_data()
        self.problems = cards.validate_card(data)
        shown: dict[str, list[str]] = {name: [] for name in self.field_errors}
        general: list[str] = []
        for problem in self.problems:
            match = _FIELD_OF.match(problem.field)
            name = match.group(1) if match else ""
            if name in ("explanations", "multiple"):
                name = "options"
            if name == "panics":
                name = "stdout"
            if name == "ask_error":
                name = "compiles"
            message = _friendly(problem)
            if problem.field == "answer" and not data.get("answer"):
                message = (
                    "mark at least one option as correct"
                    if self.kind() is Kind.CHOICE
                    else "needs at least one accepted answer"
                )
            if name == "answer" and self.kind() is Kind.CHOICE:
                name = "options"
            shown.get(name, general).append(message)
        for name, label in self.field_errors.items():
            label.setText("\n".join(shown[name]))
            label.setVisible(bool(shown[name]) and self.touched)
        self.general_errors.setText("\n".join(general))
        self.general_errors.setVisible(bool(general) and self.touched)
        needs_deck = self.card_uuid is None and self.deck_box.currentData() is None
        if needs_deck:
            self.field_errors["deck"].setText("Make a deck of your own first (New deck…)")
            self.field_errors["deck"].setVisible(True)
        self.save_button.setEnabled(not self.problems and not needs_deck)
        self.check_button.setEnabled(
            self.check_worker is None
            and self.kind().has_code
            and bool(self.code.toPlainText().strip())
        )
        return self.problems

    def update_preview(self) -> None:
        self.preview_timer.stop()
        theme = current_theme()
        card = cards.preview_card(self.card_data())
        question_only = full_page(card, theme)
        if self.problems:
            self.preview.setHtml(question_only)
            return
        try:
            answer = cards.model_answer(card)
            verdict = grade(card, answer)
            html = full_page(card, theme, answer_html(card, answer, verdict, theme))
        except (ValueError, IndexError, KeyError):  # a half-typed card: the question will do
            html = question_only
        self.preview.setHtml(html)

    # --- saving and the rest ------------------------------------------------------------

    def save(self) -> Changes | None:
        self.touched = True  # asked to save: now every problem is worth showing
        if self.validate():
            return None
        data = self.card_data()
        try:
            if self.card_uuid is None:
                deck = self.deck_box.currentData()
                changes = cards.add_card(self.col, deck, data)
            else:
                changes = cards.edit_card(self.col, self.card_uuid, data)
        except cards.CardError as exc:
            self.general_errors.setText(str(exc))
            self.general_errors.setVisible(True)
            return None
        self.saved.emit(changes)
        if self.card_uuid is None:
            # Ready for the next card of the same kind and deck, keeping the tags.
            tags = self.tags.text()
            self._load_data(cards.new_card_data(self.kind()))
            self._loading = True  # the kept tags are not the learner's first edit
            self.tags.setText(tags)
            self._loading = False
            self.check_status.setText("")  # that check was of the card just added
            self.status.setText("Card added (Undo takes it back). Write the next one, or close.")
            self.prompt.setFocus()
        else:
            self.base = dict(data)
            self.status.setText("Saved.")
            self.close()
        return changes

    def duplicate(self) -> None:
        if self.card_uuid is None:
            return
        found = cards.load_card(self.col, self.card_uuid)
        target = None
        if found.shipped:
            target = self._choose_own_deck("Copy the card into:")
            if target is None:
                return
        self._duplicate_into(target)

    def copy_to_own_deck(self) -> None:
        target = self._choose_own_deck("Copy this shipped card into your deck:")
        if target is not None:
            self._duplicate_into(target)

    def _duplicate_into(self, deck_uuid: str | None) -> None:
        assert self.card_uuid is not None
        try:
            changes = cards.duplicate_card(self.col, self.card_uuid, deck_uuid)
        except cards.CardError as exc:
            plain.warning(self, "Not copied", str(exc))
            return
        self.saved.emit(changes)
        self.load(changes.added[0])
        self.status.setText("This is the copy; the original is unchanged.")

    def _choose_own_deck(self, question: str) -> str | None:
        own = [d for d in cards.list_deck_choices(self.col) if not d.shipped]
        if not own:
            return new_deck_dialog(self.col, self)
        names = [d.name for d in own]
        name, ok = QInputDialog.getItem(self, "Choose a deck", question, names, 0, False)
        return own[names.index(name)].uuid if ok else None

    def delete(self) -> None:
        if self.card_uuid is None:
            return
        reviews = cards.count_reviews(self.col, [self.card_uuid])
        text = "Delete this card?"
        if reviews:
            text += (
                f"\n\n{reviews} review(s) in its history will be deleted too. Edit → Undo "
                "(Ctrl+Z) brings them back until you quit quizapp."
            )
        answer = QMessageBox.warning(
            self,
            "Delete card",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        changes = cards.delete_cards(self.col, [self.card_uuid], delete_history=bool(reviews))
        self.saved.emit(changes)
        self.close()

    def new_deck(self) -> None:
        uuid = new_deck_dialog(self.col, self)
        if uuid is not None:
            self._fill_decks(uuid)
            self.on_edited()

    # --- rustc ---------------------------------------------------------------------------

    def check_with_rustc(self) -> None:
        kind = self.kind()
        if not kind.has_code or self.check_worker is not None:
            return
        run = kind is Kind.OUTPUT
        if run and not self.ask_run_consent():
            return
        code, edition = self.code.toPlainText(), self.edition.currentText()
        self.check_worker = worker.start(
            lambda _progress, cancel: cards.check_code(code, edition, run=run, cancel=cancel)
        )
        self.check_worker.signals.finished.connect(self._check_finished)
        self.check_worker.signals.failed.connect(self._check_failed)
        self.check_worker.signals.cancelled.connect(self._check_cancelled)
        self._set_checking(True)
        self.check_status.setText("Compiling…" if not run else "Compiling and running…")

    def ask_run_consent(self) -> bool:
        """Running the program runs its author's code: ask once per editor."""
        if self.run_consent:
            return True
        answer = QMessageBox.question(
            self,
            "Run this program?",
            "To fill in what it prints, quizapp compiles this program and runs it on your "
            "computer (with a time limit, capped output and no input). Run it only if you "
            "trust the code.",
        )
        self.run_consent = answer == QMessageBox.StandardButton.Yes
        return self.run_consent

    def cancel_rustc(self) -> None:
        if self.check_worker is not None:
            self.check_worker.cancel()

    def _set_checking(self, busy: bool) -> None:
        self.check_progress.setVisible(busy)
        self.cancel_check.setVisible(busy)
        self.check_button.setEnabled(not busy)

    def _check_done(self) -> None:
        self.check_worker = None
        self._set_checking(False)
        self.validate()

    def _check_finished(self, result: CodeCheck) -> None:
        self._check_done()
        filled = cards.apply_code_check(self.card_data(), result)
        self._load_data({**filled, "id": self.base.get("id")})
        if result.compiles:
            text = "rustc: it compiles."
            if result.ran:
                text += " It panics." if result.panics else " It ran to the end."
        else:
            codes = ", ".join(result.errors) or "an error without a code"
            text = f"rustc: it does not compile ({codes})."
        if result.uncoded_errors:
            text += f" Also: {result.uncoded_errors[0]}"
        if result.problem:
            text += f" {result.problem}; the output was not filled in."
        self.check_status.setText(text + " The answer fields are filled in.")
        self.check_done.emit(result)

    def _check_failed(self, error: object) -> None:
        self._check_done()
        self.check_status.setText(f"Could not check: {error}")
        self.check_done.emit(error)

    def _check_cancelled(self) -> None:
        self._check_done()
        self.check_status.setText("Check cancelled.")
        self.check_done.emit(None)

    def closeEvent(self, event: Any) -> None:
        self.cancel_rustc()
        super().closeEvent(event)


def _friendly(problem: Problem) -> str:
    """The deck file's message, said for a form rather than a file where it reads oddly."""
    message = problem.message
    if message == "'' should be non-empty":
        message = "is empty"
    elif message.endswith("should be non-empty"):
        message = "needs at least one entry"
    elif "is too short" in message and problem.field == "options":
        message = "needs at least two options"
    elif "does not match" in message and problem.field.startswith("errors"):
        message = "error codes look like E0382"
    elif "does not match" in message and problem.field.startswith("tags"):
        message = "a tag has no spaces"
    index = re.search(r"\[(\d+)\]", problem.field)
    if index is None:
        return message
    if problem.field.startswith(("options", "explanations")):
        return f"option {letter(int(index.group(1)))}: {message}"
    return f"{problem.field}: {message}"


class NewDeckDialog(QDialog):
    """A deck of one's own: a name (required), a section and a description."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.created: str | None = None
        self.setWindowTitle("New deck")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Our service's error handling")
        self.section = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(90)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Section", self.section)
        form.addRow("Description", self.description)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(lambda _t: self.validate())
        self.validate()

    def validate(self) -> bool:
        problems = cards.validate_deck_fields(
            self.name.text().strip(), self.section.text(), self.description.toPlainText()
        )
        self.error.setText("\n".join(f"{p.field}: {_friendly(p)}" for p in problems))
        self.error.setVisible(bool(problems) and bool(self.name.text()))
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok_button.setEnabled(not problems)
        return not problems

    def create(self) -> None:
        if not self.validate():
            return
        changes = cards.create_deck(
            self.col, self.name.text().strip(), self.section.text(), self.description.toPlainText()
        )
        self.created = changes.decks[0]
        self.accept()


def new_deck_dialog(col: Collection, parent: QWidget | None = None) -> str | None:
    """Ask for a new deck; its UUID, or None if the learner cancelled."""
    dialog = NewDeckDialog(col, parent)
    dialog.exec()
    return dialog.created
