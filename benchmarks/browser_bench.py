"""The card browser at 100,000 cards: search, first screen, and scrolling to the very end.

Builds a collection of N cards (default 100,000) straight through storage (one bulk insert;
the search index fills through its triggers as an import's would), opens the browser
offscreen (timing its first screen and its whole result: the search runs in a worker),
times a few searches a learner would type, then drags the scroll bar to the end
in 200 steps, drawing each screen and timing each page the model reads. Prints JSON. Speed is measured
here, never asserted in tests (see DESIGN.md).

    QT_QPA_PLATFORM=offscreen python benchmarks/browser_bench.py [--cards N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from quizapp.core.model import Card, Deck, Kind
from quizapp.services.cards import CardQuery
from quizapp.services.collection import Collection, open_collection
from quizapp.storage import repo
from quizapp.storage.codec import card_to_json

WORDS = [
    "borrow",
    "move",
    "lifetime",
    "trait",
    "generic",
    "closure",
    "iterator",
    "future",
    "async",
    "await",
    "pin",
    "unsafe",
    "pointer",
    "slice",
    "vector",
    "string",
    "option",
    "result",
    "error",
    "panic",
    "thread",
    "mutex",
    "channel",
    "atomic",
    "arc",
    "rc",
    "refcell",
    "cell",
    "box",
    "drop",
    "clone",
    "copy",
    "send",
    "sync",
    "macro",
    "match",
    "enum",
    "struct",
    "impl",
]
RARE = "quokka"


def build(col: Collection, n: int, decks: int = 10) -> float:
    """n cards over `decks` decks with varied schedules; returns seconds taken."""
    rng = random.Random(7)
    today = col.today().toordinal()
    start = time.perf_counter()
    with col.db.session() as session:
        deck_ids = []
        for d in range(decks):
            deck = Deck(id=f"e0000000-0000-4000-8000-{d:012d}", name=f"Bench deck {d:02d}")
            row = repo.save_deck(deck, source="bench", digest="", position=d, session=session)
            assert row.id is not None
            deck_ids.append(row.id)
        rows: list[dict[str, Any]] = []
        for i in range(n):
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            prompt = f"Card {i}: what about {words}?" + (f" {RARE}" if i == n - 7 else "")
            card = Card(
                id=f"f0000000-0000-4000-8000-{i:012d}",
                kind=Kind.SHORT,
                prompt=prompt,
                explanation=" ".join(rng.choice(WORDS) for _ in range(20)),
                tags=(rng.choice(WORDS), rng.choice(WORDS)),
                accepted=("x",),
            )
            rows.append(
                {
                    "uuid": card.id,
                    "deck_id": deck_ids[i % decks],
                    "position": i // decks,
                    "kind": card.kind.value,
                    "prompt": card.prompt,
                    "code": "",
                    "explanation": card.explanation,
                    "tags": " ".join(card.tags),
                    "content": card_to_json(card),
                    "retired": False,
                }
            )
        repo.insert_cards(rows, session=session)  # each card gets a new state row
        session.connection().exec_driver_sql(
            "UPDATE card_state SET repetitions = card_id % 5, "
            "easiness_hundredths = 130 + card_id % 170, interval = card_id % 90, "
            f"due_day = CASE WHEN card_id % 3 = 0 THEN NULL ELSE {today} - 30 + card_id % 60 END, "
            "lapses = card_id % 4, reviews = card_id % 11, suspended = card_id % 50 = 0"
        )
        session.connection().exec_driver_sql(  # predicted recall needs the last review's day
            "UPDATE card_state SET last_review_day = due_day - interval "
            "WHERE due_day IS NOT NULL AND interval > 0"
        )
        session.commit()
    return time.perf_counter() - start


def _first_page(col: Collection, query: CardQuery) -> list[str]:
    from quizapp.services import browse

    return browse.first_page(col, query, 200) or []


def _wait_flag() -> Any:
    """processEvents sleeps until an event comes, as the event loop does: a loop spinning
    on it would take the cores from the worker it waits for."""
    from PySide6.QtCore import QEventLoop

    return QEventLoop.ProcessEventsFlag.WaitForMoreEvents


def _first_screen(app: Any, window: Any, start: float) -> tuple[float, int]:
    """(ms from `start` until the search's first rows were in the table and drawn, rows):
    the search runs in a worker and sends its first screen before the rest."""
    model, seen = window.model, []

    def reset() -> None:
        if not seen and model.rowCount():
            window.table.viewport().repaint()
            seen.append((round((time.perf_counter() - start) * 1000, 1), model.rowCount()))

    model.modelReset.connect(reset)
    while model.searching and not seen:
        app.processEvents(_wait_flag())
    model.modelReset.disconnect(reset)
    return seen[0] if seen else (round((time.perf_counter() - start) * 1000, 1), 0)


def _searched(app: Any, window: Any) -> None:
    while window.model.searching:
        app.processEvents(_wait_flag())


def main() -> int:
    parser = argparse.ArgumentParser(description="the card browser at scale")
    parser.add_argument("--cards", type=int, default=100_000)
    args = parser.parse_args()

    from quizapp.services import cards
    from quizapp.ui.browser import BrowserWindow
    from quizapp.ui.launch import make_app
    from quizapp.ui.theme import apply_theme

    app = make_app()
    apply_theme(app, "light")
    result: dict[str, Any] = {"cards": args.cards}
    with tempfile.TemporaryDirectory(prefix="quizapp-browser-bench-") as tmp:
        col = open_collection(Path(tmp))
        try:
            result["build_seconds"] = round(build(col, args.cards), 2)

            def timed(label: str, query: CardQuery, search: Any = cards.search_cards) -> None:
                start = time.perf_counter()
                found = search(col, query)
                result.setdefault("search_ms", {})[label] = {
                    "ms": round((time.perf_counter() - start) * 1000, 1),
                    "matches": len(found),
                }

            timed("everything, by deck", CardQuery())
            timed("rare word", CardQuery(text=RARE))
            timed("common prefix 'mut'", CardQuery(text="mut"))
            timed("two words", CardQuery(text="borrow lifetime"))
            timed("by prompt", CardQuery(sort="prompt"))
            timed("by due, descending", CardQuery(sort="due", descending=True))
            timed("overdue, lapses >= 2", CardQuery(due="overdue", min_lapses=2))
            timed("tag 'unsafe', not suspended", CardQuery(tag="unsafe", suspended=False))
            from quizapp.services import browse

            # the recall search computes every match's recall: the costly ones
            timed("recall below 0.8 (r<0.8)", CardQuery(text="r<0.8"), browse.search_cards)
            timed("by recall", CardQuery(sort="recall"), browse.search_cards)
            timed("two words, r<0.8", CardQuery(text="borrow lifetime r<0.8"), browse.search_cards)

            timed("first screen only, by deck", CardQuery(), _first_page)
            timed("first screen only, common word 'mutex'", CardQuery(text="mutex"), _first_page)

            start = time.perf_counter()
            window = BrowserWindow(col)
            window.show()
            result["open_first_screen_ms"], result["rows_first_screen"] = _first_screen(
                app, window, start
            )
            _searched(app, window)
            result["open_ms"] = round((time.perf_counter() - start) * 1000, 1)
            result["rows_after_open"] = window.model.rowCount()

            fetches: list[float] = []
            original = window.model._fetch_page

            def timed_fetch(number: int) -> list[Any]:
                t = time.perf_counter()
                page = original(number)
                fetches.append(time.perf_counter() - t)
                return page

            window.model._fetch_page = timed_fetch  # type: ignore[method-assign]
            bar = window.table.verticalScrollBar()
            start = time.perf_counter()
            for step in range(1, 201):
                bar.setValue(bar.maximum() * step // 200)
                app.processEvents()
            result["scroll_to_end_seconds"] = round(time.perf_counter() - start, 2)
            result["rows"] = window.model.rowCount()
            result["pages_in_memory"] = window.model.cached_pages()
            result["page_fetches"] = len(fetches)
            ordered = sorted(fetches)
            result["page_fetch_ms"] = {
                "median": round(ordered[len(ordered) // 2] * 1000, 2),
                "p95": round(ordered[int(len(ordered) * 0.95)] * 1000, 2),
                "max": round(ordered[-1] * 1000, 2),
            }
            for label, typed in (("retype", "borrow lifetime"), ("common_word", "mutex")):
                start = time.perf_counter()
                window.search_box.setText(typed)
                window.run_search()
                result[f"{label}_first_screen_ms"], _rows = _first_screen(app, window, start)
                _searched(app, window)
                result[f"{label}_search_ms"] = round((time.perf_counter() - start) * 1000, 1)
                result[f"{label}_matches"] = window.model.rowCount()
            window.close()
        finally:
            col.close()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
