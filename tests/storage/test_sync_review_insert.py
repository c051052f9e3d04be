"""A merge's answers go in fifty to a statement and the rest one by one: every answer lands
whole, in its columns, once (an origin already there, or twice in one batch, is skipped),
and the count of new ones is right whatever the batch's size."""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.storage import sync_rows
from tests.helpers.review_values import answer


@pytest.mark.parametrize("count", [1, 49, 50, 51, 123])
def test_every_answer_lands_once_in_its_columns(col: Any, count: int) -> None:
    with col.db.session() as session:
        raw = session.connection().exec_driver_sql("SELECT id, uuid FROM card ORDER BY id")
        cards = [tuple(r) for r in raw]
        rows = [(cards[n % len(cards)][0], f"{'d' * 32}:{n}", *answer(n)) for n in range(count)]
        assert sync_rows.insert_reviews(rows[:1], session=session) == 1  # there before
        repeated = [*rows[:3], rows[0]] if count >= 3 else rows
        added = sync_rows.insert_reviews([*repeated, *rows[3:]], session=session)
        assert added == count - 1
        logged = list(sync_rows.all_reviews(session=session))
    uuid_of = dict(cards)
    assert sorted((o, c, v) for _id, o, _f, c, v in logged) == sorted(
        (r[1], uuid_of[r[0]], list(r[2:])) for r in rows
    )
