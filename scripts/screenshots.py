"""Regenerates the README's screenshots from the real window.

Run under Xvfb (`Xvfb :99 -screen 0 1280x800x24 & DISPLAY=:99 python scripts/screenshots.py`)
or offscreen (`QT_QPA_PLATFORM=offscreen`). Uses a fresh collection in a temp dir, the shipped
decks, and a fixed clock, so the pictures are the same each time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp.core.grading import ChoiceAnswer, CompilesAnswer, OutputAnswer, SelfGraded, ShortAnswer  # noqa: E402
from quizapp.core.model import Card, Kind  # noqa: E402
from quizapp.core.settings import Settings  # noqa: E402
from quizapp.services import study  # noqa: E402
from quizapp.services.collection import open_collection  # noqa: E402
from quizapp.services.settings import save_settings  # noqa: E402
from quizapp.ui.launch import make_app, open_window  # noqa: E402
from quizapp.ui.main_window import MainWindow  # noqa: E402


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def shoot(window: MainWindow, app: QApplication, path: Path) -> None:
    settle(app)
    window.grab().save(str(path))
    print(f"wrote {path}")


def any_answer(kind: Kind) -> object:
    return {
        Kind.COMPILES: CompilesAnswer(True),
        Kind.OUTPUT: OutputAnswer(""),
        Kind.CHOICE: ChoiceAnswer(frozenset({0})),
        Kind.SHORT: ShortAnswer("?"),
        Kind.FLASHCARD: SelfGraded(),
    }[kind]


def right_answer(card: Card) -> object:
    return {
        Kind.COMPILES: lambda: CompilesAnswer(
            bool(card.compiles), card.errors[0] if card.errors else ""
        ),
        Kind.OUTPUT: lambda: OutputAnswer(card.stdout or "", card.panics),
        Kind.CHOICE: lambda: ChoiceAnswer(frozenset(card.answer_indexes)),
        Kind.SHORT: lambda: ShortAnswer(card.accepted[0]),
        Kind.FLASHCARD: SelfGraded,
    }[card.kind]()


def advance_to(
    window: MainWindow, app: QApplication, wanted: Kind, need_code: bool = False
) -> None:
    page = window.study
    for _ in range(200):
        view = page.view
        assert view is not None, "ran out of cards"
        if view.card.kind is wanted and (view.card.code or not need_code):
            return
        page.on_submitted(any_answer(view.card.kind))
        page.grade_key(3 if page.verdict and page.verdict.correct is not False else 2)
        settle(app)
    raise SystemExit(f"no {wanted} card found")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=["light", "dark"], default="light")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    clock = lambda: datetime(2026, 11, 24, 10, 0).astimezone()  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        col = open_collection(Path(tmp), clock=clock)
        save_settings(col, Settings(theme=args.theme))
        window = open_window(col)
        window.resize(1100, 760)
        window.show()
        suffix = "" if args.theme == "light" else "-dark"
        shoot(window, app, args.out / f"deck-list{suffix}.png")

        decks = study.deck_overview(col)
        concurrency = next(d for d in decks if "Concurrency" in d.name)
        window.start_study([concurrency.uuid])
        advance_to(window, app, Kind.OUTPUT, need_code=True)
        shoot(window, app, args.out / f"code-card{suffix}.png")
        advance_to(window, app, Kind.CHOICE)
        window.study.on_submitted(ChoiceAnswer(frozenset({0})))
        shoot(window, app, args.out / f"choice-answered{suffix}.png")

        save_settings(col, Settings(theme=args.theme, new_per_day=3))
        first = decks[0]
        window.start_study([first.uuid])
        page = window.study
        page.on_submitted(any_answer(page.view.card.kind))  # type: ignore[union-attr]
        page.grade_key(2)
        while page.view is not None:
            page.on_submitted(right_answer(page.view.card))
            page.grade_key(3)
            settle(app)
        shoot(window, app, args.out / f"summary{suffix}.png")
        window.close()
        col.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
