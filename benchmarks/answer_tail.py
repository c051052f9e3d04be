"""What makes the slow answers slow: each answer timed, with a mark of what happened in it.

Runs a sitting of N answers (deck 1 first, as vs_anki.py's answer task does) on a copy of a
built collection and prints one JSON object: the median and p95 of the first 500 answers,
their CPU time, and for the slow 5% what was going on: a garbage-collector pass (which
generation), the WAL checkpoint started or running behind (`storage.checkpoints`), an
involuntary context switch (another process took the CPU), a COMMIT over 0.1 ms. COMMIT
is timed by wrapping the connection kept for answers; nothing else is changed.

    python benchmarks/answer_tail.py --data DIR [--answers 500]
    # DIR: a built collection (collection_bench.py --keep DIR); it is copied, never written
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from _builders import deck_name, right_answer  # noqa: E402

SLOW_COMMIT = 0.1e-3
HEAD = 500


class TimedCommit:
    """The kept connection, with its COMMIT timed (everything else passed through)."""

    def __init__(self, conn: Any, spent: list[float]) -> None:
        self._conn = conn
        self._spent = spent

    def commit(self) -> None:
        start = time.perf_counter()
        self._conn.commit()
        self._spent.append(time.perf_counter() - start)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def run(data: Path, answers: int) -> dict[str, Any]:
    from quizapp.services import study
    from quizapp.services.collection import open_collection
    from quizapp.services.exchange import find_deck
    from quizapp.services.settings import set_setting
    from quizapp.storage import database

    commits: list[float] = []
    kept = database.Database._held_connection
    database.Database._held_connection = lambda self: TimedCommit(kept(self), commits)  # type: ignore[method-assign,assignment,return-value]
    collections: list[int] = []
    gc.callbacks.append(
        lambda phase, info: collections.append(info["generation"]) if phase == "start" else None
    )
    col = open_collection(data)
    rows: list[dict[str, Any]] = []
    rng = random.Random(3)
    try:
        set_setting(col, "new_per_day", "9999")
        set_setting(col, "reviews_per_day", "9999")
        behind = col.db.checkpoints
        deck = 1
        sitting = study.start_sitting(col, [find_deck(col, deck_name(deck))])
        view = study.current_card(col, sitting)
        while len(rows) < answers and deck <= 14:
            if view is None:
                deck += 1
                sitting = study.start_sitting(col, [find_deck(col, deck_name(deck))])
                view = study.current_card(col, sitting)
                continue
            answer, quality = right_answer(view.card), rng.choice((3, 4, 4, 5))
            collections.clear()
            commits.clear()
            busy = bool(getattr(behind, "_running", False) or getattr(behind, "_due", False))
            usage = resource.getrusage(resource.RUSAGE_THREAD)
            cpu, start = time.thread_time(), time.perf_counter()
            study.answer_card(col, sitting, view, answer, quality, seconds=3.0)
            wall, cpu = time.perf_counter() - start, time.thread_time() - cpu
            switched = resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw - usage.ru_nivcsw
            started = bool(getattr(behind, "_due", False) or getattr(behind, "_running", False))
            marks = [f"gc{g}" for g in collections]
            marks += ["checkpoint running"] if busy else []
            marks += ["checkpoint started"] if started and not busy else []
            marks += ["switched out"] if switched else []
            marks += ["slow commit"] if commits and commits[-1] > SLOW_COMMIT else []
            rows.append({"ms": wall * 1000, "cpu_ms": cpu * 1000, "marks": marks})
            view = study.current_card(col, sitting)
    finally:
        col.close()
    head = rows[:HEAD]
    walls = sorted(r["ms"] for r in head)
    cpus = sorted(r["cpu_ms"] for r in head)
    p95 = walls[int(len(walls) * 0.95)]
    slow = [r for r in head if r["ms"] >= p95]
    return {
        "answers": len(rows),
        "median_ms": round(statistics.median(walls), 4),
        "p95_ms": round(p95, 4),
        "cpu_p95_ms": round(cpus[int(len(cpus) * 0.95)], 4),
        "last_500_median_ms": round(statistics.median(r["ms"] for r in rows[-HEAD:]), 4),
        "slow_commits": sum("slow commit" in r["marks"] for r in head),
        "slowest_5pct_marks": dict(
            Counter(" + ".join(r["marks"]) or "nothing marked" for r in slow).most_common()
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a built collection's folder")
    parser.add_argument("--answers", type=int, default=HEAD)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="answer-tail-") as work:
        copy = Path(work) / "data"
        copy.mkdir()
        for name in ("collection.sqlite3", "collection.sqlite3-wal"):
            if (args.data / name).exists():
                shutil.copyfile(args.data / name, copy / name)
        print(json.dumps(run(copy, args.answers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
