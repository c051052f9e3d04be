"""Synthetic learners study the shipped decks for a year under SM-2 and under FSRS.

    python benchmarks/scheduler_sim.py [--learners 20] [--days 365] [--seed 2026]
        [--retention R ...] [--optimized-retention R ...] [--no-optimizer]

Prints one JSON object: per scheduler, total reviews, true retention at review time and at
a random moment, log loss and RMSE over bins of the predicted recall, and the readiness
Brier score of simulated mock interviews. FSRS runs at a sweep of desired retentions, with
the default parameters and with parameters refitted monthly on the learner's own log;
``curves`` holds FSRS's reviews against true retention and ``matched_to_sm2`` reads that
curve at SM-2's single point (the workload FSRS needs for SM-2's retention, and the
retention it gets for SM-2's workload), since SM-2 does not land on any one desired
retention. Every number comes from the real scheduling
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
  ~ N(0, 0.4), guess g ~ U(0.15, 0.5). c = 0.25, τ0 = −1.9, s = 0.3.
- Grading as in the app: a wrong answer is q=1; a right one Good (q=4), Easy (q=5) when
  the memory is strong (recall without the guess floor > 0.95, half the time) or Hard (q=3)
  when it is weak (< 0.6, half the time). A scheduled answer below q=4 starts the same-day drill: the card
  returns ten minutes later until it scores 4 (at most 5 tries); drill answers leave a
  memory trace; SM-2 leaves them out of its schedule (its rules), FSRS takes each as a
  same-day review (``Scheduler.answer_kinds``), as the app does.
- One session a day at a random time between 15:00 and 23:00; the app's default daily
  limits (20 new cards, 200 reviews), due reviews most overdue first, then new cards in
  deck order (decks/01..14).
- A mock interview every 14 days from day 28: a random section, 10 random cards of it;
  readiness (``core.readiness``) predicted before it is scored against the answers.
- Five random moments a day: a random card already introduced, its true recall then (only
  exposures made by then count) beside the scheduler's prediction for that study day.
- The optimized arms refit on the learner's scheduled answers every 30 days once there are
  enough of them (the optimizer's 400), replaying every card under the new parameters.

Same seed, same output. Learner i has the same memory parameters under every scheduler.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
    DEFAULT_FSRS_PARAMETERS,
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
OPTIMIZE_EVERY = 30
"""Days between refits of the optimized arms: a learner pressing Optimize monthly."""


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
        """ln Σ over the exposures made by time t: a later exposure leaves no trace yet."""
        total = 0.0
        for tj, dj in zip(self.times, self.decays, strict=True):
            if tj > t:
                break
            total += max((t - tj) * MINUTES_PER_DAY, 1.0) ** (-dj)
        return math.log(total) if total > 0 else -math.inf

    def recall(self, t: float) -> float:
        if not self.times or self.times[0] > t:
            return self.guess
        m = self.activation(t)
        z = (m - self.tau) / NOISE_S
        return self.guess + (1 - self.guess) / (1 + math.exp(-z))

    def strength(self, t: float) -> float:
        """Recall without the guess floor: how well the card is known, not guessed."""
        if not self.times or self.times[0] > t:
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
    quarters: list[list[float]] = field(default_factory=lambda: [[0, 0.0, 0] for _ in range(4)])
    """Per quarter of card difficulty (easiest first): reviews, late recall summed, cards."""
    after_first: dict[int, list[int]] = field(default_factory=dict)
    """First answer's q -> [second answers, of them passed]."""


def where_reviews_go(
    tally: Tally, memories: list[Memory], logs: list[list[LoggedReview]], days: int
) -> None:
    """Which cards a scheduler spends its reviews on, and what it buys them: reviews and
    true recall over the last 60 days (every 5 days, at noon) per quarter of the learner's
    cards by threshold τ, and how often the second answer passes after each first q."""
    order = sorted(range(len(memories)), key=lambda i: memories[i].tau)
    late = [d + 0.5 for d in range(max(0, days - 60), days, 5)]
    for rank, i in enumerate(order):
        scheduled = [r for r in logs[i] if r.kind != "drill"]
        if not scheduled:
            continue
        quarter = tally.quarters[4 * rank // len(order)]
        quarter[0] += len(scheduled) - 1
        quarter[1] += sum(memories[i].recall(t) for t in late) / len(late)
        quarter[2] += 1
        if len(scheduled) > 1:
            seen = tally.after_first.setdefault(scheduled[0].quality, [0, 0])
            seen[0] += 1
            seen[1] += scheduled[1].quality >= 3


def run_learner(
    kind: str,
    cards: list[tuple[str, str]],
    learner_seed: int,
    days: int,
    tally: Tally,
    make_scheduler: Callable[[tuple[float, ...] | None], Any],
) -> list[list[LoggedReview]]:
    """One learner's year under one scheduler (``kind`` starting ``fsrs_optimized``: refitted monthly).

    Two random streams, so that every scheduler meets the same day: ``day_rng`` (seeded by
    learner and day) draws the session's time, the mock interview and the random moments,
    which do not depend on the schedule; ``rng`` draws the answers and grades.
    """
    memories = make_learner(cards, learner_seed)
    rng = random.Random(learner_seed * 7919 + 17)
    scheduler = make_scheduler(None)
    states = [scheduler.new_state() for _ in cards]
    due_days: list[date | None] = [None for _ in cards]
    logs: list[list[LoggedReview]] = [[] for _ in cards]
    sections: dict[str, list[int]] = {}
    for i, (section, _) in enumerate(cards):
        sections.setdefault(section, []).append(i)
    next_new = 0
    for day_index in range(days):
        today = START + timedelta(days=day_index)
        day_rng = random.Random(learner_seed * 100_003 + day_index)
        if kind.startswith("fsrs_optimized") and day_index and day_index % OPTIMIZE_EVERY == 0:
            scheduler, states = reoptimize(
                scheduler, states, logs, tally, day_index, make_scheduler
            )
            due_days = [s.due for s in states]
        t_session = day_index + day_rng.uniform(15 / 24, 23 / 24)
        moments = sorted(day_index + day_rng.random() for _ in range(RANDOM_MOMENTS_PER_DAY))
        # Random moments before today's session see yesterday's states and memories.
        measure_moments(
            [m for m in moments if m < t_session],
            next_new,
            memories,
            states,
            scheduler,
            day_rng,
            tally,
        )
        # A mock interview before the day's session, against readiness predicted just before.
        if day_index >= INTERVIEW_FROM and day_index % INTERVIEW_EVERY == 0:
            section = day_rng.choice(sorted(sections))
            members = sections[section]
            predicted = readiness(
                None
                if states[i].last_review is None
                else scheduler.retrievability(states[i], today)
                for i in members
            )
            assert predicted is not None
            for i in day_rng.sample(members, min(INTERVIEW_QUESTIONS, len(members))):
                right = day_rng.random() < memories[i].recall(t_session)
                tally.interview_pairs.append((predicted, right))
        due = [i for i, d in enumerate(due_days) if d is not None and d <= today]
        due.sort(key=lambda i: (due_days[i], i))
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
            due_days[i] = outcome.due
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
                logs[i].append(LoggedReview(q, today, "drill"))
                if "drill" in scheduler.answer_kinds:
                    # FSRS takes a drill answer as a same-day review (SM-2 does not).
                    states[i], outcome = scheduler.review(states[i], q, today)
                    due_days[i] = outcome.due
            t += 1 / 1440
        measure_moments(
            [m for m in moments if m >= t_session],
            next_new,
            memories,
            states,
            scheduler,
            day_rng,
            tally,
        )
    where_reviews_go(tally, memories, logs, days)
    return logs


def measure_moments(
    moments: list[float],
    introduced: int,
    memories: list[Memory],
    states: list[Any],
    scheduler: Any,
    day_rng: random.Random,
    tally: Tally,
) -> None:
    """True and predicted recall of a random introduced card at each moment (sim days).

    Called with the states of the moment's side of the session; the card's study day is
    the scheduler's own (``now`` a datetime, the day starting at 04:00)."""
    if not introduced:
        return
    for moment in moments:
        i = day_rng.randrange(introduced)
        truth = memories[i].recall(moment)
        tally.random_moment.append(truth)
        if states[i].last_review is None:
            continue
        at = datetime.combine(START, datetime.min.time()) + timedelta(days=moment)
        predicted = scheduler.retrievability(states[i], at)
        tally.moment_gaps.append((predicted - truth) ** 2)


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
        "answers": tally.new + tally.reviews + tally.drill,
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
    out["by_difficulty_quarter"] = [
        {
            "reviews_per_card": round(n / max(1, cards), 2),
            "recall_last_60_days": round(r / max(1, cards), 4),
        }
        for n, r, cards in tally.quarters
    ]
    out["second_answer_pass_by_first_q"] = {
        str(q): {"cards": n, "pass_rate": round(k / max(1, n), 4)}
        for q, (n, k) in sorted(tally.after_first.items())
    }
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
    scheduled = 0
    learner = 0
    while scheduled < 10_000:
        logs = run_learner(
            "fsrs", cards, seed + 1000 + learner, days, Tally(), lambda _p: FsrsScheduler()
        )
        for i, log in enumerate(logs):
            if log:
                history[(learner, i)] = [(r.at, r.quality) for r in log]
                scheduled += sum(r.kind != "drill" for r in log)
        learner += 1
    answers = sum(len(v) for v in history.values())
    started = time.perf_counter()
    params = fsrs_optimizer.optimize(history)
    seconds = time.perf_counter() - started
    return {
        "answers": answers,
        "scheduled_answers": scheduled,
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
                if log[n - 1].at >= cut and log[n - 1].kind != "drill":
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


SWEEP = (0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)
"""Desired retentions FSRS runs at with the default parameters (0.9 is the arm ``fsrs``)."""
OPTIMIZED_SWEEP = (0.85, 0.9, 0.93)
"""Desired retentions FSRS runs at with monthly refitted parameters."""
RETENTION_MEASURES = ("true_retention_random_moment", "true_retention_at_review")
WORKLOADS = ("reviews", "answers")
"""``reviews``: scheduled answers after a card's first; ``answers``: every answer, first
answers and same-day drill answers included (what the learner's time goes on)."""


def arm_name(optimized: bool, r: float) -> str:
    base = "fsrs_optimized" if optimized else "fsrs"
    return base if r == 0.9 else f"{base}_r{r:g}"


def interpolate(points: list[tuple[float, float]], x: float) -> float | None:
    """y at x on the broken line through ``points`` (sorted by x); None outside them."""
    points = sorted(points)
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return None


def curve(result: dict[str, Any], optimized: bool, sweep: list[float]) -> list[dict[str, Any]]:
    out = []
    for r in sweep:
        s = result["schedulers"].get(arm_name(optimized, r))
        if s is None:
            continue
        out.append(
            {
                "desired_retention": r,
                "reviews": s["reviews"],
                "answers": s["answers"],
                "true_retention_at_review": s["true_retention_at_review"],
                "true_retention_random_moment": s["true_retention_random_moment"],
            }
        )
    return out


def matched(points: list[dict[str, Any]], sm2: dict[str, Any]) -> dict[str, Any]:
    """FSRS's curve read at SM-2's point: the workload FSRS needs for SM-2's retention, and
    the retention FSRS gets for SM-2's workload, for each retention measure and workload."""
    out: dict[str, Any] = {}
    for measure in RETENTION_MEASURES:
        target = sm2[measure]
        # Retention rises with desired retention on these curves, so it orders the points.
        by_retention = [(p[measure], p) for p in points]
        entry: dict[str, Any] = {"sm2_retention": target}
        r_star = interpolate([(m, p["desired_retention"]) for m, p in by_retention], target)
        entry["desired_retention_matching_sm2"] = None if r_star is None else round(r_star, 3)
        for work in WORKLOADS:
            need = interpolate([(m, p[work]) for m, p in by_retention], target)
            got = interpolate([(p[work], m) for m, p in by_retention], sm2[work])
            entry[work] = {
                "sm2": sm2[work],
                "fsrs_at_sm2_retention": None if need is None else round(need),
                "ratio_to_sm2": None if need is None else round(need / sm2[work], 3),
                "fsrs_retention_at_sm2_workload": None if got is None else round(got, 4),
            }
        out[measure] = entry
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-optimizer", action="store_true", help="skip the optimized-FSRS arms")
    parser.add_argument(
        "--retention",
        type=float,
        action="append",
        default=None,
        help=f"desired retentions of the default-parameter FSRS arms (repeatable; "
        f"default {' '.join(map(str, SWEEP))})",
    )
    parser.add_argument(
        "--optimized-retention",
        type=float,
        action="append",
        default=None,
        help=f"desired retentions of the monthly-optimized FSRS arms (repeatable; "
        f"default {' '.join(map(str, OPTIMIZED_SWEEP))})",
    )
    args = parser.parse_args(argv)
    cards = shipped_cards()
    sweep = sorted(set(args.retention or SWEEP) | {0.9})
    optimized_sweep = sorted(set(args.optimized_retention or OPTIMIZED_SWEEP) | {0.9})
    optimizing = fsrs_optimizer.optimizer_available() and not args.no_optimizer
    arms: dict[str, Callable[[tuple[float, ...] | None], Any]] = {"sm2": lambda _p: Sm2Scheduler()}
    for r in sweep:
        arms[arm_name(False, r)] = lambda _p, r=r: FsrsScheduler(desired_retention=r)
    if optimizing:
        for r in optimized_sweep:
            arms[arm_name(True, r)] = lambda p, r=r: FsrsScheduler(
                p or DEFAULT_FSRS_PARAMETERS, desired_retention=r
            )
    result: dict[str, Any] = {
        "learners": args.learners,
        "days": args.days,
        "seed": args.seed,
        "cards": len(cards),
        "sections": len({s for s, _ in cards}),
        "new_per_day": NEW_PER_DAY,
        "reviews_per_day": REVIEWS_PER_DAY,
        "optimize_every_days": OPTIMIZE_EVERY,
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
    result["curves"] = {"fsrs": curve(result, False, sweep)}
    result["matched_to_sm2"] = {"fsrs": matched(result["curves"]["fsrs"], sm2)}
    if optimizing:
        result["curves"]["fsrs_optimized"] = curve(result, True, optimized_sweep)
        result["matched_to_sm2"]["fsrs_optimized"] = matched(
            result["curves"]["fsrs_optimized"], sm2
        )
        result["optimizer_timing"] = measure_optimizer(cards, args.seed, args.days)
        result["optimizer_holdout"] = optimizer_holdout(cards, args.seed, args.days)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
