"""Question sets and mock interviews follow the learner through a sync folder (issue 16):
an interview run on one machine appears whole on the other (answers, report, the Brier
score of readiness against it), a question set is last-writer-wins by clock with a delete
against an edit like a card's, a replay from nothing gives the same, and a hostile
interview line is named by file and line. Real collections, real folders."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from quizapp.core.interview import Score
from quizapp.services import cards, interview, sync, undo
from quizapp.services.interview import QuestionSetInfo
from quizapp.storage import sync_history_rows
from tests.helpers.sync_devices import (
    Device,
    carry,
    let_everything_be_studied,
    make_device,
    state_of,
)
from tests.helpers.sync_history import (
    add_questions,
    exchange,
    history_of,
    later,
    parked_answers,
    run_interview,
)

EVIL = "e" * 32


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    for d in (a, b):
        let_everything_be_studied(d)
    yield a, b
    a.close()
    b.close()


def replayed(tmp_path: Path, *devices: Device, read: Callable[[Device], Any]) -> Any:
    """What a new machine that only merges the devices' journals shows (`read` of it):
    a replay from nothing, to compare with the machines that merged as they went."""
    fresh = make_device(tmp_path, f"fresh{len(list(tmp_path.glob('fresh*')))}", 2)
    try:
        for d in devices:
            carry(d, fresh)
        fresh.sync()
        return read(fresh)
    finally:
        fresh.close()


def test_an_interview_and_a_set_made_on_one_machine_appear_whole_on_the_other(
    pair: tuple[Device, Device], tmp_path: Path
) -> None:
    a, b = pair
    uuids = add_questions(a, 6)
    exchange(a, b)
    done = run_interview(a, uuids[:5], right=3)
    saved = interview.save_question_set(a.col, "Moves", uuids[1:4], "the hard ones")
    assert saved == QuestionSetInfo("Moves", "the hard ones", 3)
    a.sync()
    carry(a, b)
    report = b.sync()
    # One interview, however many of its steps the journal holds.
    assert report.interviews_changed == 1 and report.question_sets_changed == 1
    lines = report.lines()
    assert "  1 mock interview added or completed" in lines  # one, in the singular
    assert "  1 question set saved or deleted" in lines
    assert " from 1 other device in " in lines[0]
    exchange(a, b)

    seen = history_of(b)
    assert seen == history_of(a)
    ((uuid, title, score, fed),) = seen["history"]
    assert uuid == done and title == "Mock interview" and not fed
    assert score == Score(3, 5)
    _overall, questions = seen["reports"][done]
    assert [q[1:3] for q in questions] == [(True, False)] * 3 + [(False, False), (False, True)]
    assert len(seen["calibration"]) == 1  # readiness against this result: the Brier score
    assert seen["sets"] == {"Moves": ("the hard ones", uuids[1:4])}

    # Fed to the schedule on b: the mark and the answers it made come back to a.
    interview.feed_results(b.col, done)
    exchange(a, b)
    assert history_of(a)["history"][0][3] is True
    assert history_of(a) == history_of(b)

    # From nothing: a third machine that only merges gets the same.
    assert replayed(tmp_path, a, b, read=history_of) == history_of(a)


def test_set_edits_and_deletes_on_both_sides_resolve_by_clock(
    pair: tuple[Device, Device], tmp_path: Path
) -> None:
    a, b = pair
    uuids = add_questions(a, 5)
    interview.save_question_set(a.col, "Week 1", uuids[:2])
    interview.save_question_set(a.col, "Week 2", uuids[2:4])
    exchange(a, b)
    assert history_of(b)["sets"] == history_of(a)["sets"]

    # Offline on both: a edits Week 1, then b edits it later (b's wins); b deletes Week 2,
    # then a edits it later (the edit wins over the older delete).
    interview.save_question_set(a.col, "Week 1", uuids[:3], "a's")
    later(b, a)
    interview.save_question_set(b.col, "Week 1", uuids[:1], "b's")
    interview.delete_question_set(b.col, "Week 2")
    later(a, b)
    interview.save_question_set(a.col, "Week 2", uuids[3:5], "kept")
    # And both make a set of one name apart: both are kept, the same on both machines.
    interview.save_question_set(a.col, "Drill", uuids[:1])
    interview.save_question_set(b.col, "Drill", uuids[1:2])
    exchange(a, b)

    sets = history_of(a)["sets"]
    assert sets == history_of(b)["sets"]
    assert sets["Week 1"] == ("b's", uuids[:1])
    assert sets["Week 2"] == ("kept", uuids[3:5])
    drills = sorted(name for name in sets if name.startswith("Drill"))
    assert len(drills) == 2 and drills[0] == "Drill"

    # A delete newer than the edit wins.
    interview.save_question_set(a.col, "Week 1", uuids[:4], "a again")
    later(b, a)
    interview.delete_question_set(b.col, "Week 1")
    exchange(a, b)
    assert "Week 1" not in history_of(a)["sets"]
    assert history_of(a)["sets"] == history_of(b)["sets"]

    assert replayed(tmp_path, a, b, read=history_of)["sets"] == history_of(a)["sets"]


def test_deleting_the_set_that_held_a_shared_name_gives_it_back_everywhere(
    pair: tuple[Device, Device],
) -> None:
    a, b = pair
    uuids = add_questions(a, 3)
    exchange(a, b)
    interview.save_question_set(a.col, "Moves", uuids[:1], "a's")
    interview.save_question_set(b.col, "Moves", uuids[1:2], "b's")
    exchange(a, b)
    assert history_of(a)["sets"] == history_of(b)["sets"]
    (plain,) = [name for name in history_of(a)["sets"] if name == "Moves"]
    holder = history_of(a)["sets"][plain][0]
    interview.delete_question_set(a.col, "Moves")  # the one under the plain name
    exchange(a, b)
    sets = history_of(a)["sets"]
    assert sets == history_of(b)["sets"]
    (left,) = sets.items()
    assert left[0] == "Moves" and left[1][0] != holder  # the other set, its own name back


def an_interview_line(a: Device) -> dict[str, Any]:
    """a's last interview event, as the evil device would have written it."""
    found = None
    for path in sorted((a.view / a.device_id).glob("journal-*.jsonl")):
        for line in path.read_bytes().splitlines():
            event = json.loads(line)
            if event["t"] == "interview":
                found = event
    assert found is not None
    found["h"] = found["h"].replace(a.device_id, EVIL)
    found["i"] = "0" * 8 + found["i"][8:]
    return {**found, "s": 1}


def with_answer(index: int, value: Any) -> Any:
    def change(e: dict[str, Any]) -> dict[str, Any]:
        e["answers"] = [list(x) for x in e["answers"]]
        e["answers"][0][index] = value
        return e

    return change


HOSTILE = {
    "seconds of 2^63": (with_answer(5, 2**63), "seconds must be"),
    "a place of 10^12": (with_answer(0, 10**12), "its place must be"),
    "an upper-case interview id": (lambda e: {**e, "i": e["i"].upper()}, "lower-case UUID"),
    "an upper-case card id": (with_answer(1, "A" * 8 + "-0000-4000-8000-" + "0" * 12), "UUID"),
    "a card no device has": (
        with_answer(1, "12345678-0000-4000-8000-000000000000"),
        "names a card no device has",
    ),
    "a finish on 30 February": (
        lambda e: {**e, "finished": "2026-02-30 10:00:00.000000"},
        "not a time",
    ),
    "settings nested 50,000 deep": (
        lambda e: {**e, "config": "[" * 50_000 + "]" * 50_000},
        "must be a JSON object",
    ),
    "a million questions": (
        lambda e: {**e, "answers": e["answers"] * 200_000},
        "answers must be a list of at most",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_interview_line_is_named_and_left_out(
    pair: tuple[Device, Device], case: str
) -> None:
    a, b = pair
    uuids = add_questions(a, 3)
    exchange(a, b)
    run_interview(a, uuids, right=1)
    a.sync()
    change, message = HOSTILE[case]
    evil = a.view.parent.parent / "b" / "folder" / EVIL
    evil.mkdir()
    path = evil / "journal-000001.jsonl"
    path.write_text(json.dumps(change(an_interview_line(a))) + "\n")
    carry(a, b)
    report = b.sync()
    (warning,) = report.warnings
    assert f"{path}:1: " in warning and message in warning, warning
    assert EVIL not in report.events
    # a's interview came all the same; the evil one did not.
    assert len(history_of(b)["history"]) == 1
    assert history_of(b) == history_of(a)


def test_status_names_the_device_held_back_by_a_card_no_one_has(
    pair: tuple[Device, Device],
) -> None:
    """The merge holds such a device back; `quizapp sync --status` must say which and why,
    or the learner sees it "waiting" for ever with no reason."""
    a, b = pair
    uuids = add_questions(a, 3)
    exchange(a, b)
    run_interview(a, uuids, right=1)
    a.sync()
    evil = a.view.parent.parent / "b" / "folder" / EVIL
    evil.mkdir()
    path = evil / "journal-000001.jsonl"
    change, _message = HOSTILE["a card no device has"]
    path.write_text(json.dumps(change(an_interview_line(a))) + "\n")
    carry(a, b)
    (held,) = [d for d in sync.status(b.col).others if d.device == EVIL]
    assert f"{path}:1: " in held.problem and "names a card no device has" in held.problem
    assert held.waiting == 0 and held.applied == 0
    (other,) = [d for d in sync.status(b.col).others if d.device == a.device_id]
    assert other.problem == "" and other.waiting > 0  # a's own interview is not held back
    lines = "\n".join(sync.status(b.col).lines())
    assert f"Device {EVIL}" in lines and "not merged until fixed" in lines


def test_an_interview_over_a_card_deleted_elsewhere_merges_without_it(
    pair: tuple[Device, Device],
) -> None:
    a, b = pair
    uuids = add_questions(a, 3)
    exchange(a, b)
    run_interview(a, uuids, right=3)
    cards.delete_cards(b.col, [uuids[0]])  # offline on b, before a's interview arrives
    carry(a, b)
    report = b.sync()
    assert report.warnings == []
    exchange(a, b)
    seen = history_of(b)
    assert seen == history_of(a)
    ((_uuid, questions),) = [(u, q) for u, (_o, q) in seen["reports"].items()]
    assert [q[0] for q in questions] == uuids[1:]  # as a delete here leaves it out


def fed_marks(device: Device) -> dict[str, Any]:
    with device.col.db.session() as session:
        found = sync_history_rows.interviews(None, session=session)
    return {u: (i["finished"], i["fed"]) for u, i in found.items()}


def fed_on_a(a: Device, b: Device) -> str:
    """An interview a ran, both machines have, and a has fed to the schedule."""
    uuids = add_questions(a, 3)
    exchange(a, b)
    done = run_interview(a, uuids, right=2)
    exchange(a, b)
    interview.feed_results(a.col, done)
    return done


def test_one_interview_fed_on_both_machines_offline_keeps_one_mark(
    pair: tuple[Device, Device],
) -> None:
    a, b = pair
    done = fed_on_a(a, b)
    later(b, a)
    interview.feed_results(b.col, done)
    newer = fed_marks(b)[done][1]
    assert newer is not None and newer > fed_marks(a)[done][1]
    exchange(a, b)
    marks = fed_marks(a)
    assert marks == fed_marks(b)
    # The newer feed's mark (b's) is kept on both, whoever merged whom first.
    assert marks[done][1] == newer


def answers_logged(device: Device) -> int:
    with device.col.db.session() as session:
        return int(session.execute(text("SELECT count(*) FROM review_log")).scalar_one())


def fed_answers(device: Device) -> list[tuple[str, str, str, int]]:
    """(feed, card, time, quality) of each answer a fed interview gave, in the log."""
    with device.col.db.session() as session:
        rows = session.execute(
            text(
                "SELECT r.feed, c.uuid, r.reviewed_at, r.quality FROM review_log r"
                " JOIN card c ON c.id = r.card_id WHERE r.feed IS NOT NULL"
            )
        )
        return sorted((str(f), str(c), str(t), int(q)) for f, c, t, q in rows)


def test_one_interview_fed_on_both_machines_offline_counts_once(
    pair: tuple[Device, Device], tmp_path: Path
) -> None:
    a, b = pair
    done = fed_on_a(a, b)
    later(b, a)
    interview.feed_results(b.col, done)  # b has not seen a's feed: it feeds too
    assert answers_logged(a) == answers_logged(b) == 3
    newer = fed_marks(b)[done][1]
    b.sync()
    carry(b, a)
    report = a.sync()  # a takes b's newer feed: its own three answers are set aside
    assert report.reviews_parked == 3
    assert "3 answers set aside" in "\n".join(report.lines())
    carry(a, b)
    b.sync()  # and b sets a's aside
    for d in (a, b):
        assert answers_logged(d) == 3, d.name  # counted once, not twice
        assert parked_answers(d) == 3, d.name  # a's feed is kept, not lost
        assert {f for f, *_ in fed_answers(d)} == {f"{done}@{newer}"}, d.name
    assert fed_answers(a) == fed_answers(b)
    assert state_of(a, tmp_path / "a") == state_of(b, tmp_path / "b")
    # A machine that merges both journals from nothing counts the same three answers.
    assert replayed(tmp_path, a, b, read=fed_answers) == fed_answers(a)
    assert replayed(tmp_path, a, b, read=answers_logged) == 3
    assert (
        replayed(tmp_path, a, b, read=lambda d: state_of(d, tmp_path / "r")["progress"])
        == (state_of(a, tmp_path / "a2")["progress"])
    )


def test_a_feed_that_arrives_before_its_interview_counts_once_it_wins(
    pair: tuple[Device, Device], tmp_path: Path
) -> None:
    """b's journal is caught half-copied: its fed answers without the interview's new mark.
    They wait parked (a's feed is the one a knows); the rest of the file brings the newer
    mark, and then b's answers count and a's step aside."""
    a, b = pair
    done = fed_on_a(a, b)
    later(b, a)
    interview.feed_results(b.col, done)
    b.sync()
    carry(b, a)
    journal = max((a.view / b.device_id).glob("journal-*.jsonl"))
    lines = journal.read_text().splitlines(keepends=True)
    mark = max(i for i, line in enumerate(lines) if json.loads(line)["t"] == "interview")
    assert json.loads(lines[mark - 1])["f"].startswith(done)  # the feed's answers come first
    journal.write_text("".join(lines[:mark]))  # the answers are here, not yet the mark
    a.sync()
    assert answers_logged(a) == 3 and parked_answers(a) == 3  # a's own feed still counts
    carry(b, a)  # the rest of the file
    a.sync()
    assert fed_marks(a)[done][1] == fed_marks(b)[done][1]
    exchange(a, b)
    assert fed_answers(a) == fed_answers(b) and answers_logged(a) == 3
    assert state_of(a, tmp_path / "a") == state_of(b, tmp_path / "b")


def test_an_undone_feed_takes_the_mark_back_on_every_machine(
    pair: tuple[Device, Device], tmp_path: Path
) -> None:
    a, b = pair
    done = fed_on_a(a, b)
    exchange(a, b)
    assert fed_marks(b)[done][1] is not None
    assert answers_logged(b) == 3  # two right and one wrong, counted as reviews
    undone = undo.undo_last(a.col)  # "Count interview as reviews", taken back on a
    assert undone is not None and fed_marks(a)[done][1] is None
    exchange(a, b)
    assert fed_marks(b)[done][1] is None  # and so on b: the interview can be fed again
    assert answers_logged(b) == answers_logged(a) == 0  # the answers it gave went too
    assert history_of(b) == history_of(a)
    # Fed again on b, later: that mark reaches a.
    later(b, a)
    interview.feed_results(b.col, done)
    exchange(a, b)
    assert fed_marks(a)[done][1] == fed_marks(b)[done][1] is not None
    # From nothing, a third machine replays the same: fed once, undone, fed again.
    assert replayed(tmp_path, a, b, read=fed_marks) == fed_marks(a)
    assert replayed(tmp_path, a, b, read=history_of) == history_of(a)


def test_a_set_over_a_card_whose_journal_kept_only_its_deletion_merges_without_it(
    pair: tuple[Device, Device], tmp_path: Path
) -> None:
    a, _b = pair
    uuids = add_questions(a, 3)
    interview.save_question_set(a.col, "Moves", uuids)
    a.sync()
    cards.delete_cards(a.col, [uuids[0]])
    report = sync.sync(a.col, a.view, compact=True)  # the card's own event is compacted away
    assert report.compacted
    c = make_device(tmp_path, "c", 2)
    try:
        carry(a, c)
        assert c.sync().warnings == []
        assert history_of(c)["sets"] == history_of(a)["sets"] == {"Moves": ("", uuids[1:])}
    finally:
        c.close()
