"""Start-up imports and builds only what the deck list needs; the rest comes on first use.

Issue 6 asks for the deck list with its counts within 1 s of process start at 100,000 cards;
every module imported before the first paint is paid for by every start. These tests pin
which ones are left for later, and that each deferred part still appears when used.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from quizapp.services.collection import Collection
from quizapp.ui.launch import open_window
from tests.helpers.fresh_process import run_fresh

DEFERRED = (
    "quizapp.ui.study_page",
    "quizapp.ui.import_dialog",
    "quizapp.ui.browser",
    "quizapp.ui.editor",
    "quizapp.ui.cram",
    "quizapp.ui.interview",
    "quizapp.ui.stats_window",
    "quizapp.ui.deck_options_dialog",
    "quizapp.core.render",
    "markdown_it",
    "pygments",
)


LATER_STARTS_DEFER = (
    "quizapp.services.exchange",  # the import pipeline: only when a shipped deck changed
    "quizapp.core.deckfile",
    "quizapp.services.cards",  # the deck list's context menu
    "quizapp.services.subscriptions",  # File > Subscribe (git)
    "PySide6.QtNetwork",  # the single-instance server, started after the first paint
)


def test_the_painted_deck_list_has_not_imported_the_deferred_modules(tmp_path: Path) -> None:
    first = painted_deck_list_imports(tmp_path / "data", DEFERRED + LATER_STARTS_DEFER)
    assert set(first.split()) <= set(LATER_STARTS_DEFER)  # the first start loads the decks
    assert painted_deck_list_imports(tmp_path / "data", DEFERRED + LATER_STARTS_DEFER) == ""


def painted_deck_list_imports(data: Path, modules: tuple[str, ...]) -> str:
    """Which of `modules` a fresh process has imported when its deck list has painted."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from quizapp.ui.launch import make_app, open_window\n"
        "from quizapp.services.collection import open_collection\n"
        "app = make_app()\n"
        "window = open_window(open_collection(Path(sys.argv[1]), check_behind=True))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.decks.tree.topLevelItemCount() > 0\n"
        f"print(' '.join(m for m in {modules!r} if m in sys.modules))\n"
    )
    return run_fresh(code, str(data))


def test_each_deferred_page_is_built_when_first_used(qtbot: QtBot, col: Collection) -> None:
    window = open_window(col)
    qtbot.addWidget(window)
    window.show()
    assert window._study is None
    assert window.stack.count() == 2  # the deck list and the summary

    window.start_study([])
    assert window.stack.currentWidget() is window.study
    assert window.study.view is not None, "the first card is on screen"
    window.show_decks()

    window.study_menu.start_cram()
    assert window.stack.currentWidget() is window.study_menu.cram_page
    # Built once: asking again gives the same pages, not new ones stacked up.
    pages = window.stack.count()
    assert window.study_menu.cram_page is window.study_menu.cram_page
    assert window.study is window.study
    assert window.stack.count() == pages


def test_the_windows_arguments_are_parsed_without_importing_sqlalchemy() -> None:
    """`quizapp` with no command parses its options with every subcommand's parser built:
    the deck list paints before SQLAlchemy loads (`ui.first_paint`) only if parsing did
    not load it first."""
    code = (
        "import sys\n"
        "from quizapp.cli import build_parser, run_command\n"
        "args = build_parser().parse_args(['--data-dir', sys.argv[1]])\n"
        "assert run_command(args) is None\n"
        "print([m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules])\n"
    )
    assert run_fresh(code, "unused") == "[]"
