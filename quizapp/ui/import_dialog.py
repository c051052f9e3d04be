"""File → Import… and File → Export deck…: a preview before anything changes, then the work
off the GUI thread.

The dialog reads and plans the file in a worker, shows per deck what will be added, changed and removed, and imports only when the
learner says so. Removed cards are hidden with their history kept; deleting them and their
history is a checkbox that starts off. The import runs in a worker with a progress bar;
Cancel rolls the one transaction back, so a cancelled import leaves nothing behind.

A CSV or mdbook-quiz file (one deck, named after its file) asks what to call its deck, or
which deck of one's own to add its cards to; the preview is planned again for the choice.
An Anki package says how many of its cards come in as flashcards (notes that carry no
quizapp card), before anything changes.

An mdbook-quiz program that does not compile is read without rustc's error codes (reading
compiles nothing). The preview says which cards those are and offers to compile them: a
consent box like Try it's (whose code, how rustc is contained here, "Don't compile" the
default) and then rustc in a worker, cancellable; the preview is planned again with each
card's verdict and codes, and still names the cards rustc could not fill in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.bundle import Bundle
from quizapp.core.palette import palette
from quizapp.core.shown import MAX_ECHO, clip
from quizapp.core.wording import count
from quizapp.services import cards
from quizapp.services.collection import Collection
from quizapp.services.exchange import (
    DeckPlan,
    ImportPlan,
    ImportResult,
    apply_import,
    export_deck,
    plan_import,
)
from quizapp.services.importers import READERS, WRITERS, read_bundle
from quizapp.services.quiz_errors import (
    Compiled,
    compile_consent_text,
    compile_uncompiled,
    left_lines,
)
from quizapp.ui import plain, worker
from quizapp.ui.closing import add_close_keys
from quizapp.ui.host import Host
from quizapp.ui.plain import plain_tip
from quizapp.ui.theme import current_theme

SHOWN_PER_GROUP = 200
"""Cards listed under each heading; the rest are counted, so a huge deck previews quickly."""


class ImportDialog(QDialog):
    imported = Signal(object)
    """The `ImportResult`, once the import is committed."""

    def __init__(self, col: Collection, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.path = path
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.job: worker.Worker | None = None
        self.setWindowTitle(f"Import {path.name}")
        self.resize(880, 560)  # wide enough for a deck line and its counts
        self.heading = QLabel(f"Reading {path.name}…")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.bundle: Bundle | None = None
        """The file as read, before any name is chosen: each choice is planned from it."""
        self.deck_choice = QWidget()
        self.new_deck = QRadioButton("New deck named")
        self.deck_name = QLineEdit()
        self.into_deck = QRadioButton("Add the cards to")
        self.target = QComboBox()
        choice = QButtonGroup(self.deck_choice)
        choice.addButton(self.new_deck)
        choice.addButton(self.into_deck)
        grid = QGridLayout(self.deck_choice)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.new_deck, 0, 0)
        grid.addWidget(self.deck_name, 0, 1)
        grid.addWidget(self.into_deck, 1, 0)
        grid.addWidget(self.target, 1, 1)
        grid.setColumnStretch(1, 1)
        self.deck_choice.hide()
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.uncompiled = QLabel("")
        self.uncompiled.setTextFormat(Qt.TextFormat.PlainText)  # places name the file's path
        self.uncompiled.setWordWrap(True)
        self.uncompiled.hide()
        self.compile_button = QPushButton("Compile them with rustc…")
        self.compile_button.setAutoDefault(False)
        self.compile_button.clicked.connect(self.ask_to_compile)
        self.compile_button.hide()
        self.compile_box: QMessageBox | None = None
        self.compiled: Compiled | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        # A deck's line ends in its counts ("… 0 removed · 3 unchanged"): scroll to it
        # rather than cut it short with an ellipsis.
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.errors = QLabel("")
        self.errors.setTextFormat(Qt.TextFormat.PlainText)  # a deck name is not markup
        self.errors.setObjectName("error")
        self.errors.setWordWrap(True)
        self.errors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors.hide()
        self.delete_removed = QCheckBox("Delete removed cards and their history")
        self.delete_removed.setToolTip(
            "Off: cards no longer in the file are hidden and keep their reviews.\n"
            "On: they are deleted, with every review of them. This cannot be undone."
        )
        self.delete_removed.hide()
        self.with_progress = QCheckBox(
            "Also take the file's scheduling (for cards never studied here)"
        )
        self.with_progress.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.deck_choice)
        layout.addWidget(self.notice)
        layout.addWidget(self.uncompiled)
        layout.addWidget(self.compile_button)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.delete_removed)
        layout.addWidget(self.with_progress)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._start_planning()

    # ------------------------------------------------------------ planning

    def _start_planning(self) -> None:
        col, path = self.col, self.path

        def job(_progress: Any, _cancel: Any) -> ImportPlan:
            return plan_import(col, read_bundle(path))

        self.job = worker.start(job)
        self.job.signals.finished.connect(self._planned)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self.reject)

    def _planned(self, plan: ImportPlan) -> None:
        self.job = None
        self.progress.hide()
        self.bundle = plan.bundle
        if plan.ok and _names_choosable(self.path, plan):
            self._offer_deck_choice(plan)
        self._show_plan(plan)
        if plan.ok:
            self.import_button.setFocus()

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.tree.clear()
        if not plan.ok:
            if self.deck_choice.isHidden():
                self._show_errors("\n".join(plan.errors))
                return
            self.errors.setText("\n".join(plan.errors))  # a name to correct, not a dead end
            self.errors.show()
            self.import_button.setEnabled(False)
            return
        self.errors.hide()
        self._show_uncompiled(plan)
        decks = len(plan.decks)
        self.heading.setText(
            f"{self.path.name}: {count(decks, 'deck')}, "
            f"{count(plan.card_count, 'card')}. Nothing changes until you press Import."
        )
        self._show_flattened(plan)
        for deck_plan in plan.decks:
            item = _deck_item(deck_plan, into=plan.into_existing)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            for i in range(item.childCount()):  # only once in the tree does expanding hold
                item.child(i).setExpanded(len(plan.decks) == 1)
        removed = sum(len(d.removed) for d in plan.decks)
        self.delete_removed.setVisible(bool(removed))
        if removed:
            reviews = sum(d.removed_reviews for d in plan.decks)
            self.delete_removed.setText(
                f"Delete the {count(removed, 'removed card')} and "
                f"{'its' if removed == 1 else 'their'} history "
                f"({count(reviews, 'review')})"
            )
        if plan.progress_cards:
            self.with_progress.show()
        self.import_button.setEnabled(True)

    def _show_flattened(self, plan: ImportPlan) -> None:
        flat = len(plan.bundle.flattened)
        if not flat:
            self.notice.hide()
            return
        kept = plan.card_count - flat
        which = f"All {flat} cards" if not kept else f"{flat} of the {plan.card_count} cards"
        text = (
            f"{which} will become flashcards: their Anki "
            "notes carry no quizapp card (made in Anki, or exported by an older quizapp), so "
            "they show a front and a back and you grade yourself."
        )
        if kept:
            text += f" The other {kept} keep their quizapp kinds."
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {palette(current_theme()).bad};")
        self.notice.show()

    def _show_uncompiled(self, plan: ImportPlan) -> None:
        """Which cards have no error code from rustc (yet), and the offer to ask it."""
        pending = len(plan.bundle.uncompiled)
        if not pending:
            self.uncompiled.hide()
            self.compile_button.hide()
            return
        places = "\n".join(
            clip(line, 2 * MAX_ECHO) for line in left_lines(self.compiled, plan.bundle)
        )
        if self.compiled is None:
            head = (
                f"{count(pending, 'program')} that "
                f"{'does not compile was' if pending == 1 else 'do not compile were'} read "
                "without rustc's error codes (reading a file compiles nothing): until rustc "
                "is asked, their cards ask on which line rustc reports the error, or whether "
                "the program compiles."
            )
        else:
            head = (
                f"rustc named the errors of {count(self.compiled.filled, 'card')}; "
                f"{pending} left without an error code:"
            )
        self.uncompiled.setText(f"{head}\n{places}")
        self.uncompiled.show()
        self.compile_button.setVisible(self.compiled is None)

    def ask_to_compile(self) -> None:
        """The consent box: nothing is compiled before the learner says so."""
        if self.bundle is None or self.job is not None or self.compile_box is not None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Compile these programs?")
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file's name is not markup
        box.setText(f"Compile the programs of {self.path.name} with your rustc?")
        box.setInformativeText(compile_consent_text(len(self.bundle.uncompiled)))
        go = box.addButton("Compile", QMessageBox.ButtonRole.AcceptRole)
        dont = box.addButton("Don't compile", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(dont)
        box.setEscapeButton(dont)
        box.setProperty("compile_button", go)
        box.finished.connect(self._compile_answered)
        self.compile_box = box
        box.open()

    def _compile_answered(self, _result: int) -> None:
        box, self.compile_box = self.compile_box, None
        if box is None:
            return
        agreed = box.clickedButton() is box.property("compile_button")
        box.deleteLater()
        if agreed and self.bundle is not None and self.job is None:
            self._start_compiling(self.bundle)

    def _start_compiling(self, bundle: Bundle) -> None:
        def job(progress: Any, cancel: Any) -> Compiled:
            return compile_uncompiled(bundle, progress=progress, cancel=cancel)

        self.import_button.setEnabled(False)
        self.compile_button.setEnabled(False)
        self.deck_choice.setEnabled(False)
        self.progress.setRange(0, max(1, len(bundle.uncompiled)))
        self.progress.setValue(0)
        self.progress.show()
        self.heading.setText(f"Compiling the programs of {self.path.name}…")
        self.job = worker.start(job)
        self.job.signals.progress.connect(self._progressed)
        self.job.signals.finished.connect(self._compiled)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._compile_cancelled)

    def _compiled(self, compiled: Compiled) -> None:
        self.job = None
        self.progress.hide()
        self.compiled = compiled
        self.bundle = compiled.bundle
        self.compile_button.setEnabled(True)
        self.deck_choice.setEnabled(True)
        self._show_plan(plan_import(self.col, compiled.bundle, **self.chosen()))

    def _compile_cancelled(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.setEnabled(True)
        self.compile_button.setEnabled(True)
        self.deck_choice.setEnabled(True)
        if self.plan is not None:
            self._show_plan(self.plan)
        self.heading.setText(
            f"{self.heading.text()} Compiling was cancelled: nothing was compiled into the deck."
        )

    def _offer_deck_choice(self, plan: ImportPlan) -> None:
        """What to call the file's deck (its current name if imported before), or where to
        add its cards: any deck of one's own."""
        (deck_plan,) = plan.decks
        self.deck_name.setText(deck_plan.renamed_from or deck_plan.deck.name)
        own = [d for d in cards.list_deck_choices(self.col) if not d.shipped]
        for d in own:
            self.target.addItem(d.name, d.uuid)
        self.into_deck.setEnabled(bool(own))
        self.target.setEnabled(False)
        if not own:
            self.target.addItem("(no deck of your own yet)")
            self.into_deck.setToolTip("Decks shipped with quizapp take no imported cards")
        self.new_deck.setChecked(True)
        self.new_deck.toggled.connect(self._choice_changed)
        self.deck_name.textChanged.connect(lambda _t: self._replan())  # cheap: no file read
        self.deck_name.textEdited.connect(lambda _t: self.new_deck.setChecked(True))
        self.target.currentIndexChanged.connect(lambda _i: self._replan())
        self.deck_choice.show()

    def _choice_changed(self, new_deck: bool) -> None:
        self.deck_name.setEnabled(new_deck)
        self.target.setEnabled(not new_deck and self.into_deck.isEnabled())
        self._replan()

    def chosen(self) -> dict[str, str]:
        """`plan_import`'s naming arguments for what the dialog shows now."""
        if self.deck_choice.isHidden():
            return {}
        if self.into_deck.isChecked() and self.target.currentData():
            return {"target_deck": str(self.target.currentData())}
        return {"deck_name": self.deck_name.text()}

    def _replan(self) -> None:
        if self.bundle is None or self.job is not None:
            return
        plan = plan_import(self.col, self.bundle, **self.chosen())
        if self.plan is None or plan.decks != self.plan.decks or plan.errors != self.plan.errors:
            self._show_plan(plan)

    # ------------------------------------------------------------ importing

    def start_import(self) -> None:
        self._replan()  # the plan is the one for the name shown, whatever was typed last
        if self.plan is None or not self.plan.ok or self.job is not None:
            return
        if self.delete_removed.isChecked() and not self._confirm_delete():
            return
        col, plan = self.col, self.plan
        delete, with_progress = self.delete_removed.isChecked(), self.with_progress.isChecked()

        def job(progress: Any, cancel: Any) -> ImportResult:
            return apply_import(
                col,
                plan,
                delete_removed=delete,
                with_progress=with_progress,
                progress=progress,
                cancel=cancel,
            )

        self.import_button.setEnabled(False)
        self.deck_choice.setEnabled(False)
        self.delete_removed.setEnabled(False)
        self.with_progress.setEnabled(False)
        self.progress.setRange(0, max(1, plan.card_count))
        self.progress.setValue(0)
        self.progress.show()
        self.heading.setText(f"Importing {self.path.name}…")
        self.job = worker.start(job)
        self.job.signals.progress.connect(self._progressed)
        self.job.signals.finished.connect(self._imported)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._cancelled)

    def _confirm_delete(self) -> bool:
        answer = QMessageBox.warning(
            self,
            "Delete history?",
            "The removed cards will be deleted together with every review of them. "
            "This cannot be undone.",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _imported(self, result: ImportResult) -> None:
        self.job = None
        self.result = result
        self.imported.emit(result)
        self.accept()

    def _cancelled(self) -> None:
        self.job = None
        self.heading.setText("Import cancelled. Nothing was changed.")
        self.progress.hide()
        self.reject()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress.hide()
        self._show_errors(str(exc) or type(exc).__name__)

    def _show_errors(self, text: str) -> None:
        self.heading.setText(f"{self.path.name} cannot be imported. Nothing was changed.")
        # Each line quotes the file's own values: cut to size, or a 30 MiB prompt becomes a
        # label the window takes minutes to lay out.
        lines = [clip(line, 2 * MAX_ECHO) for line in text.splitlines()]
        shown = "\n".join(lines[:12]) + (
            f"\n… and {len(lines) - 12} more" if len(lines) > 12 else ""
        )
        self.errors.setText(shown)
        self.errors.setToolTip(plain_tip("\n".join(lines[:40])))
        self.errors.show()
        self.tree.hide()
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Close")

    def cancel(self) -> None:
        """Cancel the running work (rolled back) or close the dialog."""
        if self.job is not None:
            self.cancel_button.setEnabled(False)
            self.heading.setText("Cancelling…")
            self.job.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.job is not None:  # Esc or the close button while working: cancel first
            self.cancel()
            return
        super().reject()


def _names_choosable(path: Path, plan: ImportPlan) -> bool:
    """A CSV or mdbook-quiz file: one deck named after its file, which the learner may
    rename or pour into a deck of their own (a deck file or an Anki deck has its name)."""
    if len(plan.decks) != 1:
        return False
    suffix = path.suffix.lower()
    return suffix in (".csv", ".tsv") or (suffix == ".toml" and not plan.bundle.validated)


def _deck_item(plan: DeckPlan, *, into: bool = False) -> QTreeWidgetItem:
    status = "new deck" if not plan.exists else ("add to" if into else "update")
    if plan.renamed_from is not None:
        status += f", renamed from “{plan.renamed_from}”"
    counts = (
        f"{len(plan.added)} added · {len(plan.changed)} changed · "
        f"{len(plan.removed)} removed · {plan.unchanged} unchanged"
    )
    item = QTreeWidgetItem([f"{plan.deck.name}  ({status})  —  {counts}"])
    item.setToolTip(0, item.text(0))
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
    pal = palette(current_theme())
    groups = (
        ("+", "Added", plan.added, "", pal.good),
        ("~", "Changed", plan.changed, "", pal.accent),
        (
            "−",
            "Removed from the file: hidden, history kept",
            plan.removed,
            f" — {count(plan.removed_reviews, 'review')}" if plan.removed_reviews else "",
            pal.bad,
        ),
    )
    for mark, title, lines, extra, colour in groups:
        if not lines:
            continue
        group = QTreeWidgetItem([f"{title} ({len(lines)}){extra}"])
        group.setForeground(0, QBrush(QColor(colour)))
        for line in lines[:SHOWN_PER_GROUP]:
            reviews = f"   ({count(line.reviews, 'review')})" if line.reviews else ""
            group.addChild(QTreeWidgetItem([f"{mark} {line.prompt}{reviews}"]))
        if len(lines) > SHOWN_PER_GROUP:
            group.addChild(QTreeWidgetItem([f"… and {len(lines) - SHOWN_PER_GROUP} more"]))
        item.addChild(group)
    return item


# ---------------------------------------------------------------- the File menu


def choose_and_import(host: Host) -> ImportDialog | None:
    patterns = " ".join(f"*{ext}" for ext in sorted(READERS))
    name, _ = QFileDialog.getOpenFileName(
        host.widget(), "Import a deck", "", f"Decks ({patterns});;All files (*)"
    )
    return open_import_dialog(host, Path(name)) if name else None


def open_import_dialog(host: Host, path: Path) -> ImportDialog:
    """The preview of `path`; once imported, every open view hears of it through the
    collection's `Changes`, so only the status line is said here."""
    dialog = ImportDialog(host.col, path, host.widget())
    dialog.imported.connect(lambda result: _after_import(host, result))
    dialog.open()
    return dialog


def _after_import(host: Host, result: ImportResult) -> None:
    added = sum(d.added for d in result.decks)
    changed = sum(d.changed for d in result.decks)
    host.statusBar().showMessage(f"Imported: {count(added, 'card')} added, {changed} changed", 5000)


EXPORT_FORMATS = (
    (".apkg", "Anki package (*.apkg)"),
    (".toml", "quizapp deck file (*.toml)"),
)
"""The export dialog's choices, the first preselected; the file name follows the choice."""


def choose_and_export(host: Host, deck: tuple[str, str] | None = None) -> None:
    """Export `deck` (uuid, name), else the deck selected in the deck list."""
    selected = deck or host.selected_deck()
    if selected is None:
        host.statusBar().showMessage("Select a deck to export first", 4000)
        return
    deck_uuid, deck_name = selected
    dialog = export_file_dialog(host.widget(), deck_name)
    if dialog.exec() and dialog.selectedFiles():
        export_to(host, deck_uuid, export_path(dialog))


def export_file_dialog(parent: QWidget, deck_name: str) -> QFileDialog:
    """A save dialog whose file name's extension follows the chosen format.

    The static `getSaveFileName` offered "Deck.toml" with the Anki filter selected and
    wrote a deck file; here choosing a format renames the file to match, and a name typed
    without a known extension gets the chosen one (`export_path`).
    """
    dialog = QFileDialog(parent, "Export deck")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the filter signal is Qt's own
    dialog.setNameFilters([label for _ext, label in EXPORT_FORMATS])
    first_ext, first_label = EXPORT_FORMATS[0]
    dialog.selectNameFilter(first_label)
    dialog.selectFile(f"{deck_name}{first_ext}")

    def follow(label: str) -> None:
        ext = next(e for e, lab in EXPORT_FORMATS if lab == label)
        line = dialog.findChild(QLineEdit, "fileNameEdit")
        current = line.text() if line is not None else f"{deck_name}{first_ext}"
        stem = current
        for known, _lab in EXPORT_FORMATS:
            if stem.lower().endswith(known):
                stem = stem[: -len(known)]
        dialog.selectFile(f"{stem or deck_name}{ext}")

    dialog.filterSelected.connect(follow)
    return dialog


def export_path(dialog: QFileDialog) -> Path:
    """The chosen file, with the chosen format's extension unless it names a known one."""
    path = Path(dialog.selectedFiles()[0])
    label = dialog.selectedNameFilter()
    ext = next((e for e, lab in EXPORT_FORMATS if lab == label), EXPORT_FORMATS[0][0])
    if path.suffix.lower() not in WRITERS:
        path = path.with_name(path.name + ext)
    return path


_running: set[worker.Worker] = set()
"""Exports under way: kept here until they end, so nothing has to hold them on the window."""


def export_to(host: Host, deck_uuid: str, path: Path) -> worker.Worker:
    col = host.col

    def job(_progress: Any, _cancel: Any) -> Any:
        return export_deck(col, deck_uuid, path)

    def done(exported: Any) -> None:
        _running.discard(job_worker)
        host.statusBar().showMessage(f"Exported {exported.deck.name} to {path}", 5000)

    def failed(exc: BaseException) -> None:
        _running.discard(job_worker)
        plain.warning(host.widget(), "Export failed", str(exc))

    job_worker = worker.start(job)
    job_worker.signals.finished.connect(done)
    job_worker.signals.failed.connect(failed)
    _running.add(job_worker)
    return job_worker
