"""Three machines saving and deleting question sets, running mock interviews, feeding them
to the schedule and deleting their cards offline, syncing in random orders through
half-copied files, and taking a feed back with undo. Afterwards, with every file everywhere,
all three show the same sets (by name, with their cards), the same interview history, reports and calibration, and an
empty fourth collection that merges the folder shows the same: a replay from nothing."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quizapp.services import cards, interview, undo
from tests.helpers.sync_devices import Device, carry, let_everything_be_studied, make_device
from tests.helpers.sync_history import (
    add_questions,
    exchange,
    fed_log,
    history_of,
    parked_answers,
    run_interview,
)

DEVICES = 3
CARDS = 5
device = st.integers(0, DEVICES - 1)

saving = st.tuples(st.just("save"), device, st.integers(0, 2), st.integers(1, 2**CARDS - 1))
common = (
    saving,
    saving,
    st.tuples(st.just("interview"), device, st.integers(0, CARDS)),
    st.tuples(st.just("delete set"), device, st.integers(0, 2)),
    st.tuples(st.just("interview"), device, st.integers(0, CARDS)),
    st.tuples(st.just("feed"), device),
    st.tuples(st.just("feed on two"), device, device),
    st.tuples(st.just("carry"), device, device, st.none() | st.floats(0.05, 0.95)),
    st.tuples(st.just("sync"), device),
)
step = st.one_of(*common, st.tuples(st.just("delete card"), device, st.integers(0, CARDS - 1)))
undoing = st.one_of(
    *common,
    *[st.tuples(st.just("feed"), device)] * 2,
    *[st.tuples(st.just("undo feed"), device)] * 2,
    st.tuples(st.just("delete card"), device, st.integers(0, CARDS - 1)),
)
"""With card deletes too: an undone feed puts back only schedules, which is no edit of a
card, so it never brings back one deleted elsewhere."""


def run_step(step: tuple[Any, ...], devices: list[Device], uuids: list[str]) -> None:
    kind, who = step[0], devices[step[1]]
    if kind == "save":
        picked = [u for i, u in enumerate(uuids) if step[3] >> i & 1]
        with contextlib.suppress(interview.QuestionSetError):  # its cards all deleted here
            interview.save_question_set(who.col, f"Set {step[2]}", picked, f"by {who.name}")
    elif kind == "delete set":
        interview.delete_question_set(who.col, f"Set {step[2]}")
    elif kind == "interview":
        with contextlib.suppress(interview.NoQuestions):
            run_interview(who, uuids, right=step[2])
    elif kind == "feed":
        for entry in interview.list_history(who.col)[:1]:
            interview.feed_results(who.col, entry.uuid)
    elif kind == "feed on two":
        # The other machine gets who's newest interview, then both feed it before syncing.
        other = devices[step[2]]
        if other is not who:
            who.sync()
            carry(who, other)
            other.sync()
            for d in (who, other):
                for entry in interview.list_history(who.col)[:1]:
                    with contextlib.suppress(LookupError):  # not there: half a journal
                        interview.feed_results(d.col, entry.uuid)
    elif kind == "undo feed":
        # The feed undone is this device's newest step, or else one made just for it.
        newest = undo.newest(who.col)
        if newest is None or newest.label != "Count interview as reviews":
            for entry in interview.list_history(who.col)[:1]:
                interview.feed_results(who.col, entry.uuid)
            newest = undo.newest(who.col)
        if newest is not None and newest.label == "Count interview as reviews":
            undo.undo_last(who.col)
            event("a feed undone")
    elif kind == "delete card":
        with contextlib.suppress(cards.CardError):
            cards.delete_cards(who.col, [uuids[step[2]]])
    elif kind == "carry":
        target = devices[step[2]]
        if target is not who:
            carry(who, target, cut=step[3])
    elif kind == "sync":
        who.sync()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(step, min_size=8, max_size=25))
def test_sets_and_interviews_converge_and_replay(steps: list[tuple[Any, ...]]) -> None:
    converge_and_replay(steps)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(undoing, min_size=8, max_size=25))
def test_an_undone_feed_converges_and_replays(steps: list[tuple[Any, ...]]) -> None:
    converge_and_replay(steps)


def converge_and_replay(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        devices = [make_device(root, name, i) for i, name in enumerate(("a", "b", "c"))]
        fresh: Device | None = None
        try:
            for d in devices:
                let_everything_be_studied(d)
            uuids = add_questions(devices[0], CARDS)
            exchange(*devices)
            for s in steps:
                run_step(s, devices, uuids)
            for _ in range(2):
                exchange(*devices)
            seen = [history_of(d) for d in devices]
            event(f"interviews: {min(len(seen[0]['history']), 2)}")
            event(f"fed: {any(h[3] for h in seen[0]['history'])}")
            event(f"sets: {min(len(seen[0]['sets']), 3)}")
            event(f"one name made twice: {any('(' in name for name in seen[0]['sets'])}")
            event(f"a feed set aside: {any(parked_answers(d) for d in devices)}")
            for d, mine in zip(devices, seen, strict=True):
                assert mine == seen[0], d.name
            # An interview fed on two machines counts once: the same answers everywhere.
            fed = [fed_log(d) for d in devices]
            for d, mine in zip(devices, fed, strict=True):
                assert mine == fed[0], d.name

            fresh = make_device(root, "fresh", 9)
            for d in devices:
                carry(d, fresh)
            fresh.sync()
            assert history_of(fresh) == seen[0]
            assert fed_log(fresh) == fed[0]
        finally:
            for d in [*devices, *([fresh] if fresh else [])]:
                d.close()
