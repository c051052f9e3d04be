"""A merge's review values (`sync_rows.REVIEW_COLUMNS`), distinct for each n."""

from __future__ import annotations

from typing import Any


def answer(n: int) -> list[Any]:
    day = 739677 + n
    return [
        f"2026-03-{1 + n % 28:02d} 09:{n // 60 % 60:02d}:{n % 60:02d}.000000",
        day, "review", "{}", n % 2 == 0, n % 6, n, n + 1, 250, 240 + n % 20,
        n, n + 2, day, day + 3, None if n % 3 else day, 1.5 + n, 0.5 if n % 2 else None,
    ]  # fmt: skip
