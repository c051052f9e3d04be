"""A card's question and its answer as HTML, for the study view (and later exports).

Kept out of the widgets so what a learner sees after answering can be tested without Qt.
"""

from __future__ import annotations

import html

from quizapp.core.grading import Answer, ChoiceAnswer, OutputAnswer, ShortAnswer, Verdict, letter
from quizapp.core.model import Card, Kind
from quizapp.core.render import (
    MONO,
    page,
    palette,
    render_code,
    render_inline_markdown,
    render_markdown,
)

KIND_LABELS = {
    Kind.COMPILES: "Does it compile?",
    Kind.OUTPUT: "What does it print?",
    Kind.CHOICE: "Choose",
    Kind.SHORT: "Short answer",
    Kind.FLASHCARD: "Flashcard",
}


def question_html(card: Card, theme: str) -> str:
    parts = [render_markdown(card.prompt, theme)]
    if card.code:
        parts.append(render_code(card.code, theme))
    if card.edition != "2021" and card.code:
        parts.append(f'<p style="color:{palette(theme).muted};">Edition {card.edition}</p>')
    return "".join(parts)


def answer_html(card: Card, answer: Answer, verdict: Verdict, theme: str) -> str:
    pal = palette(theme)
    parts: list[str] = []
    if verdict.correct is not None:
        colour, mark = (pal.good, "✓") if verdict.correct else (pal.bad, "✗")
        parts.append(
            f'<p style="color:{colour}; font-size:17px; font-weight:600;">{mark} '
            f"{html.escape(verdict.summary)}</p>"
        )
    if card.kind is Kind.COMPILES:
        parts.append(_compiler_says(card, theme))
    elif card.kind is Kind.OUTPUT:
        parts.append(_output_feedback(card, answer, verdict, theme))
    elif card.kind is Kind.CHOICE:
        parts.append(_choice_feedback(card, answer, theme))
    elif card.kind is Kind.SHORT:
        given = answer.text if isinstance(answer, ShortAnswer) else ""
        accepted = ", ".join(
            f"<code style='font-family:{MONO};'>{html.escape(a)}</code>" for a in card.accepted
        )
        parts.append(
            f"<p>Accepted: {accepted}<br/>You wrote: <code>{html.escape(given)}</code></p>"
        )
    elif card.kind is Kind.FLASHCARD:
        parts.append(f"<hr/>{render_markdown(card.back, theme)}")
    if card.explanation:
        parts.append(f'<p style="color:{pal.muted}; margin-bottom:0;"><b>Why</b></p>')
        parts.append(render_markdown(card.explanation, theme))
    return "".join(parts)


def full_page(card: Card, theme: str, answer_part: str = "") -> str:
    # Qt paints <hr> and thin table rows as thick bars; space and the coloured verdict
    # line below it separate question from answer well enough.
    separator = '<p style="margin:0; font-size:6px;">&nbsp;</p>' if answer_part else ""
    return page(question_html(card, theme) + separator + answer_part, theme)


def diagnostic_html(text: str, theme: str) -> str:
    """rustc's rendered diagnostic, coloured the way a terminal shows it."""
    pal = palette(theme)
    lines = []
    for line in text.rstrip("\n").split("\n"):
        escaped = html.escape(line)
        if line.startswith("error"):
            escaped = f'<span style="color:{pal.bad}; font-weight:bold;">{escaped}</span>'
        elif line.startswith("warning"):
            escaped = f'<span style="color:#bf8700; font-weight:bold;">{escaped}</span>'
        elif line.lstrip().startswith(("= help", "= note", "help:", "note:")):
            escaped = f'<span style="color:{pal.accent};">{escaped}</span>'
        elif line.lstrip().startswith(("-->", "|")) or line[:1].isdigit():
            escaped = (
                f'<span style="color:{pal.muted};">{escaped}</span>'
                if "|" not in line[:6]
                else escaped
            )
        lines.append(escaped)
    return (
        f'<table width="100%" cellspacing="0" cellpadding="10" style="background-color:{pal.code_bg};'
        f' border:1px solid {pal.border};"><tr><td><pre style="font-family:{MONO}; font-size:12px; margin:0;">'
        + "\n".join(lines)
        + "</pre></td></tr></table>"
    )


def _checked_note(card: Card, theme: str) -> str:
    if card.checked is None:
        return ""
    return f'<p style="color:{palette(theme).muted}; font-size:12px;">checked with {html.escape(card.checked.rustc)}</p>'


def _compiler_says(card: Card, theme: str) -> str:
    if card.checked is None or not card.checked.diagnostic:
        return ""
    return (
        "<p><b>rustc says</b></p>"
        + diagnostic_html(card.checked.diagnostic, theme)
        + _checked_note(card, theme)
    )


def _output_feedback(card: Card, answer: Answer, verdict: Verdict, theme: str) -> str:
    expected = card.checked.output if card.checked and card.checked.output else (card.stdout or "")
    shown = render_code(expected or "(nothing)", theme, language="text", line_numbers=False)
    parts = ["<p><b>It prints</b></p>", shown]
    if card.panics:
        parts.append("<p>…and then panics.</p>")
    if verdict.correct is False and isinstance(answer, OutputAnswer):
        mine = answer.stdout or "(nothing)"
        parts += [
            "<p><b>You wrote</b></p>",
            render_code(mine, theme, language="text", line_numbers=False),
        ]
    parts.append(_checked_note(card, theme))
    return "".join(parts)


def _choice_feedback(card: Card, answer: Answer, theme: str) -> str:
    pal = palette(theme)
    picked = answer.selected if isinstance(answer, ChoiceAnswer) else frozenset()
    rows = []
    for i, option in enumerate(card.options):
        right = i in card.answer_indexes
        mark, colour = ("✓", pal.good) if right else ("✗", pal.bad)
        you = " <i>(your choice)</i>" if i in picked else ""
        why = (
            render_inline_markdown(card.explanations[i], theme)
            if i < len(card.explanations)
            else ""
        )
        rows.append(
            f'<tr><td valign="top" style="color:{colour}; font-weight:bold; padding-right:8px;">{mark}</td>'
            f'<td style="padding-bottom:8px;"><b>{letter(i)}.</b> {render_inline_markdown(option, theme)}{you}'
            f'<br/><span style="color:{pal.muted};">{why}</span></td></tr>'
        )
    return f'<table cellspacing="0" cellpadding="2">{"".join(rows)}</table>'
