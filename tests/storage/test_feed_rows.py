"""The parking of a replaced feed's answers reads back only what is an answer: a row some
other tool damaged stays where it is, and nothing out of bounds reaches the review log."""

from __future__ import annotations

from pathlib import Path

from quizapp.storage import feed_rows
from quizapp.storage.database import open_database

FEED = "00000000-0000-4000-8000-0000000000aa@2026-03-02 09:00:27.000000"
ANSWER = [
    "2026-03-02 09:00:30.000000", 739677, "review", "{}", True, 4,
    1, 2, 250, 250, 1, 6, 739677, 739683, None, 2.5, 0.9,
]  # fmt: skip


def test_a_damaged_parked_answer_stays_parked_and_the_good_ones_come_back(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path)
    try:
        with db.session() as session:
            feed_rows.park(
                [
                    ("a" * 32 + ":1", FEED, "c1", ANSWER),
                    ("a" * 32 + ":2", FEED, "c2", [*ANSWER[:5], 99, *ANSWER[6:]]),  # q=99
                ],
                session=session,
            )
            session.connection().exec_driver_sql(
                "INSERT INTO sync_parked_review VALUES (?, ?, ?, ?)",
                ("a" * 32 + ":3", FEED, "c3", "{not json"),
            )
            back = feed_rows.unpark([FEED], session=session)
            left = (
                session.connection()
                .exec_driver_sql("SELECT origin FROM sync_parked_review ORDER BY origin")
                .all()
            )
        assert [(o, c, v) for o, _f, c, v in back] == [("a" * 32 + ":1", "c1", ANSWER)]
        assert [o for (o,) in left] == ["a" * 32 + ":2", "a" * 32 + ":3"]
    finally:
        db.close()
