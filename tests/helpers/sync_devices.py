"""Several devices of one learner sharing a sync folder, driven through the real services.

Each device is a real collection in its own data directory with its own clock. The folder
a device sees is its own copy (`view`), as Dropbox or Syncthing give each machine; the
file-sync engine is `carry`, which copies one device's files into another's view, whole
or cut off mid-line, the way an engine caught mid-copy leaves them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quizapp.core.model import Kind
from quizapp.core.settings import Settings
from quizapp.services import cards, exchange, study, sync
from quizapp.services.collection import Collection, open_collection
from quizapp.services.settings import save_settings
from quizapp.storage.database import DB_NAME
from tests.helpers.study import answer_current

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


class StepClock:
    """Moves a few seconds each time it is read, so no two answers share a time."""

    def __init__(self, offset_seconds: int) -> None:
        self.now = START + timedelta(seconds=offset_seconds)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=3)
        return self.now

    def next_day(self) -> None:
        self.now += timedelta(days=1)


@dataclass
class Device:
    name: str
    data: Path
    view: Path
    clock: StepClock
    col: Collection

    @property
    def device_id(self) -> str:
        found = sync.device_id(self.col)
        assert found is not None
        return found

    def sync(self) -> sync.SyncReport:
        return sync.sync(self.col, self.view)

    def close(self) -> None:
        sync.detach(self.col)
        self.col.close()


def make_device(root: Path, name: str, offset_seconds: int = 0) -> Device:
    clock = StepClock(offset_seconds)
    data, view = root / name / "data", root / name / "folder"
    view.mkdir(parents=True)
    col = open_collection(data, clock=clock)
    return Device(name, data, view, clock, col)


def carry(source: Device, target: Device, cut: float | None = None) -> None:
    """Copy `source`'s own directory into `target`'s view; with `cut` (0..1) the newest
    journal arrives only that far, usually mid-line."""
    for directory in [source.view / source.device_id]:
        there = target.view / directory.name
        there.mkdir(exist_ok=True)
        names = {p.name for p in directory.iterdir()}
        for stale in there.iterdir():
            if stale.name not in names:
                stale.unlink()  # deleted at the source (compacted)
        files = sorted(directory.iterdir())
        for path in files:
            data = path.read_bytes()
            if cut is not None and path == files[-1]:
                data = data[: int(len(data) * cut)]
            if (there / path.name).exists() and (there / path.name).read_bytes() == data:
                continue
            (there / path.name).write_bytes(data)


def add_deck(device: Device, name: str, count: int) -> tuple[str, list[str]]:
    deck = cards.create_deck(device.col, name).decks[0]
    uuids = []
    for i in range(count):
        data = cards.new_card_data(Kind.FLASHCARD)
        data.update(prompt=f"{name} question {i}", back=f"answer {i}")
        cards.add_card(device.col, deck, data)
        uuids.append(data["id"])
    return deck, uuids


def study_some(device: Device, count: int, *, right: bool = True) -> int:
    sitting = study.start_sitting(device.col)
    done = 0
    while not sitting.finished and done < count:
        answer_current(device.col, sitting, right=right)
        done += 1
    return done


def edit_card(device: Device, uuid: str, text: str) -> bool:
    try:
        card = cards.load_card(device.col, uuid)
    except cards.CardError:
        return False
    card.data["back"] = text
    cards.edit_card(device.col, uuid, card.data)
    return True


def let_everything_be_studied(device: Device) -> None:
    save_settings(device.col, Settings(new_per_day=9999, reviews_per_day=99999))


def answers(device: Device) -> set[tuple[str, str, int]]:
    """(card, time, quality) of every answer in the collection."""
    with device.col.db.session() as session:
        from quizapp.storage import sync_rows

        return {
            (card, str(values[0]), values[5])
            for _, _, _, card, values in sync_rows.all_reviews(session=session)
        }


def state_of(device: Device, out: Path) -> dict[str, Any]:
    """What must agree between devices: progress (schedules and logs) and every deck's file."""
    out.mkdir(parents=True, exist_ok=True)
    exchange.export_progress(device.col, out / "progress.json")
    progress = json.loads((out / "progress.json").read_text())
    progress.pop("exported_at", None)
    decks = {}
    with device.col.db.session() as session:
        from quizapp.storage import sync_rows

        rows = sync_rows.deck_rows(session=session)
    for uuid, row in rows.items():
        path = out / f"{uuid}.toml"
        exchange.export_deck(device.col, uuid, path, with_progress=True)
        decks[uuid] = (row["name"], row["options"], path.read_text())
    return {"progress": progress, "decks": decks, "settings": device.col.settings.to_dict()}


def copy_collection(device: Device, target: Path) -> None:
    target.mkdir(parents=True)
    shutil.copy(device.data / DB_NAME, target / DB_NAME)


@contextmanager
def joined_pair(root: Path) -> Iterator[tuple[Device, Device]]:
    """Two machines on one folder, each open to study everything and joined once: the
    start of most two-machine tests. Both are closed afterwards."""
    a, b = make_device(root, "a", 0), make_device(root, "b", 1)
    try:
        for d in (a, b):
            let_everything_be_studied(d)
            d.sync()
        yield a, b
    finally:
        a.close()
        b.close()
