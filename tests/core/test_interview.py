"""Drawing, scoring and the report of a mock interview, checked against hand-worked values."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import datetime

import pytest

from quizapp.core.grading import (
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    ShortAnswer,
    answer_from_json,
    answer_to_json,
)
from quizapp.core.interview import (
    AskedQuestion,
    Candidate,
    InterviewConfig,
    Score,
    build_report,
    card_weight,
    draw_questions,
    report_html,
    report_markdown,
)
from quizapp.core.model import Card, Kind

COMPILES = Card(
    "c1",
    Kind.COMPILES,
    "Does this compile?",
    "`t = s` moves `s`.",
    code="fn main() {}",
    compiles=False,
    errors=("E0382",),
)
OUTPUT = Card("o1", Kind.OUTPUT, "What does it print?", "Ranges exclude the end.", stdout="0\n1\n")
CHOICE = Card(
    "ch1",
    Kind.CHOICE,
    "Which bound?",
    "spawn needs Send.",
    options=("`T: Sync`", "`T: Send`"),
    answer_indexes=(1,),
    explanations=("Sync is about `&T`.", "Right: the value moves."),
)
SHORT = Card("s1", Kind.SHORT, "Error code for use after move?", accepted=("E0382",))
WHEN = datetime(2026, 11, 24, 12, 0)


def test_weights_follow_the_documented_formula() -> None:
    weakness = {"Own": 0.4, "Conc": 4 / 7}
    assert card_weight(Candidate("x", "Own", Kind.SHORT, 0), weakness) == pytest.approx(0.4)
    assert card_weight(Candidate("x", "Own", Kind.SHORT, 2), weakness) == pytest.approx(1.2)
    assert card_weight(Candidate("x", "Own", Kind.SHORT, 9), weakness) == pytest.approx(
        2.0
    )  # capped at 4
    assert card_weight(Candidate("x", "New", Kind.SHORT, 0), weakness) == pytest.approx(0.5)


def test_draw_mixes_kinds_leaves_out_flashcards_and_is_reproducible() -> None:
    pool = [Candidate(f"{k.value}{i}", "S", k) for k in Kind for i in range(5)]
    drawn = draw_questions(pool, 8, random.Random(7), {})
    assert len(drawn) == len(set(drawn)) == 8
    kinds = Counter(uuid.rstrip("0123456789") for uuid in drawn)
    assert "flashcard" not in kinds
    assert sorted(kinds.values()) == [2, 2, 2, 2]  # four graded kinds, two each
    assert draw_questions(pool, 8, random.Random(7), {}) == drawn
    assert len(draw_questions(pool, 100, random.Random(1), {})) == 20  # the pool runs out


def test_draw_favours_weak_sections_and_failed_cards() -> None:
    pool = [Candidate(f"w{i}", "Weak", Kind.SHORT) for i in range(10)]
    pool += [Candidate(f"s{i}", "Strong", Kind.SHORT) for i in range(10)]
    pool += [Candidate("failed", "Strong", Kind.SHORT, failures=4)]
    weakness = {"Weak": 0.8, "Strong": 0.1}
    rng = random.Random(1)
    picks: Counter[str] = Counter()
    for _ in range(2000):
        picks.update(draw_questions(pool, 3, rng, weakness))
    weak = sum(n for uuid, n in picks.items() if uuid.startswith("w"))
    strong = sum(n for uuid, n in picks.items() if uuid.startswith("s"))
    assert weak > 5 * strong
    assert picks["failed"] > max(picks[f"s{i}"] for i in range(10)) * 3


def asked(
    position: int,
    card: Card,
    section: str,
    correct: bool,
    seconds: float,
    answer: str = "",
    timed_out: bool = False,
) -> AskedQuestion:
    deck = f"{section} deck"  # the deck list's name; the section is the guide chapter
    return AskedQuestion(position, card, section, deck, correct, timed_out, seconds, answer)


QUESTIONS = [
    asked(1, COMPILES, "Own", True, 12.0, answer_to_json(CompilesAnswer(False, "E0382"))),
    asked(2, CHOICE, "Conc", False, 20.5, answer_to_json(ChoiceAnswer(frozenset({0})))),
    asked(3, OUTPUT, "Own", False, 30.0, timed_out=True),
    asked(4, SHORT, "Own", True, 4.5, answer_to_json(ShortAnswer("e0382"))),
    asked(5, OUTPUT, "Perf", False, 9.0, answer_to_json(OutputAnswer("0\n1\n2\n"))),
]


def test_report_figures_by_hand() -> None:
    config = InterviewConfig(count=5, seconds_per_question=30)
    report = build_report(list(reversed(QUESTIONS)), config, WHEN)
    assert report.overall == Score(2, 5)
    assert report.by_section == {"Conc": Score(0, 1), "Own": Score(2, 3), "Perf": Score(0, 1)}
    assert report.by_kind == {
        "choice": Score(0, 1),
        "compiles": Score(1, 1),
        "output": Score(0, 2),
        "short": Score(1, 1),
    }
    assert [q.position for q in report.questions] == [1, 2, 3, 4, 5]
    assert [q.position for q in report.missed] == [2, 3, 5]
    # 0 % sections first, by name; then Own at 67 %
    assert report.weakest == (("Conc", Score(0, 1)), ("Perf", Score(0, 1)), ("Own", Score(2, 3)))
    assert report.total_seconds == 76.0
    assert Score(2, 3).text() == "2 / 3 (67 %)"


def test_markdown_report_holds_every_missed_answer() -> None:
    report = build_report(QUESTIONS, InterviewConfig(count=5, seconds_per_question=30), WHEN)
    md = report_markdown(report)
    assert "**Score: 2 / 5 (40 %)**" in md
    assert "30 s per question" in md and "time taken 1 min 16 s" in md
    assert "| Own deck | 2 / 3 | 67 % |" in md and "## By deck" in md
    assert "| 2 | Which bound? | choice | 20.5 s | missed |" in md
    assert "| 3 | What does it print? | output | 30.0 s | time ran out |" in md
    assert "- **Your answer:** A. `T: Sync`" in md
    assert "- **Right answer:** B. `T: Send`" in md
    assert "- A: Sync is about `&T`." in md
    assert "- **Your answer:** time ran out" in md
    assert "- **Right answer:** It prints `0 ⏎ 1`." in md
    assert "- **Your answer:** It prints `0 ⏎ 1 ⏎ 2`." in md
    assert "quizapp:cram" not in md
    linked = report_markdown(report, links=True)
    assert "1. Conc deck: 0 / 1 (0 %) — [cram this deck](quizapp:cram?section=Conc)" in linked


def test_html_report_escapes_what_cards_and_answers_hold() -> None:
    evil = Card("e", Kind.SHORT, "What is <script>alert(1)</script>?", accepted=("x",))
    questions = [
        asked(1, evil, "S|<b>", False, 1.0, answer_to_json(ShortAnswer("</td><img src=x>")))
    ]
    page = report_html(build_report(questions, InterviewConfig(count=1), WHEN))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert page.startswith("<!doctype html>")


def test_answers_round_trip_and_bad_json_is_no_answer() -> None:
    for card, answer in [
        (COMPILES, CompilesAnswer(False, "E0499")),
        (OUTPUT, OutputAnswer("hi\n", True)),
        (CHOICE, ChoiceAnswer(frozenset({0, 1}))),
        (SHORT, ShortAnswer("E0382")),
    ]:
        assert answer_from_json(card, answer_to_json(answer)) == answer
    assert answer_from_json(SHORT, "") is None
    assert answer_from_json(SHORT, "{") is None
    assert answer_from_json(SHORT, json.dumps({"selected": [1]})) is None


def test_config_survives_storage_and_refuses_nonsense() -> None:
    config = InterviewConfig(("A", "B"), 7, None, 600, "set")
    assert InterviewConfig.from_dict(config.to_dict()) == config
    assert InterviewConfig.from_dict({"count": "x", "seconds_per_question": -3}).count == 1
    with pytest.raises(ValueError):
        InterviewConfig(count=0)
    with pytest.raises(ValueError):
        InterviewConfig(seconds_per_question=0)
