"""Card Markdown opens nothing inside the app and reads no local file (issue 13.9)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot

from quizapp.core.render import page, render_markdown
from quizapp.storage.search import MAX_SEARCH_TERMS, fts_expression


@pytest.mark.parametrize(
    "target", ["/etc/hostname", "file:///etc/hostname", "../secret", "quizapp://cram", "HtTpX://a"]
)
def test_a_link_to_anything_but_the_web_is_plain_text(target: str) -> None:
    html = render_markdown(f"see [the file]({target}) now")
    assert "<a " not in html and "href" not in html and "the file" in html


def test_only_the_report_keeps_its_cram_links_and_no_other_app_link() -> None:
    text = "[cram this deck](quizapp:cram?section=Ownership) [x](quizapp:delete?all=1)"
    assert "<a " not in render_markdown(text)  # card text: never
    html = render_markdown(text, app_links=True)  # the interview report
    assert html.count("<a ") == 1 and 'href="quizapp:cram?section=Ownership"' in html


def test_web_links_stay_links_and_nesting_stays_balanced() -> None:
    html = render_markdown("[doc](https://doc.rust-lang.org/std/) and [x](/etc/passwd)")
    assert html.count("<a ") == html.count("</a>") == 1
    assert 'href="https://doc.rust-lang.org/std/"' in html


def test_an_image_is_its_alt_text_never_a_file_read(qtbot: QtBot) -> None:
    """`![x](/dev/zero)` used to hang the window for good: Qt read the device as an image."""
    html = render_markdown("![a *zero* device](/dev/zero)")
    assert "<img" not in html and "[image: a zero device]" in html
    browser = QTextBrowser()
    qtbot.add_widget(browser)
    browser.setHtml(page(html))
    assert "[image: a zero device]" in browser.toPlainText()


def test_a_search_uses_a_bounded_number_of_words() -> None:
    assert fts_expression("a " * 20_000).count('"*') == MAX_SEARCH_TERMS
    assert fts_expression("x" * 100_000).count('"*') == 1
    assert len(fts_expression("x" * 100_000)) < 600
