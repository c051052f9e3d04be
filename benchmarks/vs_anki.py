"""quizapp against the real Anki library: the same everyday actions on the same collection.

Builds one synthetic collection (`_builders.plan_collection`: N cards over 14 decks, 70%
reviewed, 30% new, 0.2% failed today, 10 answers each in the review log) twice, once as a
quizapp collection and once as an Anki collection through the `anki` package (Anki's own
Rust backend; AGPL, so only tests and benchmarks use it, never `quizapp/`). Then, for
`--pairs` pairs, runs every action in a fresh process for Anki and then for quizapp
(A B A B ...), restoring the built collection before anything that writes, and prints one
JSON object: per figure, the median for each and the median of the per-pair ratios
quizapp / Anki. The ratio is the figure that counts: both sides share the machine's load.

    python benchmarks/vs_anki.py --cards 100000 --pairs 8
    python benchmarks/vs_anki.py --cards 2000 --pairs 2 --answers 600   # a smoke run
    python benchmarks/vs_anki.py --cards 100000 --pairs 3 --only answer --scheduler fsrs

Like for like, and where it cannot be:
- answer + commit: one process answers `--answers` cards (3,000) of deck 1, moving to the
  next deck when one runs dry, with the daily limits raised to 9999 new / 9999 reviews in
  both (so a 3,000-answer session exists at all; Anki takes nothing above 9999); only the answering call is timed (quizapp
  `study.answer_card`, Anki `sched.answer_card`, each committed before it returns), then
  separately the next card read after it (`study.current_card`, `sched.get_queued_cards`):
  `answer_and_next_*` is the learner's wait from a grade to the next card. Quality 3/4/4/5 in quizapp is Hard/Good/Good/Easy in Anki.
  Anki commits with SQLite's synchronous=FULL (an fsync of its WAL per answer), quizapp
  with NORMAL (safe against a crash or kill, not a power cut); a second Anki session at
  NORMAL (`*_anki_sync_normal`) compares the two at equal durability. With `--scheduler
  fsrs`, every synthetic deck is switched to FSRS before anything is timed (quizapp through
  `deck_options.set_deck_options`, which replays each card's log; Anki by turning its
  `fsrs` setting on, so a card without a stored memory state gets one from its SM-2 ease
  and interval when it is answered, as in Anki after switching without rescheduling).
- import: quizapp reads its TOML deck file through `importers.read_bundle` +
  `exchange.plan_import` + `exchange.apply_import`; Anki imports an .apkg of the same N
  cards (Basic notes, GUID = card UUID, no scheduling) with `import_anki_package`. The .apkg
  is Anki's own deck-sharing file, as the TOML file is quizapp's; Anki's CSV import would
  skip the package's notetype and its matching by GUID of a whole collection file.
- export: that deck, just imported, written back out: TOML vs .apkg (no media, no
  scheduling, current format).
- deck counts: `study.deck_overview` vs `sched.deck_due_tree`, first call and median of 20.
- next card: after the deck list, the first card of deck 1 (`study.start_sitting` +
  `current_card` vs `sched.get_queued_cards`).
- search: a word in one card, and one in ~30% of cards (`cards.search_cards` vs
  `find_cards`).
- desktop start to the deck list (warm): quizapp through collection_bench's window task
  (process start to the first paint of the deck list with its counts); Anki, with
  `--anki-desktop PYTHON` naming a Python that has `aqt` (PyQt6 + Qt WebEngine, not in
  quizapp's environment), through `_anki_desktop.py` (process start to its deck browser's
  page loaded). Each after one unmeasured first start. quizapp's own modules are compiled
  to bytecode first, as installing a wheel does (Anki's are, by pip).
- `--evicted`: the same starts again, each after dropping both apps' files (collection,
  Python environment, the app) from the page cache (`_evict.py`), as after a reboot.
  `--window-only` times the desktop starts alone.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # the app, and the sibling builders

import collection_bench as cb  # noqa: E402  (its quizapp tasks are reused as they are)
from _builders import (  # noqa: E402  (after the path is set)
    COMMON_WORD,
    DECKS,
    LOGS_PER_CARD,
    RARE_WORD,
    build_collection,
    deck_name,
    import_deck,
    peak_mib,
    plan_collection,
    right_answer,
    today_ordinal,
    write_deck_file,
)
from _evict import evict, interpreter_roots  # noqa: E402

ANKI_FILE = "collection.anki2"
QUIZAPP_FILE = "collection.sqlite3"
SESSION_HEAD = 500
"""The answers a session's median and p95 are taken over (its first), and compared with
its last as many to see whether an answer's cost grows with the session."""


# --- building the Anki side -------------------------------------------------------------------


def anki_fields(card: Any) -> tuple[str, str]:
    """A quizapp card as the Front and Back of Anki's Basic note: what a learner would type."""
    answer = card.back if card.back else " / ".join(card.accepted)
    return card.prompt, f"{answer}<br><br>{card.explanation}"


def anki_ease(quality: int) -> int:
    """SM-2 quality 1-5 as Anki's answer button (1 Again, 2 Hard, 3 Good, 4 Easy)."""
    return {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}[quality]


def build_anki(path: Path, cards: int, seed: int = 7) -> dict[str, Any]:
    """The plan `build_collection` writes for quizapp, written into an Anki collection:
    notes through the backend's `add_notes`, then their schedule and review log set by SQL,
    as the quizapp builder sets them by bulk inserts."""
    from anki.collection import AddNoteRequest, Collection

    start = time.perf_counter()
    col = Collection(str(path))
    # Start the collection's day count long ago, so overdue reviews have positive due days.
    col.crt = col.crt - 1000 * 86400
    col.close()
    col = Collection(str(path))
    basic = col.models.by_name("Basic")
    assert basic is not None
    dids = [int(col.decks.id(deck_name(d + 1))) for d in range(DECKS)]
    today = today_ordinal()
    anki_today = col.sched.today
    now = int(time.time())
    _, planned = plan_collection(cards, seed, today)
    log_id = 0
    batch: list[Any] = []

    def flush() -> None:
        nonlocal log_id
        notes = []
        for p in batch:
            note = col.new_note(basic)
            note.fields[0], note.fields[1] = anki_fields(p.card)
            note.tags = list(p.card.tags)
            note.guid = p.card.id
            notes.append(AddNoteRequest(note=note, deck_id=dids[p.deck - 1]))
        col.add_notes(notes)
        nids = [int(r.note.id) for r in notes]
        cid_of = dict(
            col.db.all(f"select nid, id from cards where nid between {min(nids)} and {max(nids)}")
        )
        card_rows, log_rows = [], []
        for p, nid in zip(batch, nids, strict=True):
            cid = cid_of[nid]
            factor = p.easiness_hundredths * 10
            if p.due_day is None:  # new, in deck order
                row = (0, 0, p.index, 0, 0, 0, p.lapses, 0)
            elif p.drill_day is not None:  # failed today: relearning, due now
                row = (3, 1, now - 60, 1, factor, LOGS_PER_CARD, p.lapses, 1)
            else:
                due = anki_today + (p.due_day - today)
                row = (2, 2, due, p.interval, factor, LOGS_PER_CARD, p.lapses, 0)
            if p.suspended:
                row = (row[0], -1, *row[2:])
            card_rows.append((*row, cid))
            for log in p.logs:
                log_id += 1
                moment = datetime.fromordinal(log.day).replace(hour=12, tzinfo=UTC)
                r = log.step
                log_rows.append(
                    (
                        int(moment.timestamp() * 1000) + log_id,
                        cid,
                        -1,
                        anki_ease(log.quality),
                        r + 1,
                        r,
                        2500,
                        4000,
                        1 if r else 0,
                    )
                )

        def write() -> None:  # one transaction: row by row, each would be committed alone
            col.db.executemany(
                "update cards set type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?, left=?,"
                " mod=strftime('%s','now'), usn=-1 where id=?",
                card_rows,
            )
            col.db.executemany(
                "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                log_rows,
            )

        col.db.transact(write)
        batch.clear()

    for p in planned:
        batch.append(p)
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()
    col.db.execute("analyze")
    col.close()
    return {
        "build_seconds": round(time.perf_counter() - start, 1),
        "db_mib": round(path.stat().st_size / 2**20, 1),
    }


def write_apkg(path: Path, cards: int, seed: int, work: Path) -> None:
    """The import deck (`_builders.import_deck`) as an Anki package, written by Anki."""
    from anki.collection import (
        AddNoteRequest,
        Collection,
        DeckIdLimit,
        ExportAnkiPackageOptions,
    )

    deck = import_deck(cards, seed)
    src_dir = work / "apkg-source"
    src_dir.mkdir()
    col = Collection(str(src_dir / ANKI_FILE))
    try:
        basic = col.models.by_name("Basic")
        assert basic is not None
        did = col.decks.id(deck.name)
        requests = []
        for card in deck.cards:
            note = col.new_note(basic)
            note.fields[0], note.fields[1] = anki_fields(card)
            note.tags = list(card.tags)
            note.guid = card.id
            requests.append(AddNoteRequest(note=note, deck_id=did))
        for i in range(0, len(requests), 5000):
            col.add_notes(requests[i : i + 5000])
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
            ),
            limit=DeckIdLimit(did),
        )
    finally:
        col.close()
    shutil.rmtree(src_dir)


# --- measurements, each in its own process -----------------------------------------------------


def _summary(
    times: list[float], cpu: list[float] | None = None, nexts: list[float] | None = None
) -> dict[str, Any]:
    """`cpu`: the answering thread's CPU time per answer (`time.thread_time`, read just
    outside the timed call), which a loaded machine's time slicing does not add to.
    `nexts`: the next card's read after each answer (the learner's wait is both)."""
    head = sorted(times[:SESSION_HEAD])
    both = sorted(
        a + n for a, n in zip(times[:SESSION_HEAD], (nexts or [])[:SESSION_HEAD], strict=False)
    )
    cpu_head = sorted((cpu or [0.0])[:SESSION_HEAD])
    return {
        "cpu_median_ms": statistics.median(cpu_head) * 1000,
        "cpu_p95_ms": cpu_head[int(len(cpu_head) * 0.95)] * 1000,
        "answers": len(times),
        "median_ms": statistics.median(head) * 1000,
        "p95_ms": head[int(len(head) * 0.95)] * 1000,
        "first_500_median_ms": statistics.median(times[:SESSION_HEAD]) * 1000,
        "last_500_median_ms": statistics.median(times[-SESSION_HEAD:]) * 1000,
        "session_median_ms": statistics.median(times) * 1000,
        **(
            {
                "next_card_median_ms": statistics.median((nexts or [])[:SESSION_HEAD]) * 1000,
                "answer_and_next_median_ms": statistics.median(both) * 1000,
                "answer_and_next_p95_ms": both[int(len(both) * 0.95)] * 1000,
            }
            if both
            else {}
        ),
    }


def anki_open(data: Path) -> Any:
    from anki.collection import Collection

    return Collection(str(data / ANKI_FILE))


def anki_answer(
    data: Path, answers: str, synchronous: str = "", scheduler: str = "sm2"
) -> dict[str, Any]:
    col = anki_open(data)  # before anki.scheduler: importing that first is circular
    if scheduler == "fsrs":
        col.set_config("fsrs", True)
    if (
        synchronous and synchronous != "full"
    ):  # Anki commits with synchronous=FULL (an fsync per answer); quizapp NORMAL
        col.db.execute(f"pragma synchronous = {synchronous}")
    from anki.scheduler.v3 import CardAnswer

    wanted = int(answers)
    rng = random.Random(3)
    rating = {3: CardAnswer.HARD, 4: CardAnswer.GOOD, 5: CardAnswer.EASY}
    times: list[float] = []
    cpu: list[float] = []
    nexts: list[float] = []
    try:
        conf = col.decks.config_dict_for_deck_id(col.decks.id_for_name(deck_name(1)))
        conf["new"]["perDay"] = 9999
        conf["rev"]["perDay"] = 9999  # Anki keeps its old value for anything above 9999
        col.decks.update_config(conf)
        if (
            col.decks.config_dict_for_deck_id(col.decks.id_for_name(deck_name(1)))["rev"]["perDay"]
            != 9999
        ):
            raise SystemExit("Anki did not take the raised daily limits")
        deck = 1
        col.decks.select(col.decks.id_for_name(deck_name(deck)))
        queued = col.sched.get_queued_cards()
        while len(times) < wanted:
            if not queued.cards:
                deck += 1
                if deck > DECKS:
                    break
                col.decks.select(col.decks.id_for_name(deck_name(deck)))
                queued = col.sched.get_queued_cards()
                continue
            top = queued.cards[0]
            states = top.states
            chosen = rating[rng.choice((3, 4, 4, 5))]
            new_state = {
                CardAnswer.HARD: states.hard,
                CardAnswer.GOOD: states.good,
                CardAnswer.EASY: states.easy,
            }[chosen]
            answer = CardAnswer(
                card_id=top.card.id,
                current_state=states.current,
                new_state=new_state,
                rating=chosen,
                answered_at_millis=int(time.time() * 1000),
                milliseconds_taken=3000,
            )
            used = time.thread_time()
            start = time.perf_counter()
            col.sched.answer_card(answer)
            answered = time.perf_counter()
            cpu.append(time.thread_time() - used)
            queued = col.sched.get_queued_cards()  # the next card, as the reviewer asks
            nexts.append(time.perf_counter() - answered)
            times.append(answered - start)
    finally:
        col.close()
    return _summary(times, cpu, nexts)


def quizapp_answer(data: Path, answers: str) -> dict[str, Any]:
    from quizapp.services import study
    from quizapp.services.exchange import find_deck
    from quizapp.services.settings import set_setting

    wanted = int(answers)
    rng = random.Random(3)
    col = cb.open_col(data)
    times: list[float] = []
    cpu: list[float] = []
    nexts: list[float] = []
    try:
        set_setting(col, "new_per_day", "9999")
        set_setting(col, "reviews_per_day", "9999")
        deck = 1
        session = study.start_sitting(col, [find_deck(col, deck_name(deck))])
        view = study.current_card(col, session)
        while len(times) < wanted:
            if view is None:
                deck += 1
                if deck > DECKS:
                    break
                session = study.start_sitting(col, [find_deck(col, deck_name(deck))])
                view = study.current_card(col, session)
                continue
            answer = right_answer(view.card)
            quality = rng.choice((3, 4, 4, 5))
            used = time.thread_time()
            start = time.perf_counter()
            study.answer_card(col, session, view, answer, quality, seconds=3.0)
            answered = time.perf_counter()
            cpu.append(time.thread_time() - used)
            view = study.current_card(col, session)  # the next card, as the study page asks
            nexts.append(time.perf_counter() - answered)
            times.append(answered - start)
    finally:
        col.close()
    return _summary(times, cpu, nexts)


def anki_deck_counts(data: Path) -> dict[str, Any]:
    col = anki_open(data)
    try:
        start = time.perf_counter()
        tree = col.sched.deck_due_tree()
        first = time.perf_counter() - start
        repeats = []
        for _ in range(20):
            start = time.perf_counter()
            col.sched.deck_due_tree()
            repeats.append(time.perf_counter() - start)
    finally:
        col.close()
    decks = [c for c in tree.children if c.name.startswith("Synthetic")]
    return {
        "first_ms": first * 1000,
        "median_ms": statistics.median(repeats) * 1000,
        "decks": len(tree.children),
        "new": sum(c.new_count for c in decks),
        "learning": sum(c.learn_count for c in decks),
        "due": sum(c.review_count for c in decks),
    }


def quizapp_deck_counts(data: Path) -> dict[str, Any]:
    found = cb.task_deck_counts(data)
    return {
        "first_ms": found.pop("seconds") * 1000,
        "median_ms": found.pop("median_seconds") * 1000,
        **found,
    }


def anki_next_card(data: Path) -> dict[str, Any]:
    col = anki_open(data)
    try:
        col.sched.deck_due_tree()  # the deck list has been shown
        start = time.perf_counter()
        col.decks.select(col.decks.id_for_name(deck_name(1)))
        queued = col.sched.get_queued_cards()
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {
        "ms": seconds * 1000,
        "found": bool(queued.cards),
        "queue": [queued.new_count, queued.learning_count, queued.review_count],
    }


def quizapp_next_card(data: Path) -> dict[str, Any]:
    from quizapp.services import study
    from quizapp.services.exchange import find_deck

    col = cb.open_col(data)
    try:
        study.deck_overview(col)  # the deck list has been shown
        uuid = find_deck(col, deck_name(1))
        start = time.perf_counter()
        session = study.start_sitting(col, [uuid])
        view = study.current_card(col, session)
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {"ms": seconds * 1000, "found": view is not None, "queue": session.queue.remaining}


def anki_search(data: Path) -> dict[str, Any]:
    col = anki_open(data)
    try:
        start = time.perf_counter()
        rare = col.find_cards(RARE_WORD)
        rare_seconds = time.perf_counter() - start
        start = time.perf_counter()
        common = col.find_cards(COMMON_WORD)
        common_seconds = time.perf_counter() - start
    finally:
        col.close()
    return {
        "rare_ms": rare_seconds * 1000,
        "rare_matches": len(rare),
        "common_ms": common_seconds * 1000,
        "common_matches": len(common),
    }


def quizapp_search(data: Path) -> dict[str, Any]:
    found = cb.task_search(data)
    return {
        "rare_ms": found["seconds"] * 1000,
        "rare_matches": found["matches"],
        "common_ms": found["common_word_seconds"] * 1000,
        "common_matches": found["common_word_matches"],
    }


def anki_import(data: Path, package: str) -> dict[str, Any]:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = anki_open(data)
    try:
        start = time.perf_counter()
        log = col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=package,
                options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False),
            )
        )
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {"s": seconds, "added": len(log.log.new)}


def quizapp_import(data: Path, deck_file: str) -> dict[str, Any]:
    found = cb.task_import(data, Path(deck_file))
    return {"s": found["seconds"], "through": found["through"]}


def anki_export(data: Path, cards: str, out: str) -> dict[str, Any]:
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    col = anki_open(data)
    try:
        did = col.decks.id_for_name(f"Imported {cards}")
        start = time.perf_counter()
        notes = col.export_anki_package(
            out_path=out,
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
            ),
            limit=DeckIdLimit(did),
        )
        seconds = time.perf_counter() - start
    finally:
        col.close()
    return {"s": seconds, "notes": notes, "bytes": Path(out).stat().st_size}


def quizapp_export(data: Path, deck_file: str, out: str) -> dict[str, Any]:
    found = cb.task_export(data, Path(deck_file), Path(out))
    return {"s": found["seconds"], "bytes": found["bytes"]}


TASKS = {
    "anki_answer": anki_answer,
    "quizapp_answer": quizapp_answer,
    "anki_deck_counts": anki_deck_counts,
    "quizapp_deck_counts": quizapp_deck_counts,
    "anki_next_card": anki_next_card,
    "quizapp_next_card": quizapp_next_card,
    "anki_search": anki_search,
    "quizapp_search": quizapp_search,
    "anki_import": anki_import,
    "quizapp_import": quizapp_import,
    "anki_export": anki_export,
    "quizapp_export": quizapp_export,
}

# --- the parent: build, then alternate --------------------------------------------------------


def quizapp_use_fsrs(data: Path) -> float:
    """Switch every synthetic deck to FSRS (one operation each, replaying its log); seconds."""
    from dataclasses import replace

    from quizapp.services.deck_options import deck_options, set_deck_options
    from quizapp.services.exchange import find_deck

    start = time.perf_counter()
    col = cb.open_col(data)
    try:
        for d in range(DECKS):
            uuid = find_deck(col, deck_name(d + 1))
            set_deck_options(col, uuid, replace(deck_options(col, uuid), scheduler="fsrs"))
    finally:
        col.close()
    return time.perf_counter() - start


def checkpoint(path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def run_in(task: str, data: Path, *extra: str, tree: Path = ROOT) -> dict[str, Any]:
    """`task` in a fresh process, with the quizapp of `tree` (`--against`: another checkout)."""
    script = tree / "benchmarks" / Path(__file__).name
    proc = subprocess.run(
        [sys.executable, str(script), "--task", task, "--data", str(data), *extra],
        capture_output=True, text=True, timeout=1800, check=False, cwd=tree,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-3:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def window_child(tree: Path, data: Path) -> dict[str, Any]:
    """collection_bench's window task with the quizapp of `tree` (`--against`)."""
    if tree == ROOT:
        return cb.run_child("window", data)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.time()
    proc = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / "collection_bench.py"), "--task", "window",
         "--data", str(data), "--started", repr(started)],
        capture_output=True, text=True, env=env, timeout=900, check=False, cwd=tree,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_main(args: argparse.Namespace) -> int:
    result = TASKS[args.task](Path(args.data), *args.extra)
    result = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
    result["peak_mib"] = peak_mib()
    print(json.dumps(result))
    return 0


def restore(pristine: Path, live: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, live)
    if hasattr(os, "sync"):
        os.sync()  # write the copy back now, not during the next measurement


FIGURES: dict[str, tuple[str, str]] = {
    # figure: (task, key in the child's JSON)
    "answer_median_ms": ("answer", "median_ms"),
    "answer_p95_ms": ("answer", "p95_ms"),
    "answer_first_500_median_ms": ("answer", "first_500_median_ms"),
    "answer_last_500_median_ms": ("answer", "last_500_median_ms"),
    # Anki with synchronous=NORMAL against the same quizapp runs: equal durability
    "answer_median_ms_anki_sync_normal": ("answer_sync_normal", "median_ms"),
    "answer_p95_ms_anki_sync_normal": ("answer_sync_normal", "p95_ms"),
    # CPU time of the answering thread: the same answers without the machine's time slicing
    "answer_cpu_median_ms": ("answer", "cpu_median_ms"),
    "answer_cpu_p95_ms": ("answer", "cpu_p95_ms"),
    "answer_cpu_p95_ms_anki_sync_normal": ("answer_sync_normal", "cpu_p95_ms"),
    # the learner's wait: the answer and then the next card (`current_card` vs
    # `sched.get_queued_cards`), both read after the commit
    "next_card_after_answer_median_ms": ("answer", "next_card_median_ms"),
    "answer_and_next_median_ms": ("answer", "answer_and_next_median_ms"),
    "answer_and_next_p95_ms": ("answer", "answer_and_next_p95_ms"),
    "answer_and_next_median_ms_anki_sync_normal": (
        "answer_sync_normal",
        "answer_and_next_median_ms",
    ),
    "import_s": ("import", "s"),
    "import_peak_mib": ("import", "peak_mib"),
    "export_s": ("export", "s"),
    "export_peak_mib": ("export", "peak_mib"),
    "deck_counts_median_ms": ("deck_counts", "median_ms"),
    "deck_counts_first_ms": ("deck_counts", "first_ms"),
    "next_card_ms": ("next_card", "ms"),
    "search_rare_ms": ("search", "rare_ms"),
    "search_common_ms": ("search", "common_ms"),
}


def one_pair(
    work: Path,
    dirs: dict[str, Path],
    files: dict[str, Path],
    cards: int,
    answers: int,
    *,
    only_answer: bool = False,
    only_search: bool = False,
    only_exchange: bool = False,
    scheduler: str = "sm2",
    against: Path | None = None,
    against_first: bool = False,
) -> dict[str, dict[str, Any]]:
    """Anki's run, then quizapp's; with `against`, also that checkout's quizapp on the same
    restored files (run "against"), before this tree's when `against_first` (alternated
    pair by pair: whichever follows Anki runs beside what is left of Anki's work)."""
    runs: dict[str, dict[str, Any]] = {}
    ours = ("against", "quizapp") if against and against_first else ("quizapp", "against")
    for run in ("anki", *(r for r in ours if against or r == "quizapp")):
        app = "quizapp" if run == "against" else run
        tree = against if run == "against" and against else ROOT
        child = functools.partial(run_in, tree=tree)

        live = dirs[app] / (ANKI_FILE if app == "anki" else QUIZAPP_FILE)
        pristine = work / f"pristine-{app}"
        got: dict[str, Any] = {}
        restore(pristine, live)
        if only_search:
            runs[run] = {"search": child(f"{app}_search", dirs[app])}
            continue
        if only_exchange:
            pass  # import and export alone (--only exchange)
        elif app == "anki":
            got["answer"] = child("anki_answer", dirs[app], str(answers), "full", scheduler)
            # the same, at quizapp's durability: no fsync per commit
            restore(pristine, live)
            got["answer_sync_normal"] = child(
                "anki_answer", dirs[app], str(answers), "normal", scheduler
            )
        else:
            got["answer"] = child("quizapp_answer", dirs[app], str(answers))
        if only_answer:
            runs[run] = got
            continue
        restore(pristine, live)
        deck_file = files[app]
        got["import"] = child(f"{app}_import", dirs[app], str(deck_file))
        out = work / ("exported.apkg" if app == "anki" else "exported.toml")
        extra = (str(cards), str(out)) if app == "anki" else (str(files["quizapp"]), str(out))
        got["export"] = child(f"{app}_export", dirs[app], *extra)
        out.unlink(missing_ok=True)
        restore(pristine, live)
        if only_exchange:
            runs[run] = got
            continue
        for task in ("deck_counts", "next_card", "search"):
            got[task] = child(f"{app}_{task}", dirs[app])
        runs[run] = got
    return runs


def run_desktop(python: str, base: Path, *extra: str) -> dict[str, Any]:
    """Anki's desktop started in its own process by `python` (which has aqt)."""
    script = Path(__file__).with_name("_anki_desktop.py")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("VIRTUAL_ENV", None)
    started = time.time()
    try:
        proc = subprocess.run(
            [python, str(script), str(base), repr(started), *extra],
            capture_output=True, text=True, timeout=180, check=False, env=env,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": "no deck list within 180 s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-3:]}
    return json.loads(lines[-1])


def figure(run: dict[str, Any], task: str, key: str) -> float | None:
    if task == "answer_sync_normal" and task not in run:
        task = "answer"  # quizapp's side of the equal-durability figure
    value = run.get(task, {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu or platform.machine()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--answers", type=int, default=3000, help="answers in the session")
    parser.add_argument("--no-window", action="store_true", help="skip the desktop start-ups")
    parser.add_argument("--window-only", action="store_true", help="only the desktop start-ups")
    parser.add_argument(
        "--evicted", action="store_true", help="also each start with its files evicted"
    )
    parser.add_argument(
        "--only",
        choices=("answer", "search", "exchange"),
        help="time only this action (exchange: import and export), and no desktop start-up",
    )
    parser.add_argument(
        "--scheduler",
        choices=("sm2", "fsrs"),
        default="sm2",
        help="the synthetic decks' scheduler while answering (fsrs: switched before timing)",
    )
    parser.add_argument(
        "--anki-desktop",
        metavar="PYTHON",
        help="a Python with aqt installed: time Anki's desktop start too (_anki_desktop.py)",
    )
    parser.add_argument(
        "--against",
        metavar="DIR",
        type=Path,
        help="another quizapp checkout (e.g. `git archive main`): its quizapp runs every "
        "quizapp task too, right after this tree's in each pair (old vs new in one run)",
    )
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        return child_main(args)
    if args.only:
        args.no_window = True

    began = time.time()
    work = Path(tempfile.mkdtemp(prefix="vs-anki-"))
    try:
        dirs = {"anki": work / "anki", "quizapp": work / "quizapp"}
        for d in dirs.values():
            d.mkdir()
        report: dict[str, Any] = {
            "cards": args.cards,
            "review_log_rows": args.cards * LOGS_PER_CARD,
            "pairs": args.pairs,
            "answers_per_session": args.answers,
            "scheduler": args.scheduler,
            "anki_version": _anki_version(),
            "machine": machine(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "build": {
                "quizapp": build_collection(dirs["quizapp"], args.cards),
                "anki": build_anki(dirs["anki"] / ANKI_FILE, args.cards),
            },
        }
        if args.scheduler == "fsrs":
            report["build"]["quizapp_switch_to_fsrs_s"] = round(
                quizapp_use_fsrs(dirs["quizapp"]), 1
            )
            checkpoint(dirs["quizapp"] / QUIZAPP_FILE)  # the copy below is then whole
        shutil.copyfile(dirs["quizapp"] / QUIZAPP_FILE, work / "pristine-quizapp")
        shutil.copyfile(dirs["anki"] / ANKI_FILE, work / "pristine-anki")
        files = {"quizapp": work / f"deck-{args.cards}.toml", "anki": work / "deck.apkg"}
        if args.only != "answer" and not args.window_only:
            write_deck_file(files["quizapp"], args.cards, seed=args.cards)
            write_apkg(files["anki"], args.cards, args.cards, work)
            report["deck_file_mib"] = {
                app: round(path.stat().st_size / 2**20, 1) for app, path in files.items()
            }
        window_dir = work / "window"
        against_dir = work / "window-against"
        desktop = work / "anki-desktop" if args.anki_desktop and not args.no_window else None
        # Bytecode for every run, as an install has it (and Anki's package does): with
        # PYTHONDONTWRITEBYTECODE set, a fresh checkout's children compiled each module they
        # imported inside the timed part (an export child ~5-15 ms).
        for tree in (ROOT, *([args.against] if args.against else [])):
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "quizapp")])
        if not args.no_window:
            window_dir.mkdir()
            shutil.copyfile(work / "pristine-quizapp", window_dir / QUIZAPP_FILE)
            cb.run_child("window", window_dir)  # the first start loads the shipped decks
            if args.against:
                against_dir.mkdir()
                shutil.copyfile(work / "pristine-quizapp", against_dir / QUIZAPP_FILE)
                window_child(args.against, against_dir)
        if desktop is not None:
            desktop.mkdir()
            run_desktop(args.anki_desktop, desktop, "setup")  # creates the profile
            profile = desktop / "User 1"
            for leftover in profile.glob(f"{ANKI_FILE}*"):
                leftover.unlink()
            shutil.copyfile(work / "pristine-anki", profile / ANKI_FILE)
            run_desktop(args.anki_desktop, desktop)  # its first start, as quizapp's above
        pairs, windows, desktops = [], [], []
        against_windows: list[dict[str, Any]] = []
        against_cold: list[dict[str, Any]] = []
        cold_windows: list[dict[str, Any]] = []
        cold_desktops: list[dict[str, Any]] = []
        both = [window_dir, ROOT / "quizapp", *interpreter_roots()]
        if args.against:
            both += [against_dir, args.against / "quizapp"]
        if desktop is not None:
            both += [desktop, *interpreter_roots(args.anki_desktop)]
        for pair in range(args.pairs):
            if not args.window_only:
                pairs.append(
                    one_pair(
                        work,
                        dirs,
                        files,
                        args.cards,
                        args.answers,
                        only_answer=args.only == "answer",
                        only_search=args.only == "search",
                        only_exchange=args.only == "exchange",
                        scheduler=args.scheduler,
                        against=args.against,
                        against_first=pair % 2 == 1,
                    )
                )
            if desktop is not None:
                desktops.append(run_desktop(args.anki_desktop, desktop))
            if not args.no_window:
                if args.against and pair % 2 == 1:  # alternated, as in `one_pair`
                    against_windows.append(window_child(args.against, against_dir))
                windows.append(cb.run_child("window", window_dir))
                if args.against and pair % 2 == 0:
                    against_windows.append(window_child(args.against, against_dir))
            if args.evicted and not args.no_window:
                if desktop is not None:
                    evict(both)
                    cold_desktops.append(run_desktop(args.anki_desktop, desktop))
                if args.against and pair % 2 == 1:
                    evict(both)
                    against_cold.append(window_child(args.against, against_dir))
                evict(both)
                cold_windows.append(cb.run_child("window", window_dir))
                if args.against and pair % 2 == 0:
                    evict(both)
                    against_cold.append(window_child(args.against, against_dir))
        report["figures"] = summarize(pairs)
        for name, q_runs, a_runs in (
            ("desktop_start_warm_s", windows, against_windows),
            ("desktop_start_evicted_s", cold_windows, against_cold),
        ):
            if a_runs:
                report.setdefault("against", {})[name] = _against(
                    [w.get("seconds") for w in q_runs],
                    [w.get("seconds") for w in a_runs],
                    [d.get("seconds") for d in (desktops if "warm" in name else cold_desktops)],
                )
        if cold_windows:
            q = [w.get("seconds") for w in cold_windows]
            a = [d.get("seconds") for d in cold_desktops] or [None] * len(q)
            ratios = [y / x for x, y in zip(a, q, strict=True) if x and y]
            report["figures"]["desktop_start_evicted_s"] = {
                "anki": _median(a),
                "quizapp": _median(q),
                "ratio": round(statistics.median(ratios), 3) if ratios else None,
            }
            report["evicted_windows"] = cold_windows
            report["evicted_anki_desktops"] = cold_desktops
        if windows:
            q = [w.get("seconds") for w in windows]
            a = [d.get("seconds") for d in desktops] or [None] * len(q)
            ratios = [y / x for x, y in zip(a, q, strict=True) if x and y]
            report["figures"]["desktop_start_warm_s"] = {
                "anki": _median(a),
                "quizapp": _median(q),
                "ratio": round(statistics.median(ratios), 3) if ratios else None,
                "note": "Anki: process start to the deck browser's page loaded"
                if desktops
                else "Anki's desktop (aqt) not measured (--anki-desktop); quizapp alone",
            }
            report["figures"]["desktop_start_peak_mib"] = {
                "anki": _median([d.get("peak_mib") for d in desktops]),
                "quizapp": _median([w.get("peak_mib") for w in windows]),
            }
        if args.against:
            report["against_tree"] = str(args.against)
            report.setdefault("against", {}).update(summarize_against(pairs))
            report["against_windows"] = against_windows + against_cold
        report["runs"] = pairs
        report["windows"] = windows
        report["anki_desktops"] = desktops
        report["wall_seconds"] = round(time.time() - began)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2))
    return 0


def _anki_version() -> str:
    from importlib.metadata import version

    return version("anki")


def summarize(pairs: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (task, key) in FIGURES.items():
        a = [figure(p["anki"], task, key) for p in pairs]
        q = [figure(p["quizapp"], task, key) for p in pairs]
        ratios = [y / x for x, y in zip(a, q, strict=True) if x and y is not None]
        out[name] = {
            "anki": _median(a),
            "quizapp": _median(q),
            "ratio": round(statistics.median(ratios), 3) if ratios else None,
        }
    return out


def summarize_against(pairs: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """`--against`: each figure of the other checkout, its ratio to Anki, and this tree's
    over it, each the median of per-pair ratios."""
    out: dict[str, Any] = {}
    for name, (task, key) in FIGURES.items():
        out[name] = _against(
            [figure(p["quizapp"], task, key) for p in pairs],
            [figure(p.get("against", {}), task, key) for p in pairs],
            [figure(p["anki"], task, key) for p in pairs],
        )
    return out


def _against(
    new: list[float | None], old: list[float | None], anki: list[float | None]
) -> dict[str, Any]:
    def ratio(top: list[float | None], bottom: list[float | None]) -> float | None:
        found = [t / b for t, b in zip(top, bottom, strict=False) if t is not None and b]
        return round(statistics.median(found), 3) if found else None

    return {
        "against": _median(old),
        "against_ratio_to_anki": ratio(old, anki),
        "quizapp_ratio_to_anki": ratio(new, anki),
        "quizapp_over_against": ratio(new, old),
    }


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 4) if present else None


if __name__ == "__main__":
    sys.exit(main())
