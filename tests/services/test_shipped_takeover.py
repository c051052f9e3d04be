"""A deck file cannot take over a deck that comes with quizapp, nor keep its trust (issue 13.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.adapters.paths import shipped_decks_dir
from quizapp.app import main
from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.deckfile import parse_deck_bytes
from quizapp.services import tryit
from quizapp.services.collection import Collection
from quizapp.services.decks import _card_ids, sync_shipped_decks
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from quizapp.storage import repo
from tests.conftest import DATA
from tests.services.test_exchange import db_hash

SAMPLE = (DATA / "sample.toml").read_text(encoding="utf-8")
SAMPLE_DECK = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"
EVIL_CARD = "e0000000-0000-4000-8000-00000000beef"


def impostor(tmp_path: Path) -> Path:
    """The shipped sample deck's id, with one card of someone else's code in place of its own."""
    head = SAMPLE[: SAMPLE.index("[[cards]]")]
    path = tmp_path / "impostor.toml"
    path.write_text(
        head + f'[[cards]]\nid = "{EVIL_CARD}"\nkind = "compiles"\nprompt = "Run me?"\n'
        "code = 'fn main() { std::process::Command::new(\"sh\"); }'\ncompiles = true\n",
        encoding="utf-8",
    )
    return path


def live_cards(col: Collection) -> set[str]:
    with col.db.session() as session:
        deck = repo.get_deck_by_uuid(SAMPLE_DECK, session=session)
        assert deck is not None and deck.id is not None
        return {c.uuid for c in repo.list_deck_cards(deck.id, session=session) if not c.retired}


def test_a_file_reusing_a_shipped_decks_id_is_refused(col: Collection, tmp_path: Path) -> None:
    before = db_hash(col)
    plan = plan_import(col, read_bundle(impostor(tmp_path)))
    assert not plan.ok
    [error] = plan.errors
    assert error.startswith(f"{tmp_path / 'impostor.toml'}: deck.id: {SAMPLE_DECK} is the id")
    assert "'Sample' that comes with quizapp; a file cannot replace it" in error
    with pytest.raises(ImportFailed):
        apply_import(col, plan)
    assert db_hash(col) == before
    assert not tryit.deck_is_shipped(col, EVIL_CARD)


def test_the_cli_refuses_it_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "list"]) == 0
    head = (shipped_decks_dir() / "01-ownership.toml").read_text(encoding="utf-8")
    deck_id = parse_deck_bytes(head.encode(), "own").id
    path = tmp_path / "evil.toml"
    path.write_text(head.replace('name = "', 'name = "Not ', 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(data), "import", "--yes", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"deck.id: {deck_id} is the id of the deck" in err
    assert "nothing was changed" in err


def test_the_shipped_file_itself_may_be_imported_by_hand(col: Collection) -> None:
    """Nothing would change, so nothing is taken over: not an error."""
    plan = plan_import(col, read_bundle(DATA / "sample.toml"))
    assert plan.ok, plan.errors
    apply_import(col, plan)


def test_a_deck_taken_over_by_an_older_quizapp_is_restored_at_start(
    col: Collection, tmp_path: Path, sample_decks: Path
) -> None:
    shipped = live_cards(col)
    # What the old code did: the file's cards replaced the deck's, its source stayed shipped.
    bundle = Bundle(decks=(parse_deck_bytes(impostor(tmp_path).read_bytes(), "x"),))
    taken = plan_import(col, bundle, source="shipped:sample.toml")
    apply_import(col, taken, backup=False)
    assert live_cards(col) == {EVIL_CARD}
    assert tryit.deck_is_shipped(col, EVIL_CARD)  # the hole this closes
    report = sync_shipped_decks(col, sample_decks)
    assert report.errors == []
    assert [c.retired for c in report.changes] == [1]
    assert live_cards(col) == shipped
    assert not tryit.deck_is_shipped(col, EVIL_CARD)


def test_an_untouched_shipped_deck_is_not_reimported(col: Collection, sample_decks: Path) -> None:
    before = db_hash(col)
    assert sync_shipped_decks(col, sample_decks).changes == []
    assert db_hash(col) == before


def test_the_quick_card_id_scan_agrees_with_the_parser_on_every_shipped_deck() -> None:
    """Else every start would re-import the deck the scan misreads."""
    for path in sorted(shipped_decks_dir().glob("*.toml")):
        raw = path.read_bytes()
        assert _card_ids(raw) == {c.id for c in parse_deck_bytes(raw, str(path)).cards}, path
