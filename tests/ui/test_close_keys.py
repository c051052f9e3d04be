"""Every window but the main one closes on Esc and on Ctrl+W."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from quizapp.services.collection import Collection
from quizapp.services.importers import read_bundle
from quizapp.ui.backups import BackupsDialog
from quizapp.ui.editor import CardEditor
from quizapp.ui.import_dialog import open_import_dialog
from quizapp.ui.main_window import MainWindow
from quizapp.ui.try_it import TryItDialog
from tests.conftest import DATA
from tests.helpers.window import make_window

CTRL = Qt.KeyboardModifier.ControlModifier


def closes(qtbot: QtBot, window: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier) -> bool:
    window.show()
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)
    qtbot.wait_until(lambda: not window.isVisible(), timeout=2_000)
    return True


NO = Qt.KeyboardModifier.NoModifier


def test_statistics_close_on_esc_and_ctrl_w(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    stats = window.study_menu.open_statistics()
    assert closes(qtbot, stats, Qt.Key.Key_Escape, NO)
    stats = window.study_menu.open_statistics()
    assert closes(qtbot, stats, Qt.Key.Key_W, CTRL)


def test_the_browser_closes_on_esc_and_ctrl_w(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    assert closes(qtbot, window.browse_cards(), Qt.Key.Key_Escape, NO)
    assert closes(qtbot, window.browse_cards(), Qt.Key.Key_W, CTRL)


def test_dialogs_close_on_ctrl_w_as_on_esc(
    qtbot: QtBot, col: Collection, sample_decks: Path, tmp_path: Path
) -> None:
    window: MainWindow = make_window(qtbot, col, sample_decks)
    card = read_bundle(DATA / "sample.toml").decks[0].cards[0]
    makers = (
        lambda: CardEditor(col, parent=window),
        lambda: TryItDialog(card, shipped=True, parent=window),
        lambda: BackupsDialog(col, window, on_restored=lambda _r: None),
    )
    for make in makers:
        for key, modifier in ((Qt.Key.Key_W, CTRL), (Qt.Key.Key_Escape, NO)):
            dialog = make()
            qtbot.add_widget(dialog)
            assert closes(qtbot, dialog, key, modifier), type(dialog).__name__
    dialog = open_import_dialog(window, DATA / "cards.csv")
    qtbot.wait_until(lambda: dialog.plan is not None, timeout=10_000)
    assert closes(qtbot, dialog, Qt.Key.Key_W, CTRL)
