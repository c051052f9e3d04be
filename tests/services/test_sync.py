"""Sync through a folder (issue 16): two or three real collections, one shared folder."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.services import cards, journal, sync
from quizapp.services.backup import list_backups
from quizapp.services.settings import set_setting
from quizapp.services.sync_merge import SyncReport
from quizapp.storage import sync_rows
from tests.helpers.sync_devices import (
    Device,
    add_deck,
    answers,
    carry,
    edit_card,
    let_everything_be_studied,
    make_device,
    state_of,
    study_some,
)


@pytest.fixture
def devices(tmp_path: Path):  # type: ignore[no-untyped-def]
    made = [make_device(tmp_path, name, offset) for name, offset in (("a", 0), ("b", 1), ("c", 2))]
    for d in made:
        let_everything_be_studied(d)
        d.sync()
    yield made
    for d in made:
        d.close()


def spread(devices: list[Device], rounds: int = 2) -> None:
    """Every device's files everywhere, then everyone merges, until nothing is new."""
    for _ in range(rounds):
        for source in devices:
            for target in devices:
                if source is not target:
                    carry(source, target)
        for d in devices:
            d.sync()


def same_everywhere(devices: list[Device], tmp_path: Path) -> dict[str, object]:
    states = [state_of(d, tmp_path / "states" / d.name) for d in devices]
    for other in states[1:]:
        assert other == states[0]
    return states[0]


def test_answers_from_every_device_are_merged_and_schedules_agree(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, c = devices
    deck, _uuids = add_deck(a, "Ownership", 6)
    spread(devices)
    assert study_some(a, 4) == 4
    assert study_some(b, 3, right=False) == 3
    assert study_some(c, 6) == 6
    everything = answers(a) | answers(b) | answers(c)
    spread(devices)
    for d in devices:
        assert answers(d) == everything
    assert len(everything) == 13
    state = same_everywhere(devices, tmp_path)
    assert state["decks"][deck][0] == "Ownership"  # type: ignore[index]


def test_two_edits_keep_the_later_one_and_the_other_in_history(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, _c = devices
    _deck, uuids = add_deck(a, "Traits", 2)
    spread(devices)
    assert edit_card(a, uuids[0], "first edit, on a")
    b.clock.now = a.clock.now + timedelta(minutes=5)
    assert edit_card(b, uuids[0], "second edit, on b")
    spread(devices)
    for d in devices:
        assert cards.load_card(d.col, uuids[0]).data["back"] == "second edit, on b"
        with d.col.db.session() as session:
            kept = [content for _, content in sync_rows.history(uuids[0], session=session)]
        assert any("first edit, on a" in content for content in kept)
    same_everywhere(devices, tmp_path)


def test_a_delete_wins_over_an_older_edit_and_loses_to_a_newer_one(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, c = devices
    _deck, uuids = add_deck(a, "Lifetimes", 3)
    spread(devices)
    assert edit_card(a, uuids[0], "edited before the delete")
    b.clock.now = a.clock.now + timedelta(minutes=5)
    cards.delete_cards(b.col, [uuids[0]], delete_history=True)
    cards.delete_cards(b.col, [uuids[1]], delete_history=True)
    c.clock.now = b.clock.now + timedelta(minutes=5)  # c has not seen the delete yet
    assert edit_card(c, uuids[1], "edited after the delete")
    spread(devices)
    for d in devices:
        with d.col.db.session() as session:
            present = sync_rows.card_ids(uuids, session=session)
        assert uuids[0] not in present
        assert uuids[1] in present
        assert cards.load_card(d.col, uuids[1]).data["back"] == "edited after the delete"
    same_everywhere(devices, tmp_path)


def test_suspensions_renames_and_settings_follow_the_learner(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, c = devices
    deck, uuids = add_deck(a, "Closures", 3)
    spread(devices)
    cards.set_suspended(b.col, [uuids[2]], True)
    cards.rename_deck(c.col, deck, "Closures and Fn traits")
    set_setting(a.col, "max_interval", "120")
    spread(devices)
    for d in devices:
        assert d.col.settings.max_interval == 120
        with d.col.db.session() as session:
            assert sync_rows.card_rows([uuids[2]], session=session)[uuids[2]]["suspended"]
            assert sync_rows.deck_rows([deck], session=session)[deck]["name"] == (
                "Closures and Fn traits"
            )
    same_everywhere(devices, tmp_path)


def suspended(device: Device, uuid: str) -> bool:
    with device.col.db.session() as session:
        return bool(sync_rows.card_rows([uuid], session=session)[uuid]["suspended"])


def test_a_card_brought_back_by_a_newer_edit_keeps_its_suspension(
    devices: list[Device], tmp_path: Path
) -> None:
    """Found by the three-machine property: a suspended on one machine, deleted on
    another, edited later on the first. The edit brings the card back everywhere, but the
    suspension came before the card was back and was dropped on the other machines."""
    a, b, _c = devices
    _deck, uuids = add_deck(a, "Drop", 2)
    spread(devices)
    b.clock.now = a.clock.now + timedelta(minutes=1)
    cards.delete_cards(b.col, [uuids[0]], delete_history=True)
    a.clock.now = b.clock.now + timedelta(minutes=1)  # a has not seen the delete
    cards.set_suspended(a.col, [uuids[0]], True)
    assert edit_card(a, uuids[0], "edited after the delete")
    spread(devices)
    assert all(suspended(d, uuids[0]) for d in devices)
    same_everywhere(devices, tmp_path)
    fresh = make_device(tmp_path, "fresh", 9)
    try:
        for d in devices:
            carry(d, fresh)
        fresh.sync()
        assert suspended(fresh, uuids[0])
    finally:
        fresh.close()


def test_a_suspension_that_comes_before_its_card_waits_for_it(devices: list[Device]) -> None:
    """c suspends a card a made; b gets c's journal before a's: the card comes later and
    must come suspended, as on c."""
    a, b, c = devices
    _deck, uuids = add_deck(a, "Late", 1)
    a.sync()
    carry(a, c)
    c.sync()
    cards.set_suspended(c.col, [uuids[0]], True)
    c.sync()
    carry(c, b)
    b.sync()  # the suspension of a card b does not have yet
    carry(a, b)
    b.sync()
    assert suspended(b, uuids[0]) and suspended(c, uuids[0])


def test_an_undone_answer_is_undone_everywhere(devices: list[Device], tmp_path: Path) -> None:
    from quizapp.services import study
    from tests.helpers.study import answer_current, undo_answer

    a, b, _c = devices
    add_deck(a, "Undo", 2)
    spread(devices)
    sitting = study.start_sitting(b.col)
    answer_current(b.col, sitting)
    answer_current(b.col, sitting)
    carry(b, a)
    a.sync()
    assert len(answers(a)) == 2
    undo_answer(b.col, sitting)
    spread(devices)
    for d in devices:
        assert len(answers(d)) == 1
    same_everywhere(devices, tmp_path)


def test_a_collection_that_never_synced_joins_without_losing_either_side(
    tmp_path: Path,
) -> None:
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    try:
        for d in (a, b):
            let_everything_be_studied(d)
        deck_a, _ = add_deck(a, "Only on a", 3)
        deck_b, _ = add_deck(b, "Only on b", 2)
        study_some(a, 3)
        study_some(b, 2)
        before = answers(a) | answers(b)
        a.sync()
        b.sync()
        spread([a, b])
        for d in (a, b):
            assert answers(d) == before
            with d.col.db.session() as session:
                assert set(sync_rows.deck_rows(session=session)) == {deck_a, deck_b}
        same_everywhere([a, b], tmp_path)
    finally:
        a.close()
        b.close()


def test_a_half_copied_journal_is_read_to_its_last_whole_event_and_finished_later(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, _c = devices
    add_deck(a, "Torn", 5)
    study_some(a, 5)
    carry(a, b, cut=0.6)
    first = b.sync()
    assert first.merged > 0
    carry(a, b)
    second = b.sync()
    assert second.merged > 0
    assert answers(b) == answers(a)
    same_everywhere([a, b], tmp_path)


def test_a_merge_that_changes_data_is_backed_up_first_and_an_empty_sync_is_not(
    devices: list[Device],
) -> None:
    a, b, _c = devices
    add_deck(a, "Backups", 2)
    carry(a, b)
    add_deck(b, "Mine", 1)
    report = b.sync()
    assert report.backup
    assert report.backup in {x.id for x in list_backups(b.data)}
    assert b.sync().merged == 0


def test_compaction_replaces_old_journals_and_a_late_device_still_gets_everything(
    devices: list[Device], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "EVENTS_PER_FILE", 4)
    a, b, _c = devices
    _deck, uuids = add_deck(a, "Many", 6)
    spread([a, b])
    study_some(a, 6)
    assert edit_card(a, uuids[0], "edited twice, first")
    assert edit_card(a, uuids[0], "edited twice, second")
    report = sync.sync(a.col, compact=True)
    assert report.compacted.startswith("snapshot-")
    own = a.view / a.device_id
    assert any(p.name.startswith("snapshot-") for p in own.iterdir())
    snapshot = max(own.glob("snapshot-*")).name
    assert all(p.name > snapshot.replace("snapshot", "journal") for p in own.glob("journal-*"))
    spread(devices)  # c saw nothing before: it reads the snapshot; b reads past it
    for d in devices:
        assert answers(d) == answers(a)
        assert cards.load_card(d.col, uuids[0]).data["back"] == "edited twice, second"
    same_everywhere(devices, tmp_path)


def test_replaying_every_journal_into_an_empty_collection_gives_the_same_state(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, c = devices
    _deck, uuids = add_deck(a, "Replay", 5)
    spread(devices)
    study_some(a, 3)
    study_some(b, 5, right=False)
    cards.set_suspended(c.col, [uuids[4]], True)
    cards.reset_progress(b.col, [uuids[0]])
    edit_card(c, uuids[1], "changed on c")
    spread(devices)
    fresh = make_device(tmp_path, "fresh", 5)
    try:
        let_everything_be_studied(fresh)
        for d in devices:
            carry(d, fresh)
        fresh.sync()
        same_everywhere([*devices, fresh], tmp_path)
    finally:
        fresh.close()


def test_status_says_what_is_merged_and_what_waits(devices: list[Device]) -> None:
    a, b, _c = devices
    add_deck(a, "Status", 2)
    carry(a, b)
    lines = "\n".join(sync.status(b.col).lines())
    assert a.device_id in lines
    assert "waiting" in lines
    waiting = next(d for d in sync.status(b.col).others if d.device == a.device_id).waiting
    assert waiting == 5  # two settings a changed before joining, a deck, two cards
    assert b.sync().merged == 5
    (only,) = [d for d in sync.status(b.col).others if d.device == a.device_id]
    assert only.waiting == 0 and only.applied == 5


def test_an_unreachable_folder_keeps_events_until_it_is_back(
    devices: list[Device], tmp_path: Path
) -> None:
    a, b, _c = devices
    _deck, uuids = add_deck(a, "Offline", 2)
    own = a.view / a.device_id
    aside = tmp_path / "aside"
    own.rename(aside)
    own.write_text("not a directory: the share is not mounted")
    assert edit_card(a, uuids[0], "edited while the folder was away")  # the edit stands
    status = sync.status(a.col)
    assert status.pending == 1 and status.error
    own.unlink()
    aside.rename(own)
    assert edit_card(a, uuids[1], "edited once it was back")
    assert sync.status(a.col).pending == 0
    carry(a, b)
    b.sync()
    assert cards.load_card(b.col, uuids[0]).data["back"] == "edited while the folder was away"
    assert cards.load_card(b.col, uuids[1]).data["back"] == "edited once it was back"
    same_everywhere([a, b], tmp_path)


def test_a_half_copied_snapshot_is_not_read_until_it_is_whole(
    devices: list[Device], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "EVENTS_PER_FILE", 3)
    a, _b, c = devices
    add_deck(a, "Snapshot", 5)
    study_some(a, 5)
    assert sync.sync(a.col, compact=True).compacted
    own = a.view / a.device_id
    assert [p.name[:8] for p in sorted(own.iterdir())] == ["snapshot"]
    carry(a, c, cut=0.5)  # the snapshot is the newest file: it arrives half-way
    assert c.sync().merged == 0
    assert answers(c) == set()
    carry(a, c)
    assert c.sync().merged > 0
    assert answers(c) == answers(a)
    same_everywhere([a, c], tmp_path)


def test_an_undone_answer_is_not_an_edit_of_the_card(devices: list[Device], tmp_path: Path) -> None:
    """Undoing an answer puts back the card's schedule, not its text: it must not send the
    card's text again as a new edit, which beat a newer edit made on another machine (and
    brought back a card deleted there)."""
    from quizapp.services import study
    from tests.helpers.study import answer_current, undo_answer

    a, b, c = devices
    _deck, uuids = add_deck(a, "Undo is not an edit", 3)
    spread(devices)
    sitting = study.start_sitting(b.col)
    view = study.current_card(b.col, sitting)
    assert view is not None
    shown = view.card.id
    deleted = next(u for u in uuids if u != shown)
    assert edit_card(a, shown, "edited on a while b studied")
    cards.delete_cards(c.col, [deleted], delete_history=True)
    b.clock.now = max(a.clock.now, c.clock.now) + timedelta(minutes=5)
    answer_current(b.col, sitting)
    undo_answer(b.col, sitting)  # later than a's edit, by the clock
    spread(devices)
    for d in devices:
        assert cards.load_card(d.col, shown).data["back"] == "edited on a while b studied"
        with d.col.db.session() as session:
            assert deleted not in sync_rows.card_ids(uuids, session=session)
        assert answers(d) == set()
    same_everywhere(devices, tmp_path)


def test_a_merge_that_finds_everything_here_says_so(tmp_path: Path) -> None:
    """Events read, none of them new here (another machine's joining events for the same
    shipped decks, seen by hand as "Merged 757 events" and nothing after it): the report
    says that nothing changed rather than ending after its first line."""
    report = SyncReport(tmp_path, "a", events={"b": 757}, seconds=0.05, backup="x-before-sync")
    assert report.lines() == [
        "Merged 757 events from 1 other device in 0.05 s:",
        "  nothing changed: all of it was here already",
        "  backup first: x-before-sync",
    ]
    report.reviews_added = 1
    assert report.lines()[1:] == ["  1 answer added", "  backup first: x-before-sync"]
