"""The browser's search with predicted recall: `r<0.8` in the search box, and the Recall
column, sortable.

Recall depends on the day and on each deck's scheduler, so it is not a column SQLite can
filter or sort by. The search box's text is split: `r<0.8`, `r>=0.95` (or `r<80%`) tokens
are taken out and the rest goes to the full-text index as before (`cards.search_cards`);
then, only when an r-token or a sort by recall asks for it, the matching cards' recall is
computed and the UUIDs filtered or sorted by it. Otherwise recall is computed for the rows
the browser draws, a page at a time (`browser_rows`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from quizapp.services import cards, memory
from quizapp.services.cards import BrowserRow, CardQuery
from quizapp.services.collection import Collection
from quizapp.storage import search
from quizapp.storage.search import SearchStopped

_TOKEN = re.compile(r"^r(<=|>=|<|>)(\d+(?:\.\d*)?|\.\d+)(%?)$", re.IGNORECASE)
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class RecallFilter:
    """One `r<0.8` token: predicted recall compared with a bound (0..1)."""

    op: str
    bound: float

    def admits(self, recall: float | None) -> bool:
        """A card never reviewed has no recall to compare: no r-filter admits it."""
        return recall is not None and _COMPARE[self.op](recall, self.bound)


def parse_recall_filters(typed: str) -> tuple[str, list[RecallFilter]]:
    """(the text without its r-tokens, the r-filters). A bound above 1 or with `%` is a
    percentage (`r<80` is `r<0.8`); a token whose bound is over 100 stays text."""
    words: list[str] = []
    filters: list[RecallFilter] = []
    for word in typed.split():
        found = _TOKEN.match(word)
        if found is None:
            words.append(word)
            continue
        op, number, percent = found.groups()
        bound = float(number)
        if percent or bound > 1:
            bound /= 100
        if bound > 1:
            words.append(word)
            continue
        filters.append(RecallFilter(op, bound))
    return " ".join(words), filters


def search_cards(
    col: Collection, query: CardQuery, *, stop: Callable[[], bool] | None = None
) -> list[str]:
    """The matching cards' UUIDs in the query's order, recall filters and sort included.
    `stop` (a newer search replaced this one) ends it early with `SearchStopped`."""
    text, filters = parse_recall_filters(query.text)
    uuids = cards.search_cards(col, replace(query, text=text), stop=stop)
    if not filters and query.sort != "recall":
        return uuids
    if stop is not None and stop():
        raise SearchStopped()
    recalls = memory.recalls_of(col, uuids)
    if filters:
        uuids = [u for u in uuids if all(f.admits(recalls.get(u)) for f in filters)]
    if query.sort == "recall":
        known = [u for u in uuids if recalls.get(u) is not None]
        known.sort(key=lambda u: recalls[u] or 0.0, reverse=query.descending)  # stable
        uuids = known + [u for u in uuids if recalls.get(u) is None]  # never reviewed: last
    return uuids


def first_page(
    col: Collection, query: CardQuery, limit: int, *, stop: Callable[[], bool] | None = None
) -> list[str] | None:
    """The first `limit` UUIDs of `search_cards`'s answer, found before the rest so the
    browser shows its first screen at once; None when the order or membership depends on
    every match's recall (then only the whole search can say which come first)."""
    text, filters = parse_recall_filters(query.text)
    if filters or query.sort == "recall":
        return None
    return cards.first_card_uuids(col, replace(query, text=text), limit, stop=stop)


def cap_note(typed: str) -> str:
    """What the status line says when the typed search is longer than what is searched
    (`storage.search` reads the first MAX_SEARCH_TERMS words of MAX_SEARCH_CHARS characters:
    each word is one more scan of the index), or "" when every word is searched."""
    words = [w for w in parse_recall_filters(typed)[0].split() if re.search(r"\w", w)]
    if len(words) > search.MAX_SEARCH_TERMS:
        return f"only the first {search.MAX_SEARCH_TERMS} words are searched"
    if len(typed) > search.MAX_SEARCH_CHARS:
        return f"only the first {search.MAX_SEARCH_CHARS} characters are searched"
    return ""


def browser_rows(col: Collection, card_uuids: Sequence[str]) -> list[BrowserRow]:
    """One page of the browser's rows, with each card's predicted recall today."""
    rows = cards.browser_rows(col, card_uuids)
    recalls = memory.recalls_of(col, [r.uuid for r in rows])
    return [replace(r, recall=recalls.get(r.uuid)) for r in rows]
