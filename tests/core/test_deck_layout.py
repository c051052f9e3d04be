"""The canonical layout's wrapping of long prose: the fast path (cuts found with `rfind`)
lays out every value it takes exactly as the word-by-word rule does."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import deck_layout
from quizapp.core.deck_layout import WIDTH, wrapped

words = st.lists(
    st.one_of(
        st.text(alphabet="abcXYZ09-_.,()`", min_size=1, max_size=12),
        st.text(alphabet="abc", min_size=90, max_size=130),  # longer than a line
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(words)
def test_the_fast_wrap_cuts_where_the_word_rule_cuts(parts: list[str]) -> None:
    value = " ".join(parts)
    fast = deck_layout._wrapped_at_spaces(value)
    assert fast == deck_layout._wrapped_by_words(value)
    assert wrapped(value) == fast == wrapped(value, plain=True)
    assert tomllib.loads(f"x = {fast}")["x"] == value
    lines = fast.split("\n")[1:]
    fitted = [line for line in lines[:-1] if " " in line.removesuffix(" \\")]
    assert all(len(line) <= WIDTH for line in fitted)


@given(st.text(max_size=300))
def test_any_value_wraps_to_itself(value: str) -> None:
    text = wrapped(value)
    assert tomllib.loads(f"x = {text}")["x"] == value
