"""Regenerates the screenshot of Try it, opened on an answered compile-fail card.

Run offscreen (`QT_QPA_PLATFORM=offscreen python scripts/tryit_screenshots.py`) or under
Xvfb. Uses a fresh collection in a temp dir, the shipped Ownership deck, a fixed clock and
the local rustc (Try it compiles and runs for real), so the pictures show what a learner
sees. `--theme dark` writes `*-dark.png` beside them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp.core.grading import CompilesAnswer  # noqa: E402
from quizapp.core.queue import SessionQueue  # noqa: E402
from quizapp.core.settings import Settings  # noqa: E402
from quizapp.services import study  # noqa: E402
from quizapp.services.collection import open_collection  # noqa: E402
from quizapp.services.settings import save_settings  # noqa: E402
from quizapp.ui.launch import make_app, open_window  # noqa: E402

FIXED = """fn total_len(words: &[String]) -> usize {
    words.iter().map(|w| w.len()).sum()
}

fn main() {
    let words = vec![String::from("alpha"), String::from("beta")];
    let n = total_len(&words);
    println!("{n} characters in {} words", words.len());
}
"""


def settle(app: QApplication, until: object = None, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        app.processEvents()
        if until is None or until() or time.monotonic() > deadline:  # type: ignore[operator]
            break
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def shoot(widget: QWidget, app: QApplication, path: Path) -> None:
    settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=["light", "dark"], default="light")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.theme == "light" else "-dark"
    app = make_app()
    clock = lambda: datetime(2026, 11, 24, 10, 0).astimezone()  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        col = open_collection(Path(tmp), clock=clock)
        save_settings(col, Settings(theme=args.theme))
        window = open_window(col)
        window.resize(1100, 900)
        window.show()
        ownership = next(d for d in study.deck_overview(col) if "Ownership" in d.name)
        # New cards come mixed across kinds, so pick the E0382 card out of today's queue.
        for uuid in study.start_sitting(col, [ownership.uuid]).queue.pending:
            sitting = study.Sitting((ownership.uuid,), SessionQueue(pending=(uuid,)), 1)
            view = study.current_card(col, sitting)
            if view is not None and "E0382" in view.card.errors:
                break
        else:
            raise SystemExit("no E0382 card among today's new Ownership cards")
        window.stack.setCurrentWidget(window.study)
        page = window.study
        page.start(sitting)
        page.on_submitted(CompilesAnswer(False, "E0382"))
        settle(app)  # the answered card (scripts/first_hour.py takes its picture)

        page.open_try_it()
        dialog = page.try_dialog
        assert dialog is not None
        dialog.resize(920, 560)
        dialog.editor.setPlainText(FIXED)
        dialog.run_consent = True  # the learner said yes to the prompt
        dialog.run()
        settle(app, lambda: not dialog.working)
        shoot(dialog, app, args.out / f"try-it{suffix}.png")
        dialog.close()
        window.close()
        col.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
