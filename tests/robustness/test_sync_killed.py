"""A merge killed (SIGKILL) at any statement leaves the collection as it was; the next one
finishes it, with the same result as a merge that was never interrupted."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from quizapp.services import sync
from quizapp.services.collection import open_collection
from quizapp.storage.database import DB_NAME
from tests.helpers.sync_devices import (
    Device,
    StepClock,
    add_deck,
    answers,
    carry,
    edit_card,
    let_everything_be_studied,
    make_device,
    state_of,
    study_some,
)

CHILD = Path(__file__).with_name("sync_child.py")
KILLS = 6


def run_child(data: Path, folder: Path, stop: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(data), str(folder), str(stop)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def integrity(data: Path) -> str:
    conn = sqlite3.connect(data / DB_NAME)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_a_merge_killed_at_any_statement_is_all_or_nothing(tmp_path: Path) -> None:
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    for d in (a, b):
        let_everything_be_studied(d)
        d.sync()
    _deck, uuids = add_deck(a, "Killed", 20)
    carry(a, b)
    b.sync()
    study_some(a, 15)
    study_some(b, 10, right=False)
    edit_card(a, uuids[3], "edited on a")
    carry(a, b)
    before = answers(b)
    b.close()
    a.close()

    # What an uninterrupted merge gives, on a copy, counting its statements.
    reference = tmp_path / "reference"
    shutil.copytree(b.data, reference / "data")
    shutil.copytree(b.view, reference / "folder")
    done = run_child(reference / "data", reference / "folder", 0)
    out, _ = done.communicate(timeout=120)
    assert done.returncode == 0, out
    statements = int(out.split()[-1])
    assert statements > 10

    for stop in sorted(random.Random(16).sample(range(1, statements + 1), KILLS)):
        child = run_child(b.data, b.view, stop)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "stopped"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
        assert child.stdin is not None
        child.stdin.close()
        assert integrity(b.data) == "ok"
        again = make_device_from(b)
        try:
            assert answers(again) == before, f"killed at statement {stop}"
        finally:
            again.close()

    finished = make_device_from(b)
    ref = make_device_from(b, data=reference / "data", view=reference / "folder")
    try:
        report = sync.sync(finished.col, b.view)
        assert report.reviews_added == 15
        assert state_of(finished, tmp_path / "s1") == state_of(ref, tmp_path / "s2")
    finally:
        finished.close()
        ref.close()


def make_device_from(
    template: Device, *, data: Path | None = None, view: Path | None = None
) -> Device:
    """Reopen a device's collection in this process after a child used it."""
    clock = StepClock(100)
    data = data or template.data
    view = view or template.view
    return Device(template.name, data, view, clock, open_collection(data, clock=clock))
