"""A quizapp card flattened to the two HTML faces of an Anki note (Front, Back).

Anki shows fields as HTML in a web view, so the study view's own rendering is reused
(`core.cardhtml`, `core.render`: Markdown with raw HTML escaped, pygments with inline
styles) in the light palette. Anki cannot grade our kinds, so each becomes a card the
learner grades themselves:

- compiles: the code on the front ("Does it compile?", and "which error?" when asked);
  the back says whether it compiles, with the error codes and rustc's stored diagnostic;
- output: the code on the front; the back shows what it prints and whether it panics;
- choice: the options, lettered, on the front; the back names the right letters and
  gives each option's explanation;
- short: the back gives the accepted answers;
- flashcard: its back.

Every back ends with the card's explanation.
"""

from __future__ import annotations

import html

from quizapp.core.cardhtml import KIND_LABELS, answer_html, question_html
from quizapp.core.grading import ChoiceAnswer, FixAnswer, SelfGraded, Verdict, letter
from quizapp.core.model import Card, Kind
from quizapp.core.palette import palette
from quizapp.core.render import MONO, render_inline_markdown, render_markdown

THEME = "light"
_NO_VERDICT = Verdict(None, "")


def front_html(card: Card) -> str:
    pal = palette(THEME)
    parts = [
        f'<p style="color:{pal.muted}; font-size:12px; margin:0 0 6px 0;">'
        f"{html.escape(KIND_LABELS[card.kind])}</p>",
        question_html(card, THEME),
    ]
    if card.kind is Kind.COMPILES and card.ask_error:
        parts.append("<p>If it does not compile: which error code does rustc give?</p>")
    if card.kind is Kind.COMPILES and card.line is not None:
        parts.append("<p>If it does not compile: which line does rustc blame?</p>")
    elif card.kind is Kind.CHOICE:
        parts.append(_options(card))
    return "".join(parts)


def back_html(card: Card) -> str:
    if card.kind is Kind.COMPILES:
        codes = ", ".join(card.errors)
        verdict = "It compiles." if card.compiles else f"It does not compile: {codes}."
        return _headline(verdict) + answer_html(card, SelfGraded(), _NO_VERDICT, THEME)
    if card.kind is Kind.OUTPUT:
        return answer_html(card, SelfGraded(), _NO_VERDICT, THEME)
    if card.kind is Kind.FIX:
        return answer_html(card, FixAnswer(card.fixed), _NO_VERDICT, THEME)
    if card.kind is Kind.CHOICE:
        right = ", ".join(letter(i) for i in sorted(card.answer_indexes))
        return _headline(f"Answer: {right}") + answer_html(
            card, ChoiceAnswer(frozenset()), _NO_VERDICT, THEME
        )
    if card.kind is Kind.SHORT:
        accepted = ", ".join(
            f'<code style="font-family:{MONO};">{html.escape(a)}</code>' for a in card.accepted
        )
        return f"<p><b>Answer:</b> {accepted}</p>" + _why(card)
    return render_markdown(card.back, THEME) + _why(card)


def _headline(text: str) -> str:
    return f'<p style="font-size:17px; font-weight:600;">{html.escape(text)}</p>'


def _options(card: Card) -> str:
    rows = "".join(
        f'<li style="margin-bottom:4px;"><b>{letter(i)}.</b> '
        f"{render_inline_markdown(option, THEME)}</li>"
        for i, option in enumerate(card.options)
    )
    hint = "<p><i>Choose all that apply.</i></p>" if card.is_multi_select else ""
    return f'<ul style="list-style:none; padding-left:0;">{rows}</ul>{hint}'


def _why(card: Card) -> str:
    if not card.explanation:
        return ""
    pal = palette(THEME)
    return f'<p style="color:{pal.muted}; margin-bottom:0;"><b>Why</b></p>' + render_markdown(
        card.explanation, THEME
    )
