"""File → Subscribe to a deck repository… and Update deck subscriptions, in a real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from quizapp.services import subscriptions as subs
from quizapp.services.collection import Collection
from quizapp.ui.launch import open_window
from quizapp.ui.main_window import MainWindow
from quizapp.ui.subscriptions import (
    SubscriptionDialog,
    add_subscription_actions,
    open_subscribe_dialog,
    open_update_dialog,
)
from tests.helpers.git_repos import (
    DECK_ID,
    deck_text,
    make_author,
    make_remote,
    push,
    use_backend,
)


@pytest.fixture
def window(qtbot: QtBot, col: Collection, sample_decks: Path) -> MainWindow:
    win = open_window(col, sample_decks)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A bare remote and the author's clone holding two decks (the system git)."""
    use_backend(monkeypatch, "git")
    bare = make_remote(tmp_path)
    return bare, make_author(bare, tmp_path)


def ready(qtbot: QtBot, dialog: SubscriptionDialog) -> SubscriptionDialog:
    qtbot.wait_until(lambda: dialog.job is None, timeout=20_000)
    return dialog


def deck_names(window: MainWindow) -> list[str]:
    tree = window.decks.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_subscribe_then_update_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, col: Collection, team: tuple[Path, Path]
) -> None:
    bare, work = team
    menu = QMenu(window)
    subscribe, update = add_subscription_actions(menu, window)
    assert [a.text() for a in menu.actions()] == [subscribe.text(), update.text()]
    assert "Subscribe" in subscribe.text() and "Update" in update.text()

    dialog = ready(qtbot, open_subscribe_dialog(window, str(bare)))
    top = dialog.tree.topLevelItem(0)
    assert top.text(0).startswith("team-decks")
    assert any(
        "Team ownership  (new deck)" in top.child(i).text(0) for i in range(top.childCount())
    )
    assert dialog.apply_button.isEnabled()
    with qtbot.wait_signal(dialog.applied, timeout=20_000):
        dialog.apply_button.click()
    qtbot.wait_until(lambda: any("Team ownership" in n for n in deck_names(window)))
    assert [s.name for s in subs.list_subscriptions(col)] == ["team-decks"]

    (work / "decks" / "ownership.toml").write_text(
        deck_text(DECK_ID, "Team ownership", {1: "One", 2: "Two"}), encoding="utf-8"
    )
    push(work, "drop three")
    dialog = ready(qtbot, open_update_dialog(window))
    lines = [dialog.tree.topLevelItem(0).child(i).text(0) for i in range(2)]
    assert any("0 added · 0 changed · 1 removed · 2 unchanged" in line for line in lines)
    dialog.reject()  # Cancel: nothing taken, the clone of an existing subscription stays
    assert subs.clone_dir(col, "team-decks").is_dir()
    dialog = ready(qtbot, open_update_dialog(window))
    with qtbot.wait_signal(dialog.applied, timeout=20_000):
        dialog.apply_button.click()
    assert "1 hidden" in window.statusBar().currentMessage()
    dialog = ready(qtbot, open_update_dialog(window))
    assert dialog.heading.text() == "Everything is up to date."
    assert not dialog.apply_button.isEnabled()


def test_a_declined_subscription_leaves_no_clone_and_no_record(
    qtbot: QtBot, window: MainWindow, col: Collection, team: tuple[Path, Path]
) -> None:
    bare, _ = team
    dialog = ready(qtbot, open_subscribe_dialog(window, str(bare)))
    assert subs.clone_dir(col, "team-decks").is_dir()
    dialog.cancel_button.click()
    assert not subs.clone_dir(col, "team-decks").exists()
    assert subs.list_subscriptions(col) == []


def test_a_bad_repository_says_why_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, col: Collection, tmp_path: Path
) -> None:
    dialog = ready(qtbot, open_subscribe_dialog(window, str(tmp_path / "nowhere")))
    assert dialog.errors.isVisible() and "nowhere" in dialog.errors.text()
    assert not dialog.apply_button.isEnabled()
    assert subs.list_subscriptions(col) == []
