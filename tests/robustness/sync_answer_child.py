"""A process that answers one card and stops after the answer committed, before its events
reach the sync journal, to be killed there.

    python sync_answer_child.py DATA_DIR

The collection's sync folder is chosen already. The child answers the first card of a
sitting; when the journal is about to append the answer's events (after the commit) it
prints `committed` and waits for a line that never comes, so the test's SIGKILL lands
between the commit and the journal write (no sleeps).
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.services import journal, study, sync
from quizapp.services.collection import open_collection
from tests.helpers.study import answer_current


def main() -> None:
    col = open_collection(Path(sys.argv[1]))
    assert sync.attach(col) is not None
    original = journal.Writer.append

    def stopping(self: journal.Writer, events: list[journal.Event]) -> int:
        print("committed", flush=True)
        sys.stdin.readline()
        return original(self, events)

    journal.Writer.append = stopping  # type: ignore[method-assign]
    sitting = study.start_sitting(col)
    answer_current(col, sitting)
    print("not killed", flush=True)


if __name__ == "__main__":
    main()
