"""`.apkg` through the shared import/export pipeline and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from quizapp.adapters.files import load_deck_file
from quizapp.adapters.paths import shipped_decks_dir
from quizapp.app import main
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, export_deck, find_deck, load_deck, plan_import
from quizapp.services.importers import read_bundle
from tests.anki.conftest import AnkiSource

SAMPLE_ID = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"


def import_apkg(col: Collection, path: Path, *, with_progress: bool) -> object:
    plan = plan_import(col, read_bundle(path))
    assert plan.ok, plan.errors
    return apply_import(col, plan, with_progress=with_progress)


def test_an_anki_package_imports_and_reimports_as_an_update(
    col: Collection, anki_source: AnkiSource, tmp_path: Path
) -> None:
    anki = anki_source.col
    basic = anki.get_note(anki_source.notes["basic"]).cards()[0]
    anki.sched.set_due_date([basic.id], "5!")
    path = anki_source.export(tmp_path / "rust.apkg", legacy=False)

    result = import_apkg(col, path, with_progress=True)
    assert result.progress_applied == 1  # type: ignore[attr-defined]
    names = ["Rust", "Rust::Ownership", "Rust::Ownership::Borrowing"]
    decks = {name: load_deck(col, find_deck(col, name)) for name in names}
    assert [len(d.cards) for d in decks.values()] == [3, 1, 2]
    hostile = next(c for c in decks["Rust"].cards if c.prompt.startswith("Why"))
    assert hostile.prompt == "Why **move**?"

    note = anki.get_note(anki_source.notes["basic"])
    note.fields[1] = "It moves it."
    anki.update_note(note)
    again = plan_import(col, read_bundle(anki_source.export(tmp_path / "v2.apkg", legacy=True)))
    assert [(d.deck.name, len(d.added)) for d in again.decks] == [(n, 0) for n in names]
    assert sum(len(d.changed) for d in again.decks) == 1


def test_export_deck_writes_an_apkg_anki_imports(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "sample.apkg"
    deck = export_deck(col, SAMPLE_ID, path, with_progress=True).deck
    anki = AnkiCollection(str(tmp_path / "anki.anki2"))
    try:
        anki.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
        )
        assert {anki.get_note(n).guid for n in anki.find_notes("")} == {c.id for c in deck.cards}
        assert anki.decks.id_for_name("Sample") is not None
    finally:
        anki.close()


def test_cli_export_and_import_apkg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, fresh = tmp_path / "first", tmp_path / "fresh"
    assert main(["--data-dir", str(first), "list"]) == 0
    out = tmp_path / "ownership.apkg"
    assert (
        main(["--data-dir", str(first), "export", "Ownership & affine types", "-o", str(out)]) == 0
    )
    assert main(["--data-dir", str(fresh), "import", "--yes", str(out)]) == 0
    printed = capsys.readouterr().out
    cards = len(load_deck_file(shipped_decks_dir() / "01-ownership.toml").cards)
    # The same cards of the same deck, which the fresh collection already ships: no copy.
    assert "Ownership & affine types: 0 added, 0 changed" in printed
    assert main(["--data-dir", str(fresh), "list"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("Ownership & affine types") == 1 and f" {cards}\n" in listed
