"""An answer committed by a process killed (SIGKILL) before its journal line was written
still reaches the other devices: its events were in the outbox, in the answer's own
transaction, and the next start appends them (issue 16)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from quizapp.services import cards, sync
from quizapp.services.collection import open_collection
from tests.helpers.sync_devices import (
    Device,
    StepClock,
    add_deck,
    answers,
    carry,
    edit_card,
    let_everything_be_studied,
    make_device,
    study_some,
)

CHILD = Path(__file__).with_name("sync_answer_child.py")


def journal_lines(device: Device) -> list[bytes]:
    own = device.view / device.device_id
    return [
        line for p in sorted(own.glob("journal-*.jsonl")) for line in p.read_bytes().splitlines()
    ]


def reopen(device: Device) -> Device:
    clock = StepClock(500)
    return Device(
        device.name, device.data, device.view, clock, open_collection(device.data, clock=clock)
    )


def test_an_answer_killed_between_commit_and_journal_reaches_the_other_device(
    tmp_path: Path,
) -> None:
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    for d in (a, b):
        let_everything_be_studied(d)
        d.sync()
    add_deck(a, "Outbox", 3)
    a.sync()
    carry(a, b)
    b.sync()
    lines_before = journal_lines(a)
    a.close()

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(a.data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "committed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    child.stdin.close()

    again = reopen(a)
    try:
        (answered,) = answers(again)  # the answer committed before the kill
        assert answered not in answers(b)
        # Reopening with sync on appends what the outbox held: the answer's line is there.
        assert sync.attach(again.col) is not None
        assert len(journal_lines(again)) == len(lines_before) + 1
        again.sync()
        carry(again, b)
        b.sync()
        assert answered in answers(b)
    finally:
        again.close()
        b.close()


def test_draining_the_outbox_again_writes_nothing_twice(tmp_path: Path) -> None:
    a = make_device(tmp_path, "a", 0)
    let_everything_be_studied(a)
    a.sync()
    add_deck(a, "Twice", 2)
    study_some(a, 2)
    written = journal_lines(a)
    a.close()
    for _ in range(2):  # each start drains an outbox that still holds the last answer
        again = reopen(a)
        try:
            found = sync.attach(again.col)
            assert found is not None
            found.flush()
            assert journal_lines(again) == written
            assert sync.status(again.col).pending == 0
        finally:
            again.close()


def test_an_edit_made_while_the_folder_was_away_survives_quitting(tmp_path: Path) -> None:
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    for d in (a, b):
        let_everything_be_studied(d)
        d.sync()
    _deck, uuids = add_deck(a, "Away", 1)
    a.sync()
    carry(a, b)
    b.sync()
    own = a.view / a.device_id
    aside = tmp_path / "aside"
    own.rename(aside)
    own.write_text("not a directory: the share is not mounted")
    assert edit_card(a, uuids[0], "edited while the folder was away")
    assert sync.status(a.col).pending == 1
    a.close()  # quitting before the folder is back
    own.unlink()
    aside.rename(own)
    again = reopen(a)
    try:
        assert sync.attach(again.col) is not None  # the start appends what waited
        assert sync.status(again.col).pending == 0
        carry(again, b)
        b.sync()
        assert cards.load_card(b.col, uuids[0]).data["back"] == "edited while the folder was away"
    finally:
        again.close()
        b.close()
