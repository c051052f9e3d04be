"""Every figure of the statistics from a small known log, against values worked out by hand.

Today is Tuesday 2026-11-24 (D). The log spans three weeks: Sunday D-9 falls in the week of
Monday Nov 9, D-8..D-2 in the week of Nov 16, D-1 and D in the week of Nov 23.
"""

from __future__ import annotations

import json
from datetime import date

from quizapp.core.model import Card, Kind
from quizapp.core.stats import (
    Bucket,
    CardRow,
    CardTotals,
    Mastery,
    Retention,
    ReviewRow,
    ReviewTotals,
    Streak,
    build_stats,
    card_totals_from_rows,
    guide_section,
    leeches,
    mastery_level,
    section_weakness,
    stats_to_dict,
    streak,
    totals_from_reviews,
)

D = date(2026, 11, 24).toordinal()

CHOICE = Card(
    id="a",
    kind=Kind.CHOICE,
    prompt="Which bound lets `spawn` take a closure that owns a `T`?",
    options=("`T: Sync`", "`T: Send + 'static`", "`T: Copy`"),
    answer_indexes=(1,),
    explanations=("`Sync` is about sharing `&T`.", "Right.", "`Copy` says nothing about threads."),
)

CARDS = [
    CardRow("a", "Own"),  # new
    CardRow("b", "Own", repetitions=1, interval=1, easiness_hundredths=250, due_day=D),
    CardRow("c", "Own", repetitions=2, interval=6, easiness_hundredths=236, due_day=D + 3),
    CardRow("d", "Conc", repetitions=3, interval=21, easiness_hundredths=270, due_day=D + 10),
    CardRow(
        "e",
        "Conc",
        repetitions=4,
        interval=40,
        easiness_hundredths=130,
        due_day=D - 2,
        suspended=True,
    ),
    CardRow("f", "Conc", repetitions=0, interval=1, easiness_hundredths=200, due_day=D - 1),
]


def pick(*indexes: int) -> str:
    return json.dumps({"selected": list(indexes)})


REVIEWS = [
    ReviewRow("b", "Own", D - 9, "new", 4),
    ReviewRow("c", "Own", D - 9, "new", 1),
    ReviewRow("c", "Own", D - 9, "drill", 4),
    ReviewRow("c", "Own", D - 8, "review", 4),
    ReviewRow("d", "Conc", D - 8, "new", 5),
    ReviewRow("f", "Conc", D - 7, "new", 2),
    ReviewRow("f", "Conc", D - 2, "review", 3),
    ReviewRow("f", "Conc", D - 1, "review", 0),
    ReviewRow("a", "Own", D - 1, "cram", 1, False, pick(0)),
    ReviewRow("f", "Conc", D, "review", 1),
    ReviewRow("a", "Own", D, "cram", 1, False, pick(0)),
    ReviewRow("a", "Own", D, "cram", 4, True, pick(1)),
]


TOTALS = totals_from_reviews(REVIEWS, {"a"})
CARD_TOTALS = card_totals_from_rows(CARDS, D)


def test_the_cards_counted_up_by_hand() -> None:
    totals = card_totals_from_rows(CARDS, D)
    assert totals == CardTotals(
        # a new; b, f learning (repetitions < 2); c young; d, e mature (suspended e counts)
        mastery_by_section={
            "Own": Mastery(new=1, learning=1, young=1),
            "Conc": Mastery(0, 1, 0, 2),
        },
        # every answered card, suspended e included; new a is left out
        intervals={1: 2, 6: 1, 21: 1, 40: 1},
        easiness={250: 1, 236: 1, 270: 1, 130: 1, 200: 1},
        # b due today and f overdue count on today, c in 3 days, d in 10; e is suspended
        due={0: 2, 3: 1, 10: 1},
    )
    assert totals.cards == 6
    # the forecast stops after FORECAST_DAYS (30) days: due in 29 counts, due in 30 does not
    far = [CardRow(u, "S", 3, 30, 250, D + n) for u, n in (("x", 29), ("y", 30), ("z", 400))]
    assert card_totals_from_rows(far, D).due == {29: 1}
    assert card_totals_from_rows([], D) == CardTotals()


def test_the_log_summed_up_by_hand() -> None:
    nov9, nov16, nov23 = D - 15, D - 8, D - 1
    totals = totals_from_reviews(REVIEWS, {"a"})
    assert totals == ReviewTotals(
        answers_per_day={D - 9: 3, D - 8: 2, D - 7: 1, D - 2: 1, D - 1: 2, D: 3},
        # scheduled rows only: 1,2 (Own, Nov 9); 4 (Own), 5,6,7 (Conc, Nov 16); 8,10 (Conc, Nov 23)
        scheduled_by_section={"Own": Retention(2, 3), "Conc": Retention(2, 5)},
        scheduled_by_week={nov9: Retention(1, 2), nov16: Retention(3, 4), nov23: Retention(0, 2)},
        # c failed once as new (its drill pass is not scheduled); f failed 3 times
        failures={"c": ("Own", 1), "f": ("Conc", 3)},
        # every answer to the choice card, cram included, by its stored text
        choice_answers={("a", "Own", pick(0)): 2, ("a", "Own", pick(1)): 1},
    )
    assert totals.answers == 12
    assert totals_from_reviews(REVIEWS).choice_answers == {}  # no choice card named


def test_every_figure_from_a_known_log() -> None:
    s = build_stats(CARD_TOTALS, TOTALS, D, {"a": CHOICE})
    assert (s.cards, s.answers, s.answers_today) == (6, 12, 3)
    assert s.reviews_per_day == {D - 9: 3, D - 8: 2, D - 7: 1, D - 2: 1, D - 1: 2, D: 3}
    assert s.streak == Streak(current=3, longest=3, study_days=6)
    # b due today, f overdue (counts today), c in 3 days, d in 10; e is suspended, a new
    assert s.forecast[0] == 2 and s.forecast[3] == 1 and s.forecast[10] == 1
    assert sum(s.forecast) == 4 and len(s.forecast) == 30
    # scheduled answers only: rows 1,2,4,5,6,7,8,10; passed (q>=3): 1,4,5,7
    assert s.retention == Retention(4, 8) and s.retention.percent == 50.0
    assert s.retention_by_section == {"Conc": Retention(2, 5), "Own": Retention(2, 3)}
    nov9, nov16, nov23 = D - 15, D - 8, D - 1
    assert s.retention_by_week == [
        (nov9, Retention(1, 2)),
        (nov16, Retention(3, 4)),
        (nov23, Retention(0, 2)),
    ]
    assert s.intervals == [
        Bucket("1 d", 2),
        Bucket("2–6 d", 1),
        Bucket("7–20 d", 0),
        Bucket("21–30 d", 1),
        Bucket("1–3 mo", 1),
        Bucket("3–6 mo", 0),
        Bucket("6–12 mo", 0),
        Bucket("> 1 y", 0),
    ]
    assert [b.count for b in s.easiness] == [1, 0, 0, 1, 0, 1, 1, 1]
    assert s.mastery == Mastery(new=1, learning=2, young=1, mature=2)
    assert s.mastery_by_section == {
        "Conc": Mastery(learning=1, mature=2),
        "Own": Mastery(new=1, learning=1, young=1),
    }
    assert s.leeches == []
    [m] = s.misconceptions
    assert (m.card_uuid, m.chosen_index, m.count) == ("a", 0, 2)
    assert m.sentence == "you chose `T: Sync` where `T: Send + 'static` was needed, twice"
    assert m.why == "`Sync` is about sharing `&T`."


def test_json_carries_the_same_figures() -> None:
    data = stats_to_dict(build_stats(CARD_TOTALS, TOTALS, D, {"a": CHOICE}))
    assert data["today"] == "2026-11-24"
    assert data["reviews_per_day"]["2026-11-15"] == 3
    assert data["retention"] == {"passed": 4, "total": 8, "percent": 50.0}
    assert data["due_forecast"][3] == {"date": "2026-11-27", "due": 1}
    assert data["mastery"] == {"new": 1, "learning": 2, "young": 1, "mature": 2}
    assert data["misconceptions"][0]["count"] == 2
    json.dumps(data)


def test_streak_survives_an_empty_today_and_breaks_on_a_gap() -> None:
    assert streak({D - 2, D - 1}, D) == Streak(current=2, longest=2, study_days=2)
    assert streak({D - 3, D - 1, D}, D) == Streak(current=2, longest=2, study_days=3)
    assert streak({D - 2}, D).current == 0
    assert streak(set(), D) == Streak(0, 0, 0)


def test_a_card_failed_eight_times_is_a_leech() -> None:
    log = [ReviewRow("x", "S", D - i, "review", 1) for i in range(8)]
    log += [ReviewRow("x", "S", D, "drill", 0)] * 5  # same-day retries do not count
    log += [ReviewRow("y", "S", D - i, "review", 2) for i in range(7)]
    found = leeches(totals_from_reviews(log))
    assert [(leech.card_uuid, leech.failures) for leech in found] == [("x", 8)]


def test_section_weakness_is_smoothed() -> None:
    weak = section_weakness(TOTALS)
    assert weak == {"Own": 2 / 5, "Conc": 4 / 7}


def test_mastery_levels_follow_the_documented_lines() -> None:
    assert mastery_level(CardRow("n", "S")) == "new"
    assert mastery_level(CardRow("l", "S", repetitions=1, interval=1, due_day=D)) == "learning"
    assert mastery_level(CardRow("y", "S", repetitions=3, interval=20, due_day=D)) == "young"
    assert mastery_level(CardRow("m", "S", repetitions=3, interval=21, due_day=D)) == "mature"


def test_unreadable_choice_answers_are_skipped() -> None:
    log = [
        ReviewRow("a", "Own", D, "review", 1, False, "not json"),
        ReviewRow("a", "Own", D, "review", 1, False, json.dumps({"selected": ["x"]})),
        ReviewRow("a", "Own", D, "review", 1, False, json.dumps({"selected": [7]})),
        ReviewRow("a", "Own", D, "review", 1, False, json.dumps([0])),
    ]
    assert (
        build_stats(CardTotals(), totals_from_reviews(log, {"a"}), D, {"a": CHOICE}).misconceptions
        == []
    )


def test_guide_section_is_the_text_under_its_heading() -> None:
    guide = "# Guide\n\n## One\n\nfirst\n\n### sub\n\nmore\n\n## Two\n\nsecond\n"
    assert guide_section(guide, "One") == "## One\n\nfirst\n\n### sub\n\nmore\n"
    assert guide_section(guide, "Two") == "## Two\n\nsecond\n"
    assert guide_section(guide, "Three") is None
