"""HTML from other apps (Anki fields, CSV cells) turned into safe Markdown.

quizapp renders Markdown with raw HTML disabled, so imported HTML is never interpreted:
it is first cleaned by nh3 (an allow-list sanitizer: no scripts, no event handlers, no
styles, no remote images) and then the few tags that carry meaning for a card (emphasis,
code, lists, line breaks) become their Markdown equivalents. Everything else becomes text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

_ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "code",
    "pre",
    "br",
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "span",
    "sup",
    "sub",
    "hr",
}
_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*"}


def sanitize_html(text: str) -> str:
    """Only harmless tags survive, with no attributes at all."""
    return str(nh3.clean(text, tags=_ALLOWED, attributes={}, strip_comments=True, link_rel=None))


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"</?[a-zA-Z][^>]*>|&[a-zA-Z#0-9]+;", text))


def html_to_markdown(text: str) -> str:
    if not looks_like_html(text):
        return text
    converter = _ToMarkdown()
    converter.feed(sanitize_html(text))
    converter.close()
    out = "".join(converter.parts)
    out = re.sub(r"[ \t]+\n", "\n", out)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_pre = 0
        self.lists: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE and not self.in_pre:
            self.parts.append(_INLINE[tag])
        elif tag == "code" and not self.in_pre:
            self.parts.append("`")
        elif tag == "pre":
            self.in_pre += 1
            self.parts.append("\n\n```\n")
        elif tag == "br":
            self.parts.append("\n" if self.in_pre else "\\\n")
        elif tag in ("p", "div"):
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.parts.append("\n")
        elif tag == "li":
            marker = "1." if self.lists and self.lists[-1] == "ol" else "-"
            self.parts.append(f"\n{'  ' * max(0, len(self.lists) - 1)}{marker} ")
        elif tag == "hr":
            self.parts.append("\n\n---\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE and not self.in_pre:
            self.parts.append(_INLINE[tag])
        elif tag == "code" and not self.in_pre:
            self.parts.append("`")
        elif tag == "pre" and self.in_pre:
            self.in_pre -= 1
            self.parts.append("\n```\n\n")
        elif tag in ("p", "div"):
            self.parts.append("\n\n")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_pre:
            self.parts.append(data)
        else:
            self.parts.append(_escape_markdown(data))


def _escape_markdown(text: str) -> str:
    """Characters that would start Markdown syntax in plain text from another app."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", html.unescape(text) if "&" in text else text)
