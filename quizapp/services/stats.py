"""Statistics for the window and `quizapp stats`, leeches, and the guide section behind a card.

Read-only except `suspend_card`. The figures themselves are computed in `core.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.adapters.paths import resources_dir
from quizapp.core import stats as core
from quizapp.core.model import Card, Kind
from quizapp.services.collection import Collection
from quizapp.storage import repo, stats_repo

GUIDE_FILE = "rust-guide.md"
"""The guide the shipped decks follow, one deck per `## ` section (shipped in resources/)."""


def collection_stats(col: Collection) -> core.Stats:
    """Every figure, from the cards and the review log summed up in SQL (one read transaction)."""
    today = col.today().toordinal()
    with col.db.session() as session:
        cards = stats_repo.card_totals(today, session=session)
        totals = stats_repo.review_totals(session=session)
        choice = stats_repo.get_cards_of_kind(Kind.CHOICE, session=session)
    return core.build_stats(cards, totals, today, choice)


@dataclass(frozen=True)
class FirstFigures:
    """What the statistics window shows before the rest is added up: the study streak,
    today's work and the heatmap, from cheap reads (about 0.05 s at 300,000 cards and
    3,000,000 answers, where every figure takes several seconds)."""

    today: int
    streak: core.Streak
    answers_today: int
    cards: int
    due_today: int
    answers_per_day: dict[int, int]
    """Over the heatmap's weeks only (`core.heatmap_first_day` on)."""


def first_figures(col: Collection) -> FirstFigures:
    """Read in proportion to the days studied and the heatmap's weeks, not to the whole
    log: the streak needs only which days have answers, the heatmap only its weeks'
    counts (0.04 s at 3,000,000 answers over 611 days; counting every day took 0.14 s)."""
    today = col.today().toordinal()
    with col.db.session() as session:
        days = stats_repo.study_days(session=session)
        per_day = stats_repo.answers_per_day_since(core.heatmap_first_day(today), session=session)
        cards, due = stats_repo.cards_and_due(today, session=session)
    return FirstFigures(
        today=today,
        streak=core.streak(days, today),
        answers_today=per_day.get(today, 0),
        cards=cards,
        due_today=due,
        answers_per_day=per_day,
    )


def section_labels(col: Collection) -> dict[str, str]:
    """Each section (the key figures are summed under) as the deck list names its deck, in
    the deck list's order.

    A deck's section is its guide chapter ("The Fundamental Innovation: Ownership and
    Affine Types"), a secondary label; the learner knows the deck by its name ("Ownership
    & affine types"). Decks sharing a section are named together.
    """
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
    names: dict[str, list[str]] = {}
    for deck in decks:
        names.setdefault(deck.section or deck.name, []).append(deck.name)
    return {section: " / ".join(found) for section, found in names.items()}


@dataclass(frozen=True)
class LeechView:
    card: Card
    section: str
    deck_name: str
    failures: int
    suspended: bool
    guide: str | None
    """The card's section of the guide as Markdown; None when the guide has no such section."""


def leech_views(col: Collection, leeches: list[core.Leech]) -> list[LeechView]:
    guide = read_guide()
    with col.db.session() as session:
        found = stats_repo.get_cards_with_section(
            [leech.card_uuid for leech in leeches], session=session
        )
        suspended = stats_repo.list_suspended(
            [leech.card_uuid for leech in leeches], session=session
        )
    return [
        LeechView(
            card=found[leech.card_uuid][1],
            section=found[leech.card_uuid][2],
            deck_name=found[leech.card_uuid][3],
            failures=leech.failures,
            suspended=leech.card_uuid in suspended,
            guide=core.guide_section(guide, found[leech.card_uuid][2]) if guide else None,
        )
        for leech in leeches
        if leech.card_uuid in found
    ]


def read_guide() -> str:
    try:
        return (resources_dir() / GUIDE_FILE).read_text(encoding="utf-8")
    except OSError:
        return ""


@dataclass(frozen=True)
class SuspendChange:
    card_uuid: str
    suspended: bool


def suspend_card(col: Collection, card_uuid: str, suspended: bool = True) -> SuspendChange:
    """Take a card out of study (or put it back); its history and schedule stay as they are."""
    with col.db.session() as session:
        if not stats_repo.set_suspended(card_uuid, suspended, session=session):
            raise LookupError(f"no card {card_uuid}")
        session.commit()
    return SuspendChange(card_uuid, suspended)
