"""Try it: edit a code card's snippet, compile it, and run it, from the answer view.

A learner who just read `error[E0382]` learns most by fixing it and watching rustc agree.
The dialog holds the snippet in a small Rust editor (monospace, line numbers, pygments
colours), and asks `services.tryit` to compile or run it on a worker thread: the window
stays live, a busy bar shows while rustc works, and Cancel (or Esc) kills the child.

Running asks first, once per dialog, and says plainly what it does and how it is contained
here (a sandbox, or only limits where there is none); for a deck that did not ship with
quizapp it also says whose code it is.
"""

from __future__ import annotations

import html

from pygments.lexers import RustLexer
from pygments.styles import get_style_by_name
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp import rustc
from quizapp.core.cardhtml import diagnostic_html
from quizapp.core.model import Card
from quizapp.core.palette import palette
from quizapp.core.render import MONO, page, render_code
from quizapp.services import tryit
from quizapp.ui import worker
from quizapp.ui.closing import add_close_keys
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.theme import current_theme

CONSENT_QUESTION = "Run this program on your computer?"
FOREIGN_DETAIL = (
    "This card's deck did not ship with quizapp: the code was written by whoever made the "
    "deck, and running it runs their code. Run it only if you trust them or have read it."
)


def _utf16_len(text: str) -> int:
    """Qt counts positions in UTF-16 units; a non-BMP character is two of them."""
    return len(text.encode("utf-16-le")) // 2


class RustHighlighter(QSyntaxHighlighter):
    """pygments' Rust tokens as Qt formats, in the same style as the cards' code.

    The whole snippet is lexed at once (snippets are a screen long), so a block comment
    or raw string spanning lines is coloured right; each block's state is a hash of the
    next block's colours, so Qt re-colours following lines when an edit changes them.
    """

    def __init__(self, document: QTextDocument, theme: str) -> None:
        super().__init__(document)
        self._style = get_style_by_name(palette(theme).pygments_style)
        self._lexer = RustLexer(stripnl=False, ensurenl=False)
        self._formats: dict[object, QTextCharFormat | None] = {}
        self._lexed: str | None = None
        self._blocks: list[list[tuple[int, int, QTextCharFormat]]] = []

    def _format(self, token: object) -> QTextCharFormat | None:
        if token not in self._formats:
            spec = self._style.style_for_token(token)
            fmt: QTextCharFormat | None = None
            if spec["color"] or spec["bold"] or spec["italic"]:
                fmt = QTextCharFormat()
                if spec["color"]:
                    fmt.setForeground(QColor("#" + spec["color"]))
                if spec["bold"]:
                    fmt.setFontWeight(QFont.Weight.Bold)
                if spec["italic"]:
                    fmt.setFontItalic(True)
            self._formats[token] = fmt
        return self._formats[token]

    def _lex(self) -> None:
        text = self.document().toPlainText()
        if text == self._lexed:
            return
        self._lexed = text
        blocks: list[list[tuple[int, int, QTextCharFormat]]] = [[]]
        column = 0
        for token, value in self._lexer.get_tokens(text):
            fmt = self._format(token)
            for i, part in enumerate(value.split("\n")):
                if i:
                    blocks.append([])
                    column = 0
                width = _utf16_len(part)
                if part and fmt is not None:
                    blocks[-1].append((column, width, fmt))
                column += width
        self._blocks = blocks

    def highlightBlock(self, text: str) -> None:
        self._lex()
        number = self.currentBlock().blockNumber()
        for start, length, fmt in self._spans(number):
            self.setFormat(start, length, fmt)
        following = tuple((s, n, id(f)) for s, n, f in self._spans(number + 1))
        self.setCurrentBlockState(hash(following) & 0x7FFFFFFF)

    def _spans(self, number: int) -> list[tuple[int, int, QTextCharFormat]]:
        return self._blocks[number] if 0 <= number < len(self._blocks) else []


class _LineNumbers(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_line_numbers(self, event)


class CodeEditor(QPlainTextEdit):
    """A plain-text editor for a Rust snippet: monospace, line numbers, 4-space indents."""

    def __init__(self, theme: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        font = QFont()
        font.setFamilies([f.strip(" '") for f in MONO.split(",")])
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(11)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.highlighter = RustHighlighter(self.document(), theme)
        self._gutter = _LineNumbers(self)
        self.blockCountChanged.connect(self._fit_gutter)
        self.updateRequest.connect(self._repaint_gutter)
        self._fit_gutter()

    def gutter_width(self) -> int:
        digits = max(2, len(str(self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * digits

    def _fit_gutter(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _repaint_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_line_numbers(self, gutter: QWidget, event: QPaintEvent) -> None:
        pal = palette(self.theme)
        painter = QPainter(gutter)
        painter.fillRect(event.rect(), QColor(pal.code_bg))
        painter.setPen(QColor(pal.muted))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                painter.drawText(
                    0,
                    top,
                    gutter.width() - 8,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(block.blockNumber() + 1),
                )
            block = block.next()
            top = bottom
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Tab indents with spaces; Enter keeps the line's indentation, as editors do."""
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
            self.insertPlainText("    ")
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and mods == Qt.KeyboardModifier.NoModifier
        ):
            line = self.textCursor().block().text()
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            self.insertPlainText("\n" + indent)
            return
        super().keyPressEvent(event)


class TryItDialog(QDialog):
    """The snippet in an editor, with Compile, Run and Cancel; rustc's answer below.

    It opens at the size the learner last gave it (for as long as quizapp runs): a Try it
    made bigger to read a long diagnostic should not shrink back on the next card.
    """

    last_size: tuple[int, int] | None = None

    done_working = Signal(str)
    """Emitted on the GUI thread when a compile or run ends: "finished", "failed", "cancelled"."""

    def __init__(self, card: Card, *, shipped: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.card = card
        self.shipped = shipped
        self.theme = current_theme()
        self.job: worker.Worker | None = None
        self.run_consent = False
        self.consent_box: QMessageBox | None = None
        self.setWindowTitle("Try it")
        resize_to_fit(self, *(TryItDialog.last_size or (920, 720)))

        intro = QLabel(
            "Change the snippet, then compile it or run it with your rustc. "
            "Your edits stay here; the card does not change."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.editor = CodeEditor(self.theme)
        self.editor.setPlainText(card.code)
        self.editor.setAccessibleName("Rust code")
        self.output = QTextBrowser()
        self.output.setOpenLinks(False)
        self.output.document().setDocumentMargin(12)
        self.output.setAccessibleName("rustc output")
        self._show_html(
            f'<p style="color:{palette(self.theme).muted};">Compile (Ctrl+B) to see what rustc '
            "says, or Run (Ctrl+R) to see what the program prints.</p>"
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.editor)
        split.addWidget(self.output)
        # The editor as tall as the snippet (plus room to add a few lines), the rest for rustc.
        lines = min(card.code.count("\n") + 4, 24)
        code_height = lines * self.editor.fontMetrics().lineSpacing() + 16
        split.setSizes([code_height, max(260, 600 - code_height)])
        split.setChildrenCollapsible(False)

        self.compile_button = QPushButton("Compile  (Ctrl+B)")
        self.compile_button.setShortcut(QKeySequence("Ctrl+B"))
        self.compile_button.clicked.connect(self.compile)
        self.run_button = QPushButton("Run  (Ctrl+R)")
        self.run_button.setShortcut(QKeySequence("Ctrl+R"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel  (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Put the card's snippet back")
        self.reset_button.clicked.connect(self.reset)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(120)
        self.busy.setVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        edition = QLabel(f"Edition {card.edition}")
        edition.setObjectName("muted")

        buttons = QHBoxLayout()
        for button in (self.compile_button, self.run_button, self.cancel_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addSpacing(8)
        buttons.addWidget(self.busy)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(edition)
        buttons.addSpacing(8)
        for button in (self.reset_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.editor.setFocus()

    # --- actions --------------------------------------------------------------------

    def compile(self) -> None:
        if self.job is not None:
            return
        code, edition = self.editor.toPlainText(), self.card.edition
        self._start(
            lambda _progress, cancel: tryit.compile_snippet(code, edition, cancel=cancel),
            "Compiling…",
        )

    def run(self) -> None:
        if self.job is not None or self.consent_box is not None:
            return
        if self.run_consent:
            self._start_run()
            return
        self.consent_box = self._consent_box()
        self.consent_box.finished.connect(self._consent_answered)
        self.consent_box.open()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def reset(self) -> None:
        self.editor.setPlainText(self.card.code)

    @property
    def working(self) -> bool:
        return self.job is not None

    # --- consent ----------------------------------------------------------------------

    def _consent_box(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question if self.shipped else QMessageBox.Icon.Warning)
        box.setWindowTitle("Run this program?")
        box.setText(CONSENT_QUESTION)
        detail = tryit.containment_text()
        box.setInformativeText(detail if self.shipped else f"{FOREIGN_DETAIL}\n\n{detail}")
        run_it = box.addButton("Run it", QMessageBox.ButtonRole.AcceptRole)
        dont = box.addButton("Don't run", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(run_it if self.shipped else dont)
        box.setEscapeButton(dont)
        box.setProperty("run_button", run_it)
        return box

    def _consent_answered(self, _result: int) -> None:
        box = self.consent_box
        self.consent_box = None
        if box is None:
            return
        agreed = box.clickedButton() is box.property("run_button")
        box.deleteLater()
        if not agreed:
            self.status.setText("Not run.")
            self._show_html(
                f'<p style="color:{palette(self.theme).muted};">Not run: you chose not to run '
                "it. Compile (Ctrl+B) still shows what rustc says.</p>"
            )
            return
        self.run_consent = True
        self._start_run()

    def _start_run(self) -> None:
        code, edition = self.editor.toPlainText(), self.card.edition
        self._start(
            lambda _progress, cancel: tryit.run_snippet(code, edition, cancel=cancel),
            "Compiling and running…",
        )

    # --- the worker -------------------------------------------------------------------

    def _start(self, job: worker.Job, doing: str) -> None:
        self.job = worker.start(job)
        self.job.signals.finished.connect(self._finished)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._cancelled)
        self._set_busy(True)
        self.status.setText(doing)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.compile_button.setEnabled(not busy)
        self.run_button.setEnabled(not busy)
        self.reset_button.setEnabled(not busy)

    def _idle(self) -> None:
        self.job = None
        self._set_busy(False)

    def _finished(self, tried: tryit.Tried) -> None:
        self._idle()
        self.status.setText("")
        self._show_html(self._result_html(tried))
        self.done_working.emit("finished")

    def _failed(self, error: BaseException) -> None:
        self._idle()
        self.status.setText("rustc could not answer")
        known = isinstance(error, rustc.RustcError | OSError)
        what = str(error) if known else f"{type(error).__name__}: {error}"
        self._show_html(
            f'<p style="color:{palette(self.theme).bad};"><b>rustc could not answer.</b> '
            f"{html.escape(what)}</p>"
        )
        self.done_working.emit("failed")

    def _cancelled(self) -> None:
        self._idle()
        self.status.setText("Cancelled.")
        self._show_html(
            f'<p style="color:{palette(self.theme).muted};">Cancelled: rustc and the program '
            "were stopped, and their temporary folder removed.</p>"
        )
        self.done_working.emit("cancelled")

    # --- showing results --------------------------------------------------------------

    def _show_html(self, body: str) -> None:
        self.output.setHtml(page(body, self.theme))

    def _result_html(self, tried: tryit.Tried) -> str:
        pal = palette(self.theme)
        version = html.escape(" ".join(tried.rustc.split()[:2]))
        note = f'<span style="color:{pal.muted}; font-size:12px;">  ·  {version}</span>'
        if not tried.compile.success:
            return (
                f'<p style="color:{pal.bad}; font-weight:600;">✗ It does not compile{note}</p>'
                + diagnostic_html(tried.compile.diagnostic or "(rustc said nothing)", self.theme)
            )
        if tried.run is None:
            return f'<p style="color:{pal.good}; font-weight:600;">✓ It compiled cleanly{note}</p>'
        ran = tried.run
        outcome = tryit.describe_run(ran)
        colour, mark = (pal.good, "✓") if outcome.ok else (pal.bad, "✗")
        parts = [
            f'<p style="color:{colour}; font-weight:600;">{mark} It compiled and ran: '
            f"{html.escape(outcome.text)}{note}</p>",
            "<p><b>stdout</b></p>",
            render_code(ran.stdout or "(nothing)", self.theme, language="text", line_numbers=False),
        ]
        if ran.stderr:
            parts += [
                "<p><b>stderr</b></p>",
                render_code(ran.stderr, self.theme, language="text", line_numbers=False),
            ]
        return "".join(parts)

    # --- closing ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc stops rustc while it works (the edits stay); otherwise it closes."""
        if event.key() == Qt.Key.Key_Escape and self.job is not None:
            self.cancel()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        """Closing never leaves a compile or a program running behind the window."""
        if self.job is not None:
            for signal, slot in (
                (self.job.signals.finished, self._finished),
                (self.job.signals.failed, self._failed),
                (self.job.signals.cancelled, self._cancelled),
            ):
                signal.disconnect(slot)
            self.job.cancel()
            self.job = None
        TryItDialog.last_size = (self.width(), self.height())
        super().done(result)
