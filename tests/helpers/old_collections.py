"""Collections as earlier quizapp versions left them, built from the frozen schemas."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from quizapp.storage.database import DB_NAME

SCHEMAS = Path(__file__).parent.parent / "storage" / "schemas"


OLD_VERSIONS = sorted(int(p.stem[1:]) for p in SCHEMAS.glob("v*.sql"))


DATA_TABLES = ("deck", "card", "card_state", "review_log", "setting")


def build_old_collection(folder: Path, version: int, *, cards: int = 300) -> Path:
    """A collection as quizapp with schema `version` left it, full of data."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DB_NAME
    rng = random.Random(version)
    conn = sqlite3.connect(path)
    conn.executescript((SCHEMAS / f"v{version}.sql").read_text())
    conn.execute(f"PRAGMA user_version={version}")
    for d in range(3):
        conn.execute(
            "INSERT INTO deck (id, uuid, name, section, description, source, source_digest, "
            "position) VALUES (?, ?, ?, 'S', 'D', 'file:x', '', ?)",
            (d + 1, f"00000000-0000-4000-8000-{d:012d}", f"Deck {d} ünïcode", d),
        )
    log_id = 0
    for c in range(cards):
        words = f"borrow{c} lifetime mutex" if c % 7 else f"rareword{c}"
        conn.execute(
            "INSERT INTO card (id, uuid, deck_id, position, kind, prompt, code, explanation, "
            "tags, content, retired) VALUES (?, ?, ?, ?, 'flashcard', ?, 'fn main() {}', "
            "'because', 'tag', '{}', ?)",
            (c + 1, f"10000000-0000-4000-8000-{c:012d}", c % 3 + 1, c, words, c % 50 == 0),
        )
        due = None if c % 4 == 0 else 740000 + rng.randint(-30, 300)
        conn.execute(
            "INSERT OR REPLACE INTO card_state (card_id, repetitions, easiness_hundredths, interval, "
            "due_day, drill_day, lapses, reviews, suspended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c + 1, c % 5, 130 + c % 200, c % 90, due, None, c % 3, c % 11, c % 13 == 0),
        )
        for r in range(4):
            log_id += 1
            conn.execute(
                "INSERT INTO review_log (id, card_id, reviewed_at, study_day, kind, answer, "
                "correct, quality, repetitions_before, repetitions_after, easiness_before, "
                "easiness_after, interval_before, interval_after, due_day_before, due_day_after, "
                "drill_day_before, seconds) VALUES (?, ?, '2026-01-02 03:04:05.000006', ?, "
                "'review', '{}', 1, ?, 1, 2, 250, 260, 1, 6, NULL, ?, NULL, 2.5)",
                (log_id, c + 1, 739000 + r, r % 6, 739006 + r),
            )
    conn.execute("INSERT INTO setting (key, value) VALUES ('settings', '{\"new_per_day\": 7}')")
    conn.commit()
    conn.close()
    return path
