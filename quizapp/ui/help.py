"""The Help menu, and what a newcomer needs before any of it: the keys and a way out.

- Help → Keyboard shortcuts (also `?` anywhere in the window): every key, in one table.
- Help → Welcome: what New, Learning and Due mean, the kinds of card, and the sampler (a
  cram sitting over one card of each kind from the shipped decks, about five minutes,
  leaving the schedule alone). It opens by itself once per collection, the first time the
  window is shown; that it was shown is stored through an operation (`services.guidance`).
- Esc leaves a study, cram or interview session for the deck list. Every answer graded
  is already stored, so nothing is lost: the next sitting starts where this one stopped,
  and an interview left early is recorded with what was answered (Study → Interview
  history shows it).

Imported at start-up, so the study and cram pages come only when the sampler starts.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from quizapp import __version__
from quizapp.services import guidance
from quizapp.ui import menu_titles
from quizapp.ui.host import Host

if TYPE_CHECKING:
    from quizapp.ui.cram import CramPage

SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Deck list",
        (
            ("Enter", "study the selected deck"),
            ("A", "study everything due today, with the day's new cards, across decks"),
            ("Ctrl+M", "mock interview"),
            ("Ctrl+B", "browse and search cards"),
            ("Ctrl+I", "import a deck"),
            ("F2 / Delete", "rename / delete the selected deck (your own decks)"),
            ("Ctrl+S", "statistics"),
            ("Ctrl+N", "add a card"),
        ),
    ),
    (
        "Answering",
        (
            ("1 / 2", "Compiles / Does not compile"),
            ("1-9, Enter", "pick a choice option, then check"),
            ("Ctrl+Enter", "check a typed output"),
            ("Ctrl+P", "toggle “it panics” on an output card"),
            ("Space", "show a flashcard's answer"),
        ),
    ),
    (
        "After answering",
        (
            ("1-4", "grade (only the grades your answer earned are enabled)"),
            ("Enter or Space", "take the highlighted grade"),
            ("D", "show or hide rustc's full diagnostic"),
            ("E", "what rustc --explain says about the card's error codes"),
            ("T", "Try it: edit, compile and run the snippet with your rustc"),
            ("↑ ↓ PgUp PgDn", "scroll the answer"),
        ),
    ),
    (
        "Anywhere",
        (
            ("Esc", "leave a study, cram or interview session (answers so far are kept)"),
            ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo the last answer or change"),
            ("Ctrl+E", "edit the card on screen"),
            ("Ctrl+D", "back to the deck list"),
            ("Ctrl+,", "settings"),
            ("Esc or Ctrl+W", "close a dialog or window"),
            ("? or F1", "this list"),
        ),
    ),
)

WELCOME = """
<h2 style="margin-bottom:4px;">Welcome to quizapp</h2>
<p>Spaced repetition for Rust: each card comes back just before you would forget it.
You answer first, then see what rustc really says and why.</p>
<p><b>The three numbers beside each deck</b></p>
<table cellspacing="0" cellpadding="3">
<tr><td><b>New</b></td><td>cards you have never seen; a deck brings a few each day
(Settings, Ctrl+,)</td></tr>
<tr><td><b>Learning</b></td><td>cards you missed today: they come back in the same sitting
until you get them</td></tr>
<tr><td><b>Due</b></td><td>cards whose next review is today or overdue</td></tr>
</table>
<p><b>Six kinds of card</b></p>
<table cellspacing="0" cellpadding="3">
<tr><td><b>Does it compile?</b></td><td>1 compiles, 2 does not; some ask for the error
code too (E0382…)</td></tr>
<tr><td><b>What does it print?</b></td><td>type the output, Ctrl+Enter; Ctrl+P if it
panics</td></tr>
<tr><td><b>Choose</b></td><td>1-9 picks an option, Enter checks (the order changes each
time)</td></tr>
<tr><td><b>Short answer</b></td><td>type a word or an error code, Enter</td></tr>
<tr><td><b>Make it compile</b></td><td>edit the code, Ctrl+Enter: your rustc checks the fix</td></tr>
<tr><td><b>Flashcard</b></td><td>Space shows the back; you grade yourself</td></tr>
</table>
<p>Then grade 1-4: a wrong answer can only be a fail, a right one only a pass.
Esc leaves a session at any time; <b>?</b> lists every key.</p>
<p>The sampler shows one card of each kind (about five minutes) without touching your
schedule.</p>
"""


def shortcuts_html() -> str:
    rows = []
    for section, keys in SHORTCUTS:
        rows.append(
            f'<tr><td colspan="2" style="padding-top:10px;"><b>{html.escape(section)}</b></td></tr>'
        )
        rows += [
            f"<tr><td style='padding-right:18px;'><code>{html.escape(k)}</code></td>"
            f"<td>{html.escape(what)}</td></tr>"
            for k, what in keys
        ]
    return f'<table cellspacing="0" cellpadding="2">{"".join(rows)}</table>'


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.text = QLabel(shortcuts_html())
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.text.setFixedWidth(520)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # as tall as its text
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class WelcomeDialog(QDialog):
    """The first-run welcome. `accept()` means "try the sampler"; Esc or the other button
    goes to the decks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome")
        self.text = QLabel(WELCOME)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.sampler_button = buttons.addButton(
            "Try one card of each kind", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sampler_button.setObjectName("primary")
        self.sampler_button.setDefault(True)
        self.decks_button = buttons.addButton(
            "Go to the decks", QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.text.setFixedWidth(560)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # as tall as its text
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class HelpMenu:
    """The Help menu's actions and the window-wide keys it documents."""

    def __init__(self, host: Host) -> None:
        self.host = host
        window = host.widget()
        self.welcome: WelcomeDialog | None = None
        self.shortcuts: ShortcutsDialog | None = None
        self._sampler_page: CramPage | None = None
        menu = host.menuBar().addMenu(menu_titles.HELP)
        self.shortcuts_action = QAction("&Keyboard shortcuts", window)
        self.shortcuts_action.setShortcuts(
            [QKeySequence("?"), QKeySequence(QKeySequence.StandardKey.HelpContents)]
        )
        self.shortcuts_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        window.addAction(self.shortcuts_action)  # `?` works with the menu closed
        self.welcome_action = QAction("&Welcome and card kinds…", window)
        self.welcome_action.triggered.connect(self.show_welcome)
        about = QAction("&About quizapp", window)
        about.triggered.connect(self.show_about)
        menu.addAction(self.shortcuts_action)
        menu.addAction(self.welcome_action)
        menu.addSeparator()
        menu.addAction(about)
        self.leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self.leave.setContext(Qt.ShortcutContext.WindowShortcut)
        self.leave.activated.connect(self.leave_session)
        if not guidance.read_guidance(host.col).welcome_shown:
            QTimer.singleShot(0, self._first_run)

    # --- the welcome and the sampler -----------------------------------------------------

    def _first_run(self) -> None:
        if not guidance.read_guidance(self.host.col).welcome_shown:
            self.show_welcome()

    def show_welcome(self) -> WelcomeDialog:
        dialog = WelcomeDialog(self.host.widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.start_sampler)
        dialog.finished.connect(self._welcome_closed)
        self.welcome = dialog
        guidance.mark_welcome_shown(self.host.col)
        dialog.open()
        return dialog

    def _welcome_closed(self, _result: int) -> None:
        self.welcome = None

    @property
    def sampler_page(self) -> CramPage:
        if self._sampler_page is None:
            from quizapp.ui.cram import CramPage  # on first use: start-up stays light

            self._sampler_page = CramPage(self.host.col)
            self._sampler_page.finished.connect(self._sampler_done)
            page = self._sampler_page
            page.brought_back.connect(lambda: self.host.stack.setCurrentWidget(page))
            self.host.stack.addWidget(self._sampler_page)
        return self._sampler_page

    def start_sampler(self) -> None:
        try:
            sitting = guidance.start_sampler(self.host.col)
        except guidance.NothingToSample as exc:
            QMessageBox.information(self.host.widget(), "Sampler", str(exc))
            return
        page = self.sampler_page
        self.host.stack.setCurrentWidget(page)
        page.start(sitting)

    def _sampler_done(self) -> None:
        from quizapp.services import study

        sitting = self.sampler_page.sitting
        assert sitting is not None
        summary = self.host.summary
        summary.show_summary(study.summarize(self.host.col, sitting), self.host.col.today())
        summary.title.setText("That was one card of each kind: your schedule is unchanged")
        self.host.stack.setCurrentWidget(summary)
        summary.setFocus()

    # --- keys ------------------------------------------------------------------------------

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.shortcuts is None:
            self.shortcuts = ShortcutsDialog(self.host.widget())
        self.shortcuts.show()
        self.shortcuts.activateWindow()
        return self.shortcuts

    def leave_session(self) -> None:
        """Esc: back to the deck list from wherever the window is. A mock interview is
        ended first, so it is recorded with the answers given (`end_now`)."""
        page = self.host.stack.currentWidget()
        end_now = getattr(page, "end_now", None)
        if callable(end_now):
            end_now()
        self.host.show_decks()

    def show_about(self) -> None:
        QMessageBox.about(
            self.host.widget(),
            "About quizapp",
            f"quizapp {__version__}\nSpaced repetition (SM-2 or FSRS) for Rust systems "
            f"programming.\nCollection: {self.host.col.db.path}",
        )


def add_help_menu(host: Host) -> HelpMenu:
    """The Help menu, `?`, Esc out of a session, and the welcome on a collection's first run."""
    return HelpMenu(host)
