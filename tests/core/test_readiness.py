"""Readiness, Brier score and the calibration table on examples worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from quizapp.core.readiness import (
    NEW_CARD_RECALL,
    CalibrationBin,
    brier_score,
    calibration_table,
    interview_calibration,
    log_loss,
    new_card_recall,
    readiness,
    readiness_by_section,
    rmse_over_bins,
)


def test_readiness_is_mean_recall_with_new_cards_at_the_prior() -> None:
    # Two answered cards at 0.9 and 0.6, one new card at the stated prior 0.35.
    assert NEW_CARD_RECALL == 0.35
    assert readiness([0.9, 0.6, None]) == pytest.approx((0.9 + 0.6 + 0.35) / 3)
    assert readiness([0.9, None], new_recall=0.5) == pytest.approx(0.7)
    assert readiness([]) is None
    by_section = readiness_by_section({"Ownership": [1.0, 0.5], "Unsafe": [None], "Empty": []})
    assert by_section == {"Ownership": 0.75, "Unsafe": 0.35}


def test_new_card_recall_is_the_first_answer_rate_shrunk_to_the_prior() -> None:
    # 30 first answers, 18 right, prior 0.35 worth 10: (18 + 3.5) / 40.
    assert new_card_recall([True] * 18 + [False] * 12) == pytest.approx(21.5 / 40)
    assert new_card_recall([]) == pytest.approx(0.35)


def test_brier_of_a_mock_interview_by_hand() -> None:
    # Readiness 0.6 predicted before; four questions, three right:
    # (0.4² + 0.4² + 0.6² + 0.4²) / 4 = (0.16 · 3 + 0.36) / 4 = 0.21.
    pairs = [(0.6, True), (0.6, True), (0.6, False), (0.6, True)]
    assert brier_score(pairs) == pytest.approx(0.21)
    assert brier_score([(0.5, True), (0.5, False)]) == pytest.approx(0.25)
    assert brier_score([]) is None
    with pytest.raises(ValueError):
        brier_score([(1.2, True)])


def test_interview_calibration_over_time() -> None:
    first = [(0.6, True), (0.6, True), (0.6, False), (0.6, True)]  # Brier 0.21
    second = [(0.9, True), (0.9, True)]  # Brier 0.01
    series = interview_calibration([(date(2026, 5, 2), second), (date(2026, 4, 1), first)])
    assert [p.day for p in series] == [date(2026, 4, 1), date(2026, 5, 2)]
    assert series[0].predicted == pytest.approx(0.6)
    assert series[0].score == pytest.approx(0.75)
    assert series[0].brier == pytest.approx(0.21)
    assert series[1].brier == pytest.approx(0.01)
    # Over all six questions: (0.84 + 0.02) / 6.
    assert series[1].running_brier == pytest.approx(0.86 / 6)


def test_calibration_table_and_rmse_over_bins_by_hand() -> None:
    pairs = [
        (0.05, False),
        (0.15, False),
        (0.15, True),
        (0.95, True),
        (0.92, True),
        (1.0, False),
    ]
    table = calibration_table(pairs, bins=10)
    assert table == [
        CalibrationBin(0.0, 0.1, 1, pytest.approx(0.05), 0.0),  # type: ignore[arg-type]
        CalibrationBin(0.1, 0.2, 2, pytest.approx(0.15), 0.5),  # type: ignore[arg-type]
        CalibrationBin(0.9, 1.0, 3, pytest.approx(2.87 / 3), pytest.approx(2 / 3)),  # type: ignore[arg-type]
    ]
    expected = math.sqrt((1 * 0.05**2 + 2 * (0.15 - 0.5) ** 2 + 3 * (2.87 / 3 - 2 / 3) ** 2) / 6)
    assert rmse_over_bins(table) == pytest.approx(expected)
    assert rmse_over_bins([]) is None


def test_log_loss_by_hand() -> None:
    assert log_loss([(0.8, True), (0.4, False)]) == pytest.approx(
        -(math.log(0.8) + math.log(0.6)) / 2
    )
    # A certain prediction that is wrong costs a lot but stays finite.
    assert math.isfinite(log_loss([(1.0, False)]) or 0.0)
    assert log_loss([]) is None
