"""Every figure of the statistics window and `quizapp stats`, computed from sums.

The database hands over `CardTotals`, the cards counted up (mastery per section, answered
cards per interval and per EF, due cards per day ahead), and `ReviewTotals`, the review log
summed up (answers per day, scheduled answers passed per section and per week, failures
per card, choice answers by text): 100,000 cards and a million log rows are added up in
SQL, not walked here. `card_totals_from_rows` and `totals_from_reviews` are the references
for that summing, row by row, so each figure can be checked by hand against known cards and
a known log. The definitions, decided once:

- **Scheduled answer**: a review-log row of kind ``new`` or ``review``: the one answer per
  card and day that moved its SM-2 state. Drill answers (same-day retries) and cram
  answers (off-schedule practice) are re-tries and are left out of retention and leeches.
- **Passed**: q ≥ 3 (SM-2's own threshold).
- **Retention**: passed scheduled answers / scheduled answers, per section and per week
  (weeks start on Monday).
- **Study activity** (the heatmap, the streak): every answer in the log, whatever its kind:
  a day of cramming is a day of study.
- **Streak**: consecutive study days ending today; a day without answers yet does not break
  it until it is over, so the streak counts back from yesterday when today is still empty.
- **Mastery**: *new* never answered; *learning* answered but not yet passed twice in a row
  (repetitions < 2: SM-2's 1-day and 6-day steps); *young* interval < 21 days; *mature*
  interval ≥ 21 days (Anki's line). Retired cards are not counted; suspended ones are.
- **Due forecast**: for each of the next 30 study days, the non-new, non-suspended cards
  due that day; overdue cards count on today.
- **Leech**: a card with ``LEECH_FAILURES`` (8) failed scheduled answers.
- **Misconception**: a wrong option a learner picked on a choice card, counted over every
  answer in the log (cram included: a wrong pick is a wrong pick).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple

from quizapp.core.model import Card, Kind
from quizapp.core.sm2 import PASS_THRESHOLD

SCHEDULED_KINDS = frozenset({"new", "review"})
LEECH_FAILURES = 8
MATURE_DAYS = 21
FORECAST_DAYS = 30
MASTERY_LEVELS = ("new", "learning", "young", "mature")

INTERVAL_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (1, 1, "1 d"),
    (2, 6, "2–6 d"),
    (7, 20, "7–20 d"),
    (21, 30, "21–30 d"),
    (31, 90, "1–3 mo"),
    (91, 180, "3–6 mo"),
    (181, 365, "6–12 mo"),
    (366, None, "> 1 y"),
)
"""(first day, last day or None, label); 21 days starts the mature buckets."""

EASINESS_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (130, 149, "1.3–1.5"),
    (150, 169, "1.5–1.7"),
    (170, 189, "1.7–1.9"),
    (190, 209, "1.9–2.1"),
    (210, 229, "2.1–2.3"),
    (230, 249, "2.3–2.5"),
    (250, 269, "2.5–2.7"),
    (270, None, "≥ 2.7"),
)
"""EF in hundredths (it moves in steps of 0.02), from the 1.3 floor. Each bucket includes its
lower bound and stops before the next one: "2.5–2.7" holds 2.50 to 2.68."""


class CardRow(NamedTuple):
    """One card and its SM-2 state, as the statistics need it.

    A NamedTuple, not a frozen dataclass: a statistics window builds one per card, and
    100,000 frozen dataclasses took 0.4 s to build, NamedTuples under 0.1 s.
    """

    uuid: str
    section: str
    repetitions: int = 0
    interval: int = 0
    easiness_hundredths: int = 250
    due_day: int | None = None
    suspended: bool = False

    @property
    def is_new(self) -> bool:
        return self.due_day is None


@dataclass(frozen=True)
class CardTotals:
    """The cards counted up: all that the card figures need, nothing per card.

    storage/stats_repo.py fills it with SQL GROUP BYs over `card_state`;
    `card_totals_from_rows` is the reference that fills it from the rows one by one.
    Retired cards are not counted; suspended ones are, except in `due`. Values are kept
    as they are (not bucketed), so the buckets can change without touching the SQL.
    """

    mastery_by_section: dict[str, Mastery] = field(default_factory=dict)
    """Cards per mastery level, per section that has cards."""
    intervals: dict[int, int] = field(default_factory=dict)
    """Answered (not new) cards per interval in days."""
    easiness: dict[int, int] = field(default_factory=dict)
    """Answered (not new) cards per EF in hundredths."""
    due: dict[int, int] = field(default_factory=dict)
    """Non-new, non-suspended cards due per day from today (0 holds the overdue ones too),
    for the days 0 to FORECAST_DAYS - 1 only; days without any are absent."""

    @property
    def cards(self) -> int:
        return sum(m.total for m in self.mastery_by_section.values())


def card_totals_from_rows(cards: Iterable[CardRow], today: int) -> CardTotals:
    """The reference counting of the cards (retired ones already left out), row by row."""
    levels: dict[str, Counter[str]] = defaultdict(Counter)
    intervals: Counter[int] = Counter()
    easiness: Counter[int] = Counter()
    due: Counter[int] = Counter()
    for card in cards:
        levels[card.section][mastery_level(card)] += 1
        if card.due_day is None:
            continue
        intervals[card.interval] += 1
        easiness[card.easiness_hundredths] += 1
        offset = max(0, card.due_day - today)
        if not card.suspended and offset < FORECAST_DAYS:
            due[offset] += 1
    return CardTotals(
        mastery_by_section={
            section: Mastery(**{level: counts[level] for level in MASTERY_LEVELS})
            for section, counts in levels.items()
        },
        intervals=dict(intervals),
        easiness=dict(easiness),
        due=dict(due),
    )


@dataclass(frozen=True)
class ReviewRow:
    """One answer from the review log."""

    card_uuid: str
    section: str
    study_day: int
    log_kind: str
    quality: int
    correct: bool | None = None
    answer: str = ""
    seconds: float = 0.0

    @property
    def scheduled(self) -> bool:
        return self.log_kind in SCHEDULED_KINDS

    @property
    def passed(self) -> bool:
        return self.quality >= PASS_THRESHOLD


@dataclass(frozen=True)
class Retention:
    passed: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.passed / self.total


@dataclass(frozen=True)
class ReviewTotals:
    """The review log summed up: all that the figures over answers need, nothing per row.

    storage/stats_repo.py fills it with SQL GROUP BYs; `totals_from_reviews` is the
    reference that fills it from the rows one by one. Cards appear by uuid and section, the
    section being the card's deck's, as in `ReviewRow`.

    Scheduled answers are summed per section and, apart, per week: every figure needs one
    or the other (overall retention is the sum of either), and each is a single sort of the
    log in SQL, where the (section, week) grid cost a join and a sort of every row.
    """

    answers_per_day: dict[int, int] = field(default_factory=dict)
    """Answers of every kind per study day, in day order."""
    scheduled_by_section: dict[str, Retention] = field(default_factory=dict)
    """Scheduled answers passed and in all, per section."""
    scheduled_by_week: dict[int, Retention] = field(default_factory=dict)
    """Scheduled answers passed and in all, per week (the ordinal of its Monday)."""
    failures: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Failed scheduled answers per card uuid, with its section; cards without any are absent."""
    choice_answers: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """Answers of every kind given to choice cards, per (card uuid, section, stored answer)."""

    @property
    def answers(self) -> int:
        return sum(self.answers_per_day.values())


def totals_from_reviews(
    reviews: Iterable[ReviewRow], choice_cards: Container[str] = frozenset()
) -> ReviewTotals:
    """The reference summing of the log, row by row; `choice_cards` holds the uuids of the
    choice cards, whose answers are kept for the misconceptions."""
    per_day: Counter[int] = Counter()
    by_section: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_week: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    failed: Counter[str] = Counter()
    sections: dict[str, str] = {}
    choice: Counter[tuple[str, str, str]] = Counter()
    for r in reviews:
        per_day[r.study_day] += 1
        if r.scheduled:
            for counts in (by_section[r.section], by_week[week_start(r.study_day)]):
                counts[0] += r.passed
                counts[1] += 1
            if not r.passed:
                failed[r.card_uuid] += 1
                sections[r.card_uuid] = r.section
        if r.card_uuid in choice_cards:
            choice[(r.card_uuid, r.section, r.answer)] += 1
    return ReviewTotals(
        answers_per_day=dict(sorted(per_day.items())),
        scheduled_by_section={key: Retention(*n) for key, n in by_section.items()},
        scheduled_by_week={key: Retention(*n) for key, n in by_week.items()},
        failures={uuid: (sections[uuid], n) for uuid, n in failed.items()},
        choice_answers=dict(choice),
    )


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    study_days: int


@dataclass(frozen=True)
class Mastery:
    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature


@dataclass(frozen=True)
class Leech:
    card_uuid: str
    section: str
    failures: int


@dataclass(frozen=True)
class Misconception:
    card_uuid: str
    section: str
    prompt: str
    chosen_index: int
    chosen: str
    needed: tuple[str, ...]
    why: str
    """The card's explanation of why the chosen option is wrong."""
    count: int

    @property
    def sentence(self) -> str:
        needed = " and ".join(self.needed) or "another option"
        times = "once" if self.count == 1 else "twice" if self.count == 2 else f"{self.count} times"
        return f"you chose {self.chosen} where {needed} was needed, {times}"


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int


@dataclass(frozen=True)
class Stats:
    """Everything the statistics window and `quizapp stats` show."""

    today: int
    cards: int
    answers: int
    answers_today: int
    reviews_per_day: dict[int, int]
    streak: Streak
    forecast: list[int]
    retention: Retention
    retention_by_section: dict[str, Retention]
    retention_by_week: list[tuple[int, Retention]]
    intervals: list[Bucket]
    easiness: list[Bucket]
    mastery: Mastery
    mastery_by_section: dict[str, Mastery]
    leeches: list[Leech] = field(default_factory=list)
    misconceptions: list[Misconception] = field(default_factory=list)


# --- activity ----------------------------------------------------------------------------


def reviews_per_day(totals: ReviewTotals) -> dict[int, int]:
    """Answers per study day (every kind), keyed by the day's ordinal, in day order."""
    return dict(sorted(totals.answers_per_day.items()))


HEATMAP_WEEKS = 26
"""Weeks of answers the statistics' heatmap draws, this one last."""


def heatmap_first_day(today: int) -> int:
    """The heatmap's first day: the Monday `HEATMAP_WEEKS - 1` weeks before this week's."""
    monday = today - date.fromordinal(today).weekday()
    return monday - 7 * (HEATMAP_WEEKS - 1)


def streak(study_days: Iterable[int], today: int) -> Streak:
    days = set(study_days)
    start = today if today in days else today - 1
    current = 0
    while start - current in days:
        current += 1
    longest = run = 0
    previous: int | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    return Streak(current=current, longest=longest, study_days=len(days))


# --- schedule ----------------------------------------------------------------------------


def due_forecast(totals: CardTotals) -> list[int]:
    """Due cards on each of the next FORECAST_DAYS days, today (with the overdue) first."""
    return [totals.due.get(offset, 0) for offset in range(FORECAST_DAYS)]


def _bucketed(
    counts: Mapping[int, int], buckets: Sequence[tuple[int, int | None, str]]
) -> list[Bucket]:
    """Counts per value added up per bucket; a value in no bucket is left out."""
    summed = [0] * len(buckets)
    for value, n in counts.items():
        for i, (low, high, _label) in enumerate(buckets):
            if value >= low and (high is None or value <= high):
                summed[i] += n
                break
    return [Bucket(label, n) for (_l, _h, label), n in zip(buckets, summed, strict=True)]


def interval_distribution(totals: CardTotals) -> list[Bucket]:
    """Intervals of every card answered at least once."""
    return _bucketed(totals.intervals, INTERVAL_BUCKETS)


def easiness_distribution(totals: CardTotals) -> list[Bucket]:
    """EF of every card answered at least once (a new card's 2.5 says nothing yet)."""
    return _bucketed(totals.easiness, EASINESS_BUCKETS)


def mastery_level(card: CardRow) -> str:
    if card.is_new:
        return "new"
    if card.repetitions < 2:
        return "learning"
    return "mature" if card.interval >= MATURE_DAYS else "young"


def mastery(totals: CardTotals) -> Mastery:
    parts = totals.mastery_by_section.values()
    return Mastery(**{level: sum(getattr(m, level) for m in parts) for level in MASTERY_LEVELS})


def mastery_by_section(totals: CardTotals) -> dict[str, Mastery]:
    return dict(sorted(totals.mastery_by_section.items()))


# --- retention ---------------------------------------------------------------------------


def _summed(parts: Iterable[Retention]) -> Retention:
    passed = total = 0
    for part in parts:
        passed += part.passed
        total += part.total
    return Retention(passed=passed, total=total)


def retention(totals: ReviewTotals) -> Retention:
    return _summed(totals.scheduled_by_section.values())


def retention_by_section(totals: ReviewTotals) -> dict[str, Retention]:
    return dict(sorted(totals.scheduled_by_section.items()))


def week_start(day: int) -> int:
    """The ordinal of the Monday that starts the week holding `day`."""
    return day - date.fromordinal(day).weekday()


def retention_by_week(totals: ReviewTotals) -> list[tuple[int, Retention]]:
    return sorted(totals.scheduled_by_week.items())


def section_weakness(totals: ReviewTotals) -> dict[str, float]:
    """Each section's failure rate with one imagined pass and one imagined fail added.

    (failed + 1) / (answered + 2): a section with no answers yet is 0.5, and a single
    unlucky answer does not make a section look hopeless. Used to weight mock interviews.
    """
    return {
        section: (r.total - r.passed + 1) / (r.total + 2)
        for section, r in retention_by_section(totals).items()
    }


# --- problem cards -----------------------------------------------------------------------


def failures_by_card(totals: ReviewTotals) -> Counter[str]:
    """Failed scheduled answers per card (drill re-tries and cram do not count)."""
    return Counter({uuid: n for uuid, (_section, n) in totals.failures.items()})


def leeches(totals: ReviewTotals, threshold: int = LEECH_FAILURES) -> list[Leech]:
    found = [
        Leech(uuid, section, n) for uuid, (section, n) in totals.failures.items() if n >= threshold
    ]
    return sorted(found, key=lambda leech: (-leech.failures, leech.section, leech.card_uuid))


def selected_options(answer: str) -> frozenset[int] | None:
    """The options picked in a stored choice answer (`{"selected": [..]}`); None if unreadable."""
    try:
        data = json.loads(answer)
    except (TypeError, ValueError):
        return None
    selected = data.get("selected") if isinstance(data, dict) else None
    if not isinstance(selected, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in selected
    ):
        return None
    return frozenset(selected)


def misconceptions(totals: ReviewTotals, cards: Mapping[str, Card]) -> list[Misconception]:
    """Wrong options picked on choice cards, most often picked first."""
    picks: Counter[tuple[str, int]] = Counter()
    sections: dict[str, str] = {}
    for (uuid, section, answer), times in totals.choice_answers.items():
        card = cards.get(uuid)
        if card is None or card.kind is not Kind.CHOICE:
            continue
        selected = selected_options(answer)
        if selected is None:
            continue
        for index in selected - set(card.answer_indexes):
            if 0 <= index < len(card.options):
                picks[(uuid, index)] += times
                sections[uuid] = section
    found = []
    for (uuid, index), count in picks.items():
        card = cards[uuid]
        found.append(
            Misconception(
                card_uuid=uuid,
                section=sections[uuid],
                prompt=card.prompt,
                chosen_index=index,
                chosen=card.options[index],
                needed=tuple(card.options[i] for i in card.answer_indexes if i < len(card.options)),
                why=card.explanations[index] if index < len(card.explanations) else "",
                count=count,
            )
        )
    return sorted(found, key=lambda m: (-m.count, m.section, m.card_uuid, m.chosen_index))


# --- everything --------------------------------------------------------------------------


def build_stats(
    cards: CardTotals,
    totals: ReviewTotals,
    today: int,
    choice_cards: Mapping[str, Card] | None = None,
) -> Stats:
    per_day = reviews_per_day(totals)
    return Stats(
        today=today,
        cards=cards.cards,
        answers=totals.answers,
        answers_today=per_day.get(today, 0),
        reviews_per_day=per_day,
        streak=streak(per_day, today),
        forecast=due_forecast(cards),
        retention=retention(totals),
        retention_by_section=retention_by_section(totals),
        retention_by_week=retention_by_week(totals),
        intervals=interval_distribution(cards),
        easiness=easiness_distribution(cards),
        mastery=mastery(cards),
        mastery_by_section=mastery_by_section(cards),
        leeches=leeches(totals),
        misconceptions=misconceptions(totals, choice_cards or {}),
    )


def guide_section(guide: str, section: str) -> str | None:
    """The text under the guide's `## <section>` heading, up to the next `## ` heading."""
    lines = guide.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## ") and line[3:].strip() == section.strip():
            end = next(
                (j for j in range(i + 1, len(lines)) if lines[j].startswith("## ")), len(lines)
            )
            return "\n".join(lines[i:end]).strip() + "\n"
    return None


def stats_to_dict(stats: Stats) -> dict[str, Any]:
    """Everything in `stats` as JSON-ready values; days become ISO dates."""

    def iso(day: int) -> str:
        return date.fromordinal(day).isoformat()

    def ret(r: Retention) -> dict[str, Any]:
        return {"passed": r.passed, "total": r.total, "percent": r.percent}

    return {
        "today": iso(stats.today),
        "cards": stats.cards,
        "answers": stats.answers,
        "answers_today": stats.answers_today,
        "reviews_per_day": {iso(d): n for d, n in stats.reviews_per_day.items()},
        "streak": asdict(stats.streak),
        "due_forecast": [
            {"date": iso(stats.today + i), "due": n} for i, n in enumerate(stats.forecast)
        ],
        "retention": ret(stats.retention),
        "retention_by_section": {s: ret(r) for s, r in stats.retention_by_section.items()},
        "retention_by_week": [{"week": iso(w), **ret(r)} for w, r in stats.retention_by_week],
        "intervals": [asdict(b) for b in stats.intervals],
        "easiness": [asdict(b) for b in stats.easiness],
        "mastery": asdict(stats.mastery),
        "mastery_by_section": {s: asdict(m) for s, m in stats.mastery_by_section.items()},
        "leeches": [asdict(leech) for leech in stats.leeches],
        "misconceptions": [
            {**asdict(m), "needed": list(m.needed), "sentence": m.sentence}
            for m in stats.misconceptions
        ],
    }
