"""Statistics name each deck as the deck list does, in its order, whole; an empty chart
says why it is empty."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services import cards, stats
from quizapp.services.collection import Collection
from quizapp.ui.stats_window import StatsWindow, by_deck


def categories(window: StatsWindow, chart_index: int) -> tuple[str, list[str]]:
    splitter = window.tabs.widget(1).widget()  # type: ignore[attr-defined]
    chart = splitter.widget(chart_index).chart()
    axis = next(a for a in chart.axes() if hasattr(a, "categories"))
    return chart.title(), list(axis.categories())


def test_deck_names_in_deck_order_not_sections(qtbot: QtBot, col: Collection) -> None:
    long_name = "Security: what Rust does and doesn't prevent, and what it leaves to you"
    for name, section in (
        ("Zebra deck", "A guide chapter about zebras"),
        (long_name, ""),
    ):
        deck = cards.create_deck(col, name, section=section).decks[0]
        data = cards.new_card_data(Kind.SHORT)
        data.update(prompt="Question?", answer=["yes"])
        cards.add_card(col, deck, data)
    labels = stats.section_labels(col)
    assert labels["A guide chapter about zebras"] == "Zebra deck"
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.loaded, timeout=20_000):
        pass
    title, shown = categories(window, 0)
    assert title.startswith("Mastery by deck")
    top_first = list(reversed(shown))  # a horizontal chart lists its first category lowest
    assert top_first[-2:] == ["Zebra deck", long_name]  # after the sample, as the list has them
    assert "A guide chapter about zebras" not in shown
    title, shown = categories(window, 1)
    assert "nothing yet" in title  # no answer has come due: the empty chart says why


def test_by_deck_keeps_sections_no_deck_has() -> None:
    assert list(by_deck({"b": 1, "gone": 2, "a": 3}, {"a": "Deck A", "b": "Deck B"})) == [
        "gone",
        "Deck B",
        "Deck A",
    ]
