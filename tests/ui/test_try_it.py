"""Try it in the real window, with the real rustc: fix, compile, run after consent, cancel.

Temporary folders go to a per-test directory (tempfile's own setting), so "the temp dir is
gone" is checked on this test's files only, not on whatever else the machine is doing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.model import Card, Kind
from quizapp.services import tryit
from quizapp.services.collection import Collection, open_collection
from quizapp.ui.main_window import MainWindow
from quizapp.ui.study_page import StudyPage
from quizapp.ui.try_it import CONSENT_QUESTION, FOREIGN_DETAIL, TryItDialog
from tests.conftest import FakeClock
from tests.helpers.study import in_file_order
from tests.helpers.window import key, make_window, type_text

pytestmark = pytest.mark.rustc

RUSTC_WAIT_MS = 120_000
"""A cold rustc on a busy two-core machine; the wait ends as soon as rustc answers."""
ENDLESS = Card(
    id="c0000000-0000-4000-8000-000000000001",
    kind=Kind.OUTPUT,
    prompt="What does it print?",
    code='fn main() {\n    println!("start");\n    loop {\n        std::hint::spin_loop();\n    }\n}\n',
    stdout="start\n",
)


@pytest.fixture(autouse=True)
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def children() -> list[tuple[int, str, str]]:
    """(pid, command, state) of this process's children, from /proc: zombies included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if int(ppid) == os.getpid():
            found.append((int(entry.name), command, state))
    return found


def answered_study_page(qtbot: QtBot, col: Collection, decks: Path) -> StudyPage:
    """The window, studying the deck in `decks`, with its first card (E0382) answered."""
    window: MainWindow = make_window(qtbot, col, decks)
    in_file_order(col)
    key(qtbot, Qt.Key.Key_Return)
    page = window.study
    assert page.view is not None and page.view.card.kind is Kind.COMPILES
    assert page.view.card.errors == ("E0382",)
    key(qtbot, Qt.Key.Key_2)  # does not compile
    type_text(qtbot, "E0382")  # ...and the error picker has the keys
    key(qtbot, Qt.Key.Key_Return)
    assert page.verdict is not None
    return page


def open_by_key(qtbot: QtBot, page: StudyPage) -> TryItDialog:
    assert page.try_button.isVisible()
    key(qtbot, Qt.Key.Key_T)
    dialog = page.try_dialog
    assert dialog is not None
    qtbot.wait_exposed(dialog)
    return dialog


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def compile_and_wait(qtbot: QtBot, dialog: TryItDialog) -> None:
    with qtbot.wait_signal(dialog.done_working, timeout=RUSTC_WAIT_MS) as blocker:
        click(qtbot, dialog.compile_button)
        # The worker's answer arrives through the event loop: until then the window is live
        # and says it is busy.
        assert dialog.working and dialog.busy.isVisible() and dialog.cancel_button.isEnabled()
        assert not dialog.compile_button.isEnabled()
    assert blocker.args == ["finished"]
    assert not dialog.busy.isVisible()


def consent(dialog: TryItDialog) -> QMessageBox:
    box = dialog.consent_box
    assert box is not None and box.isVisible()
    return box


def test_fix_the_borrow_error_then_compile(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    page = answered_study_page(qtbot, col, sample_decks)
    dialog = open_by_key(qtbot, page)
    assert page.view is not None
    assert dialog.editor.toPlainText() == page.view.card.code

    assert dialog.editor.find("let t = s")  # the cursor ends right after it
    cursor = dialog.editor.textCursor()
    cursor.clearSelection()
    dialog.editor.setTextCursor(cursor)
    qtbot.keyClicks(dialog.editor, ".clone()")
    assert "let t = s.clone();" in dialog.editor.toPlainText()
    compile_and_wait(qtbot, dialog)
    shown = dialog.output.toPlainText()
    assert "It compiled cleanly" in shown
    assert "rustc 1." in shown


def test_compiling_the_broken_snippet_shows_the_diagnostic_with_its_code(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    dialog = open_by_key(qtbot, answered_study_page(qtbot, col, sample_decks))
    compile_and_wait(qtbot, dialog)
    shown = dialog.output.toPlainText()
    assert "It does not compile" in shown
    assert "error[E0382]: borrow of moved value: `s`" in shown
    assert "value borrowed here after move" in shown


def test_run_asks_first_then_shows_stdout_and_asks_only_once(
    qtbot: QtBot, col: Collection, sample_decks: Path, own_tempdir: Path
) -> None:
    dialog = open_by_key(qtbot, answered_study_page(qtbot, col, sample_decks))
    dialog.editor.setPlainText('fn main() {\n    println!("hello from try it");\n}\n')
    click(qtbot, dialog.run_button)
    box = consent(dialog)
    assert box.text() == CONSENT_QUESTION
    assert "10 s timeout" in box.informativeText()
    assert "It runs in a sandbox (bubblewrap): no network" in box.informativeText()
    assert FOREIGN_DETAIL not in box.informativeText()  # the sample deck is "shipped" here
    assert not dialog.working  # nothing runs before the answer

    with qtbot.wait_signal(dialog.done_working, timeout=RUSTC_WAIT_MS):
        click(qtbot, box.property("run_button"))
    shown = dialog.output.toPlainText()
    assert "It compiled and ran: exit status 0" in shown
    assert "hello from try it" in shown
    assert list(own_tempdir.iterdir()) == []

    with qtbot.wait_signal(dialog.done_working, timeout=RUSTC_WAIT_MS):
        click(qtbot, dialog.run_button)  # consent holds for this dialog
        assert dialog.consent_box is None


def test_declining_consent_runs_nothing(
    qtbot: QtBot, col: Collection, sample_decks: Path, own_tempdir: Path
) -> None:
    dialog = open_by_key(qtbot, answered_study_page(qtbot, col, sample_decks))
    click(qtbot, dialog.run_button)
    box = consent(dialog)
    dont = next(b for b in box.buttons() if b.text() == "Don't run")
    click(qtbot, dont)
    qtbot.wait_until(lambda: dialog.consent_box is None)
    assert not dialog.working
    assert "Not run" in dialog.output.toPlainText()
    assert list(own_tempdir.iterdir()) == []  # rustc was not even started
    assert children() == []
    click(qtbot, dialog.run_button)  # declining is not remembered: it asks again
    consent(dialog).reject()


def test_a_foreign_deck_says_whose_code_it_would_run(qtbot: QtBot) -> None:
    dialog = TryItDialog(ENDLESS, shipped=False)
    qtbot.add_widget(dialog)
    dialog.show()
    click(qtbot, dialog.run_button)
    box = consent(dialog)
    assert FOREIGN_DETAIL in box.informativeText()
    assert tryit.containment_text() in box.informativeText()
    assert box.defaultButton().text() == "Don't run"
    box.reject()
    qtbot.wait_until(lambda: dialog.consent_box is None)
    assert not dialog.working


def test_without_a_sandbox_the_consent_says_so_plainly(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_NO_SANDBOX", "1")
    dialog = TryItDialog(ENDLESS, shipped=False)
    qtbot.add_widget(dialog)
    dialog.show()
    click(qtbot, dialog.run_button)
    box = consent(dialog)
    said = box.informativeText()
    assert "There is no sandbox on this computer" in said
    assert "it can read and change your files and use the network" in said
    assert "at most 64 processes" in said
    box.reject()
    qtbot.wait_until(lambda: dialog.consent_box is None)


def start_endless(qtbot: QtBot) -> TryItDialog:
    dialog = TryItDialog(ENDLESS, shipped=True)
    qtbot.add_widget(dialog)
    dialog.show()
    click(qtbot, dialog.run_button)
    click(qtbot, consent(dialog).property("run_button"))
    qtbot.wait_until(lambda: "main" in descendant_names(), timeout=RUSTC_WAIT_MS)
    return dialog


def descendant_names() -> set[str]:
    """Names of every process below this one (the program runs under bwrap's, in the sandbox)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            names[int(entry.name)] = stat[stat.index("(") + 1 : stat.rindex(")")]
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found |= {names[pid] for pid in frontier}
    return found


def test_cancel_stops_an_endless_program_and_cleans_up(qtbot: QtBot, own_tempdir: Path) -> None:
    dialog = start_endless(qtbot)
    assert list(own_tempdir.iterdir()) != []  # the build and run folders exist while it runs
    with qtbot.wait_signal(dialog.done_working, timeout=10_000) as blocker:
        click(qtbot, dialog.cancel_button)
    assert blocker.args == ["cancelled"]
    assert "Cancelled" in dialog.output.toPlainText()
    assert children() == []  # killed and reaped: no process left, not even a zombie
    assert list(own_tempdir.iterdir()) == []
    assert dialog.compile_button.isEnabled() and not dialog.busy.isVisible()


def test_closing_the_dialog_stops_the_program(qtbot: QtBot, own_tempdir: Path) -> None:
    dialog = start_endless(qtbot)
    dialog.close()
    qtbot.wait_until(lambda: children() == [] and list(own_tempdir.iterdir()) == [])


def test_the_button_shows_only_for_code_cards(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    page = answered_study_page(qtbot, col, sample_decks)
    assert page.try_button.isVisible()
    key(qtbot, Qt.Key.Key_3)
    assert page.view is not None and page.view.card.kind is Kind.OUTPUT
    assert not page.try_button.isVisible()  # not before answering
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.try_button.isVisible()
    key(qtbot, Qt.Key.Key_Return)
    assert page.view is not None and page.view.card.kind is Kind.CHOICE
    key(qtbot, Qt.Key.Key_1)
    key(qtbot, Qt.Key.Key_Return)
    assert page.verdict is not None and not page.try_button.isVisible()
    key(qtbot, Qt.Key.Key_T)
    assert page.try_dialog is None


@pytest.fixture
def ownership_deck(tmp_path: Path) -> Path:
    """A decks folder holding the shipped Ownership deck, with its stored rustc checks."""
    folder = tmp_path / "ownership"
    folder.mkdir()
    shutil.copy(shipped_decks_dir() / "01-ownership.toml", folder)
    return folder


def test_without_rustc_the_stored_diagnostic_shows_and_try_it_is_hidden(
    qtbot: QtBot,
    tmp_path: Path,
    clock: FakeClock,
    ownership_deck: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("rustc") is None
    col = open_collection(tmp_path / "data", clock=clock)
    try:
        page = answered_study_page(qtbot, col, ownership_deck)
        shown = page.shown_text()
        assert "error[E0382]: borrow of moved value: `words`" in shown
        assert "checked with rustc 1.95.0" in shown
        assert not page.try_button.isVisible()
        key(qtbot, Qt.Key.Key_T)
        assert page.try_dialog is None
        key(qtbot, Qt.Key.Key_3)  # and studying goes on
        assert page.verdict is None and page.view is not None
    finally:
        col.close()


def test_try_it_opens_at_the_size_it_was_last_given(qtbot: QtBot) -> None:
    before = TryItDialog.last_size
    try:
        first = TryItDialog(ENDLESS, shipped=True)
        qtbot.add_widget(first)
        first.show()
        first.resize(first.minimumSizeHint().width() + 5, first.minimumSizeHint().height() + 5)
        given = (first.width(), first.height())
        assert given != (920, 720)
        first.close()
        second = TryItDialog(ENDLESS, shipped=True)
        qtbot.add_widget(second)
        screen = second.screen().availableGeometry()  # still shrunk to fit the screen
        fit = (min(given[0], int(screen.width() * 0.9)), min(given[1], int(screen.height() * 0.9)))
        assert (second.width(), second.height()) == fit
    finally:
        TryItDialog.last_size = before
