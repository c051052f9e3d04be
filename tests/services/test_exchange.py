"""The import pipeline on a real collection: preview, one transaction, history kept by UUID."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.core.bundle import Bundle, CardProgress, ImportFailed
from quizapp.core.deckfile import MAX_DECK_FILE_BYTES, parse_deck_text
from quizapp.core.deckwriter import write_deck
from quizapp.core.sm2 import Sm2State
from quizapp.services import study
from quizapp.services.collection import Collection, open_collection
from quizapp.services.exchange import (
    ImportCancelled,
    apply_import,
    export_deck,
    export_progress,
    find_deck,
    import_progress,
    load_deck,
    plan_import,
)
from quizapp.services.importers import read_bundle
from quizapp.storage.tables import CardState
from tests.conftest import DATA, FakeClock
from tests.helpers.decks import SAMPLE, SAMPLE_ID, edited_sample
from tests.helpers.study import (
    answer_current,
    db_hash,
    in_file_order,
    logs,
    study_everything,
)


def import_file(col: Collection, path: Path, **kwargs: object) -> object:
    plan = plan_import(col, read_bundle(path))
    assert plan.ok, plan.errors
    return apply_import(col, plan, **kwargs)  # type: ignore[arg-type]


def test_plan_lists_added_changed_removed_and_unchanged(col: Collection, tmp_path: Path) -> None:
    before = db_hash(col)
    plan = plan_import(col, read_bundle(edited_sample(tmp_path)))
    assert db_hash(col) == before  # a preview writes nothing
    [deck] = plan.decks
    assert deck.exists and deck.renamed_from is None
    assert [c.prompt for c in deck.added] == ["Trait for types that can be sent to another thread?"]
    assert [c.prompt for c in deck.changed] == ["What does this program print?"]
    assert [c.uuid for c in deck.removed] == ["a0000000-0000-4000-8000-000000000005"]
    assert deck.unchanged == 3


def test_reimport_keeps_review_history_and_retires_removed_cards(
    team_col: Collection, tmp_path: Path, clock: FakeClock
) -> None:
    study_everything(team_col)
    history = [(r.card_id, r.quality, r.reviewed_at) for r in logs(team_col)]
    plan = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    assert plan.decks[0].removed[0].reviews == 1
    result = apply_import(team_col, plan)
    [deck] = result.decks
    assert (deck.added, deck.changed, deck.retired, deck.deleted) == (1, 1, 1, 0)
    assert [(r.card_id, r.quality, r.reviewed_at) for r in logs(team_col)] == history
    clock.set_local(2026, 11, 25, 12)
    [summary] = study.deck_overview(team_col)
    assert (summary.cards, summary.counts.due, summary.counts.new) == (5, 4, 1)
    s = study.start_sitting(team_col)
    view = study.current_card(team_col, s)
    assert view is not None and view.state.repetitions == 1


def test_removed_cards_are_deleted_with_their_history_only_on_request(
    team_col: Collection, tmp_path: Path
) -> None:
    study_everything(team_col)
    result = import_file(team_col, edited_sample(tmp_path), delete_removed=True)
    [deck] = result.decks  # type: ignore[attr-defined]
    assert (deck.deleted, deck.reviews_deleted, deck.retired) == (1, 1, 0)
    assert len(logs(team_col)) == 4
    with team_col.db.session() as session:
        assert len(list(session.exec(select(CardState)))) == 5


def test_a_new_deck_file_adds_a_deck_at_the_end(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_bytes((DATA / "cards.csv").read_bytes())
    result = import_file(col, path)
    assert [d.name for d in study.deck_overview(col)] == ["Sample", "cards"]
    assert result.decks[0].added == 4  # type: ignore[attr-defined]
    again = plan_import(col, read_bundle(path))
    assert again.decks[0].unchanged == 4 and not again.decks[0].touches_anything


def test_a_card_of_another_deck_is_a_conflict_and_nothing_changes(
    col: Collection, tmp_path: Path
) -> None:
    text = SAMPLE.replace(SAMPLE_ID, "7f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f").replace(
        'name = "Sample"', 'name = "Thief"'
    )
    path = tmp_path / "thief.toml"
    path.write_text(text, encoding="utf-8")
    before = db_hash(col)
    plan = plan_import(col, read_bundle(path))
    assert not plan.ok
    assert (
        f"{path}: cards[0].id: card a0000000-0000-4000-8000-000000000001 already belongs to the deck 'Sample'"
        in plan.errors[0]
    )
    with pytest.raises(ImportFailed):
        apply_import(col, plan)
    assert db_hash(col) == before


def test_duplicate_ids_across_decks_of_a_bundle(col: Collection) -> None:
    deck = parse_deck_text(SAMPLE, "s.toml")
    other = parse_deck_text(
        SAMPLE.replace(SAMPLE_ID, "7f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"), "o.toml"
    )
    plan = plan_import(col, Bundle(decks=(deck, other), source="two.apkg"))
    assert any(
        e.startswith("two.apkg: deck 'Sample': cards[0].id: duplicate id") for e in plan.errors
    )


def test_decks_from_any_reader_obey_the_deck_file_rules(team_col: Collection) -> None:
    from dataclasses import replace

    deck = parse_deck_text(SAMPLE, "s.toml")
    bad = replace(deck, cards=(replace(deck.cards[2], answer_indexes=(9,)), *deck.cards[3:]))
    plan = plan_import(team_col, Bundle(decks=(bad,), source="x.apkg"))
    assert plan.errors == ("x.apkg: cards[0].answer: index 9 is out of range (3 options)",)


def test_cancel_rolls_everything_back(team_col: Collection, tmp_path: Path) -> None:
    study_everything(team_col)
    before = db_hash(team_col)
    plan = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        cancel.set()

    with pytest.raises(ImportCancelled):
        apply_import(team_col, plan, progress=progress, cancel=cancel)
    assert seen[0] == (0, 5)
    assert db_hash(team_col) == before


def test_an_error_half_way_rolls_everything_back(team_col: Collection, tmp_path: Path) -> None:
    study_everything(team_col)
    plan = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    before = db_hash(team_col)
    written = []

    def progress(done: int, total: int) -> None:
        written.append(done)
        if done == 3:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        apply_import(team_col, plan, progress=progress)
    assert written == [0, 1, 2, 3]  # three cards were written before the failure
    assert db_hash(team_col) == before


def test_a_stale_plan_is_refused(team_col: Collection, tmp_path: Path) -> None:
    plan = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    import_file(team_col, edited_sample(tmp_path))
    before = db_hash(team_col)
    with pytest.raises(ImportFailed, match="changed since the preview"):
        apply_import(team_col, plan)
    assert db_hash(team_col) == before


def test_bundle_progress_applies_only_when_asked_and_never_over_local_history(
    col: Collection,
) -> None:
    in_file_order(col)
    deck = parse_deck_text(SAMPLE, "s.toml")
    s = study.start_sitting(col)
    answer_current(col, s)  # the first card now has local history
    due = CardProgress(Sm2State(repetitions=3, interval=15), due=col.today(), lapses=2, reviews=3)
    progress = {c.id: due for c in deck.cards}
    bundle = Bundle(decks=(deck,), progress=progress, source="anki.apkg")
    plan = plan_import(col, bundle)
    assert plan.progress_cards == 5
    result = apply_import(col, plan)
    assert result.progress_applied == 0
    with col.db.session() as session:
        assert session.get(CardState, 2).interval == 0  # type: ignore[union-attr]
    result = apply_import(col, plan_import(col, bundle), with_progress=True)
    assert (result.progress_applied, result.progress_kept_local) == (4, 1)
    with col.db.session() as session:
        first, second = session.get(CardState, 1), session.get(CardState, 2)
        assert first is not None and first.interval == 1 and first.lapses == 0
        assert second is not None and (second.interval, second.lapses) == (15, 2)


def test_export_writes_the_deck_file_that_imports_back(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "out" / "sample.toml"
    exported = export_deck(col, find_deck(col, "sample"), path)
    deck = load_deck(col, SAMPLE_ID)
    assert exported.cards == len(deck.cards) and exported.deck.name == deck.name
    assert path.read_text(encoding="utf-8") == write_deck(deck)
    assert parse_deck_text(SAMPLE, "s.toml") == deck
    other = open_collection(tmp_path / "fresh")
    try:
        import_file(other, path)
        assert write_deck(load_deck(other, SAMPLE_ID)) == write_deck(deck)
    finally:
        other.close()


def test_export_refuses_an_unknown_format_and_deck(col: Collection, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot export to \.docx"):
        export_deck(col, SAMPLE_ID, tmp_path / "deck.docx")
    with pytest.raises(LookupError, match="no deck called 'Nope'"):
        find_deck(col, "Nope")
    assert not (tmp_path / "deck.docx").exists()


def test_progress_moves_to_another_machine_and_merges(
    col: Collection, tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    from quizapp.services.decks import sync_shipped_decks

    study_everything(col)
    path = tmp_path / "progress.json"
    assert export_progress(col, path) == 5
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data["cards"]["a0000000-0000-4000-8000-000000000001"]
    assert entry["due"] == "2026-11-25" and entry["log"][0]["quality"] == 4
    other = open_collection(tmp_path / "laptop", clock=clock)
    try:
        sync_shipped_decks(other, sample_decks)
        first = import_progress(other, path)
        assert (first.cards, first.reviews_added, first.states_taken) == (5, 5, 5)
        again = import_progress(other, path)
        assert (again.reviews_added, again.states_taken) == (0, 0)  # merging twice adds nothing
        assert len(logs(other)) == 5
        [deck] = study.deck_overview(other)
        assert deck.counts.new == 0
        # the laptop studies on; the old file must not roll its schedule back or drop reviews
        clock.set_local(2026, 11, 25, 12)
        study_everything(other)
        assert import_progress(other, path).states_taken == 0
        assert len(logs(other)) == 10
    finally:
        other.close()


def test_an_undone_progress_import_is_imported_again_not_redone(
    col: Collection, tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    """Redo put back the imported schedules without the imported answers (the undo image
    holds no rows added to cards that were there): the history and the schedule disagreed."""
    from quizapp.services import undo
    from quizapp.services.decks import sync_shipped_decks

    study_everything(col)
    path = tmp_path / "progress.json"
    export_progress(col, path)
    other = open_collection(tmp_path / "laptop", clock=clock)
    try:
        sync_shipped_decks(other, sample_decks)
        assert import_progress(other, path).reviews_added == 5
        assert undo.undo_last(other) is not None and logs(other) == []
        assert undo.newest_undone(other) is None and undo.redo_last(other) is None
        assert import_progress(other, path).reviews_added == 5  # imported again, whole
        assert len(logs(other)) == 5 and study.deck_overview(other)[0].counts.new == 0
    finally:
        other.close()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("this is not json", "progress.json:1: not a quizapp progress file (not JSON"),
        ('{"format": "other"}', "not a quizapp progress file"),
        (
            '{"format": "quizapp-progress", "version": 1, "cards": {"a0000000-0000-4000-8000-000000000001": {"repetitions": "two"}}}',
            "cards.a0000000-0000-4000-8000-000000000001",
        ),
        (
            '{"format": "quizapp-progress", "version": 1, "cards": {"b0000000-0000-4000-8000-000000000001": {"repetitions": 1, "easiness_hundredths": 250, "interval": 1, "due": null, "lapses": 0, "reviews": 1, "suspended": false, "log": []}}}',
            "1 card(s) are not in this collection",
        ),
    ],
)
def test_bad_progress_files_change_nothing(
    col: Collection, tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "progress.json"
    path.write_text(content, encoding="utf-8")
    before = db_hash(col)
    with pytest.raises(ImportFailed) as info:
        import_progress(col, path)
    assert str(path) in str(info.value) and words in str(info.value)
    assert db_hash(col) == before


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


MDBOOK_BAD = '[[questions]]\ntype = "Informational"\nprompt.prompt = "x"\nanswer.answer = "y"\n'


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("photo.toml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.toml: this is a binary file"),
        ("notes.docx", "hello", "quizapp cannot import .docx files"),
        ("deck.toml", "format = 1\n[deck\n", "deck.toml:2: not valid TOML"),
        (
            "deck.toml",
            SAMPLE.replace('id = "a0000000-0000-4000-8000-000000000002"\n', ""),
            "deck.toml:25: cards[1]: 'id' is a required property",
        ),
        (
            "deck.toml",
            SAMPLE.replace(
                "a0000000-0000-4000-8000-000000000002", "a0000000-0000-4000-8000-000000000001"
            ),
            "cards[1].id: duplicate id",
        ),
        (
            "deck.toml",
            SAMPLE.replace('stdout = "0', 'colour = "red"\nstdout = "0'),
            "cards[1].colour: unknown field",
        ),
        (
            "deck.toml",
            SAMPLE.replace("compiles = false", 'compiles = "no"'),
            "cards[0].compiles: 'no' is not of type 'boolean'",
        ),
        ("deck.csv", "prompt,back\nq1,a1\nq2,a2,extra\n", "deck.csv:3: the row has 3 cells"),
        (
            "ch01.toml",
            MDBOOK_BAD,
            "ch01.toml:2: questions[0].type: unknown question type 'Informational'",
        ),
        (
            "latin1.csv",
            "prompt,back\ncaf\xe9,x\n".encode("latin-1"),
            "latin1.csv:2: the file is not UTF-8 text",
        ),
    ],
)
def test_bad_files_are_refused_naming_file_and_place(
    col: Collection, tmp_path: Path, name: str, content: str | bytes, words: str
) -> None:
    path = _write(tmp_path, name, content)
    before = db_hash(col)
    with pytest.raises(ImportFailed) as info:
        plan = plan_import(col, read_bundle(path))
        apply_import(col, plan)
    assert str(path) in str(info.value)
    assert words in str(info.value)
    assert db_hash(col) == before


def test_a_huge_file_is_refused_unread(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(MAX_DECK_FILE_BYTES + 1)  # sparse: big on paper, nothing to write
    before = db_hash(col)
    with pytest.raises(
        ImportFailed, match=rf"huge.csv: the file is {MAX_DECK_FILE_BYTES + 1} bytes; the limit is"
    ):
        read_bundle(path)
    assert db_hash(col) == before


def test_html_with_scripts_is_sanitized_on_import(col: Collection, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "web.csv",
        'prompt,back\n"<script>steal()</script><b onmouseover=""x()"">Bold</b>","<img src=x onerror=alert(1)>ok"\n',
    )
    import_file(col, path)
    deck = load_deck(col, find_deck(col, "web"))
    [card] = deck.cards
    assert card.prompt == "**Bold**" and card.back == "ok"


def test_mdbook_quiz_imports_each_question_kind(col: Collection, tmp_path: Path) -> None:
    path = _write(
        tmp_path, "ch04-quiz.toml", (DATA / "mdbook-quiz.toml").read_text(encoding="utf-8")
    )
    import_file(col, path)
    deck = load_deck(col, find_deck(col, "ch04-quiz"))
    kinds = [c.kind.value for c in deck.cards]
    assert kinds == ["short", "output", "choice", "choice", "short", "flashcard"]


@pytest.mark.rustc
def test_reading_an_mdbook_quiz_compiles_nothing(tmp_path: Path) -> None:
    """Reading comes before the preview and any consent: rustc (on the PATH) is not asked.

    The program that does not compile becomes what the quiz itself asks: which line.
    """
    path = _write(
        tmp_path, "ch04-quiz.toml", (DATA / "mdbook-quiz.toml").read_text(encoding="utf-8")
    )
    card = read_bundle(path).decks[0].cards[0]
    assert card.kind.value == "short" and card.accepted == ("5",)
    assert card.errors == ()
