"""Synthetic learners study the shipped decks for a year under SM-2 and under FSRS.

    python benchmarks/scheduler_sim.py [--learners 20] [--days 365] [--seed 2026]
        [--retention 0.85 ...] [--no-optimizer]

Prints one JSON object: per scheduler, total reviews, true retention at review time and at
a random moment, log loss and RMSE over bins of the predicted recall, and the readiness
Brier score of simulated mock interviews. Every number comes from the real scheduling
code (``quizapp.core.scheduler``); the learners' memory follows a model that is neither
SM-2 nor FSRS (docs/scheduling.md, "The learner simulator"):

- **ACT-R activation with spacing-dependent decay** (Pavlik & Anderson 2005). Every
  exposure j of a card (an answer, then reading its explanation) at time t_j leaves a trace
  that decays as (t − t_j)^(−d_j), lags in minutes (at least one). The decay of
  a new trace grows with how active the memory already was: d_j = c·e^(m_j) + a, so
  massed repetition decays fast and spaced repetition lasts.
- Activation m(t) = ln Σ_j (t − t_j)^(−d_j); the chance to answer right is
  g + (1 − g)·σ((m − τ) / s): a guess floor g per card (a choice or yes/no question can be
  guessed), a threshold τ = τ0 + card difficulty − learner ability.
- Per learner: ability ~ N(0, 0.15), base decay a ~ N(0.2, 0.02). Per card: difficulty
  ~ N(0, 0.25), guess g ~ U(0.15, 0.5). c = 0.25, τ0 = −1.9, s = 0.3.
- Grading as in the app: a wrong answer is q=1; a right one Good (q=4), Easy (q=5) when
  the memory is strong (recall without the guess floor > 0.95, half the time) or Hard (q=3)
  when it is weak (< 0.6, half the time). A scheduled answer below q=4 starts the same-day drill: the card
  returns ten minutes later until it scores 4 (at most 5 tries); drill answers leave a
  memory trace but do not move the schedule.
- One session a day at a random time between 15:00 and 23:00; the app's default daily
  limits (20 new cards, 200 reviews), due reviews most overdue first, then new cards in
  deck order (decks/01..14).
- A mock interview every 14 days from day 28: a random section, 10 random cards of it;
  readiness (``core.readiness``) predicted before it is scored against the answers.

Same seed, same output. Learner i has the same memory parameters under every scheduler.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.core import fsrs_optimizer
from quizapp.core.readiness import (
    NEW_CARD_RECALL,
    brier_score,
    calibration_table,
    log_loss,
    readiness,
    rmse_over_bins,
)
from quizapp.core.scheduler import (
    FsrsScheduler,
    LoggedReview,
    Sm2Memory,
    Sm2Scheduler,
    fit_sm2_recall_at_interval,
)

DECKS = Path(__file__).resolve().parent.parent / "decks"
START = date(2026, 1, 5)
C_DECAY = 0.25
TAU0 = -1.9
NOISE_S = 0.3
MINUTES_PER_DAY = 1440.0
NEW_PER_DAY = 20
REVIEWS_PER_DAY = 200
INTERVIEW_EVERY = 14
INTERVIEW_FROM = 28
INTERVIEW_QUESTIONS = 10
RANDOM_MOMENTS_PER_DAY = 5
OPTIMIZE_EVERY = 90


def shipped_cards() -> list[tuple[str, str]]:
    """(section, card id) of every shipped card, in deck order."""
    out: list[tuple[str, str]] = []
    for path in sorted(DECKS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        section = data["deck"].get("section") or data["deck"]["name"]
        out.extend((section, card["id"]) for card in data.get("cards", []))
    return out


@dataclass
class Memory:
    """One learner's true memory of one card (the simulator's ground truth)."""

    tau: float
    guess: float
    base_decay: float
    times: list[float] = field(default_factory=list)
    decays: list[float] = field(default_factory=list)

    def activation(self, t: float) -> float:
        total = 0.0
        for tj, dj in zip(self.times, self.decays, strict=True):
            total += max((t - tj) * MINUTES_PER_DAY, 1.0) ** (-dj)
        return math.log(total) if total > 0 else -math.inf

    def recall(self, t: float) -> float:
        if not self.times:
            return self.guess
        m = self.activation(t)
        z = (m - self.tau) / NOISE_S
        return self.guess + (1 - self.guess) / (1 + math.exp(-z))

    def strength(self, t: float) -> float:
        """Recall without the guess floor: how well the card is known, not guessed."""
        if not self.times:
            return 0.0
        return 1 / (1 + math.exp(-(self.activation(t) - self.tau) / NOISE_S))

    def expose(self, t: float) -> None:
        m = self.activation(t) if self.times else -math.inf
        self.decays.append(
            C_DECAY * math.exp(m) + self.base_decay if m > -math.inf else self.base_decay
        )
        self.times.append(t)


def make_learner(cards: list[tuple[str, str]], seed: int) -> list[Memory]:
    rng = random.Random(seed)
    ability = rng.gauss(0, 0.15)
    base_decay = max(0.1, rng.gauss(0.2, 0.02))
    return [
        Memory(
            tau=TAU0 + rng.gauss(0, 0.4) - ability,
            guess=rng.uniform(0.15, 0.5),
            base_decay=base_decay,
        )
        for _ in cards
    ]


def grade(rng: random.Random, right: bool, strength: float) -> int:
    if not right:
        return 1
    if strength > 0.95 and rng.random() < 0.5:
        return 5
    if strength < 0.6 and rng.random() < 0.5:
        return 3
    return 4


@dataclass
class Tally:
    reviews: int = 0
    new: int = 0
    drill: int = 0
    true_at_review: float = 0.0
    random_moment: list[float] = field(default_factory=list)
    moment_gaps: list[float] = field(default_factory=list)
    predictions: list[tuple[float, bool]] = field(default_factory=list)
    sm2_ratios: list[tuple[float, bool]] = field(default_factory=list)
    interview_pairs: list[tuple[float, bool]] = field(default_factory=list)
    optimize_seconds: list[tuple[int, float]] = field(default_factory=list)


def run_learner(
    kind: str,
    cards: list[tuple[str, str]],
    learner_seed: int,
    days: int,
    tally: Tally,
    make_scheduler: Callable[[tuple[float, ...] | None], Any],
) -> list[list[LoggedReview]]:
    memories = make_learner(cards, learner_seed)
    rng = random.Random(learner_seed * 7919 + 17)
    scheduler = make_scheduler(None)
    states = [scheduler.new_state() for _ in cards]
    logs: list[list[LoggedReview]] = [[] for _ in cards]
    sections: dict[str, list[int]] = {}
    for i, (section, _) in enumerate(cards):
        sections.setdefault(section, []).append(i)
    next_new = 0
    for day_index in range(days):
        today = START + timedelta(days=day_index)
        if kind == "fsrs_optimized" and day_index and day_index % OPTIMIZE_EVERY == 0:
            scheduler, states = reoptimize(
                scheduler, states, logs, tally, day_index, make_scheduler
            )
        t_session = day_index + rng.uniform(15 / 24, 23 / 24)
        # A mock interview before the day's session, against readiness predicted just before.
        if day_index >= INTERVIEW_FROM and day_index % INTERVIEW_EVERY == 0:
            section = rng.choice(sorted(sections))
            members = sections[section]
            predicted = readiness(
                None
                if states[i].last_review is None
                else scheduler.retrievability(states[i], today)
                for i in members
            )
            assert predicted is not None
            for i in rng.sample(members, min(INTERVIEW_QUESTIONS, len(members))):
                right = rng.random() < memories[i].recall(t_session)
                tally.interview_pairs.append((predicted, right))
        due = [i for i, s in enumerate(states) if s.due is not None and s.due <= today]
        due.sort(key=lambda i: (states[i].due, i))
        todo = due[:REVIEWS_PER_DAY]
        new_today = list(range(next_new, min(len(cards), next_new + NEW_PER_DAY)))
        next_new += len(new_today)
        t = t_session
        for i in todo + new_today:
            mem = memories[i]
            p_true = mem.recall(t)
            right = rng.random() < p_true
            q = grade(rng, right, mem.strength(t))
            was_new = states[i].last_review is None
            before = states[i]
            states[i], outcome = scheduler.review(before, q, today)
            logs[i].append(LoggedReview(q, today, "new" if was_new else "review"))
            if was_new:
                tally.new += 1
            else:
                tally.reviews += 1
                tally.true_at_review += p_true
                assert outcome.predicted_recall is not None
                tally.predictions.append((outcome.predicted_recall, right))
                if isinstance(before, Sm2Memory) and before.interval:
                    tally.sm2_ratios.append(((outcome.elapsed_days or 0) / before.interval, right))
            mem.expose(t)
            tries = 0
            while q < 4 and tries < 5:
                t += 10 / 1440
                right = rng.random() < mem.recall(t)
                q = 4 if right else 1
                mem.expose(t)
                tally.drill += 1
                tries += 1
            t += 1 / 1440
        introduced = [i for i in range(next_new)]
        if introduced:
            for _ in range(RANDOM_MOMENTS_PER_DAY):
                i = rng.choice(introduced)
                moment = day_index + rng.random()
                truth = memories[i].recall(moment)
                tally.random_moment.append(truth)
                moment_day = START + timedelta(days=int(moment))
                predicted = scheduler.retrievability(states[i], moment_day)
                tally.moment_gaps.append((predicted - truth) ** 2)
    return logs


def reoptimize(
    scheduler: Any,
    states: list[Any],
    logs: list[list[LoggedReview]],
    tally: Tally,
    day_index: int,
    make_scheduler: Callable[[tuple[float, ...] | None], Any],
) -> tuple[Any, list[Any]]:
    """Fit FSRS to the learner's log so far and replay every card under the new parameters."""
    history = {i: [(r.at, r.quality) for r in log] for i, log in enumerate(logs) if log}
    started = time.perf_counter()
    try:
        parameters = fsrs_optimizer.optimize(history)
    except fsrs_optimizer.NotEnoughReviews:
        return scheduler, states
    tally.optimize_seconds.append(
        (sum(len(v) for v in history.values()), time.perf_counter() - started)
    )
    scheduler = make_scheduler(parameters)
    return scheduler, [scheduler.state_from_log(log) for log in logs]


def summarise(tally: Tally, learners: int) -> dict[str, Any]:
    table = calibration_table(tally.predictions, bins=20)
    out: dict[str, Any] = {
        "reviews": tally.reviews,
        "reviews_per_learner": round(tally.reviews / learners, 1),
        "new_cards": tally.new,
        "drill_answers": tally.drill,
        "true_retention_at_review": round(tally.true_at_review / max(1, tally.reviews), 4),
        "true_retention_random_moment": round(
            sum(tally.random_moment) / max(1, len(tally.random_moment)), 4
        ),
        "predicted_recall_mean": round(
            sum(p for p, _ in tally.predictions) / max(1, len(tally.predictions)), 4
        ),
        "observed_pass_rate_at_review": round(
            sum(o for _, o in tally.predictions) / max(1, len(tally.predictions)), 4
        ),
        "rmse_predicted_vs_true_recall_random_moment": _round(
            math.sqrt(sum(tally.moment_gaps) / max(1, len(tally.moment_gaps)))
        ),
        "log_loss": _round(log_loss(tally.predictions)),
        "rmse_bins": _round(rmse_over_bins(table)),
        "readiness_brier": _round(brier_score(tally.interview_pairs)),
        "interview_questions": len(tally.interview_pairs),
    }
    if tally.sm2_ratios:
        r = fit_sm2_recall_at_interval(tally.sm2_ratios)
        fitted = [(r**x, ok) for x, ok in tally.sm2_ratios]
        out["sm2_recall_at_interval_fitted"] = round(r, 4)
        out["log_loss_fitted_constant"] = _round(log_loss(fitted))
        out["rmse_bins_fitted_constant"] = _round(
            rmse_over_bins(calibration_table(fitted, bins=20))
        )
    if tally.optimize_seconds:
        out["optimizer_runs"] = [
            {"answers": n, "seconds": round(s, 2)} for n, s in tally.optimize_seconds
        ]
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def measure_optimizer(cards: list[tuple[str, str]], seed: int, days: int) -> dict[str, Any] | None:
    """Time the optimizer on at least 10,000 scheduled answers of simulated FSRS learners."""
    if not fsrs_optimizer.optimizer_available():
        return None
    history: dict[Any, list[tuple[date, int]]] = {}
    learner = 0
    while sum(len(v) for v in history.values()) < 10_000:
        logs = run_learner(
            "fsrs", cards, seed + 1000 + learner, days, Tally(), lambda _p: FsrsScheduler()
        )
        for i, log in enumerate(logs):
            if log:
                history[(learner, i)] = [(r.at, r.quality) for r in log]
        learner += 1
    answers = sum(len(v) for v in history.values())
    started = time.perf_counter()
    params = fsrs_optimizer.optimize(history)
    seconds = time.perf_counter() - started
    return {
        "answers": answers,
        "cards": len(history),
        "seconds": round(seconds, 2),
        "parameters": list(params),
    }


def optimizer_holdout(cards: list[tuple[str, str]], seed: int, days: int) -> list[dict[str, Any]]:
    """Does fitting help on answers it has not seen? Three FSRS learners each: fit on the
    first half of the days, then score default and fitted parameters on the second half's
    answers (the same answers for both, fsrs-rs's own log loss and bin RMSE)."""
    import fsrs_rs_python as rs

    out: list[dict[str, Any]] = []
    for k in range(3):
        logs = run_learner(
            "fsrs", cards, seed + 2000 + k, days, Tally(), lambda _p: FsrsScheduler()
        )
        cut = START + timedelta(days=days // 2)
        train = {i: [(r.at, r.quality) for r in log if r.at < cut] for i, log in enumerate(logs)}
        test = []
        for log in logs:
            for n in range(2, len(log) + 1):
                if log[n - 1].at >= cut:
                    history = fsrs_optimizer.training_items(
                        {0: [(r.at, r.quality) for r in log[:n]]}
                    )
                    test.append(history[-1])
        items = [
            rs.FSRSItem([rs.FSRSReview(r, d) for r, d in zip(h.ratings, h.delta_days, strict=True)])
            for h in test
        ]
        default = rs.FSRS(list(FsrsScheduler().parameters)).evaluate(items)
        fitted = rs.FSRS(list(fsrs_optimizer.optimize(train))).evaluate(items)
        out.append(
            {
                "test_answers": len(items),
                "default": {
                    "log_loss": round(default.log_loss, 4),
                    "rmse_bins": round(default.rmse_bins, 4),
                },
                "fitted": {
                    "log_loss": round(fitted.log_loss, 4),
                    "rmse_bins": round(fitted.rmse_bins, 4),
                },
            }
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-optimizer", action="store_true", help="skip the optimized-FSRS arm")
    parser.add_argument(
        "--retention",
        type=float,
        action="append",
        default=None,
        help="also run FSRS at this desired retention (repeatable; default 0.85)",
    )
    args = parser.parse_args(argv)
    cards = shipped_cards()
    arms: dict[str, Callable[[tuple[float, ...] | None], Any]] = {
        "sm2": lambda _p: Sm2Scheduler(),
        "fsrs": lambda _p: FsrsScheduler(),
    }
    for r in args.retention if args.retention is not None else [0.85]:
        arms[f"fsrs_r{r:g}"] = lambda _p, r=r: FsrsScheduler(desired_retention=r)
    if fsrs_optimizer.optimizer_available() and not args.no_optimizer:
        arms["fsrs_optimized"] = lambda p: FsrsScheduler(p) if p else FsrsScheduler()
    result: dict[str, Any] = {
        "learners": args.learners,
        "days": args.days,
        "seed": args.seed,
        "cards": len(cards),
        "sections": len({s for s, _ in cards}),
        "new_per_day": NEW_PER_DAY,
        "reviews_per_day": REVIEWS_PER_DAY,
        "new_card_recall_prior": NEW_CARD_RECALL,
        "schedulers": {},
    }
    for name, make in arms.items():
        started = time.perf_counter()
        tally = Tally()
        for learner in range(args.learners):
            run_learner(name, cards, args.seed * 1000 + learner, args.days, tally, make)
        summary = summarise(tally, args.learners)
        summary["seconds"] = round(time.perf_counter() - started, 1)
        result["schedulers"][name] = summary
    sm2, fsrs = result["schedulers"]["sm2"], result["schedulers"]["fsrs"]
    result["fsrs_vs_sm2"] = {
        "review_ratio": round(fsrs["reviews"] / max(1, sm2["reviews"]), 3),
        "retention_at_review_gain": round(
            fsrs["true_retention_at_review"] - sm2["true_retention_at_review"], 4
        ),
        "retention_random_moment_gain": round(
            fsrs["true_retention_random_moment"] - sm2["true_retention_random_moment"], 4
        ),
    }
    if not args.no_optimizer:
        result["optimizer_timing"] = measure_optimizer(cards, args.seed, args.days)
        if fsrs_optimizer.optimizer_available():
            result["optimizer_holdout"] = optimizer_holdout(cards, args.seed, args.days)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
