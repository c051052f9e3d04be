"""The browser's search matches, marked where they are in each row's text.

The search matches every typed word as the start of a word (`storage.search`), so the
marks do the same: each place where a typed word begins a word of the text is drawn bold
on the palette's `mark` colour (bold too, so the mark does not rest on colour alone).
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from quizapp.core.palette import palette
from quizapp.ui.theme import current_theme


def search_words(typed: str) -> list[str]:
    """The words a search for `typed` looks for (letters and digits; the rest separates)."""
    return [w for w in re.findall(r"\w+", typed) if w]


def marked_html(text: str, words: list[str], mark: str, ink: str | None = None) -> str:
    """`text` as HTML with every word start matching one of `words` marked.

    `ink` is the marked text's colour: the palette's text, which it is checked against,
    and not the selected row's light text, which would all but vanish on the mark."""
    if not words:
        return html.escape(text)
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)
    out, at = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[at : match.start()]))
        colour = f" color:{ink};" if ink else ""
        out.append(
            f'<span style="background-color:{mark};{colour} font-weight:600;">'
            f"{html.escape(match.group(0))}</span>"
        )
        at = match.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


class MatchDelegate(QStyledItemDelegate):
    """Draws a cell's text with the current search's words marked."""

    KEPT = 512
    """Laid-out cells kept: a screen's worth several times over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self._docs: OrderedDict[tuple[str, tuple[str, ...], str, str], QTextDocument] = (
            OrderedDict()
        )

    def _document(self, text: str, font: QFont) -> QTextDocument:
        """The cell's marked text laid out, reused while it is on screen: a search's first
        screen is drawn, then drawn again when the rest of the result is appended, and
        laying out 90 marked cells took 0.1 s each time."""
        pal = palette(current_theme())
        key = (text, tuple(self.words), pal.mark, pal.text, font.key())
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(font)
        doc.setHtml(marked_html(text, self.words, pal.mark, pal.text))
        self._docs[key] = doc
        while len(self._docs) > self.KEPT:
            self._docs.popitem(last=False)
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not self.words:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc = self._document(text, opt.font)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        # A cell too narrow for its text ends in "…", as the table's plain cells do.
        cut = doc.idealWidth() > area.width()
        ellipsis = QFontMetricsF(opt.font).horizontalAdvance("…") + 2 if cut else 0.0
        painter.save()
        top = area.top() + max(0.0, (area.height() - doc.size().height()) / 2)
        painter.translate(QPointF(area.left(), top))
        clip = QRectF(0, 0, max(0.0, area.width() - ellipsis), area.height())
        painter.setClipRect(clip)
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()
        if cut:
            painter.save()
            painter.setFont(opt.font)
            painter.setPen(opt.palette.color(role))
            tail = QRectF(area.right() - ellipsis, area.top(), ellipsis, area.height())
            painter.drawText(tail, int(Qt.AlignmentFlag.AlignVCenter), "…")
            painter.restore()
