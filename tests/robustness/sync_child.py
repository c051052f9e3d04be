"""A process that merges a sync folder and stops before a chosen SQL statement, to be killed.

    python sync_child.py DATA_DIR FOLDER STOP

Runs `services.sync.sync` on the collection; before the STOP-th statement of the merge it
prints `stopped` and waits for a line on stdin that never comes, so the test's SIGKILL
lands inside the merge's transaction at a statement of its choosing (no sleeps). STOP 0
runs to the end and prints `done N`, N being how many statements the merge ran.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from quizapp.services import sync
from quizapp.services.collection import open_collection
from quizapp.storage import sync_rows


def main() -> None:
    data, folder, stop = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    original = sync_rows._sql
    count = 0

    def counting(session: Any, statement: str, params: Any = ()) -> Any:
        nonlocal count
        count += 1
        if count == stop:
            print("stopped", flush=True)
            sys.stdin.readline()
        return original(session, statement, params)

    sync_rows._sql = counting  # type: ignore[assignment]
    col = open_collection(data)
    sync.sync(col, folder)
    print(f"done {count}", flush=True)
    col.close()


if __name__ == "__main__":
    main()
