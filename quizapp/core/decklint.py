"""`quizapp verify --lint`: what makes a deck worse without making it wrong.

`verify` proves each answer against rustc; these checks look across cards and decks for
what a reviewer would flag: the same question twice, choice cards a learner can beat by
picking the longest option, cards that never say why, rustc's words quoted by hand that
differ from what rustc printed (the stored diagnostic is the source; quote it or refer to
it), and stored diagnostics from a different rustc than the one on this machine.

Pure: the caller loads the decks and passes the local rustc's version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.core.checked import checked_is_current
from quizapp.core.model import Card, Deck, Kind

LONGEST_SHARE = 0.8
"""Flag a deck when at least this share of its single-answer choice cards..."""
LONGEST_MIN_CARDS = 5
"""...of which it has at least this many, have the longest option as the right one."""
MIN_CODE_CHARS = 40
"""Shorter snippets (`fn main() {}`) may honestly repeat."""


@dataclass(frozen=True)
class LintFinding:
    where: str
    """The deck file (or name) the finding is about."""
    card_id: str | None
    message: str


def lint_decks(decks: Sequence[tuple[str, Deck]], local_rustc: str | None) -> list[LintFinding]:
    """Every finding over `decks` (pairs of where-label and deck), in a stable order."""
    findings = list(_duplicates(decks))
    for where, deck in decks:
        findings += _longest_option(where, deck)
        for card in deck.cards:
            if not _has_explanation(card):
                findings.append(LintFinding(where, card.id, "no explanation"))
            findings += (LintFinding(where, card.id, m) for m in hand_quoted_rustc(card))
        if local_rustc is not None:
            findings += _other_rustc(where, deck, local_rustc)
    return findings


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _duplicates(decks: Sequence[tuple[str, Deck]]) -> Iterable[LintFinding]:
    """Cards asking the same: equal code and edition, or (for cards without code) an equal
    prompt. Repeats within one deck count too."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for where, deck in decks:
        for card in deck.cards:
            keys = []
            if len(card.code.strip()) >= MIN_CODE_CHARS:
                # The same snippet under another edition is a different question.
                keys.append(("code", f"{card.edition}:{_norm(card.code)}"))
            elif not card.code.strip():
                keys.append(("prompt", _norm(card.prompt)))
            for key in keys:
                if key in seen:
                    other_where, other_id = seen[key]
                    yield LintFinding(
                        where,
                        card.id,
                        f"same {key[0]} as card {other_id} in {other_where}",
                    )
                else:
                    seen[key] = (where, card.id)


def right_is_longest(card: Card) -> bool:
    """A single-answer choice card whose right option is strictly the longest."""
    if card.kind is not Kind.CHOICE or card.is_multi_select or len(card.answer_indexes) != 1:
        return False
    right = card.answer_indexes[0]
    if right >= len(card.options):
        return False
    length = len(card.options[right])
    return all(len(o) < length for i, o in enumerate(card.options) if i != right)


def _longest_option(where: str, deck: Deck) -> list[LintFinding]:
    single = [
        c
        for c in deck.cards
        if c.kind is Kind.CHOICE and not c.is_multi_select and len(c.answer_indexes) == 1
    ]
    longest = [c for c in single if right_is_longest(c)]
    if len(single) < LONGEST_MIN_CARDS or len(longest) < LONGEST_SHARE * len(single):
        return []
    share = f"{len(longest)} of {len(single)} single-answer choice cards"
    head = LintFinding(where, None, f"{share} have the longest option right")
    return [head] + [LintFinding(where, c.id, "its right option is the longest") for c in longest]


def _has_explanation(card: Card) -> bool:
    if card.explanation.strip() or card.kind is Kind.FLASHCARD:
        return True
    explanations = card.explanations
    return (
        card.kind is Kind.CHOICE
        and len(explanations) == len(card.options)
        and all(e.strip() for e in explanations)
    )


_QUOTE = r"[\"“]([^\"”\n]{6,})[\"”]"
_QUOTED = (
    # E0599 "no method named ..."  /  E0277: "..."
    re.compile(r"\bE\d{4}\b[:,]?\s*\(?" + _QUOTE),
    # `error[E0382]: borrow of moved value` / `warning: unused variable`
    re.compile(r"`(?:error|warning)(?:\[E\d{4}\])?: ([^`\n]+)`"),
    # an "unused unsafe" warning / the "... " error
    re.compile(_QUOTE + r"\s+(?:warning|error|lint)\b"),
    # rustc says "..."
    re.compile(r"\brustc\s+(?:says|prints|reports|answers|gives)[:,]?\s+" + _QUOTE),
)


def hand_quoted_rustc(card: Card) -> list[str]:
    """rustc's words quoted in the card's explanations that its stored diagnostic lacks.

    Only cards with a current stored diagnostic can be checked; what rustc prints beyond its
    errors (warnings) is not stored, so quoting it is flagged too: the learner cannot see it.
    """
    if not checked_is_current(card) or card.checked is None or not card.checked.diagnostic:
        return []
    diagnostic = _norm(card.checked.diagnostic)
    texts = [card.explanation, *card.explanations]
    out = []
    for text in texts:
        for pattern in _QUOTED:
            for match in pattern.finditer(text):
                quoted = match.group(1).strip().rstrip(".,;:")
                if quoted and _norm(quoted) not in diagnostic:
                    out.append(
                        f"quotes rustc by hand as {quoted!r}, which its stored diagnostic does "
                        "not say; refer to the diagnostic instead"
                    )
    return out


def _other_rustc(where: str, deck: Deck, local: str) -> list[LintFinding]:
    others: dict[str, int] = {}
    for card in deck.cards:
        if card.checked is not None and card.checked.rustc != local:
            others[card.checked.rustc] = others.get(card.checked.rustc, 0) + 1
    return [
        LintFinding(
            where,
            None,
            f"{n} stored diagnostics were made by {version}, not the local {local}; "
            "run `quizapp verify --write`",
        )
        for version, n in sorted(others.items())
    ]
