"""Whether an answer is right, and which SM-2 grades the learner may then choose.

Graded kinds (compiles, output, choice, short) are judged by the app. Correctness decides
the band: a right answer is a pass (q ≥ 3), a wrong one a fail (q < 3), and the learner
may only move the grade within that band. Flashcards are judged by the learner.

The buttons, on keys 1-4, and the q each one gives:

| key | flashcard   | right answer | wrong answer     |
|-----|-------------|--------------|------------------|
| 1   | Again, q=1  | (disabled)   | No idea, q=0     |
| 2   | Hard, q=3   | Hard, q=3    | Wrong, q=1 (default) |
| 3   | Good, q=4   | Good, q=4 (default) | Slip, q=2 |
| 4   | Easy, q=5   | Easy, q=5    | (disabled)       |

"Slip" is for a wrong answer the learner knew (a typo, a misread line): it is still a
fail, so SM-2 resets the interval, but the log keeps the distinction. q=1 for "Again"
follows SM-2's wording: "incorrect response; the correct one remembered" on seeing it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.core.model import Card, Kind

NO_CODE = "no code"
"""What the error picker gives for "an error without a code" (see `Card.messages`)."""


@dataclass(frozen=True)
class CompilesAnswer:
    compiles: bool
    error_code: str = ""
    """`E0000`, `NO_CODE`, or empty when the learner skipped naming the error."""
    line: int | None = None
    """The line the learner says rustc blames, on a card that has `line`."""


@dataclass(frozen=True)
class FixAttempt:
    """What rustc did with the learner's edit of a fix card, as plain values.

    Made by the fix service (which calls rustc off the GUI thread); grading only reads it.
    """

    compiled: bool
    diagnostic: str = ""
    ran: bool = False
    """Whether the program was run (only for a card with `stdout`, and with consent)."""
    stdout: str = ""
    run_ok: bool = True
    """False when the run panicked, timed out or exited with a non-zero status."""
    rustc: str = ""


@dataclass(frozen=True)
class FixAnswer:
    code: str
    attempt: FixAttempt | None = None
    """None when there is no rustc: the learner compares with the model fix and grades."""


@dataclass(frozen=True)
class OutputAnswer:
    stdout: str
    panics: bool = False


@dataclass(frozen=True)
class ChoiceAnswer:
    selected: frozenset[int]


@dataclass(frozen=True)
class ShortAnswer:
    text: str


@dataclass(frozen=True)
class SelfGraded:
    """A flashcard: the learner's own grade is the answer."""


Answer = CompilesAnswer | OutputAnswer | ChoiceAnswer | ShortAnswer | SelfGraded | FixAnswer


@dataclass(frozen=True)
class Verdict:
    correct: bool | None
    """None for a flashcard: the learner decides."""
    summary: str


@dataclass(frozen=True)
class GradeOption:
    key: int
    label: str
    quality: int | None
    """None when the button is disabled for this answer."""

    @property
    def enabled(self) -> bool:
        return self.quality is not None


FLASHCARD_GRADES = (
    GradeOption(1, "Again", 1),
    GradeOption(2, "Hard", 3),
    GradeOption(3, "Good", 4),
    GradeOption(4, "Easy", 5),
)
PASS_GRADES = (
    GradeOption(1, "Again", None),
    GradeOption(2, "Hard", 3),
    GradeOption(3, "Good", 4),
    GradeOption(4, "Easy", 5),
)
FAIL_GRADES = (
    GradeOption(1, "No idea", 0),
    GradeOption(2, "Wrong", 1),
    GradeOption(3, "Slip", 2),
    GradeOption(4, "Easy", None),
)


def grade_options(verdict: Verdict) -> tuple[GradeOption, ...]:
    if verdict.correct is None:
        return FLASHCARD_GRADES
    return PASS_GRADES if verdict.correct else FAIL_GRADES


def default_quality(verdict: Verdict) -> int:
    """The grade Enter gives: Good for a right answer or a flashcard, Wrong for a wrong one."""
    return 1 if verdict.correct is False else 4


def quality_allowed(verdict: Verdict, quality: int) -> bool:
    return any(o.quality == quality for o in grade_options(verdict))


def grade(card: Card, answer: Answer) -> Verdict:
    if card.kind is Kind.COMPILES and isinstance(answer, CompilesAnswer):
        return _grade_compiles(card, answer)
    if card.kind is Kind.OUTPUT and isinstance(answer, OutputAnswer):
        return _grade_output(card, answer)
    if card.kind is Kind.CHOICE and isinstance(answer, ChoiceAnswer):
        right = frozenset(card.answer_indexes)
        if answer.selected == right:
            return Verdict(True, "Right.")
        return Verdict(False, f"The right {_plural('option', right)}: {_letters(right)}.")
    if card.kind is Kind.SHORT and isinstance(answer, ShortAnswer):
        given = normalize_short(answer.text)
        if given and any(given == normalize_short(a) for a in card.accepted):
            return Verdict(True, "Right.")
        return Verdict(False, f"Accepted: {', '.join(card.accepted)}.")
    if card.kind is Kind.FLASHCARD and isinstance(answer, SelfGraded):
        return Verdict(None, "How well did you know it?")
    if card.kind is Kind.FIX and isinstance(answer, FixAnswer):
        return _grade_fix(card, answer)
    if card.kind is Kind.FIX and isinstance(answer, SelfGraded):
        # Previews (browser, editor) show a fix card's answer side as a self-graded card.
        return _grade_fix(card, FixAnswer(card.fixed))
    raise TypeError(f"a {card.kind} card cannot take a {type(answer).__name__}")


def normalize_error_code(text: str) -> str:
    """'e382', 'E0382', ' 0382 ' all mean E0382; `NO_CODE` stays itself."""
    if text.strip().casefold() == NO_CODE:
        return NO_CODE
    digits = re.sub(r"[^0-9]", "", text)
    return f"E{int(digits):04d}" if digits else ""


def count_unsafe(code: str) -> int:
    """How many `unsafe` keywords the code holds, outside comments and string literals."""
    return len(re.findall(r"\bunsafe\b", _CODE_NOISE.sub(" ", code)))


_CODE_NOISE = re.compile(
    r'//[^\n]*|/\*.*?\*/|r(#*)".*?"\1|b?"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])\'', re.DOTALL
)
"""Comments, raw and plain strings, char literals: where the word `unsafe` is not code."""


def normalize_short(text: str) -> str:
    text = text.strip().strip("`").strip()
    return re.sub(r"\s+", " ", text).casefold()


def normalize_output(text: str) -> str:
    """Line endings, trailing spaces and final newlines are not part of what a learner is asked."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def letter(index: int) -> str:
    return chr(ord("A") + index)


def right_errors(card: Card) -> tuple[str, ...]:
    """The names of the card's errors a learner may give: its codes, and `NO_CODE` when rustc
    also reports an error without one."""
    return card.errors + ((NO_CODE,) if card.messages else ())


def _errors_text(card: Card) -> str:
    shown = list(card.errors) + (["an error without a code"] if card.messages else [])
    return ", ".join(shown)


def _grade_compiles(card: Card, answer: CompilesAnswer) -> Verdict:
    truth = bool(card.compiles)
    codes = _errors_text(card)
    if answer.compiles != truth:
        return Verdict(False, "It compiles." if truth else f"It does not compile ({codes}).")
    if truth:
        return Verdict(True, "Right: it compiles.")
    given = normalize_error_code(answer.error_code)
    shown_given = "an error without a code" if given == NO_CODE else given
    right = right_errors(card)
    wrong_line = card.line is not None and answer.line != card.line
    blame = f" rustc blames line {card.line}" if card.line is not None else ""
    if wrong_line:
        said = f"you said line {answer.line}" if answer.line else "you gave no line"
        blame += f", {said}"
    if card.ask_error and given not in right:
        named = f"you named {shown_given}" if given else "you named no error code"
        return Verdict(False, f"It does not compile, but with {codes}; {named}.{blame}")
    if given and given not in right:
        return Verdict(False, f"It does not compile, but with {codes}, not {shown_given}.{blame}")
    if wrong_line:
        return Verdict(False, f"It does not compile ({codes}), but{blame}.")
    at = f" at line {card.line}" if card.line is not None else ""
    return Verdict(True, f"Right: it does not compile ({codes}){at}.")


def _grade_fix(card: Card, answer: FixAnswer) -> Verdict:
    attempt = answer.attempt
    if attempt is None:
        return Verdict(None, "Compare your fix with the model fix: how well did you do?")
    if not attempt.compiled:
        return Verdict(False, "Your version does not compile yet.")
    # The model fix sets the allowance: an FFI card's fix may need `unsafe extern` itself.
    if count_unsafe(answer.code) > max(count_unsafe(card.code), count_unsafe(card.fixed)):
        return Verdict(False, "It compiles, but only by adding `unsafe`.")
    if card.stdout is None:
        return Verdict(True, "Right: it compiles.")
    if not attempt.ran:
        return Verdict(None, "It compiles; it was not run, so check its output yourself.")
    if not attempt.run_ok:
        return Verdict(False, "It compiles, but the program does not finish cleanly.")
    if normalize_output(attempt.stdout) != normalize_output(card.stdout):
        return Verdict(False, "It compiles, but prints something else.")
    return Verdict(True, "Right: it compiles and prints what it should.")


def _grade_output(card: Card, answer: OutputAnswer) -> Verdict:
    expected = normalize_output(card.stdout or "")
    same_output = normalize_output(answer.stdout) == expected
    if card.panics:
        if answer.panics and same_output:
            return Verdict(True, "Right: it panics.")
        if not answer.panics:
            return Verdict(False, "It panics.")
        return Verdict(False, "It panics, but prints something else first.")
    if answer.panics:
        return Verdict(False, "It does not panic.")
    return Verdict(same_output, "Right." if same_output else "The output differs.")


def _plural(word: str, items: Iterable[object]) -> str:
    return word + ("s" if len(list(items)) > 1 else "")


def _letters(indexes: Iterable[int]) -> str:
    return ", ".join(letter(i) for i in sorted(indexes))


def answer_to_json(answer: Answer) -> str:
    """The same shape as the review log's `answer` column."""
    match answer:
        case CompilesAnswer(compiles=c, error_code=e, line=line):
            data: dict[str, object] = {"compiles": c, "error": e}
            if line is not None:
                data["line"] = line
        case OutputAnswer(stdout=s, panics=p):
            data = {"stdout": s, "panics": p}
        case ChoiceAnswer(selected=sel):
            data = {"selected": sorted(sel)}
        case ShortAnswer(text=t):
            data = {"text": t}
        case SelfGraded():
            data = {}
        case FixAnswer(code=code, attempt=attempt):
            data = {"code": code}
            if attempt is not None:
                data["attempt"] = {
                    "compiled": attempt.compiled,
                    "diagnostic": attempt.diagnostic,
                    "ran": attempt.ran,
                    "stdout": attempt.stdout,
                    "run_ok": attempt.run_ok,
                    "rustc": attempt.rustc,
                }
    return json.dumps(data, ensure_ascii=False)


def answer_from_json(card: Card, text: str) -> Answer | None:
    """Back from a stored answer; None when it is empty or does not fit the card's kind."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if card.kind is Kind.COMPILES and isinstance(data.get("compiles"), bool):
        line = data.get("line")
        line = line if isinstance(line, int) and not isinstance(line, bool) else None
        return CompilesAnswer(data["compiles"], str(data.get("error") or ""), line)
    if card.kind is Kind.FIX and isinstance(data.get("code"), str):
        tried = data.get("attempt")
        if not isinstance(tried, dict):
            return FixAnswer(data["code"])
        return FixAnswer(
            data["code"],
            FixAttempt(
                compiled=bool(tried.get("compiled")),
                diagnostic=str(tried.get("diagnostic") or ""),
                ran=bool(tried.get("ran")),
                stdout=str(tried.get("stdout") or ""),
                run_ok=bool(tried.get("run_ok", True)),
                rustc=str(tried.get("rustc") or ""),
            ),
        )
    if card.kind is Kind.OUTPUT and isinstance(data.get("stdout"), str):
        return OutputAnswer(data["stdout"], bool(data.get("panics")))
    if card.kind is Kind.CHOICE and isinstance(data.get("selected"), list):
        picked = [i for i in data["selected"] if isinstance(i, int) and not isinstance(i, bool)]
        return ChoiceAnswer(frozenset(picked))
    if card.kind is Kind.SHORT and isinstance(data.get("text"), str):
        return ShortAnswer(data["text"])
    if card.kind is Kind.FLASHCARD:
        return SelfGraded()
    return None
