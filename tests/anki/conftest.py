"""A real Anki collection built with the `anki` library (a test-only dependency)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

HOSTILE_FRONT = 'Why <b>move</b>?<script>alert("x")</script><img src="x.png" onerror="alert(1)">'


@dataclass
class AnkiSource:
    col: Collection
    parent_deck: int
    notes: dict[str, int]
    """Note ids by a short label."""

    def export(self, path: Path, *, legacy: bool, with_scheduling: bool = True) -> Path:
        self.col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=with_scheduling,
                with_deck_configs=False,
                with_media=True,
                legacy=legacy,
            ),
            limit=DeckIdLimit(self.parent_deck),
        )
        return path


def add_note(col: Collection, notetype: str, deck: str, fields: list[str], tags: list[str]) -> int:
    note = col.new_note(col.models.by_name(notetype))
    for i, value in enumerate(fields):
        note.fields[i] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))
    return int(note.id)


@pytest.fixture
def anki_source(tmp_path: Path) -> Iterator[AnkiSource]:
    col = Collection(str(tmp_path / "source.anki2"))
    notes = {
        "basic": add_note(
            col,
            "Basic",
            "Rust::Ownership",
            ["What does <code>let t = s;</code> do to a <i>String</i>?", "It <b>moves</b> it."],
            ["ownership", "rust::move"],
        ),
        "reversed": add_note(
            col,
            "Basic (and reversed card)",
            "Rust::Ownership::Borrowing",
            ["&amp;mut T", "a unique borrow"],
            ["borrowing"],
        ),
        "hostile": add_note(
            col, "Basic", "Rust", [HOSTILE_FRONT, 'ok<a href="javascript:x()">link</a>'], []
        ),
        "cloze": add_note(
            col,
            "Cloze",
            "Rust",
            [
                "A {{c1::Box}} owns its heap value; an {{c2::Rc::shared pointer}} shares it.",
                "extra",
            ],
            ["smart-pointers"],
        ),
    }
    yield AnkiSource(col, col.decks.id("Rust"), notes)
    col.close()


def rename_member(package: Path, old: str, new: str, target: Path) -> Path:
    """A copy of `package` with a member renamed (to make the pre-2.1.50 layout)."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            if info.filename == new:
                continue
            data = src.read(info)
            dst.writestr(new if info.filename == old else info.filename, data)
    return target
