"""Screenshots that need a learner's history: the mock-interview setup with each deck's
readiness, an interview in progress, its report, the statistics (overview and Memory tab)
and the browser searching.

    QT_QPA_PLATFORM=offscreen python scripts/interview_screenshots.py [--out docs/screenshots]

(or under Xvfb with QT_QPA_PLATFORM=xcb). Fakes six weeks of study first
(scripts/fake_learner.py, real services, a stepping clock), so the charts have history to
show; the same seed gives the same pictures.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fake_learner import build, right_answer, study_evening, wrong_answer  # noqa: E402

from quizapp.services import cram, study  # noqa: E402
from quizapp.services.collection import Collection  # noqa: E402
from quizapp.ui.interview import InterviewSetupDialog  # noqa: E402
from quizapp.ui.launch import make_app, open_window  # noqa: E402


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def wait_for(app: QApplication, ready: object, seconds: float = 60) -> None:
    """Process events until `ready()` holds (a worker finished), or fail loudly."""
    deadline = time.monotonic() + seconds
    while not ready():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting after {seconds} s")
        app.processEvents()
        time.sleep(0.02)
    settle(app)


def shoot(widget: QWidget, app: QApplication, path: Path) -> None:
    settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--days", type=int, default=42)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    end = datetime(2026, 11, 24, 12, 0).astimezone()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        col, clock = build(Path(tmp), args.days, 1, end)
        clock.now = end.replace(hour=19, minute=5)
        decks = [d.uuid for d in study.deck_overview(col)]
        study_evening(col, clock, decks[:6], _skills(col), "", rng)  # today's study, too
        window = open_window(col)
        window.resize(1100, 780)
        window.show()

        menu = window.study_menu
        setup = InterviewSetupDialog(col, window)
        setup.count.setValue(10)
        setup.per_question.setValue(90)
        setup.per_session.setValue(15)
        setup.show()
        wait_for(app, lambda: setup.readiness_done)  # each deck's readiness, from a worker
        shoot(setup, app, args.out / "interview-setup.png")
        setup.accept()
        started: list[bool] = []  # the questions are drawn on a worker
        menu.interview_started.connect(lambda: started.append(True))
        menu.start_interview(setup.config(), readiness=setup.readiness)
        wait_for(app, lambda: bool(started))
        page = menu.interview_page
        run = page.run
        assert run is not None
        for i in range(3):
            card = run.questions[i].card
            clock.step(rng.uniform(20, 60))
            page.on_submitted(right_answer(card) if i != 1 else wrong_answer(card))
        # find a question with code for the picture; answer the others on the way
        while run.current is not None and not run.current.card.code:
            clock.step(30)
            page.on_submitted(right_answer(run.current.card))
        clock.step(23)
        page.tick()
        shoot(window, app, args.out / "interview.png")

        while run.current is not None:
            card = run.current.card
            clock.step(rng.uniform(15, 70))
            roll = rng.random()
            if roll < 0.15:
                clock.step(120)
                page.tick()
            else:
                page.on_submitted(right_answer(card) if roll < 0.65 else wrong_answer(card))
        settle(app)
        shoot(window, app, args.out / "interview-report.png")

        stats_window = menu.open_statistics()
        stats_window.resize(1180, 900)
        wait_for(app, lambda: stats_window.stats is not None)  # figures come from a worker
        shoot(stats_window, app, args.out / "statistics.png")
        tabs = stats_window.tabs
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Memory"))
        shoot(stats_window, app, args.out / "statistics-memory.png")
        stats_window.close()

        browser = window.browse_cards()
        browser.resize(1400, 800)
        browser.show()
        browser.search_box.setText("mutex guard")
        browser.run_search()
        # The cards in the table, not only their count in the status line.
        wait_for(app, lambda: "match" in browser.status.text() and browser.model.uuids)
        shoot(browser, app, args.out / "browser-search.png")
        browser.close()
        window.close()
        col.close()
    return 0


def _skills(col: Collection) -> dict[str, float]:
    """An even 80 % chance on every card for today's session."""
    return {
        uuid: 0.8
        for deck in study.deck_overview(col)
        for uuid in cram.start_cram(col, deck_uuid=deck.uuid).queue.pending
    }


if __name__ == "__main__":
    raise SystemExit(main())
