"""How fast a sync folder merges: a year of study from two other devices, and nothing new.

Builds a collection of N cards (one deck per 10,000), joins a sync folder with it (the
one-time cost of writing the collection into this device's journal is measured too), then
writes two other devices' journals of R answers each, spread over a year the way a
learner answers (a card at a time, intervals growing), in the exact format a device
writes. Then it times:

- `merge_seconds`: `quizapp sync` taking both journals in (read, union, reschedule every
  touched card from its merged log, one transaction), with `backup_seconds`, the
  before-sync backup inside it, also shown alone; `merge_cpu_seconds` is the process's
  CPU time for it (on a busy shared machine the wall time is the larger);
- `merge_phases`: where the merge's time goes, [wall, CPU] seconds per step (`SyncReport.phases`:
  reading and checking the journals, the backup, applying events, building the answers'
  rows, inserting them, replaying schedules, writing them, the commit);
- `noop_seconds`: a sync with nothing new (median of 20);
- `journal_bytes_per_100k_reviews`: the size of one device's journal per 100,000 answers.

    python benchmarks/sync_bench.py [--cards 100000] [--reviews 100000] [--keep DIR]

Prints one JSON object. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.core.hlc import Hlc  # noqa: E402
from quizapp.core.model import Card, Deck, Kind  # noqa: E402
from quizapp.services import journal, sync  # noqa: E402
from quizapp.services.collection import open_collection  # noqa: E402
from quizapp.services.decks import import_deck  # noqa: E402

START = datetime(2025, 1, 6, 8, tzinfo=UTC)


def build(data: Path, cards: int) -> list[str]:
    col = open_collection(data)
    uuids: list[str] = []
    try:
        for d in range(0, cards, 10_000):
            deck_cards = tuple(
                Card(id=str(uuid.UUID(int=d + i + 1)), kind=Kind.FLASHCARD, prompt=f"Q{d + i}")
                for i in range(min(10_000, cards - d))
            )
            uuids.extend(c.id for c in deck_cards)
            deck = Deck(
                id=str(uuid.UUID(int=10**12 + d)), name=f"Deck {d // 10_000}", cards=deck_cards
            )
            import_deck(col, deck, source="bench")
    finally:
        col.close()
    return uuids


def device_journal(
    folder: Path, device: str, card_uuids: list[str], reviews: int, seed: int
) -> int:
    """A year of one device's answers, as that device's journal files."""
    rng = random.Random(seed)
    directory = folder / device
    directory.mkdir(parents=True)
    per_card: dict[str, tuple[int, int]] = {}
    events = []
    chosen = rng.sample(card_uuids, min(len(card_uuids), reviews // 2))
    at = START + timedelta(seconds=seed)
    for n in range(reviews):
        card = chosen[n % len(chosen)] if n < len(chosen) else rng.choice(chosen)
        count, _ = per_card.get(card, (0, 0))
        per_card[card] = (count + 1, n)
        at += timedelta(seconds=365 * 86400 // reviews)
        quality = rng.choice((5, 4, 4, 3, 2))
        day = at.date().toordinal()
        values = [
            at.strftime("%Y-%m-%d %H:%M:%S.%f"),
            day,
            "new" if count == 0 else "review",
            "{}",
            None,
            quality,
            count,
            count + 1,
            250,
            250,
            0,
            1,
            None,
            day + 1,
            None,
            4.5,
            None,
        ]
        hlc = Hlc(int(at.timestamp() * 1000), 0, device).text
        events.append({"t": "review", "o": f"{device}:{n + 1}", "c": card, "r": values, "h": hlc})
    for start in range(0, len(events), journal.EVENTS_PER_FILE):
        chunk = events[start : start + journal.EVENTS_PER_FILE]
        lines = []
        for i, e in enumerate(chunk, start + 1):
            e["s"] = i
            lines.append(json.dumps(e, separators=(",", ":")))
        path = directory / journal.journal_name(start // journal.EVENTS_PER_FILE + 1)
        path.write_text("\n".join(lines) + "\n")
    return journal.folder_bytes(directory)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="sync-bench-"))
    data, folder = root / "data", root / "folder"
    try:
        t = time.perf_counter()
        uuids = build(data, args.cards)
        build_seconds = time.perf_counter() - t
        col = open_collection(data)
        t = time.perf_counter()
        sync.choose_folder(col, folder)
        join_seconds = time.perf_counter() - t
        join_bytes = journal.folder_bytes(folder / (sync.device_id(col) or ""))
        sync.sync(col, compact=False)  # settles this device's own cursor, as a year of use has
        sizes = [
            device_journal(folder, uuid.uuid4().hex, uuids, args.reviews, seed) for seed in (1, 2)
        ]
        t, cpu = time.perf_counter(), time.process_time()
        report = sync.sync(col, compact=False)
        merge_seconds, merge_cpu = time.perf_counter() - t, time.process_time() - cpu
        backups = sorted((data / "backups").glob("*before-sync*"))
        t = time.perf_counter()
        from quizapp.services.backup import take_backup

        take_backup(col, "bench")
        backup_seconds = time.perf_counter() - t
        noops = []
        for _ in range(20):
            t = time.perf_counter()
            assert sync.sync(col, compact=False).merged == 0
            noops.append(time.perf_counter() - t)
        col.close()
        print(
            json.dumps(
                {
                    "cards": args.cards,
                    "reviews_per_device": args.reviews,
                    "build_seconds": round(build_seconds, 2),
                    "join_seconds": round(join_seconds, 2),
                    "join_journal_bytes": join_bytes,
                    "merge_seconds": round(merge_seconds, 3),
                    "merge_cpu_seconds": round(merge_cpu, 3),
                    "load_average": round(os.getloadavg()[0], 1),
                    "merge_phases": {
                        name: [round(wall, 3), round(cpu, 3)]
                        for name, (wall, cpu) in report.phases.items()
                    },
                    "merged_answers": report.reviews_added,
                    "rescheduled_cards": report.rescheduled,
                    "backup_seconds": round(backup_seconds, 3),
                    "before_sync_backup_taken": bool(backups),
                    "noop_seconds": round(statistics.median(noops), 4),
                    "journal_bytes_per_100k_reviews": round(
                        statistics.mean(sizes) * 100_000 / args.reviews
                    ),
                    "cpu_count": os.cpu_count(),
                },
                indent=1,
            )
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
