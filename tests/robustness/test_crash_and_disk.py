"""Never a lost review: SIGKILL at random moments, a full disk, a read-only disk.

Every test answers cards in a separate process through the real services, then checks the
database from outside: every answer the process reported as saved is there, SQLite's
`integrity_check` is ok, and each card's state agrees with its review log.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Deck, Kind
from quizapp.core.settings import Settings
from quizapp.services.collection import open_collection
from quizapp.services.decks import import_deck
from quizapp.services.settings import save_settings
from quizapp.storage.database import DB_NAME

CHILD = Path(__file__).with_name("answering_child.py")
LONG = os.environ.get("QUIZAPP_LONG_CRASH") == "1"
"""The long mode (QUIZAPP_LONG_CRASH=1) is the scale proof; CI keeps the short run."""
KILLS = 1000 if LONG else 50
CARDS = 6000 if LONG else 300
"""Enough for most kills' answers (a card answered today is not due again for days); a child
that runs out moves its clock on a day (`answering_child.DayAfterDay`)."""


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A collection of `CARDS` flashcards that lets all of them be studied today."""
    data = tmp_path / "data"
    col = open_collection(data)
    try:
        save_settings(col, Settings(new_per_day=9999, reviews_per_day=99999))
        deck = Deck(
            id="9e0b1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
            name="Many",
            cards=tuple(
                Card(id=f"c0000000-0000-4000-8000-{i:012d}", kind=Kind.FLASHCARD, prompt=f"Q{i}")
                for i in range(CARDS)
            ),
        )
        (tmp_path / "many.toml").write_text(write_deck(deck))
        import_deck(col, deck, source="test")
    finally:
        col.close()
    return data


def reported(report: Path) -> list[int]:
    if not report.exists():
        return []
    return [int(line) for line in report.read_text().split("\n") if line.strip()]


def check_database(data: Path, saved: list[int]) -> None:
    conn = sqlite3.connect(data / DB_NAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = {row[0] for row in conn.execute("SELECT id FROM review_log")}
        missing = sorted(set(saved) - ids)
        assert not missing, f"{len(missing)} reported answers were lost, e.g. {missing[:5]}"
        # An answer is one transaction: the state moved exactly when a log row was added.
        mismatched = conn.execute(
            "SELECT s.card_id FROM card_state s LEFT JOIN (SELECT card_id, count(*) AS n "
            "FROM review_log WHERE kind != 'drill' GROUP BY card_id) r ON r.card_id = s.card_id "
            "WHERE s.reviews != coalesce(r.n, 0)"
        ).fetchall()
        assert mismatched == []
    finally:
        conn.close()


def start_zygote(mode: str, data: Path, report: Path) -> subprocess.Popen[str]:
    """`answering_child.py` in `mode` ("zygote" or "import-zygote"), talking on pipes."""
    return subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(data), str(report)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def zygote(collection: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    report = tmp_path / "saved.txt"
    proc = start_zygote("zygote", collection, report)
    yield proc, report
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()


def test_answers_reported_saved_survive_sigkill_at_random_moments(
    collection: Path, zygote: tuple[subprocess.Popen[str], Path]
) -> None:
    proc, report = zygote
    assert proc.stdin is not None and proc.stdout is not None
    rng = random.Random(6)
    for _ in range(KILLS):
        proc.stdin.write("go\n")
        proc.stdin.flush()
        pid = int(expect(proc, "pid"))
        # A random moment: after 0 to 4 answers were committed, the kill lands wherever the
        # child has got to in the next one (opening the collection, mid-transaction,
        # mid-commit). The wait is for the child's own "saved" lines, not for a clock.
        for _ in range(rng.randint(0, 4)):
            expect(proc, "saved")
        os.kill(pid, signal.SIGKILL)
        while expect(proc, "saved", "exited") != str(pid):
            pass  # answers the child committed before the kill arrived
        check_database(collection, reported(report))  # after every kill, not only the last
    saved = reported(report)
    assert len(saved) > KILLS  # the children did answer between kills
    check_database(collection, saved)
    print(f"\n{KILLS} SIGKILLs while answering: {len(saved)} answers reported, 0 lost")
    # And the collection opens and works normally afterwards (the lock was released).
    col = open_collection(collection)
    col.close()


def expect(proc: subprocess.Popen[str], *kinds: str) -> str:
    """The next line from the zygote or its child, which must be one of `kinds`; its value.

    For "saved", the value is returned only to drain; for "exited" and "pid", the pid.
    """
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line, "the zygote ended early"
    kind, _, value = line.strip().partition(" ")
    assert kind in kinds, f"expected {kinds}, got {line!r}"
    return value if kind != "saved" else ""


IMPORT_KILLS = 100 if LONG else 20


def test_a_bulk_import_killed_at_random_moments_is_all_or_nothing(
    collection: Path, tmp_path: Path
) -> None:
    """A kill inside an import, even while its insert triggers are paused, changes nothing.

    The bulk insert drops three triggers and re-creates them inside the import's
    transaction; killed in between, SQLite must roll all of it back: every trigger is
    there, every deck has all its cards or none, and the derived rows are in step.
    """
    report = tmp_path / "imported.txt"
    proc = start_zygote("import-zygote", collection, report)
    assert proc.stdin is not None and proc.stdout is not None
    triggers_before = triggers(collection)
    rng = random.Random(7)
    try:
        for _ in range(IMPORT_KILLS):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            pid = int(expect(proc, "pid"))
            for _ in range(rng.randint(0, 2)):
                expect(proc, "importing")
                for _ in range(3):
                    expect(proc, "paused")
                expect(proc, "imported")
            expect(proc, "importing")
            if rng.random() < 0.75:
                # Most kills land while the insert triggers are dropped: the riskiest moment.
                expect(proc, "paused")
            os.kill(pid, signal.SIGKILL)
            while expect(proc, "paused", "imported", "importing", "exited") != str(pid):
                pass
            check_database(collection, [])
            assert triggers(collection) == triggers_before
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
    imported = [line for line in report.read_text().split() if line] if report.exists() else []
    assert imported, "some imports finished between kills"
    check_database(collection, [])
    assert triggers(collection) == triggers_before
    conn = sqlite3.connect(collection / DB_NAME)
    try:
        sizes = dict(
            conn.execute(
                "SELECT d.uuid, count(c.id) FROM deck d LEFT JOIN card c ON c.deck_id = d.id "
                "WHERE d.name LIKE 'Imported %' GROUP BY d.id"
            ).fetchall()
        )
        assert set(sizes) == set(imported), "a deck is there exactly when its import committed"
        assert set(sizes.values()) == {1500}
        assert conn.execute(
            "SELECT count(*) FROM card c LEFT JOIN card_state s ON s.card_id = c.id "
            "WHERE s.card_id IS NULL OR s.uuid IS NOT c.uuid OR s.deck_id IS NOT c.deck_id"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM deck_size z WHERE z.cards != "
            "(SELECT count(*) FROM card c WHERE c.deck_id = z.deck_id AND NOT c.retired)"
        ).fetchone() == (0,)
        conn.execute("INSERT INTO card_fts(card_fts, rank) VALUES ('integrity-check', 1)")
        found = conn.execute(
            "SELECT count(*) FROM card_fts WHERE card_fts MATCH 'lifetime'"
        ).fetchone()[0]
        assert found == 1500 * len(imported)
        print(f"\n{IMPORT_KILLS} SIGKILLs during imports: {len(imported)} imports committed")
    finally:
        conn.close()


def triggers(data: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(data / DB_NAME)
    try:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def test_a_full_disk_is_reported_and_loses_nothing_committed(
    collection: Path, tmp_path: Path
) -> None:
    """RLIMIT_FSIZE in the child: any file growing past the limit fails as a full disk does."""
    report = tmp_path / "saved.txt"
    biggest = max(p.stat().st_size for p in collection.iterdir() if p.is_file())
    env = dict(os.environ, FSIZE_LIMIT=str(biggest + 256 * 1024))
    proc = subprocess.run(
        [sys.executable, str(CHILD), "answer-with-fsize-limit", str(collection), str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 3, proc.stderr
    assert "UNWRITABLE: Cannot save to" in proc.stderr
    assert str(collection / DB_NAME) in proc.stderr
    assert "Everything saved before is kept" in proc.stderr
    saved = reported(report)
    assert saved  # it answered until the disk filled
    check_database(collection, saved)


def test_a_read_only_data_directory_is_reported_and_left_as_it_was(
    collection: Path, tmp_path: Path
) -> None:
    """As root (CI) chmod does not stop writes, so a read-only bind mount is used there, in a
    private mount namespace (`unshare -m`) so nothing outlives the child; as another user,
    chmod does the same job."""
    before = (collection / DB_NAME).read_bytes()
    report = tmp_path / "saved.txt"
    command = [sys.executable, str(CHILD), "answer", str(collection), str(report)]
    if os.geteuid() == 0:
        assert shutil.which("unshare"), "util-linux unshare is needed to mount read-only as root"
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, str(collection), *command]
    else:
        collection.chmod(0o555)
        for path in collection.iterdir():
            path.chmod(0o444)
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    finally:
        collection.chmod(0o755)
        for path in collection.iterdir():
            path.chmod(0o644)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr or "CollectionUnwritable" in proc.stderr
    assert "Cannot" in proc.stderr and str(collection) in proc.stderr
    assert "read-only" in proc.stderr.lower() or "permission" in proc.stderr.lower()
    assert reported(report) == []
    assert (collection / DB_NAME).read_bytes() == before
    check_database(collection, [])
