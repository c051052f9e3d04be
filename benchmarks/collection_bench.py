"""How fast quizapp is on a big collection: every everyday action, each in a fresh process.

Builds a synthetic collection (N cards over 14 decks: new, learning and review cards in a
realistic mix, 10 review-log rows per card), then runs each measurement in its own Python
process, so no warm cache or import from an earlier one flatters it, and prints one JSON
object: seconds for each action and the peak memory (ru_maxrss, MiB) of its process.

    python benchmarks/collection_bench.py --cards 100000 [--keep DIR]

The window is timed from the moment its process is started to the first paint of the deck
list with its counts: the child creates the QApplication first, installs an event filter
that stops at that paint, then calls `quizapp.ui.launch.run_window` exactly as `quizapp` does, so
the app needs no benchmark hook. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # the app, and the sibling builders

from _builders import (  # noqa: E402  (after the path is set; shared with vs_anki.py)
    LOGS_PER_CARD,
    RARE_WORD,
    build_collection,
    peak_mib,
    right_answer,
    synthetic_card,
    write_deck_file,
)

# --- measurements, each run in its own process ------------------------------------------------


def open_col(data_dir: Path) -> Any:
    from quizapp.services.collection import open_collection

    return open_collection(data_dir)


def task_window(data_dir: Path, started: float) -> dict[str, Any]:
    """Process start -> first paint of the deck list with its counts, via ui.launch.run_window,
    started as `quizapp.app.main` starts it: the deck list's pages are read while Qt loads."""
    from quizapp.services.startup import warm_deck_list

    warm_deck_list(data_dir)
    from PySide6.QtCore import QEvent, QObject, QTimer

    from quizapp.ui.launch import make_app, run_window

    app = make_app()
    seen: dict[str, Any] = {}
    quitting = QTimer()
    quitting.setInterval(20)
    quitting.timeout.connect(app.quit)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "seconds" not in seen:
                tree = _deck_tree(watched)
                if tree is not None and tree.topLevelItemCount() and tree.isVisible():
                    seen["seconds"] = time.time() - started
                    seen["decks"] = tree.topLevelItemCount()
                    seen["first_row"] = [tree.topLevelItem(0).text(c) for c in range(5)]
                    # Again and again from the event loop: the first paint may come before
                    # `exec` (the deck list painted before the collection opens), and a quit
                    # while no loop runs (a processEvents call) is lost.
                    quitting.start()
            return False

    spy = FirstPaint()
    app.installEventFilter(spy)
    status = run_window(str(data_dir), warmed=True)
    if "seconds" not in seen:
        raise SystemExit(f"the deck list was never painted (exit status {status})")
    return seen


def _deck_tree(widget: Any) -> Any:
    from PySide6.QtWidgets import QTreeWidget

    parent = widget.parent() if hasattr(widget, "parent") else None
    return parent if isinstance(parent, QTreeWidget) else None


def task_deck_counts(data_dir: Path) -> dict[str, Any]:
    from quizapp.services import study

    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        rows = study.deck_overview(col)
        first = time.perf_counter() - start
        repeats = []
        for _ in range(20):
            start = time.perf_counter()
            study.deck_overview(col)
            repeats.append(time.perf_counter() - start)
    finally:
        col.close()
    return {
        "seconds": first,
        "median_seconds": statistics.median(repeats),
        "decks": len(rows),
        "new": sum(r.counts.new for r in rows),
        "learning": sum(r.counts.learning for r in rows),
        "due": sum(r.counts.due for r in rows),
    }


def task_next_card(data_dir: Path) -> dict[str, Any]:
    from quizapp.services import study

    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        session = study.start_sitting(col)
        view = study.current_card(col, session)
        cold = time.perf_counter() - start
        # As in the window: the deck list has been shown, then the learner presses Enter.
        study.deck_overview(col)
        start = time.perf_counter()
        session = study.start_sitting(col)
        view = study.current_card(col, session)
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {
        "seconds": seconds,
        "first_query_of_process_seconds": cold,
        "queue": session.queue.remaining,
        "found": view is not None,
    }


def task_answer(data_dir: Path, answers: int = 500) -> dict[str, Any]:
    """500 answers, each its own committed transaction: answer_card timed alone, and with
    the next card's read after it (`current_card`, what the study page shows next), the
    time from the learner's grade to the next card being ready."""
    from quizapp.services import study

    rng = random.Random(3)
    col = open_col(data_dir)
    times: list[float] = []
    nexts: list[float] = []
    both: list[float] = []
    try:
        session = study.start_sitting(col)
        view = study.current_card(col, session)
        while len(times) < answers:
            if view is None:
                session = study.start_sitting(col)
                view = study.current_card(col, session)
                continue
            answer = right_answer(view.card)
            quality = rng.choice((3, 4, 4, 5))
            start = time.perf_counter()
            study.answer_card(col, session, view, answer, quality, seconds=3.0)
            answered = time.perf_counter()
            view = study.current_card(col, session)
            ready = time.perf_counter()
            times.append(answered - start)
            nexts.append(ready - answered)
            both.append(ready - start)
    finally:
        col.close()
    times.sort()
    both.sort()
    return {
        "median_seconds": statistics.median(times),
        "p95_seconds": times[int(len(times) * 0.95)],
        "answers": len(times),
        "next_card_median_seconds": statistics.median(nexts),
        "answer_and_next_median_seconds": statistics.median(both),
        "answer_and_next_p95_seconds": both[int(len(both) * 0.95)],
    }


def task_search(data_dir: Path) -> dict[str, Any]:
    try:
        from quizapp.services import cards
        from quizapp.storage.search import CardQuery
    except ImportError:
        return {"skipped": "no full-text search in this tree (quizapp/storage/search.py)"}
    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        found = cards.search_cards(col, CardQuery(text=RARE_WORD))
        first = time.perf_counter() - start
        start = time.perf_counter()
        common = cards.search_cards(col, CardQuery(text="mutex"))
        common_seconds = time.perf_counter() - start
    finally:
        col.close()
    return {
        "seconds": first,
        "matches": len(found),
        "common_word_seconds": common_seconds,
        "common_word_matches": len(common),
    }


def task_browser(data_dir: Path) -> dict[str, Any]:
    try:
        from quizapp.ui.browser import BrowserWindow
    except ImportError:
        return {"skipped": "no card browser in this tree (quizapp/ui/browser.py)"}

    from quizapp.ui.launch import make_app

    app = make_app()
    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        browser = BrowserWindow(col)  # runs the first search, as Go > Browse cards does
        browser.show()
        model, view = browser.model, browser.table
        opened, shown = _first_screen(app, browser, start)  # its first screen drawn
        _searched(app, browser)
        opened_all = time.perf_counter() - start
        # A common word (in about 30% of the cards), typed into the open browser; a timer
        # ticking every 10 ms says how long the GUI thread was held at most meanwhile.
        gaps = _GuiGaps()
        start = time.perf_counter()
        browser.search_box.setText(COMMON_WORD)
        browser.run_search()
        common_first, common_rows = _first_screen(app, browser, start)
        _searched(app, browser)
        common_all = time.perf_counter() - start
        common_block = gaps.stop()
        common_matches = model.rowCount()
        # The same word typed as a learner types it, a key every 100 ms, timed from the last
        # key: whatever waits for the typing to pause (a debounce timer) is in this figure.
        typed_first, typed_block = _typed_first_screen(app, browser, COMMON_WORD)
        _searched(app, browser)
        browser.search_box.setText("")
        browser.run_search()
        _searched(app, browser)
        start = time.perf_counter()
        # Every match has a row from the start; drawn rows are read a page at a time. Drag
        # the scroll bar to the end in 20 steps, as a learner would, drawing each screen.
        bar = view.verticalScrollBar()
        for step in range(1, 21):
            bar.setValue(bar.maximum() * step // 20)
            app.processEvents()
        view.scrollToBottom()
        app.processEvents()
        scrolled = time.perf_counter() - start
        rows = model.rowCount()
        pages_read = model.pages_loaded
        browser.close()
    finally:
        col.close()
    return {
        "open_seconds": opened,
        "open_rows_shown": shown,
        "open_whole_result_seconds": opened_all,
        "common_word": COMMON_WORD,
        "common_word_first_screen_seconds": common_first,
        "common_word_first_screen_rows": common_rows,
        "common_word_all_seconds": common_all,
        "common_word_longest_gui_block_seconds": common_block,
        "common_word_matches": common_matches,
        "common_word_typed_first_screen_seconds": typed_first,
        "common_word_typed_longest_gui_block_seconds": typed_block,
        "scroll_to_end_seconds": scrolled,
        "rows": rows,
        "pages_read": pages_read,
    }


COMMON_WORD = "mutex"
"""One of the builder's WORDS: in about 30% of the cards."""


def _wait_flag() -> Any:
    """processEvents sleeps until an event comes, as the event loop does: a loop spinning
    on it would take the cores from the worker it waits for."""
    from PySide6.QtCore import QEventLoop

    return QEventLoop.ProcessEventsFlag.WaitForMoreEvents


def _first_screen(app: Any, browser: Any, start: float) -> tuple[float, int]:
    """Seconds from `start` until the newest search's first rows were in the table and
    drawn, and how many rows that was. Older trees search on the GUI thread (already done)."""
    model = browser.model
    seen: list[tuple[float, int]] = []

    def reset() -> None:
        if not seen and model.rowCount():
            browser.table.viewport().repaint()  # drawn: each visible row's page read
            seen.append((time.perf_counter() - start, model.rowCount()))

    model.modelReset.connect(reset)
    while getattr(model, "searching", False) and not seen:
        app.processEvents(_wait_flag())
    model.modelReset.disconnect(reset)
    if not seen:  # searched synchronously, or nothing matched
        browser.table.viewport().repaint()
        seen.append((time.perf_counter() - start, model.rowCount()))
    return seen[0]


def _typed_first_screen(app: Any, browser: Any, word: str) -> tuple[float, float]:
    """(seconds from the last key of `word` typed into the emptied search box until its
    first screen was in the table and drawn, the longest the GUI thread was held
    meanwhile). Keys come every 100 ms (faster than either tree's pause before showing)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    model = browser.model
    browser.search_box.setText("")
    browser.run_search()
    _searched(app, browser)
    browser.search_box.setFocus()
    seen: list[float] = []

    def reset() -> None:
        if not seen and model.rowCount() and model.query.text == word:
            browser.table.viewport().repaint()
            seen.append(time.perf_counter())

    model.modelReset.connect(reset)
    QTest.keyClicks(browser.search_box, word[:-1], Qt.KeyboardModifier.NoModifier, 100)
    QTest.qWait(100)
    gaps = _GuiGaps()
    QTest.keyClick(browser.search_box, word[-1])
    last = time.perf_counter()
    while not seen:
        app.processEvents(_wait_flag())
    block = gaps.stop()
    model.modelReset.disconnect(reset)
    return seen[0] - last, block


class _GuiGaps:
    """The longest wait between ticks of a 10 ms timer on the GUI thread, in seconds."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.longest = 0.0
        self.ticks = QElapsedTimer()
        self.ticks.start()
        self.timer = QTimer()
        self.timer.timeout.connect(self.tick)
        self.timer.start(10)

    def tick(self) -> None:
        self.longest = max(self.longest, self.ticks.restart() / 1000)

    def stop(self) -> float:
        self.tick()
        self.timer.stop()
        return self.longest


def _searched(app: Any, browser: Any) -> None:
    while getattr(browser.model, "searching", False):
        app.processEvents(_wait_flag())


def task_import(data_dir: Path, deck_file: Path) -> dict[str, Any]:
    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        how = _import(col, deck_file)
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {"seconds": seconds, "through": how}


def _import(col: Any, deck_file: Path) -> str:
    """As File > Import does it: read the file, plan (the preview), then apply."""
    from quizapp.services.exchange import apply_import, plan_import
    from quizapp.services.importers import read_bundle

    apply_import(col, plan_import(col, read_bundle(deck_file)))
    return "importers.read_bundle + exchange.plan_import + exchange.apply_import"


def write_csv_file(path: Path, cards: int, seed: int) -> None:
    """The same kind of cards as `write_deck_file`, as a spreadsheet export would hold them."""
    import csv

    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "kind", "prompt", "back", "answer", "explanation", "tags"])
        for i in range(cards):
            card = synthetic_card(rng, i)
            out.writerow(
                [card.id, card.kind.value, card.prompt, card.back or "",
                 "|".join(card.accepted), card.explanation, " ".join(card.tags)]
            )  # fmt: skip


def task_export(data_dir: Path, deck_file: Path, out: Path) -> dict[str, Any]:
    deck_uuid = _deck_id(deck_file)
    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        how = _export(col, deck_uuid, out)
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {"seconds": seconds, "through": how, "bytes": out.stat().st_size}


def _deck_id(deck_file: Path) -> str:
    """The deck's id from the file's head: parsing all of it here would add ~300 MiB to the
    export's measured peak, memory the export itself never uses."""
    import tomllib

    head = deck_file.read_text(encoding="utf-8").split("[[cards]]", 1)[0]
    return str(tomllib.loads(head)["deck"]["id"])


def _export(col: Any, deck_uuid: str, out: Path) -> str:
    try:
        from quizapp.services import exchange
    except ImportError:
        exchange = None
    if exchange is not None and hasattr(exchange, "export_deck"):
        exchange.export_deck(col, deck_uuid, out)
        return "services.exchange.export_deck"
    from quizapp.core.deckwriter import write_deck
    from quizapp.core.model import Deck
    from quizapp.storage import repo

    with col.db.session() as session:
        row = repo.get_deck_by_uuid(deck_uuid, session=session)
        cards = tuple(repo.load_card(c) for c in repo.list_deck_cards(row.id, session=session))
    out.write_text(write_deck(Deck(id=row.uuid, name=row.name, cards=cards)), encoding="utf-8")
    return "core.deckwriter.write_deck (no services.exchange yet)"


def _stats_figures(stats: Any) -> dict[str, Any]:
    """A few of the figures, so runs before and after a change can be compared."""
    return {
        "answers": stats.answers,
        "retention": [stats.retention.passed, stats.retention.total],
        "weeks": len(stats.retention_by_week),
        "leeches": len(stats.leeches),
        "mature": stats.mastery.mature,
    }


def task_stats(data_dir: Path) -> dict[str, Any]:
    """services.stats.collection_stats (Study > Statistics), then `quizapp stats --json` as a
    process of its own, timed from its start to its exit."""
    from quizapp.services import stats

    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        figures = stats.collection_stats(col)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        stats.leech_views(col, figures.leeches)
        leech_seconds = time.perf_counter() - start
    finally:
        col.close()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "--data-dir", str(data_dir), "stats", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    cli = time.perf_counter() - start
    return {
        "seconds": seconds,
        "leech_views_seconds": leech_seconds,
        "cli_json_seconds": cli if proc.returncode == 0 else f"failed: {proc.stderr[-200:]}",
        **_stats_figures(figures),
    }


def task_stats_window(data_dir: Path) -> dict[str, Any]:
    """Study > Statistics: the window built and its figures shown (whether they are computed
    on the GUI thread or in a worker), and how long the GUI thread was held at most."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from quizapp.ui.launch import make_app
    from quizapp.ui.stats_window import StatsWindow

    app = make_app()
    col = open_col(data_dir)
    longest_gap = 0.0
    ticks = QElapsedTimer()
    ticks.start()

    def tick() -> None:
        nonlocal longest_gap
        longest_gap = max(longest_gap, ticks.restart() / 1000)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    try:
        start = time.perf_counter()
        ticks.restart()
        window = StatsWindow(col)
        drawn: list[float] = []  # the first figures on screen: drawn here if not yet

        def first_drawn() -> None:
            window.repaint()
            drawn.append(time.perf_counter() - start)

        window.first_shown.connect(first_drawn)
        window.show()
        tick()
        first = tabs = None
        while window.tabs.count() < 5 or getattr(window, "memory", None) is None:
            app.processEvents(_wait_flag())  # the 10 ms timer wakes it
            if first is None and getattr(window, "first", None) is not None:
                first = time.perf_counter() - start  # the streak, today's work, the heatmap
            if tabs is None and window.pages.currentWidget() is window.tabs:
                tabs = time.perf_counter() - start  # every tab, Memory perhaps still to come
        seconds = time.perf_counter() - start
        app.processEvents()
        timer.stop()
        figures = _stats_figures(window.stats)
        window.close()
    finally:
        col.close()
    return {
        "first_figures_seconds": seconds if first is None else first,
        "first_figures_drawn_seconds": drawn[0] if drawn else None,
        "tabs_seconds": seconds if tabs is None else tabs,
        "seconds": seconds,
        "longest_gui_block_seconds": longest_gap,
        **figures,
    }


def task_interview_start(data_dir: Path) -> dict[str, Any]:
    """Study > Mock interview > Start (10 questions over every section), and the hand-pick
    list of the question-set dialog."""
    from quizapp.core.interview import InterviewConfig
    from quizapp.services import interview

    col = open_col(data_dir)
    try:
        start = time.perf_counter()
        run = interview.start_interview(col, InterviewConfig(count=10), random.Random(5))
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        pickable = interview.pickable_questions(col)
        pick_seconds = time.perf_counter() - start
    finally:
        col.close()
    return {
        "seconds": seconds,
        "questions": [q.card.id[:8] for q in run.questions],
        "pickable_questions_seconds": pick_seconds,
        "pickable": len(pickable),
    }


TASKS = {
    "window": task_window,
    "stats": task_stats,
    "stats_window": task_stats_window,
    "interview_start": task_interview_start,
    "deck_counts": task_deck_counts,
    "next_card": task_next_card,
    "answer": task_answer,
    "search": task_search,
    "browser": task_browser,
    "import": task_import,
    "export": task_export,
}


def _snapshot(live: Path, target: Path) -> None:
    """A consistent copy of a closed WAL collection (its -wal folded in first)."""
    import sqlite3

    conn = sqlite3.connect(live)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    shutil.copyfile(live, target)
    _flush()


def _restore(snapshot: Path, data_dir: Path) -> None:
    for leftover in ("collection.sqlite3-wal", "collection.sqlite3-shm"):
        (data_dir / leftover).unlink(missing_ok=True)
    shutil.copyfile(snapshot, data_dir / "collection.sqlite3")
    _flush()


def _flush() -> None:
    """Write a fresh 236 MB copy back to disk now, not inside the next measurement (a
    checkpoint's fsync waiting behind it made answers look 60% slower)."""
    if hasattr(os, "sync"):
        os.sync()


def run_child(task: str, data_dir: Path, *extra: str) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.time()
    proc = subprocess.run(
        [sys.executable, __file__, "--task", task, "--data", str(data_dir), "--started",
         repr(started), *extra],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_main(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    extra = [Path(p) for p in args.extra]
    if args.task == "window":
        result = task_window(data_dir, float(args.started))
    else:
        result = TASKS[args.task](data_dir, *extra)
    result = {k: round(v, 5) if isinstance(v, float) else v for k, v in result.items()}
    result["peak_mib"] = peak_mib()
    print(json.dumps(result))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--import-cards", type=int, default=10_000, help="the import target's deck")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the collection here")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--started", help=argparse.SUPPRESS)
    parser.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        return child_main(args)

    work = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    pristine = work / "pristine.sqlite3"
    try:
        data_dir = args.keep or work / "data"
        report: dict[str, Any] = {
            "cards": args.cards,
            "review_log_rows": args.cards * LOGS_PER_CARD,
        }
        if not (data_dir / "collection.sqlite3").exists():
            report["build"] = build_collection(data_dir, args.cards)
        shutil.copyfile(data_dir / "collection.sqlite3", pristine)
        _flush()
        # First start: loads the shipped decks and takes the day's backup; then the real one.
        report["window_first_start"] = run_child("window", data_dir)
        report["window"] = run_child("window", data_dir)
        for task in ("deck_counts", "next_card", "answer", "search", "browser", "stats",
                     "stats_window", "interview_start"):  # fmt: skip
            report[task] = run_child(task, data_dir)
        # Each import into the same started collection: a snapshot after the window runs.
        started = work / "started.sqlite3"
        _snapshot(data_dir / "collection.sqlite3", started)
        csv_file = work / f"deck-{args.import_cards}.csv"
        write_csv_file(csv_file, args.import_cards, seed=args.import_cards + 1)
        for label, n, file in (
            ("import_10k", args.import_cards, work / f"deck-{args.import_cards}.toml"),
            ("import_csv_10k", args.import_cards, csv_file),
            ("import_n", args.cards, work / f"deck-{args.cards}.toml"),
        ):
            if file.suffix == ".toml":
                write_deck_file(file, n, seed=n)
            _restore(started, data_dir)
            report[label] = run_child("import", data_dir, str(file))
            report[label]["cards"] = n
        exported = work / "exported.toml"
        report["export_n"] = run_child("export", data_dir, str(work / f"deck-{args.cards}.toml"),
                                       str(exported))  # fmt: skip
        report["export_n"]["cards"] = args.cards
    finally:
        if args.keep and pristine.exists():
            # Leave the kept collection as it was built, so the next run measures the same.
            shutil.copyfile(pristine, args.keep / "collection.sqlite3")
            for leftover in ("collection.sqlite3-wal", "collection.sqlite3-shm"):
                (args.keep / leftover).unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
