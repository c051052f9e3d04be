"""A card's question and its answer as HTML, for the study view (and later exports).

Kept out of the widgets so what a learner sees after answering can be tested without Qt.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from quizapp.core.checked import checked_is_current
from quizapp.core.grading import (
    Answer,
    ChoiceAnswer,
    FixAnswer,
    OutputAnswer,
    ShortAnswer,
    Verdict,
    letter,
    normalize_output,
)
from quizapp.core.model import Card, Kind
from quizapp.core.palette import palette
from quizapp.core.render import MONO, page, render_code, render_inline_markdown, render_markdown

KIND_LABELS = {
    Kind.COMPILES: "Does it compile?",
    Kind.OUTPUT: "What does it print?",
    Kind.CHOICE: "Choose",
    Kind.SHORT: "Short answer",
    Kind.FLASHCARD: "Flashcard",
    Kind.FIX: "Make it compile",
}


def question_html(card: Card, theme: str) -> str:
    parts = [render_markdown(card.prompt, theme)]
    if card.code:
        # A card asking which line rustc blames takes a click on a line number as the answer.
        clickable = card.kind is Kind.COMPILES and card.line is not None
        parts.append(render_code(card.code, theme, line_links=clickable))
    if card.edition != "2021" and card.code:
        parts.append(f'<p style="color:{palette(theme).muted};">Edition {card.edition}</p>')
    if card.kind is Kind.FIX and card.stdout is not None:
        parts.append("<p><b>Once fixed, it prints</b></p>")
        parts.append(
            render_code(card.stdout or "(nothing)", theme, language="text", line_numbers=False)
        )
    return "".join(parts)


@dataclass(frozen=True)
class AnswerParts:
    """The answer view in the order a learner reads it: the verdict, what the card's kind
    has to say and the explanation first (`main`), rustc's diagnostic after (`diagnostic`,
    empty when there is none), which the study page folds into a block of its own."""

    main: str
    diagnostic: str


def answer_parts(card: Card, answer: Answer, verdict: Verdict, theme: str) -> AnswerParts:
    pal = palette(theme)
    parts: list[str] = []
    diagnostic = ""
    if verdict.correct is not None:
        colour, mark = (pal.good, "✓") if verdict.correct else (pal.bad, "✗")
        parts.append(
            f'<p style="color:{colour}; font-size:17px; font-weight:600;">{mark} '
            f"{html.escape(verdict.summary)}</p>"
        )
    if card.kind is Kind.COMPILES:
        if card.line is not None and card.compiles is False:
            parts.append(f"<p>rustc blames line {card.line}.</p>")
        diagnostic = _compiler_says(card, theme)
        if diagnostic.startswith("<p"):  # "compiles without errors": one line, keep it inline
            parts.append(diagnostic)
            diagnostic = ""
    elif card.kind is Kind.FIX:
        parts.append(_fix_feedback(card, answer, theme))
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
        parts.append(render_markdown(card.back, theme))
    if card.explanation:
        parts.append(f'<p style="color:{pal.muted}; margin-bottom:0;"><b>Why</b></p>')
        parts.append(render_markdown(card.explanation, theme))
    return AnswerParts("".join(parts), diagnostic)


def answer_html(card: Card, answer: Answer, verdict: Verdict, theme: str) -> str:
    """The whole answer view as one page: the verdict and explanation, then rustc's say."""
    shown = answer_parts(card, answer, verdict, theme)
    return shown.main + shown.diagnostic


def full_page(card: Card, theme: str, answer_part: str = "") -> str:
    # Qt paints <hr> and thin table rows as thick bars; space and the coloured verdict
    # line below it separate question from answer well enough.
    separator = '<p style="margin:0; font-size:6px;">&nbsp;</p>' if answer_part else ""
    return page(question_html(card, theme) + separator + answer_part, theme)


def diagnostic_html(text: str, theme: str) -> str:
    """rustc's rendered diagnostic, coloured the way rustc colours it in a terminal.

    The stored text is plain (rustc ran with `--color=never`), so the colours are put back
    from its layout: the level of each message, the gutter of line numbers, `^^^` under the
    primary span in the error colour, `---` under secondary spans in the accent colour,
    and `+`/`-`/`~` for the lines a suggestion adds, removes or changes.
    """
    pal = palette(theme)
    colours = _DiagnosticColours(
        text=pal.text,
        gutter=pal.accent,
        error=pal.bad,
        warning=_WARNING[pal.name],
        help=_HELP[pal.name],
        added=pal.good,
    )
    gutter = -1  # column of the `|` separator; known once a ` --> file:line:col` line is seen
    lines = []
    for line in text.rstrip("\n").split("\n"):
        arrow = _ARROW.match(line)
        if arrow:
            gutter = len(arrow.group(1)) + 1
        lines.append(_diagnostic_line(line, gutter, colours))
    return (
        f'<table width="100%" cellspacing="0" cellpadding="10" style="background-color:{pal.code_bg};'
        f' border:1px solid {pal.border}; margin:4px 0;"><tr><td>'
        f'<pre style="font-family:{MONO}; font-size:12px; color:{pal.text}; margin:0;">'
        + "\n".join(lines)
        + "</pre></td></tr></table>"
    )


_WARNING = {"light": "#9a6700", "dark": "#d29922"}
_HELP = {"light": "#1b7c83", "dark": "#39c5cf"}
_HEADER = re.compile(r"^(error|warning|note|help|failure-note)(\[E\d{4}\])?(:)(.*)$")
_ARROW = re.compile(r"^(\s*)(-->|:::)(.*)$")
_MARKERS = re.compile(r"^[\s^\-+~|_/\\]*")


@dataclass(frozen=True)
class _DiagnosticColours:
    text: str
    gutter: str
    error: str
    warning: str
    help: str
    added: str

    def level(self, name: str) -> str:
        return {"error": self.error, "warning": self.warning, "help": self.help}.get(
            name, self.text
        )

    def marker(self, char: str) -> str:
        return {"^": self.error, "+": self.added, "~": self.warning}.get(char, self.gutter)


def _span(text: str, colour: str, bold: bool = False) -> str:
    if not text:
        return ""
    weight = " font-weight:bold;" if bold else ""
    return f'<span style="color:{colour};{weight}">{html.escape(text)}</span>'


def _diagnostic_line(line: str, gutter: int, c: _DiagnosticColours) -> str:
    header = _HEADER.match(line)
    if header:
        level, code, colon, message = header.groups()
        return _span(level + (code or "") + colon, c.level(level), bold=True) + _span(
            message, c.text, bold=True
        )
    arrow = _ARROW.match(line)
    if arrow:
        return (
            html.escape(arrow.group(1))
            + _span(arrow.group(2), c.gutter, True)
            + html.escape(arrow.group(3))
        )
    number = line[:gutter]
    if gutter < 0 or len(line) <= gutter or not (number.strip().isdigit() or not number.strip()):
        return html.escape(line)
    sep, rest = line[gutter], line[gutter + 1 :]
    if sep == "=":  # `= note: ...` / `= help: ...` under a snippet
        level, _, message = rest.strip().partition(":")
        return (
            _span(number, c.gutter, True)
            + _span("=", c.gutter, True)
            + html.escape(rest[: len(rest) - len(rest.lstrip())])
            + _span(level + ":", c.level(level), True)
            + html.escape(message)
        )
    if sep not in "|+-~":
        return html.escape(line)
    head = _span(number + sep, c.gutter if sep == "|" else c.marker(sep), True)
    if number.strip():  # a source line, or one a suggestion adds (+), removes (-), changes (~)
        colour = {"+": c.added, "-": c.error}.get(sep, c.text)
        return head + _span(rest, colour)
    return head + _annotation(rest, c)


def _annotation(rest: str, c: _DiagnosticColours) -> str:
    """The line under a source line: markers (`^^^`, `---`, `|`), then the label they carry."""
    markers = _MARKERS.match(rest)
    prefix = markers.group(0) if markers else ""
    label = rest[len(prefix) :]
    drawn = [ch for ch in prefix if ch in "^-+~"]
    primary = "^" in prefix
    out = []
    for ch in prefix:
        if ch.isspace():
            out.append(ch)
        elif ch in "^-+~":
            out.append(_span(ch, c.marker(ch), True))
        else:  # `|`, `_`, `/`: connectors, drawn in the colour of the span they belong to
            out.append(_span(ch, c.error if primary else c.gutter, True))
    colour = c.marker(drawn[-1]) if drawn else c.gutter
    return "".join(out) + _span(label, colour)


def _short_version(version: str) -> str:
    """`rustc 1.95.0 (59807616e 2026-04-14)` -> `rustc 1.95.0`: the part a learner cares about."""
    return " ".join(version.split()[:2])


def _heading_with_check(title: str, card: Card, theme: str) -> str:
    """A bold heading, with "checked with rustc 1.xx" on the same line at the right."""
    assert card.checked is not None
    pal = palette(theme)
    version = html.escape(_short_version(card.checked.rustc))
    return (
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:6px;"><tr>'
        f"<td><b>{html.escape(title)}</b></td>"
        f'<td align="right" style="color:{pal.muted}; font-size:12px;">checked with {version}</td>'
        "</tr></table>"
    )


def _compiler_says(card: Card, theme: str) -> str:
    """What the stored check says, when it still describes this card (see `core.checked`)."""
    if not checked_is_current(card):
        return ""
    assert card.checked is not None
    if not card.checked.diagnostic:
        return (
            f'<p style="color:{palette(theme).muted};">rustc compiles it without errors'
            f" · checked with {html.escape(_short_version(card.checked.rustc))}</p>"
        )
    return _heading_with_check("rustc says", card, theme) + diagnostic_html(
        card.checked.diagnostic, theme
    )


def _output_feedback(card: Card, answer: Answer, verdict: Verdict, theme: str) -> str:
    current = checked_is_current(card)
    expected = card.checked.output if current and card.checked else (card.stdout or "")
    shown = render_code(expected or "(nothing)", theme, language="text", line_numbers=False)
    heading = (
        _heading_with_check("It prints", card, theme) if current else "<p><b>It prints</b></p>"
    )
    parts = [heading, shown]
    if card.panics:
        parts.append("<p>…and then panics.</p>")
    if verdict.correct is False and isinstance(answer, OutputAnswer):
        parts.append(output_diff_html(answer.stdout, expected, theme))
    return "".join(parts)


def output_diff(typed: str, printed: str) -> list[tuple[str, str]]:
    """(mark, line) for a line diff of what the learner typed against what the program
    prints: " " both, "-" only typed, "+" only printed. Trailing spaces and final newlines
    are not compared, as grading ignores them."""
    mine = normalize_output(typed).split("\n") if typed.strip() else []
    theirs = normalize_output(printed).split("\n") if printed.strip() else []
    rows: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [(" ", line) for line in mine[a1:a2]]
            continue
        rows += [("-", line) for line in mine[a1:a2]]
        rows += [("+", line) for line in theirs[b1:b2]]
    return rows


def output_diff_html(typed: str, printed: str, theme: str) -> str:
    pal = palette(theme)
    rows = output_diff(typed, printed)
    if not rows:
        return "<p><b>You wrote</b> nothing.</p>"
    colours = {" ": pal.text, "-": pal.bad, "+": pal.good}
    lines = "\n".join(
        f'<span style="color:{colours[mark]};">{html.escape(mark + " " + line)}</span>'
        for mark, line in rows
    )
    return (
        f'<p style="margin-bottom:2px;"><b>Your answer against the output</b> '
        f'<span style="color:{pal.muted};">(<span style="color:{pal.bad};">−</span> you typed, '
        f'<span style="color:{pal.good};">+</span> it prints)</span></p>'
        f'<table width="100%" cellspacing="0" cellpadding="8" style="background-color:'
        f'{pal.code_bg}; border:1px solid {pal.border};"><tr><td>'
        f'<pre style="font-family:{MONO}; font-size:13px; margin:0;">{lines}</pre>'
        "</td></tr></table>"
    )


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


def _fix_feedback(card: Card, answer: Answer, theme: str) -> str:
    """rustc on the learner's version when it failed, the model fix, then the given code's
    stored diagnostic (what the learner was fixing)."""
    parts = []
    attempt = answer.attempt if isinstance(answer, FixAnswer) else None
    if attempt is not None and not attempt.compiled and attempt.diagnostic:
        parts += ["<p><b>rustc on your version</b></p>", diagnostic_html(attempt.diagnostic, theme)]
    if attempt is not None and attempt.ran and card.stdout is not None:
        mine = attempt.stdout or "(nothing)"
        parts += [
            "<p><b>Your version printed</b></p>",
            render_code(mine, theme, language="text", line_numbers=False),
        ]
    parts += ["<p><b>A fix</b></p>", render_code(card.fixed, theme)]
    if checked_is_current(card) and card.checked is not None and card.checked.diagnostic:
        parts.append(_heading_with_check("rustc on the given code", card, theme))
        parts.append(diagnostic_html(card.checked.diagnostic, theme))
    if card.line is not None:
        parts.append(f"<p>rustc blames line {card.line} of the given code.</p>")
    return "".join(parts)
