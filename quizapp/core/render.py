"""Markdown and Rust to HTML that Qt's rich-text widgets display well.

Qt's QTextBrowser understands a subset of HTML 4 with inline styles, not style sheets with
classes, so pygments writes inline styles and code sits in a one-cell table (the one block
element whose background Qt paints). Raw HTML in Markdown is escaped, never interpreted:
a deck from a stranger cannot inject markup, links to scripts, or images from the network.
Nor from the disk: QTextBrowser reads an `<img>`'s local file as soon as it shows the page
(`![x](/dev/zero)` froze the window for good), so an image is shown as its alt text, and a
link is a link only to an `http`/`https` address; any other (`/etc/hostname`, `file:`,
relative) is shown as plain text, so following it can open nothing inside the app. The
one exception is the interview report's own "cram this deck" (`APP_LINK`), which only its
page asks for (`app_links=True`) and which can do no more than start a cram session.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import RustLexer, TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from quizapp.core.palette import Palette, palette

MONO = "'JetBrains Mono','DejaVu Sans Mono','Menlo','Consolas',monospace"


def render_code(
    code: str,
    theme: str = "light",
    *,
    language: str = "rust",
    line_numbers: bool = True,
    line_links: bool = False,
) -> str:
    """Highlighted code; with `line_links`, each line number is a `line:N` link, so a card
    asking which line rustc blames can be answered by clicking it."""
    return _render_code(code.rstrip("\n"), theme, language, line_numbers, line_links)


@lru_cache(maxsize=512)
def _render_code(
    code: str, theme: str, language: str, line_numbers: bool, line_links: bool = False
) -> str:
    pal = palette(theme)
    try:
        lexer = RustLexer() if language in ("rust", "rs", "") else get_lexer_by_name(language)
    except ClassNotFound:
        lexer = TextLexer()
    formatter = HtmlFormatter(
        style=pal.pygments_style,
        noclasses=True,
        nowrap=True,
        linenos="inline" if line_numbers else False,
    )
    body = highlight(code, lexer, formatter).rstrip("\n")
    if line_numbers:
        body = _number_lines(body, pal, line_links)
    return (
        f'<table width="100%" cellspacing="0" cellpadding="10" '
        f'style="background-color:{pal.code_bg}; border:1px solid {pal.border}; margin:6px 0;">'
        f'<tr><td><pre style="font-family:{MONO}; font-size:13px; color:{pal.text}; margin:0;">'
        f"{body}</pre></td></tr></table>"
    )


def _number_lines(body: str, pal: Palette, links: bool = False) -> str:
    """pygments' inline numbers don't survive `nowrap`; add our own, dimmed and aligned."""
    lines = body.split("\n")
    width = len(str(len(lines)))
    if links:
        return "\n".join(
            f'<a href="line:{i}" style="color:{pal.muted}; text-decoration:none;">'
            f"{str(i).rjust(width)}</a>  {line}"
            for i, line in enumerate(lines, start=1)
        )
    return "\n".join(
        f'<span style="color:{pal.muted};">{str(i).rjust(width)}  </span>{line}'
        for i, line in enumerate(lines, start=1)
    )


APP_LINK = "quizapp:cram?"
"""The one in-app link a page may ask to keep (``core.interview.cram_link``)."""


def _markdown(theme: str, app_links: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")

    def fence(self: object, tokens: list, idx: int, options: object, env: object) -> str:  # type: ignore[type-arg]
        token = tokens[idx]
        lang = token.info.strip().split(" ")[0] if token.info else "rust"
        return render_code(token.content, theme, language=lang or "rust", line_numbers=False)

    def code_inline(self: object, tokens: list, idx: int, options: object, env: object) -> str:  # type: ignore[type-arg]
        pal = palette(theme)
        return (
            f'<code style="font-family:{MONO}; background-color:{pal.code_bg};">'
            f"{html.escape(tokens[idx].content)}</code>"
        )

    def image(self: Any, tokens: list, idx: int, options: object, env: object) -> str:  # type: ignore[type-arg]
        alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
        pal = palette(theme)
        return f'<span style="color:{pal.muted};">[image: {html.escape(alt)}]</span>'

    def link_open(self: Any, tokens: list, idx: int, options: object, env: dict) -> str:  # type: ignore[type-arg]
        href = tokens[idx].attrs.get("href", "")
        safe = _is_web_address(href) or (
            app_links and isinstance(href, str) and href.startswith(APP_LINK)
        )
        env.setdefault("quizapp_links", []).append(safe)
        return str(self.renderToken(tokens, idx, options, env)) if safe else ""

    def link_close(self: Any, tokens: list, idx: int, options: object, env: dict) -> str:  # type: ignore[type-arg]
        links = env.get("quizapp_links") or [False]
        return str(self.renderToken(tokens, idx, options, env)) if links.pop() else ""

    md.add_render_rule("image", image)
    md.add_render_rule("link_open", link_open)
    md.add_render_rule("link_close", link_close)
    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", fence)
    md.add_render_rule("code_inline", code_inline)
    return md


def _is_web_address(href: object) -> bool:
    return isinstance(href, str) and href.lower().startswith(("http://", "https://"))


_RENDERERS: dict[tuple[str, bool], MarkdownIt] = {}


def _renderer(theme: str, app_links: bool = False) -> MarkdownIt:
    key = (theme, app_links)
    if key not in _RENDERERS:
        _RENDERERS[key] = _markdown(theme, app_links)
    return _RENDERERS[key]


def render_markdown(text: str, theme: str = "light", *, app_links: bool = False) -> str:
    """`app_links`: keep the interview report's "cram this deck" links (`APP_LINK`)."""
    return str(_renderer(theme, app_links).render(text))


def render_inline_markdown(text: str, theme: str = "light") -> str:
    """For option labels: no surrounding paragraph."""
    return str(_renderer(theme).renderInline(text))


def page(body: str, theme: str = "light") -> str:
    pal = palette(theme)
    return f'<html><body style="color:{pal.text}; font-size:15px; line-height:140%;">{body}</body></html>'
