"""Mock interviews: which questions to ask, how the answers score, and the report.

Pure functions over plain values; randomness comes in as a ``random.Random`` so a drawn
interview can be replayed in a test.

**How questions are drawn.** Only cards the app can grade take part (flashcards are graded
by the learner, which measures nothing under time pressure). Each candidate card gets a
weight:

    weight = weakness(section) × (1 + min(failures, 4))

where ``weakness`` is the section's smoothed failure rate, (failed + 1) / (answered + 2)
over scheduled answers (``core.stats.section_weakness``; 0.5 for a section never studied),
and ``failures`` counts the card's failed scheduled answers (capped at 4 so one leech
cannot crowd out the rest). A section failed 3 times in 8 answers weighs 0.4; a card in it
failed twice weighs 1.2. Within each kind, cards are drawn by weighted sampling without
replacement (Efraimidis–Spirakis keys, ``u ** (1 / weight)``); the kinds then take turns,
in a random order, so an interview mixes kinds as evenly as the pool allows; the final
order is shuffled.

**How an interview scores.** A question is right or missed; a question whose time ran out,
or that was never reached because the session's time ran out, is missed.
"""

from __future__ import annotations

import html
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from markdown_it import MarkdownIt

from quizapp.core.grading import (
    Answer,
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
    answer_from_json,
    letter,
)
from quizapp.core.model import Card, Kind

MAX_COUNTED_FAILURES = 4
INTERVIEW_KINDS = (Kind.COMPILES, Kind.OUTPUT, Kind.CHOICE, Kind.SHORT)
"""Kinds the app grades; flashcards are self-graded and left out of interviews."""
WEAKEST_SHOWN = 3


@dataclass(frozen=True)
class InterviewConfig:
    sections: tuple[str, ...] = ()
    """Empty means every section."""
    count: int = 10
    seconds_per_question: int | None = 60
    seconds_per_session: int | None = None
    set_name: str = ""
    """The question set this interview reruns, if any."""

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("an interview has at least one question")
        for limit in (self.seconds_per_question, self.seconds_per_session):
            if limit is not None and limit < 1:
                raise ValueError("a time limit is at least one second")

    def to_dict(self) -> dict[str, object]:
        return {
            "sections": list(self.sections),
            "count": self.count,
            "seconds_per_question": self.seconds_per_question,
            "seconds_per_session": self.seconds_per_session,
            "set_name": self.set_name,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> InterviewConfig:
        def limit(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and value > 0 else None

        sections = data.get("sections")
        count = data.get("count")
        return cls(
            sections=tuple(str(s) for s in sections) if isinstance(sections, list) else (),
            count=count if isinstance(count, int) and count > 0 else 1,
            seconds_per_question=limit("seconds_per_question"),
            seconds_per_session=limit("seconds_per_session"),
            set_name=str(data.get("set_name") or ""),
        )

    def describe_limits(self) -> str:
        parts = []
        if self.seconds_per_question:
            parts.append(f"{self.seconds_per_question} s per question")
        if self.seconds_per_session:
            parts.append(f"{format_duration(self.seconds_per_session)} in all")
        return ", ".join(parts) or "no time limit"


@dataclass(frozen=True)
class Candidate:
    uuid: str
    section: str
    kind: Kind
    failures: int = 0


def card_weight(candidate: Candidate, weakness: Mapping[str, float]) -> float:
    return weakness.get(candidate.section, 0.5) * (
        1 + min(candidate.failures, MAX_COUNTED_FAILURES)
    )


def draw_questions(
    candidates: Sequence[Candidate],
    count: int,
    rng: random.Random,
    weakness: Mapping[str, float],
) -> list[str]:
    """Up to `count` card uuids, mixed across kinds, weighted toward weak spots (see above)."""
    by_kind: dict[Kind, list[tuple[float, str]]] = defaultdict(list)
    for c in candidates:
        if c.kind not in INTERVIEW_KINDS:
            continue
        weight = max(card_weight(c, weakness), 1e-9)
        by_kind[c.kind].append((rng.random() ** (1.0 / weight), c.uuid))
    queues = [
        [uuid for _key, uuid in sorted(by_kind[kind], reverse=True)]
        for kind in INTERVIEW_KINDS
        if by_kind[kind]
    ]
    rng.shuffle(queues)
    chosen: list[str] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    rng.shuffle(chosen)
    return chosen


# --- answers ------------------------------------------------------------------------------


def _options(card: Card, indexes: Iterable[int]) -> str:
    return "; ".join(
        f"{letter(i)}. {card.options[i]}" for i in sorted(indexes) if 0 <= i < len(card.options)
    )


def right_answer(card: Card) -> str:
    """The right answer as Markdown, one line where possible."""
    if card.kind is Kind.COMPILES:
        if card.compiles:
            return "It compiles."
        codes = ", ".join(card.errors)
        return f"It does not compile ({codes})." if codes else "It does not compile."
    if card.kind is Kind.OUTPUT:
        out = card.checked.output if card.checked and card.checked.output else (card.stdout or "")
        shown = f"It prints {_code_span(out.rstrip(chr(10)))}" if out else "It prints nothing"
        return shown + (", then panics." if card.panics else ".")
    if card.kind is Kind.CHOICE:
        return _options(card, card.answer_indexes)
    if card.kind is Kind.SHORT:
        return " or ".join(_code_span(a) for a in card.accepted)
    return card.back


def given_answer(card: Card, answer: Answer | None) -> str:
    """What the learner said, as Markdown."""
    match answer:
        case None:
            return "(no answer)"
        case CompilesAnswer(compiles=True):
            return "It compiles."
        case CompilesAnswer(compiles=False, error_code=code):
            return "It does not compile" + (f" ({code.strip()})." if code.strip() else ".")
        case OutputAnswer(stdout=out, panics=panics):
            shown = _code_span(out.rstrip("\n")) if out.strip() else "nothing"
            return f"It prints {shown}" + (", then panics." if panics else ".")
        case ChoiceAnswer(selected=picked):
            return _options(card, picked) or "(nothing picked)"
        case ShortAnswer(text=text):
            return _code_span(text)
        case SelfGraded():
            return "(self-graded)"
    return "(no answer)"


def _code_span(text: str) -> str:
    """`text` as one Markdown code span, whatever backticks or newlines it holds."""
    flat = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    ticks = "`"
    while ticks in flat:
        ticks += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


# --- scoring and the report ---------------------------------------------------------------


@dataclass(frozen=True)
class AskedQuestion:
    """One question of an interview as it was answered (or not)."""

    position: int
    card: Card
    section: str
    deck_name: str
    correct: bool
    timed_out: bool = False
    seconds: float = 0.0
    answer: str = ""
    """The stored answer JSON; empty when time ran out."""


@dataclass(frozen=True)
class Score:
    right: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.right / self.total

    def text(self) -> str:
        percent = self.percent
        shown = "—" if percent is None else f"{percent:.0f} %"
        return f"{self.right} / {self.total} ({shown})"


@dataclass(frozen=True)
class InterviewReport:
    title: str
    started_at: datetime
    config: InterviewConfig
    overall: Score
    by_section: dict[str, Score]
    by_kind: dict[str, Score]
    questions: tuple[AskedQuestion, ...]
    missed: tuple[AskedQuestion, ...]
    weakest: tuple[tuple[str, Score], ...]
    total_seconds: float


def score(questions: Iterable[AskedQuestion]) -> Score:
    rows = list(questions)
    return Score(right=sum(q.correct for q in rows), total=len(rows))


def _grouped(questions: Sequence[AskedQuestion], key: str) -> dict[str, Score]:
    groups: dict[str, list[AskedQuestion]] = defaultdict(list)
    for q in questions:
        groups[q.card.kind.value if key == "kind" else q.section].append(q)
    return {name: score(rows) for name, rows in sorted(groups.items())}


def weakest_topics(
    by_section: Mapping[str, Score], n: int = WEAKEST_SHOWN
) -> tuple[tuple[str, Score], ...]:
    """Sections with at least one miss: lowest share right first, then most missed, then name."""
    missed = [(s, sc) for s, sc in by_section.items() if sc.right < sc.total]
    missed.sort(
        key=lambda item: (item[1].right / item[1].total, item[1].right - item[1].total, item[0])
    )
    return tuple(missed[:n])


def build_report(
    questions: Sequence[AskedQuestion],
    config: InterviewConfig,
    started_at: datetime,
    title: str = "",
) -> InterviewReport:
    ordered = tuple(sorted(questions, key=lambda q: q.position))
    by_section = _grouped(ordered, "section")
    return InterviewReport(
        title=title or config.set_name or "Mock interview",
        started_at=started_at,
        config=config,
        overall=score(ordered),
        by_section=by_section,
        by_kind=_grouped(ordered, "kind"),
        questions=ordered,
        missed=tuple(q for q in ordered if not q.correct),
        weakest=weakest_topics(by_section),
        total_seconds=sum(q.seconds for q in ordered),
    )


def format_duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s"


def cram_link(section: str) -> str:
    """The in-app link that starts a cram session on a section (see ui.interview)."""
    from urllib.parse import quote

    return f"quizapp:cram?section={quote(section, safe='')}"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _first_line(markdown: str, limit: int = 70) -> str:
    line = next((ln.strip() for ln in markdown.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _fence(code: str, language: str = "rust") -> str:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}{language}\n{code.rstrip(chr(10))}\n{ticks}"


def report_markdown(report: InterviewReport, *, links: bool = False) -> str:
    """The report as Markdown; `links` adds in-app links that start a cram session."""
    when = report.started_at.strftime("%Y-%m-%d %H:%M")
    lines = [
        f"# {report.title}",
        "",
        f"{when} · {len(report.questions)} questions · {report.config.describe_limits()} · "
        f"time taken {format_duration(report.total_seconds)}",
        "",
        f"**Score: {report.overall.text()}**",
        "",
    ]
    # Sections are what the figures are grouped by; the learner knows each by its deck's
    # name (the deck list's), so that is what the report says.
    deck_of = {q.section: q.deck_name for q in report.questions}
    if report.weakest:
        lines += ["## Weakest topics", ""]
        for i, (section, sc) in enumerate(report.weakest, start=1):
            link = f" — [cram this deck]({cram_link(section)})" if links else ""
            lines.append(f"{i}. {deck_of.get(section, section)}: {sc.text()}{link}")
        lines.append("")
    by_deck = {deck_of.get(s, s): sc for s, sc in report.by_section.items()}
    for heading, groups in (("By deck", by_deck), ("By kind", report.by_kind)):
        lines += [f"## {heading}", "", "| | Right | Score |", "|---|---:|---:|"]
        for name, sc in groups.items():
            percent = "—" if sc.percent is None else f"{sc.percent:.0f} %"
            lines.append(f"| {_cell(name)} | {sc.right} / {sc.total} | {percent} |")
        lines.append("")
    lines += [
        "## Time per question",
        "",
        "| # | Question | Kind | Time | Result |",
        "|---:|---|---|---:|---|",
    ]
    for q in report.questions:
        result = "right" if q.correct else ("time ran out" if q.timed_out else "missed")
        lines.append(
            f"| {q.position} | {_cell(_first_line(q.card.prompt))} | {q.card.kind.value} | "
            f"{q.seconds:.1f} s | {result} |"
        )
    lines.append("")
    if report.missed:
        lines += ["## Missed questions", ""]
    for q in report.missed:
        lines += [
            f"### {q.position}. {_first_line(q.card.prompt)}",
            "",
            f"*{q.deck_name} · {q.card.kind.value}*",
            "",
        ]
        lines += [q.card.prompt.strip(), ""]
        if q.card.code:
            lines += [_fence(q.card.code), ""]
        if q.card.kind is Kind.CHOICE:
            lines += [f"- {letter(i)}. {opt}" for i, opt in enumerate(q.card.options)] + [""]
        yours = (
            "time ran out"
            if q.timed_out
            else given_answer(q.card, answer_from_json(q.card, q.answer))
        )
        lines += [f"- **Your answer:** {yours}", f"- **Right answer:** {right_answer(q.card)}", ""]
        if q.card.explanation:
            lines += [q.card.explanation.strip(), ""]
        if q.card.kind is Kind.CHOICE:
            for i, why in enumerate(q.card.explanations):
                if why:
                    lines.append(f"- {letter(i)}: {why}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


_HTML_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45;color:#1f2328}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;"
    "padding:4px 8px}pre{background:#f6f8fa;padding:8px;overflow-x:auto}code{background:#f6f8fa}"
)


def report_html(report: InterviewReport) -> str:
    """A standalone HTML page of the Markdown report, raw HTML in any card escaped."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = md.render(report_markdown(report))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(report.title)}</title><style>{_HTML_STYLE}</style></head>"
        f"<body>\n{body}</body></html>\n"
    )
