"""A new learner's first hour, walked through the real window; it writes the README's
screenshots of it.

    Xvfb :99 -screen 0 1280x800x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/first_hour.py [--out docs/screenshots]

A fresh data directory, the shipped decks and a fixed clock: the welcome, its sampler,
a mixed first session answered from the keyboard, a CSV import under a chosen name, a
rename, a card written in the editor and checked with rustc, a mock interview started from
its setup, and a deck's options. Each picture is the whole screen (dialogs included), taken
after the step has been drawn. The pictures that need weeks of history (the interview,
its report, the statistics, the browser) come from scripts/interview_screenshots.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp.core.model import Kind  # noqa: E402
from quizapp.services import cards, interview, study  # noqa: E402
from quizapp.services.collection import open_collection  # noqa: E402
from quizapp.ui.launch import make_app, open_window  # noqa: E402
from quizapp.ui.main_window import MainWindow  # noqa: E402

CSV = """prompt,back,tags
"What does `Arc::strong_count` tell you?","How many `Arc`s share the value now.",arc
"Why is `Rc<T>` not `Send`?","Its count is not atomic: two threads could race on it.",rc
"""


EDITOR_CODE = """fn main() {
    let names = vec![String::from("ferris")];
    let moved = names;
    println!("{}", names.len());
}
"""


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()
        QTest.qWait(15)


def wait_for(app: QApplication, ready: object, seconds: float = 30) -> None:
    """Process events until `ready()` holds (a worker finished), or fail loudly."""
    for _ in range(int(seconds * 50)):
        if ready():  # type: ignore[operator]
            return
        app.processEvents()
        QTest.qWait(20)
    raise SystemExit(f"gave up waiting after {seconds} s")


def shoot(app: QApplication, out: Path, name: str) -> None:
    settle(app)
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(out / f"{name}.png"))
    print(f"wrote {out / name}.png")


def key(widget: QWidget | None, k: Qt.Key, text: str = "") -> None:
    """A key as the learner presses it: to whatever has the keyboard focus."""
    window = widget.window() if widget is not None else None
    if window is not None and not window.isActiveWindow():
        window.activateWindow()  # no window manager under a bare Xvfb gives it for us
        QApplication.setActiveWindow(window)
    target = QApplication.focusWidget() or widget
    assert target is not None, "nothing has the keyboard focus"
    if text:
        QTest.keyClicks(target, text)
    else:
        QTest.keyClick(target, k)


def answer_by_keys(window: MainWindow, app: QApplication) -> None:
    """What a learner presses for the card on screen: a plausible answer, then Enter."""
    page = window.study
    assert page.view is not None
    kind = page.view.card.kind
    if kind is Kind.COMPILES:
        card = page.view.card
        key(page, Qt.Key.Key_2 if not card.compiles else Qt.Key.Key_1)
        if not card.compiles and card.errors:  # name the code in the picker, as the README says
            key(page, Qt.Key.Key_unknown, card.errors[0])
            key(page, Qt.Key.Key_Return)
        elif not card.compiles:
            key(page, Qt.Key.Key_Escape)  # an error without a code: skip naming one
    elif kind is Kind.CHOICE:
        key(page, Qt.Key.Key_1)
        key(page, Qt.Key.Key_Return)
    elif kind is Kind.SHORT:
        key(page, Qt.Key.Key_unknown, "E0382")
        key(page, Qt.Key.Key_Return)
    elif kind is Kind.OUTPUT:
        key(page, Qt.Key.Key_unknown, "hello")
        QTest.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    else:
        key(page, Qt.Key.Key_Space)
    settle(app, 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    clock = lambda: datetime(2026, 12, 3, 10, 0).astimezone()  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        col = open_collection(Path(tmp) / "data", clock=clock)
        window = open_window(col)
        window.resize(1180, 760)
        window.move(40, 20)
        window.show()
        settle(app)
        # 1. The welcome, on the first start only.
        shoot(app, args.out, "welcome")
        help_menu = window.help_menu
        assert help_menu.welcome is not None, "the welcome did not show on a first start"
        help_menu.welcome.accept()  # "Try the sampler"
        settle(app)
        page = help_menu.sampler_page
        assert page.view is not None
        answer_by_keys_on(page, app)
        shoot(app, args.out, "sampler-answered")
        key(page, Qt.Key.Key_Escape)  # back to the deck list, answers kept
        settle(app)
        shoot(app, args.out, "deck-list")

        # 2. A first session in the ownership deck: new cards mixed across kinds.
        ownership = next(d for d in study.deck_overview(col) if "Ownership" in d.name)
        key(window.decks.tree, Qt.Key.Key_Home)  # the first deck, selected; Enter studies it
        key(window.decks.tree, Qt.Key.Key_Return)
        settle(app)
        shoot(app, args.out, "study-question")
        for n in range(8):
            if window.study.view is None:
                break
            answer_by_keys(window, app)
            if n == 0:
                shoot(app, args.out, "study-answered")
            key(window.study, Qt.Key.Key_Return)  # the highlighted grade
            settle(app, 5)
        window.show_decks()

        # 3. A teammate's CSV, imported under a name of the learner's choosing, then renamed.
        csv_file = Path(tmp) / "team-notes.csv"
        csv_file.write_text(CSV, encoding="utf-8")
        from quizapp.ui.import_dialog import open_import_dialog

        dialog = open_import_dialog(window, csv_file)
        wait_for(app, lambda: dialog.import_button.isEnabled())
        dialog.deck_name.setText("Smart pointers, team notes")
        settle(app)
        shoot(app, args.out, "import-preview")
        dialog.import_button.click()
        settle(app)
        mine = next(c for c in cards.list_deck_choices(col) if c.name.startswith("Smart"))
        cards.rename_deck(col, mine.uuid, "Smart pointers")
        window.show_decks()
        shoot(app, args.out, "deck-list-after-import")

        # 4. A card of the learner's own, written in the editor and checked with rustc.
        from quizapp.ui.editor import CardEditor

        editor = CardEditor(col, deck_uuid=mine.uuid, kind=Kind.COMPILES, parent=window)
        editor.resize(1240, 780)
        editor.move(20, 10)
        editor.show()
        editor.prompt.setPlainText("Does this compile? If not, which error does rustc give?")
        editor.code.setPlainText(EDITOR_CODE)
        editor.ask_error.setChecked(True)
        editor.explanation.setPlainText(
            "`let moved = names;` moves the `Vec`; `names` cannot be used afterwards."
        )
        editor.tags.setText("ownership move")
        editor.check_with_rustc()
        wait_for(app, lambda: editor.check_worker is None, seconds=120)
        shoot(app, args.out, "editor")
        editor.close()

        # 5. A short mock interview from its setup (readiness fills in from a worker).
        from quizapp.ui.interview import InterviewSetupDialog

        setup = InterviewSetupDialog(col, window)
        setup.show()
        wait_for(app, lambda: setup.readiness_done)
        setup.count.setValue(4)
        setup.accept()
        menu = window.study_menu
        started: list[bool] = []  # the questions are drawn on a worker
        menu.interview_started.connect(lambda: started.append(True))
        menu.start_interview(setup.config(), readiness=setup.readiness)
        wait_for(app, lambda: bool(started))
        run = menu.interview_page.run
        assert run is not None
        while run.current is not None:
            interview.answer_question(col, run, None)
        interview.finish_interview(col, run)
        menu.show_report(run.uuid)
        settle(app)

        # 6. A deck's options, over the deck list.
        window.show_decks()
        from quizapp.ui.deck_options_dialog import open_deck_options

        options = open_deck_options(window, ownership.uuid)
        settle(app, 40)
        shoot(app, args.out, "deck-options")
        options.close()
        window.close()
        col.close()
    return 0


def answer_by_keys_on(page: QWidget, app: QApplication) -> None:
    """The sampler's first card, answered from the keyboard like any other."""
    view = page.view  # type: ignore[attr-defined]
    if view.card.kind is Kind.FLASHCARD:
        key(page, Qt.Key.Key_Space)
    elif view.card.kind is Kind.COMPILES:
        key(page, Qt.Key.Key_1)
    elif view.card.kind is Kind.CHOICE:
        key(page, Qt.Key.Key_1)
        key(page, Qt.Key.Key_Return)
    else:
        key(page, Qt.Key.Key_unknown, "E0382")
        key(page, Qt.Key.Key_Return)
    settle(app, 5)


if __name__ == "__main__":
    raise SystemExit(main())
