"""The statistics' first figures read less than the whole log and must say the same:
`study_days` steps the day index a day at a time, `answers_per_day_since` counts only the
heatmap's weeks. Both are checked against the whole per-day count on a real SQLite file,
over logs with gaps, busy days, one-day logs and days after today."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from quizapp.core.model import Card, Deck, Kind
from quizapp.core.stats import heatmap_first_day, streak
from quizapp.storage import repo, stats_repo
from quizapp.storage.database import Database, open_database
from quizapp.storage.tables import ReviewLog

TODAY = date(2026, 12, 3).toordinal()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(Path(tmp_path_factory.mktemp("first") / "data"))
    with database.session() as session:
        deck = repo.save_deck(
            Deck(id="80000000-0000-4000-8000-000000000001", name="D"),
            source="",
            digest="",
            position=0,
            session=session,
        )
        assert deck.id is not None
        card = Card(
            id="80000000-0000-4000-8000-000000000002", kind=Kind.SHORT, prompt="Q", accepted=("x",)
        )
        repo.save_card(card, deck_id=deck.id, position=0, existing=None, session=session)
        session.commit()
    yield database
    database.close()


def write_days(db: Database, days: list[int]) -> None:
    with db.session() as session:
        session.execute(text("DELETE FROM review_log"))
        card_id = session.execute(text("SELECT id FROM card")).scalar_one()
        for day in days:
            session.add(
                ReviewLog(
                    card_id=card_id,
                    reviewed_at=datetime(2026, 12, 3, tzinfo=UTC),
                    study_day=day,
                    kind="review",
                    answer="",
                    correct=True,
                    quality=4,
                    repetitions_before=0,
                    repetitions_after=0,
                    easiness_before=250,
                    easiness_after=250,
                    interval_before=0,
                    interval_after=0,
                )
            )
        session.commit()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(TODAY - 700, TODAY + 3), max_size=60))
def test_the_narrow_reads_say_what_the_whole_count_says(db: Database, days: list[int]) -> None:
    write_days(db, days)
    since = heatmap_first_day(TODAY)
    with db.session() as session:
        whole = stats_repo.answers_per_day(session=session)
        studied = stats_repo.study_days(session=session)
        recent = stats_repo.answers_per_day_since(since, session=session)
    assert whole == Counter(days)
    assert studied == sorted(whole)
    assert recent == {day: n for day, n in whole.items() if day >= since}
    assert streak(studied, TODAY) == streak(whole, TODAY)


def test_an_empty_log_has_no_days(db: Database) -> None:
    write_days(db, [])
    with db.session() as session:
        assert stats_repo.study_days(session=session) == []
        assert stats_repo.answers_per_day_since(0, session=session) == {}


def test_the_heatmaps_first_day_is_a_monday_25_weeks_before_this_weeks() -> None:
    wednesday = date(2026, 12, 2).toordinal()
    first = heatmap_first_day(wednesday)
    assert date.fromordinal(first).weekday() == 0
    assert first == wednesday - 2 - 7 * 25
    assert heatmap_first_day(first + 7 * 25) == first
