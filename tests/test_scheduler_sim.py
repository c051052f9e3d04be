"""The learner simulator's own arithmetic: its figures decide whether FSRS meets the issue's
target, so a memory that sees the future or a misread curve would mislead the docs."""

from __future__ import annotations

import contextlib
import io
import json
import math
import runpy
from pathlib import Path
from typing import Any

import pytest

SIM = Path(__file__).resolve().parents[1] / "benchmarks" / "scheduler_sim.py"


@pytest.fixture(scope="module")
def sim() -> dict[str, Any]:
    return runpy.run_path(str(SIM), run_name="checked")


def test_memory_counts_only_exposures_already_made(sim: dict[str, Any]) -> None:
    memory = sim["Memory"](tau=-1.9, guess=0.25, base_decay=0.2)
    memory.expose(1.0)
    before = memory.recall(3.2)
    memory.expose(3.5)  # an answer later that evening
    assert memory.recall(3.2) == before
    assert memory.recall(3.6) > before
    # A card not yet seen is guessed, whatever happens to it later.
    unseen = sim["Memory"](tau=-1.9, guess=0.25, base_decay=0.2)
    unseen.expose(2.0)
    assert unseen.recall(1.5) == 0.25
    assert unseen.strength(1.5) == 0.0


def test_one_trace_decays_as_a_power_of_the_lag_in_minutes(sim: dict[str, Any]) -> None:
    memory = sim["Memory"](tau=-1.9, guess=0.2, base_decay=0.2)
    memory.expose(0.0)
    m = math.log((2 * 1440) ** -0.2)  # two days later, the first trace's decay is a
    z = (m + 1.9) / 0.3
    assert memory.recall(2.0) == pytest.approx(0.2 + 0.8 / (1 + math.exp(-z)))


def test_matched_reads_the_curve_at_sm2s_point(sim: dict[str, Any]) -> None:
    points = [
        {
            "desired_retention": 0.8,
            "reviews": 100,
            "answers": 150,
            "true_retention_at_review": 0.80,
            "true_retention_random_moment": 0.85,
        },
        {
            "desired_retention": 0.9,
            "reviews": 200,
            "answers": 250,
            "true_retention_at_review": 0.90,
            "true_retention_random_moment": 0.95,
        },
    ]
    sm2 = {
        "reviews": 120,
        "answers": 160,
        "true_retention_at_review": 0.88,
        "true_retention_random_moment": 0.99,
    }
    out = sim["matched"](points, sm2)
    at_review = out["true_retention_at_review"]
    # 0.88 is 80% of the way from 0.80 to 0.90: 180 reviews, at desired retention 0.88.
    assert at_review["desired_retention_matching_sm2"] == pytest.approx(0.88)
    assert at_review["reviews"]["fsrs_at_sm2_retention"] == 180
    assert at_review["reviews"]["ratio_to_sm2"] == 1.5
    # SM-2's 120 reviews are 20% of the way: retention 0.82.
    assert at_review["reviews"]["fsrs_retention_at_sm2_workload"] == pytest.approx(0.82)
    assert at_review["answers"]["fsrs_at_sm2_retention"] == 230
    # Outside the curve there is nothing to read, rather than an extrapolation.
    assert out["true_retention_random_moment"]["reviews"]["fsrs_at_sm2_retention"] is None


def test_same_seed_same_output_and_every_scheduler_meets_the_same_interviews(
    sim: dict[str, Any],
) -> None:
    def run() -> dict[str, Any]:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            sim["main"](["--learners", "1", "--days", "45", "--no-optimizer", "--retention", "0.8"])
        return dict(json.loads(buffer.getvalue()))

    first, second = run(), run()
    for result in (first, second):
        for arm in result["schedulers"].values():
            arm.pop("seconds")
    assert first == second
    arms = first["schedulers"]
    assert set(arms) == {"sm2", "fsrs", "fsrs_r0.8"}
    assert len({a["interview_questions"] for a in arms.values()}) == 1
    assert arms["fsrs_r0.8"]["reviews"] < arms["fsrs"]["reviews"]
