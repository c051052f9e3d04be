"""A process that answers cards through the real services, for the crash and full-disk tests.

    python answering_child.py answer DATA_DIR REPORT   # answer forever
    python answering_child.py zygote DATA_DIR REPORT   # fork an answering child per stdin line
    python answering_child.py import-zygote DATA_DIR REPORT  # the same, children import decks

After each answer is committed, its review-log id is appended to REPORT with one write(2),
which reaches the kernel before the next answer starts: a SIGKILL cannot take back what
was reported. The child also says `saved ID` on stdout, so a test can wait for the Nth
answer instead of sleeping. The zygote imports everything once and forks children on
demand: it prints `pid N`, waits for that child to end and prints `exited N`, so a test can
kill fifty of them without fifty interpreter start-ups and without polling for their end.
A write the disk refuses ends the child with status 3 and the message on stderr.

An importing child imports new decks of `IMPORT_CARDS` cards (a bulk insert, with the
insert triggers paused inside the transaction) one after another: it says `importing` as
the import starts, `paused` as each insert trigger is dropped (SQLAlchemy's
before_cursor_execute hook sees the statement go to SQLite) and `imported UUID` once it is
committed (and appended to REPORT).
"""

from __future__ import annotations

import os
import signal
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from quizapp.core.bundle import Bundle
from quizapp.core.grading import SelfGraded
from quizapp.core.model import Card, Deck, Kind
from quizapp.services import study
from quizapp.services.collection import CollectionUnwritable, open_collection
from quizapp.services.exchange import apply_import, plan_import

QUALITIES = (4, 5, 3, 1, 4, 5)
IMPORT_CARDS = 1500


class DayAfterDay:
    """The system clock, moved on a day each time the day's cards run out: a child that
    answers faster than the test kills it (a loaded machine) would otherwise find nothing
    left to study and start empty sittings for ever, at full speed and in silence."""

    def __init__(self) -> None:
        self.days = 0

    def __call__(self) -> datetime:
        return datetime.now(UTC) + timedelta(days=self.days)


def answer_forever(data_dir: Path, report: Path) -> int:
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    clock = DayAfterDay()
    col = open_collection(data_dir, clock=clock)
    try:
        session = study.start_sitting(col)
        answered = 0
        while True:
            view = study.current_card(col, session)
            if view is None:
                clock.days += 1
                session = study.start_sitting(col)
                continue
            quality = QUALITIES[answered % len(QUALITIES)]
            done = study.answer_card(col, session, view, SelfGraded(), quality, seconds=1.0)
            saved = done.review_id
            os.write(fd, f"{saved}\n".encode())
            os.write(1, f"saved {saved}\n".encode())
            answered += 1
    except CollectionUnwritable as exc:
        print(f"UNWRITABLE: {exc}", file=sys.stderr, flush=True)
        return 3
    finally:
        col.close()


def import_forever(data_dir: Path, report: Path) -> int:
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    col = open_collection(data_dir)

    def say_paused(*args: object) -> None:
        if str(args[2]).startswith("DROP TRIGGER"):
            os.write(1, b"paused\n")

    event.listen(col.db.engine, "before_cursor_execute", say_paused)
    try:
        while True:
            deck = Deck(
                id=str(uuid.uuid4()),
                name=f"Imported {uuid.uuid4().hex[:8]}",
                cards=tuple(
                    Card(id=str(uuid.uuid4()), kind=Kind.FLASHCARD, prompt=f"Lifetime {i}?")
                    for i in range(IMPORT_CARDS)
                ),
            )
            plan = plan_import(col, Bundle(decks=(deck,), source="crash-test.toml"))
            os.write(1, b"importing\n")
            apply_import(col, plan)
            os.write(fd, f"{deck.id}\n".encode())
            os.write(1, f"imported {deck.id}\n".encode())
    finally:
        col.close()


def zygote(data_dir: Path, report: Path, work: Callable[[Path, Path], int]) -> int:
    for _line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            os._exit(work(data_dir, report))
        os.write(1, f"pid {pid}\n".encode())
        os.waitpid(pid, 0)
        os.write(1, f"exited {pid}\n".encode())
    return 0


if __name__ == "__main__":
    mode, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if mode == "answer-with-fsize-limit":
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        limit = int(os.environ["FSIZE_LIMIT"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        mode = "answer"
    if mode == "answer":
        sys.exit(answer_forever(data, out))
    sys.exit(zygote(data, out, import_forever if mode == "import-zygote" else answer_forever))
